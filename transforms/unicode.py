"""unicode step (placeholder until its issue lands)."""

from __future__ import annotations

from transforms.document import Document, Drop, StepConfig, StepStats


class Config(StepConfig):
    pass


def apply(doc: Document, cfg: Config, stats: StepStats) -> Drop | None:
    """Leave the text as it is: ``"你好,世界"`` stays ``"你好,世界"``."""
    return None
