"""quality step: cheap zh quality signals on every page, and thresholds that reject the worst.

The signals become Parquet columns on every kept page, so users can filter further without a rerun. Defaults
come from published Chinese pipelines where one exists: FineWeb-2's Mandarin settings
(huggingface/fineweb-2 ``configs/cmn_Hani.yml`` at 05e6729, fed to datatrove's Gopher-repetition and FineWeb
quality filters) and ChineseWebText's rules (CASIA-LM/ChineseWebText ``preprocess.py``). Every threshold can be
switched off with ``None``.
"""

from __future__ import annotations

import itertools
import re
import sys
import unicodedata
from functools import cache
from typing import Any

import numpy as np

from transforms.lines import HAN as _CODE_HAN
from transforms.lines import code_line  # one test of a code line for both steps
from transforms.text import HAN_RANGES, codepoints
from transforms.document import Document, Drop, Rule, StepConfig, StepStats


class Config(StepConfig):
    # Gopher's 50 words (datatrove's GopherQualityFilter min_doc_words, which FineWeb-2 keeps for cmn_Hani): a
    # Chinese word is about 1.7 characters, with punctuation about 100 characters. ChineseWebText's 200
    # (min_len=200) dropped real news briefs of two or three sentences.
    min_chars: int | None = 100
    # Own judgement: a few U+FFFD mean lost bytes; more mean a failed decode (mojibake).
    max_fffd: int | None = 5
    # ChineseWebText: under 30% Chinese (min_zh_percent=0.3). Ours is over words (``han_ratio``): a Latin word
    # counts once, as a Han character does, so code, names and a bilingual half do not sink a Chinese page. A
    # page below it is in another language (an English article in a Chinese corpus goes here).
    min_han_ratio: float | None = 0.3
    # Own judgement, measured on the dev corpus (news and WeChat articles sit at 0.10-0.20): above 0.35 a page is
    # mostly separators, symbols or emoji.
    max_punct_ratio: float | None = 0.35
    # Own judgement: off by default; prose has some punctuation, but so few pages lack it that it is not worth a rule.
    min_punct_ratio: float | None = None
    # No published zh value; a one-line page can be fine. Off by default.
    min_lines: int | None = None
    # ChineseWebText: mean line length under 10 (min_line_len=10). FineWeb-2 cmn new_line_ratio 0.178 newlines
    # per word, about one line per 9 characters, agrees. Lists of links and menus fail it. A line that ends in a
    # comma goes on in the next (verse, a sentence broken for the screen): they count as one.
    min_mean_line_chars: float | None = 10
    # FineWeb-2 cmn_Hani dup_line_frac 0.287 (Gopher repetition: share of lines that repeat an earlier line). A
    # repeated line of code or a command is no repeat: a tutorial shows its script twice, changed.
    max_dup_line_frac: float | None = 0.287
    # FineWeb-2 cmn_Hani top 2-gram 0.256 is over word 2-grams; over character 2-grams the dev corpus's 99th
    # percentile is 0.05-0.13, so the published value still means what it did: a page repeating one phrase.
    max_top_ngram_frac: float | None = 0.256
    # FineWeb-2 cmn_Hani line_punct_thr 0.106: a page where at most 10.6% of lines end a sentence is dropped.
    # Ours weighs lines by their characters and counts a sentence end anywhere in the line (lines ending in a
    # comma joined, code and commands aside), so headings, captions and list items (short), a credit or note
    # number after the full stop, verse and a script do not sink an article: the page goes when more than 89.4%
    # of its text characters hold no sentence.
    max_no_terminal_frac: float | None = 0.894
    # A list page (headlines, teasers, numbered titles, menus) has no body of its own. The boilerplate step scores
    # it (``list_page``, 0-1, ``lines.list_page_score``) before it removes anything. The default is fitted on the
    # gold (``python -m tools.train --list``): the cut, a margin over the article pages it keeps, that costs least
    # when a body character lost weighs ten list characters kept.
    max_list_page: float | None = 0.5176


# The order pages are checked in; the first failure is the reason. (signal, config field, the test that fails)
_CHECKS = (
    ("n_chars", "min_chars", "min"),
    ("n_fffd", "max_fffd", "max"),
    ("han_ratio", "min_han_ratio", "min"),
    ("punct_ratio", "max_punct_ratio", "max"),
    ("punct_ratio", "min_punct_ratio", "min"),
    ("n_lines", "min_lines", "min"),
    ("mean_line_chars", "min_mean_line_chars", "min"),
    ("dup_line_frac", "max_dup_line_frac", "max"),
    ("top_ngram_frac", "max_top_ngram_frac", "max"),
    ("no_terminal_frac", "max_no_terminal_frac", "max"),
)

# The signal columns every kept page carries. n_fffd is measured by the unicode step, and again by this step on
# the text it keeps.
COLUMNS = (
    ("n_fffd", "int32"),
    ("han_ratio", "float32"),
    ("punct_ratio", "float32"),
    ("n_lines", "int32"),
    ("mean_line_chars", "float32"),
    ("dup_line_frac", "float32"),
    ("top_ngram_frac", "float32"),
    ("no_terminal_frac", "float32"),
)
# Drop reasons: the rejected/ reason column and the manifest's drop_reasons.
RULES = (
    Rule("empty", "没有可见字符的页面。", (" \n ",), ("北京今日晴。",)),
    *(Rule(f"quality:{signal}", f"{field} 阈值不合格的页面。") for signal, field, _ in _CHECKS
      if signal != "punct_ratio" or field == "max_punct_ratio"),
)

OTHER, HAN, PUNCT, SPACE, LETTER, SYLLABLE = 0, 1, 2, 3, 4, 5
# Syllabaries (kana, Hangul): one character is one syllable, as a Han character is.
_SYLLABLE_RANGES = ((0x1100, 0x11FF), (0x3040, 0x30FF), (0x3130, 0x318F), (0x31F0, 0x31FF), (0xAC00, 0xD7AF),
                    (0xFF66, 0xFF9F))
# A line holds a sentence if it has one of these anywhere; an ASCII mark only before a space or the line's end
# (after closing quotes), so ``6.2米`` and ``example.com`` hold none.
_SENTENCE = re.compile(r"[。！？…；｡．]|[.!?;][\"'”’」』）)》〉】〕\]*]*(?:\s|$)")
# A line ending in one of these goes on in the next.
_PAUSE = frozenset("，,、")
_NGRAM = 2
_NGRAM_KINDS = np.array([k not in (PUNCT, SPACE) for k in range(6)])  # by kind: counted in n-grams


@cache
def _kinds() -> np.ndarray:
    """One byte per code point: HAN, SYLLABLE (kana, Hangul), LETTER (other letters and marks), PUNCT (Unicode
    punctuation or symbol), SPACE (whitespace, controls) or OTHER (digits).

    Built once per process from ``unicodedata`` (~0.15 s); past Han Extension H only tags and variation
    selectors (invisible) matter, the rest of the planes is unassigned or private use.
    """
    table = np.zeros(sys.maxunicode + 1, np.uint8)
    for cp in itertools.chain(range(0x32400), range(0xE0000, 0xE01F0)):
        cat = unicodedata.category(chr(cp))[0]
        if cat in "PS":
            table[cp] = PUNCT
        elif cat in "ZC" or chr(cp).isspace():
            table[cp] = SPACE
        elif cat in "LM":
            table[cp] = LETTER
    for lo, hi in _SYLLABLE_RANGES:
        table[lo : hi + 1] = np.where(table[lo : hi + 1] == LETTER, SYLLABLE, table[lo : hi + 1])
    for lo, hi in HAN_RANGES:
        table[lo : hi + 1] = HAN
    table[ord("〇")] = HAN
    return table


def _han_ratio(kinds: np.ndarray, counts: np.ndarray) -> float:
    # Words: Han and syllabary characters one each, a run of other letters (a Latin word, an identifier) one.
    letters = kinds == LETTER
    runs = int(np.count_nonzero(letters[1:] & ~letters[:-1])) + bool(len(letters) and letters[0])
    words = int(counts[HAN]) + int(counts[SYLLABLE]) + runs
    return int(counts[HAN]) / words if words else 0.0


def _top_ngram_frac(cp: np.ndarray, kinds: np.ndarray) -> float:
    # Over letters, digits and Han only, so a common punctuation pair is not "repetition".
    chars = cp.compress(_NGRAM_KINDS.take(kinds))
    if len(chars) < _NGRAM:
        return 0.0
    if chars.max() < 0x10000:  # pairs fit in 32 bits, which sort twice as fast as 64
        pairs = (chars[:-1] << np.uint32(16)) | chars[1:]
    else:
        wide = chars.astype(np.uint64)
        pairs = (wide[:-1] << np.uint64(21)) | wide[1:]
    pairs.sort()
    # The longest run of equal pairs: the first and last runs from the ends of the others, the rest between them
    # (np.diff's prepend/append and a concatenate cost more than the sort).
    ends = (pairs[1:] != pairs[:-1]).nonzero()[0]  # the last index of each run but the last
    if not len(ends):
        top = len(pairs)
    else:
        top = max(int(ends[0]) + 1, len(pairs) - 1 - int(ends[-1]))
        if len(ends) > 1:
            top = max(top, int((ends[1:] - ends[:-1]).max()))
    return min(1.0, top * _NGRAM / len(chars))


def has_sentence(line: str) -> bool:
    """Whether a line holds a sentence end: a full-width one anywhere, an ASCII one before a space or the end.

    >>> has_sentence("布伦森全场出战29分钟，得到17分。[3]"), has_sentence("解放 J6F 6.2米单排栏板载货车")
    (True, False)
    """
    return _SENTENCE.search(line) is not None


def _repeats(lines: list[str]) -> int:
    """Lines that repeat an earlier line, code and commands aside: a listing repeats lines on purpose (as the
    boilerplate step's repeat rule holds)."""
    seen: set[str] = set()
    n = 0
    for line in lines:
        if line in seen:
            n += not code_line(line)
        seen.add(line)
    return n


def _units(lines: list[str]) -> tuple[int, int, int, int]:
    """Runs of lines joined where a line ends in a comma, a line of code or a command a run of its own: how many
    runs, their characters, those of text runs (code aside) and those of text runs holding no sentence end."""
    count = chars = text = bare = 0
    n, sentence = 0, False
    search = _SENTENCE.search  # has_sentence, without a call per line
    han = _CODE_HAN.search  # code_line is False on a line with Han: asked here, without its call
    last = len(lines) - 1
    for i, line in enumerate(lines):
        ends = "。" in line or search(line) is not None  # "。" is the commonest of _SENTENCE's first branch
        if not ends and not n and not han(line) and code_line(line):
            count += 1
            chars += len(line)
            continue
        n += len(line)
        sentence = sentence or ends
        if line[-1] not in _PAUSE or i == last:  # the last line closes a run left open by a comma
            count += 1
            chars += n
            text += n
            bare += 0 if sentence else n
            n, sentence = 0, False
    return count, chars, text, bare


def signals(text: str) -> dict[str, Any]:
    """The page's quality signals (floats unrounded).

    ``han_ratio`` is Han characters over words (a Latin word counts once: ``Python`` is one of 6 words here);
    ``top_ngram_frac`` counts ``北京`` twice in 12 Han (2*2/12); ``首页`` holds no sentence, 2 of 14 line characters
    (``no_terminal_frac``); a line ending in a comma goes on in the next (for both line signals: 12 characters in
    1 line below).

    >>> s = signals("北京今日晴。\\n北京今日晴。\\n首页")
    >>> s["n_chars"], s["n_lines"], s["dup_line_frac"], s["top_ngram_frac"], s["no_terminal_frac"]
    (16, 3, 0.3333333333333333, 0.3333333333333333, 0.14285714285714285)
    >>> signals("我用Python写代码。")["han_ratio"], signals("床前明月光，\\n疑是地上霜。")["mean_line_chars"]
    (0.8333333333333334, 12.0)
    """
    cp = codepoints(text)
    kinds = _kinds().take(cp)  # take skips fancy indexing's checks
    counts = np.bincount(kinds, minlength=6)
    visible = max(int(len(cp) - counts[SPACE]), 1)
    lines = [s for s in (line.strip() for line in text.split("\n")) if s]
    n_lines = len(lines)
    per_line = max(n_lines, 1)
    n_units, n_line_chars, n_text_chars, n_bare_chars = _units(lines)
    return {
        "n_chars": len(text),
        "han_ratio": _han_ratio(kinds, counts),
        "punct_ratio": int(counts[PUNCT]) / visible,
        "n_lines": n_lines,
        "mean_line_chars": n_line_chars / max(n_units, 1),
        "dup_line_frac": _repeats(lines) / per_line,
        "top_ngram_frac": _top_ngram_frac(cp, kinds),
        "no_terminal_frac": n_bare_chars / max(n_text_chars, 1),
    }


def is_list_page(doc: Document, cfg: Config) -> bool:
    """Whether the page's ``list_page`` signal (set by the boilerplate step) fails the threshold.

    >>> is_list_page(Document(id="1", source="s", text="", columns={"list_page": 0.99}), Config(max_list_page=0.9))
    True
    """
    value = doc.columns.get("list_page")
    return cfg.max_list_page is not None and value is not None and value > cfg.max_list_page


def _fails(value: float, limit: float, kind: str) -> bool:
    return value < limit if kind == "min" else value > limit


def apply(doc: Document, cfg: Config, stats: StepStats) -> Drop | None:
    """Store the signals in ``doc.columns`` and drop the page on the first threshold it fails.

    A 300-character news paragraph is kept with its signals; ``"首页\\n新闻\\n体育\\n……"`` (a menu) is dropped
    as ``quality:mean_line_chars``; a page with no visible character is dropped as ``empty``.

    >>> doc = Document(id="a", source="a", text="首页\\n新闻\\n体育\\n财经\\n科技\\n" * 50)
    >>> apply(doc, Config(), StepStats()).reason
    'quality:mean_line_chars'
    >>> apply(Document(id="a", source="a", text="北京今日晴，最高气温二十五度，适合出游。" * 12), Config(), StepStats()) is None
    True
    """
    values = signals(doc.text)
    for name, value in values.items():
        doc.columns[name] = round(value, 4) if isinstance(value, float) else value
    # Counted again on the text kept: damage only in lines the boilerplate step removed (a row of broken icons) is gone.
    doc.columns["n_fffd"] = doc.text.count("\ufffd")
    if is_list_page(doc, cfg):  # before "empty": the boilerplate step may have removed all of a list page
        return Drop("quality:list_page", doc.columns["list_page"])
    if not doc.text.strip():
        return Drop("empty", 0)
    for signal, field, kind in _CHECKS:
        limit = getattr(cfg, field)
        if limit is not None and doc.columns.get(signal) is not None and _fails(doc.columns[signal], limit, kind):
            return Drop(f"quality:{signal}", doc.columns[signal])
    return None
