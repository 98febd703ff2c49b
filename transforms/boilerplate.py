"""boilerplate step: markdown to plain text, then drop captions, credits, footers, link lists and repeats.

Runs after the unicode step (NFC, ``\\n`` line breaks) and before punctuation normalization, so every
pattern accepts ASCII and full-width colons and brackets. Lines that carry metadata (``标题:``,
``地址:``, ``作者：``) fill ``doc.title`` / ``doc.url`` / ``doc.meta`` before they go.

Audit trail: every removed line or span is recorded with ``remove_span(doc, stats, "boilerplate",
rule, text)`` and so lands in ``doc.removed`` (the ``removed`` column). Markup that is converted
rather than removed (``**``, ``#``, link targets) is only tallied under the ``markdown`` rule.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from itertools import compress

from pydantic import Field, field_validator

from transforms import boilerplate_rules as R
from transforms import lines as L
from transforms import titles as T
from transforms.document import Document, Drop, StepConfig, StepStats, remove_span
from transforms.script import fold
from transforms.text import per_line

STEP = "boilerplate"


class Config(StepConfig):
    keep_markdown: bool = False  # keep emphasis, links and headings as written (image lines still go)
    drop_images: bool = True
    related_lists: bool = True  # 相关阅读 headings and what follows, runs of link lines
    tail_lists: bool = True  # a run of short title-like lines closing the page
    repeats: bool = True  # a line seen earlier in the page
    min_repeat_chars: int = 10  # shorter lines (问/答, numbered headings) may repeat on purpose
    spam: bool = True
    disable: list[str] = []  # rules switched off by name (``qingxi rules`` lists them)
    # The learned line model (transforms/lines.py), off by default. Held out (make eval, leave-one-source-out)
    # it removes a little more boilerplate (0.9020 -> 0.9052) for 0.0001 of body kept (README, make eval), but it
    # takes body lists after the last paragraph (signatories, hotlines, award winners) and their headings on
    # a second pass (not idempotent), and it costs about 1.3x the step's CPU time.
    model: bool = False
    # When on, it runs after the rules on the lines they kept. It drops a line
    # when its boilerplate score reaches the threshold: higher keeps more (body precision first), lower removes
    # more. None takes the threshold the model was trained with. ``model_path`` None is the shipped model.
    model_threshold: float | None = None
    model_path: str | None = None
    # The model itself, loaded by flows/ (``flows.recipe.load_line_model``) from ``model_path`` or the package:
    # a transform reads no files. Not part of the recipe as written.
    weights: dict | None = Field(default=None, exclude=True, repr=False)

    @field_validator("disable")
    @classmethod
    def _known_rules(cls, v: list[str]) -> list[str]:
        unknown = [name for name in v if name not in R.RULE_NAMES]
        if unknown:
            raise ValueError(f"unknown rule {', '.join(unknown)}; known: {', '.join(r.name for r in R.RULES)}")
        return v

    def off_rules(self) -> frozenset[str]:
        """The rules switched off, by name or by the older family toggles."""
        off = set(self.disable)
        for toggle_on, names in ((not self.keep_markdown, ALIASES["keep_markdown"]),
                                 (self.drop_images, ALIASES["drop_images"]),
                                 (self.related_lists, ALIASES["related_lists"]),
                                 (self.tail_lists, ALIASES["tail_lists"]),
                                 (self.repeats, ALIASES["repeats"]),
                                 (self.spam, ALIASES["spam"])):
            if not toggle_on:
                off.update(names)
        return frozenset(off)


# The family toggles that predate the catalogue, as the rules each one switches off.
ALIASES = {
    "keep_markdown": ("markdown",),
    "drop_images": ("image",),
    "related_lists": ("related", "comments", "link_list", "dated_list", "nav_list", "teaser_list"),
    "tail_lists": ("tail_list",),
    "repeats": ("repeat", "summary"),
    "spam": ("spam", "spam_phrase"),
}


# --- markdown ---------------------------------------------------------------------------------
_ALT = r"(?:[^\[\]\n]|\[[^\[\]\n]*\])*"  # alt or link text, allowing one level of [brackets]
IMAGE = re.compile(rf"\[\s*!\[{_ALT}\]\([^)\n]*\)\s*\]\([^)\n]*\)|!\[{_ALT}\]\([^)\n]*\)|<img\b[^>]*>", re.I)
LINK = re.compile(rf"\[({_ALT})\]\(([^)\n]*)\)")
ALT_TEXT = re.compile(r"!\[[^\]\s]|<img\b[^>]*\balt=[\"'][^\"']")
# A reference definition ``[1]: http://…``, or the broken tail ``](http://…)`` of a link split over lines.
LINK_DEF = re.compile(r"^\s*\[[^\]\n]+\]:\s*(?:https?://|www\.|/)\S*\s*$|^\s*\]\([^)\s]*\)\S*\s*$")
CENTER = re.compile(r"^\s*<center>", re.I)
FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.I)
FIG_OPEN = re.compile(r"<figcaption[^>]*>", re.I)
FIG_CLOSE = re.compile(r"</figcaption>", re.I)
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^>]*>")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
QUOTE = re.compile(r"^\s*(?:>\s?)+")
HRULE = re.compile(r"^\s*(?:([-*_=])\s*){3,}$")
# A static site's shortcode standing alone (Hugo's ``{{< video src="…" >}}``, ``{{% notice %}}``): an embed, no text.
SHORTCODE = re.compile(r"^\s*\{\{[<%].*[>%]\}\}\s*$")
RULE_CHARS = "-*_= \t"
STRONG = re.compile(r"\*\*|__|~~")
# Opens with the "*" (the lookbehind then checks the character before it): a literal start scans fast.
# Like CommonMark's flanking rules: a "*" before punctuation opens nothing (``滞后*：……。*仅对``), nor does
# one after punctuation close unless space, punctuation or the line's end follows.
_P = "：:，,。.！!？?；;、（）()「」『』“”‘’《》【】"
EM = re.compile(rf"\*(?<![A-Za-z0-9*]\*)(?:(?=[^\s{_P}])|(?<![^\s{_P}]\*)(?=\S))([^*\n]+?)"
                rf"(?:(?<=[^\s{_P}])\*|(?<=[{_P}])\*(?=[\s{_P}]|$))(?![A-Za-z0-9*])")
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
BULLET_LINK = re.compile(r"^\s*(?:[-*+]|\d+[.)、])?\s*$")
MARKUP = re.compile(r"[*_#>\[\]!<`~\\&]")
# A line of nothing but tags (no image or caption, no entity, link or image syntax inside): markdown_to_text's
# answer for it is the line without its tags.
BARE_TAGS = re.compile(r"\s*(?:</?(?!(?i:img\b|figcaption))[a-zA-Z][a-zA-Z0-9]*\b[^<>&\[!]*>\s*)+")


def markdown_to_text(line: str) -> tuple[str, str]:
    """One markdown line to plain text, with its kind: image, link, heading, italic, figcaption or text.

    >>> markdown_to_text("## 一、背景")
    ('一、背景', 'heading')
    >>> markdown_to_text("详见[国务院公告](http://gov.cn/a)。")
    ('详见国务院公告。', 'text')
    >>> markdown_to_text("![会场](a.jpg)")
    ('', 'image')
    """
    if not MARKUP.search(line):
        return line, "text"
    return _marked_to_text(line)


def _marked_to_text(line: str) -> tuple[str, str]:
    # markdown_to_text for a line known to hold a markup character.
    if "<" in line and BARE_TAGS.fullmatch(line):  # <figure>, </p>: a quarter of all marked lines
        return TAG.sub("", line), "text"
    s = line
    if "&" in s and ";" in s:
        s = html.unescape(s)
    m = FIGCAPTION.search(s) if "<" in s else None
    if m:
        return TAG.sub("", m.group(1)).strip(), "figcaption"
    kind = "text"
    h = HEADING.match(s) if "#" in s[:7] else None
    if h:
        s, kind = h.group(1), "heading"
    if ">" in s:
        s = QUOTE.sub("", s)
    n_img, links, rest = 0, [], s
    if "[" in s or "<" in s:
        if "![" in s or "<" in s:  # every IMAGE form holds one of them
            s, n_img = IMAGE.subn("", s)
        # One split gives both: text between links, then each link's text and target.
        parts = LINK.split(s) if "](" in s else [s]
        links, rest = parts[1::3], s
        if links:
            rest = "".join(parts[0::3])
            s = "".join(part for k, part in enumerate(parts) if k % 3 != 2)
        s = TAG.sub("", s)
    if n_img and not TAG.sub("", rest).strip(" -*+|·•\t"):
        return s.strip() if links else "", "image"
    if links and BULLET_LINK.match(TAG.sub("", rest).replace("|", "").replace("·", "")):
        kind = "link"
    stripped = s.strip()
    if kind == "text" and len(stripped) > 2 and stripped[0] == stripped[-1] and stripped[0] in "*_" \
            and not stripped.startswith(("**", "__")):
        kind = "italic"
    if "**" in s or "__" in s or "~~" in s:
        s = STRONG.sub("", s)
    if "*" in s:  # an emphasis opens with one
        s = EM.sub(r"\1", s)
    if "\\" in s:
        s = ESCAPE.sub(r"\1", s)
    s = s.replace("`", "")
    if kind == "italic":
        s = s.strip().strip("*_")
    return s, kind


# --- metadata -------------------------------------------------------------------------------------
def _set_title(doc: Document, title: str) -> None:
    cat, clean = R.split_category(title)
    if cat and not doc.meta.get("category"):
        doc.meta["category"] = cat
    if not doc.title:
        doc.title = clean


def _take_metadata(doc: Document, rule: str, s: str, raw: str) -> None:
    """Keep what a dropped line (plain ``s``, as written ``raw``) says about the page.

    Footer title and url (``标题:``, ``地址:``, ``原文链接：``), author and date.
    """
    if rule in ("footer", "source"):
        m = R.FOOTER_TITLE.match(s)
        if m:
            _set_title(doc, m.group("v") or m.group("w"))
            return
        if not doc.url and R.URL_LABEL.match(s):
            u = R.URL_IN_LINE.search(raw)  # the markdown may hide the address behind link text
            if u:
                doc.url = u.group(0)
    elif rule == "credit" and "author" not in doc.meta:
        m = R.AUTHOR.match(s)
        if m:
            doc.meta["author"] = m.group(1)
    if rule in ("dateline", "credit", "source") and "date" not in doc.meta:
        m = R.DATE.search(s)
        if m:
            y, mo, d = m.groups()
            doc.meta["date"] = f"{y}-{int(mo):02d}-{int(d):02d}"


# --- the step -------------------------------------------------------------------------------------
def _unfolded(fn):
    """A rule without its own ``fold``: the step hands rules ``_Page.plain``, folded already (fold is idempotent)."""
    return getattr(fn, "__wrapped__", fn)


_classify_line, _trailing_credit, _trailing_photo_credit = map(
    _unfolded, (R.classify_line, R.trailing_credit, R.trailing_photo_credit))
_is_footer, _is_caption_form, _is_comments_heading, _is_related_heading = map(
    _unfolded, (R.is_footer, R.is_caption_form, R.is_comments_heading, R.is_related_heading))
_is_marked_caption, _is_short_caption = map(_unfolded, (R.is_marked_caption, R.is_short_caption))
_edit_link, _is_position_caption = map(_unfolded, (R.edit_link, R.is_position_caption))
_is_sentence_caption, _is_closing_note = map(_unfolded, (R.is_sentence_caption, R.is_closing_note))
# Remembered per short line (after unfolding: ``per_line`` sets ``__wrapped__`` too).
_trailing_credit, _repost_source, _is_comments_heading, _is_related_heading, _is_footer = map(
    per_line, (_trailing_credit, L.repost_source, _is_comments_heading, _is_related_heading, _is_footer))
_is_comment_count = per_line(R.is_comment_count)


class _Page:
    """The lines of one document and which of them are gone; removals go to the audit trail."""

    def __init__(self, doc: Document, stats: StepStats, raw: list[str], off: frozenset[str] = frozenset(),
                 folded: list[str] | None = None):
        self.doc, self.stats, self.raw, self.off = doc, stats, raw, off
        self.text = list(raw)  # what is written out: plain text, or the markdown when it is kept
        self.orig = [line.strip() for line in raw]  # plain text as written, for metadata
        # What the rules read: the folded view (t2s, full-width letters), so both scripts get the same verdicts.
        self.plain = [line.strip() for line in folded] if folded is not None else list(self.orig)
        self.kind = ["text"] * len(raw)
        self.gone = [False] * len(raw)
        self.rule: list[str | None] = [None] * len(raw)  # which rule dropped each line: the model's features
        self.untrimmed: dict[int, str] = {}  # a line as written before a tail was cut: a title line keeps its words
        self._live: dict[bool, list[int]] = {}  # until a line goes or is emptied; passes ask often
        self._joined: str | None = None  # the plain lines as one text, until one changes
        self.prose: list[int] | None = None  # lengths of the paragraphs, for captions glued to images

    def drop(self, i: int, rule: str) -> None:
        if not self.gone[i] and rule not in self.off:
            self.gone[i] = True
            self.rule[i] = rule
            for images, live in self._live.items():  # a new list without i: a pass may be walking the old one
                k = bisect_left(live, i)
                if k < len(live) and live[k] == i:
                    self._live[images] = live[:k] + live[k + 1:]
            remove_span(self.doc, self.stats, STEP, rule, self.raw[i].strip() or self.raw[i])

    def set_plain(self, i: int, text: str, folded: str | None = None) -> None:
        self.orig[i] = text
        self.plain[i] = fold(text) if folded is None else folded
        self._live.clear()
        self._joined = None

    def joined(self) -> str:
        """``"\\n".join(self.plain)``, kept while no line changes: several passes search the whole page."""
        if self._joined is None:
            self._joined = "\n".join(self.plain)
        return self._joined

    def live(self, images: bool = False) -> list[int]:
        """Lines still in the page that have text (or are images, when asked)."""
        cached = self._live.get(images)
        if cached is not None:
            return cached
        plain, gone, kind = self.plain, self.gone, self.kind
        if images:
            out = [i for i, t in enumerate(plain) if not gone[i] and (t or kind[i] == "image")]
        else:
            out = [i for i, t in enumerate(plain) if t and not gone[i]]
        self._live[images] = out
        return out


def _convert_markdown(page: _Page) -> None:
    in_caption = 0
    markup = 0
    plains, kinds, keep = page.plain, page.kind, "markdown" not in page.off
    for i, (line, p) in enumerate(zip(page.raw, plains)):  # set_plain changes only line i, once it is read
        if not p:
            in_caption = 0
            continue
        first = p[0]
        if in_caption:  # a caption split over lines, up to a blank line and three lines at most
            closed = "<" in line and FIG_CLOSE.search(line) is not None
            if closed or (len(p) <= 60 and first != "#"):
                kinds[i] = "figcaption"
                in_caption = 0 if closed else in_caption - 1
                page.drop(i, "caption")
                continue
            in_caption = 0
        if (first in "-*_=" and HRULE.match(line)) or (first in "[]" and LINK_DEF.match(line)) \
                or (first == "{" and SHORTCODE.match(line)):
            page.drop(i, "markdown_rule")
            continue
        if "<" in line and FIG_OPEN.search(line) and not FIG_CLOSE.search(line):
            in_caption = 3
            kinds[i] = "figcaption"
            page.drop(i, "caption")
            continue
        if not MARKUP.search(line):
            continue
        plain, kind, rule, folded = _LONE_IMAGE if _lone_image(line) else _converted(line)
        kinds[i] = kind
        if rule:  # \* \* \*
            page.drop(i, "markdown_rule")
            continue
        page.set_plain(i, plain.strip(), folded)
        if kind == "figcaption":
            page.drop(i, "caption")
        elif not plains[i] and kind != "image":
            page.drop(i, "markdown_rule")  # a line of bare tags such as <figure> or <br>
        # image lines stay until the list pass has seen runs of thumbnails
        if keep and plain != line:
            if plains[i] and not page.gone[i]:  # removed lines are tallied by their own rule
                markup += max(0, len(line) - len(plain))
            page.text[i] = plain
    if markup:
        page.stats.count("markdown", markup, 0)


def _convert_line(line: str) -> tuple[str, str, bool, str]:
    """A marked line as ``_convert_markdown`` takes it: its plain text and kind, whether it is a rule
    (``\\* \\* \\*``), and its stripped plain text folded."""
    plain, kind = _marked_to_text(line)
    plain = _settle_markup(plain)
    if kind == "text" and (HRULE.match(plain) or (plain.strip() and not plain.strip(RULE_CHARS))):
        return plain, kind, True, ""  # what is left of an escaped rule (``\\* \\* \\*`` settles to ``*``) is one
    return plain, kind, False, fold(plain.strip())


_converted = per_line(_convert_line)
# A line that is one image and nothing else (every page has its own addresses, which would push the site's repeated
# lines out of _converted's memory): no entity to unescape, no tag inside the markdown form.
IMG_LINE = re.compile(r"[ \t]*<img\b[^>]*>[ \t]*", re.I)
MD_IMAGE_LINE = re.compile(rf"[ \t]*!\[{_ALT}\]\([^)\n]*\)[ \t]*")
_LONE_IMAGE = ("", "image", False, "")


def _lone_image(line: str) -> bool:
    """Whether ``_convert_line(line)`` is ``_LONE_IMAGE`` because the line is one image: ``![会场](a.jpg)``."""
    if "&" in line:
        return False
    if "<" in line:
        return IMG_LINE.fullmatch(line) is not None
    return line.lstrip(" \t")[:2] == "![" and MD_IMAGE_LINE.fullmatch(line) is not None


def _settle_markup(plain: str) -> str:
    """Convert again while markup is left (``**_a_**`` -> ``_a_`` -> ``a``), so the output holds none a second
    pass would read: its verdicts must not flip on text this step wrote."""
    for _ in range(3):
        if not MARKUP.search(plain):
            break
        again = _marked_to_text(plain)[0]
        if again == plain:
            break
        plain = again
    return plain


ALT = re.compile(r"!\[([^\]]{4,})\]")


def _repeats_alt(image_line: str, s: str) -> bool:
    """A caption that restates the image's alt text (perhaps in the other script)."""
    m = ALT.search(image_line)
    if not m or len(s) > 60:
        return False
    alt = set(m.group(1))
    return len(alt & set(s)) >= 0.6 * len(alt)


# Only a line right under one of these can be a caption.
_CAPTIONED = ("image", "figcaption")


def _is_caption(page: _Page, i: int, prev: int | None) -> bool | str:
    """Right under an image, a line is a caption by its form (the rules module says which forms);
    ``"short"`` when only its shortness says so (``_short_captions`` decides on those).

    ``"![](a.jpg)\\n*村口的老槐树*"``: the italic line is a caption; a paragraph ending in 。 is not.
    """
    if prev is None or page.kind[prev] not in _CAPTIONED or page.kind[i] == "heading":
        return False
    s = page.plain[i]
    if (page.kind[i] == "italic" or bool(CENTER.match(page.raw[i]))
            or _is_marked_caption(s, fold(page.doc.title or "")) or _repeats_alt(fold(page.raw[prev]), s)
            or _is_position_caption(s)):
        return True
    return "short" if _is_short_caption(s) else False


def _short_captions(page: _Page, short: list[int]) -> None:
    """Short unpunctuated lines under images go as captions, unless they carry the page: a photo essay
    where the lines under the pictures are most of the text (four or more, 40% of its characters), or a
    page whose own lines mostly end without sentence punctuation (a blog written in spaced phrases),
    where a line's missing 。 says nothing about being a caption.

    ``"![](1.jpg)\\n雪中的武汉\\n正文……。"`` loses the caption; a travel blog keeps its lines."""
    if not short:
        return
    chars = sum(len(page.plain[i]) for i in short)
    live = page.live()
    total = sum(len(page.plain[i]) for i in live)
    if len(short) >= 4 and chars >= 0.4 * total:
        return
    taken = set(short)
    others = [page.plain[i] for i in live if i not in taken and page.kind[i] == "text" and len(page.plain[i]) >= 10]
    if len(others) >= 3 and sum(t.endswith(R.END_PUNCT_TUPLE) for t in others) < 0.5 * len(others):
        return
    for i in short:
        page.drop(i, "caption")


IMAGE_LEAD = re.compile(rf"^\s*(?:!\[{_ALT}\]\([^)\n]*\)|<img\b[^>]*>)\s*\S")


def _image_led_caption(page: _Page, i: int) -> bool:
    """An image with its caption glued on the same line (extractors join a figure's parts):
    ``"![](a.jpg) 村民（左）在田间查看秧苗"`` is a caption; an image opening a long paragraph is not."""
    raw = page.raw[i]
    if "](" not in raw and "<img" not in raw or not IMAGE_LEAD.match(raw):
        return False
    s = page.plain[i]
    if len(s) <= 150 and (_is_caption_form(s, fold(page.doc.title or "")) or L.PHOTO_MARK.search(s) is not None
                          or _is_position_caption(s)):
        return True
    if len(s) > 100:
        return False
    prev = next((page.plain[j] for j in range(i - 1, -1, -1) if page.plain[j]), None)  # the line above, as written
    if page.prose is None:  # the page's paragraph lengths, once: a page may glue hundreds of images to text
        page.prose = [len(t) for t, k in zip(page.plain, page.kind) if k == "text" and len(t) >= 20
                      and t.endswith(R.END_PUNCT_TUPLE)]
    return _is_sentence_caption(s, prev, page.prose)


def _footer(page: _Page) -> None:
    """``标题:`` / ``地址:`` lines are a footer when they come as a pair or close the page.

    ``"正文。\\n标题:会议召开\\n地址:http://a.cn/1.html"`` -> ``"正文。"``（标题、地址填入元数据）；
    a press review quoting ``"標題：立會今日復會"`` between paragraphs keeps it.
    """
    text = page.joined()
    if "footer" in page.off or "标题" not in text and "標題" not in text and "http" not in text:
        return  # every footer line holds one of these; most pages hold none
    live = page.live()
    footer = [_is_footer(page.plain[i]) for i in live]
    for k, i in enumerate(live):
        paired = (k > 0 and footer[k - 1]) or (k + 1 < len(live) and footer[k + 1])
        if footer[k] and (paired or k >= len(live) - 5):
            _take_metadata(page.doc, "footer", page.orig[i], page.raw[i])
            page.drop(i, "footer")


# trailing_credit and edit_link cut a tail only from a line ending in one of these or with a colon near its end.
TAIL_ENDS = "）)】]"
BARE_DATE = re.compile(r"^(?:\d{1,2}\s+)?\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$")


def _line_rules(page: _Page, spammy: bool) -> None:
    hits = R.keyword_lines(page.plain, folded=True, text=page.joined())
    raw, plain, gone, kind = page.raw, page.plain, page.gone, page.kind
    may_start, captions = R._may_start, "caption" not in page.off
    prev = None  # the previous line with anything on it, images included
    short: list[int] = []  # captions by shortness alone, decided at the end
    for i, (r, s) in enumerate(zip(raw, plain)):  # _trim_tail changes only line i, once it is read
        if not r or r.isspace():
            continue
        if s and not gone[i]:
            candidate = spammy or i in hits or may_start(s)  # may_match, without its call
            rule = _classify_line(s, spammy, page.off) if candidate else None
            if rule == "dateline" and BARE_DATE.match(s):
                rule = None  # a bare date is decided on the final page (_edge_dates), heading or not
            if rule is None and prev is not None and captions and kind[prev] in _CAPTIONED:
                found = _is_caption(page, i, prev)
                if found == "short":
                    short.append(i)
                    prev = i
                    continue
                rule = "caption" if found else None
            if rule is None and captions and ("](" in r or "<img" in r) and _image_led_caption(page, i):
                rule = "caption"
            if rule:
                _take_metadata(page.doc, rule, page.orig[i], r)
                page.drop(i, rule)
            elif candidate or spammy or ((s[-1] in TAIL_ENDS or "：" in s[-24:] or ":" in s[-24:])
                                         and (_trailing_credit(s) or _edit_link(s))):
                # most lines have no tail to trim
                _trim_tail(page, i, s, spammy, candidate)
        prev = i
    _short_captions(page, short)


CAPTION_MARKS = frozenset("◎●■□◆◇☆★※▶►▷")
MARK_CREDITS = 2  # captions with a photo credit behind one mark that make it the page's caption sign
MARK_CAPTION_MAX = 120


def _mark_captions(page: _Page) -> None:
    """A page that opens its captions with a mark (``◎ 图：某某``): when two or more lines behind one mark carry a
    photo credit, the other lines behind it are captions too (``◎ 电影某某截图``), each standing alone between
    paragraphs. Bullets of a list stand together, and stay; so does a page whose mark credits no photo, and a
    marked full sentence with no credit (a section's lead: ``● 县里拨付了五十万元专项资金。``).

    ``"正文。\n◎ 图：某某微博\n正文。\n◎ 村口的老槐树\n正文。\n◎ 图：资料图片"`` keeps only the paragraphs."""
    plain = page.plain
    marked = [i for i, t in enumerate(plain) if len(t) > 1 and t[0] in CAPTION_MARKS]
    if len(marked) < MARK_CREDITS:
        return
    live = page.live()
    at = {i: k for k, i in enumerate(live)}
    for mark in {plain[i][0] for i in marked}:
        lines = [i for i in marked if plain[i][0] == mark]
        rests = {i: plain[i][1:].strip() for i in lines}
        credited = {i for i, r in rests.items() if r and (R.is_photo_credit(r) or R.photo_credit_at_end(r) >= 0)}
        if len(credited) < MARK_CREDITS:
            continue
        ks = {at[i] for i in lines if i in at}
        for i in lines:
            k = at.get(i)
            if k is not None and k - 1 not in ks and k + 1 not in ks and len(rests[i]) <= MARK_CAPTION_MAX \
                    and page.kind[i] != "heading" and (i in credited or not L.ends_sentence(rests[i])):
                page.drop(i, "caption")


def _trim_tail(page: _Page, i: int, s: str, spammy: bool | str, candidate: bool) -> None:
    """A body line keeps its text and loses only a trailing credit or injected spam phrase.

    ``"会议于今天下午结束。（记者 张三）"`` -> ``"会议于今天下午结束。"``。 The rules run again on what is left
    (``"……编辑：李四，题图来自视觉中国。"`` loses both tails), so a second pass finds nothing more to cut.
    """
    for _ in range(3):
        if not _trim_tail_once(page, i, s, spammy, candidate):
            return
        s = page.plain[i]
        if not s:
            return


def _trim_tail_once(page: _Page, i: int, s: str, spammy: bool, candidate: bool) -> bool:
    cuts = []
    tail = _trailing_credit(s) if "trailing_credit" not in page.off else ""
    if tail:
        cuts.append(("trailing_credit", tail))
        s = s[: len(s) - len(tail)]
    if candidate and "photo_credit" not in page.off:  # a photo credit has a keyword, so only a candidate can end in one
        tail = _trailing_photo_credit(s)
        if tail:
            cuts.append(("photo_credit", tail))
            s = s[: len(s) - len(tail)]
    tail = _edit_link(s) if "edit_link" not in page.off else ""
    if tail:
        cuts.append(("edit_link", tail))
        s = s[: len(s) - len(tail)]
    if spammy and "spam_phrase" not in page.off:
        cuts += [("spam_phrase", p) for p in R.spam_phrases(s, lone=spammy == "injected")]
    for rule, span in cuts:
        at = page.plain[i].find(span)  # found in the folded view; the same place in the text as written
        if at < 0:
            continue
        span = page.orig[i][at : at + len(span)]
        page.untrimmed.setdefault(i, page.orig[i])
        remove_span(page.doc, page.stats, STEP, rule, span)
        page.set_plain(i, page.orig[i].replace(span, "", 1).strip())
        page.text[i] = page.text[i].replace(span, "", 1)
    return bool(cuts)


def _runs(page: _Page, lines: list[int], members: set[int], min_run: int, rule: str, block_ok=None) -> None:
    """Runs of at least ``min_run`` consecutive ``lines`` in ``members`` are lists, dropped as blocks."""
    if len(members) < min_run:  # most pages: too few members for one run
        return
    run: list[int] = []
    for i in lines + [-1]:
        if i in members:
            run.append(i)
            continue
        if len(run) >= min_run and (block_ok is None or block_ok(run)):
            for j in run:
                page.drop(j, rule)
        run = []


def _drop_list_under(page: _Page, live: list[int], k: int) -> None:
    """Drop the list under a 相关阅读 heading: headline-like lines, each dated one with its snippet.

    ``"相关阅读：\\n夏粮收购过半（2018年08月1日）\\n摘要一段……\\n## 下一节"`` keeps only ``"下一节"``。
    """
    if _stamped_records(page, live, k):
        return
    after_title = False
    for i in live[k + 1:]:
        t = page.plain[i]
        title_like = page.kind[i] in ("link", "image") or (len(t) <= 40 and not t.endswith("。"))
        if page.kind[i] == "heading" or (not title_like and not after_title):
            return  # a new section, or prose
        page.drop(i, "related")
        after_title = title_like and (page.kind[i] == "link" or bool(DATED.search(t)))


STAMP_CHARS = 20  # a list's stamp is a short label or count
STAMP_RECORDS = 4


def _stamped_records(page: _Page, live: list[int], k: int) -> bool:
    """Under a 相关阅读 heading, records of a fixed length that each hold the same short line at the same place (a
    list's stamp: ``连载中 116 章``, ``阅读全文``): the run of records goes whole, their teasers too, full sentences or
    not. Whether it found one.

    ``"猜你喜欢\n连载中\n甲书\n甲书的简介。\n连载中\n乙书\n乙书的简介。"`` (four records or more) keeps nothing of them."""
    texts = [page.plain[i] for i in live[k + 1:k + 1 + 5 * STAMP_RECORDS * 4]]  # the first records tell
    for period in range(2, 6):
        for at in range(period):
            if at >= len(texts) or not texts[at] or len(texts[at]) > STAMP_CHARS or _is_prose(texts[at]):
                continue
            n = 1
            while at + n * period < len(texts) and texts[at + n * period] == texts[at]:
                n += 1
            if n < STAMP_RECORDS:
                continue
            stamp, end = texts[at], k + n * period  # the last record's last line
            j = end + 1 + at
            while j < len(live) and page.plain[live[j]] == stamp:  # the list runs on past the lines looked at
                end, j = end + period, j + period
            for i in live[k + 1:min(end + 1, len(live))]:
                page.drop(i, "related")
            return True
    return False


def _related_blocks(page: _Page) -> None:
    """相关阅读 headings take the list under them, a comments heading the rest of the page,
    and runs of link lines go as one block.

    ``"正文。\\n- [第一篇](a.html)\\n- [第二篇](b.html)"`` -> ``"正文。"``；
    ``"正文。\\n网友评论仅供其表达个人看法\\n说得好"`` -> ``"正文。"``。
    """
    live = page.live(images=True)
    for k, i in enumerate(live):
        s = page.plain[i]
        if len(s) > 40 or page.gone[i]:
            continue
        if _is_comments_heading(s) or (_is_comment_count(s) and _comment_section(page, live, k)):
            for j in live[k:]:
                page.drop(j, "comments")
            return
        if _is_related_heading(s):
            page.drop(i, "related")
            _drop_list_under(page, live, k)
    if "link" in page.kind or "image" in page.kind:
        live = page.live(images=True)
        linked = {i for i in live if page.kind[i] in ("link", "image")}
        _runs(page, live, linked, 2, "link_list",
              lambda run: sum(page.kind[j] == "link" or bool(ALT_TEXT.search(page.raw[j])) for j in run) >= 2)
        _list_labels(page, live)


def _comment_section(page: _Page, live: list[int], k: int) -> bool:
    """Whether the count heading at ``live[k]`` opens readers' comments: prose above it (the article), and two or
    more comment headers (a name and a time) in the lines under it. A forum's posts have no article above them."""
    under = [page.plain[i] for i in live[k + 1:k + 1 + R.COMMENT_WINDOW]]
    return R.comment_headers(under) >= R.COMMENT_HEADERS and any(_is_prose(page.plain[i]) for i in live[:k])


LIST_LABEL_ENDS = ("：", ":", "↓", "👇", "看", "读")


def _list_labels(page: _Page, live: list[int]) -> None:
    """The short line that introduces a list of links closing the page (``还可以看``, ``参考资料：``) goes with it:
    it ends like a label, not a sentence, and no prose follows the list.

    ``"正文。\\n延伸看看：\\n- [甲](a.html)\\n- [乙](b.html)"`` -> ``"正文。"``。
    """
    if "link_list" not in page.rule:  # a label sits right over a link list
        return
    for k in range(len(live) - 2):
        i, j = live[k], live[k + 1]
        if page.gone[i] or page.rule[j] != "link_list" or page.kind[i] in ("link", "image"):
            continue
        s = page.plain[i].rstrip("*_ ")
        if not s or len(s) > 30 or not s.endswith(LIST_LABEL_ENDS) or _is_prose(s):
            continue
        if not any(not page.gone[x] and _is_prose(page.plain[x]) for x in live[k + 1:]):
            page.drop(i, "related")


DATED = re.compile(r"(?:\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|[（(]\d{4}年\d{1,2}月\d{1,2}日[）)])$")
# A date and time with the list's channel tag after them: ``某某发布新品 2019-09-07 15:05 手机``.
DATED_TAGGED = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?\s+[\u4e00-\u9fffA-Za-z]{1,6}$")
NAV_ITEM = re.compile(r"^[-·•|]\s*\S{1,4}$")


# A count of views, likes or comments closing a line: the stamp a list puts on another page's headline.
COUNTED = re.compile(r"(?:^|\s)\d+(?:\.\d+)?[万wWkK]?\s*(?:人气|人赞|赞|次?阅读|次?浏览|条?评论|次?点击|次?播放)$"
                     r"|(?:阅读|浏览|点击|评论|人气)\s*[:：(（]\s*\d+(?:\.\d+)?[万wWkK]?\s*[)）]?$")


@per_line
def _is_dated(t: str) -> bool:
    """``夏粮收购过半 2021-06-01``, ``斯佩齐亚vs克雷莫纳 客战可期 757人气``, ``新品发布 2019-09-07 15:05 手机``:
    a headline with its date or count (and the list's channel tag)."""
    if len(t) > 60:
        return False
    if t[-1].isdigit() or t[-1] in "）)":
        return DATED.search(t) is not None or _counted(t)
    return _counted(t) or (":" in t and DATED_TAGGED.search(t) is not None)


COUNT_CHARS = frozenset("气赞读览论击放")  # one of them is in every count word of COUNTED: keep them in step


def _counted(t: str) -> bool:
    return not COUNT_CHARS.isdisjoint(t) and COUNTED.search(t) is not None


TEASER_DATE = re.compile(r"^(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")


def _is_cut(t: str) -> bool:
    return t.rstrip(TRAILERS).endswith(CUT_ENDS)


CUT_ENDS = (*L.ELLIPSIS, "..")


def _is_teaser_head(t: str) -> bool:
    return 4 <= len(t) <= 60 and not _is_cut(t) and not t.endswith(R.END_PUNCT_TUPLE) and not TEASER_DATE.match(t)


def teaser_records(texts: list[str]) -> list[tuple[int, int]]:
    """Spans (first, last) of lists of other pages: four or more records of two to four lines at a fixed
    period, each a headline over a teaser cut short (``……``) and maybe a date, the date or the cut teaser
    recurring every period. Layout only: a timeline's entries end their sentences, a list's teasers are cut.

    >>> teaser_records(["正文第一段。", "夏粮收购过半", "今年夏粮收购进度过半，农户……", "2022-11-10",
    ...                 "秋粮长势良好", "入秋以来雨水充足，秋粮……", "2022-11-10", "春播顺利", "春播……", "2022-11-09",
    ...                 "冬小麦返青", "冬小麦陆续返青……", "2022-11-09"])
    [(1, 12)]
    >>> teaser_records(["2016年7月18日", "立法会否决议案。", "2016年7月19日", "市民游行。", "2016年7月20日",
    ...                 "议员辞职。", "2016年7月21日", "风波平息。"])
    []
    """
    out: list[tuple[int, int]] = []
    dates = [i for i, t in enumerate(texts) if t and t[0].isdigit() and TEASER_DATE.match(t)]  # a date opens with a digit
    cuts = [i for i, t in enumerate(texts) if t and ("…" in t or ".." in t) and _is_cut(t)]  # every cut end holds one
    for at in (dates, cuts):
        k = 0
        while k < len(at):
            j = k
            for period in (2, 3, 4):
                j = k
                while j + 1 < len(at) and at[j + 1] - at[j] == period:
                    j += 1
                if j - k >= 3:
                    break
            if j - k < 3:
                k += 1
                continue
            a = at[k:j + 1]
            gaps = [i - a[m] for m in range(len(a) - 1) for i in range(a[m] + 1, a[m + 1]) if _is_teaser_head(texts[i])]
            head, n = Counter(gaps).most_common(1)[0] if gaps else (0, 0)
            # A record opens with its headline: above the first anchor when one stands there, else at the anchor.
            start = head - period if a[0] + head - period >= 0 and _is_teaser_head(texts[a[0] + head - period]) else 0
            records = [(x + start, min(x + start + period - 1, len(texts) - 1)) for x in a]
            cut = sum(any(_is_cut(texts[i]) for i in range(lo, hi + 1)) for lo, hi in records)
            if n * 4 >= 3 * (len(a) - 1) and cut * 2 >= len(records):
                out.append((records[0][0], records[-1][1]))
            k = j + 1
    return sorted(set(out))  # a list found by both its dates and its cut teasers


def _teaser_lists(page: _Page) -> None:
    """Lists of other pages' headlines with their teasers cut short (``teaser_records``) go. The records are
    counted on the page as written: a headline another rule took still holds its record's place."""
    lines = [i for i, t in enumerate(page.plain) if t and page.kind[i] != "image"]
    for lo, hi in teaser_records([page.plain[i] for i in lines]):
        for i in lines[lo:hi + 1]:
            if not page.gone[i]:
                page.drop(i, "teaser_list")
    _read_more_teasers(page, lines)


def _read_more_teasers(page: _Page, lines: list[int]) -> None:
    """Two or more "read more" links (``【详细】``) on their own lines: each closes a teaser of another page,
    and the one or two lines above it, back to the previous link, are that teaser.

    ``"正文。\\n甲文标题\\n甲文摘要……\\n【详细】\\n乙文标题\\n乙文摘要……\\n【详细】"`` keeps only ``"正文。"``。
    """
    marks = [k for k, i in enumerate(lines) if len(page.plain[i]) <= 12 and R.READ_ON.match(page.plain[i])]
    taken = set(marks)
    marks = [k for k in marks if k > 0 and k - 1 not in taken]  # a run of links closes sections, not teasers
    if len(marks) < 2:
        return
    floor = -1
    for k in marks:
        above = [j for j in lines[max(floor + 1, k - 2):k] if page.kind[j] != "heading"]
        for j in above:
            if not page.gone[j]:
                page.drop(j, "teaser_list")
        floor = k


def _lists(page: _Page) -> None:
    """Headlines stamped with dates or counts (views, likes), and menus of one-word bullets.

    ``"正文。\\n夏粮收购过半 2021-06-01\\n秋粮长势良好 2021-06-02\\n春播顺利 2021-06-03"`` -> ``"正文。"``；
    ``"- 推荐\\n- 娱乐\\n- 体育\\n- 财经\\n- 科技"`` -> ``""``。
    """
    if "teaser_list" not in page.off:
        _teaser_lists(page)
    live = page.live()
    plain = page.plain
    # _is_dated needs a short line ending in a digit or a bracket, or holding a count word or a clock (a channel tag
    # after a time): most lines are asked nothing.
    dated = {i for i in live if len(plain[i]) <= 60 and (plain[i][-1] in "）)" or plain[i][-1].isdigit() or ":" in plain[i]
                                                         or not COUNT_CHARS.isdisjoint(plain[i])) and _is_dated(plain[i])}
    _runs(page, live, dated, 3, "dated_list")
    for i in page.live():  # a list of them the extractor ran into one line
        if len(plain[i]) >= 40 and not plain[i].isascii() and R.dated_run(plain[i]):
            page.drop(i, "dated_list")
    live = page.live()
    nav = {i for i in live if len(plain[i]) <= 7 and NAV_ITEM.match(plain[i])}
    _runs(page, live, nav, 5, "nav_list")


def _position_rules_again(page: _Page, off: frozenset[str]) -> None:
    """Footer, edge dates and tail lists again on the page as it now stands, until nothing changes.

    Lines dropped after they ran (a repeat, a share line) can bring a footer, a date or a list to the
    page's edge; a second pass would see it there, so this pass decides on it too.
    """
    for _ in range(3):
        before = page.gone.count(True)
        if "footer" not in off:
            _footer(page)
        if "dateline" not in off:
            _edge_dates(page)
        if "tail_list" not in off:
            _tail_list(page)
        if _any_on(off, "closing_note", "signoff"):
            _closing_notes(page)
        if page.gone.count(True) == before:
            return


def _closing_notes(page: _Page) -> None:
    """Among the page's last three lines, an author bio or a disclaimer closes the page, and what follows
    it goes too. ``"正文。\\n作者为资深媒体人。"`` -> ``"正文。"``; ``作者为…`` opening a page is prose.
    A sign-off there (name, date, place) with no prose after it goes alone."""
    live = page.live()
    if len(live) < 2:
        return
    for k in range(max(1, len(live) - 3), len(live)):
        s = page.plain[live[k]]
        if R.is_signoff(s):
            if not any(_is_prose(page.plain[i]) for i in live[k + 1:]):  # a timeline's date has prose after it
                page.drop(live[k], "signoff")
        elif "closing_note" not in page.off and _is_closing_note(s):
            for i in live[k:]:
                page.drop(i, "closing_note")
            return


def _edge_dates(page: _Page) -> None:
    """A bare date among the first or last two lines of the page as written out is a dateline.

    Lines dropped after the line rules ran can leave a date at the edge; deciding on the final page
    gives the verdict a second pass would give. ``"2019-11-28\\n正文。"`` -> ``"正文。"``。
    """
    for _ in range(4):
        live = page.live()
        # Headings too: a second pass no longer knows them as headings.
        edge = [i for i in dict.fromkeys(live[:2] + live[-2:]) if BARE_DATE.match(page.plain[i])
                and not _signed(page, live, i)]
        if not edge or len(live) <= len(edge):
            return
        for i in edge:
            _take_metadata(page.doc, "dateline", page.orig[i], page.raw[i])
            page.drop(i, "dateline")


def _signed(page: _Page, live: list[int], i: int) -> bool:
    """The page's last line is a date under a signature (a short line right after the prose): a notice's 落款.

    ``"……特此通知。\\n某某市教育局\\n2015年7月3日"``: the date is part of the notice.
    """
    k = live.index(i)
    if k != len(live) - 1 or k < 2:
        return False
    sign, prose = page.plain[live[k - 1]], page.plain[live[k - 2]]
    return len(sign) <= APPEAL_SHORT and not _is_prose(sign) and not BARE_DATE.match(sign) and _is_prose(prose)


APPEAL_SHORT = 20  # a notice's heading, an organisation's name, a greeting
APPEAL_CONTACT = re.compile(r"电话|热线|网址|信箱|邮箱|传真|客服")


def _appeal_tail(page: _Page) -> None:
    """The notice that closes a page asking the reader for money or a subscription: from the bottom up, lines
    that ask (捐款, 划拨帐号, 订户; a long one must also address the reader: 您, 读者), short lines among them
    (a heading, an organisation, a greeting) and contact lines; two asking lines and one addressing the reader
    make it a notice, and the short heading right above it goes too. A long line that does not ask ends it.

    ``"正文……。\n基金会作业说明\n1.感谢读者爱心，捐款人皆制发收据……\n2.您指定的善款……"`` -> ``"正文……。"``。
    """
    live = page.live()
    run: list[int] = []
    asks = reader = 0
    for i in reversed(live):
        s = page.plain[i]
        ask = R.APPEAL_WORDS.search(s) is not None
        addresses = R.READER_WORDS.search(s) is not None
        if (ask and (len(s) <= 40 or addresses)) or (addresses and len(s) <= APPEAL_SHORT):
            asks += ask
            reader += addresses
        elif not (len(s) <= APPEAL_SHORT and not _is_prose(s)) and not (len(s) <= 40 and APPEAL_CONTACT.search(s)):
            break
        run.append(i)
    # the run's top: its first asking line, and one short heading right above it
    while run and not (R.APPEAL_WORDS.search(page.plain[run[-1]]) or R.READER_WORDS.search(page.plain[run[-1]])):
        run.pop()
    if asks < 2 or not reader or len(run) == len(live):
        return
    k = live.index(run[-1])
    head = live[k - 1] if k > 0 else None  # a heading touches the notice: no rule or image between them
    if head is not None and len(page.plain[head]) <= APPEAL_SHORT and not _is_prose(page.plain[head]) \
            and not any(page.raw[j].strip() for j in range(head + 1, run[-1])):
        run.append(head)
    for i in run:
        page.drop(i, "appeal")


PHONE = re.compile(r"\d{3,4}-\d{7,8}")


def _tail_list(page: _Page) -> None:
    """A page that closes with four or more headline-like lines closes with a list of links.

    ``"正文。\\n江西凤凰沟鲜花盛开 市民踏春游玩\\n…"``（四条以上标题）-> ``"正文。"``。
    Headlines run longer than lines of verse and hold no commas or table bars; lists of
    signatories (name　affiliation) and of phone numbers are not headlines either.
    """
    live = page.live()
    run = []
    for i in reversed(live):
        t = page.plain[i]
        if 8 <= len(t) <= 40 and not t.endswith(R.END_PUNCT_TUPLE) and page.kind[i] != "heading" \
                and len(_HAN.findall(t)) * 3 >= len(t) \
                and not any(c in t for c in "，,、|｜　") and not PHONE.search(t):
            run.append(i)
        else:
            break
    if 4 <= len(run) < len(live) and sum(len(page.plain[i]) for i in run) >= 12 * len(run) \
            and not _enumeration([page.plain[i] for i in run]):
        for i in reversed(run):
            page.drop(i, "tail_list")


@per_line
def _is_prose(s: str) -> bool:
    """A line that reads as running text: it ends a sentence (short ones too: dialogue, a timeline's entries),
    or is long and holds several sentence ends.

    A teaser cut short (``……``, ``[详细]``) is not prose: it is another page's first lines; nor is a contact line
    or a sidebar's entry that closes in a bracket (``地址：某路88号（地铁2号线）``, ``到处吃 (1438)``).
    """
    s = s.rstrip(TRAILERS)
    if s.endswith(_NO_PROSE_ENDS) or (s.endswith(("）", ")"))
                                      and (R.is_contact(s) or R.is_count_entry(s) or R.is_count_row(s))):
        return False
    # L.ends_sentence(s), knowing s ends in no ellipsis
    return (bool(s) and s[-1] in L.END) or (len(s) >= 80 and s.count("。") + s.count("！") + s.count("？") >= 2)


_NO_PROSE_ENDS = (*L.ELLIPSIS, "]", "】")


TRAILERS = " -—~"  # a dash or tilde some sites glue after a paragraph's last stop


def body_spans(texts: list[str], prose: Callable[[str], bool] | None = None) -> list[tuple[int, int]]:
    """The runs of lines (first, last index into ``texts``) that hold the body: the densest stretches of prose.

    Each line scores its length if it is prose and minus its length (at least ``NON_PROSE_COST``) if not
    (an empty string, nothing);
    the body is the stretch with the highest sum (maximum subarray, as Finn's Body Text Extraction does with
    tags), and any other stretch left or right of it that sums to ``MIN_BODY`` or more. A menu with one welcome
    sentence in it stays outside; a short list between paragraphs stays inside.

    >>> body_spans(["首页", "新闻中心", "联系我们", "今年一季度城区新增三处口袋公园，周边居民步行五分钟就能到达。",
    ...             "公园里种了银杏和樱花。", "热门文章", "如何挑选电饭煲", "春季养生小常识"])
    [(3, 4)]
    >>> body_spans(["首页", "新闻中心"])
    []
    """
    prose = prose or _is_prose
    values = [0 if not s else len(s) if prose(s) else -max(NON_PROSE_COST, len(s)) for s in texts]
    out: list[tuple[int, int]] = []
    todo = [(0, len(values))]
    while todo:
        lo, hi = todo.pop()
        best, at, run, start = 0, None, 0, lo
        for k in range(lo, hi):
            if run <= 0:
                run, start = 0, k
            run += values[k]
            if run > best:
                best, at = run, (start, k)
        if at is None or (out and best < MIN_BODY):
            continue
        out.append(at)
        todo += [(lo, at[0]), (at[1] + 1, hi)]
    return sorted(out)


NON_PROSE_COST = 10  # what a short non-prose line (a menu item, a subheading) costs the stretch around it
MIN_BODY = 60  # chars of prose, net, that make a second stretch body too


def _outside_body(page: _Page) -> None:
    """Above the body runs, the lines above the last furniture line (a breadcrumb, a dateline, a byline) that
    do not read as text go; below them, the lines below the first furniture line (上一篇, 相关文章, a copyright)
    do: menus, headlines of other pages, teasers cut short, tag clouds, contact and login blocks.
    A keyword rule's hit only says where the article's frame is; the block is what the layout says.

    ``"首页\\n新闻\\n关于我们\\n当前位置：首页 > 新闻\\n正文第一段……。"`` keeps only the paragraph. Lines
    between the body and the frame stay (a table, code, a list the article makes), and so does any line that
    reads as text, a heading or a table row: when unsure, keep.
    """
    live = page.live()
    seen: set[str] = set()
    # A repeated line counts once, as the repeat rule will leave it: a second pass agrees (add returns None).
    texts = ["" if t in seen else seen.add(t) or t for t in map(page.plain.__getitem__, live)]
    spans = _before_footer(page, live, body_spans(texts))
    if not spans:
        return
    prose = "".join(page.plain[live[k]] for a, b in spans for k in range(a, b + 1))
    if L.han_count(prose) >= 0.3 * len(prose):
        latin = False
    else:  # a stop is a weak sign of prose in Latin text (menus end in "."): a sentence has words too
        page_text = "".join(texts)
        latin = L.han_count(page_text) < LATIN_PAGE * len(page_text)
        if not latin:
            return  # Chinese with code or English quoted in it: no frame to trust
        spans = _before_footer(page, live, body_spans(texts, _latin_prose))
        if sum(len(texts[k]) for a, b in spans for k in range(a, b + 1) if _latin_prose(texts[k])) < LATIN_BODY:
            return  # a notice or two is no article to frame
    first, last = live[spans[0][0]], live[spans[-1][1]]
    before, after = live[:spans[0][0]], live[spans[-1][1] + 1:]  # live is sorted: the lines above and below the body
    thread = page.doc.meta.get("thread")  # a thread's prose may start in its replies, below an opening post of code
    # live is sorted: i < first holds for k below spans[0][0], i > last for k past spans[-1][1]
    for k in (*range(0 if thread else spans[0][0]), *range(spans[-1][1] + 1, len(live))):
        i = live[k]
        if page.kind[i] != "heading" and is_nav_line(page.plain[i]) and not _table_header(page, live, k):
            page.drop(i, "nav_line")
    if "count_list" not in page.off:
        for side in (before, after):
            _count_lists(page, side)
    # No contact or form line beside the body: _contact_blocks would find nothing (most pages).
    if _any_on(page.off, "contact", "form") and _any_contact(page, before, after) \
            and _prose_chars(page, live, spans) >= CONTACT_BODY \
            and not any(R.is_contact(page.plain[i]) and not page.plain[i].endswith((":", "："))
                        for i in live if first <= i <= last):
        _contact_blocks(page, before, after)
    frame = [i for i in compress(range(len(page.rule)), page.rule) if page.rule[i] in FRAME_RULES]  # rules are names
    # a thread's opening post may be code or short lines, and end in a frame line (its licence, its signature)
    # with the replies, the prose, below it: there, the head is what lies above the first frame line
    above = (min if thread else max)((i for i in frame if i < first), default=-1)
    below = min((i for i in frame if i > last), default=len(page.plain))
    head = _furniture_run(page, live[:bisect_left(live, above)])
    if not head and not thread:  # no frame above the body: only a menu of five or more short items goes
        head = _furniture_run(page, before)
        head = head if len(head) >= MENU_ITEMS and _median_len(page, head) <= MENU_CHARS // 2 else []
    if head and _median_len(page, head) <= MENU_CHARS:
        for i in head:  # a menu: prose without stops (some blogs write so) runs longer
            page.drop(i, "head_block")
    tail = _furniture_run(page, live[bisect_right(live, below):])
    if not tail and not page.doc.meta.get("thread"):  # no frame below the body: only a list of other pages'
        tail = _headline_tail(page, after)  # headlines goes (a thread's short replies stay)
    # An English page's menus between the body and its footer; a list the article's last line opens (``…you need:``)
    # is the article's, and with no footer line below there is no frame to say where the page ends.
    if latin and not page.doc.meta.get("thread") and below < len(page.plain):
        mid = _furniture_run(page, [i for i in live if last < i < below])
        opener = max((i for i in live if i < mid[0]), default=None) if mid else None
        if opener is not None and page.plain[opener].rstrip().endswith((":", "：")):
            mid = []
        if len(mid) >= MENU_ITEMS and _median_len(page, mid) <= MENU_CHARS // 2:
            tail = sorted({*tail, *mid})
    for i in tail:
        page.drop(i, "tail_block")


# A site's footer line: what stands below it, past the article, is the site's, whatever its punctuation.
FOOTER_RULES = frozenset({"furniture", "related", "comments", "contact", "form"})
GAP_RULES = frozenset({*FOOTER_RULES, "teaser_list", "dated_list", "link_list", "tail_list", "count_list", "nav_list"})


def _before_footer(page: _Page, live: list[int], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The body runs, less those below a footer line (a copyright, 上一篇, 相关阅读, a contact card) that stands
    below the page's main run: a site's disclaimer or a teaser down there reads as prose but is no body.
    ``["正文……。", "上一章 目录 下一章", "Copyright © 某某小说网", "本站内容均来自网友上传，如有侵权请来信……。"]``
    keeps only the first run."""
    spans = _split_at_lists(page, live, spans)
    if len(spans) < 2:
        return spans
    main = max(spans, key=lambda ab: sum(len(page.plain[live[k]]) if _is_prose(page.plain[live[k]]) else 0
                                         for k in range(ab[0], ab[1] + 1)))  # the run with the most prose
    end = live[main[1]]
    cut = next((i for i in range(end + 1, len(page.plain)) if page.rule[i] in FOOTER_RULES), None)
    return spans if cut is None else [ab for ab in spans if live[ab[0]] < cut]


LIST_GAP = 5  # frame lines gone between two lines of one run, a footer line among them: the page's lists, not the article's


def _split_at_lists(page: _Page, live: list[int], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Body runs split where the rules took a block of the page's frame between two of their lines (a 相关阅读 list,
    teasers, a tag line): the run below it holds another page's headlines that end in ？ or ）, not the article.

    ``["正文……。", "标签：某某", "相关阅读", "甲文", "乙文", "丙文", "电脑太热怎么办？"]`` with the frame gone: two runs."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        start = a
        for k in range(a, b):
            if live[k + 1] - live[k] <= LIST_GAP:  # too few lines between them to hold LIST_GAP frame lines
                continue
            gap = [page.rule[j] for j in range(live[k] + 1, live[k + 1]) if page.rule[j] in GAP_RULES]
            if len(gap) >= LIST_GAP and not FOOTER_RULES.isdisjoint(gap):
                out.append((start, k))
                start = k + 1
        out.append((start, b))
    return out


COUNT_ENDS = ("）", ")", "）\n", ")\n")
COUNT_LIST_RUN = 4  # sidebar entries with counts in a row (categories, archive months) that make a list
CONTACT_BODY = 60  # chars of prose that make a page more than its contact details
FORM_RUN = 3  # fields that make a form
CARD_HEAD, CARD_NAME = 2, 20  # short lines above a contact card that go with it: 联系方式, the company's name (a form: one)
FORM_GAP = 3  # lines a field's value or a choice (男, 女) may take between two fields


def _prose_chars(page: _Page, live: list[int], spans: list[tuple[int, int]]) -> int:
    return sum(len(page.plain[live[k]]) for a, b in spans for k in range(a, b + 1) if _is_prose(page.plain[live[k]]))


def _any_contact(page: _Page, above: list[int], below: list[int]) -> bool:
    texts = [*map(page.plain.__getitem__, above), *map(page.plain.__getitem__, below)]
    return any(map(R.is_form_field, texts)) or any(map(R.is_contact, texts))  # pure tests: either order


def _contact_blocks(page: _Page, above: list[int], below: list[int]) -> None:
    """Contact lines (电话、传真、邮箱、地址、QQ) and the fields of an inquiry form, above the body runs or below
    them, on a page whose body has prose of its own: the site's frame. The same lines between paragraphs stay, and
    so does a page that is only its contact details, or whose body gives contact details of its own (a job or an
    event notice: its last section's may follow the last paragraph). They also mark the frame, so the menus beyond
    them go too.

    ``"正文……。\\n销售热线：0571-88886666\\n地址：杭州市西湖区文三路100号"`` -> ``"正文……。"``。
    """
    for side in (above, below):
        found = [k for k, i in enumerate(side) if page.kind[i] != "heading" and R.is_contact(page.plain[i])]
        for k in found:
            page.drop(side[k], "contact")
        for a, b in zip(found, found[1:]):  # a card of two or more lines: its heading and the company's name above it
            if b - a <= FORM_GAP and (a == 0 or a - 1 not in found):
                _card_head(page, side, a, "contact", CARD_HEAD)
        fields = [k for k, i in enumerate(side) if not page.gone[i] and R.is_form_field(page.plain[i])]
        runs: list[list[int]] = []
        for k in fields:
            if runs and k - runs[-1][-1] <= FORM_GAP:
                runs[-1].append(k)
            else:
                runs.append([k])
        for run in runs:
            if len(run) >= FORM_RUN:
                for i in side[run[0]:run[-1] + 1]:
                    if not _reads_as_text(page.plain[i]) or R.is_form_field(page.plain[i]):
                        page.drop(i, "form")
                _card_head(page, side, run[0], "form", 1)


def _count_lists(page: _Page, side: list[int]) -> None:
    """Four or more sidebar entries with counts in a row (``到处吃 (1438)``), and the list's heading above them."""
    if not any(page.plain[i].endswith(COUNT_ENDS) for i in side):
        return  # a count entry and a count row both end in a closing bracket (their patterns' $: or one and a line break)
    hits = [R.is_count_entry(page.plain[i]) for i in side]
    for i in side:
        if page.plain[i].endswith(("）", ")")) and R.is_count_row(page.plain[i]):
            page.drop(i, "count_list")  # a whole list on one line
    k = 0
    while k < len(side):
        j = k
        while j < len(side) and hits[j]:
            j += 1
        if j - k >= COUNT_LIST_RUN:
            for i in side[k:j]:
                page.drop(i, "count_list")
            _card_head(page, side, k, "count_list", 1)
        k = max(j, k + 1)


def _card_head(page: _Page, side: list[int], a: int, rule: str, n: int) -> None:
    """The ``n`` short lines right above a card or form at ``side[a]``: its heading (联系方式, 在线留言), a company's name."""
    for i in side[max(0, a - n):a][::-1]:
        t = page.plain[i]
        if len(t) > CARD_NAME or _reads_as_text(t) or page.gone[i] or ENUMERATED.match(t) or any(c in t for c in "、，,；;"):
            return
        page.drop(i, rule)


NAV_SPLIT = re.compile(r"\s*[>＞»›|｜丨]\s*|\s+[·•・]\s+|\s+")  # a dot between spaces; 阿·布 is one name
CRUMB = re.compile(r"[>＞»›]")
SPACED_DOT = re.compile(r"\s[·•・]\s")  # tags or a menu: 猫 · 理想国 · 台湾


@per_line
def is_nav_line(s: str) -> bool:
    """A menu bar or breadcrumb written on one line: three or more short items between spaces, tabs, bars or
    ``>``, and no sentence in it. Only asked of lines outside the body.

    >>> is_nav_line("首页 > 本地资讯 > 正文"), is_nav_line("首页 新闻 体育 财经 科技"), is_nav_line("郵箱登錄 丨 中文 丨 英文")
    (True, True, True)
    >>> is_nav_line("猫 · 理想国 · 台湾 · 巴厘岛"), is_nav_line("北京 上海"), is_nav_line("他说：我们 明天 再来。")
    (True, False, False)
    """
    if len(s) > 120 or L.ends_sentence(s) or any(c in s for c in "，。！？；,、"):
        return False
    items = [x for x in NAV_SPLIT.split(s) if x]
    if len(items) < 3 or sum(bool(_HAN.search(x)) for x in items) < 0.6 * len(items):
        return False  # items without Han are code, coordinates, model numbers
    if len(CRUMB.findall(s)) >= 2 and len(s) <= 80:
        return True
    if max(map(len, items)) > 8:
        return False  # long items are phrases
    # Between plain spaces, four phrases may be a headline (某区议员促当局交代　居民：不能再拖): five or more are a menu.
    return len(items) >= 5 or any(c in s for c in "|｜丨>＞»›\t") or (len(items) >= 3 and SPACED_DOT.search(s) is not None)


def _median_len(page: _Page, lines: list[int]) -> int:
    return sorted(_menu_len(page.plain[i]) for i in lines)[len(lines) // 2]


_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.&-]*")


@per_line
def _menu_len(s: str) -> int:
    """A line's length as a menu item: Han characters, and two for each Latin word (``Airbnb & Hotels`` is 4,
    as long as ``酒店预订``), so an English menu over a Chinese body is measured as a Chinese one."""
    words = _LATIN_WORD.findall(s)
    if not words:
        return len(s)
    return len(_HAN.findall(s)) + 2 * len(words)


TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?$")


def _table_header(page: _Page, live: list[int], k: int) -> bool:
    """Space-separated items over a row of as many: the header of a table, not a menu.
    ``"项次 日期 进入时间 离开时间"`` over ``"1 2022-12-05 00:00 59分钟"``; a markdown row over ``| --- | --- |``."""
    if k + 1 < len(live) and TABLE_RULE.match(page.plain[live[k + 1]]):
        return True
    if k + 1 >= len(live) or any(c in page.plain[live[k]] for c in "|｜丨>＞»›\t"):
        return False
    return abs(len(page.plain[live[k]].split()) - len(page.plain[live[k + 1]].split())) <= 1


# Rules whose lines frame an article: what stands beyond them is the site's, not the article's.
FRAME_RULES = frozenset({"nav_line", "furniture", "share", "related", "comments", "dateline", "credit", "source", "nav_list",
                         "dated_list", "link_list", "tail_list", "footer", "repost", "contact", "form"})


def _furniture_run(page: _Page, lines: list[int]) -> list[int]:
    """The lines of a stretch outside the body that go: those that do not read as text, when there are three."""
    cand = [i for i in lines if page.kind[i] != "heading" and not _reads_as_text(page.plain[i])]
    texts = [page.plain[i] for i in cand]
    if len(cand) < MIN_OUTSIDE or _verse(texts) or sum(bool(ENUMERATED.match(t)) for t in texts) >= len(texts) / 2:
        return []  # verse, or an enumeration the article makes
    return cand


@per_line
def _reads_as_text(s: str) -> bool:
    """Ends a sentence or a clause, holds two sentences or three clauses, or is a table row."""
    t = s.rstrip(TRAILERS)
    if t.endswith(("）", ")")) and R.is_count_row(t):
        return False  # a sidebar's entries run together: ``2022 十月 (16) 2022 九月 (20) …``
    return L.ends_sentence(t) or t.endswith(CLAUSE_END) or s.startswith("|") \
        or sum(t.count(c) for c in "。！？!?") >= 2 or sum(t.count(c) for c in "，,；;") >= 3


_HAN = re.compile(r"[\u4e00-\u9fff]")
ENUMERATED = re.compile(r"^(?:[（(]?\d{1,2}[)）.、．]|[（(]?[一二三四五六七八九十]{1,2}[、)）]|第[一二三四五六七八九十\d]+[章节条])")


def _headline_tail(page: _Page, lines: list[int]) -> list[int]:
    """Below the body with no frame line: the list of other pages' headlines that ends the page, which no line of
    text interrupts. A blog written without stops has lines that read as text among its own (``…久违了！``); the
    list starts after the last of them (else a second pass, the closing notes gone, took the blog's lines)."""
    tail = _furniture_run(page, lines)
    text = [i for i in lines if tail and tail[0] < i < tail[-1] and _reads_as_text(page.plain[i])]
    if text:
        tail = _furniture_run(page, [i for i in lines if i > text[-1]])
    return tail if _headlines([page.plain[i] for i in tail]) else []


def _headlines(lines: list[str]) -> bool:
    """Four or more lines, nearly all of them headline-shaped: 6 to 48 characters, mostly Han, not an
    enumeration the article makes (``（1）``, ``一、``, ``第三章``). Code, tables and specs are not.
    ``["沙漠化的原因是什么", "潮汕卤鹅最正宗的家常做法", "冬季进补吃什么", "如何挑选一台好用又省电的电饭煲"]`` -> True。
    """
    if len(lines) < 4 or sum(map(len, lines)) < 10 * len(lines):
        return False  # specs and tables: short label-value rows
    ok = sum(6 <= len(t) <= 48 and len(_HAN.findall(t)) >= 0.5 * len(t) and not ENUMERATED.match(t) for t in lines)
    return ok >= 0.8 * len(lines) and not _enumeration(lines)


MENU_CHARS = 12  # the median line above the body is a menu item's length, not a sentence's
MENU_ITEMS = 5  # short lines that make a menu where no frame line says where the page's frame is
LATIN_PAGE = 0.1  # Han share under which a page is a Latin page (a language menu, a Chinese headline or two)
LATIN_BODY = 300  # characters of such sentences that make an article
LATIN_WORDS = 8  # words of a Latin sentence that make it prose: a menu or a button ends in "." too


@per_line
def _latin_prose(s: str) -> bool:
    """Prose, and when it has no Han, a sentence of several words: ``Choosing a selection results in a refresh.`` is
    a page's notice, ``Read more.`` a button; ``The first course is planned to start in mid-2018 and …`` is prose."""
    return _is_prose(s) and (_HAN.search(s) is not None or len(s.split()) >= LATIN_WORDS)


CLAUSE_END = ("，", ",", "、", "：", ":", "；", ";")
MIN_OUTSIDE = 3
_DIGIT = re.compile(r"\d")


def _verse(lines: list[str]) -> bool:
    """Lines of verse: all of about the same short length (5 to 14 characters), no digits. Menus run shorter,
    headlines longer and uneven. ``["如下了决定我不嗟叹", "在最终回凯歌奏响", "明天的路还很长远"]`` -> True。
    """
    sizes = [len(t) for t in lines]
    return min(sizes) >= 5 and max(sizes) <= 14 and max(sizes) - min(sizes) <= 4 \
        and not any(_DIGIT.search(t) for t in lines)


def _enumeration(lines: list[str]) -> bool:
    """Lines that mostly end alike are an enumeration the body makes (``……纠纷案``, ``……》``), not headlines
    of other pages (those often start alike, with a region's name, but end every which way): a second
    pass, which no longer sees their ``#`` headings, must keep them too.
    ``["张某诉李某合同纠纷案", "王某诉某公司劳动争议案"]`` -> True。
    """
    # "）" and ")" end alike: the punctuation step may change one into the other between passes.
    ends = Counter(chr(ord(t[-1]) - 0xFEE0) if "\uff01" <= t[-1] <= "\uff5e" else t[-1] for t in lines)
    return max(ends.values()) >= 0.75 * len(lines)


def _drop_images(page: _Page) -> None:
    if "image" not in page.kind:
        return
    for i, kind in enumerate(page.kind):
        if kind == "image" and not page.plain[i]:
            page.drop(i, "image")


SUMMARY = re.compile(r"^(?:本文摘要|文章摘要|内容摘要|內容摘要|摘要|导读|導讀)\s*[:：]\s*")


def _is_teaser(keys: list[str], heads: dict[str, list[int]], k: int) -> bool:
    """Line ``k`` starts with a later whole line and goes on with the line after that.

    ``["回应：我们在筹划。今年试点。", "…", "回应：我们在筹划。", "今年试点。"]``: line 0 is a teaser.
    """
    key = keys[k]
    if len(key) < 30:
        return False
    for a in heads.get(key[:15], ()):
        head = keys[a]
        if a > k and a + 1 < len(keys) and len(key) > len(head) and key.startswith(head):
            return key[len(head):].lstrip(">#*-+|").startswith(keys[a + 1][:10])  # markup between the copied lines
    return False


def _repeats(page: _Page, cfg: Config, spammy: bool) -> None:
    """A line seen before in the page is kept once; teasers and summaries that repeat the body go too.

    ``"甲段落，足够长的一句话。\\n乙。\\n甲段落，足够长的一句话。"`` -> ``"甲段落，足够长的一句话。\\n乙。"``。
    """
    if "repeat" not in page.off:
        _pull_quotes(page)
    live = page.live()
    keys = _keys(page, live)
    heads: dict[str, list[int]] = {}
    for k, key in enumerate(keys):
        if len(key) >= 15:
            heads.setdefault(key[:15], []).append(k)
    seen: set[str] = set()
    again = [""] * len(live)  # a line seen before: "long" (Chinese) or "other" dropped, "short" kept for now
    if len(set(keys)) == len(keys):  # no line twice: only the lines a teaser or summary check may take need a look
        _teasers(page, live, keys, heads, spammy)
        return
    asked = _refrains(keys)
    for k, i in enumerate(live):
        key = keys[k]
        if key in seen and key not in asked and not L.code_line(page.plain[i]):
            again[k] = "short" if len(key) < cfg.min_repeat_chars else "long" if L.HAN.search(key) else "other"
            if again[k] != "short":
                page.drop(i, "repeat")
                continue
        seen.add(key)
        if (k < 5 and _is_teaser(keys, heads, k)) or (key[-1] in ".…" and _is_cut_teaser(keys, heads, k)):
            page.drop(i, "repeat")  # a teaser of the paragraphs that follow it
            continue
        if key[0] in SUMMARY_FIRST:
            _summary(page, i, keys, k, spammy)
    _copied_block(page, live, again)


def _teasers(page: _Page, live: list[int], keys: list[str], heads: dict[str, list[int]], spammy: bool) -> None:
    # _repeats' loop on a page whose keys are all different: nothing is seen before, and nothing else changes.
    for k in [k for k, key in enumerate(keys) if k < 5 or key[-1] in ".…" or key[0] in SUMMARY_FIRST]:
        key, i = keys[k], live[k]
        if (k < 5 and _is_teaser(keys, heads, k)) or (key[-1] in ".…" and _is_cut_teaser(keys, heads, k)):
            page.drop(i, "repeat")
        elif key[0] in SUMMARY_FIRST:
            _summary(page, i, keys, k, spammy)


SUMMARY_FIRST = "本文内內摘导導"  # a summary's label starts with one
REFRAIN_CHARS = 60  # a question asked again is short


def _refrains(keys: list[str]) -> set[str]:
    """Questions the page asks again, each time over a different answer: an interview's or a survey's questions,
    put to each guest in turn, are its structure, not a copy.

    >>> sorted(_refrains(["债券市场存在泡沫吗？", "甲：估值过高。", "债券市场存在泡沫吗？", "乙：完全没有。", "完。", "完。"]))
    ['债券市场存在泡沫吗？']
    >>> _refrains(["你怎么看？", "同一句话。", "你怎么看？", "同一句话。"])  # the same answer again: a copied passage
    set()
    """
    joined = "".join(keys)
    if "？" not in joined and "?" not in joined:  # every refrain ends in one
        return set()
    where: dict[str, list[int]] = {}
    for k, key in enumerate(keys):
        if key and key[-1] in "？?" and len(key) <= REFRAIN_CHARS:
            where.setdefault(key, []).append(k)
    if not any(len(ks) > 1 for ks in where.values()):
        return set()
    count: dict[str, int] = {}
    for key in keys:
        count[key] = count.get(key, 0) + 1
    return {key for key, ks in where.items()
            if len(ks) > 1 and all(k + 1 < len(keys) and count[keys[k + 1]] == 1 for k in ks)}


def _keys(page: _Page, live: list[int]) -> list[str]:
    """Each line without its spaces. A printable line with no " " has none (every other space is unprintable)."""
    plain = page.plain
    return [t if " " not in t and t.isprintable() else "".join(t.split()) for t in map(plain.__getitem__, live)]


# A line break, then a line that lstrip leaves starting with ">" (\s is what lstrip strips, line breaks too: the
# last break before a match starts the quoted line). The literal first character makes the search a quick scan.
QUOTED_LINE = re.compile(r"\n\s*>")
PULL_MIN = 20  # characters of a quoted line that a later line must say whole
PULL_LINES = 2  # a box of highlights lists several; one quote over the article is its epigraph, which it may echo


def _pull_quotes(page: _Page) -> None:
    """A block of two or more quoted lines (``>``), half of which the page says again below it unquoted: highlights pulled
    from the article (a post's 导读). The block goes, whole (a highlight may be cut short or merged, a stretch of it is
    said below); the article keeps its lines. A long quoted line the article says nothing of is a quote of its own: the
    block stays.

    ``"> 记者走访了二十余家医院，汇总下来原因有三类。\\n> 采购流程复杂。\\n正文。\\n记者走访了二十余家医院，汇总下来原因有三类。"``
    -> ``"正文。\\n记者走访了二十余家医院，汇总下来原因有三类。"``。
    """
    raw = "\n".join(page.raw)
    if ">" not in raw or not QUOTED_LINE.search("\n" + raw):  # a quoted line starts with one: most pages quote none
        return
    live = page.live()
    quoted = [page.raw[i].lstrip().startswith(">") for i in live]
    if not any(quoted):
        return
    keys = _keys(page, live)
    k = 0
    while k < len(live):
        if not quoted[k]:
            k += 1
            continue
        end = k
        while end < len(live) and quoted[end]:
            end += 1
        below = "\n".join(key for key, q in zip(keys[end:], quoted[end:]) if not q)
        said = sum(len(key) >= PULL_MIN and key in below for key in keys[k:end])
        unsaid = any(len(key) >= PULL_MIN and not _echoed(key, below) for key in keys[k:end])
        if end - k >= PULL_LINES and said * 2 >= end - k and not unsaid:  # a long quote the article lacks is its own
            for i in live[k:end]:
                page.drop(i, "repeat")
        k = end


def _echoed(key: str, below: str) -> bool:
    """Some stretch of ``PULL_MIN`` characters of ``key`` stands in ``below``: a highlight, cut or merged, is the
    article's words; a quote of its own shares none of them."""
    return any(key[p:p + PULL_MIN] in below for p in range(0, max(1, len(key) - PULL_MIN + 1), PULL_MIN // 2))


def _copied_block(page: _Page, live: list[int], again: list[str]) -> None:
    """The short lines (headings, list items) of a block the page repeats go with its long ones.

    A run of lines all seen before, two of them long Chinese lines, is a second copy of a passage (a page that
    holds its post twice); a short line seen before outside such a run (问/答, a refrain, a repeated command) stays.
    """
    if not any(again):
        return  # no line seen before: no block
    k = 0
    while k < len(again):
        if not again[k]:
            k += 1
            continue
        end = k
        while end < len(again) and again[end]:
            end += 1
        if sum(a == "long" for a in again[k:end]) >= 2:
            for j in range(k, end):
                if again[j] == "short":
                    page.drop(live[j], "repeat")
        k = end


def _is_cut_teaser(keys: list[str], heads: dict[str, list[int]], k: int) -> bool:
    """Line ``k`` ends in an ellipsis and another line begins with what it says.

    ``"我觉得我是最大的产品经理，当然……"`` before ``"我觉得我是最大的产品经理，当然我也犯过错。"``: a teaser.
    """
    key = keys[k]
    if len(key) < 20 or not key.endswith(("...", "…")):
        return False
    head = key.rstrip(".…")
    return any(a != k and keys[a].startswith(head) for a in heads.get(head[:15], ()))


def _summary(page: _Page, i: int, keys: list[str], k: int, spammy: bool) -> None:
    """A ``本文摘要：`` line goes when the body repeats it (or when spam was injected into it).

    ``"本文摘要：娃娃菜两颗、香菇十朵……"`` before ``"娃娃菜两颗、香菇十朵，油盐少许。"`` -> dropped.
    """
    m = SUMMARY.match(page.plain[i])
    if not m:
        return
    if spammy and "spam" not in page.off and R.spam_phrases(fold(page.raw[i])):
        page.drop(i, "spam")
        return
    head = keys[k][len("".join(m.group(0).split())):][:20].rstrip(".…")
    if len(head) >= 8 and any(head in key for a, key in enumerate(keys) if a != k):
        page.drop(i, "summary")


def _assemble(page: _Page) -> str:
    out: list[str] = []
    for text, gone in zip(page.text, page.gone):
        if gone:
            continue
        if not text or text.isspace():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(text.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def _any_on(off: frozenset[str], *rules: str) -> bool:
    return not off.issuperset(rules)


def apply(doc: Document, cfg: Config, stats: StepStats) -> Drop | None:
    """Drop boilerplate lines and spans from ``doc.text`` and keep the metadata they carry.

    >>> doc = Document(id="a", source="a", text="正文第一段。\\n![图](a.png)\\n新华社记者李涛摄\\n标题:[科技]会议召开\\n地址:http://a.cn/1.html")
    >>> apply(doc, Config(), StepStats())
    >>> doc.text, doc.title, doc.url, doc.meta["category"]
    ('正文第一段。', '会议召开', 'http://a.cn/1.html', '科技')
    """
    score = None
    record_title = bool(doc.title)  # a title taken from the page's own lines in a first pass is the page's
    given = doc.title  # as it came: a site's keyword list is told by its parts, which cleaning cuts
    for settle in range(SETTLE):
        page = _run_rules(doc, cfg, stats, score_list=score is None)
        score = doc.columns["list_page"] if score is None else score
        _headline(page, record_title, given)
        _whole_title(page)
        if "headline_line" not in page.off:
            _headline_line(page)
        # Once, after the title is taken: a second pass would find a new frame under the one it took.
        if cfg.model and "model" not in page.off and settle == 0:
            _model(page, cfg)
        doc.text = _assemble(page)
        if not BLOCK_RULES.intersection(page.rule):
            break
    doc.columns["list_page"] = score  # the page as it came, not as cleaned
    return None


# Block rules decide on the page's frame as they find it; a frame line they take may frame another block for a
# second pass, so the step runs again while they fire (a bounded fixpoint, as script.settle is).
BLOCK_RULES = frozenset({"head_block", "tail_block", "nav_line", "teaser_list", "title_line"})
SETTLE = 3


def _run_rules(doc: Document, cfg: Config, stats: StepStats, score_list: bool = True) -> _Page:
    """Every rule, in order, on the lines of ``doc``; the page remembers what went and why. ``score_list``: set
    the ``list_page`` column (the step keeps the first pass's, the page as it came)."""
    if doc.title:
        _tidy_title(doc, doc.title)
    off = cfg.off_rules()
    folded = fold(doc.text)
    page = _Page(doc, stats, doc.text.split("\n"), off, folded.split("\n") if folded is not doc.text else None)
    _convert_markdown(page)
    if score_list:
        doc.columns["list_page"] = L.list_page_score(page.plain, page.kind)
    if "repost" not in off:
        _repost_lines(page)
    if _any_on(off, "related", "comments", "link_list"):
        _related_blocks(page)
    # One search of the whole page spares most pages the per-line spam checks.
    spammy = _any_on(off, "spam", "spam_phrase") and R.SPAM_STRONG_RE.search(folded) is not None
    if spammy and R.spam_injected(folded):
        spammy = "injected"  # the page shows spam beyond one name, so a lone name in a line goes too
    _footer(page)
    _line_rules(page, spammy)
    if "caption" not in off:
        _mark_captions(page)
    if "forum_card" not in off:
        _forum_cards(page)
    if _any_on(off, "symbol_line", "counter_run"):
        _counters(page)
    if "appeal" not in off:
        _appeal_tail(page)
    if "image" not in off:
        _drop_images(page)
    if _any_on(off, "dated_list", "nav_list", "teaser_list"):
        _lists(page)
    if "tail_list" not in off:
        _tail_list(page)
    if _any_on(off, "head_block", "tail_block"):  # before repeats: a headline above the body may be repeated in it
        _outside_body(page)
    if _any_on(off, "repeat", "summary"):
        _repeats(page, cfg, spammy)
    _position_rules_again(page, off)
    return page


# A short line without a sentence in it: a poster's name, rank, counter or card label on a forum thread.
CARD_LINE_MAX = 12
CARD_PUNCT = set("。！？!?，,；;：:")
COUNTER = re.compile(r"^\d+(?:\.\d+)?\s*[kKwW万千]?$")


def _forum_cards(page: _Page) -> None:
    """A forum post's card: in a run of short lines holding two or more of a thread's template lines
    (``发表于``, ``回复``, ``只看该作者``), the counters and the lines the page repeats (the poster's name, twice on
    its card; ``积分``, ``帖子`` on every card) go. A short reply said once stays, and so does the thread's title.

    ``"张三\n张三\n5\n楼主\n发表于 2024-4-5 23:20\n帖子正文，写得很长。"`` -> ``"帖子正文，写得很长。"``。
    """
    metas = page.rule.count("forum_meta")
    if metas < 2:
        return
    plain, gone = page.plain, page.gone
    seen = Counter(plain[i] for i in page.live())
    title = "".join(fold(page.doc.title or "").split())
    n, i = len(plain), 0
    while i < n:
        j, run_metas, short = i, 0, []
        while j < n and (gone[j] or not plain[j] or _card_line(plain[j])):
            run_metas += page.rule[j] == "forum_meta"
            if not gone[j] and plain[j]:
                short.append(j)
            j += 1
        if run_metas >= 2:
            for k in short:
                if (COUNTER.match(plain[k]) or seen[plain[k]] >= 2) and "".join(plain[k].split()) not in title:
                    page.drop(k, "forum_card")
        i = j + 1


def _card_line(s: str) -> bool:
    return len(s) <= CARD_LINE_MAX and not CARD_PUNCT.intersection(s)


# A line with no letter, digit or Han, one to three marks (a close button, a separator, a stray comma);
# an ellipsis or a bare ! ? may stand for a pause in a story, and brackets and operators close code: they stay.
SYMBOLS = re.compile(r"^[^\w…!?！？~～{}\[\]()<>;*/\\=#]{1,3}$")
# A counter: a number, with a unit of count and brackets at most (``（38次）``, ``16.0k``, ``7 篇文章``).
COUNT_LINE = re.compile(r"^[（(]?\d+(?:\.\d+)?\s*[kKwW万千]?\s*(?:次|个|篇|篇文章|人|条|赞|评论|订阅|粉丝|关注|回复|阅读|浏览|楼)?[）)]?$")
COUNT_RUN = 3
PICTOGRAPH_LINE = 40
PICTOGRAPH_CATEGORIES = frozenset({"So", "Sk", "Co", "Cn", "Mn", "Cf", "Zs"})  # emoji, dingbats, U+FFFD, joiners


@per_line
def _pictographs(s: str) -> bool:
    """A line of emoji, dingbats, arrows or replacement characters only, four or more: decoration or a garbled
    emoji, never text. ASCII and CJK punctuation stay (``......`` is a pause, ``——`` a dash).

    >>> _pictographs("🌸🌸🌸🌸"), _pictographs("▼ ▼ ▼ ▼"), _pictographs("\ufffd\ufffd\ufffd\ufffd"), _pictographs("❤️❤️❤️❤️")
    (True, True, True, True)
    >>> _pictographs("......"), _pictographs("————"), _pictographs("🌸春天来了🌸"), _pictographs("😂")
    (False, False, False, False)
    """
    if not 4 <= len(s) <= PICTOGRAPH_LINE or s.isascii():
        return False
    shown = 0
    for c in s:
        cat = unicodedata.category(c)
        if cat == "Sm" and not c.isascii() or cat in PICTOGRAPH_CATEGORIES:
            shown += cat[0] in "SC"
            continue
        return False
    return shown >= 2


def _counters(page: _Page) -> None:
    """Lines with no text but a mark or two go; so do three or more counters in a row (a sidebar's likes,
    views and followers). A lone number (a section's ``2``) stays.

    ``"正文。\n×\n（38次）\n（19次）\n（7次）"`` -> ``"正文。"``。
    """
    run: list[int] = []
    for i in [*page.live(), None]:
        s = page.plain[i] if i is not None else ""
        if s and ((len(s) <= 3 and SYMBOLS.match(s)) or (not s[0].isalnum() and _pictographs(s))):
            page.drop(i, "symbol_line")
            continue
        if s and (s[0].isdigit() or s[0] in "（(") and COUNT_LINE.match(s):  # a count opens with its number
            run.append(i)
            continue
        if len(run) >= COUNT_RUN:
            for k in run:
                page.drop(k, "counter_run")
        run = []


HEAD_LINES = 10  # live lines from the top that a title link may stand among


def _repost_lines(page: _Page) -> None:
    """A repost source line gives the page its URL (the most trusted source of it) and, when the page has
    none, its title; then it goes.

    ``"正文。\n出自 ~~[某某日报：春耕时节](https://a.cn/1.html)~~"`` -> ``"正文。"``, url ``https://a.cn/1.html``。
    Above the first paragraph, a line that is one link whose text is the page's title names the source too.
    """
    if "http" not in page.doc.text:
        return
    head = above = True
    for n, i in enumerate(page.live()):
        s = page.plain[i]
        head = head and n < HEAD_LINES and not (len(s) >= 40 and L.ends_sentence(s))
        above = above and head and not L.ends_sentence(s)  # no sentence yet: still above the body
        raw = page.raw[i]
        if "http" not in raw and "[" not in raw and "]" not in raw:
            continue  # no link, whole or cut, and no address: nothing below can find a source
        found = _repost_source(raw)
        nxt = i + 1 if i + 1 < len(page.raw) else None  # the markdown pass may have taken a bare ``](…)``
        if not found and nxt is not None and _link_cut(page.raw[i], page.raw[nxt]):
            found = L.repost_source(page.raw[i].rstrip() + page.raw[nxt].strip())  # a link broken over two lines
            if found:
                page.drop(nxt, "repost")
        if not found and head:
            url = L.title_link(page.raw[i], page.doc.title)
            found = (url, None) if url else None
        if not found and above and R.is_head_link(raw):
            page.drop(i, "repost")  # a link alone above the body: where the text came from (its address may be
            continue  # an outlet's home page, so it does not become the page's URL)
        if found:
            url, title = found
            page.doc.url = url
            if title and not page.doc.title:
                page.doc.title = title
            page.drop(i, "repost")


def _link_cut(line: str, after: str) -> bool:
    """Whether a markdown link runs on from ``line`` into the line ``after`` it: ``[标题`` / ``](https://…)``."""
    a = after.strip()
    return (line.count("[") > line.count("]") and 0 <= a.find("](") <= 2) or (line.rstrip().endswith("](") and a.startswith("http"))


HEADLINE_CONTEXT = frozenset({"head_block", "repeat", "dateline", "credit", "news_byline"})
ARTICLE_HEAD = frozenset({"head_block", "repeat", "dateline"})  # a byline is no headline: it stays out of sight


def _headline(page: _Page, record_title: bool = True, given: str | None = None) -> None:
    """The title from the page's own lines, when nothing more trusted (the record, front matter, a repost or
    footer line) gave one: a first line shaped like a title (the HTML title of CommonCrawl text) goes to the
    column and the line goes; else the last title-like line above the first paragraph. A title with a site
    suffix that a headline line lacks is cut to the headline. ``given``: the title as the page came, uncleaned."""
    # Lines above the body went as a block, the headline among them: it may still name the page.
    # So may a copy of it (repeat), and the byline or dateline under it still says that it heads the article.
    top = 3 * L.HEADLINE_WINDOW  # headline reads no further
    gone = page.gone[:top]
    for k in compress(range(len(gone)), gone):  # only the lines gone: most lines are not
        if page.rule[k] in HEADLINE_CONTEXT:
            gone[k] = False
    if not page.doc.title and "title_line" not in page.off:
        # The first line a second pass would see: lines a rule dropped are not there (a menu, a byline).
        first = next((k for k, s in enumerate(page.orig) if s), None)
        shown = [s if not g or r in ("spam", "head_block") or (k == first and r == "nav_line" and _titled_nav(s)) else ""
                 for k, (s, g, r) in enumerate(zip(page.orig, page.gone, page.rule))]
        i = L.top_title(shown)
        if i is not None:
            # As written: a spam name cut from the line's tail is the title's words (a site part, or the headline's).
            title = page.untrimmed.get(i, page.orig[i]).lstrip("\ufeff").strip()
            rest = [s if k != i else "" for k, s in enumerate(page.orig)]
            page.drop(i, "title_line")
            _position_rules_again(page, page.off)  # the line's going may bring a date to the page's edge
            h = L.headline(rest, title, gone)
            _tidy_title(page.doc, h or title, last_is_site=not h)
            return
    h = L.headline(page.orig, page.doc.title, gone)  # as written, not the folded view
    if not h and page.doc.title:
        # A given title that only names the site (a crawl's home page title) or is not this page's: the page's own
        # first line, when shaped like a headline, says more. It stays in the text, as a given title's headline
        # line does.
        # A headline's copy (repeat) still says that the line above it heads the page.
        site = T.names_site(page.doc.title) or (given is not None and T.keyword_title(given)
                                                and T.clean_title(given) == page.doc.title)  # still the given one
        # The first line matters only to a site title or a record's title: other pages skip looking (pure tests).
        if site or (record_title and page.doc.meta.get("format") in RECORD_FORMATS):
            shown = list(page.orig)
            for k in compress(range(len(shown)), page.gone):
                if page.rule[k] != "repeat":
                    shown[k] = ""
            i = L.top_title(shown)
            if i is not None and (site or L.stray_title(page.doc.title, shown, i)):
                h = page.untrimmed.get(i, page.orig[i]).lstrip("\ufeff").strip()
        if site and record_title and (not h or not L.title_like(h) or _ALNUM.sub("", h) == _ALNUM.sub("", page.doc.title)):
            # A given site title over no headline line, or over itself: the article's own, among the lines above
            # the body that went as a block, over its dateline.
            h = L.article_head([s if not g or r in ARTICLE_HEAD else "" for s, g, r in zip(page.orig, page.gone, page.rule)])
        if h and (not L.title_like(h) or h.endswith(("……", "..."))):
            h = None  # a snippet or a sentence, not a headline
    if h:
        _tidy_title(page.doc, h)  # as a given title is, so a second pass keeps it


TITLE_STEM = 8  # characters of a cut title that must begin the whole one


def _cut_stem(s: str) -> str | None:
    """What a title or line cut short by a site's template (``…无敌免...``) still says, when it is long enough to
    tell: ``广州南沙邮轮母港即将...`` -> ``广州南沙邮轮母港即将``."""
    if not s.endswith(L.ELLIPSIS):
        return None
    stem = s.rstrip(".…").rstrip()
    return stem if len(stem) >= TITLE_STEM else None


def _whole_title(page: _Page) -> None:
    """A title the site's template cut short takes the whole headline from a line of the page that begins the same
    way and runs on (the headline line, a ``原标题：《…》`` line): headline-sized, no full stop.

    ``"本文原标题：《广州南沙邮轮母港即将开通，地铁直达》"`` makes ``广州南沙邮轮母港即将...`` whole."""
    stem = _cut_stem(page.doc.title or "")
    if stem is None:
        return
    for s in page.orig:
        k = s.find(stem)
        if k < 0:
            continue
        whole = s[k:].split("》")[0].strip()  # a quoted original title ends at its bracket
        if len(whole.rstrip(".…")) > len(stem) and len(whole) <= HEADLINE_CHARS and "。" not in whole:
            _tidy_title(page.doc, whole)
            return


# A record's title field (a crawl's metadata) may be the site's or another page's; a page's own markup or a
# title already cleaned is trusted: only a record's title yields to a headline line that is not it.
RECORD_FORMATS = frozenset({"jsonl", "json", "parquet"})
HEADLINE_WINDOW = 5  # live lines from the top that the headline may stand among
HEADLINE_MIN_LINES = 3
HEADLINE_CHARS = 60  # a headline is one line of no full stop; a paragraph taken for a title stays
_ALNUM = re.compile(r"[\W_]+")


def _titled_nav(s: str) -> bool:
    """Whether a first line taken for navigation (parts joined by bars) is a headline with the site's parts: its
    first part is headline-sized, where a menu's entries are words (``首页 | 新闻 | 关于我们``).

    >>> _titled_nav("笔记本电脑 商用 - 全系列｜某某 台湾"), _titled_nav("首页 | 新闻中心 | 关于我们")
    (True, False)
    """
    ps = T.parts(s)
    return len(ps) <= 3 and ps[0][2] - ps[0][1] >= 6


def _headline_line(page: _Page) -> None:
    """The page's own headline line goes once its title is in the column (given, or taken from that line, so a
    second pass that is given it finds the same page): a standalone line above the first sentence that says the
    title (letters and digits alike, in either script).

    ``"春耕时节访农家\n正文第一段……。"`` with the title ``春耕时节访农家`` -> ``"正文第一段……。"``。 Every copy of it above the
    first sentence goes, and so does the line that writes the title with its column (``专访｜春耕时节访农家``).
    """
    key = _ALNUM.sub("", fold(page.doc.title or ""))
    live = page.live()
    if len(key) < 4 or len(live) < HEADLINE_MIN_LINES:
        return  # a page needs more than its title and a line
    for i in live[:HEADLINE_WINDOW]:
        s = page.plain[i]
        if len(s) <= HEADLINE_CHARS and "。" not in s and (key in _said_as(page, i, s, key) or _cut_of(s, key)
                                                          or _kicked(s, key)):
            page.drop(i, "headline_line")  # and its copy below it (a crawl doubles it): a second pass would find it
            continue
        if _is_prose(s):
            return  # the body has begun: a line that says the title below it is the body's


KICK = 4  # characters a headline line may add to the title: the verb of a report's headline (…座谈会强调)


def _kicked(s: str, key: str) -> bool:
    """A headline line that is the title and the verb of the report: ``某某座谈会强调`` for ``某某座谈会``."""
    k = _ALNUM.sub("", s)
    return k.startswith(key) and len(k) - len(key) <= KICK


def _cut_of(s: str, key: str) -> bool:
    """Whether line ``s`` is the title (as a key) cut short by the site's template: ``广州南沙邮轮母港即将...``."""
    stem = _cut_stem(s)
    return stem is not None and key.startswith(_ALNUM.sub("", fold(stem)))


def _said_as(page: _Page, i: int, s: str, key: str) -> set[str]:
    """What line ``i`` (folded ``s``) says, as title keys: as it reads, as written before a tail was cut from it, and
    as a title once its column or site parts go (``专访｜城中村的夏天`` says ``城中村的夏天``)."""
    said = {_ALNUM.sub("", s)}
    if key not in said and i in page.untrimmed:
        said.add(_ALNUM.sub("", fold(page.untrimmed[i])))
    if key not in said and T.SEP.search(s):
        said.add(_ALNUM.sub("", T.clean_title(s)))
    if key not in said and (w := T.wrapped_name(s)):  # ``‘某站’标题``: the title with the site's name quoted
        said.add(_ALNUM.sub("", w))
    return said


def _tidy_title(doc: Document, title: str, last_is_site: bool = False) -> None:
    """A title without its ``[栏目]`` prefix (kept as the category), site name and section names."""
    cat, clean = R.split_category(title)
    if cat:
        doc.meta.setdefault("category", cat)
    doc.title = T.clean_title(clean, last_is_site)


def _features(page: _Page, want: set[int] | None = None) -> list[list[float]]:
    """The line model's features of the lines of ``page`` (those in ``want``) after the rules ran."""
    hits = R.keyword_lines(page.plain)
    rules = [r if r else ("keyword" if i in hits and not page.gone[i] else None) for i, r in enumerate(page.rule)]
    return L.line_features(page.plain, page.kind, rules, page.doc.title, want)


def line_table(doc: Document, cfg: Config) -> tuple[list[str], list[list[float]], list[str | None]]:
    """Run the rules and the title's (not the model) on a copy of ``doc`` and return its lines, their features and
    the rule that dropped each (None if kept): what ``make train`` learns from.

    >>> lines, x, rules = line_table(Document(id="a", source="a", text="正文第一段。\\n分享到：微信 微博"), Config())
    >>> lines, rules, len(x) == len(lines)
    (['正文第一段。', '分享到：微信 微博'], [None, 'share'], True)
    """
    copy = Document(id=doc.id, source=doc.source, text=doc.text, url=doc.url, title=doc.title, meta=dict(doc.meta))
    cfg = cfg.model_copy(update={"disable": [*cfg.disable, "model"]})
    page = _run_rules(copy, cfg, StepStats())
    _headline(page)  # as the step does before the model decides
    if "headline_line" not in page.off:
        _headline_line(page)
    return page.plain, _features(page), page.rule


def _model(page: _Page, cfg: Config) -> None:
    """Lines the rules kept go when the line model is sure they are boilerplate; each removal carries its score.
    It decides only on the page's frame (``lines.in_scope``); prose sentences (``lines.protected``) never go."""
    model = cfg.weights
    if model is None:
        return
    threshold = cfg.model_threshold if cfg.model_threshold is not None else model["threshold"]
    todo = L.frame_lines([page.plain[i] for i in page.live()])
    if not todo:
        return
    live = page.live()
    todo = [live[k] for k in todo]
    x = _features(page, set(todo))
    for i in todo:
        if not L.in_scope(x[i]):
            continue
        p = L.score(model, x[i])
        if p >= threshold:
            page.drop(i, "model")
            page.doc.removed[-1]["score"] = p
