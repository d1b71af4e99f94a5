"""The command line as a user runs it: exit codes, output formats, rule-author commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import EXAMPLES, SEEDS, requires_seeds

runner = CliRunner()
CLEAN = EXAMPLES / "2023_qingchuan_county_pipe.txt"
WRONG_TOTAL = EXAMPLES / "2023_dongling_county_wrong_total_tab.txt"


def test_default_command_audits_paths(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(CLEAN), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "青川县人民政府" in result.output
    runs = [p for p in tmp_path.iterdir() if p.is_dir()]  # run folders (audit.db beside them)
    assert len(runs) == 1 and (runs[0] / "index.html").is_file() and (runs[0] / "summary.xlsx").is_file()


def test_two_runs_never_overwrite(tmp_path: Path) -> None:
    for _ in range(2):
        assert runner.invoke(app, [str(CLEAN), "--out", str(tmp_path)]).exit_code == 0
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 2


def test_out_must_be_a_folder_and_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, [str(CLEAN), "--out", str(target)])
    assert result.exit_code == 2
    assert target.read_text(encoding="utf-8") == "mine"


def test_fail_on_sets_the_exit_code() -> None:
    assert runner.invoke(app, [str(WRONG_TOTAL), "--no-out"]).exit_code == 1
    assert runner.invoke(app, [str(WRONG_TOTAL), "--no-out", "--fail-on", "never"]).exit_code == 0


def test_json_output_follows_the_spec() -> None:
    result = runner.invoke(app, [str(WRONG_TOTAL), str(CLEAN), "--no-out", "--format", "json", "--fail-on", "never"])
    doc = json.loads(result.stdout)
    assert doc["schema"] == "auditor.audit/1"
    assert [Path(r["source"]["path"]).name for r in doc["reports"]] == [WRONG_TOTAL.name, CLEAN.name]
    finding = next(f for f in doc["reports"][0]["findings"] if f["category"] == "identity")
    for field in ("rule", "severity", "category", "message", "cells", "expected", "actual", "line"):
        assert field in finding
    assert isinstance(doc["reports"][0]["score"], float | int)


def test_select_and_ignore() -> None:
    selected = runner.invoke(
        app, [str(WRONG_TOTAL), "--no-out", "-f", "json", "--select", "identity", "--fail-on", "never"]
    )
    rules = {f["rule"] for f in json.loads(selected.stdout)["reports"][0]["findings"]}
    assert rules and all(r.startswith(("COL", "ROW")) for r in rules)
    ignored = runner.invoke(
        app, [str(WRONG_TOTAL), "--no-out", "-f", "json", "--ignore", "COL,ROW", "--fail-on", "never"]
    )
    assert not {f["rule"] for f in json.loads(ignored.stdout)["reports"][0]["findings"]} & rules


def test_bundled_pack_by_name_and_path() -> None:
    by_name = runner.invoke(app, [str(CLEAN), "--no-out", "--rules", "2024"])
    by_path = runner.invoke(app, [str(CLEAN), "--no-out", "--rules", "rules/2024.yaml"])
    assert by_name.exit_code == by_path.exit_code == 0


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, [str(tmp_path / "nope")])
    assert missing.exit_code == 2
    empty = runner.invoke(app, [str(tmp_path)])
    assert empty.exit_code == 2


def test_broken_rule_file_names_file_rule_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "pack: mine\nextends: base\nrules:\n  - id: COL-902\n    name: y\n    severity: fatal\n"
        "    category: identity\n    message: m\n    check: identity\n"
        "    params: {expr: 'requests.received.total = 1'}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["--rules", str(bad), str(CLEAN)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output and "COL-902" in result.output and "severity" in result.output
    assert runner.invoke(app, ["rules", "validate", str(bad)]).exit_code == 2


def test_rules_list_show_validate_test() -> None:
    listed = runner.invoke(app, ["rules", "list"])
    assert listed.exit_code == 0 and "COL-001" in listed.output
    shown = runner.invoke(app, ["rules", "show", "COL-002"])
    assert shown.exit_code == 0 and "# COL-002" in shown.output
    assert runner.invoke(app, ["rules", "show", "NOPE-1"]).exit_code == 2
    assert runner.invoke(app, ["rules", "validate", "rules/2024.yaml", "rules/2020.yaml"]).exit_code == 0
    tested = runner.invoke(app, ["rules", "test", "tests/rules/fixtures/COL-002.yml"])
    assert tested.exit_code == 0 and " passed, 0 failed" in tested.output


@requires_seeds
def test_unreadable_file_fails_alone_in_a_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "good.txt").write_bytes((SEEDS / "004_52a218e34b178157.txt").read_bytes())
    result = runner.invoke(app, [str(folder), "--format", "json", "--no-out", "--fail-on", "never"])
    reports = {Path(r["source"]["path"]).name: r for r in json.loads(result.stdout)["reports"]}
    assert reports["broken.txt"]["status"] == "failed" and "二进制" in reports["broken.txt"]["error"]
    assert reports["good.txt"]["status"] == "ok"


@pytest.mark.skipif(os.name != "posix", reason="uses python -m")
def test_module_entry_point() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "auditor", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("audit ")


def test_documents_no_reader_takes_are_named_not_skipped_in_silence(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "青川县水利局2023年报告.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    (folder / "附表.ofd").write_bytes(b"PK\x03\x04")
    result = runner.invoke(app, [str(folder), "--no-out", "-q"])
    assert "2 个文件的格式不能读取" in result.stderr and "青川县水利局2023年报告.doc" in result.stderr
    assert "共 1 份报告" in result.stdout + result.stderr
    only = tmp_path / "only"
    only.mkdir()
    (only / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = runner.invoke(app, [str(only), "--no-out"])
    assert result.exit_code == 2 and "a.doc" in result.stderr and ".pdf" in result.stderr
