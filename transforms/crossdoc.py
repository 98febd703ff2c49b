"""crossdoc step: short lines repeated on many pages of one site are boilerplate.

A caption, slogan, author blurb or "subscribe" line that a site prints on page after page is not content, so
it is removed from every page, not kept once. The flow works in three phases around these functions:
map (``line_keys`` per page, with ``site_of`` the page's site), reduce (count distinct pages per
(site, key) and ask ``is_boilerplate``), apply (``remove_lines``).
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

import xxhash
from pydantic import Field

from transforms import lines, titles
from transforms.document import Document, Rule, StepConfig, StepStats, remove_span
from transforms.script import fold
from transforms.text import canonical_form, int64_key, per_line, signed64


class Config(StepConfig):
    # Three pages make a pattern; two can be a coincidence (the rule).
    min_pages: int = Field(3, ge=2)
    # On a big site a line must also reach this share of its pages. On hkcnews (46,662 pages of one site) every
    # line found on >= 0.1% of the pages (47+) is an author blurb, caption, subscribe line or embed; below that,
    # body paragraphs of republished articles start to show up.
    min_fraction: float = Field(0.001, ge=0, le=1)
    # Where the share rule starts: 3 / 0.001, so the two rules meet without a jump.
    large_site: int = Field(3000, ge=1)
    # Longest candidate, in canonical characters. The longest line on >= 47 hkcnews pages (an author blurb) has
    # 247; longer lines are paragraphs, which repeat when a page is republished, and that is dedup's job.
    max_chars: int = Field(300, ge=1)
    # How many of the most-removed lines per site the run report lists.
    top_report: int = 20


def canonical_line(line: str) -> str:
    """The form lines are compared in: no punctuation or spaces, digits folded, NFKC, lower case.

    >>> canonical_line("2023年10月5日 | 图片来源：网络") == canonical_line("2024年1月15日  图片来源:网络")
    True
    >>> canonical_line("2023年10月5日 | 图片来源：网络")
    '0年0月0日图片来源网络'
    """
    return canonical_form(line, fold_digits=True)


# A date alone on a line (``2015年7月3日``, digits folded): pages share it because they share a day, not a
# template (a letter's signature date is its text); the boilerplate step's dateline rule judges it on its page.
BARE_DATE = "0年0月0日"


_HALF = 1 << 63


def _keys_of_lines(text: str, cfg: Config) -> list[int | None]:
    # The key of every line, None when it is no candidate. The hot loop of the step, so kept lean:
    # ``(h ^ 2**63) - 2**63`` is ``signed64(h)`` without a call per line.
    canon = canonical_form(text, fold_digits=True, keep_newlines=True).split("\n")
    hash64, limit, half = xxhash.xxh3_64_intdigest, cfg.max_chars, _HALF
    return [(hash64(c.encode()) ^ half) - half if c and len(c) <= limit and c != BARE_DATE else None for c in canon]


def line_keys(text: str, cfg: Config) -> dict[int, str]:
    """Key of every candidate line (non-empty canonical form of at most ``max_chars``) -> its first original line.

    A repeated line shares the first one's key, so a page counts once per line.

    >>> sorted(line_keys("图片来源：网络\\n正文第一段。\\n图片来源:网络", Config()).values())
    ['图片来源：网络', '正文第一段。']
    """
    return _first_lines(text, _keys_of_lines(text, cfg))


def _first_lines(text: str, keys: list[int | None]) -> dict[int, str]:
    found: dict[int, str] = {}
    lines = None  # split only for a page with a candidate line
    for i, key in enumerate(keys):
        if key is not None and key not in found:
            if lines is None:
                lines = text.split("\n")
            found[key] = lines[i].strip()
    return found


def is_boilerplate(n_pages: int, site_pages: int, cfg: Config) -> bool:
    """Whether a line on ``n_pages`` distinct pages of a site with ``site_pages`` pages is boilerplate.

    ``"图片来源：网络"`` on 5 of a site's 8 pages is; on 2 of them it is not; on 5 of 46,000 pages it is not
    either (it needs 0.1% of them, 46).

    >>> is_boilerplate(5, 8, Config()), is_boilerplate(2, 8, Config()), is_boilerplate(5, 46000, Config())
    (True, False, False)
    """
    need = cfg.min_pages
    if site_pages >= cfg.large_site:
        need = max(need, math.ceil(cfg.min_fraction * site_pages))
    return n_pages >= need


def _blank(line: str) -> bool:
    return not line.strip()


PROSE_END = ("。", "！", "？", "!", "?", "…", "”", "」", "』", '"')


def _prose(line: str) -> bool:
    s = line.strip()
    return len(s) >= 20 and s.endswith(PROSE_END)


def _section_heading(lines: list[tuple[str, int | None]], hit: list[bool], k: int) -> bool:
    """A short repeated line between two paragraphs of prose the page keeps (one of the two nearest lines on
    each side) is the article's own section heading (``後記``, ``二``, ``专家意见``), which a column repeats on
    every page: the body's, not the site's."""
    s = lines[k][0].strip()
    if len(s) > 8 or not all(c.isalnum() or c.isspace() for c in s):  # a heading has no colon, no punctuation
        return False
    for step in (-1, 1):
        near = []  # the two nearest lines with text on this side; a sub-heading may sit between
        j = k + step
        while 0 <= j < len(lines) and len(near) < 2:
            if not _blank(lines[j][0]):
                near.append(j)
            j += step
        if not any(not hit[j] and _prose(lines[j][0]) for j in near):
            return False
    return True


def remove_lines(doc: Document, keys: set[int] | frozenset[int], cfg: Config, stats: StepStats,
                 line_keys: list[int | None] | None = None) -> None:
    """Remove the lines whose key is in ``keys``, and the blank lines they would leave doubled.

    >>> doc = Document(id="a", source="a", text="正文第一段。\\n\\n图片来源：网络\\n\\n正文第二段。")
    >>> remove_lines(doc, {int64_key(canonical_line("图片来源：网络"))}, Config(), StepStats())
    >>> doc.text
    '正文第一段。\\n\\n正文第二段。'

    A short repeated line between two kept paragraphs of prose is a section heading, and stays.
    ``line_keys``, the key of every line of ``doc.text`` as the map phase computed them, saves computing them again.
    """
    if not keys:
        return
    if line_keys is None:
        line_keys = _keys_of_lines(doc.text, cfg)
    if keys.isdisjoint(line_keys):
        return  # no line is hit: the loops below would keep every line as it is
    out: list[str] = []
    gap = False  # a line was just removed here
    lines = list(zip(doc.text.split("\n"), line_keys))
    hit = [key is not None and key in keys for _, key in lines]
    for k in range(len(lines)):
        if hit[k] and _section_heading(lines, hit, k):
            hit[k] = False
    for (line, _), gone in zip(lines, hit):
        if gone:
            remove_span(doc, stats, "crossdoc", "repeated_line", line)
            gap = True
        elif gap and _blank(line) and (not out or _blank(out[-1])):
            continue
        else:
            out.append(line)
            gap = gap and _blank(line)
    if gap:
        while out and _blank(out[-1]):
            out.pop()
    if len(out) != len(lines):
        doc.text = "\n".join(out)


RULES = (
    Rule("repeated_line", "同一站点多个页面上重复出现的短行：图片来源、口号、作者简介、订阅提示。",
         ("图片来源：网络",), ("正文第一段。",)),
)


LINE_KEYS = "line_keys"  # the key of every line, staged with the page so that apply need not compute them again


def map_keys(doc: Document, cfg: Config, seen: set | None = None) -> dict[str, list]:
    """The map phase's rows for this page, a column at a time: each candidate line's key, the page's key and
    the line. The key of every line (None when it is no candidate) is left in ``doc.columns[LINE_KEYS]``.

    ``seen`` (the shard's state, shared with dedup's signature) is not needed here.

    >>> map_keys(Document(id="a", source="a", text="图片来源：网络\\n正文第一段。"), Config())["text"]
    ['图片来源：网络', '正文第一段。']
    """
    keys = doc.columns[LINE_KEYS] = _keys_of_lines(doc.text, cfg)
    found = {**_first_lines(doc.text, keys), **title_keys(doc.title)}
    # The page's key is compact in the line-key files.
    return {"key": list(found), "doc": [int64_key(doc.id)] * len(found), "text": list(found.values())}


TITLE_MARK = "[title] "
SITE_TITLE_MARK = "[whole title] "


def _title_key(part: str) -> int:
    # Apart from line keys: a title part shared by a site's titles is not a line to remove from its pages.
    return _part_key(part)[0]


@per_line
def _part_key(part: str) -> tuple[int, bool]:
    # Remembered: a site's titles share their parts (its name, its channels), in map and in apply.
    # With whether the part has a canonical form at all (a part of punctuation alone is no key).
    c = canonical_line(part)
    return signed64(xxhash.xxh3_64_intdigest(("title\x00" + c).encode())), bool(c)


def _whole_key(title: str) -> int:
    return _whole(title)[0]


def _whole(title: str) -> tuple[int, bool]:
    c = canonical_line(title)
    return signed64(xxhash.xxh3_64_intdigest(("whole title\x00" + c).encode())), bool(c)


def title_keys(title: str | None) -> dict[int, str]:
    """Keys of a title's parts but the first (the site name, channel or category a site's titles share),
    counted per site like lines: a part on many of a site's titles is the site's, not the headline's. The whole
    title is keyed too: a title many of a site's pages share names the site, not their articles.

    >>> sorted(title_keys("秋粮收购全面展开_新闻中心_某某日报").values())
    ['[title] 新闻中心', '[title] 某某日报', '[whole title] 秋粮收购全面展开_新闻中心_某某日报']
    """
    if not title:
        return {}
    t = title.strip()
    found: dict[int, str] = {}
    key, any_word = _whole(t)
    if any_word:
        found[key] = SITE_TITLE_MARK + t
    for _, a, b in titles.parts(t)[1:]:
        part = t[a:b].strip()
        key, any_word = _part_key(part)
        if any_word:
            found.setdefault(key, TITLE_MARK + part)  # so the run's audit of lines tells them apart
    return found


def cut_title(doc: Document, decision: set[int] | frozenset[int]) -> None:
    """The page's title without the parts its site's titles share (``decision`` holds their keys).

    >>> doc = Document(id="a", source="a", text="正文。", title="秋粮收购全面展开 - 滚动要闻 - 某某")
    >>> cut_title(doc, {_title_key("滚动要闻"), _title_key("某某")}); doc.title
    '秋粮收购全面展开'
    >>> doc = Document(id="b", source="a", text="首页\\n春耕时节访农家\\n2023-04-12 09:30\\n记者走进村里，看到农民们正忙着插秧。", title="某某三农")
    >>> cut_title(doc, {_whole_key("某某三农")}); doc.title
    '春耕时节访农家'
    """
    if not doc.title or not decision:
        return
    t = doc.title.strip()
    if _whole_key(t) in decision:
        # The site's title on every page: the page's own headline line, over its dateline or first paragraph.
        h = lines.article_head(doc.text.split("\n"))
        if h and canonical_form(h) != canonical_form(t):
            doc.title = titles.clean_title(h)
        return
    shared = {canonical_form(fold(t[a:b])) for _, a, b in titles.parts(t) if _title_key(t[a:b].strip()) in decision}
    if shared:
        doc.title = titles.clean_title(t, repeated=shared)


def decide(counts: list[tuple[str, int, int, str]], site_pages: dict[str, int], cfg: Config) -> list[tuple]:
    """Of ``(site, key, n_pages, text)`` counts, the boilerplate lines, sorted by site and key.

    ``[("a.cn", 7, 5, "图片来源：网络")]`` on a site of 8 pages is kept; on 2 of them it would not be.
    Duplicate pages (dedup's decision) are left out of the counts before this.

    >>> decide([("a.cn", 7, 5, "图片来源：网络"), ("a.cn", 8, 2, "正文")], {"a.cn": 8}, Config())
    [('a.cn', 7, 5, '图片来源：网络')]
    """
    rows = [r for r in counts if r[2] >= cfg.min_pages and is_boilerplate(r[2], site_pages[r[0]], cfg)]
    return sorted(rows, key=lambda r: (r[0], r[1]))


def apply(doc: Document, cfg: Config, stats: StepStats, decision: set[int],
          line_keys: list[int | None] | None = None) -> None:
    """Remove the lines ``decide`` found on the page's site (``decision``: their keys), see ``remove_lines``,
    and the title parts its titles share, see ``cut_title``.

    >>> doc = Document(id="a", source="a", text="正文第一段。\\n图片来源：网络")
    >>> apply(doc, Config(), StepStats(), {int64_key(canonical_line("图片来源：网络"))})
    >>> doc.text, doc.removed[0]["rule"]
    ('正文第一段。', 'repeated_line')
    """
    remove_lines(doc, decision, cfg, stats, line_keys)
    cut_title(doc, decision)


def report_lines(removed: dict[str, int], cfg: Config) -> list[tuple[str, int]]:
    """A site's most-removed lines for the report: most first, ties by text, at most ``top_report``.

    >>> report_lines({"图片来源：网络": 40, "责任编辑：李华": 40, "（完）": 3}, Config())
    [('图片来源：网络', 40), ('责任编辑：李华', 40), ('（完）', 3)]
    """
    return sorted(removed.items(), key=lambda item: (-item[1], item[0]))[: cfg.top_report]


_WAYBACK = re.compile(r"^/web/[^/]+/(.+)$")
# A lower-case ASCII host with no port or user, right after the scheme: its hostname is itself.
_PLAIN_HOST = re.compile(r"https?://([a-z0-9.-]+)(?=[/?#]|$)")


def site_of(url: str | None, source: str) -> str:
    """The site a page belongs to: its URL's host, else the folder it was read from.

    A Wayback Machine copy gives the archived site's host.

    >>> site_of("https://www.xinhuanet.com/politics/2023-10/05/c_1.htm", "a.md")
    'xinhuanet.com'
    >>> site_of(None, "crawl/新闻/a.md")
    'crawl/新闻'
    """
    if url:
        m = _PLAIN_HOST.match(url.strip())
        host = m.group(1).removeprefix("www.") if m and m.group(1) != "web.archive.org" else ""
        if host:  # what urlsplit(...).hostname gives, without its cost
            return host
        host = _plain_wayback(url.strip()) if m else ""
        if host:
            return host
        parts = urlsplit(url.strip())
        m = _WAYBACK.match(parts.path) if parts.hostname == "web.archive.org" else None
        if m:
            inner = m.group(1)
            parts = urlsplit(inner if "://" in inner else "http://" + inner)
        host = (parts.hostname or "").removeprefix("www.")
        if host:
            return host
    return source.rsplit("/", 1)[0] if "/" in source else ""


def _plain_wayback(url: str) -> str:
    """The archived page's host of a plain Wayback URL, as the urlsplit path below finds it, or "" to take that
    path: urlsplit drops tabs and line breaks anywhere, and a path ends at the first ``?`` or ``#``."""
    if "\t" in url or "\r" in url or "\n" in url:
        return ""
    rest = url[len("https://web.archive.org") if url.startswith("https") else len("http://web.archive.org"):]
    m = _WAYBACK.match(rest.partition("#")[0].partition("?")[0])
    inner = _PLAIN_HOST.match(m.group(1)) if m else None
    return inner.group(1).removeprefix("www.") if inner else ""

