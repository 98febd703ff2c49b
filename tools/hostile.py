"""``make hostile``: one real ``qingxi run`` over the full-size hostile corpus, with its wall time and the
peak RSS of its whole process tree (the CLI, the Prefect server it starts, the workers).

Checks what the issue asks: exit 0, every input in the manifest with its reason, docs_in == kept +
rejected + errored for each, no traceback on the terminal, peak RSS under the limit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import SMALL_OPTIONS, write_hostile  # noqa: E402

LIMIT_MB = 2048


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(folder: Path, heavy: bool = True, extra: list[str] | None = None) -> dict:
    """Build the corpus in ``folder``, run qingxi on it, return what was measured and checked."""
    expect = write_hostile(folder / "raw", heavy=heavy)
    out = folder / "out"
    cmd = [str(Path(sys.executable).parent / "qingxi"), "run", str(folder / "raw"), "--out", str(out),
           *(extra if extra is not None else ([] if heavy else SMALL_OPTIONS))]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "120"})
    peak = [0]

    def sample():
        ps = psutil.Process(proc.pid)
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(ps))
            time.sleep(0.1)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    output = proc.communicate()[0].decode("utf-8", "replace")
    watcher.join()
    seconds = time.perf_counter() - t0
    problems = []
    if proc.returncode != 0:
        problems.append(f"exit {proc.returncode}")
    if "Traceback" in output:
        problems.append("a traceback on the terminal")
    if peak[0] > LIMIT_MB << 20:
        problems.append(f"peak RSS over {LIMIT_MB} MB")
    rows = {}
    if (out / "manifest.json").exists():
        rows = {r["source"]: r for r in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]}
    else:
        problems.append("no manifest")
    for source, reason in expect.items():
        r = rows.get(source)
        if r is None or r["status"] != "ok":
            problems.append(f"{source}: {r and r.get('error') or 'missing'}")
            continue
        if r["docs_in"] != r["kept"] + sum(r["rejected"].values()) + sum(r["errored"].values()):
            problems.append(f"{source}: accounting does not add up")
        if reason and reason not in r["errored"]:
            problems.append(f"{source}: expected {reason}, got {r['errored']}")
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak[0] / 2**20), "exit": proc.returncode,
            "inputs": len(rows), "problems": problems, "output": output}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--small", action="store_true", help="the small corpus of the default test suite")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and output folder")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="qingxi-hostile-"))
    try:
        result = run(folder, heavy=not args.small)
    finally:
        if not args.keep:
            subprocess.run(["rm", "-rf", str(folder)], check=False)
    print(result.pop("output")[-3000:])
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.keep:
        print(f"kept in {folder}")
    sys.exit(1 if result["problems"] else 0)


if __name__ == "__main__":
    main()
