"""Charts drawn on the server as accessible SVG (no script, no CDN): a title and a description
for screen readers, every bar labelled with its value, and the same figures in a table below."""
from __future__ import annotations

import itertools
from typing import Sequence

from markupsafe import Markup, escape

_ids = itertools.count(1)


def bar_chart(title: str, description: str, items: Sequence[tuple[str, float | None]], *,
              percent: bool = False, width: int = 640) -> Markup:
    """Horizontal bars, one per (label, value); None is drawn as "—"."""
    n = next(_ids)
    bar_h, gap, label_w, value_w = 22, 8, 200, 70
    height = max(1, len(items)) * (bar_h + gap) + gap
    top = max([v for _l, v in items if v is not None] + [1.0 if percent else 1])
    top = 1.0 if percent else top
    plot = width - label_w - value_w
    parts = [f'<svg class="chart" role="img" aria-labelledby="chart{n}-t chart{n}-d" '
             f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart{n}-t">{escape(title)}</title>',
             f'<desc id="chart{n}-d">{escape(description)}</desc>']
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_h + gap)
        shown = "—" if value is None else (f"{value * 100:.1f} %" if percent else f"{value:g}")
        w = 0 if value is None else max(1, round(plot * value / top)) if value else 0
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<g><text x="{label_w - 6}" y="{y + 15}" text-anchor="end" '
                     f'class="chart-label">{escape(short)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" class="chart-bar">'
                     f'<title>{escape(label)}: {escape(shown)}</title></rect>'
                     f'<text x="{label_w + w + 6}" y="{y + 15}" class="chart-value">'
                     f'{escape(shown)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part escaped above


def column_chart(title: str, description: str, labels: Sequence[str],
                 series: Sequence[tuple[str, str, Sequence[int]]], *, width: int = 640,
                 height: int = 220) -> Markup:
    """Grouped columns per label; `series` = (name, css class, values)."""
    n = next(_ids)
    left, bottom, top_pad = 40, 30, 10
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    top = max([v for _n, _c, values in series for v in values] + [1])
    group_w = plot_w / max(1, len(labels))
    bar_w = max(2.0, (group_w - 6) / max(1, len(series)))
    parts = [f'<svg class="chart" role="img" aria-labelledby="chart{n}-t chart{n}-d" '
             f'viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart{n}-t">{escape(title)}</title>',
             f'<desc id="chart{n}-d">{escape(description)}</desc>',
             f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" y2="{top_pad + plot_h}" '
             f'class="chart-axis"/>',
             f'<text x="{left - 4}" y="{top_pad + 10}" text-anchor="end" class="chart-value">'
             f'{top}</text>']
    for i, label in enumerate(labels):
        x0 = left + i * group_w + 3
        for j, (name, css, values) in enumerate(series):
            value = values[i]
            h = round(plot_h * value / top)
            parts.append(f'<rect x="{x0 + j * bar_w:.1f}" y="{top_pad + plot_h - h}" '
                         f'width="{bar_w - 1:.1f}" height="{h}" class="{escape(css)}">'
                         f'<title>{escape(label)} — {escape(name)}: {value}</title></rect>')
        parts.append(f'<text x="{x0 + group_w / 2 - 3:.1f}" y="{height - 10}" text-anchor="middle" '
                     f'class="chart-label">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part escaped above
