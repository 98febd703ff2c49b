"""punctuation step: Chinese text gets Chinese punctuation, everything else is left alone."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import punctuation
from transforms.document import Document, StepStats


def run(text: str, target: str = "fullwidth") -> str:
    doc = Document(id="d", source="test", text=text)
    punctuation.apply(doc, punctuation.Config(target=target), StepStats())
    return doc.text


@pytest.mark.parametrize(
    "text, expected",
    [
        # ASCII marks next to Han
        ("他强调,中国经济正处于关键时期.", "他强调，中国经济正处于关键时期."),
        ("原标题:台湾测试", "原标题：台湾测试"),
        ("一是创新;二是开放", "一是创新；二是开放"),
        ("价格\t:\t100元", "价格：100元"),  # a tab before the mark is eaten like a space
        ("他说\t,", "他说，"),  # a mark at the line end, after a tab
        ('详见 https://a.cn/x?id=1 ,他说"你好"', '详见 https://a.cn/x?id=1，他说“你好”'),  # a piece after a URL
        ("你吃饭了吗?我吃了!", "你吃饭了吗？我吃了！"),
        ("他说 : 你好 , 世界 !", "他说：你好，世界！"),
        ("共100,其中女性40人", "共100，其中女性40人"),
        ("我用Python,它很好用", "我用Python，它很好用"),
        ("你知道ChatGPT吗?你用过Python 3?", "你知道ChatGPT吗？你用过Python 3？"),
        # parentheses
        ("新华社(记者 李涛)报道", "新华社（记者 李涛）报道"),
        ("单位 (kg) 和重量", "单位（kg）和重量"),
        ("泊头市永来机械有限公司(总公司）", "泊头市永来机械有限公司（总公司）"),
        ("见（附件 A)", "见（附件 A）"),
        ("参见 (第三章) 内容", "参见（第三章）内容"),
        # quotes
        ('他说"你好"然后走了', "他说“你好”然后走了"),
        ("所谓'数据孤岛'问题", "所谓‘数据孤岛’问题"),
        ('围绕 "加快推进工业互联网建设" 协商', "围绕“加快推进工业互联网建设”协商"),
        # ellipsis
        ("然后...他走了", "然后……他走了"),
        ("等等。。。再说", "等等……再说"),
        ("沉默…", "沉默……"),
        ("沉默………了", "沉默……了"),
        ("沉默……了", "沉默……了"),
        # runs and dangling marks
        ("周、、、、徐波", "周、徐波"),
        ("苏波、、、陈百龄", "苏波、陈百龄"),
        ("张副主席、、、何、等参加了会见", "张副主席、何等参加了会见"),
        ("苹果，，香蕉", "苹果，香蕉"),
        ("苹果、，香蕉", "苹果，香蕉"),
        ("苹果、香蕉、。", "苹果、香蕉。"),
        ("（甲、乙、）", "（甲、乙）"),
        ("结束了。。", "结束了。"),
        # spaces between Han and Chinese punctuation
        ("你好 ， 世界 。", "你好，世界。"),
        ("他说 “好” 吧", "他说“好”吧"),
        ("书名 《三体》 很好", "书名《三体》很好"),
    ],
)
def test_fullwidth(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hello, world!",
        "Floyd–Steinberg dithering: an error-diffusion algorithm; see Wikipedia?",
        "共1,000元，圆周率3.14，时间12:30，日期2020-02-19。",
        "访问 http://www.example.com/a,b;c?x=1&y=2!#top 了解",
        "网址https://news.qq.com/a/20200219/012345.htm",
        "邮箱 zhang.san@example.com.cn 联系",
        "代码 `print(a, b)` 输出两个值",
        "函数f(x)的图像",
        "![全国政协召开座谈会](/uploads/diyimg/abc.png)",
        "[相关新闻](https://example.com/news)",
        "I don't know, 'really'.",
        "他说：“我们走吧，”然后离开了。",
        "I love it! 我也是。",
        "他问：「Why are you filming me?」",
        "专辑《Hark! The Herald Angels Sing》",
        "唱片公司「Classic Fox Records...」",
        "Loading... 请稍候",
        "你好，世界！",
        "ｶﾀｶﾅ、カタカナ。",
        '<img src="https://a.cn/新闻/图片.jpg" alt="">',  # the Han is in the URL, not between the quotes
    ],
)
def test_left_alone(text):
    if text == "Loading... 请稍候":
        assert run(text) == "Loading……请稍候"  # an ellipsis before Chinese is Chinese
    else:
        assert run(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("你好，世界！（测试）：好；吗？", "你好,世界!(测试):好;吗?"),
        ("他说“你好”‘嗯’然后……", "他说\"你好\"'嗯'然后..."),
        ("周、、、徐波。", "周、徐波。"),
        ("Hello, world!", "Hello, world!"),
    ],
)
def test_ascii_target(text, expected):
    assert run(text, "ascii") == expected


@pytest.mark.parametrize(
    "text, n",
    [("你好,世界!好", 2), ("你好，世界", 0), ("1,000和a,b", 0), ("中:文;字?好", 3), ("中, 文", 0)],
)
def test_ascii_punct_between_han(text, n):
    assert punctuation.ascii_punct_between_han(text) == n


SEED = Path("/work/shared/corpus-dev/seed/example_page.txt")


@pytest.mark.skipif(not SEED.exists(), reason="dev corpus not present")
def test_seed_page():
    out = run(SEED.read_text(encoding="utf-8"))
    assert punctuation.ascii_punct_between_han(out) == 0
    assert "、、" not in out
    assert "周、徐波" in out and "苏波、陈百龄" in out
    assert "http://www.heliu2.cn/hlw/12549.html" in out


def test_stats_count_rules():
    stats = StepStats()
    doc = Document(id="d", source="test", text="他说:你好,世界。周、、、徐波")
    punctuation.apply(doc, punctuation.Config(), stats)
    assert stats.rule_lines["marks"] == 1 and stats.rule_lines["runs"] == 1


PIECES = st.sampled_from(
    list("中文字好他说，。、；：？！（）“”‘’…《》 \t\n,.:;?!()\"'`-_/@aZ09")
    + ["...", "。。。", "、、、", "http://a.cn/x?a=1,b", "a@b.cn", "`x,y`", "Hello", "1,000", "12:30", "](", "ｶﾀ"]
)
TEXT = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(["fullwidth", "ascii"]))
def test_idempotent(text, target):
    once = run(text, target)
    assert run(once, target) == once


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_han_characters_unchanged(text):
    han = lambda s: [c for c in s if "\u4e00" <= c <= "\u9fff"]  # noqa: E731
    assert han(run(text)) == han(text)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(["fullwidth", "ascii"]))
def test_skipping_lines_changes_nothing(text, target):
    """Lines without a trigger are skipped; that must equal running the rules on every line."""
    assert punctuation.normalize(text, target) == punctuation.fix_all_lines(text, target)


@settings(max_examples=500, deadline=None)
@given(TEXT, st.sampled_from(["fullwidth", "ascii"]))
def test_rules_leave_an_untriggered_piece_alone(text, target):
    """A piece between URLs or code spans without a trigger is skipped: the rules must return it as it is."""
    for piece in text.split("\n"):
        if not punctuation._triggered(piece, target):
            assert punctuation._fix_piece(piece, punctuation._RULE_NEEDS[target], None) == piece


@settings(max_examples=200, deadline=None)
@given(TEXT, st.sampled_from(["fullwidth", "ascii"]))
def test_remembered_lines_count_as_new(text, target):
    """A line fixed before (on another page) gives the same text and the same counts as one never seen."""
    punctuation._fixed.clear_memo()
    first, again = StepStats(), StepStats()
    out = punctuation.normalize(text, target, first)
    assert punctuation.normalize(text, target, again) == out
    assert (again.rule_lines, again.rule_chars) == (first.rule_lines, first.rule_chars)


# The URL end as first written: a lazy run that stops where only trailing punctuation is left.
LAZY_URL = re.compile(
    r"`[^`\n]+`|(?:https?|ftp)://[!-~]+?(?=[.,;:!?)\]]*(?:[^!-~]|$))|www\.[!-~]+?(?=[.,;:!?)\]]*(?:[^!-~]|$))"
)
URL_PIECES = st.sampled_from(list("ab.,;:!?)]`/ \n中") + ["http://", "https://", "ftp://", "www."])


@settings(max_examples=500, deadline=None)
@given(st.lists(URL_PIECES, max_size=16).map("".join))
def test_url_end_is_the_lazy_one(text):
    assert [m.span() for m in punctuation._CODE_OR_URL.finditer(text)] == [m.span() for m in LAZY_URL.finditer(text)]
