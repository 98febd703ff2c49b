"""OUT/report.html: what a run did, read back from its outputs alone (manifest.json, data/, rejected/).

``write_report(out)`` works on any output folder, so ``qingxi report OUT`` rebuilds it for old runs. Document
counts come from the manifest; characters, signals and samples from the Parquet parts. The figures the page
shows are also embedded as JSON (``<script id="qingxi-figures">``) for tools and tests.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson
import xxhash
import yaml

from flows import charts
from flows.io.schema import REJECTED_SCHEMA, SIGNALS
from flows.io.storage import atomic_open, fs_path, join, list_files, read_json, read_schema, read_table, write_table

SEED = 14  # the sample of pages is a fixed function of their ids, so the same run gives the same report
N_SAMPLE_KEPT, N_SAMPLE_REJECTED = 8, 4
SAMPLE_CHARS = 1200  # of each sampled page's text shown
SAMPLE_ROWS = 5000  # pages read with their text, for the sample and the script after conversion
LOG_SIGNALS = {"n_chars", "n_lines", "mean_line_chars", "n_fffd"}
# The columns the figures read from each folder's parts, besides the characters removed.
COLUMNS = {"data": ["source", "n_chars", *[n for n, _ in SIGNALS]]}
COLUMNS["rejected"] = [*COLUMNS["data"], "step", "reason"]


def folder_of(rel: str) -> str:
    """Inputs are grouped by their folder, at most two levels deep: ``html/gne/a/b.html`` -> ``html/gne``."""
    parts = rel.split("/")[:-1][:2]
    return "/".join(parts) or "."


def input_of(source: str, inputs: set[str]) -> str | None:
    """The input file a page came from: ``a.jsonl#3`` -> ``a.jsonl``; ``x.tar/m/p.md`` -> ``x.tar``."""
    s = source.split("#", 1)[0] if source not in inputs else source
    while s:
        if s in inputs:
            return s
        if "/" not in s:
            return None
        s = s.rsplit("/", 1)[0]
    return None


REMOVED = pa.schema([("r", pa.list_(pa.struct([("rule", pa.string()), ("step", pa.string()), ("text", pa.string())])))])


def _removed_chars(removed: pa.ChunkedArray, by_rule: Counter) -> pa.Array:
    """Characters removed per page, from the ``removed`` audit column; adds them up per (step, rule) too.

    Arrow's JSON reader parses the column as JSON lines, several times faster than ``json.loads`` per row.
    """
    if len(removed) == 0:
        return pa.array([], pa.int64())
    lines = pc.binary_join_element_wise('{"r":', removed.combine_chunks(), "}\n", "")
    offsets = np.frombuffer(lines.buffers()[1], np.int32)[lines.offset:lines.offset + len(lines) + 1]
    blob = lines.buffers()[2][offsets[0]:offsets[-1]]  # the lines, back to back: a JSON-lines file
    longest = pc.max(pc.binary_length(lines)).as_py()
    opts = pajson.ReadOptions(block_size=max(1 << 20, 2 * longest + 64), use_threads=False)  # a line fits a block
    lists = pajson.read_json(pa.BufferReader(blob), read_options=opts,
                             parse_options=pajson.ParseOptions(explicit_schema=REMOVED))["r"].combine_chunks()
    flat = pc.list_flatten(lists)
    chars = pc.utf8_length(flat.field("text"))
    sizes = np.bincount(pc.list_parent_indices(lists).to_numpy(), weights=chars.to_numpy(), minlength=len(lists))
    sums = pa.table({"step": flat.field("step"), "rule": flat.field("rule"), "n": chars}).group_by(
        ["step", "rule"], use_threads=False).aggregate([("n", "sum")])
    for st, r, n in zip(sums["step"].to_pylist(), sums["rule"].to_pylist(), sums["n_sum"].to_pylist()):
        by_rule[(st, r)] += n
    return pa.array(sizes.astype(np.int64))


def read_removed(out: str, folder: str, columns: list[str], by_rule: Counter) -> pa.Table | None:
    """``columns`` of OUT/folder plus ``removed_chars``, a part at a time: the audit column never has to be
    in memory for the whole dataset at once. A part's share that its apply task saved (``save_parts``) is
    read instead of the part when it is of that very file."""
    tables = []
    for url in list_files(join(out, folder), "part-*.parquet"):
        saved = _saved_part(out, folder, url) if columns == COLUMNS[folder] else None
        t, rules = saved or part_figures(url, columns)
        by_rule.update(rules)
        tables.append(t)
    return pa.concat_tables(tables) if tables else None


def part_figures(url: str, columns: list[str]) -> tuple[pa.Table, Counter]:
    """One part's ``columns`` plus ``removed_chars``, and the characters removed per (step, rule) in it."""
    have = set(read_schema(url).names)  # an older version's output may lack a newer signal column
    t = read_table(url, [c for c in [*columns, "removed"] if c in have])
    for name in columns:
        if name not in have:
            t = t.append_column(name, pa.nulls(len(t), REJECTED_SCHEMA.field(name).type))
    return table_figures(t, columns)


def table_figures(t: pa.Table, columns: list[str]) -> tuple[pa.Table, Counter]:
    """``part_figures`` of rows in memory (a table with ``columns`` and ``removed``)."""
    rules: Counter = Counter()
    return t.select(columns).append_column("removed_chars", _removed_chars(t["removed"], rules)), rules


class Shares:
    """The report's share of each part, taken from its row groups as a ``PartWriter`` writes them
    (``on_write=shares.add``), so ``save_parts`` need not read the part back."""

    def __init__(self):
        self.tables: dict[tuple[str, str], list[pa.Table]] = {}
        self.rules: dict[tuple[str, str], Counter] = {}

    @staticmethod
    def key(url: str) -> tuple[str, str]:
        folder, name = url.rstrip("/").rsplit("/", 2)[-2:]
        return folder, name

    def add(self, url: str, table: pa.Table) -> None:
        key = self.key(url)
        t, rules = table_figures(table, COLUMNS[key[0]])
        self.tables.setdefault(key, []).append(t)
        self.rules.setdefault(key, Counter()).update(rules)

    def get(self, url: str) -> tuple[pa.Table, Counter] | None:
        key = self.key(url)
        if key not in self.tables:
            return None
        return pa.concat_tables(self.tables[key]).combine_chunks(), self.rules[key]


def _saved_url(out: str, folder: str, url: str) -> str:
    return join(out, "_work", "report", f"{folder}-{url.rsplit('/', 1)[-1]}")


def _footer_key(url: str) -> str:
    """A part's size and Parquet footer (its row groups, offsets and column statistics): another file
    under the same name has another key."""
    fs, path = fs_path(url)
    with fs.open(path, "rb") as f:
        size = f.seek(0, 2)
        f.seek(max(0, size - 8))
        tail = f.read(8)
        length = int.from_bytes(tail[:4], "little") if len(tail) == 8 and tail[4:] == b"PAR1" else 0
        f.seek(max(0, size - 8 - length))
        return f"{size}:{xxhash.xxh3_128_hexdigest(f.read(length + 8))}"


def save_parts(out: str, files: list[str], shares: Shares | None = None) -> None:
    """For each part just written (``data/part-….parquet``, relative to OUT), its share of the report's
    figures under OUT/_work/report, so the report reads small files and not every page's audit column.
    Apply tasks call it: the work runs in parallel, not at the end of the run. ``shares``: what the
    writer saw of each part; a part it has none of (an empty one) is read back."""
    out = out.rstrip("/")
    for rel in files:
        folder = rel.split("/", 1)[0]
        url = join(out, rel)
        t, rules = (shares and shares.get(url)) or part_figures(url, COLUMNS[folder])
        meta = {"key": _footer_key(url), "by_rule": json.dumps([[st, r, n] for (st, r), n in sorted(rules.items())])}
        write_table(_saved_url(out, folder, url), t.replace_schema_metadata(meta))


def _saved_part(out: str, folder: str, url: str) -> tuple[pa.Table, Counter] | None:
    saved = _saved_url(out, folder, url)
    try:
        t = read_table(saved)
    except (OSError, pa.ArrowException):
        return None
    meta = t.schema.metadata or {}
    if meta.get(b"key", b"").decode() != _footer_key(url):
        return None
    rules = Counter({(st, r): n for st, r, n in json.loads(meta[b"by_rule"])})
    return t.replace_schema_metadata(None), rules


def _rank(ids: list[str]) -> list[int]:
    """Indexes of ``ids`` in a fixed pseudo-random order."""
    return sorted(range(len(ids)), key=lambda i: xxhash.xxh3_64_intdigest(ids[i].encode(), seed=SEED))


# ---------------------------------------------------------------- figures


def collect(out: str) -> dict[str, Any]:
    """Everything the report shows, as plain data."""
    out = out.rstrip("/")
    with ThreadPoolExecutor(2) as pool:  # pyarrow reads the row samples without the GIL while the figures are made
        samples = {folder: pool.submit(_row_sample, out, folder) for folder in ("data", "rejected")}
        return _collect(out, samples)


def _collect(out: str, samples: dict[str, Future]) -> dict[str, Any]:
    manifest = read_json(join(out, "manifest.json"))
    by_rule: Counter = Counter()
    kept = read_removed(out, "data", COLUMNS["data"], by_rule)
    rej = read_removed(out, "rejected", COLUMNS["rejected"], by_rule)
    kept_removed = kept["removed_chars"].to_numpy() if kept is not None else np.zeros(0, np.int64)
    rej_removed = rej["removed_chars"].to_numpy() if rej is not None else np.zeros(0, np.int64)
    kept_chars = kept["n_chars"].to_numpy() if kept is not None else np.zeros(0, np.int64)
    read_mask = np.array(rej["step"].to_pylist()) != "read" if rej is not None else np.zeros(0, bool)
    rej_chars = rej["n_chars"].to_numpy() if rej is not None else np.zeros(0, np.int64)

    fig = {"totals": _totals(manifest), "folders": _folders(manifest, kept, rej, kept_chars, kept_removed,
                                                              rej_chars, rej_removed)}
    fc = fig["folders"]
    fig["totals"].update({k: sum(f[k] for f in fc) for k in ("chars_in", "chars_kept", "chars_removed", "chars_rejected")})
    fig["steps"] = {name: {"docs_changed": s["docs_changed"], "docs_dropped": s["docs_dropped"],
                           "chars_removed": s["chars_removed"], "seconds": s.get("seconds", 0.0),
                           "rules": {r: v["chars"] for r, v in s.get("rules", {}).items()}}
                    for name, s in manifest.get("steps", {}).items()}
    if rej is not None:
        per = pa.table({"reason": rej["reason"], "n": pa.array(rej_chars + rej_removed)}).group_by("reason").aggregate([("n", "sum")])
        fig["totals"]["chars_by_reason"] = dict(sorted(zip(per["reason"].to_pylist(), per["n_sum"].to_pylist())))
    else:
        fig["totals"]["chars_by_reason"] = {}
    fig["removed_by_rule"] = [{"step": st, "rule": r, "chars": n} for (st, r), n in sorted(by_rule.items())]
    before = np.concatenate([kept_chars + kept_removed, (rej_chars + rej_removed)[read_mask]])
    signals = _signal_panels(manifest, kept, rej)
    kept_rows = samples["data"].result()
    return {
        "manifest": manifest,
        "figures": fig,
        "lengths": (before, kept_chars),
        "scripts": _scripts(kept, kept_rows),
        "signals": signals,
        "clusters": _cluster_sizes(kept),
        "crossdoc": manifest.get("crossdoc_top", {}),
        "sample": _sample(kept_rows, samples["rejected"].result()),
    }


def _totals(manifest: dict) -> dict:
    t = manifest["totals"]
    return {"inputs": t["inputs"], "docs_in": t["docs_in"], "kept": t["kept"], "rejected": dict(t["rejected"]),
            "errored": dict(t["errored"]), "failed_inputs": t["failed_inputs"], "bytes_in": t["bytes_in"],
            "bytes_out": t.get("bytes_out", 0)}


def _folders(manifest, kept, rej, kept_chars, kept_removed, rej_chars, rej_removed) -> list[dict]:
    inputs = {r["source"]: r for r in manifest["inputs"]}
    names = set(inputs)
    rows: dict[str, dict] = {}
    for rel, r in inputs.items():
        f = rows.setdefault(folder_of(rel), {"folder": folder_of(rel), "inputs": 0, "docs_in": 0, "kept": 0,
                                             "rejected": Counter(), "errored": Counter(), "failed_inputs": 0,
                                             "chars_kept": 0, "chars_removed": 0, "chars_rejected": 0})
        f["inputs"] += 1
        if r["status"] != "ok":
            f["failed_inputs"] += 1
            continue
        f["docs_in"] += r["docs_in"]
        f["kept"] += r["kept"]
        f["rejected"].update(r["rejected"])
        f["errored"].update(r["errored"])

    @cache
    def folder(source: str) -> str:
        rel = input_of(source, names)
        return folder_of(rel) if rel is not None else "."

    def add(table, sums: dict[str, np.ndarray]) -> None:
        if table is None:
            return
        names = [folder(s) for s in table["source"].to_pylist()]
        t = pa.table({"folder": names, **{k: pa.array(v) for k, v in sums.items()}})
        t = t.group_by("folder", use_threads=False).aggregate([(k, "sum") for k in sums])
        for i, name in enumerate(t["folder"].to_pylist()):
            row = rows.setdefault(name, {"folder": name, "inputs": 0, "docs_in": 0, "kept": 0, "rejected": Counter(),
                                         "errored": Counter(), "failed_inputs": 0, "chars_kept": 0,
                                         "chars_removed": 0, "chars_rejected": 0})
            for k in sums:
                row[k] += t[f"{k}_sum"][i].as_py()

    add(kept, {"chars_kept": kept_chars, "chars_removed": kept_removed})
    add(rej, {"chars_rejected": rej_chars + rej_removed})
    result = []
    for name in sorted(rows):
        f = rows[name]
        f["rejected"], f["errored"] = dict(sorted(f["rejected"].items())), dict(sorted(f["errored"].items()))
        f["chars_in"] = f["chars_kept"] + f["chars_removed"] + f["chars_rejected"]
        result.append(f)
    return result


def _scripts(kept: pa.Table | None, rows: pa.Table | None) -> dict[str, Any]:
    """Script before conversion (the ``script`` column, every kept page) and of the kept text (the row sample)."""
    from transforms.script import SAMPLE, detect

    if kept is None or rows is None:
        return {"before": {}, "after": {}, "after_pages": 0}
    heads = pc.utf8_slice_codeunits(rows["text"], 0, SAMPLE + 1).to_pylist()
    before = Counter(s or "none" for s in kept["script"].to_pylist())
    return {"before": dict(before), "after": dict(Counter(detect(t) for t in heads)), "after_pages": len(heads)}


def _row_sample(out: str, folder: str) -> pa.Table | None:
    """Whole row groups, one per part in a fixed order, up to ``SAMPLE_ROWS`` rows: the text column is most of
    the data, and reading every page's text would cost more than the rest of the report."""
    import pyarrow.parquet as pq

    cols = ["id", "source", "url", "title", "text", "n_chars", "removed"]
    cols += ["reason", "step", "value", "duplicate_of"] if folder == "rejected" else []
    tables, rows = [], 0
    for url in list_files(join(out, folder), "part-*.parquet"):
        fs, path = fs_path(url)
        with fs.open(path, "rb") as f:
            pf = pq.ParquetFile(f)
            groups = sorted(range(pf.num_row_groups), key=lambda g: xxhash.xxh3_64_intdigest(f"{url.rsplit('/', 1)[-1]}:{g}".encode(), seed=SEED))
            if groups and rows < SAMPLE_ROWS:
                t = pf.read_row_group(groups[0], columns=cols)
                tables.append(t)
                rows += t.num_rows
    return pa.concat_tables(tables) if tables else None


def _signal_panels(manifest: dict, kept: pa.Table | None, rej: pa.Table | None) -> list[dict]:
    from transforms.quality import _CHECKS

    cfg = next((s for s in manifest.get("recipe", {}).get("steps", []) if s.get("step") == "quality"), None)
    rejected = manifest["totals"]["rejected"]
    reached = (kept.num_rows if kept is not None else 0) + sum(
        v for k, v in rejected.items() if k.startswith("quality:") or k in ("duplicate", "empty"))
    names = sorted({signal for signal, _, _ in _CHECKS})
    # Only pages the quality step saw: it sets n_lines on every page it checks.
    seen = [t.select(names).filter(pc.is_valid(t["n_lines"])) for t in (kept, rej) if t is not None]
    panels = []
    for signal, field, kind in _CHECKS:
        limit = cfg.get(field) if cfg and cfg.get("enabled", True) else None
        if any(p["name"] == signal for p in panels):
            if limit is not None:  # a second check on one signal (min and max punct_ratio): mark the one in use
                p = next(p for p in panels if p["name"] == signal)
                if p["limit"] is None:
                    p.update(limit=limit, kind=kind)
            continue
        parts = [t[signal].to_numpy(zero_copy_only=False) for t in seen]
        values = np.concatenate(parts).astype(float) if parts else np.zeros(0)
        n = rejected.get(f"quality:{signal}", 0)
        panels.append({"name": signal, "values": values[~np.isnan(values)], "limit": limit, "kind": kind,
                       "rejected": n, "share": n / reached if reached else 0.0, "log": signal in LOG_SIGNALS})
    return panels


def _cluster_sizes(kept: pa.Table | None) -> np.ndarray:
    """Sizes of the duplicate clusters: one kept representative each, with ``cluster_size`` > 1."""
    if kept is None:
        return np.zeros(0, np.int64)
    sizes = pc.drop_null(kept["cluster_size"])
    return sizes.filter(pc.greater(sizes, 1)).to_numpy().astype(np.int64)


def _sample(kept: pa.Table | None, rej: pa.Table | None) -> list[dict]:
    """A fixed-seed sample: kept pages that had something removed, and rejected pages (not read errors),
    taken in turn from each input folder so that one big folder does not fill it."""
    pages = []
    for table, folder, n in ((kept, "data", N_SAMPLE_KEPT), (rej, "rejected", N_SAMPLE_REJECTED)):
        if table is None:
            continue
        keep = pc.not_equal(table["removed"], "[]") if folder == "data" else pc.not_equal(table["step"], "read")
        rows = pc.indices_nonzero(pc.fill_null(keep, True))
        ids, sources = table["id"].take(rows).to_pylist(), table["source"].take(rows).to_pylist()
        turn: Counter = Counter()
        order = []
        for i in _rank(ids):  # round-robin over folders: the k-th page of each folder comes before any (k+1)-th
            key = folder_of(sources[i])
            order.append((turn[key], i))
            turn[key] += 1
        picked = [rows[i].as_py() for _, i in sorted(order, key=lambda x: x[0])[:n]]
        # Only the picked rows are copied: a one-row slice copies nothing, and ``take`` first cost ~0.1 s a run.
        pages += [{**table.slice(i, 1).to_pylist()[0], "folder": folder} for i in picked]
    return pages


# ---------------------------------------------------------------- rendering


def _fmt(n: float) -> str:
    return f"{n:,}" if isinstance(n, int) else f"{n:,.1f}"


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n / 2**10:,.1f} KB"


def _pct(a: int, b: int) -> str:
    return f"{a / b:.1%}" if b else "–"


def _reasons(d: dict[str, int], top: int | None = None) -> str:
    items = sorted(d.items(), key=lambda kv: -kv[1])
    more = f" · {len(items) - top} more" if top is not None and len(items) > top else ""
    return " · ".join(f"{k} {v:,}" for k, v in items[:top]) + more or "–"


def render(facts: dict) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("flows", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(fmt=_fmt, mb=_mb, reasons=_reasons)
    env.globals.update(pct=_pct, sum=sum)
    m = facts["manifest"]
    fig = facts["figures"]
    rule_rows = [(x["step"], x["rule"], x["chars"]) for x in fig["removed_by_rule"]]
    svg = {
        "lengths": charts.lengths(*facts["lengths"]),
        "removed": charts.removed(rule_rows),
        "scripts": charts.scripts(facts["scripts"]["before"], facts["scripts"]["after"]),
        "signals": charts.signals(facts["signals"]),
        "clusters": charts.clusters(facts["clusters"]),
    }
    crossdoc = sorted(facts["crossdoc"].items(), key=lambda kv: (-max((x["pages"] for x in kv[1]), default=0), kv[0]))
    return env.get_template("report.html.j2").render(
        m=m, fig=fig, t=fig["totals"], svg=svg, crossdoc=crossdoc, sample=[_page(p) for p in facts["sample"]],
        recipe=yaml.safe_dump(m.get("recipe", {}), allow_unicode=True, sort_keys=False),
        figures_json=json.dumps(fig, ensure_ascii=False, sort_keys=True).replace("</", "<\\/"),
        scripts=facts["scripts"], n_clusters=len(facts["clusters"]), dups=sum(int(s) - 1 for s in facts["clusters"]),
        quality_reached=facts["signals"],
    )


def _page(p: dict) -> dict:
    """A sampled page for the template: its removals in the order the steps made them, and its text."""
    removed = json.loads(p["removed"])
    text = p["text"]
    return {**p, "removals": removed, "shown": text[:SAMPLE_CHARS], "cut": max(0, len(text) - SAMPLE_CHARS),
            "removed_chars": sum(len(r["text"]) for r in removed)}


def write_report(out: str) -> dict[str, Any]:
    """Write OUT/report.html from the run's outputs; return its path, size and the seconds it took."""
    t0 = time.perf_counter()
    facts = collect(out)
    page = render(facts).encode("utf-8")
    url = join(out.rstrip("/"), "report.html")
    with atomic_open(url) as f:
        f.write(page)
    return {"path": url, "bytes": len(page), "seconds": round(time.perf_counter() - t0, 2), "figures": facts["figures"]}



def write_all(out: str) -> dict[str, Any]:
    """report.html and dataset_card.md, both from the run's outputs."""
    from flows.card import write_card

    info = write_report(out)
    info["card"] = write_card(out)
    return info


def finish(out: str) -> dict[str, Any] | None:
    """End of a flow run: write the report and the card, and attach them to the run in the Prefect UI.

    A report that cannot be written is a warning: the dataset and its manifest are already in place.
    """
    from prefect import get_run_logger

    logger = get_run_logger()
    try:
        info = write_all(out)
    except Exception:  # noqa: BLE001 - the report is a view of outputs already written
        logger.warning("could not write report.html", exc_info=True)
        return None
    logger.info("report: %s (%.1f KB, %.1f s)", info["path"], info["bytes"] / 1024, info["seconds"])
    try:
        _artifacts(out, info)
    except Exception:  # noqa: BLE001
        logger.warning("could not publish the report artifacts", exc_info=True)
    return info


def _artifacts(out: str, info: dict) -> None:
    import os

    from prefect.artifacts import create_link_artifact, create_table_artifact

    path = info["path"]
    link = path if "://" in path else "file://" + os.path.abspath(path)
    create_link_artifact(key="qingxi-report", link=link, link_text="report.html",
                         description=f"qingxi run report ({info['bytes'] / 1024:,.0f} KB); card: {info['card']}")
    fig = info["figures"]
    rows = [{"folder": f["folder"], "inputs": f["inputs"], "docs_in": f["docs_in"], "kept": f["kept"],
             "rejected": sum(f["rejected"].values()), "errored": sum(f["errored"].values()),
             "chars_in": f["chars_in"], "chars_kept": f["chars_kept"]} for f in fig["folders"]]
    create_table_artifact(key="qingxi-counts-by-folder", table=rows,
                          description="pages and characters in, kept, rejected and errored per input folder")

