"""crossdoc step (placeholder until its issue lands)."""

from __future__ import annotations

from transforms.document import StepConfig


class Config(StepConfig):
    min_pages: int = 3
    max_chars: int = 200
