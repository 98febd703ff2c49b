"""The learned line model: where it may decide (the page's frame), how it explains a removal, and how
``tools/train.py`` fits it and picks its threshold. Invented pages only."""

from __future__ import annotations

import numpy as np
import pytest

from flows.recipe import load_line_model
from tools import train
from transforms import boilerplate as B
from transforms import lines as L
from transforms.document import Document, StepStats

PROSE = ["记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区。",
         "这些公园面积都不大，最小的只有八百平方米，但配备了座椅、健身器材和儿童游乐设施，周边居民步行五分钟就能到达。",
         "园林局有关负责人介绍，今年全市计划建设二十处口袋公园，优先选择老旧小区密集、公共空间不足的片区。"]
HEAD = ["首页", "本地新闻", "城市建设"]
TAIL = ["新区再添两座体育公园", "老城街道完成雨污分流改造", "滨江步道下月全线贯通"]
SUBHEAD = "二、下一步安排"  # a short body line inside the prose span
# A page without prose to frame: a forum thread of short replies.
FORUM = ["楼主好人", "同问，求链接", "已解决，谢谢", "顶一下", "mark一下以后看", "我也遇到了这个问题"]


def run(lines: list[str], **cfg) -> Document:
    doc = Document(id="t", source="t", text="\n".join(lines))
    B.apply(doc, B.Config(model=True, weights=load_line_model(), **cfg), StepStats())
    return doc


def model_removed(doc: Document) -> list[str]:
    return [r["text"] for r in doc.removed if r["rule"] == "model"]


@pytest.mark.parametrize("lines, frame", [
    ([*HEAD, *PROSE, *TAIL], [0, 1, 2, 6, 7, 8]),
    ([*HEAD, PROSE[0], SUBHEAD, PROSE[1], *TAIL], [0, 1, 2, 6, 7, 8]),  # the subheading is inside the prose span
    ([*PROSE], []),
    (FORUM, []),  # no prose: nothing to frame
    (FORUM * 4 + [PROSE[0]], []),  # too little prose for its size (lines.PAGE_PROSE)
])
def test_frame_lines_are_outside_the_prose_span_of_a_page_with_prose(lines, frame):
    assert L.frame_lines(lines) == frame


def test_in_scope_agrees_with_frame_lines():
    lines = [*HEAD, PROSE[0], SUBHEAD, PROSE[1], *TAIL]
    x = L.line_features(lines, ["text"] * len(lines), [None] * len(lines), None)
    assert [k for k in range(len(lines)) if L.in_scope(x[k])] == L.frame_lines(lines)


def test_the_model_never_removes_inside_the_body_nor_on_a_page_without_prose():
    doc = run([*HEAD, PROSE[0], SUBHEAD, PROSE[1], PROSE[2], *TAIL], model_threshold=0.0)
    assert SUBHEAD in doc.text.split("\n") and all(p in doc.text for p in PROSE)
    assert SUBHEAD not in model_removed(doc)
    assert model_removed(run(FORUM, model_threshold=0.0)) == []


def test_every_model_removal_is_explained_with_its_score():
    doc = run([*HEAD, *PROSE, *TAIL], model_threshold=0.0)
    gone = [r for r in doc.removed if r["rule"] == "model"]
    assert gone, "at threshold 0 the model takes the frame the rules left"
    for r in gone:
        assert set(r) == {"step", "rule", "score", "text"} and r["step"] == "boilerplate"
        assert 0.0 <= r["score"] <= 1.0 and r["text"] in HEAD + TAIL


def test_the_threshold_trades_recall_for_precision():
    lines = [*HEAD, *PROSE, *TAIL]
    kept = [len(run(lines, model_threshold=t).text) for t in (0.0, 0.5, 0.9, 1.01)]
    assert kept == sorted(kept)
    off = Document(id="t", source="t", text="\n".join(lines))
    B.apply(off, B.Config(), StepStats())
    assert run(lines, model_threshold=1.01).text == off.text


def test_block_context_features():
    lines = ["首页", "城市建设", PROSE[0], SUBHEAD, PROSE[1], "分享到微信", "相关新闻", TAIL[0]]
    rules = ["nav_line", None, None, None, None, "share", "related", None]
    x = L.line_features(lines, ["text"] * len(lines), rules, None)
    f = {n: k for k, n in enumerate(L.FEATURES)}
    assert x[1][f["rule_run"]] == 1 / L.RUN_CAP  # one removed line right before it
    assert x[1][f["prose_dist"]] == 1 / L.RUN_CAP and x[7][f["prose_dist"]] == 3 / L.RUN_CAP
    assert x[7][f["after_last_prose"]] == 1.0 and x[7][f["rule_run"]] == 2 / L.RUN_CAP
    assert x[3][f["between_rule_hits"]] == 0.0 and x[3][f["prose_after"]] > 0
    assert x[7][f["chars_after"]] == 0.0 and x[0][f["chars_before"]] == 0.0
    assert 0.5 < x[0][f["page_prose"]] < 1.0


def test_logistic_fit_is_deterministic_and_learns_the_signal():
    rng = np.random.default_rng(7)
    x = rng.random((400, len(L.FEATURES)))
    y = (x[:, L.FEATURES.index("short")] > 0.5).astype(float)
    w = np.ones(400)
    a, b = train.fit_logistic(x, y, w), train.fit_logistic(x, y, w)
    assert a == b
    top = max(zip(a["features"], a["coef"]), key=lambda t: abs(t[1]))
    assert top[0] == "short" and top[1] > 0


@pytest.mark.parametrize("folds, want", [
    # (scores, labels 1 = boilerplate, weights, body characters of the source)
    ([(np.array([0.99, 0.6]), np.array([1.0, 0.0]), np.array([10.0, 10.0]), 1000.0)], 0.61),
    # a second source whose body scores 0.9 holds the threshold above it: the worst source sets it
    ([(np.array([0.99, 0.6]), np.array([1.0, 0.0]), np.array([10.0, 10.0]), 1000.0),
      (np.array([0.9]), np.array([0.0]), np.array([50.0]), 1000.0)], 0.91),
    # a body line of 2 characters in 1,000 is within the budget (0.3%)
    ([(np.array([0.99, 0.6]), np.array([1.0, 0.0]), np.array([10.0, 2.0]), 1000.0)], 0.5),
])
def test_threshold_is_the_lowest_within_every_sources_body_budget(folds, want):
    assert train.MAX_BODY_LOSS == 0.003
    assert train.pick_threshold(folds) == want


# Known gap, why the model is off by default: a body list after the last paragraph is the page's frame by position,
# and the model scores its short entries as boilerplate (a spec sheet, signatories, hotlines).
BODY_LIST = [PROSE[0], PROSE[1], "各区咨询热线如下：", "东城区 010-64012345", "西城区 010-66012345",
             "朝阳区 010-85012345", "海淀区 010-82012345"]


@pytest.mark.xfail(strict=True, reason="the model takes a body list after the last paragraph; it stays opt-in")
def test_a_body_list_after_the_last_paragraph_survives_the_model():
    doc = run(BODY_LIST)
    assert model_removed(doc) == []
