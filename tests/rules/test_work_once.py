"""Work that depends only on the pack and the format is done once per process, not per report.

Each test audits two different reports and counts the calls that the second one makes:
the counts would grow with every report if the work were redone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from auditor.findings import audit
from auditor.model.template import load_template
from auditor.model.values import classify
from auditor.pipeline import parse_text
from auditor.rules import narrative
from auditor.rules.checks import identity as identity_check
from auditor.rules.checks import template_version
from auditor.rules.checks import value as value_check
from auditor.rules.loader import pack_for
from tests.reportgen import make_report


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls = [0]
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _audit(seed: int) -> None:
    report = parse_text(make_report(seed, fmt="2021", year=2023).text)
    audit(report, pack_for(report))


def test_identities_are_expanded_once_per_format(monkeypatch: pytest.MonkeyPatch) -> None:
    identity_check._compiled.cache_clear()
    calls = _counting(monkeypatch, identity_check, "expand")
    _audit(1)
    first = calls[0]
    _audit(2)
    assert first > 0
    assert calls[0] == first


def test_prose_is_normalised_once_per_report(monkeypatch: pytest.MonkeyPatch) -> None:
    report = parse_text(make_report(3, fmt="2021", year=2023).text)
    calls = _counting(monkeypatch, narrative, "normalise")
    audit(report, pack_for(report))
    lines = list(narrative.prose(report))
    assert lines
    assert calls[0] == len(lines)


def test_prose_follows_the_report_asked_for() -> None:
    one, two = (parse_text(make_report(seed, fmt="2021", year=2023).text) for seed in (4, 5))
    first = list(narrative.prose(one))
    second = list(narrative.prose(two))
    assert first != second
    assert list(narrative.prose(one)) == first
    assert second == list(narrative.prose(parse_text(make_report(5, fmt="2021", year=2023).text)))


def test_value_rules_look_up_column_kinds_only_for_suspect_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    money = _counting(monkeypatch, value_check, "is_money")
    signed = _counting(monkeypatch, value_check, "is_signed")
    _audit(6)  # a clean report: no negative, signed or fractional count
    assert (money[0], signed[0]) == (0, 0)


def test_format_signatures_are_prepared_once(monkeypatch: pytest.MonkeyPatch) -> None:
    template_version._signatures.cache_clear()
    calls = _counting(monkeypatch, template_version, "_labels")
    _audit(7)
    first = calls[0]
    _audit(8)
    assert first > 0
    assert calls[0] == first


def test_template_keys_and_sets_are_derived_once() -> None:
    template = load_template("2021")
    assert template.keys() is template.keys()
    assert template.keys("requests") is template.keys("requests")
    assert set(template.keys("requests")) < set(template.keys())
    row = template.row_keys("requests.denied.state_secret")
    assert row is template.row_keys("requests.denied.state_secret")
    assert row == tuple(k for k in template.keys("requests") if k.startswith("requests.denied.state_secret."))
    sets = template.named_sets()
    sets.clear()  # callers get their own copy
    assert template.named_sets()["requests.rows"]


def test_cell_texts_are_classified_once() -> None:
    token = classify("1,234")
    assert token is not None and token.amount == 1234
    assert classify("1,234") is token
    assert classify("1，234") is not token
