"""Verdicts: only an annual report is scored; 无法审计 says why; a filtered run gives no band."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.findings.score import summary
from auditor.findings.types import Finding
from auditor.findings.verdict import UNAUDITABLE, unauditable_problem, verdict_for
from auditor.model.types import Problem
from auditor.pipeline import AuditOptions, audit_file, audit_report, parse_text
from auditor.rules.loader import load_pack
from tests.conftest import EXAMPLES

runner = CliRunner()
LATE = EXAMPLES / "2021_qingquan_transport_late_paragraph.txt"
CLEAN = EXAMPLES / "2023_qingchuan_county_pipe.txt"

NOTICE = """关于召开2024年第一季度安全生产工作会议的通知

各乡镇人民政府、县直各单位：
为贯彻落实上级有关安全生产工作部署，经研究，决定召开2024年第一季度安全生产工作会议。现将有关事项通知如下：
一、会议时间
2024年3月15日上午9时。
二、会议地点
县政府三楼会议室。
三、参会人员
各乡镇分管负责同志，县直各单位主要负责同志。

某某县人民政府办公室
2024年3月10日
"""


def _unscored(record: dict[str, object]) -> None:
    verdict = record["verdict"]
    assert isinstance(verdict, dict)
    assert verdict["status"] == "unauditable" and verdict["label"].startswith("无法审计")
    assert verdict["reason"]
    assert record["score"] is None and record["band"] is None


def test_meeting_notice_is_not_scored(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    record = audit_file(path, AuditOptions())
    _unscored(record)
    assert "不是政府信息公开工作年度报告" in record["verdict"]["reason"]  # type: ignore[index]
    assert record["findings"] == []


def test_three_byte_pdf_and_empty_file_are_not_scored(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"abc")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path in (pdf, empty):
        _unscored(audit_file(path, AuditOptions()))


def test_terminal_json_and_exit_code_show_the_verdict(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    table = runner.invoke(app, [str(path), "--no-out"])
    assert table.exit_code == 1  # not audited is no pass
    assert "无法审计" in table.output and "合格" not in table.output
    doc = json.loads(runner.invoke(app, [str(path), "--no-out", "-f", "json"]).stdout)
    _unscored(doc["reports"][0])


@pytest.mark.parametrize("drop", ["parts", "tables"])
def test_a_real_report_missing_parts_or_tables_is_still_a_report(drop: str) -> None:
    text = CLEAN.read_text(encoding="utf-8")
    lines = text.splitlines()
    if drop == "parts":  # keep the title and part 一 only
        cut = next(i for i, line in enumerate(lines) if line.startswith("二、"))
        kept = lines[:cut]
    else:  # every table line gone: a report flattened beyond reading
        kept = [line for line in lines if "|" not in line]
    report = parse_text("\n".join(kept), "r.txt")
    problem = unauditable_problem(report)
    assert problem is None or problem.code != "not_report"
    assert verdict_for(report).status == "scored"


def test_title_alone_makes_a_report_but_no_format_is_unauditable() -> None:
    report = parse_text("某县人民政府2022年政府信息公开工作年度报告\n\n全文见附件。\n", "r.txt")
    problem = unauditable_problem(report)
    assert problem is not None and problem.code == "format_unknown"


def test_a_report_before_the_formats_is_not_audited_against_them() -> None:
    report = parse_text("平潭综合实验区2018年度政府信息公开工作年度报告\n\n2018年，我区认真贯彻落实条例。\n", "r.txt")
    verdict = verdict_for(report)
    assert verdict.status == "unauditable" and "2018" in verdict.reason


def test_every_catalogued_problem_code_makes_a_report_unauditable() -> None:
    good = parse_text(CLEAN.read_text(encoding="utf-8"), "r.txt")
    for code in UNAUDITABLE:
        report = type(good)(
            source=good.source,
            meta=good.meta,
            sections=good.sections,
            cells=good.cells,
            tables=good.tables,
            problems=(*good.problems, Problem(code, "细节", None, "error")),
            lines=good.lines,
        )
        record = audit_report(report, AuditOptions())
        _unscored(record)
        assert UNAUDITABLE[code] in record["verdict"]["reason"]


def test_caps_never_lift_a_structure_failure_into_a_pass() -> None:
    pack = load_pack("2024")
    findings = [
        Finding(f"SEC-00{i}", "x", "error", "structure", "发布内容不全面", "缺少", deduction=5.0, instance=str(i))
        for i in range(9)
    ]
    value, band, _, lines = summary(findings, pack.scoring, {})
    assert value == 55 and band == "不合格"
    assert all(d.points > 0 for d in lines)


def test_caps_still_bound_other_categories() -> None:
    pack = load_pack("2024")
    findings = [
        Finding("VAL-001", "x", "error", "value", "发布内容不准确", "负数", deduction=5.0, instance=str(i))
        for i in range(9)
    ]
    value, _, _, _ = summary(findings, pack.scoring, {})
    assert value == 100 - pack.scoring.caps["value"]


def test_filtered_run_is_partial_and_shows_no_band() -> None:
    result = runner.invoke(app, [str(LATE), "--no-out", "-f", "json", "--select", "COL,ROW"])
    record = json.loads(result.stdout)["reports"][0]
    assert record["verdict"]["status"] == "partial" and record["band"] is None
    table = runner.invoke(app, [str(LATE), "--no-out", "--select", "COL,ROW"]).output
    assert "部分检查" in table and "优秀" not in table
    full = json.loads(runner.invoke(app, [str(LATE), "--no-out", "-f", "json"]).stdout)["reports"][0]
    assert full["verdict"]["status"] == "scored" and full["band"]


@pytest.mark.parametrize("token", ["FOO-999", "XYZ", "idnetity"])
def test_unknown_selectors_are_a_usage_error(token: str) -> None:
    for option in ("--select", "--ignore"):
        result = runner.invoke(app, [str(CLEAN), "--no-out", option, token])
        assert result.exit_code == 2
        assert token in result.output
    assert "identity" in runner.invoke(app, [str(CLEAN), "--no-out", "--select", "idnetity"]).output


@pytest.mark.parametrize("token", ["col", "Col-00", "勾稽关系", "IDENTITY"])
def test_selectors_are_case_insensitive_and_accept_chinese_categories(token: str) -> None:
    wrong = EXAMPLES / "2023_dongling_county_wrong_total_tab.txt"
    result = runner.invoke(app, [str(wrong), "--no-out", "-f", "json", "--select", token, "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    rules = {f["rule"] for f in json.loads(result.stdout)["reports"][0]["findings"]}
    assert rules and all(r.startswith(("COL", "ROW")) for r in rules)


def test_every_record_follows_the_audit_record_schema(tmp_path: Path) -> None:
    from auditor.findings.records import record_errors
    from auditor.pipeline import audit_files

    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "a.pdf").write_bytes(b"abc")
    paths = [*sorted(EXAMPLES.glob("*.txt")), notice, tmp_path / "empty.txt", tmp_path / "a.pdf"]
    for options in (AuditOptions(), AuditOptions(select=("COL",))):
        for record in audit_files(paths, options, jobs=1):
            assert record_errors(record) == [], record["source"]["path"]
    broken = {**audit_file(notice, AuditOptions()), "score": 70.0}
    assert any("score" in e for e in record_errors(broken))  # unauditable with a score is refused
