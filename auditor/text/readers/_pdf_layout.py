"""Page geometry for the PDF reader: visible ruling lines, characters into lines, line text.

pdfminer gives characters with their boxes and the page's drawing operations (lines,
rectangles, paths). Only what a reader sees may rule a table: WPS and Word exports also draw
white, unstroked rectangles behind every paragraph, and taking those for cell borders turns
prose into one-column "tables".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom

# A filled rectangle this thin (points) is a drawn rule, not a shaded area.
_RULE_THICKNESS = 2.0
# Colour components this close to 1 (or to 0 in CMYK) are white: invisible on paper.
_WHITE = 0.95
# A gap between two characters wider than this share of the font size is a space.
_SPACE_GAP = 0.3
# A gap this many em wide parts two columns (a table drawn without rules): it is kept as two
# spaces, as pdftotext -layout keeps it, so a group's label is not glued to a row's.
_COLUMN_GAP = 2.0
COLUMN_SPACE = "  "


def _is_white(color: Any) -> bool:
    if isinstance(color, (int, float)):
        color = (color,)  # a grey level
    if not isinstance(color, (tuple, list)) or not color:
        return False  # unset colour is black; pattern names are visible
    if not all(isinstance(c, (int, float)) for c in color):
        return False
    if len(color) == 4:  # CMYK
        return all(c <= 1 - _WHITE for c in color)
    return all(c >= _WHITE for c in color)


def _is_rule(shape: Obj) -> bool:
    """A filled shape thin enough to be a drawn rule (Word exports borders this way)."""
    thin = min(shape["width"], shape["height"]) <= _RULE_THICKNESS
    return bool(shape.get("fill")) and thin and not _is_white(shape.get("non_stroking_color"))


def _edge(x0: float, top: float, x1: float, bottom: float) -> Obj:
    vertical = (x1 - x0) < (bottom - top)
    if vertical:
        x = (x0 + x1) / 2
        x0 = x1 = x
    else:
        y = (top + bottom) / 2
        top = bottom = y
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": "v" if vertical else "h",
        "object_type": "v_edge" if vertical else "h_edge",
    }


def _box_edges(obj: Obj) -> list[Obj]:
    x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
    return [
        _edge(x0, top, x1, top),
        _edge(x0, bottom, x1, bottom),
        _edge(x0, top, x0, bottom),
        _edge(x1, top, x1, bottom),
    ]


def _segment_edges(points: Sequence[tuple[float, float]]) -> list[Obj]:
    """Axis-parallel segments of a stroked path (pdfminer gives top-based points)."""
    edges = []
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        if abs(ax - bx) < 0.5 or abs(ay - by) < 0.5:
            edges.append(_edge(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    return edges


def visible_edges(lines: Iterable[Obj], rects: Iterable[Obj], curves: Iterable[Obj]) -> list[Obj]:
    """Horizontal and vertical rules a reader sees on the page."""
    edges: list[Obj] = []
    for line in lines:
        if line.get("stroke", True) and not _is_white(line.get("stroking_color")):
            edges.append(_edge(line["x0"], line["top"], line["x1"], line["bottom"]))
    for rect in rects:
        if rect.get("stroke") and not _is_white(rect.get("stroking_color")):
            edges.extend(_box_edges(rect))
        elif _is_rule(rect):
            edges.append(_edge(rect["x0"], rect["top"], rect["x1"], rect["bottom"]))
    for curve in curves:
        if curve.get("stroke") and not _is_white(curve.get("stroking_color")):
            edges.extend(_segment_edges(curve.get("pts") or []))
        elif _is_rule(curve):  # a thin filled path: a border drawn as a shape
            edges.append(_edge(curve["x0"], curve["top"], curve["x1"], curve["bottom"]))
    return [e for e in edges if max(e["width"], e["height"]) >= 1.0]


def covered(horizontal: Sequence[Obj], y: float, x0: float, x1: float, tolerance: float = 2.0) -> bool:
    """Whether horizontal rules at height `y` cover most of the span x0..x1."""
    width = 0.0
    for e in horizontal:
        if abs(e["top"] - y) <= tolerance:
            width += max(0.0, min(float(e["x1"]), x1) - max(float(e["x0"]), x0))
    return width >= 0.9 * (x1 - x0)


def page_break_edges(edges: Sequence[Obj], tolerance: float = 2.0) -> list[Obj]:
    """Rules that close a table where it breaks across pages.

    Word and WPS draw no bottom border under the last row before a page break and no top
    border over the first row after it; the column rules still end together there. Where
    two or more vertical rules end (or start) at one height with no horizontal rule along
    them, this closing rule is added so the row is still a row of cells.
    """
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    added: list[Obj] = []
    for end in ("top", "bottom"):
        groups: dict[int, list[Obj]] = {}
        for e in vertical:
            groups.setdefault(round(e[end] / tolerance), []).append(e)
        for group in groups.values():
            if len(group) < 2:
                continue
            y = sum(e[end] for e in group) / len(group)
            x0 = min(e["x0"] for e in group)
            x1 = max(e["x0"] for e in group)
            if x1 - x0 > 1 and not covered(horizontal, y, x0, x1):
                added.append(_edge(x0, y, x1, y))
    return added


@dataclass(frozen=True)
class Line:
    """Characters sharing a baseline, left to right, with their joint box."""

    chars: tuple[Obj, ...]
    box: Box

    @property
    def text(self) -> str:
        return line_text(self.chars)


def group_lines(chars: Iterable[Obj]) -> list[Line]:
    """Characters into lines, top to bottom: a character joins the line its middle falls in."""
    lines: list[list[Obj]] = []
    spans: list[list[float]] = []  # top, bottom of each line
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        middle = (char["top"] + char["bottom"]) / 2
        if lines and spans[-1][0] <= middle <= spans[-1][1]:
            lines[-1].append(char)
            spans[-1][0] = min(spans[-1][0], char["top"])
            spans[-1][1] = max(spans[-1][1], char["bottom"])
        else:
            lines.append([char])
            spans.append([char["top"], char["bottom"]])
    out = []
    for group in lines:
        group.sort(key=lambda c: c["x0"])
        box = (
            min(c["x0"] for c in group),
            min(c["top"] for c in group),
            max(c["x1"] for c in group),
            max(c["bottom"] for c in group),
        )
        out.append(Line(tuple(group), box))
    return out


def _wide(ch: str) -> bool:
    """CJK ideographs and full-width punctuation: no space is meaningful next to them."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _cjk_spacing(text: str) -> str:
    """Drop the spaces justified CJK text gets between two wide characters (`情 形`, `总 计`);
    a column gap stays."""
    return COLUMN_SPACE.join(_cjk_joined(part) for part in text.split(COLUMN_SPACE) if part.strip())


def _cjk_joined(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    out = []
    for i, ch in enumerate(text):
        if ch == " " and _wide(text[i - 1]) and _wide(text[i + 1]):
            continue
        out.append(ch)
    return "".join(out)


def line_text(chars: Sequence[Obj]) -> str:
    """A line's text: a space where the glyphs leave a gap, none inside CJK runs."""
    parts: list[str] = []
    previous: Obj | None = None
    for char in chars:
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            em = max(char.get("size") or 0.0, 1.0)
            if gap > _COLUMN_GAP * em:
                parts.append(COLUMN_SPACE)
            elif gap > _SPACE_GAP * em:
                parts.append(" ")
        parts.append(char["text"])
        previous = char
    return _cjk_spacing("".join(parts))


def join_wrapped(texts: Iterable[str]) -> str:
    """Lines of one cell as one label: Chinese joins directly, two numbers or words keep a space."""
    joined = ""
    for text in texts:
        if not text:
            continue
        if joined and joined[-1].isascii() and joined[-1].isalnum() and text[0].isascii() and text[0].isalnum():
            joined += " "
        joined += text
    return joined


def inside(char: Obj, box: Box) -> bool:
    """Whether a character's centre lies in a box."""
    x = float(char["x0"] + char["x1"]) / 2
    y = float(char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def running_key(text: str) -> str:
    """A header or footer line with its numbers masked, to spot it repeating page after page."""
    return re.sub(r"\d+", "#", text.replace(" ", ""))
