"""Last year's values beside this year's: the previous report the audit used, read back from the store.

The audit record names the previous-year report it was compared with (``previous``: path,
hash, run); its bytes are in the store (kept when it was audited), and the pipeline's own
parser gives its cells, so the numbers shown are the ones the cross-year rules saw.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auditor.model.serialize import report_record
from auditor.pipeline import parse_bytes
from auditor.render import records as rec
from auditor.render.labels import cell_label, template_for


@dataclass(frozen=True)
class Pair:
    """One cell: its name, this year's printed value and last year's."""

    key: str
    label: str
    now: str
    before: str

    @property
    def changed(self) -> bool:
        return self.now != self.before


def _printed(cell: Mapping[str, Any] | None) -> str:
    if not cell:
        return ""
    return rec.fmt_value(cell.get("value")) if cell.get("value") is not None else rec.text(cell.get("raw"))


def pairs(conn: sqlite3.Connection, record: Mapping[str, Any]) -> tuple[str, list[Pair]] | None:
    """(last year's file, the cells of both years) when the audit used a previous report the store holds."""
    previous = record.get("previous") or {}
    sha = previous.get("sha256")
    if not sha:
        return None
    row = conn.execute("SELECT data FROM sources WHERE sha256 = ?", (str(sha),)).fetchone()
    if row is None:
        return None
    path = str(previous.get("path") or "")
    before: Mapping[str, Any] = report_record(parse_bytes(zlib.decompress(row[0]), path)).get("cells") or {}
    now: Mapping[str, Any] = record.get("cells") or {}
    template = template_for(rec.report_format(record), now.keys())
    keys = [k for k in now if k in before] + [k for k in before if k not in now]
    return path, [Pair(k, cell_label(template, k), _printed(now.get(k)), _printed(before.get(k))) for k in keys]
