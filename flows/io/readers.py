"""Readers: one input file (local path or fsspec URL) to Documents, streaming.

``read_file`` never raises for a bad file or record: it yields ``Errored`` and goes on
(or stops, when the rest of the file cannot be read). Sources of multi-record files
are ``source#N``: the 0-based line number (JSONL) or record index (WARC, Parquet).
Members of a tar are ``archive.tar.xz/member/path``.

Meta holds scalars only: strings, numbers, booleans; dates as ISO strings; a short list
of scalars as a JSON string (``'["香港", "新闻"]'``); dicts and longer lists are skipped.
``encoding`` and ``format`` are always set by the reader.
"""

from __future__ import annotations

import bz2
import html as html_lib
import datetime as dt
import gzip
import io
import json
import lzma
import posixpath
import re
import tarfile
import zlib
from dataclasses import dataclass
from typing import IO, Any, Iterator

import fsspec
import pyarrow.parquet as pq
import xxhash
import yaml
import zstandard
from fastwarc.warc import ArchiveIterator, WarcRecordType

from flows.io.budget import TooSlow, time_budget
from flows.io.decode import DecodeError, decode, header_charset, html_charset
from flows.io.html import extract_html
from transforms.document import Document

# A single page bigger than this is no page: refuse it rather than hold it in memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024
# Defaults of ReadOptions (see the README's limits): one JSONL line, Parquet text or WARC payload; the
# HTML given to the extractor, which is super-linear in elements; the seconds one document may take.
MAX_RECORD_BYTES = 32 * 1024 * 1024
MAX_HTML_BYTES = 4 * 1024 * 1024
DOC_SECONDS = 60.0
PARQUET_BATCH_ROWS = 1024
MAX_META_LIST = 50

PAGE_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
LINE_FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl"}
FEED_FORMATS = {".xml": "feed", ".rss": "feed", ".atom": "feed"}
COMPRESSIONS = (".gz", ".zst", ".xz", ".bz2")
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tar.zst", ".tzst")
HTML_TYPES = ("text/html", "application/xhtml+xml")

# libyaml's safe loader: same rules as yaml.safe_load, 20x faster on front matter.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # YAML refuses them
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.S | re.M)

# What a broken file or stream raises; anything else is a bug and should surface.
READ_ERRORS = (OSError, EOFError, ValueError, tarfile.TarError, lzma.LZMAError, zstandard.ZstdError, zlib.error)
SURROGATES = re.compile("[\ud800-\udfff\x00]")  # lone surrogates no codec writes; NUL


@dataclass
class Errored:
    """A file or record that could not be read; ``reason`` is a short stable code."""

    source: str
    reason: str
    detail: str = ""
    text: str = ""  # a document that was read but failed a step keeps its text in rejected/
    step: str = "read"


@dataclass(frozen=True)
class ReadOptions:
    text_fields: tuple[str, ...] = ("text", "content", "raw_content")  # first present wins
    max_record_bytes: int = MAX_RECORD_BYTES
    max_html_bytes: int = MAX_HTML_BYTES
    doc_seconds: float = DOC_SECONDS  # 0: no limit


def make_id(source: str) -> str:
    """Stable id of a document: xxh3-128 of its source, in hex.

    >>> make_id("新闻/2024.jsonl#3") == make_id("新闻/2024.jsonl#3")
    True
    """
    return xxhash.xxh3_128_hexdigest(source.encode("utf-8", "surrogatepass"))


def escape_name(name: str) -> str:
    """A name read with surrogateescape (bytes that are not UTF-8) shown with ``\\xff`` escapes.

    >>> escape_name("新闻-\\udcff.txt")
    '新闻-\\\\xff.txt'
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_file(path: str, source: str, opts: ReadOptions = ReadOptions(),
              span: tuple[int, int, int] | None = None) -> Iterator[Document | Errored]:
    """Yield the documents of one input file, and an ``Errored`` for each thing that failed.
    ``span`` reads one piece of a plain JSONL, Parquet or tar file (see flows.split).

    >>> # 新闻/a.md holds "---\\ntitle: 台风\\n---\\n台风今晨登陆。"
    >>> [(d.title, d.text) for d in read_file("/data/新闻/a.md", "新闻/a.md")]  # doctest: +SKIP
    [('台风', '台风今晨登陆。')]
    """
    name = posixpath.basename(path.rstrip("/"))
    if not _is_tar(name) and _format_of(name) is None:
        yield Errored(source, "unsupported_format", name)
        return
    try:
        # fsspec costs ~0.3 ms an open: too much per small local page.
        with (open(path, "rb") if "://" not in path else fsspec.open(path, "rb")) as f:
            if "://" in path:
                f = io.BufferedReader(f, 1 << 20)  # an fsspec file's readline takes no size
            yield from _read_stream(f, name, source, opts) if span is None else _read_span(f, name, source, opts, span)
    except READ_ERRORS as e:
        yield _failure(source, e)


def _read_stream(f: IO[bytes], name: str, source: str, opts: ReadOptions) -> Iterator[Document | Errored]:
    """Dispatch one stream by its file name; shared by files and tar members."""
    if _is_tar(name):
        yield from _read_tar(f, name, source, opts)
        return
    fmt = _format_of(name)
    if fmt is None:
        yield Errored(source, "unsupported_format", name)
        return
    f = _decompress(f, name)  # also for WARC: fastwarc's own gunzip hides truncation
    if fmt == "warc":
        yield from _read_warc(f, source, opts)
    elif fmt == "jsonl" and _is_json_document(name):
        yield from _read_json(f, source, opts)
    elif fmt == "jsonl":
        yield from _read_jsonl(f, source, opts)
    elif fmt == "feed":
        yield from _read_feed(f.read(MAX_PAGE_BYTES + 1), source, opts)
    elif fmt == "parquet":
        yield from _read_parquet(f, source, opts)
    else:
        data = f.read(MAX_PAGE_BYTES + 1)
        yield _read_page(data, source, fmt, opts)


def _read_span(f: IO[bytes], name: str, source: str, opts: ReadOptions,
               span: tuple[int, int, int]) -> Iterator[Document | Errored]:
    """Records ``start``…``stop`` (bytes of JSONL, row groups of Parquet), numbered from ``first``."""
    start, stop, first = span
    fmt = _format_of(name)
    if name.lower().endswith(".tar"):
        f.seek(start)
        yield from _read_tar(_Bounded(f, stop - start), name, source, opts, "r|")
    elif fmt == "jsonl" and name.lower().endswith((".jsonl", ".ndjson")):
        f.seek(start)
        yield from _read_jsonl(_Bounded(f, stop - start), source, opts, start_line=first)
    elif fmt == "parquet":
        yield from _read_parquet(f, source, opts, range(start, stop), first)
    else:
        yield Errored(source, "read_error", f"{name} cannot be read in pieces")


class _Bounded:
    """The next ``left`` bytes of a binary file, line by line or block by block."""

    def __init__(self, f: IO[bytes], left: int):
        self.f, self.left = f, left

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.f.read(size) if size > 0 else b""
        self.left -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        line = self.f.readline(size) if size > 0 else b""
        self.left -= len(line)
        return line


def _format_of(name: str) -> str | None:
    """txt, md, html, jsonl, warc or parquet from a file name; None if unsupported."""
    name = name.lower()
    if name.endswith((".warc", ".warc.gz", ".warc.zst")):
        return "warc"
    if name.endswith(".parquet"):
        return "parquet"
    stem, ext = posixpath.splitext(name)
    if ext in COMPRESSIONS:
        stem, ext = posixpath.splitext(stem)
    return PAGE_FORMATS.get(ext) or LINE_FORMATS.get(ext) or FEED_FORMATS.get(ext)


def _is_tar(name: str) -> bool:
    return name.lower().endswith(TAR_SUFFIXES)


def _decompress(f: IO[bytes], name: str) -> IO[bytes]:
    name = name.lower()
    if name.endswith(".gz"):
        return gzip.GzipFile(fileobj=f)
    if name.endswith(".zst"):
        return io.BufferedReader(ZstdReader(f))
    if name.endswith(".xz"):
        return lzma.LZMAFile(f)
    if name.endswith(".bz2"):
        return bz2.BZ2File(f)
    return f


ZSTD_FEED = 1024


class ZstdReader(io.RawIOBase):
    """Zstandard decompression that raises EOFError on a truncated stream, which
    ``zstandard.stream_reader`` silently treats as the end. Handles several frames."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.dctx = zstandard.ZstdDecompressor()
        self.obj = self.dctx.decompressobj()
        self.pending = memoryview(b"")
        self.input = memoryview(b"")
        self.in_frame = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending:
            if not self.input:
                self.input = memoryview(self.raw.read(1 << 16))
                if not self.input:
                    if self.in_frame:
                        raise EOFError("zstd stream ended before the end of its frame")
                    return 0
            # A small slice at a time: a zstd block of 128 KB can be a few bytes, so output per call
            # stays bounded (tens of MB) however far the stream expands.
            chunk, self.input = self.input[:ZSTD_FEED], self.input[ZSTD_FEED:]
            self.pending = memoryview(self._feed(bytes(chunk)))
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]  # a view: no copy of what is left
        return n

    def _feed(self, chunk: bytes) -> bytes:
        out = []
        while chunk:
            self.in_frame = True
            out.append(self.obj.decompress(chunk))
            if not self.obj.eof:
                break
            chunk, self.in_frame = self.obj.unused_data, False
            self.obj = self.dctx.decompressobj()
        return b"".join(out)


def _failure(source: str, error: BaseException) -> Errored:
    if isinstance(error, EOFError) or "unexpected end of data" in str(error):  # tarfile's words
        return Errored(source, "truncated", str(error))
    return Errored(source, "read_error", f"{type(error).__name__}: {error}")


# --- one page per file: txt, md, html ---------------------------------------------------


def _read_page(data: bytes, source: str, fmt: str, opts: ReadOptions) -> Document | Errored:
    if not data:
        return Errored(source, "empty_file")
    if len(data) > MAX_PAGE_BYTES:
        return Errored(source, "too_large", f"over {MAX_PAGE_BYTES} bytes")
    declared = html_charset(data) if fmt == "html" else None
    try:
        text, encoding = decode(data, declared)
    except DecodeError as e:
        return Errored(source, "decode_error", str(e))
    if fmt == "html":
        return _html_document(text, source, None, {"encoding": encoding, "format": "html"}, opts)
    return _text_document(text, source, encoding, fmt)


def _text_document(text: str, source: str, encoding: str, fmt: str) -> Document:
    """A .txt/.md page; its YAML front matter, if any, becomes title, url and meta."""
    fields, body, error = split_front_matter(text)
    meta = _scalars(fields)
    title, url = meta.pop("title", None), meta.pop("url", None)
    if error:
        meta["front_matter_error"] = error
    meta.update(encoding=encoding, format=fmt)
    return _document(source, body, url, title, meta)


def clean(value: str) -> str:
    """Lone surrogates (from JSON escapes or file names) become U+FFFD and NUL goes, so every column
    can be encoded.

    >>> clean("台风\\udc00登陆\\x00")
    '台风\\ufffd登陆'
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        if "\x00" not in value:
            return value
    return SURROGATES.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)


def _document(source: str, text: str, url: Any, title: Any, meta: dict, clean_fields: bool = False) -> Document:
    """A Document whose every string is safe to write; ``clean_fields``: its text, url, title and meta are known
    to hold no lone surrogate and no NUL, so only the source is cleaned."""
    url, title = _str(url), _str(title)
    if clean_fields:
        return Document(make_id(source), clean(source), text, url=url, title=title, meta=meta)
    meta = {clean(k): clean(v) if isinstance(v, str) else v for k, v in meta.items()}
    return Document(make_id(source), clean(source), clean(text), url=url and clean(url), title=title and clean(title),
                    meta=meta)


# `key: "text"` lines, and `key:` over `  - "text"` items, with no backslash or quote inside: YAML reads
# them as those very strings, and crawl dumps are made of such lines, so they skip the YAML parser (a
# third of the reading time otherwise). Anything else goes to the parser.
_QUOTED = r'"([^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]*)" *'
QUOTED_FIELD = re.compile(r"([A-Za-z_][\w-]*): +" + _QUOTED)
LIST_KEY = re.compile(r"([A-Za-z_][\w-]*): *")
QUOTED_ITEM = re.compile(r"( *)- +" + _QUOTED)
# Keys YAML reads as booleans or null, not as strings.
YAML_WORDS = {w for b in ("yes", "no", "true", "false", "on", "off", "null") for w in (b, b.title(), b.upper())}


def _quoted_fields(block: str) -> dict | None:
    """``'title: "台风"\\ntags:\\n  - "广东"\\n'`` -> ``{"title": "台风", "tags": ["广东"]}``; None when YAML is needed."""
    fields: dict = {}
    items: list | None = None  # the list being filled, and its items' indentation
    indent = None
    for line in block.split("\n"):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        item = QUOTED_ITEM.fullmatch(line) if items is not None else None
        if item and indent in (None, item.group(1)):
            indent = item.group(1)
            items.append(item.group(2))
            continue
        if items is not None and not items:
            return None  # `key:` with no items is null in YAML
        m = QUOTED_FIELD.fullmatch(line) or LIST_KEY.fullmatch(line)
        if m is None or m.group(1) in YAML_WORDS:
            return None
        if m.re is LIST_KEY:
            items, indent = [], None
            fields[m.group(1)] = items
        else:
            items = None
            fields[m.group(1)] = m.group(2)
    if items is not None and not items:
        return None
    return fields or None


def split_front_matter(text: str) -> tuple[dict, str, str | None]:
    """Split YAML front matter off a page: (fields, body, error). A broken one keeps the whole text.

    >>> split_front_matter("---\\ntitle: 台风登陆\\ntags: [广东, 天气]\\n---\\n台风今晨登陆。")
    ({'title': '台风登陆', 'tags': ['广东', '天气']}, '台风今晨登陆。', None)
    >>> split_front_matter("---\\ntitle: [台风\\n---\\n台风今晨登陆。")[1:]
    ('---\\ntitle: [台风\\n---\\n台风今晨登陆。', 'yaml: while parsing a flow sequence')
    """
    found = FRONT_MATTER.match(text)
    if not found:
        return {}, text, None
    simple = _quoted_fields(found.group(1))
    if simple is not None:
        return simple, text[found.end():], None
    try:
        fields = yaml.load(CONTROLS.sub("", found.group(1)), Loader=SAFE_LOADER)
    except yaml.YAMLError as e:
        return {}, text, f"yaml: {getattr(e, 'context', None) or type(e).__name__}"
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        return {}, text, "not a mapping"
    return fields, text[found.end():], None


def _html_document(html: str, source: str, url: str | None, meta: dict, opts: ReadOptions) -> Document | Errored:
    if len(html) > opts.max_html_bytes:
        return Errored(source, "too_large", f"HTML of {len(html)} characters, over {opts.max_html_bytes}")
    try:
        with time_budget(opts.doc_seconds):
            text, found = extract_html(html, url)
    except TooSlow as e:
        return Errored(source, "too_slow", f"HTML extraction {e}")
    if not text:
        return Errored(source, "no_text", "no main text found")
    title, found_url = found.pop("title", None), found.pop("url", None)
    url = url or found_url  # a WARC's target URI beats the page's own canonical link
    meta = {**_scalars(found), **meta}
    return _document(source, text, url, title, meta)


# --- RSS and Atom feeds: each item a page ----------------------------------------------

XML_PROLOG = re.compile(r"\A\s*<\?xml[^>]*\?>")


def _read_feed(data: bytes, source: str, opts: ReadOptions) -> Iterator[Document | Errored]:
    """RSS or Atom: each item's HTML body through the HTML path, its link as url, its title as title.
    Old Chinese feeds are Big5 or GB2312 and say so in the XML prolog."""
    from lxml import etree

    if not data:
        yield Errored(source, "empty_file")
        return
    if len(data) > MAX_PAGE_BYTES:
        yield Errored(source, "too_large", f"over {MAX_PAGE_BYTES} bytes")
        return
    try:
        text, encoding = decode(data, html_charset(data))
    except DecodeError as e:
        yield Errored(source, "decode_error", str(e))
        return
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    root = etree.fromstring(XML_PROLOG.sub("", text, count=1).encode("utf-8"), parser)
    # By local name: RSS 0.9x/2.0 have no namespace, RSS 1.0 and Atom 0.3/1.0 each their own.
    items = [] if root is None else [e for e in root.iter() if _local(e) in ("item", "entry")]
    if not items:
        yield Errored(source, "unsupported_format", "XML without RSS or Atom items")
        return
    for n, item in enumerate(items):
        children: dict[str, list] = {}
        for child in item:
            children.setdefault(_local(child), []).append(child)
        title = _child_text(children, "title")
        link = _child_text(children, "link") or next((e.get("href") for e in children.get("link", []) if e.get("href")), None)
        body = _child_text(children, "encoded", "content", "description", "summary") or ""
        yield _feed_item(body, title, link, f"{source}#{n}", {"encoding": encoding, "format": "feed"}, opts)


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(children: dict, *names: str) -> str | None:
    for name in names:
        for found in children.get(name, []):
            text = "".join(found.itertext()) if len(found) and not (found.text or "").strip() else found.text
            if (text or "").strip():
                return text.strip()
    return None


def _feed_item(body: str, title: str | None, url: str | None, source: str, meta: dict, opts: ReadOptions):
    """An item's body is an HTML fragment, often a short one: the extractor's text, else the fragment's."""
    page = f"<html><head><title>{html_lib.escape(title or '')}</title></head><body><article>{body}</article></body></html>"
    doc = _html_document(page, source, url, meta, opts)
    if isinstance(doc, Errored) and doc.reason == "no_text":
        plain = FRAGMENT_TAGS.sub("\n", body)
        plain = "\n".join(line.strip() for line in html_lib.unescape(plain).splitlines() if line.strip())
        if plain:
            return _document(source, plain, url, title, meta)
    if isinstance(doc, Document) and title and not doc.title:
        doc.title = clean(title)
    return doc


FRAGMENT_TAGS = re.compile(r"<[^>]*>")


# --- records: JSONL, Parquet, WARC ------------------------------------------------------


def _is_json_document(name: str) -> bool:
    name = name.lower()
    for ext in COMPRESSIONS:
        name = name.removesuffix(ext)
    return name.endswith(".json")


def _read_json(f: IO[bytes], source: str, opts: ReadOptions) -> Iterator[Document | Errored]:
    """A .json file: JSON lines when its first line is a whole object; else one JSON document, read whole
    (up to the page limit): an array of records, an object of records (keyed by id), or one record."""
    first = f.readline(opts.max_record_bytes + 1)
    head = first.removeprefix(b"\xef\xbb\xbf").strip()
    try:
        one_line = head.startswith(b"{") and isinstance(json.loads(head), dict)
    except ValueError:
        one_line = False
    if one_line or not head:
        yield from _read_jsonl(f, source, opts, first)
        return
    data = first + f.read(MAX_PAGE_BYTES + 1 - len(first))
    if len(data) > MAX_PAGE_BYTES:
        yield Errored(source, "too_large", f"a JSON document over {MAX_PAGE_BYTES} bytes")
        return
    try:
        value = json.loads(decode(data)[0])
    except (DecodeError, ValueError) as e:
        yield Errored(source, "malformed_json", f"not JSON lines, nor one JSON document: {e}"[:500])
        return
    del data
    if isinstance(value, dict) and not any(k in value for k in opts.text_fields):
        if value and all(isinstance(v, dict) for v in value.values()):
            value = [{"key": k, **v} for k, v in value.items()]
    records = value if isinstance(value, list) else [value]
    for n, record in enumerate(records):
        if isinstance(record, dict):
            yield _record_document(record, f"{source}#{n}", "utf-8", "json", opts)
        else:
            yield Errored(f"{source}#{n}", "malformed_json", f"item {n}: not an object")
    if not records:
        yield Errored(source, "empty_file")


def _read_jsonl(f: IO[bytes], source: str, opts: ReadOptions, first: bytes | None = None,
                start_line: int = 0) -> Iterator[Document | Errored]:
    """One record per b"\\n"-separated line (a binary file iterates on b"\\n" only, so
    U+2028 and U+0085 inside strings stay put); blank lines are skipped. Lines are numbered from ``start_line``."""
    seen = False
    for n, raw in enumerate(_lines(f, opts.max_record_bytes, first), start_line):
        seen = True
        where = f"{source}#{n}"
        if raw is None:
            yield Errored(where, "too_large", f"line {n}: over {opts.max_record_bytes} bytes")
            continue
        line = raw.removeprefix(b"\xef\xbb\xbf") if n == 0 else raw
        line = line.strip()
        del raw
        if not line:
            continue
        try:
            text, encoding = line.decode("utf-8"), "utf-8"
            # Strict UTF-8 holds no surrogate, and json.loads rejects a raw NUL: a string of this record can hold
            # either only by a \u escape (in a nested JSON text too, as \\u), so without one there is none to clean.
            plain = b"\\u" not in line
        except UnicodeDecodeError:
            plain = False
            try:
                text, encoding = decode(line)  # the full chain (with its binary check) for the odd GBK line
            except DecodeError as e:
                yield Errored(where, "decode_error", f"line {n}: {e}")
                continue
        try:
            record = json.loads(text)
        except ValueError as e:
            yield Errored(where, "malformed_json", f"line {n}: {e}")
            continue
        if not isinstance(record, dict):
            yield Errored(where, "malformed_json", f"line {n}: not an object")
            continue
        yield _record_document(record, where, encoding, "jsonl", opts, plain)
    if not seen:
        yield Errored(source, "empty_file")


def _lines(f: IO[bytes], limit: int, first: bytes | None = None) -> Iterator[bytes | None]:
    """The b"\\n"-separated lines of ``f``; None for a line over ``limit`` bytes, which is skipped
    a chunk at a time, never held. ``first`` is a line already read."""
    while True:
        line, first = (first, None) if first is not None else (f.readline(limit + 1), None)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        del line
        while (chunk := f.readline(1 << 20)) and not chunk.endswith(b"\n"):
            pass
        yield None


def _read_parquet(f: IO[bytes], source: str, opts: ReadOptions, groups: range | None = None,
                  first: int = 0) -> Iterator[Document | Errored]:
    """Every row, or those of row ``groups`` (whose first row is number ``first``)."""
    if not f.seekable():  # a tar member: Parquet needs its footer first
        f = io.BytesIO(f.read())
    pf = pq.ParquetFile(f)
    names = set(pf.schema_arrow.names)
    if not names & set(opts.text_fields):
        if not groups or groups.start == 0:  # reported once for the file, by its first piece
            yield Errored(source, "missing_text", f"no column among {', '.join(opts.text_fields)}")
        return
    index = first
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=groups):
        for row in batch.to_pylist():
            yield _record_document(row, f"{source}#{index}", "utf-8", "parquet", opts)
            index += 1


def _record_document(record: dict, source: str, encoding: str, fmt: str, opts: ReadOptions,
                     plain: bool = False) -> Document | Errored:
    """A JSON object or Parquet row: the first present text field, url, title, scalars to meta. ``plain``: no
    string in the record holds a lone surrogate or NUL (a text field of bytes is decoded here, and cleaned)."""
    field = next((k for k in opts.text_fields if record.get(k) is not None), None)
    text = record.get(field) if field else None
    if isinstance(text, bytes):
        plain = False
        try:
            text, encoding = decode(text)
        except DecodeError as e:
            return Errored(source, "decode_error", str(e))
    if not isinstance(text, str):
        return Errored(source, "missing_text", f"no string in {', '.join(opts.text_fields)}")
    if len(text) > opts.max_record_bytes:
        return Errored(source, "too_large", f"text of {len(text)} characters, over {opts.max_record_bytes}")
    others = {k: v for k, v in record.items() if k not in opts.text_fields}
    nested = _nested_meta(others.get("meta"))
    if nested is not None:
        del others["meta"]
    meta = {**(nested or {}), **_scalars(others)}  # the record's own fields first
    title, url = meta.pop("title", None), meta.pop("url", None)
    meta.update(encoding=encoding, format=fmt)
    return _document(source, text, url, title, meta, plain)


def _nested_meta(value: Any) -> dict[str, Any] | None:
    """The scalars of a record's ``meta`` object (a dict, or JSON text of one), or None when it is none: qingxi's
    own output read again keeps what its first run knew (a thread, an author), as does a dataset's nested meta.

    >>> _nested_meta('{"thread": true, "author": "张三", "tags": ["天气"]}'), _nested_meta("编者按"), _nested_meta({"a": [1]})
    ({'thread': True, 'author': '张三', 'tags': '["天气"]'}, None, {'a': '[1]'})
    """
    if isinstance(value, str) and value.startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return _scalars(value) if isinstance(value, dict) else None


def _read_warc(f: IO[bytes], source: str, opts: ReadOptions) -> Iterator[Document | Errored]:
    """HTML response records through the HTML path; other records are skipped, not counted.
    The record index counts every record, so ``#N`` points into the file."""
    seen = False
    for index, record in enumerate(ArchiveIterator(f, parse_http=True, auto_decode="all")):
        seen = True
        if record.record_type != WarcRecordType.response or record.http_content_type not in HTML_TYPES:
            continue
        where = f"{source}#{index}"
        payload = record.reader.read(opts.max_record_bytes + 1)
        if len(payload) > opts.max_record_bytes:
            yield Errored(where, "too_large", f"payload over {opts.max_record_bytes} bytes")
            continue
        declared = header_charset(record.http_headers.get("Content-Type")) or html_charset(payload)
        try:
            html, encoding = decode(payload, declared)
        except DecodeError as e:
            yield Errored(where, "decode_error", str(e))
            continue
        meta = {"encoding": encoding, "format": "warc", "warc_date": record.headers.get("WARC-Date")}
        url = record.headers.get("WARC-Target-URI")
        yield _html_document(html, where, url, {k: v for k, v in meta.items() if v}, opts)
    if not seen:
        yield Errored(source, "empty_file")


# --- tar ---------------------------------------------------------------------------------


def _read_tar(f: IO[bytes], name: str, source: str, opts: ReadOptions,
              mode: str = "r|*") -> Iterator[Document | Errored]:
    """Members one by one, in archive order, each read by its own extension. A piece of an archive
    (see flows.split) is read as plain tar, ``mode`` "r|"."""
    if name.lower().endswith((".tar.zst", ".tzst")):
        f = io.BufferedReader(ZstdReader(f))
    try:
        tar = tarfile.open(fileobj=f, mode=mode)
    except tarfile.ReadError as e:
        yield Errored(source, "empty_file" if "empty" in str(e) else "read_error", str(e))
        return
    with tar:
        while (member := tar.next()) is not None:
            tar.members.clear()  # a stream needs no index of the members before; it would grow with the archive
            if member.isdir():
                continue
            inner = member.name.removeprefix("./")
            where = f"{source}/{escape_name(inner)}"
            if where != f"{source}/{inner}":
                yield Errored(where, "bad_name", "member name is not UTF-8")
                continue
            if not member.isfile():  # counted, never followed: a link could point anywhere
                yield Errored(where, "link_member" if member.issym() or member.islnk() else "not_a_file",
                              f"-> {member.linkname}" if member.linkname else "")
                continue
            try:
                yield from _read_stream(tar.extractfile(member), inner, where, opts)
            except tarfile.TarError:
                raise  # the archive itself is broken: reported once, for the archive
            except READ_ERRORS as e:
                yield _failure(where, e)


# --- meta --------------------------------------------------------------------------------


def _scalars(fields: dict[str, Any]) -> dict[str, Any]:
    """Keep scalar fields; dates become ISO strings, short scalar lists JSON strings."""
    meta = {}
    for key, value in fields.items():
        value = _scalar(value)
        if value is not None:
            meta[str(key)] = value
    return meta


def _scalar(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)) and len(value) <= MAX_META_LIST:
        items = [_scalar(v) for v in value]
        if all(isinstance(v, (str, int, float, bool)) for v in items):
            return json.dumps(items, ensure_ascii=False)
    return None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
