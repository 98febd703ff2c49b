"""The boilerplate step's per-line shortcuts give what the plain rule gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import boilerplate_rules as R

# Characters the line-start patterns are written with, and some of ordinary text.
_ALPHABET = sorted(set("".join(p.pattern for p in R.LINE_START_PARTS)) | set("今天的新闻，。　 记者报道：图文/｜|0123456789年月日"))


def _plain(s: str) -> bool:
    return R.LINE_START.match(s) is not None


@pytest.mark.parametrize("line", [
    "", "标题：春耕时节", "责任编辑：王小明", "记者 李涛 报道", "2024年3月5日 12:30", "▲ 村民在田间", "（完）",
    "阿乐／文", "查·论·编", "发表于 2024-4-5 23:20", "视频链接：https://a.cn/v", "今年春天雨水偏多。", "- 来源：新华社",
])
def test_first_char_match_is_line_start(line):
    assert R.LINE_START_AT(line) == _plain(line)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_first_char_match_on_any_text(line):
    assert R.LINE_START_AT(line) == _plain(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["^标题[:：]", r"\d{2,4}年", "(?:作者|撰稿)\\s*[:：]", "[^，。]{0,4}链接[:：]", "(?!参考)图[/／]",
                                 "x?y*[a-c]", "(?:Ab|cD)+e"]), min_size=1, max_size=4),
       st.text(alphabet="标题:：年作者撰稿 链接参考图/／xyabcdeADE0123，。", max_size=12))
def test_first_char_match_on_any_patterns(patterns, line):
    assert R.FirstCharMatch(patterns)(line) == (re.compile("|".join(patterns)).match(line) is not None)
