"""Quiet, steady Prefect defaults, applied before Prefect is imported."""

from __future__ import annotations

import os
from pathlib import Path


def prefect_defaults() -> None:
    """Keep analytics off, give the embedded server time to start, and keep its home out of ~/.prefect."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")  # the cluster's own chatter drowns the summary
    if "PREFECT_HOME" not in os.environ and "PREFECT_API_URL" not in os.environ:
        home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "qingxi" / "prefect"
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)


SERVER_APP = "prefect.server.api.server:create_app"


def reap_orphan_servers() -> list[int]:
    """Stop temporary Prefect servers that a killed ``qingxi`` left behind (``kill -9`` gives it no time to
    stop its server). Only servers of this PREFECT_HOME whose parent is gone are touched."""
    import psutil

    home = os.environ.get("PREFECT_HOME")
    reaped = []
    for p in psutil.process_iter(["cmdline", "ppid"]):
        try:
            if SERVER_APP not in (p.info["cmdline"] or []):
                continue
            env = p.environ()
            if env.get("PREFECT__SERVER_EPHEMERAL") != "1" or env.get("PREFECT_HOME") != home:
                continue
            parent = p.parent()
            if parent is not None and parent.pid != 1 and "python" in parent.name() + " ".join(parent.cmdline()[:1]):
                continue  # a live run's server
            p.terminate()
            reaped.append(p.pid)
        except psutil.Error:
            continue
    return reaped


class TemporaryServer:
    """Prefect's API server for one run, as Prefect's own temporary server runs it (same command and marks,
    so ``reap_orphan_servers`` knows it), but started at once in the background: it comes up while the run
    imports and plans, and the run never imports the server's code itself."""

    def __init__(self):
        import importlib.util
        import socket
        import subprocess
        import sys

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/api"
        app_dir = Path(importlib.util.find_spec("prefect").origin).parent.parent
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), "--factory", SERVER_APP, "--host",
             "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait(self, timeout: float | None = None) -> str:
        """The API URL once the server answers; RuntimeError if it exits or does not answer in time."""
        import time
        import urllib.request

        timeout = timeout or float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 90))
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the temporary Prefect server exited with code {self.proc.returncode}: "
                                   f"{self.proc.stderr.read().decode(errors='replace')[-1000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as r:
                    if r.status == 200:
                        return self.url
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        import subprocess

        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


_pools: dict[int, tuple] = {}  # pool processes started ahead of a run: count -> (executor, message queue)


def start_pool(processes: int, preload: tuple[str, ...] = ("flows.flow",)) -> None:
    """Spawn the pool processes of a coming ``--workers`` run now, before this process imports Prefect, so
    they import while it imports, checks, plans and waits for its server. The run's runner takes them
    (``take_pool``); ``stop_pools`` ends those no runner took."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if processes < 1 or processes in _pools:
        return
    spawn = multiprocessing.get_context("spawn")  # as Prefect's ProcessPoolTaskRunner
    messages = spawn.Queue()
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=spawn, initializer=_init_worker, initargs=(messages,))
    for _ in range(processes):
        pool.submit(_import, preload)
    _pools[processes] = (pool, messages)


def take_pool(processes: int) -> tuple | None:
    return _pools.pop(processes, None)


def stop_pools() -> None:
    while _pools:
        pool, messages = _pools.popitem()[1]
        for p in list(getattr(pool, "_processes", {}).values()):  # still importing: no need to wait
            p.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        messages.close()


def _init_worker(messages) -> None:
    """What Prefect's process pool runs first in each worker: its events and logs go to the parent. And a
    quick exit: by the time the interpreter exits, each task has sent its events and logs to the parent and
    the message queue is flushed, so the teardown of Prefect's modules and the steps' tables (~1.5 s of
    wall, which the run's end waits for) is skipped, as the CLI's own process skips it."""
    import atexit

    from prefect.task_runners import _initialize_process_pool_worker

    _initialize_process_pool_worker(messages, None, ())
    atexit.register(_quick_exit)


def _quick_exit() -> None:
    import logging
    import sys

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)


def _import(modules: tuple[str, ...]) -> None:
    import importlib

    for name in modules:
        importlib.import_module(name)
    if "flows.flow" in modules:  # and what the steps build on first use, before the first task comes
        from flows.stages import warm

        warm()
        # Prefect's first task here loads its collections (prefect_dask, thus distributed and dask: ~0.4 s),
        # to read the result store's block type; load them now, while the flow's process imports and plans.
        from prefect.plugins import load_prefect_collections

        load_prefect_collections()
