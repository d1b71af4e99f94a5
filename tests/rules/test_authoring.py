"""Rule authors: messages with line, column and did-you-mean, the pack schema, lifecycle,
the `rules` subcommands, hostile rule files and fixture files."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import RuleFileError
from auditor.findings import audit
from auditor.rule_fixtures import FixtureCase, load_cases, model_report, run_case, run_fixtures
from auditor.rules import patterns
from auditor.rules.loader import bundled_packs, load_pack, validate_file
from auditor.rules.registry import CHECKS
from auditor.rules.schema import SHIPPED_PATH, pack_schema, placeholders, schema_text

runner = CliRunner()
RULES = Path(__file__).resolve().parents[2] / "rules"

# One rule per planted mistake; the comment names the line each message must point at.
PLANTED = """pack: planted
extends: "2024"
rules:
  - id: HN-101
    name: planted.field
    severity: warning
    category: identity
    message: 表二{where}本年制发 {lhs} 件
    remedation: 核对。                                  # line 9: misspelt field
    reference: 测试
    deduction: 1
    check: identity
    params: {expr: disclosure.regulations.issued <= disclosure.regulations.in_force}
  - id: HN-102
    name: planted.cell_key
    severity: warning
    category: identity
    message: 表二本年制发 {lhs} 件
    remediation: 核对。
    reference: 测试
    deduction: 1
    check: identity
    params:
      expr: disclosure.regulations.isued <= disclosure.regulations.in_force   # line 24: cell key
  - id: HN-103
    name: planted.expression
    severity: warning
    category: identity
    message: 表二本年制发 {lhs} 件
    remediation: 核对。
    reference: 测试
    deduction: 1
    check: identity
    params:
      expr: disclosure.regulations.issued <= = disclosure.regulations.in_force  # line 35: bad expression
  - id: HN-104
    name: planted.placeholder
    severity: warning
    category: deadline
    message: 逾期 {lhs} 天                               # line 40: deadline fills no {lhs}
    remediation: 核对。
    reference: 测试
    deduction: 1
    check: deadline
    params: {deadline: "01-20"}
  - id: HN-105
    name: planted.kind
    severity: warning
    category: deadline
    message: 逾期 {count} 天
    remediation: 核对。
    reference: 测试
    deduction: 1
    check: dedline                                    # line 54: unknown kind
    params: {deadline: "01-20"}
"""
PLANTED_LINES = {"HN-101": 9, "HN-102": 24, "HN-103": 35, "HN-104": 40, "HN-105": 54}


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_five_planted_mistakes_get_five_placed_messages_with_suggestions(tmp_path: Path) -> None:
    problems = validate_file(write(tmp_path, PLANTED))
    assert len(problems) == 5, problems
    for rule_id, line in PLANTED_LINES.items():
        [problem] = [p for p in problems if f"规则 {rule_id}:" in p]
        assert re.search(rf"pack\.yaml:{line}:\d+: ", problem), problem
    by_rule = {rid: next(p for p in problems if f"规则 {rid}:" in p) for rid in PLANTED_LINES}
    assert "remedation: 未知字段“remedation”，是否应为“remediation”？" in by_rule["HN-101"]
    assert "是否应为“disclosure.regulations.issued”？" in by_rule["HN-102"]
    assert "params.expr: 表达式第 34 列有多余的“=”（应形如" in by_rule["HN-103"]
    assert "检查类型 deadline 不提供占位符 {lhs}" in by_rule["HN-104"] and "{published}" in by_rule["HN-104"]
    assert "check: 取值“dedline”无效，是否应为“deadline”？" in by_rule["HN-105"]


def test_validate_command_prints_each_problem_and_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "validate", str(write(tmp_path, PLANTED))])
    assert result.exit_code == 2
    assert result.output.count("规则文件有误：") == 5
    assert "Traceback" not in result.output


def _planted_rules() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = yaml.safe_load(PLANTED)["rules"]
    return rules


def test_shipped_schema_is_the_built_one_and_printed() -> None:
    assert SHIPPED_PATH.read_text(encoding="utf-8") == schema_text(), "run: audit rules schema > " + str(SHIPPED_PATH)
    result = runner.invoke(app, ["rules", "schema"])
    assert result.exit_code == 0 and json.loads(result.stdout) == pack_schema()


def test_shipped_schema_validates_every_bundled_pack_and_rejects_each_planted_mistake() -> None:
    schema = json.loads(SHIPPED_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for name in bundled_packs():
        data = yaml.safe_load((RULES / f"{name}.yaml").read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), name
    for rule in _planted_rules():
        pack = {"pack": "one", "rules": [rule]}
        assert list(validator.iter_errors(pack)), rule["id"]
        fixed = {**rule, "remediation": "核对。"}
        fixed.pop("remedation", None)
        if rule["id"] == "HN-101":  # the same rule with the field spelt right passes
            assert not list(validator.iter_errors({"pack": "one", "rules": [fixed]}))


def _properties(node: Any, path: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            out.append((f"{path}.{name}", sub))
        for key, sub in node.items():
            out += _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            out += _properties(sub, f"{path}[{i}]")
    return out


def test_every_schema_property_has_a_description() -> None:
    props = _properties(pack_schema())
    assert len(props) > 100
    # Fields inside an ``if`` are discriminators (mode: …), not fields of their own.
    missing = [path for path, sub in props if isinstance(sub, dict) and "description" not in sub]
    missing = [p for p in missing if not re.search(r"/if\.", p)]
    assert not missing, missing


def test_schema_keeps_in_step_with_the_kinds() -> None:
    schema = pack_schema()
    assert schema["$defs"]["entry"]["properties"]["check"]["enum"] == sorted(CHECKS)
    for kind, module in CHECKS.items():
        assert f"params_{kind}" in schema["$defs"]
        assert isinstance(module.PLACEHOLDERS, frozenset) and module.PLACEHOLDERS, kind
    branches = schema["$defs"]["entry"]["allOf"]
    assert sorted(b["if"]["properties"]["check"]["const"] for b in branches) == sorted(CHECKS)


def test_every_bundled_message_uses_only_its_kinds_placeholders() -> None:
    for name in bundled_packs():
        for rule in load_pack(name).rules:
            used = set(re.findall(r"\{(\w+)\}", rule.message))
            assert used <= placeholders(rule.check), (rule.id, used - placeholders(rule.check))


def test_every_bundled_rule_has_a_one_line_description() -> None:
    for name in bundled_packs():
        for rule in load_pack(name).rules:
            assert rule.description.strip(), rule.id
            assert "\n" not in rule.description.strip() and len(rule.description) <= 80, rule.id


# ---- hostile rule files


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("pack: 测试\nrules: []\n".encode("gbk"), "不是 UTF-8 编码"),
        ("pack: t\nrules: []\n".encode("utf-16"), "UTF-16"),
        (b"\x7fELF\x02\x01\x00\x00binary", "不是文本文件"),
    ],
)
def test_undecodable_rule_files_are_one_message_exit_2(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(data)
    result = runner.invoke(app, ["rules", "validate", str(path)])
    assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output
    report = RULES.parent / "examples" / "2023_qingchuan_county_pipe.txt"
    result = runner.invoke(app, ["--rules", str(path), "--no-out", str(report)])
    assert result.exit_code == 2 and expected in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash


@pytest.mark.parametrize("target", ["secret", "secret.yaml"])
def test_extends_of_a_foreign_file_never_echoes_it(tmp_path: Path, target: str) -> None:
    write(tmp_path, "root:x:0:0:SECRET-CONTENT:/root:/bin/bash\nsecond: SECRET-TWO\n", target)
    path = write(tmp_path, f"pack: p\nextends: {target}\nrules: []\n")
    problems = validate_file(path)
    assert problems and all("SECRET" not in p for p in problems), problems
    with pytest.raises(RuleFileError) as info:
        load_pack(path)
    assert "SECRET" not in str(info.value)


def test_extends_of_a_system_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = write(tmp_path, "pack: p\nextends: /etc/passwd\nrules: []\n")
    [problem] = validate_file(path)
    assert "extends 只能是内置规则包名或 .yaml/.yml 规则包文件" in problem and "root:" not in problem


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = write(tmp_path, "\n".join(lines) + "\npack: p\nrules: []\n")
    [problem] = validate_file(path)
    assert "别名展开后超过" in problem


def _identity_rule(params: str) -> str:
    return (
        "pack: p\nformats: ['2021']\nrules:\n  - id: HN-201\n    name: t.t\n    severity: warning\n"
        "    category: identity\n    message: '{lhs} {rhs}'\n    remediation: 核对。\n    reference: 测试\n"
        f"    deduction: 1\n    check: identity\n    params: {params}\n"
    )


def test_foreach_expansion_is_bounded_at_validation(tmp_path: Path) -> None:
    values = "[" + ", ".join(f"v{i}" for i in range(25)) + "]"
    params = f"{{foreach: {{a: {values}, b: {values}, c: {values}}}, expr: 'disclosure.{{a}}.{{b}} = 0'}}"
    started = time.monotonic()
    [problem] = validate_file(write(tmp_path, _identity_rule(params)))
    assert "foreach 展开为 15625 个实例，超过上限" in problem
    assert time.monotonic() - started < 5


def test_numeric_constants_are_range_checked(tmp_path: Path) -> None:
    params = "{expr: 'disclosure.regulations.issued <= 1" + "0" * 308 + "'}"
    [problem] = validate_file(write(tmp_path, _identity_rule(params)))
    assert "常数或系数超出范围" in problem


def test_catastrophic_pattern_cannot_hang_an_audit(tmp_path: Path) -> None:
    hostile = "^(([a-z])+.)+[A-Z]([a-z])+$"
    with pytest.raises(TimeoutError):
        patterns.search(hostile, "a" * 3000)
    pack = write(
        tmp_path,
        "pack: p\nextends: '2024'\nrules:\n  - id: HN-301\n    name: t.t\n    severity: warning\n"
        "    category: narrative\n    message: '{detail}'\n    remediation: 核对。\n    reference: 测试\n"
        "    deduction: 1\n    check: condition\n    params:\n      cases:\n"
        f"        - {{name: x, detail: 测试, require: [{{text: '{hostile}', sections: [1]}}]}}\n",
    )
    report = model_report({"format": "2021", "year": 2023, "sections": {1: "a" * 3000}})
    started = time.monotonic()
    result = audit(report, load_pack(pack), select=["HN-301"])
    assert time.monotonic() - started < 10
    # The rule stopped, the audit went on: the rule is "not evaluated (internal error)".
    assert result.findings == ()
    assert [(n.rule, n.internal) for n in result.not_evaluated] == [("HN-301", True)]


# ---- lifecycle


LIFECYCLE = """pack: life
extends: "2024"
rules:
  - id: HN-401
    name: life.renamed
    description: 改名后的规则
    aliases: [OLD-401]
    status: preview
    effective: {from: 2022}
    severity: error
    category: deadline
    message: 逾期 {count} 天
    remediation: 核对。
    reference: 测试
    deduction: 5
    check: deadline
    params: {deadline: "01-20"}
  - id: PUB-001
    suppressed_by: [OLD-401]
"""


def test_aliases_select_and_suppress_and_preview_deducts_nothing(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, LIFECYCLE))
    rule = pack.rule("OLD-401")
    assert rule.id == "HN-401" and rule.status == "preview" and rule.deduction == 0
    assert pack.rule("PUB-001").suppressed_by == ("HN-401",)
    late = {"format": "2021", "year": 2023, "body_kind": "department", "published": "2024-01-25"}
    result = audit(model_report(late), pack, select=["OLD-401"])
    assert [f.rule for f in result.findings] == ["HN-401"]
    assert result.score == 100
    assert not audit(model_report(late), pack, select=["HN"], ignore=["OLD-401"]).findings
    before = {**late, "year": 2021, "published": "2022-01-25"}
    assert not audit(model_report(before), pack, select=["HN-401"]).findings  # not yet in force


def test_rules_list_shows_lifecycle_and_description(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "list", "--rules", str(write(tmp_path, LIFECYCLE))])
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.startswith("HN-401"))
    assert "改名后的规则" in line and "试行" in line and "2022–年度生效" in line and "原编号 OLD-401" in line


def test_alias_may_not_name_another_rule(tmp_path: Path) -> None:
    text = LIFECYCLE.replace("aliases: [OLD-401]", "aliases: [PUB-002]")
    assert any("别名 PUB-002 已是规则 PUB-002 的编号或别名" in p for p in validate_file(write(tmp_path, text)))


# ---- rules cells / new


def test_rules_cells_lists_keys_and_names_per_format() -> None:
    result = runner.invoke(app, ["rules", "cells", "--format", "2019"])
    assert result.exit_code == 0
    assert "disclosure.regulations.new_published" in result.output and "# 2019年版" in result.output
    assert "# 2021年版" not in result.output and "@requests.columns" in result.output
    both = runner.invoke(app, ["rules", "cells"]).output
    assert "requests.results_total.total" in both and "三（七）总计·总计" in both
    bad = runner.invoke(app, ["rules", "cells", "--format", "2012"])
    assert bad.exit_code == 2 and "没有 2012 年版格式" in bad.output


def test_rules_new_writes_a_valid_skeleton_and_never_overwrites(tmp_path: Path) -> None:
    pack, fixture = tmp_path / "hn.yaml", tmp_path / "t" / "HN-501.yml"
    args = ["rules", "new", "hn-501", "--kind", "text_required", "--pack", str(pack), "--fixture", str(fixture)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert validate_file(pack) == []
    assert load_pack(pack).rule("HN-501").check == "text_required"
    assert len(load_cases([fixture])) == 2
    [passed, failed] = run_fixtures([fixture])
    assert passed.ok and not failed.ok  # the failing case is the author's to write
    assert "报告中没有“（要替换的原文）”" in failed.message
    fixture.write_text("mine", encoding="utf-8")
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "文件已存在" in again.output
    assert fixture.read_text(encoding="utf-8") == "mine"
    wrong = runner.invoke(app, ["rules", "new", "HN-502", "--kind", "identiy", "--pack", str(tmp_path / "x.yaml")])
    assert wrong.exit_code == 2 and "是否应为“identity”" in wrong.output and not (tmp_path / "x.yaml").exists()


# ---- fixture files


def test_fixture_naming_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "rule: COL-091\ncases:\n  a: {model: {format: '2021'}, expect: pass}\n", "f.yml")
    result = runner.invoke(app, ["rules", "test", str(path)])
    assert (
        result.exit_code == 2 and "f.yml:1:7: rule: 内置规则包中没有规则 COL-091，是否应为“COL-001”？" in result.output
    )


def test_no_fixture_cases_is_an_error_not_zero_passed(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "test", str(tmp_path)])
    assert result.exit_code == 2 and "中没有规则测试用例" in result.output and "0 passed" not in result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rule: COL-001\ncases: [\n", "f.yml:3:1: YAML 语法错误"),
        (
            "rule: COL-001\ncases:\n  a:\n    model: {}\n    patch: {pack: '2020'}\n",
            "f.yml:5:13: cases.a.patch.pack: 未知字段“pack”",
        ),
        (
            "rule: COL-001\ncases:\n  a:\n    generate: {seed: 1}\n    expcet: fail\n",
            "未知字段“expcet”，是否应为“expect”？",
        ),
        ("rule: COL-001\n", "缺少必填字段“cases”"),
    ],
)
def test_broken_fixture_file_is_one_message_exit_2(tmp_path: Path, text: str, expected: str) -> None:
    result = runner.invoke(app, ["rules", "test", str(write(tmp_path, text, "f.yml"))])
    assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output


def test_fixture_gbk_file_is_one_message(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes("rule: COL-001\ncases: {a: {text: 报告}}\n".encode("gbk"))
    result = runner.invoke(app, ["rules", "test", str(path)])
    assert result.exit_code == 2 and "不是 UTF-8 编码" in result.output


def _case(tmp_path: Path, spec: dict[str, Any], rule: str = "COL-002") -> FixtureCase:
    return FixtureCase(tmp_path / "x.yml", rule, "c", spec, None)


def test_location_is_pinned(tmp_path: Path) -> None:
    cells = {"appeals.review.upheld": 2, "appeals.review.total": 3}
    report = {"model": {"format": "2021", "year": 2023, "cells": cells}}
    where = {"part": 4, "table": "appeals", "row": "review", "column": "total", "line": None}
    want = {"cells": ["appeals.review.total"], "location": where}
    assert run_case(_case(tmp_path, {**report, "expect": "fail", "findings": [want]}, "ROW-003")).ok
    wrong = {**want, "location": {**where, "column": "upheld"}}
    assert not run_case(_case(tmp_path, {**report, "expect": "fail", "findings": [wrong]}, "ROW-003")).ok


def test_replace_edits_the_text_before_parsing(tmp_path: Path) -> None:
    spec = {"generate": {"seed": 11, "fmt": "2021"}, "expect": "pass"}
    assert run_case(_case(tmp_path, spec, "PUB-002")).ok
    late = {**spec, "replace": {"发布日期：2022-03-12": "发布日期：2022-05-12"}}
    assert not run_case(_case(tmp_path, late, "PUB-002")).ok  # the parser read the edited date
    with pytest.raises(ValueError, match="报告中没有“没有这句话的原文”"):
        run_case(_case(tmp_path, {**spec, "replace": {"没有这句话的原文": "x"}}, "PUB-002"))


# ---- wording a rule may change


def test_a_rule_rewords_its_kinds_sentences(tmp_path: Path) -> None:
    report = model_report({"format": "2021", "year": 2023, "period": ["2023-01-01", "2023-11-30"]})
    before = audit(report, load_pack("2024"), select=["DATE-001"]).findings[0].message
    assert "统计期限为2023年1月1日至2023年11月30日" in before
    child = write(
        tmp_path,
        "pack: p\nextends: '2024'\nrules:\n  - id: DATE-001\n"
        "    params: {wording: {range: '报告所列统计期限（{period}）与年度不符'}}\n",
    )
    after = audit(report, load_pack(child), select=["DATE-001"]).findings[0].message
    assert "报告所列统计期限（2023年1月1日至2023年11月30日）与年度不符" in after


def test_rewording_with_a_placeholder_the_sentence_lacks_is_refused(tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "pack: p\nextends: '2024'\nrules:\n  - id: DATE-001\n    params: {wording: {range: '期限为{perod}'}}\n"
        "  - id: PUB-006\n    params: {wording: {unkown: 无}}\n",
    )
    problems = validate_file(child)
    assert any(
        "规则 DATE-001: params.wording.range: 此说法不提供占位符 {perod}，是否应为“period”？" in p for p in problems
    )
    assert any("规则 PUB-006: params.wording.unkown: 未知字段“unkown”，是否应为“unknown”？" in p for p in problems)
