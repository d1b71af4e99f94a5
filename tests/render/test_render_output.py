"""Run directories, file names, writing a batch and the end-of-run summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.render.output import new_run_dir, safe_stem, summary_text, unique_stems, write_outputs
from auditor.render.rectification import has_items
from tests.render import render_records


def test_run_dirs_are_timestamped_and_never_reused(tmp_path: Path) -> None:
    base = tmp_path / "reports_out"
    first = new_run_dir(base)
    (first / "keep.txt").write_text("earlier run")
    dirs = [first, *(new_run_dir(base) for _ in range(3))]
    assert len(set(dirs)) == 4 and all(d.is_dir() and d.parent == base for d in dirs)
    assert (first / "keep.txt").read_text() == "earlier run"
    stamp = first.name[:15]
    assert stamp[:8].isdigit() and stamp[8] == "-" and stamp[9:].isdigit()
    # Runs in the same second are numbered rather than sharing a dir.
    same_second = [d.name for d in dirs if d.name.startswith(stamp)]
    assert same_second[0] == stamp and all(n.startswith(f"{stamp}-") for n in same_second[1:])


def test_file_names_are_safe_and_unique() -> None:
    assert safe_stem("inbox/岳阳市人民政府2020年报告.txt") == "岳阳市人民政府2020年报告"
    assert safe_stem("C:\\reports\\a b?c*.html") == "a_b_c"
    assert safe_stem("inbox/<b>x</b>报告.txt") == "b_报告"
    assert safe_stem("inbox/...") == "report"
    assert safe_stem("con.txt") == "report_con"
    assert len(safe_stem("x" * 300 + ".txt")) == 80
    assert unique_stems(["a/报告.txt", "b/报告.html", "c/报告.txt", "REPORT.txt", "report.doc"]) == [
        "报告",
        "报告-2",
        "报告-3",
        "REPORT",
        "report-2",
    ]


def test_write_outputs_writes_report_and_batch_files(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    calls: list[tuple[int, int, str]] = []
    run_dir = new_run_dir(tmp_path)
    summary = write_outputs(records, run_dir, progress=lambda *a: calls.append(a))
    assert calls == [(i, 4, r["source"]["path"]) for i, r in enumerate(records, 1)]
    written = sorted(p.relative_to(run_dir).as_posix() for p in run_dir.rglob("*") if p.is_file())
    stems = ["岳阳市人民政府2020年政府信息公开工作年度报告", "岳麓区司法局", "b_报告"]
    assert all(has_items(r) for r in records if r["status"] == "ok")
    suffixes = (".html", "-整改清单.md", "-整改清单.docx")
    assert written == sorted(
        [".audit-run", "index.html", "summary.xlsx", "通报.docx"]
        + [f"reports/{s}{suffix}" for s in stems for suffix in suffixes]
    )
    assert summary.reports == 4 and summary.report_files == 9
    assert summary.failed == (("inbox/损坏的报告.doc", "无法识别文件格式：不是文本、HTML、DOCX 或 PDF"),)
    assert summary.counts == {"error": 4, "warning": 4, "info": 1}
    assert summary.batch_files == {
        "bulletin": run_dir / "通报.docx",
        "index": run_dir / "index.html",
        "xlsx": run_dir / "summary.xlsx",
    }
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="reports/%E5%B2%B3%E9%BA%93%E5%8C%BA%E5%8F%B8%E6%B3%95%E5%B1%80.html"' in index


def test_summary_text_fits_one_screen(tmp_path: Path) -> None:
    records = [render_records.record_2019(), *(render_records.record_failed() for _ in range(7))]
    for i, r in enumerate(records):
        r["source"]["path"] = f"in/{i}.txt"
    run_dir = new_run_dir(tmp_path)
    text = summary_text(write_outputs(records, run_dir))
    lines = text.splitlines()
    assert lines[0] == "审计完成：共 8 份报告，成功 1 份，读取失败 7 份。"
    assert lines[1] == "发现问题：错误 2 项，警告 2 项，提示 1 项（合计 5 项）。"
    assert lines[2] == "  读取失败：in/1.txt：无法识别文件格式：不是文本、HTML、DOCX 或 PDF"
    assert "……另有 2 份读取失败" in text
    assert f"输出目录：{run_dir}" in lines
    assert f"{run_dir / 'index.html'}" in text and f"{run_dir / 'summary.xlsx'}" in text
    assert len(lines) <= 20
