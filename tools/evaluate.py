"""``make eval``: score the boilerplate step on the dev gold set and on cx_extractor_163.

Gold labels (``data/gold/labels.json``) hold line numbers, never text: for each page, the source file
(relative to the dev corpus), its sha256, the JSONL record index, the 0-based numbers of the body
lines of the page text as the reader yields it, and the expected title and url.

Scores are on the canonical form (NFKC, no punctuation, symbols or whitespace). Output lines that
equal a page line claim it; the rest is aligned character by character (difflib). Body kept is the
share of body characters found in the output, boilerplate removed the share of the others not found.
Markdown pages are compared on their plain text (markup is not content), and the steps that change
characters or drop pages (script, quality, dedup) are switched off for the run.

    python -m tools.evaluate                 # both evaluations, table + bench/eval.json
    python -m tools.evaluate show FILE [-r N] # numbered lines of a page, for labelling
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path

from flows.io import readers
from transforms.text import canonical_form as canonical

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus-dev"
LABELS = ROOT / "data" / "gold" / "labels.json"
REPORT = ROOT / "bench" / "eval.json"
CX = Path("html") / "cx_extractor_163"
# Steps that change characters or drop whole pages would blur a boilerplate score.
EVAL_OVERRIDES = ("script.enabled=false", "quality.enabled=false", "dedup.enabled=false")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_kind(rel: str) -> str:
    if rel.endswith(".jsonl"):
        return "jsonl"
    if rel.endswith((".html", ".htm")):
        return "html"
    return "md"


# --- page text as the reader yields it ---------------------------------------------------------
def page(path: Path, record: int | None = None) -> tuple[str, dict]:
    """The page text the pipeline starts from, and the reader's title/url: what labels number."""
    docs = [d for d in readers.read_file(str(path), str(path)) if not isinstance(d, readers.Errored)]
    d = docs[record or 0]
    return d.text, {"title": d.title, "url": d.url, "meta": d.meta}


def show(path: Path, record: int | None) -> None:
    text, meta = page(path, record)
    print(f"# {meta.get('title')!r} {meta.get('url')!r}")
    for i, line in enumerate(text.split("\n")):
        print(f"{i:4d} {line[:160]}")


# --- cleaning the gold pages ---------------------------------------------------------------------
def clean_in_process(labels: list[dict]) -> dict[int, dict]:
    """Run the default recipe's per-document steps on each gold page; keyed by label index."""
    from flows.recipe import load_recipe
    from transforms.document import Document
    from transforms.pipeline import run_steps
    from transforms.steps import PER_DOC

    recipe = load_recipe(None, list(EVAL_OVERRIDES))
    steps = [(n, PER_DOC[n], recipe.get(n)) for n in PER_DOC if recipe.enabled(n)]
    out: dict[int, dict] = {}
    for k, lab in enumerate(labels):
        text, meta = page(CORPUS / lab["file"], lab.get("record"))
        doc = Document(id=str(k), source=lab["file"], text=text, url=meta.get("url"), title=meta.get("title"),
                       meta=dict(meta.get("meta") or {}))
        drop = run_steps(doc, steps, {})
        out[k] = {"text": "" if drop else doc.text, "title": doc.title, "url": doc.url}
    return out


def clean_with_cli(labels: list[dict]) -> dict[int, dict]:
    """Copy the gold pages to a temp folder, run ``qingxi run`` there, read the output by source."""
    import pyarrow.parquet as pq

    exe = Path(sys.executable).with_name("qingxi")

    with tempfile.TemporaryDirectory(prefix="qingxi-eval-") as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        for lab in labels:
            dest = src / lab["file"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(CORPUS / lab["file"], dest)
        cmd = [str(exe), "run", str(src), "--out", str(out)]
        for o in EVAL_OVERRIDES:
            cmd += ["--set", o]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
        files = sorted((out / "data").glob("*.parquet")) if (out / "data").exists() else []
        if done.returncode != 0 or not files:
            raise SystemExit(f"qingxi run failed ({done.returncode}):\n{done.stderr[-2000:]}")
        rows = [r for f in files for r in pq.read_table(f).to_pylist()]
    return _match_rows(labels, rows)


def _match_rows(labels: list[dict], rows: list[dict]) -> dict[int, dict]:
    """A row's ``source`` ends with the page's relative path; JSONL records also carry their index."""
    out: dict[int, dict] = {}
    for k, lab in enumerate(labels):
        hits = [r for r in rows if r["source"].split("#")[0].endswith(lab["file"])]
        if lab.get("record") is not None:
            hits = [r for r in hits if _record_of(r) == lab["record"]]
        if hits:
            r = hits[0]
            out[k] = {"text": r.get("text") or "", "title": r.get("title"), "url": r.get("url")}
        else:
            out[k] = {"text": "", "title": None, "url": None, "missing": True}
    return out


def _record_of(row: dict) -> int | None:
    """The record index in a multi-record source: ``file.jsonl#12`` -> 12."""
    _, sep, tail = row["source"].rpartition("#")
    return int(tail) if sep and tail.isdigit() else None


# --- scoring -------------------------------------------------------------------------------------
def _plain(line: str, kind: str) -> str:
    if kind != "md":
        return line
    from transforms.boilerplate import markdown_to_text

    return markdown_to_text(line)[0]


def align(source_lines: list[str], body: set[int], output: str) -> tuple[int, int, int, int]:
    """(body chars, body chars kept, other chars, other chars kept) of a page against its output.

    Output lines equal to a source line claim it first (body lines before others, since the
    aligner cannot tell which copy of a repeated line was kept); the rest is aligned by difflib.
    """
    chars = [canonical(line) for line in source_lines]
    by_text: dict[str, list[int]] = {}
    for i in sorted(range(len(chars)), key=lambda i: (i not in body, i)):
        if chars[i]:
            by_text.setdefault(chars[i], []).append(i)
    kept = [0] * len(chars)
    leftover = []
    for line in output.split("\n"):
        c = canonical(line)
        if c in by_text and by_text[c]:
            i = by_text[c].pop(0)
            kept[i] = len(c)
        elif c:
            leftover.append(c)
    rest = [i for i in range(len(chars)) if chars[i] and not kept[i]]
    src = "".join(chars[i] for i in rest)
    owner = [i for i in rest for _ in chars[i]]
    for a, _, n in SequenceMatcher(None, src, "".join(leftover), autojunk=False).get_matching_blocks():
        for j in range(a, a + n):
            kept[owner[j]] += 1
    nb = sum(len(chars[i]) for i in range(len(chars)) if i in body)
    kb = sum(kept[i] for i in range(len(chars)) if i in body)
    no = sum(len(chars[i]) for i in range(len(chars)) if i not in body)
    ko = sum(kept[i] for i in range(len(chars)) if i not in body)
    return nb, kb, no, ko


def score_gold(labels: list[dict], cleaned: dict[int, dict]) -> dict:
    per_kind: dict[str, list[int]] = {}
    title_ok = title_n = url_ok = url_n = 0
    pages = []
    for k, lab in enumerate(labels):
        kind = source_kind(lab["file"])
        text, _ = page(CORPUS / lab["file"], lab.get("record"))
        lines = [_plain(x, kind) for x in text.split("\n")]
        if lab.get("n_lines") not in (None, len(lines)):
            print(f"warning: {lab['file']} now has {len(lines)} lines, labelled with {lab['n_lines']}", file=sys.stderr)
        got = cleaned[k]
        nb, kb, no, ko = align(lines, set(lab["body"]), got["text"])
        tot = per_kind.setdefault(kind, [0, 0, 0, 0])
        for j, v in enumerate((nb, kb, no, ko)):
            tot[j] += v
        t_ok = u_ok = None
        if lab.get("title"):
            title_n += 1
            t_ok = canonical(got.get("title") or "") == canonical(lab["title"])
            title_ok += t_ok
        if lab.get("url"):
            url_n += 1
            u_ok = (got.get("url") or "").strip() == lab["url"]
            url_ok += u_ok
        pages.append({"file": lab["file"], "record": lab.get("record"), "body_kept": _ratio(kb, nb),
                      "boilerplate_removed": _gone(ko, no) if no else None, "title_ok": t_ok, "url_ok": u_ok})
    all_ = [sum(v[j] for v in per_kind.values()) for j in range(4)]
    summary = {
        "pages": len(labels),
        "body_kept": _ratio(all_[1], all_[0]),
        "boilerplate_removed": _gone(all_[3], all_[2]),
        "title_accuracy": _ratio(title_ok, title_n), "title_pages": title_n,
        "url_accuracy": _ratio(url_ok, url_n), "url_pages": url_n,
        "by_kind": {k: {"body_kept": _ratio(v[1], v[0]), "boilerplate_removed": _gone(v[3], v[2]),
                        "pages": sum(1 for lab in labels if source_kind(lab["file"]) == k)}
                    for k, v in sorted(per_kind.items())},
    }
    return {"summary": summary, "pages": pages}


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def _gone(kept: int, total: int) -> float:
    return round(1 - kept / total, 4) if total else 1.0


def prf(pred: str, gold: str) -> tuple[int, int, int]:
    """(matched, predicted, gold) canonical characters of an extraction against its reference."""
    p, g = canonical(pred), canonical(gold)
    m = sum(n for _, _, n in SequenceMatcher(None, p, g, autojunk=False).get_matching_blocks())
    return m, len(p), len(g)


def score_cx() -> dict:
    """trafilatura alone vs trafilatura + the boilerplate step, against the cx_extractor_163 texts."""
    from flows.io.decode import decode
    from flows.io.html import extract_html
    from transforms import boilerplate, unicode
    from transforms.document import Document, StepStats

    base = CORPUS / CX
    totals = {"trafilatura": [0, 0, 0], "trafilatura+rules": [0, 0, 0]}
    for raw in sorted((base / "RawHtml").glob("*.html"), key=lambda p: int(p.stem)):
        gold_path = base / "Text" / f"{raw.stem}.txt"
        if not gold_path.exists():
            continue
        gold = decode(gold_path.read_bytes(), "gbk")[0]
        text, meta = extract_html(decode(raw.read_bytes())[0])
        text = text or ""
        doc = Document(id=raw.stem, source=str(raw), text=text, title=meta.get("title"))
        unicode.apply(doc, unicode.Config(), StepStats())
        boilerplate.apply(doc, boilerplate.Config(), StepStats())
        for name, out in (("trafilatura", text), ("trafilatura+rules", doc.text)):
            for j, v in enumerate(prf(out, gold)):
                totals[name][j] += v
    result = {}
    for name, (m, p, g) in totals.items():
        prec, rec = _ratio(m, p), _ratio(m, g)
        f1 = round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0
        result[name] = {"precision": prec, "recall": rec, "f1": f1}
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("cmd", nargs="?", default="eval", choices=("eval", "show"))
    ap.add_argument("file", nargs="?", help="for show: a page path (absolute or relative to the dev corpus)")
    ap.add_argument("-r", "--record", type=int, help="for show: JSONL record index")
    ap.add_argument("--in-process", action="store_true", help="score without the qingxi CLI")
    args = ap.parse_args(argv)
    if not CORPUS.exists():
        print(f"the dev corpus is missing: expected it at {CORPUS}", file=sys.stderr)
        return 2
    if args.cmd == "show":
        path = Path(args.file)
        show(path if path.is_absolute() else CORPUS / path, args.record)
        return 0
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    stale = [lab["file"] for lab in labels if sha256(CORPUS / lab["file"]) != lab["sha256"]]
    if stale:
        print(f"warning: {len(stale)} labelled files changed since labelling: {stale[:3]}", file=sys.stderr)
    t0 = time.time()
    how = "in process" if args.in_process else "qingxi run"
    cleaned = clean_in_process(labels) if args.in_process else clean_with_cli(labels)
    gold = score_gold(labels, cleaned)
    cx = score_cx()
    s = gold["summary"]
    missing = sum(1 for v in cleaned.values() if v.get("missing"))
    s["pages_missing_from_output"] = missing
    print(f"dev gold: {s['pages']} pages, cleaned by {how} with {' '.join(EVAL_OVERRIDES)}"
          + (f"; {missing} pages missing from the output (scored as empty)" if missing else ""))
    print(f"{'':14}{'body kept':>11}{'bp removed':>12}{'pages':>7}")
    for k, v in s["by_kind"].items():
        print(f"{k:14}{v['body_kept']:>11.4f}{v['boilerplate_removed']:>12.4f}{v['pages']:>7}")
    print(f"{'all':14}{s['body_kept']:>11.4f}{s['boilerplate_removed']:>12.4f}{s['pages']:>7}")
    print(f"title accuracy {s['title_accuracy']:.4f} ({s['title_pages']} pages), "
          f"url accuracy {s['url_accuracy']:.4f} ({s['url_pages']} pages)")
    print("\ncx_extractor_163 (weak gold), canonical chars:")
    print(f"{'':20}{'precision':>10}{'recall':>8}{'F1':>8}")
    for name, v in cx.items():
        print(f"{name:20}{v['precision']:>10.4f}{v['recall']:>8.4f}{v['f1']:>8.4f}")
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps({"gold": gold, "cx_extractor_163": cx, "cleaned_by": how,
                                  "seconds": round(time.time() - t0, 1)}, ensure_ascii=False, indent=1) + "\n")
    print(f"\nwrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
