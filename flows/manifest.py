"""Turn task results into manifest.json and the run summary."""

from __future__ import annotations

import importlib.metadata as md
import posixpath
import re
from collections import Counter
from typing import Any

from flows.io.storage import fs_path, join, list_files, read_table, remove, write_json
from transforms.document import StepStats

# The only files a run ever writes under data/ and rejected/, hence the only ones it may delete.
PART_NAME = re.compile(r"part-\d{5}(-\d+)?\.parquet")
OWN_TOP = {"data", "rejected", "_work", "manifest.json", "qingxi.log", "report.html", "dataset_card.md"}

DEPENDENCIES = ("prefect", "pyarrow", "ftfy", "opencc", "trafilatura", "charset-normalizer", "rensa",
                "xxhash", "fastwarc", "pydantic", "dask", "prefect-dask")


def version() -> str:
    return md.version("qingxi")


def versions() -> dict[str, str]:
    out = {"qingxi": version()}
    for name in DEPENDENCIES:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    return out


def account(shards: list[dict], maps: dict[int, dict], applies: dict[int, dict], failed: dict[int, str]) -> list[dict]:
    """One row per input file: docs_in == kept + rejected + errored, or the shard that failed. A file cut
    into pieces sums its shards' counts, and fails if one of them did."""
    rows: dict[str, dict] = {}
    for shard in shards:
        m, a = maps.get(shard["index"]), applies.get(shard["index"])
        for f in shard["files"]:
            row = {"source": f["rel"], "size": f["size"], "fingerprint": f["fingerprint"], "shard": shard["index"]}
            if m is None or a is None:
                row.update(status="failed", error=failed.get(shard["index"], "not run"))
            else:
                mi, ai = m["inputs"][f["rel"]], a["inputs"].get(f["rel"], {"kept": 0, "rejected": {}})
                row.update(status="ok", docs_in=mi["docs_in"], kept=ai["kept"],
                           rejected=dict(sorted(ai["rejected"].items())), errored=dict(sorted(mi["errored"].items())))
            prev = rows.get(f["rel"])
            rows[f["rel"]] = row if prev is None else _add_piece(prev, row)
    return list(rows.values())


def _add_piece(row: dict, piece: dict) -> dict:
    """The row of a file so far, plus one more of its pieces."""
    row = {**row, "shards": row.get("shards", [row["shard"]]) + [piece["shard"]]}
    if row["status"] != "ok" or piece["status"] != "ok":
        failed = next(r for r in (row, piece) if r["status"] != "ok")
        keep = ("source", "size", "fingerprint", "shard", "shards")
        return {**{k: row[k] for k in keep}, "status": "failed", "error": failed["error"]}
    row["docs_in"] += piece["docs_in"]
    row["kept"] += piece["kept"]
    for k in ("rejected", "errored"):
        row[k] = dict(sorted((Counter(row[k]) + Counter(piece[k])).items()))
    return row


def step_stats(results: list[dict]) -> dict[str, Any]:
    merged: dict[str, StepStats] = {}
    for r in results:
        for name, d in r.get("stats", {}).items():
            merged.setdefault(name, StepStats()).merge(StepStats.from_dict(d))
    return {k: v.to_dict() for k, v in merged.items()}


def crossdoc_top(reduce_out: str, per_site: int = 10) -> dict[str, list[dict]]:
    """The lines removed from the most pages, per site, for auditing crossdoc."""
    by_site: dict[str, list] = {}
    for url in list_files(reduce_out, "crossdoc-*.parquet"):
        t = read_table(url, ["site", "n_pages", "text"])
        for s, n, text in zip(t["site"].to_pylist(), t["n_pages"].to_pylist(), t["text"].to_pylist()):
            by_site.setdefault(s, []).append((-n, text))
    return {s: [{"pages": -n, "text": t} for n, t in sorted(v)[:per_site]] for s, v in sorted(by_site.items())}


def totals(rows: list[dict]) -> dict[str, Any]:
    t = {"inputs": len(rows), "docs_in": 0, "kept": 0, "rejected": Counter(), "errored": Counter(), "bytes_in": 0}
    for r in rows:
        t["bytes_in"] += r["size"]
        if r["status"] == "ok":
            t["docs_in"] += r["docs_in"]
            t["kept"] += r["kept"]
            t["rejected"].update(r["rejected"])
            t["errored"].update(r["errored"])
    t["rejected"], t["errored"] = dict(sorted(t["rejected"].items())), dict(sorted(t["errored"].items()))
    t["failed_inputs"] = sum(r["status"] != "ok" for r in rows)
    return t


def prune(out: str, work: str, keep_files: set[str], keep_keys: set[str], n_shards: int,
          keep_cut: set[str] = frozenset()) -> None:
    """Remove outputs of inputs that are gone, so OUT holds exactly this run's dataset."""
    for folder in ("data", "rejected"):
        for url in list_files(join(out, folder), "*.parquet"):
            name = url.rsplit("/", 1)[-1]
            if PART_NAME.fullmatch(name) and f"{folder}/{name}" not in keep_files:
                remove(url)
    for url in list_files(join(work, "map"), "*"):
        if url.rstrip("/").rsplit("/", 1)[-1] not in keep_keys:
            remove(url)
    for url in list_files(join(work, "cut"), "*"):  # decompressed copies of inputs that are gone or changed
        if url.rsplit("/", 1)[-1] not in keep_cut:
            remove(url)
    for url in list_files(join(work, "report"), "*.parquet"):  # the report's share of parts that are gone
        folder, name = url.rsplit("/", 1)[-1].split("-", 1)
        if f"{folder}/{name}" not in keep_files:
            remove(url)
    for url in list_files(join(work, "apply"), "part-*.json"):
        if int(url.rsplit("part-", 1)[-1][:5]) >= n_shards:
            remove(url)


def foreign_files(out: str) -> list[str]:
    """Files under OUT that no run of qingxi writes: a user's, which a run must not mix with its own."""
    fs, path = fs_path(out)
    if not fs.exists(path):
        return []
    found = []
    for entry in sorted(fs.ls(path, detail=False)):
        name = posixpath.basename(entry.rstrip("/"))
        if name.startswith("."):
            continue
        if name not in OWN_TOP:
            found.append(name)
        elif name in ("data", "rejected") and fs.isdir(entry):
            found += [f"{name}/{posixpath.basename(f)}" for f in sorted(fs.ls(entry, detail=False))
                      if not posixpath.basename(f).startswith(".") and not PART_NAME.fullmatch(posixpath.basename(f))]
    return found


def write_manifest(out: str, manifest: dict) -> None:
    write_json(join(out, "manifest.json"), manifest)
