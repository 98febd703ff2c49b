"""A time budget for one document, in whatever thread runs it.

Signals only reach the main thread, and shard tasks run in pool threads and Dask workers, so one
watchdog thread per process raises ``TooSlow`` asynchronously in the thread that overran. It lands
at the next Python bytecode: a single long C call (one regex, one lxml parse) finishes first.
"""

from __future__ import annotations

import ctypes
import threading
import time
from contextlib import contextmanager
from typing import Iterator


class TooSlow(BaseException):
    """A document ran over its budget. A BaseException, so libraries' ``except Exception`` don't eat it."""


_lock = threading.Condition()
_active: dict[int, tuple[float, int]] = {}  # thread id -> (deadline, token)
_fired: set[int] = set()  # tokens whose exception was sent
_tokens = iter(range(1, 1 << 62))
_watchdog: threading.Thread | None = None
_wake_at: float | None = None  # when the watchdog next looks (None: not until woken)
_last_start = 0.0  # when a budget last began
IDLE_SECONDS = 1.0  # while documents keep coming, the watchdog looks this often rather than be woken for each


def _set_async(tid: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(exc) if exc else None)


def _watch() -> None:
    global _wake_at
    with _lock:
        while True:
            now = time.monotonic()
            for tid, (deadline, token) in list(_active.items()):
                if deadline <= now and token not in _fired:
                    _fired.add(token)
                    _set_async(tid, TooSlow)
            pending = [d for d, t in _active.values() if t not in _fired]
            if pending:
                _wake_at = min(pending)
            else:
                _wake_at = now + IDLE_SECONDS if now - _last_start < IDLE_SECONDS else None
            _lock.wait(None if _wake_at is None else max(0.0, _wake_at - now))


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise ``TooSlow`` in this thread if the block runs longer than ``seconds`` (None or 0: no limit).

    >>> with time_budget(5):
    ...     "台风今晨登陆".count("台")
    1
    """
    global _watchdog, _wake_at, _last_start
    if not seconds:
        yield
        return
    tid = threading.get_ident()
    if tid in _active:  # nested: the outer budget already holds this thread
        yield
        return
    with _lock:
        if _watchdog is None or not _watchdog.is_alive():
            _watchdog = threading.Thread(target=_watch, name="qingxi-time-budget", daemon=True)
            _watchdog.start()
        token = next(_tokens)
        _last_start = time.monotonic()
        deadline = _last_start + seconds
        _active[tid] = (deadline, token)
        # Waking the watchdog for every document costs a thread switch each; it need only look
        # sooner than planned, and when it wakes it looks at every deadline.
        if _wake_at is None or deadline < _wake_at:
            _wake_at = deadline
            _lock.notify()
    fired = False
    try:
        yield
    finally:
        with _lock:
            _active.pop(tid, None)
            fired = token in _fired
            _fired.discard(token)
        if fired:
            _set_async(tid, None)  # clear it if it has not landed yet
    if fired:
        raise TooSlow(f"over {seconds:g} s")
