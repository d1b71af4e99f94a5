"""TBL-005 (rows of table 三 missing) says "not evaluated" for a row whose label the text
prints but whose values the reader could not attach, and names the row."""

from __future__ import annotations

from pathlib import Path

from auditor.findings import audit
from auditor.pipeline import parse_bytes
from auditor.rules.loader import pack_for

REPORT = Path(__file__).parent / "fixtures" / "reports" / "altered_labels.txt"
ROW = "\t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0\n"


def test_a_row_label_wrapped_around_its_values_is_printed_not_missing() -> None:
    # A PDF-to-text tool wrapped the label over three lines of its narrow cell and glued the
    # row's values to the first piece: no line holds the label, the lines together do.
    text = REPORT.read_text(encoding="utf-8").replace(ROW, "2.其他法律0 0 0 0 0 0 0\n行政法规禁\n止公开\n")
    report = parse_bytes(text.encode("utf-8"), "wrapped.txt")
    result = audit(report, pack_for(report))
    assert not [f for f in result.findings if f.rule == "TBL-005"]
    reasons = [n.reason for n in result.not_evaluated if n.rule == "TBL-005"]
    assert reasons == ["正文印有（三）不予公开·2.其他法律行政法规禁止公开，但未能读取其数值，需人工核对"]


def test_a_row_dropped_from_the_text_is_still_missing() -> None:
    text = REPORT.read_text(encoding="utf-8").replace(ROW, "")
    report = parse_bytes(text.encode("utf-8"), "dropped.txt")
    found = [f for f in audit(report, pack_for(report)).findings if f.rule == "TBL-005"]
    assert found and "2.其他法律行政法规禁止公开" in found[0].message
