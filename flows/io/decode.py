"""Bytes to text for Chinese pages, which often declare the wrong charset.

Order: BOM, strict UTF-8, the declared charset, GB18030, Big5, a mixed decoding, then charset-normalizer.
Strict GB18030 decodes almost any byte string, Big5 pages included, so a Chinese
candidate is only taken when its text looks like Chinese: most of its non-ASCII
characters must be common characters (see ``common_share``).

Bytes that fit no single charset (a UTF-8 template around a GBK article, a truncated
multi-byte character) are decoded segment by segment: UTF-8, with each invalid run read as
GB18030 or Big5 where that gives a common character, and U+FFFD where nothing does. The
unicode step counts the U+FFFD in ``n_fffd``; the quality step decides.
"""

from __future__ import annotations

import codecs
import re
from functools import cache

import charset_normalizer

# Share of common characters above which a Chinese decoding is believed. Right
# decodings of the dev corpus score 0.96 to 1.0; Big5 read as GB18030 scores about 0.4.
PLAUSIBLE = 0.9

# Above this share (and count) of control characters the bytes are not text. Real pages
# can hold junk runs: one hkcnews article has 16% of its characters U+0010.
MAX_CONTROL_SHARE = 0.3
# A mixed decoding is taken when at most this share of its characters are U+FFFD.
MAX_FFFD_SHARE = 0.01
MIN_CONTROLS = 4

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Labels that mean "some GB" or "some Big5": decode with the superset.
GB_LABELS = {"gb2312", "gbk", "x-gbk", "cp936", "ms936", "gb_2312-80", "euc-cn", "csgb2312", "gb18030"}
BIG5_LABELS = {"big5", "big5-hkscs", "big5hkscs", "x-x-big5", "cn-big5", "csbig5", "cp950", "x-big5"}
# Labels old CMSs print on Chinese pages by default; tried after GB18030 and Big5.
LATIN_LABELS = {"iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii"}

META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
NON_ASCII = re.compile(rb"((?:[\x80-\xff][\x40-\x7e]?)+)")  # a GBK or Big5 trail byte may be ASCII
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")  # not tab, newlines, form feed, escape
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class DecodeError(ValueError):
    """Bytes that no candidate encoding turns into plausible text."""


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``, returning ``(text, encoding used)``; raise ``DecodeError`` if none fits.

    >>> decode("新闻".encode("gbk"), declared="gb2312")
    ('新闻', 'gb18030')
    >>> decode("新聞報導".encode("big5"))     # GB18030 also decodes it, as '穝籇厨旧'
    ('新聞報導', 'big5hkscs')
    """
    text, encoding = _decode(data, declared)
    if _looks_binary(text):
        raise DecodeError(f"looks binary (decoded as {encoding})")
    return text.replace("\x00", ""), encoding  # a stray NUL is a control character like the others


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break  # a lying BOM: let the others try
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    label = normalize_charset(declared)
    if label and label not in ("utf-8", "gb18030", "big5hkscs", "cp1252"):
        text = _strict(data, label)  # a non-Chinese declaration (shift_jis, euc-kr…) is trusted
        if text is not None:
            return text, label
    best: tuple[float, str, str] | None = None
    for encoding in _chinese_candidates(label):
        text = _strict(data, encoding)
        if text is None:
            continue
        share = common_share(text)
        if share >= PLAUSIBLE:
            return text, encoding
        if best is None or share > best[0]:
            best = (share, text, encoding)
    mixed = decode_mixed(data, "big5hkscs" if label == "big5hkscs" else "gb18030")
    if mixed.count("\ufffd") <= MAX_FFFD_SHARE * len(mixed) and common_share(mixed) >= PLAUSIBLE:
        return mixed, "mixed"
    if label == "cp1252":
        for encoding in ("cp1252", "latin-1"):
            text = _strict(data, encoding)
            if text is not None:
                return text, encoding
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None:
        return str(guess), guess.encoding
    if best is not None:
        return best[1], best[2]
    if common_share(mixed) >= PLAUSIBLE:
        return mixed, "mixed"
    raise DecodeError(f"no encoding fits {len(data)} bytes (declared {declared!r})")


def decode_mixed(data: bytes, fallback: str = "gb18030") -> str:
    """Each run of non-ASCII bytes decoded alone: UTF-8 or ``fallback``, whichever reads as common characters;
    a run that neither decodes is read UTF-8 first, with ``fallback`` per invalid stretch, and U+FFFD for the rest.

    >>> decode_mixed("<p>新闻：".encode() + "台风登陆。".encode("gbk") + bytes([0xff]) + b"</p>")
    '<p>新闻：台风登陆。\ufffd</p>'
    """
    parts = NON_ASCII.split(data)
    out = [p.decode("ascii") if k % 2 == 0 else _decode_run(p, fallback) for k, p in enumerate(parts)]
    return "".join(out)


def _decode_run(run: bytes, fallback: str) -> str:
    best: tuple[float, str] | None = None
    for encoding in ("utf-8", fallback):
        text = _strict(run, encoding)
        if text is not None:
            share = common_share(text)
            if best is None or share > best[0]:
                best = (share, text)
    if best is not None and best[0] >= PLAUSIBLE:
        return best[1]
    return _decode_chars(run, fallback)


def _decode_chars(run: bytes, fallback: str) -> str:
    """Character by character: a 3-byte UTF-8 sequence (where CJK lives), else a common two-byte
    ``fallback`` character, else any UTF-8 sequence, else U+FFFD."""
    table = _common_chars()
    out: list[str] = []
    pos, n = 0, len(run)
    while pos < n:
        lead = run[pos]
        size = 3 if 0xE0 <= lead <= 0xEF else 2 if 0xC2 <= lead <= 0xDF else 4 if 0xF0 <= lead <= 0xF4 else 0
        utf = _strict(run[pos : pos + size], "utf-8") if size else None
        if utf is not None and size == 3:
            out.append(utf)
            pos += 3
            continue
        two = _strict(run[pos : pos + 2], fallback) if pos + 1 < n else None
        if two is not None and len(two) == 1 and two in table:
            out.append(two)
            pos += 2
        elif utf is not None:
            out.append(utf)
            pos += size
        else:
            out.append("\ufffd")
            pos += 1
    return "".join(out)


def _chinese_candidates(label: str | None) -> list[str]:
    # A declared GB or Big5 goes first; the other still gets its chance.
    if label == "big5hkscs":
        return ["big5hkscs", "gb18030"]
    return ["gb18030", "big5hkscs"]


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def normalize_charset(label: str | None) -> str | None:
    """Map a declared charset label to the codec we decode it with; None if unknown.

    >>> normalize_charset("GB2312"), normalize_charset("big5"), normalize_charset("乱码")
    ('gb18030', 'big5hkscs', None)
    """
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in GB_LABELS:
        return "gb18030"
    if label in BIG5_LABELS:
        return "big5hkscs"
    if label in LATIN_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # a page declaring these in ASCII is not in them; a BOM says it if so
    return "utf-8" if name.startswith("utf-8") else name


def common_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common CJK characters or punctuation.

    >>> common_share("今天天气很好。")                   # right: all common
    1.0
    >>> common_share("今天臺灣天氣很好".encode("big5").decode("gb18030"))  # 'さぱ籓芖ぱ…'
    0.0
    """
    count = common = 0
    table = _common_chars()
    for ch in text:
        if ch > "\x7f" and not ch.isspace():
            count += 1
            common += ch in table
    return common / count if count else 1.0


@cache
def _common_chars() -> frozenset[str]:
    """GB2312 level 1 (3,755 common simplified), Big5 level 1 (5,401 common traditional) and
    the punctuation rows of both: the characters right decodings are made of. Kana, Greek
    and box drawing are left out: Big5 read as GB18030 is full of them."""
    rows = [
        ("gb2312", range(0xA1, 0xA4), range(0xA1, 0xFF)),  # punctuation, numerals, full-width ASCII
        ("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),  # level 1 hanzi
        ("big5", range(0xA1, 0xA3), _big5_trail()),  # punctuation and symbols
        ("big5", range(0xA4, 0xC6), _big5_trail()),  # common hanzi A440-C67E…
        ("big5", range(0xC6, 0xC7), range(0x40, 0x7F)),  # …which stop before the kana at C6A1
    ]
    chars = set()
    for encoding, leads, trails in rows:
        for lead in leads:
            for trail in trails:
                try:
                    chars.add(bytes((lead, trail)).decode(encoding))
                except UnicodeDecodeError:
                    pass
    chars.discard("\ufffd")
    return frozenset(chars)


def _big5_trail() -> list[int]:
    return [*range(0x40, 0x7F), *range(0xA1, 0xFF)]


def _looks_binary(text: str) -> bool:
    head = text[:65536]
    return len(CONTROLS.findall(head)) > max(MIN_CONTROLS, MAX_CONTROL_SHARE * len(head))


def html_charset(head: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag or XML prolog within its first bytes.

    >>> html_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    'gb2312'
    """
    head = head[:4096]
    found = META_CHARSET.search(head) or XML_ENCODING.search(head)
    return found.group(1).decode("ascii").lower() if found else None


def header_charset(content_type: str | None) -> str | None:
    """The charset of an HTTP Content-Type header.

    >>> header_charset("text/html; charset=GBK")
    'gbk'
    """
    found = HEADER_CHARSET.search(content_type or "")
    return found.group(1).lower() if found else None
