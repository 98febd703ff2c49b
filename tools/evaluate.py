"""``make eval``: score the boilerplate step on the gold labels, per source and leave-one-source-out.

Gold labels (``data/gold/labels.json`` and ``data/gold/labels-*.json``, made by ``tools/label.py``) hold line
numbers, never text: for each page, the source file (relative to the dev corpus), its JSONL record or tar
member, its sha256, the 0-based numbers of the body lines of the page text as the reader yields it (with a
hash of each, so a label survives a change of HTML extraction), the expected title and url, and whether the
page is a list page (no body of its own).

Scores are on the canonical form (NFKC, no punctuation, symbols or whitespace). Output lines that
equal a page line claim it; the rest is aligned character by character (difflib). Body kept is the
share of body characters found in the output, boilerplate removed the share of the others not found.
Markdown pages are compared on their plain text (markup is not content), and the steps that change
characters or drop pages (script, quality, dedup) are switched off for the run, except the list-page
check: a page rejected as a list page is scored as empty output. Leave-one-source-out is scored a second way,
on the whole output: the quality step's verdict with its published thresholds (none fitted on the gold), a
page it rejects scored as empty output, so a page with a body it rejects counts as body lost.

Crossdoc runs as in a real run: each gold page is cleaned together with its site context, the other pages
of its source (the whole JSONL file, up to 300 pages of its folder, the hkcnews tar's members in the gold
members' folders: ``tools/sitecontext.py``), so lines repeated across a site's pages (subscribe blurbs,
author bios, footers) go as they would. The tables show the figures with and without that context
(``--no-context``: each page alone, as before).

A source is a corpus sub-collection (``jsonl/c4_zh_cc2022``, ``html/magic_html``, ``scale/hkcnews``…).
Leave-one-source-out fits everything that is fitted (the line model and its threshold) without the
source it scores; the headline is the mean over held-out sources. HTML extraction is also scored
against the magic-html main-text gold with the quality filters off, next to trafilatura alone.

    python -m tools.evaluate                 # everything, tables + bench/eval.json
    python -m tools.evaluate --quick --no-loso --labels labels-L6.json   # one gold file, shipped thresholds
    python -m tools.evaluate --quick         # gold only: no cx / magic-html extraction scores
    python -m tools.evaluate --no-context    # each gold page alone: no crossdoc, no context pages read
    python -m tools.evaluate --set boilerplate.model=false     # without the line model (refitted in every fold when on)
    python -m tools.evaluate show FILE [-r N] # numbered lines of a page, for labelling
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path

from flows.io import readers
from transforms.text import canonical_form as canonical

ROOT = Path(__file__).resolve().parent.parent
# ../shared from a checkout, ../../shared from a worktree under wt/.
CORPUS = next((p for p in (ROOT.parent / "shared" / "corpus-dev", ROOT.parent.parent / "shared" / "corpus-dev")
               if p.exists()), ROOT.parent / "shared" / "corpus-dev")
GOLD = ROOT / "data" / "gold"
LABELS = GOLD / "labels.json"
REPORT = ROOT / "bench" / "eval.json"
CX = Path("html") / "cx_extractor_163"
MAGIC = Path("html") / "magic_html"
# Steps that change characters or drop whole pages would blur a boilerplate score.
EVAL_OVERRIDES = ("script.enabled=false", "quality.enabled=false", "dedup.enabled=false")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_kind(rel: str) -> str:
    if rel.endswith(".jsonl"):
        return "jsonl"
    if rel.endswith((".html", ".htm")):
        return "html"
    return "md"


def source_of(lab: dict) -> str:
    """The corpus sub-collection a page comes from: ``jsonl/c4_zh_cc2022``, ``scale/hkcnews``…"""
    parts = lab["file"].split("/")
    if parts[0] == "scale":
        return "scale/" + parts[1].split("_")[0].split(".")[0]
    name = parts[1].split(".")[0] if len(parts) > 1 else parts[0]
    if parts[0] == "jsonl" and len(parts) == 2:
        name = name.split("_")[0]
    return f"{parts[0]}/{name}"


def key_of(lab: dict) -> tuple:
    return lab["file"], lab.get("record"), lab.get("member")


def load_labels(patterns: list[str] | None = None) -> list[dict]:
    """Every gold file (or those whose names match ``patterns``); a page labelled twice counts once (the first
    file in name order wins)."""
    files = [LABELS, *sorted(GOLD.glob("labels-*.json"))]
    if patterns:
        files = [f for f in files if any(f.match(p) for p in patterns)]
    out, seen = [], set()
    for path in files:
        if not path.exists():
            continue
        for lab in json.loads(path.read_text(encoding="utf-8")):
            if key_of(lab) not in seen:
                seen.add(key_of(lab))
                out.append(lab)
    return out


# --- page text as the reader yields it ---------------------------------------------------------
class Pages:
    """Page texts as the reader yields them, read once; tar members are read in one pass."""

    def __init__(self, labels: list[dict]):
        self.cache: dict[tuple, tuple[str, dict]] = {}
        self.data: dict[tuple, bytes] = {}
        wanted: dict[str, set[str]] = {}
        for lab in labels:
            if lab.get("member"):
                wanted.setdefault(lab["file"], set()).add(lab["member"])
        for archive, members in wanted.items():
            with tarfile.open(CORPUS / archive, "r:*") as tar:
                for info in tar:
                    if info.name in members:
                        self.data[(archive, info.name)] = tar.extractfile(info).read()
                        members.discard(info.name)
                        if not members:
                            break

    def raw(self, lab: dict) -> bytes:
        if lab.get("member"):
            return self.data[(lab["file"], lab["member"])]
        return (CORPUS / lab["file"]).read_bytes()

    def get(self, lab: dict) -> tuple[str, dict]:
        k = key_of(lab)
        if k not in self.cache:
            if lab.get("member"):
                name = lab["member"]
                docs = readers._read_stream(io.BytesIO(self.raw(lab)), name, f"{lab['file']}/{name}",
                                            readers.ReadOptions())
            else:
                docs = readers.read_file(str(CORPUS / lab["file"]), lab["file"])
            docs = [d for d in docs if not isinstance(d, readers.Errored)]
            r = lab.get("record") or 0
            if r >= len(docs):
                self.cache[k] = ("", {})
            else:
                d = docs[r]
                self.cache[k] = (d.text, {"title": d.title, "url": d.url, "meta": d.meta})
        return self.cache[k]


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


IMAGE_MD = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")


def body_lines(lab: dict, lines: list[str]) -> set[int]:
    """The label's body line numbers, remapped by line hash when extraction changed the line count."""
    if lab.get("n_lines") in (None, len(lines)) or not lab.get("body_hash"):
        return set(lab["body"])
    from tools.label import line_hash

    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        # An image the reader now writes on the text's own line leaves the labelled text unchanged.
        for h in dict.fromkeys((line_hash(line), line_hash(IMAGE_MD.sub("", line)))):
            where.setdefault(h, []).append(i)
    return {where[h].pop(0) for h in lab["body_hash"] if where.get(h)}


# --- cleaning the gold pages ---------------------------------------------------------------------
def _doc_steps(overrides: tuple[str, ...] = ()):
    from flows.recipe import load_recipe
    from transforms.steps import PER_DOC

    recipe = load_recipe(None, [*EVAL_OVERRIDES, *overrides])
    return recipe, [(n, PER_DOC[n], recipe.get(n)) for n in PER_DOC if recipe.enabled(n)]


def site_context(labels: list[dict], pages: Pages | None = None,
                 overrides: tuple[str, ...] = ()) -> dict[tuple, frozenset[int]]:
    """Crossdoc's repeated lines for each gold page's site, from the pages a run would read with it
    (``tools.sitecontext``); keyed by ``key_of``. The gold pages read on the way go to ``pages``."""
    from tools.sitecontext import repeated_lines

    recipe, steps = _doc_steps(overrides)
    return repeated_lines(CORPUS, labels, source_of, key_of, steps, recipe.get("crossdoc"), recipe.get("dedup"),
                          pages.cache if pages is not None else None)


def clean_in_process(labels: list[dict], pages: Pages, overrides: tuple[str, ...] = (),
                     context: dict[tuple, frozenset[int]] | None = None) -> dict[int, dict]:
    """Run the recipe's per-document steps on each gold page, then crossdoc with the page's site context
    (when ``context`` is given), then the list-page check; keyed by label index."""
    from transforms import crossdoc, quality
    from transforms.document import Document, StepStats
    from transforms.pipeline import run_steps

    recipe, steps = _doc_steps(overrides)
    qcfg, ccfg = recipe.get("quality"), recipe.get("crossdoc")
    out: dict[int, dict] = {}
    for k, lab in enumerate(labels):
        text, meta = pages.get(lab)
        doc = Document(id=str(k), source=lab["file"], text=text, url=meta.get("url"), title=meta.get("title"),
                       meta=dict(meta.get("meta") or {}))
        drop = run_steps(doc, steps, {})
        if drop is None and context and context.get(key_of(lab)):
            crossdoc.apply(doc, ccfg, StepStats(), context[key_of(lab)])
        listed = quality.is_list_page(doc, qcfg) if hasattr(quality, "is_list_page") else False
        failed = None if drop or listed else quality.apply(doc, qcfg, StepStats())  # the published thresholds
        out[k] = {"text": "" if drop or listed else doc.text, "title": doc.title, "url": doc.url,
                  "list": bool(listed), "removed": doc.removed, "quality": failed.reason if failed else None,
                  "quality_value": failed.value if failed else None}
    return out


def whole_output(cleaned: dict[int, dict]) -> dict[int, dict]:
    """What a user's dataset holds of each page: a page the quality step rejects is empty output (its body,
    if it had one, is lost)."""
    return {k: {**v, "text": "" if v.get("quality") else v["text"]} for k, v in cleaned.items()}


def clean_with_cli(labels: list[dict], pages: Pages) -> dict[int, dict]:
    """Copy the gold pages to a temp folder, run ``qingxi run`` there, read the output by source."""
    import pyarrow.parquet as pq

    exe = Path(sys.executable).with_name("qingxi")

    with tempfile.TemporaryDirectory(prefix="qingxi-eval-") as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        for lab in labels:
            dest = src / lab["file"]
            if lab.get("member"):
                dest = src / (lab["file"] + ".d") / lab["member"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(pages.raw(lab))
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
        tail = lab.get("member") or lab["file"]
        hits = [r for r in rows if r["source"].split("#")[0].endswith(tail)]
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
    # The HTML reader writes images as markdown (``![](src)``, for the caption rules): their address is no text.
    if kind == "jsonl":
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


def _url_ok(got: str | None, want: str) -> bool:
    return (got or "").strip().rstrip("/") == want.strip().rstrip("/")


def score_gold(labels: list[dict], pages: Pages, cleaned: dict[int, dict]) -> dict:
    """Per source: body kept, boilerplate removed, title and url accuracy, list pages caught and wrongly caught."""
    per: dict[str, dict] = {}
    rows = []
    unmatched = 0  # labelled body lines the page text no longer holds: they are not scored, so they are shown
    for k, lab in enumerate(labels):
        src = source_of(lab)
        kind = source_kind(lab.get("member") or lab["file"])
        text, _ = pages.get(lab)
        raw = text.split("\n")
        lines = [_plain(x, kind) for x in raw]
        body = body_lines(lab, raw)
        unmatched += len(lab["body"]) - len(body)
        got = cleaned[k]
        nb, kb, no, ko = align(lines, body, got["text"])
        t = per.setdefault(src, {"chars": [0, 0, 0, 0], "title": [0, 0], "url": [0, 0], "list": [0, 0],
                                 "false_list": 0, "false_list_body": 0, "no_body": 0,
                                 "pages": 0})
        t["pages"] += 1
        for j, v in enumerate((nb, kb, no, ko)):
            t["chars"][j] += v
        t_ok = u_ok = None
        if lab.get("title"):
            t_ok = canonical(got.get("title") or "") == canonical(lab["title"])
            t["title"][0] += t_ok
            t["title"][1] += 1
        if lab.get("url"):
            u_ok = _url_ok(got.get("url"), lab["url"])
            t["url"][0] += u_ok
            t["url"][1] += 1
        if lab.get("list_page"):
            t["list"][0] += bool(got.get("list"))
            t["list"][1] += 1
        elif got.get("list") and nb:  # a page with a body of its own rejected as a list page
            t["false_list"] += 1
            t["false_list_body"] += nb
        elif got.get("list"):  # no body, not marked a list page (spam, a bare form): nothing is lost
            t["no_body"] += 1
        rows.append({"file": lab["file"], "record": lab.get("record"), "member": lab.get("member"), "source": src,
                     "body_kept": _ratio(kb, nb), "boilerplate_removed": _gone(ko, no) if no else None,
                     "title_ok": t_ok, "url_ok": u_ok, "list_page": bool(lab.get("list_page")),
                     "rejected_as_list": bool(got.get("list")), "chars": [nb, kb, no, ko]})
    by_source = {s: _summ(v) for s, v in sorted(per.items())}
    tot = {"chars": [sum(v["chars"][j] for v in per.values()) for j in range(4)],
           **{f: [sum(v[f][j] for v in per.values()) for j in range(2)] for f in ("title", "url", "list")},
           **{f: sum(v[f] for v in per.values()) for f in ("false_list", "false_list_body", "no_body")},
           "pages": len(labels)}
    return {"by_source": by_source, "all": _summ(tot), "pages": rows, "unmatched_body_lines": unmatched}


def _summ(v: dict) -> dict:
    nb, kb, no, ko = v["chars"]
    return {"pages": v["pages"], "body_kept": _ratio(kb, nb), "boilerplate_removed": _gone(ko, no),
            "title_accuracy": _ratio(*v["title"]) if v["title"][1] else None, "title_pages": v["title"][1],
            "url_accuracy": _ratio(*v["url"]) if v["url"][1] else None, "url_pages": v["url"][1],
            "list_caught": v["list"][0], "list_pages": v["list"][1], "false_list": v["false_list"],
            "false_list_body": v["false_list_body"], "no_body_rejected": v["no_body"]}


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def _gone(kept: int, total: int) -> float:
    return round(1 - kept / total, 4) if total else 1.0


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 4) if values else None


# --- leave one source out ------------------------------------------------------------------------
def loso(labels: list[dict], pages: Pages, sets: tuple[str, ...] = (),
         context: dict[tuple, frozenset[int]] | None = None) -> dict:
    """Score each source with everything fitted on the other sources only; the headline is their mean.

    With no fitted model (tools.train missing or no labels to fit on) this equals the per-source scores.
    Crossdoc's site context is not refitted per fold: it holds no fitted parameter, only counts of the
    held-out source's own pages (with the model on, the context is cleaned without it).
    """
    try:
        from tools import train
    except ImportError:
        train = None
    sources = sorted({source_of(lab) for lab in labels})
    model_on = bool(getattr(_doc_steps(sets)[0].get("boilerplate"), "model", False))  # on by default, or set
    held: dict[str, dict] = {}
    whole: dict[str, dict] = {}  # the same, scored on what the quality step lets through
    rejects: list[dict] = []  # the pages the quality step rejects, with reason and value
    with tempfile.TemporaryDirectory(prefix="qingxi-loso-") as tmp:
        for src in sources:
            test = [lab for lab in labels if source_of(lab) == src]
            fit = [lab for lab in labels if source_of(lab) != src]
            overrides: tuple[str, ...] = ()
            if train is not None and model_on:  # never the shipped model: it has seen the held-out source
                path = Path(tmp) / f"model-{len(held)}.json"
                overrides = train.fit_overrides(fit, pages, path)
            elif train is not None:  # the list-page threshold is always fitted
                overrides = (f"quality.max_list_page={train.fit_list_threshold(fit, pages)}",)
            cleaned = clean_in_process(test, pages, (*overrides, *sets), context)
            held[src] = score_gold(test, pages, cleaned)["by_source"][src]
            scored = score_gold(test, pages, whole_output(cleaned))
            whole[src] = scored["by_source"][src]
            rejects += [{**row, "reason": cleaned[k]["quality"], "value": cleaned[k]["quality_value"]}
                        for k, row in enumerate(scored["pages"]) if cleaned[k]["quality"]]
            held[src]["list_threshold"] = next((float(o.split("=", 1)[1]) for o in overrides
                                                if o.startswith("quality.max_list_page=")), None)
            fitted = [o for o in overrides if o.startswith("boilerplate.model_path=")]
            if fitted:
                held[src]["model_threshold"] = json.loads(Path(fitted[0].split("=", 1)[1]).read_text())["threshold"]
    fields = ("body_kept", "boilerplate_removed", "title_accuracy", "url_accuracy")
    return {"held_out": held, "mean": {f: _mean([v[f] for v in held.values()]) for f in fields},
            "whole_output": {"held_out": whole, "mean": {f: _mean([v[f] for v in whole.values()]) for f in fields},
                             "rejected": rejects}}


# --- extraction scores -----------------------------------------------------------------------------
def prf(pred: str, gold: str) -> tuple[int, int, int]:
    """(matched, predicted, gold) canonical characters of an extraction against its reference."""
    p, g = canonical(pred), canonical(gold)
    m = sum(n for _, _, n in SequenceMatcher(None, p, g, autojunk=False).get_matching_blocks())
    return m, len(p), len(g)


def _f1(m: int, p: int, g: int) -> dict:
    prec, rec = _ratio(m, p), _ratio(m, g)
    f1 = round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1}


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
        bare = boilerplate.IMAGE.sub("", text)  # the extractor's text, without the image lines it now keeps
        for name, out in (("trafilatura", bare), ("trafilatura+rules", doc.text)):
            for j, v in enumerate(prf(out, gold)):
                totals[name][j] += v
    return {name: _f1(*v) for name, v in totals.items()}


def score_magic() -> dict:
    """qingxi (reader + per-document steps, filters off) vs trafilatura alone (its defaults, on the same
    decoded text) against the magic-html main-text gold; and the pages trafilatura alone reads that qingxi loses."""
    import trafilatura

    from flows.io.decode import decode, html_charset
    from flows.recipe import load_recipe
    from transforms.pipeline import run_steps
    from transforms.steps import PER_DOC

    recipe = load_recipe(None, list(EVAL_OVERRIDES))
    steps = [(n, PER_DOC[n], recipe.get(n)) for n in PER_DOC if recipe.enabled(n)]
    totals = {"qingxi": [0, 0, 0], "trafilatura": [0, 0, 0]}
    per_kind: dict[str, dict] = {}
    lost, empty_both, n = [], 0, 0
    for kind in ("article", "forum"):
        gold = json.loads((CORPUS / MAGIC / kind / "base.json").read_text(encoding="utf-8"))
        kt = per_kind.setdefault(kind, {"qingxi": [0, 0, 0], "trafilatura": [0, 0, 0], "pages": 0})
        for path in sorted((CORPUS / MAGIC / kind / "htmls").glob("*.html")):
            ref = (gold.get(path.stem) or {}).get("content")
            if ref is None:
                continue
            n += 1
            kt["pages"] += 1
            data = path.read_bytes()
            doc = readers._read_page(data, str(path), "html", readers.ReadOptions())
            ours = ""
            if not isinstance(doc, readers.Errored) and run_steps(doc, steps, {}) is None:
                ours = doc.text
            try:
                html = decode(data, html_charset(data))[0]
                alone = trafilatura.extract(html) or ""
            except Exception:  # noqa: BLE001 - a failure of the baseline is an empty baseline
                alone = ""
            if canonical(alone) and not canonical(ours):
                lost.append(f"{kind}/{path.name}")
            empty_both += not canonical(alone) and not canonical(ours)
            for name, out in (("qingxi", ours), ("trafilatura", alone)):
                for j, v in enumerate(prf(out, ref)):
                    totals[name][j] += v
                    kt[name][j] += v
    return {"pages": n, "lost": lost, "empty_both": empty_both,
            **{name: _f1(*v) for name, v in totals.items()},
            "by_kind": {k: {"pages": v["pages"], "qingxi": _f1(*v["qingxi"]), "trafilatura": _f1(*v["trafilatura"])}
                        for k, v in per_kind.items()}}


# --- report --------------------------------------------------------------------------------------
def _fmt(v) -> str:
    return "   -  " if v is None else f"{v:.4f}"


def print_table(title: str, table: dict[str, dict], mean: dict | None = None) -> None:
    print(title)
    print(f"{'source':26}{'pages':>6}{'body kept':>11}{'bp removed':>11}{'title':>13}{'url':>13}{'lists':>7}{'false':>6}{'nobody':>7}")
    for src, v in table.items():
        t = f"{_fmt(v['title_accuracy'])} /{v['title_pages']}" if v["title_pages"] else "-"
        u = f"{_fmt(v['url_accuracy'])} /{v['url_pages']}" if v["url_pages"] else "-"
        lists = f"{v['list_caught']}/{v['list_pages']}"
        print(f"{src:26}{v['pages']:>6}{_fmt(v['body_kept']):>11}{_fmt(v['boilerplate_removed']):>11}"
              f"{t:>13}{u:>13}{lists:>7}{v['false_list']:>6}{v['no_body_rejected']:>7}")
    if mean:
        print(f"{'mean of held-out sources':26}{'':>6}{_fmt(mean['body_kept']):>11}"
              f"{_fmt(mean['boilerplate_removed']):>11}  title {_fmt(mean['title_accuracy'])}"
              f"  url {_fmt(mean['url_accuracy'])}")


def print_rejects(rejects: list[dict]) -> None:
    """The quality step's rejections by reason (pages with a body, their body chars; pages without), then each
    page with a body it rejects."""
    by: dict[str, list[int]] = {}
    for r in rejects:
        t = by.setdefault(r["reason"], [0, 0, 0])
        nb = r["chars"][0]
        t[0 if nb else 2] += 1
        t[1] += nb
    print("quality rejections by reason: " + ", ".join(
        f"{k} {v[0]} with body ({v[1]} chars) + {v[2]} without" for k, v in sorted(by.items())))
    for r in sorted(rejects, key=lambda r: (r["reason"], r["source"], r["file"])):
        if r["chars"][0]:
            where = r["file"] + (f" -r {r['record']}" if r["record"] is not None else "") + (
                f" {r['member']}" if r["member"] else "")
            print(f"  {r['reason']:26} {r['value']!s:>8} body {r['chars'][0]:>6}  {where}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("cmd", nargs="?", default="eval", choices=("eval", "show"))
    ap.add_argument("file", nargs="?", help="for show: a page path (absolute or relative to the dev corpus)")
    ap.add_argument("-r", "--record", type=int, help="for show: JSONL record index")
    ap.add_argument("--cli", action="store_true", help="clean the pooled table with `qingxi run` (slower)")
    ap.add_argument("--quick", action="store_true", help="gold only: skip the extraction scores")
    ap.add_argument("--no-loso", action="store_true", help="skip leave-one-source-out")
    ap.add_argument("--no-context", action="store_true", help="score each page alone, without crossdoc")
    ap.add_argument("--labels", action="append", metavar="GLOB",
                    help="score only the gold files whose names match (e.g. labels-L6.json: pages labelled after "
                         "the rules were written)")
    ap.add_argument("--set", dest="sets", action="append", default=[], metavar="STEP.PARAM=VALUE",
                    help="a recipe override for every run (a user setting, not fitted): boilerplate.model_threshold=0.98")
    args = ap.parse_args(argv)
    if not CORPUS.exists():
        print(f"the dev corpus is missing: expected it at {CORPUS}", file=sys.stderr)
        return 2
    if args.cmd == "show":
        path = Path(args.file)
        show(path if path.is_absolute() else CORPUS / path, args.record)
        return 0
    t0 = time.time()
    labels = load_labels(args.labels)
    pages = Pages(labels)
    stale = [lab["file"] for lab in labels if sha256(pages.raw(lab)) != lab["sha256"]]
    if stale:
        print(f"warning: {len(stale)} labelled files changed since labelling: {stale[:3]}", file=sys.stderr)
    how = "qingxi run" if args.cli else "in process"
    context = None
    if not args.cli and not args.no_context:
        t1 = time.time()
        context = site_context(labels, pages, (*(s for s in args.sets if "model" not in s), "boilerplate.model=false"))
        print(f"site context: crossdoc counted on the pages of each gold page's source ({time.time() - t1:.0f} s)")
    bare = None if args.cli else clean_in_process(labels, pages, tuple(args.sets))
    cleaned = clean_with_cli(labels, pages) if args.cli else clean_in_process(labels, pages, tuple(args.sets), context)
    gold = score_gold(labels, pages, cleaned)
    missing = sum(1 for v in cleaned.values() if v.get("missing"))
    print(f"gold: {len(labels)} pages from {len(gold['by_source'])} sources, cleaned {how} with "
          f"{' '.join((*EVAL_OVERRIDES, *args.sets))} (list-page check on)"
          + (f"; {missing} pages missing from the output (scored as empty)" if missing else "")
          + f"; {gold['unmatched_body_lines']} labelled body lines not in today's page text (unscored)")
    report: dict = {"gold": gold, "cleaned_by": how}
    if context is not None:
        alone = score_gold(labels, pages, bare)
        report["gold_without_context"] = alone
        print_table("\nper source, each page alone (no crossdoc):", {**alone["by_source"], "all (pooled)": alone["all"]})
    name = "with site context (crossdoc)" if context is not None else "(no crossdoc)"
    print_table(f"\nper source {name}, the shipped model and thresholds:",
                {**gold["by_source"], "all (pooled)": gold["all"]})
    if not args.no_loso:
        if context is not None:
            lo0 = loso(labels, pages, tuple(args.sets))
            report["loso_without_context"] = lo0
            print("\nleave-one-source-out mean, each page alone (no crossdoc): "
                  + "  ".join(f"{k} {_fmt(v)}" for k, v in lo0["mean"].items()))
        lo = loso(labels, pages, tuple(args.sets), context)
        report["loso"] = lo
        print_table(f"\nleave-one-source-out {name} (fitted without the held-out source):", lo["held_out"], lo["mean"])
        print_table("\nthe same, scored on the whole output (the quality step on, its published thresholds: a page it"
                    " rejects is empty output):", lo["whole_output"]["held_out"], lo["whole_output"]["mean"])
        print_rejects(lo["whole_output"]["rejected"])
        print("list-page threshold fitted per fold: " + ", ".join(f"{k} {v.get('list_threshold')}"
                                                                  for k, v in lo["held_out"].items()))
        print("model threshold fitted per fold: " + ", ".join(f"{k} {v.get('model_threshold')}"
                                                           for k, v in lo["held_out"].items()))
    if not args.quick:
        cx = score_cx()
        report["cx_extractor_163"] = cx
        print("\ncx_extractor_163 (weak gold), canonical chars:")
        print(f"{'':20}{'precision':>10}{'recall':>8}{'F1':>8}")
        for name, v in cx.items():
            print(f"{name:20}{v['precision']:>10.4f}{v['recall']:>8.4f}{v['f1']:>8.4f}")
        mg = score_magic()
        report["magic_html"] = mg
        print(f"\nmagic-html main-text gold ({mg['pages']} pages), filters off, canonical chars:")
        print(f"{'':20}{'precision':>10}{'recall':>8}{'F1':>8}")
        for name in ("qingxi", "trafilatura"):
            v = mg[name]
            print(f"{name:20}{v['precision']:>10.4f}{v['recall']:>8.4f}{v['f1']:>8.4f}")
        for kind, v in mg["by_kind"].items():
            print(f"  {kind:8} {v['pages']:>3} pages: F1 qingxi {v['qingxi']['f1']:.4f}, "
                  f"trafilatura {v['trafilatura']['f1']:.4f}")
        print(f"pages trafilatura alone extracts that qingxi loses: {len(mg['lost'])} {mg['lost'][:5]}")
    report["seconds"] = round(time.time() - t0, 1)
    REPORT.parent.mkdir(exist_ok=True)
    out = REPORT.with_name("eval-subset.json") if args.labels else REPORT  # a subset never hides the full report
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)} in {report['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
