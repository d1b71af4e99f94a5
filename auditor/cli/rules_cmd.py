"""``audit rules …``: list, document, validate and test rule packs (for rule authors)."""

from __future__ import annotations

from pathlib import Path

import typer
from tabulate import tabulate

from auditor.cli.chinese import ChineseCommand, ChineseGroup
from auditor.errors import UsageError
from auditor.rule_fixtures import run_fixtures
from auditor.rules.docs import rule_doc
from auditor.rules.loader import bundled_packs, load_pack, validate_file

rules_app = typer.Typer(
    cls=ChineseGroup,
    help="规则包：列出（list）、查看（show）、校验（validate）、测试（test）。",
    no_args_is_help=True,
    add_completion=False,
)

_PACK_HELP = "规则包：YAML 文件路径或内置名称（2024、2020）。"
DEFAULT_FIXTURES = Path("tests/rules/fixtures")


def _applies(rule: object) -> str:
    applies = getattr(rule, "applies", None)
    parts = []
    if applies is not None:
        if applies.formats:
            parts.append("/".join(f"{f}版" for f in applies.formats))
        if applies.year_min or applies.year_max:
            parts.append(f"{applies.year_min or ''}–{applies.year_max or ''}年")
        if applies.body_kinds:
            parts.append("/".join(applies.body_kinds))
    return "，".join(parts) or "全部"


@rules_app.command("list", cls=ChineseCommand)
def list_rules(pack: str = typer.Option("2024", "--rules", "-r", help=_PACK_HELP)) -> None:
    """列出规则包中的规则（默认：现行的 2024 规则包）。"""
    loaded = load_pack(pack)
    rows = [
        [r.id, r.severity, r.category, r.name, _applies(r), f"{r.deduction:g}", "是" if r.veto else ""]
        for r in sorted(loaded.rules, key=lambda r: r.id)
    ]
    typer.echo(f"规则包 {loaded.name}（{' → '.join(loaded.chain)}），共 {len(rows)} 条规则")
    typer.echo(tabulate(rows, headers=["编号", "级别", "类别", "名称", "适用", "扣分", "否决"], tablefmt="simple"))
    typer.echo(f"\n内置规则包：{', '.join(bundled_packs())}")


@rules_app.command("show", cls=ChineseCommand)
def show_rule(
    rule_id: str = typer.Argument(..., help="规则编号，如 COL-002。"),
    pack: str = typer.Option("2024", "--rules", "-r", help=_PACK_HELP),
) -> None:
    """显示一条规则的说明（由其 YAML 生成）。"""
    loaded = load_pack(pack)
    try:
        rule = loaded.rule(rule_id.upper())
    except KeyError:
        raise UsageError(f"规则包 {loaded.name} 中没有规则 {rule_id}（可用 `audit rules list` 查看）") from None
    typer.echo(rule_doc(rule))


@rules_app.command("validate", cls=ChineseCommand)
def validate(files: list[Path] = typer.Argument(..., help="要校验的规则包文件。")) -> None:
    """按模式和检查项校验规则文件（重复编号、未知单元格键、空消息等）。"""
    bad = 0
    for f in files:
        problems = validate_file(f)
        if problems:
            bad += 1
            for p in problems:
                typer.echo(f"invalid rule file: {p}", err=True)
        else:
            typer.echo(f"{f}: OK")
    if bad:
        raise typer.Exit(2)


@rules_app.command("test", cls=ChineseCommand)
def test_fixtures(
    paths: list[Path] = typer.Argument(None, help="样例文件或文件夹（默认：tests/rules/fixtures）。"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="同时列出通过的样例。"),
) -> None:
    """运行各规则的 YAML 样例（应通过和应报错的报告）。"""
    targets = paths or ([DEFAULT_FIXTURES] if DEFAULT_FIXTURES.is_dir() else [])
    if not targets:
        raise UsageError("没有找到规则测试用例：请给出 fixture 文件或文件夹")
    results = run_fixtures(targets)
    failed = [r for r in results if not r.ok]
    for r in results:
        if verbose or not r.ok:
            typer.echo(f"{'PASS' if r.ok else 'FAIL'} {r.id} ({r.file}){': ' + r.message if r.message else ''}")
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)
