"""unicode step: ftfy for Chinese, the fast path, width and invisible characters."""

import ftfy
import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-1252
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from transforms import unicode
from transforms.document import Document, StepStats


def run(text: str, **params) -> Document:
    doc = Document(id="d", source="test", text=text)
    unicode.apply(doc, unicode.Config(**params), StepStats())
    return doc


def mojibake(text: str) -> str:
    """UTF-8 bytes read as cp1252, the usual way Chinese pages break."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


@pytest.mark.parametrize(
    "text, expected",
    [
        # mojibake: UTF-8 read as Latin-1 or cp1252
        ("ä¸­æ–‡ç½‘é¡µ", "中文网页"),
        ("æ–°é—»ï¼šä»Šå¤©", "新闻：今天"),
        ("caf\u00c3\u00a9 里的咖啡", "café 里的咖啡"),
        # HTML entities, including a page written entirely as numeric references
        ("北京&amp;上海", "北京&上海"),
        ("&#20013;&#22269;&#20154;&#27665;", "中国人民"),
        ("&#x4e2d;&#x6587;网页", "中文网页"),
        ("价格&lt;100元", "价格<100元"),
        # controls, BOM, terminal escapes, zero-width characters
        ("\ufeff正文开始", "正文开始"),
        ("中\u200b文", "中文"),
        ("中\u2060文\u200d字", "中文字"),
        ("红色\x1b[31m警告\x1b[0m", "红色警告"),
        ("标题\x00\x07内容", "标题内容"),
        # line breaks
        ("第一行\r\n第二行\r第三行\u2028第四行", "第一行\n第二行\n第三行\n第四行"),
        # NFC, and CJK compatibility ideographs to their unified forms
        ("e\u0301clair 和 Cafe\u0301", "éclair 和 Café"),
        ("\uf900", "\u8c48"),
        # Latin ligatures are unpacked
        ("\ufb01le 文件", "file 文件"),
        # never width-folded, never uncurled
        ("你好，世界！（测试）：“引号”‘单引’", "你好，世界！（测试）：“引号”‘单引’"),
        ("【标题】《书名》「引文」。、", "【标题】《书名》「引文」。、"),
        # width: full-width letters and digits to half-width, katakana and symbols stay
        ("ＧＤＰ增长５．２％", "GDP增长5．2％"),
        ("ｶﾀｶﾅ和カタカナ", "ｶﾀｶﾅ和カタカナ"),
        # ideographic space: indent removed, elsewhere kept
        ("\u3000\u3000今天天气很好。\n\u3000\u3000明天也好。", "今天天气很好。\n明天也好。"),
        ("姓名\u3000张三", "姓名\u3000张三"),
        # emoji joiner sequences survive
        ("一家人👨\u200d👩\u200d👧", "一家人👨\u200d👩\u200d👧"),
    ],
)
def test_fixes(text, expected):
    assert run(text).text == expected


def test_mojibake_of_chinese_is_repaired():
    assert run(mojibake("新华社北京电，中文乱码修复。")).text == "新华社北京电，中文乱码修复。"


def test_mixed_line_mojibake_leaves_clean_lines_alone():
    text = "干净的一行。\n" + mojibake("乱码的一行") + "\n另一行干净。"
    assert run(text).text == "干净的一行。\n乱码的一行\n另一行干净。"


@pytest.mark.parametrize(
    "params, text, expected",
    [
        ({"width": False}, "ＧＤＰ增长", "ＧＤＰ增长"),
        ({"indent_space": "keep"}, "\u3000\u3000正文。", "\u3000\u3000正文。"),
    ],
)
def test_params(params, text, expected):
    assert run(text, **params).text == expected


@pytest.mark.parametrize("text, n", [("正常文本", 0), ("损坏\ufffd的\ufffd字", 2), ("", 0)])
def test_fffd_column(text, n):
    assert run(text).columns["n_fffd"] == n


def test_ligature_fix_never_touches_cjk():
    cjk = "".join(chr(c) for c in range(0x3000, 0x3100)) + "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    assert ftfy.fixes.fix_latin_ligatures(cjk) == cjk


# Strings that mix everything ftfy acts on with ordinary Chinese text.
PIECES = st.sampled_from(
    list("中文汉字漢語，。、“”‘’…—·《》 \n\r\t&;#0aZ°×²")
    + [chr(c) for c in range(0x80, 0x100)]
    + list("€‚ƒ„†‡ˆ‰Š‹ŒŽ•–—˜™š›œžŸΩωДж√≈")
    + ["&amp;", "&#20013;", "&lt;", "&nbsp;", "\x1b[1m", "\x00", "\ufeff", "\u200b", "\ufb01",
       "\u0301", "\u2028", "\ufffd", "\ud800", mojibake("中文"), mojibake("“你好”"), "Ã©", "â€™"]
)
MIXED = st.lists(PIECES, max_size=30).map("".join)


# The reference is the slow path: ftfy on the whole text, then each line's edges settled (``_edges_settled``
# fixes mojibake beside a no-break space that ftfy alone leaves: ``&nbsp;ä¸\xadæ–‡``).
@settings(max_examples=300, deadline=None)
@given(MIXED)
@example("&nbsp;ä¸\xadæ–‡")
@example("ä¸\xadæ–‡Š\xa0\r中")  # ftfy makes the "\r" a line break: the no-break space ends a line
def test_fast_path_equals_ftfy(text):
    assert unicode.fix_with_ftfy(text, fast=True) == unicode.fix_with_ftfy(text, fast=False)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fast_path_equals_ftfy_on_any_text(text):
    assert unicode.fix_with_ftfy(text, fast=True) == unicode.fix_with_ftfy(text, fast=False)


@pytest.mark.parametrize("text", ["ä¸\xadæ–‡ç½‘é¡µ", "&#20013;&#25991;", "café", "中文\r\n第二行"])
def test_without_edge_spaces_the_fix_is_ftfy_s(text):
    assert unicode.fix_with_ftfy(text) == ftfy.fix_text(text, unicode.FTFY_CONFIG)


REALISTIC = [
    "新华社北京4月30日电 全国政协召开双周协商座谈会。\n会议强调，要坚持“开放合作”。\n",
    "原标题：台灣「測試」——你好！（圖）…\n\u3000\u3000正文第一段。\n",
    "价格 ¥100，折扣 5%，温度 25°C，面积 30㎡，α 粒子与 β 射线。\n",
    "他说：“café 和 naïve 都是外来词。” 作者 José。\n",
    mojibake("文章来源：人民网。\n") + "第二行干净。\n" + "&#20013;&#25991;\n",
    "代码 `a < b && c > d` 里的 &amp; 要保留吗？\r\n答：不要。\r\n",
]


@pytest.mark.parametrize("text", REALISTIC)
def test_fast_path_equals_ftfy_on_realistic_text(text):
    assert unicode.fix_with_ftfy(text, fast=True) == ftfy.fix_text(text, unicode.FTFY_CONFIG)


@settings(max_examples=200, deadline=None)
@given(MIXED)
def test_idempotent(text):
    once = run(text).text
    assert run(once).text == once
