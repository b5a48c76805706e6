"""Charts as inline SVG rendered on the server: no script, no CDN, nothing the CSP must allow.

Each chart scales to its container (``viewBox`` plus ``width=100%``), so a phone screen
never scrolls sideways; colours are presentation attributes (the CSP forbids inline
``style``). Every label is escaped; the result is ``Markup`` for the templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

COLOURS = {"veto": "#b3261e", "deduct": "#d97706", "warn": "#6b7280",
           "found": "#b3261e", "fixed": "#15803d", "bar": "#1d4ed8"}
_FONT = 'font-family="sans-serif" font-size="12"'
_LABEL_W = 110
_WIDTH = 560
_ROW = 22


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    colour: str


def _open(height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
            f'width="100%" role="img" aria-label="{escape(title)}" class="chart">'
            f"<title>{escape(title)}</title>")


def _short(label: str, limit: int = 9) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _nice_max(value: int) -> int:
    if value <= 5:
        return max(value, 1)
    step = int(10 ** (len(str(value)) - 1))
    return ((value + step - 1) // step) * step


def stacked_bars(rows: Sequence[tuple[str, Mapping[str, int]]], keys: Sequence[str],
                 labels: Mapping[str, str], title: str,
                 colours: Mapping[str, str] = COLOURS) -> Markup:
    """One horizontal bar per row, split by ``keys`` (e.g. severities), with a legend."""
    if not rows:
        return Markup("")
    top = max(sum(parts.get(k, 0) for k in keys) for _, parts in rows) or 1
    span = _WIDTH - _LABEL_W - 50
    legend = len(keys) > 1
    head = 24 if legend else 4
    height = head + _ROW * len(rows) + 6
    out = [_open(height, title)]
    x = _LABEL_W
    for key in keys if legend else ():
        out.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colours.get(key, COLOURS["bar"])}"/>'
                   f'<text x="{x + 14}" y="13" {_FONT}>{escape(labels.get(key, key))}</text>')
        x += 20 + 13 * len(labels.get(key, key))
    for index, (label, parts) in enumerate(rows):
        y = head + index * _ROW
        out.append(f'<text x="{_LABEL_W - 6}" y="{y + 14}" text-anchor="end" {_FONT}>'
                   f"{escape(_short(label))}</text>")
        left = float(_LABEL_W)
        total = 0
        for key in keys:
            count = parts.get(key, 0)
            if not count:
                continue
            width = span * count / top
            out.append(f'<rect x="{left:.1f}" y="{y + 2}" width="{width:.1f}" height="16" '
                       f'fill="{colours.get(key, COLOURS["bar"])}"><title>{escape(label)} '
                       f"{escape(labels.get(key, key))} {count}</title></rect>")
            left += width
            total += count
        out.append(f'<text x="{left + 4:.1f}" y="{y + 14}" {_FONT}>{total}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def bars(rows: Sequence[tuple[str, int]], title: str, colour: str = COLOURS["bar"]) -> Markup:
    """One horizontal bar per (label, count)."""
    return stacked_bars([(label, {"n": count}) for label, count in rows], ["n"],
                        {"n": "数量"}, title, {"n": colour})


def line_chart(days: Sequence[date], series: Sequence[Series], title: str) -> Markup:
    """Counts per day as lines, with the first, middle and last day on the axis."""
    if not days:
        return Markup("")
    left, right, top_pad, bottom = 36, 12, 22, 22
    height = 180
    plot_w = _WIDTH - left - right
    plot_h = height - top_pad - bottom
    peak = _nice_max(max((max(s.values, default=0) for s in series), default=0))
    step = plot_w / max(1, len(days) - 1)
    out = [_open(height, title)]
    x = left
    for s in series:  # legend
        out.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{s.colour}"/>'
                   f'<text x="{x + 14}" y="13" {_FONT}>{escape(s.name)}（合计 {sum(s.values)}）</text>')
        x += 40 + 13 * (len(s.name) + 6)
    for fraction in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - fraction)
        value = round(peak * fraction)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{_WIDTH - right}" y2="{y:.1f}" '
                   f'stroke="#d1d5db" stroke-width="1"/>'
                   f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" {_FONT}>{value}</text>')
    for index in sorted({0, (len(days) - 1) // 2, len(days) - 1}):
        x_at = left + step * index
        anchor = "start" if index == 0 else ("end" if index == len(days) - 1 else "middle")
        out.append(f'<text x="{x_at:.1f}" y="{height - 6}" text-anchor="{anchor}" {_FONT}>'
                   f"{days[index].strftime('%m-%d')}</text>")
    for s in series:
        points = " ".join(
            f"{left + step * i:.1f},{top_pad + plot_h * (1 - v / peak):.1f}"
            for i, v in enumerate(s.values))
        out.append(f'<polyline points="{points}" fill="none" stroke="{s.colour}" '
                   f'stroke-width="2"><title>{escape(s.name)}</title></polyline>')
    out.append("</svg>")
    return Markup("".join(out))


def meter(percent: float | None, title: str) -> Markup:
    """A small horizontal gauge of a percentage (availability); '—' without data."""
    if percent is None:
        return Markup('<span class="muted">无探测数据</span>')
    colour = COLOURS["fixed"] if percent >= 99 else (COLOURS["deduct"] if percent >= 90
                                                    else COLOURS["veto"])
    width = max(0.0, min(100.0, percent))
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 14" width="120" height="14" '
        f'role="img" aria-label="{escape(title)}" class="meter"><title>{escape(title)}</title>'
        f'<rect x="0" y="0" width="120" height="14" fill="#e5e7eb"/>'
        f'<rect x="0" y="0" width="{1.2 * width:.1f}" height="14" fill="{colour}"/></svg>')
