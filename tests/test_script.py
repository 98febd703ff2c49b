"""script step: OpenCC conversion, script detection, converters cached per process."""

import pickle

import opencc
import pytest

from transforms import script
from transforms.document import Document, StepStats


def run(text: str, **params) -> Document:
    doc = Document(id="d", source="test", text=text)
    script.apply(doc, script.Config(**params), StepStats())
    return doc


SENTENCES = [
    "臺灣的頭髮很長，軟體工程師在資訊產業工作。",
    "香港特別行政區政府今日發表聲明，回覆市民的查詢。",
    "这是一段简体中文，软件工程师在信息产业工作。",
    "他們乾杯慶祝乾隆年間的歷史，並討論後來的發展。",
    "Mixed 文字 with English and 數字 123。",
]
CONFIGS = ["t2s", "s2t", "s2tw", "s2twp", "tw2sp", "s2hk", "hk2s", "t2jp", "tw2s", "t2s.json"]


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("text", SENTENCES)
def test_equals_opencc(config, text):
    assert run(text, config=config).text == opencc.OpenCC(config).convert(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("臺灣的頭髮很長", "台湾的头发很长"),
        ("乾隆年間，大家乾杯", "乾隆年间，大家干杯"),
        ("这已经是简体了", "这已经是简体了"),
        ("Hello, world! 123", "Hello, world! 123"),
    ],
)
def test_t2s_default(text, expected):
    assert run(text).text == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("这是简体中文的句子，没有繁体字。", "zh-Hans"),
        ("這是繁體中文的句子，沒有簡體字。", "zh-Hant"),
        ("这是简体的前半句，這是繁體的後半句。", "mixed"),
        ("中国人民", "zh-Hans"),  # characters common to both scripts
        ("Hello, world! 123", "none"),
        ("", "none"),
    ],
)
def test_detect(text, expected):
    assert script.detect(text) == expected
    assert run(text).columns["script"] == expected


def test_detect_sees_han_beyond_the_sample():
    text = "x" * (script.SAMPLE + 10) + "中文"
    assert script.detect(text) == "zh-Hans"
    assert run(text).columns["script"] == "zh-Hans"


def test_script_column_is_detected_before_conversion():
    doc = run("這是繁體中文的句子。")
    assert doc.text == "这是繁体中文的句子。"
    assert doc.columns["script"] == "zh-Hant"


@pytest.mark.parametrize(
    "config, text, converted",
    [
        ("t2s", "這是繁體中文的句子。", True),
        ("t2s", "这是简体的前半句，這是繁體的後半句。", True),  # mixed still holds the other script
        ("s2t", "这是简体中文的句子。", True),
        ("s2t", "這是繁體中文的句子。", False),
        ("t2jp", "這是繁體中文的句子。", True),  # no target script: the option changes nothing
    ],
)
def test_only_other_script(config, text, converted):
    out = run(text, config=config, only_other_script=True).text
    assert (out != text) == converted
    if converted:
        assert out == opencc.OpenCC(config).convert(text)


@pytest.mark.parametrize("text, n", [("这是臺灣", 2), ("这是台湾", 0), ("頭髮", 2), ("", 0), ("abc", 0)])
def test_traditional_only_chars(text, n):
    assert script.traditional_only_chars(text) == n


def test_no_traditional_char_left_after_t2s():
    for text in SENTENCES:
        assert script.traditional_only_chars(run(text).text) == 0


def test_converter_is_cached_and_config_pickles():
    assert script.converter("t2s") is script.converter("t2s")
    cfg = script.Config(config="s2tw")
    assert pickle.loads(pickle.dumps(cfg)) == cfg


def test_stats_count_changed_chars():
    stats = StepStats()
    script.apply(Document(id="d", source="t", text="頭髮很長"), script.Config(), stats)
    assert stats.rule_chars["t2s"] == 3 and stats.rule_lines["t2s"] == 1


def test_title_is_converted_with_the_text():
    doc = Document(id="d", source="s", text="夜市攤販迎來觀光人潮。", title="夜市攤販迎來觀光人潮")
    script.apply(doc, script.Config(), StepStats())
    assert (doc.title, doc.text) == ("夜市摊贩迎来观光人潮", "夜市摊贩迎来观光人潮。")


# --- t2s at a guarded fixpoint (issue 12) ---------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.mark.parametrize(
    "text, expected",
    [
        ("病人處於潛伏期", "病人处于潜伏期"),  # OpenCC: 处於潜伏 (於潛 read as a place name)
        ("他畢業於倫敦大學", "他毕业于伦敦大学"),
        ("黃絲帶象徵聲援", "黄丝带象征声援"),
        ("故宮乾清宮遭破壞", "故宫乾清宫遭破坏"),  # 乾 of a palace name stays
        ("治安破壞土耳其", "治安破坏土耳其"),
        ("陳昇的新專輯", "陈昇的新专辑"),
        ("乾淨的房間", "干净的房间"),
        ("乾隆年間，大家乾杯", "乾隆年间，大家干杯"),
    ],
)
def test_t2s_leaves_no_residue(text, expected):
    out = run(text).text
    assert out == expected
    assert script.residue(out) == 0


@pytest.mark.parametrize(
    "text",
    ["他已破坏土地", "故宫乾清宫", "陈昇的新专辑", "打坏人", "杨联陞（一九一四）", "这已经是简体了"],
)
def test_t2s_never_changes_its_own_good_output(text):
    assert run(text).text == text  # OpenCC alone: 破坯土地, 干清宫, 陈升, 打坯人, 杨联升


SCRIPT_PIECES = st.sampled_from(
    ["處於潛伏", "畢業於倫敦", "象徵聲援", "乾清宮", "乾淨", "破壞土地", "打壞人", "陳昇", "楊聯陞", "乾隆",
     "对于", "破坏土", "乾清宫", "陈昇", "頭髮", "臺灣", "软件", "。", "，", "的", "於", "徵", "坏", "乾", "后", "後"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(SCRIPT_PIECES, max_size=12).map("".join))
def test_t2s_is_idempotent(text):
    once = run(text).text
    assert run(once).text == once
    assert script.residue(once) == 0


def test_chinese_title_of_an_english_page_is_converted():
    doc = Document(id="d", source="s", text="An English article.", title="眾新聞告別讀者")
    script.apply(doc, script.Config(), StepStats())
    assert (doc.title, doc.columns["script"]) == ("众新闻告别读者", "none")


def test_t2s_keeps_opencc_phrases_on_traditional_input():
    assert run("折戟沈沙鐵未銷").text == "折戟沉沙铁未销"  # 沈 is Simplified too, yet the idiom reads 沉
