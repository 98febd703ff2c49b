"""Main text and metadata of an HTML page, through trafilatura, with fallbacks that never lose a readable page.

Settings chosen on the dev corpus (html/gne, html/cx_extractor_163, html/appledaily_tw):
- balanced mode, not ``favor_precision``: precision dropped the whole article on some 163,
  guancha and thepaper pages and kept the comments; the boilerplate step trims what is left;
- ``include_tables=False`` first: old Chinese sites lay pages out with tables, which came out as
  ``| 现在位置： 首页 >> 正文 |`` rows; but some portals put the article itself in a table, and
  then that pass finds nothing. When a pass comes back empty or short, the next one runs:
  tables included, trafilatura's defaults, recall mode, then a density-based extraction
  (the deepest block holding most of the page's non-link text);
- images kept as ``![alt](src)`` lines, so the caption rules see what a caption hangs under
  (the boilerplate step drops the image lines);
- ``include_comments=False``; dates by the quick search, which found as many and is 2x faster;
- but forums: their posts and replies are what trafilatura calls comments, and with comments off it can pick
  one stray block of a thread (the magic-html forum pages: recall 0.58, vs 0.67 for its defaults). When the
  first pass finds little (under ``SHORT`` characters), the comments pass runs too (without images, which
  made it miss posts): its text replaces the first pass's when it is twice as long or more, and its comments are added when they are at least half as
  long as the text (a thread of replies, not a news page's few reader comments). Articles are untouched:
  their first pass is long, or the comments pass finds no more (magic-html articles: F1 unchanged).
- forum and wiki software marks its posts and its furniture with the same classes on every site that runs it:
  a thread from a board whose post containers the page holds (Discuz!, phpwind, vBulletin, Tieba, Flarum,
  NodeBB, XenForo) is those posts, each once, without menus, poster cards or post bars; MediaWiki's [编辑]
  links, navigation boxes, contents and notes, and Discuz!'s hidden anti-copy text, go before extraction
  (magic-html F1: forums 0.684 -> 0.719, articles 0.924 -> 0.951; trafilatura alone 0.751 and 0.909).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import lxml.html
import trafilatura
from trafilatura.settings import set_date_params

META_FIELDS = ("title", "url", "date", "author", "sitename")
# A pass that returns fewer characters than this is retried with the next, more inclusive one.
MIN_CHARS = 100
# A first pass shorter than this may have missed a thread of posts: the comments pass is asked too.
SHORT = 400
# The comments pass's text wins when this many times longer; its comments join when at least this share.
THREAD_GAIN, REPLIES_SHARE = 2, 0.5
COMMENTS = {"include_tables": True, "include_comments": True}
PASSES = (
    {"include_tables": False, "include_comments": False},
    {"include_tables": True, "include_comments": False},
    {"include_tables": True, "include_comments": True},  # trafilatura's defaults
    {"include_tables": True, "include_comments": False, "favor_recall": True},
)
DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "select", "iframe")
BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
          "ul", "ol", "dd", "dt", "blockquote", "pre", "td"}


def extract_html(html: str, url: str | None = None) -> tuple[str | None, dict]:
    """Return the page's main text (None if it has none) and {title, url, date, author, sitename}.

    >>> text, meta = extract_html("<html><head><title>台风登陆</title></head><body><article>"
    ...     "<p>台风今晨在广东沿海登陆，多地停课。</p></article><script>var a=1;</script></body></html>")
    >>> text, meta["title"]
    ('台风今晨在广东沿海登陆，多地停课。', '台风登陆')
    """
    meta: dict = {}
    best = ""
    html = strip_furniture(html)
    posts = forum_posts(html)
    for k, options in enumerate(PASSES):
        doc = _extract(html, url, k == 0, options)
        if doc is not None and k == 0:
            meta = {name: getattr(doc, name, None) for name in META_FIELDS}
            meta = {k: v for k, v in meta.items() if v}
        if posts:  # the board's own post containers: their text is the thread, and nothing else is
            return "\n".join(posts), _titled(html, {**meta, "thread": True} if len(posts) > 1 else meta)
        if doc is None:
            continue
        text = (doc.text or "").strip()
        if len(text) > len(best):
            best = text
        if len(best) >= MIN_CHARS:
            if _size(best) < SHORT:
                best, replies = _thread(html, url, best)
                meta = {**meta, "thread": True} if replies else meta
            return best, _titled(html, meta)
    dense = density_text(html)
    if len(dense) > len(best):
        best = dense
    return (best or None), _titled(html, meta)


# Forum and wiki software marks its furniture and its posts with the same class or id on every site that runs it:
# structure, not one site's wording. Each family is asked only of a page the software's own marker shows.
SOFTWARE = (
    # MediaWiki: the [编辑] links of headings, navigation boxes, contents, category bar, notes (their markers in the text stay).
    (re.compile(r"""class=["'][^"']*\bmw-(?:editsection|headline|parser-output)\b"""),
     frozenset({"mw-editsection", "navbox", "vertical-navbox", "navbar", "catlinks", "toc", "vector-toc", "mw-jump-link",
                "noprint", "reflist", "references", "mw-references-wrap", "mw-cite-backlink", "printfooter",
                "hatnote", "ambox", "sistersitebox", "mw-empty-elt"}),
     frozenset({"toc", "catlinks", "siteSub", "contentSub", "jump-to-nav", "mw-navigation", "footer", "p-lang-btn"})),
    # Discuz! and phpwind: the anti-copy text hidden in posts, edit notices, the poster's card and the post bar.
    (re.compile(r"""id=["'](?:postmessage_|read_tpc)|class=["'](?:t_f|tpc_content)\b"""),
     frozenset({"jammer", "pstatus", "pls", "pti", "authi", "po", "pob", "sign", "signature", "attach_nopermission",
                "locked", "tip", "aimg_tip", "tips", "readName", "tipTop", "c_info"}),
     frozenset()),
)
HIDDEN = re.compile(r"display\s*:\s*none", re.I)


def strip_furniture(html: str) -> str:
    """The page without the furniture its software marks (MediaWiki, Discuz!, phpwind); other pages as they are.

    >>> page = ('<div class="mw-parser-output"><h2><span class="mw-headline">历史</span>'
    ...         '<span class="mw-editsection">[编辑]</span></h2><p>古城始建于宋代。</p>'
    ...         '<table class="navbox"><tr><td>河北省 城市 列表</td></tr></table></div>')
    >>> "编辑" in strip_furniture(page), "河北省" in strip_furniture(page), "古城" in strip_furniture(page)
    (False, False, True)
    """
    found = [(classes, ids) for marker, classes, ids in SOFTWARE if marker.search(html)]
    if not found:
        return html
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - unparsable markup goes to the extractor as it is
        return html
    classes = frozenset().union(*(c for c, _ in found))
    ids = frozenset().union(*(i for _, i in found))
    discuz = any("jammer" in c for c, _ in found)
    gone = [el for el in root.iter() if isinstance(el.tag, str) and el.tag not in ("html", "body")
            and (classes.intersection((el.get("class") or "").split()) or el.get("id") in ids
                 or (discuz and HIDDEN.search(el.get("style") or "")))]
    for el in gone:
        if el.getparent() is not None:
            el.drop_tree()  # its tail, the text after it, stays
    return lxml.html.tostring(root, encoding="unicode")


# The element that holds one post's text, for the boards Chinese forums run: Discuz! (``postmessage_N``),
# phpwind (``read_tpc``, ``tpc_content``), vBulletin (``post_message_N``), Baidu Tieba (``d_post_content``),
# Flarum (``Post-body``), NodeBB (``component="post/content"``), XenForo (``bbWrapper``).
_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
POST_XPATH = ("//*[starts-with(@id, 'postmessage_') or starts-with(@id, 'post_message_') or @id = 'read_tpc'"
              " or @component = 'post/content' or "
              + " or ".join(_CLASS.format(c) for c in ("t_f", "tpc_content", "d_post_content", "Post-body", "bbWrapper"))
              + "]")
POST_MARKER = re.compile(r"""(?:id=["'](?:postmessage_|post_message_|read_tpc)|component=["']post/content"""
                         r"""|class=["'][^"']*\b(?:t_f|tpc_content|d_post_content|Post-body|bbWrapper)\b)""")
MIN_POSTS_CHARS = 20  # posts with less text than this (hidden until one replies) leave the page to the extractor


def forum_posts(html: str) -> list[str]:
    """The text of each post of a forum thread, in page order, when the page's board software marks its posts;
    else ``[]``. The poster's card, the post bar and the board's menus are outside the posts.

    >>> forum_posts('<div id="nv">论坛首页 门户 排行榜</div><table><tr><td class="pls">老王</td><td>'
    ...     '<div class="authi">发表于 2024-4-5 23:20</div><td class="t_f" id="postmessage_11">'
    ...     '周末去爬了香山，红叶正好。<br>人很多，建议早点出发。</td></tr></table>')
    ['周末去爬了香山，红叶正好。\\n人很多，建议早点出发。']
    >>> forum_posts("<p>台风今晨在广东沿海登陆。</p>")
    []
    """
    if not POST_MARKER.search(html):
        return []
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - unparsable markup goes to the extractor
        return []
    for el in list(root.iter("script", "style", "noscript", "template")):
        el.drop_tree()  # a post's inline code highlighter is not its text
    found = root.xpath(POST_XPATH)
    inside = set()
    for el in found:  # a post container inside another (a td.t_f around its div) counts once, as the outer
        inside.update(d for d in el.iterdescendants() if d is not el)
    posts = list(dict.fromkeys(t for t in (_block_text(el) for el in found if el not in inside) if t))  # once each
    return posts if sum(map(len, posts)) >= MIN_POSTS_CHARS else []


def _titled(html: str, meta: dict) -> dict:
    title = page_title(html, meta.get("title"))
    meta = {**meta, "title": title} if title else meta
    if not meta.get("url"):
        url = self_url(html)
        if url:
            meta["url"] = url
    return meta


# Where a page names its own address when it has no canonical link: a script's page-address variable, and the
# address a share, login or stats link hands on (``share.php?url=…``, ``register.php?callback=…``).
SELF_KEY = re.compile(r"""(?i)\b(?:article|page|share|cur|current|canonical|og|doc|news)_?url["']?\s*[:=]\s*["'](https?://[^"'\s<>|]+)["']""")
# Only a share or login link hands on the page's own address: an image proxy or a news feed hands on others.
SELF_PARAM = re.compile(r"""(?i)https?://[^"'\s<>?]*?(?:share|login|reg|passport|signin|sso|qzone|connect)[^"'\s<>?]*\?"""
                        r"""(?:[^"'\s<>]*?[&;])?(?:url|u|callback|redirect|redirect_uri|return_?url|back_?url|from_?url|referer)="""
                        r"""(https?(?:://|%3A%2F%2F)[^&"'\s<>|]+)""")
ARTICLE_PATH = re.compile(r"^https?://[^/?#]+/[^?#=&]*\d{4,}")
STATIC = re.compile(r"(?i)\.(?:jpe?g|png|gif|webp|svg|js|css|swf|mp4|mp3)(?:[?#]|$)")


def self_url(html: str) -> str | None:
    """The page's address from the places a page names itself (a script variable, a share or login link's
    parameter), when the address names one page; the one named most often, the first on a tie.

    >>> self_url("<a href='http://share.example.com/s.php?url=http%3A%2F%2Fnews.example.cn%2F2017-03%2F10%2F123.htm'>分享</a>")
    'http://news.example.cn/2017-03/10/123.htm'
    >>> self_url("<script>var page = {article_url: 'http://tech.example.com/a/20161014/006270.htm'};</script>")
    'http://tech.example.com/a/20161014/006270.htm'
    >>> self_url("<a href='http://share.example.com/s.php?url=http://www.example.cn/'>分享</a>") is None
    True
    >>> self_url("<img src='http://img.example.cn/?url=http://pic.example.cn/2019/0908/1567.jpg'>") is None
    True
    """
    found = [unquote(m.group(1)) for rx in (SELF_KEY, SELF_PARAM) for m in rx.finditer(html)]
    found = [u for u in found if ARTICLE_PATH.match(u) and not STATIC.search(u)]
    if not found:
        return None
    return max(dict.fromkeys(found), key=found.count)


HEAD_TAGS = ("h1", "h2")
TITLE_SEPS = tuple("_-|｜丨–—·")
QUOTES = "\"'“”‘’「」"


def page_title(html: str, found: str | None = None) -> str | None:
    """The page's title, by the order of trust og:title, headline, ``<title>``; ``found`` is the extractor's.

    og:title wins unless a headline begins with it and goes on with a quote (an unescaped quote cut the
    attribute short). Without it, the headline is the longest h1/h2 that the ``<title>`` holds (the title is
    the headline plus the site's name); failing that, the extractor's title (the ``<title>`` when that one
    only adds a label to it); the boilerplate step trims a site suffix.

    >>> page_title('<title>男孩写"救命"纸团_某某新闻</title><meta property="og:title" content="男孩写">'
    ...            '<h2>大家都爱看</h2><h1>男孩写"救命"纸团</h1>')
    '男孩写"救命"纸团'
    >>> page_title("<title>山西品牌丝路行启动 - 省政府网站</title><h1>省政府网站首页</h1><h2>山西品牌丝路行启动</h2>")
    '山西品牌丝路行启动'
    >>> page_title("<title>第二章 雨夜 _某某小说网</title>", "第二章 雨夜241"), page_title("<title>iPhone 15 评测</title>", "iPhone 15")
    ('第二章 雨夜', 'iPhone 15')
    """
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - unparsable markup keeps the extractor's title
        return found
    og = next((m.get("content", "").strip() for m in root.iter("meta") if m.get("property") == "og:title"), "")
    t = root.find(".//title")
    title = " ".join(t.text_content().split()) if t is not None else ""
    heads = [" ".join(e.text_content().split()) for tag in HEAD_TAGS for e in list(root.iter(tag))[:3]]
    heads = [h for h in heads if 4 <= len(h) <= 80]
    if og:
        cut = [h for h in heads if h.startswith(og) and len(h) > len(og) and h[len(og)] in QUOTES]
        return max(cut, key=len) if cut else og
    inside = [h for h in heads if h in title]
    if inside:
        return max(inside, key=len)
    if found and title and title in found and len(title) < len(found):
        return title  # the extractor's headline carries a label the <title> lacks (``原创 ``)
    bare = found.rstrip("0123456789").rstrip() if found else ""
    if bare != found and len(bare) >= 4 and title.startswith(bare) and title[len(bare):].lstrip()[:1] in TITLE_SEPS:
        return bare  # a headline with a counter in it (comments, likes) the <title> does not carry
    return found or title


def _extract(html: str, url: str | None, metadata: bool, options: dict, images: bool = True):
    try:
        return trafilatura.bare_extraction(html, url=url, include_images=images, with_metadata=metadata,
                                           date_extraction_params=set_date_params(False), **options)
    except Exception:  # noqa: BLE001 - a pass that fails is a pass that found nothing
        return None


IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")


def _size(text: str) -> int:
    """Characters of text, image lines left out (a page of thumbnails is no long text)."""
    return len(IMAGE.sub("", text).strip())


def _thread(html: str, url: str | None, text: str) -> tuple[str, bool]:
    """A short first-pass text, or the thread the comments pass finds: its text when twice as long or more,
    its comments and the lines of its text (posts and replies not already in the text, each once) added when
    at least half as long;
    and whether replies were added (the page is a thread: ``meta["thread"]``, so short replies are body)."""
    doc = _extract(html, url, False, COMMENTS, images=False)  # with images it loses text on some threads
    if doc is None:
        return text, False
    longer = (doc.text or "").strip()
    found = (doc.comments or "").strip()
    if _size(longer) > THREAD_GAIN * _size(text):
        text = longer
    else:  # its text may hold the posts the first pass missed (a page's frame around one post)
        found = f"{longer}\n{found}"
    have = {line.strip() for line in text.split("\n")}
    replies = "\n".join(r for r in dict.fromkeys(found.split("\n")) if r.strip() and r.strip() not in have)
    if replies and _size(replies) >= REPLIES_SHARE * _size(text):
        return f"{text}\n{replies}", True
    return text, False


def density_text(html: str) -> str:
    """The text of the deepest block that holds most of the page's non-link text, one line per block.

    >>> density_text("<body><div><a href='/'>首页</a></div><div><p>台风今晨登陆。</p><p>多地停课。</p></div></body>")
    '台风今晨登陆。\\n多地停课。'
    """
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - unparsable markup has no text to find
        return ""
    for el in list(root.iter(*DROP_TAGS)):
        el.drop_tree()
    body = root.find("body")
    node = body if body is not None else root
    while True:
        total = _own_text(node)
        kids = [(c, _own_text(c)) for c in node if isinstance(c.tag, str)]
        if not kids or total == 0:
            break
        child, size = max(kids, key=lambda kv: kv[1])
        if size < 0.6 * total:
            break
        node = child
    return _block_text(node)


def _own_text(el) -> int:
    """Characters of text in ``el`` outside links."""
    text = sum(len(s.strip()) for s in el.itertext())
    links = sum(len(s.strip()) for a in el.iter("a") for s in a.itertext())
    return max(0, text - links)


def _block_text(el) -> str:
    parts: list[str] = []

    def walk(e) -> None:
        if not isinstance(e.tag, str):
            return
        block = e.tag in BLOCKS
        if block:
            parts.append("\n")
        if e.text:
            parts.append(e.text)
        for c in e:
            walk(c)
            if c.tail:
                parts.append(c.tail)
        if block:
            parts.append("\n")

    walk(el)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
