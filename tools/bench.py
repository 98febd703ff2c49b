"""``make bench``: throughput and peak memory on the hkcnews scale set.

Each measured phase runs in its own process, so its peak RSS is its own. Phases call the same stage
functions the Prefect tasks call, one shard after another on one core, so MB/s is per core.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

from transforms.steps import STEP_ORDER

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus-dev"
ARCHIVE = CORPUS / "scale" / "hkcnews_dev.tar.xz"
CACHE = ROOT / "bench" / "cache"
FLOOR = [f"{s}.enabled=false" for s in STEP_ORDER]  # every step off: reading and writing only


def extract(pages: int | None, mb: float | None) -> Path:
    """Unpack the first pages of the archive once; later runs reuse the folder."""
    if not ARCHIVE.exists():
        sys.exit(f"bench: {ARCHIVE} is missing; the benchmark needs ../shared/corpus-dev beside the repo")
    name = f"hkcnews-{pages}p" if pages else f"hkcnews-{mb:g}mb"
    dest = CACHE / name
    if (dest / ".done").exists():
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    n = size = 0
    with tarfile.open(ARCHIVE, "r|xz") as tar:
        for m in tar:
            if not m.isfile() or not m.name.endswith(".md"):
                continue
            if (pages and n >= pages) or (mb and size >= mb * 2**20):
                break
            target = dest / m.name.split("/", 1)[-1]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(m).read())
            n, size = n + 1, size + m.size
    (dest / ".done").write_text(f"{n} {size}\n")
    return dest


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(phase: str, data: Path, work: Path, overrides: list[str]) -> dict:
    """One phase in this process: every shard in turn."""
    from flows import stages
    from flows.manifest import step_stats
    from flows.plan import discover, plan_shards
    from flows.recipe import load_recipe

    rec = load_recipe(None, overrides)
    resolved = rec.resolved()
    shards = plan_shards(discover([str(data)]), rec.digest())
    t0 = time.perf_counter()
    results = []
    if phase == "map":
        results = [stages.map_shard(s, str(work / "_work"), resolved) for s in shards]
    elif phase == "reduce":
        maps = [json.loads((work / "_work" / "map" / s.key / "result.json").read_text()) for s in shards]
        total = sum(f.size for s in shards for f in s.files)
        results = [stages.reduce_serial(str(work / "_work"), maps, resolved, str(work / "_work" / "reduce"), total)]
    elif phase == "apply":
        results = [stages.apply_shard(s, str(work / "_work"), str(work / "_work" / "reduce"), str(work), resolved)
                   for s in shards]
    return {"phase": phase, "seconds": round(time.perf_counter() - t0, 2), "peak_rss_mb": round(peak_rss_mb(), 1),
            "shards": len(shards), "steps": step_stats(results), "results": results if phase != "map" else []}


def measure(name: str, data: Path, overrides: list[str]) -> dict:
    work = CACHE / "runs" / name
    subprocess.run(["rm", "-rf", str(work)], check=True)
    n_docs, n_bytes = map(int, (data / ".done").read_text().split())
    phases = []
    for phase in ("map", "reduce", "apply"):
        cmd = [sys.executable, "-m", "tools.bench", "--phase", phase, "--data", str(data), "--work", str(work),
               *sum((["--set", o] for o in overrides), [])]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode:
            sys.exit(f"bench {name}/{phase} failed:\n{res.stderr[-3000:]}")
        phases.append(json.loads(res.stdout.strip().splitlines()[-1]))
    seconds = sum(p["seconds"] for p in phases)
    steps: dict[str, float] = {}
    for p in phases:
        for k, v in p["steps"].items():
            steps[k] = steps.get(k, 0) + v.get("seconds", 0)
    kept = sum(r.get("rows", 0) for p in phases for r in p["results"] if isinstance(r, dict))
    rejected: Counter = Counter()
    for p in phases:
        for r in p["results"]:
            for v in r.get("inputs", {}).values():
                rejected.update(v.get("rejected", {}))
    crossdoc_stats = next((p["steps"]["crossdoc"] for p in phases if "crossdoc" in p["steps"]), {})
    from flows.manifest import crossdoc_top

    top = crossdoc_top(str(work / "_work" / "reduce"), per_site=10)
    return {"name": name, "docs": n_docs, "mb": round(n_bytes / 2**20, 1), "seconds": round(seconds, 2),
            "mb_per_s_per_core": round(n_bytes / 2**20 / seconds, 2), "docs_per_s": round(n_docs / seconds, 1),
            "peak_rss_mb": max(p["peak_rss_mb"] for p in phases), "kept": kept,
            "rejected": dict(rejected.most_common()),
            "crossdoc_lines_removed": crossdoc_stats.get("rules", {}).get("repeated_line", {}).get("lines", 0),
            "crossdoc_top": top,
            "phases": {p["phase"]: {"seconds": p["seconds"], "peak_rss_mb": p["peak_rss_mb"]} for p in phases},
            "step_seconds": {k: round(v, 2) for k, v in sorted(steps.items())}}


def table(results: list[dict]) -> str:
    lines = ["| run | docs | MB | s | MB/s/core | docs/s | peak RSS MB | map s / MB | reduce s / MB | apply s / MB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ph = [f"{r['phases'][p]['seconds']} / {r['phases'][p]['peak_rss_mb']:.0f}" for p in ("map", "reduce", "apply")]
        lines.append(f"| {r['name']} | {r['docs']} | {r['mb']} | {r['seconds']} | {r['mb_per_s_per_core']} | "
                     f"{r['docs_per_s']} | {r['peak_rss_mb']} | {' | '.join(ph)} |")
    for r in results:
        if r["step_seconds"]:
            total = r["seconds"]
            shares = ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(r["step_seconds"].items(), key=lambda x: -x[1]))
            lines.append(f"\n{r['name']}: share of time per step: {shares}")
    return "\n".join(lines)


def render(path: Path) -> str:
    """The Markdown table of a results JSON written earlier."""
    summary = json.loads(path.read_text())
    return (f"Machine: {summary['machine']}. Default recipe at {summary['default_vs_floor']:.0%} of the floor.\n\n"
            f"{table(summary['runs'])}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=50.0, help="first MB of the archive (default 50)")
    ap.add_argument("--pages", type=int, default=None, help="first N pages instead of --mb")
    ap.add_argument("--phase")
    ap.add_argument("--data")
    ap.add_argument("--work")
    ap.add_argument("--set", action="append", default=[])
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, Path(args.data), Path(args.work), args.set)))
        return
    data = extract(args.pages, None if args.pages else args.mb)
    results = [measure("floor", data, FLOOR), measure("default", data, [])]
    floor, default = results
    summary = {"machine": f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB",
               "runs": results, "default_vs_floor": round(default["mb_per_s_per_core"] / floor["mb_per_s_per_core"], 3)}
    out = ROOT / "bench"
    out.mkdir(exist_ok=True)
    tag = f"-{args.pages}p" if args.pages else ""
    (out / f"results{tag}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    md = render(out / f"results{tag}.json")
    (out / f"results{tag}.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
