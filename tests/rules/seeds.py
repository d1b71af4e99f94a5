"""Hand-made Reports built from the seed ``*.expected.json`` files (no parser needed)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from auditor.model.template import load_template
from auditor.model.types import BodyKind, Cell, CellState, Meta, Period, Report, Section, Source, UnplacedRow

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"
_HEADING = re.compile(r"^([一二三四五六])、")


def _sections(lines: list[str]) -> tuple[Section, ...]:
    starts = [(n, "一二三四五六".index(m.group(1)) + 1) for n, line in enumerate(lines) if (m := _HEADING.match(line))]
    out = []
    seen = set()
    for i, (n, number) in enumerate(starts):
        if number in seen:
            continue
        seen.add(number)
        end = starts[i + 1][0] if i + 1 < len(starts) else len(lines)
        out.append(Section(number, lines[n].strip(), n + 1, end, number, "\n".join(lines[n:end])))
    return tuple(out)


def seed_report(prefix: str, body_kind: BodyKind | None = None, **meta: Any) -> Report:
    """The Report of seed ``prefix`` (e.g. ``"000"``), cells as the expected file lists them.

    Stand-ins for what the parser does: table-三 keys the file omits are rows printed with
    empty cells (blank), keys of an unplaced row are unplaced, money cells keep their unit.
    """
    path = next(SEEDS.glob(f"{prefix}_*.expected.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    fmt = str(data["format"]) if data["format"] else None
    cells: dict[str, Cell] = {}
    for key, value in data["cells"].items():
        state = CellState.BLANK if value is None else CellState.NUMBER
        raw = "" if value is None else f"{value}元" if key.endswith("amount_yuan") else str(value)
        cells[key] = Cell(key, value, raw, state, None)
    unplaced = {}
    template = load_template(fmt) if fmt else None
    for key, row in (data.get("unplaced_rows") or {}).items():
        unplaced[key] = UnplacedRow(key, tuple(row["values"]), None)
        if template is not None:
            members = (
                template.keys(key)
                if "." not in key
                else [k for k in template.keys(key.split(".")[0]) if k.rsplit(".", 1)[0] == key]
            )
            for k in members:
                if k not in cells:
                    cells[k] = Cell(k, None, "", CellState.UNPLACED, None)
    if template is not None:
        for k in template.keys("requests"):
            cells.setdefault(k, Cell(k, None, "", CellState.BLANK, None))
    period = None
    if data.get("period"):
        start, end = (date.fromisoformat(d) for d in data["period"])
        period = Period(start, end, None, "")
    text = path.with_name(path.name.replace(".expected.json", ".txt")).read_text(encoding="utf-8")
    lines = text.splitlines()
    kind = body_kind or (BodyKind.GOVERNMENT if str(data["agency"]).endswith("人民政府") else BodyKind.DEPARTMENT)
    fields: dict[str, Any] = {
        "title": f"{data['agency']}{data['year']}年政府信息公开工作年度报告",
        "agency": data["agency"],
        "year": data["year"],
        "format": fmt,
        "period": period,
        "published": date.fromisoformat(data["published"]) if data.get("published") else None,
        "body_kind": kind,
    }
    fields.update(meta)
    return Report(
        source=Source(str(path), "0" * 64, data.get("layout")),
        meta=Meta(**fields),
        sections=_sections(lines),
        cells=cells,
        unplaced_rows=unplaced,
        lines=tuple(lines),
    )
