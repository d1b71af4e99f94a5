"""Inline SVG charts (no script, no external assets): a histogram and a horizontal bar chart."""

from __future__ import annotations

from collections.abc import Sequence

from auditor.render.htmlkit import esc

_BAR = "#34568b"


def score_histogram(scores: Sequence[float], title: str, bins: int = 10, top: float = 100.0) -> str:
    """Counts of scores per equal-width bin over [0, top]; a score of ``top`` falls in the last bin."""
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int(s * bins / top)))] += 1
    width, height, left, bottom = 520, 220, 36, 40
    plot_w, plot_h = width - left - 10, height - bottom - 24
    peak = max(counts) or 1
    bar_w = plot_w / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><title>{esc(title)}</title>',
        f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="14">{esc(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#888"/>',
    ]
    for i, n in enumerate(counts):
        h = plot_h * n / peak
        x = left + i * bar_w
        y = height - bottom - h
        low, high = top * i / bins, top * (i + 1) / bins
        parts.append(
            f'<rect class="bar" x="{x + 2:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" fill="{_BAR}">'
            f"<title>{low:g}–{high:g}分：{n}份</title></rect>"
        )
        middle = f'x="{x + bar_w / 2:.1f}" text-anchor="middle"'
        if n:
            parts.append(f'<text {middle} y="{y - 3:.1f}" font-size="11">{n}</text>')
        parts.append(f'<text {middle} y="{height - bottom + 14}" font-size="10">{low:g}</text>')
    parts.append(f'<text x="{width / 2}" y="{height - 6}" text-anchor="middle" font-size="11">得分</text></svg>')
    return "".join(parts)


def bar_chart(items: Sequence[tuple[str, int]], title: str) -> str:
    """Horizontal bars, one per (label, count), longest first as given."""
    width, row_h, left = 520, 22, 120
    height = 30 + row_h * max(1, len(items))
    peak = max((n for _, n in items), default=0) or 1
    plot_w = width - left - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><title>{esc(title)}</title>',
        f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="14">{esc(title)}</text>',
    ]
    if not items:
        parts.append(f'<text x="{width / 2}" y="40" text-anchor="middle" font-size="12" fill="#888">无问题</text>')
    for i, (label, n) in enumerate(items):
        y = 26 + i * row_h
        w = plot_w * n / peak
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="12">{esc(label)}</text>'
            f'<rect class="bar" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{_BAR}">'
            f"<title>{esc(label)}：{n}</title></rect>"
            f'<text x="{left + w + 4:.1f}" y="{y + 14}" font-size="12">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
