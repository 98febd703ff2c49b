"""The ``qingxi`` command: run, serve, diff, recipe, rules."""

from __future__ import annotations

import functools
from contextlib import nullcontext
from inspect import signature
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from flows.settings import TemporaryServer, prefect_defaults, reap_orphan_servers, start_pool, stop_pools

prefect_defaults()

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Clean scraped Chinese web pages into Parquet.")
console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"qingxi {version('qingxi')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Clean scraped Chinese web pages into Parquet."""

Inputs = Annotated[list[str], typer.Argument(help="Folders or files of raw pages (local paths or fsspec URLs).")]
Out = Annotated[str, typer.Option("--out", "-o", help="Output folder: data/, rejected/, manifest.json.")]
RecipeOpt = Annotated[Optional[str], typer.Option("--recipe", "-r", help="Recipe YAML; default: every step with its defaults (`qingxi recipe` prints it).")]
SetOpt = Annotated[Optional[list[str]], typer.Option("--set", "-s", help="Override a recipe parameter: step.param=value.")]


def _check(inputs: list[str], out: str, recipe: str | None, overrides: list[str], **params) -> None:
    """Fail before any work, with a plain message, on a bad path, option or recipe."""
    from pydantic import ValidationError

    from flows.flow import RunParams
    from flows.recipe import RecipeError, load_recipe

    try:
        RunParams(input=inputs, out=out, recipe=recipe, overrides=overrides, **params)
        load_recipe(recipe, overrides)
    except ValidationError as e:
        console.print(f"[red]error:[/] {'; '.join(_message(err) for err in e.errors())}", soft_wrap=True, highlight=False)
        raise typer.Exit(2) from None
    except RecipeError as e:
        console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from None


def _message(err: dict) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    field = ".".join(str(x) for x in err.get("loc", ()) if not isinstance(x, int))
    return f"--{field.replace('_', '-')}: {msg}" if field and field not in ("input",) else msg


@app.command()
def run(
    inputs: Inputs,
    out: Out,
    recipe: RecipeOpt = None,
    set_: SetOpt = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")] = 1,
    runner: Annotated[str, typer.Option(help="Local runner for --workers > 1: process or dask.")] = "process",
    dask_address: Annotated[Optional[str], typer.Option(help="Run tasks on this Dask scheduler.")] = None,
    full: Annotated[bool, typer.Option("--full", help="Ignore what earlier runs left in OUT; redo everything.")] = False,
    shard_mb: Annotated[float, typer.Option(help="Input MB per shard task.")] = 32.0,
    text_field: Annotated[Optional[str], typer.Option(help="JSONL/Parquet field holding the text.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into an OUT holding files qingxi did not write; "
                                        "they are kept.")] = False,
    max_record_mb: Annotated[float, typer.Option(help="Largest JSONL line, Parquet text or WARC payload; "
                                                 "bigger ones are errored too_large.")] = 32.0,
    max_html_mb: Annotated[float, typer.Option(help="Largest HTML given to the extractor.")] = 4.0,
    doc_seconds: Annotated[float, typer.Option(help="Time budget of one document; 0: none.")] = 60.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs and tracebacks here.")] = False,
) -> None:
    """Clean INPUT folders into OUT."""
    if not verbose:  # before Prefect is imported: its logs and tracebacks go to the log file only
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    overrides = set_ or []
    limits = dict(max_record_mb=max_record_mb, max_html_mb=max_html_mb, doc_seconds=doc_seconds)
    options = dict(shard_mb=shard_mb, runner=runner, workers=workers, dask_address=dask_address,
                   text_field=text_field, force=force, full=full, **limits)
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        if reaped := reap_orphan_servers():
            console.print(f"stopped {len(reaped)} temporary Prefect server(s) left by a killed run: pid {reaped}")
        server = TemporaryServer()  # comes up while this process imports, checks and plans
        # Before Prefect is imported, so every thread and worker process of the run finds this server and
        # none starts an ephemeral one of its own (ProcessPoolTaskRunner submits from a thread).
        os.environ["PREFECT_API_URL"] = server.url
    if workers > 1 and runner == "process" and not dask_address:
        start_pool(workers - 1)  # the flow's process is one worker (flows.runners); the others import now
    try:
        doc, seconds = _run(inputs, out, recipe, overrides, options, server)
    finally:
        stop_pools()
        if server is not None:
            _drain_prefect()  # logs and events reach the server before it stops, not retried at exit
            server.stop()
            os.environ.pop("PREFECT_API_URL", None)
    print_summary(doc, seconds)
    if not doc["totals"]["inputs"]:
        console.print(f"[yellow]warning:[/] no input files found under {', '.join(inputs)}", soft_wrap=True)
    if doc["totals"]["failed_inputs"]:
        raise typer.Exit(1) from None


def _run(inputs, out, recipe, overrides, options, server) -> tuple[dict, float]:
    _check(inputs, out, recipe, overrides, **{k: v for k, v in options.items() if k != "full"})
    if server is not None:
        console.print("starting a temporary Prefect server (set PREFECT_API_URL to use a standing one)")
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows import progress, stages
    from flows.flow import RunParams, flow_for, plan_ahead, plan_run

    t0 = time.time()
    log, handler = _log_to_file(out)
    try:
        with _progress_bar():
            if server is not None:  # plan now, while the server starts; the flow takes this plan
                plan_run(RunParams(input=inputs, out=out, recipe=recipe, overrides=overrides, **options), keep=True)
                stages.warm()  # and build what the steps build on first use
                api = server.wait()
            else:  # the same while the flow run is created, in a thread: this one mostly waits for the server
                make_plan = plan_ahead(RunParams(input=inputs, out=out, recipe=recipe, overrides=overrides, **options))
                threading.Thread(target=lambda: (make_plan(), stages.warm()), name="qingxi-plan", daemon=True).start()
            settings = {}
            if server is not None:
                settings[PREFECT_API_URL] = api
                # No one reads the heartbeats of a server that stops with the run, and a flow's end waits up to
                # 1 s for its heartbeat thread.
                if "PREFECT_FLOWS_HEARTBEAT_FREQUENCY" not in os.environ:
                    settings[PREFECT_FLOWS_HEARTBEAT_FREQUENCY] = None
            _no_heartbeat_join()
            with temporary_settings(settings) if settings else nullcontext():  # nothing to set: no copy of every setting (0.03 s)
                run_flow = flow_for(options["workers"], options["dask_address"], options["runner"])
                doc = run_flow(input=inputs, out=out, recipe=recipe, overrides=overrides, **options)
    except Exception as e:  # the run itself failed: say why, exit non-zero
        logging.getLogger("qingxi").error("run failed", exc_info=True)
        console.print(f"[red]run failed:[/] {type(e).__name__}: {str(e)[:500]} (details in {log})", soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        progress.listen(None)
        logging.getLogger().removeHandler(handler)
        handler.close()
    return doc, time.time() - t0


def _no_heartbeat_join() -> None:
    """A flow run's end joins its heartbeat thread, which sleeps in whole seconds: up to 1 s (0.5 s on
    average) after the outputs are written. This process ends with the run, so it does not wait, as
    Prefect's async engine does not: the thread sees the run's final state and stops on its own."""
    from prefect import flow_engine

    send = getattr(flow_engine, "_send_heartbeats", None)  # private: left alone if its shape ever changes
    if (send is not None and not isinstance(send, functools.partial)
            and "join_on_exit" in signature(send).parameters):
        flow_engine._send_heartbeats = functools.partial(send, join_on_exit=False)


def _drain_prefect() -> None:
    import sys

    if "prefect" in sys.modules:
        from prefect._internal.concurrency.services import QueueService

        QueueService.drain_all(timeout=30, at_exit=False)


def _log_to_file(out: str) -> tuple[str, logging.Handler]:
    """Every log line of the run, with tracebacks, in OUT/qingxi.log (a local OUT) or the cache folder."""
    if "://" in out:
        path = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "qingxi" / "qingxi.log"
    else:
        path = Path(out) / "qingxi.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return str(path), handler


class _progress_bar:
    """A rich bar per phase, fed by ``flows.progress``."""

    def __enter__(self):
        from flows import progress

        self.bar = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=console, transient=False)
        self.tasks: dict[str, int] = {}
        self.bar.start()
        progress.listen(self.update)
        return self

    def update(self, phase: str, done: int, total: int) -> None:
        key = phase.split(" ")[0] + (" MB" if " MB" in phase else "")  # "map MB (1,234 docs)" keeps one row
        if key not in self.tasks:
            self.tasks[key] = self.bar.add_task(phase, total=total)
        self.bar.update(self.tasks[key], completed=done, total=total, description=phase)

    def __exit__(self, *exc) -> None:
        self.bar.stop()


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n / 2**10:,.1f} KB"


def print_summary(doc: dict, seconds: float) -> None:
    t = doc["totals"]
    table = Table(title="qingxi run", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    rows = [("inputs", f"{t['inputs']:,}"), ("docs in", f"{t['docs_in']:,}"), ("kept", f"{t['kept']:,}")]
    rows += [(f"rejected: {k}", f"{v:,}") for k, v in t["rejected"].items()]
    rows += [(f"errored: {k}", f"{v:,}") for k, v in t["errored"].items()]
    reused = sum(s["map_reused"] for s in doc["shards"])
    rows += [("bytes in", _mb(t["bytes_in"])), ("bytes out", _mb(t["bytes_out"])),
             ("shards reused / redone", f"{reused} / {len(doc['shards']) - reused}"),
             ("failed inputs", f"{t['failed_inputs']:,}"), ("time", f"{seconds:,.1f} s")]
    for k, v in rows:
        table.add_row(k, v)
    Console().print(table)
    unsupported = [r["source"] for r in doc["inputs"] if r.get("errored", {}).get("unsupported_format")]
    if unsupported:
        Console().print(f"unsupported files ({len(unsupported)}): " + ", ".join(unsupported[:20]))
    for r in doc["inputs"]:
        if r["status"] != "ok":
            Console().print(f"[red]failed:[/] {r['source']}: {r['error']}")


@app.command()
def serve(
    inputs: Inputs,
    out: Out,
    cron: Annotated[str, typer.Option(help='Schedule, e.g. "0 3 * * *".')],
    recipe: RecipeOpt = None,
    set_: SetOpt = None,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "scheduled",
    workers: Annotated[int, typer.Option("--workers", "-w", min=1)] = 1,
    runner: Annotated[str, typer.Option(help="Local runner for --workers > 1: process or dask.")] = "process",
    dask_address: Annotated[Optional[str], typer.Option(help="Run tasks on this Dask scheduler.")] = None,
    full: Annotated[bool, typer.Option("--full", help="Redo everything on every run.")] = False,
    shard_mb: Annotated[float, typer.Option(help="Input MB per shard task.")] = 32.0,
    text_field: Annotated[Optional[str], typer.Option(help="JSONL/Parquet field holding the text.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into an OUT holding files qingxi did not write.")] = False,
) -> None:
    """Create the deployment clean-corpus/NAME with a cron schedule and serve it."""
    overrides = set_ or []
    options = dict(workers=workers, runner=runner, dask_address=dask_address, full=full, shard_mb=shard_mb,
                   text_field=text_field, force=force)
    _check(inputs, out, recipe, overrides, **options)
    _check_cron(cron)
    import asyncio

    if not os.environ.get("PREFECT_API_URL"):
        console.print("[yellow]warning:[/] PREFECT_API_URL is not set: the schedule lives on a temporary server that "
                      "stops with this process. Start `prefect server start` and set PREFECT_API_URL for a lasting one.",
                      soft_wrap=True)
    deployment = build_deployment(inputs, out, cron, name, recipe, overrides, **options)
    console.print(f"serving clean-corpus/{name} on cron {cron!r}; stop with Ctrl-C (the schedule stays active)")
    asyncio.run(deployment_runner(deployment).start())


def _check_cron(cron: str) -> None:
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    try:
        CronSchedule(cron=cron)
    except ValidationError:
        console.print(f"[red]error:[/] --cron: not a cron schedule: {cron!r} (e.g. \"0 3 * * *\")", soft_wrap=True)
        raise typer.Exit(2) from None


def deployment_runner(deployment):
    """A Prefect runner for the deployment.

    Prefect pauses a served schedule on shutdown by default; a stopped server must not silently
    stop the nightly run, so the schedule stays active.
    """
    from prefect.runner import Runner

    runner = Runner(name=f"qingxi-{deployment.name}", pause_on_shutdown=False)
    runner.add_deployment(deployment)
    return runner


def build_deployment(inputs, out, cron, name, recipe=None, overrides=(), workers=1, dask_address=None, **options):
    from prefect.deployments.runner import EntrypointType

    from flows.flow import clean_corpus

    local = lambda p: p if "://" in p else os.path.abspath(p)  # noqa: E731 - runs may start in another folder
    params = {"input": [local(p) for p in inputs], "out": local(out), "recipe": recipe, "overrides": list(overrides),
              "workers": workers, "dask_address": dask_address, **options}
    return clean_corpus.to_deployment(name=name, cron=cron, parameters=params,
                                      entrypoint_type=EntrypointType.MODULE_PATH,
                                      description="Clean raw pages into a Parquet dataset.")


@app.command()
def diff(
    out: Annotated[str, typer.Argument(help="An output folder of `qingxi run`.")],
    source: Annotated[str, typer.Argument(help="The page's source, as in the source column.")],
) -> None:
    """Show one page's text after cleaning and every removal with the rule that made it."""
    import pyarrow.dataset as ds

    for folder in ("data", "rejected"):
        path = Path(out) / folder
        if not path.exists():
            continue
        t = ds.dataset(path, format="parquet").to_table(filter=ds.field("source") == source)
        if t.num_rows:
            row = t.to_pylist()[0]
            break
    else:
        console.print(f"[red]error:[/] no page with source {source!r} in {out}")
        raise typer.Exit(1) from None
    c = Console()
    c.rule(f"{source} ({folder}{': ' + row['reason'] if folder == 'rejected' else ''})")
    c.print(f"title: {row['title']}\nurl:   {row['url']}\nmeta:  {row['meta']}")
    for item in json.loads(row["removed"]):
        c.print(Text.assemble((f"- [{item['step']}:{item['rule']}] ", "red"), item["text"]))
    c.rule("kept text")
    c.print(row["text"], highlight=False, markup=False)


@app.command()
def recipe() -> None:
    """Print the default recipe with every parameter: a template for --recipe."""
    from flows.recipe import default_recipe_yaml

    print(default_recipe_yaml(), end="")


@app.command()
def rules(
    as_json: Annotated[bool, typer.Option("--json", help="Print [{step, rule, doc, example}] as JSON.")] = False,
) -> None:
    """List every step's rules: the names the removed column and the manifest use, each with a doc and an example."""
    from transforms.steps import STEPS

    rows = [{"step": s.name, "rule": r.name, "doc": r.doc, "example": r.hits[0] if r.hits else ""}
            for s in STEPS for r in s.rules]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table()
    for name in ("step", "rule", "doc", "example"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(row["step"], row["rule"], row["doc"], Text(row["example"].replace("\n", " ⏎ ")))
    Console().print(table)


@app.command()
def report(out: Annotated[str, typer.Argument(help="An output folder of `qingxi run`.")]) -> None:
    """Write OUT/report.html and OUT/dataset_card.md again from the run's outputs."""
    from flows.report import write_all

    _need_manifest(out)
    try:
        info = write_all(out)
    except Exception as e:  # one line, not a traceback: the outputs are there, only the report failed
        console.print(f"[red]report failed:[/] {type(e).__name__}: {e}")
        raise typer.Exit(1) from None
    console.print(f"{info['path']} ({info['bytes'] / 1024:,.0f} KB, {info['seconds']:.1f} s), {info['card']}")


@app.command()
def inspect(
    out: Annotated[str, typer.Argument(help="An output folder of `qingxi run`.")],
    where: Annotated[Optional[list[str]], typer.Option("--where", "-w", help="FIELD OP VALUE, e.g. reason=duplicate, site=a.cn, n_chars>=200, rule=repeated_line.")] = None,
    n: Annotated[int, typer.Option("-n", min=0, help="Pages to show per folder.")] = 5,
) -> None:
    """Show OUT's schema, counts and a few pages; --where shows the pages that match."""
    from flows.inspect import FilterError, inspect as show

    _need_manifest(out)
    try:
        show(out, where or [], n, Console())
    except FilterError as e:
        console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from None


def _need_manifest(out: str) -> None:
    from flows.io.storage import exists, join

    if not exists(join(out.rstrip("/"), "manifest.json")):
        console.print(f"[red]error:[/] no manifest.json in {out}: not an output folder of `qingxi run`")
        raise typer.Exit(2)


def main() -> None:
    """The ``qingxi`` console script: ``app``, then ``os._exit`` once output is flushed and Prefect's logs and
    events are delivered. The interpreter's own teardown of Prefect's threads and modules took about 3 s of
    wall after a run (measured on 15,000 pages), all of it serial; it frees memory the OS takes back anyway."""
    try:
        app()
        code = 0
    except SystemExit as e:
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
        code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
    _drain_prefect()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
