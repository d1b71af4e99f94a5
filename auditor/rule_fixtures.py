"""YAML rule fixtures: one file per rule, pass and fail cases, run by pytest and ``audit rules test``.

A fixture file::

    rule: COL-001
    pack: "2024"                 # optional; default: the bundled pack for the report
    cases:
      pass_consistent:
        generate: {seed: 3, fmt: "2021"}
        expect: pass
      fail_total:
        generate: {seed: 3, fmt: "2021"}
        patch: {cells: {requests.results_total.total: 9999}}
        expect: fail
        findings: [{cells: [requests.results_total.total], actual: 9999}]

A case's report comes from ``text`` (full report text), ``file`` (a path relative to
the repository), ``generate`` (``tests/reportgen.make_report`` keyword arguments) or
``model`` (a Report described directly, no parser). ``patch`` then edits the parsed
Report: ``cells`` ({key: number | null (blank) | "text"}), ``drop_cells`` (glob patterns),
``meta``, ``drop_sections``, ``section_text``, ``section_lines``, ``unplaced_rows`` and
``problems``. ``previous`` (the same sources, plus ``patch``) gives the case the
body's previous-year report, for the cross-year rules. A ``model`` takes ``format``,
``year``, ``body_kind``, ``published``, ``period``, ``title``, ``agency``, ``sections``
({n: text}), ``tables`` (which tables to fill), ``fill`` (default 0) and ``cells``.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib.util
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from auditor.findings import audit
from auditor.model.template import load_template
from auditor.model.types import (
    BodyKind,
    Cell,
    CellState,
    Meta,
    PartCoverage,
    Period,
    Problem,
    Report,
    Section,
    Source,
    UnplacedRow,
)
from auditor.pipeline import parse_text
from auditor.rules.checks.required_section import PART_NAMES
from auditor.rules.loader import load_pack, pack_for


@dataclass(frozen=True)
class FixtureResult:
    """The outcome of one fixture case."""

    file: str
    rule: str
    case: str
    ok: bool
    message: str = ""

    @property
    def id(self) -> str:
        """Test id ``<RULE_ID>_<case>``."""
        return f"{self.rule}_{self.case}"


@dataclass(frozen=True)
class FixtureCase:
    """One case of a fixture file."""

    file: Path
    rule: str
    name: str
    spec: Mapping[str, Any]
    pack: str | None

    @property
    def id(self) -> str:
        """Test id ``<RULE_ID>_<case>``."""
        return f"{self.rule}_{self.name}"


def load_cases(paths: Iterable[str | Path]) -> list[FixtureCase]:
    """Every case of the fixture files (folders are searched for ``*.yml``)."""
    cases: list[FixtureCase] = []
    for p in paths:
        path = Path(p)
        files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
        for f in files:
            data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
            for name, spec in (data.get("cases") or {}).items():
                cases.append(FixtureCase(f, str(data["rule"]), str(name), spec or {}, data.get("pack")))
    return cases


def _repo_root(start: Path) -> Path:
    for parent in [start.resolve(), *start.resolve().parents]:
        if (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


@cache
def _reportgen(root: Path) -> ModuleType:
    path = root / "tests" / "reportgen.py"
    spec = importlib.util.spec_from_file_location("_fixture_reportgen", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"report generator not found at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while executing it
    spec.loader.exec_module(module)
    return module


def _parse(text: str, path: str) -> Report:

    return parse_text(text, path=path)


def _cell(key: str, value: Any) -> Cell:
    if value is None:
        return Cell(key, None, "", CellState.BLANK, None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Cell(key, value, str(value), CellState.NUMBER, None)
    raw = str(value)
    m = re.match(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(.*)$", raw)
    if m and m.group(2) in ("", "元", "万元", "件"):
        return Cell(key, float(m.group(1)) if "." in m.group(1) else int(m.group(1)), raw, CellState.NUMBER, None)
    lead = float(m.group(1)) if m else None
    return Cell(key, lead, raw, CellState.TEXT, None)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _meta(meta: Meta, changes: Mapping[str, Any]) -> Meta:
    fields: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("published", "signed"):
            fields[name] = _date(value)
        elif name == "period":
            fields[name] = None if value is None else Period(_date(value[0]), _date(value[1]), None, "")  # type: ignore[arg-type]
        elif name == "body_kind":
            fields[name] = None if value is None else BodyKind(value)
        else:
            fields[name] = value
    return dataclasses.replace(meta, **fields)


def apply_patch(report: Report, patch: Mapping[str, Any]) -> Report:
    """Apply a fixture ``patch`` to a Report."""
    cells = dict(report.cells)
    for key, value in (patch.get("cells") or {}).items():
        old = cells.get(key)
        cell = _cell(key, value)
        cells[key] = dataclasses.replace(cell, line=old.line if old else None)
    for pattern in patch.get("drop_cells") or ():
        for key in [k for k in cells if fnmatch.fnmatchcase(k, str(pattern))]:
            cells.pop(key)
    sections = [s for s in report.sections if s.number not in set(patch.get("drop_sections") or ())]
    for n, text in (patch.get("section_text") or {}).items():
        sections = [dataclasses.replace(s, text=f"{s.title}\n{text}") if s.number == int(n) else s for s in sections]
    for n, line in (patch.get("section_lines") or {}).items():
        sections = [dataclasses.replace(s, line=int(line)) if s.number == int(n) else s for s in sections]
    unplaced = dict(report.unplaced_rows)
    for key, values in (patch.get("unplaced_rows") or {}).items():
        unplaced[key] = UnplacedRow(key, tuple(values), None)
        for k in [k for k in cells if k.rsplit(".", 1)[0] == key or (k.split(".")[0] == key)]:
            cells[k] = Cell(k, None, "", CellState.UNPLACED, None)
    problems = list(report.problems) + [
        Problem(p["code"], p.get("message", p["code"]), p.get("line"), p.get("severity", "warning"))
        for p in patch.get("problems") or ()
    ]
    # A dropped part is gone from the text too: nothing in the body speaks of it any more.
    dropped = {int(n) for n in patch.get("drop_sections") or ()}
    parts = {n: PartCoverage(n, None, None) if n in dropped else p for n, p in report.coverage.parts.items()}
    return dataclasses.replace(
        report,
        coverage=dataclasses.replace(report.coverage, parts=parts),
        cells=cells,
        sections=tuple(sections),
        meta=_meta(report.meta, patch.get("meta") or {}),
        problems=tuple(problems),
        unplaced_rows=unplaced,
    )


def model_report(spec: Mapping[str, Any]) -> Report:
    """A Report described directly: every cell of the format set to ``fill`` unless given."""

    fmt = spec.get("format")
    cells: dict[str, Cell] = {}
    if fmt:
        tables = spec.get("tables")
        for key in load_template(str(fmt)).keys():  # noqa: SIM118 - Template.keys(), not a dict
            if tables is None or key.split(".")[0] in tables:
                cells[key] = _cell(key, spec.get("fill", 0))
    texts = spec.get("sections") or {n: "" for n in PART_NAMES}
    sections = tuple(
        Section(int(n), PART_NAMES[int(n)], 10 * int(n), 10 * int(n) + 9, int(n), f"{PART_NAMES[int(n)]}\n{t or ''}")
        for n, t in (texts.items() if isinstance(texts, dict) else ((n, "") for n in texts))
    )
    meta = _meta(
        Meta(format=str(fmt) if fmt else None),
        {
            k: v
            for k, v in spec.items()
            if k in ("title", "agency", "year", "published", "period", "body_kind", "signed")
        },
    )
    report = Report(Source("<model>", "0" * 64, None), meta, sections, cells)
    return apply_patch(report, {"cells": spec.get("cells") or {}})


def _source_report(spec: Mapping[str, Any], root: Path, name: str, where: str) -> Report:
    """The Report of one source spec (``model``, ``text``, ``file`` or ``generate``), patched."""
    if "model" in spec:
        report = model_report(spec["model"])
    elif "text" in spec:
        report = _parse(str(spec["text"]), f"<fixture {name}>")
    elif "file" in spec:
        path = root / str(spec["file"])
        report = _parse(path.read_text(encoding="utf-8"), str(spec["file"]))
    elif "generate" in spec:
        gen = dict(spec["generate"])
        made = _reportgen(root).make_report(gen.pop("seed"), **gen)
        report = _parse(made.text, f"<fixture {name}>")
    else:
        raise ValueError(f"{where}: no report source (text, file, generate or model)")
    return apply_patch(report, spec.get("patch") or {})


def case_report(case: FixtureCase) -> Report:
    """The Report of a case, patched."""
    return _source_report(case.spec, _repo_root(case.file), case.id, f"{case.file}: case {case.name}")


def previous_report(case: FixtureCase) -> Report | None:
    """The case's previous-year report (its ``previous:`` source), or None."""
    spec = case.spec.get("previous")
    if spec is None:
        return None
    where = f"{case.file}: case {case.name}: previous"
    return _source_report(spec, _repo_root(case.file), f"{case.id}.previous", where)


def _matches(finding: Any, want: Mapping[str, Any]) -> bool:
    for key, value in want.items():
        if key == "message_contains":
            continue
        got = getattr(finding, key)
        if key == "cells":
            if list(got[: len(value)]) != list(value):
                return False
        elif got != value:
            return False
    contains = want.get("message_contains")
    return contains is None or str(contains) in finding.message


def run_case(case: FixtureCase, strict: bool = True) -> FixtureResult:
    """Run one case: ``expect: pass`` means no finding of the rule, ``fail`` at least one."""

    def result(ok: bool, message: str = "") -> FixtureResult:
        return FixtureResult(str(case.file), case.rule, case.name, ok, message)

    report = case_report(case)
    pack_ref = case.spec.get("pack") or case.pack
    pack = load_pack(str(pack_ref)) if pack_ref else pack_for(report)
    if case.rule not in {r.id for r in pack.rules}:
        return result(False, f"pack {pack.name} has no rule {case.rule}")
    previous = previous_report(case)
    audited = audit(report, pack, select=[case.rule], strict=strict, previous=previous)
    found = [f for f in audited.findings if f.rule == case.rule]
    expect = case.spec.get("expect", "fail")
    if expect == "pass":
        return result(not found, "; ".join(f.message for f in found))
    if not found:
        return result(False, "expected a finding, got none")
    if "severity" in case.spec and any(f.severity != case.spec["severity"] for f in found):
        return result(False, f"severity {[f.severity for f in found]} != {case.spec['severity']}")
    if "count" in case.spec and len(found) != int(case.spec["count"]):
        return result(False, f"{len(found)} findings, expected {case.spec['count']}")
    for want in case.spec.get("findings") or ():
        if not any(_matches(f, want) for f in found):
            got = [(f.cells[:3], f.expected, f.actual, f.message) for f in found]
            return result(False, f"no finding matches {want}; got {got}")
    return result(True)


def run_fixtures(paths: Iterable[str | Path], strict: bool = False) -> list[FixtureResult]:
    """Run every case of the fixture files; a crash is a failed case, not an exception."""
    out = []
    for case in load_cases(paths):
        try:
            out.append(run_case(case, strict=strict))
        except Exception as exc:
            out.append(FixtureResult(str(case.file), case.rule, case.name, False, f"{type(exc).__name__}: {exc}"))
    return out
