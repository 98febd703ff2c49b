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
- lists of other pages, in any site's template (three or more sibling blocks of one tag and class, each a
  headline-long link to another page, or a teaser: a headline link then a summary), are found in the DOM; their
  lines leave the extracted text unless they appear elsewhere in the page or too little would be left (a page made
  of lists is for the list-page check). The extraction itself is untouched: dropping the lists from the DOM first
  made trafilatura pick other blocks. magic-html gold bp removed 0.726 -> 0.855, body kept unchanged.
  An item matches its extracted line without the line's images, whole when the extractor runs its headline, date
  and channel together, and a line that runs two or more items together goes too (gne other chars kept 1938 -> 1190).
- below the article: after the article's own block (the deepest element holding 80% of the extracted prose), lines
  from outside it that end no sentence, and thumbnails of other pages, go (next/previous links, side columns, follow
  boxes, browser notices); a line over a paragraph and every sentence stay. The next story a news site appends under
  a heading of the same tag and class as the headline, in a block of its own, goes too.
  These run on the extracted text, after extraction: lines the DOM places, never words.
- threads from any other software: three or more sibling blocks of one tag and class, each with a date or time
  and mostly its own words (not a list of other pages), are posts; the lines of theirs the extractor left out (it
  takes replies for comments) join a short opening text, without poster names, date lines and the buttons every
  post repeats. An article's comment section is no thread (its text is long, its comments few).
  magic-html forums 0.667 -> 0.710 (trafilatura alone 0.751, all of the gap one page whose gold holds its article
  three times: markdown source, rendered, HTML source); articles unchanged.
- link blocks below the last paragraph (a block all links in the DOM, or one headline link under a short label
  such as 推荐阅读：, links run together on a line with their dates) go from the bottom up while only sentences stay
  below them (cx: a photo-gallery headline on every page).
- a thread's reply cards that the comments pass read as one line (poster's name and handle, then the reply) go when
  the posts' own lines are added; a wiki's reference entries and external links (list items mostly a ``<cite>`` or
  ``external`` links) go with the section headings they leave empty; an image whose caption repeats its alt text
  goes with the caption (left bare, the image would make the next line its caption). magic-html gold bp removed
  0.796 -> 0.850 with the labelled links above, body kept unchanged. Short hidden elements (toasts, dialogs)
  were tried and measured no gain: the boilerplate step already had them, and dropping part of a furniture run
  left the rest without its context.
- one lxml tree per page, and one count of each element's text and link text, serve the DOM passes.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from urllib.parse import unquote, urlsplit

import lxml.html

from transforms.lines import ends_sentence

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
    root = _parse(html)
    html = drop_icons(html, root)
    html = strip_furniture(html, root)
    posts = forum_posts(html, root)
    text, meta = _passes(html, url, posts)
    text = drop_alt_captions(one_line_images(text))
    meta = _titled(html, meta, root)
    if text and not posts and root is not None:
        sizes = _text_sizes(root)  # one count of each element's text and link text serves the DOM passes below
        text, meta = with_replies(text, meta, root, sizes)
        cards = None if meta.get("thread") or not _may_list_results(html) else result_cards(text, root)
        if cards:  # a page of results: its text is every card's, not the one the extractor opened
            return cards, {**meta, "results": True}
        text = drop_listed(text, listed_lines(root, sizes))
        if not meta.get("thread"):
            text = drop_lines(text, other_articles(root, meta.get("title")))
            text = drop_after_main(text, root)
            text = drop_link_tail(text, root, sizes)
    return (text or None), meta


# An image whose alt text has line breaks: the extractor writes them as they are, and the image line breaks in two.
BROKEN_ALT = re.compile(r"!\[[^\]\n]*\n[^\]]{0,300}\]\(")


def one_line_images(text: str) -> str:
    """The text with each image on one line (line breaks in its alt text become spaces), so that the image rules
    see an image line, not a half-image and a line of alt text ending in its address.

    >>> one_line_images("正文第一段。\\n![致敬改革开放\\n文艺星青年](/img/1.png) 致敬改革开放")
    '正文第一段。\\n![致敬改革开放 文艺星青年](/img/1.png) 致敬改革开放'
    """
    if not text or "![" not in text:
        return text
    return BROKEN_ALT.sub(lambda m: " ".join(m.group(0).split("\n")), text)


ALT = re.compile(r"!\[((?:\\.|[^\]\n\\])*)\]\([^)\n]*\)")
CAPTION_MAX = 100  # characters of a caption that repeats its image's alt text: longer is a paragraph


def drop_alt_captions(text: str) -> str:
    """The text without the images whose caption only repeats their alt text (the template writes the caption
    into both), on the image's line or the next: picture and caption go together, so that the line after them
    is not taken for the caption of a bare image line.

    >>> drop_alt_captions("![老人在公园晨练。（资料图）](/i/1.jpg) 老人在公园晨练。（资料图）\\n正文第一段。")
    '正文第一段。'
    >>> drop_alt_captions("![公园](/i/2.jpg)\\n公园里的老人大多是附近小区的居民。")  # text that says more stays
    '![公园](/i/2.jpg)\\n公园里的老人大多是附近小区的居民。'
    """
    if "![" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    alts: set[str] = set()  # the alt texts of the image-only line just above
    for line in lines:
        found = {k for k in (_key(m.group(1)) for m in ALT.finditer(line)) if len(k) >= 4}
        rest = _key(ALT.sub("", line))
        if rest and rest in alts and len(rest) <= CAPTION_MAX:
            out.pop()  # the image line above, whose caption this line repeats: the two go together
            alts = set()
            continue
        if rest in found and len(rest) <= CAPTION_MAX and len(found) == 1:
            alts = set()
            continue
        out.append(line)
        alts = found if not rest else set()
    return "\n".join(out)


def _passes(html: str, url: str | None, posts: list[str]) -> tuple[str, dict]:
    meta: dict = {}
    best = ""
    for k, options in enumerate(PASSES):
        doc = _extract(html, url, k == 0, options)
        if doc is not None and k == 0:
            meta = {name: getattr(doc, name, None) for name in META_FIELDS}
            meta = {k: v for k, v in meta.items() if v}
        if posts:  # the board's own post containers: their text is the thread, and nothing else is
            return "\n".join(posts), ({**meta, "thread": True} if len(posts) > 1 else meta)
        if doc is None:
            continue
        text = (doc.text or "").strip()
        if len(text) > len(best):
            best = text
        if len(best) >= MIN_CHARS:
            if _size(best) < SHORT:
                best, replies = _thread(html, url, best)
                meta = {**meta, "thread": True} if replies else meta
            return best, meta
    dense = density_text(html)
    return (dense if len(dense) > len(best) else best), meta


def _parse(html: str):
    try:
        return lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - unparsable markup goes to the extractor as it is
        return None


ICON = 40  # px: an image this small in both sides is a sign, an emoticon or a bullet, not a picture


def _px(value: str | None) -> int | None:
    value = (value or "").strip().removesuffix("px")
    return int(value) if value.isdigit() else None


def drop_icons(html: str, root=None) -> str:
    """The page without its icons (both sides declared at most ``ICON`` px): the extractor breaks the line at every
    image, so a sentence with road signs or emoticons in it came out as a fragment per icon, each taken for an
    image line. No caption hangs under an icon.
    ``root``, the page's parsed tree, loses the same elements.

    >>> page = ('<p>规划的四条高速为<img src="g4.png" width="22" height="22">京港澳高速、'
    ...         '<img src="g45.png" width="27" height="22">大广高速。</p><img src="photo.jpg" width="640" height="400">')
    >>> page = drop_icons(page)
    >>> "g4.png" in page, "photo.jpg" in page
    (False, True)
    """
    if "<img" not in html and "<IMG" not in html:
        return html
    root = _parse(html) if root is None else root
    if root is None:
        return html
    icons = [el for el in root.iter("img") if el.getparent() is not None
             and (_px(el.get("width")) or ICON + 1) <= ICON and (_px(el.get("height")) or ICON + 1) <= ICON]
    for el in icons:
        el.drop_tree()  # its tail, the text after it, stays
    return lxml.html.tostring(root, encoding="unicode") if icons else html


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


def strip_furniture(html: str, root=None) -> str:
    """The page without the furniture its software marks (MediaWiki, Discuz!, phpwind); other pages as they are.
    ``root``, the page's parsed tree, loses the same elements (one parse for the page's DOM passes).

    >>> page = ('<div class="mw-parser-output"><h2><span class="mw-headline">历史</span>'
    ...         '<span class="mw-editsection">[编辑]</span></h2><p>古城始建于宋代。</p>'
    ...         '<table class="navbox"><tr><td>河北省 城市 列表</td></tr></table></div>')
    >>> "编辑" in strip_furniture(page), "河北省" in strip_furniture(page), "古城" in strip_furniture(page)
    (False, False, True)
    """
    found = [(classes, ids) for marker, classes, ids in SOFTWARE if marker.search(html)]
    if not found:
        return html
    wiki = bool(SOFTWARE[0][0].search(html))
    root = _parse(html) if root is None else root
    if root is None:
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
    if wiki:
        drop_citations(root)
    return lxml.html.tostring(root, encoding="unicode")


CITED = 0.5  # share of a list item's text inside a citation or outbound links that makes it a reference entry
SECTION_HEADS = ("h2", "h3", "h4")


def drop_citations(root) -> None:
    """A wiki's reference entries and external links (list items mostly a ``<cite>`` or links marked ``external``),
    then the section headings left with nothing under them (注释, 参考文献, 外部链接 once their lists went).

    >>> root = lxml.html.document_fromstring("<body><h2>历史</h2><p>古城始建于宋代。</p><h2>外部链接</h2><ul>"
    ...     "<li><a class='external text' href='http://www.example.cn/'>古城旅游官方网站</a>（存档）</li>"
    ...     "<li><cite class='citation web'>张三. 古城志. 某某出版社. 2010.</cite></li></ul></body>")
    >>> drop_citations(root)
    >>> _block_text(root.find("body"))
    '历史\\n古城始建于宋代。'
    """
    items = [li for li in root.iter("li") if _cited(li)]
    for li in items:
        li.drop_tree()
    for h in [h for h in root.iter(*SECTION_HEADS) if _empty_section(h)]:
        h.drop_tree()


def _cited(li) -> bool:
    total = _chars(li.text_content())
    cited = sum(_chars(el.text_content()) for el in li.iter("cite", "a")
                if el.tag == "cite" or "external" in (el.get("class") or "").split())
    return total > 0 and cited >= CITED * total


def _empty_section(h) -> bool:
    """A heading with no text after it before the next heading of its rank or higher (or its container's end)."""
    node = h
    while node.getnext() is None and node.getparent() is not None and node.getparent().tag not in ("body", "html") \
            and _chars(node.getparent().text_content()) == _chars(h.text_content()):
        node = node.getparent()  # a heading in a wrapper of its own: its section follows the wrapper
    if _chars(node.tail):
        return False
    el = node.getnext()
    while el is not None:
        if isinstance(el.tag, str) and el.tag not in SKIP:
            size = _chars(el.text_content())
            heads = [x for x in el.iter(*SECTION_HEADS) if x.tag <= h.tag]
            if heads and size == _chars(heads[0].text_content()):
                return True  # the next section's heading
            if size:
                return False
        if _chars(el.tail):
            return False
        el = el.getnext()
    return True


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


def forum_posts(html: str, root=None) -> list[str]:
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
    root = _parse(html) if root is None else root
    if root is None:
        return []
    found = root.xpath(POST_XPATH)
    inside = set()
    for el in found:  # a post container inside another (a td.t_f around its div) counts once, as the outer
        inside.update(d for d in el.iterdescendants() if d is not el)
    posts = list(dict.fromkeys(t for t in (_block_text(el) for el in found if el not in inside) if t))  # once each
    return posts if sum(map(len, posts)) >= MIN_POSTS_CHARS else []


# Threads from any software: a post is one of three or more sibling blocks of one tag and class, each with a
# poster's date or time (metadata shaped alike on every post) and text of its own outside links. Structure only:
# no class names, no wording. A list of other pages (headline links, teasers) is no thread.
STAMP = re.compile(r"\d{2,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?|(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
                   r"|\d+\s*(?:秒|分钟?|小时|天|周|个?月|年)前")
MIN_REPLIES = 3  # sibling posts a thread needs (two may be an article's pair of boxes)
STAMPED = 0.8  # share of the posts that carry a date or time
POST_LINKS = 0.5  # a post is mostly its own words: at most this share of its text is links
POST_MAX = 2 * SHORT  # characters of an opening post or question: a longer text is an article, its replies comments
POST_SPAN = 2  # a post this many times the text on average is another article, not a reply to it
POST_WORK = 500_000  # characters read while testing candidate threads: nested lists cannot make it quadratic


def thread_posts(root, sizes: tuple | None = None) -> list[str]:
    """The text of each post of a thread the page lays out as repeated sibling blocks with a date on each, in page
    order, without the poster's name (a link), its date, or the buttons every post repeats; ``[]`` if none.

    >>> post = ("<div class='c'><a href='/u/{0}'>用户{0}</a> <span>2024-05-13 17:{0}8</span><p>{1}</p>"
    ...         "<span>回复</span></div>")
    >>> page = ("<body><p>楼主的问题：周末去哪里爬山比较好？</p><div class='list'>" + "".join(post.format(k, t)
    ...     for k, t in enumerate(["香山吧，红叶正好。", "推荐凤凰岭，人少。", "百望山也不错，离地铁近。"])) + "</div></body>")
    >>> thread_posts(lxml.html.document_fromstring(page))
    ['香山吧，红叶正好。', '推荐凤凰岭，人少。', '百望山也不错，离地铁近。']
    """
    size, links = sizes or _text_sizes(root)
    work = POST_WORK
    inside: set = set()
    posts: list = []
    for parent in root.iter():
        if not isinstance(parent.tag, str) or parent.tag in SKIP or parent in inside:
            continue
        groups: dict[tuple, list] = {}
        for c in parent:
            if isinstance(c.tag, str) and c.tag not in SKIP and size.get(c):
                groups.setdefault((c.tag, c.get("class")), []).append(c)
        for members in groups.values():
            if len(members) < MIN_REPLIES or min(size[c] - links[c] for c in members) < 2:
                continue
            if sum(links[c] for c in members) > POST_LINKS * sum(size[c] for c in members):
                continue
            work -= sum(size[c] for c in members)
            if work < 0:
                return []
            if sum(_link_item(c, size, links) or _teaser_item(c, size, links) for c in members) >= len(members) / 2:
                continue  # a list of other pages
            if sum(bool(STAMP.search(c.text_content())) for c in members) < STAMPED * len(members):
                continue
            posts.append(members)
            inside.update(d for c in members for d in c.iter())
    return [t for members in posts for t in _posts_text(members) if t]


def with_replies(text: str, meta: dict, root, sizes: tuple | None = None) -> tuple[str, dict]:
    """The text with the lines of the page's thread posts it lacks added at its end (the extractor takes replies
    for comments and leaves them out); the page is then a thread (``meta["thread"]``: short replies are body).
    As with the comments pass, the rest of the text must be short (a post or a question, not an article with its
    comment section: ``POST_MAX``), the replies at least ``REPLIES_SHARE`` of it (a page's few reader comments are
    not), and a post at most ``POST_SPAN`` times the text on average (longer ones are other
    articles, or the page's own text again in another block). Lines of the text that retell a post behind its
    poster's name (a reply card the comments pass read as one line) go: the post's own lines replace them.

    >>> post = "<div class='c'><a href='/u/{0}'>用户{0}</a> <span>05-13 17:{0}8</span><p>{1}</p></div>"
    >>> replies = ["香山吧，红叶正好，就是人多。", "推荐凤凰岭，人少，路也好走。", "百望山也不错，离地铁近。"]
    >>> root = lxml.html.document_fromstring("<body><p>周末去哪里爬山比较好？</p><div>" + "".join(post.format(k, t)
    ...     for k, t in enumerate(replies)) + "</div></body>")
    >>> with_replies("周末去哪里爬山比较好？", {}, root)
    ('周末去哪里爬山比较好？\\n香山吧，红叶正好，就是人多。\\n推荐凤凰岭，人少，路也好走。\\n百望山也不错，离地铁近。', {'thread': True})
    >>> with_replies("一篇长文章的正文。" * 20, {}, root)[1]  # a long article's few comments are not its body
    {}
    """
    posts = thread_posts(root, sizes)
    if not posts:
        return text, meta
    replies = {_key(line) for post in posts for line in post.split("\n")}
    heads: dict[str, list[str]] = {}  # each post's text (``_key`` form) by its first characters
    for whole in (_key(post) for post in posts):
        if len(whole) >= 4:
            heads.setdefault(whole[:HEADLINE], []).append(whole)
    lines = [line for line in text.split("\n") if not _retold(_key(line), heads, replies)]
    size = _size("\n".join(line for line in lines if _key(line) not in replies))  # the text besides the replies
    said = sum(map(_size, posts))
    if size > POST_MAX or said < REPLIES_SHARE * size or said > POST_SPAN * size * len(posts):
        return text, meta
    have = {_key(line) for line in lines}
    added = "\n".join(dict.fromkeys(line for post in posts for line in post.split("\n") if _key(line) not in have))
    text = "\n".join(lines)
    return (f"{text}\n{added}" if added else text), {**meta, "thread": True}


def _retold(key: str, heads: dict[str, list[str]], lines: set[str]) -> bool:
    """A line of the text that is a post again in another rendering: a short lead (its poster's name and handle),
    then the post's own words run together, whole or cut short, with at most a button row after them (the
    comments pass reads a reply's card as one line). A line that is one of the posts' own lines is not.
    ``heads``: the posts' texts (``_key`` form) by their first ``HEADLINE`` characters (one lookup per place).

    >>> post = "好熟悉的软件，之前好像用过后来被收购了"
    >>> _retold("北野@beiye好熟悉的软件，之前好像用过", {post[:HEADLINE]: [post]}, set())
    True
    >>> _retold("我觉得好熟悉的软件也可能不好用", {post[:HEADLINE]: [post]}, set())
    False
    """
    if key in lines or len(key) < HEADLINE:
        return False
    for at in range(min(META_LINE, len(key)) + 1):
        for whole in heads.get(key[at:at + HEADLINE], ()):
            rest = key[at:]
            if whole.startswith(rest) or (rest.startswith(whole) and len(rest) - len(whole) <= META_LINE):
                return True
    return False


DIGITS = re.compile(r"\d+")
META_LINE = 30  # characters of a poster's line (name, rank, date): a line with a date this short and no stop


def _posts_text(members: list) -> list[str]:
    """Each post's own lines: not a line that is mostly a link (the poster's name), nor one that is a date with
    a name or a rank beside it, nor a line shaped like one half the posts repeat (their buttons and counters)."""
    lines = [_lines(c) for c in members]
    seen = Counter(s for ls in lines for s in {DIGITS.sub("0", t) for t, _ in ls})
    repeated = {s for s, n in seen.items() if n >= max(2, len(members) / 2)}
    return ["\n".join(t for t, own in ls if _own_line(t, own) and DIGITS.sub("0", t) not in repeated)
            for ls in lines]


def _own_line(line: str, own: str) -> bool:
    """A line of the poster's words, not their name (a link), nor the post's date line."""
    if _chars(own) <= (1 - POST_LINKS) * _chars(line) or _chars(STAMP.sub("", own)) < 2:
        return False
    return not (STAMP.search(line) and len(line) <= META_LINE and not ends_sentence(line))


def _lines(el) -> list[tuple[str, str]]:
    """The block's lines as ``_block_text`` cuts them, each with its text outside links."""
    lines: list[list[str]] = [["", ""]]

    def add(s: str | None, linked: bool) -> None:
        if s:
            lines[-1][0] += s
            if not linked:
                lines[-1][1] += s

    def walk(e, linked: bool) -> None:
        if not isinstance(e.tag, str) or e.tag in SKIP:
            return
        block = e.tag in BLOCKS
        linked = linked or (e.tag == "a" and bool(_href(e)))
        if block:
            lines.append(["", ""])
        add(e.text, linked)
        for c in e:
            walk(c, linked)
            add(c.tail, linked)
        if block:
            lines.append(["", ""])

    walk(el, False)
    return [(" ".join(t.split()), own) for t, own in lines if t.strip()]


# Lists of other pages, in any site's template: three or more sibling items of one kind (same tag and class),
# each a link to another page with a headline's length, or a teaser (a heading that links to another page,
# then its summary). Structure only, no wording; an article's paragraphs link inside sentences, not as headlines.
HEADLINE = 8  # characters of a headline link: longer than a menu item or a user name
SUMMARY, SUMMARY_MAX = 15, 800  # a teaser's text outside its heading: a paragraph at most, not a section
LINK_SHARE = 0.5  # a link-list item is its link, a date or a source at most as long
HEADS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Items are blocks (a link wrapping a paragraph is one): a sentence's inline links are no list.
ITEMS = frozenset({"li", "div", "dd", "dt", "dl", "p", "tr", "article", "section", *HEADS})


def listed_lines(root, sizes: tuple | None = None) -> frozenset[str]:
    """The lines of the page's headline-link lists and teaser lists that appear nowhere else in it (``_key`` form).

    >>> root = lxml.html.document_fromstring("<body><article><p>台风今晨在广东沿海登陆，多地停课。</p></article><ul>"
    ...     + "".join(f"<li><h3><a href='/n/{k}.html'>第{k}条其他新闻的标题</a></h3><p>另一篇报道的摘要，"
    ...               f"讲的是第{k}件事。</p></li>" for k in range(3)) + "</ul></body>")
    >>> sorted(listed_lines(root))[:2]
    ['另一篇报道的摘要，讲的是第0件事。', '另一篇报道的摘要，讲的是第1件事。']
    """
    size, links = sizes or _text_sizes(root)
    items = []
    for parent in root.iter():
        groups: dict[tuple, list] = {}
        for c in parent:
            if (c.tag in ITEMS or (c.tag == "a" and c.find(".//p") is not None)) and size.get(c):
                groups.setdefault((c.tag, c.get("class")), []).append(c)
        for members in groups.values():
            if len(members) < 3:
                continue
            hits = [c for c in members if _link_item(c, size, links) or _teaser_item(c, size, links)]
            hrefs = {_href(a) for c in hits for a in c.iter("a") if _href(a)}
            if len(hits) >= 3 and len(hits) >= 0.8 * len(members) and len(hrefs) >= 3:
                items.extend(hits)
    if not items:
        return frozenset()
    texts = [_block_text(el) for el in items]
    inside = Counter(_key(line) for t in texts for line in t.split("\n"))
    body = root.find("body")
    everywhere = Counter(_key(line) for line in _block_text(root if body is None else body).split("\n"))
    lines = frozenset(k for k, n in inside.items() if k and everywhere[k] <= n)
    # the extractor may give an item on one line (headline, date and source run together)
    whole = frozenset(k for k in (_key(t) for t in texts if "\n" in t) if k)
    return lines | whole


MARKER = re.compile(r"^\s*(?:[-*+]|#{1,6}|\d+[.)])\s+")


def _key(line: str) -> str:
    """A line as the DOM's text has it: no list marker, no whitespace, no image (the DOM text has no images).

    >>> _key("- ![](https://img.example.cn/1.jpg) 第1条其他新闻的标题 2019-09-07")
    '第1条其他新闻的标题2019-09-07'
    """
    return "".join(IMAGE.sub("", MARKER.sub("", line)).split())


def drop_listed(text: str, listed: frozenset[str]) -> str:
    """The extracted text without the lines of the page's lists of other pages; as it was if little else is left
    (a page made of lists is for the list-page check to judge).

    >>> body = "台风今晨在广东沿海登陆，多地停课，全市中小学和幼儿园今天停课一天，公交地铁照常运行。" * 3
    >>> drop_listed(body + "\\n- 第1条其他新闻的标题", frozenset({"第1条其他新闻的标题"})) == body
    True
    >>> drop_listed("台风登陆。\\n- 第1条其他新闻的标题", frozenset({"第1条其他新闻的标题"}))  # too little left: as it was
    '台风登陆。\\n- 第1条其他新闻的标题'
    """
    if not listed:
        return text
    heads = [k for k in listed if len(k) >= HEADLINE]
    kept = "\n".join(line for line in text.split("\n") if not _is_listed(_key(line), listed, heads))
    return kept if _size(kept) >= MIN_CHARS else text


LISTED_SHARE = 0.6  # a line that is this much list items, two or more, is the list run together on one line


def _is_listed(key: str, listed: frozenset[str], heads: list[str]) -> bool:
    """A line that is a list item, or several items the extractor ran together on one line (with their counts
    and dates between them); a sentence that quotes one headline is not.

    >>> heads = ["第一条其他新闻的标题", "第二条其他新闻的标题"]
    >>> _is_listed("第一条其他新闻的标题评论12第二条其他新闻的标题评论5", frozenset(heads), heads)
    True
    >>> _is_listed("据报道，第一条其他新闻的标题一文引发了读者的热议，记者走访了当地的居民。", frozenset(heads), heads)
    False
    """
    if key in listed:
        return True
    if len(key) <= 2 * HEADLINE:
        return False
    covered = bytearray(len(key))
    found = 0
    for h in heads:
        at = key.find(h)
        if at >= 0:
            found += 1
            covered[at:at + len(h)] = b"\1" * len(h)
    return found >= 2 and sum(covered) >= LISTED_SHARE * len(key)


def _href(a) -> str:
    """A link's target when it leads to another page (not an anchor in this one, not a script)."""
    href = (a.get("href") or "").strip()
    return "" if not href or href.startswith(("#", "javascript:", "JavaScript:")) else href


def _link_item(el, size: dict, links: dict) -> bool:
    """An item that is mostly one headline-long link to another page."""
    return (size[el] >= HEADLINE and links[el] >= LINK_SHARE * size[el]
            and any(links.get(a, 0) >= HEADLINE for a in el.iter("a")))


def _teaser_item(el, size: dict, links: dict) -> bool:
    """A headline link to another page, then a summary of at most a paragraph or two."""
    if len(el.findall(".//p")) > 2:
        return False
    head = _headline(el, size, links)
    return bool(head) and SUMMARY <= size[el] - head <= SUMMARY_MAX


def _headline(el, size: dict, links: dict) -> int:
    """Characters of the item's headline: a heading that is mostly a link, or a link on a line of its own
    (no text around it in its block, as a link inside a sentence has); 0 when it has none."""
    for h in el.iter(*HEADS):
        if links.get(h, 0) >= HEADLINE and links[h] >= 0.6 * size[h]:
            return size[h]
    for a in el.iter("a"):
        if links.get(a, 0) >= HEADLINE and not _chars(a.tail):
            prev = a.getprevious()
            before = a.getparent().text if prev is None else prev.tail
            if not _chars(before):
                return size[a]
    return 0


def _text_sizes(root) -> tuple[dict, dict]:
    """Visible characters (no whitespace, no script) of each element, and of them those inside outward links."""
    size: dict = {}
    links: dict = {}
    for el in reversed(list(root.iter())):  # reversed document order: every element after its descendants
        if not isinstance(el.tag, str):
            continue
        n = 0 if el.tag in SKIP else _chars(el.text)
        inner = 0
        for c in el:
            n += size.get(c, 0) + _chars(c.tail)
            inner += links.get(c, 0)
        size[el] = n
        links[el] = n if el.tag == "a" and _href(el) else inner
    return size, links


def _chars(s: str | None) -> int:
    return len("".join(s.split())) if s else 0


def _titled(html: str, meta: dict, root=None) -> dict:
    title = page_title(html, meta.get("title"), root)
    meta = {**meta, "title": title} if title else meta
    if not meta.get("url"):
        url = jsonld_url(html) or self_url(html)
        if url:
            meta["url"] = url
    return meta


LD_JSON = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
LD_MAX = 200_000  # characters of one JSON-LD block read
NOT_PAGE = frozenset({"WebSite", "Organization", "BreadcrumbList", "Person", "ImageObject", "SiteNavigationElement"})


def jsonld_url(html: str) -> str | None:
    """The page's address as its schema.org JSON-LD states it (``url``, ``mainEntityOfPage`` or ``@id`` of the
    article or page object, not of the site, its publisher or a breadcrumb), when it names a page, not a site.

    >>> jsonld_url('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
    ...            ' "mainEntityOfPage": {"@id": "https://news.example.cn/a/2019/0909/517.html "},'
    ...            ' "publisher": {"@type": "Organization", "url": "https://news.example.cn/"}}</script>')
    'https://news.example.cn/a/2019/0909/517.html'
    >>> jsonld_url('<script type="application/ld+json">{"@type": "WebSite", "url": "https://www.example.cn/a"}</script>')
    >>> jsonld_url('<script type="application/ld+json">{broken</script>')
    """
    for m in LD_JSON.finditer(html):
        try:
            data = json.loads(m.group(1)[:LD_MAX], strict=False)
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if not isinstance(item, dict) or NOT_PAGE & set(_listed(item.get("@type"))):
                continue
            main = item.get("mainEntityOfPage")
            for u in (item.get("url"), main.get("@id") if isinstance(main, dict) else main, item.get("@id")):
                if isinstance(u, str) and u.strip().startswith(("http://", "https://")) \
                        and urlsplit(u.strip()).path not in ("", "/"):
                    return u.strip()
    return None


def _listed(v) -> list:
    return v if isinstance(v, list) else [v]


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


def page_title(html: str, found: str | None = None, root=None) -> str | None:
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
    root = _parse(html) if root is None else root
    if root is None:  # unparsable markup keeps the extractor's title
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
    # Imported here: ~0.3 s of every process's start, and most runs read no HTML.
    import trafilatura
    from trafilatura.settings import set_date_params

    try:
        return trafilatura.bare_extraction(html, url=url, include_images=images, with_metadata=metadata,
                                           date_extraction_params=set_date_params(False), **options)
    except Exception:  # noqa: BLE001 - a pass that fails is a pass that found nothing
        return None


IMAGE = re.compile(r"!\[(?:\\.|[^\]\n\\])*\]\([^)\n]*\)")  # alt text may hold escaped brackets: ![\[赞\]](…)


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


SKIP = frozenset({"script", "style", "noscript", "template"})


def _block_text(el) -> str:
    parts: list[str] = []

    def walk(e) -> None:
        if not isinstance(e.tag, str) or e.tag in SKIP:  # a post's inline code highlighter is not its text
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


# The article's own block: the deepest element that holds this share of the extracted text's prose.
MAIN_SHARE = 0.8
PROSE_MIN = 20  # characters of a prose line (it ends a sentence) that counts towards finding the article's block
MAIN_MIN = 200  # prose characters a text needs before its block is looked for
MAIN_WORK = 1_000_000  # prose lines tested against blocks: the search is blocks x lines, quadratic in a page's size


def drop_after_main(text: str, root) -> str:
    """The extracted text without the lines that come after the article's own block and from outside it, and do
    not read as text (no sentence end): the next-and-previous links, a side column's headlines and thumbnails, a
    browser notice. A line just above a paragraph stays (a heading and its paragraph), and so does every prose line.

    >>> body = "".join(f"<p>台风今晨在广东沿海登陆，第{k}个受灾的乡镇已经转移群众，救援仍在进行。</p>" for k in range(8))
    >>> root = lxml.html.document_fromstring(f"<body><div class='main'>{body}</div><div class='side'>"
    ...     "<p>上一篇：某市举办美食节</p><p>热门推荐</p></div></body>")
    >>> text = "\\n".join(root.find("body").itertext())
    >>> drop_after_main(text, root).split("\\n")[-1]
    '台风今晨在广东沿海登陆，第7个受灾的乡镇已经转移群众，救援仍在进行。'
    """
    lines = text.split("\n")
    keys = [_key(line) for line in lines]
    prose = [k for line, k in zip(lines, keys) if len(k) >= PROSE_MIN and _reads(line)]
    main = _main_block(root, prose) if sum(map(len, prose)) >= MAIN_MIN else None
    if main is None:
        return text
    node, inside = main
    last = max((i for i, k in enumerate(keys) if len(k) >= 4 and k in inside), default=None)
    if last is None:
        return text
    images = {_md_src(m) for m in IMAGE.findall("\n".join(lines[:last + 1]))}
    images |= {el.get("src") for el in node.iter("img")}
    drop = set()
    for i in range(last + 1, len(lines)):
        k = keys[i]
        if not k:  # an image line: its picture is the article's, or another page's thumbnail
            found = IMAGE.findall(lines[i])
            if found and not any(_md_src(m) in images for m in found):
                drop.add(i)
            continue
        if k in inside or _reads(lines[i]):
            continue
        after = next((j for j in range(i + 1, len(lines)) if keys[j]), None)
        if after is not None and _reads(lines[after]) and len(keys[after]) >= 2 * PROSE_MIN:
            continue  # a heading over its paragraph
        drop.add(i)
    kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    return kept if drop and _size(kept) >= MIN_CHARS else text


def _reads(line: str) -> bool:
    """A line that ends a sentence, its images left out."""
    return ends_sentence(IMAGE.sub("", line).rstrip())


def _md_src(image: str) -> str:
    return image[image.rindex("](") + 2:-1].strip()


def _main_block(root, prose: list[str]) -> tuple | None:
    """The deepest element under ``<body>`` holding ``MAIN_SHARE`` of the prose, with its ``_key`` text; None
    when that is the body itself (the prose is spread over the page)."""
    node = root.find("body")
    if node is None:
        return None
    total = sum(map(len, prose))
    found = None
    work = MAIN_WORK
    while True:
        best, best_n, best_k = None, 0, ""
        for c in node:
            if not isinstance(c.tag, str) or c.tag in SKIP:
                continue
            work -= len(prose)
            if work < 0:
                return None  # thousands of blocks and lines: a list, a long thread or a hostile page; keep it all
            k = _key(_block_text(c))
            n = sum(len(p) for p in prose if p in k)
            if n > best_n:
                best, best_n, best_k = c, n, k
        if best is None or best_n < MAIN_SHARE * total:
            return found
        node, found = best, (best, best_k)


RESULTS = 8  # sibling cards of one kind, each with a link, that make a page of results (search hits, a feed)
RESULT_SHARE = 0.5  # the card the extractor chose holds at most this share of the cards' text
RESULT_LEVELS = 6  # levels above the article's block that a card may wrap it
_SNIPPET_CUT = re.compile(r"(?:…|\.\.\.)[\s\u200b]*$")  # a hit's snippet, cut at a length (replies in a thread are whole)


_ELLIPSIS = re.compile(r"…|\.\.\.|&hellip;|&#8230;|&#x2026;", re.I)


def _may_list_results(html: str) -> bool:
    """Whether the page holds the cut snippets a page of results needs (half of ``RESULTS`` cards): most pages
    have fewer ellipses, and skip ``result_cards``' search for the article's block."""
    return sum(1 for _ in itertools.islice(_ELLIPSIS.finditer(html), RESULTS // 2)) >= RESULTS // 2


def result_cards(text: str, root) -> str | None:
    """The text of every card of a page of results, when the article's block sits in one of ``RESULTS`` or more
    sibling cards of one kind (same tag and class), each with a link, half of them with a snippet cut off by an
    ellipsis, and holds at most ``RESULT_SHARE`` of their text: a search page with one hit opened, a feed. None for
    any other page (a thread's replies are whole). The cards read as the list they are,
    so the list-page check sees it; one card's text alone would read as an article.

    >>> card = "<div class='hit'><h2><a href='/q/{0}'>{1}</a></h2><div class='snip'>{2}</div></div>"
    >>> para = "".join(f"<p>第{k}段：城市更新不是推倒重来，要留住老街的烟火气和居民的生活。</p>" for k in range(8))
    >>> opened = "\\n".join(f"第{k}段：城市更新不是推倒重来，要留住老街的烟火气和居民的生活。" for k in range(8))
    >>> hits = "".join(card.format(k, f"老城改造第{k}问", "有居民说旧房子住着不方便，也有人舍不得街坊邻居，更舍不得巷口那家开了三十年的早点铺子……") for k in range(9))
    >>> root = lxml.html.document_fromstring(f"<body><div class='list'>{card.format(9, '老城改造怎么改', para)}{hits}</div></body>")
    >>> result_cards(opened, root).split("\\n")[:3]
    ['老城改造怎么改', '老城改造第0问', '有居民说旧房子住着不方便，也有人舍不得街坊邻居，更舍不得巷口那家开了三十年的早点铺子……']
    >>> result_cards(opened, root).split("\\n")[-2:]
    ['老城改造第8问', '有居民说旧房子住着不方便，也有人舍不得街坊邻居，更舍不得巷口那家开了三十年的早点铺子……']
    >>> related = "".join(f"<li class='r'><a href='/a/{k}'>老城改造第{k}问</a></li>" for k in range(9))
    >>> article = lxml.html.document_fromstring(f"<body><div class='main'>{para}</div><ul>{related}</ul></body>")
    >>> result_cards(opened, article) is None  # an article with a list of links below it
    True
    """
    lines = text.split("\n")
    prose = [k for k in map(_key, lines) if len(k) >= PROSE_MIN and _reads(k)]
    main = _main_block(root, prose) if sum(map(len, prose)) >= MAIN_MIN else None
    if main is None:
        return None
    node, opened = main
    for _ in range(RESULT_LEVELS):
        parent = node.getparent()
        if parent is None or parent.tag == "body":
            return None
        if node.get("class"):
            cards = [c for c in parent if c.tag == node.tag and c.get("class") == node.get("class")]
            if len(cards) >= RESULTS and sum(any(_href(a) for a in c.iter("a")) for c in cards) >= RESULTS:
                texts = [_block_text(c) for c in cards]
                sizes = [len(_key(t)) for t in texts]
                k = cards.index(node)
                cut = sum(any(_SNIPPET_CUT.search(line) for line in t.split("\n")) for t in texts)
                if sizes[k] <= RESULT_SHARE * sum(sizes) and 2 * cut >= len(cards):  # the opened hit as the others show: its lines outside the block
                    texts[k] = "\n".join(line for line in texts[k].split("\n") if _key(line) not in opened)
                    return "\n".join(t for t in texts if t)
        node = parent
    return None


HEADING_ARTICLE = 50  # characters of text besides its heading that make a block an article, not a heading


def other_articles(root, title: str | None) -> frozenset[str]:
    """The lines (``_key`` form) of the other articles a page carries below its own, in the same template: the
    next article a news site loads as one scrolls, under a heading of the same tag and class as the page's
    headline. The page's article is the block around the heading that states the title; a heading of the same
    kind that does not, with text of its own in a block beside it, heads another article. Section headings inside
    the article have no such block (the article holds them both).

    >>> item = "<div class='item'><h1 class='t'>{}</h1><p>{}</p></div>"
    >>> page = ("<body><div class='feed'>" + item.format("台风今晨登陆广东", "台风今晨在广东沿海登陆，多地停课，"
    ...     "全市中小学和幼儿园今天停课一天，公交地铁照常运行，市民出行请注意安全。") + item.format("老照片里的旧城",
    ...     "这组照片拍于上世纪三十年代，记录了旧城的街巷、店铺和行人，如今大多已经不在，只留在了老人们的记忆里。")
    ...     + "</div></body>")
    >>> sorted(other_articles(lxml.html.document_fromstring(page), "台风今晨登陆广东"))
    ['老照片里的旧城', '这组照片拍于上世纪三十年代，记录了旧城的街巷、店铺和行人，如今大多已经不在，只留在了老人们的记忆里。']
    """
    key = _key(title or "")
    if len(key) < 4:
        return frozenset()
    kinds: dict[tuple, list] = {}
    for h in root.iter(*HEADS):
        kinds.setdefault((h.tag, h.get("class")), []).append(h)
    found: set[str] = set()
    for heads in kinds.values():
        own = [h for h in heads if _states(_key(_block_text(h)), key)]
        if len(heads) < 2 or len(own) != 1:
            continue
        mine = _top_without(own[0], heads)
        if _chars(mine.text_content()) - _chars(own[0].text_content()) < HEADING_ARTICLE:
            continue  # the headline stands alone: the other headings are the article's sections
        for h in heads:
            if h is not own[0]:
                block = _top_without(h, own)
                if block is not h and _chars(block.text_content()) - _chars(h.text_content()) >= HEADING_ARTICLE:
                    found.update(k for k in (_key(x) for x in _block_text(block).split("\n")) if k)
    return frozenset(found)


def _states(head: str, title: str) -> bool:
    return bool(head) and (title in head or (len(head) >= 4 and head in title))


def _top_without(el, others: list):
    """The highest ancestor of ``el`` (or ``el``) that holds none of ``others`` besides it."""
    rest = {o for o in others if o is not el}
    while True:
        up = el.getparent()
        if up is None or up.tag in ("body", "html") or any(o in rest for o in up.iter()):
            return el
        el = up


def drop_lines(text: str, gone: frozenset[str]) -> str:
    """The text without the lines whose ``_key`` is in ``gone``; as it was if too little is left."""
    if not gone:
        return text
    kept = "\n".join(line for line in text.split("\n") if _key(line) not in gone)
    return kept if _size(kept) >= MIN_CHARS else text


STOP = re.compile(r"[。！？；!?;]")  # a headline ends in a quote or nothing, a sentence has a stop
LINKED = 0.9  # a block this much link text is links: headlines of other pages, a menu, a tag cloud
LABEL = 6  # characters besides a headline link that make it a labelled link (推荐阅读：<a>…</a>), still a link block
LINK_WORK = 2_000_000  # characters of tail lines times links tested: a portal's thousands of links stay linear


def drop_link_tail(text: str, root, sizes: tuple | None = None) -> str:
    """The text without the lines below its last paragraph that are other pages' links: a block that is all links
    in the DOM (a headline and its thumbnail, a menu), or two or more links run together on one line with their
    dates between them (a side column the extractor read as one line). A line with a sentence's stop in it stays.

    >>> body = "".join(f"<p>台风今晨在广东沿海登陆，第{k}个受灾的乡镇已经转移群众，救援和抢修工作仍在连夜进行。</p>" for k in range(3))
    >>> side = ("<div><h3><a href='/p/9.html'>老汉家藏祖传“银锭”</a></h3></div><p><a href='/p/1.html'>春季赏花的好去处"
    ...         "有哪些</a>05-01<a href='/p/2.html'>老街改造进入收尾阶段</a>05-02</p>")
    >>> root = lxml.html.document_fromstring(f"<body><div class='main'>{body}</div>{side}</body>")
    >>> text = _block_text(root.find("body"))  # the dated links on one line, as the extractor runs them
    >>> drop_link_tail(text, root).split("\\n")[-1]
    '台风今晨在广东沿海登陆，第2个受灾的乡镇已经转移群众，救援和抢修工作仍在连夜进行。'
    """
    lines = text.split("\n")
    keys = [_key(line) for line in lines]
    end = max((i for i, k in enumerate(keys) if len(k) >= 2 * PROSE_MIN and _reads(lines[i])), default=None)
    if end is None or end == len(lines) - 1:
        return text
    tail = [i for i in range(end + 1, len(lines)) if keys[i] and not STOP.search(lines[i])]
    if not tail:
        return text  # only sentences below the last paragraph: the DOM need not be read
    size, links = sizes or _text_sizes(root)
    linked = {_key(_block_text(el)) for el in size if size[el] >= 4 and (el.tag in BLOCKS or el.tag == "a")
              and (links[el] >= LINKED * size[el] or (links[el] >= HEADLINE and size[el] - links[el] <= LABEL))}
    heads = [k for k in {_key(_block_text(a)) for a in root.iter("a") if links.get(a, 0) >= HEADLINE} if k]
    if sum(len(keys[i]) for i in tail) * len(heads) > LINK_WORK:
        heads = []  # too many to test: only whole link blocks go
    drop = set()
    for i in reversed(tail):  # from the bottom up, while only sentences stay below: the lines under a link block
        if keys[i] in linked or (not _reads(lines[i]) and _is_listed(STAMP.sub("", keys[i]), frozenset(), heads)):
            drop.add(i)  # that read as no text are the boilerplate step's to judge, with their frame lines around them
        else:
            break
    kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    return kept if drop and _size(kept) >= MIN_CHARS else text

