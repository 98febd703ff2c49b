"""The three phases of a run, as plain functions over files (the Prefect tasks wrap these).

map:    read a shard, run the per-document steps, stage the documents, and write the line keys and
        dedup keys partitioned by key, so that a reducer reads only its slice of every shard.
reduce: per key range, count distinct pages per (site, line) and collect documents that share a key.
apply:  per shard, remove repeated lines, apply quality thresholds, drop duplicates, write data/ and rejected/.
"""

from __future__ import annotations

import json
import posixpath
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from flows import readers
from flows.plan import Shard
from flows.recipe import Recipe, recipe_from_resolved
from flows.schema import (
    DATA_SCHEMA,
    LINES_SCHEMA,
    REJECTED_SCHEMA,
    SIGS_SCHEMA,
    STAGE_SCHEMA,
    doc_row,
    dumps,
    rejected_row,
    row_doc,
)
from flows.storage import atomic_open, exists, fs_path, join, list_files, read_json, read_table, write_json, write_table
from flows.writer import PartWriter
from transforms import crossdoc, dedup, quality
from transforms.document import Document, Drop, StepStats
from transforms.pipeline import run_steps
from transforms.steps import PER_DOC, STEP_ORDER

N_PARTS = 64  # fine partitions of the key space; each reducer takes a range of them


def part_of(key: int) -> int:
    return key % N_PARTS


def site_of(url: str | None, input_rel: str) -> str:
    """The URL host, or the input's folder when the page has no URL."""
    if url:
        host = (urlsplit(url).hostname or "").lower()
        if host:
            return host.removeprefix("www.")
    return posixpath.dirname(input_rel.split("#")[0]) or "."


def map_dir(work: str, shard: Shard) -> str:
    return join(work, "map", shard.key)


# ---------------------------------------------------------------- map


def _errored_row(err: readers.Errored, rel: str) -> dict[str, Any]:
    doc = Document(id=readers.make_id(err.source), source=err.source, text="")
    row = rejected_row(doc, Drop(err.reason, step="read"), detail=err.detail)
    return {**row, "input": rel, "site": None}


def _write_partitioned(url: str, schema: pa.Schema, cols: dict[str, list]) -> dict[int, int]:
    """Write rows sorted by part, one row group per part; return part -> row group index."""
    table = pa.table(cols, schema=schema)
    table = table.sort_by([("part", "ascending")]) if table.num_rows else table
    index: dict[int, int] = {}
    parts = table.column("part").to_pylist()
    with atomic_open(url) as f, pq.ParquetWriter(f, schema, compression="zstd") as w:
        start = 0
        while start < len(parts):
            end = start
            while end < len(parts) and parts[end] == parts[start]:
                end += 1
            index[parts[start]] = len(index)
            w.write_table(table.slice(start, end - start), row_group_size=end - start)
            start = end
        if not parts:
            w.write_table(table)
    return index


def map_shard(shard: Shard, work: str, resolved: dict, read_opts: dict | None = None) -> dict:
    """Read and normalize one shard; reuse its output when a previous run already made it."""
    out = map_dir(work, shard)
    if exists(join(out, "result.json")):
        return {**read_json(join(out, "result.json")), "reused": True}
    recipe = recipe_from_resolved(resolved)
    opts = readers.ReadOptions(**(read_opts or {}))
    steps = [(n, PER_DOC[n], recipe.get(n)) for n in STEP_ORDER if n in PER_DOC and recipe.enabled(n)]
    stats: dict[str, StepStats] = {}
    inputs: dict[str, dict] = {}
    sites: Counter = Counter()
    lines = {"part": [], "site": [], "key": [], "text": []}
    sigs = {"part": [], "kind": [], "key": [], "id": [], "n_chars": []}
    staged = PartWriter(out, "docs", STAGE_SCHEMA)
    try:
        for f in shard.files:
            acc = inputs[f.rel] = {"docs_in": 0, "errored": Counter(), "bytes_in": f.size}
            for item in readers.read_file(f.url, f.rel, opts):
                acc["docs_in"] += 1
                if isinstance(item, readers.Errored):
                    acc["errored"][item.reason] += 1
                    staged.add(_errored_row(item, f.rel))
                    continue
                drop = run_steps(item, steps, stats)
                site = site_of(item.url, f.rel)
                if drop is not None:
                    staged.add({**rejected_row(item, drop), "input": f.rel, "site": site})
                    continue
                sites[site] += 1
                _add_keys(item, site, recipe, lines, sigs)
                staged.add({**doc_row(item), "reason": None, "step": None, "value": None, "detail": None,
                            "duplicate_of": None, "input": f.rel, "site": site})
        staged.close()
    except BaseException:
        staged.abort()
        raise
    result = {
        "shard": shard.index,
        "key": shard.key,
        "inputs": {k: {**v, "errored": dict(v["errored"])} for k, v in inputs.items()},
        "stats": {k: v.to_dict() for k, v in stats.items()},
        "sites": dict(sorted(sites.items())),
        "lines_index": _write_partitioned(join(out, "lines.parquet"), LINES_SCHEMA, lines),
        "sigs_index": _write_partitioned(join(out, "sigs.parquet"), SIGS_SCHEMA, sigs),
    }
    write_json(join(out, "result.json"), result)  # written last: its presence marks the shard done
    return result


def _add_keys(doc: Document, site: str, recipe: Recipe, lines: dict, sigs: dict) -> None:
    if recipe.enabled("crossdoc"):
        for key, text in crossdoc.line_keys(doc.text, recipe.get("crossdoc")).items():
            for col, v in zip(("part", "site", "key", "text"), (part_of(key), site, key, text)):
                lines[col].append(v)
    if not recipe.enabled("dedup"):
        return
    cfg = recipe.get("dedup")
    keys = []
    if cfg.exact:
        keys.append((0, dedup.exact_key(doc.text)))
    if cfg.near:
        keys += [(b + 1, k) for b, k in enumerate(dedup.band_keys(doc.text, cfg))]
    for kind, key in keys:
        for col, v in zip(("part", "kind", "key", "id", "n_chars"), (part_of(key), kind, key, doc.id, len(doc.text))):
            sigs[col].append(v)


# ---------------------------------------------------------------- reduce


def _read_parts(url: str, index: dict, lo: int, hi: int) -> list[pa.Table]:
    groups = [rg for part, rg in index.items() if lo <= int(part) < hi]
    if not groups:
        return []
    fs, path = fs_path(url)
    with fs.open(path, "rb") as f:
        return [pq.ParquetFile(f).read_row_groups(sorted(groups))]


def reduce_range(work: str, map_results: list[dict], lo: int, hi: int, resolved: dict, out: str) -> dict:
    """Decide repeated lines and collect duplicate candidates for key parts ``lo``…``hi-1``."""
    recipe = recipe_from_resolved(resolved)
    result = {"lo": lo, "hi": hi, "crossdoc_pairs": 0, "dedup_groups": 0}
    if recipe.enabled("crossdoc"):
        result["crossdoc_pairs"] = _reduce_lines(work, map_results, lo, hi, recipe.get("crossdoc"), out)
    if recipe.enabled("dedup"):
        result["dedup_groups"] = _reduce_sigs(work, map_results, lo, hi, out)
    return result


def _site_pages(map_results: list[dict]) -> Counter:
    total: Counter = Counter()
    for r in map_results:
        total.update(r["sites"])
    return total


def _reduce_lines(work: str, map_results: list[dict], lo: int, hi: int, cfg, out: str) -> int:
    tables = []
    for r in map_results:
        tables += _read_parts(join(work, "map", r["key"], "lines.parquet"), r["lines_index"], lo, hi)
    table = pa.concat_tables(tables) if tables else LINES_SCHEMA.empty_table()
    counts = table.group_by(["site", "key"], use_threads=False).aggregate([("text", "count"), ("text", "min")])
    counts = counts.filter(pc.greater_equal(counts["text_count"], cfg.min_pages))
    pages = _site_pages(map_results)
    rows = [
        (s, k, n, t)
        for s, k, n, t in zip(*(counts[c].to_pylist() for c in ("site", "key", "text_count", "text_min")))
        if crossdoc.is_boilerplate(n, pages[s], cfg)
    ]
    rows.sort(key=lambda r: (r[0], r[1]))
    cols = list(zip(*rows)) if rows else [[], [], [], []]
    schema = pa.schema([("site", pa.string()), ("key", pa.int64()), ("n_pages", pa.int64()), ("text", pa.string())])
    write_table(join(out, f"crossdoc-{lo:03d}.parquet"), pa.table([list(c) for c in cols], schema=schema))
    return len(rows)


def _reduce_sigs(work: str, map_results: list[dict], lo: int, hi: int, out: str) -> int:
    tables = []
    for r in map_results:
        tables += _read_parts(join(work, "map", r["key"], "sigs.parquet"), r["sigs_index"], lo, hi)
    table = pa.concat_tables(tables) if tables else SIGS_SCHEMA.empty_table()
    groups = table.group_by(["kind", "key"], use_threads=False).aggregate(
        [("id", "count"), ("id", "list"), ("n_chars", "list")]
    )
    groups = groups.filter(pc.greater_equal(groups["id_count"], 2))
    groups = groups.select(["id_list", "n_chars_list"]).rename_columns(["ids", "sizes"])
    write_table(join(out, f"dedup-{lo:03d}.parquet"), groups)
    return groups.num_rows


def cluster(out: str) -> dict:
    """Join the reducers' duplicate groups into clusters with one representative each."""
    groups, sizes = [], {}
    for url in list_files(out, "dedup-*.parquet"):
        t = read_table(url)
        for ids, ns in zip(t["ids"].to_pylist(), t["sizes"].to_pylist()):
            groups.append(ids)
            sizes.update(zip(ids, ns))
    clusters = dedup.assign_clusters(groups, sizes)
    ids = sorted(clusters)
    table = pa.table(
        {"id": ids, "rep": [clusters[i][0] for i in ids], "size": [clusters[i][1] for i in ids]},
        schema=pa.schema([("id", pa.string()), ("rep", pa.string()), ("size", pa.int32())]),
    )
    write_table(join(out, "clusters.parquet"), table)
    reps = sum(1 for i in ids if clusters[i][0] == i)
    return {"clusters": reps, "duplicates": len(ids) - reps}


# ---------------------------------------------------------------- apply


def _load_decisions(out: str, sites: set[str], ids: set[str]) -> tuple[dict[str, set[int]], dict[str, tuple]]:
    repeated: dict[str, set[int]] = defaultdict(set)
    for url in list_files(out, "crossdoc-*.parquet"):
        t = read_table(url, ["site", "key"])
        for s, k in zip(t["site"].to_pylist(), t["key"].to_pylist()):
            if s in sites:
                repeated[s].add(k)
    clusters = {}
    if exists(join(out, "clusters.parquet")):
        t = read_table(join(out, "clusters.parquet"))
        t = t.filter(pc.is_in(t["id"], pa.array(sorted(ids), pa.string())))
        for i, rep, size in zip(t["id"].to_pylist(), t["rep"].to_pylist(), t["size"].to_pylist()):
            clusters[i] = (rep, size)
    return repeated, clusters


def _decisions_key(shard_key: str, resolved: dict, repeated: dict, clusters: dict) -> str:
    h = xxhash.xxh3_128(shard_key.encode())
    h.update(dumps(resolved).encode())
    h.update(dumps({s: sorted(k) for s, k in sorted(repeated.items())}).encode())
    h.update(dumps(sorted(clusters.items())).encode())
    return h.hexdigest()


def apply_shard(shard: Shard, work: str, reduce_out: str, out: str, resolved: dict) -> dict:
    """Finish one shard's documents and write its data/ and rejected/ parts."""
    staged = read_table(join(map_dir(work, shard), "docs.parquet"))
    kept_sites = set(pc.unique(staged["site"].filter(pc.is_null(staged["reason"]))).to_pylist()) - {None}
    repeated, clusters = _load_decisions(reduce_out, kept_sites, set(staged["id"].to_pylist()))
    key = _decisions_key(shard.key, resolved, repeated, clusters)
    stem = f"part-{shard.index:05d}"
    record = join(work, "apply", f"{stem}.json")
    if exists(record):
        prev = read_json(record)
        if prev["key"] == key and all(exists(join(out, f)) for f in prev["files"]):
            return {**prev["result"], "reused": True}
    recipe = recipe_from_resolved(resolved)
    result = _apply_rows(staged, recipe, repeated, clusters, out, stem)
    result["shard"] = shard.index
    write_json(record, {"key": key, "files": result["files"], "result": result})
    return result


def _apply_rows(staged: pa.Table, recipe: Recipe, repeated, clusters, out: str, stem: str) -> dict:
    stats = {n: StepStats() for n in ("crossdoc", "quality", "dedup")}
    inputs: dict[str, dict] = defaultdict(lambda: {"kept": 0, "rejected": Counter()})
    data = PartWriter(join(out, "data"), stem, DATA_SCHEMA)
    rejected = PartWriter(join(out, "rejected"), stem, REJECTED_SCHEMA)
    for row in staged.to_pylist():
        acc = inputs[row.pop("input")]
        site = row.pop("site")
        if row["reason"] is not None:
            if row["step"] != "read":
                acc["rejected"][row["reason"]] += 1
            rejected.add(row)
            continue
        doc = row_doc(row)
        drop = _finish_doc(doc, site, recipe, repeated, clusters, stats)
        if drop is None:
            acc["kept"] += 1
            data.add(doc_row(doc))
        else:
            acc["rejected"][drop.reason] += 1
            rejected.add(rejected_row(doc, drop))
    files = data.close() + rejected.close()
    prefix = out.rstrip("/") + "/"
    return {
        "inputs": {k: {"kept": v["kept"], "rejected": dict(v["rejected"])} for k, v in inputs.items()},
        "stats": {k: v.to_dict() for k, v in stats.items() if v.docs_in},
        "files": [f.removeprefix(prefix) for f in files],
        "bytes_out": data.bytes,
        "rows": data.rows,
    }


def _finish_doc(doc: Document, site: str, recipe: Recipe, repeated, clusters, stats) -> Drop | None:
    if recipe.enabled("crossdoc") and repeated.get(site):
        st = stats["crossdoc"]
        st.docs_in += 1
        before = len(doc.text)
        crossdoc.remove_lines(doc, repeated[site], recipe.get("crossdoc"), st)
        if len(doc.text) != before:
            st.docs_changed += 1
            st.chars_removed += before - len(doc.text)
    if recipe.enabled("quality"):
        drop = run_steps(doc, [("quality", quality.apply, recipe.get("quality"))], stats)
        if drop is not None:
            return drop
    if recipe.enabled("dedup"):
        stats["dedup"].docs_in += 1
        rep, size = clusters.get(doc.id, (doc.id, 1))
        if rep != doc.id:
            stats["dedup"].docs_dropped += 1
            stats["dedup"].drop_reasons["duplicate"] += 1
            return Drop("duplicate", step="dedup", duplicate_of=rep)
        doc.columns["cluster_size"] = size
    return None
