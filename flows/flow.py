"""The Prefect flow ``clean-corpus``: discover → map per shard → reduce per key range → apply per shard → manifest."""

from __future__ import annotations

from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import copy_context
import os
import posixpath
import threading
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Callable, Literal

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.context import get_run_context
from prefect.futures import as_completed
from pydantic import BaseModel, Field, field_validator, model_validator

from flows import manifest as mf
from flows import progress, report, stages
from flows.plan import Shard, discover, plan_shards, SHARD_BYTES
from flows.io.readers import DOC_SECONDS, MAX_HTML_BYTES, MAX_RECORD_BYTES
from flows.recipe import load_recipe
from flows.runners import make_runner
from flows.io.storage import fs_path, is_local, join, remove



class RunParams(BaseModel):
    """Flow parameters, checked before any work so a bad path or recipe fails at once."""

    input: list[str] = Field(min_length=1)
    out: str
    recipe: str | None = None
    overrides: list[str] = []
    full: bool = False
    workers: int = Field(1, ge=1)
    runner: Literal["process", "dask"] = "process"
    dask_address: str | None = None
    shard_mb: float = Field(SHARD_BYTES / 2**20, gt=0)
    text_field: str | None = None
    force: bool = False  # write into an OUT that holds files qingxi did not write (they are kept)
    max_record_mb: float = Field(MAX_RECORD_BYTES / 2**20, gt=0)
    max_html_mb: float = Field(MAX_HTML_BYTES / 2**20, gt=0)
    doc_seconds: float = Field(DOC_SECONDS, ge=0)

    def read_opts(self) -> dict:
        opts = {"max_record_bytes": int(self.max_record_mb * 2**20), "max_html_bytes": int(self.max_html_mb * 2**20),
                "doc_seconds": self.doc_seconds}
        return {**opts, "text_fields": (self.text_field,)} if self.text_field else opts

    @field_validator("input")
    @classmethod
    def _inputs_exist(cls, v: list[str]) -> list[str]:
        for p in v:
            fs, path = fs_path(p)
            if not fs.exists(path):
                raise ValueError(f"input not found: {p}")
        return v

    @model_validator(mode="after")
    def _out_is_safe(self) -> "RunParams":
        """OUT must be a folder that holds only qingxi's files, and never an input or inside one's reach."""
        fs, path = fs_path(self.out)
        if fs.exists(path) and not fs.isdir(path):
            raise ValueError(f"--out is a file, not a folder: {self.out}")
        if is_local(self.out):
            out = os.path.realpath(path)
            for p in self.input:
                if is_local(p):
                    inp = os.path.realpath(fs_path(p)[1])
                    if inp == out or inp.startswith(out.rstrip("/") + "/"):
                        raise ValueError(f"input {p} is inside --out {self.out}: pick another output folder")
        foreign = mf.foreign_files(self.out)
        if foreign and not self.force:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise ValueError(f"--out {self.out} holds files qingxi did not write ({shown}); "
                             "pick an empty folder, or pass --force to write there and keep them")
        return self


def _transient(task, task_run, state) -> bool:
    """Retry I/O errors only; a bug fails the same way twice."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


# Reuse is keyed on content fingerprints in _work/ (see stages); Prefect's input-hash cache would miss
# edited files and outputs deleted by hand, so it is off.
RETRY = dict(retries=2, retry_delay_seconds=2, retry_condition_fn=_transient, cache_policy=NO_CACHE)


@task(name="map-shard", task_run_name="map-{shard.index:05d}", **RETRY)
def map_task(shard: Shard, work: str, resolved: dict, read_opts: dict) -> dict:
    t0 = time.time()
    result = {**stages.map_shard(shard, work, resolved, read_opts), "ran": [t0, time.time(), os.getpid()]}
    get_run_logger().info("map %05d: %d inputs%s", shard.index, len(shard.files), " (reused)" if result.get("reused") else "")
    return result


@task(name="reduce-dedup", task_run_name="dedup-{lo:03d}", **RETRY)
def reduce_sigs_task(work: str, map_results: list[dict], lo: int, hi: int, out: str) -> int:
    groups = stages.reduce_sigs(work, map_results, lo, hi, out)
    get_run_logger().info("dedup parts %d-%d: %d groups of pages sharing a key", lo, hi - 1, groups)
    return groups


@task(name="reduce-crossdoc", task_run_name="crossdoc-{lo:03d}", **RETRY)
def reduce_lines_task(work: str, map_results: list[dict], lo: int, hi: int, resolved: dict, out: str) -> int:
    lines = stages.reduce_lines(work, map_results, lo, hi, resolved, out)
    get_run_logger().info("crossdoc parts %d-%d: %d repeated lines", lo, hi - 1, lines)
    return lines


@task(name="reduce", **RETRY)
def reduce_task(work: str, map_results: list[dict], resolved: dict, out: str, ranges: list[tuple[int, int]]) -> dict:
    info = stages.reduce_serial(work, map_results, resolved, out, ranges)
    get_run_logger().info("reduce of %d key ranges in one task: %s", len(ranges), info or "no dedup")
    return info


@task(name="cluster-duplicates", **RETRY)
def cluster_task(out: str) -> dict:
    result = stages.cluster(out)
    get_run_logger().info("%d duplicate clusters, %d duplicates", result["clusters"], result["duplicates"])
    return result


@task(name="apply-shard", task_run_name="apply-{shard.index:05d}", **RETRY)
def apply_task(shard: Shard, work: str, reduce_out: str, out: str, resolved: dict) -> dict:
    t0 = time.time()
    result = {**stages.apply_shard(shard, work, reduce_out, out, resolved), "ran": [t0, time.time(), os.getpid()]}
    kept = sum(v["kept"] for v in result["inputs"].values())
    rejected = sum(sum(v["rejected"].values()) for v in result["inputs"].values())
    get_run_logger().info("apply %05d: %d kept, %d rejected%s", shard.index, kept, rejected,
                          " (reused)" if result.get("reused") else "")
    return result


@task(name="write-manifest", cache_policy=NO_CACHE)
def manifest_task(out: str, work: str, info: dict, shards: list[Shard], maps: dict, applies: dict,
                  failed: dict) -> dict:
    rows = mf.account([s.to_dict() for s in shards], maps, applies, failed)
    files = sorted(f for a in applies.values() for f in a["files"])
    doc = {
        **info,
        "ended": datetime.now(timezone.utc).isoformat(),
        "inputs": rows,
        "totals": {**mf.totals(rows), "bytes_out": sum(a["bytes_out"] for a in applies.values())},
        "steps": mf.step_stats([*maps.values(), *applies.values()]),
        "crossdoc_top": mf.crossdoc_top(join(work, "reduce")),
        "shards": [
            {"index": s.index, "key": s.key, "files": len(s.files), "status": "failed" if s.index in failed else "ok",
             "map_reused": bool(maps.get(s.index, {}).get("reused")),
             "apply_reused": bool(applies.get(s.index, {}).get("reused")), "error": failed.get(s.index),
             "seconds": _ran(info["started_ts"], maps.get(s.index), applies.get(s.index))}
            for s in shards
        ],
        "files": files,
    }
    doc["seconds"] = round(time.time() - info["started_ts"], 2)
    # A failed shard's old parts go too: the dataset never mixes input versions.
    cut = {posixpath.basename(f.url) for s in shards for f in s.files if f.span}
    mf.prune(out, work, set(files), {s.key for s in shards}, len(shards), cut)
    mf.write_manifest(out, doc)
    return doc


def _ran(started: float, *results: dict | None) -> dict:
    """When each of a shard's tasks ran (seconds from the flow's start) and in which process: the run's
    timeline, to see a worker idle while another finishes."""
    return {name: [round(r["ran"][0] - started, 2), round(r["ran"][1] - started, 2), r["ran"][2]]
            for name, r in zip(("map", "apply"), results) if r and "ran" in r}


def _gather(futures: dict[int, Any], phase: str) -> tuple[dict[int, dict], dict[int, str]]:
    """Wait for shard tasks; a shard that still fails is recorded, and the others go on."""
    done, failed = {}, {}
    index_of = {fut.task_run_id: index for index, fut in futures.items()}
    for i, fut in enumerate(as_completed(list(futures.values()))):
        index = index_of[fut.task_run_id]
        try:
            done[index] = fut.result()
        except Exception as e:  # noqa: BLE001 - reported per shard, never fatal to the run
            failed[index] = f"{phase}: {type(e).__name__}: {e}"
        progress.report(phase, i + 1, len(futures))
    return dict(sorted(done.items())), dict(sorted(failed.items()))


def _reduce(task_fn, args: list[tuple], phase: str) -> dict[int, Any]:
    """Run one reduce wave; without every key range no shard can be finished correctly."""
    done, failed = _gather({i: task_fn.submit(*a) for i, a in enumerate(args)}, phase)
    if failed:
        raise RuntimeError(f"{phase} reduce failed: {failed}")
    return done


@flow(name="clean-corpus", log_prints=True, validate_parameters=False)
def clean_corpus(
    input: list[str],
    out: str,
    recipe: str | None = None,
    overrides: list[str] | None = None,
    full: bool = False,
    workers: int = 1,
    runner: str = "process",
    dask_address: str | None = None,
    shard_mb: float = SHARD_BYTES / 2**20,
    text_field: str | None = None,
    force: bool = False,
    max_record_mb: float = MAX_RECORD_BYTES / 2**20,
    max_html_mb: float = MAX_HTML_BYTES / 2**20,
    doc_seconds: float = DOC_SECONDS,
) -> dict:
    """Clean folders of raw pages into ``out``: data/, rejected/ and manifest.json.

    Parameters are checked before any work; the shard tasks run in a subflow whose task runner follows
    ``workers`` and ``dask_address``, so deployments honour them too.
    """
    params = RunParams(input=input if isinstance(input, list) else [input], out=out, recipe=recipe,
                       overrides=overrides or [], full=full, workers=workers, runner=runner,
                       dask_address=dask_address, shard_mb=shard_mb, text_field=text_field, force=force,
                       max_record_mb=max_record_mb, max_html_mb=max_html_mb, doc_seconds=doc_seconds)
    load_recipe(params.recipe, params.overrides)
    task_runner = make_runner(params.workers, params.dask_address, params.runner)
    if get_run_context().task_runner == task_runner and os.environ.get("PREFECT_API_URL"):
        return _process(params)  # called as ``flow_for`` makes it: the tasks run in this flow run
    with _shared_api_url():
        return process_shards.with_options(task_runner=task_runner)(params.model_dump())


def flow_for(workers: int = 1, dask_address: str | None = None, runner: str = "process"):
    """``clean_corpus`` with the task runner these options ask for, so that a run (the CLI's) is one flow
    run and not a flow around a subflow: each flow run costs API calls, and its end waits up to a second for
    its heartbeat thread. Pool processes must find the API, so this needs ``PREFECT_API_URL``."""
    return clean_corpus.with_options(task_runner=make_runner(workers, dask_address, runner))


@contextmanager
def _shared_api_url():
    """Point worker processes at this run's API, or each would start an ephemeral server of its own."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    os.environ["PREFECT_API_URL"] = str(get_run_context().client.api_url).rstrip("/")
    try:
        yield
    finally:
        del os.environ["PREFECT_API_URL"]


_planned: dict[str, Future] = {}


def plan_run(params: RunParams, keep: bool = False) -> tuple[list, list[Shard]]:
    """The run's input files and shards (``--full`` clears earlier work first). ``keep``: plan now and keep
    the plan for this run's flow, as the CLI does while the temporary server starts."""
    key = params.model_dump_json()
    if not keep and key in _planned:
        return _planned.pop(key).result()  # waits for a plan still being made (``plan_ahead``)
    if not keep:
        return _plan(params)
    plan_ahead(params)()
    return _planned[key].result()


def plan_ahead(params: RunParams) -> Callable[[], None]:
    """Promise this run's flow a plan, and return the function that makes it: the CLI runs it in a thread
    while the flow run is created. The promise is made at once, so the flow never plans (nor clears
    ``--full`` work) a second time; it waits for the plan, or meets its error."""
    pending: Future = Future()
    _planned[params.model_dump_json()] = pending

    def make() -> None:
        try:
            pending.set_result(_plan(params))
        except BaseException as e:  # noqa: BLE001 - raised in the flow, which takes the plan
            pending.set_exception(e)

    return make


def _plan(params: RunParams) -> tuple[list, list[Shard]]:
    rec = load_recipe(params.recipe, params.overrides)
    out, work = params.out.rstrip("/"), join(params.out.rstrip("/"), "_work")
    if params.full:
        remove(work)
    files = discover(params.input, out)
    limits = f"{params.max_record_mb}|{params.max_html_mb}|{params.doc_seconds}"  # they change what a map reads
    salt = f"{mf.version()}|{stages.FORMAT}|{rec.digest()}|{params.text_field}|{limits}"
    cut_dir = join(work, "cut") if is_local(work) else None  # where compressed inputs are decompressed to be cut
    return files, plan_shards(files, salt, int(params.shard_mb * 2**20), params.workers, cut_dir)


@flow(name="clean-corpus-shards", validate_parameters=False)
def process_shards(params_dict: dict) -> dict:
    """Plan, map, reduce, apply and write the manifest."""
    return _process(RunParams(**params_dict))


def _process(params: RunParams) -> dict:
    rec = load_recipe(params.recipe, params.overrides)
    resolved = rec.resolved()
    logger = get_run_logger()
    started = time.time()
    out, work = params.out.rstrip("/"), join(params.out.rstrip("/"), "_work")
    files, shards = plan_run(params)
    marks = {"plan": time.time()}  # phase end times, for the report's timings
    logger.info("%d inputs in %d shards", len(files), len(shards))
    read_opts = params.read_opts()

    remove(stages.progress_dir(work))
    stop_watch = progress.watch_map(stages.progress_dir(work), sum(f.size for f in files))
    try:
        maps, failed = _gather({s.index: map_task.submit(s, work, resolved, read_opts) for s in shards}, "map")
    finally:
        stop_watch()
    marks["map"] = time.time()
    reduce_out = join(work, "reduce")
    remove(reduce_out)
    ok = [maps[i] for i in sorted(maps)]
    ranges = stages.reduce_ranges(stages.reduce_size(files, ok))
    info_dedup: dict = {}
    try:
        if len(ranges) <= stages.SERIAL_RANGES and (rec.enabled("dedup") or rec.enabled("crossdoc")):
            info_dedup = _reduce(reduce_task, [(work, ok, resolved, reduce_out, ranges)], "reduce")[0]
        else:
            if rec.enabled("dedup"):
                _reduce(reduce_sigs_task, [(work, ok, lo, hi, reduce_out) for lo, hi in ranges], "dedup")
                info_dedup = cluster_task.submit(reduce_out).result()
            if rec.enabled("crossdoc"):
                _reduce(reduce_lines_task, [(work, ok, lo, hi, resolved, reduce_out) for lo, hi in ranges],
                        "crossdoc")
    except Exception as e:  # noqa: BLE001 - no shard can finish, but the manifest still says why
        logger.error("reduce failed: %s", e)
        failed.update({i: f"reduce: {type(e).__name__}: {e}"[:1000] for i in maps})
        maps = {}
    marks["reduce"] = time.time()
    live = [s for s in shards if s.index in maps]
    applies, afailed = _gather({s.index: apply_task.submit(s, work, reduce_out, out, resolved) for s in live}, "apply")
    failed.update(afailed)
    marks["apply"] = time.time()
    info = {
        "run_id": uuid.uuid4().hex,
        "flow_run_id": str(get_run_context().flow_run.id),
        "started": datetime.fromtimestamp(started, timezone.utc).isoformat(),
        "started_ts": started,
        "versions": mf.versions(),
        "qingxi_version": mf.version(),
        "recipe": resolved,
        "recipe_hash": rec.digest(),
        "params": params.model_dump(),
        "dedup": info_dedup,
        "phases": {k: round(v - started, 2) for k, v in marks.items()},  # seconds from start to each phase's end
    }
    doc = manifest_task.submit(out, work, info, shards, maps, applies, failed).result()
    publish = threading.Thread(target=copy_context().run, args=(_publish, doc), name="qingxi-publish")
    publish.start()  # API calls, while the report is written
    report.finish(out)
    publish.join()
    return doc


def _publish(doc: dict) -> None:
    """Summary artifacts, so the Prefect UI shows what the run did."""
    t = doc["totals"]
    try:
        create_markdown_artifact(
            key="qingxi-summary",
            markdown=(f"## qingxi run\n\n| docs in | kept | rejected | errored | failed inputs |\n|---|---|---|---|---|\n"
                      f"| {t['docs_in']} | {t['kept']} | {sum(t['rejected'].values())} | "
                      f"{sum(t['errored'].values())} | {t['failed_inputs']} |\n"),
            description="qingxi run summary",
        )
        rows = [{"kind": "rejected", "name": k, "count": v} for k, v in t["rejected"].items()]
        rows += [{"kind": "errored", "name": k, "count": v} for k, v in t["errored"].items()]
        rows += [{"kind": f"step:{k}", "name": "docs_changed", "count": v["docs_changed"]} for k, v in doc["steps"].items()]
        create_table_artifact(key="qingxi-counts", table=rows, description="per-step and per-reason counts")
    except Exception:  # noqa: BLE001 - artifacts are a view; the run's output is already written
        get_run_logger().warning("could not publish artifacts", exc_info=True)


__all__ = ["clean_corpus", "RunParams"]
