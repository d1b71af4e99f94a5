"""The batch 通报: scope, counts and bands, common problems with their numbers, bodies ranked."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import ZipFile

import pytest
from docx import Document
from typer.testing import CliRunner

from auditor.cli import app
from auditor.render import docxkit
from auditor.render.docxkit import DOCUMENT_PART, OfficialDocument
from auditor.render.formats import bulletin_docx
from auditor.render.kinds import ReportEntry
from tests.conftest import EXAMPLES
from tests.render import render_records


def _read(records: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    doc = Document(BytesIO(bulletin_docx.render([ReportEntry(r, {}) for r in records])))
    (table,) = doc.tables
    return [p.text for p in doc.paragraphs if p.text], [[c.text for c in row.cells] for row in table.rows]


def test_bulletin_states_scope_bands_problems_and_ranking() -> None:
    good = render_records.record_2019()
    worse = render_records.record_2019()
    worse["meta"] = {**worse["meta"], "agency": "某县人民政府"}
    worse["score"], worse["band"] = 55.0, "不合格"
    failed = render_records.record_failed()
    paragraphs, rows = _read([good, worse, failed])
    assert paragraphs[0] == "关于2020年度政府信息公开工作年度报告检查情况的通报"
    overview = paragraphs[paragraphs.index("一、基本情况") + 1]
    assert "3份政府信息公开工作年度报告" in overview
    assert "良好1份、不合格1份" in overview and "1份无法审计" in overview
    problems = [p for p in paragraphs if p.startswith("（")]
    assert problems[0].startswith("（一）不按时发布（发布时限）。2份报告存在此类问题，共2处")
    assert rows[0] == ["序号", "单位", "年度", "得分", "等级", "主要问题"]
    assert [r[1] for r in rows[1:]] == ["岳阳市人民政府", "某县人民政府", "（未识别单位）"]
    assert rows[3][4].startswith("无法审计")
    text = "\n".join(paragraphs + [c for r in rows for c in r])
    assert not re.search(r"(?<![A-Za-z])[A-Z]{2,}-\d{3}", text)


def test_cli_writes_the_bulletin_and_takes_a_deadline(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, [str(EXAMPLES / "2023_dongling_county_wrong_total_tab.txt"), "-o", str(tmp_path), "--deadline-days", "7"]
    )
    assert result.exit_code == 1, result.output
    (run,) = (p for p in tmp_path.iterdir() if p.is_dir())
    bulletin = Document(run / "通报.docx")
    assert any("7日内完成整改" in p.text for p in bulletin.paragraphs)
    (listed,) = (run / "reports").glob("*-整改清单.docx")
    assert any("7日内完成整改" in p.text for p in Document(listed).paragraphs)


TRICKY = [
    ("1", "某县人民政府", "2023", "95.5", "优秀", "未发现需整改的问题"),
    ("2", "A&B <局>", "2023", "—", "无法审计", "引号\"与'撇号"),
    ("3", "  前后空格  ", "2022", "60", "合格", "制表\t符"),
    ("4", "换行", "2022", "59.5", "不合格", "第一行\n第二行\r第三行"),
    ("5", "控制\x01字符", "", "", "", "abcd"),
    ("6", "abcde", "12345", "1234", "ab", "\u3000全角空格开头"),
    ("7", "abcde", "12345", "1234", "ab", "plain"),
]


def test_tables_from_row_templates_are_the_xml_python_docx_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rows are copied from per-pattern templates (built table) or spliced as text (streamed
    # table); python-docx building every row itself is the reference.
    def document(stream: bool) -> str:
        doc = OfficialDocument()
        if stream:
            key = doc.streamed_table(bulletin_docx.RANK_HEADERS, bulletin_docx.RANK_WIDTHS)
            out = BytesIO()
            doc.write(out, {key: iter(TRICKY)})
            data = out.getvalue()
        else:
            doc.table(bulletin_docx.RANK_HEADERS, TRICKY, bulletin_docx.RANK_WIDTHS)
            data = doc.save()
        xml = ZipFile(BytesIO(data)).read(DOCUMENT_PART).decode("utf-8")
        return re.sub(r"<!--[^>]*-->", "", xml)

    built, streamed = document(stream=False), document(stream=True)
    with monkeypatch.context() as m:
        m.setattr(docxkit, "_plain", lambda values: None)
        reference = document(stream=False)
    assert built == reference and streamed == reference
    one = OfficialDocument()
    one.table(bulletin_docx.RANK_HEADERS, TRICKY, bulletin_docx.RANK_WIDTHS)
    rows = [[c.text for c in row.cells] for row in Document(BytesIO(one.save())).tables[0].rows]
    assert rows[2][1] == "A&B <局>" and rows[5][1] == "控制字符" and rows[7][5] == "plain"
    assert not Document(BytesIO(OfficialDocument().save())).tables  # the reused document starts empty again


def test_documents_built_at_once_or_abandoned_do_not_share_a_body() -> None:
    def texts(data: bytes) -> list[str]:
        return [p.text for p in Document(BytesIO(data)).paragraphs if p.text]

    first, second = OfficialDocument(), OfficialDocument()  # the second cannot take the reused one
    first.paragraph("甲")
    second.paragraph("乙")
    assert (texts(first.save()), texts(second.save())) == (["甲"], ["乙"])
    abandoned = OfficialDocument()
    abandoned.paragraph("未保存")
    assert abandoned.scratch
    del abandoned  # a renderer that failed half-way: the reused document is given back
    again = OfficialDocument()
    assert again.scratch and texts(again.save()) == []


def test_documents_built_in_threads_at_once_keep_their_own_content() -> None:
    # `audit serve` renders in a thread pool: one reused document per process, the rest fresh.
    def build(n: int) -> list[str]:
        doc = OfficialDocument()
        for k in range(20):
            doc.paragraph(f"{n}-{k}")
        return [p.text for p in Document(BytesIO(doc.save())).paragraphs if p.text]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(build, range(12)))
    assert results == [[f"{n}-{k}" for k in range(20)] for n in range(12)]
