"""The terminal: Chinese help everywhere, --quiet, --statistics, --format csv, worst reports named."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import click
import typer.main
from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
CJK = re.compile(r"[\u4e00-\u9fff]")
WRONG = EXAMPLES / "2023_dongling_county_wrong_total_tab.txt"
CLEAN = EXAMPLES / "2023_qingchuan_county_pipe.txt"


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = [(path, command)]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            out += _commands(sub, (*path, name))
    return out


def test_every_command_and_option_has_chinese_help() -> None:
    for path, command in _commands(typer.main.get_command(app)):
        assert command.help and CJK.search(command.help), path
        for param in command.params:
            text = getattr(param, "help", None)
            assert text and CJK.search(text), (path, param.name)
        shown = runner.invoke(app, [*path, "--help"]).output
        assert "显示本帮助并退出" in shown and "Show this message" not in shown, path
        assert "选项" in shown


def test_quiet_prints_only_the_end_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(WRONG), str(CLEAN), "--quiet", "--no-out"])
    assert result.stdout == ""
    assert "审计完成：共 2 份报告" in result.stderr


def test_statistics_count_findings_per_rule() -> None:
    result = runner.invoke(app, [str(WRONG), str(CLEAN), "--statistics", "--no-out", "--fail-on", "never"])
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["规则", "名称", "类别", "级别", "问题数", "涉及报告数"]
    col = next(line for line in lines if line.startswith("COL-001"))
    assert "表三勾稽关系不成立" in col and col.split()[-2:] == ["1", "1"]
    assert "== " not in result.stdout  # no per-report listing


def test_end_summary_names_the_worst_reports(tmp_path: Path) -> None:
    paths = sorted(EXAMPLES.glob("*.txt"))
    result = runner.invoke(app, [*map(str, paths), "--quiet", "-o", str(tmp_path), "--fail-on", "never"])
    summary = result.stderr
    assert "得分最低的报告：" in summary
    worst = summary.split("得分最低的报告：", 1)[1].splitlines()[1:6]
    scores = [float(line.split()[0]) for line in worst]
    assert scores == sorted(scores) and len(scores) == 5


def test_csv_has_one_row_per_finding_and_one_per_clean_report() -> None:
    result = runner.invoke(app, [str(WRONG), str(CLEAN), "--format", "csv", "--no-out", "--fail-on", "never"])
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    wrong = [r for r in rows if r["文件"] == str(WRONG)]
    clean = [r for r in rows if r["文件"] == str(CLEAN)]
    assert len(clean) == 1 and clean[0]["规则"] == "" and clean[0]["等级"] == "优秀"
    assert any(r["规则"] == "COL-001" and "123" in r["问题描述"] for r in wrong)
    assert all(r["单位"] == "东岭县人民政府" for r in wrong)
