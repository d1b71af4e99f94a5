"""The JSON form of a `Report`, exactly as the canonical-model spec prints it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from auditor.model.types import Meta, Problem, Report

SCHEMA = "auditor.report/1"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def meta_record(meta: Meta) -> dict[str, Any]:
    """Plain-dict form of the report metadata."""
    period = meta.period
    return {
        "title": meta.title,
        "agency": meta.agency,
        "year": meta.year,
        "format": meta.format,
        "period": (
            {"start": _iso(period.start), "end": _iso(period.end), "line": period.line, "raw": period.raw}
            if period
            else None
        ),
        "published": _iso(meta.published),
        "published_source": meta.published_source,
        "signed": _iso(meta.signed),
        "body_kind": meta.body_kind.value if meta.body_kind else None,
        "year_source": meta.year_source,
        "year_evidence": dict(meta.year_evidence),
    }


def report_record(report: Report) -> dict[str, Any]:
    """Plain-dict form of a parsed report (``audit parse --format json``)."""
    return {
        "schema": SCHEMA,
        "source": {
            "path": report.source.path,
            "sha256": report.source.sha256,
            "layout": report.source.layout,
            "encoding": report.source.encoding,
        },
        "meta": meta_record(report.meta),
        "sections": [
            {"number": s.number, "title": s.title, "line": s.line, "end_line": s.end_line, "printed": s.printed}
            for s in report.sections
        ],
        "cells": {
            key: {"value": c.value, "raw": c.raw, "state": c.state.value, "line": c.line}
            for key, c in report.cells.items()
        },
        "unplaced_rows": {key: {"values": list(r.values), "line": r.line} for key, r in report.unplaced_rows.items()},
        "tables": {
            name: {
                "line": t.line,
                "end_line": t.end_line,
                "rows": list(t.rows),
                "unknown_labels": list(t.unknown_labels),
            }
            for name, t in report.tables.items()
        },
        "coverage": {
            "tables": {
                t.name: {
                    "found": t.found,
                    "mentioned_line": t.mentioned_line,
                    "cells_read": t.cells_read,
                    "cells_unplaced": t.cells_unplaced,
                    "cells_total": t.cells_total,
                }
                for t in report.coverage.tables.values()
            },
            "parts": {
                str(p.number): {"heading_line": p.heading_line, "mentioned_line": p.mentioned_line}
                for p in report.coverage.parts.values()
            },
            "truncated_line": report.coverage.truncated_line,
        },
        "problems": [
            {"code": p.code, "message": p.message, "line": p.line, "severity": p.severity}
            for p in cap_problems(report.problems)
        ],
    }


# Junk input can raise one problem per line; past this many of a code, one more says how many.
MAX_PROBLEMS_PER_CODE = 50


def cap_problems(problems: Sequence[Problem], limit: int = MAX_PROBLEMS_PER_CODE) -> list[Problem]:
    """The first ``limit`` problems of each code, plus one per code counting the rest."""
    kept: list[Problem] = []
    extra: dict[str, list[Problem]] = {}
    seen: dict[str, int] = {}
    for p in problems:
        seen[p.code] = seen.get(p.code, 0) + 1
        if seen[p.code] <= limit:
            kept.append(p)
        else:
            extra.setdefault(p.code, []).append(p)
    for code, more in extra.items():
        first = more[0]
        message = f"另有 {len(more)} 处同类解析提示（自第 {first.line or '?'} 行起），未逐一列出"
        kept.append(Problem(code, message, first.line, first.severity))
    return kept
