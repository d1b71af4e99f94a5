"""One root cause, one item: same corrections merge, blanks are 空白 grouped per table,
and the page never shows a text figure as a cell's expected value."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from auditor.pipeline import AuditOptions, audit_file
from auditor.render import get_renderer
from auditor.render.kinds import ReportRenderer
from tests.conftest import EXAMPLES, SEEDS, requires_seeds

SEED_000 = SEEDS / "000_97623f781dbd24e0.txt"
RESULTS_TOTAL = "requests.results_total.total"


def _page(record: dict[str, object]) -> lxml.html.HtmlElement:
    renderer = get_renderer("html")
    assert isinstance(renderer, ReportRenderer)
    return lxml.html.fromstring(renderer.render(record))


@requires_seeds
def test_seed_000_has_one_item_for_the_wrong_total_with_both_identities() -> None:
    record = audit_file(SEED_000, AuditOptions())
    items = [f for f in record["findings"] if any(c["cell"] == RESULTS_TOTAL for c in f["corrections"])]
    assert len(items) == 1
    item = items[0]
    assert [(c["actual"], c["expected"]) for c in item["corrections"]] == [(46, 333)]
    assert {e["rule"] for e in item["evidence"]} == {"COL-001", "COL-002"}
    identity_lines = [d for d in record["deductions"] if d["category"] == "identity"]
    assert sum(d["points"] for d in identity_lines) == item["deduction"]


@requires_seeds
def test_seed_000_page_shows_the_corrected_value_not_the_printed_one() -> None:
    record = audit_file(SEED_000, AuditOptions())
    cell = _page(record).get_element_by_id(f"cell-{RESULTS_TOTAL}")
    expected = cell.find_class("exp")
    assert expected and expected[0].text_content().strip() == "应为 333"


def _blank_totals(tmp_path: Path) -> Path:
    """A clean tab report with the 总计 of several table-三 rows left blank."""
    lines = (EXAMPLES / "2021_liuchuan_district_tab.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("本年新收"))
    blanked = 0
    for i in range(start, len(lines)):
        if lines[i].startswith("四、结转"):
            break
        if re.search(r"\t[1-9]\d*$", lines[i]):
            lines[i] = re.sub(r"\t\d+$", "\t", lines[i])
            blanked += 1
    assert blanked >= 4
    path = tmp_path / "blank.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_blank_totals_are_one_item_per_table_named_blank(tmp_path: Path) -> None:
    record = audit_file(_blank_totals(tmp_path), AuditOptions())
    errors = [f for f in record["findings"] if f["severity"] == "error"]
    assert len(errors) == 1, [f["message"] for f in errors]
    item = errors[0]
    assert "空白" in item["message"] and len(item["corrections"]) >= 4
    assert all(c["actual"] == "空白" for c in item["corrections"])
    assert {"ROW-001", "ROW-002"} <= {e["rule"] for e in item["evidence"]}
    for f in record["findings"]:
        for e in f["evidence"] or [f]:
            assert not re.search(r"总计 0(?!\d)", e["message"]), e["message"]


def test_identity_message_names_a_blank_total(tmp_path: Path) -> None:
    record = audit_file(_blank_totals(tmp_path), AuditOptions())
    row_messages = [e["message"] for f in record["findings"] for e in f["evidence"] if e["rule"] == "ROW-001"]
    assert row_messages and all("与总计 空白 不一致" in m for m in row_messages)
