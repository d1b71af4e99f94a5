"""Load rule packs: YAML (safe_load) → JSON Schema → ``extends`` merge → lint → `RulePack`.

Every problem becomes one `RuleFileError` message naming the file, the rule id and the
field path: ``invalid rule file: rules/x.yaml: rule COL-001: params.expr: …``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from auditor.errors import RuleFileError
from auditor.model.types import Report
from auditor.resources import rules_dir
from auditor.rules.lint import lint_rule
from auditor.rules.registry import CHECKS, params_schema
from auditor.rules.types import Applies, Band, Rule, RulePack, Scoring

_SCHEMA_PATH = Path(__file__).with_name("pack.schema.json")
ALL_FORMATS = ("2019", "2021")


@cache
def pack_schema() -> dict[str, Any]:
    """The JSON Schema of a rule-pack file."""
    schema: dict[str, Any] = json.loads(_SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _display(path: Path) -> str:
    """A short name for messages: relative to the working folder, or ``rules/<file>`` for a
    bundled pack wherever the package is installed."""
    resolved = path.resolve()
    if resolved.parent == rules_dir().resolve():
        return f"rules/{resolved.name}"
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _where(path: Path, rule_id: str | None, field: str | None, message: str) -> str:
    parts = [_display(path)]
    if rule_id:
        parts.append(f"rule {rule_id}")
    if field:
        parts.append(field)
    parts.append(message)
    return ": ".join(parts)


def _dotted(path: Any) -> str:
    return ".".join(str(p) for p in path)


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(f"{_display(path)}: cannot read: {exc.strerror or exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        pos = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise RuleFileError(f"{_display(path)}: YAML syntax error: {pos}{exc.problem}") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{_display(path)}: YAML syntax error: {exc}") from None


def _schema_errors(path: Path, data: Any) -> list[str]:
    """Shape problems of one file, sorted by path, each naming the rule."""
    errors = sorted(Draft202012Validator(pack_schema()).iter_errors(data), key=lambda e: list(map(str, e.path)))
    out = []
    for err in errors:
        p = list(err.path)
        rule_id = None
        if len(p) >= 2 and p[0] == "rules" and isinstance(p[1], int):
            entry = data["rules"][p[1]]
            rule_id = entry.get("id") if isinstance(entry, dict) else None
            rule_id = rule_id or f"#{p[1] + 1}"
            p = p[2:]
        out.append(_where(path, rule_id, _dotted(p) or None, _short(err)))
    return out


def _short(err: ValidationError) -> str:
    if err.validator == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown field(s)")
    return err.message


def resolve(ref: str | Path, base: Path | None = None) -> Path:
    """A pack reference: a bundled name (``2024``), or a path relative to ``base``'s folder."""
    text = str(ref)
    bundled = rules_dir() / f"{text}.yaml"
    if "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")) and bundled.is_file():
        return bundled
    path = Path(text)
    if not path.is_absolute() and base is not None:
        path = base.parent / path
    return path


class _Raw:
    """A pack file merged with its parents, before rules are compiled."""

    def __init__(self) -> None:
        self.rules: dict[str, dict[str, Any]] = {}
        self.sources: dict[str, Path] = {}
        self.scoring: dict[str, Any] = {}
        self.formats: list[str] = []
        self.chain: list[Path] = []
        self.name = ""


def _merge_file(path: Path, raw: _Raw, seen: tuple[Path, ...], problems: list[str]) -> None:
    if path.resolve() in seen:
        raise RuleFileError(_where(path, None, "extends", "circular extends"))
    data = _read(path)
    shape = _schema_errors(path, data)
    if shape:
        problems.extend(shape)
        return
    if "extends" in data:
        parent = resolve(data["extends"], path)
        if not parent.is_file():
            problems.append(_where(path, None, "extends", f"no such pack '{data['extends']}'"))
            return
        _merge_file(parent, raw, (*seen, path.resolve()), problems)
    raw.chain.append(path)
    raw.name = str(data["pack"])
    raw.formats = list(data.get("formats") or raw.formats)
    scoring = dict(data.get("scoring") or {})
    caps = {**raw.scoring.get("caps", {}), **scoring.pop("caps", {})}
    raw.scoring = {**raw.scoring, **scoring, "caps": caps}
    ids: set[str] = set()
    for entry in data["rules"]:
        rid = entry["id"]
        if rid in ids:
            problems.append(_where(path, rid, "id", "duplicate rule id"))
            continue
        ids.add(rid)
        if entry.get("disabled"):
            raw.rules.pop(rid, None)
            continue
        merged = dict(raw.rules.get(rid, {}))
        if "check" in entry and entry["check"] != merged.get("check"):
            merged.pop("params", None)  # a new check kind starts from its own params
        for key, value in entry.items():
            if key == "params" and isinstance(merged.get("params"), dict):
                merged["params"] = {**merged["params"], **value}
            else:
                merged[key] = value
        raw.rules[rid] = merged
        raw.sources[rid] = path


def _rule_problems(rid: str, rule: Mapping[str, Any], path: Path, formats: list[str]) -> list[str]:
    out: list[str] = []
    kind = rule.get("check")
    if kind is not None and kind not in CHECKS:
        return [_where(path, rid, "check", f"unknown check kind '{kind}' (known: {', '.join(sorted(CHECKS))})")]
    schema = {**pack_schema()["$defs"]["rule"], "$defs": pack_schema()["$defs"]}
    for err in sorted(Draft202012Validator(schema).iter_errors(dict(rule)), key=lambda e: list(map(str, e.path))):
        out.append(_where(path, rid, _dotted(err.path) or None, _short(err)))
    if out or kind is None:
        return out
    params = rule.get("params") or {}
    validator = Draft202012Validator(params_schema(kind))
    for err in sorted(validator.iter_errors(params), key=lambda e: list(map(str, e.path))):
        out.append(_where(path, rid, _dotted(["params", *err.path]), _short(err)))
    if out:
        return out
    applies = rule.get("applies") or {}
    fmts = [f for f in (applies.get("formats") or formats or ALL_FORMATS) if not formats or f in formats]
    return [_where(path, rid, field, msg) for field, msg in lint_rule(rule, fmts or formats)]


def _compile(rid: str, rule: Mapping[str, Any], source: Path) -> Rule:
    applies = rule.get("applies") or {}
    years = applies.get("years") or {}
    return Rule(
        id=rid,
        name=str(rule["name"]),
        severity=str(rule["severity"]),
        category=str(rule["category"]),
        message=str(rule["message"]),
        check=str(rule["check"]),
        params=dict(rule.get("params") or {}),
        applies=Applies(
            formats=tuple(applies["formats"]) if "formats" in applies else None,
            year_min=years.get("min"),
            year_max=years.get("max"),
            body_kinds=tuple(applies["body_kind"]) if "body_kind" in applies else None,
        ),
        remediation=str(rule.get("remediation", "")),
        reference=str(rule.get("reference", "")),
        description=str(rule.get("description", "")),
        title=str(rule.get("title", "")),
        deduction=float(rule.get("deduction", 0)),
        veto=bool(rule.get("veto", False)),
        suppressed_by=tuple(rule.get("suppressed_by") or ()),
        source=_display(source),
        failure_type=str(rule["failure_type"]) if "failure_type" in rule else None,
    )


def _scoring(data: Mapping[str, Any]) -> Scoring:
    default = Scoring()
    bands = tuple(Band(str(b["name"]), float(b["min"])) for b in data.get("bands") or ()) or default.bands
    return Scoring(
        total=float(data.get("total", default.total)),
        caps={str(k): float(v) for k, v in (data.get("caps") or {}).items()},
        rule_cap=float(data["rule_cap"]) if "rule_cap" in data else None,
        bands=tuple(sorted(bands, key=lambda b: -b.min)),
        veto_band=str(data.get("veto_band", default.veto_band)),
    )


def _load(path: Path) -> tuple[RulePack | None, list[str]]:
    raw = _Raw()
    problems: list[str] = []
    if not path.is_file():
        raise RuleFileError(f"{_display(path)}: no such rule pack")
    _merge_file(path, raw, (), problems)
    if problems:
        return None, problems
    rules = []
    for rid, rule in raw.rules.items():
        found = _rule_problems(rid, rule, raw.sources[rid], raw.formats)
        problems.extend(found)
        if not found:
            rules.append(_compile(rid, rule, raw.sources[rid]))
    if problems:
        return None, problems
    pack = RulePack(
        name=raw.name,
        path=path,
        rules=tuple(rules),
        scoring=_scoring(raw.scoring),
        formats=tuple(raw.formats),
        chain=tuple(_display(p) for p in raw.chain),
    )
    return pack, []


def load_pack(ref: str | Path) -> RulePack:
    """Load a bundled pack by name (``"2024"``) or a pack file by path."""
    path = resolve(ref)
    chain_mtimes = _mtimes(path)
    return _load_cached(path.resolve() if path.exists() else path, chain_mtimes)


def _mtimes(path: Path) -> tuple[float, ...]:
    """Modification times of a pack's folder files: a changed file invalidates the cache."""
    try:
        return (*(p.stat().st_mtime for p in sorted(path.parent.glob("*.y*ml"))), path.stat().st_mtime)
    except OSError:
        return ()


@cache
def _load_cached(path: Path, _mtimes: tuple[float, ...]) -> RulePack:
    # Batch audits load the same pack for every report; parsing and validating once is enough.
    pack, problems = _load(path)
    if problems or pack is None:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RuleFileError(problems[0] + more)
    return pack


def validate_file(path: str | Path) -> list[str]:
    """Every problem of a pack file (schema, merge and lints); an empty list means OK."""
    try:
        _, problems = _load(resolve(path))
    except RuleFileError as exc:
        return [str(exc).removeprefix("invalid rule file: ")]
    return problems


def bundled_packs() -> list[str]:
    """Names of the packs shipped with the auditor."""
    return sorted(p.stem for p in rules_dir().glob("*.yaml"))


def pack_name_for(report: Report) -> str:
    """Which bundled pack audits a report: by statistical year, else by detected format."""
    year = report.meta.year
    if year is not None:
        return "2024" if year >= 2021 else "2020"
    if report.meta.format == "2019":
        return "2020"
    return "2024"


def pack_for(report: Report) -> RulePack:
    """The bundled pack for a report (see `pack_name_for`)."""
    return load_pack(pack_name_for(report))
