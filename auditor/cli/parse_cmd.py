"""``audit parse FILE...``: print the canonical model of each report."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from auditor.model.serialize import report_record
from auditor.pipeline import read_report
from auditor.render.parsed_tables import render_parsed


class ParseFormat(str, Enum):
    """Output formats of ``audit parse``."""

    json = "json"
    table = "table"


def parse(
    files: list[Path] = typer.Argument(..., help="要解析的报告文件。", show_default=False),
    fmt: ParseFormat = typer.Option(ParseFormat.json, "--format", "-f", help="json（规范模型）或 table（表格）。"),
) -> None:
    """把报告解析为规范模型（单元格、各部分、元数据），不作审计。"""
    for f in files:
        if f.is_dir():
            raise typer.BadParameter(f"{f} 是文件夹；audit parse 只接受文件", param_hint="FILES")
    records = [report_record(read_report(f)) for f in files]
    if fmt is ParseFormat.json:
        payload = records[0] if len(records) == 1 else records
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        typer.echo("\n\n".join(render_parsed(r) for r in records))
