"""The document every step works on, and the small types steps report with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict


@dataclass
class Document:
    """One page. ``meta`` holds scalars; ``columns`` holds step outputs that become real columns."""

    id: str
    source: str
    text: str
    url: str | None = None
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)
    removed: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Drop:
    """A step's verdict that a document leaves the dataset, with why."""

    reason: str
    value: float | str | None = None
    step: str = ""
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Rule:
    """One thing a step removes or changes, declared once under the name ``removed`` and the manifest use.

    ``hits`` are texts the rule fires on and ``misses`` look alike but must survive; tests run both.
    ``kind`` says where it looks: a whole ``line``, the ``tail`` of a line, or the ``page`` around it.
    """

    name: str
    doc: str
    hits: tuple[str, ...] = ()
    misses: tuple[str, ...] = ()
    kind: str = "page"
    test: Callable[[str], bool] | None = None  # a whole-line rule's own test


@dataclass
class StepStats:
    """What one step did over some documents; stats from shards merge by addition."""

    docs_in: int = 0
    docs_changed: int = 0
    docs_dropped: int = 0
    chars_removed: int = 0
    rule_lines: Counter = field(default_factory=Counter)
    rule_chars: Counter = field(default_factory=Counter)
    drop_reasons: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def count(self, rule: str, chars: int, lines: int = 1) -> None:
        """Add one rule's removal (or change) to the per-rule tallies."""
        self.rule_lines[rule] += lines
        self.rule_chars[rule] += chars

    def merge(self, other: "StepStats") -> None:
        self.docs_in += other.docs_in
        self.docs_changed += other.docs_changed
        self.docs_dropped += other.docs_dropped
        self.chars_removed += other.chars_removed
        self.rule_lines.update(other.rule_lines)
        self.rule_chars.update(other.rule_chars)
        self.drop_reasons.update(other.drop_reasons)
        self.seconds += other.seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "docs_in": self.docs_in,
            "docs_changed": self.docs_changed,
            "docs_dropped": self.docs_dropped,
            "chars_removed": self.chars_removed,
            "rules": {
                r: {"lines": self.rule_lines[r], "chars": self.rule_chars[r]}
                for r in sorted(self.rule_lines)
            },
            "drop_reasons": dict(sorted(self.drop_reasons.items())),
            "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "StepStats":
        s = cls(d["docs_in"], d["docs_changed"], d["docs_dropped"], d["chars_removed"])
        for rule, v in d.get("rules", {}).items():
            s.count(rule, v["chars"], v["lines"])
        s.drop_reasons.update(d.get("drop_reasons", {}))
        s.seconds = d.get("seconds", 0.0)
        return s


def remove_span(doc: Document, stats: StepStats, step: str, rule: str, span: str) -> None:
    """Record that ``rule`` removed ``span`` from ``doc``: the audit trail and the tallies."""
    if not span:
        return
    doc.removed.append({"step": step, "rule": rule, "text": span})
    stats.count(rule, len(span), max(1, span.count("\n") + 1))


class StepConfig(BaseModel):
    """Base of every step's parameters; unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    enabled: bool = True
