"""Load rule packs: YAML (safe, with positions) → JSON Schema → ``extends`` merge → lint → `RulePack`.

Every problem becomes one message naming the file, line, column, rule id and field path,
in Chinese, with a did-you-mean where a spelling was meant::

    规则文件有误：rules/x.yaml:12:5: 规则 COL-001: params.expr: 未知单元格键 …
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from auditor.errors import RuleFileError
from auditor.model.types import Report
from auditor.resources import rules_dir
from auditor.rules.explain import explain
from auditor.rules.lint import lint_rule
from auditor.rules.pack_cache import load_checked
from auditor.rules.registry import CHECKS, params_schema
from auditor.rules.schema import LINTED, pack_schema
from auditor.rules.suggest import did_you_mean, shorten
from auditor.rules.types import Applies, Band, Rule, RulePack, Scoring
from auditor.rules.yamlsource import MAX_BYTES, Positions, YamlSourceError, read_yaml

ALL_FORMATS = ("2019", "2021")
PACK_SUFFIXES = (".yaml", ".yml")


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


@dataclass(frozen=True)
class Problem:
    """One rule-file problem and where it is: ``file:line:column: 规则 ID: field: message``."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    rule: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        place = self.file + (f":{self.line}:{self.column}" if self.line else "")
        parts = [place, *([f"规则 {self.rule}"] if self.rule else []), *([self.field] if self.field else [])]
        return ": ".join([*parts, self.message])


def _dotted(path: Sequence[Any]) -> str:
    return ".".join(str(p) for p in path)


def _problem(path: Path, pos: Positions | None, where: Sequence[Any], message: str, **kw: Any) -> Problem:
    place = pos.find(where, value=kw.pop("value", False)) if pos else None
    line, column = place or (None, None)
    return Problem(_display(path), message, line, column, **kw)


def _read(path: Path) -> tuple[Any, Positions]:
    try:
        return read_yaml(path)
    except YamlSourceError as exc:
        raise RuleFileError(str(Problem(_display(path), str(exc), exc.line, exc.column))) from None


def _items(err: ValidationError) -> list[tuple[list[Any], str]]:
    """(path, message) pairs of one schema error: one per unknown field, with its name."""
    p = list(err.absolute_path)
    schema: Any = err.schema
    if err.validator == "additionalProperties" and isinstance(err.instance, dict) and isinstance(schema, dict):
        allowed = list(schema.get("properties") or {})
        return [
            ([*p, name], f"未知字段“{shorten(name)}”{did_you_mean(name, allowed)}")
            for name in err.instance
            if name not in allowed
        ]
    return [(p, explain(err))]


def _entry_errors(err: ValidationError, data: Any) -> tuple[int | None, str | None, list[tuple[list[Any], str]]]:
    """(entry index, rule id, [(path, message)]) of one schema error of a pack file."""
    p = list(err.absolute_path)
    index = p[1] if len(p) >= 2 and p[0] == "rules" and isinstance(p[1], int) else None
    rule_id = None
    if index is not None:
        entry = data["rules"][index]
        rule_id = str(entry.get("id") or f"#{index + 1}") if isinstance(entry, dict) else f"#{index + 1}"
    return index, rule_id, _items(err)


def _linted(err: ValidationError) -> bool:
    """Whether a lint reports this error better: a LINTED field, or a choice it decided."""
    if isinstance(err.schema, dict) and err.schema.get(LINTED):
        return True
    return err.validator in ("oneOf", "anyOf") and any(_linted(c) for c in err.context or ())


def _errors(validator: Draft202012Validator, data: Any) -> list[ValidationError]:
    # Fields the lints check better (expressions, placeholders) carry LINTED: their lint
    # message names the column and the nearest spelling, the schema's would only say "no".
    found = [e for e in validator.iter_errors(data) if not _linted(e)]
    return sorted(found, key=lambda e: [str(x) for x in e.absolute_path])


def _shape(path: Path, data: Any, pos: Positions) -> tuple[list[Problem], set[int]]:
    """Shape problems of one file, and the rule entries they break (left out of the merge)."""
    if not isinstance(data, dict) or ("rules" not in data and "pack" not in data):
        # Not a rule pack at all (an `extends` naming some other file): say so, quote nothing.
        return [Problem(_display(path), "不是规则包：顶层应为含有 pack 和 rules 字段的映射")], set()
    problems: list[Problem] = []
    broken: set[int] = set()
    for err in _errors(Draft202012Validator(pack_schema()), data):
        index, rule_id, items = _entry_errors(err, data)
        for where, message in items:
            inner = where[2:] if index is not None else where
            problems.append(_problem(path, pos, where, message, rule=rule_id, field=_dotted(inner) or None))
        if index is not None:
            broken.add(index)
        else:
            broken.add(-1)
    return problems, broken


def resolve(ref: str | Path, base: Path | None = None) -> Path:
    """A pack reference: a bundled name (``2024``), or a path relative to ``base``'s folder."""
    text = str(ref)
    bundled = rules_dir() / f"{text}.yaml"
    if "/" not in text and "\\" not in text and not text.endswith(PACK_SUFFIXES) and bundled.is_file():
        return bundled
    path = Path(text)
    if not path.is_absolute() and base is not None:
        path = base.parent / path
    return path


@dataclass
class _Raw:
    """A pack file merged with its parents, before rules are compiled."""

    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    # Per rule, every entry that defined it (file, positions, path of the entry), base first.
    places: dict[str, list[tuple[Path, Positions, tuple[Any, ...]]]] = field(default_factory=dict)
    scoring: dict[str, Any] = field(default_factory=dict)
    formats: list[str] = field(default_factory=list)
    chain: list[Path] = field(default_factory=list)
    name: str = ""


def _locate(raw: _Raw, rid: str, where: str | None) -> Problem:
    """Where a merged rule's field was written: the last entry spelling it out."""
    places = raw.places.get(rid) or [(raw.sources[rid], Positions(), ())]
    sub = [p for p in (where or "").split(".") if p]
    chosen = next((pl for pl in reversed(places) if pl[1].has([*pl[2], *sub])), places[-1])
    path, pos, prefix = chosen
    return _problem(path, pos, [*prefix, *sub], "", value=True, rule=rid, field=where)


def _parent(path: Path, data: Mapping[str, Any], pos: Positions) -> tuple[Path | None, Problem | None]:
    ref = str(data["extends"])
    parent = resolve(ref, path)
    shown = shorten(ref, 60)
    if parent.suffix not in PACK_SUFFIXES:
        message = f"extends 只能是内置规则包名或 .yaml/.yml 规则包文件，不能是“{shown}”"
        return None, _problem(path, pos, ["extends"], message, value=True, field="extends")
    if not parent.is_file():
        known = [p.stem for p in rules_dir().glob("*.yaml")]
        message = f"找不到规则包“{shown}”{did_you_mean(ref, known)}"
        return None, _problem(path, pos, ["extends"], message, value=True, field="extends")
    return parent, None


_Checked = tuple[Any, Positions, tuple[Problem, ...], frozenset[int]]
_CHECKED: dict[tuple[str, str], _Checked] = {}


def _checked(path: Path) -> tuple[Any, Positions, list[Problem], set[int]]:
    """A pack file read and shape-checked once per version of the file, not once per pack
    whose chain holds it (every bundled pack extends base.yaml). The data is copied out:
    merging must never change what the next pack reads."""
    key: tuple[str, str] | None = None
    try:
        if path.is_file() and path.stat().st_size <= MAX_BYTES:
            # By content, not modification time: an edit within the clock's tick is seen.
            key = (str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError:
        pass
    found = _CHECKED.get(key) if key else None
    if found is None:
        data, pos = _read(path)
        shape, broken = _shape(path, data, pos)
        found = (data, pos, tuple(shape), frozenset(broken))
        if key:
            _CHECKED[key] = found
    data, pos, shape_problems, broken_entries = found
    return copy.deepcopy(data), pos, list(shape_problems), set(broken_entries)


def _merge_file(path: Path, raw: _Raw, seen: tuple[Path, ...], problems: list[Problem]) -> None:
    if path.resolve() in seen:
        raise RuleFileError(str(Problem(_display(path), "extends 循环引用", field="extends")))
    data, pos, shape, broken = _checked(path)
    problems.extend(shape)
    if -1 in broken or not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        return
    if "extends" in data:
        parent, problem = _parent(path, data, pos)
        if problem is not None or parent is None:
            problems.extend([problem] if problem else [])
            return
        _merge_file(parent, raw, (*seen, path.resolve()), problems)
    raw.chain.append(path)
    raw.name = str(data["pack"])
    raw.formats = list(data.get("formats") or raw.formats)
    scoring = dict(data.get("scoring") or {})
    caps = {**raw.scoring.get("caps", {}), **scoring.pop("caps", {})}
    raw.scoring = {**raw.scoring, **scoring, "caps": caps}
    ids: set[str] = set()
    for index, entry in enumerate(data["rules"]):
        if index in broken:
            continue
        rid = entry["id"]
        if rid in ids:
            where = ["rules", index, "id"]
            problems.append(_problem(path, pos, where, "规则编号重复", value=True, rule=rid, field="id"))
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
        raw.places.setdefault(rid, []).append((path, pos, ("rules", index)))


def _rule_problems(rid: str, rule: Mapping[str, Any], raw: _Raw) -> list[Problem]:
    def at(where: str | None, message: str) -> Problem:
        base = _locate(raw, rid, where)
        return Problem(base.file, message, base.line, base.column, rid, where)

    kind = rule.get("check")
    if kind is not None and kind not in CHECKS:
        return [at("check", f"未知的检查类型“{shorten(kind)}”{did_you_mean(str(kind), CHECKS)}")]
    schema = {**pack_schema()["$defs"]["rule"], "$defs": pack_schema()["$defs"]}
    errors = _errors(Draft202012Validator(schema), dict(rule))
    out = [at(_dotted(where) or None, message) for err in errors for where, message in _items(err)]
    if out or kind is None:
        return out
    params = rule.get("params") or {}
    for err in _errors(Draft202012Validator(params_schema(kind)), params):
        out.extend(at(_dotted(["params", *where]), message) for where, message in _items(err))
    if out:
        return out
    applies = rule.get("applies") or {}
    formats = raw.formats
    fmts = [f for f in (applies.get("formats") or formats or ALL_FORMATS) if not formats or f in formats]
    return [at(field, msg) for field, msg in lint_rule(rule, fmts or formats)]


def _compile(rid: str, rule: Mapping[str, Any], source: Path) -> Rule:
    applies = rule.get("applies") or {}
    years = applies.get("years") or {}
    effective = rule.get("effective") or {}
    status = str(rule.get("status", "stable"))
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
        deduction=0.0 if status == "preview" else float(rule.get("deduction", 0)),
        veto=bool(rule.get("veto", False)),
        suppressed_by=tuple(rule.get("suppressed_by") or ()),
        source=_display(source),
        failure_type=str(rule["failure_type"]) if "failure_type" in rule else None,
        status=status,
        effective_from=effective.get("from"),
        effective_until=effective.get("until"),
        aliases=tuple(rule.get("aliases") or ()),
    )


def _alias_problems(rules: list[Rule], raw: _Raw) -> list[Problem]:
    """An alias must name one rule only and never another rule's current id."""
    owner: dict[str, str] = {r.id: r.id for r in rules}
    out = []
    for rule in rules:
        for alias in rule.aliases:
            other = owner.setdefault(alias, rule.id)
            if other != rule.id:
                base = _locate(raw, rule.id, "aliases")
                out.append(
                    Problem(
                        base.file,
                        f"别名 {alias} 已是规则 {other} 的编号或别名",
                        base.line,
                        base.column,
                        rule.id,
                        "aliases",
                    )
                )
    return out


def _resolve_aliases(rules: list[Rule]) -> list[Rule]:
    """``suppressed_by`` written with a former id means the renamed rule."""
    current = {alias: r.id for r in rules for alias in r.aliases}
    return [
        dataclasses.replace(r, suppressed_by=tuple(current.get(s, s) for s in r.suppressed_by))
        if r.suppressed_by
        else r
        for r in rules
    ]


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


def _load(path: Path) -> tuple[RulePack | None, list[Problem]]:
    pack, problems, _ = _load_chain(path)
    return pack, problems


def _load_chain(path: Path) -> tuple[RulePack | None, list[Problem], list[Path]]:
    """The pack, its problems and the files it read (itself and every pack it extends)."""
    raw = _Raw()
    problems: list[Problem] = []
    if not path.is_file():
        known = [p.stem for p in rules_dir().glob("*.yaml")]
        raise RuleFileError(f"{_display(path)}: 找不到规则包{did_you_mean(str(path), known)}")
    _merge_file(path, raw, (), problems)
    rules = []
    for rid, rule in raw.rules.items():
        found = _rule_problems(rid, rule, raw)
        problems.extend(found)
        if not found:
            rules.append(_compile(rid, rule, raw.sources[rid]))
    problems.extend(_alias_problems(rules, raw))
    if problems:
        return None, problems, raw.chain
    pack = RulePack(
        name=raw.name,
        path=path,
        rules=tuple(_resolve_aliases(rules)),
        scoring=_scoring(raw.scoring),
        formats=tuple(raw.formats),
        chain=tuple(_display(p) for p in raw.chain),
    )
    return pack, [], raw.chain


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
    # Batch audits load the same pack for every report; parsing and validating once is enough
    # (once per process here, and once per change of its files on disk: `pack_cache`).
    return load_checked(path, partial(_load_checked, path))


def _load_checked(path: Path) -> tuple[RulePack, list[Path]]:
    pack, problems, chain = _load_chain(path)
    if problems or pack is None:
        more = f" （另有 {len(problems) - 1} 处问题，可用 `audit rules validate` 查看）" if len(problems) > 1 else ""
        raise RuleFileError(f"{problems[0]}{more}")
    return pack, chain


def validate_file(path: str | Path) -> list[str]:
    """Every problem of a pack file (schema, merge and lints); an empty list means OK."""
    try:
        _, problems = _load(resolve(path))
    except RuleFileError as exc:
        return [str(exc).removeprefix(RuleFileError.PREFIX)]
    return [str(p) for p in problems]


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
