"""The same flow on a real Dask cluster, on a local Dask cluster, and on an S3-compatible object store."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest


pytestmark = pytest.mark.usefixtures("prefect_server")

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port}")


def _start(args: list[str], env: dict | None = None) -> subprocess.Popen:
    # Own session, so cleanup reaches anything the command forks and nothing else.
    return subprocess.Popen(args, env=env, cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(procs: list[subprocess.Popen], grace: float = 0) -> None:
    """Let them exit on their own for ``grace`` seconds, then SIGTERM, then SIGKILL: bounded waits."""
    end = time.time() + grace
    for p in procs:
        try:
            p.wait(timeout=max(0.0, end - time.time()))
        except subprocess.TimeoutExpired:
            pass
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)


def _run(inp: str, out: str, **kw) -> dict:
    from flows.flow import clean_corpus

    return clean_corpus(input=[inp], out=out, **kw)


def _rows(out: str, folder: str, columns: list[str]) -> list[tuple]:
    """Every row of ``out/folder`` as tuples, sorted by id: what a reader sees, whatever the file layout."""
    from flows.io.storage import fs_path

    fs, path = fs_path(f"{out}/{folder}")
    t = ds.dataset(path, format="parquet", filesystem=fs).to_table(columns=columns)
    return sorted(zip(*(t[c].to_pylist() for c in columns)))


def _same_dataset(out: str, ref: str) -> None:
    assert _rows(out, "data", ["id", "source", "text"]) == _rows(ref, "data", ["id", "source", "text"])
    cols = ["id", "reason", "step", "duplicate_of"]
    assert _rows(out, "rejected", cols) == _rows(ref, "rejected", cols)


@pytest.fixture(scope="module")
def local_out(module_corpus, prefect_server) -> Path:
    """The reference: one worker, a shard per file, so every phase has several tasks to spread."""
    out = module_corpus.parent / "local"
    doc = _run(str(module_corpus), str(out), workers=1, shard_mb=1e-6)
    assert doc["totals"]["failed_inputs"] == 0 and doc["totals"]["kept"] > 0
    return out


@pytest.fixture
def dask_cluster():
    """A `dask scheduler` and two single-threaded `dask worker` processes on 127.0.0.1."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    # No PREFECT_API_URL here, as on a real cluster: Prefect's settings travel with each submitted task.
    # PYTHONPATH only lets the checks below send a function from this test module.
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"PYTHONPATH": str(REPO)}
    procs = [_start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                    env)]
    try:
        _wait_port(port, procs[0])
        for name in ("w1", "w2"):
            procs.append(_start([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-nanny",
                                 "--host", "127.0.0.1", "--no-dashboard", "--name", name, "--death-timeout", "60"], env))
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, procs
        with Client(address, timeout=30) as client:
            client.shutdown()  # graceful and quick; a SIGTERM in the middle of it can hang a worker
        _stop(procs, grace=10)
    finally:
        _stop(procs)


def test_dask_cluster_matches_local(dask_cluster, module_corpus, local_out, tmp_path):
    address, procs = dask_cluster
    out = tmp_path / "cluster"
    doc = _run(str(module_corpus), str(out), dask_address=address, shard_mb=1e-6)
    assert doc["totals"]["failed_inputs"] == 0
    assert all(p.poll() is None for p in procs), "the cluster must outlive the run: qingxi does not own it"
    _same_dataset(str(out), str(local_out))
    # The workers' task runs reported to the flow's Prefect API (the settings travel with each task).
    runs = _task_runs(doc["flow_run_id"])
    assert sorted(r.name for r in runs if r.name.startswith("map-")) == [f"map-{i:05d}" for i in range(5)]
    assert all(r.state.is_completed() for r in runs), [(r.name, r.state.type) for r in runs]
    # Both workers took tasks: the flow really ran on the cluster.
    from distributed import Client

    with Client(address, timeout=30) as client:
        done = client.run(_tasks_done)
    assert len(done) == 2 and all(n > 0 for n in done.values()), done


def _task_runs(flow_run_id: str) -> list:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import TaskRunSort

    with get_client(sync_client=True) as client:  # limit and sort given: the server refuses nulls
        return client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
                                     sort=TaskRunSort.EXPECTED_START_TIME_ASC, limit=200)


def _tasks_done(dask_worker) -> int:
    """How many tasks this worker finished, from its transition log."""
    return sum(1 for entry in dask_worker.state.log if entry[2] == "memory")


@pytest.mark.parametrize("runner", ["dask", "process"])
def test_two_workers_are_byte_identical(runner, module_corpus, local_out, tmp_path):
    """--workers 2 on a real Dask LocalCluster, and on the default process pool."""
    out = tmp_path / "two"
    doc = _run(str(module_corpus), str(out), workers=2, runner=runner, shard_mb=1e-6)
    assert doc["totals"]["failed_inputs"] == 0
    for folder in ("data", "rejected"):
        names = sorted(p.name for p in (out / folder).iterdir())
        assert names == sorted(p.name for p in (local_out / folder).iterdir())
        for name in names:
            a, b = pq.read_table(out / folder / name), pq.read_table(local_out / folder / name)
            assert a.equals(b), f"{folder}/{name} differs"
            assert (out / folder / name).read_bytes() == (local_out / folder / name).read_bytes()


@pytest.fixture(scope="module")
def s3():
    """moto's S3 server on 127.0.0.1 with an empty bucket; yields an s3fs filesystem talking to it."""
    import s3fs

    port = _free_port()
    proc = _start([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)])
    try:
        _wait_port(port, proc)
        with pytest.MonkeyPatch.context() as mp:
            # botocore reads AWS_ENDPOINT_URL itself, so s3fs needs no options and neither does qingxi.
            for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                         "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}.items():
                mp.setenv(k, v)
            s3fs.S3FileSystem.clear_instance_cache()  # a cached client would keep an older endpoint
            fs = s3fs.S3FileSystem()
            fs.mkdir("qingxi-test")
            yield fs
    finally:
        s3fs.S3FileSystem.clear_instance_cache()
        _stop([proc])


def test_s3_in_and_out(s3, module_corpus, local_out):
    s3.put(str(module_corpus), "qingxi-test/raw", recursive=True)
    assert s3.exists("qingxi-test/raw/crawl/news.jsonl")
    doc = _run("s3://qingxi-test/raw", "s3://qingxi-test/out", shard_mb=1e-6)
    assert doc["totals"]["failed_inputs"] == 0
    local = {r["source"]: {k: v for k, v in r.items() if k != "shard"} for r in _manifest_inputs(local_out)}
    assert {r["source"]: {k: v for k, v in r.items() if k != "shard"} for r in doc["inputs"]} == local
    _same_dataset("s3://qingxi-test/out", str(local_out))
    assert s3.exists("qingxi-test/out/manifest.json")
    assert not [p for p in s3.find("qingxi-test/out") if "/.tmp-" in p]

    again = _run("s3://qingxi-test/raw", "s3://qingxi-test/out", shard_mb=1e-6)
    assert all(s["map_reused"] and s["apply_reused"] for s in again["shards"])


def test_s3_on_dask_cluster(s3, dask_cluster, module_corpus, local_out):
    """Workers with no shared disk: they read and write the object store themselves."""
    address, _ = dask_cluster  # started after `s3`, so the workers hold the endpoint and keys in their env
    s3.put(str(module_corpus), "qingxi-test/raw2", recursive=True)
    doc = _run("s3://qingxi-test/raw2", "s3://qingxi-test/out2", dask_address=address, shard_mb=1e-6)
    assert doc["totals"]["failed_inputs"] == 0
    _same_dataset("s3://qingxi-test/out2", str(local_out))


def _manifest_inputs(out: Path) -> list[dict]:
    import json

    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]


def test_s3_unfinished_writes_publish_nothing(s3, monkeypatch):
    """Closing an S3 file publishes it, so a write that fails half way must be discarded, not closed."""
    import pyarrow as pa

    from flows.io import writer
    from flows.io.storage import atomic_open

    with pytest.raises(RuntimeError):
        with atomic_open("s3://qingxi-test/half/manifest.json") as f:
            f.write(b'{"run_id": "')
            raise RuntimeError("disk gone")
    monkeypatch.setattr(writer, "ROW_GROUP_ROWS", 1)  # the first row already goes out as a row group
    part = writer.PartWriter("s3://qingxi-test/half/data", "part-00000", pa.schema([("text", pa.string())]))
    part.add({"text": "台风今晨登陆。"})
    part.abort()
    assert not s3.exists("qingxi-test/half/manifest.json")
    assert not s3.exists("qingxi-test/half/data/part-00000.parquet")
