"""Command line: ``audit [PATHS...]`` audits reports; ``audit parse`` and ``audit rules`` help authors.

The CLI only wires options to library functions in `auditor.pipeline` and friends, and
turns `AuditorError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

from typing import Any

import typer

from auditor import __version__
from auditor.cli import check_cmd, parse_cmd, serve_cmd, store_cmd
from auditor.cli.chinese import ChineseCommand, ChineseGroup
from auditor.cli.rules_cmd import rules_app
from auditor.errors import AuditorError


class _AuditGroup(ChineseGroup):
    """Runs ``check`` when the first argument is no subcommand (``audit reports/``), and
    reports user errors as one line and exit code 2 instead of a traceback."""

    default_command = "check"

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except AuditorError as exc:
            typer.echo(f"audit: {exc}", err=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_AuditGroup,
    add_completion=False,
    no_args_is_help=True,
    help="按国务院办公厅年度报告格式和规则包审计政府信息公开工作年度报告。",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("check", cls=ChineseCommand, help="审计报告（默认命令：`audit 路径` 即 `audit check 路径`）。")(
    check_cmd.check
)
app.command("parse", cls=ChineseCommand)(parse_cmd.parse)
app.add_typer(rules_app, name="rules")
app.command("review", cls=ChineseCommand)(store_cmd.review)
app.command("history", cls=ChineseCommand)(store_cmd.history)
app.command("export", cls=ChineseCommand)(store_cmd.export)
app.command("serve", cls=ChineseCommand)(serve_cmd.serve)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"audit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="显示版本号并退出。", is_eager=True, callback=_show_version),
) -> None:
    """审计政府信息公开工作年度报告：`audit [路径...]`、`audit parse`、`audit rules`、`audit history` 等。"""


def main() -> None:
    """Console-script entry point."""
    app()
