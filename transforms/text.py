"""What several steps share: Han ranges, spaces, the canonical form and keys, and the line-fix loop."""

from __future__ import annotations

import inspect
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache, partial, update_wrapper, wraps

import numpy as np
import xxhash

# CJK Unified Ideographs, Extension A, Compatibility Ideographs, Extensions B-H and the compatibility supplement.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))
# The same as a regex class body: ``re.compile(f"[{HAN}]")``.
HAN = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in HAN_RANGES)
# Spaces a line is trimmed of and an indent may sit among (not U+3000, not line breaks): a str.strip
# argument and, as written, a regex class body.
SPACES = " \t\r\f\v\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f"


def is_han(c: str) -> bool:
    """``is_han("漢")`` -> True; ``is_han("a")`` and ``is_han("，")`` -> False.

    >>> is_han("漢"), is_han("，")
    (True, False)
    """
    return any(lo <= ord(c) <= hi for lo, hi in HAN_RANGES)


def all_chars() -> str:
    """Every code point in order, surrogates too, as one string to build lookup tables from with a regex scan;
    from numpy in ~0.01 s, where ``"".join(map(chr, range(...)))`` takes ~0.2 s of each process's start.

    >>> s = all_chars()
    >>> len(s), s[0x6F22], s == "".join(map(chr, range(sys.maxunicode + 1)))
    (1114112, '漢', True)
    """
    return np.arange(sys.maxunicode + 1, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


@cache
def _char_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lookup tables over every code point: word characters, word characters or ``\\n``, decimal digits.

    ``re``'s ``\\w`` is the definition (letters and numbers of any script); building once takes ~0.1 s.
    """
    everything = all_chars()
    word = np.zeros(sys.maxunicode + 1, np.bool_)
    for m in re.finditer(r"[^\W_]+", everything):
        word[m.start() : m.end()] = True
    digit = np.zeros_like(word)
    for m in re.finditer(r"\d+", everything):
        digit[m.start() : m.end()] = True
    word_or_newline = word.copy()
    word_or_newline[ord("\n")] = True
    return word, word_or_newline, digit


def codepoints(text: str) -> np.ndarray:
    """The text as a uint32 array of code points.

    >>> codepoints("新闻").tolist()
    [26032, 38395]
    """
    try:
        data = text.encode("utf-32-le")
    except UnicodeEncodeError:  # lone surrogates; the error handler is 4x slower, so only when needed
        data = text.encode("utf-32-le", "surrogatepass")
    return np.frombuffer(data, np.uint32)


def _strip(text: str, fold_digits: bool, keep_newlines: bool) -> str:
    return _finish(_words(text), fold_digits, keep_newlines)


def _words(text: str) -> np.ndarray:
    # numpy table lookups: about 4x faster than a regex substitution on Chinese text.
    # take and compress skip fancy indexing's checks: about 1.5x faster on a page. The methods, not np.take and
    # np.compress: their dispatch costs more than the work on a short text.
    cp = codepoints(text)
    return cp.compress(_char_tables()[1].take(cp))


def _finish(cp: np.ndarray, fold_digits: bool, keep_newlines: bool) -> str:
    """The word characters and newlines ``cp`` without the newlines unless kept, digit runs folded if asked."""
    if not keep_newlines and not fold_digits:
        # Decoding is one code point at a time, so the "\n" may go after it: str.replace is cheaper than compress.
        return cp.tobytes().decode("utf-32-le").replace("\n", "")
    if not keep_newlines:
        cp = cp.compress(cp != 10)  # "\n" is no word character: what is left is the word characters
    if fold_digits:
        at = _char_tables()[2].take(cp).nonzero()[0]  # digits are few: work on their positions
        if len(at):
            cp = cp.copy()  # never write into the cached array
            cp[at] = ord("0")
            after = at[1:][at[1:] - at[:-1] == 1]  # a digit right after a digit goes
            if len(after):
                keep = np.ones(len(cp), np.bool_)
                keep[after] = False
                cp = cp.compress(keep)
    return cp.tobytes().decode("utf-32-le")  # surrogates are not word characters


_LAST: tuple = (None, None)  # the last page canonical_form saw, and its lower-cased word characters and newlines


def _lowered_words(text: str) -> np.ndarray:
    """``_words(text.lower())``, kept for the last page: crossdoc and dedup take their keys from one page in turn."""
    global _LAST
    last = _LAST  # one read: another thread may replace it, never half of it
    if last[0] is text:
        return last[1]
    cp = _words(text.lower())
    _LAST = (text, cp)
    return cp


def canonical_form(text: str, *, fold_digits: bool = False, keep_newlines: bool = False) -> str:
    """Lower case, NFKC, with every character that is not a letter or number removed.

    With ``fold_digits`` each run of digits becomes one ``0``; ``keep_newlines`` keeps the ``\\n`` so lines
    stay aligned.

    >>> canonical_form("第１２期：【图片来源：网络】")
    '第12期图片来源网络'
    >>> canonical_form("第１２期：【图片来源：网络】", fold_digits=True)
    '第0期图片来源网络'
    """
    if len(text) < SHORT_TEXT:
        out = _short_form(text.lower(), fold_digits, keep_newlines)
    else:
        out = _finish(_lowered_words(text), fold_digits, keep_newlines)
    if not unicodedata.is_normalized("NFKC", out):
        # Rare once punctuation is gone (full-width letters, circled numbers), so normalize only then.
        out = _strip(unicodedata.normalize("NFKC", out).lower(), fold_digits, keep_newlines)
    return out


# Below this many characters (a title, a line) a loop in Python costs less than numpy's calls; the page
# canonical_form last saw stays remembered for the next step's keys.
SHORT_TEXT = 64


def _short_form(text: str, fold_digits: bool, keep_newlines: bool) -> str:
    """``_finish(_words(text), ...)`` in plain Python: ``str.isalnum`` is ``re``'s ``[^\\W_]`` and
    ``str.isdecimal`` its ``\\d``, the definitions the tables are built from."""
    out: list[str] = []
    digit = False  # the last character kept was a digit
    for c in text:
        if c.isalnum():
            if fold_digits and c.isdecimal():
                if not digit:
                    out.append("0")
                digit = True
                continue
            out.append(c)
        elif c == "\n" and keep_newlines:
            out.append(c)
        else:
            continue  # dropped: a digit run goes on across it
        digit = False
    return "".join(out)


_HALF, _FULL = 1 << 63, 1 << 64


def signed64(h: int) -> int:
    """An unsigned 64-bit hash as the signed int Parquet's int64 holds.

    >>> signed64(1), signed64(2**64 - 1)
    (1, -1)
    """
    return h - _FULL if h >= _HALF else h


def int64_key(data: str | bytes, seed: int = 0) -> int:
    """xxh3_64 of ``data`` as a signed 64-bit int; the same in every process, unlike ``hash()``.

    >>> int64_key("图片来源网络") == int64_key("图片来源网络".encode())
    True
    """
    return signed64(xxhash.xxh3_64_intdigest(data.encode() if isinstance(data, str) else data, seed))



# A site repeats its short lines (bylines, footers, menus) on every page: a pure test of one is worked out once.
CACHED_CHARS = 200
LINE_CACHE = 1 << 13


def per_line(fn: Callable, size: int = LINE_CACHE) -> Callable:
    """``fn(line, *rest)``, remembered (at most ``size`` answers) for lines of up to ``CACHED_CHARS`` characters.

    >>> is_short = per_line(lambda s: len(s) < 6)
    >>> is_short("责任编辑：王明"), is_short("记者 李涛")
    (False, True)
    """
    if _one_arg(fn):  # most rules, asked of every line: a dict lookup in C, no Python frame when the line is known
        memo = _Memo()
        memo.fn, memo.size = fn, size
        wrapper = update_wrapper(_LineFn(memo.__getitem__), fn)
        wrapper.clear_memo = memo.clear  # a benchmark starts each round as a fresh worker would
        return wrapper

    cached = lru_cache(maxsize=size)(fn)

    @wraps(fn)
    def line_fn_rest(s: str, *rest):
        return cached(s, *rest) if len(s) <= CACHED_CHARS else fn(s, *rest)

    line_fn_rest.clear_memo = cached.cache_clear
    return line_fn_rest


class _LineFn(partial):
    """A rule remembered by ``per_line``: pickled by its name, as the function it stands for would be."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return self.__qualname__


class _Memo(dict):
    """``fn``'s answers by line; a line not seen before is worked out by ``__missing__``, and kept when short."""

    __slots__ = ("fn", "size")

    def __missing__(self, s: str):
        out = self.fn(s)
        if len(s) <= CACHED_CHARS:
            if len(self) >= self.size:
                self.clear()  # a site's lines come round again within a few pages: no need to keep the oldest
            self[s] = out
        return out


def _one_arg(fn: Callable) -> bool:
    try:
        params = list(inspect.signature(fn, follow_wrapped=False).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature
        return False
    return len(params) == 1 and params[0].kind in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD)


_SPECIAL = frozenset("\\[]().^$*+?{}|")


def top_alternatives(pattern: str) -> list[str]:
    """The alternatives of a regex's outer ``|``, as written (escapes, classes and groups kept whole).

    >>> top_alternatives(r"版权所有|图[/|]|(?:摄|供)图")
    ['版权所有', '图[/|]', '(?:摄|供)图']
    """
    out: list[str] = []
    at, depth, i = 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i += 2 if pattern[i + 1 : i + 2] == "^" else 1
            i += pattern[i : i + 1] == "]"  # a "]" first in a class is a character
            while pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and not depth:
            out.append(pattern[at:i])
            at = i + 1
        i += 1
    out.append(pattern[at:])
    return out


def by_first_char(*patterns: str) -> str:
    """One regex that matches where any of ``patterns`` matches, its alternatives gathered under the literal
    character they open with: ``re`` then tries one alternative per distinct first character, not every one.
    A match starts where one of the patterns' would (its end may differ): for ``search`` and ``match`` only.
    Not for ``re.VERBOSE`` patterns.

    >>> by_first_char("版权所有|版权声明", "图片|图/|[摄供]图")
    '版(?:权所有|权声明)|图(?:片|/)|[摄供]图'
    """
    groups: dict[str, list[str]] = {}
    out: list[str] = []  # alternatives as they are, and the first characters of groups
    for alt in (a for p in patterns for a in top_alternatives(p)):
        c = alt[:1]
        if not c or c in _SPECIAL or alt[1:2] in ("*", "+", "?", "{"):
            out.append(alt)  # not led by one plain character
        elif c in groups:
            groups[c].append(alt[1:])
        else:
            groups[c] = [alt[1:]]
            out.append(c)
    return "|".join(x if x not in groups else x + (f"(?:{'|'.join(groups[x])})" if len(groups[x]) > 1 else groups[x][0])
                    for x in out)


def fix_lines(text: str, hits: Iterable[int], fix: Callable[[str], str]) -> str:
    """Run ``fix`` on each line holding a position of ``hits`` (sorted) and copy the other lines as they are.

    ``fix`` gets the line with its ``\\n`` (the last line has none), as ftfy reads segments.

    >>> fix_lines("甲,乙\\n丙\\n丁,戊", [1, 8], lambda s: s.replace(",", "，"))
    '甲，乙\\n丙\\n丁，戊'
    """
    out, done = [], 0
    for hit in hits:
        if hit < done:
            continue  # this line is already fixed
        start = text.rfind("\n", 0, hit) + 1
        end = text.find("\n", hit) + 1 or len(text)
        out += (text[done:start], fix(text[start:end]))
        done = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)
