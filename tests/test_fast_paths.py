"""Fast paths of the per-document steps give what the plain version of each rule gives."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import boilerplate, boilerplate_rules, punctuation, script

# --- script: table counts equal converting character by character ---------------------------------


def _reference_detect(text: str) -> str:
    """detect() as its docstring defines it, one OpenCC call per character."""
    sample = text[: script.SAMPLE]
    if not script.HAN.search(sample):
        return "zh-Hans" if script.HAN.search(text, script.SAMPLE) else "none"

    def changed(config: str) -> int:
        cjk = ("\u3400" <= c <= "\u4dbf" or "\u4e00" <= c <= "\u9fff" for c in sample)
        return sum(1 for c, ok in zip(sample, cjk) if ok and script.convert(c, config) != c)

    trad, simp = changed("t2s"), changed("s2t")
    if trad == 0 or simp >= 4 * trad:
        return "zh-Hans"
    if simp == 0 or trad >= 4 * simp:
        return "zh-Hant"
    return "mixed"


@pytest.mark.parametrize(
    "text",
    [
        "今天北京天气晴朗，最高气温二十五度。",
        "今日香港天氣晴朗，市民紛紛外出郊遊。",
        "这篇报道說明了兩岸的差異，也提到了经济问题。",
        "Hello, world",
        "",
        "𠀀𠀁頭髮\ud800很長",
        "OK " * 1000 + "臺灣",
    ],
)
def test_detect_matches_reference(text):
    assert script.detect(text) == _reference_detect(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="头发頭髮台灣臺湾的是很长長说說a ，。\n𠀀", max_size=60))
def test_detect_matches_reference_on_any_mix(text):
    assert script.detect(text) == _reference_detect(text)


# --- punctuation: the space pattern that opens with a literal ---------------------------------------

_OLD_SPACES = re.compile(
    f"(?<=[{punctuation._NO_SPACE_AFTER}{punctuation._CLOSING}]) +"
    f"| +(?=[{punctuation._NO_SPACE_BEFORE}{punctuation._OPENING}])"
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="   ，。（）《》“”中文ab\n", max_size=40))
def test_spaces_pattern_matches_the_plain_one(text):
    new = [m.span() for m in punctuation._SPACES_BY_MARK.finditer(text)]
    assert new == [m.span() for m in _OLD_SPACES.finditer(text)]


# --- boilerplate: lines of bare tags, and the clock keyword ------------------------------------------


def _slow_markdown_to_text(line: str) -> tuple[str, str]:
    with mock.patch.object(boilerplate, "BARE_TAGS", re.compile(r"(?!)")):
        return boilerplate.markdown_to_text(line)


@pytest.mark.parametrize(
    "line",
    [
        "<figure>",
        "</figure>",
        "  <p> <br /> ",
        '<a href="https://example.cn/新闻#top">',
        "<figcaption>村口的老槐树</figcaption>",
        '<img src="a.jpg" alt="会场">',
        '<IMG src="a.jpg">',
        '<a title="[图](a.png)">',
        '<a title="![图](a.png)">',
        "<p>&nbsp;",
        "<div>正文第一段。</div>",
        '<a title="<figcaption>">',
    ],
)
def test_bare_tag_lines_match_the_general_path(line):
    assert boilerplate.markdown_to_text(line) == _slow_markdown_to_text(line)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<figure>", "<img src=a>", "<Figcaption>", "<br/>", " ",
                                 "&amp;", "[图](a)", "![", "正文", "*", "<a href='#x'>"]), max_size=6))
def test_tag_lines_match_the_general_path(parts):
    line = "".join(parts)
    assert boilerplate.markdown_to_text(line) == _slow_markdown_to_text(line)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="12:：\n 时间10", max_size=30))
def test_clock_keyword_hits_the_same_lines(text):
    lines = text.split("\n")
    old = {k for k, line in enumerate(lines) if re.search(r"\d:\d", line)}
    clock = boilerplate_rules.KEYWORDS[-1]
    assert {k for k, line in enumerate(lines) if clock.search(line)} == old
