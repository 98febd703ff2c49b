"""GBK/Big5 mojibake beyond ftfy: sentences we break ourselves come back; Latin-script text never changes."""

import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-125x
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import unicode
from transforms.document import Document, StepStats
from transforms.mojibake import repair_legacy_mojibake

SENTENCES = [
    "新华社北京3月5日电，国务院总理在人民大会堂作政府工作报告。",
    "今年的气温比往年高，市民纷纷到公园避暑。",
    "“新闻中心”栏目更新：2024年第3期",
    "本站所有文章均为原创，转载请注明出处。",
    "关于我们 | 联系我们 | 网站地图",
    "臺北市政府今天宣布，捷運票價將調整。",
    "香港特別行政區政府發言人表示，會密切留意事態發展。",
    "夜市攤販迎來觀光人潮，老闆笑得合不攏嘴。",
    "電腦軟體公司的工程師正在加班。",
]
ENCODINGS = ["gbk", "gb18030", "big5"]
READ_AS = ["sloppy-windows-1252", "sloppy-windows-1250", "latin-1"]


def broken(text: str, enc: str, read_as: str) -> str | None:
    try:
        return text.encode(enc).decode(read_as)
    except UnicodeError:
        return None  # Simplified-only characters have no Big5 bytes


def cases():
    for s in SENTENCES:
        for enc in ENCODINGS:
            for read_as in READ_AS:
                if (m := broken(s, enc, read_as)) is not None:
                    yield pytest.param(m, s, id=f"{enc}-as-{read_as}-{s[:4]}")


@pytest.mark.parametrize("mojibake, expected", list(cases()))
def test_wrongly_decoded_sentences_are_repaired(mojibake, expected):
    assert repair_legacy_mojibake(mojibake) == expected


@pytest.mark.parametrize(
    "mojibake, expected",
    [("ĐÂÎĹÖĐĐÄ", "新闻中心"), ("¹q¸£³nÅé", "電腦軟體")],  # the issue's two examples
)
def test_issue_examples(mojibake, expected):
    assert repair_legacy_mojibake(mojibake) == expected


NEGATIVES = [
    "Le café est très bon à Paris, n'est-ce pas ? «Bonjour», dit-il à l'élève.",
    "Ça a été très émouvant à Québec — où l'on a vu Noël, Anaïs et Zoë.",
    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Žluťoučký kůň pěl ďábelské ódy; Dvořák, Janáček a Smetana.",
    "Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig.",
    "żółć",
    "Kraków, Gdańsk, Wrocław, Poznań, Łódź, Białystok",
    "Tiếng Việt có nhiều dấu: người, được, những, thành phố Hồ Chí Minh.",
    "Tôi yêu Hà Nội và Sài Gòn; cà phê sữa đá rất ngon.",
    "Größe: 5 m², Preis: 100 €, Temperatur 25 °C, Straße Nr. 3½.",
    "São Paulo, Bogotá, Málaga, Curaçao, Reykjavík, Þórshöfn, Ærøskøbing.",
    "ÀÉÎÕÜ àéîõü ÄÖÜ äöü Ÿ ÿ œuvre cœur",
    "©2024 新华网 版权所有 ®™ ±5% ×2 ÷3 §4 ¶5",
    "价格：¥100，£80，€90；温度25°C，面积30m²。",
    "他说：“café 和 naïve 都是外来词。” 作者 José Martí。",
    "…… —— ”“ ‘’ ·×÷",
    "ä¸­æ–‡ç½‘é¡µ",  # UTF-8 read as cp1252 is ftfy's case, not ours
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_latin_script_text_is_left_alone(text):
    assert repair_legacy_mojibake(text) == text


def test_step_records_each_repair():
    doc = Document(id="d", source="t", text="标题\n" + broken("新闻中心", "gbk", "sloppy-windows-1250") + "\n正文。")
    stats = StepStats()
    unicode.apply(doc, unicode.Config(), stats)
    assert doc.text == "标题\n新闻中心\n正文。"
    assert doc.removed == [{"step": "unicode", "rule": "legacy_mojibake", "text": "ĐÂÎĹÖĐĐÄ"}]
    assert stats.rule_lines["legacy_mojibake"] == 1


def test_step_repairs_before_ftfy_would_break_it():
    text = broken("今年的气温比往年高。", "gbk", "sloppy-windows-1252")
    doc = Document(id="d", source="t", text=text)
    unicode.apply(doc, unicode.Config(), StepStats())
    assert doc.text == "今年的气温比往年高。"


def test_can_be_turned_off():
    doc = Document(id="d", source="t", text="ĐÂÎĹÖĐĐÄ")
    unicode.apply(doc, unicode.Config(legacy_mojibake=False), StepStats())
    assert doc.text == "ĐÂÎĹÖĐĐÄ"


LATIN_WORDS = st.lists(
    st.sampled_from("café déjà Příliš žluťoučký kůň Zażółć gęślą jaźń Việt người Hà Nội Łódź Größe "
                    "São Ærø Œuvre naïve «oui» — … 100€ 5° ½ © ®".split()),
    max_size=15,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(LATIN_WORDS)
def test_latin_sentences_never_change(text):
    assert repair_legacy_mojibake(text) == text


@pytest.mark.parametrize("text", ["——————以下为现场问答——————", "the\xa0other\xa0three. Chief\xa0a\xa0Chief"])
def test_real_page_lines_are_left_alone(text):
    assert repair_legacy_mojibake(text) == text
