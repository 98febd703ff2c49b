"""Invariants of the four normalization steps, alone and in recipe order."""

import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-1252
from hypothesis import example, given, settings
from hypothesis import strategies as st

from transforms import punctuation, script, unicode, whitespace
from transforms.document import Document, StepStats

STEPS = [unicode, punctuation, script, whitespace]  # recipe order


def step(module, text: str) -> str:
    doc = Document(id="d", source="test", text=text)
    module.apply(doc, module.Config(), StepStats())
    return doc.text


def all_four(text: str) -> str:
    for module in STEPS:
        text = step(module, text)
    return text


def han(text: str) -> list[str]:
    return [c for c in text if "\u3400" <= c <= "\u9fff"]


# Messy text: Simplified and Traditional Han, ASCII and Chinese marks, spaces, mojibake, entities.
MESSY = st.lists(
    st.sampled_from(
        list("中文简体繁體臺灣头发頭髮，。、；：？！（）“”‘’…《》「」 \t\n,.:;?!()\"'-aZ09")
        + ["\u3000", "\u00a0", "\u200b", "\ufeff", "\r\n", "...", "、、、", "，，", "&amp;", "&#20013;",
           "ＡＢ１", "ｶﾀ", "http://a.cn/x?a=1,b", "a@b.cn", "`x, y`", "1,000", "12:30", "3.14",
           "Hello, world!", "中文".encode().decode("sloppy-windows-1252"), "Ã©", "\x1b[1m"]
    ),
    max_size=30,
).map("".join)

# Already-clean Simplified text: words joined by Chinese marks, one paragraph per line.
WORD = st.sampled_from(
    ["我们", "今天", "中国经济", "发展", "工业互联网", "数据", "学习", "北京", "会议", "GDP增长", "2020年",
     "共1,000元", "3.14倍", "12:30", "“开放合作”", "《人民日报》", "（记者李涛）", "Python语言"]
)
MARK = st.sampled_from(["，", "、", "；", "：", ""])
END = st.sampled_from(["。", "！", "？", "……"])
SENTENCE = st.tuples(WORD, st.lists(st.tuples(MARK, WORD).map("".join), max_size=5), END).map(
    lambda t: t[0] + "".join(t[1]) + t[2]
)
CLEAN = st.lists(st.lists(SENTENCE, min_size=1, max_size=3).map("".join), min_size=1, max_size=4).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(MESSY)
def test_each_step_idempotent(text):
    for module in STEPS:
        once = step(module, text)
        assert step(module, once) == once, module.__name__


@settings(max_examples=200, deadline=None)
@example("\xa0Ã©ＡＢ１体》頭&amp;臺\xa0體")  # ftfy left Ã© beside a no-break space the whitespace step strips
@given(MESSY)
def test_all_four_idempotent(text):
    once = all_four(text)
    assert all_four(once) == once


@settings(max_examples=200, deadline=None)
@given(MESSY)
def test_only_unicode_and_script_change_han(text):
    for module in (punctuation, whitespace):
        assert han(step(module, text)) == han(text), module.__name__


@settings(max_examples=200, deadline=None)
@given(CLEAN)
def test_clean_simplified_text_is_left_alone(text):
    for module in STEPS:
        assert step(module, text) == text, module.__name__
