"""The three phases of a run, as plain functions over files (the Prefect tasks wrap these).

map:     read a shard, run the per-document steps, stage the documents, and write the line keys and
         dedup keys partitioned by key, so that a reducer reads only its slice of every shard.
reduce:  per key range, collect documents that share a dedup key; one small task joins them into
         clusters; then, per key range, count distinct pages per (site, line) among the pages that
         represent their cluster, so that a republished article's body is not taken for boilerplate.
apply:   per shard, remove repeated lines, apply quality thresholds, drop duplicates, write data/ and rejected/.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from contextlib import ExitStack, suppress
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from flows import progress, report
from flows.io import readers
from flows.io.budget import TooSlow, time_budget
from flows.plan import Shard
from flows.recipe import Recipe, recipe_from_resolved
from flows.io.schema import (
    DATA_SCHEMA,
    LINES_SCHEMA,
    REJECTED_SCHEMA,
    SIGS_SCHEMA,
    STAGE_SCHEMA,
    doc_row,
    dumps,
    dumps_appended,
    rejected_row,
    row_doc,
)
from flows.io.storage import atomic_open, exists, fs_path, join, list_files, read_json, read_table, write_json, write_table
from flows.io.writer import KeyedWriter, PartWriter, StageWriter, read_staged
from transforms import crossdoc, dedup
from transforms.document import Document, Drop, StepStats
from transforms.pipeline import run_steps
from transforms.steps import APPLY_STEPS, CORPUS_STEPS, MAP_STEPS
from transforms.text import int64_key

N_PARTS = 64  # fine partitions of the key space; each reducer takes a range of them
REDUCE_BYTES = 64 << 20  # input bytes per reducer: its memory is one key range of every shard, so it stays flat
REDUCE_BYTES_PER_DOC = 256  # about 64 MB of reducer input per 250k documents
REDUCE_PER_KEY_BYTE = 4  # 16 MB of the maps' key files per reducer: its peak RSS stays near 400 MB
# Up to this many key ranges (about 1 s of work), the reduce is one task: spread over workers, its three
# waves of tasks cost more in task dispatch (0.1-0.3 s each to a pool process) than they save.
SERIAL_RANGES = 8
STAGED = "docs.arrow"  # a shard's documents between map and apply
FORMAT = 5  # of the files under _work/; part of every shard key, so a change invalidates old ones


def part_of(key: int) -> int:
    return key % N_PARTS


def progress_dir(work: str) -> str:
    return join(work, "progress")


def map_dir(work: str, shard: Shard) -> str:
    return join(work, "map", shard.key)


# ---------------------------------------------------------------- map


def _errored_row(err: readers.Errored, rel: str) -> dict[str, Any]:
    doc = Document(id=readers.make_id(err.source), source=readers.clean(err.source), text=err.text)
    row = rejected_row(doc, Drop(err.reason, step=err.step), detail=readers.clean(err.detail))
    return {**row, "input": rel, "site": None}


def map_shard(shard: Shard, work: str, resolved: dict, read_opts: dict | None = None) -> dict:
    """Read and normalize one shard; reuse its output when a previous run already made it."""
    out = map_dir(work, shard)
    if exists(join(out, "result.json")):
        return {**read_json(join(out, "result.json")), "reused": True}
    recipe = recipe_from_resolved(resolved)
    opts = readers.ReadOptions(**(read_opts or {}))
    stats: dict[str, StepStats] = {}
    with ExitStack() as stack:
        lines = KeyedWriter(stack.enter_context(atomic_open(join(out, "lines.parquet"))), LINES_SCHEMA)
        sigs = KeyedWriter(stack.enter_context(atomic_open(join(out, "sigs.parquet"))), SIGS_SCHEMA)
        staged = StageWriter(stack.enter_context(atomic_open(join(out, STAGED))), STAGE_SCHEMA)
        notes = progress.Notes(progress_dir(work), f"map-{shard.index:05d}")
        try:
            inputs, sites = _map_files(shard, recipe, opts, stats, staged, lines, sigs, notes)
            staged.close()
        except BaseException:
            for writer in (lines, sigs):  # closed quietly, so no __del__ writes into a discarded sink
                writer.abort()
            raise
        lines_index, sigs_index = lines.close(), sigs.close()
    result = {
        "shard": shard.index,
        "key": shard.key,
        "inputs": {k: {**v, "errored": dict(v["errored"])} for k, v in inputs.items()},
        "stats": {k: v.to_dict() for k, v in stats.items()},
        "sites": dict(sorted(sites.items())),
        "lines_index": lines_index,
        "sigs_index": sigs_index,
        "key_bytes": sum(_size(join(out, f"{name}.parquet")) for name in ("lines", "sigs")),
    }
    write_json(join(out, "result.json"), result)  # written last: its presence marks the shard done
    return result


def _map_files(shard: Shard, recipe: Recipe, opts, stats, staged, lines, sigs, notes=None) -> tuple[dict, Counter]:
    steps = [(s.name, s.apply, recipe.get(s.name)) for s in MAP_STEPS if recipe.enabled(s.name)]
    # Each corpus step gets its writer and a state of its own that lives for the shard.
    keyed = [(s, recipe.get(s.name), {"crossdoc": lines, "dedup": sigs}[s.name], set(),
              stats.setdefault(s.name, StepStats())) for s in CORPUS_STEPS if recipe.enabled(s.name)]
    inputs: dict[str, dict] = {}
    sites: Counter = Counter()
    by_site = recipe.enabled("crossdoc")  # only crossdoc reads a page's site; parsing every URL is not free
    # The line keys crossdoc computed here hold in apply only while it is apply's first step: no step changes
    # the text between.
    stage_keys = by_site and APPLY_STEPS[0].name == "crossdoc"
    notes, done, n_docs = notes or progress.Notes(None, ""), 0, 0
    for f in shard.files:
        acc = inputs[f.rel] = {"docs_in": 0, "errored": Counter(), "bytes_in": f.size}
        items = (readers.read_file(f.url, f.rel, opts, f.span and tuple(f.span)) if f.error is None
                 else [readers.Errored(f.rel, f.error)])
        for item in items:
            acc["docs_in"] += 1
            n_docs += 1
            notes.note(done, n_docs)
            if isinstance(item, readers.Document):
                item = _run_guarded(item, steps, stats, opts.doc_seconds)
            if isinstance(item, readers.Errored):
                acc["errored"][item.reason] += 1
                staged.add(_errored_row(item, f.rel))
                continue
            item, drop = item
            site = crossdoc.site_of(item.url, item.source) if by_site else None
            if drop is not None:
                staged.add({**rejected_row(item, drop), "input": f.rel, "site": site})
                continue
            if by_site:
                sites[site] += 1
            for step, cfg, writer, seen, st in keyed:
                t0 = time.perf_counter()  # the keys are the step's work: its seconds, not the runner's
                cols = step.map_keys(item, cfg, seen)  # a column at a time: a page has tens of rows
                if cols["key"]:
                    writer.add_columns(part=[k % N_PARTS for k in cols["key"]], site=[site] * len(cols["key"]), **cols)
                st.seconds += time.perf_counter() - t0
            line_keys = item.columns.pop(crossdoc.LINE_KEYS, None)
            staged.add({**doc_row(item), "reason": None, "step": None, "value": None, "detail": None,
                        "duplicate_of": None, "input": f.rel, "site": site,
                        "line_keys": line_keys if stage_keys else None})
        done += f.size
        notes.note(done, n_docs)
    notes.note(done, n_docs, force=True)
    return inputs, sites


def _run_guarded(doc: Document, steps, stats, seconds: float) -> tuple[Document, Drop | None] | readers.Errored:
    """The per-document steps within the time budget; a document that overruns or breaks a step is
    errored alone, and the shard goes on."""
    if not steps:
        return doc, None  # what run_steps gives for no step, without a budget to keep
    text = doc.text  # as read: what rejected/ keeps if a step fails on it
    try:
        with time_budget(seconds):
            return doc, run_steps(doc, steps, stats)
    except TooSlow as e:
        return readers.Errored(doc.source, "too_slow", f"steps {e}", text, "steps")
    except Exception as e:  # noqa: BLE001 - one document's failure is reported, never the shard's
        return readers.Errored(doc.source, "step_error", f"{type(e).__name__}: {e}"[:500], text, "steps")


def warm(resolved: dict | None = None) -> None:
    """Run one invented page through every step, so that what the steps build on first use (lookup tables,
    converters, models: ~0.5 s) is built by a process that would otherwise wait: a pool process before its
    first task, the CLI while its temporary server starts. Steps keep nothing of a page but pure memos, so
    no output changes; a failure here is left for the real run to meet."""
    from flows.recipe import load_recipe

    with suppress(Exception):
        recipe = recipe_from_resolved(resolved) if resolved else load_recipe(None)
        doc = Document(id="warm", source="warm/a.md", url="https://news.example.cn/a.html", title="臺風登陸 - 新聞中心",
                       text="臺風「海葵」今日下午在沿海登陸, 最大風力十二級，沿海多個城市停課停工，航班和列車大面積延誤。\n\n"
                            "氣象台提醒市民注意防範...未來兩天仍有暴雨，山區要警惕山洪和地質災害，低窪地區居民應及早轉移。\n"
                            "責任編輯：王明")  # a page's length: the short-text paths of the steps build nothing
        steps = [(s.name, s.apply, recipe.get(s.name)) for s in (*MAP_STEPS, *APPLY_STEPS)
                 if not s.corpus and recipe.enabled(s.name)]
        run_steps(doc, steps, {})
        for s in CORPUS_STEPS:
            if recipe.enabled(s.name):
                s.map_keys(doc, recipe.get(s.name), set())
        pa.array([doc.text])  # pyarrow's first conversion from Python objects imports pandas, when it is installed


# ---------------------------------------------------------------- reduce


def reduce_ranges(total_bytes: int) -> list[tuple[int, int]]:
    """Key-part ranges, one per reducer, about ``REDUCE_BYTES`` of input each."""
    n = max(1, min(N_PARTS, math.ceil(total_bytes / REDUCE_BYTES)))
    edges = [round(i * N_PARTS / n) for i in range(n + 1)]
    return [(edges[i], edges[i + 1]) for i in range(n)]


def _size(url: str) -> int:
    fs, path = fs_path(url)
    return fs.size(path)


def reduce_size(files, map_results: list[dict]) -> int:
    """What sizes the reduce: input bytes, or records when they are many and small (a few MB of .gz
    can hold millions of identical records, and reducer memory follows rows, not bytes), or the keys the
    maps wrote (a compressed input holds several times its size in text), whichever is most."""
    docs = sum(v["docs_in"] for r in map_results for v in r["inputs"].values())
    keys = sum(r.get("key_bytes", 0) for r in map_results)
    return max(sum(f.size for f in files), docs * REDUCE_BYTES_PER_DOC, keys * REDUCE_PER_KEY_BYTE)


def reduce_serial(work: str, map_results: list[dict], resolved: dict, out: str,
                  total_bytes: int | list[tuple[int, int]]) -> dict:
    """The whole reduce phase in this process, in the flow's order, a key range at a time (the flow's one
    reduce task, tests and the benchmark). ``total_bytes``: the reduce's size, or its key ranges."""
    recipe = recipe_from_resolved(resolved)
    ranges = reduce_ranges(total_bytes) if isinstance(total_bytes, int) else total_bytes
    clusters: dict = {}
    if recipe.enabled("dedup"):
        for lo, hi in ranges:
            reduce_sigs(work, map_results, lo, hi, out)
        clusters = cluster(out)
    if recipe.enabled("crossdoc"):
        for lo, hi in ranges:
            reduce_lines(work, map_results, lo, hi, resolved, out)
    return clusters


def _read_parts(url: str, index: dict, lo: int, hi: int) -> list[pa.Table]:
    groups = sorted(rg for part, rgs in index.items() if lo <= int(part) < hi for rg in rgs)
    if not groups:
        return []
    fs, path = fs_path(url)
    with fs.open(path, "rb") as f:
        return [pq.ParquetFile(f).read_row_groups(groups)]


def _gather_parts(work: str, map_results: list[dict], name: str, lo: int, hi: int, schema: pa.Schema) -> pa.Table:
    tables = []
    for r in map_results:
        tables += _read_parts(join(work, "map", r["key"], f"{name}.parquet"), r[f"{name}_index"], lo, hi)
    return pa.concat_tables(tables) if tables else schema.empty_table()


def reduce_sigs(work: str, map_results: list[dict], lo: int, hi: int, out: str) -> int:
    """Pages that share an exact or band key in parts ``lo``…``hi-1``: candidate duplicates."""
    table = _gather_parts(work, map_results, "sigs", lo, hi, SIGS_SCHEMA)
    # Most keys are one page's: count first, and list the pages only of keys that some page shares (every row
    # of such a key is kept, in order, so its groups are as before).
    counts = table.group_by(["kind", "key"], use_threads=False).aggregate([("id", "count")])
    table = table.filter(pc.is_in(table["key"], counts.filter(pc.greater_equal(counts["id_count"], 2))["key"]))
    groups = table.group_by(["kind", "key"], use_threads=False).aggregate(
        [("id", "count"), ("id", "list"), ("n_chars", "list")]
    )
    groups = groups.filter(pc.greater_equal(groups["id_count"], 2))
    groups = groups.select(["id_list", "n_chars_list"]).rename_columns(["ids", "sizes"])
    write_table(join(out, f"dedup-{lo:03d}.parquet"), groups)
    return groups.num_rows


def _site_pages(map_results: list[dict]) -> Counter:
    total: Counter = Counter()
    for r in map_results:
        total.update(r["sites"])
    return total


def _duplicates(out: str) -> pa.Array:
    """Keys of the pages that dedup will drop; their lines do not count towards crossdoc."""
    if not exists(join(out, "clusters.parquet")):
        return pa.array([], pa.int64())
    t = read_table(join(out, "clusters.parquet"), ["id", "rep"])
    dups = t.filter(pc.not_equal(t["id"], t["rep"]))["id"].to_pylist()
    return pa.array(sorted(int64_key(i) for i in dups), pa.int64())


def reduce_lines(work: str, map_results: list[dict], lo: int, hi: int, resolved: dict, out: str) -> int:
    """Lines of parts ``lo``…``hi-1`` found on enough distinct pages of their site to be boilerplate."""
    cfg = recipe_from_resolved(resolved).get("crossdoc")
    table = _gather_parts(work, map_results, "lines", lo, hi, LINES_SCHEMA)
    table = table.filter(pc.invert(pc.is_in(table["doc"], _duplicates(out))))
    # Most lines are on one page: count first, and take the least text only of the keys that can qualify (every
    # row of such a key is kept, so its groups count and compare as before).
    counts = table.group_by(["site", "key"], use_threads=False).aggregate([("text", "count")])
    common = counts.filter(pc.greater_equal(counts["text_count"], cfg.min_pages))["key"]
    table = table.filter(pc.is_in(table["key"], common))
    counts = table.group_by(["site", "key"], use_threads=False).aggregate([("text", "count"), ("text", "min")])
    counts = counts.filter(pc.greater_equal(counts["text_count"], cfg.min_pages))
    rows = crossdoc.decide(list(zip(*(counts[c].to_pylist() for c in ("site", "key", "text_count", "text_min")))),
                           _site_pages(map_results), cfg)
    cols = list(zip(*rows)) if rows else [[], [], [], []]
    schema = pa.schema([("site", pa.string()), ("key", pa.int64()), ("n_pages", pa.int64()), ("text", pa.string())])
    write_table(join(out, f"crossdoc-{lo:03d}.parquet"), pa.table([list(c) for c in cols], schema=schema))
    return len(rows)


def cluster(out: str) -> dict:
    """Join the reducers' duplicate groups into clusters with one representative each."""
    groups, sizes = [], {}
    for url in list_files(out, "dedup-*.parquet"):
        t = read_table(url)
        for ids, ns in zip(t["ids"].to_pylist(), t["sizes"].to_pylist()):
            groups.append(ids)
            sizes.update(zip(ids, ns))
    clusters = dedup.decide(groups, sizes)
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
    staged_url = join(map_dir(work, shard), STAGED)
    cols = ["id", "site", "reason"]
    index = pa.Table.from_batches([b.select(cols) for b in read_staged(staged_url)], pa.schema([STAGE_SCHEMA.field(c) for c in cols]))
    kept_sites = set(pc.unique(index["site"].filter(pc.is_null(index["reason"]))).to_pylist()) - {None}
    repeated, clusters = _load_decisions(reduce_out, kept_sites, set(index["id"].to_pylist()))
    key = _decisions_key(shard.key, resolved, repeated, clusters)
    stem = f"part-{shard.index:05d}"
    record = join(work, "apply", f"{stem}.json")
    if exists(record):
        prev = read_json(record)
        if prev["key"] == key and all(exists(join(out, f)) for f in prev["files"]):
            return {**prev["result"], "reused": True}
    recipe = recipe_from_resolved(resolved)
    shares = report.Shares()
    result = _apply_rows(staged_url, recipe, repeated, clusters, out, stem, shares)
    result["shard"] = shard.index
    report.save_parts(out, result["files"], shares)  # the report's share of this shard, here in parallel
    write_json(record, {"key": key, "files": result["files"], "result": result})
    return result


def _staged_rows(url: str):
    """The staged documents, a batch at a time, so apply holds one batch, not the shard."""
    for batch in read_staged(url):  # a column at a time: faster than to_pylist's row at a time
        names = batch.schema.names
        yield from (dict(zip(names, values)) for values in zip(*(c.to_pylist() for c in batch.columns)))


def _apply_rows(staged_url: str, recipe: Recipe, repeated, clusters, out: str, stem: str,
                shares: report.Shares | None = None) -> dict:
    stats: dict[str, StepStats] = {}
    inputs: dict[str, dict] = defaultdict(lambda: {"kept": 0, "rejected": Counter()})
    on_write = shares.add if shares is not None else None
    data = PartWriter(join(out, "data"), stem, DATA_SCHEMA, on_write=on_write)
    rejected = PartWriter(join(out, "rejected"), stem, REJECTED_SCHEMA, on_write=on_write)
    if any(recipe.enabled(s.name) for s in APPLY_STEPS):
        _apply_steps(staged_url, recipe, repeated, clusters, stats, inputs, data, rejected)
    else:
        _copy_staged(staged_url, inputs, data, rejected)
    files = data.close() + rejected.close()
    prefix = out.rstrip("/") + "/"
    return {
        "inputs": {k: {"kept": v["kept"], "rejected": dict(v["rejected"])} for k, v in inputs.items()},
        "stats": {k: v.to_dict() for k, v in stats.items()},
        "files": [f.removeprefix(prefix) for f in files],
        "bytes_out": data.bytes,
        "rows": data.rows,
    }


def _apply_steps(staged_url: str, recipe: Recipe, repeated, clusters, stats, inputs, data, rejected) -> None:
    for row in _staged_rows(staged_url):
        acc = inputs[row.pop("input")]
        site = row.pop("site")
        if row["reason"] is not None:
            if row["step"] != "read":
                acc["rejected"][row["reason"]] += 1
            rejected.add(row)
            continue
        line_keys = row.pop("line_keys")
        # Apply steps only append to doc.removed: it starts empty, and the new entries are joined to the staged JSON.
        doc = row_doc(row, removed=False)
        meta = dict(doc.meta)
        drop = _finish_doc(doc, site, recipe, repeated, clusters, stats, line_keys)
        removed = dumps_appended(row["removed"], doc.removed, 0)
        meta = row["meta"] if doc.meta == meta else None  # the staged JSON, unless a step changed the meta
        if drop is None:
            acc["kept"] += 1
            data.add(doc_row(doc, removed, meta))
        else:
            acc["rejected"][drop.reason] += 1
            rejected.add(rejected_row(doc, drop, removed=removed, meta=meta))


def _copy_staged(staged_url: str, inputs, data: PartWriter, rejected: PartWriter) -> None:
    """No apply step is on: staged rows go to their tables as they are, a column at a time."""
    for batch in read_staged(staged_url):
        table = pa.Table.from_batches([batch])
        kept = pc.is_null(table["reason"])
        for name, reason, step in zip(*(table[c].to_pylist() for c in ("input", "reason", "step"))):
            if reason is None:
                inputs[name]["kept"] += 1
            elif step != "read":
                inputs[name]["rejected"][reason] += 1
            else:
                inputs[name]  # an input whose every record errored is still listed
        data.add_table(table.filter(kept))
        rejected.add_table(table.filter(pc.invert(kept)))


def _finish_doc(doc: Document, site: str, recipe: Recipe, repeated, clusters, stats, line_keys=None) -> Drop | None:
    """The apply-phase steps in registry order; a corpus step with no decision for the page is skipped.
    ``line_keys`` are crossdoc's keys of the page's lines from the map phase, when it staged them."""
    decisions = {"crossdoc": repeated.get(site) or None, "dedup": clusters.get(doc.id, (doc.id, 1))}
    extra = {"crossdoc": {"line_keys": line_keys}} if line_keys is not None else {}
    steps = []
    for s in APPLY_STEPS:
        if not recipe.enabled(s.name):
            continue
        if not s.corpus:
            steps.append((s.name, s.apply, recipe.get(s.name)))
        elif decisions[s.name] is not None:
            steps.append((s.name, _with_decision(s.apply, decisions[s.name], extra.get(s.name, {})),
                          recipe.get(s.name)))
    return run_steps(doc, steps, stats)


def _with_decision(fn, decision, extra: dict):
    return lambda doc, cfg, stats: fn(doc, cfg, stats, decision, **extra)
