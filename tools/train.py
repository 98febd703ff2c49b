"""``make train``: fit the boilerplate step's line model and the list-page threshold on the gold labels.

The model is a logistic regression over ``transforms.lines.FEATURES`` (the rules' verdicts among them), fitted by
Newton's method with an L2 penalty in numpy: deterministic, no dependency at run time, a JSON file of a few
hundred bytes shipped in the package (``transforms/data/line_model.json``). It only ever sees the lines the rules
kept, since those are the only ones it decides on. Its threshold is the lowest score at which the model removes at
most ``MAX_BODY_LOSS`` of the training pages' body characters: body precision first. The list-page threshold is
the highest ``list_page`` score of a training page that is not a list page, so no article page is rejected.

    python -m tools.train            # fit on every gold label, write the shipped model
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
GRID = [round(0.5 + 0.01 * k, 3) for k in range(45)] + [round(0.95 + 0.002 * k, 3) for k in range(25)]


def collect(labels: list[dict], pages) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[float, bool]]]:
    """Features, labels (1 = boilerplate) and weights (characters) of the lines the rules kept, and each page's
    (list_page score, is a list page)."""
    from tools.evaluate import body_lines

    xs, ys, ws, lists = [], [], [], []
    cfg = boilerplate.Config()
    for lab in labels:
        text, meta = pages.get(lab)
        raw = text.split("\n")
        doc = Document(id="t", source=lab["file"], text=text, url=meta.get("url"), title=meta.get("title"))
        unicode.apply(doc, unicode.Config(), StepStats())
        plain, feats, rules = boilerplate.line_table(doc, cfg)
        body_chars = sum(len(raw[i].strip()) for i in body_lines(lab, raw) if i < len(raw))
        # Rejecting a page whose body the quality step would reject anyway (min_chars) loses nothing.
        if body_chars >= MIN_BODY or lab.get("list_page"):
            lists.append((L.list_page_score(plain), bool(lab.get("list_page"))))
        if len(plain) != len(raw):
            continue  # the unicode step changed the line count: labels no longer line up
        body = body_lines(lab, raw)
        for i, s in enumerate(plain):
            if not s or rules[i] is not None:
                continue
            xs.append(feats[i])
            ys.append(0.0 if i in body else 1.0)
            ws.append(float(len(s)))
    return np.array(xs, dtype=float), np.array(ys), np.array(ws), lists


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


def pick_threshold(model: dict, x: np.ndarray, y: np.ndarray, w: np.ndarray, body_total: float) -> float:
    """The lowest threshold that removes at most MAX_BODY_LOSS of the body characters."""
    scores = np.array([L.score(model, list(row)) for row in x])
    for t in GRID:
        lost = float(w[(scores >= t) & (y == 0)].sum())
        if lost <= MAX_BODY_LOSS * body_total:
            return t
    return 1.01  # never sure enough: the model removes nothing


def fit(labels: list[dict], pages) -> dict:
    x, y, w, lists = collect(labels, pages)
    body_total = _body_chars(labels, pages)
    model = fit_logistic(x, y, w)
    model["threshold"] = pick_threshold(model, x, y, w, body_total)
    others = [s for s, is_list in lists if not is_list]
    model["list_threshold"] = round(max(others, default=0.99), 4)
    model["trained_on"] = {"pages": len(labels), "lines": int(len(y))}
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


def main() -> int:
    from tools.evaluate import Pages, load_labels

    labels = load_labels()
    model = fit(labels, Pages(labels))
    SHIPPED.parent.mkdir(exist_ok=True)
    SHIPPED.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SHIPPED.relative_to(ROOT)}: {model['trained_on']}, threshold {model['threshold']}, "
          f"list threshold {model['list_threshold']}")
    for name, c in sorted(zip(model["features"], model["coef"]), key=lambda t: -abs(t[1]))[:12]:
        print(f"  {name:20} {c:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
