"""The run report's charts, written straight to SVG from the figures: histograms and bars need no plotting
library, and the report is the serial end of every run (matplotlib cost ~1 s to import and ~0.6 s to draw
these). Text stays <text> in a CJK font stack, so a reader's browser renders the labels from any font it has."""

from __future__ import annotations

from html import escape
import math

import numpy as np

FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
         "WenQuanYi Micro Hei", "Noto Sans SC", "DejaVu Sans"]
FONT = ", ".join(f"'{f}'" for f in FONTS) + ", sans-serif"
BEFORE, AFTER, CUT, INK, GREY = "#9aa5b1", "#1f6feb", "#d1242f", "#24292f", "#57606a"
STEP_COLOURS = {"unicode": "#8250df", "boilerplate": "#1f6feb", "crossdoc": "#bf3989", "punctuation": "#1a7f37",
                "script": "#9a6700", "whitespace": "#57606a", "quality": "#cf222e", "dedup": "#0a3069"}
PT = 72  # SVG units per inch, as the figure sizes below are given in inches


def _n(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


class Canvas:
    """An SVG drawing ``w`` x ``h`` inches, scaled by CSS to the page's width."""

    def __init__(self, w: float, h: float):
        self.w, self.h = w * PT, h * PT
        self.parts: list[str] = []

    def text(self, x, y, s: str, size: float = 9, anchor: str = "start", colour: str = INK, bold: bool = False,
             middle: bool = False) -> None:
        weight = "font-weight: bold; " if bold else ""
        base = ' dominant-baseline="central"' if middle else ""
        for i, line in enumerate(str(s).split("\n")):
            self.parts.append(f'<text x="{_n(x)}" y="{_n(y + i * size * 1.2)}" text-anchor="{anchor}"{base} '
                              f'fill="{colour}" style="font-family: {FONT}; font-size: {_n(size)}px; {weight}">'
                              f"{escape(line)}</text>")

    def rect(self, x, y, w, h, fill: str, opacity: float = 1.0) -> None:
        op = f' fill-opacity="{opacity}"' if opacity < 1 else ""
        self.parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" '
                          f'fill="{fill}"{op}/>')

    def line(self, x1, y1, x2, y2, colour: str = INK, width: float = 0.8) -> None:
        self.parts.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}" '
                          f'stroke-width="{_n(width)}"/>')

    def path(self, points: list[tuple[float, float]], fill: str | None = None, colour: str | None = None,
             width: float = 1.0, opacity: float = 1.0) -> None:
        d = "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in points) + (" Z" if fill else "")
        style = f'fill="{fill or "none"}"' + (f' fill-opacity="{opacity}"' if fill and opacity < 1 else "")
        style += f' stroke="{colour}" stroke-width="{_n(width)}" stroke-linejoin="round"' if colour else ""
        self.parts.append(f'<path d="{d}" {style}/>')

    def svg(self, cls: str = "chart") -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(self.w)} {_n(self.h)}" class="{cls}">\n'
                + "\n".join(self.parts) + "\n</svg>")


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round values (1, 2, 2.5 or 5 times a power of ten) from ``lo`` to ``hi``."""
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step + 1e-9) + 1)]


def _count(v: float) -> str:
    return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,.1f}"


class Axes:
    """A plot area on a canvas, from data coordinates to SVG ones, with the left and bottom spines."""

    def __init__(self, c: Canvas, x0: float, y0: float, x1: float, y1: float, xlim, ylim, size: float = 9):
        self.c, self.x0, self.y0, self.x1, self.y1 = c, x0, y0, x1, y1
        self.xlim, self.ylim, self.size = xlim, ylim, size

    def x(self, v: float) -> float:
        lo, hi = self.xlim
        return self.x0 + (v - lo) / ((hi - lo) or 1) * (self.x1 - self.x0)

    def y(self, v: float) -> float:
        lo, hi = self.ylim
        return self.y1 - (v - lo) / ((hi - lo) or 1) * (self.y1 - self.y0)

    def frame(self, xticks=(), yticks=(), xlabel: str = "", ylabel: str = "", title: str = "") -> None:
        c, s = self.c, self.size
        c.line(self.x0, self.y1, self.x1, self.y1)
        c.line(self.x0, self.y0, self.x0, self.y1)
        for v, label in xticks:
            c.line(self.x(v), self.y1, self.x(v), self.y1 + 3.5)
            c.text(self.x(v), self.y1 + 4 + s, label, s, "middle")
        for v, label in yticks:
            c.line(self.x0 - 3.5, self.y(v), self.x0, self.y(v))
            c.text(self.x0 - 5, self.y(v), label, s, "end", middle=True)
        if xlabel:
            c.text((self.x0 + self.x1) / 2, self.y1 + 7 + 2.2 * s, xlabel, 9, "middle")
        if ylabel:
            y = (self.y0 + self.y1) / 2
            c.parts.append(f'<g transform="translate({_n(max(12.0, self.x0 - 3.6 * s - 8))} {_n(y)}) rotate(-90)">')
            c.text(0, 0, ylabel, 9, "middle")
            c.parts.append("</g>")
        if title:
            c.text(self.x0, self.y0 - 6, title, 10, bold=True)

    def count_ticks(self, axis: str = "y") -> list[tuple[float, str]]:
        lo, hi = self.ylim if axis == "y" else self.xlim
        return [(v, _count(v)) for v in nice_ticks(lo, hi) if lo <= v <= hi]

    def stairs(self, counts: np.ndarray, edges: np.ndarray, fill: str | None = None, colour: str | None = None,
               width: float = 1.0, opacity: float = 1.0) -> None:
        pts = [(self.x(edges[0]), self.y(0))]
        for i, n in enumerate(counts):
            pts += [(self.x(edges[i]), self.y(n)), (self.x(edges[i + 1]), self.y(n))]
        pts.append((self.x(edges[-1]), self.y(0)))
        self.c.path(pts, fill=fill, colour=colour, width=width, opacity=opacity)

    def legend(self, items: list[tuple[str, str, bool]], x: float, y: float, anchor: str = "end") -> None:
        """Entries (label, colour, filled) from (x, y) down, right-aligned at x with ``anchor="end"``."""
        for i, (label, colour, filled) in enumerate(items):
            yy = y + i * 13
            tx = x - 24 if anchor == "end" else x + 24
            self.c.text(tx + (0 if anchor == "end" else 0), yy, label, 9, anchor, middle=True)
            sx = x - 18 if anchor == "end" else x
            if filled:
                self.c.rect(sx, yy - 4, 16, 8, colour)
            else:
                self.c.line(sx, yy, sx + 16, yy, colour, 1.8)


def _log10(v: np.ndarray) -> np.ndarray:
    return np.log10(np.maximum(v, 1))


def _log_ticks(top: float) -> list[tuple[float, str]]:
    """Powers of ten on an axis of log10 values."""
    return [(float(t), f"{10**t:,.0f}" if t < 4 else f"{10**(t - 3):,.0f}k") for t in range(int(math.ceil(top)) + 1)]


def _top(counts) -> float:
    return max([float(np.max(c)) for c in counts if len(c)] + [1.0]) * 1.05


def lengths(before: np.ndarray, after: np.ndarray) -> str:
    """Characters per page: every page read (before cleaning) and every kept page."""
    c = Canvas(7, 2.8)
    top = max([float(_log10(a).max()) for a in (before, after) if len(a)] + [1.0])
    edges = np.linspace(0, top + 0.05, 50)
    hb, ha = np.histogram(_log10(before), edges)[0], np.histogram(_log10(after), edges)[0]
    ax = Axes(c, 0.09 * c.w, 0.08 * c.h, 0.98 * c.w, 0.8 * c.h, (0, float(edges[-1])), (0, _top([hb, ha])))
    ax.stairs(hb, edges, fill=BEFORE, opacity=0.6)
    ax.stairs(ha, edges, colour=AFTER, width=1.8)
    ax.frame([t for t in _log_ticks(top) if t[0] <= edges[-1]], ax.count_ticks(), "字符数 characters per page (log)",
             "页 pages")
    ax.legend([(f"读入 read ({len(before):,})", BEFORE, True), (f"保留 kept ({len(after):,})", AFTER, False)],
              ax.x1, ax.y0 + 6)
    return c.svg()


def removed(rows: list[tuple[str, str, int]], top: int = 18) -> str:
    """Characters removed per (step, rule), largest first, coloured by step."""
    rows = sorted((r for r in rows if r[2] > 0), key=lambda r: -r[2])[:top]
    h = 0.6 + 0.26 * max(len(rows), 1)
    c = Canvas(7, h)
    width = max([len(f"{s} · {r}") for s, r, _ in rows] + [10])
    hi = max([v for _, _, v in rows] + [1]) * 1.15
    ax = Axes(c, min(0.5, 0.012 * width + 0.03) * c.w, 0.08 * c.h, 0.98 * c.w, c.h - 0.45 * PT,
              (0, hi), (-0.6, max(len(rows), 1) - 0.4))
    band = (ax.y1 - ax.y0) / max(len(rows), 1)
    for i, (step, rule, v) in enumerate(rows):
        y = ax.y0 + (i + 0.5) * band
        c.rect(ax.x(0), y - 0.4 * band, ax.x(v) - ax.x(0), 0.8 * band, STEP_COLOURS.get(step, GREY))
        c.text(ax.x(v) + 2, y, f"{v:,}", 8, middle=True)
        c.text(ax.x0 - 5, y, f"{step} · {rule}", 9, "end", middle=True)
    ax.frame(ax.count_ticks("x"), (), "删除的字符 characters removed")
    return c.svg()


def scripts(before: dict[str, int], after: dict[str, int]) -> str:
    """Share of pages per script: detected before conversion, and on the kept text."""
    names = ["zh-Hans", "zh-Hant", "mixed", "none"]
    nb, na = sum(before.values()) or 1, sum(after.values()) or 1
    c = Canvas(7, 2.4)
    ax = Axes(c, 0.12 * c.w, 0.08 * c.h, 0.98 * c.w, 0.8 * c.h, (0, 1.12), (0, 1))
    band = (ax.y1 - ax.y0) / len(names)
    groups = ((0, before, nb, BEFORE, f"转换前 before ({nb:,} pages)"), (1, after, na, AFTER, f"输出 after ({na:,} pages)"))
    for i, name in enumerate(names):
        mid = ax.y0 + (i + 0.5) * band
        for k, counts, n, colour, _ in groups:
            v = counts.get(name, 0) / n
            y = mid - 0.4 * band + k * 0.4 * band
            c.rect(ax.x(0), y, ax.x(v) - ax.x(0), 0.4 * band, colour)
            if v:
                c.text(ax.x(v) + 2, y + 0.2 * band, f"{v:.1%}", 8, middle=True)
        c.text(ax.x0 - 5, mid, name, 9, "end", middle=True)
    ax.frame([(v, _n(v)) for v in (0, 0.2, 0.4, 0.6, 0.8, 1.0)], (), "页的比例 share of pages")
    ax.legend([(g[4], g[3], True) for g in groups], ax.x1, ax.y1 - 30)
    return c.svg()


def signals(panels: list[dict]) -> str:
    """One small histogram per quality signal, its threshold marked, the share it rejected in the title.

    Each panel: name, values (array), limit (or None), kind ("min"/"max"), rejected (pages), share (0-1), log.
    """
    cols = 3
    rows = max(1, -(-len(panels) // cols))
    c = Canvas(9, 2.2 * rows)
    left, right, top, bottom = 0.06 * c.w, 0.98 * c.w, 0.08 * c.h, 0.92 * c.h
    pw = (right - left) / (cols + (cols - 1) * 0.25)
    ph = (bottom - top) / (rows + (rows - 1) * 0.75)
    for i, p in enumerate(panels):
        x0, y0 = left + (i % cols) * pw * 1.25, top + (i // cols) * ph * 1.75
        v = p["values"]
        v = v[np.isfinite(v)]
        cut = p["limit"]
        if p["log"]:
            v = _log10(v)
            cut = None if cut is None else float(_log10(np.array([cut]))[0])
        lo, hi = (float(v.min()), float(v.max())) if len(v) else (0.0, 1.0)
        if cut is not None:
            lo, hi = min(lo, cut), max(hi, cut)
        edges = np.linspace(lo, hi + 1e-9 if hi > lo else lo + 1, 31)
        counts = np.histogram(v, edges)[0]
        ax = Axes(c, x0, y0, x0 + pw, y0 + ph, (float(edges[0]), float(edges[-1])), (0, _top([counts])), size=7)
        ax.stairs(counts, edges, fill=AFTER)
        xt = _log_ticks(float(edges[-1])) if p["log"] else [(t, f"{t:g}") for t in nice_ticks(*ax.xlim, 4)]
        if cut is not None:
            c.line(ax.x(cut), ax.y0, ax.x(cut), ax.y1, CUT, 1.5)
        limit = "off" if p["limit"] is None else f"{p['kind']} {p['limit']:g}"
        ax.frame([t for t in xt if ax.xlim[0] - 1e-9 <= t[0] <= ax.xlim[1] + 1e-9], ax.count_ticks(),
                 title=f"{p['name']}  ({limit})")
        c.text(ax.x1 - 2, ax.y0 + 9, f"rejected {p['rejected']:,}\n({p['share']:.1%})", 8, "end",
               CUT if p["rejected"] else GREY)
    return c.svg("chart wide")


def clusters(sizes: np.ndarray) -> str:
    """Duplicate clusters by size (pages in the cluster, the kept representative included)."""
    edges = [(2, 2), (3, 3), (4, 4), (5, 5), (6, 10), (11, 20), (21, 50), (51, 10**9)]
    labels = [str(a) if a == b else (f"{a}–{b}" if b < 10**9 else f">{a - 1}") for a, b in edges]
    counts = [int(((sizes >= a) & (sizes <= b)).sum()) for a, b in edges]
    c = Canvas(7, 2.2)
    ax = Axes(c, 0.09 * c.w, 0.08 * c.h, 0.98 * c.w, 0.8 * c.h, (-0.6, len(edges) - 0.4),
              (0, max(counts + [1]) * 1.15))
    for x, n in enumerate(counts):
        c.rect(ax.x(x - 0.4), ax.y(n), ax.x(x + 0.4) - ax.x(x - 0.4), ax.y(0) - ax.y(n), AFTER)
        if n:
            c.text(ax.x(x), ax.y(n) - 3, f"{n:,}", 8, "middle")
    ax.frame(list(enumerate(labels)), ax.count_ticks(), "簇大小 pages per cluster", "簇 clusters")
    return c.svg()
