"""script step: convert between Simplified and Traditional Chinese with OpenCC (the C++ binding).

Any OpenCC config works (``t2s``, the default; ``s2t``, ``s2tw``, ``s2twp``, ``tw2sp``, ``s2hk``,
``hk2s``, ``t2jp``…), with or without ``.json``. Before converting, the step records the script it
saw in ``columns["script"]``: ``zh-Hans``, ``zh-Hant``, ``mixed`` or ``none`` (no Han at all).
Detection counts, in the first ``SAMPLE`` characters, the characters that t2s would change
(Traditional-only) and those s2t would change (Simplified-only); both sets come from OpenCC itself,
once per process. Text whose characters are common to both scripts counts as ``zh-Hans``.

To Simplified (t2s, tw2s, tw2sp, hk2s), the step converts to a guarded fixpoint, so a second run
changes nothing. OpenCC's phrase matching can swallow a character into a wrong phrase and leave it
Traditional (``處於潛伏`` -> ``处於潜伏``, since ``於潛`` is a place name), and a second OpenCC pass
would fix it. A blind second pass also breaks good Simplified (``破坏土地`` -> ``破坯土地``,
``乾清宫`` -> ``干清宫``), because OpenCC's phrase keys are Traditional. So the step converts again
only the characters that are still source-script-only: ones the config changes on their own and
never produces (``於``, ``徵``; not ``坏``, which t2s produces from ``壞``), except the few that
Simplified keeps in names and classical words (``KEEP``: ``乾清宫``, ``陈昇``, ``杨联陞``).
Converting to Traditional is one OpenCC pass: its output equals OpenCC's.

Converters are built once per process and cached by config name, never kept on ``Config``, which
is pickled to worker processes.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import opencc
from pydantic import field_validator

from transforms.document import Document, Drop, Rule, StepConfig, StepStats
from transforms.text import HAN as HAN_CLASS

HAN = re.compile(f"[{HAN_CLASS}]")
SAMPLE = 2000  # characters looked at by detection; plenty to tell the scripts apart
_TO_HANS = {"t2s", "tw2s", "tw2sp", "hk2s"}
_TO_HANT = {"s2t", "s2tw", "s2twp", "s2hk", "t2tw", "t2hk", "jp2t"}
KEEP = "乾昇陞"  # Traditional-only, yet kept by OpenCC's own phrases in Simplified names: 乾清宫, 陈昇, 杨联陞
MAX_PASSES = 3
_INVERSE = {"t2s": "s2t", "tw2s": "s2tw", "tw2sp": "s2twp", "hk2s": "s2hk"}


class Config(StepConfig):
    config: str = "t2s"
    only_other_script: bool = False  # convert only documents detected as the other script

    @field_validator("config")
    @classmethod
    def _known(cls, v: str) -> str:
        """An unknown config fails when the recipe is loaded, not in every shard."""
        try:
            converter(v)
        except Exception:  # noqa: BLE001 - OpenCC raises a bare RuntimeError
            raise ValueError(f"unknown OpenCC config {v!r} (e.g. t2s, s2t, s2twp)") from None
        return v


@functools.cache
def converter(config: str) -> opencc.OpenCC:
    """The process-wide OpenCC converter for ``config``: ``converter("t2s").convert("漢字")`` -> ``"汉字"``."""
    return opencc.OpenCC(config)


def convert(text: str, config: str = "t2s") -> str:
    """OpenCC's conversion: ``convert("頭髮很長", "t2s")`` -> ``"头发很长"``.

    >>> convert("頭髮很長", "t2s")
    '头发很长'
    """
    return converter(config).convert(text)


def _diff(a: str, b: str) -> int:
    """Characters that differ position by position (OpenCC keeps lengths in practice)."""
    if len(a) != len(b):
        return sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))
    ua, ub = (np.frombuffer(s.encode("utf-32-le"), np.uint32) for s in (a, b))
    return int((ua != ub).sum())


def traditional_only_chars(text: str) -> int:
    """How many characters t2s would still change: ``"这是臺灣"`` -> 2, ``"这是台湾"`` -> 0.

    >>> traditional_only_chars("这是臺灣")
    2
    >>> traditional_only_chars("这是台湾")
    0
    """
    return _diff(text, convert(text, "t2s"))


@functools.cache
def _one_script_table(config: str) -> np.ndarray:
    """Which BMP code points ``config`` changes on their own (no phrase context): ``table[ord("臺")]`` for t2s."""
    codes = [c for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000)) for c in range(lo, hi)]
    out = convert("\n".join(map(chr, codes)), config).split("\n")
    table = np.zeros(0x10000, np.bool_)
    table[[c for c, b in zip(codes, out) if chr(c) != b]] = True
    return table


@functools.cache
def _tables(config: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per BMP code point: residue (changed alone, never produced, not KEEP), produced, and KEEP."""
    codes = [c for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000)) for c in range(lo, hi)]
    out = convert("\n".join(map(chr, codes)), config).split("\n")
    produced = np.zeros(0x10000, np.bool_)
    produced[[ord(b) for c, b in zip(codes, out) if chr(c) != b and len(b) == 1 and ord(b) < 0x10000]] = True
    keep = np.zeros(0x10000, np.bool_)
    keep[[ord(c) for c in KEEP]] = True
    # Padded to every code point (False past the BMP), so a lookup needs no clamping.
    return tuple(np.pad(t, (0, 0x110000 - 0x10000)) for t in (_one_script_table(config) & ~produced & ~keep,
                                                               produced, keep))


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def residue(text: str, config: str = "t2s") -> int:
    """How many characters ``config`` left in the source script and would still change; ``坏`` and ``乾`` of
    ``乾清宫`` are Simplified, ``吒`` of ``哪吒`` stays by OpenCC's own phrase.

    >>> residue("病人处於潜伏期"), residue("故宫乾清宫遭破坏"), residue("哪吒闹海")
    (1, 0, 0)
    """
    cp = _codepoints(text)
    table = _tables(config)[0]
    if not table[cp].any():
        return 0
    again = convert(text, config)
    if len(again) != len(text):
        return int(table[cp].sum())
    return int(((cp != _codepoints(again)) & table[cp]).sum())


def settle(text: str, config: str = "t2s") -> str:
    """``config`` (to Simplified) at a guarded fixpoint, so converting its output again changes nothing.

    >>> settle("病人處於潛伏期")  # OpenCC alone: 病人处於潜伏期
    '病人处于潜伏期'
    >>> settle("故宫乾清宫遭破坏土地")  # OpenCC alone: 故宫干清宫遭破坯土地
    '故宫乾清宫遭破坏土地'
    """
    return _settled(text, config)[0]


def _settled(text: str, config: str) -> tuple[str, np.ndarray | None, np.ndarray | None]:
    """``settle``, with the code points of ``text`` and of the result when they are at hand (else None)."""
    first = convert(text, config)
    if first == text:
        return text, None, None  # OpenCC is deterministic: every later pass would change nothing either
    cb = cp = None
    out = first
    if len(first) == len(text):
        cb = _codepoints(text)
        out, cp = _guarded(text, first, config, cb, _codepoints(first))
    residue_t = _residue_table(config)
    for _ in range(MAX_PASSES):
        cp = _codepoints(out) if cp is None else cp
        if not residue_t.take(cp).any():
            break
        again = convert(out, config)
        if again == out:
            break  # nothing would change, in this pass or any later one
        if len(again) != len(out):
            break  # OpenCC keeps lengths in practice; never guess an alignment
        cg = _codepoints(again)
        idx = ((cp != cg) & residue_t.take(cp)).nonzero()[0]
        out, cp = _put(out, again, idx), _put_codes(cp, cg, idx)
    return out, cb, cp


_RESIDUE, _PRODUCED, _KEEP = 1, 2, 4


@functools.cache
def _flags(config: str) -> np.ndarray:
    """``_tables`` as bits of one byte per code point, so a page needs one lookup."""
    residue_t, produced, keep = _tables(config)
    return (residue_t * _RESIDUE | produced * _PRODUCED | keep * _KEEP).astype(np.uint8)


@functools.cache
def _residue_table(config: str) -> np.ndarray:
    return _tables(config)[0]


def _guarded(before: str, after: str, config: str, cb: np.ndarray, ca: np.ndarray) -> tuple[str, np.ndarray]:
    """OpenCC's output, except where it changed a character of the target script (one OpenCC itself produces,
    or ``KEEP``) that a round trip through the other script keeps: ``破坏土`` is not ``破坯土``, ``乾清宫``
    stays, while ``折戟沈沙`` still becomes ``折戟沉沙``. ``before`` and ``after`` are of one length, ``cb`` and
    ``ca`` their code points; returns the result with its code points."""
    idx = (cb != ca).nonzero()[0]  # a page changes at a fraction of its characters: look only there
    sensitive = idx[_flags(config).take(cb.take(idx)) & (_PRODUCED | _KEEP) != 0]
    if not len(sensitive):
        return after, ca
    back = convert(convert(before, _INVERSE.get(config.removesuffix(".json"), "s2t")), config)
    if len(back) != len(before):
        return after, ca
    refuse = sensitive[_codepoints(back).take(sensitive) == cb.take(sensitive)]
    if not len(refuse):
        return after, ca
    return _put(after, before, refuse), _put_codes(ca, cb, refuse)


def _put(text: str, other: str, idx: np.ndarray) -> str:
    """``text`` with the characters of ``other`` at the positions ``idx`` (sorted)."""
    out, pos = [], 0
    for i in idx.tolist():
        out += (text[pos:i], other[i])
        pos = i + 1
    out.append(text[pos:])
    return "".join(out)


def _put_codes(cp: np.ndarray, other: np.ndarray, idx: np.ndarray) -> np.ndarray:
    cp = cp.copy()  # code points from a str's buffer are read-only
    cp[idx] = other[idx]
    return cp


def _take(text: str, other: str, where: np.ndarray) -> str:
    """``text`` with the characters of ``other`` at the positions ``where`` is true."""
    return _put(text, other, np.flatnonzero(where))


@functools.cache
def _fold_table() -> np.ndarray:
    """Code point to folded code point over the BMP: t2s one character for one, and ＡＢＣ１２３ to ABC123."""
    table = np.arange(0x10000, dtype=np.uint32)
    codes = [c for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000)) for c in range(lo, hi)]
    out = convert("\n".join(map(chr, codes)), "t2s").split("\n")
    for c, b in zip(codes, out):
        if len(b) == 1 and ord(b) < 0x10000:
            table[c] = ord(b)
    wide = np.arange(0xFF10, 0xFF5B)
    alnum = np.array([chr(c).isalnum() for c in wide])
    table[wide[alnum]] = wide[alnum] - 0xFEE0
    for _ in range(5):  # folding twice must change nothing: follow chains (a -> b -> c) to their end
        if np.array_equal(table[table], table):
            break
        table = table[table]
    return table


def fold(text: str) -> str:
    """The view rules decide on: Traditional folded to Simplified and full-width letters and digits to
    ASCII, one character for one (no phrases), so positions in the view are positions in ``text``.

    >>> fold("責任編輯：王小明　ＡＢＣ１２３")
    '责任编辑：王小明　ABC123'
    """
    if not _foldable().search(text):  # most lines: one scan in C, nothing to fold
        return text
    if len(text) < 1000:  # str.translate is quicker on a line, the numpy lookup on a page
        return text.translate(_fold_list())
    return _fold_wide().take(_codepoints(text)).tobytes().decode("utf-32-le", "surrogatepass")


@functools.cache
def _fold_wide() -> np.ndarray:
    """``_fold_table`` over every code point (identity past the BMP), so a page needs one lookup."""
    return np.concatenate([_fold_table(), np.arange(0x10000, 0x110000, dtype=np.uint32)])


@functools.cache
def _fold_dict() -> dict[int, int]:
    table = _fold_table()
    return {int(c): int(table[c]) for c in np.flatnonzero(table != np.arange(0x10000))}


@functools.cache
def _fold_list() -> list[int]:
    # A list indexed by BMP code point: str.translate looks it up twice as fast as a dict, and the
    # IndexError past the BMP leaves those characters as they are, as the dict's KeyError did.
    return _fold_table().tolist()


@functools.cache
def _foldable() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_fold_dict())) + "]")


@functools.cache
def _script_bits() -> np.ndarray:
    """Per code point: 1 if t2s changes it on its own (Traditional-only), 2 if s2t does (Simplified-only)."""
    bits = np.zeros(0x110000, np.uint8)
    bits[:0x10000] = _one_script_table("t2s") | (_one_script_table("s2t").astype(np.uint8) << 1)
    return bits


def detect(text: str) -> str:
    """The script of ``text``: ``"头发"`` -> ``"zh-Hans"``, ``"頭髮"`` -> ``"zh-Hant"``, ``"OK"`` -> ``"none"``.

    >>> detect("头发"), detect("頭髮"), detect("OK")
    ('zh-Hans', 'zh-Hant', 'none')
    """
    sample = text[:SAMPLE]
    if not HAN.search(sample):
        return "zh-Hans" if HAN.search(text, SAMPLE) else "none"
    # A table lookup over the code points: several times faster than a findall over a class of 2,700 characters.
    counts = np.bincount(_script_bits().take(_codepoints(sample)), minlength=4)
    trad = int(counts[1] + counts[3])
    if trad == 0:
        return "zh-Hans"
    simp = int(counts[2] + counts[3])
    if simp >= 4 * trad:
        return "zh-Hans"
    if simp == 0 or trad >= 4 * simp:
        return "zh-Hant"
    return "mixed"


def _target(config: str) -> str | None:
    name = config.removesuffix(".json")
    return "zh-Hans" if name in _TO_HANS else "zh-Hant" if name in _TO_HANT else None


# The step counts its changes under the OpenCC config's name.
RULES = tuple(
    Rule(name, f"OpenCC {name} 转换（按所选配置计数）。", ("台灣的頭髮",) if name == "t2s" else ("台湾的头发",) if name == "s2t" else (),
         ("台湾的头发",) if name == "t2s" else (), kind="line")
    for name in ("t2s", *sorted((_TO_HANS | _TO_HANT | {"t2jp"}) - {"t2s"}))
)


def apply(doc: Document, cfg: Config, stats: StepStats) -> Drop | None:
    """Record the script, then convert text and title: ``"台灣的頭髮"`` -> ``"台湾的头发"`` with t2s.

    >>> doc = Document(id="a", source="a", text="台灣的頭髮")
    >>> apply(doc, Config(), StepStats())
    >>> doc.text, doc.columns["script"]
    ('台湾的头发', 'mixed')
    """
    script = detect(doc.text)
    doc.columns["script"] = script
    target = _target(cfg.config)
    run = settle if target == "zh-Hans" else convert
    if script == "none":
        if doc.title and HAN.search(doc.title):  # an English page may carry a Chinese title
            doc.title = run(doc.title, cfg.config)
        return None
    if cfg.only_other_script and target is not None and script == target:
        return None
    before = doc.text
    if run is settle:
        doc.text, cb, cp = _settled(before, cfg.config)
    else:
        doc.text, cb, cp = run(before, cfg.config), None, None
    if doc.title:
        doc.title = run(doc.title, cfg.config)  # a dataset in one script has titles in it too
    if doc.text != before:
        # The code points settle compared are at hand, and of one length: _diff without encoding again.
        n = int((cb != cp).sum()) if cb is not None and cp is not None and len(cb) == len(cp) else _diff(before, doc.text)
        stats.count(cfg.config.removesuffix(".json"), n, 1)
    return None
