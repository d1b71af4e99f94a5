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
