"""DATE-002: without a title, the opening "N年，<organ>…" of part 一 witnesses the report year."""

from __future__ import annotations

from auditor.pipeline import AuditOptions, audit_report, parse_text
from tests.reportgen import make_report


def _without_title(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if "年度报告" not in line and "工作报告" not in line)


def _period_errors(text: str) -> list[str]:
    record = audit_report(parse_text(text), AuditOptions())
    return [f["rule"] for f in record["findings"] if f["category"] == "period" and f["severity"] == "error"]


def test_wrong_period_without_title_is_an_error() -> None:
    generated = make_report(5, layout="pipe", defect="wrong_period_year")
    assert "DATE-002" in _period_errors(_without_title(generated.text))


def test_right_period_without_title_is_fine() -> None:
    assert _period_errors(_without_title(make_report(5, layout="pipe").text)) == []


def test_a_period_named_but_unreadable_is_not_evaluated_not_missing() -> None:
    # A conversion scattered the period's dates over a table's cells; the words remain.
    text = make_report(5, layout="pipe").text
    stated = next(line for line in text.split("\n") if "统计期限" in line)
    scattered = text.replace(stated, "本报告中所列数据统计期限自 | 年 | 月 | 日起至 | 年 | 月 | 日止。")
    record = audit_report(parse_text(scattered), AuditOptions())
    assert "DATE-001" not in {f["rule"] for f in record["findings"]}
    reasons = [n["reason"] for n in record["not_evaluated"] if n["rule"] == "DATE-001"]
    assert reasons == ["报告提到数据统计期限，但未能读出其起止日期，需人工核对"]


def test_a_report_naming_no_period_at_all_is_told_so() -> None:
    text = make_report(5, layout="pipe").text
    stated = next(line for line in text.split("\n") if "统计期限" in line)
    record = audit_report(parse_text(text.replace(stated, "")), AuditOptions())
    assert [f["severity"] for f in record["findings"] if f["rule"] == "DATE-001"] == ["warning"]
