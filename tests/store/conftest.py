"""Shared helpers for the audit-store tests: run `audit` in this process and read its JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from auditor.cli import app

ROOT = Path(__file__).resolve().parents[2]
DONGLING_2023 = ROOT / "examples" / "2023_dongling_county_wrong_total_tab.txt"
DONGLING_2024 = ROOT / "docs" / "loop" / "2024_dongling_county_tab.txt"

runner = CliRunner()


def audit_json(*paths: Path, db: Path, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """`audit PATHS --db DB --no-out --format json` in this process: the one report's record."""
    args = [*map(str, paths), "--db", str(db), "--no-out", "--format", "json", "--fail-on", "never", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    reports: list[dict[str, Any]] = json.loads(result.stdout)["reports"]
    return reports[0] if len(reports) == 1 else {"reports": reports}


def by_rule(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A record's findings keyed by rule id."""
    return {f["rule"]: f for f in record["findings"]}


def corrected(tmp_path: Path) -> Path:
    """The wrong-total example with its table 三 总计 corrected (126 → 123); the text still says 126."""
    target = tmp_path / "reports" / DONGLING_2023.name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = DONGLING_2023.read_text(encoding="utf-8")
    assert text.count("\t126\n") == 1
    target.write_text(text.replace("\t126\n", "\t123\n"), encoding="utf-8")
    return target
