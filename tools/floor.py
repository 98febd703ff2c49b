"""The floor, measured: map, reduce and apply in this process on one input, every step off by default.
Run before the first Prefect import, the process's CPU time is the phases' own.

    python -m tools.floor INPUT WORK [--set step.x=y] [--steps] [--profile out.html]
    python -m tools.floor --compare WORK_A WORK_B
    python -m tools.floor --compare-rows WORK_A WORK_B

Prints seconds per phase and MB/s per core (one process, one shard after another). ``--steps`` keeps the
recipe's steps on. ``--compare`` checks that two runs wrote the same data/ and rejected/ files, byte for byte; ``--compare-rows``
that they wrote the same rows in the same order, however they were cut into shards.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

FLOOR_OFF = "enabled=false"


def run(data: str, work: str, overrides: list[str], profile: str | None) -> dict:
    from flows import stages
    from flows.manifest import step_stats
    from flows.plan import discover, plan_shards
    from flows.recipe import load_recipe
    from transforms.steps import STEP_ORDER

    shutil.rmtree(work, ignore_errors=True)
    rec = load_recipe(None, overrides)
    resolved = rec.resolved()
    files = discover([data])
    shards = plan_shards(files, rec.digest())
    size = sum(f.size for f in files)
    w, reduce_out = f"{work}/_work", f"{work}/_work/reduce"
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
    t = {"start": time.perf_counter()}
    cpu0 = time.process_time()  # the machine is shared: CPU seconds say more than wall seconds
    maps = [stages.map_shard(s, w, resolved) for s in shards]
    t["map"] = time.perf_counter()
    stages.reduce_serial(w, maps, resolved, reduce_out, stages.reduce_size(files, maps))
    t["reduce"] = time.perf_counter()
    applies = [stages.apply_shard(s, w, reduce_out, work, resolved) for s in shards]
    t["apply"] = time.perf_counter()
    cpu = time.process_time() - cpu0
    if profiler:
        profiler.stop()
        Path(profile).write_text(profiler.output_text(unicode=True, show_all=False))
    total = t["apply"] - t["start"]
    # The steps' own seconds (a corpus step's keys included) and what is left: reading, staging, key files, writing.
    steps = {k: round(v["seconds"], 2) for k, v in sorted(step_stats(maps + applies).items())}
    return {
        "mb": round(size / 2**20, 1), "shards": len(shards), "enabled": [s for s in STEP_ORDER if rec.enabled(s)],
        "seconds": {p: round(t[p] - t[q], 2) for q, p in zip(t, list(t)[1:])} | {"total": round(total, 2)},
        "mb_per_s": round(size / 2**20 / total, 2), "cpu_seconds": round(cpu, 2),
        "mb_per_cpu_s": round(size / 2**20 / cpu, 2), "rows": sum(a["rows"] for a in applies),
        "step_seconds": steps, "other_seconds": round(total - sum(steps.values()), 2),
    }


def digests(work: str) -> dict[str, str]:
    root = Path(work)
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for sub in ("data", "rejected") for p in sorted((root / sub).glob("*.parquet"))}


def rows(work: str) -> dict[str, tuple]:
    """The data/ and rejected/ tables, each the concatenation of its parts in name order: (schema, rows, digest).
    Runs cut into different shards write different part files holding the same rows in the same order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = {}
    for sub in ("data", "rejected"):
        parts = sorted((Path(work) / sub).glob("*.parquet"))
        t = pa.concat_tables([pq.read_table(p) for p in parts]) if parts else None
        h = hashlib.sha256()
        for batch in (t.to_batches(max_chunksize=4096) if t is not None else []):
            for row in batch.to_pylist():  # row by row: batch boundaries follow the part files
                h.update(json.dumps(row, ensure_ascii=False, default=str).encode() + b"\n")
        out[sub] = (str(t.schema) if t is not None else None, t.num_rows if t is not None else 0, h.hexdigest())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs=2)
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--steps", action="store_true", help="keep the recipe's steps (default: every step off)")
    ap.add_argument("--profile")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--compare-rows", action="store_true",
                    help="check that two runs wrote the same rows in the same order, whatever their part files")
    args = ap.parse_args()
    if args.compare_rows:
        a, b = (rows(p) for p in args.paths)
        same = a == b and any(n for _, n, _ in a.values())
        print(json.dumps({"same": same, "rows": {k: v[1] for k, v in a.items()},
                          "differ": [k for k in a if a[k] != b[k]]}))
        sys.exit(0 if same else 1)
    if args.compare:
        a, b = (digests(p) for p in args.paths)
        same = a == b and bool(a)
        print(json.dumps({"same": same, "files": len(a), "differ": sorted(k for k in a.keys() | b.keys()
                                                                             if a.get(k) != b.get(k))}))
        sys.exit(0 if same else 1)
    from transforms.steps import STEP_ORDER

    overrides = [] if args.steps else [f"{s}.{FLOOR_OFF}" for s in STEP_ORDER]
    print(json.dumps(run(args.paths[0], args.paths[1], overrides + args.set, args.profile)))


if __name__ == "__main__":
    main()
