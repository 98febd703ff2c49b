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
