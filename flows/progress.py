"""A hook the CLI sets to follow shard tasks; flows run fine without it."""

from __future__ import annotations

from collections.abc import Callable

_listener: Callable[[str, int, int], None] | None = None


def listen(fn: Callable[[str, int, int], None] | None) -> None:
    global _listener
    _listener = fn


def report(phase: str, done: int, total: int) -> None:
    if _listener is not None:
        _listener(phase, done, total)
