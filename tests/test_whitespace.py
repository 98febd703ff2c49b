"""whitespace step: trimmed lines, one \\n between paragraphs, lines kept as lines."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import whitespace
from transforms.document import Document, StepStats


def run(text: str) -> Document:
    doc = Document(id="d", source="test", text=text)
    assert whitespace.apply(doc, whitespace.Config(), StepStats()) is None
    return doc


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第一段。  \n\n\n第二段。", "第一段。\n第二段。"),
        ("  标题  \n\t正文第一句。\t", "标题\n正文第一句。"),
        ("\n\n\n开头的空行\n\n结尾的空行\n\n\n", "开头的空行\n结尾的空行"),
        ("行尾有全角空格\u3000\u3000\n下一行", "行尾有全角空格\n下一行"),
        ("\u3000\u3000段首缩进保留给 unicode 步骤", "\u3000\u3000段首缩进保留给 unicode 步骤"),
        ("不间断空格\u00a0\n\u2003全身空格", "不间断空格\n全身空格"),
        ("只有空格的行\n   \n\t\n下一段", "只有空格的行\n下一段"),
        # lists and poems keep one item per line
        ("1. 第一条\n2. 第二条\n- 第三条", "1. 第一条\n2. 第二条\n- 第三条"),
        ("床前明月光，\n疑是地上霜。\n\n举头望明月，\n低头思故乡。", "床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。"),
        # spaces inside a line are left alone
        ("Hello,  world 和  中文", "Hello,  world 和  中文"),
    ],
)
def test_whitespace(text, expected):
    assert run(text).text == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n"])
def test_empty_doc_is_kept_not_dropped(text):
    assert run(text).text == ""


def test_stats():
    stats = StepStats()
    whitespace.apply(Document(id="d", source="t", text="甲  \n\n\n乙"), whitespace.Config(), stats)
    assert stats.rule_chars["trim_lines"] == 2 and stats.rule_chars["blank_lines"] == 2


TEXT = st.lists(st.sampled_from(["中文", "句子。", " ", "\t", "\n", "\u3000", "\u00a0", "\r", "a b", "- "]), max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_idempotent_and_tidy(text):
    once = run(text).text
    assert run(once).text == once
    assert "\n\n" not in once and not once.startswith("\n") and not once.endswith("\n")
    assert all(line == line.rstrip() for line in once.split("\n"))
