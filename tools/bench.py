"""``make bench``: throughput and peak memory on the hkcnews scale set, by default its first 15,000 pages
as one JSONL file.

The recipes (the floor with every step off, the default, and Data-Juicer's recipe) run phase by phase,
each phase in its own process so its peak RSS is its own; phases call the same stage functions the Prefect
tasks call, one shard after another on one core, so MB/s is per core. Then the real CLI runs the default
recipe with --workers 1 and 2 on the same file, timed from process start, with the peak RSS of the whole
process tree: first against a standing server (``prefect server start`` in the background, PREFECT_HOME in
.prefect/standing), then with the temporary server the CLI starts itself (included in the tree).
``--data-juicer VENV`` also runs Data-Juicer's own ``dj-process`` on the same file from a throwaway venv, and
the CLI on the same recipe, both from process start, in turn (``--dj-repeat N`` pairs, the median ratio quoted),
and prints issue 13's bar as measured.
``--scale`` adds the peak tree RSS on the first 10,000 pages of the hkcnews archive and on all 46,000.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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


def tree_rss(pid: int, cpu: dict | None = None) -> int:
    """RSS of a process and its descendants; ``cpu`` collects each one's CPU seconds so far, by pid."""
    import psutil

    try:
        procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
            if cpu is not None:
                t = p.cpu_times()
                cpu[p.pid] = (_role(p, pid), t.user + t.system, max(p.memory_info().rss, cpu.get(p.pid, (0, 0, 0))[2]))
        except psutil.NoSuchProcess:
            pass
    return total


def _role(p, root: int) -> str:
    if p.pid == root:
        return "flow process"
    cmd = " ".join(p.cmdline())
    return "temporary server" if "uvicorn" in cmd else "workers" if "multiprocessing" in cmd else "other"


STANDING_HOME = ROOT / ".prefect" / "standing"


class StandingServer:
    """``prefect server start`` in the background with a project-local PREFECT_HOME, as a user runs it."""

    def __enter__(self) -> str:
        import socket
        import urllib.request

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        STANDING_HOME.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PREFECT_HOME": str(STANDING_HOME), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "DO_NOT_TRACK": "1"}
        env.pop("PREFECT_API_URL", None)
        self.log = open(STANDING_HOME / "server.log", "w")
        self.proc = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host",
                                      "127.0.0.1", "--port", str(port)], env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}/api"
        for _ in range(1200):
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2):
                    return self.url
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.__exit__()
        sys.exit(f"bench: the standing Prefect server did not start; see {STANDING_HOME / 'server.log'}")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def measure_cli(name: str, data: Path, workers: int, api_url: str | None = None, size: tuple[int, int] | None = None,
                options: tuple[str, ...] = (), tree: Path | None = None) -> dict:
    """The real ``qingxi run`` from process start, with the peak RSS of its process tree (sampled), against a
    standing server at ``api_url`` or with the temporary one it starts itself. ``tree``: run the code of that
    source tree instead (``--ref``), with this venv."""
    import threading

    out = CACHE / "runs" / name
    subprocess.run(["rm", "-rf", str(out)], check=True)
    env = {"PREFECT_HOME": str(ROOT / ".prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90", **os.environ}
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    cli = [sys.executable, "-c", "from flows.cli import main; main()"] if tree else [str(Path(sys.executable).parent / "qingxi")]
    cmd = [*cli, "run", str(data.resolve()), "--out", str(out), "--workers", str(workers), *options]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0, epoch = time.perf_counter(), time.time()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tree)
    peak = [0]
    cpu_by_pid: dict[int, tuple[str, float]] = {}
    samples: list[tuple[float, dict]] = [(0.0, {})]  # (seconds from start, CPU seconds so far by role)

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid, cpu_by_pid))
            by_role: Counter = Counter()
            for role, seconds, _ in cpu_by_pid.values():
                by_role[role] += seconds
            samples.append((time.time() - epoch, dict(by_role)))
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
    n_docs, n_bytes = size or map(int, (data / ".done").read_text().split())
    roles: Counter = Counter()
    rss: dict[str, float] = {}
    for role, seconds, peak_rss in cpu_by_pid.values():
        roles[role] += seconds
        rss[role] = max(rss.get(role, 0), peak_rss / 2**20)
    return {"name": name, "workers": workers, "docs": n_docs, "mb": round(n_bytes / 2**20, 1),
            "wall_seconds": round(wall, 2), "flow_seconds": manifest["seconds"], "shards": len(manifest["shards"]),
            "phases": manifest.get("phases", {}),
            "mb_per_s": round(n_bytes / 2**20 / wall, 2), "mb_per_s_per_core": round(n_bytes / 2**20 / wall / workers, 2),
            "peak_tree_rss_mb": round(peak[0] / 2**20, 1), "kept": manifest["totals"]["kept"],
            "cpu_seconds": round(cpu, 1), "cores_busy": round(cpu / wall, 2),
            "cpu_by_role": {k: round(v, 1) for k, v in sorted(roles.items())},
            "peak_rss_mb_by_role": {k: round(v) for k, v in sorted(rss.items())},  # the largest one process of each
            "timeline": timeline(out, manifest, epoch, wall, samples), "tasks": tasks(manifest),
            "load": round(os.getloadavg()[0], 2), "server": "standing" if api_url else "temporary"}


# Data-Juicer's own ops for the same recipe, for `--data-juicer VENV` (a throwaway venv, never a dependency).
DJ_OPS = """process:
  - fix_unicode_mapper:
  - chinese_convert_mapper:
      mode: t2s
  - punctuation_normalization_mapper:
  - whitespace_normalization_mapper:
  - text_length_filter:
      min_len: 100
  - document_deduplicator:
"""


def measure_dj(venv: Path, data: Path) -> dict:
    """Data-Juicer's ``dj-process`` on the same JSONL file, one process (np 1), timed from process start.
    Its first run installs the ops' packages (ftfy, torch) itself: warm it once before quoting it."""
    work = CACHE / "runs" / "data-juicer"
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    config = work / "config.yaml"
    config.write_text(f"project_name: qingxi-bench\ndataset_path: {next(data.glob('*.jsonl')).resolve()}\n"
                      f"export_path: {work / 'out' / 'out.jsonl'}\nnp: 1\ntext_keys: text\nuse_cache: false\n"
                      f"open_tracer: false\n{DJ_OPS}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run([str(venv / "bin" / "dj-process"), "--config", str(config)], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode:
        sys.exit(f"bench data-juicer failed:\n{res.stderr[-3000:]}")
    ops = re.findall(r"OP \[(\w+)\] Done in ([\d.]+)s\. Left (\d+) samples", res.stderr + res.stdout)
    return {"wall_seconds": round(wall, 2), "cpu_seconds": round(after.ru_utime + after.ru_stime - before.ru_utime
                                                                  - before.ru_stime, 1),
            "op_seconds": {name: float(s) for name, s, _ in ops}, "kept": int(ops[-1][2]) if ops else None}


def versus_dj(venv: Path, data: Path, url: str, repeat: int, cli: list[dict]) -> dict:
    """Data-Juicer, then ``qingxi run`` on its recipe, ``repeat`` times in turn, so each pair sees the same load
    (a lone pair moved by a third on this shared machine); adds qingxi's runs to ``cli``."""
    from statistics import median, median_low

    pairs = []
    for _ in range(repeat):
        theirs = measure_dj(venv, data)
        ours = {**measure_cli("cli workers 1, data-juicer recipe", data, 1, url,
                              options=tuple(x for o in DJ for x in ("--set", o))), "recipe": "data-juicer"}
        cli.append(ours)
        pairs.append((theirs, ours))
    ratios = [t["wall_seconds"] / o["wall_seconds"] for t, o in pairs]
    return {**pairs[ratios.index(median_low(ratios))][0], "ours_wall_seconds": [o["wall_seconds"] for _, o in pairs],
            "dj_wall_seconds": [t["wall_seconds"] for t, _ in pairs], "ratio": round(median(ratios), 2)}


def done_when(summary: dict) -> list[str]:
    """Issue 13's bar, as far as this run measured it."""
    rows = []
    cli = {r["name"]: r for r in summary.get("cli", [])}
    if one := cli.get("cli workers 1"):
        rows.append(f"default recipe, 1 worker, standing server, from process start: {one['mb_per_s_per_core']} "
                    f"MB/s per core (bar 10)")
    if summary.get("runs"):
        rows.append(f"default at {summary['default_vs_floor']:.0%} of the floor (bar 50%)")
    if (dj := summary.get("data_juicer")) and "ratio" in dj:
        rows.append("Data-Juicer against qingxi's run of its recipe, from process start, in turn: "
                    + ", ".join(f"{t} s against {o} s" for t, o in zip(dj["dj_wall_seconds"], dj["ours_wall_seconds"]))
                    + f": {dj['ratio']:.1f}x, the median of {len(dj['dj_wall_seconds'])} (bar 5x)")
    elif dj and (ours := cli.get("cli workers 1, data-juicer recipe")):  # results written before --dj-repeat
        rows.append(f"Data-Juicer {dj['wall_seconds']} s from process start ({dj['cpu_seconds']} CPU s) against "
                    f"qingxi's run of its recipe {ours['wall_seconds']} s ({ours['cpu_seconds']} CPU s): "
                    f"{dj['wall_seconds'] / ours['wall_seconds']:.1f}x (bar 5x)")
    if (r := summary.get("workers_2_vs_1", {}).get("standing", {})).get("wall"):
        rows.append(f"--workers 2 against 1, standing server: {r['wall']:.2f}x (bar 1.8x)")
    if cli:
        rows.append(f"peak tree RSS {max(r['peak_tree_rss_mb'] for r in cli.values()) / 1024:.2f} GB (bar 1.5)")
    return rows


def timeline(out: Path, manifest: dict, epoch: float, wall: float, samples: list[tuple[float, dict]]) -> list[dict]:
    """The run's phases from process start: when each ended, and the CPU seconds each kind of process spent
    in it (from the sampler, to 0.2 s)."""
    from datetime import datetime

    started = datetime.fromisoformat(manifest["started"]).timestamp() - epoch
    ends = [("start: imports, checks, flow run", started)]
    ends += sorted(((k, started + v) for k, v in manifest.get("phases", {}).items()), key=lambda e: e[1])
    ends += [("manifest", (out / "manifest.json").stat().st_mtime - epoch)]
    ends += [("report + card", max((out / f).stat().st_mtime for f in ("report.html", "dataset_card.md")) - epoch)]
    ends += [("exit", wall)]

    def cpu_at(t: float) -> Counter:
        before = max((s for s in samples if s[0] <= t), key=lambda s: s[0])
        return Counter(before[1])

    rows, prev, prev_cpu = [], 0.0, Counter()
    for name, end in ends:
        now = cpu_at(end)
        rows.append({"phase": name, "end": round(end, 2), "seconds": round(end - prev, 2),
                     "cpu": {k: round(now[k] - prev_cpu[k], 1) for k in sorted(now) if now[k] - prev_cpu[k] >= 0.05}})
        prev, prev_cpu = end, now
    return rows


def tasks(manifest: dict) -> dict:
    """Per phase, each process's shard tasks: how many, busy seconds, and when its last one ended (seconds
    from the flow's start), against the phase's last end: the tail where one worker waits for another."""
    out = {}
    for phase in ("map", "apply"):
        by_pid: dict[int, list] = {}
        for s in manifest["shards"]:
            if phase in s.get("seconds", {}):
                a, b, pid = s["seconds"][phase]
                by_pid.setdefault(pid, []).append((a, b))
        if by_pid:
            end = max(b for runs in by_pid.values() for _, b in runs)
            out[phase] = [{"tasks": len(runs), "busy": round(sum(b - a for a, b in runs), 2),
                           "last_end": round(max(b for _, b in runs), 2), "idle_tail": round(end - max(b for _, b in runs), 2)}
                          for _, runs in sorted(by_pid.items())]
    return out


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
        steps = {**r["step_seconds"], "other (read, stage, key files, write)": total - sum(r["step_seconds"].values())}
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
        ratios = "; ".join(f"{k} server {v['wall']:.2f}x from process start, {v['flow']:.2f}x in the flow alone, "
                           f"CPU s 2 vs 1 worker {v.get('cpu', 0):.2f}x (median of {v.get('pairs', 1)})"
                           for k, v in summary.get("workers_2_vs_1", {}).items() if "wall" in v)
        ratios += "".join(f"; {tree}: " + ", ".join(f"{k} server {v['wall']:.2f}x from process start, {v['flow']:.2f}x "
                                                   f"in the flow (median of {v['pairs']})" for k, v in r.items())
                          for tree, r in summary.get("workers_2_vs_1", {}).items() if "wall" not in r)
        text += f"\nThe CLI, default recipe: --workers 2 against one worker: {ratios}.\n\n{cli_table(summary['cli'])}\n"
    if summary.get("data_juicer"):
        dj = summary["data_juicer"]
        text += (f"\nData-Juicer (np 1): {dj['wall_seconds']} s from process start, {dj['cpu_seconds']} CPU s, kept "
                 f"{dj['kept']}; its ops: " + ", ".join(f"{k} {v} s" for k, v in dj["op_seconds"].items()) + "\n")
    if rows := done_when(summary):
        text += "\nIssue 13's bar:\n" + "".join(f"- {r}\n" for r in rows)
    if summary.get("scale"):
        sc = summary["scale"]
        text += (f"\nScale check on {sc['archive']} (--workers {sc['workers']}): peak tree RSS "
                 f"{sc['ratio']:.2f}x from the smaller input to the larger.\n\n{cli_table(sc['runs'])}\n")
    return text


def cli_table(runs: list[dict]) -> str:
    lines = ["| run | server | workers | shards | wall s (from process start) | flow s | map/reduce/apply end s | "
             "CPU s (tree) | CPU s / largest RSS by process | cores busy | load | MB/s | MB/s/core | peak tree RSS MB | kept |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        ph = r.get("phases", {})
        ends = " / ".join(str(ph.get(k, "?")) for k in ("map", "reduce", "apply"))
        roles = ", ".join(f"{k} {v} s / {r.get('peak_rss_mb_by_role', {}).get(k, '?')} MB"
                          for k, v in r.get("cpu_by_role", {}).items())
        lines.append(f"| {r['name']} | {r.get('server', '?')} | {r['workers']} | {r['shards']} | {r['wall_seconds']} | "
                     f"{r['flow_seconds']} | {ends} | {r.get('cpu_seconds')} | {roles} | {r.get('cores_busy')} | "
                     f"{r.get('load', '?')} | {r['mb_per_s']} | {r['mb_per_s_per_core']} | {r['peak_tree_rss_mb']} | "
                     f"{r['kept']} |")
    for r in runs:
        if r.get("timeline"):
            lines.append(f"\n{r['name']}: phase (ends at s from process start; CPU s by process): " + "; ".join(
                f"{p['phase']} {p['seconds']} s (→{p['end']}; " + ", ".join(f"{k} {v}" for k, v in p["cpu"].items()) + ")"
                for p in r["timeline"]))
        for phase, slots in r.get("tasks", {}).items():
            lines.append(f"{r['name']}: {phase} tasks per process: " + "; ".join(
                f"{s['tasks']} tasks, busy {s['busy']} s, last ends {s['last_end']} s, idle tail {s['idle_tail']} s"
                for s in slots))
    return "\n".join(lines)


def scale_inputs(small: int) -> tuple[Path, Path]:
    """The whole hkcnews archive, and its first ``small`` pages as a .tar.xz of the same kind, built once."""
    import lzma

    dest = CACHE / f"hkcnews-{small}p-tar"
    if not (dest / ".done").exists():
        dest.mkdir(parents=True, exist_ok=True)
        n = 0
        with tarfile.open(ARCHIVE, "r|xz") as src, lzma.open(dest / "tmp", "wb", preset=1) as raw, \
                tarfile.open(fileobj=raw, mode="w|", format=tarfile.PAX_FORMAT) as out:
            for m in src:
                if m.isfile() and m.name.endswith(".md"):
                    if n >= small:
                        break
                    n += 1
                out.addfile(m, src.extractfile(m) if m.isfile() else None)
        (dest / "tmp").rename(dest / "hkcnews.tar.xz")
        (dest / ".done").write_text(f"{n}\n")
    whole = CACHE / "hkcnews-all-tar"
    if not (whole / "hkcnews_dev.tar.xz").exists():
        whole.mkdir(parents=True, exist_ok=True)
        (whole / "hkcnews_dev.tar.xz").symlink_to(ARCHIVE)
    return dest / "hkcnews.tar.xz", whole / "hkcnews_dev.tar.xz"


def _archive_size(path: Path) -> tuple[int, int]:
    """Pages and decompressed bytes of a .tar.xz."""
    import lzma

    n = size = 0
    with lzma.open(path) as f:
        while chunk := f.read(8 << 20):
            size += len(chunk)
    with tarfile.open(path, "r|xz") as tar:
        n = sum(1 for m in tar if m.isfile() and m.name.endswith(".md"))
    return n, size


def scale(small: int, workers: int, api_url: str | None) -> dict:
    """Peak tree RSS of the CLI on the first ``small`` pages of the archive and on all of it."""
    runs = []
    for path in scale_inputs(small):
        runs.append(measure_cli(f"scale {path.name}", path, workers, api_url, _archive_size(path)))
    return {"archive": ARCHIVE.name, "workers": workers, "runs": runs,
            "ratio": round(runs[1]["peak_tree_rss_mb"] / runs[0]["peak_tree_rss_mb"], 3)}


def _ratios(cli: list[dict]) -> dict:
    """--workers 2 against 1, per kind of server: wall from process start, and the flow alone; with
    ``--repeat``, the median of the ratios of runs made one after the other (the machine's load changes)."""
    from statistics import median

    out = {}
    cli = [r for r in cli if not r.get("recipe")]
    for server in ("standing", "temporary"):
        ones = [r for r in cli if r["server"] == server and r["workers"] == 1]
        twos = [r for r in cli if r["server"] == server and r["workers"] == 2]
        pairs = list(zip(ones, twos))
        if pairs:
            out[server] = {k: round(median(a[f] / b[f] for a, b in pairs), 3)
                           for k, f in (("wall", "wall_seconds"), ("flow", "flow_seconds"))}
            out[server]["cpu"] = round(median(b["cpu_seconds"] / a["cpu_seconds"] for a, b in pairs), 3)
            out[server]["pairs"] = len(pairs)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=15000, help="first N pages (default 15000)")
    ap.add_argument("--md", action="store_true", help="the pages as .md files, not one JSONL file")
    ap.add_argument("--mb", type=float, default=None, help="with --md: the first MB of the archive instead")
    ap.add_argument("--no-cli", action="store_true", help="skip the --workers 1 and 2 runs of the CLI")
    ap.add_argument("--cli-only", action="store_true", help="only the --workers 1 and 2 runs of the CLI")
    ap.add_argument("--repeat", type=int, default=1, help="the --workers 1 and 2 runs, this many times each")
    ap.add_argument("--ref", help="A/B: also run the CLI of this source tree (e.g. `git archive main` unpacked), "
                    "in turn with this one; implies --cli-only --no-temporary")
    ap.add_argument("--no-temporary", action="store_true", help="the CLI runs on a standing server only")
    ap.add_argument("--scale", action="store_true",
                    help="also peak tree RSS on the hkcnews archive: its first 10,000 pages and all 46,000 (slow)")
    ap.add_argument("--scale-only", action="store_true", help="only the scale check")
    ap.add_argument("--scale-workers", type=int, default=1)
    ap.add_argument("--data-juicer", metavar="VENV",
                    help="also run Data-Juicer's dj-process from this venv and the CLI on its recipe (JSONL input)")
    ap.add_argument("--dj-repeat", type=int, default=1,
                    help="with --data-juicer: this many pairs of runs (Data-Juicer, then qingxi on its recipe); "
                         "the bar quotes the median ratio")
    ap.add_argument("--phase")
    ap.add_argument("--data")
    ap.add_argument("--work")
    ap.add_argument("--set", action="append", default=[])
    args = ap.parse_args()
    if args.ref:
        args.cli_only = args.no_temporary = True
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
    if not args.cli_only and not args.scale_only:
        results = [measure("floor", data, FLOOR), measure("default", data, []), measure("data-juicer recipe", data, DJ)]
        floor, default = results[:2]
        summary.update(runs=results, default_vs_floor=round(default["mb_per_s_per_core"] / floor["mb_per_s_per_core"], 3))
    if not args.no_cli and not args.scale_only:
        cli = []
        with StandingServer() as url:
            for _ in range(args.repeat if args.ref else 0):  # A/B: that tree's code and this one's, in turn
                for w in (1, 2):
                    for label, tree in (("ref", Path(args.ref).resolve()), ("new", None)):
                        cli.append({**measure_cli(f"{label} workers {w}", data, w, url, tree=tree), "tree": label})
            for _ in range(0 if args.ref else args.repeat):  # alternately, so both see the same load
                cli += [measure_cli("cli workers 1", data, 1, url), measure_cli("cli workers 2", data, 2, url)]
            if args.data_juicer:
                summary["data_juicer"] = versus_dj(Path(args.data_juicer), data, url, args.dj_repeat, cli)
        if not args.no_temporary:
            cli += [measure_cli("cli workers 1, temporary server", data, 1),
                    measure_cli("cli workers 2, temporary server", data, 2)]
        summary["cli"] = cli
        if args.ref:
            summary["workers_2_vs_1"] = {t: _ratios([r for r in cli if r["tree"] == t]) for t in ("ref", "new")}
        else:
            summary["workers_2_vs_1"] = _ratios(cli)
    if args.scale or args.scale_only:
        with StandingServer() as url:
            summary["scale"] = scale(10000, args.scale_workers, url)
    out = ROOT / "bench"
    out.mkdir(exist_ok=True)
    tag = ("" if not args.md and args.pages == 15000 else f"-{data.name}") + \
          ("-ab" if args.ref else "-cli" if args.cli_only else "-scale" if args.scale_only else "")
    (out / f"results{tag}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    md = render(out / f"results{tag}.json")
    (out / f"results{tag}.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
