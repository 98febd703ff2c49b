"""Every input format, from fixtures built in tmp_path out of Chinese text written here."""

import gzip
import io
import json
import tarfile

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.io import readers
from flows.io.readers import Errored, ReadOptions, clean, make_id, read_file, split_front_matter

ARTICLE = "台风“海燕”今晨在广东湛江沿海登陆，当地学校停课一天。气象台提醒市民减少外出，注意防范强降雨。"
ARTICLE_TW = "颱風今晨在臺灣東部沿海登陸，氣象局發布陸上警報，請民眾注意安全，減少外出。"


def read(path, source=None, **opts):
    return list(read_file(str(path), source or path.name, ReadOptions(**opts)))


def write(tmp_path, name, data):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def jsonl(*records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def html_page(body, charset=None, title="台风登陆"):
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return (
        f"<html><head>{meta}<title>{title}</title></head><body>"
        f"<article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
    )


def warc_record(kind, uri, block, content_type="application/http; msgtype=response"):
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: 2024-05-01T08:00:00Z\r\nWARC-Record-ID: <urn:uuid:{abs(hash(block))}>\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def http_response(body: bytes, content_type):
    return f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n".encode() + body


def sample_warc():
    page = html_page(ARTICLE).encode("gbk")
    return b"".join(
        [
            warc_record("warcinfo", "", b"software: test\r\n", "application/warc-fields"),
            warc_record("request", "http://news.example.cn/1", b"GET /1 HTTP/1.1\r\n\r\n"),
            warc_record("response", "http://news.example.cn/1", http_response(page, "text/html; charset=gb2312")),
            warc_record("response", "http://news.example.cn/logo.png", http_response(b"\x89PNG", "image/png")),
            warc_record("response", "http://news.example.cn/2", http_response(html_page(ARTICLE_TW).encode(), "text/html")),
        ]
    )


def docs(items):
    return [d for d in items if not isinstance(d, Errored)]


def errors(items):
    return [(e.source, e.reason) for e in items if isinstance(e, Errored)]


# --- txt / md -----------------------------------------------------------------------------


def test_txt_is_one_page(tmp_path):
    path = write(tmp_path, "news/a.txt", ARTICLE)
    [doc] = read(path, "news/a.txt")
    assert (doc.source, doc.id, doc.text) == ("news/a.txt", make_id("news/a.txt"), ARTICLE)
    assert doc.meta == {"encoding": "utf-8", "format": "txt"}


def test_md_front_matter_goes_to_fields_and_meta(tmp_path):
    page = (
        "---\ntitle: 台风登陆湛江\nurl: https://news.example.cn/1\ndate: 2024-05-01\n"
        "author: 李明\ntags: [天气, 广东]\nextra: {a: 1}\n---\n" + ARTICLE
    )
    [doc] = read(write(tmp_path, "a.md", page))
    assert (doc.title, doc.url, doc.text) == ("台风登陆湛江", "https://news.example.cn/1", ARTICLE)
    assert doc.meta == {
        "date": "2024-05-01",
        "author": "李明",
        "tags": '["天气", "广东"]',
        "encoding": "utf-8",
        "format": "md",
    }


@pytest.mark.parametrize(
    "page, fields, body, error",
    [
        ("---\ntitle: 台风\n---\n正文。", {"title": "台风"}, "正文。", None),
        ("---\r\ntitle: 台风\r\n---\r\n正文。", {"title": "台风"}, "正文。", None),
        ("---\n---\n正文。", {}, "正文。", None),
        ("---\ntitle: 六四\x1c\x08声明\n---\n正文。", {"title": "六四声明"}, "正文。", None),  # junk controls
        ("正文。\n---\n不是前言\n---\n", {}, "正文。\n---\n不是前言\n---\n", None),  # not at the top
        ("---\ntitle: [台风\n---\n正文。", {}, "---\ntitle: [台风\n---\n正文。", "yaml"),
        ("---\n只是一行字\n---\n正文。", {}, "---\n只是一行字\n---\n正文。", "not a mapping"),
        ("---\ntitle: 台风\n正文没有结尾。", {}, "---\ntitle: 台风\n正文没有结尾。", None),
    ],
)
def test_split_front_matter(page, fields, body, error):
    got_fields, got_body, got_error = split_front_matter(page)
    assert (got_fields, got_body) == (fields, body)
    assert (got_error is None) if error is None else got_error.startswith(error)


def test_broken_front_matter_is_not_fatal(tmp_path):
    page = "---\ntitle: [台风\n---\n" + ARTICLE
    [doc] = read(write(tmp_path, "a.md", page))
    assert doc.text == page and doc.title is None
    assert doc.meta["front_matter_error"].startswith("yaml")


@pytest.mark.parametrize(
    "data, encoding",
    [
        (ARTICLE.encode("gbk"), "gb18030"),
        (ARTICLE_TW.encode("big5"), "big5hkscs"),
        (b"\xef\xbb\xbf" + ARTICLE.encode(), "utf-8-sig"),
    ],
)
def test_txt_encodings(tmp_path, data, encoding):
    [doc] = read(write(tmp_path, "a.txt", data))
    assert doc.text in (ARTICLE, ARTICLE_TW)
    assert doc.meta["encoding"] == encoding


# --- html ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, title, codec, charset, encoding",
    [
        (ARTICLE, "台风登陆", "gbk", "gb2312", "gb18030"),  # GBK declared as gb2312
        (ARTICLE, "台风登陆", "utf-8", "gb2312", "utf-8"),  # UTF-8 declared as gb2312
        (ARTICLE_TW, "颱風登陸", "big5", "big5", "big5hkscs"),
        (ARTICLE_TW, "颱風登陸", "big5", None, "big5hkscs"),
        (ARTICLE_TW, "颱風登陸", "big5", "utf-8", "big5hkscs"),
    ],
)
def test_html_decodes_and_extracts(tmp_path, text, title, codec, charset, encoding):
    [doc] = read(write(tmp_path, "a.html", html_page(text, charset, title).encode(codec)))
    assert text in doc.text
    assert doc.title == title
    assert (doc.meta["encoding"], doc.meta["format"]) == (encoding, "html")


def test_html_without_text_is_errored(tmp_path):
    path = write(tmp_path, "list.htm", "<html><head><title>首页</title></head><body><script>x()</script></body></html>")
    assert errors(read(path)) == [("list.htm", "no_text")]


# --- jsonl --------------------------------------------------------------------------------


def test_jsonl_fields_meta_and_line_numbers(tmp_path):
    data = jsonl(
        {"text": ARTICLE, "url": "https://a.cn/1", "title": "台风", "date": "2024-05-01", "n": 3, "ok": True},
        {"content": "第二条新闻。", "nested": {"a": 1}, "tags": ["天气", "广东"], "none": None},
    )
    data += b"\n   \n" + jsonl({"raw_content": "第五行的新闻。", "content": None})
    items = read(write(tmp_path, "news.jsonl", data))
    assert [d.source for d in items] == ["news.jsonl#0", "news.jsonl#1", "news.jsonl#4"]
    first, second, fifth = items
    assert (first.text, first.url, first.title) == (ARTICLE, "https://a.cn/1", "台风")
    assert first.meta == {"date": "2024-05-01", "n": 3, "ok": True, "encoding": "utf-8", "format": "jsonl"}
    assert second.text == "第二条新闻。" and second.meta["tags"] == '["天气", "广东"]'
    assert "nested" not in second.meta and "none" not in second.meta
    assert fifth.text == "第五行的新闻。" and fifth.id == make_id("news.jsonl#4")


def test_jsonl_u2028_and_u0085_stay_inside_records(tmp_path):
    text = "第一段\u2028第二段\u0085第三段\r结尾"
    items = read(write(tmp_path, "a.jsonl", jsonl({"text": text}, {"text": "下一条"})))
    assert [(d.source, d.text) for d in items] == [("a.jsonl#0", text), ("a.jsonl#1", "下一条")]


def test_jsonl_bad_lines_are_errored_and_the_rest_loads(tmp_path):
    data = (
        jsonl({"text": "第一条。"})
        + b'{"text": "\xe5\x8f\xb0\xe9\xa3\x8e", \n'
        + b'["\xe4\xb8\x8d\xe6\x98\xaf\xe5\xaf\xb9\xe8\xb1\xa1"]\n'
        + jsonl({"title": "没有正文"}, {"text": 42})
        + jsonl({"text": "最后一条。"})
    )
    items = read(write(tmp_path, "a.jsonl", data))
    assert [d.text for d in docs(items)] == ["第一条。", "最后一条。"]
    assert errors(items) == [
        ("a.jsonl#1", "malformed_json"),
        ("a.jsonl#2", "malformed_json"),
        ("a.jsonl#3", "missing_text"),
        ("a.jsonl#4", "missing_text"),
    ]
    assert items[1].detail.startswith("line 1:")


RECORD_STRINGS = st.text(alphabet=st.sampled_from(["台", "风", "a", "\\", "u", "\ud800", "\udfff", "\x00", "\n", '"', "0"]),
                         max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(RECORD_STRINGS, RECORD_STRINGS, max_size=3), RECORD_STRINGS, RECORD_STRINGS,
       st.booleans(), st.booleans())
def test_jsonl_lines_without_escapes_need_no_cleaning(tmp_path_factory, fields, text, title, ascii_out, nest):
    # Lines without a \u escape skip the cleaning: they read as if every string had been cleaned.
    record = {**fields, "text": text, "title": title}
    if nest:
        record["meta"] = json.dumps({"k": text, "t": title})
    line = json.dumps(record, ensure_ascii=ascii_out).encode("utf-8", "surrogatepass")
    path = tmp_path_factory.mktemp("plain") / "a.jsonl"
    path.write_bytes(line + b"\n")
    [item] = read(path)
    if not isinstance(item, Errored):
        reference = readers._document(item.source, item.text, item.url, item.title, item.meta)
        assert (item.text, item.title, item.meta) == (reference.text, reference.title, reference.meta)
        for value in (item.text, item.title or "", *item.meta, *map(str, item.meta.values())):
            assert clean(value) == value


def test_jsonl_gbk_line_and_utf8_bom(tmp_path):
    data = b"\xef\xbb\xbf" + jsonl({"text": "第一条。"}) + json.dumps({"text": ARTICLE}, ensure_ascii=False).encode("gbk")
    items = read(write(tmp_path, "a.jsonl", data))
    assert [(d.text, d.meta["encoding"]) for d in items] == [("第一条。", "utf-8"), (ARTICLE, "gb18030")]


def test_text_field_is_configurable(tmp_path):
    path = write(tmp_path, "a.jsonl", jsonl({"text": "摘要", "body": "正文全文。"}))
    [doc] = read(path, text_fields=("body", "text"))
    assert doc.text == "正文全文。" and "text" not in doc.meta


def zst(data):
    return zstandard.ZstdCompressor().compress(data)


def zst_frames(data):
    out = io.BytesIO()
    with zstandard.ZstdCompressor().stream_writer(out, closefd=False) as w:
        for i in range(0, len(data), 4096):
            w.write(data[i : i + 4096])
            w.flush(zstandard.FLUSH_FRAME)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, compress",
    [
        ("a.jsonl.gz", gzip.compress),
        ("a.json.gz", gzip.compress),
        ("a.jsonl.zst", zst),
        ("a.ndjson.zst", zst_frames),  # several frames, as streaming writers make
        ("a.json", lambda d: d),
    ],
)
def test_compressed_jsonl(tmp_path, name, compress):
    records = [{"text": f"第{i}条新闻。" * 20} for i in range(300)]
    items = read(write(tmp_path, name, compress(jsonl(*records))))
    assert [d.text for d in items] == [r["text"] for r in records]


@pytest.mark.parametrize("name, compress", [("a.jsonl.gz", gzip.compress), ("a.jsonl.zst", zst_frames)])
def test_truncated_compressed_jsonl_keeps_what_was_read(tmp_path, name, compress):
    records = [{"text": f"第{i}条新闻，内容各不相同。{i * 7919}"} for i in range(5000)]
    data = compress(jsonl(*records))
    items = read(write(tmp_path, name, data[: len(data) * 2 // 3]))
    good = docs(items)
    assert 0 < len(good) < len(records)
    assert [d.text for d in good] == [r["text"] for r in records[: len(good)]]
    assert errors(items) == [(name, "truncated")]


# --- empty, binary, unsupported, missing ----------------------------------------------------


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "a.jsonl", "a.jsonl.gz", "a.warc", "a.tar"])
def test_empty_file(tmp_path, name):
    assert errors(read(write(tmp_path, name, b""))) == [(name, "empty_file")]


@pytest.mark.parametrize(
    "name, reason",
    [("bad.bin", "unsupported_format"), ("photo.jpg", "unsupported_format"), ("bad.txt", "decode_error")],
)
def test_binary_file(tmp_path, name, reason):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    items = read(write(tmp_path, name, data))
    assert errors(items) == [(name, reason)]


def test_unsupported_format_names_the_file(tmp_path):
    [err] = read(write(tmp_path, "数据.docx", b"PK\x03\x04"))
    assert (err.reason, err.detail) == ("unsupported_format", "数据.docx")


def test_missing_file_is_a_read_error(tmp_path):
    assert errors(read(tmp_path / "gone.txt")) == [("gone.txt", "read_error")]


# --- warc ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name, compress", [("crawl.warc", lambda d: d), ("crawl.warc.gz", gzip.compress)])
def test_warc_html_responses(tmp_path, name, compress):
    items = read(write(tmp_path, name, compress(sample_warc())))
    assert [(d.source, d.url, d.meta["encoding"]) for d in items] == [
        (f"{name}#2", "http://news.example.cn/1", "gb18030"),
        (f"{name}#4", "http://news.example.cn/2", "utf-8"),
    ]
    assert ARTICLE in items[0].text and ARTICLE_TW in items[1].text
    assert items[0].title == "台风登陆" and items[0].meta["format"] == "warc"


def test_truncated_warc_gz(tmp_path):
    data = gzip.compress(sample_warc() * 20)
    items = read(write(tmp_path, "a.warc.gz", data[:-200]))
    assert errors(items)[-1] == ("a.warc.gz", "truncated")


# --- parquet ------------------------------------------------------------------------------


def test_parquet_rows(tmp_path):
    table = pa.table(
        {
            "url": ["https://a.cn/1", None, "https://a.cn/3"],
            "content": [ARTICLE, ARTICLE_TW, None],
            "year": [2024, 2023, 2022],
            "tags": [["天气"], [], ["广东", "香港"]],
        }
    )
    path = tmp_path / "a.parquet"
    pq.write_table(table, path, row_group_size=2)
    items = read(path)
    assert [(d.source, d.text, d.url) for d in docs(items)] == [
        ("a.parquet#0", ARTICLE, "https://a.cn/1"),
        ("a.parquet#1", ARTICLE_TW, None),
    ]
    assert items[0].meta == {"year": 2024, "tags": '["天气"]', "encoding": "utf-8", "format": "parquet"}
    assert errors(items) == [("a.parquet#2", "missing_text")]


def test_qingxi_output_read_again_keeps_its_meta(tmp_path):
    """A page cleaned once and fed in again keeps what the first run knew (a thread's replies stay replies)."""
    table = pa.table({"text": [ARTICLE, ARTICLE_TW], "title": ["台风", None],
                      "meta": ['{"thread": true, "author": "张三", "format": "html"}', "编者按：原稿"]})
    pq.write_table(table, tmp_path / "part-0.parquet")
    first, second = read(tmp_path / "part-0.parquet")
    assert first.meta == {"thread": True, "author": "张三", "encoding": "utf-8", "format": "parquet"}
    assert first.title == "台风" and second.meta["meta"] == "编者按：原稿"  # not a JSON object: a plain field
    nested = read(write(tmp_path, "rp.jsonl", jsonl({"text": ARTICLE, "meta": {"url": "https://a.cn/1", "n": 3},
                                                    "n": 4})))[0]
    assert (nested.url, nested.meta["n"]) == ("https://a.cn/1", 4)  # the record's own field wins


def test_parquet_without_a_text_column(tmp_path):
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"body": ["正文"]}), path)
    assert errors(read(path)) == [("a.parquet", "missing_text")]


# --- tar ----------------------------------------------------------------------------------


def make_tar(path, members, mode):
    with tarfile.open(path, mode) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("name, mode", [("dump.tar.xz", "w:xz"), ("dump.tar.gz", "w:gz"), ("dump.tar", "w")])
def test_tar_members_by_extension(tmp_path, name, mode):
    members = [
        ("crawl/a.md", f"---\ntitle: 台风\n---\n{ARTICLE}".encode()),
        ("./crawl/b.jsonl", jsonl({"text": "第一条。"}, {"text": "第二条。"})),
        ("crawl/c.jsonl.gz", gzip.compress(jsonl({"text": "压缩的一条。"}))),
        ("crawl/logo.png", b"\x89PNG"),
        ("crawl/d.txt", ARTICLE_TW.encode("big5")),
    ]
    make_tar(tmp_path / name, members, mode)
    items = read(tmp_path / name)
    assert [(d.source, d.text[:4]) for d in docs(items)] == [
        (f"{name}/crawl/a.md", ARTICLE[:4]),
        (f"{name}/crawl/b.jsonl#0", "第一条。"),
        (f"{name}/crawl/b.jsonl#1", "第二条。"),
        (f"{name}/crawl/c.jsonl.gz#0", "压缩的一"),
        (f"{name}/crawl/d.txt", ARTICLE_TW[:4]),
    ]
    assert items[0].title == "台风"
    assert errors(items) == [(f"{name}/crawl/logo.png", "unsupported_format")]


def test_truncated_tar_xz(tmp_path):
    members = [(f"crawl/{i}.md", (ARTICLE + str(i) * 500).encode()) for i in range(200)]
    make_tar(tmp_path / "full.tar.xz", members, "w:xz")
    data = (tmp_path / "full.tar.xz").read_bytes()
    items = read(write(tmp_path, "cut.tar.xz", data[: len(data) // 2]))
    assert docs(items) and errors(items)[-1] == ("cut.tar.xz", "truncated")


# --- fsspec -------------------------------------------------------------------------------


def test_fsspec_memory_url():
    with fsspec.open("memory://bucket/crawl/news.jsonl.gz", "wb") as f:
        f.write(gzip.compress(jsonl({"text": ARTICLE, "url": "https://a.cn/1"})))
    [doc] = read_file("memory://bucket/crawl/news.jsonl.gz", "crawl/news.jsonl.gz")
    assert (doc.source, doc.text, doc.url) == ("crawl/news.jsonl.gz#0", ARTICLE, "https://a.cn/1")


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_jsonl_round_trips_any_text(tmp_path_factory, texts):
    path = tmp_path_factory.mktemp("p") / "a.jsonl"
    path.write_bytes(jsonl(*({"text": t} for t in texts)))
    items = read(path)
    # Every text comes back, but for NUL (removed) and lone surrogates (U+FFFD), which no column can hold.
    assert [(d.source, d.text) for d in items] == [(f"a.jsonl#{i}", clean(t)) for i, t in enumerate(texts)]
    for d in items:
        d.text.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.text(min_size=1))
def test_ids_are_stable_and_distinct(a, b):
    assert make_id(a) == make_id(a) and len(make_id(a)) == 32
    assert (make_id(a) == make_id(b)) == (a == b)


_KEYS = st.sampled_from(["title", "date", "url", "author", "tags", "on", "Yes", "null", "a-b", "x_1", "标题"])
_VALUES = st.text(alphabet=st.sampled_from(list('台风登陆 ·&#:-"\\\'[]{}%@`') + ["\t", "\x85", "\u2028", "\x07", "é"]),
                  max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_KEYS, _VALUES, st.sampled_from(["", " ", "  ", "\t", " \t", "list"])), min_size=1, max_size=5))
def test_quoted_front_matter_fast_path_equals_yaml(fields):
    """The fast path for ``key: "text"`` lines gives exactly what the YAML parser gives, or steps aside."""
    block = "".join(f'{k}:{pad or " "}"{v}"\n' if pad != "list" else f'{k}:\n  - "{v}"\n{indent}- "{v}x"\n'
                    for k, v, pad in fields for indent in [" " * (len(v) % 3)])
    fast = readers._quoted_fields(block)
    try:
        parsed = yaml.safe_load(block)
    except yaml.YAMLError:
        assert fast is None
        return
    assert fast is None or fast == parsed


# --- pretty-printed JSON and feeds --------------------------------------------------------


@pytest.mark.parametrize(
    "value, sources",
    [
        ([{"text": "台风今晨登陆。"}, {"text": "多地停课。"}], ["a.json#0", "a.json#1"]),
        ({"3f2a": {"content": "台风今晨登陆。"}, "9c1b": {"content": "多地停课。"}}, ["a.json#0", "a.json#1"]),
        ({"text": "台风今晨登陆。"}, ["a.json#0"]),
    ],
)
def test_pretty_printed_json_is_read_as_records(tmp_path, value, sources):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2), encoding="utf-8")
    items = read(path)
    assert [i.source for i in items] == sources and all(not isinstance(i, Errored) for i in items)
    assert items[0].text == "台风今晨登陆。"


def test_json_lines_named_json_stay_json_lines(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(jsonl({"text": "台风今晨登陆。"}, {"text": "多地停课。"}))
    assert [i.source for i in read(path)] == ["a.json#0", "a.json#1"]


def test_broken_json_document_is_one_error(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('[\n  {"text": "台风"},\n  {"text": \n', encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Errored) and item.reason == "malformed_json" and item.source == "a.json"


RSS = """<?xml version="1.0" encoding="big5"?>
<rss version="2.0"><channel><title>港聞</title>
<item><title>颱風今晨登陸</title><link>http://news.example.hk/1.html</link>
<description>&lt;p&gt;颱風今晨在沿海登陸，多區停課。&lt;/p&gt;&lt;p&gt;天文台發出八號風球。&lt;/p&gt;</description></item>
<item><title>地鐵新線試運行</title><link>http://news.example.hk/2.html</link>
<description>地鐵新線今日開始試運行。</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>博客</title>
<entry><title>春天的茶园</title><link href="http://blog.example.cn/tea"/>
<content type="html">&lt;p&gt;清明前的半个月，是茶村最忙的时候。&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_items_are_pages(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(RSS.encode("big5"))
    docs = read(path)
    assert [(d.source, d.title, d.url) for d in docs] == [
        ("feed.xml#0", "颱風今晨登陸", "http://news.example.hk/1.html"),
        ("feed.xml#1", "地鐵新線試運行", "http://news.example.hk/2.html"),
    ]
    assert "颱風今晨在沿海登陸" in docs[0].text and "八號風球" in docs[0].text
    assert docs[1].text.strip() == "地鐵新線今日開始試運行。"
    assert docs[0].meta["format"] == "feed" and docs[0].meta["encoding"] == "big5hkscs"


def test_atom_entries_are_pages(tmp_path):
    path = tmp_path / "feed.atom"
    path.write_text(ATOM, encoding="utf-8")
    [doc] = read(path)
    assert (doc.title, doc.url, doc.text) == ("春天的茶园", "http://blog.example.cn/tea", "清明前的半个月，是茶村最忙的时候。")


def test_xml_that_is_no_feed_is_unsupported(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>http://a.cn/</loc></url></urlset>', encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Errored) and item.reason == "unsupported_format"
