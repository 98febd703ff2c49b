"""unicode step: repair mojibake and entities with ftfy, then the width and invisible-character rules.

ftfy's defaults are wrong for Chinese: ``fix_character_width`` folds ``，：（）！`` to ASCII and
``uncurl_quotes`` turns ``“”`` into ``"``. ``FTFY_CONFIG`` turns both off. It keeps
``fix_latin_ligatures`` on, since that table holds only Latin ligatures (``ﬁ`` -> ``fi``) and never
touches Han or CJK punctuation (tested). HTML entities are always decoded: our input is extracted
text, so an ``&amp;`` or a page of ``&#20013;&#25991;`` is an artifact, not markup.

ftfy runs at a few MB/s on Chinese, so a fast path skips it where it cannot change anything. ftfy
fixes text line by line, and on one line each of its fixes is a no-op unless the line holds one of
a known set of characters (``_TRIGGER``), so ftfy runs only on lines that hold one. The property
test in tests/test_unicode.py checks that this equals ftfy on the whole text.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from typing import Literal

import numpy as np

import ftfy
from ftfy import badness, chardata

from transforms.document import Document, Drop, Rule, StepConfig, StepStats
from transforms import mojibake
from transforms.mojibake import repair_legacy_mojibake
from transforms.text import HAN, SPACES, all_chars, codepoints, fix_lines

FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=True,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_latin_ligatures=True,
    normalization="NFC",
    explain=False,
)



def _badness_chars() -> str:
    """The characters that ftfy's mojibake heuristic can hinge on, as a regex class body.

    Every alternative of ``BADNESS_RE`` needs at least one non-ASCII character that is not in the
    quote-like classes (``“”‘’«»…—·`` and the like); those are skipped because Chinese text is full
    of them and they never make a match alone. ``°`` is skipped for the same reason.
    """
    pattern = badness.BADNESS_RE.pattern
    chars = {c for c in pattern if ord(c) > 0x7F}
    for a, b in re.findall(r"([^\x00-\x7f])-([^\x00-\x7f])", pattern):
        chars.update(chr(i) for i in range(ord(a), ord(b) + 1))
    cats = badness.MOJIBAKE_CATEGORIES
    benign = set(cats["common"] + cats["start_punctuation"] + cats["end_punctuation"] + "°")
    return "".join(re.escape(c) for c in sorted(chars - benign))


def _trigger_class() -> str:
    """The characters an ftfy trigger starts with, as a regex class."""
    singles = (
        _badness_chars()
        + "\x80-\x9f"  # fix_c1_controls
        + "".join(re.escape(chr(c)) for c in chardata.LIGATURES)
        + "\r\x85\u2028\u2029"  # fix_line_breaks
        + "\ud800-\udfff"  # fix_surrogates
        + "".join(re.escape(chr(c)) for c in chardata.CONTROL_CHARS)  # controls, ESC, BOM
    )
    # One class holding '&' too, so the regex engine can scan for it fast; an '&' must start an entity.
    return f"[{singles}&]"


def _trigger_regex() -> re.Pattern[str]:
    """Anything on a line that could make one of ftfy's fixes act."""
    entity = chardata.HTML_ENTITY_RE.pattern.removeprefix("&")
    assert chardata.HTML_ENTITY_RE.pattern.startswith("&")
    return re.compile(f"{_trigger_class()}(?:(?<=&){entity}|(?<!&))")


_TRIGGER = _trigger_regex()
_ZERO_WIDTH = re.compile(f"[\u200b\u2060\u180e]|(?<=[{HAN}])[\u200c\u200d]|[\u200c\u200d](?=[{HAN}])")
_ZERO_WIDTH_ANY = re.compile("[\u200b-\u200d\u2060\u180e]")
_FULLWIDTH_ALNUM = {  # ０-９, Ａ-Ｚ, ａ-ｚ to their ASCII twins
    c: c - 0xFEE0 for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(lo, hi + 1)
}
_FULLWIDTH_ALNUM_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
MAX_ROUNDS = 4
# Spaces that may sit around an indent: the ones the whitespace step trims.
_INDENT = re.compile(f"\n[{SPACES}]*\u3000[{SPACES}\u3000]*")  # "\n" first: a literal start scans fast
_INDENT_AT_START = re.compile(f"[{SPACES}]*\u3000[{SPACES}\u3000]*")
_WIDTH_OR_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\u180e\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


class Config(StepConfig):
    width: bool = True  # ＡＢＣ１２３ -> ABC123 (letters and digits only; half-width katakana untouched)
    indent_space: Literal["remove", "keep"] = "remove"  # U+3000 as a paragraph indent
    fast_path: bool = True  # off only to measure or to check the fast path
    legacy_mojibake: bool = True  # GBK/Big5 read as cp1252/cp1250/latin-1, which ftfy declines


def fix_with_ftfy(text: str, fast: bool = True) -> str:
    """ftfy with ``FTFY_CONFIG``, run only on the lines that need it (the rest are left as they are, or NFC'd).

    >>> fix_with_ftfy("ä¸­æ–‡ç½‘é¡µ\\n干净的一行")
    '中文网页\\n干净的一行'
    >>> fix_with_ftfy("&#20013;&#25991;")
    '中文'
    """
    if not fast:
        return "\n".join(_edges_settled(line) for line in ftfy.fix_text(text, FTFY_CONFIG).split("\n"))
    if not unicodedata.is_normalized("NFC", text):
        # ftfy works segment by segment, each a line with its "\n"; so can we.
        lines = text.split("\n")
        return "".join(_fix_segment_to_nfc(line + "\n") for line in lines[:-1]) + _fix_segment_to_nfc(lines[-1])
    return fix_lines(text, (m.start() for m in _TRIGGER.finditer(text)), _ftfy)


def _ftfy(segment: str) -> str:
    # each line's edges, as the slow path settles them: ftfy may turn a "\r" into a line break of its own
    return "\n".join(_edges_settled(line) for line in ftfy.fix_text(segment, FTFY_CONFIG).split("\n"))


_EDGE = SPACES + "\u3000"  # what the whitespace step and the indent rule strip from a line's ends


def _edges_settled(fixed: str) -> str:
    """ftfy once more on a fixed line without the spaces at its ends, which later steps strip: beside a space
    ftfy may leave mojibake it fixes once the space is gone (``\\xa0Ã©``), and a rerun must not change the text.

    >>> _edges_settled("\\xa0Ã©tude")
    '\\xa0étude'
    """
    body = fixed.rstrip("\n")
    core = body.strip(_EDGE)
    if not core or len(core) == len(body):
        return fixed
    again = ftfy.fix_text(core, FTFY_CONFIG)
    if again == core:
        return fixed
    lead = len(body) - len(body.lstrip(_EDGE))
    return body[:lead] + again + body[lead + len(core):] + fixed[len(body):]


def _fix_segment_to_nfc(segment: str) -> str:
    # ftfy's last step is NFC; when neither the segment nor its NFC form holds a trigger, that is all it does.
    # Pages with compatibility ideographs (U+F900 block) are the common case, and ftfy on a whole page is slow.
    nfc = unicodedata.normalize("NFC", segment)
    if _TRIGGER.search(nfc) or _TRIGGER.search(segment) or len(segment) > FTFY_CONFIG.max_decode_length:
        return _ftfy(segment)
    return nfc


def repair_mojibake_lines(text: str, repairs: list[str]) -> str:
    """``repair_legacy_mojibake`` on the lines that hold a run of suspect characters only: it reads a page
    line by line and a run never spans a line break, so the other lines could not change.

    >>> repair_mojibake_lines("新闻首页\\nĐÂÎĹÖĐĐÄ", [])
    '新闻首页\\n新闻中心'
    """
    runs = mojibake._run_regex().finditer(text)
    return fix_lines(text, (m.start() for m in runs), lambda line: repair_legacy_mojibake(line, repairs))


def remove_zero_width(text: str) -> str:
    """Delete zero-width spaces, and joiners next to Han; never leave a space behind.

    >>> remove_zero_width("中\\u200b文")
    '中文'
    >>> remove_zero_width("👨\\u200d👩\\u200d👧") == "👨\\u200d👩\\u200d👧"  # a joiner inside an emoji stays
    True
    """
    return _ZERO_WIDTH.sub("", text)


def fold_width(text: str) -> str:
    """Full-width ASCII letters and digits to half-width; punctuation and katakana stay.

    >>> fold_width("ＧＤＰ增长５％，ｶﾀｶﾅ")
    'GDP增长5％，ｶﾀｶﾅ'
    """
    return text.translate(_FULLWIDTH_ALNUM)


def remove_indent_space(text: str) -> str:
    """Drop an ideographic-space paragraph indent; U+3000 inside a line stays.

    >>> remove_indent_space("\\u3000\\u3000今天天气很好。")
    '今天天气很好。'
    >>> remove_indent_space("姓名\\u3000张三")
    '姓名\\u3000张三'
    """
    text = _INDENT.sub("\n", text)
    m = _INDENT_AT_START.match(text)
    return text[m.end() :] if m else text


RULES = (
    Rule("ftfy", "修复乱码（mojibake）与 HTML 实体，不动中文标点的全角形式。", ("ä¸­æ–‡ç½‘é¡µ", "&#20013;&#25991;"),
         ("中文网页",), kind="line"),
    Rule("zero_width", "删除零宽空格，及汉字旁的零宽连接符。", ("中\u200b文",), ("中文",), kind="line"),
    Rule("width", "全角字母数字转半角，标点和片假名不动。", ("ＧＤＰ增长５％",), ("GDP增长5％",), kind="line"),
    Rule("indent_space", "删除段首的全角空格缩进。", ("\u3000\u3000今天天气很好。",), ("姓名\u3000张三",), kind="line"),
    Rule("legacy_mojibake", "GBK/Big5 字节被当成 cp1252/cp1250/latin-1 解码的乱码，按常用字评分还原；法、捷、波、越文不动。",
         ("ĐÂÎĹÖĐĐÄ", "¹q¸£³nÅé"), ("Zażółć gęślą jaźń", "Příliš žluťoučký kůň", "Tiếng Việt"), kind="line"),
)


def apply(doc: Document, cfg: Config, stats: StepStats) -> Drop | None:
    """Fix the text; e.g. ``"ï»¿ä¸­æ–‡ï¼Œï¼¡ï¼¢"`` -> ``"中文，AB"``. Sets ``columns["n_fffd"]``.

    >>> doc = Document(id="a", source="a", text="ï»¿ä¸­æ–‡ï¼Œï¼¡ï¼¢")
    >>> apply(doc, Config(), StepStats())
    >>> doc.text, doc.columns["n_fffd"]
    ('中文，AB', 0)
    """
    text = doc.text
    # Removing a character can join two halves of mojibake, so repeat until nothing changes.
    for _ in range(MAX_ROUNDS):
        fixed = _one_round(text, cfg, stats, doc)
        if fixed == text:
            break
        text = fixed
    doc.text = text
    doc.columns["n_fffd"] = text.count("\ufffd")
    return None


_MOJIBAKE, _FTFY, _RARE = 1, 2, 4


@functools.cache
def _kinds() -> np.ndarray:
    """Per code point, which scans could find something at it: a mojibake run, an ftfy fix, width or zero-width.
    Every match of those regexes starts with such a character; built once per process from the regexes' own
    classes (~0.2 s)."""
    everything = all_chars()
    table = np.zeros(sys.maxunicode + 1, np.uint8)
    high = re.compile(f"[{re.escape(mojibake._high_chars())}]")
    for bit, rx in ((_MOJIBAKE, high), (_FTFY, re.compile(_trigger_class())), (_RARE, _WIDTH_OR_ZERO_WIDTH)):
        for m in rx.finditer(everything):
            table[m.start()] |= bit
    return table


def _present(text: str) -> int:
    """The ``_kinds`` bits of the characters in ``text``: one table lookup instead of three regex scans."""
    return int(np.bitwise_or.reduce(_kinds().take(codepoints(text))))


def _one_round(text: str, cfg: Config, stats: StepStats, doc: Document) -> str:
    present = _present(text)
    if cfg.legacy_mojibake and present & _MOJIBAKE:  # no high Latin-1 character: no mojibake run
        # Before ftfy, which would otherwise "fix" parts of such runs (Â before a letter) and break them.
        repairs: list[str] = []
        before, text = text, repair_mojibake_lines(text, repairs)
        for run in repairs:
            doc.removed.append({"step": "unicode", "rule": "legacy_mojibake", "text": run})
            stats.count("legacy_mojibake", len(run), 1)
        if text != before:
            present = _present(text)
    if cfg.fast_path and not present & _FTFY and unicodedata.is_normalized("NFC", text):
        fixed = text  # what fix_with_ftfy gives: no line holds a trigger
    else:
        fixed = fix_with_ftfy(text, cfg.fast_path)
    _tally(stats, "ftfy", text, fixed)
    rare = bool(present & _RARE) if fixed == text else _WIDTH_OR_ZERO_WIDTH.search(fixed) is not None
    for rule, fn, on in (
        ("zero_width", remove_zero_width, rare and _ZERO_WIDTH_ANY.search(fixed) is not None),
        ("width", fold_width, rare and cfg.width and _FULLWIDTH_ALNUM_RE.search(fixed) is not None),
        ("indent_space", remove_indent_space, cfg.indent_space == "remove" and "\u3000" in fixed),
    ):
        if on:
            before, fixed = fixed, fn(fixed)
            _tally(stats, rule, before, fixed)
    return fixed


def _tally(stats: StepStats, rule: str, before: str, after: str) -> None:
    """Count a rule once per document it changed; chars is the size of the change."""
    if before != after:
        stats.count(rule, max(abs(len(before) - len(after)), 1), 1)
