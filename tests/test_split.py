"""A big JSONL, Parquet or tar file, compressed or not, cut into pieces: same documents, same outputs, as one shard."""

import gzip
import io
import json
import lzma
import tarfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import given, settings, strategies as st

from flows import manifest as mf
from flows import split as split_mod
from flows import stages
from flows.io import readers
from flows.plan import discover, plan_shards
from flows.recipe import load_recipe
from tests.test_stages import BODY, CAPTION  # the same city-news pages


def _page(i: int) -> dict:
    lines = [BODY[i % 5], f"第{i}篇：{BODY[(i + 1) % 5][:28]}，补充说明各不相同，编号{i * 7}。", CAPTION]
    return {"url": f"http://city.example.cn/news/{i}.html", "title": f"城市新闻{i}", "text": "\n".join(lines)}


def _write_inputs(raw):
    raw.mkdir()
    lines = [json.dumps(_page(i), ensure_ascii=False).encode() for i in range(40)]
    lines[3] = b'{"text": "\xc5\xa9\xd2\xb5\xbf\xc6\xbc\xbc"}'  # GBK, not UTF-8
    lines[7] = b'{"text": "broken'  # malformed
    lines[8] = b""  # blank
    lines[9] = b"[1, 2]"  # not an object
    lines[25] = lines[4]  # an exact copy in a later piece
    (raw / "big.jsonl").write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines[:20]) + b"\r\n" + b"\n".join(lines[20:]))
    rows = [_page(100 + i) for i in range(30)]
    rows[12] = dict(rows[2])  # a copy in a later row group
    pq.write_table(pa.Table.from_pylist(rows), raw / "big.parquet", row_group_size=4)
    (raw / "note.md").write_text(f"---\ntitle: 短讯\n---\n{BODY[2]}\n{CAPTION}\n", encoding="utf-8")


def _run(raw, out, shard_bytes):
    rec = load_recipe(None, ["quality.enabled=false"])
    resolved, work = rec.resolved(), str(out / "_work")
    shards = plan_shards(discover([str(raw)]), "t", shard_bytes, cut_dir=f"{work}/cut")
    maps = [stages.map_shard(s, work, resolved) for s in shards]
    stages.reduce_serial(work, maps, resolved, f"{work}/reduce", total_bytes=1)
    applies = [stages.apply_shard(s, work, f"{work}/reduce", str(out), resolved) for s in shards]
    rows = mf.account([s.to_dict() for s in shards], {s.index: m for s, m in zip(shards, maps)},
                      {s.index: a for s, a in zip(shards, applies)}, {})
    tables = {k: pa.concat_tables([pq.read_table(p) for p in sorted((out / k).glob("*.parquet"))])
              for k in ("data", "rejected")}
    return shards, rows, tables


def test_pieces_give_the_same_output_as_one_shard(tmp_path, monkeypatch):
    monkeypatch.setattr(split_mod, "MIN_PIECE", 0)
    raw = tmp_path / "raw"
    _write_inputs(raw)
    one_shards, one_rows, one = _run(raw, tmp_path / "one", 1 << 30)
    many_shards, many_rows, many = _run(raw, tmp_path / "many", 1500)
    assert len(one_shards) == 1
    pieces = [f for s in many_shards for f in s.files if f.span]
    assert {f.rel for f in pieces} == {"big.jsonl", "big.parquet"} and len(pieces) > 6
    for k in ("data", "rejected"):
        assert one[k].schema == many[k].schema
        assert one[k].to_pylist() == many[k].to_pylist(), k
    # The copies in later pieces are found; the bad lines keep their line numbers.
    reasons = dict(zip(many["rejected"]["source"].to_pylist(), many["rejected"]["reason"].to_pylist()))
    assert reasons["big.jsonl#25"] == "duplicate" and reasons["big.parquet#12"] == "duplicate"
    assert reasons["big.jsonl#7"] == "malformed_json" and reasons["big.jsonl#9"] == "malformed_json"
    # One manifest row per file, whose pieces add up.
    drop = ("shard", "shards")
    assert [{k: v for k, v in r.items() if k not in drop} for r in one_rows] == \
           [{k: v for k, v in r.items() if k not in drop} for r in many_rows]
    for r in many_rows:
        assert r["docs_in"] == r["kept"] + sum(r["rejected"].values()) + sum(r["errored"].values()), r
    assert len(next(r for r in many_rows if r["source"] == "big.jsonl")["shards"]) > 2


def test_a_failed_piece_fails_its_file():
    ok = {"source": "a.jsonl", "size": 9, "fingerprint": "f", "shard": 0, "status": "ok", "docs_in": 3, "kept": 2,
          "rejected": {"duplicate": 1}, "errored": {}}
    failed = {"source": "a.jsonl", "size": 9, "fingerprint": "f", "shard": 1, "status": "failed", "error": "map: boom"}
    row = mf._add_piece(ok, failed)
    assert row["status"] == "failed" and row["error"] == "map: boom" and row["shards"] == [0, 1]
    assert "docs_in" not in row


@pytest.mark.parametrize("data", [
    b'{"text": "\xe5\x8f\xb0\xe9\xa3\x8e"}\n' * 9,
    b"\n\n\n" + b'{"a": 1}\r\n' * 5 + b'{"a": 2}',  # blank lines, CRLF, no final newline
    b'{"text": "' + "长".encode() * 400 + b'"}\n{"a": 1}\n',  # one line longer than a piece
])
def test_jsonl_spans_cover_the_file_at_line_starts(tmp_path, data):
    path = tmp_path / "x.jsonl"
    path.write_bytes(data)
    spans = split_mod.jsonl_spans(str(path), len(data), 4)
    _check_spans(data, spans)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=20), st.integers(2, 9),
       st.booleans())
def test_jsonl_spans_property(tmp_path_factory, lines, n, final_newline):
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    path = tmp_path_factory.mktemp("spans") / "x.jsonl"
    path.write_bytes(data)
    spans = split_mod.jsonl_spans(str(path), len(data), n)
    _check_spans(data, spans)


def _check_spans(data: bytes, spans):
    assert spans[0][0] == 0 and spans[-1][1] == len(data)
    for (a, b, first), nxt in zip(spans, spans[1:] + [None]):
        assert a < b or (a == b == len(data) == 0)
        assert a == 0 or data[a - 1:a] == b"\n"
        assert first == data[:a].count(b"\n")
        assert nxt is None or nxt[0] == b


def test_reading_pieces_numbers_records_as_the_whole_file(tmp_path):
    path = tmp_path / "x.jsonl"
    data = b"".join(json.dumps({"text": f"第{i}条新闻"}, ensure_ascii=False).encode() + b"\n" for i in range(10))
    path.write_bytes(data)
    whole = [(d.source, d.text) for d in readers.read_file(str(path), "x.jsonl")]
    parts = [(d.source, d.text) for s in split_mod.jsonl_spans(str(path), len(data), 3)
             for d in readers.read_file(str(path), "x.jsonl", span=s)]
    assert parts == whole and whole[4] == ("x.jsonl#4", "第4条新闻")


def test_pieces_come_in_an_even_share_per_worker(tmp_path, monkeypatch):
    monkeypatch.setattr(split_mod, "MIN_PIECE", 100)
    raw = tmp_path / "raw"
    _write_inputs(raw)
    files = [f for f in discover([str(raw)]) if f.rel == "big.jsonl"]
    size = files[0].size
    assert len(plan_shards(files, "t", size // 3 + 1)) == 3
    assert len(plan_shards(files, "t", size // 3 + 1, workers=2)) == 4
    assert len(plan_shards(files, "t", size - 1, workers=2)) == 2
    monkeypatch.setattr(split_mod, "MIN_PIECE", size // 3)  # four pieces would be too small
    assert len(plan_shards(files, "t", size // 3 + 1, workers=2)) == 3


@pytest.mark.usefixtures("prefect_server")
def test_flow_with_two_workers_on_pieces_equals_one_shard(tmp_path, monkeypatch):
    from flows.flow import clean_corpus

    monkeypatch.setattr(split_mod, "MIN_PIECE", 0)
    raw = tmp_path / "raw"
    _write_inputs(raw)
    _, one_rows, one = _run(raw, tmp_path / "one", 1 << 30)
    out = tmp_path / "flow"
    doc = clean_corpus(input=[str(raw)], out=str(out), overrides=["quality.enabled=false"], workers=2,
                       shard_mb=1500 / 2**20)
    assert len(doc["shards"]) > 6 and doc["totals"]["failed_inputs"] == 0
    for k in ("data", "rejected"):
        t = pa.concat_tables([pq.read_table(p) for p in sorted((out / k).glob("*.parquet"))])
        assert t.to_pylist() == one[k].to_pylist(), k
    rows = {r["source"]: r for r in doc["inputs"]}
    for r in one_rows:
        assert {k: rows[r["source"]][k] for k in ("docs_in", "kept", "rejected", "errored")} == \
               {k: r[k] for k in ("docs_in", "kept", "rejected", "errored")}


def _archive(i: int) -> bytes:
    """A tar of city-news pages: Chinese member names (pax headers), a long path, a folder, a link,
    a JSONL member, a GBK page and a copy of an earlier page."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        def add(name, data, kind=tarfile.REGTYPE, link=""):
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.size = kind, link, len(data)
            tar.addfile(info, io.BytesIO(data))

        add("新闻", b"", tarfile.DIRTYPE)
        for k in range(24):
            page = _page(200 + i * 50 + k)
            add(f"新闻/{k:02d}-{page['title']}.md",
                f"---\ntitle: {page['title']}\nurl: {page['url']}\n---\n{page['text']}\n".encode())
        add("新闻/" + "长" * 60 + "/深层/页面.md", f"{BODY[1]}\n{CAPTION}\n".encode())
        add("新闻/最新.md", b"", tarfile.SYMTYPE, "新闻/00.md")
        add("新闻/批量.jsonl", b"".join(json.dumps(_page(300 + k), ensure_ascii=False).encode() + b"\n"
                                   for k in range(6)))
        add("新闻/旧稿.txt", f"{BODY[3]}\n{CAPTION}\n".encode("gbk"))
        add("新闻/转载.md", f"---\ntitle: 转载\n---\n{_page(200 + i * 50 + 2)['text']}\n".encode())
    return buf.getvalue()


def _write_archives(raw):
    raw.mkdir()
    (raw / "a.tar").write_bytes(_archive(0))
    (raw / "b.tar.gz").write_bytes(gzip.compress(_archive(1)))
    (raw / "c.tar.xz").write_bytes(lzma.compress(_archive(2)))
    (raw / "d.tar.zst").write_bytes(zstandard.ZstdCompressor().compress(_archive(3)))
    lines = [json.dumps(_page(400 + k), ensure_ascii=False).encode() for k in range(40)]
    lines[5], lines[30] = b'{"text": "broken', lines[12]  # malformed; a copy in a later piece
    (raw / "e.jsonl.gz").write_bytes(gzip.compress(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n"))
    (raw / "f.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(b"\n".join(lines[::-1])))
    (raw / "g.tar.gz").write_bytes(gzip.compress(_archive(4))[:1500])  # truncated: read whole, as before


def test_archives_and_compressed_streams_in_pieces_give_the_same_output(tmp_path, monkeypatch):
    monkeypatch.setattr(split_mod, "MIN_PIECE", 0)
    raw = tmp_path / "raw"
    _write_archives(raw)
    one_shards, one_rows, one = _run(raw, tmp_path / "one", 1 << 30)
    many_shards, many_rows, many = _run(raw, tmp_path / "many", 3000)
    assert len(one_shards) == 1
    pieces = {}
    for s in many_shards:
        for f in s.files:
            pieces[f.rel] = pieces.get(f.rel, 0) + 1
    assert all(pieces[n] > 2 for n in ("a.tar", "b.tar.gz", "c.tar.xz", "d.tar.zst", "e.jsonl.gz", "f.jsonl.zst"))
    assert pieces["g.tar.gz"] == 1
    for k in ("data", "rejected"):
        assert one[k].schema == many[k].schema
        assert one[k].to_pylist() == many[k].to_pylist(), k
    sources = set(many["data"]["source"].to_pylist()) | set(many["rejected"]["source"].to_pylist())
    assert {"a.tar/新闻/00-城市新闻200.md", "a.tar/新闻/批量.jsonl#5", "e.jsonl.gz#39", "a.tar/新闻/最新.md"} <= sources
    reasons = dict(zip(many["rejected"]["source"].to_pylist(), many["rejected"]["reason"].to_pylist()))
    assert reasons["e.jsonl.gz#30"] == "duplicate" and reasons["e.jsonl.gz#5"] == "malformed_json"
    assert reasons["g.tar.gz"] == "truncated"
    drop = ("shard", "shards")
    assert [{k: v for k, v in r.items() if k not in drop} for r in one_rows] == \
           [{k: v for k, v in r.items() if k not in drop} for r in many_rows]


def test_a_stream_that_expands_like_a_bomb_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(split_mod, "MIN_PIECE", 0)
    raw = tmp_path / "raw"
    raw.mkdir()
    page = json.dumps(_page(1), ensure_ascii=False).encode() + b"\n"
    (raw / "same.jsonl.gz").write_bytes(gzip.compress(page * 20000))  # one page, 20,000 times: 500x smaller
    pieces = [f for s in plan_shards(discover([str(raw)]), "t", 3000, cut_dir=str(tmp_path / "cut")) for f in s.files]
    assert len(pieces) == 1 and pieces[0].span is None and not list((tmp_path / "cut").glob("*"))


def test_tar_spans_start_at_member_headers(tmp_path):
    data = _archive(0)
    (tmp_path / "a.tar").write_bytes(data)
    spans = split_mod.tar_spans(str(tmp_path / "a.tar"), len(data), 5)
    assert len(spans) == 5 and spans[0][0] == 0 and spans[-1][1] == len(data)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        heads = {m.offset for m in tar}
    assert all(a in heads for a, _, _ in spans) and all(b == c for (_, b, _), (c, _, _) in zip(spans, spans[1:]))
    (tmp_path / "bad.tar").write_bytes(data[:-1024] + b"x" * 1024)  # no clean end: not cut
    with pytest.raises(ValueError):
        split_mod.tar_spans(str(tmp_path / "bad.tar"), len(data), 5)


def test_a_plan_made_while_the_server_starts_is_the_flows(tmp_path, monkeypatch):
    from flows.flow import RunParams, plan_run

    monkeypatch.setattr(split_mod, "MIN_PIECE", 0)
    raw = tmp_path / "raw"
    _write_archives(raw)
    params = RunParams(input=[str(raw)], out=str(tmp_path / "out"), shard_mb=3000 / 2**20, workers=2)
    kept = plan_run(params, keep=True)
    assert plan_run(RunParams(**params.model_dump())) is kept  # the flow takes it, once
    again = plan_run(params)
    assert again is not kept and [s.key for s in again[1]] == [s.key for s in kept[1]]
    assert len(list((tmp_path / "out" / "_work" / "cut").glob("*"))) == 5  # b, c, d, e, f; not the broken g


def test_a_plan_made_in_a_thread_is_awaited_by_the_flow(tmp_path, monkeypatch):
    import threading

    from flows import flow as flow_mod

    raw = tmp_path / "raw"
    _write_archives(raw)
    params = flow_mod.RunParams(input=[str(raw)], out=str(tmp_path / "out"), workers=2)
    gate = threading.Event()
    plan = flow_mod._plan
    monkeypatch.setattr(flow_mod, "_plan", lambda p: (gate.wait(), plan(p))[1])
    make = flow_mod.plan_ahead(params)  # promised before the thread starts: the flow never plans twice
    threading.Thread(target=make).start()
    threading.Timer(0.2, gate.set).start()
    files, shards = flow_mod.plan_run(flow_mod.RunParams(**params.model_dump()))  # waits for the thread's plan
    assert shards and [s.key for s in shards] == [s.key for s in flow_mod._plan(params)[1]]
    monkeypatch.setattr(flow_mod, "_plan", lambda p: (_ for _ in ()).throw(FileNotFoundError("gone")))
    flow_mod.plan_ahead(params)()
    with pytest.raises(FileNotFoundError, match="gone"):  # the flow meets the planning thread's error
        flow_mod.plan_run(params)
