"""``audit rules …``: list, document, validate and test rule packs (for rule authors)."""

from __future__ import annotations

from pathlib import Path

import typer
from tabulate import tabulate

from auditor.cli.chinese import ChineseCommand, ChineseGroup
from auditor.errors import UsageError
from auditor.model.template import FORMATS, load_template
from auditor.rule_fixtures import run_fixtures
from auditor.rules.cellnames import NUMERALS, cell_name
from auditor.rules.docs import rule_doc
from auditor.rules.loader import bundled_packs, load_pack, validate_file
from auditor.rules.registry import CHECKS
from auditor.rules.scaffold import fixture_skeleton, pack_skeleton
from auditor.rules.schema import schema_text
from auditor.rules.suggest import did_you_mean
from auditor.rules.types import Rule

rules_app = typer.Typer(
    cls=ChineseGroup,
    help="规则包：列出（list）、查看（show）、校验（validate）、测试（test）、单元格（cells）、新建（new）、模式（schema）。",
    no_args_is_help=True,
    add_completion=False,
)
_STATUS = {"stable": "", "preview": "试行", "deprecated": "已弃用"}

_PACK_HELP = "规则包：YAML 文件路径或内置名称（2024、2020）。"
DEFAULT_FIXTURES = Path("tests/rules/fixtures")


def _applies(rule: Rule) -> str:
    applies = rule.applies
    parts = []
    if applies.formats:
        parts.append("/".join(f"{f}版" for f in applies.formats))
    if applies.year_min or applies.year_max:
        parts.append(f"{applies.year_min or ''}–{applies.year_max or ''}年")
    if applies.body_kinds:
        parts.append("/".join(applies.body_kinds))
    return "，".join(parts) or "全部"


def _lifecycle(rule: Rule) -> str:
    parts = [_STATUS.get(rule.status, rule.status)] if _STATUS.get(rule.status, rule.status) else []
    if rule.effective_from or rule.effective_until:
        parts.append(f"{rule.effective_from or ''}–{rule.effective_until or ''}年度生效")
    if rule.aliases:
        parts.append("原编号 " + "/".join(rule.aliases))
    return "，".join(parts)


@rules_app.command("list", cls=ChineseCommand)
def list_rules(pack: str = typer.Option("2024", "--rules", "-r", help=_PACK_HELP)) -> None:
    """列出规则包中的规则（默认：现行的 2024 规则包）。"""
    loaded = load_pack(pack)
    rows = [
        [
            r.id,
            r.severity,
            r.category,
            r.description or r.name,
            _applies(r),
            f"{r.deduction:g}",
            "是" if r.veto else "",
            _lifecycle(r),
        ]
        for r in sorted(loaded.rules, key=lambda r: r.id)
    ]
    typer.echo(f"规则包 {loaded.name}（{' → '.join(loaded.chain)}），共 {len(rows)} 条规则")
    headers = ["编号", "级别", "类别", "说明", "适用", "扣分", "否决", "状态"]
    typer.echo(tabulate(rows, headers=headers, tablefmt="simple"))
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
        hint = did_you_mean(rule_id.upper(), [r.id for r in loaded.rules]) or "（可用 `audit rules list` 查看）"
        raise UsageError(f"规则包 {loaded.name} 中没有规则 {rule_id}{hint}") from None
    typer.echo(rule_doc(rule))


@rules_app.command("validate", cls=ChineseCommand)
def validate(files: list[Path] = typer.Argument(..., help="要校验的规则包文件。")) -> None:
    """校验规则文件：模式、表达式、单元格键、占位符（每个问题给出文件:行:列）。"""
    bad = 0
    for f in files:
        problems = validate_file(f)
        if problems:
            bad += 1
            for p in problems:
                typer.echo(f"规则文件有误：{p}", err=True)
        else:
            typer.echo(f"{f}: 通过")
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
    if not results:
        raise UsageError(f"{'、'.join(map(str, targets))} 中没有规则测试用例（*.yml）")
    failed = [r for r in results if not r.ok]
    for r in results:
        if verbose or not r.ok:
            typer.echo(f"{'PASS' if r.ok else 'FAIL'} {r.id} ({r.file}){': ' + r.message if r.message else ''}")
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


@rules_app.command("schema", cls=ChineseCommand)
def schema() -> None:
    """打印规则包的 JSON Schema（供编辑器的 YAML 语言服务器补全和校验）。"""
    typer.echo(schema_text(), nl=False)


@rules_app.command("cells", cls=ChineseCommand)
def cells(
    fmt: list[str] = typer.Option(list(FORMATS), "--format", help="表格格式：2019 或 2021（默认：两者）。"),
) -> None:
    """列出表达式可用的单元格键及其表格名称，按表分组。"""
    for one in fmt:
        if one not in FORMATS:
            raise UsageError(f"没有 {one} 年版格式{did_you_mean(one, FORMATS)}（可选：{'、'.join(FORMATS)}）")
    for one in fmt:
        template = load_template(one)
        typer.echo(f"# {one}年版")
        for name, spec in template.tables.items():
            typer.echo(f"\n## 表{NUMERALS.get(name, name)} {spec.title}（{name}）\n")
            rows = [[key, cell_name(key, template)] for key in template.keys(name)]
            typer.echo(tabulate(rows, headers=["单元格键", "名称"], tablefmt="simple"))
        sets = template.named_sets()
        typer.echo("\n## 命名集合（foreach 用 @名称）\n")
        typer.echo(tabulate([[f"@{k}", "、".join(v)] for k, v in sets.items()], headers=["集合", "取值"]))
        typer.echo()


@rules_app.command("new", cls=ChineseCommand)
def new_rule(
    rule_id: str = typer.Argument(..., help="新规则编号，如 HN-002。"),
    kind: str = typer.Option(..., "--kind", "-k", help="检查类型（见 docs/rules.md）。"),
    pack: Path = typer.Option(None, "--pack", help="要新建的规则包文件（默认：<编号>.yaml）。"),
    fixture: Path = typer.Option(None, "--fixture", help="要新建的样例文件（默认：<编号>.yml）。"),
    extends: str = typer.Option("2024", "--extends", help="新规则包继承的规则包。"),
) -> None:
    """生成规则骨架（继承内置规则包的新规则包）及其样例文件；从不覆盖已有文件。"""
    rid = rule_id.upper()
    if kind not in CHECKS:
        raise UsageError(f"没有检查类型“{kind}”{did_you_mean(kind, CHECKS)}（可选：{'、'.join(sorted(CHECKS))}）")
    pack_path = pack or Path(f"{rid.lower()}.yaml")
    fixture_path = fixture or Path(f"{rid}.yml")
    texts = {pack_path: pack_skeleton(rid, kind, extends), fixture_path: fixture_skeleton(rid, pack_path, fixture_path)}
    existing = [str(p) for p in texts if p.exists()]
    if existing:
        raise UsageError(f"文件已存在，未作任何修改：{'、'.join(existing)}")
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:  # "x": never replaces a file made meanwhile
            out.write(text)
        typer.echo(f"已创建 {path}")
    typer.echo(f"下一步：编辑两个文件，然后运行 audit rules validate {pack_path} 和 audit rules test {fixture_path}")
