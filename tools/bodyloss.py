"""Which labelled body lines a gold page loses, and the rule that took each: ``python -m tools.bodyloss [--labels GLOB]``.

``--kept`` lists the other way round: the lines labelled boilerplate that the output still holds.

For finding families of body loss on gold pages (never page wording for a rule).
"""

from __future__ import annotations

import argparse

from tools import evaluate as ev


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--labels", action="append", default=None)
    ap.add_argument("--width", type=int, default=70)
    ap.add_argument("--kept", action="store_true", help="boilerplate lines kept, not body lines lost")
    args = ap.parse_args(argv)
    labels = ev.load_labels(args.labels)
    pages = ev.Pages(labels)
    cleaned = ev.clean_in_process(labels, pages)
    for k, lab in enumerate(labels):
        raw = pages.get(lab)[0].split("\n")
        out = {ev.canonical(x) for x in cleaned[k]["text"].split("\n")}
        why = {ev.canonical(r.get("text") or ""): r.get("rule") for r in cleaned[k]["removed"] or []}
        body = ev.body_lines(lab, raw)
        if args.kept:
            lost = [i for i, x in enumerate(raw) if i not in body and (c := ev.canonical(x)) and c in out]
        else:
            lost = [i for i in sorted(body) if ev.canonical(raw[i]) not in out]
        if lost:
            print(f"== {lab['file']} {lab.get('record') or ''} list={cleaned[k]['list']}")
            for i in lost:
                print(f"  {i:4d} [{why.get(ev.canonical(raw[i]), '?')}] {raw[i][:args.width]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
