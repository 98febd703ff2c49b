"""One step of a reference tree against this tree's, on the same documents in one process, in turn.

    python -m tools.step_ab REF_TREE INPUT... [--step boilerplate] [--limit 3000 (per input)] [--rounds 3]

Reads the inputs once, runs the steps before ``--step`` (this tree's) on every document, then times the
reference step and this tree's in turn on copies of them (CPU seconds; each round a different share of the
documents, the two in alternating order), and asserts equal results:
text, title, url, columns, meta and removed. Prints the CPU seconds of each round and the ratio ref / ours.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import sys
import time


def _load_ref(tree: str, step: str):
    """The reference tree's step module and its StepStats, imported under the same package names, then set aside
    so this tree's modules import afresh (each copy keeps the objects it was built with)."""
    saved = {k: v for k, v in sys.modules.items() if k == "transforms" or k.startswith("transforms.")}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, tree)
    try:
        mod = importlib.import_module(f"transforms.{step}")
        stats = importlib.import_module("transforms.document").StepStats
        configs = importlib.import_module("transforms.steps").CONFIGS
    finally:
        sys.path.remove(tree)
        for k in [k for k in sys.modules if k == "transforms" or k.startswith("transforms.")]:
            del sys.modules[k]
        sys.modules.update(saved)
    return mod, stats, configs[step]


def _docs(paths: list[str], limit: int, step: str) -> list:
    from flows.io.readers import read_file
    from flows.plan import discover
    from transforms.document import Document, StepStats
    from transforms.steps import STEPS

    docs = []
    for root in paths:  # at most ``limit`` documents from each input
        n = 0
        for f in discover([root]):
            for d in read_file(f.url, f.rel):
                if isinstance(d, Document) and n < limit:
                    docs.append(d)
                    n += 1
            if n >= limit:
                break
    before = [s for s in STEPS[: [s.name for s in STEPS].index(step)]]
    kept = []
    for d in docs:
        if all(s.apply(d, s.config(), StepStats()) is None for s in before):
            kept.append(d)
    return kept


def _run(apply, cfg, stats_cls, docs):
    out = [copy.deepcopy(d) for d in docs]
    stats = stats_cls()
    t = time.process_time()
    for d in out:
        apply(d, cfg, stats)
    return time.process_time() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("ref")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--step", default="boilerplate")
    ap.add_argument("--limit", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    ref_mod, ref_stats, ref_cfg = _load_ref(a.ref, a.step)
    from transforms.document import StepStats
    from transforms.steps import BY_NAME

    ours = BY_NAME[a.step]
    docs = _docs(a.inputs, a.limit, a.step)
    totals = {"ref": 0.0, "ours": 0.0}
    for r in range(a.rounds):  # each round its own pages: the rules' line memos meet new lines, as in a real run
        chunk = docs[r::a.rounds]
        if r % 2:
            t_ours, out_ours = _run(ours.apply, ours.config(), StepStats, chunk)
            t_ref, out_ref = _run(ref_mod.apply, ref_cfg(), ref_stats, chunk)
        else:
            t_ref, out_ref = _run(ref_mod.apply, ref_cfg(), ref_stats, chunk)
            t_ours, out_ours = _run(ours.apply, ours.config(), StepStats, chunk)
        totals["ref"] += t_ref
        totals["ours"] += t_ours
        for x, y in zip(out_ref, out_ours):
            for f in ("text", "title", "url", "columns", "meta", "removed"):
                assert getattr(x, f) == getattr(y, f), (x.id, f, getattr(x, f), getattr(y, f))
        print(f"round {r}: ref {t_ref:.2f} s, ours {t_ours:.2f} s, ratio {t_ref / t_ours:.3f}", flush=True)
    print(f"{len(docs)} docs, equal; total ref {totals['ref']:.2f} s, ours {totals['ours']:.2f} s, "
          f"ratio ref/ours {totals['ref'] / totals['ours']:.3f}")


if __name__ == "__main__":
    main()
