"""Loading packs: bundled names, extends/merge, and one clear message per broken file."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import RuleFileError
from auditor.model.types import Meta, Report, Source
from auditor.rules.loader import bundled_packs, load_pack, pack_for, validate_file

RULE = """
  - id: COL-901
    name: test.rule
    severity: error
    category: identity
    message: 测试 {lhs} {rhs}
    remediation: 核对。
    reference: 测试
    deduction: 1
    check: identity
    params: {expr: "%s"}
"""


def write(tmp_path: Path, body: str, name: str = "x.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def pack(rules: str, extends: str | None = None) -> str:
    head = "pack: test\n" + (f"extends: {extends}\n" if extends else "") + "rules:\n"
    return head + rules


def error_of(path: Path) -> str:
    with pytest.raises(RuleFileError) as info:
        load_pack(path)
    return str(info.value)


def test_bundled_packs_load_and_validate() -> None:
    assert {"base", "2020", "2024"} <= set(bundled_packs())
    for name in bundled_packs():
        assert validate_file(Path("rules") / f"{name}.yaml") == [] or load_pack(name)
        assert load_pack(name).rules


def test_expression_error_names_file_rule_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, pack(RULE % "a.b.c = + + a.b.d"))
    message = error_of(path)
    assert message.startswith("规则文件有误：")
    assert f"{path.name}:13:20: 规则 COL-901: params.expr: 表达式第 11 列有多余的“+”" in message


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    path = write(tmp_path, "pack: test\nrules: [\n  - id: X\n")
    assert f"{path.name}:3:3: YAML 语法错误" in error_of(path)


def test_unknown_check_kind(tmp_path: Path) -> None:
    path = write(tmp_path, pack((RULE % "a").replace("check: identity", "check: magic")))
    assert "规则 COL-901: check: 取值“magic”无效" in error_of(path)


def test_duplicate_ids(tmp_path: Path) -> None:
    body = RULE % "requests.received.total = requests.received.total"
    path = write(tmp_path, pack(body + body))
    assert "规则 COL-901: id: 规则编号重复" in error_of(path)


def test_unknown_cell_key_is_linted(tmp_path: Path) -> None:
    path = write(tmp_path, pack(RULE % "requests.received.totl = requests.received.total"))
    assert "没有单元格键 requests.received.totl，是否应为“requests.received.total”？" in error_of(path)


def test_params_validated_by_kind_schema(tmp_path: Path) -> None:
    body = (RULE % "x").replace('params: {expr: "x"}', "params: {expr: a = b, bogus: 1}")
    path = write(tmp_path, pack(body))
    assert "规则 COL-901: params.bogus: 未知字段“bogus”" in error_of(path)


def test_unknown_placeholder_and_empty_message(tmp_path: Path) -> None:
    ok = RULE % "requests.received.total = requests.received.total"
    path = write(tmp_path, pack(ok.replace("测试 {lhs} {rhs}", "'值 {report.__class__}'")))
    assert "规则 COL-901: message: 检查类型 identity 不提供占位符 {report.__class__}" in error_of(path)
    path = write(tmp_path, pack(ok.replace("测试 {lhs} {rhs}", "' '")))
    assert "message: 不能为空" in " ".join(validate_file(path))


def test_schema_errors_sorted_and_named(tmp_path: Path) -> None:
    path = write(tmp_path, pack("  - id: COL-902\n    severity: fatal\n"))
    problems = validate_file(path)
    assert problems
    assert problems[0].endswith("规则 COL-902: severity: 取值“fatal”无效（可选：error、warning、info）")


def test_extends_overrides_and_disables(tmp_path: Path) -> None:
    child = (
        "pack: child\nextends: 2024\nscoring: {caps: {identity: 10}}\nrules:\n"
        "  - id: PUB-001\n    params: {deadline: '01-20'}\n    severity: warning\n"
        "  - id: SEC-003\n    disabled: true\n"
    )
    loaded = load_pack(write(tmp_path, child))
    assert loaded.rule("PUB-001").params["deadline"] == "01-20"
    assert loaded.rule("PUB-001").severity == "warning"
    assert loaded.scoring.caps["identity"] == 10
    assert loaded.scoring.caps["structure"] == 30
    with pytest.raises(KeyError):
        loaded.rule("SEC-003")
    assert loaded.chain[-1].endswith("x.yaml")


def test_pack_for_by_year_then_format() -> None:
    def report(**meta: object) -> Report:
        return Report(Source("x", "0", None), Meta(**meta))  # type: ignore[arg-type]

    assert pack_for(report(year=2022)).name == "2024"
    assert pack_for(report(year=2020)).name == "2020"
    assert pack_for(report(format="2019")).name == "2020"
    assert pack_for(report()).name == "2024"


def test_misspelt_named_set_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    body = (RULE % "requests.received.{col} = requests.carried_in.{col}").replace(
        "    params: {", '    params: {foreach: {col: "@requests.colums"}, '
    )
    path = write(tmp_path, pack(body))
    problems = validate_file(path)
    hint = "没有命名集合 @requests.colums，是否应为“@requests.columns”？"
    assert any(f"规则 COL-901: params.foreach.col: {hint}" in p for p in problems)
    assert "没有命名集合" in error_of(path)


def test_foreach_identities_without_a_format_are_not_evaluated() -> None:
    """A pack without ``formats`` on a report whose tables were not recognised: no crash."""
    from auditor.findings import audit
    from auditor.rule_fixtures import model_report

    result = audit(model_report({"year": 2023}), load_pack("base"), select=["ROW", "COL"], strict=True)
    assert not result.findings
    reasons = {(n.rule, n.reason) for n in result.not_evaluated}
    assert ("COL-001", "未能识别报告的表格格式（2019年版或2021年版），未作逐项核验") in reasons
    assert ("ROW-003", "表格或行缺失") in reasons
