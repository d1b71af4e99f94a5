"""整改清单 in Markdown and DOCX, read back and checked field by field."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from docx import Document

from auditor.render.formats import rectification_docx
from auditor.render.formats.rectification_md import render_text
from auditor.render.rectification import ADVICE, rectification
from tests.render import render_records

LOCATION_COL002 = "第三部分（收到和处理政府信息公开申请情况），行「（七）总计」，列「总计」，第158行"


def test_items_are_grouped_by_official_failure_type_and_numbered_across_groups(rec2019: dict[str, Any]) -> None:
    doc = rectification(rec2019)
    # The fixture's 内容雷同 finding is only a 提示: advice closes the list, after what must be fixed.
    assert [g.failure_type for g in doc.groups] == ["不按时发布", "发布内容不准确", "发布内容不全面", ADVICE]
    assert [i.number for g in doc.groups for i in g.items] == [1, 2, 3, 4, 5]
    assert [i.rule for g in doc.groups for i in g.items] == ["PUB-001", "COL-002", "VAL-006", "SEC-004", "YOY-004"]
    assert doc.groups[1].heading == "二、发布内容不准确（2项）"


def test_description_adds_values_the_message_does_not_state(rec2019: dict[str, Any]) -> None:
    rec2019["findings"][1]["message"] = "三（七）总计与各办理结果之和不符"
    item = rectification(rec2019).groups[1].items[0]
    assert item.description == "三（七）总计与各办理结果之和不符；表三 行「（七）总计」 列「总计」填报 46，应为 333"
    # Already stated values are not repeated.
    assert rectification(render_records.record_2019()).groups[1].items[0].description == (
        "三（七）总计【总计】应为各办理结果之和 333，实际填报 46"
    )


def test_markdown_lists_header_and_items(rec2019: dict[str, Any]) -> None:
    text = render_text(rec2019)
    lines = text.splitlines()
    assert lines[0] == "# 岳阳市人民政府2020年政府信息公开工作年度报告整改清单"
    assert "- **单位**：岳阳市人民政府" in lines
    assert "- **报告年度**：2020年" in lines
    assert "- **得分/等级**：80.5分（良好）" in lines
    assert "- **问题数量**：共5项（错误2项、警告2项、提示1项）" in lines
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [
        "## 一、不按时发布（1项）",
        "## 二、发布内容不准确（2项）",
        "## 三、发布内容不全面（1项）",
        f"## 四、{ADVICE}（1项）",
    ]
    item = lines[lines.index("### 2. COL-002（错误）") + 1 :][:7]
    assert item == [
        "",
        "- **问题类别**：勾稽关系（错误，COL-002）",
        "- **问题描述**：三（七）总计【总计】应为各办理结果之和 333，实际填报 46",
        f"- **位置**：{LOCATION_COL002}",
        "- **整改要求**：核对三（一）至（六）各项办理结果，更正三（七）总计",
        "- **依据**：国办公开办函〔2019〕60号 表三勾稽关系",
        "",
    ]


def test_markdown_escapes_report_text(rec_script: dict[str, Any]) -> None:
    text = render_text(rec_script)
    assert not re.search(r"(?<!\\)[<>\[\]]", text)  # every bracket of report text is escaped
    assert '\\<script\\>alert("finding")\\</script\\>数据有误' in text
    assert "\\<b\\>依据\\</b\\>" in text


def test_markdown_without_findings(rec2019: dict[str, Any]) -> None:
    rec2019["findings"] = []
    assert "未发现需要整改的问题。" in render_text(rec2019)


def _table_text(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_docx_reads_back_cell_by_cell(rec2019: dict[str, Any]) -> None:
    doc = Document(BytesIO(rectification_docx.render(rec2019)))
    paragraphs = [(p.style.name if p.style else None, p.text) for p in doc.paragraphs if p.text]
    assert paragraphs == [
        ("Title", "岳阳市人民政府2020年政府信息公开工作年度报告整改清单"),
        ("Heading 1", "一、不按时发布（1项）"),
        ("Heading 1", "二、发布内容不准确（2项）"),
        ("Heading 1", "三、发布内容不全面（1项）"),
        ("Heading 1", f"四、{ADVICE}（1项）"),
    ]
    header, *groups = doc.tables
    assert _table_text(header) == [
        ["单位", "岳阳市人民政府"],
        ["报告年度", "2020年"],
        ["得分/等级", "80.5分（良好）"],
        ["报告文件", "岳阳市人民政府2020年政府信息公开工作年度报告.txt"],
        ["问题数量", "共5项（错误2项、警告2项、提示1项）"],
    ]
    assert len(groups) == 4
    inaccurate = _table_text(groups[1])
    assert inaccurate[0] == ["序号", "问题类别", "问题描述", "位置", "整改要求", "依据"]
    assert inaccurate[1] == [
        "2",
        "勾稽关系（错误，COL-002）",
        "三（七）总计【总计】应为各办理结果之和 333，实际填报 46",
        LOCATION_COL002,
        "核对三（一）至（六）各项办理结果，更正三（七）总计",
        "国办公开办函〔2019〕60号 表三勾稽关系",
    ]
    assert inaccurate[2][:2] == ["3", "数值（警告，VAL-006）"]
    procurement = "行「第二十条第（九）项 政府集中采购」，列「采购总金额」"
    assert inaccurate[2][3] == f"第二部分（主动公开政府信息情况），{procurement}，第101行"
    assert _table_text(groups[0])[1][3] == "第3行"
    assert all(g.style is not None and g.style.name == "Table Grid" for g in doc.tables)
    section = doc.sections[0]
    assert int(section.page_width or 0) > int(section.page_height or 0)  # landscape


def test_docx_keeps_hostile_text_as_text(rec_script: dict[str, Any]) -> None:
    rec_script["findings"][0]["message"] += "\x07\x1b"  # control characters XML cannot hold
    doc = Document(BytesIO(rectification_docx.render(rec_script)))
    assert doc.tables[0].rows[0].cells[1].text == render_records.SCRIPT_AGENCY
    assert doc.tables[1].rows[1].cells[2].text.startswith(render_records.SCRIPT_MESSAGE)
    assert doc.tables[1].rows[1].cells[4].text == render_records.FORMULA


def test_alternative_corrections_are_offered_as_a_choice(rec2021: dict[str, Any]) -> None:
    finding = rec2021["findings"][0]
    finding.update(message="四、行政复议各结果之和与总计不符", alternatives=True)
    finding["corrections"] = [
        {"cell": "appeals.review.total", "actual": 3, "expected": 4},
        {"cell": "appeals.review.other", "actual": 1, "expected": 0},
    ]
    item = rectification(rec2021).groups[0].items[0]
    assert item.description == (
        "四、行政复议各结果之和与总计不符；以下任一处更正即可："
        "表四 行「行政复议」 列「总计」填报 3，应为 4，或表四 行「行政复议」 列「其他结果」填报 1，应为 0"
    )
