"""The real flow on the real Prefect engine (one shared test server)."""

import json
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from tests.corpus import SLOGAN

pytestmark = pytest.mark.usefixtures("prefect_server")


def _run(corpus, out, **kw):
    from flows.flow import clean_corpus

    return clean_corpus(input=[str(corpus)], out=str(out), **kw)


def _texts(out: Path) -> dict[str, str]:
    t = ds.dataset(out / "data", format="parquet").to_table()
    return dict(zip(t["source"].to_pylist(), t["text"].to_pylist()))


def test_end_to_end(corpus, tmp_path):
    out = tmp_path / "out"
    doc = _run(corpus, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["totals"] == doc["totals"]
    # Nothing is lost: every input accounts for every document.
    for row in manifest["inputs"]:
        assert row["docs_in"] == row["kept"] + sum(row["rejected"].values()) + sum(row["errored"].values()), row
    by_source = {r["source"]: r for r in manifest["inputs"]}
    assert by_source["notes.bin"]["errored"] == {"unsupported_format": 1}
    assert by_source["crawl/news.jsonl"]["errored"] == {"malformed_json": 1}

    texts = _texts(out)
    rejected = ds.dataset(out / "rejected", format="parquet").to_table().to_pylist()
    reasons = {r["source"]: r["reason"] for r in rejected}
    # The repost is an exact duplicate of record 0 and points at it.
    dup = next(r for r in rejected if r["source"] == "crawl/news.jsonl#5")
    assert dup["reason"] == "duplicate" and dup["duplicate_of"]
    assert reasons["crawl/news.jsonl#2"] == "malformed_json"
    # Lines repeated on every page of the site are gone; the body stays.
    kept = [t for s, t in texts.items() if s.startswith("crawl/news.jsonl")]
    assert kept and all(SLOGAN not in t and "新闻中心" not in t for t in kept)
    assert any("口袋公园" in t for t in kept)
    assert sum(manifest["totals"]["rejected"].values()) + manifest["totals"]["kept"] + sum(
        manifest["totals"]["errored"].values()) == manifest["totals"]["docs_in"]
    assert manifest["crossdoc_top"]["news.example.cn"]


def test_output_reads_everywhere(corpus, tmp_path):
    out = tmp_path / "out"
    _run(corpus, out)
    glob = str(out / "data" / "*.parquet")
    n = len(pd.read_parquet(out / "data"))
    assert n == pl.read_parquet(glob).height == duckdb.sql(f"select count(*) from '{glob}'").fetchall()[0][0]
    assert n == ds.dataset(out / "data", format="parquet").count_rows() > 0


def test_deterministic_and_incremental(corpus, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    first = _run(corpus, a, shard_mb=0.000001)  # a shard per file, to see reuse per input
    _run(corpus, b, shard_mb=0.000001)
    assert _texts(a) == _texts(b)
    assert sorted(p.name for p in (a / "data").iterdir()) == sorted(p.name for p in (b / "data").iterdir())

    again = _run(corpus, a, shard_mb=0.000001)
    assert all(s["map_reused"] for s in again["shards"])
    assert _texts(a) == _texts(b)

    md = corpus / "posts" / "tea.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n王师傅说，明年还想再多种两亩。\n", encoding="utf-8")
    (corpus / "notes.bin").unlink()
    changed = _run(corpus, a, shard_mb=0.000001)
    redone = [s["index"] for s in changed["shards"] if not s["map_reused"]]
    tea = next(r["shard"] for r in changed["inputs"] if r["source"] == "posts/tea.md")
    assert redone == [tea]
    assert "明年还想再多种两亩" in _texts(a)["posts/tea.md"]
    assert "notes.bin" not in {r["source"] for r in changed["inputs"]}
    assert len(first["shards"]) == len(changed["shards"]) + 1


@pytest.mark.parametrize("workers", [1, 2])
def test_flow_for_is_one_flow_run(workers, corpus, tmp_path, monkeypatch):
    """As the CLI runs it: the tasks in the one flow run, no subflow, and the same rows as ``clean_corpus``."""
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL

    from flows.flow import flow_for

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())  # pool processes find the test server
    doc = flow_for(workers)(input=[str(corpus)], out=str(tmp_path / "one"), workers=workers)
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(doc["flow_run_id"])
        assert client.read_flow(run.flow_id).name == "clean-corpus" and run.parent_task_run_id is None
    _run(corpus, tmp_path / "two", workers=workers)
    assert _texts(tmp_path / "one") == _texts(tmp_path / "two")
