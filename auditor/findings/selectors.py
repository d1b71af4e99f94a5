"""``--select``/``--ignore`` tokens: a rule id, an id prefix or a category (English or Chinese).

Tokens are case-insensitive (``col`` = ``COL``) and a category may be named as the outputs
show it (``勾稽关系`` = ``identity``). A token that matches no rule is a usage error with a
did-you-mean, never a silently empty run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from auditor.errors import UsageError
from auditor.findings.types import CATEGORY_LABELS
from auditor.rules.types import Rule

_BY_LABEL = {label: category for category, label in CATEGORY_LABELS.items()}


def _category(token: str) -> str | None:
    folded = token.casefold()
    if folded in CATEGORY_LABELS:
        return folded
    return _BY_LABEL.get(token)


def matches(token: str, rule: Rule) -> bool:
    """Whether one token selects ``rule``: its id, a prefix of its id, or its category."""
    if not token:  # an empty token would be a prefix of every id: it selects nothing
        return False
    category = _category(token)
    if category is not None:
        return rule.category == category
    # A former id (an alias of a renamed rule) keeps selecting the rule.
    return rule.known_as(token.upper()) or rule.id.upper().startswith(token.upper())


def selected(rule: Rule, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Whether ``--select``/``--ignore`` keep a rule."""
    return (not select or any(matches(t, rule) for t in select)) and not any(matches(t, rule) for t in ignore)


def _known_words(rules: Sequence[Rule]) -> list[str]:
    ids = {r.id for r in rules}
    prefixes = {r.id.split("-", 1)[0] for r in rules}
    return sorted(ids | prefixes | set(CATEGORY_LABELS) | set(CATEGORY_LABELS.values()))


def check_selectors(tokens: Iterable[str], rules: Sequence[Rule], option: str) -> tuple[str, ...]:
    """The tokens, each checked to select at least one rule; otherwise `UsageError` with suggestions."""
    out = tuple(tokens)
    for token in out:
        if any(matches(token, r) for r in rules):
            continue
        known = _known_words(rules)
        by_case = {w.upper(): w for w in known}
        close = difflib.get_close_matches(token.upper(), list(by_case), n=3, cutoff=0.5)
        close += [w for w in difflib.get_close_matches(token, known, n=3, cutoff=0.5) if w not in close]
        hint = f"；是否想输入：{'、'.join(dict.fromkeys(by_case.get(c, c) for c in close))}" if close else ""
        raise UsageError(
            f"{option} {token!r} 不对应任何规则（可用规则编号如 COL-001、编号前缀如 COL，"
            f"或类别如 identity/勾稽关系；`audit rules list` 列出全部规则）{hint}"
        )
    return out
