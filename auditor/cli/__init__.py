"""Command line: ``audit [PATHS...]`` audits reports; ``audit parse`` and ``audit rules`` help authors.

The CLI only wires options to library functions in `auditor.pipeline` and friends, and
turns `AuditorError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from auditor import __version__
from auditor.cli import check_cmd, parse_cmd
from auditor.cli.rules_cmd import rules_app
from auditor.errors import AuditorError


class _AuditGroup(TyperGroup):
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
    help="Audit 政府信息公开工作年度报告 against the State Council formats and rule packs.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("check", help="Audit reports (the default command: `audit PATHS` = `audit check PATHS`).")(check_cmd.check)
app.command("parse")(parse_cmd.parse)
app.add_typer(rules_app, name="rules")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"audit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Show the version and exit.", is_eager=True, callback=_show_version
    ),
) -> None:
    """Audit 政府信息公开工作年度报告: `audit [PATHS...]`, `audit parse`, `audit rules`."""


def main() -> None:
    """Console-script entry point."""
    app()
