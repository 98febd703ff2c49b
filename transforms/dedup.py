"""dedup step (placeholder until its issue lands)."""

from __future__ import annotations

from transforms.document import StepConfig


class Config(StepConfig):
    exact: bool = True
    near: bool = True
