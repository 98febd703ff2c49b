"""`qingxi serve`: a real deployment with a cron schedule, run ad hoc on another folder."""

import asyncio
import json

import pytest

from flows.cli import build_deployment, deployment_runner

pytestmark = pytest.mark.usefixtures("prefect_server")


def test_deployment_schedule_params_and_ad_hoc_run(corpus, tmp_path):
    from prefect import get_client
    from prefect.deployments import run_deployment

    out, other_out = tmp_path / "nightly", tmp_path / "adhoc"
    dep = build_deployment([str(corpus)], str(out), "0 3 * * *", "nightly", overrides=["dedup.near=false"])
    runner = deployment_runner(dep)

    async def read():
        async with get_client() as client:
            return await client.read_deployment_by_name("clean-corpus/nightly")

    d = asyncio.run(read())
    assert [s.schedule.cron for s in d.schedules] == ["0 3 * * *"]
    assert d.parameters["input"] == [str(corpus)] and d.parameters["out"] == str(out)
    assert d.parameters["overrides"] == ["dedup.near=false"]

    run = run_deployment("clean-corpus/nightly", timeout=0,
                         parameters={"input": [str(corpus / "posts")], "out": str(other_out)})
    asyncio.run(runner.start(run_once=True))

    async def state():
        async with get_client() as client:
            return (await client.read_flow_run(run.id)).state

    assert asyncio.run(state()).is_completed()
    manifest = json.loads((other_out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["source"] for r in manifest["inputs"]] == ["tea.md"]
    assert manifest["recipe"]["steps"][-1] == {**manifest["recipe"]["steps"][-1], "near": False}
    assert not asyncio.run(read()).paused  # stopping the runner left the schedule on

    async def artifacts():
        async with get_client() as client:
            return {a.key: a.type for a in await client.read_artifacts()}

    assert {"qingxi-summary": "markdown", "qingxi-counts": "table"}.items() <= asyncio.run(artifacts()).items()
