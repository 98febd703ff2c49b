"""A/B micro-benchmark of one step: a reference tree's step and this tree's, on the same pages, in turn.

    python -m tools.abbench REF_TREE INPUT [INPUT...] [--step boilerplate] [--pages 3000] [--rounds 3]

Reads the pages, runs the steps before ``--step`` once (this tree's), then times the reference step and this
tree's alternately on fresh copies, ``--rounds`` times each, asserting the same text, title, url, columns, meta
and removed. Prints CPU seconds per round and the ratio (reference / this tree): above 1 is faster here.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import sys
import time


def _load_tree(root: str | None, step: str):
    """(steps module, document module) of the tree at ``root`` (None: this one), imported under their own names."""
    saved = {k: v for k, v in sys.modules.items() if k == "transforms" or k.startswith("transforms.")}
    for k in saved:
        del sys.modules[k]
    if root:
        sys.path.insert(0, root)
    try:
        steps = importlib.import_module("transforms.steps")
        document = importlib.import_module("transforms.document")
    finally:
        if root:
            sys.path.remove(root)
        mine = {k: v for k, v in sys.modules.items() if k == "transforms" or k.startswith("transforms.")}
        for k in mine:
            del sys.modules[k]
        sys.modules.update(saved)
    return steps, document


def _time_funcs(module: dict, names: str) -> dict[str, list]:
    """Wrap each named function of a module (its globals) with a CPU timer; returns name -> [seconds, calls]."""
    out = {}
    for name in names.split(","):
        fn, acc = module[name], [0.0, 0]

        def timed(*a, _fn=fn, _acc=acc, **kw):
            t0 = time.process_time()
            try:
                return _fn(*a, **kw)
            finally:
                _acc[0] += time.process_time() - t0
                _acc[1] += 1

        module[name] = timed
        out[name] = acc
    return out


def _state(doc) -> str:
    return json.dumps([doc.text, doc.title, doc.url, doc.columns, doc.meta, doc.removed],
                      ensure_ascii=False, sort_keys=True, default=str)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ref")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--step", default="boilerplate")
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--funcs", default="", help="module-level functions of the step's module to time alone, by name")
    args = ap.parse_args()

    from flows.io import readers
    from flows.plan import discover
    from flows.recipe import load_recipe

    recipe = load_recipe(None)
    trees = {"mine": _load_tree(None, args.step), "ref": _load_tree(args.ref, args.step)}
    steps, document = trees["mine"]
    docs = []
    for f in discover(args.inputs):
        for item in readers.read_file(f.url, f.rel):
            if isinstance(item, readers.Document):
                docs.append(item)
            if len(docs) >= args.pages:
                break
        if len(docs) >= args.pages:
            break
    names = [s.name for s in steps.STEPS]
    before = [s for s in steps.STEPS[:names.index(args.step)] if not s.corpus]
    kept = [d for d in docs if all(s.apply(d, recipe.get(s.name), document.StepStats()) is None for s in before)]
    print(f"{len(kept)} pages, {sum(len(d.text) for d in kept) / 1e6:.1f} M chars", flush=True)
    cfg = recipe.get(args.step).model_dump()
    run = {k: (st.BY_NAME[args.step].apply, st.BY_NAME[args.step].config(**cfg), dm.StepStats)
           for k, (st, dm) in trees.items()}
    timers = {k: _time_funcs(st.BY_NAME[args.step].apply.__globals__, args.funcs)
              for k, (st, _) in trees.items()} if args.funcs else {}
    cpu: dict[str, list[float]] = {"ref": [], "mine": []}
    for r in range(args.rounds):
        out = {}
        for name in ("ref", "mine") if r % 2 == 0 else ("mine", "ref"):
            batch = copy.deepcopy(kept)
            fn, c, stats = run[name]
            st = stats()
            t0 = time.process_time()
            drops = [fn(d, c, st) for d in batch]
            cpu[name].append(time.process_time() - t0)
            out[name] = [_state(d) + repr(x) for d, x in zip(batch, drops)]
        bad = [k for k, (a, b) in enumerate(zip(out["ref"], out["mine"])) if a != b]
        assert not bad, f"{len(bad)} pages differ, first {kept[bad[0]].source}"
        print(f"round {r}: ref {cpu['ref'][-1]:.2f} s, mine {cpu['mine'][-1]:.2f} s CPU, "
              f"ratio {cpu['ref'][-1] / cpu['mine'][-1]:.3f}; outputs equal", flush=True)
    for name in args.funcs.split(",") if args.funcs else ():
        a, b = timers["ref"][name], timers["mine"][name]
        print(f"{name}: ref {a[0]:.3f} s, mine {b[0]:.3f} s CPU, ratio {a[0] / max(b[0], 1e-9):.3f} ({a[1]} calls)")
    best = {k: min(v) for k, v in cpu.items()}
    print(json.dumps({"pages": len(kept), "ref_cpu": [round(x, 2) for x in cpu["ref"]],
                      "mine_cpu": [round(x, 2) for x in cpu["mine"]],
                      "ratio_best": round(best["ref"] / best["mine"], 3),
                      "ratio_total": round(sum(cpu["ref"]) / sum(cpu["mine"]), 3)}))


if __name__ == "__main__":
    main()
