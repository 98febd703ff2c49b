"""script step: convert between Simplified and Traditional Chinese with OpenCC (the C++ binding).

Any OpenCC config works (``t2s``, the default; ``s2t``, ``s2tw``, ``s2twp``, ``tw2sp``, ``s2hk``,
``hk2s``, ``t2jp``…), with or without ``.json``. Before converting, the step records the script it
saw in ``columns["script"]``: ``zh-Hans``, ``zh-Hant``, ``mixed`` or ``none`` (no Han at all).
Detection counts, in the first ``SAMPLE`` characters, the characters that t2s would change
(Traditional-only) and those s2t would change (Simplified-only); both sets come from OpenCC itself,
once per process. Text whose characters are common to both scripts counts as ``zh-Hans``.

The conversion is exactly one OpenCC pass, so the output equals OpenCC's. OpenCC itself is not
idempotent on a few phrases (``破壞`` -> ``破坏`` -> ``破坯``, ``於`` kept inside some phrases), so
running t2s again over its own output can change those few characters; with
``only_other_script: true`` a second run sees ``zh-Hans`` and leaves the text alone.

Converters are built once per process and cached by config name, never kept on ``Config``, which
is pickled to worker processes.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import opencc
from pydantic import field_validator

from transforms.document import Document, Drop, StepConfig, StepStats

HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
SAMPLE = 2000  # characters looked at by detection; plenty to tell the scripts apart
_TO_HANS = {"t2s", "tw2s", "tw2sp", "hk2s"}
_TO_HANT = {"s2t", "s2tw", "s2twp", "s2hk", "t2tw", "t2hk", "jp2t"}


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
    """OpenCC's conversion: ``convert("頭髮很長", "t2s")`` -> ``"头发很长"``."""
    return converter(config).convert(text)


def _diff(a: str, b: str) -> int:
    """Characters that differ position by position (OpenCC keeps lengths in practice)."""
    if len(a) != len(b):
        return sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))
    ua, ub = (np.frombuffer(s.encode("utf-32-le"), np.uint32) for s in (a, b))
    return int((ua != ub).sum())


def traditional_only_chars(text: str) -> int:
    """How many characters t2s would still change: ``"这是臺灣"`` -> 2, ``"这是台湾"`` -> 0."""
    return _diff(text, convert(text, "t2s"))


@functools.cache
def _one_script_table(config: str) -> np.ndarray:
    """Which BMP code points ``config`` changes on their own (no phrase context): ``table[ord("臺")]`` for t2s."""
    codes = [c for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000)) for c in range(lo, hi)]
    out = convert("\n".join(map(chr, codes)), config).split("\n")
    table = np.zeros(0x10000, np.bool_)
    table[[c for c, b in zip(codes, out) if chr(c) != b]] = True
    return table


def _count(table: np.ndarray, cp: np.ndarray) -> int:
    return int(table[cp[cp < 0x10000]].sum())


def detect(text: str) -> str:
    """The script of ``text``: ``"头发"`` -> ``"zh-Hans"``, ``"頭髮"`` -> ``"zh-Hant"``, ``"OK"`` -> ``"none"``."""
    sample = text[:SAMPLE]
    if not HAN.search(sample):
        return "zh-Hans" if HAN.search(text, SAMPLE) else "none"
    # A table lookup over the code points: several times faster than a findall over a class of 2,700 characters.
    cp = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), np.uint32)
    trad = _count(_one_script_table("t2s"), cp)
    if trad == 0:
        return "zh-Hans"
    simp = _count(_one_script_table("s2t"), cp)
    if simp >= 4 * trad:
        return "zh-Hans"
    if simp == 0 or trad >= 4 * simp:
        return "zh-Hant"
    return "mixed"


def _target(config: str) -> str | None:
    name = config.removesuffix(".json")
    return "zh-Hans" if name in _TO_HANS else "zh-Hant" if name in _TO_HANT else None


def apply(doc: Document, cfg: Config, stats: StepStats) -> Drop | None:
    """Record the script, then convert text and title: ``"台灣的頭髮"`` -> ``"台湾的头发"`` with t2s."""
    script = detect(doc.text)
    doc.columns["script"] = script
    if script == "none":
        return None
    target = _target(cfg.config)
    if cfg.only_other_script and target is not None and script == target:
        return None
    before = doc.text
    doc.text = convert(before, cfg.config)
    if doc.title:
        doc.title = convert(doc.title, cfg.config)  # a dataset in one script has titles in it too
    if doc.text != before:
        stats.count(cfg.config.removesuffix(".json"), _diff(before, doc.text), 1)
    return None
