"""Is cleaning idempotent on the dev corpus? Clean every page, clean the output again, count changes.

Runs the default recipe's per-document steps (corpus-level steps depend on the set, so they stay out)
over the markdown, JSONL and HTML pages of ``../shared/corpus-dev``. The second pass sees what a user
would feed back in: the clean text with its title, url and meta. Reports the pages the second pass changes
(per step that changed them) and the pages t2s would still change.

    python -m tools.idempotency            # counts, plus a few example diffs
    python -m tools.idempotency --show 20  # more examples (line level, never whole pages)
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections import Counter
from pathlib import Path

from flows.io.readers import Errored, read_file
from flows.recipe import load_recipe
from transforms import script
from transforms.document import Document
from transforms.pipeline import run_steps
from transforms.steps import PER_DOC, STEP_ORDER

ROOT = Path(__file__).resolve().parent.parent
# Beside the repo, or beside the folder of worktrees.
CORPUS = next((c for c in (ROOT.parent / "shared" / "corpus-dev", ROOT.parent.parent / "shared" / "corpus-dev")
               if c.exists()), ROOT.parent / "shared" / "corpus-dev")
PARTS = ["markdown", "jsonl", "html", "seed"]
SUFFIXES = (".md", ".txt", ".jsonl", ".html", ".htm")


def documents(parts=PARTS, scale: int = 0):
    if scale:  # the first pages of the HK news archive: Traditional markdown with front matter
        tar = CORPUS / "scale" / "hkcnews_dev.tar.xz"
        for n, item in enumerate(read_file(str(tar), str(tar.relative_to(CORPUS)))):
            if n >= scale:
                break
            if not isinstance(item, Errored):
                yield item
    for part in parts:
        for path in sorted((CORPUS / part).rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES:
                for item in read_file(str(path), str(path.relative_to(CORPUS))):
                    if not isinstance(item, Errored):
                        yield item


def clean(doc: Document, steps) -> Document | None:
    return None if run_steps(doc, steps, {}) else doc


def again(doc: Document) -> Document:
    # As the reader takes qingxi's output again: its meta column comes back as meta.
    return Document(id=doc.id, source=doc.source, text=doc.text, url=doc.url, title=doc.title, meta=dict(doc.meta))


def first_step_that_changes(doc: Document, steps) -> str:
    d = again(doc)
    for step in steps:
        before = d.text
        if run_steps(d, [step], {}) or d.text != before:
            return step[0]
    return "title/url"


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=5, help="example diffs to print")
    ap.add_argument("--scale", type=int, default=1000, help="also this many HK news pages (scale/)")
    ap.add_argument("--set", action="append", default=[], help="recipe override, as for qingxi run")
    args = ap.parse_args(argv)
    if not CORPUS.exists():
        sys.exit(f"idempotency: {CORPUS} is missing; it needs ../shared/corpus-dev beside the repo")
    rec = load_recipe(None, args.set)
    steps = [(n, PER_DOC[n], rec.get(n)) for n in STEP_ORDER if n in PER_DOC and rec.enabled(n)]
    counts = Counter({"pages": 0, "dropped": 0, "changed_on_second_pass": 0, "t2s_would_change": 0,
                      "t2s_residue": 0})
    by_step, by_part = Counter(), Counter()
    shown = 0
    for doc in documents(scale=args.scale):
        counts["pages"] += 1
        once = clean(doc, steps)
        if once is None:
            counts["dropped"] += 1
            continue
        out = once.text + "\n" + (once.title or "")
        # OpenCC would still change something (some of it wrongly: 破坏土地 -> 破坯土地) / Traditional-only left
        counts["t2s_would_change"] += script.traditional_only_chars(out) > 0
        counts["t2s_residue"] += script.residue(out) > 0
        twice = clean(again(once), steps)
        if twice is not None and (twice.text, twice.title, twice.url) == (once.text, once.title, once.url):
            continue
        counts["changed_on_second_pass"] += 1
        by_step[first_step_that_changes(once, steps) if twice is not None else "dropped"] += 1
        by_part[doc.source.split("/")[0] + "/" + doc.source.split("/")[1]] += 1
        if shown < args.show and twice is not None:
            shown += 1
            print(f"--- {doc.source}")
            for what in ("title", "url"):
                if getattr(once, what) != getattr(twice, what):
                    print(f"    {what}: {getattr(once, what)!r} -> {getattr(twice, what)!r}")
            diff = difflib.unified_diff(once.text.split("\n"), twice.text.split("\n"), lineterm="", n=0)
            for line in list(diff)[2:12]:
                print("   ", line[:120])
    report = {**counts, "first_step_changing": dict(by_step), "by_source": dict(by_part)}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return report


if __name__ == "__main__":
    main()
