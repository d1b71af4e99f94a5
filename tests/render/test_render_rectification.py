"""整改清单 in Markdown and DOCX: a document an office sends as it is, read back and checked."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Mm

from auditor.pipeline import AuditOptions, audit_file
from auditor.render import RenderOptions
from auditor.render.formats import rectification_docx
from auditor.render.formats.rectification_md import render_text
from auditor.render.official import official_reference
from auditor.render.output import new_run_dir, write_outputs
from auditor.render.rectification import has_items, rectification
from tests.conftest import EXAMPLES, SEEDS, requires_seeds
from tests.render import render_records

RULE_ID = re.compile(r"(?<![A-Za-z])[A-Z]{2,}-\d{3}")
INTERNAL = ("未经核实", "检查实践", "DB51", "通行写法", "非格式明文要求", "第158行")
LOCATION_COL002 = "第三部分（收到和处理政府信息公开申请情况），行「（七）总计」，列「总计」"


def _docx_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([*(p.text for p in doc.paragraphs), *cells])


def test_items_are_numbered_errors_first_in_official_order(rec2019: dict[str, Any]) -> None:
    doc = rectification(rec2019)
    assert [(i.number, i.failure_type) for i in doc.items] == [
        (1, "不按时发布"),
        (2, "发布内容不准确"),
        (3, "发布内容不准确"),
        (4, "发布内容不全面"),
    ]  # the 提示 (info) finding is no item to correct


def test_description_adds_values_the_message_does_not_state(rec2019: dict[str, Any]) -> None:
    rec2019["findings"][1]["message"] = "三（七）总计与各办理结果之和不符"
    item = rectification(rec2019).items[1]
    assert item.description == "三（七）总计与各办理结果之和不符；表三 行「（七）总计」 列「总计」填报 46，应为 333。"
    assert rectification(render_records.record_2019()).items[1].description == (
        "三（七）总计【总计】应为各办理结果之和 333，实际填报 46。"
    )


def test_a_text_figure_is_never_shown_as_the_cells_printed_value(rec2019: dict[str, Any]) -> None:
    # TXT-001 compares a figure of the text (338) with the cell (46): it must not say "填报 338，应为 46".
    rec2019["findings"][1].update(
        rule="TXT-001", message="正文所述办结数与表三不一致", corrections=[], expected=46, actual=338
    )
    assert "应为 46" not in rectification(rec2019).items[1].description


def test_markdown_has_title_recipient_table_deadline_and_placeholders(rec2019: dict[str, Any]) -> None:
    lines = render_text(rec2019, RenderOptions(deadline_days=10)).splitlines()
    assert lines[0] == "# 岳阳市人民政府2020年度政府信息公开工作年度报告整改清单"
    assert lines[2] == "岳阳市人民政府："
    assert "| 序号 | 问题类型 | 问题描述 | 位置 | 整改要求 | 依据 |" in lines
    row = next(line for line in lines if line.startswith("| 2 |"))
    assert row == (
        "| 2 | 发布内容不准确 | 三（七）总计【总计】应为各办理结果之和 333，实际填报 46。 | "
        f"{LOCATION_COL002} | 核对三（一）至（六）各项办理结果，更正三（七）总计。 | "
        "国办公开办函〔2019〕60号 表三勾稽关系 |"
    )
    assert any("10日内完成整改" in line for line in lines)
    assert "（发文单位）" in "\n".join(lines) and "××××年××月××日" in lines


def test_markdown_escapes_report_text(rec_script: dict[str, Any]) -> None:
    text = render_text(rec_script)
    assert '\\<script\\>alert("finding")\\</script\\>数据有误' in text


def test_clean_unauditable_and_advice_only_reports_get_no_list(rec2019: dict[str, Any], tmp_path: Path) -> None:
    advice_only = {**rec2019, "findings": [f for f in rec2019["findings"] if f["severity"] == "info"]}
    unauditable = {**rec2019, "verdict": {"status": "unauditable", "label": "无法审计（需人工核对）", "reason": "x"}}
    assert has_items(rec2019)
    assert not has_items(advice_only) and not has_items(unauditable)
    run = new_run_dir(tmp_path)
    write_outputs([advice_only, rec2019], run)
    names = sorted(p.name for p in (run / "reports").iterdir())
    assert [n for n in names if "整改清单" in n] == [
        f"{Path(rec2019['source']['path']).stem}-2-整改清单.docx",
        f"{Path(rec2019['source']['path']).stem}-2-整改清单.md",
    ]


def test_unverified_rules_and_parse_notes_never_appear_as_items(rec2019: dict[str, Any]) -> None:
    rec2019["findings"][3]["reference"] = "《条例》第五十条第（四）项；检查实践（30号原文表述未经核实）"
    rec2019["findings"][3]["severity"] = "error"
    rec2019["findings"].append({**rec2019["findings"][1], "rule": "PARSE-002", "category": "parse", "corrections": []})
    kinds = [i.failure_type for i in rectification(rec2019).items]
    assert kinds == ["不按时发布", "发布内容不准确", "发布内容不准确"]


def test_references_cite_the_reports_own_format_without_internal_notes() -> None:
    cite = "国办公开办函〔2021〕30号 年度报告格式 三（勾稽关系）"
    assert official_reference(cite, "2019") == "国办公开办函〔2019〕60号 年度报告格式 三"
    assert official_reference(cite, "2021") == cite
    hedged = "《条例》第五十条第（四）项（“改进情况”）；检查实践（30号原文表述未经核实）"
    assert official_reference(hedged, "2021") == "《中华人民共和国政府信息公开条例》第五十条第（四）项（“改进情况”）"
    assert "DB51" not in official_reference("DB51/T 2660—2019 2.1；年度报告通行写法", "2021")


def test_docx_is_an_a4_portrait_official_document(rec2019: dict[str, Any]) -> None:
    data = rectification_docx.render(rec2019, RenderOptions(deadline_days=20))
    doc = Document(BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    paragraphs = [p.text for p in doc.paragraphs if p.text]
    assert paragraphs[0] == "岳阳市人民政府2020年度政府信息公开工作年度报告整改清单"
    assert paragraphs[1] == "岳阳市人民政府："
    assert any("20日内完成整改" in p for p in paragraphs)
    assert paragraphs[-2:] == ["（发文单位）", "××××年××月××日"]
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.font.color.rgb is None  # no theme-blue Title style
    assert title_run._r.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "方正小标宋简体"
    )
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["序号", "问题类型", "问题描述", "位置", "整改要求", "依据"]
    widths = [c.width for c in table.rows[0].cells]
    assert widths[0] == min(widths) and widths[2] == max(widths) and sum(widths) <= Mm(157)
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer  # page numbers


def test_docx_keeps_hostile_text_as_text(rec_script: dict[str, Any]) -> None:
    rec_script["findings"][0]["message"] += "\x07\x1b"  # control characters XML cannot hold
    doc = Document(BytesIO(rectification_docx.render(rec_script)))
    assert doc.paragraphs[2].text.startswith(render_records.SCRIPT_AGENCY)
    assert doc.tables[0].rows[1].cells[2].text.startswith(render_records.SCRIPT_MESSAGE)


def test_alternative_corrections_are_offered_as_a_choice(rec2021: dict[str, Any]) -> None:
    finding = rec2021["findings"][0]
    finding.update(message="四、行政复议各结果之和与总计不符", alternatives=True, severity="error", category="identity")
    finding["corrections"] = [
        {"cell": "appeals.review.total", "actual": 3, "expected": 4},
        {"cell": "appeals.review.other", "actual": 1, "expected": 0},
    ]
    item = next(i for i in rectification(rec2021).items if i.description.startswith("四、行政复议"))
    assert item.description == (
        "四、行政复议各结果之和与总计不符；以下任一处更正即可："
        "表四 行「行政复议」 列「总计」填报 3，应为 4，或表四 行「行政复议」 列「其他结果」填报 1，应为 0。"
    )


def _no_ids_or_notes(text: str) -> None:
    assert not RULE_ID.search(text), RULE_ID.search(text)
    for note in INTERNAL:
        assert note not in text


@requires_seeds
def test_seed_000_list_is_ready_to_send() -> None:
    record = audit_file(SEEDS / "000_97623f781dbd24e0.txt", AuditOptions())
    text = _docx_text(rectification_docx.render(record))
    _no_ids_or_notes(text)
    assert "〔2021〕30号" not in text  # a 2019-format report is held to 60号
    assert "由 46 更正为 333" in text and text.count("更正为 333") == 1


def test_dongling_list_is_ready_to_send() -> None:
    record = audit_file(EXAMPLES / "2023_dongling_county_wrong_total_tab.txt", AuditOptions())
    text = _docx_text(rectification_docx.render(record))
    _no_ids_or_notes(text)
    assert "东岭县人民政府：" in text and "由 126 更正为 123" in text
    # COL-001, COL-002 and ROW-001 blame the same cell with the same correction: one item.
    items = rectification(record).items
    assert sum("126" in i.description and "123" in i.description for i in items) == 1
    (merged,) = [f for f in record["findings"] if f["evidence"]]
    assert {e["rule"] for e in merged["evidence"]} >= {"COL-001", "COL-002"}


def test_every_example_list_is_free_of_ids_and_notes() -> None:
    for path in sorted(EXAMPLES.glob("*.txt")):
        record = audit_file(path, AuditOptions())
        if has_items(record):
            _no_ids_or_notes(render_text(record))
