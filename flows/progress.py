"""A hook the CLI sets to follow a run; flows run fine without it.

Shard tasks may run in other processes, so map tasks also note the bytes they have read in small
files under ``_work/progress/``; ``watch_map`` sums them for the bar while the map phase runs.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

_listener: Callable[[str, int, int], None] | None = None
NOTE_SECONDS = 1.0


def listen(fn: Callable[[str, int, int], None] | None) -> None:
    global _listener
    _listener = fn


def report(phase: str, done: int, total: int) -> None:
    if _listener is not None:
        _listener(phase, done, total)


class Notes:
    """What one map task has read so far, written at most once a second (local OUT only): rewriting a
    small file costs milliseconds on some disks, more than reading a small page."""

    def __init__(self, folder: str | None, name: str):
        self.path = os.path.join(folder, name) if folder and "://" not in folder else None
        self.last = 0.0
        if self.path:
            os.makedirs(folder, exist_ok=True)

    def note(self, bytes_done: int, docs: int, force: bool = False) -> None:
        now = time.monotonic()
        if self.path and (force or now - self.last >= NOTE_SECONDS):
            self.last = now
            with open(self.path, "w") as f:
                f.write(f"{bytes_done} {docs}")


def watch_map(folder: str, total_bytes: int) -> Callable[[], None]:
    """Report ``map MB`` from the notes every half second until the returned function is called."""
    stop = threading.Event()
    if _listener is None or "://" in folder:
        return stop.set

    def poll():
        while not stop.wait(0.5):
            done = docs = 0
            for name in os.listdir(folder) if os.path.isdir(folder) else []:
                try:
                    b, d = open(os.path.join(folder, name)).read().split()
                    done, docs = done + int(b), docs + int(d)
                except (OSError, ValueError):
                    continue
            report(f"map MB ({docs:,} docs)", done >> 20, max(1, total_bytes >> 20))

    threading.Thread(target=poll, name="qingxi-progress", daemon=True).start()
    return stop.set
