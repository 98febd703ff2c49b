"""Pick the Prefect task runner for ``--workers`` and ``--dask-address``."""

from __future__ import annotations

from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner


def make_runner(workers: int = 1, dask_address: str | None = None, kind: str = "process"):
    """One thread for one worker; N processes otherwise, since the steps are CPU-bound Python.

    Measured on 2 cores (46,662 pages): 1 worker 133 s, ProcessPoolTaskRunner 103 s, Dask LocalCluster
    139 s, so processes are the default and Dask is for clusters (``--dask-address``).
    """
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    if workers <= 1:
        return ThreadPoolTaskRunner(max_workers=1)
    if kind == "process":
        return WarmProcessPool(max_workers=workers)
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                        "dashboard_address": ":0", "memory_limit": "6GiB"},
    )


def _warm() -> None:
    import flows.flow  # noqa: F401 - Prefect and every step: what a worker's first task would import


class WarmProcessPool(ProcessPoolTaskRunner):
    """Starts its workers as the flow starts, so they import Prefect and the steps (about 2 s each) while the
    flow plans its shards, not once the first map task waits for them."""

    def __enter__(self):
        super().__enter__()
        for _ in range(self._max_workers):  # the executor starts one process per submit while none is idle
            self._executor.submit(_warm)
        return self
