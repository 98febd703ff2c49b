"""Real `qingxi run` processes killed with SIGKILL, or failing one shard, then run again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest


pytestmark = pytest.mark.usefixtures("prefect_server")

QINGXI = Path(sys.executable).parent / "qingxi"
SHARD_MB = "0.000001"  # a shard per input file: five shards, so a kill can land between them

# (phase, kill point, check of what the killed run left): each kill lands in the middle of its phase.
# A kill point is `write:NAME[@n]`, just before the n-th file called NAME is complete (flows.io.storage.kill_point).
KILLS = [
    ("map", "write:lines.parquet@3"),  # shards 0 and 1 mapped; shard 2 has its staged docs, no result
    ("reduce", "write:crossdoc-000.parquet"),  # duplicates clustered; repeated lines half written
    ("apply", "write:part-00002.parquet"),  # shards 0 and 1 applied; shard 2's data part has no footer
    ("manifest", "write:manifest.json"),  # every part written and pruned; the manifest not yet renamed
]


def _env(home: Path) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    # The test server's API: a subprocess then needs no ephemeral server of its own (15 s each here),
    # and a SIGKILL leaves no orphaned server behind.
    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90"}


def _qingxi(inp: Path, out: Path, home: Path, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = _env(home)
    env.pop("QINGXI_TEST_KILL_AT", None)
    if kill_at:
        env["QINGXI_TEST_KILL_AT"] = kill_at
    proc = subprocess.Popen([str(QINGXI), "run", str(inp), "--out", str(out), "--shard-mb", SHARD_MB], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # whatever it started goes with it
        proc.wait(timeout=10)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _rows(out: Path, folder: str, columns: list[str]) -> list[tuple]:
    t = ds.dataset(out / folder, format="parquet").to_table(columns=columns)
    return sorted(zip(*(t[c].to_pylist() for c in columns)))


DATA_COLS = ["id", "source", "text", "cluster_size"]
REJECTED_COLS = ["id", "source", "reason", "step", "duplicate_of", "text"]


def _visible(out: Path) -> list[Path]:
    """Files a reader of data/ and rejected/ could pick up."""
    return sorted(p for folder in ("data", "rejected") if (out / folder).exists() for p in (out / folder).iterdir())


def _assert_no_half_files(out: Path) -> None:
    for p in _visible(out):
        if not p.name.startswith("."):
            pq.read_metadata(p)  # a half-written Parquet file has no footer and fails here


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw(module_corpus) -> Path:
    return module_corpus


@pytest.fixture(scope="module")
def baseline(raw, prefect_server) -> Path:
    """A run that was never interrupted."""
    out = raw.parent / "baseline"
    done = _qingxi(raw, out, raw.parent / "home")
    assert done.returncode == 0, done.stderr[-2000:]
    return out


def _left_by(phase: str, out: Path) -> None:
    """What each killed run leaves: the kill landed where it was meant to."""
    results = list((out / "_work" / "map").glob("*/result.json"))
    if phase == "map":
        assert len(results) == 2 and len(list((out / "_work" / "map").glob("*/docs.arrow"))) == 3
    elif phase == "reduce":
        reduce = out / "_work" / "reduce"
        assert len(results) == 5 and (reduce / "clusters.parquet").exists()
        assert not (reduce / "crossdoc-000.parquet").exists() and not (out / "data").exists()
    elif phase == "apply":
        names = {p.name for p in _visible(out)}
        assert {"part-00000.parquet", "part-00001.parquet"} <= names
        assert "part-00002.parquet" not in {p.name for p in (out / "data").iterdir()}
        assert any(n.startswith(".tmp-") for n in names)
    elif phase == "manifest":
        assert not (out / "manifest.json").exists() and list(out.glob(".tmp-*manifest.json"))


def test_kill_anywhere_then_rerun_equals_uninterrupted(raw, baseline, tmp_path):
    out, home = tmp_path / "out", tmp_path / "home"
    for phase, point in KILLS:
        killed = _qingxi(raw, out, home, kill_at=point)
        assert killed.returncode == -signal.SIGKILL, (phase, killed.returncode, killed.stderr[-2000:])
        _left_by(phase, out)
        _assert_no_half_files(out)

    done = _qingxi(raw, out, home)
    assert done.returncode == 0, done.stderr[-2000:]
    # The kill came after every shard was finished, so this run only wrote the manifest.
    assert all(s["map_reused"] and s["apply_reused"] for s in _manifest(out)["shards"])

    assert _rows(out, "data", DATA_COLS) == _rows(baseline, "data", DATA_COLS)
    assert _rows(out, "rejected", REJECTED_COLS) == _rows(baseline, "rejected", REJECTED_COLS)
    ids = [r[0] for r in _rows(out, "data", ["id"]) + _rows(out, "rejected", ["id"])]
    assert len(ids) == len(set(ids)), "a document is in the output twice"
    assert [p.name for p in _visible(out)] == [p.name for p in _visible(baseline)]
    assert not [p for p in out.rglob(".tmp-*") if "_work" not in p.parts]
    assert _manifest(out)["inputs"] == _manifest(baseline)["inputs"]


def test_failed_shard_is_reported_and_redone_alone(raw, baseline, tmp_path):
    out, home = tmp_path / "out", tmp_path / "home"
    base = _manifest(baseline)
    shard = next(r["shard"] for r in base["inputs"] if r["source"] == "html/grain.html")
    # A plain file where the shard's work folder belongs: every attempt at the shard fails with an OSError
    # (retried, then given up), as a full disk or a bad mount would, and no other shard is touched.
    blocker = out / "_work" / "map" / base["shards"][shard]["key"]
    blocker.parent.mkdir(parents=True)
    blocker.write_text("not a folder")

    failed = _qingxi(raw, out, home)
    assert failed.returncode == 1, failed.stderr[-2000:]
    assert "failed:" in failed.stdout and "html/grain.html" in failed.stdout
    rows = {r["source"]: r for r in _manifest(out)["inputs"]}
    assert rows["html/grain.html"]["status"] == "failed" and rows["html/grain.html"]["error"].startswith("map")
    assert all(r["status"] == "ok" for s, r in rows.items() if s != "html/grain.html")
    assert _manifest(out)["totals"]["failed_inputs"] == 1
    others = [r for r in _rows(baseline, "data", DATA_COLS) if r[1] != "html/grain.html"]
    assert _rows(out, "data", DATA_COLS) == others

    blocker.unlink()
    again = _qingxi(raw, out, home)
    assert again.returncode == 0, again.stderr[-2000:]
    shards = _manifest(out)["shards"]
    assert [s["index"] for s in shards if not s["map_reused"]] == [shard]
    assert [s["index"] for s in shards if not s["apply_reused"]] == [shard]
    assert _rows(out, "data", DATA_COLS) == _rows(baseline, "data", DATA_COLS)
    assert _rows(out, "rejected", REJECTED_COLS) == _rows(baseline, "rejected", REJECTED_COLS)
