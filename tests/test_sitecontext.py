"""make eval's site context: crossdoc decides on a gold page with the other pages of its source."""

from __future__ import annotations

from flows.recipe import load_recipe
from tools.sitecontext import repeated_lines
from transforms.crossdoc import canonical_line
from transforms.steps import PER_DOC
from transforms.text import int64_key

BLURB = "欢迎订阅滨海日报官方账号，每天早上八点准时推送"
BODIES = [
    "滨江市地铁5号线一期工程今天上午正式开通运营，全长二十八公里，共设车站二十一座。",
    "开通首日沿线各站客流平稳有序，不少市民专程前来体验全自动无人驾驶列车。",
    "地铁集团表示，高峰时段行车间隔为三分四十秒，今后将根据客流情况适时加密班次。",
    "家住滨江新区的陈先生说，过去上班要换乘两趟公交车，现在坐地铁只要三十五分钟。",
]


def test_a_blurb_on_every_page_of_the_folder_is_repeated_and_the_body_is_not(tmp_path):
    folder = tmp_path / "news" / "binhai"
    folder.mkdir(parents=True)
    for k, body in enumerate(BODIES):
        (folder / f"{k}.md").write_text(f"---\ntitle: 第{k}篇\n---\n{body}\n\n{BLURB}\n", encoding="utf-8")
    recipe = load_recipe(None, ["script.enabled=false", "quality.enabled=false", "dedup.enabled=false"])
    steps = [(n, PER_DOC[n], recipe.get(n)) for n in PER_DOC if recipe.enabled(n)]
    label = {"file": "news/binhai/0.md"}
    key = ("news/binhai/0.md", None, None)
    read: dict = {}
    decided = repeated_lines(tmp_path, [label], lambda lab: "news/binhai", lambda lab: key, steps,
                             recipe.get("crossdoc"), recipe.get("dedup"), read)
    assert int64_key(canonical_line(BLURB)) in decided[key]
    assert int64_key(canonical_line(BODIES[0])) not in decided[key]
    assert read[key][0].startswith(BODIES[0])  # the gold page as read, for the scorer
