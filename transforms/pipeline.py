"""Run per-document steps in order and keep their stats honest."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from transforms.document import Document, Drop, StepConfig, StepStats

StepFn = Callable[[Document, StepConfig, StepStats], "Drop | None"]


def run_steps(
    doc: Document,
    steps: Sequence[tuple[str, StepFn, StepConfig]],
    stats: dict[str, StepStats],
) -> Drop | None:
    """Apply ``steps`` to ``doc`` in place; stop at the first drop and return it.

    >>> from transforms import whitespace
    >>> doc, stats = Document(id="a", source="a", text="第一段。  \\n\\n\\n第二段。"), {}
    >>> run_steps(doc, [("whitespace", whitespace.apply, whitespace.Config())], stats)
    >>> doc.text, stats["whitespace"].docs_changed
    ('第一段。\\n第二段。', 1)
    """
    for name, fn, cfg in steps:
        st = stats.get(name)
        if st is None:  # not setdefault: a StepStats (three Counters) per step and page adds up
            st = stats[name] = StepStats()
        before = doc.text
        st.docs_in += 1
        t0 = time.perf_counter()
        drop = fn(doc, cfg, st)
        st.seconds += time.perf_counter() - t0
        if doc.text != before:
            st.docs_changed += 1
            st.chars_removed += max(0, len(before) - len(doc.text))
        if drop is not None:
            drop.step = drop.step or name
            st.docs_dropped += 1
            st.drop_reasons[drop.reason] += 1
            return drop
    return None
