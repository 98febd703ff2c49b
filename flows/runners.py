"""Pick the Prefect task runner for ``--workers`` and ``--dask-address``."""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future
from contextvars import copy_context

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
        return FlowProcessPoolRunner(workers)
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                        "dashboard_address": ":0", "memory_limit": "6GiB"},
    )


class FlowProcessPoolRunner(ProcessPoolTaskRunner):
    """``workers`` task slots: a thread of the flow's own process and ``workers - 1`` spawned processes.

    The flow's process has imported everything already and sits idle while its tasks run, so it takes
    tasks too: one process fewer to spawn, import into (~2 CPU s) and hold in memory (~0.5 GB). Each slot
    takes the next task when it is free, so a slow slot gets fewer tasks; the flow's own slot first, as a
    task there skips the trip to a pool process (~0.1-0.3 s: a lone reduce or cluster task is mostly that).
    It takes the processes that ``flows.settings.start_pool`` started, when there are.
    """

    def __init__(self, workers: int = 2):
        super().__init__(max_workers=max(1, workers - 1))
        self.workers = workers
        self._tasks: deque | None = None  # made on entering: a runner is pickled with its flow
        self._ready: threading.Condition | None = None
        self._local_busy = self._stopping = False
        self._slots: list[threading.Thread] = []

    def duplicate(self) -> "FlowProcessPoolRunner":
        return type(self)(self.workers)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FlowProcessPoolRunner) and other.workers == self.workers

    def __enter__(self):
        self._tasks, self._ready = deque(), threading.Condition()
        self._local_busy = self._stopping = False
        from flows.settings import take_pool

        early = take_pool(self._max_workers)
        if early is None:
            super().__enter__()
            return self
        # ProcessPoolTaskRunner.__enter__, with the pool and message queue started early.
        from concurrent.futures import ThreadPoolExecutor

        from prefect.task_runners import TaskRunner

        TaskRunner.__enter__(self)
        self._executor, self._subprocess_message_queue = early
        self._message_forwarding_thread = threading.Thread(
            target=self._forward_subprocess_messages, name="ProcessPoolTaskRunnerMessageForwarder", daemon=True)
        self._message_forwarding_thread.start()
        self._resolver_executor = ThreadPoolExecutor(max_workers=self._max_workers)
        return self

    def __exit__(self, *exc) -> None:
        if self._ready is not None:
            with self._ready:  # the slots run what is queued, then stop
                self._stopping = True
                self._ready.notify_all()
        for t in self._slots:
            t.join()
        self._slots = []
        super().__exit__(*exc)

    def submit(self, task, parameters, wait_for=None, dependencies=None):
        from prefect._internal.uuid7 import uuid7
        from prefect.context import serialize_context
        from prefect.futures import PrefectConcurrentFuture
        from prefect.settings.context import get_current_settings

        if not self._started or self._ready is None:
            raise RuntimeError("Task runner is not started")
        if self._cached_context is None:  # what a spawned process needs to run in this flow's context
            import os

            self._cached_context = serialize_context()
            self._cached_env = get_current_settings().to_environment_variables(exclude_unset=True) | os.environ
        if not self._slots:  # at the first task: Prefect also enters a copy of this runner around every task
            self._slots = [threading.Thread(target=self._slot, args=(i == 0,), name=f"qingxi-slot-{i}", daemon=True)
                           for i in range(self.workers)]  # it runs in a pool process, and that copy runs none
            for t in self._slots:
                t.start()
        task_run_id = uuid7()
        done: Future = Future()
        with self._ready:
            self._tasks.append((task, task_run_id, parameters, wait_for, dependencies, copy_context(), done))
            self._ready.notify_all()
        return PrefectConcurrentFuture(task_run_id=task_run_id, wrapped_future=done)

    def _next(self, local: bool):
        """The next queued task for this slot, or None when the runner stops and nothing is left. A pool
        slot takes one only while the flow's own slot is busy."""
        with self._ready:
            while not (self._tasks and (local or self._local_busy)):
                if self._stopping and not self._tasks:
                    return None
                self._ready.wait()
            if local:
                self._local_busy = True
            item = self._tasks.popleft()
            self._ready.notify_all()
            return item

    def _slot(self, local: bool) -> None:
        """Run queued tasks, here (``local``) or in a pool process, until told to stop."""
        while (item := self._next(local)) is not None:
            task, task_run_id, parameters, wait_for, dependencies, context, done = item
            try:
                if done.set_running_or_notify_cancel():
                    done.set_result(self._run_here(*item[:6]) if local else
                                    self._run_in_pool(task, task_run_id, parameters, wait_for, dependencies))
            except BaseException as e:  # noqa: BLE001 - the caller's future carries it
                done.set_exception(e)
            finally:
                if local:
                    with self._ready:
                        self._local_busy = False
                        self._ready.notify_all()

    @staticmethod
    def _run_here(task, task_run_id, parameters, wait_for, dependencies, context):
        from prefect.task_engine import run_task_sync

        return context.run(run_task_sync, task=task, task_run_id=task_run_id, parameters=parameters,
                           wait_for=wait_for, return_type="state", dependencies=dependencies,
                           context=dict(cancel_event=threading.Event()))

    def _run_in_pool(self, task, task_run_id, parameters, wait_for, dependencies):
        import cloudpickle

        future = self._resolve_futures_and_submit(task, task_run_id, parameters, wait_for, dependencies,
                                                  self._cached_context, self._cached_env)
        return cloudpickle.loads(future.result())
