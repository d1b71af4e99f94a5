"""Skeletons for `audit rules new`: a pack holding one new rule, and its fixture file.

The rule starts from a bundled rule of the same kind (its params and message are a valid
example of that kind), so the skeleton validates as written and only needs editing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from auditor.rules.loader import bundled_packs, load_pack
from auditor.rules.schema import placeholders
from auditor.rules.types import Rule


def example_rule(kind: str) -> Rule | None:
    """The first bundled rule of a kind (current edition first), or None."""
    for name in ("2024", *bundled_packs()):
        for rule in load_pack(name).rules:
            if rule.check == kind:
                return rule
    return None


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def pack_skeleton(rule_id: str, kind: str, extends: str) -> str:
    """A pack file extending ``extends`` with one rule of ``kind`` to edit."""
    example = example_rule(kind)
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": "local." + rule_id.lower().replace("-", "_"),
        "description": "（一句话说明这条规则检查什么）",
        "status": "preview",
        "severity": example.severity if example else "warning",
        "category": example.category if example else "narrative",
        "message": example.message if example else "（问题描述）",
        "remediation": example.remediation if example else "（整改要求）",
        "reference": example.reference if example else "（依据）",
        "deduction": example.deduction if example else 1,
        "check": kind,
        "params": dict(example.params) if example else {},
    }
    names = "、".join("{" + n + "}" for n in sorted(placeholders(kind)))
    source = f"复制自内置规则 {example.id}，" if example else ""
    head = (
        f"# 新规则 {rule_id}（检查类型 {kind}）：{source}请按需修改。\n"
        f"# message 可用的占位符：{names}\n"
        "# 单元格键：audit rules cells；字段说明：audit rules schema 或 docs/rules.md\n"
        "# status: preview 表示试行（报告问题但不扣分），确认无误后改为 stable。\n"
    )
    pack = {"pack": rule_id.lower(), "extends": extends, "rules": [rule]}
    return head + _dump(pack)


def fixture_skeleton(rule_id: str, pack: Path, fixture: Path) -> str:
    """A fixture file for the new rule: a passing generated report and a failing one to edit."""
    relative = Path(os.path.relpath(pack.resolve(), fixture.resolve().parent)).as_posix()
    data = {
        "rule": rule_id,
        "pack": relative,
        "cases": {
            "pass_generated": {"generate": {"seed": 1, "fmt": "2021"}, "expect": "pass"},
            "fail_example": {
                "generate": {"seed": 1, "fmt": "2021"},
                "replace": {"（要替换的原文）": "（替换后的文字，使规则报告问题）"},
                "expect": "fail",
                "findings": [{"cells": [], "location": {"part": None}}],
            },
        },
    }
    head = (
        f"# {rule_id} 的测试用例：pass 用例不应有问题，fail 用例应有下面 findings 所列的问题。\n"
        "# replace 在解析前修改报告文字；也可用 text（全文）、file（文件）或 model（直接描述）。\n"
        f"# 运行：audit rules test {fixture.as_posix()}\n"
    )
    return head + _dump(data)
