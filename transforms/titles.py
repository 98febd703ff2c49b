"""Titles: a page title without the site name, channel and category names and slogans around its headline.

An HTML title joins the headline and the site's parts with a separator (``_ - | – — · :: @`` or a full-width
space): ``台风今晨登陆_社会_新浪网``. The headline stays; a part goes when its shape says it names a site or a
section (a site suffix such as 网/站/频道/论坛/公司, a domain, a short category word, a Latin brand after a
Chinese headline) or when many titles of the same site share it (``repeated``, from crossdoc). A long part
that is none of these stays: it may be the headline's subtitle. Decisions are made on a script-folded view, so
Simplified and Traditional titles lose the same parts, and a cleaned title is cleaned to itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from difflib import SequenceMatcher
from functools import lru_cache

from transforms.script import fold
from transforms.text import canonical_form

# A separator between title parts. A bare hyphen separates only next to Chinese text or punctuation
# (``SMA-ZPW011`` and ``6--1`` are names); a doubled dash ``——`` is a Chinese subtitle mark, never a separator.
SEP = re.compile(
    r"\s*(?<!_)_(?!_)\s*|(?<=[^\x00-\x7f])\s*__\s*(?=\S)|\s*[|｜丨]+\s*|\s+[-–—－]\s+|\s+::\s+|\s+@\s+|\u3000+|\s[–—]\s"
    r"|(?<=[^A-Za-z0-9\s\-－])\s*[-－]\s*(?=\S)|(?<=\S)\s*[-－]\s*(?=[^A-Za-z0-9\s\-－])"
    r"|(?<=[^\x00-\x7f]),\s*|(?<=\S)(?=【[^【】]{2,20}】)"
)
# Every match of SEP holds one of these: a title without them is one part (SEP's lookarounds scan slowly).
SEP_CHAR = re.compile(r"[_|｜丨\s\-–—－,【]")
# Parts joined by a full-width space or a comma may be two halves of one headline (``佔中風暴　由這一代平息``),
# and a closing 【…】 a tag: only a part that names a site by its form goes there, never one for being short.
WEAK_SEPS = ("\u3000", ",", "【")
# A blog platform names the blog after " @ " or " :: ": all of it goes.
BLOG_SEP = re.compile(r"\s@\s|\s::\s")
# How a site, portal or section names itself: features of a part, not verdicts on a headline.
SITE_END = re.compile(
    r"(?:网|站|网站|官网|官方网站|门户网站|首页|主页|频道|专栏|栏目|论坛|社区|贴吧|博客|部落格|空间|平台|商城|百科|百科全书"
    r"|公司|集团|中心|厂|厂家|厅|局|政府|办公室|办事处|医院|学院|大学|学校|协会|学会|研究院|研究所|委员会|报|日报|晚报|新闻|新闻网|电视台|之家"
    r"|小说|手机版|电脑版|app|APP|App|下载|官方|在线|中文网|[Cc]lub|CLUB)[)）】]?$"
)
SITE_IN = re.compile(r"(?i)\bwww\.|\.(?:com|cn|net|org|hk|tw|cc|info)\b|powered by|版权所有|官方网站|官网")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_BRAND = re.compile(r"^[A-Za-z][A-Za-z0-9 .&'!+-]{2,29}$")
LEAD_SEPS = ("|", "｜", "丨")
# A column's tag before the headline (``【资讯汇总】``, ``[独家]``): a short bracketed name, no clause in it. It goes
# only where the headline says its words again, or the page's own headline line is written without it
# (``lines.headline``): a series name (``【女权史上的今天】``) may be the title's.
LEAD_TAG = re.compile(r"^\s*[【\[［][^【】\[\]［］，。！？,!?：:]{2,8}[】\]］]\s*")
# Board counters a forum's title carries after its name: ``今日: 8 |主题: 78553|排名: 2``; two or more go.
STATS = re.compile(r"(?:(?:\s+|\s*[|｜]\s*)[^\W\d_]{1,4}\s?[:：]\s?\d[\d,]*){2,}\s*$")
# A column after a bar (``…｜某某快评``) is a short phrase beside a headline this many times longer.
COLUMN_CHARS = 6
COLUMN_RATIO = 3
SITE_NAME_CHARS = 40
LONG_LAST = 16  # a last part this long and three times the first is no site name: the headline runs on
RESTATE_CHARS = 4
ORG_CHARS = 6
# A category part: a short Chinese word (社会, 财经, 两会, 页 1).
SHORT = 4
# A short part goes only beside a headline of this many characters; an underscore cuts after one this long.
MIN_HEAD = 4
MIN_UNDERSCORE_HEAD = 6


def _site_end(p: str) -> bool:
    # SITE_END matches at the end, five characters at most: its search of the tail is its search of the part.
    return SITE_END.search(p, max(0, len(p) - 8)) is not None


def parts(title: str) -> list[tuple[str, int, int]]:
    """The title's parts: the separator before each (``""`` for the first), its start and end.

    >>> t = "台风今晨登陆_社会_新浪网"
    >>> [(sep, t[a:b]) for sep, a, b in parts(t)]
    [('', '台风今晨登陆'), ('_', '社会'), ('_', '新浪网')]
    >>> ["思迈奥 SMA-ZPW011 头盔_思迈奥-首页"[a:b] for _, a, b in parts("思迈奥 SMA-ZPW011 头盔_思迈奥-首页")]
    ['思迈奥 SMA-ZPW011 头盔', '思迈奥', '首页']
    """
    return list(_parts(title) if len(title) <= 200 else _parts.__wrapped__(title))  # a huge title is not kept


@lru_cache(maxsize=1024)
def _parts(title: str) -> tuple[tuple[str, int, int], ...]:
    # Remembered: a page's title is cut, cut again and asked whether it names a site, each asking for its parts.
    if not SEP_CHAR.search(title):
        return (("", 0, len(title)),)
    out, at, sep = [], 0, ""
    for m in SEP.finditer(title):
        if title[at:m.start()].strip():
            out.append((sep, at, m.start()))
            sep = m.group(0).strip() or m.group(0) or title[m.end():m.end() + 1]
        at = m.end()
    if title[at:].strip():
        out.append((sep, at, len(title)))
    return tuple(out) or (("", 0, len(title)),)


def site_like(part: str, rest: str, repeated: Collection[str] = (), weak: bool = False) -> bool:
    """Whether ``part`` (folded) names a site, a section or a slogan rather than belonging to the headline
    ``rest`` next to it: a site suffix or domain, a short Chinese category word, a Latin brand beside a
    Chinese headline, or a part many titles of the site share. After a ``weak`` separator only the form
    of a site name counts.

    >>> site_like("新浪网", "台风今晨登陆"), site_like("社会", "台风今晨登陆"), site_like("Yahoo", "优惠推荐专区")
    (True, True, True)
    >>> site_like("居民：不能再拖", "某区议员促当局交代"), site_like("18 April 2022", "Weekly Devotionals")
    (False, False)
    """
    p = part.strip()
    if len(rest.strip()) < 2:
        return False
    if repeated and canonical_form(p) in repeated and len(rest.strip()) >= 2:
        return True
    if _site_form(p):
        return True
    if weak or len(rest.strip()) < MIN_HEAD:
        return False
    han = len(_HAN.findall(p))
    if 0 < han and len(p) <= SHORT and not re.search(r"[，。！？,!?：:]", p):
        return True
    return bool(_LATIN_BRAND.match(p)) and han == 0 and _HAN.search(rest) is not None


def _site_form(part: str) -> bool:
    return bool(SITE_IN.search(part) or (len(part) <= 30 and _site_end(part)))


def names_site(title: str) -> bool:
    """Whether a whole title is a site's name or slogan rather than a headline (a feed or crawl that gives
    every page of a site its home page title): a site suffix or domain, a bracketed name, or a word.

    >>> names_site("长春某某皮肤病医院"), names_site("【畅通汽车租赁】"), names_site("官方网站 善用自然的能量")
    (True, True, True)
    >>> names_site("湿疹的临床症状具体有哪些"), names_site("某区议员促当局交代　居民：不能再拖"), names_site("老屋遭法拍 病翁伴孙栖工厂")
    (False, False, False)
    """
    t = fold(title.replace("\ufeff", "")).strip()  # two phrases with a space between are a headline's halves
    if len(t) > SITE_NAME_CHARS or len(parts(t)) > 1:  # a long one is a headline, whatever it mentions
        return False
    return bool(SITE_IN.search(t) or (len(t) <= 20 and " " not in t and _site_end(t)) or re.fullmatch(r"【[^【】]{2,20}】", t)
                or (len(_HAN.findall(t)) == len(t) and len(t) <= 3))


def clean_title(title: str, last_is_site: bool = False, repeated: Collection[str] = ()) -> str:
    """A page title without its site name, channel and category names and slogans.

    Trailing parts go while they look like a site or a section; a leading part goes when it does and the
    rest is the longer headline. ``last_is_site``: the title is a raw HTML title, whose last part names the
    site whatever it looks like (CommonCrawl text opens with one). ``repeated``: canonical forms of parts
    that many titles of the same site share.

    >>> clean_title("台风今晨登陆_社会_新浪网"), clean_title("觀點 | 為什麼要讀書")
    ('台风今晨登陆', '為什麼要讀書')
    >>> clean_title("关于调整年末国债余额限额的决议__2007年第23号国务院公报")  # a doubled underscore after Han
    '关于调整年末国债余额限额的决议'
    >>> clean_title("秋粮收购全面展开-新闻中心-某某日报"), clean_title("秋糧收購全面展開-新聞中心-某某日報")
    ('秋粮收购全面展开', '秋糧收購全面展開')
    >>> clean_title("专访｜王某：城中村的最后一个夏天"), clean_title("新竹尖石_赏枫 (2) @ 阿明的家 :: 博客")
    ('王某：城中村的最后一个夏天', '新竹尖石_赏枫 (2)')
    >>> clean_title("Weekly Notes – 18 April 2022 - Lighthouse", last_is_site=True)
    'Weekly Notes – 18 April 2022'
    >>> clean_title("【资讯汇总】9月26日盘中重要资讯汇总"), clean_title("【空污追兇】互動巴士路線圖")
    ('9月26日盘中重要资讯汇总', '【空污追兇】互動巴士路線圖')
    >>> clean_title("【某某车友会】_某某车友会论坛_某某网")  # the tag is the first part, not a headline's column
    '【某某车友会】'
    >>> clean_title("统治力!阿贾-威尔逊获评赛季MVP 还揽下最佳防守球员", last_is_site=True)  # a hyphen in a name
    '统治力!阿贾-威尔逊获评赛季MVP 还揽下最佳防守球员'
    """
    if not last_is_site and not repeated and title in _SETTLED:
        return title
    t = _cut(title, last_is_site, repeated)
    if t == title and not last_is_site:  # the cut again would be this very cut (pure): it stays
        if not repeated:
            _settle(t)
        return t
    for _ in range(3):  # what the cut leaves is cut again until it stays: a second pass gives the same title
        again = _cut(t, False, repeated)
        if again == t:
            if not repeated:
                _settle(t)
            break
        t = again
    return t


# Titles the cut leaves as they are (``_cut(t, False, ()) == t``): the step cleans a page's title once, then
# asks again of what it kept, and that answer is known.
_SETTLED: dict[str, None] = {}


def _settle(title: str) -> None:
    if len(_SETTLED) >= 1 << 12:
        _SETTLED.clear()
    _SETTLED[title] = None


def _column(part: str, rest: str, sep: str) -> bool:
    """A column or account name at a bar: a short phrase with no punctuation beside a much longer headline.

    >>> _column("某某快评", "图书馆清理旧书，要经得起法律审视", "｜"), _column("某某快评", "旧书清理", "｜")
    (True, False)
    """
    return (sep[:1] in LEAD_SEPS and len(part) <= COLUMN_CHARS and _HAN.search(part) is not None
            and not re.search(r"[，。！？,!?：:、]", part) and len(rest) >= COLUMN_RATIO * len(part))


def _restates(part: str, head: str) -> bool:
    """Whether ``part`` says the headline ``head`` again in other words: not inside it, but sharing a run of
    ``RESTATE_CHARS`` characters with it, neither holding the other.

    >>> _restates("麻辣鸭脖怎么做", "麻辣鸭脖的做法"), _restates("悦悦的菜谱", "麻辣鸭脖的做法"), _restates("麻辣鸭脖", "麻辣鸭脖的做法")
    (True, False, False)
    """
    a, b = canonical_form(part), canonical_form(head)
    if not a or a in b or b in a:  # the headline with a model's or shop's name around it is no new wording
        return False
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size >= RESTATE_CHARS


def _cut(title: str, last_is_site: bool, repeated: Collection[str]) -> str:
    t = title.replace("\ufeff", "").strip()
    stats = STATS.search(t)
    if stats and stats.start() >= MIN_HEAD:
        t = t[: stats.start()].strip()
    m = BLOG_SEP.search(t)
    if m and m.start() >= MIN_HEAD:
        t = t[: m.start()].strip()
    m = LEAD_TAG.match(t)
    if m and len(t) - m.end() >= MIN_HEAD and not SEP.match(t, m.end()) \
            and canonical_form(m.group().strip(" 【】[]［］")) in canonical_form(t[m.end():]):
        t = t[m.end():].strip()  # the column's name said again by the headline: ``【资讯汇总】…盘中资讯汇总``
    ps = parts(t)
    folded = fold(t)
    view = [(s, folded[a:b].strip()) for s, a, b in ps]
    keep = list(range(len(ps)))

    def text(ix: list[int]) -> str:
        return "".join(view[i][1] for i in ix)

    dropped = []
    if last_is_site and len(keep) > 1 and len(text(keep[:-1])) >= 2 and view[-1][0][:1] not in WEAK_SEPS:
        first, last = view[0][1], view[-1][1]
        if len(keep) == 2 and view[1][0][:1] in LEAD_SEPS and site_like(first, last) and len(last) > 2 * len(first):
            keep.pop(0)  # "站名 | 标题": the site leads
        elif not (len(keep) == 2 and len(last) >= LONG_LAST and len(last) > 3 * len(first)):
            dropped.append(view[keep.pop()][0])  # else a hyphen in a name (阿贾-威尔逊…), or the site leads
    # "标题_栏目_站名": an underscore after a headline-sized first part starts the site's parts.
    # A part that says the headline again in other words (``麻辣鸭脖的做法_麻辣鸭脖怎么做``) is the headline's.
    if len(keep) > 1 and view[1][0].startswith("_") and len(view[0][1]) >= MIN_UNDERSCORE_HEAD:
        n = 1
        while n < len(keep) and view[n][0].startswith("_") and _restates(view[n][1], view[0][1]):
            n += 1
        keep = keep[:n]
    named = {canonical_form(view[i][1]) for i in range(len(ps)) if i not in keep} | set(repeated)
    while len(keep) > 1 and (site_like(view[keep[-1]][1], text(keep[:-1]), named, view[keep[-1]][0][:1] in WEAK_SEPS)
                             or _column(view[keep[-1]][1], text(keep[:-1]), view[keep[-1]][0])):
        dropped.append(view[keep.pop()][0])
    # "帖子 - 版块 - 版块 - 论坛 - Powered by": when the site's parts chain with one separator, the parts
    # before them joined by the same one are sections too. The peel runs again, so a second pass agrees.
    if len(dropped) >= 2 and len(set(dropped)) == 1 and dropped[0] not in WEAK_SEPS and not dropped[0].startswith("_"):
        cut = next((k for k, i in enumerate(keep[1:], 1) if view[i][0] == dropped[0]), None)
        keep = keep[:cut] if cut else keep
        while len(keep) > 1 and site_like(view[keep[-1]][1], text(keep[:-1]), repeated, view[keep[-1]][0][:1] in WEAK_SEPS):
            keep.pop()
    # "栏目 | 标题": a leading part goes only before a bar, as columns are written.
    while len(keep) > 1 and view[keep[1]][0][:1] in LEAD_SEPS and len(text(keep[1:])) > len(view[keep[0]][1]) \
            and (site_like(view[keep[0]][1], text(keep[1:]), repeated) or _column(view[keep[0]][1], text(keep[1:]), view[keep[1]][0])):
        keep.pop(0)
    # "站名-标题": before another separator, a leading part goes only when its form names a site.
    while len(keep) > 1 and view[keep[1]][0][:1] not in WEAK_SEPS and _site_form(view[keep[0]][1]) \
            and len(text(keep[1:])) > len(view[keep[0]][1]):
        keep.pop(0)
    out = t[ps[keep[0]][1]:ps[keep[-1]][2]].strip()
    out = _unwrap_site(out, {canonical_form(view[i][1]) for i in range(len(ps)) if i not in keep} | set(repeated))
    # "标题 某某办事处_站名": beside the site's cut parts, a short organisation after a space is the page's publisher.
    head, space, last = out.rpartition(" ")
    if keep[-1] < len(ps) - 1 and space and len(last) <= ORG_CHARS and _site_form(fold(last)) \
            and len(head.strip()) >= COLUMN_RATIO * len(last):
        out = head.strip()
    return out


# A site's name said again inside the headline's own part, quoted or bracketed at its start or end
# (``‘某站’标题_某站``, ``标题【某站】_某站``): the name is the site's, wherever the title repeats it.
_WRAPS = ("‘’", "“”", "「」", "『』", "【】", "[]", "［］", "()", "（）", "《》", "\"\"", "''")


def _unwrap_site(title: str, names: Collection[str]) -> str:
    """``title`` without a quoted or bracketed copy of a site name in ``names`` (canonical, folded forms) at its
    start or end, when a headline of ``MIN_HEAD`` characters stays.

    >>> _unwrap_site("‘某某体育’自然资源部抽查绿色矿山遴选情况", {"某某体育"})
    '自然资源部抽查绿色矿山遴选情况'
    >>> _unwrap_site("连台好戏服务老年观众【某某体育】", {"某某体育"}), _unwrap_site("《红楼梦》读后感", {"某某书城"})
    ('连台好戏服务老年观众', '《红楼梦》读后感')
    """
    if not names or len(title) < MIN_HEAD + 4:
        return title
    return next((rest for name, rest in _wraps(title) if canonical_form(fold(name)) in names), title)


WRAP_CHARS = 10  # a quoted or bracketed name at a line's edge that may be the site's


def wrapped_name(line: str) -> str | None:
    """The line without a short quoted or bracketed name at its start or end (``【某站】标题`` -> ``标题``), or None.

    >>> wrapped_name("‘某某体育’自然资源部抽查绿色矿山遴选情况"), wrapped_name("自然资源部抽查绿色矿山遴选情况") is None
    ('自然资源部抽查绿色矿山遴选情况', True)
    """
    return next((rest for name, rest in _wraps(line.strip()) if len(name) <= WRAP_CHARS), None)


def _wraps(t: str):
    """``(name, rest)`` for each quoted or bracketed name at the start or end of ``t`` that leaves a headline of
    ``MIN_HEAD`` characters."""
    for a, b in _WRAPS:
        if t.startswith(a) and (k := t.find(b, 1)) > 1 and len(t) - k - 1 >= MIN_HEAD:
            yield t[1:k], t[k + 1:].strip()
        if t.endswith(b) and (k := t.rfind(a, 0, len(t) - 1)) >= MIN_HEAD:
            yield t[k + 1:-1], t[:k].strip()


KEYWORD_PARTS = 5  # parts of a search-engine keyword title
KEYWORD_CHARS = 8  # a keyword part's characters
KEYWORD_SEPS = ("_", ",", "|", "｜")  # how keywords are listed
STUFFED_STEM, STUFFED_PARTS = 4, 3  # characters a stuffed title's parts begin with alike, and how many parts


def keyword_title(title: str) -> bool:
    """Whether a whole title is a site's keyword list (five or more parts, nearly all short words, or three that
    begin with the same word) rather than a headline: a home page or search-engine title.

    >>> keyword_title("今日天气_天气预报_一周天气_空气质量_气象新闻 - 某某天气网，权威天气资讯网站")
    True
    >>> keyword_title("户外烧烤炉批发,户外烧烤炉供应,户外烧烤炉生产厂家_某某山庄")  # stuffed: one word, three times
    True
    >>> keyword_title("台风今晨登陆_社会_新浪网"), keyword_title("求助 - 硬件 - 电脑 - 数码 - 某某论坛 - Powered by Discuz!")
    (False, False)
    """
    t = fold(title).strip()
    ps = parts(t)
    if len(ps) < STUFFED_PARTS:  # both tests below need this many parts (KEYWORD_PARTS is more)
        return False
    short = sum(1 for _, a, b in ps if len(t[a:b].strip()) <= KEYWORD_CHARS)
    listed = sum(1 for sep, _, _ in ps[1:] if sep[:1] in KEYWORD_SEPS)  # a forum's board chain is joined by dashes
    if len(ps) >= KEYWORD_PARTS and short >= len(ps) - 1 and listed >= KEYWORD_PARTS - 1:
        return True
    # Keyword stuffing: three or more listed parts that begin with the same word (``某某批发,某某供应,某某厂家``).
    stuffed = [(a, b) for sep, a, b in ps if sep[:1] in ("", *KEYWORD_SEPS)]
    if len(stuffed) < STUFFED_PARTS:  # most titles: too few parts to share a stem that often
        return False
    stems = Counter(canonical_form(t[a:b])[:STUFFED_STEM] for a, b in stuffed)
    return any(len(k) == STUFFED_STEM and n >= STUFFED_PARTS for k, n in stems.items())
