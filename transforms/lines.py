"""Page-level and line-level signals for the boilerplate step: list pages, repost source lines, the headline,
and the features and scorer of the learned line model.

Pure functions on lists of lines; the boilerplate step decides what to do with them. Signals hold across
sites: layout (position, length, runs), punctuation and markup share; keywords are only ever one feature.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from difflib import SequenceMatcher
from functools import cache
from itertools import accumulate, compress, islice

import numpy as np

from transforms.text import CACHED_CHARS, LINE_CACHE, canonical_form, per_line
from transforms.titles import LEAD_TAG
from transforms.titles import SEP as _SEP
from transforms.titles import clean_title

# Sentence-final punctuation (a closing quote after it counts too).
END = "。！？!?；;”」』\"'）).．"
ELLIPSIS = ("…", "...", "……")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def ends_sentence(s: str) -> bool:
    """Whether a line ends a sentence (an ellipsis does not).

    >>> ends_sentence("会议于今天下午结束。"), ends_sentence("详情请看……"), ends_sentence("相关新闻")
    (True, False, False)
    """
    return bool(s) and s[-1] in END and not s.endswith(ELLIPSIS)


HAN = re.compile(r"[\u3400-\u9fff]")
CODE_END = ("\\", ";", "{", "}", "(", ")", ":", ",", "=")
# Marks of a command or code in a line with no Han: shell operators, an option, an assignment, an image tag
# (``bitnami/kafka:3.4``), a path. A menu or footer in English has none of them.
CODE_MARK = re.compile(r"&&|\|\||\$[({\w]|\s--?[A-Za-z]|^[\w.-]+=\S|\b[A-Z_][A-Z0-9_]*=\S|^[\w.-]+/[\w./-]+:[\w.-]+$|(?:^|\s)\.{0,2}/[\w.-]+/")
# CODE_MARK asked in three parts, twice as fast on a long line (an image tag): its ^ alternatives only at the start,
# the rest led by a literal or \s, and the assignment (a \b before a class, tried at every character) only with a "=".
_CODE_AT_START = re.compile(r"[\w.-]+=\S|[\w.-]+/[\w./-]+:[\w.-]+$|\.{0,2}/[\w.-]+/")
_CODE_ANYWHERE = re.compile(r"&&|\|\||\$[({\w]|\s(?:--?[A-Za-z]|\.{0,2}/[\w.-]+/)")
_CODE_ASSIGN = re.compile(r"\b[A-Z_][A-Z0-9_]*=\S")


def _code_mark(s: str) -> bool:
    """``CODE_MARK.search(s) is not None``."""
    return (_CODE_AT_START.match(s) is not None or _CODE_ANYWHERE.search(s) is not None
            or ("=" in s and _CODE_ASSIGN.search(s) is not None))


def code_line(s: str) -> bool:
    """A line of code or a command (no Han, ends like code, starts with an option or bears a command's marks):
    listings repeat lines on purpose (``-e TZ=CST-8 \\`` in two ``docker run`` commands, ``docker stop kafka &&
    docker rm kafka`` in a docker and a podman script), so a repeat is no duplicate, and a script holds no sentence.

    >>> code_line("docker stop kafka && docker rm kafka"), code_line("运行 docker stop kafka 即可。"), code_line("Home About")
    (True, False, False)
    """
    return not HAN.search(s) and (s.endswith(CODE_END) or s.startswith("-") or s.startswith(("import ", "from "))
                                  or _code_mark(s))


def title_like(s: str) -> bool:
    """A short line with no sentence-final punctuation: a headline, a menu item, a list entry.

    >>> title_like("某区议员促当局交代　居民：不能再拖"), title_like("会议于今天下午结束。")
    (True, False)
    """
    return 4 <= len(s) <= 48 and not ends_sentence(s)


def protected(s: str) -> bool:
    """A prose sentence (40+ characters, ending one) that the line model never removes: body precision first.

    >>> protected("记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区。")
    True
    >>> protected("相关新闻")
    False
    """
    return len(s) >= 40 and ends_sentence(s)


# --- list pages ----------------------------------------------------------------------------------
# Shapes of list entries: a leading number or bullet, a date, a separator, a trailing count.
_ENTRY_NUM = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.、．:：\s)）]?\D|^[（(]\d+[)）]|^[-•·●■□◆▪]")
_ENTRY_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2})?|\d{1,2}[-/月]\d{1,2}日?(?:\s|$)|\d{1,2}:\d{2}")
_ENTRY_SEP = re.compile(r"[|｜>»›\t]| {2,}|　")
_ENTRY_DATE_SEP = re.compile(f"{_ENTRY_DATE.pattern}|{_ENTRY_SEP.pattern}")  # both in one search
_ENTRY_TAIL = re.compile(r"\d+\s*$|[(（]\d+[)）]$")
_CLAUSE = re.compile(r"[，。；！？、,;]")
_WORDS_ONLY = re.compile(r"[，。；！？、,;!?()（）：:]")  # none of these in a tag cloud
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_SPACED_PHRASE = re.compile(r"(?:^|\s)[^\s\d]{12,}(?=\s|$)")
# A line ending a sentence or a clause: three in a row are a paragraph, a poem or a numbered how-to, never a list.
_BLOCK_END = "，,。！？!?；;：:”」"
# A snippet cut off: three dots or one ellipsis, or any ellipsis before a "more" link. A bare ``……`` is how
# a writer trails off, and an essay's paragraphs may all end so.
_TRUNCATED = re.compile(r"(?:(?:\.{3,}|…+)\s*[\[【(（]?(?:详细|詳細|全文|阅读全文|閱讀全文|查看全文|更多|详情|詳情|more)[\]】)）]?|\.{3,}|(?<!…)…)\s*$")
# A "more" link closing a line (``… [详细]``, ``【阅读全文】``): the line is a teaser of the page it links to.
_MORE_LINK = re.compile(r"[\[【(（](?:详细|詳細|全文|阅读全文|閱讀全文|查看全文|更多|详情|詳情|more)[\]】)）]\s*$")
_CLOSERS = "]】)）"  # what closes a "more" link
_WEDGED = re.compile("(?=epe)")  # a prose line between two entries, in the classes as a string
_NUMBER = re.compile(r"\d+")
_NOT_LETTER = re.compile(r"[\W\d_]+")
LINE_WEIGHT = 200  # a line counts for at most this many characters: one spam blob must not outweigh the page


def han_latin(texts: list[str]) -> tuple[list[int], list[int]]:
    """How many Han characters (``_HAN``) and Latin letters each text holds, counted in one pass over them all.

    >>> han_latin(["会议abc。", "", "OK"])
    ([2, 0, 0], [3, 0, 2])
    """
    if not texts:
        return [], []
    text = "".join(texts)
    try:
        data = text.encode("utf-32-le")
    except UnicodeEncodeError:  # lone surrogates; the error handler is slower, so only when needed
        data = text.encode("utf-32-le", "surrogatepass")
    cp = np.frombuffer(data + b"\0\0\0\0", np.uint32)
    sizes = list(map(len, texts))
    # One lookup and one sum per text: a Han character weighs 1, a Latin letter 1 << 32.
    both = np.add.reduceat(_han_latin_weights().take(cp, mode="clip"), list(accumulate(sizes[:-1], initial=0))).tolist()
    if 0 in sizes:  # reduceat gives an empty text its next character
        both = [b if n else 0 for b, n in zip(both, sizes)]
    return [b & 0xFFFFFFFF for b in both], [b >> 32 for b in both]


@cache
def _han_latin_weights() -> np.ndarray:
    """Each code point's weight for ``han_latin``, up to U+A000 (0, like every code point above it: ``take`` clips)."""
    w = np.zeros(0xA001, np.int64)
    w[0x4E00:0xA000] = 1
    w[0x41:0x5B] = w[0x61:0x7B] = 1 << 32
    return w


def han_count(text: str) -> int:
    """How many Han characters (``_HAN``) ``text`` holds.

    >>> han_count("会议abc。中")
    3
    """
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    return int(np.count_nonzero(cp - 0x4E00 <= 0x9FFF - 0x4E00))  # below U+4E00 wraps round to a large number


def _line_class(s: str, kind: str, han: int | None = None, latin: int | None = None) -> str:
    """``p`` prose, ``x`` Latin non-prose (code, an English menu: neither side), ``e`` a list entry.
    ``han`` and ``latin``: the counts of ``s[:400]`` when the caller has them."""
    t = s[:400]
    n, size = len(t), len(s)
    if han is None:
        han = len(_HAN.findall(t))
    hanny = han >= 0.3 * n
    # Twelve words take 23 characters or more (one between each two), and a clause mark rules a cloud out at once.
    if hanny and n >= 23 and not _WORDS_ONLY.search(t) and len(words := t.split()) >= 12 and n <= 8 * len(words):
        return "e"  # a tag cloud or a menu on one line: short words and no sentence in them
    if kind != "link":
        if hanny:
            if (size >= 8 and s[-1] in "。！？!?") or (size >= 15 and ends_sentence(s)) \
                    or (size >= 50 and len(_CLAUSE.findall(t)) >= 3) \
                    or (size >= 15 and s.endswith("……") and _CLAUSE.search(t)):  # a writer trailing off
                return "p"
            if size >= 30 and len(_SPACED_PHRASE.findall(t)) >= 2:  # blog prose with spaces for commas
                return "p"
        elif size >= 60 and (ends_sentence(s) or s.count(". ") >= 2):
            return "p"
        if han < 0.2 * n and (latin if latin is not None else len(_LATIN_LETTER.findall(t))) >= 0.5 * n:
            return "x"
    return "e"


@per_line
def _entry_shaped(s: str) -> bool:
    head = s[:400]  # an entry's shape shows at its ends: a long line is not read whole
    return len(s) <= 8 or bool(_ENTRY_NUM.match(head) or _ENTRY_DATE_SEP.search(head) or _ENTRY_TAIL.search(s[-40:]))


# A site repeats its short lines on every page: their class is worked out once per process (a dict, not
# ``per_line``: the Han and Latin counts of the lines not seen before are taken in one pass).
_CLASSES: dict[tuple[str, str], str] = {}


def _line_classes(live: list[tuple[str, str]]) -> list[str]:
    """``_line_class`` of each (line, kind), the Han and Latin counts of those not seen before taken in one pass."""
    cls = list(map(_CLASSES.get, live))
    if None in cls:
        todo = [k for k, c in enumerate(cls) if c is None]
        if len(_CLASSES) > LINE_CACHE:
            _CLASSES.clear()
        han, latin = han_latin([live[k][0][:400] for k in todo])
        for k, h, la in zip(todo, han, latin):
            s, kd = x = live[k]
            cls[k] = c = _line_class(s, kd, h, la)
            if len(s) <= CACHED_CHARS:
                _CLASSES[x] = c
    return cls


# A number glued to the text it leads, not a quantity (``300多名``, ``12支``, ``8成``), a date or a list number (1、, 2.):
# a listing's count.
_COUNT_LEAD = re.compile(r"^(\d{1,5})(?![\d年月日时点号分秒岁万亿元个名条家所位人期届次天周小%％.．、:：,，\s)）/\-]"
                         r"|[多余支辆成倍件项场批只台亩斤吨株座套篇户张])")


def _counted(live: list[tuple[str, str]], cls: list[str]) -> list[int]:
    """Prose lines led by a count glued to their text (replies or views before each thread of a forum's list),
    when they are five or more, half the page's prose or more, and their numbers run in no order: steps of a
    how-to count up, a body's figures repeat or follow each other. On such a listing, any prose line led by a
    number is one more entry (``228月1日…``: 22 replies, or a date?).

    >>> heads = ["12今天地铁二号线又晚点了，上班迟到半小时。", "0有没有人知道附近哪里能修自行车？", "356听说小区门口新开了一家面馆，味道很不错。",
    ...          "3求推荐带孩子周末去的公园，人少一点的。", "47楼下的快递柜又坏了，物业什么时候来修？"]
    >>> _counted([(h, "text") for h in heads], ["p"] * 5)
    [0, 1, 2, 3, 4]
    >>> steps = ["先把米洗干净，泡上半小时。", "锅里加水烧开后放米。", "转小火慢慢熬四十分钟。", "中途搅拌几次以免粘锅。", "出锅前撒一点葱花。"]
    >>> _counted([(f"{k}{t}", "text") for k, t in enumerate(steps, 1)], ["p"] * 5)
    []
    >>> facts = ["300多名村民参加了植树活动。", "50余辆农用车把化肥送到田间。", "12支志愿服务队走进社区。", "8成受访者表示满意。", "100多家企业参加招聘会。"]
    >>> _counted([(f, "text") for f in facts], ["p"] * 5)  # an article's figures: quantities, not counts
    []
    """
    led = [(k, int(m.group(1))) for k, (s, _) in enumerate(live) if cls[k] == "p" and (m := _COUNT_LEAD.match(s))]
    nums = [n for _, n in led]
    if len(led) < 5 or 2 * len(led) < cls.count("p") or nums == sorted(nums) or nums == sorted(nums, reverse=True):
        return []
    return [k for k, (s, _) in enumerate(live) if cls[k] == "p" and s[0].isdigit()]


_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*")
ECHO_SENTENCE = 12  # a sentence this long found in another line is that line's text, not a coincidence


def _echoes(live: list[tuple[str, str]], cls: list[str]) -> dict[int, int]:
    """On a page stitched from the same sentences in shifting windows (SEO spam), each prose line's own
    characters: those of its sentences that no other, different line holds (0 for an echo). Empty for any other
    page: it takes two or more echoes, prose lines made mostly of sentences that three or more different lines
    hold. A body does not restate its paragraphs three times: a lead quoted as a summary is held twice, and a page
    holding one article twice repeats whole lines, not sentences in new company.

    >>> a, b, c, d = "春耕时节农机手忙着下地作业。", "今年全县新增植保无人机一百多台。", "合作社统一采购种子化肥降低了成本。", "农技站派人到田间指导施肥。"
    >>> windows = [(a + b + c, "text"), (b + c + d, "text"), (c + d + a, "text"), (d + a + b, "text")]
    >>> _echoes(windows + [("相关新闻", "text")], ["p", "p", "p", "p", "e"])
    {0: 0, 1: 0, 2: 0, 3: 0}
    >>> _echoes([(a + b, "text"), (a + b, "text"), (c, "text")], ["p", "p", "p"])
    {}
    >>> _echoes([("本文摘要：" + a + b + c, "text"), (a + b, "text"), (c + d, "text")], ["p", "p", "p"])
    {}
    """
    prose = [k for k, c in enumerate(cls) if c == "p" and len(live[k][0]) >= ECHO_SENTENCE]
    if len(prose) < 3:
        return {}
    lines = list(dict.fromkeys(live[k][0] for k in prose))
    # Cheap first: a window's first sentence is held by the windows before it. No page without one is split.
    joined = "\n".join(lines)
    # A first sentence held three times has its first ECHO_SENTENCE characters, the line's own, held as often.
    if not any(joined.count(s[:ECHO_SENTENCE]) >= 3 for s in lines):
        return {}
    firsts = (_SENTENCE.match(s) for s in lines)
    if not any(m and len(f := m.group().strip()) >= ECHO_SENTENCE and joined.count(f) >= 3 for m in firsts):
        return {}
    parts = {}
    held: Counter[str] = Counter()  # how many different lines hold each sentence
    for s in lines:
        parts[s] = [m for m in map(str.strip, _SENTENCE.findall(s[:2000])) if len(m) >= ECHO_SENTENCE]
        held.update(set(parts[s]))
    if not held or max(held.values()) < 3:
        return {}
    echoes = 0
    own = {}
    for k in prose:
        s = live[k][0]
        echoes += 2 * sum(len(m) for m in parts[s] if held[m] > 2) >= len(s)
        own[k] = max(0, len(s) - sum(len(m) for m in parts[s] if held[m] > 1))
    return own if echoes >= 2 else {}


TEMPLATE_AFFIX = 6  # characters at a line's start or end that a template repeats (numbers as one digit)
CATALOGUE_ITEMS = 4  # heads with a blurb each that make a catalogue
_ITEM_HEAD = re.compile("e(?=[pt])")  # an entry over prose or a teaser, in the classes as a string


@per_line
def _affixes(s: str) -> tuple[str, str]:
    """A line's first and last ``TEMPLATE_AFFIX`` characters, numbers folded to 0; empty for a part with fewer
    than four letters (punctuation and numbers alone are no template). Only the line's ends are read.

    >>> _affixes("拉力传感器B20 某某仪器 不详 询价 48小时内")
    ('拉力传感器B', '价 0小时内')
    """
    if len(s) < TEMPLATE_AFFIX + 4:
        return "", ""
    ends = (_NUMBER.sub("0", s[:3 * TEMPLATE_AFFIX])[:TEMPLATE_AFFIX],
            _NUMBER.sub("0", s[-3 * TEMPLATE_AFFIX:])[-TEMPLATE_AFFIX:])
    return tuple(a if len(_NOT_LETTER.sub("", a)) >= 4 else "" for a in ends)


def _catalogue_blurbs(live: list[tuple[str, str]], cls: list[str]) -> list[int]:
    """The items of a catalogue: heads cut from one template (a product's name, then the same columns on every
    item: maker, price, delivery) and the prose under each, when ``CATALOGUE_ITEMS`` or more heads have a blurb
    and most blurbs are cut off mid-sentence.
    A body's subheadings do not share their ends, nor does a lone table row head a paragraph more than once or twice.

    >>> items = [("称重传感器A100 某某仪器 不详 询价 48小时内", "本系列传感器适用于拉压方向的测量，精度高，可在恶劣环境下使用，安装"),
    ...          ("拉力传感器B20 某某仪器 不详 询价 48小时内", "结构紧凑，安装方便，适用于各类吊钩秤和配料秤，输出稳定可靠，抗偏载"),
    ...          ("轮辐式传感器C3 某某仪器 不详 询价 48小时内", "合金钢材质，体积小重量轻，具有过载保护功能，特别适合注塑机和包装"),
    ...          ("柱式传感器D8 某某仪器 不详 询价 48小时内", "量程覆盖五十牛到十千牛，适合工业标定和实验室研究使用。")]
    >>> page = [(s, "text") for pair in items for s in pair]
    >>> _catalogue_blurbs(page, ["e", "p"] * 4)
    [0, 1, 2, 3, 4, 5, 6, 7]
    >>> _catalogue_blurbs(page[:6], ["e", "p"] * 3)  # three items: a short table, not yet a catalogue
    []
    >>> photos = [(f"第{k}张：江边步道上散步的市民。图片由作者提供", "text") for k in range(4)]
    >>> _catalogue_blurbs([x for k in range(4) for x in (photos[k], page[2 * k + 1])], ["e", "p"] * 4)  # captions
    []
    >>> whole = [(s + "。", kd) if c == "p" else (s, kd) for (s, kd), c in zip(page, ["e", "p"] * 4)]
    >>> _catalogue_blurbs(whole, ["e", "p"] * 4)  # every blurb ends its sentence: paragraphs, not listed snippets
    []
    """
    # Cheap first: an item is an entry right above prose or a teaser, with ends (``_affixes``) and no clause.
    if sum(len(s := live[m.start()][0]) >= TEMPLATE_AFFIX + 4 and not _CLAUSE.search(s)
           for m in _ITEM_HEAD.finditer("".join(cls))) < CATALOGUE_ITEMS:
        return []
    # A head is a row of columns, no clause in it: photos' captions share a credit, but each is a sentence.
    affixes = [_affixes(s) if c == "e" and not _CLAUSE.search(s) else ("", "") for (s, _), c in zip(live, cls)]
    seen = Counter(a for pair in affixes for a in pair if a)
    heads = [k for k, pair in enumerate(affixes) if any(a and seen[a] >= CATALOGUE_ITEMS for a in pair)]
    items = [k for k in heads if k + 1 < len(live) and cls[k + 1] in "pt"]
    if len(items) < CATALOGUE_ITEMS:
        return []
    out, blurbs = [], []
    for k in heads:  # a head and the prose under it, up to the next line that is not prose
        out.append(k)
        k += 1
        while k < len(live) and cls[k] in "pt":
            blurbs.append(k)
            k += 1
    # Blurbs cut at a length, mid-sentence, as a listing prints them; an essay's paragraphs under its photos'
    # credits end their sentences.
    if 2 * sum(not ends_sentence(live[k][0]) for k in blurbs) < len(blurbs):
        return []
    return sorted(out + blurbs)


def list_page_features(lines: list[str], kinds: list[str] | None = None) -> dict[str, float]:
    """What the list-page score is made of, over the non-blank lines of a page (``kinds``: markdown kinds).

    - ``share``: characters outside prose lines (each line counted up to ``LINE_WEIGHT``, Latin non-prose aside);
    - ``entries``: lines that are not prose; three or more snippets wedged between headlines count as entries too;
    - ``run``: characters in the longest run of prose lines;
    - ``marked``: share of the entries shaped like list entries (numbered, dated, separated, linked, very short);
    - ``latin``: share of the page's characters in Latin non-prose lines (code, English menus);
    - ``block``: the longest run of lines ending a sentence or clause;
    - ``entry_chars``: characters in entries (each up to ``LINE_WEIGHT``).

    >>> f = list_page_features(["1如何挑选电饭煲", "2春季养生小常识", "3夏天喝什么茶好"])
    >>> f["share"], f["entries"], f["marked"], f["block"]
    (1.0, 3, 1.0, 0)
    """
    kinds = kinds or ["text"] * len(lines)
    live = [(t, kd) for s, kd in compress(zip(lines, kinds), lines) if (t := s.strip())]  # blank lines skipped in C
    cls = _line_classes(live)
    # A snippet under a headline (not a name or a floor number: a forum reply is no teaser): a prose line between
    # two entries, found in the classes as one string.
    wedged = [k for m in _WEDGED.finditer("".join(cls)) if 20 <= len(live[k := m.start() + 1][0]) < 150
              and title_like(live[k - 1][0]) and len(live[k - 1][0]) >= 6]
    if len(wedged) >= 3:  # a headline, its snippet, a headline…: teasers; one wedged paragraph is a body
        for k in wedged:
            cls[k] = "t"
    # Snippets cut off with an ellipsis (and a "more" link) are other pages' teasers when they are a third of
    # a page's prose: a body's paragraphs end their sentences.
    # A "more" link closes a teaser however short.
    # Lines are stripped: a "more" link is their last character.
    cut = [k for k, (s, _) in enumerate(live) if (c := cls[k]) != "x" and (s[-1] in _CLOSERS and _MORE_LINK.search(s[-12:])
           or c in "pt" and ("…" in (tail := s[-12:]) or "..." in tail) and _TRUNCATED.search(tail))]
    if len(cut) >= 3 and 3 * len(cut) >= cls.count("p") + cls.count("t"):
        for k in cut:
            cls[k] = "t"
    for k in _counted(live, cls):
        cls[k] = "t"
    for k in _catalogue_blurbs(live, cls):
        cls[k] = "t"
    own = _echoes(live, cls)  # a stitched page's prose is only what its lines do not share
    for k, n in own.items():
        if 2 * n < len(live[k][0]):
            cls[k] = "t"
    total = latin = prose = run = best = block = b = entries = entry_chars = marked = 0
    for k, ((s, kd), c) in enumerate(zip(live, cls)):
        n = len(s)
        w = n if n < LINE_WEIGHT else LINE_WEIGHT
        total += w
        if c == "p":
            mine = own.get(k, n) if own else n
            prose += w if w < mine else mine
            run += mine
            if run > best:
                best = run
        elif c == "x":
            latin += w
        else:  # an entry ("e", or "t": a teaser)
            entries += 1
            entry_chars += w
            # A teaser (under a headline, cut off, an echo) is shaped like an entry by what it was found by.
            marked += c == "t" or kd == "link" or _entry_shaped(s)
            if n > 8:  # a short line (a subheading, a date) does not break a paragraph run
                run = 0
        b = b + 1 if kd != "link" and c != "t" and n >= 4 and s[-1] in _BLOCK_END else 0
        if b > block:
            block = b
    counted = total - latin
    return {
        "lines": len(live),
        "entry_chars": entry_chars,
        "share": round(1 - prose / counted, 4) if counted else 0.0,
        "entries": entries,
        "run": best,
        "marked": round(marked / entries, 4) if entries else 0.0,
        "latin": round(latin / total, 4) if total else 0.0,
        "block": block,
    }


SLIVER_ENTRIES = 100  # entries that make a long list
SLIVER = 20  # times the longest prose run that the entries' characters outweigh it by: the run is a sliver


def list_page_score(lines: list[str], kinds: list[str] | None = None) -> float:
    """How much a page looks like a list of other pages (headlines, teasers, menus) with no body of its own, 0-1.

    The share of characters outside prose, scaled down when the page has few entries (a short page is not a
    list), a run of prose (a body), Latin non-prose lines (code), entries that are not shaped like list
    entries (numbered, dated, linked), and a block of three lines ending sentences or clauses (a paragraph, a
    poem, a how-to). Pages of fewer than five lines score 0.

    >>> list_page_score([f"{k}、如何挑选电饭煲第{k}讲" for k in range(1, 21)])
    1.0
    >>> body = "今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区，周边居民步行五分钟就能到达。"
    >>> list_page_score(["首页", "新闻", body, body + "附近的居民都很高兴。", "版权所有"])
    0.0083
    >>> heads = [f"{k}. 某某影视最新高清完整版免费在线观看第{k}部" for k in range(1, 151)]
    >>> list_page_score([body * 3] + heads), list_page_score([body * 3] + heads[:60])  # a blurb over 150 titles, or 60
    (0.9638, 0.4666)
    """
    f = list_page_features(lines, kinds)
    if f["lines"] < 5:
        return 0.0
    s = f["share"] * min(1.0, f["entries"] / 15)
    run = f["run"]
    if f["entries"] >= SLIVER_ENTRIES and f["entry_chars"] >= SLIVER * run:
        run = 0  # a sliver of prose among hundreds of headlines is a blurb (a site's notice, an ad), not a body
    s *= max(0.0, min(1.0, (400 - run) / 300))  # a prose run of 400 characters is a body
    if run >= 100:  # one paragraph of 100 characters that is no teaser is a body, if a short one
        s *= 0.6
    s *= 1 - f["latin"]
    s *= 0.5 + 0.5 * f["marked"]
    if f["block"] >= 3:
        s *= 0.5
    return round(s, 4)


# --- repost source lines -------------------------------------------------------------------------
# A provenance word near the start of a short line that carries a link: the line names where the text came from.
PROVENANCE = re.compile(
    r"^.{0,16}?(?:出自|源自|来自|來自|转自|轉自|原文|原載|原载|刊发于|刊發於|刊于|首发|首發|发自|發自|来源|來源|出处|出處|"
    r"备份|備份|存档|存檔|网站地址|網站地址|via|Source|source)"
)
# A converter's credit opening the line (``本文由某阅读器转码，``) comes before the provenance it passes on.
CONVERTER = re.compile(r"^本文由.{1,30}?(?:转码|轉碼)[，,。\s]*")
# A date and time opening the line (``2018年04月07日 19:59 来源于…``): a dateline that names the source after it.
DATE_LEAD = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*")
# A bare address with a path, on a line with no markdown link.
BARE_URL = re.compile(r"(https?://[^\s/)\]<>，。]+/[^\s)\]<>，。]+)")  # with a path: a site's name is no source
# An image is no source, whatever its alt text says (``![图片来源：某报](…)``).
IMAGE_LINK = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
# An autolink ``<https://…>`` reads as a link with its address for text.
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
MD_LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((https?://[^)\s]+)\)")
GENERIC_TEXT = re.compile(r"^(?:原文|链接|鏈接|原文链接|原文鏈接|这里|這裡|此处|點此|点此|点击|點擊|阅读原文|閱讀原文|Google 缓存|网页快照)$")
OUTLET = re.compile(r"^[^：:「」]{1,14}[：:]\s*")


def repost_source(raw: str) -> tuple[str, str | None] | None:
    """A repost source line: ``(url, title)`` of the original article, or None.

    The line is short outside its link, names a provenance near its start and carries one link; struck-through
    (``~~…~~``) links count. The title is the link text minus an outlet prefix (``某某日报：``), unless the text
    is a bare word like 原文 or a URL.

    >>> repost_source("出自 ~~[某某日报：春耕时节访农家](https://news.example.cn/a/1.html)~~，已消失")
    ('https://news.example.cn/a/1.html', '春耕时节访农家')
    >>> repost_source("源自微信公号「某某」：[城中村的最后一个夏天](https://mp.example.com/s/abc)")
    ('https://mp.example.com/s/abc', '城中村的最后一个夏天')
    >>> repost_source("作者红雨，微信原文[链接](https://mp.example.com/s/x)，图片已丢失。")[1] is None
    True
    >>> repost_source("他在文章里引用了[国务院公告](http://gov.cn/a)的原文，说明政策不会变。") is None
    True

    The provenance word is looked for in the line as it reads (links as their text), and the link is the first
    one after it: a converter's credit link before it (``本文由[某转码工具](…)转码，原文来自…``) is not the source.

    >>> repost_source("本文由[某阅读器](http://tool.example.com/)转码，原文来自微信「某某」：[城中村的雨夜](https://mp.example.com/s/q)")
    ('https://mp.example.com/s/q', '城中村的雨夜')
    >>> repost_source("> 网站地址 <http://news.example.org/article/10572>")
    ('http://news.example.org/article/10572', None)
    >>> repost_source("来源：~~https://www.example.com/note/667529321/~~")
    ('https://www.example.com/note/667529321/', None)
    >>> repost_source("![图片来源：某某社](https://img.example.cn/a.jpg)") is None
    True
    >>> repost_source("2018年04月07日 19:59 来源于 [某某网](https://www.example.com/note/664598540/)")
    ('https://www.example.com/note/664598540/', None)
    """
    if "http" not in raw or len(raw) > 4000:
        return None
    s = AUTOLINK.sub(r"[\1](\1)", IMAGE_LINK.sub("", raw.strip().lstrip(">*_ ").replace("~~", "")))
    if "](" not in s:
        s = BARE_URL.sub(r"[\1](\1)", s)
    links = list(MD_LINK.finditer(s))
    if not links or len(links) > 2:
        return None
    rest = MD_LINK.sub("", s).strip()
    flat = MD_LINK.sub(lambda m: m.group(1), s)  # as it reads: a long address is no long line
    lead = CONVERTER.match(flat)
    off = lead.end() if lead else 0
    date = DATE_LEAD.match(flat, off)
    off = date.end() if date else off
    word = PROVENANCE.match(flat[off:off + 40])
    if len(rest) > 40 or len(flat) > 400 or not word:
        return None
    # The provenance word's end, in the line as written: the first link that ends after it is the source.
    end, shift = off + word.end(), 0
    for m in links:
        if m.start() - shift + len(m.group(1)) >= end:
            text, url = m.group(1), m.group(2)
            return url, _link_title(text)
        shift += len(m.group(0)) - len(m.group(1))
    return None


# A short label before the link (``备份：``, ``原文 ``) leaves it a title link.
LINK_LABEL_CHARS = 8
TITLE_LIKENESS = 0.8  # canonical characters in common: a reposter may respell a censored word or two


def title_link(raw: str, title: str | None) -> str | None:
    """The address of a line that is one link whose text is the page's title (a repost names its source so,
    above the text), or None.

    >>> title_link('[王某："新冷战"的由来](https://archive.example.org/a1)', "王某：「新冷战」的由来")
    'https://archive.example.org/a1'
    >>> title_link("[城中村的最后一个夏天](https://a.cn/1)", "春耕时节访农家") is None
    True
    >>> title_link("另见[城中村的最后一个夏天](https://a.cn/1)，写得很细致。", "城中村的最后一个夏天") is None
    True
    """
    if not title or "](" not in raw or len(raw) > 400:
        return None
    s = raw.strip().lstrip(">*_ ").replace("~~", "")
    links = MD_LINK.findall(s)
    if len(links) != 1 or len(MD_LINK.sub("", s).strip()) > LINK_LABEL_CHARS:
        return None
    text, url = links[0]
    a, b = canonical_form(text), canonical_form(title)
    if len(b) < 4 or not a:
        return None
    return url if SequenceMatcher(None, a, b, autojunk=False).ratio() >= TITLE_LIKENESS else None


def _link_title(text: str) -> str | None:
    t = text.strip().strip("「」『』《》\"“”")
    if not t or t.startswith(("http://", "https://", "www.")) or GENERIC_TEXT.match(t):
        return None
    m = OUTLET.match(t)
    if m and len(t) - m.end() >= 4:
        t = t[m.end():]
    t = t.strip().strip("「」『』《》\"“”")
    return t if len(_HAN.findall(t)) >= 4 else None


# --- the headline ----------------------------------------------------------------------------------
HEADLINE_WINDOW = 40  # live lines from the top that a headline may stand among


def headline(lines: list[str], title: str | None, gone: list[bool] | None = None,
             window: int = HEADLINE_WINDOW) -> str | None:
    """The page's headline line, from the top of the page.

    With a known ``title`` (an HTML title with a site suffix, say), a top line the title starts with or equals
    wins: ``"秋粮收购全面展开-新浪新闻"`` over the line ``"秋粮收购全面展开"``. With none, the last title-like line
    (6 to 48 characters, no sentence end, not dropped) before the first prose paragraph, within ``window`` lines.

    >>> headline(["首页", "秋粮收购全面展开", "2022-10-01 来源：本网", "随着秋收接近尾声，全省秋粮收购工作全面展开，各收购点排起长队。"], None)
    '秋粮收购全面展开'
    >>> headline(["秋粮收购全面展开", "随着秋收接近尾声，全省秋粮收购工作全面展开。"], "秋粮收购全面展开-新浪新闻")
    '秋粮收购全面展开'
    >>> headline(["光伏发电", "供暖工程", "光伏发电", "2018-07-23 来源：本站"], "光伏发电 - 太阳能热水工程")
    '光伏发电'
    >>> headline(["每周灵修", "联系我们", "关于我们"], "每周灵修 - 2022年4月18日") is None
    True
    >>> headline(["Friday, May 6", "A walk in the hills", "We left early and walked all day. It rained twice."],
    ...          "Anna's Notebook: A walk in the hills")
    'A walk in the hills'
    >>> headline(["5月6日盘中资讯汇总", "2022-05-06 10:21", "今日早盘，两市小幅高开。"], "【资讯汇总】5月6日盘中资讯汇总")
    '5月6日盘中资讯汇总'
    >>> headline(["发布时间：2024年05月05日", "乡村振兴发展报告", "目录"], "《乡村振兴发展报告》全文")
    '乡村振兴发展报告'
    """
    gone = gone or [False] * len(lines)
    live = [(i, t) for i, s in enumerate(lines[: window * 3]) if not gone[i] and (t := s.strip())][:window]
    if title:
        t = title.strip()
        if any(s == t for _, s in live):  # the title is the page's headline already: a second pass agrees
            return None
        for _, s in live if t.startswith("《") else ():  # ``《书名》全文``: the title quotes the headline line and labels it
            if len(s) >= 4 and t.startswith(f"《{s}》") and len(t) - len(s) - 2 <= QUOTE_LABEL:
                return s
        for k, (_, s) in enumerate(live):
            if not (len(s) < len(t) and t.startswith(s) and _SEP.match(t, len(s))) or len(s) < (4 if s.isalpha() else 6):
                continue
            # The rest of the title names the site by its form, or the line heads the article (a dateline or a
            # paragraph under it): a menu entry the title starts with is neither (``每周灵修`` in a site's menu).
            if len(clean_title(t)) <= len(s) or _heads_article(live[k + 1:k + 2]):
                return s
        for k, (_, s) in enumerate(live):  # "站名 - 标题", Blogger's "Blog Name: Post Title": the line ends the title
            if len(s) >= 6 and len(s) < len(t) and t.endswith(s) and _lead_cut(t, len(t) - len(s)) \
                    and _heads_article(live[k + 1:k + 2]):
                return s
        return None
    best = None
    for _, s in live:
        if len(s) >= 40 and ends_sentence(s):
            break
        if 6 <= len(s) <= 48 and not ends_sentence(s) and not s.endswith(("：", ":")) and len(_HAN.findall(s)) >= 4 \
                and not _DATE.search(s) and "：" not in s[:6] and ":" not in s[:6]:
            best = s
    return best


TOP_TITLE_WORDS = 6
QUOTE_LABEL = 4  # characters a title may add after the headline it quotes (全文, 读后感)


def _lead_cut(t: str, n: int) -> bool:
    """Whether a leading part of title ``t`` ends at ``n``: a title separator, a Latin colon and space
    (``Anna's Blog: Post Title``), or a column's tag (``【资讯汇总】``)."""
    return any(m.end() == n for m in _SEP.finditer(t, 0, n + 1)) or (n > 2 and t[n - 2:n] == ": " and t[n - 3].isalnum()) \
        or LEAD_TAG.fullmatch(t[:n]) is not None
def _heads_article(after: list[tuple[int, str]]) -> bool:
    """Whether the line above ``after`` (the next live line) heads an article: a dateline or a paragraph follows."""
    return bool(after) and (_DATE.search(after[0][1]) is not None or _paragraph(after[0][1]))


_CRUMB = re.compile(r"\s[>»›]\s|\s[>»›]$")


def top_title(lines: list[str]) -> int | None:
    """The first line of a page with no title, when it is shaped like one: CommonCrawl text (WET) opens with
    the HTML title, and a plain text page with its headline. 4 to 150 characters, with letters (all letters below
    6: a page named ``统战工作``), not ending a sentence with a full stop (a question or exclamation mark may end a
    title).

    >>> top_title(["", "秋粮收购全面展开_新闻中心_某某网", "首页", "随着秋收接近尾声，全省秋粮收购工作全面展开。"])
    1
    >>> top_title(["随着秋收接近尾声，全省秋粮收购工作全面展开。", "首页"]) is None
    True
    >>> top_title(["首页", "秋粮收购全面展开"]) is None, top_title(["首页 > 新闻中心 > 正文", "秋粮收购全面展开"]) is None
    (True, True)
    >>> top_title(["统战工作", "导航", "首页"]), top_title(["一、背景", "导航", "首页"]) is None
    (0, True)
    >>> para = "今年春天雨水偏多，村里的稻田比往年提前半个月插秧。"
    >>> top_title(["项目背景", para, "解决思路", para]) is None
    True
    """
    i = next((k for k, x in enumerate(lines) if x.strip()), None)
    if i is None:
        return None
    s = lines[i].strip().lstrip("\ufeff").strip()
    if not _lines_after(lines, i, 2):  # a page needs more than its title
        return None
    if not 4 <= len(s) <= 150 or s[-1] in "。.;；，,：:" or sum(map(str.isalpha, s)) < 4 or _CRUMB.search(s):
        return None
    if len(s) < TOP_TITLE_WORDS and (not s.isalpha() or _first_heading(lines, i)):
        return None  # a short one is a name (加入我们, 统战工作), not a numbered heading or the first of a post's headings
    return i


def _lines_after(lines: list[str], i: int, n: int) -> bool:
    """Whether ``n`` or more lines with text follow ``lines[i]``."""
    for x in islice(lines, i + 1, None):
        if x.strip():
            n -= 1
            if not n:
                return True
    return False


def _first_heading(lines: list[str], i: int) -> bool:
    """Whether the short line ``lines[i]`` opens a paragraph, and a later line of its shape opens another: the
    first of a post's section headings (``项目背景`` … ``解决思路``), not the page's name."""
    rest = [x.strip() for x in lines[i + 1:] if x.strip()]
    heads = [k for k in range(len(rest) - 1) if len(rest[k]) < 2 * TOP_TITLE_WORDS and rest[k].isalpha()
             and _paragraph(rest[k + 1])]
    return bool(rest) and _paragraph(rest[0]) and bool(heads)


def _paragraph(s: str) -> bool:
    """A paragraph's line: 20 characters or more, ending a sentence."""
    return len(s) >= 20 and ends_sentence(s)


STRAY_MIN, STRAY_MAX = 8, 48  # a headline line's characters
ECHO_CHARS = 3000  # the body a headline's words are looked for in
ECHO_MIN = 0.4  # share of a headline's character pairs the body repeats
STRAY_SHARED = 0.3  # a title sharing this share of its pairs with the first line is that headline said otherwise
STRAY_PARAGRAPH = 20  # the paragraph under a headline ends a sentence
ECHO_FLOOR = 0.2  # a headline's echo that suffices against a title whose words the page never uses


def _shared_pairs(a: str, b: str) -> int:
    """How many character pairs of ``a`` are in ``b`` (both canonical).

    >>> _shared_pairs("物码印刷", "昆山印刷网提高印刷厂效率"), _shared_pairs("铜鼓新闻", "铜鼓县新闻")
    (1, 2)
    """
    return len({a[k:k + 2] for k in range(len(a) - 1)} & {b[k:k + 2] for k in range(len(b) - 1)})


def echo(s: str, body: str) -> float:
    """Share of the character pairs of ``s`` (canonical) found in ``body`` (canonical): a headline's words
    come back in its article.

    >>> echo("铜鼓县一化工厂发生爆炸", "铜鼓县应急管理局通报，该化工厂昨夜发生爆炸。"), echo("体育新世界", "两队近五次交手")
    (0.7, 0.0)
    """
    c = canonical_form(s)
    pairs = {c[k:k + 2] for k in range(len(c) - 1)}
    return round(sum(p in body for p in pairs) / len(pairs), 2) if pairs else 0.0


def stray_title(title: str, lines: list[str], i: int) -> bool:
    """Whether a given one-phrase ``title`` is not this page's (a crawl's site name, a keyword list, spam) and the
    page's first line ``lines[i]`` is its headline: a headline-shaped line (not a numbered heading, a date or a
    label), neither containing the title nor in it, over a paragraph or its own copy, whose words the body
    repeats more than the title's.

    >>> body = "记者从铜鼓县应急管理局获悉，该县一化工厂昨夜发生爆炸，事故造成一人受伤，原因正在调查之中。"
    >>> stray_title("体育新世界", ["铜鼓县一化工厂昨夜发生爆炸", body], 0)
    True
    >>> stray_title("铜鼓县新闻", ["本报记者 张三 李四 王五", body], 0), stray_title("第19页", ["一、事故经过及原因", body], 0)
    (False, False)
    >>> stray_title("4月全国CPI同比上涨0.3% 食品价格下降", ["4月份居民消费价格同比上涨0.3%", body], 0)
    False
    >>> stray_title("体育新世界", ["铜鼓县一化工厂昨夜发生爆炸 一人受伤", "铜鼓县一化工厂昨夜发生爆炸", body], 0)
    True
    >>> stray_title("物码印刷", ["某某印刷网提高印刷厂生产效率", "某某印刷网于2010年上线，整合印刷厂资源，提高生产效率。"], 0)
    True
    """
    h, t = lines[i].strip(), clean_title(title).strip()
    if h == t or len(_SEP.findall(t)) or not STRAY_MIN <= len(h) <= STRAY_MAX or not _bare_head(h) or _ENTRY_NUM.match(h):
        return False
    ch, ct = canonical_form(h), canonical_form(t)
    if not ct or ct in ch or ch in ct or "。" in h or (echo(t, ch) >= STRAY_SHARED and _shared_pairs(ct, ch) >= 2):
        return False  # one headline said two ways is the page's (one common word is a topic, not a restatement)
    rest = _lines_below(lines, i, h)
    if not rest or not (rest[0] == h or (len(rest[0]) >= STRAY_MIN and h.startswith(rest[0]))
                        or (len(rest[0]) >= STRAY_PARAGRAPH and rest[0][-1] in "。！？!?")):
        return False  # over a paragraph, its own copy or its first half (``甲队vs乙队 乙队客战可期`` over ``甲队vs乙队``)
    body = canonical_form("\n".join(x for x in rest if x != h)[:ECHO_CHARS])  # rest holds about that much
    near, far = echo(h, body), echo(t, body)
    return (near >= ECHO_MIN or (far == 0 and near >= ECHO_FLOOR)) and far < near  # a title the page never says


LEAD_HEADLINE = re.compile(r"^【([^【】。]{8,60})】")  # a post that opens with its headline in brackets (微博)


def _bare_head(s: str) -> bool:
    """Whether a line could be a headline by its form: no sentence ended, no date, no label (``来源：``) opening it."""
    return not ends_sentence(s) and not _DATE.search(s) and "：" not in s[:6] and ":" not in s[:6]


def article_head(lines: list[str], window: int = HEADLINE_WINDOW) -> str | None:
    """The headline of a page whose given title names only the site: the last headline-shaped line above the first
    paragraph, with a dateline or a paragraph right under it; else the bracketed headline a post opens with.

    >>> article_head(["首页", "股市行情", "全球经济增长率降至2.3%", "发布时间：2019-09-26 10:09", "报告指出，全球经济增长放缓。"])
    '全球经济增长率降至2.3%'
    >>> article_head(["公开", "5-13 17:07 来自 微博", "【某动物园老虎死亡？官方成立调查组】市政府新闻办通报，5月13日上午，"
    ...               "网传某动物园多只老虎死亡，市里已成立调查组进行全面调查。"])
    '某动物园老虎死亡？官方成立调查组'
    >>> article_head(["首页", "股市行情", "联系我们", "报告指出，全球经济增长放缓，贸易摩擦加剧，前景不容乐观。"]) is None
    True
    """
    live = list(islice((t for s in lines if (t := s.strip())), window))
    best = None
    for k, s in enumerate(live):
        if _paragraph(s) and len(s) >= 40:
            m = LEAD_HEADLINE.match(s)
            return best or (m.group(1).strip() if m else None)
        if 6 <= len(s) <= STRAY_MAX and _bare_head(s) and not s.endswith(("：", ":")) and len(_HAN.findall(s)) >= 4 \
                and _heads_article([(0, x) for x in live[k + 1:k + 2]]):
            best = s
    return best


def _lines_below(lines: list[str], i: int, h: str) -> list[str]:
    """The stripped lines with text below ``lines[i]``, up to those not ``h`` that hold ``ECHO_CHARS`` characters."""
    out, size = [], 0
    for x in islice(lines, i + 1, None):
        if x := x.strip():
            out.append(x)
            if x != h:
                size += len(x) + 1
                if size > ECHO_CHARS:
                    break
    return out


# --- the line model ----------------------------------------------------------------------------------
FEATURES = (
    "bias", "log_len", "short", "long", "end_punct", "ellipsis", "colon_end", "title_like", "han_share",
    "digit_share", "latin_share", "punct_share", "link", "image", "heading", "pos_start", "pos_end", "first3", "last3",
    "prev_title_like", "next_title_like", "prev_prose", "next_prose", "run_title_like", "title_sim", "vocab_sim",
    "space_sep", "bar_sep", "numbered", "date", "url", "rule_hit", "prev_rule_hit", "next_rule_hit",
    "after_last_prose", "before_first_prose", "photo_marker", "is_title", "dup_in_page", "title_like_near",
    "prose_near", "keyword_hit",
    # block context: the rules' verdicts around the line, the prose around it, its run of short lines
    "between_rule_hits", "rule_hits_near", "rule_run", "prose_dist", "nonprose_run", "chars_before", "chars_after",
    "prose_before", "prose_after", "page_prose", "link_near",
)
HIT_NEAR = 3  # lines each side that count as near
# The model decides only on the page's frame: lines before its first prose paragraph or after its last, on a page
# with prose to frame (this share of its characters or more). Held out, lines inside the body and pages without
# prose (forum posts, code, spec sheets) cost body on sources the model had not seen.
PAGE_PROSE = 0.3
RUN_CAP = 8
# Where a photo caption points: （左）, （右二）, 圖為…; captions sit apart from prose paragraphs.
PHOTO_MARK = re.compile(r"[（(](?:左|右|中|前|後|后|上|下)[一二三四五六\d]?[）)]|^(?:圖為|图为|圖：|图：)|(?:攝|摄)[）)]?$")
_NUMBERED = re.compile(r"^\d{1,2}[.、．\s]?\D")
_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}:\d{2}")
_URL = re.compile(r"https?://|www\.")


_NOT_ALNUM = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")
_PUNCT = re.compile(r"[^\w\s]")
SAMPLE = 2000  # character shares of a longer line are taken on its first characters


def _key(s: str) -> str:
    return _NOT_ALNUM.sub("", s)


def _share(s: str, pattern: re.Pattern[str]) -> float:
    s = s[:SAMPLE]
    return len(pattern.findall(s)) / len(s) if s else 0.0


def _prose(s: str) -> bool:
    return len(s) >= 30 and ends_sentence(s)


def line_features(plain: list[str], kinds: list[str], rules: list[str | None], title: str | None,
                  want: set[int] | None = None) -> list[list[float]]:
    """One feature vector (in ``FEATURES`` order) per line; blank lines (and lines not in ``want``) get zeros.

    ``rules[i]`` is the rule that dropped line ``i`` (or None): every rule's verdict is a feature, and so
    are its neighbours'. ``kinds`` are the markdown kinds (text, link, image, heading, italic, figcaption).

    >>> x = line_features(["首页", "今年一季度城区新增三处口袋公园。"], ["text", "text"], ["furniture", None], None)
    >>> len(x) == 2 and all(len(v) == len(FEATURES) for v in x)
    True
    """
    n = len(plain)
    live = [i for i in range(n) if plain[i].strip() or kinds[i] == "image"]
    m = max(len(live), 1)
    is_prose = [_prose(plain[i].strip()) for i in live]
    prose_at = [k for k in range(len(live)) if is_prose[k]]
    first_prose = prose_at[0] if prose_at else m
    last_prose = prose_at[-1] if prose_at else -1
    vocab: dict[str, int] = {}
    for k in prose_at:
        for c in set(plain[live[k]][:SAMPLE]):
            vocab[c] = vocab.get(c, 0) + 1
    tset = set(title or "")
    tkey = _key(title or "")
    counts: dict[str, int] = {}
    for i in live:
        key = plain[i].strip()
        counts[key] = counts.get(key, 0) + 1
    out = [[0.0] * len(FEATURES) for _ in range(n)]
    tl = [title_like(plain[i].strip()) for i in live]
    runs = _runs(tl)
    nonprose_runs = _runs([not p for p in is_prose])
    hit = [rules[i] not in (None, "keyword") for i in live]
    # removed lines right before and after each line, and the distance to the nearest prose line
    hits_before, hits_after = [0] * len(live), [0] * len(live)
    for k in range(1, len(live)):
        hits_before[k] = hits_before[k - 1] + 1 if hit[k - 1] else 0
    for k in range(len(live) - 2, -1, -1):
        hits_after[k] = hits_after[k + 1] + 1 if hit[k + 1] else 0
    prose_dist = _distance(is_prose)
    sizes = [len(plain[i].strip()) for i in live]
    total = max(sum(sizes), 1)
    cum = np.cumsum([0, *sizes]).tolist()
    prose_sizes = [sizes[k] if is_prose[k] else 0 for k in range(len(live))]
    prose_total = max(sum(prose_sizes), 1)
    prose_cum = np.cumsum([0, *prose_sizes]).tolist()
    links = [kinds[i] == "link" for i in live]
    for k, i in enumerate(live):
        if want is not None and i not in want:
            continue
        s = plain[i].strip()
        ln = len(s)
        prev_i = live[k - 1] if k else None
        next_i = live[k + 1] if k + 1 < len(live) else None
        chars = set(s[:SAMPLE])
        f = {
            "bias": 1.0,
            "log_len": math.log1p(ln) / 6,
            "short": float(ln <= 12),
            "long": float(ln >= 80),
            "end_punct": float(ends_sentence(s)),
            "ellipsis": float(s.endswith(ELLIPSIS)),
            "colon_end": float(s.endswith(("：", ":"))),
            "title_like": float(tl[k]),
            "han_share": _share(s, _HAN),
            "digit_share": _share(s, _DIGIT),
            "latin_share": _share(s, _LATIN),
            "punct_share": _share(s, _PUNCT),
            "link": float(kinds[i] == "link"),
            "image": float(kinds[i] in ("image", "figcaption")),
            "heading": float(kinds[i] == "heading"),
            "pos_start": k / m,
            "pos_end": (m - 1 - k) / m,
            "first3": float(k < 3),
            "last3": float(k >= m - 3),
            "prev_title_like": float(k > 0 and tl[k - 1]),
            "next_title_like": float(k + 1 < len(live) and tl[k + 1]),
            "prev_prose": float(k > 0 and is_prose[k - 1]),
            "next_prose": float(k + 1 < len(live) and is_prose[k + 1]),
            "run_title_like": min(runs[k], 8) / 8,
            "title_sim": len(chars & tset) / len(tset | chars) if tset and chars else 0.0,
            "vocab_sim": (sum(1 for c in chars if vocab.get(c, 0) >= 2) / len(chars)) if chars else 0.0,
            "space_sep": float("　" in s or "  " in s or "\t" in s),
            "bar_sep": float(any(c in s for c in "|｜>»›")),
            "numbered": float(bool(_NUMBERED.match(s))),
            "date": float(bool(_DATE.search(s))),
            "url": float(bool(_URL.search(s))),
            "rule_hit": float(rules[i] not in (None, "keyword")),
            "prev_rule_hit": float(prev_i is not None and rules[prev_i] not in (None, "keyword")),
            "next_rule_hit": float(next_i is not None and rules[next_i] not in (None, "keyword")),
            "after_last_prose": float(k > last_prose),
            "before_first_prose": float(k < first_prose),
            "photo_marker": float(ln <= 150 and bool(PHOTO_MARK.search(s))),
            "is_title": float(bool(tkey) and len(tkey) >= 4 and (_key(s) == tkey or (len(s) <= len(tkey) + 2 and tkey in _key(s)))),
            "dup_in_page": float(counts.get(s, 0) > 1),
            "title_like_near": sum(tl[j] for j in range(max(0, k - 3), min(len(live), k + 4)) if j != k) / 6,
            "prose_near": sum(is_prose[j] for j in range(max(0, k - 3), min(len(live), k + 4)) if j != k) / 6,
            "keyword_hit": float(rules[i] == "keyword"),
            "between_rule_hits": float(hits_before[k] > 0 and hits_after[k] > 0),
            "rule_hits_near": sum(hit[j] for j in range(max(0, k - HIT_NEAR), min(len(live), k + HIT_NEAR + 1))
                                  if j != k) / (2 * HIT_NEAR),
            "rule_run": min(hits_before[k] + hits_after[k], RUN_CAP) / RUN_CAP,
            "prose_dist": min(prose_dist[k], RUN_CAP) / RUN_CAP,
            "nonprose_run": min(nonprose_runs[k], RUN_CAP) / RUN_CAP,
            "chars_before": cum[k] / total,
            "chars_after": (total - cum[k + 1]) / total,
            "prose_before": prose_cum[k] / prose_total,
            "prose_after": (prose_cum[-1] - prose_cum[k + 1]) / prose_total,
            "page_prose": prose_cum[-1] / total,
            "link_near": sum(links[j] for j in range(max(0, k - HIT_NEAR), min(len(live), k + HIT_NEAR + 1))
                             if j != k) / (2 * HIT_NEAR),
        }
        out[i] = [f[name] for name in FEATURES]
    return out


def _runs(flags: list[bool]) -> list[int]:
    """For each position, the length of the run of true flags it lies in (0 where false).

    >>> _runs([True, True, False, True])
    [2, 2, 0, 1]
    """
    out = [0] * len(flags)
    k = 0
    while k < len(flags):
        if not flags[k]:
            k += 1
            continue
        j = k
        while j < len(flags) and flags[j]:
            j += 1
        out[k:j] = [j - k] * (j - k)
        k = j
    return out


def _distance(flags: list[bool]) -> list[int]:
    """For each position, how many positions away the nearest true flag is (len(flags) when there is none).

    >>> _distance([False, True, False, False])
    [1, 0, 1, 2]
    """
    far = len(flags)
    out = [far] * len(flags)
    last = None
    for k, f in enumerate(flags):
        last = k if f else last
        if last is not None:
            out[k] = k - last
    last = None
    for k in range(len(flags) - 1, -1, -1):
        last = k if flags[k] else last
        if last is not None:
            out[k] = min(out[k], last - k)
    return out


_AFTER, _BEFORE, _PAGE = (FEATURES.index(n) for n in ("after_last_prose", "before_first_prose", "page_prose"))


def in_scope(x: list[float]) -> bool:
    """Whether the line model may remove a line with features ``x``: it frames the page's prose (before the first
    prose paragraph or after the last) on a page with prose (``PAGE_PROSE``).

    >>> plain = ["首页", "记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道和滨江街道。", "相关新闻"]
    >>> [in_scope(x) for x in line_features(plain, ["text"] * 3, [None] * 3, None)]
    [True, False, True]
    """
    return (x[_AFTER] > 0 or x[_BEFORE] > 0) and x[_PAGE] >= PAGE_PROSE


def frame_lines(texts: list[str]) -> list[int]:
    """Positions of the lines the model may decide on, before it computes any feature: outside the prose span of a
    page with prose (``in_scope``), not prose themselves (``protected``); none on a page without enough prose.

    >>> frame_lines(["首页", "记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道和滨江街道。", "相关新闻"])
    [0, 2]
    >>> frame_lines(["第一章", "她推开门。"])
    []
    """
    sizes = [len(s.strip()) for s in texts]
    prose = [k for k, s in enumerate(texts) if _prose(s.strip())]
    if not prose or sum(sizes[k] for k in prose) < PAGE_PROSE * max(sum(sizes), 1):
        return []
    return [k for k in range(len(texts)) if (k < prose[0] or k > prose[-1]) and not protected(texts[k].strip())]


def score(model: dict, x: list[float]) -> float:
    """Probability that a line is boilerplate under ``model`` (boosted trees or a logistic regression).

    >>> score({"kind": "trees", "base": 0.0, "trees": [[0, 0.5, -1.0, 2.0]]}, [1.0])
    0.8808
    """
    if model.get("kind") == "trees":
        return score_trees(model, x)
    return score_logistic(model, x)


def score_trees(model: dict, x: list[float]) -> float:
    """Boosted trees: nested ``[feature, threshold, left, right]`` lists with float leaves, summed as log-odds.

    >>> score_trees({"base": 0.0, "trees": [[0, 0.5, -1.0, 2.0]]}, [1.0])
    0.8808
    """
    z = model["base"]
    for tree in model["trees"]:
        while tree.__class__ is list:
            tree = tree[2] if x[tree[0]] <= tree[1] else tree[3]
        z += tree
    return round(1 / (1 + math.exp(-max(-30.0, min(30.0, z)))), 4)


def score_logistic(model: dict, x: list[float]) -> float:
    """Probability that a line is boilerplate: logistic regression over standardized features.
    ``x`` is a ``line_features`` vector; the model names the features it uses.

    >>> x = [0.0] * len(FEATURES); x[FEATURES.index("short")] = 1.0
    >>> score_logistic({"features": ["short"], "mean": [0], "scale": [1], "coef": [2], "intercept": 0}, x)
    0.8808
    """
    z = model["intercept"]
    for k, name in enumerate(model["features"]):
        if name in FEATURES:
            z += model["coef"][k] * (x[FEATURES.index(name)] - model["mean"][k]) / model["scale"][k]
    return round(1 / (1 + math.exp(-max(-30.0, min(30.0, z)))), 4)
