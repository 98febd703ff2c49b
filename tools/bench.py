"""``make bench``: throughput and peak memory on the hkcnews scale set, by default its first 15,000 pages
as one JSONL file.

The recipes (the floor with every step off, the default, and Data-Juicer's recipe) run phase by phase,
each phase in its own process so its peak RSS is its own; phases call the same stage functions the Prefect
tasks call, one shard after another on one core, so MB/s is per core. Then the real CLI runs the default
recipe with --workers 1 and 2 on the same file, timed from process start, with the peak RSS of the whole
process tree (the temporary Prefect server included, unless PREFECT_API_URL points at a standing one).
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
# ../shared/corpus-dev beside the repo, or beside a folder of worktrees.
CORPUS = next((d / "shared" / "corpus-dev" for d in ROOT.parents if (d / "shared" / "corpus-dev").exists()),
              ROOT.parent / "shared" / "corpus-dev")
ARCHIVE = CORPUS / "scale" / "hkcnews_dev.tar.xz"
CACHE = ROOT / "bench" / "cache"
FLOOR = [f"{s}.enabled=false" for s in STEP_ORDER]  # every step off: reading and writing only
# Data-Juicer's recipe: fix_unicode, t2s, punctuation, whitespace, a length filter, exact dedup.
DJ = [*(f"{s}.enabled=false" for s in ("boilerplate", "crossdoc")), "dedup.near=false",
      *(f"quality.{k}=null" for k in ("max_fffd", "min_han_ratio", "max_punct_ratio", "min_mean_line_chars",
                                      "max_dup_line_frac", "max_top_ngram_frac", "max_no_terminal_frac"))]


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


def extract_jsonl(pages: int) -> Path:
    """The first pages as one JSONL file (front matter fields beside the body), built once."""
    from flows.io.readers import split_front_matter

    dest = CACHE / f"hkcnews-{pages}p-jsonl"
    if (dest / ".done").exists():
        return dest
    src = extract(pages, None)
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(dest / "hkcnews.jsonl.tmp", "w", encoding="utf-8") as out:
        for path in sorted(p for p in src.rglob("*.md")):
            fields, body, _ = split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
            record = {k: v for k, v in fields.items() if isinstance(v, (str, int, float, bool))}
            out.write(json.dumps({**record, "text": body}, ensure_ascii=False) + "\n")
            n += 1
    (dest / "hkcnews.jsonl.tmp").rename(dest / "hkcnews.jsonl")
    (dest / ".done").write_text(f"{n} {(dest / 'hkcnews.jsonl').stat().st_size}\n")
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
    t0, c0 = time.perf_counter(), time.process_time()
    results = []
    if phase == "map":
        results = [stages.map_shard(s, str(work / "_work"), resolved) for s in shards]
    elif phase == "reduce":
        maps = [json.loads((work / "_work" / "map" / s.key / "result.json").read_text()) for s in shards]
        total = sum({f.rel: f.size for s in shards for f in s.files}.values())
        results = [stages.reduce_serial(str(work / "_work"), maps, resolved, str(work / "_work" / "reduce"), total)]
    elif phase == "apply":
        results = [stages.apply_shard(s, str(work / "_work"), str(work / "_work" / "reduce"), str(work), resolved)
                   for s in shards]
    return {"phase": phase, "seconds": round(time.perf_counter() - t0, 2), "peak_rss_mb": round(peak_rss_mb(), 1),
            "cpu_seconds": round(time.process_time() - c0, 2),
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
    cpu = sum(p.get("cpu_seconds", 0) for p in phases)  # steadier than wall time on a shared machine
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
            "cpu_seconds": round(cpu, 2), "mb_per_cpu_s": round(n_bytes / 2**20 / cpu, 2) if cpu else None,
            "peak_rss_mb": max(p["peak_rss_mb"] for p in phases), "kept": kept,
            "rejected": dict(rejected.most_common()),
            "crossdoc_lines_removed": crossdoc_stats.get("rules", {}).get("repeated_line", {}).get("lines", 0),
            "crossdoc_top": top,
            "phases": {p["phase"]: {"seconds": p["seconds"], "peak_rss_mb": p["peak_rss_mb"]} for p in phases},
            "step_seconds": {k: round(v, 2) for k, v in sorted(steps.items())}}


def tree_rss(pid: int) -> int:
    import psutil

    try:
        procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def measure_cli(name: str, data: Path, workers: int) -> dict:
    """The real ``qingxi run`` from process start, with the peak RSS of its process tree (sampled)."""
    import threading

    out = CACHE / "runs" / name
    subprocess.run(["rm", "-rf", str(out)], check=True)
    env = {"PREFECT_HOME": str(ROOT / ".prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90", **os.environ}
    cmd = [str(Path(sys.executable).parent / "qingxi"), "run", str(data), "--out", str(out), "--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    log = proc.communicate()[0]
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the whole tree, as each process is waited for
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    sampler.join()
    if proc.returncode:
        sys.exit(f"bench {name} failed:\n{log[-3000:]}")
    manifest = json.loads((out / "manifest.json").read_text())
    n_docs, n_bytes = map(int, (data / ".done").read_text().split())
    return {"name": name, "workers": workers, "docs": n_docs, "mb": round(n_bytes / 2**20, 1),
            "wall_seconds": round(wall, 2), "flow_seconds": manifest["seconds"], "shards": len(manifest["shards"]),
            "mb_per_s": round(n_bytes / 2**20 / wall, 2), "mb_per_s_per_core": round(n_bytes / 2**20 / wall / workers, 2),
            "peak_tree_rss_mb": round(peak[0] / 2**20, 1), "kept": manifest["totals"]["kept"],
            "cpu_seconds": round(cpu, 1), "cores_busy": round(cpu / wall, 2),
            "standing_server": bool(os.environ.get("PREFECT_API_URL"))}


def table(results: list[dict]) -> str:
    lines = ["| run | docs | MB | s | MB/s/core | CPU s | MB/CPU-s | docs/s | peak RSS MB | map s / MB | reduce s / MB "
             "| apply s / MB |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ph = [f"{r['phases'][p]['seconds']} / {r['phases'][p]['peak_rss_mb']:.0f}" for p in ("map", "reduce", "apply")]
        lines.append(f"| {r['name']} | {r['docs']} | {r['mb']} | {r['seconds']} | {r['mb_per_s_per_core']} | "
                     f"{r.get('cpu_seconds')} | {r.get('mb_per_cpu_s')} | {r['docs_per_s']} | {r['peak_rss_mb']} | "
                     f"{' | '.join(ph)} |")
    for r in results:
        total = r["seconds"]
        steps = {**r["step_seconds"], "other (read, keys, stage, write)": total - sum(r["step_seconds"].values())}
        shares = ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(steps.items(), key=lambda x: -x[1]))
        phases = ", ".join(f"{k} {v['seconds'] / total:.0%}" for k, v in r["phases"].items())
        lines.append(f"\n{r['name']}: share of time per phase: {phases}; per step: {shares}")
    return "\n".join(lines)


def render(path: Path) -> str:
    """The Markdown table of a results JSON written earlier."""
    summary = json.loads(path.read_text())
    text = f"Machine: {summary['machine']}, load average {summary.get('load', '?')} at the start.\n"
    if summary["runs"]:
        text += f"Default recipe at {summary['default_vs_floor']:.0%} of the floor.\n\n{table(summary['runs'])}\n"
    if summary.get("cli"):
        text += (f"\nThe CLI, default recipe: --workers 2 is {summary['workers_2_vs_1']:.2f}x one worker from process "
                 f"start, {summary.get('workers_2_vs_1_flow', 0):.2f}x in the flow alone.\n\n{cli_table(summary['cli'])}\n")
    return text


def cli_table(runs: list[dict]) -> str:
    lines = ["| run | workers | shards | wall s (from process start) | flow s | CPU s (tree) | cores busy | MB/s | "
             "MB/s/core | peak tree RSS MB | kept |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r['name']} | {r['workers']} | {r['shards']} | {r['wall_seconds']} | {r['flow_seconds']} | "
                     f"{r.get('cpu_seconds')} | {r.get('cores_busy')} | {r['mb_per_s']} | {r['mb_per_s_per_core']} | "
                     f"{r['peak_tree_rss_mb']} | {r['kept']} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=15000, help="first N pages (default 15000)")
    ap.add_argument("--md", action="store_true", help="the pages as .md files, not one JSONL file")
    ap.add_argument("--mb", type=float, default=None, help="with --md: the first MB of the archive instead")
    ap.add_argument("--no-cli", action="store_true", help="skip the --workers 1 and 2 runs of the CLI")
    ap.add_argument("--cli-only", action="store_true", help="only the --workers 1 and 2 runs of the CLI")
    ap.add_argument("--phase")
    ap.add_argument("--data")
    ap.add_argument("--work")
    ap.add_argument("--set", action="append", default=[])
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, Path(args.data), Path(args.work), args.set)))
        return
    if args.md:
        data = extract(None if args.mb else args.pages, args.mb)
    else:
        data = extract_jsonl(args.pages)
    machine = f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB"
    summary = {"machine": machine, "input": str(data.relative_to(ROOT)), "runs": [],
               "load": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    if not args.cli_only:
        results = [measure("floor", data, FLOOR), measure("default", data, []), measure("data-juicer recipe", data, DJ)]
        floor, default = results[:2]
        summary.update(runs=results, default_vs_floor=round(default["mb_per_s_per_core"] / floor["mb_per_s_per_core"], 3))
    if not args.no_cli:
        cli = [measure_cli("cli workers 1", data, 1), measure_cli("cli workers 2", data, 2)]
        summary["cli"] = cli
        summary["workers_2_vs_1"] = round(cli[0]["wall_seconds"] / cli[1]["wall_seconds"], 3)
        summary["workers_2_vs_1_flow"] = round(cli[0]["flow_seconds"] / cli[1]["flow_seconds"], 3)
    out = ROOT / "bench"
    out.mkdir(exist_ok=True)
    tag = ("" if not args.md and args.pages == 15000 else f"-{data.name}") + ("-cli" if args.cli_only else "")
    (out / f"results{tag}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    md = render(out / f"results{tag}.json")
    (out / f"results{tag}.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
