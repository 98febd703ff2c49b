"""quality: signals on every page, and thresholds that reject with the right reason and value."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.document import Document, Drop, StepStats
from transforms.quality import Config, apply, signals

NEWS = (
    "本报讯（记者 李明）10月5日上午，滨江市第三届秋季农产品展销会在市会展中心开幕。本届展销会为期五天，共设特色农产品、"
    "农机装备、乡村旅游三个展区，吸引了来自省内外的二百多家企业参展。市农业农村局有关负责人介绍，今年全市粮食播种面积稳定"
    "在一百二十万亩以上，蔬菜、水果等经济作物长势良好，预计秋粮总产量将比去年增长百分之三左右。\n"
    "开幕当天，不少市民一早便来到现场选购。家住城东的王女士说：“这里的东西新鲜，价格也实惠，我买了两箱苹果和一些小米。”"
    "据悉，展销会期间主办方还将举办农产品直播带货、农技专家咨询等活动，帮助农户拓宽销售渠道。"
)
MENU = "\n".join(
    "首页 新闻中心 国内 国际 财经 股票 基金 体育 娱乐 科技 手机 汽车 房产 家居 教育 考试 旅游 健康 育儿 美食 时尚 "
    "游戏 动漫 视频 图片 专题 评论 博客 论坛 天气 地图 招聘 二手 彩票 公益 文化 历史 读书 军事 法治 三农 "
    "数码 家电 留学 移民 理财 保险 银行 信托 期货 外汇 黄金 债券 星座 宠物 摄影 户外 婚嫁 装修 "
    "关于我们 联系我们 网站地图 广告服务 版权声明 隐私政策 友情链接 意见反馈 帮助中心".split()
)
ENGLISH = (
    "The third autumn farm produce fair opened on Thursday at the city exhibition centre. Over two hundred "
    "companies from across the province are taking part, and organisers expect more visitors than last year."
)
SPAM_LINES = "\n".join(["加微信领取免费资料，名额有限先到先得！"] * 15)
SPAM_PHRASE = "澳门赌场，" * 60
BROKEN = "".join("\ufffd" if i % 9 == 4 else c for i, c in enumerate(NEWS))  # a failed decode
LATIN1 = NEWS.encode("utf-8").decode("latin-1")  # UTF-8 read as Latin-1: 'æ\x9c¬æ\x8a¥è®¯…'
SHORT = NEWS[: NEWS.index("参展。") + 3]  # a news flash of two sentences
LISTING = "\n".join(f"滨江市第{i}届秋季农产品展销会开幕" for i in range(1, 15))  # headlines, no sentences


@pytest.mark.parametrize(
    "text, reason",
    [
        (NEWS, None),
        (SHORT, "quality:n_chars"),
        (ENGLISH, "quality:han_ratio"),
        (LATIN1, "quality:han_ratio"),
        (MENU, "quality:mean_line_chars"),
        (SPAM_LINES, "quality:dup_line_frac"),
        (SPAM_PHRASE, "quality:top_ngram_frac"),
        (BROKEN, "quality:n_fffd"),
        (LISTING, "quality:no_terminal_frac"),
        ("", "empty"),
        ("\n \u3000\n", "empty"),
    ],
)
def test_thresholds(text, reason):
    doc = Document(id="a", source="s", text=text)
    drop = apply(doc, Config(), StepStats())
    assert (drop.reason if drop else None) == reason
    if drop and reason != "empty":
        assert drop.value == doc.columns[reason.removeprefix("quality:")]
    assert doc.text == text  # quality never edits


def test_empty_page_drop():
    assert apply(Document(id="a", source="s", text=""), Config(), StepStats()) == Drop("empty", 0)


def test_drop_carries_the_value():
    drop = apply(Document(id="a", source="s", text=SHORT), Config(), StepStats())
    assert drop == Drop("quality:n_chars", len(SHORT))


def test_every_signal_becomes_a_rounded_column():
    doc = Document(id="a", source="s", text=NEWS)
    assert apply(doc, Config(), StepStats()) is None
    expected = {"n_chars", "han_ratio", "punct_ratio", "n_lines", "mean_line_chars", "dup_line_frac"}
    expected |= {"top_ngram_frac", "no_terminal_frac", "n_fffd"}
    assert set(doc.columns) == expected
    for value in doc.columns.values():
        assert value == round(value, 4)
    assert doc.columns["n_lines"] == 2 and doc.columns["n_fffd"] == 0
    assert doc.columns["no_terminal_frac"] == 0.0
    assert 0.75 < doc.columns["han_ratio"] < 0.95
    assert 0.05 < doc.columns["punct_ratio"] < 0.2


def test_fffd_count_comes_from_the_unicode_step():
    doc = Document(id="a", source="s", text=NEWS, columns={"n_fffd": 12})  # counted before it repaired the text
    assert apply(doc, Config(), StepStats()) == Drop("quality:n_fffd", 12)


def test_none_switches_a_threshold_off():
    doc = Document(id="a", source="s", text=MENU)
    assert apply(doc, Config(min_mean_line_chars=None, max_no_terminal_frac=None), StepStats()) is None
    assert apply(Document(id="b", source="s", text=SHORT), Config(min_chars=None), StepStats()) is None


def test_signals_of_a_small_page():
    s = signals("北京今日晴。\n北京今日晴。\n首页")
    assert s["n_chars"] == 16 and s["n_lines"] == 3
    assert s["han_ratio"] == pytest.approx(12 / 14)
    assert s["punct_ratio"] == pytest.approx(2 / 14)
    assert s["mean_line_chars"] == pytest.approx(14 / 3)
    assert s["dup_line_frac"] == pytest.approx(1 / 3)
    assert s["top_ngram_frac"] == pytest.approx(2 * 2 / 12)
    assert s["no_terminal_frac"] == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    "line, ends",
    [
        ("他说：“我买了两箱苹果。”", True),  # closing quotes do not hide the full stop
        ("真的吗？", True),
        ("（完）", False),
        ("未完待续……", True),
        ("一、基本情况", False),
        ("See you.", True),
    ],
)
def test_terminal_punctuation(line, ends):
    assert signals(line)["no_terminal_frac"] == (0.0 if ends else 1.0)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_signals_are_bounded(text):
    s = signals(text)
    assert s["n_chars"] == len(text)
    for key in ("han_ratio", "punct_ratio", "dup_line_frac", "top_ngram_frac", "no_terminal_frac"):
        assert 0.0 <= s[key] <= 1.0
    assert s["han_ratio"] + s["punct_ratio"] <= 1.0 + 1e-9
    assert s["n_lines"] <= text.count("\n") + 1
