"""``make eval`` (normalization part): is the punctuation, script and unicode work right on real pages?

Runs the default recipe's per-document steps over the dev corpus (markdown, JSONL, HTML) and reports:
ASCII ``,:;?!`` left between two Han characters, Traditional-only characters left after t2s, whether
numbers, URLs and Latin words survive unchanged, and what the unicode step costs with its fast path.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from flows.io.readers import Errored, read_file
from flows.recipe import load_recipe
from transforms import punctuation, script, unicode
from transforms.document import StepStats
from transforms.pipeline import run_steps
from transforms.steps import PER_DOC, STEP_ORDER

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus-dev"
PARTS = ["markdown", "jsonl", "html/gne", "html/appledaily_tw", "seed"]

URL = re.compile(r"https?://[\x21-\x7e]+")
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,:/-]\d+)*")
LATIN = re.compile(r"[A-Za-z]+(?:[ '’-][A-Za-z]+)*")


def tokens(text: str) -> Counter:
    urls = URL.findall(text)
    rest = URL.sub(" ", text)
    return Counter([("url", u) for u in urls] + [("num", n) for n in NUMBER.findall(rest)]
                   + [("latin", w) for w in LATIN.findall(rest)])


def documents():
    for part in PARTS:
        for path in sorted((CORPUS / part).rglob("*")):
            if path.is_file() and path.suffix in (".md", ".txt", ".jsonl", ".html", ".htm"):
                for item in read_file(str(path), str(path.relative_to(CORPUS))):
                    if not isinstance(item, Errored):
                        yield item


def main() -> dict:
    if not CORPUS.exists():
        sys.exit(f"eval: {CORPUS} is missing; it needs ../shared/corpus-dev beside the repo")
    rec = load_recipe()
    steps = [(n, PER_DOC[n], rec.get(n)) for n in STEP_ORDER if n in PER_DOC and rec.enabled(n)]
    before_norm = [s for s in steps if s[0] in ("unicode", "boilerplate")]
    after_norm = [s for s in steps if s[0] not in ("unicode", "boilerplate")]
    stats: dict[str, StepStats] = {}
    clean: dict[str, StepStats] = {}  # the steps' time on pages the unicode step left as they were
    r = Counter()
    lost = Counter()
    clean_text = []
    for doc in documents():
        r["docs"] += 1
        r["ascii_between_han_in"] += punctuation.ascii_punct_between_han(doc.text)
        mine: dict[str, StepStats] = {}
        dropped = run_steps(doc, before_norm, mine)
        mid = tokens(doc.text)
        dropped = dropped or run_steps(doc, after_norm, mine)
        for name, st in mine.items():
            stats.setdefault(name, StepStats()).merge(st)
            if not mine["unicode"].docs_changed:
                clean.setdefault(name, StepStats()).merge(st)
        if dropped:
            continue
        r["kept"] += 1
        r["ascii_between_han_out"] += punctuation.ascii_punct_between_han(doc.text)
        r["traditional_only_out"] += script.traditional_only_chars(doc.text)
        out = tokens(doc.text)
        for (kind, tok), n in mid.items():
            r[f"{kind}_in"] += n
            missing = max(0, n - out.get((kind, tok), 0))
            r[f"{kind}_changed"] += missing
            if missing:
                lost[f"{kind}:{tok}"] += missing
        if doc.columns.get("script") == "zh-Hans":
            clean_text.append(doc.text)
    blob = "\n".join(clean_text)
    t0 = time.perf_counter()
    fast = unicode.fix_with_ftfy(blob, fast=True)
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    full = unicode.fix_with_ftfy(blob, fast=False)
    t_full = time.perf_counter() - t0
    total = sum(s.seconds for s in stats.values())
    clean_total = sum(s.seconds for s in clean.values())
    res = {
        **r,
        "unicode_share_of_step_time": round(stats["unicode"].seconds / total, 4),
        "clean_pages": clean["unicode"].docs_in,
        "unicode_share_on_clean_pages": round(clean["unicode"].seconds / clean_total, 4),
        "clean_text_mb": round(len(blob.encode()) / 2**20, 2),
        "ftfy_full_mb_s": round(len(blob.encode()) / 2**20 / t_full, 1),
        "ftfy_fast_path_mb_s": round(len(blob.encode()) / 2**20 / t_fast, 1),
        "fast_path_equals_full": fast == full,
        "most_changed_tokens": lost.most_common(15),
    }
    print(json.dumps(res, ensure_ascii=False, indent=2))
    (ROOT / "bench").mkdir(exist_ok=True)
    (ROOT / "bench" / "normeval.json").write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n")
    return res


if __name__ == "__main__":
    main()
