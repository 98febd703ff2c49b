"""punctuation step: Chinese text gets Chinese punctuation (``target: fullwidth``, the default).

A mark changes only next to Chinese: an ASCII ``, : ;`` with Chinese on either side; an ASCII
``? !`` after Chinese, or ending a clause that began with a Han word (``你知道Python?``); an
ellipsis next to a Han word. So ``Hello, world!``, ``「Why me?」``, ``1,000``, ``3.14``, ``12:30``
and ``2020-02-19`` stay as they are; URLs, e-mail addresses and `code spans` are cut out before
any rule runs. "Chinese" context (``CJK``) is Han, kana and the marks this step never writes
(``、。《》「」【】``), so a mark the step wrote never becomes the context for another change.

Runs of enumeration marks are scraping debris (names dropped from a list), so ``、、、`` and
``，，`` collapse to one mark, the later mark of a mixed run wins, and a ``、`` or ``，`` left
dangling before a closing mark is dropped. ``、等`` loses its ``、`` too, because an enumeration
ends with 等 and no mark: ``张副主席、、、何、等参加`` -> ``张副主席、何等参加``.

``target: ascii`` maps the full-width marks back (``，`` -> ``,``, ``“”`` -> ``"``, ``……`` ->
``...``); ``、。《》`` have no ASCII twin and stay.

Speed: every rule is line-local, so a few fast scans (``_FULLWIDTH_TRIGGERS``) find the lines a
rule could act on and only those lines are processed; tests/test_punctuation.py checks that this
equals processing every line. A processed line is repeated until stable, which makes the step
idempotent even where one rule's output feeds another. A short line's fix (and the counts it makes) is
remembered, since sites repeat lines on every page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from transforms.document import Document, Drop, Rule, StepConfig, StepStats
from transforms.text import CACHED_CHARS, HAN, fix_lines, per_line

HAN_KANA = HAN + "\u3040-\u30ff"
CJK = HAN_KANA + "\u3001\u3002\u3008-\u3011\u3014-\u301f"
MAX_ROUNDS = 3

# A URL's printable run without its trailing punctuation (at least one character). Greedy, then back off to the
# last character that is no such mark: the same end as a lazy run with a lookahead at every character, found faster.
_URL_TAIL = r"(?:[!-~]+(?<![.,;:!?)\]])|[!-~])"
_CODE_OR_URL = re.compile(
    r"`[^`\n]+`"  # inline code
    rf"|(?:https?|ftp)://{_URL_TAIL}"  # URL, without trailing punctuation
    rf"|www\.{_URL_TAIL}"
)
_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_EMAIL_USER = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_TO_FULL = str.maketrans(",:;?!()", "，：；？！（）")
_TO_ASCII = str.maketrans({"，": ",", "：": ":", "；": ";", "？": "?", "！": "!", "（": "(", "）": ")",
                           "“": '"', "”": '"', "‘": "'", "’": "'"})

_CJK_CHAR = re.compile(f"[{CJK}]")
_HAN_CHAR = re.compile(f"[{HAN}]")
_MARK = re.compile("[,:;?!]")
_CLAUSE_TAIL = re.compile(f"[{HAN_KANA}][A-Za-z0-9 _+#.-]{{1,40}}\\Z")
_HAN_KANA_CHAR = re.compile(f"[{HAN_KANA}]")
_PARENS = re.compile("[(（]([^()（）\\n]*)[)）]")
_DQUOTES = re.compile('"([^"\\n]*)"')
_SQUOTES = re.compile("'([^'\\n]*)'")
_DOT_RUN = re.compile("[.。…⋯][.。…⋯]+")
_ELLIPSIS = re.compile("(?:\\.{3,}|。{3,}|[…⋯]+)+")
_LONE_ELLIPSIS = re.compile("[…⋯](?![.。…⋯])")
_NO_SPACE_AFTER = "，。、；：？！（《【「『〈〔"
_NO_SPACE_BEFORE = "，。、；：？！）》】」』〉〕"
_QUOTES = "“”‘’"
_OPENING = "（《【「『〈〔" + _QUOTES  # no space between Han and these
_CLOSING = "）》】」』〉〕" + _QUOTES  # no space between these and Han
# A run of spaces after or before such a mark. It opens with the space, a literal the regex engine
# scans for fast; a lookbehind first would be tried at every character.
_SPACES_BY_MARK = re.compile(f" (?:(?<=[{_NO_SPACE_AFTER}{_CLOSING}] ) *| *(?=[{_NO_SPACE_BEFORE}{_OPENING}]))")
_RUN = re.compile("[、，]{2,}")
_DANGLING_DUN = re.compile("、+(?=[，。；：？！）》」』】”’…]|等)")
_DANGLING_COMMA = re.compile("，+(?=[。；：？！）》」』】])")
_PERIOD_PAIR = re.compile("(?<!。)。。(?!。)")
_MARKS = "，。、；：？！）》】」』〉〕“”‘’（《【「『〈〔…"
# Together a superset of what any rule acts on; a line holding none of them is left as it is.
# Each pattern starts with a literal or a small class, which the regex engine scans for fast;
# the lookarounds after it then say which rule the character could matter to.
_NEAR_CJK = f"(?:(?<=[{CJK} \t].)|(?=[ \t]*[{CJK}]))"  # after a mark: next to Chinese, or spaces or tabs (the rules eat both)
_CLAUSE_END = r"(?![\[=])"  # ? or ! may end a clause that began with Chinese; "![" is a Markdown image
_FULLWIDTH_TRIGGERS = tuple(
    re.compile(p, re.M)
    for p in (
        # One branch per character, each led by its literal: the engine scans for the set of them and tries
        # only that character's branch (a space no longer tries every other character's lookbehinds).
        "|".join((
            f",{_NEAR_CJK}", f":{_NEAR_CJK}", f";{_NEAR_CJK}",
            f"\\?(?:{_NEAR_CJK}|{_CLAUSE_END})", f"!(?:{_NEAR_CJK}|{_CLAUSE_END})",
            f"\\((?:(?<=[{CJK} （]\\()|(?=[^()\\n]*[{HAN}）]))",
            f"\"(?=[^\"'\\n]*[{HAN}])", f"'(?=[^\"'\\n]*[{HAN}])",
            r"\.(?=\.\.)",
            "…(?:(?<!……)(?!…)|(?=……)|(?=[.。 ])|(?<=[.。 ]…))",  # any ellipsis but a bare ……
            "⋯",
            f" (?:(?=[{_MARKS}])|(?<=[{_MARKS}] ))",
        )),
        "、(?=[、，。；：？！）》」』】”’…等])",
        "，(?=[、，。；：？！）》」』】])",
        "。。",
        "（(?=[^()（）\\n]*\\))",
    )
)
_ASCII_TRIGGERS = (re.compile("[，：；？！（）“”‘’…、]"), re.compile("。。"))
_TRIGGERS = {"fullwidth": _FULLWIDTH_TRIGGERS, "ascii": _ASCII_TRIGGERS}
_BETWEEN_HAN = re.compile(f"[,:;?!](?=[{HAN}])")


class Config(StepConfig):
    target: Literal["fullwidth", "ascii"] = "fullwidth"


def ascii_punct_between_han(text: str) -> int:
    """How many ASCII ``, : ; ? !`` sit between two Han characters: ``"你好,世界!好"`` -> 2.

    >>> ascii_punct_between_han("你好,世界!好")
    2
    """
    return sum(1 for m in _BETWEEN_HAN.finditer(text) if m.start() and _HAN_CHAR.match(text, m.start() - 1))


def _cjk(c: str) -> bool:
    return bool(c) and _CJK_CHAR.match(c) is not None


Decide = Callable[[re.Match[str], str, str], "str | None"]


def _replace_with_spaces(pattern: re.Pattern[str], text: str, decide: Decide) -> str:
    """Replace matches of ``pattern``, eating the spaces around each replaced one.

    ``decide(match, before, after)`` sees the characters beyond those spaces and returns the
    replacement, or None to leave the match (and its spaces) as it is.
    """
    out, pos, n = [], 0, len(text)
    for m in pattern.finditer(text):
        start, end = m.start(), m.end()
        if start < pos:
            continue
        left = start
        while left > pos and text[left - 1] in " \t":
            left -= 1
        right = end
        while right < n and text[right] in " \t":
            right += 1
        new = decide(m, text[left - 1] if left else "", text[right] if right < n else "")
        if new is not None:
            out += (text[pos:left], new)
            pos = right
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def to_fullwidth_marks(text: str) -> str:
    """ASCII ``, : ; ? !`` next to Chinese become full-width, dropping the spaces around them.

    >>> to_fullwidth_marks("他说: 你好, 世界!")
    '他说：你好，世界！'
    >>> to_fullwidth_marks("Hello, world!")
    'Hello, world!'
    """
    return _replace_with_spaces(_MARK, text, _full_mark)


def _full_mark(m: re.Match[str], before: str, after: str) -> str | None:
    mark = m[0]
    if _cjk(before) or (mark in ",:;" and _cjk(after)):
        return mark.translate(_TO_FULL)
    # "你知道Python?": a ? or ! ends a clause that began with Chinese a few Latin words back.
    if mark in "?!" and _CLAUSE_TAIL.search(m.string, max(0, m.start() - 41), m.start()):
        return mark.translate(_TO_FULL)
    return None


def to_fullwidth_parens(text: str) -> str:
    """A ``(…)`` pair after Chinese, holding Han, or half full-width already, becomes ``（…）``.

    >>> to_fullwidth_parens("新华社(记者 李涛)"), to_fullwidth_parens("公司(总部）")
    ('新华社（记者 李涛）', '公司（总部）')
    >>> to_fullwidth_parens("f(x)"), to_fullwidth_parens("[图](/a.png)")
    ('f(x)', '[图](/a.png)')
    """
    if "(" not in text and ")" not in text:
        return text
    return _replace_with_spaces(_PARENS, text, _full_parens)


def _full_parens(m: re.Match[str], before: str, after: str) -> str | None:
    if m[0][0] == "（" and m[0][-1] == "）" or m.string[m.start() - 1 : m.start()] == "]":
        return None
    if _cjk(before) or _HAN_CHAR.search(m[1]) or "（" in m[0] or "）" in m[0]:
        return f"（{m[1]}）"
    return None


def curl_quotes(text: str) -> str:
    """Straight quotes around text with Han become Chinese quotes.

    >>> curl_quotes('他说"你好"')
    '他说“你好”'
    >>> curl_quotes("don't"), curl_quotes('"OK"')
    ("don't", '"OK"')
    """
    if '"' in text:
        text = _DQUOTES.sub(lambda m: _curl(m, "“", "”"), text)
    if "'" in text:
        text = _SQUOTES.sub(lambda m: _curl(m, "‘", "’"), text)
    return text


def _curl(m: re.Match[str], left: str, right: str) -> str:
    s, i, j = m.string, m.start(), m.end()
    glued = (i and s[i - 1].isascii() and s[i - 1].isalnum()) or (j < len(s) and s[j].isascii() and s[j].isalnum())
    return f"{left}{m[1]}{right}" if _HAN_CHAR.search(m[1]) and not glued else m[0]


def fix_ellipsis(text: str) -> str:
    """``...``, ``。。。`` and ``…`` runs next to Chinese become ``……``.

    >>> fix_ellipsis("然后。。。他走了...")
    '然后……他走了……'
    >>> fix_ellipsis("Loading...")
    'Loading...'
    """
    text = _replace_with_spaces(_DOT_RUN, text, _ellipsis_run)
    if "…" in text or "⋯" in text:
        text = _replace_with_spaces(_LONE_ELLIPSIS, text, _lone_ellipsis)
    return text


def _words(c: str) -> bool:
    """An ellipsis is Chinese when it follows or precedes Chinese words, not just a bracket."""
    return bool(c) and _HAN_KANA_CHAR.match(c) is not None


def _ellipsis_run(m: re.Match[str], before: str, after: str) -> str | None:
    return "……" if (_words(before) or _words(after)) and _ELLIPSIS.fullmatch(m[0]) else None


def _lone_ellipsis(m: re.Match[str], before: str, after: str) -> str | None:
    if m.string[m.start() - 1 : m.start()] in (".", "。", "…", "⋯"):
        return None  # the tail of a run, which _ellipsis_run has judged
    return "……" if _words(before) or _words(after) else None


def remove_spaces(text: str) -> str:
    """Spaces go before closing marks, after opening ones, and between Han and any Chinese mark.

    Only U+0020 counts here; tabs next to Chinese marks are rare and the whitespace step's business.


    >>> remove_spaces("你好 ， 世界 。")
    '你好，世界。'
    >>> remove_spaces("书名 《三体》 很好")
    '书名《三体》很好'
    """
    return _SPACES_BY_MARK.sub(_drop_space, text) if " " in text else text


def _drop_space(m: re.Match[str]) -> str:
    s, i, j = m.string, m.start(), m.end()
    before, after = s[i - 1 : i], s[j : j + 1]
    if (before and before in _NO_SPACE_AFTER) or (after and after in _NO_SPACE_BEFORE):
        return ""
    if before and before in _CLOSING and _HAN_CHAR.match(after):
        return ""
    if after and after in _OPENING and _HAN_CHAR.match(before):
        return ""
    return m[0]


def collapse_runs(text: str) -> str:
    """Collapse ``、``/``，`` runs (the last mark wins) and drop a dangling one; ``。。`` -> ``。``.

    >>> collapse_runs("周、、、、徐波")
    '周、徐波'
    >>> collapse_runs("何、等。。")
    '何等。'
    """
    if "、、" in text or "，，" in text or "、，" in text or "，、" in text:
        text = _RUN.sub(lambda m: m[0][-1], text)
    if "、" in text:
        text = _DANGLING_DUN.sub("", text)
    if "，" in text:  # every match starts with it
        text = _DANGLING_COMMA.sub("", text)
    return _PERIOD_PAIR.sub("。", text) if "。。" in text else text


def to_ascii(text: str) -> str:
    """Full-width marks back to ASCII: ``"你好，世界……"`` -> ``"你好,世界..."``.

    >>> to_ascii("你好，世界……")
    '你好,世界...'
    """
    return text.replace("……", "...").translate(_TO_ASCII)


FULLWIDTH_RULES = (
    ("spaces", remove_spaces),
    ("marks", to_fullwidth_marks),
    ("parens", to_fullwidth_parens),
    ("quotes", curl_quotes),
    ("ellipsis", fix_ellipsis),
    ("spaces", remove_spaces),
    ("runs", collapse_runs),
)
ASCII_RULES = (("runs", collapse_runs), ("ascii", to_ascii))
# A piece holding none of a rule's characters is one the rule returns as it is: every regex and test of the rule
# starts at one of them (marks: _MARK; ellipsis: _DOT_RUN, _LONE_ELLIPSIS; runs: 、， and 。。). The others test
# for their characters first themselves.
_NEEDS = {to_fullwidth_marks: _MARK, fix_ellipsis: re.compile("[.。…⋯]"), collapse_runs: re.compile("[、，。]")}
_RULE_NEEDS = {
    "fullwidth": tuple((rule, fn, _NEEDS.get(fn)) for rule, fn in FULLWIDTH_RULES),
    "ascii": tuple((rule, fn, None) for rule, fn in ASCII_RULES),
}
RULES = (
    Rule("spaces", "删除中文标点两侧和汉字与标点之间的空格。", ("你好 ， 世界 。",), ("Hello , world .",), kind="line"),
    Rule("marks", "中文旁的 ASCII , : ; ? ! 转全角。", ("他说: 你好, 世界!",), ("Hello, world!",), kind="line"),
    Rule("parens", "中文旁的 (…) 转全角括号。", ("新华社(记者 李涛)",), ("f(x)",), kind="line"),
    Rule("quotes", "含汉字的直引号转中文引号。", ('他说"你好"',), ("don't",), kind="line"),
    Rule("ellipsis", "中文旁的 ...、。。。 转 ……。", ("然后。。。他走了...",), ("Loading...",), kind="line"),
    Rule("runs", "连串的 、、、 或 ，， 只留一个，。。 变 。。", ("周、、、、徐波",), ("周、徐波",), kind="line"),
    Rule("ascii", "target: ascii 时，全角标点转回 ASCII。", ("你好，世界……",), ("你好,世界...",), kind="line"),
)


def normalize(text: str, target: str = "fullwidth", stats: StepStats | None = None) -> str:
    """Run the rules on each line that holds something they act on, until the line is stable.

    Every rule is line-local, so lines without a trigger are copied as they are.

    >>> normalize("见http://a.cn/x?a=1,b=2,谢谢!")
    '见http://a.cn/x?a=1,b=2，谢谢！'
    """
    first, *rest = _TRIGGERS[target]
    hits = _line_hits(first, text)
    more = [m.start() for rx in rest for m in rx.finditer(text)]  # rare: sort only when there are any
    return fix_lines(text, sorted(hits + more) if more else hits, lambda segment: _fix_segment(segment, target, stats))


def _line_hits(rx: re.Pattern[str], text: str) -> list[int]:
    """The first match of ``rx`` on each line that has one: the rest of a line is fixed with it, so not scanned."""
    hits, pos, search = [], 0, rx.search
    while m := search(text, pos):
        hits.append(m.start())
        pos = text.find("\n", m.start()) + 1
        if not pos:
            break
    return hits


class _Counts(list):
    """The ``count`` calls of one line's fix, kept to be added to the stats of each page the line comes round on."""

    __slots__ = ()

    def count(self, rule: str, chars: int, lines: int = 1) -> None:
        self.append((rule, chars, lines))


def _fix_segment(segment: str, target: str, stats: StepStats | None) -> str:
    if len(segment) > CACHED_CHARS:  # a paragraph comes round once: counted straight into the page's stats
        return _fix_segment_now(segment, target, stats)
    fixed, counts = _fixed(segment, target)
    if stats is not None:
        for rule, chars, lines in counts:
            stats.count(rule, chars, lines)
    return fixed


@per_line
def _fixed(segment: str, target: str) -> tuple[str, tuple]:
    """A segment's fix and the counts it makes, remembered: sites repeat captions and pleas on every page, and the
    fix depends on the segment and the target alone (the counts never change it)."""
    counts = _Counts()
    return _fix_segment_now(segment, target, counts), tuple(counts)


def _fix_segment_now(segment: str, target: str, stats: StepStats | _Counts | None) -> str:
    # The rules see the line without its "\n".
    if segment.endswith("\n"):
        return _fix_line(segment[:-1], target, stats) + "\n"
    return _fix_line(segment, target, stats)


def _fix_line(line: str, target: str, stats: StepStats | None, skip: bool = True) -> str:
    if line.isascii():
        return line  # every rule needs Chinese nearby
    for _ in range(MAX_ROUNDS):
        fixed = _one_round(line, target, stats, skip)
        if fixed == line:
            break
        line, stats = fixed, None  # later rounds only finish what the first one started
        if not _triggered(line, target):
            break  # nothing left that a rule could act on
    return line


def _triggered(text: str, target: str) -> bool:
    """Whether a rule could act on ``text``: the triggers are a superset of what the rules act on."""
    return any(rx.search(text) for rx in _TRIGGERS[target])


def fix_all_lines(text: str, target: str = "fullwidth") -> str:
    """``normalize`` without skipping lines or pieces; the reference the tests compare it with.

    >>> fix_all_lines("他说:好\\nHello, world")
    '他说：好\\nHello, world'
    """
    return "\n".join(_fix_line(line, target, None, skip=False) for line in text.split("\n"))


def _one_round(text: str, target: str, stats: StepStats | None, skip: bool = True) -> str:
    rules = _RULE_NEEDS[target]
    spans = protected_spans(text)
    if not spans:
        return _fix_piece(text, rules, stats)
    # The rules see each piece between URLs and code alone, so a piece without a trigger is one they leave as it
    # is: an image tag whose URL holds Han triggers its line, yet its pieces hold nothing to fix.
    out, pos = [], 0
    for start, end in [*spans, (len(text), len(text))]:
        piece = text[pos:start]
        if not skip or _triggered(piece, target):
            piece = _fix_piece(piece, rules, stats)
        out += (piece, text[start:end])
        pos = end
    return "".join(out)


def _fix_piece(piece: str, rules: tuple, stats: StepStats | None) -> str:
    for rule, fn, needs in rules:
        if needs is not None and needs.search(piece) is None:
            continue
        changed = fn(piece)
        if stats is not None and changed != piece:
            stats.count(rule, max(abs(len(changed) - len(piece)), 1), 1)
        piece = changed
    return piece


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Where URLs, e-mail addresses and code spans are, in order and not overlapping.

    >>> protected_spans("邮件a@b.cn,网址http://c.cn")
    [(2, 8), (11, 22)]
    """
    spans = []
    if "`" in text or "://" in text or "www." in text:
        spans += [m.span() for m in _CODE_OR_URL.finditer(text)]
    if "@" in text:
        for m in _EMAIL_DOMAIN.finditer(text):
            start = m.start()
            while start > 0 and text[start - 1] in _EMAIL_USER:
                start -= 1
            if start < m.start():
                spans.append((start, m.end()))
    spans.sort()
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def apply(doc: Document, cfg: Config, stats: StepStats) -> Drop | None:
    """Normalize punctuation: ``"他说:你好,世界!"`` -> ``"他说：你好，世界！"``.

    >>> doc = Document(id="a", source="a", text="他说:你好,世界!")
    >>> apply(doc, Config(), StepStats())
    >>> doc.text
    '他说：你好，世界！'
    """
    doc.text = normalize(doc.text, cfg.target, stats)
    return None
