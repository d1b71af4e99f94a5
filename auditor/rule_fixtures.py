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

``pack`` (a bundled name or a path relative to the fixture file) is the pack the cases
run with; a case may give its own ``pack``. ``rule`` must name a rule of that pack (or,
without ``pack``, of a bundled pack), by id or former id: anything else is an error.

A case's report comes from ``text`` (full report text), ``file`` (a path relative to
the repository), ``generate`` (``tests/reportgen.make_report`` keyword arguments) or
``model`` (a Report described directly, no parser). ``replace`` ({old: new}) edits the
text before it is parsed (each ``old`` must occur), so a case can plant a defect in a
generated report and still go through the parser. ``patch`` then edits the parsed
Report: ``cells`` ({key: number | null (blank) | "text"}), ``drop_cells`` (glob patterns),
``meta``, ``drop_sections``, ``section_text``, ``section_lines``, ``unplaced_rows`` and
``problems``. ``previous`` (the same sources, plus ``patch``) gives the case the
body's previous-year report, for the cross-year rules. A ``model`` takes ``format``,
``year``, ``body_kind``, ``published``, ``period``, ``title``, ``agency``, ``sections``
({n: text}), ``tables`` (which tables to fill), ``fill`` (default 0) and ``cells``.

A failing case pins its findings: ``findings`` entries match on ``cells`` (a prefix),
``location`` (the given fields of part, table, row, column, line), ``expected``,
``actual``, ``severity`` and ``message_contains``.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib.util
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from jsonschema import Draft202012Validator

from auditor.errors import RuleFileError
from auditor.findings import audit
from auditor.findings.types import Finding
from auditor.model.template import PART_NAMES, load_template
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
from auditor.model.values import classify, to_number, value_cell
from auditor.pipeline import parse_text
from auditor.rules.explain import explain
from auditor.rules.loader import Problem as FileProblem
from auditor.rules.loader import bundled_packs, load_pack, pack_for, resolve
from auditor.rules.suggest import did_you_mean
from auditor.rules.yamlsource import Positions, YamlSourceError, read_yaml


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


_SOURCE_KEYS = {
    "text": {"type": "string", "description": "报告全文"},
    "file": {"type": "string", "description": "报告文件（相对仓库根目录）"},
    "generate": {"type": "object", "description": "tests/reportgen.make_report 的参数"},
    "model": {"type": "object", "description": "直接描述的报告（不经解析）"},
    "replace": {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "解析前的文字替换 {原文: 新文}",
    },
    "patch": {
        "type": "object",
        "additionalProperties": False,
        "description": "解析后的修改",
        "properties": {
            k: {"description": k}
            for k in (
                "cells",
                "drop_cells",
                "meta",
                "drop_sections",
                "section_text",
                "section_lines",
                "unplaced_rows",
                "problems",
            )
        },
    },
}
_FINDING = {
    "type": "object",
    "additionalProperties": False,
    "properties": {k: {"description": k} for k in ("message_contains", *(f.name for f in dataclasses.fields(Finding)))},
}
FIXTURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["rule", "cases"],
    "additionalProperties": False,
    "properties": {
        "rule": {"type": "string", "description": "规则编号"},
        "pack": {"type": ["string", "integer"], "description": "规则包"},
        "cases": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    **_SOURCE_KEYS,
                    "previous": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": _SOURCE_KEYS,
                        "description": "上一年度报告",
                    },
                    "pack": {"type": ["string", "integer"], "description": "本用例的规则包"},
                    "expect": {"enum": ["pass", "fail"], "description": "pass 无问题；fail 至少一个问题"},
                    "severity": {"enum": ["error", "warning", "info"], "description": "每个问题的级别"},
                    "count": {"type": "integer", "minimum": 0, "description": "问题个数"},
                    "findings": {"type": "array", "items": _FINDING, "description": "须出现的问题"},
                },
            },
        },
    },
}


def _fixture_error(
    path: Path, pos: Positions | None, where: list[Any], message: str, value: bool = False
) -> RuleFileError:
    place = pos.find(where, value=value) if pos else None
    line, column = place or (None, None)
    return RuleFileError(str(FileProblem(str(path), message, line, column, field=".".join(map(str, where)) or None)))


def _fixture_pack(ref: Any, fixture: Path) -> str:
    """A fixture's ``pack``: a bundled name, or a path relative to the fixture file."""
    return str(resolve(str(ref), fixture))


def _check_rule(path: Path, pos: Positions, data: Mapping[str, Any]) -> None:
    rule = str(data["rule"])
    refs = [data["pack"]] if "pack" in data else bundled_packs()
    known: list[str] = []
    for ref in refs:
        pack = load_pack(_fixture_pack(ref, path))
        if any(r.known_as(rule) for r in pack.rules):
            return
        known += [r.id for r in pack.rules]
    where = f"规则包 {data['pack']}" if "pack" in data else "内置规则包"
    raise _fixture_error(path, pos, ["rule"], f"{where}中没有规则 {rule}{did_you_mean(rule, known)}", value=True)


def _read_fixture(path: Path) -> Mapping[str, Any]:
    try:
        data, pos = read_yaml(path)
    except YamlSourceError as exc:
        raise RuleFileError(str(FileProblem(str(path), str(exc), exc.line, exc.column))) from None
    errors = sorted(Draft202012Validator(FIXTURE_SCHEMA).iter_errors(data), key=lambda e: list(map(str, e.path)))
    if not isinstance(data, dict):
        raise _fixture_error(path, None, [], "不是规则测试用例文件：顶层应为含有 rule 和 cases 的映射")
    for err in errors:
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = list(err.schema.get("properties") or {}) if isinstance(err.schema, dict) else []
            name = next(str(k) for k in err.instance if k not in allowed)
            message = f"未知字段“{name}”{did_you_mean(name, allowed)}"
            raise _fixture_error(path, pos, [*err.absolute_path, name], message)
        raise _fixture_error(path, pos, list(err.absolute_path), explain(err))
    _check_rule(path, pos, data)
    return data


def load_cases(paths: Iterable[str | Path]) -> list[FixtureCase]:
    """Every case of the fixture files (folders are searched for ``*.yml``).

    A file that is not a valid fixture, or that names no rule of its pack, raises
    `RuleFileError` naming the file and place.
    """
    cases: list[FixtureCase] = []
    for p in paths:
        path = Path(p)
        files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
        for f in files:
            data = _read_fixture(f)
            pack = _fixture_pack(data["pack"], f) if "pack" in data else None
            for name, spec in data["cases"].items():
                cases.append(FixtureCase(f, str(data["rule"]), str(name), spec or {}, pack))
    return cases


def _repo_root(start: Path) -> Path:
    for parent in [start.resolve(), *start.resolve().parents]:
        if (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


@cache
def _reportgen(root: Path) -> ModuleType:
    # The generator lives in the auditor's own test folder: the fixture's repository first,
    # else the checkout this package runs from (an editable install used elsewhere).
    candidates = [root / "tests" / "reportgen.py", Path(__file__).resolve().parents[1] / "tests" / "reportgen.py"]
    path = next((p for p in candidates if p.is_file()), None)
    spec = importlib.util.spec_from_file_location("_fixture_reportgen", path) if path else None
    if spec is None or spec.loader is None:
        raise FileNotFoundError("generate 需要 gov-report-auditor 源码中的 tests/reportgen.py；请改用 text 或 file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while executing it
    spec.loader.exec_module(module)
    return module


def _parse(text: str, path: str) -> Report:

    return parse_text(text, path=path)


def _cell(key: str, value: Any) -> Cell:
    """A cell as a report would print the value: the parser's own classification of it."""
    if value is None:
        return Cell(key, None, "", CellState.BLANK, None)
    token = classify(str(value))
    if token is None or token.amount is None:
        return Cell(key, None, str(value), CellState.TEXT, None)
    return value_cell(key, token, to_number(token.amount), None)


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


def _replaced(text: str, edits: Mapping[str, str], where: str) -> str:
    for old, new in edits.items():
        if str(old) not in text:
            raise ValueError(f"{where}: replace: 报告中没有“{old}”")
        text = text.replace(str(old), str(new))
    return text


def _source_report(spec: Mapping[str, Any], root: Path, name: str, where: str) -> Report:
    """The Report of one source spec (``model``, ``text``, ``file`` or ``generate``), patched."""
    edits = spec.get("replace") or {}
    if "model" in spec:
        if edits:
            raise ValueError(f"{where}: replace 只能用于 text、file 或 generate")
        report = model_report(spec["model"])
    elif "text" in spec:
        report = _parse(_replaced(str(spec["text"]), edits, where), f"<fixture {name}>")
    elif "file" in spec:
        path = root / str(spec["file"])
        report = _parse(_replaced(path.read_text(encoding="utf-8"), edits, where), str(spec["file"]))
    elif "generate" in spec:
        gen = dict(spec["generate"])
        made = _reportgen(root).make_report(gen.pop("seed"), **gen)
        report = _parse(_replaced(made.text, edits, where), f"<fixture {name}>")
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
        if key == "location":
            if any(getattr(got, k) != v for k, v in value.items()):
                return False
        elif key == "cells":
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
    # A case's own pack is relative to the fixture file; the file's was resolved on loading.
    pack_ref = _fixture_pack(case.spec["pack"], case.file) if "pack" in case.spec else case.pack
    pack = load_pack(pack_ref) if pack_ref else pack_for(report)
    try:
        rule_id = pack.rule(case.rule).id
    except KeyError:
        return result(False, f"规则包 {pack.name} 中没有规则 {case.rule}")
    previous = previous_report(case)
    audited = audit(report, pack, select=[rule_id], strict=strict, previous=previous)
    found = [f for f in audited.findings if f.rule == rule_id]
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
            got = [(f.cells[:3], f.location, f.expected, f.actual, f.message) for f in found]
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
