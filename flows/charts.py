"""The run report's charts: matplotlib to SVG strings, text kept as text so the browser picks a CJK font."""

from __future__ import annotations

import io
import re
import warnings

import numpy as np

# Text stays <text>: a reader's browser renders CJK labels from any font it has, instead of glyph paths from a
# font this machine may lack. The stack names common CJK fonts before a Latin fallback.
FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
         "WenQuanYi Micro Hei", "Noto Sans SC", "DejaVu Sans"]
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "qingxi",  # stable element ids: the same run gives the same report
    "font.family": "sans-serif",
    "font.sans-serif": FONTS,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
}
BEFORE, AFTER, CUT = "#9aa5b1", "#1f6feb", "#d1242f"
STEP_COLOURS = {"unicode": "#8250df", "boilerplate": "#1f6feb", "crossdoc": "#bf3989", "punctuation": "#1a7f37",
                "script": "#9a6700", "whitespace": "#57606a", "quality": "#cf222e", "dedup": "#0a3069"}


def _svg(fig, cls: str = "chart") -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined in HTML
    # Scale with the page: keep the viewBox, let CSS set the size.
    return re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1 class="' + cls + '"', svg, count=1)


def _figure(w: float, h: float, left: float = 0.09, bottom: float = 0.2, **kw):
    """A figure with fixed margins: a tight layout costs a full extra draw per chart."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(w, h), **kw)
    fig.subplots_adjust(left=left, right=0.98, top=0.92, bottom=bottom, hspace=0.75, wspace=0.25)
    return fig, ax


class _quiet:
    """Fonts missing here only affect layout metrics; the browser draws the text."""

    def __enter__(self):
        import logging

        import matplotlib

        self.rc = matplotlib.rc_context(STYLE)
        self.rc.__enter__()
        self.w = warnings.catch_warnings()
        self.w.__enter__()
        warnings.filterwarnings("ignore", message=r"(?i).*(glyph|font).*")
        self.log = logging.getLogger("matplotlib.font_manager")
        self.level = self.log.level
        self.log.setLevel(logging.ERROR)
        return self

    def __exit__(self, *exc):
        self.log.setLevel(self.level)
        self.w.__exit__(*exc)
        self.rc.__exit__(*exc)


def _log10(v: np.ndarray) -> np.ndarray:
    return np.log10(np.maximum(v, 1))


def _log_axis(ax, top: float) -> None:
    """Ticks at powers of ten on an axis of log10 values (cheaper to draw than a log scale)."""
    ticks = np.arange(0, int(np.ceil(top)) + 1)
    ax.set_xticks(ticks, [f"{10**t:,.0f}" if t < 4 else f"{10**(t - 3):,.0f}k" for t in ticks])


def _hist(ax, values: np.ndarray, edges: np.ndarray, **kw) -> None:
    counts, _ = np.histogram(values, edges)
    ax.stairs(counts, edges, **kw)


def lengths(before: np.ndarray, after: np.ndarray) -> str:
    """Characters per page: every page read (before cleaning) and every kept page."""
    with _quiet():
        fig, ax = _figure(7, 2.8)
        top = max([_log10(a).max() for a in (before, after) if len(a)] + [1.0])
        edges = np.linspace(0, top + 0.05, 50)
        _hist(ax, _log10(before), edges, fill=True, color=BEFORE, alpha=0.6, label=f"读入 read ({len(before):,})")
        _hist(ax, _log10(after), edges, color=AFTER, linewidth=1.8, label=f"保留 kept ({len(after):,})")
        _log_axis(ax, top)
        ax.set_xlabel("字符数 characters per page (log)")
        ax.set_ylabel("页 pages")
        ax.legend(frameon=False)
        return _svg(fig)


def removed(rows: list[tuple[str, str, int]], top: int = 18) -> str:
    """Characters removed per (step, rule), largest first, coloured by step."""
    from matplotlib.ticker import FuncFormatter

    rows = sorted((r for r in rows if r[2] > 0), key=lambda r: -r[2])[:top]
    with _quiet():
        h = 0.6 + 0.26 * max(len(rows), 1)
        width = max([len(f"{s} · {r}") for s, r, _ in rows] + [10])
        fig, ax = _figure(7, h, left=min(0.5, 0.012 * width + 0.03), bottom=0.45 / h)
        if rows:
            labels = [f"{s} · {r}" for s, r, _ in rows][::-1]
            values = [c for _, _, c in rows][::-1]
            colours = [STEP_COLOURS.get(s, "#57606a") for s, _, _ in rows][::-1]
            ax.barh(labels, values, color=colours)
            for y, v in enumerate(values):
                ax.text(v, y, f" {v:,}", va="center", fontsize=8)
        ax.set_xlabel("删除的字符 characters removed")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.margins(x=0.15)
        return _svg(fig)


def scripts(before: dict[str, int], after: dict[str, int]) -> str:
    """Share of pages per script: detected before conversion, and on the kept text."""
    names = ["zh-Hans", "zh-Hant", "mixed", "none"]
    nb, na = sum(before.values()) or 1, sum(after.values()) or 1
    with _quiet():
        fig, ax = _figure(7, 2.4, left=0.12)
        y = np.arange(len(names))
        for dy, counts, n, colour, label in ((-0.2, before, nb, BEFORE, f"转换前 before ({nb:,} pages)"),
                                              (0.2, after, na, AFTER, f"输出 after ({na:,} pages)")):
            shares = [counts.get(k, 0) / n for k in names]
            ax.barh(y + dy, shares, 0.4, color=colour, label=label)
            for yy, v in zip(y + dy, shares):
                if v:
                    ax.text(v, yy, f" {v:.1%}", va="center", fontsize=8)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.12)
        ax.set_xlabel("页的比例 share of pages")
        ax.legend(frameon=False, loc="lower right")
        return _svg(fig)


def signals(panels: list[dict]) -> str:
    """One small histogram per quality signal, its threshold marked, the share it rejected in the title.

    Each panel: name, values (array), limit (or None), kind ("min"/"max"), rejected (pages), share (0-1), log.
    """
    cols = 3
    rows = max(1, -(-len(panels) // cols))
    with _quiet():
        fig, axes = _figure(9, 2.2 * rows, left=0.06, bottom=0.08, nrows=rows, ncols=cols, squeeze=False)
        for ax in axes.flat[len(panels):]:
            ax.set_visible(False)
        for ax, p in zip(axes.flat, panels):
            v = p["values"]
            v = v[np.isfinite(v)]
            cut = p["limit"]
            if p["log"]:
                v = _log10(v)
                cut = None if cut is None else float(_log10(np.array([cut]))[0])
            lo, hi = (float(v.min()), float(v.max())) if len(v) else (0.0, 1.0)
            if cut is not None:
                lo, hi = min(lo, cut), max(hi, cut)
            _hist(ax, v, np.linspace(lo, hi + 1e-9 if hi > lo else lo + 1, 31), fill=True, color=AFTER)
            if p["log"]:
                _log_axis(ax, hi)
            if cut is not None:
                ax.axvline(cut, color=CUT, linewidth=1.5)
            limit = "off" if p["limit"] is None else f"{p['kind']} {p['limit']:g}"
            ax.set_title(f"{p['name']}  ({limit})", loc="left")
            ax.text(0.98, 0.95, f"rejected {p['rejected']:,}\n({p['share']:.1%})", transform=ax.transAxes,
                    ha="right", va="top", fontsize=8, color=CUT if p["rejected"] else "#57606a")
            ax.tick_params(labelsize=7)
        return _svg(fig, "chart wide")


def clusters(sizes: np.ndarray) -> str:
    """Duplicate clusters by size (pages in the cluster, the kept representative included)."""
    edges = [(2, 2), (3, 3), (4, 4), (5, 5), (6, 10), (11, 20), (21, 50), (51, 10**9)]
    labels = [str(a) if a == b else (f"{a}–{b}" if b < 10**9 else f">{a - 1}") for a, b in edges]
    counts = [int(((sizes >= a) & (sizes <= b)).sum()) for a, b in edges]
    with _quiet():
        fig, ax = _figure(7, 2.2)
        ax.bar(labels, counts, color=AFTER)
        for x, c in enumerate(counts):
            if c:
                ax.text(x, c, f"{c:,}", ha="center", va="bottom", fontsize=8)
        ax.set_xlabel("簇大小 pages per cluster")
        ax.set_ylabel("簇 clusters")
        ax.margins(y=0.15)
        return _svg(fig)
