"""The renderer registry and the stdout renderers (table, json)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from auditor.render import (
    SCHEMA,
    BatchRenderer,
    ReportRenderer,
    batch_renderers,
    get_renderer,
    registry,
    render_stream,
    report_renderers,
    stream_formats,
)


def test_registry_finds_one_renderer_per_format_module() -> None:
    assert set(registry()) == {"table", "json", "csv", "markdown", "docx", "html", "xlsx", "index", "bulletin"}
    assert stream_formats() == ("csv", "json", "table")
    assert {r.name for r in report_renderers()} == {"markdown", "docx", "html"}
    assert {r.name: r.filename for r in batch_renderers()} == {
        "index": "index.html",
        "xlsx": "summary.xlsx",
        "bulletin": "通报.docx",
    }
    assert isinstance(get_renderer("docx"), ReportRenderer)
    assert isinstance(get_renderer("xlsx"), BatchRenderer)


def test_unknown_and_file_formats_are_refused_for_stdout() -> None:
    with pytest.raises(KeyError, match="no such output format"):
        get_renderer("pdf")
    with pytest.raises(KeyError, match="writes files"):
        render_stream("html", [])


def test_json_wraps_records_in_the_schema(records: list[dict[str, Any]]) -> None:
    doc = json.loads(render_stream("json", records))
    assert doc["schema"] == SCHEMA == "auditor.audit/1"
    assert doc["reports"] == records


def test_table_has_a_summary_row_per_report_then_findings(
    records: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapping: compare whole lines
    out = render_stream("table", records)
    header = out.splitlines()[0].split()
    assert header == ["文件", "单位", "年度", "格式", "得分", "等级", "错误", "警告", "提示"]
    summary = out.split("\n\n")[0].splitlines()[2:]
    assert len(summary) == len(records)
    assert summary[0].split()[1:] == ["岳阳市人民政府", "2020", "2019版", "80.5", "良好", "2", "2", "1"]
    assert "无法审计" in summary[2]
    assert "inbox/损坏的报告.doc：读取失败：无法识别文件格式" in out
    assert "第三部分（收到和处理政府信息公开申请情况），行「（七）总计」，列「总计」，第158行" in out
    assert "三（七）总计【总计】应为各办理结果之和 333，实际填报 46" in out
    # A 2019 row in a 2021 report is still named in words, from the 2019 template.
    assert "行「第二十条第（九）项 政府集中采购」" in out


def test_table_wraps_long_findings_to_the_terminal(
    records: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = render_stream("table", records)
    detail = out.split("\n\n")[1]
    assert max(len(line) for line in detail.splitlines()) < 200
    assert "第158行" in detail


def test_table_strips_terminal_control_sequences(rec2019: dict[str, Any]) -> None:
    rec2019["meta"]["agency"] = "某局\x1b[2J\r\n伪造行"
    out = render_stream("table", [rec2019])
    assert "\x1b" not in out
    assert "某局 [2J 伪造行" in out
