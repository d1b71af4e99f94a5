"""Tables and rows the text lacks (TBL-001/004/005/008): "not evaluated" where the text
shows that something was there but not read (a row label printed without its values, a
part heading with nothing under it), an error where it was never printed."""

from __future__ import annotations

from pathlib import Path

from auditor.findings import audit
from auditor.pipeline import parse_bytes
from auditor.rules.loader import pack_for
from tests.reportgen import make_report

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


def _without_tables(text: str, keep_prose: bool) -> str:
    """The report as a crawler that keeps no tables saves it: every pipe-table line gone,
    and (unless ``keep_prose``) every other line of parts 二 to 四 too."""
    out, part = [], 0
    for line in text.split("\n"):
        for number, numeral in enumerate("一二三四五六", 1):
            if line.startswith(f"{numeral}、"):
                part = number
        if line.startswith("|") or (not keep_prose and part in (2, 3, 4) and line.strip() and line[1] != "、"):
            continue
        out.append(line)
    return "\n".join(out)


def test_tables_under_part_headings_with_nothing_under_them_are_not_evaluated() -> None:
    # ``二、主动公开政府信息情况`` / ``三、收到和处理政府信息公开申请情况`` / ``四、…``, one heading
    # right after the other: what stood under them was lost on the way, not left out.
    generated = make_report(3, fmt="2021", year=2023, layout="markdown", label_noise=False)
    report = parse_bytes(_without_tables(generated.text, keep_prose=False).encode("utf-8"), "crawled.txt")
    result = audit(report, pack_for(report))
    assert not [f for f in result.findings if f.rule in ("TBL-001", "TBL-004", "TBL-008")]
    reasons = {n.rule: n.reason for n in result.not_evaluated if n.rule in ("TBL-001", "TBL-004", "TBL-008")}
    assert set(reasons) == {"TBL-001", "TBL-004", "TBL-008"}
    assert "空无一字" in reasons["TBL-004"] and "空无一字" in reasons["TBL-008"]  # 表二's labels are in the prose


def test_a_table_missing_from_a_part_that_prints_prose_is_still_missing() -> None:
    generated = make_report(3, fmt="2021", year=2023, layout="markdown", label_noise=False)
    text = _without_tables(generated.text, keep_prose=True)
    text = text.replace(
        "三、收到和处理政府信息公开申请情况",
        "三、收到和处理政府信息公开申请情况\n本年度共收到申请若干件，均已按期答复。",
    )
    report = parse_bytes(text.encode("utf-8"), "crawled.txt")
    assert "TBL-004" in {f.rule for f in audit(report, pack_for(report)).findings}
