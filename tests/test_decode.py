"""Decoding Chinese bytes, declared charsets that lie, and the plausibility check."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.io.decode import (
    PLAUSIBLE,
    DecodeError,
    common_share,
    decode,
    header_charset,
    html_charset,
    normalize_charset,
)

SIMPLIFIED = "台风“海燕”今晨在广东湛江沿海登陆，当地学校停课一天，市民注意防范。"
TRADITIONAL = "颱風今晨在臺灣東部沿海登陸，氣象局發布陸上警報，請民眾注意安全。"
FRENCH = "Le café de la gare a fermé ses portes après trente années de service."


@pytest.mark.parametrize(
    "text, codec, declared, expected",
    [
        (SIMPLIFIED, "utf-8", None, "utf-8"),
        (SIMPLIFIED, "utf-8", "gb2312", "utf-8"),  # declares gb2312, is UTF-8
        (SIMPLIFIED, "gbk", "gb2312", "gb18030"),  # declares gb2312, is GBK
        (SIMPLIFIED, "gbk", None, "gb18030"),
        (SIMPLIFIED, "gbk", "utf-8", "gb18030"),
        (SIMPLIFIED, "gbk", "big5", "gb18030"),
        (SIMPLIFIED, "gbk", "iso-8859-1", "gb18030"),  # an old CMS default on a GBK page
        (TRADITIONAL, "big5", None, "big5hkscs"),  # GB18030 decodes it too, as garbage
        (TRADITIONAL, "big5", "gb2312", "big5hkscs"),
        (TRADITIONAL, "big5", "utf-8", "big5hkscs"),
        (TRADITIONAL, "big5", "big5", "big5hkscs"),
        (TRADITIONAL, "utf-8", "big5", "utf-8"),
        (FRENCH, "latin-1", "iso-8859-1", "cp1252"),
        ("東京都の天気は晴れです。明日は雨が降るでしょう。", "shift_jis", "shift_jis", "shift_jis"),
    ],
)
def test_decode_picks_the_right_encoding(text, codec, declared, expected):
    assert decode(text.encode(codec), declared) == (text, expected)


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
    ],
)
def test_bom_wins_and_is_removed(data, encoding):
    assert decode(data, declared="gb2312") == (SIMPLIFIED, encoding)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,  # every byte value: no encoding fits strictly
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"\x00" * 64,  # valid UTF-8, but NULs are not text
        "新闻".encode() + b"\x01\x02\x03\x04\x05" * 20,
    ],
)
def test_binary_is_a_decode_error(data):
    with pytest.raises(DecodeError):
        decode(data)


def test_a_junk_run_of_controls_is_still_text():
    text = "又收到一份免费的报纸" + "\x10" * 20 + "。内容如下：今天天气晴朗，适合出行，市民可以去公园散步。" * 3
    assert decode(text.encode("utf-8")) == (text, "utf-8")


def test_empty_bytes_are_empty_text():
    assert decode(b"") == ("", "utf-8")


@pytest.mark.parametrize(
    "label, expected",
    [
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("x-gbk", "gb18030"),
        ("Big5", "big5hkscs"),
        ("big5-hkscs", "big5hkscs"),
        ("UTF8", "utf-8"),
        ("utf-16", None),  # a page that says so in ASCII is not UTF-16
        ("ISO-8859-1", "cp1252"),
        ("shift_jis", "shift_jis"),
        ("中文", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_charset(label, expected):
    assert normalize_charset(label) == expected


@pytest.mark.parametrize(
    "head, expected",
    [
        (b'<html><head><meta charset="GBK"><title>', "gbk"),
        (b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" />", "gb2312"),
        (b"<META HTTP-EQUIV=Content-Type CONTENT='text/html; charset=big5'>", "big5"),
        (b'<?xml version="1.0" encoding="UTF-8"?><html>', "utf-8"),
        (b"<html><head><title>\xd0\xc2\xce\xc5</title></head>", None),
        (b"<html>" + b" " * 5000 + b'<meta charset="gbk">', None),  # only the first 4 KB count
    ],
)
def test_html_charset(head, expected):
    assert html_charset(head) == expected


@pytest.mark.parametrize(
    "content_type, expected",
    [
        ("text/html; charset=GB2312", "gb2312"),
        ('text/html; charset="utf-8"', "utf-8"),
        ("text/html", None),
        (None, None),
    ],
)
def test_header_charset(content_type, expected):
    assert header_charset(content_type) == expected


@pytest.mark.parametrize(
    "text, plausible",
    [
        (SIMPLIFIED, True),
        (TRADITIONAL, True),
        ("abc 123", True),  # nothing non-ASCII: nothing against it
        (TRADITIONAL.encode("big5").decode("gb18030"), False),
        (SIMPLIFIED.encode("gbk").decode("latin-1"), False),
    ],
)
def test_common_share(text, plausible):
    assert (common_share(text) >= PLAUSIBLE) is plausible


COMMON_SIMPLIFIED = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研"
COMMON_TRADITIONAL = "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角期根論運農指幾九區強放決西被幹做必戰先回則任取據處府研"
PUNCT = "，。、：；“”！？《》 \n"


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.sampled_from(COMMON_SIMPLIFIED + PUNCT), min_size=30, max_size=300),
    st.sampled_from(["utf-8", "gbk", "gb18030"]),
    st.sampled_from([None, "gb2312", "utf-8", "big5"]),
)
def test_simplified_round_trips_whatever_is_declared(text, codec, declared):
    assert decode(text.encode(codec), declared)[0] == text


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.sampled_from(COMMON_TRADITIONAL + PUNCT), min_size=30, max_size=300),
    st.sampled_from(["utf-8", "big5"]),
    st.sampled_from([None, "gb2312", "utf-8", "big5"]),
)
def test_traditional_round_trips_whatever_is_declared(text, codec, declared):
    assert decode(text.encode(codec), declared)[0] == text


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([None, "gb2312", "big5", "utf-8", "bogus"]))
def test_decode_returns_text_or_raises_decode_error(data, declared):
    try:
        text, encoding = decode(data, declared)
    except DecodeError:
        return
    assert isinstance(text, str) and encoding
