"""One pytest case per fixture case (ids ``<RULE_ID>_<case>``), plus the coverage meta-test."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.rule_fixtures import FixtureCase, load_cases, run_case
from auditor.rules.loader import bundled_packs, load_pack
from auditor.rules.types import Rule

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


def test_every_failing_case_pins_cells_and_location() -> None:
    weak = [
        c.id
        for c in CASES
        if c.spec.get("expect", "fail") == "fail"
        and not any("cells" in want and "location" in want for want in c.spec.get("findings") or ())
    ]
    assert not weak, f"failing cases that do not name the cells and location of a finding: {weak}"


# Kinds that read the report's prose, headings, header lines or dates: their rules need a
# failing case that goes through the parser, so a parser change that breaks them shows.
TEXT_KINDS = {"text_required", "text_number", "specific_text", "page_header", "period", "deadline", "required_section"}
# Patches that replace what the parser read from the text.
TEXT_PATCHES = {"meta", "section_text", "section_lines", "drop_sections"}
PREDICATE_LISTS = ("when", "when_any", "require", "require_any")


def _reads_text(rule: Rule) -> bool:
    if rule.check in TEXT_KINDS:
        return True
    if rule.check == "condition":
        predicates = [p for case in rule.params["cases"] for key in PREDICATE_LISTS for p in case.get(key) or ()]
        return any("text" in p for p in predicates)
    return rule.check == "cross_year" and "sections" in rule.params


def test_every_rule_that_reads_text_has_a_parsed_failing_case() -> None:
    rules = {r.id: r for name in bundled_packs() for r in load_pack(name).rules}
    parsed = {
        c.rule
        for c in CASES
        if c.spec.get("expect", "fail") == "fail"
        and "model" not in c.spec
        and not TEXT_PATCHES & set(c.spec.get("patch") or {})
    }
    missing = sorted(rid for rid, rule in rules.items() if _reads_text(rule) and rid not in parsed)
    assert len([r for r in rules.values() if _reads_text(r)]) > 30
    assert not missing, f"rules reading text without a failing case from report text: {missing}"
