"""quality step (placeholder until its issue lands)."""

from __future__ import annotations

from transforms.document import Document, Drop, StepConfig, StepStats


class Config(StepConfig):
    min_chars: int = 1


def apply(doc: Document, cfg: Config, stats: StepStats) -> Drop | None:
    """Drop empty pages: ``""`` is dropped as ``too_short``; ``"你好。"`` is kept."""
    n = len(doc.text.strip())
    if n < cfg.min_chars:
        return Drop("too_short", n)
    return None
