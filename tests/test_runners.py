"""--workers N with the process runner: the flow's own process is one of N task slots, on the real engine."""

from __future__ import annotations

import os
import time

import pytest
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed

from flows.runners import FlowProcessPoolRunner, make_runner

pytestmark = pytest.mark.usefixtures("prefect_server")


@task(cache_policy=NO_CACHE)
def pid_after(seconds: float, label: str) -> tuple[str, int]:
    time.sleep(seconds)
    return label, os.getpid()


@task(cache_policy=NO_CACHE, retries=1, retry_delay_seconds=0)
def fails(label: str) -> str:
    raise ValueError(f"分片 {label} 读不出来")


@flow(task_runner=FlowProcessPoolRunner(2))
def two_slots() -> dict:
    futures = [pid_after.submit(0.5, f"shard-{i}") for i in range(6)]
    bad = fails.submit("3")
    results = dict(f.result() for f in as_completed(futures))
    with pytest.raises(ValueError, match="读不出来"):
        bad.result()
    return {"results": results, "flow_pid": os.getpid()}


@flow(task_runner=FlowProcessPoolRunner(2))
def one_at_a_time() -> tuple[list[int], int]:
    return [pid_after.submit(0, f"step-{i}").result()[1] for i in range(3)], os.getpid()


def test_make_runner_picks_the_flow_process_pool():
    assert isinstance(make_runner(2), FlowProcessPoolRunner)
    assert make_runner(3).workers == 3 and make_runner(3)._max_workers == 2  # two spawned, plus the flow's own


def test_flow_process_and_a_pool_process_both_run_tasks():
    out = two_slots()
    pids = set(out["results"].values())
    assert sorted(out["results"]) == [f"shard-{i}" for i in range(6)]
    assert out["flow_pid"] in pids, "the flow's own process took no task"
    assert len(pids) == 2, pids


def test_a_lone_task_runs_in_the_flow_process():
    """A task with no other to run beside it (a reduce wave's cluster step) skips the trip to a pool process."""
    pids, flow_pid = one_at_a_time()
    assert pids == [flow_pid] * 3


def test_a_copy_in_a_pool_process_starts_nothing():
    """Prefect enters a copy of the flow's runner around each task in a pool process; it must stay idle."""
    runner = FlowProcessPoolRunner(2).duplicate()
    with runner:
        assert runner._slots == [] and not runner._executor._processes


def test_cli_two_workers_take_the_early_pool_and_match_one_worker(corpus, tmp_path):
    """`qingxi run --workers 2` starts its pool process before it imports Prefect; the flow takes it, and the
    outputs are byte-identical to one worker's."""
    from typer.testing import CliRunner

    from flows import settings
    from flows.cli import app

    cli = CliRunner()
    taken = []
    real_take = settings.take_pool
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "take_pool", lambda n: taken.append(real_take(n)) or taken[-1])
        two = cli.invoke(app, ["run", str(corpus), "--out", str(tmp_path / "two"), "--workers", "2",
                               "--shard-mb", "0.000001"])
    assert two.exit_code == 0, two.output
    assert taken and taken[0] is not None and not settings._pools
    one = cli.invoke(app, ["run", str(corpus), "--out", str(tmp_path / "one"), "--shard-mb", "0.000001"])
    assert one.exit_code == 0, one.output
    for folder in ("data", "rejected"):
        names = sorted(p.name for p in (tmp_path / "one" / folder).iterdir())
        assert names == sorted(p.name for p in (tmp_path / "two" / folder).iterdir())
        for name in names:
            assert (tmp_path / "one" / folder / name).read_bytes() == (tmp_path / "two" / folder / name).read_bytes()


def test_cli_bad_option_stops_the_early_pool(corpus, tmp_path):
    from typer.testing import CliRunner

    from flows import settings
    from flows.cli import app

    started = []
    real_start = settings.start_pool
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("flows.cli.start_pool", lambda n: (real_start(n), started.append(dict(settings._pools)))[0])
        res = CliRunner().invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out"), "--workers", "2",
                                       "--set", "nosuch.x=1"])
    assert res.exit_code == 2 and "unknown step 'nosuch'" in res.output
    assert started and started[0], "no pool was started early"
    assert not settings._pools
    pool = started[0][1][0]
    for p in pool._processes.values() if pool._processes else ():
        p.join(10)
        assert not p.is_alive()
