"""One pytest case per fixture case (ids ``<RULE_ID>_<case>``), plus the coverage meta-test."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.rule_fixtures import FixtureCase, load_cases, run_case
from auditor.rules.loader import bundled_packs, load_pack

FIXTURES = Path(__file__).parent / "fixtures"
CASES = load_cases([FIXTURES])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case: FixtureCase) -> None:
    result = run_case(case, strict=True)
    assert result.ok, result.message


def test_every_bundled_rule_has_pass_and_fail_cases() -> None:
    expects: dict[str, set[str]] = {}
    for case in CASES:
        assert case.file.stem == case.rule, f"{case.file.name} holds cases of {case.rule}"
        expects.setdefault(case.rule, set()).add(str(case.spec.get("expect", "fail")))
    rules = {r.id for name in bundled_packs() for r in load_pack(name).rules}
    missing = sorted(r for r in rules if expects.get(r, set()) != {"pass", "fail"})
    assert not missing, f"rules without a pass and a fail fixture case: {missing}"


def test_fixture_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
