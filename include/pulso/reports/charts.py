"""Report charts (matplotlib, Agg): one palette, es-CO tick labels, PNG bytes or data URIs.

Every function returns a `data:image/png;base64,...` URI ready for an <img> in a report
template; `png_bytes` gives the raw PNG for Excel images or e-mails. matplotlib is imported
inside the functions (DAG files import pulso at parse time).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

from pulso.reports.fmt import num

PALETTE = {"primary": "#1F4E79", "accent": "#E67E22", "positive": "#2E8B57",
           "neutral": "#9AA5B1", "negative": "#C0392B", "grey": "#6B7280",
           "light": "#D5DBE1"}
SERIES = ["#1F4E79", "#E67E22", "#2E8B57", "#C0392B", "#8E44AD", "#16A085", "#7F8C8D",
          "#B7950B", "#2874A6", "#A04000"]
NETWORK_COLORS = {"facebook": "#1877F2", "instagram": "#C13584", "x": "#14171A",
                  "youtube": "#E62117", "tiktok": "#25A59F",
                  "linkedin": "#B7950B"}  # not its brand blue: Facebook is blue already
HEATMAP_CMAP = "Blues"


def plt():
    """pyplot on the Agg backend with the report style."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    pyplot.rcParams.update({"font.size": 8.5, "axes.spines.top": False,
                            "axes.spines.right": False, "figure.dpi": 130,
                            "font.family": "DejaVu Sans", "axes.titlesize": 9.5,
                            "axes.titleweight": "bold", "axes.titlelocation": "left"})
    return pyplot


def png_bytes(fig, tight: bool = True) -> bytes:
    """Render and close a figure (`tight`: crop to the drawn area, which renders twice)."""
    pyplot = plt()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight" if tight else None)
    pyplot.close(fig)
    return buf.getvalue()


def data_uri(fig_or_png) -> str:
    """A figure (closed after rendering) or PNG bytes as a data URI."""
    png = fig_or_png if isinstance(fig_or_png, bytes) else png_bytes(fig_or_png)
    return "data:image/png;base64," + base64.b64encode(png).decode()


figure_uri = data_uri


def _es_axis(axis, percent: bool = False, decimals: int = 0) -> None:
    """Ticks with es-CO separators (12.345; 12 %); counts get whole-number ticks only."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if percent:
        axis.set_major_formatter(FuncFormatter(lambda x, _: f"{num(x * 100, decimals)} %"))
    else:
        if not decimals:
            axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(FuncFormatter(lambda x, _: num(x, decimals)))


def _legend(ax, n: int) -> None:
    if n > 1:
        ax.legend(ncols=min(n, 6), fontsize=7.5, frameon=False, loc="upper center",
                  bbox_to_anchor=(0.5, -0.14))


def series_color(name: str, i: int) -> str:
    """Network colour when the series is a network, else the palette."""
    return NETWORK_COLORS.get(str(name).lower(), SERIES[i % len(SERIES)])


def lines(labels: Sequence[str], series: Mapping[str, Sequence[float | None]], *,
          title: str = "", percent: bool = False, colors: Sequence[str] | None = None,
          size: tuple[float, float] = (7.2, 2.7), ylabel: str = "") -> str:
    """One line per series over categorical x labels (months); gaps where None."""
    pyplot = plt()
    fig, ax = pyplot.subplots(figsize=size)
    x = list(range(len(labels)))
    for i, (name, vals) in enumerate(series.items()):
        ys = [float("nan") if v is None else float(v) for v in vals]
        color = colors[i] if colors else series_color(name, i)
        ax.plot(x, ys, marker="o", markersize=3.5, linewidth=1.6, color=color, label=str(name))
    step = max(1, -(-len(labels) // 16))  # at most ~16 tick labels
    ax.set_xticks(x[::step], list(labels)[::step])
    _es_axis(ax.yaxis, percent)
    ax.grid(axis="y", alpha=0.3)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    _legend(ax, len(series))
    return data_uri(fig)


def bars(labels: Sequence[str], series: Mapping[str, Sequence[float | None]], *,
         title: str = "", percent: bool = False, colors: Sequence[str] | None = None,
         size: tuple[float, float] = (7.2, 2.7), stacked: bool = False,
         value_labels: bool = False, horizontal: bool = False) -> str:
    """Grouped (or stacked) bars, vertical or (`horizontal`) one row per label, top down.

    Missing values draw no bar (a stacked bar counts them as 0).
    """
    import numpy as np

    pyplot = plt()
    fig, ax = pyplot.subplots(figsize=size)
    x = np.arange(len(labels))
    n = max(len(series), 1)
    width = 0.8 if stacked else 0.8 / n
    bottom = np.zeros(len(labels))
    for i, (name, vals) in enumerate(series.items()):
        v = np.array([0.0 if val is None else float(val) for val in vals])
        if stacked:
            v = np.nan_to_num(v)
        color = colors[i] if colors else series_color(name, i)
        pos = x if stacked else x - 0.4 + width * (i + 0.5)
        if horizontal:
            rects = ax.barh(pos, v, width, left=bottom if stacked else None, color=color,
                            label=str(name))
        else:
            rects = ax.bar(pos, v, width, bottom=bottom if stacked else None, color=color,
                           label=str(name))
        if stacked:
            bottom += v
        if value_labels:
            ax.bar_label(rects, labels=[num(t) for t in v], fontsize=6.5, padding=1)
    if horizontal:
        ax.set_yticks(x, list(labels))
        ax.invert_yaxis()
        _es_axis(ax.xaxis, percent)
        ax.grid(axis="x", alpha=0.3)
    else:
        ax.set_xticks(x, list(labels))
        _es_axis(ax.yaxis, percent)
        ax.grid(axis="y", alpha=0.3)
    ax.set_title(title)
    _legend(ax, len(series))
    return data_uri(fig)


def stacked_bars(labels: Sequence[str], series: Mapping[str, Sequence[float | None]], *,
                 title: str = "", percent: bool = False, colors: Sequence[str] | None = None,
                 size: tuple[float, float] = (7.2, 2.7), horizontal: bool = False) -> str:
    return bars(labels, series, title=title, percent=percent, colors=colors, size=size,
                stacked=True, horizontal=horizontal)


def hbars(labels: Sequence[str], values: Sequence[float | None], *, title: str = "",
          color: str = PALETTE["primary"], colors: Sequence[str] | None = None,
          percent: bool = False, size: tuple[float, float] | None = None) -> str:
    """Horizontal bars, largest first as given, with the value printed at each bar's end."""
    from pulso.reports.fmt import pct

    pyplot = plt()
    vals = [0.0 if v is None else float(v) for v in values]
    fig, ax = pyplot.subplots(figsize=size or (7.2, max(1.4, 0.32 * len(vals) + 0.7)))
    ax.barh(list(range(len(vals))), vals, color=list(colors) if colors else color)
    ax.set_yticks(list(range(len(vals))), list(labels))
    ax.invert_yaxis()
    top = max(max(vals, default=0), 0)
    low = min(min(vals, default=0), 0)
    span = (top - low) or 1
    for i, v in enumerate(vals):
        ax.text(v + (span * 0.01 if v >= 0 else -span * 0.01), i,
                pct(v) if percent else num(v), va="center", fontsize=7.5,
                ha="left" if v >= 0 else "right")
    ax.set_xlim(low - (span * 0.18 if low < 0 else 0), top + span * 0.15)
    if low < 0:
        ax.axvline(0, color=PALETTE["grey"], linewidth=0.8)
    _es_axis(ax.xaxis, percent)
    ax.set_title(title)
    return data_uri(fig)


def _draw_heatmap(fig, ax, data, row_labels: Sequence[str], col_labels: Sequence[str], *,
                  title: str, cbar_label: str, annotate: bool, counts) -> None:
    import numpy as np

    pyplot = plt()
    masked = np.ma.masked_invalid(data)
    cmap = pyplot.get_cmap(HEATMAP_CMAP).with_extremes(bad="#F4F6F8")
    im = ax.imshow(masked, aspect="auto", cmap=cmap, interpolation="nearest")
    ax.set_yticks(range(len(row_labels)), list(row_labels))
    ax.set_xticks(range(len(col_labels)), list(col_labels), fontsize=7)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    hi = np.nanmax(data) if np.isfinite(data).any() else 0
    if counts is not None:
        for (r, c), n in np.ndenumerate(np.asarray(counts)):
            if n and np.isfinite(data[r, c]):
                ax.text(c, r, str(int(n)), ha="center", va="center", fontsize=6,
                        color="white" if hi and data[r, c] > hi * 0.6 else "#1f2933")
    elif annotate and data.size and np.isfinite(data).sum() <= 40:  # dense maps: colour only
        for (r, c), v in np.ndenumerate(data):
            if np.isfinite(v):
                ax.text(c, r, num(v), ha="center", va="center", fontsize=6,
                        color="white" if hi and v > hi * 0.6 else "#1f2933")
    cbar = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.01)
    cbar.ax.tick_params(labelsize=7)
    _es_axis(cbar.ax.yaxis)
    cbar.set_label(cbar_label, fontsize=7.5)
    ax.set_title(title)


def heatmap(matrix, row_labels: Sequence[str], col_labels: Sequence[str], *, title: str = "",
            cbar_label: str = "", size: tuple[float, float] = (7.4, 2.9),
            annotate: bool = False, counts=None) -> str:
    """A rows × columns heatmap (e.g. weekday × hour); NaN cells stay blank.

    `counts` (same shape) prints each non-empty cell's count (e.g. posts) instead of its value.
    """
    import numpy as np

    fig, ax = plt().subplots(figsize=size)
    _draw_heatmap(fig, ax, np.asarray(matrix, dtype=float), row_labels, col_labels,
                  title=title, cbar_label=cbar_label, annotate=annotate, counts=counts)
    return data_uri(fig)


def heatmaps(panels: Sequence[tuple[str, Any, Any]], row_labels: Sequence[str],
             col_labels: Sequence[str], *, cbar_label: str = "",
             panel_size: tuple[float, float] = (7.4, 2.0)) -> str:
    """Several heatmaps (title, values, counts) stacked in one image, each with its own
    colour scale: one rendering instead of one per panel."""
    import numpy as np

    w, h = panel_size
    fig, axes = plt().subplots(len(panels), 1, figsize=(w, h * len(panels)), squeeze=False)
    for ax, (title, values, counts) in zip(axes[:, 0], panels, strict=True):
        _draw_heatmap(fig, ax, np.asarray(values, dtype=float), row_labels, col_labels,
                      title=title, cbar_label=cbar_label, annotate=False, counts=counts)
    fig.tight_layout(h_pad=1.2)
    return data_uri(png_bytes(fig, tight=False))  # laid out already: render once
