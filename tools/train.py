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

from transforms import boilerplate, quality, unicode
from transforms import lines as L
from transforms.document import Document, StepStats

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "transforms" / "data" / "line_model.json"
MAX_BODY_LOSS = 0.003  # share of a held-out source's body characters the model may remove
L2 = 1.0
MIN_BODY = quality.Config().min_chars or 0  # a shorter page the quality step rejects anyway
LIST_MARGIN = 0.1  # above an article page's score: an unseen site's article may score a little higher
BODY_WEIGHT = 10  # a body character a list rejection loses costs as much as ten list characters kept
KIND = "logistic"  # or "trees": held out, trees cost one unseen source 0.7% of its body
INNER_FOLDS = 3
GRID = [round(0.5 + 0.01 * k, 3) for k in range(45)] + [round(0.95 + 0.002 * k, 3) for k in range(25)]


_CACHE: dict[tuple, tuple] = {}
_PROTECTED: dict[tuple, list[bool]] = {}  # lines the model may never remove (lines.protected)


def page_rows(lab: dict, pages) -> tuple[list, list, list, tuple[float, bool] | None]:
    """One page's candidate lines (kept by the rules): features, label (1 = boilerplate), weight (characters);
    and its (list_page score, is a list page, the characters rejecting it loses or removes), None when rejecting
    it could lose no body. Cached: features do not depend on the model."""
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
    if lab.get("list_page"):
        listed = (list_score(doc), True, sum(len(s.strip()) for s in raw))
    else:
        listed = (list_score(doc), False, body_chars) if body_chars >= MIN_BODY else None
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
    """The threshold, among the article pages' scores plus ``LIST_MARGIN`` (and 1.0: no rejection), that costs
    least: body characters of the articles it would reject, weighted ``BODY_WEIGHT``, plus characters of the list
    pages it would keep. Body precision first, but one odd article page (a data table with a few lines of
    prose) does not switch the list check off for every site."""
    scores = [x for x in (page_rows(lab, pages)[3] for lab in labels) if x]
    kept = sorted(s for s, is_list, _ in scores if not is_list)
    # A cut keeps its margin over every article page it keeps.
    cuts = {1.0} | {round(min(1.0, s + LIST_MARGIN), 4) for s, above in zip(kept, kept[1:] + [2.0])
                    if above > s + LIST_MARGIN}

    def cost(t: float) -> float:
        return sum(n * (1 if is_list else BODY_WEIGHT) for s, is_list, n in scores if (s <= t) == is_list)

    return min(sorted(cuts, reverse=True), key=cost)


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
    # Histograms of every feature at once: bin k of feature j is slot j * size + k.
    n_feat, size = bins.shape[1], max(len(c) for c in cands) + 1
    slots = (bins[idx] + np.arange(n_feat) * size).ravel()
    gl = np.cumsum(np.bincount(slots, np.repeat(gi, n_feat), n_feat * size).reshape(n_feat, size), axis=1)[:, :-1]
    hl = np.cumsum(np.bincount(slots, np.repeat(hi, n_feat), n_feat * size).reshape(n_feat, size), axis=1)[:, :-1]
    nl = np.cumsum(np.bincount(slots, None, n_feat * size).reshape(n_feat, size), axis=1)[:, :-1]
    ok = (nl >= min_count) & (len(idx) - nl >= min_count)
    ok &= np.arange(size - 1)[None, :] < np.array([len(c) for c in cands])[:, None]  # a real cut of the feature
    if not ok.any():
        return leaf
    gain = gl ** 2 / (hl + lam) + (gs - gl) ** 2 / (hs - hl + lam) - parent
    gain[~ok] = -1.0
    j, k = np.unravel_index(int(np.argmax(gain)), gain.shape)  # first best in (feature, cut) order
    if gain[j, k] <= 1e-9:
        return leaf
    j, k = int(j), int(k)
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
    held-out source: the worst unseen source sets it, not the average."""
    for t in GRID:
        if all(float(w[(s >= t) & (y == 0)].sum()) <= MAX_BODY_LOSS * body for s, y, w, body in folds):
            return t
    return 1.01  # never sure enough: the model removes nothing


def _fit_model(x, y, w) -> dict:
    return fit_trees(x, y, w) if KIND == "trees" else fit_logistic(x, y, w)


def decided(model: dict, x: np.ndarray, protected: np.ndarray) -> np.ndarray:
    """The model's score of each row of ``x`` as the step uses it: 0 for prose it never removes and for lines
    outside its scope (``lines.in_scope``)."""
    s = scores(model, x)
    s[protected] = 0.0
    s[~np.array([L.in_scope(list(row)) for row in x], dtype=bool)] = 0.0
    return s


def fit(labels: list[dict], pages) -> dict:
    """The model on every page of ``labels``; its threshold from out-of-fold scores (folds by source), so the
    body-loss budget is met on each source the model did not see, not only on its own training lines."""
    from tools.evaluate import source_of

    x, y, w, lists = collect(labels, pages)
    model = _fit_model(x, y, w)
    sources = sorted({source_of(lab) for lab in labels})
    folds = [sources[k::INNER_FOLDS] for k in range(min(INNER_FOLDS, len(sources)))]
    held_out = []  # per held-out source: out-of-fold scores, labels, weights and all its body characters
    for held in folds:
        inner = [lab for lab in labels if source_of(lab) not in held]
        if not inner:
            continue
        xi, yi, wi, _ = collect(inner, pages)
        inner_model = _fit_model(xi, yi, wi)
        for src in held:
            test = [lab for lab in labels if source_of(lab) == src]
            xt, yt, wt, _ = collect(test, pages)
            held_out.append((decided(inner_model, xt, protected_mask(test)), yt, wt, _body_chars(test, pages)))
    if not held_out:
        held_out = [(decided(model, x, protected_mask(labels)), y, w, _body_chars(labels, pages))]
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
