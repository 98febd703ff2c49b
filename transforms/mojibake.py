"""Chinese mojibake that ftfy declines: GBK/GB18030 or Big5 bytes decoded as cp1252, cp1250 or latin-1.

``新闻中心`` in GBK read as cp1250 is ``ĐÂÎĹÖĐĐÄ``; ``電腦軟體`` in Big5 read as cp1252 is ``¹q¸£³nÅé``.
Both encodings are double-byte: a lead byte 0x81-0xFE, then a trail byte that may be ASCII (0x40-0x7E).
So a candidate is a run of such pairs, with ASCII digits, spaces or punctuation between them. Each
line's candidates are re-encoded with every Latin codec and decoded with every Chinese one; the
combination with the best score wins, and it replaces the runs only when it is clearly plausible:

- every decoded character is a common Han character (GB2312 level 1 or Big5 common) or CJK
  punctuation, and the line yields at least ``MIN_HAN`` of them;
- the original is implausible as Latin text: it holds a non-letter (``¹ ¸ £ ¡``) or a long run of
  accented letters, and a short run never sits inside a Latin word (``Zażółć`` stays as it is);
- the bytes are not valid UTF-8 (that is ftfy's case) and no other decoding scores as well.
Real French, Czech, Polish and Vietnamese text never meets these (tested).
"""

from __future__ import annotations

import functools
import re

import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-125x
from charset_normalizer.constant import FREQUENCIES

from transforms.script import convert

LATIN_CODECS = ("sloppy-windows-1252", "sloppy-windows-1250", "latin-1")
CHINESE_CODECS = ("gb18030", "cp950")
MIN_HAN = 3  # a line needs this many repaired characters; shorter runs are too ambiguous
RARE_SHARE = 0.05  # of a long line's characters may be uncommon (names)
LONG_RUN = 5  # this many accented letters in a row never occur in a Latin-script word
# Punctuation and symbols that correct text is full of: they alone never make a run suspect.
BENIGN = frozenset("—–…“”‘’·•«»°×÷©®™€£¥§¶\xad")


@functools.cache
def _high_chars() -> str:
    """Every character the Latin codecs give for a byte 0x80-0xFF."""
    chars = {bytes([b]).decode(c, "ignore") for c in LATIN_CODECS for b in range(0x80, 0x100)}
    # No common character has an 0xA0 byte, and a no-break space is common in real text.
    return "".join(sorted(c for c in chars if c and c != "\xa0"))


@functools.cache
def _run_regex() -> re.Pattern[str]:
    high = re.escape(_high_chars())
    pair = f"[{high}][{high}\x40-\x7e]"
    return re.compile(f"{pair}(?:[\x20-\x3f]*{pair})*")


def _decode_range(codec: str, leads: range, trails: range) -> set[str]:
    out = set()
    for lead in leads:
        for trail in trails:
            try:
                out.add(bytes([lead, trail]).decode(codec))
            except UnicodeDecodeError:
                pass
    return out


@functools.cache
def _common_chars() -> frozenset[str]:
    """GB2312 level-1 Han, Big5 common Han and the CJK punctuation rows of both."""
    gb = _decode_range("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
    gb |= _decode_range("gb2312", range(0xA1, 0xA2), range(0xA1, 0xFF))  # 、。“”《》…
    gb |= _decode_range("gb2312", range(0xA3, 0xA4), range(0xA1, 0xFF))  # full-width ，：（）
    trails = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
    big5 = _decode_range("cp950", range(0xA4, 0xC6), trails) | _decode_range("cp950", range(0xC6, 0xC7), range(0x40, 0x7F))
    big5 |= _decode_range("cp950", range(0xA1, 0xA4), trails)  # punctuation and symbols
    return frozenset(c for c in gb | big5 if ord(c) > 0x7F)


@functools.cache
def _top_chars() -> frozenset[str]:
    """The hundred most frequent Chinese characters, in both scripts."""
    simp = "".join(FREQUENCIES["Chinese"])
    return frozenset(simp + convert(simp, "s2t"))


def _score(decoded: list[str]) -> tuple[int, int] | None:
    """(common characters, frequent characters) of a decoding; None when too many are not common.

    Real text holds the odd rare character (a name), so a long line may have ``RARE_SHARE`` of them.
    """
    common, top = _common_chars(), _top_chars()
    chars = [c for s in decoded for c in s if ord(c) > 0x7F]
    n_common = sum(c in common for c in chars)
    allowed = int(len(chars) * RARE_SHARE) if len(chars) >= 20 else 0
    if not chars or len(chars) - n_common > allowed:
        return None
    return n_common, sum(c in top for c in chars)


def _implausible_as_latin(run: str) -> bool:
    if any(not c.isalpha() and c not in BENIGN for c in run if ord(c) > 0x7F):
        return True  # ¹ ¸ £ ¡ ± « and the like between letters
    return max(map(len, re.findall(r"[^\x00-\x7f]+", run)), default=0) >= LONG_RUN


def _lone_pair_in_word(line: str, m: re.Match[str]) -> bool:
    """A single pair touching a letter (``«oui»``, ``très``) is Latin text, not a Chinese character."""
    if len(m.group()) > 2:
        return False
    before = line[m.start() - 1] if m.start() else " "
    after = line[m.end()] if m.end() < len(line) else " "
    return before.isalpha() or after.isalpha()


def _benign(run: str) -> bool:
    return all(c in BENIGN or ord(c) < 0x80 for c in run)


def _candidates(line: str) -> list[re.Match[str]]:
    runs = [m for m in _run_regex().finditer(line) if not _lone_pair_in_word(line, m) and not _benign(m.group())]
    # One run that no Latin language writes makes the line a suspect; then all its runs are read together.
    return runs if any(_implausible_as_latin(m.group()) for m in runs) else []


def _decode(runs: list[str], latin: str, chinese: str) -> list[str] | None:
    try:
        raw = [r.encode(latin) for r in runs]
        if any(_is_utf8(b) for b in raw):
            return None
        return [b.decode(chinese) for b in raw]
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _repair_line(line: str, repairs: list[str]) -> str:
    found = _candidates(line)
    if not found:
        return line
    runs = [m.group() for m in found]
    scored = []
    for latin in LATIN_CODECS:
        for chinese in CHINESE_CODECS:
            decoded = _decode(runs, latin, chinese)
            score = _score(decoded) if decoded else None
            if score and score[0] >= MIN_HAN:
                scored.append((score, decoded))
    if not scored:
        return line
    scored.sort(key=lambda s: s[0], reverse=True)
    best_score, best = scored[0]
    if any(s == best_score and d != best for s, d in scored[1:]):
        return line  # two readings equally plausible: keep what we have
    out, done = [], 0
    for m, fixed in zip(found, best):
        out += [line[done : m.start()], fixed]
        repairs.append(m.group())
        done = m.end()
    return "".join(out) + line[done:]


def repair_legacy_mojibake(text: str, repairs: list[str] | None = None) -> str:
    """Re-decode runs of GBK or Big5 bytes that were read as cp1252, cp1250 or latin-1; each repaired run goes to ``repairs``.

    >>> repair_legacy_mojibake("ĐÂÎĹÖĐĐÄ")
    '新闻中心'
    >>> repair_legacy_mojibake("¹q¸£³nÅé¤½¥q")
    '電腦軟體公司'
    >>> repair_legacy_mojibake("Zażółć gęślą jaźń, café déjà vu")
    'Zażółć gęślą jaźń, café déjà vu'
    """
    repairs = [] if repairs is None else repairs
    if not _run_regex().search(text):
        return text
    return "\n".join(_repair_line(line, repairs) for line in text.split("\n"))
