"""Bad input never raises: it gives a problem naming what is wrong, and the batch goes on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.model.serialize import report_record
from auditor.pipeline import AuditOptions, audit_report, parse_text, read_report
from auditor.text.decode import MAX_BYTES
from tests.conftest import SEEDS, requires_seeds
from tests.reportgen import make_report


def _codes(path: Path) -> set[str]:
    return {p["code"] for p in report_record(read_report(path))["problems"]}


def test_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    assert _codes(f) == {"empty"}


def test_whitespace_only_file(tmp_path: Path) -> None:
    f = tmp_path / "blank.txt"
    f.write_bytes(b"\n \n\t\n")
    assert _codes(f) == {"empty"}


def test_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    assert _codes(f) == {"binary"}


def test_missing_file(tmp_path: Path) -> None:
    assert _codes(tmp_path / "nope.txt") == {"unreadable"}


def test_too_large_file(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as out:
        out.truncate(MAX_BYTES + 1)
    with f.open("r+b") as out:
        out.write("一、总体情况\n".encode())
    assert _codes(f) == {"too_large"}


@requires_seeds
@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_other_encodings_read_the_same(tmp_path: Path, encoding: str) -> None:
    seed = SEEDS / "003_d3ddc9c30ed8506a.txt"
    f = tmp_path / f"report.{encoding}.txt"
    f.write_bytes(seed.read_text(encoding="utf-8").encode(encoding))
    original = report_record(read_report(seed))
    converted = report_record(read_report(f))
    assert converted["cells"] == original["cells"]
    assert converted["meta"] == original["meta"]


def test_no_tables() -> None:
    record = report_record(
        parse_text("某某局2023年政府信息公开工作年度报告\n一、总体情况\n2023年，我局认真落实条例。\n")
    )
    assert "no_tables" in {p["code"] for p in record["problems"]}
    assert record["cells"] == {}
    assert record["meta"]["year"] == 2023


@requires_seeds
def test_table_cut_off_halfway() -> None:
    text = (SEEDS / "002_0d9039be8d2f547d.txt").read_text(encoding="utf-8")
    cut = "\n".join(text.split("\n")[:150])  # stops inside table 三
    record = report_record(parse_text(cut, "cut.txt"))
    assert record["meta"]["format"] == "2021"
    assert record["cells"]["requests.received.total"]["value"] == 75
    assert "requests.results_total.total" not in record["cells"]
    assert "appeals" not in record["tables"]
    assert record["coverage"]["truncated_line"] == 150
    assert [p for p in record["problems"] if p["code"] == "truncated" and "表三" in p["message"]]


@pytest.mark.parametrize("layout", ["pipe", "tab", "markdown", "paragraph"])
def test_a_file_cut_off_inside_a_table_blames_the_body_for_nothing_after_the_cut(layout: str) -> None:
    # A crawler or a copy that stopped halfway: the parts and tables after the cut were never
    # in the file. They are not evaluated (with the reason), never missing.
    text = make_report(7, fmt="2021", year=2023, layout=layout, label_noise=False).text
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if "本年度办理结果" in line)
    record = audit_report(parse_text("\n".join(lines[: start + 6]), "cut.txt"), AuditOptions())
    blamed = [
        f["rule"] for f in record["findings"] if f["rule"].startswith(("SEC-001", "TBL-")) and f["severity"] == "error"
    ]
    assert blamed == []
    reasons = [n["reason"] for n in record["not_evaluated"] if n["rule"] in ("SEC-001", "TBL-008")]
    assert reasons and all("中断" in r for r in reasons)


@pytest.mark.parametrize("layout", ["pipe", "tab", "markdown", "paragraph"])
def test_a_file_ending_right_after_a_whole_table_blames_the_body_for_nothing_after_it(layout: str) -> None:
    # A converter that lost everything after table 四 (pymupdf4llm on a real page's PDF): the
    # file ends with the table's last row. No report ends there, parts 五 and 六 follow it.
    text = make_report(7, fmt="2021", year=2023, layout=layout, label_noise=False).text
    lines = text.split("\n")
    part_five = next(i for i, line in enumerate(lines) if line.lstrip().startswith("五、"))
    report = parse_text("\n".join(lines[:part_five]), "cut.txt")
    assert [p.message for p in report.problems if p.code == "truncated"] == [
        f"报告文本在第{report.coverage.truncated_line}行（表四之后）结束，文件可能不完整，其后的内容未能审核"
    ]
    record = audit_report(report, AuditOptions())
    assert not [f for f in record["findings"] if f["rule"] == "SEC-001"]
    reasons = [n["reason"] for n in record["not_evaluated"] if n["rule"] == "SEC-001"]
    assert len(reasons) == 2 and all("中断" in r for r in reasons)


def test_tables_printed_after_every_part_are_no_cut() -> None:
    # Some bodies print the three tables as an appendix after part 六: the text ends with a
    # table, but every part stands before it, so nothing was cut off.
    text = make_report(7, fmt="2021", year=2023, layout="tab", label_noise=False).text
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("二、"))
    end = next(i for i, line in enumerate(lines) if line.lstrip().startswith("五、"))
    headings = [line for line in lines[start:end] if line.lstrip().startswith(("二、", "三、", "四、"))]
    tables = [line for line in lines[start:end] if line not in headings]
    report = parse_text("\n".join([*lines[:start], *headings, *lines[end:], "附表", *tables]), "appendix.txt")
    assert set(report.tables) == {"disclosure", "requests", "appeals"} and report.sections[-1].number == 6
    assert report.coverage.truncated_line is None
    assert "truncated" not in [p.code for p in report.problems]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, timeout=120)


def test_cli_parse_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    good = tmp_path / "good.txt"
    good.write_text("某市人民政府2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n", encoding="utf-8")
    done = _cli("parse", str(bad), str(good))
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert [r["source"]["path"] for r in records] == [str(bad), str(good)]
    assert records[0]["problems"][0]["code"] == "binary"
    assert "Traceback" not in done.stderr
    usage = _cli("parse", "--format", "yaml", str(good))
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr


def test_cell_ref_takes_keys_apart_once() -> None:
    from auditor.model.types import CellRef

    ref = CellRef.parse("requests.denied.state_secret.total")
    assert (ref.table, ref.row, ref.column) == ("requests", "denied.state_secret", "total")
    assert ref.key == "requests.denied.state_secret.total" and ref.row_key == "requests.denied.state_secret"
    assert CellRef.parse("appeals.review.upheld").row == "review"
