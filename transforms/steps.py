"""The step registry: every step declared once, in the order a run applies them.

A document step is ``apply(doc, cfg, stats) -> Drop | None``. A corpus step needs every page first: the map
phase takes its ``map_keys(doc, cfg, seen)`` (its rows as columns, name -> list; seen: a set the step keeps for the shard), a reduce phase feeds them to its pure ``decide``, and the apply phase
calls ``apply(doc, cfg, stats, decision)``. Document steps before the first corpus step run in the map phase,
the rest in the apply phase, so ``STEPS`` is the real order. Everything else (recipes, the schema's signal
columns, the bench floor, the stages) derives from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from transforms import boilerplate, crossdoc, dedup, punctuation, quality, script, unicode, whitespace
from transforms.boilerplate_rules import RULES as BOILERPLATE_RULES
from transforms.document import Rule, StepConfig


@dataclass(frozen=True)
class Step:
    name: str
    config: type[StepConfig]
    apply: Callable[..., Any]
    map_keys: Callable[..., Any] | None = None  # corpus steps only
    decide: Callable[..., Any] | None = None  # corpus steps only
    columns: tuple[tuple[str, str], ...] = ()  # (name, Arrow type) of the signal columns it writes
    rules: tuple[Rule, ...] = ()  # the rule names its stats and the removed column use

    @property
    def corpus(self) -> bool:
        return self.map_keys is not None


STEPS: tuple[Step, ...] = (
    Step("unicode", unicode.Config, unicode.apply, rules=unicode.RULES),
    Step("boilerplate", boilerplate.Config, boilerplate.apply, columns=(("list_page", "float32"),),
         rules=BOILERPLATE_RULES),
    Step("punctuation", punctuation.Config, punctuation.apply, rules=punctuation.RULES),
    Step("script", script.Config, script.apply, columns=(("script", "string"),), rules=script.RULES),
    Step("whitespace", whitespace.Config, whitespace.apply, rules=whitespace.RULES),
    Step("crossdoc", crossdoc.Config, crossdoc.apply, crossdoc.map_keys, crossdoc.decide, rules=crossdoc.RULES),
    Step("quality", quality.Config, quality.apply, columns=quality.COLUMNS, rules=quality.RULES),
    Step("dedup", dedup.Config, dedup.apply, dedup.map_keys, dedup.decide, (("cluster_size", "int32"),),
         rules=dedup.RULES),
)

BY_NAME = {s.name: s for s in STEPS}
STEP_ORDER = tuple(BY_NAME)
CONFIGS = {s.name: s.config for s in STEPS}
_FIRST_CORPUS = next((k for k, s in enumerate(STEPS) if s.corpus), len(STEPS))
MAP_STEPS = STEPS[:_FIRST_CORPUS]  # document steps of the map phase
APPLY_STEPS = STEPS[_FIRST_CORPUS:]  # corpus and document steps of the apply phase
CORPUS_STEPS = tuple(s for s in STEPS if s.corpus)
PER_DOC = {s.name: s.apply for s in MAP_STEPS}


def signal_columns() -> list[tuple[str, str]]:
    """Every declared signal column, in step order, each once.

    >>> signal_columns()[:2]
    [('list_page', 'float32'), ('script', 'string')]
    """
    seen: dict[str, str] = {}
    for s in STEPS:
        for name, kind in s.columns:
            seen.setdefault(name, kind)
    return list(seen.items())
