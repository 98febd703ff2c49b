"""Per-step CPU A/B: the document steps of a reference tree against this tree's, on the same pages, in one process.

    python -m tools.stepbench --ref /tmp/ref-s10 INPUT [INPUT ...] [--pages N] [--rounds 3] [--steps a,b] [--skip boilerplate]

``--steps boilerplate`` times the boilerplate step (default: the normalization steps and quality).

Each page is run through the reference tree's map steps once, and each timed step's input (a copy) is kept. Then,
round by round, the reference step and this tree's step run in turn on copies of those inputs, timed in CPU
seconds; their results (text, title, columns, removed lines, drop, stats) must be equal. Quality's input is the
page after whitespace. Prints one JSON line per step: ref and new CPU seconds (best round) and ref/new.
``--skip boilerplate`` gives the steps the inputs of the Data-Juicer recipe. A step module's line memos (``text.per_line``)
are cleared before every round, so repeats are only those within the pages, as in one real pass.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMED = ("unicode", "punctuation", "script", "whitespace", "quality")


def _load(tree: Path) -> dict:
    """The steps module and readers of one tree, imported from it alone; the module objects are kept after."""
    for name in [m for m in sys.modules if m.split(".")[0] in ("transforms", "flows")]:
        del sys.modules[name]
    sys.path.insert(0, str(tree))
    try:
        import flows.io.readers as readers
        import transforms.document as document
        import transforms.steps as steps
    finally:
        sys.path.remove(str(tree))
    return {"steps": steps, "readers": readers, "document": document}


def _result(doc, drop, stats) -> tuple:
    return (doc.text, doc.title, doc.url, sorted(doc.columns.items()), sorted(doc.meta.items()), doc.removed,
            drop and (drop.reason, drop.value), dict(stats.rule_lines), dict(stats.rule_chars))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--ref", required=True)
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--steps", default=",".join(TIMED))
    ap.add_argument("--skip", default="", help="map steps not run to make the inputs (boilerplate: the Data-Juicer recipe)")
    args = ap.parse_args()
    timed = args.steps.split(",")
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    ref = _load(Path(args.ref).resolve())
    new = _load(ROOT)
    for side in (ref, new):
        side["apply"] = {s.name: s.apply for s in side["steps"].STEPS}
        side["config"] = {s.name: s.config() for s in side["steps"].STEPS}

    # Inputs: this tree's reader, then the reference map steps, keeping each timed step's input.
    readers = new["readers"]
    files = [p for i in args.inputs for p in (sorted(Path(i).rglob("*")) if Path(i).is_dir() else [Path(i)])
             if p.is_file()]
    inputs: dict[str, list] = {s: [] for s in timed}
    n = 0
    for f in files:
        for doc in readers.read_file(str(f), f.name):
            if n >= args.pages:
                break
            if not isinstance(doc, readers.Document):
                continue
            n += 1
            doc = ref["document"].Document(**vars(copy.deepcopy(doc)))
            for name in ("unicode", "boilerplate", "punctuation", "script", "whitespace", "quality"):
                if name in inputs:
                    inputs[name].append(copy.deepcopy(doc))
                if name == "quality":
                    break
                if name in args.skip.split(","):
                    continue
                if ref["apply"][name](doc, ref["config"][name], ref["document"].StepStats()) is not None:
                    break  # dropped: no later step sees it
    print(json.dumps({"pages": n, "files": len(files)}), flush=True)

    for name in timed:
        docs = inputs[name]
        chars = sum(len(d.text) for d in docs)
        best = {"ref": float("inf"), "new": float("inf")}
        for side in (ref, new):  # each tree builds its own tables on first use: not part of the timing
            for d in docs[:20]:
                side["apply"][name](side["document"].Document(**copy.deepcopy(vars(d))), side["config"][name],
                                    side["document"].StepStats())
        results = {}
        for _ in range(args.rounds):
            for label, side in (("ref", ref), ("new", new)):
                mod = side["document"]
                work = [mod.Document(**copy.deepcopy(vars(d))) for d in docs]
                fn, cfg = side["apply"][name], side["config"][name]
                for g in list(fn.__globals__.values()):
                    getattr(g, "clear_memo", lambda: None)()  # per_line memos start empty each round, as in a fresh worker
                out = []
                t0 = time.process_time()
                for d in work:
                    st = mod.StepStats()
                    out.append((d, fn(d, cfg, st), st))
                best[label] = min(best[label], time.process_time() - t0)
                results[label] = [_result(*r) for r in out]
        same = results["ref"] == results["new"]
        bad = next((i for i, (a, b) in enumerate(zip(results["ref"], results["new"])) if a != b), None)
        print(json.dumps({"step": name, "docs": len(docs), "mchars": round(chars / 1e6, 2),
                          "ref_cpu": round(best["ref"], 3), "new_cpu": round(best["new"], 3),
                          "ratio": round(best["ref"] / max(best["new"], 1e-9), 2), "same": same,
                          **({"first_diff": docs[bad].id} if bad is not None else {})}), flush=True)
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
