"""``make train``: fit the boilerplate step's line model and the list-page threshold on the gold labels.

The model is a logistic regression over ``transforms.lines.FEATURES`` (the rules' verdicts among them), fitted by
Newton's method with an L2 penalty in numpy: deterministic, no dependency at run time, a JSON file of a few
hundred bytes shipped in the package (``transforms/data/line_model.json``). It only ever sees the lines the rules
kept, since those are the only ones it decides on. Its threshold is the lowest score at which the model, fitted
without them, removes at most ``MAX_BODY_LOSS`` of the body characters of each group of held-out sources: body
precision first, on sites the model has not seen. The list-page threshold is
the highest ``list_page`` score of a training page that is not a list page, so no article page is rejected.

    python -m tools.train            # fit on every gold label, write the shipped model
    python -m tools.train --list     # the list-page threshold on every gold label (quality.max_list_page)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from transforms import boilerplate, unicode
from transforms import lines as L
from transforms.document import Document, StepStats

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "transforms" / "data" / "line_model.json"
MAX_BODY_LOSS = 0.002  # share of the training body characters the model may remove
L2 = 1.0
MIN_BODY = 200  # quality.min_chars
LIST_MARGIN = 0.1  # above the highest-scoring article page: an unseen site's article may score a little higher
KIND = "trees"  # or "logistic"
INNER_FOLDS = 3
GRID = [round(0.5 + 0.01 * k, 3) for k in range(45)] + [round(0.95 + 0.002 * k, 3) for k in range(25)]


_CACHE: dict[tuple, tuple] = {}
_PROTECTED: dict[tuple, list[bool]] = {}  # lines the model may never remove (lines.protected)


def page_rows(lab: dict, pages) -> tuple[list, list, list, tuple[float, bool] | None]:
    """One page's candidate lines (kept by the rules): features, label (1 = boilerplate), weight (characters);
    and its (list_page score, is a list page), None when rejecting it could lose no body. Cached: features do
    not depend on the model."""
    from tools.evaluate import body_lines, key_of

    key = key_of(lab)
    if key in _CACHE:
        return _CACHE[key]
    text, meta = pages.get(lab)
    raw = text.split("\n")
    doc = Document(id="t", source=lab["file"], text=text, url=meta.get("url"), title=meta.get("title"))
    unicode.apply(doc, unicode.Config(), StepStats())
    plain, feats, rules = boilerplate.line_table(doc, boilerplate.Config())
    body = body_lines(lab, raw)
    body_chars = sum(len(raw[i].strip()) for i in body if i < len(raw))
    # Rejecting a page whose body the quality step would reject anyway (min_chars) loses nothing.
    listed = (list_score(doc), bool(lab.get("list_page"))) if body_chars >= MIN_BODY or lab.get("list_page") else None
    xs, ys, ws = [], [], []
    if len(plain) == len(raw):  # else the unicode step changed the line count: labels no longer line up
        for i, s in enumerate(plain):
            if s and rules[i] is None:
                xs.append(feats[i])
                ys.append(0.0 if i in body else 1.0)
                ws.append(float(len(s)))
    _CACHE[key] = (xs, ys, ws, listed)
    _PROTECTED[key] = [L.protected(s) for i, s in enumerate(plain) if s and rules[i] is None] if xs else []
    return _CACHE[key]


def list_score(doc: Document) -> float:
    """The ``list_page`` signal the boilerplate step gives ``doc`` (run on a copy)."""
    probe = Document(id=doc.id, source=doc.source, text=doc.text, url=doc.url, title=doc.title)
    boilerplate.apply(probe, boilerplate.Config(), StepStats())
    return probe.columns["list_page"]


def fit_list_threshold(labels: list[dict], pages) -> float:
    """The highest ``list_page`` score of a page of ``labels`` with a body of its own (``MIN_BODY`` characters or
    more), plus ``LIST_MARGIN`` for the pages of sites it has not seen: body precision first."""
    scores = [page_rows(lab, pages)[3] for lab in labels]
    top = max((s for s, is_list in filter(None, scores) if not is_list), default=1.0)
    return round(min(1.0, top + LIST_MARGIN), 4)


def protected_mask(labels: list[dict]) -> np.ndarray:
    """For the rows ``collect(labels)`` returns: which lines are prose the model never removes."""
    from tools.evaluate import key_of

    return np.array([p for lab in labels for p in _PROTECTED.get(key_of(lab), [])], dtype=bool)


def collect(labels: list[dict], pages) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[float, bool]]]:
    """Features, labels and weights of the candidate lines of ``labels``, and their pages' list scores."""
    xs, ys, ws, lists = [], [], [], []
    for lab in labels:
        x, y, w, listed = page_rows(lab, pages)
        xs += x
        ys += y
        ws += w
        if listed:
            lists.append(listed)
    return np.array(xs, dtype=float).reshape(-1, len(L.FEATURES)), np.array(ys), np.array(ws), lists


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict:
    """Weighted L2 logistic regression on standardized features, by Newton's method (deterministic)."""
    names = [n for k, n in enumerate(L.FEATURES) if n != "bias" and x[:, k].std() > 0]
    idx = [L.FEATURES.index(n) for n in names]
    xs = x[:, idx]
    mean, scale = xs.mean(axis=0), xs.std(axis=0)
    z = np.hstack([np.ones((len(xs), 1)), (xs - mean) / scale])
    w = w / w.mean()
    beta = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * L2
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) + penalty @ beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"features": names, "mean": [round(float(v), 6) for v in mean], "scale": [round(float(v), 6) for v in scale],
            "coef": [round(float(v), 6) for v in beta[1:]], "intercept": round(float(beta[0]), 6)}


def fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray, n_trees: int = 80, depth: int = 3,
              rate: float = 0.2, min_count: int = 20, cuts: int = 24) -> dict:
    """Gradient-boosted trees for the logistic loss, exact on quantile cuts (deterministic). Trees are nested
    lists ``[feature, threshold, left, right]`` with float leaves: the runtime walks them in plain Python."""
    w = w / w.mean()
    prior = float(np.clip((w * y).sum() / w.sum(), 1e-3, 1 - 1e-3))
    base = float(np.log(prior / (1 - prior)))
    f = np.full(len(y), base)
    cands = [np.unique(np.quantile(x[:, j], np.linspace(0, 1, cuts + 2)[1:-1])) for j in range(x.shape[1])]
    # bins[i, j] <= k exactly when x[i, j] <= cands[j][k]
    bins = np.stack([np.searchsorted(c, x[:, j], side="left") for j, c in enumerate(cands)], axis=1)
    trees = []
    for _ in range(n_trees):
        p = 1 / (1 + np.exp(-f))
        g, h = w * (p - y), w * p * (1 - p)
        tree = _grow(bins, cands, g, h, np.arange(len(y)), depth, min_count, rate)
        trees.append(tree)
        f += _predict(tree, x)
    return {"kind": "trees", "features": list(L.FEATURES), "base": round(base, 6), "trees": trees}


def _grow(bins, cands, g, h, idx, depth, min_count, rate, lam: float = 1.0):
    gi, hi = g[idx], h[idx]
    gs, hs = gi.sum(), hi.sum()
    leaf = round(float(-rate * gs / (hs + lam)), 6)
    if depth == 0 or len(idx) < 2 * min_count:
        return leaf
    parent = gs * gs / (hs + lam)
    best = (1e-9, None, None)
    for j, c in enumerate(cands):
        if len(c) == 0:
            continue
        b = bins[idx, j]
        size = len(c) + 1
        gl = np.cumsum(np.bincount(b, gi, size))[:-1]
        hl = np.cumsum(np.bincount(b, hi, size))[:-1]
        nl = np.cumsum(np.bincount(b, None, size))[:-1]
        ok = (nl >= min_count) & (len(idx) - nl >= min_count)
        if not ok.any():
            continue
        gain = gl ** 2 / (hl + lam) + (gs - gl) ** 2 / (hs - hl + lam) - parent
        gain[~ok] = -1.0
        k = int(np.argmax(gain))
        if gain[k] > best[0]:
            best = (float(gain[k]), j, k)
    if best[1] is None:
        return leaf
    j, k = best[1], best[2]
    left = bins[idx, j] <= k
    return [j, round(float(cands[j][k]), 6), _grow(bins, cands, g, h, idx[left], depth - 1, min_count, rate),
            _grow(bins, cands, g, h, idx[~left], depth - 1, min_count, rate)]


def _predict(tree, x: np.ndarray) -> np.ndarray:
    """One tree's leaf value for every row of ``x`` (what ``lines.score_trees`` sums, vectorized)."""
    if not isinstance(tree, list):
        return np.full(len(x), tree)
    left = x[:, tree[0]] <= tree[1]
    out = np.empty(len(x))
    out[left] = _predict(tree[2], x[left])
    out[~left] = _predict(tree[3], x[~left])
    return out


def scores(model: dict, x: np.ndarray) -> np.ndarray:
    """``lines.score`` of every row of ``x``, vectorized for trees."""
    if model.get("kind") != "trees":
        return np.array([L.score(model, list(row)) for row in x])
    z = np.full(len(x), model["base"]) + sum(_predict(t, x) for t in model["trees"])
    return np.round(1 / (1 + np.exp(-np.clip(z, -30, 30))), 4)


def _walk(tree, row) -> float:
    while isinstance(tree, list):
        tree = tree[2] if row[tree[0]] <= tree[1] else tree[3]
    return tree


def _count_splits(tree, used: dict) -> None:
    if isinstance(tree, list):
        used[tree[0]] = used.get(tree[0], 0) + 1
        _count_splits(tree[2], used)
        _count_splits(tree[3], used)


def pick_threshold(folds: list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]) -> float:
    """The lowest threshold at which the model removes at most MAX_BODY_LOSS of the body characters of every
    held-out fold: the worst unseen source sets it, not the average."""
    for t in GRID:
        if all(float(w[(s >= t) & (y == 0)].sum()) <= MAX_BODY_LOSS * body for s, y, w, body in folds):
            return t
    return 1.01  # never sure enough: the model removes nothing


def _fit_model(x, y, w) -> dict:
    return fit_trees(x, y, w) if KIND == "trees" else fit_logistic(x, y, w)


def fit(labels: list[dict], pages) -> dict:
    """The model on every page of ``labels``; its threshold from out-of-fold scores (folds by source), so the
    body-loss budget is met on sources the model did not see, not only on its own training lines."""
    from tools.evaluate import source_of

    x, y, w, lists = collect(labels, pages)
    model = _fit_model(x, y, w)
    sources = sorted({source_of(lab) for lab in labels})
    folds = [sources[k::INNER_FOLDS] for k in range(min(INNER_FOLDS, len(sources)))]
    held_out = []  # per fold: out-of-fold scores, labels, weights and body characters
    for held in folds:
        inner = [lab for lab in labels if source_of(lab) not in held]
        test = [lab for lab in labels if source_of(lab) in held]
        if not inner or not test:
            continue
        xi, yi, wi, _ = collect(inner, pages)
        xt, yt, wt, _ = collect(test, pages)
        st = scores(_fit_model(xi, yi, wi), xt)
        st[protected_mask(test)] = 0.0  # never removed at run time
        held_out.append((st, yt, wt, _body_chars(test, pages)))
    if not held_out:
        s_all = scores(model, x)
        s_all[protected_mask(labels)] = 0.0
        held_out = [(s_all, y, w, _body_chars(labels, pages))]
    model["threshold"] = pick_threshold(held_out)
    model["list_threshold"] = fit_list_threshold(labels, pages)
    model["trained_on"] = {"pages": len(labels), "lines": int(len(y)), "sources": sources}
    return model


def _body_chars(labels: list[dict], pages) -> float:
    from tools.evaluate import body_lines

    total = 0
    for lab in labels:
        raw = pages.get(lab)[0].split("\n")
        total += sum(len(raw[i].strip()) for i in body_lines(lab, raw) if i < len(raw))
    return float(total)


def fit_overrides(labels: list[dict], pages, path: Path) -> tuple[str, ...]:
    """Fit on ``labels``, write the model to ``path``; the recipe overrides that make a run use it."""
    model = fit(labels, pages)
    path.write_text(json.dumps(model, ensure_ascii=False) + "\n", encoding="utf-8")
    return (f"boilerplate.model_path={path}", f"quality.max_list_page={model['list_threshold']}")


def main(argv: list[str] | None = None) -> int:
    from tools.evaluate import Pages, load_labels

    labels = load_labels()
    pages = Pages(labels)
    if "--list" in (sys.argv[1:] if argv is None else argv):  # the list-page threshold only: quality.max_list_page
        print(f"list threshold (quality.max_list_page) {fit_list_threshold(labels, pages)}")
        return 0
    model = fit(labels, pages)
    SHIPPED.parent.mkdir(exist_ok=True)
    SHIPPED.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SHIPPED.relative_to(ROOT)}: {model['trained_on']}, threshold {model['threshold']}, "
          f"list threshold {model['list_threshold']}")
    if "coef" in model:
        for name, c in sorted(zip(model["features"], model["coef"]), key=lambda t: -abs(t[1]))[:12]:
            print(f"  {name:20} {c:+.3f}")
    else:
        used: dict[str, int] = {}
        for tree in model["trees"]:
            _count_splits(tree, used)
        print("  splits per feature:", ", ".join(f"{L.FEATURES[j]} {n}" for j, n in sorted(used.items(), key=lambda t: -t[1])[:14]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
