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
