"""复核 and review decisions through the store: 已整改 / 仍存在 / 新增, dismissed items, fingerprints."""

from __future__ import annotations

import shutil
from pathlib import Path

from auditor.cli import app
from auditor.findings.records import record_errors
from auditor.render.rectification import rectification, to_correct
from tests.store.conftest import DONGLING_2023, audit_json, by_rule, corrected, runner


def test_fingerprints_do_not_move_with_line_numbers(tmp_path: Path) -> None:
    original = audit_json(DONGLING_2023, db=tmp_path / "a.db")
    shifted = tmp_path / DONGLING_2023.name
    shifted.write_text("\n\n\n" + DONGLING_2023.read_text(encoding="utf-8"), encoding="utf-8")
    moved = audit_json(shifted, db=tmp_path / "b.db")
    assert [f["line"] for f in moved["findings"]] != [f["line"] for f in original["findings"]]
    assert [f["fingerprint"] for f in moved["findings"]] == [f["fingerprint"] for f in original["findings"]]


def test_reaudit_marks_fixed_persisting_and_new(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    first = audit_json(DONGLING_2023, db=db)
    assert first["recheck"] is None and first["run"] == 1
    assert by_rule(first)["COL-001"]["recheck"] is None
    second = audit_json(corrected(tmp_path), db=db)
    assert record_errors(second) == []
    rules = by_rule(second)
    assert "COL-001" not in rules
    assert [x["rule"] for x in second["recheck"]["fixed"]] == ["COL-001"]
    assert second["recheck"]["fixed"][0]["fingerprint"] == by_rule(first)["COL-001"]["fingerprint"]
    assert rules["TXT-001"]["recheck"] == "new"  # the text's 126 no longer matches the corrected table
    assert rules["RECT-001"]["recheck"] == "persisting"
    assert second["recheck"]["against"]["run"] == 1
    doc = rectification(second)
    assert doc.title.endswith("复核意见") and "已整改1个" in doc.opening
    assert doc.items[0].description.startswith("【新增】")


def test_dismissed_item_stays_dismissed_and_costs_nothing(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    report = corrected(tmp_path)
    before = audit_json(report, db=db)
    target = by_rule(before)["TXT-001"]
    assert target["deduction"] > 0 and target["review"] is None
    result = runner.invoke(
        app,
        ["review", target["fingerprint"], "--dismiss", "--reason", "经核实不属问题", "--by", "张三", "--db", str(db)],
    )
    assert result.exit_code == 0, result.output
    for _ in range(2):  # survives two later runs
        after = audit_json(report, db=db)
        waived = by_rule(after)["TXT-001"]
        assert waived["review"]["decision"] == "dismissed" and waived["review"]["by"] == "张三"
        assert waived["deduction"] == 0
        assert after["score"] == before["score"] + target["deduction"]
        assert waived["fingerprint"] not in {f["fingerprint"] for f in to_correct(after)}
        assert record_errors(after) == []
    confirm = runner.invoke(
        app, ["review", target["fingerprint"], "--confirm", "--reason", "复查确属问题", "--by", "李四", "--db", str(db)]
    )
    assert confirm.exit_code == 0, confirm.output
    again = audit_json(report, db=db)
    assert by_rule(again)["TXT-001"]["review"]["label"] == "已确认" and again["score"] == before["score"]


def test_bulk_decisions_from_yaml_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    record = audit_json(DONGLING_2023, db=db)
    fps = [f["fingerprint"] for f in record["findings"]]
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"decisions:\n  - {{fingerprint: {fps[0]}, decision: dismiss, reason: r, by: b}}\n"
        "  - {fingerprint: 000000000000, decision: dismiss, reason: r, by: b}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["review", "--file", str(bad), "--db", str(db)])
    assert result.exit_code == 2 and "000000000000" in result.output and "Traceback" not in result.output
    good = tmp_path / "good.yaml"
    good.write_text(
        "".join(f"- fingerprint: {fp}\n  decision: confirm\n  reason: 已通知整改\n  by: 王五\n" for fp in fps),
        encoding="utf-8",
    )
    assert runner.invoke(app, ["review", "--file", str(good), "--db", str(db)]).exit_code == 0
    after = audit_json(DONGLING_2023, db=db)
    assert all(f["review"]["decision"] == "confirmed" for f in after["findings"])
    missing_reason = runner.invoke(app, ["review", fps[0], "--dismiss", "--by", "x", "--db", str(db)])
    assert missing_reason.exit_code == 2 and "理由" in missing_reason.output


def test_history_and_export(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    audit_json(DONGLING_2023, db=db)
    audit_json(corrected(tmp_path), db=db)
    shown = runner.invoke(app, ["history", "东岭县", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "东岭县人民政府 2023年度" in shown.output and "已整改  COL-001" in shown.output
    assert "新增  TXT-001" in shown.output and "（首次审计）" in shown.output
    csv_out = runner.invoke(app, ["export", "--format", "csv", "--db", str(db)])
    header, row = csv_out.stdout.splitlines()
    assert header.startswith("单位,年度,审计次数") and row.startswith("东岭县人民政府,2023,2,2,")
    assert row.split(",")[10] == "1"  # 已整改
    xlsx = tmp_path / "x.xlsx"
    assert runner.invoke(app, ["export", "--format", "xlsx", "-o", str(xlsx), "--db", str(db)]).exit_code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet["A2"].value == "东岭县人民政府" and sheet["C2"].value == 2
    again = runner.invoke(app, ["export", "--format", "xlsx", "-o", str(xlsx), "--db", str(db)])
    assert again.exit_code == 2 and "不会覆盖" in again.output


def test_no_db_and_no_out_leave_no_database(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.chdir(tmp_path)
    shutil.copy(DONGLING_2023, tmp_path / "r.txt")
    assert runner.invoke(app, ["r.txt", "--no-out", "--fail-on", "never"]).exit_code == 0
    assert runner.invoke(app, ["r.txt", "--no-db", "--fail-on", "never", "-q"]).exit_code == 0
    assert not (tmp_path / "reports_out" / "audit.db").exists()
    assert runner.invoke(app, ["r.txt", "--fail-on", "never", "-q"]).exit_code == 0
    assert (tmp_path / "reports_out" / "audit.db").is_file()


def test_partial_check_is_not_compared(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    audit_json(DONGLING_2023, db=db)
    partial = audit_json(corrected(tmp_path), db=db, extra=("--select", "COL"))
    assert partial["recheck"] is None  # the rules it did not run would all look 已整改
    full = audit_json(corrected(tmp_path), db=db)
    assert full["recheck"]["against"]["run"] == 1  # compared with the last full audit, not the partial one


def test_pages_index_and_summary_show_statuses(tmp_path: Path) -> None:
    from auditor.render.formats import index_html, report_html
    from auditor.render.kinds import ReportEntry
    from auditor.render.output import batch_summary_lines

    db = tmp_path / "audit.db"
    audit_json(DONGLING_2023, db=db)
    report = corrected(tmp_path)
    fp = by_rule(audit_json(report, db=db))["TXT-001"]["fingerprint"]
    decision = ["--dismiss", "--reason", "经核实不属问题", "--by", "张三", "--db", str(db)]
    assert runner.invoke(app, ["review", fp, *decision]).exit_code == 0
    record = audit_json(report, db=db)
    page = report_html.render_text(record)
    assert f'class="finding dismissed" data-severity="warning" data-fingerprint="{fp}"' in page
    assert "已核实-不属问题（张三" in page and "已整改" in page and "对照第 2 次运行" in page
    assert '<span class="mark">仍存在</span>' in page
    index = index_html.render_text([ReportEntry(record, {})])
    assert "复核：新增 0，仍存在 2，已整改 0；已核实-不属问题 1" in index
    lines = batch_summary_lines([record])
    assert any(line.startswith("复核：1 份报告曾审计过") for line in lines)
    assert any(line.startswith("已核实-不属问题 1 项") for line in lines)


def test_summary_workbook_lists_statuses_and_fingerprints(tmp_path: Path) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from auditor.render.formats import summary_xlsx
    from auditor.render.kinds import ReportEntry

    db = tmp_path / "audit.db"
    audit_json(DONGLING_2023, db=db)
    record = audit_json(corrected(tmp_path), db=db)
    book = load_workbook(BytesIO(summary_xlsx.render([ReportEntry(record, {})])))
    rows = list(book[summary_xlsx.FINDING_SHEET].iter_rows(values_only=True))
    header = rows[0]
    status = {row[header.index("规则")]: row[header.index("复核")] for row in rows[1:]}
    assert status == {"TXT-001": "新增", "RECT-001": "仍存在"}
    assert {row[header.index("问题指纹")] for row in rows[1:]} == {f["fingerprint"] for f in record["findings"]}


def test_broken_decision_files_give_one_line(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    audit_json(DONGLING_2023, db=db)
    for text in (":\n  - [", "decisions: 5\n", "- {fingerprint: abc, decision: dismiss, reason: r, by: b}\n"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["review", "--file", str(bad), "--db", str(db)])
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
