"""Helpers for tests that rewrite a report the way a converter prints it and compare every
cell with what the report printed."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from auditor.model.template import load_template
from auditor.model.types import Report
from auditor.pipeline import read_report

Row = tuple[int | float, ...]


def printed_cells(
    other: Mapping[str, int | float], requests: Mapping[str, Row], appeals: Mapping[str, Row]
) -> dict[str, int | float]:
    """Every cell of a 2021-format report: ``other`` keyed in full, table 三's rows (a row
    not given prints zeros) and table 四's column groups."""
    template = load_template("2021")
    truth: dict[str, int | float] = dict(other)
    for row, spec in template.tables["requests"].rows.items():
        printed = requests.get(row, (0,) * len(spec.columns))
        truth.update({f"requests.{row}.{c}": v for c, v in zip(spec.columns, printed, strict=True)})
    columns = list(template.tables["appeals"].column_labels[""])
    for group, values in appeals.items():
        truth.update({f"appeals.{group}.{c}": v for c, v in zip(columns, values, strict=True)})
    return truth


def rewritten(source: Path, target: Path, old: str = "", new: str = "") -> Report:
    """``source`` with its one ``old`` text replaced by ``new``, written to ``target`` and read."""
    text = source.read_text(encoding="utf-8")
    if old:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    return read_report(target)
