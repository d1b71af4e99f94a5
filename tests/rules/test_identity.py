"""The identity grammar: parsing, errors with columns, expansion against format keys."""

from __future__ import annotations

import re

import pytest

from auditor.model.template import load_template
from auditor.rules.identity import IdentitySyntaxError, expand, parse_identity

KEYS21 = load_template("2021").keys()
KEYS19 = load_template("2019").keys()


def test_row_sum_expands_per_binding() -> None:
    ident = parse_identity("requests.{row}.natural_person + requests.{row}.commercial = requests.{row}.total")
    assert ident.variables == {"row"}
    lin = expand(ident, {"row": "denied.state_secret"}, KEYS21)
    row = "requests.denied.state_secret"
    assert lin.lhs == {f"{row}.natural_person": 1.0, f"{row}.commercial": 1.0}
    assert lin.rhs == {"requests.denied.state_secret.total": 1.0}
    assert lin.op == "="


def test_star_matches_one_segment_only() -> None:
    ident = parse_identity("requests.results_total.{col} = sum(requests.denied.*.{col})")
    lin = expand(ident, {"col": "total"}, KEYS21)
    assert len(lin.rhs) == 8
    assert all(k.startswith("requests.denied.") and k.endswith(".total") for k in lin.rhs)


def test_sum_over_missing_rows_is_reported_empty() -> None:
    lin = expand(parse_identity("requests.results_total.total = sum(requests.other.*.total)"), {}, KEYS19)
    assert lin.empty_sums == ("requests.other.*.total",)


def test_coefficients_signs_and_constants() -> None:
    lin = expand(parse_identity("2 * a.b.c - a.b.d + 3 >= - a.b.e"), {}, ())
    assert lin.lhs == {"a.b.c": 2.0, "a.b.d": -1.0}
    assert lin.lhs_const == 3.0
    assert lin.rhs == {"a.b.e": -1.0}
    assert lin.op == ">="


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a.b.c = + + a.b.d", "表达式第 11 列有多余的“+”"),
        ("a.b.c + = a.b.d", "表达式第 9 列有多余的“=”"),
        ("a.b.c = a.b.d $", "表达式第 15 列的字符“$”无法识别"),
        ("a.b.c =", "表达式不完整"),
        ("a.b.c = 1" + "0" * 400, "常数或系数超出范围"),
        ("a.b.c = 1" + "0" * 12 + "1 * a.b.d", "常数或系数超出范围"),
    ],
)
def test_syntax_errors_name_the_column(text: str, message: str) -> None:
    with pytest.raises(IdentitySyntaxError, match=re.escape(message)):
        parse_identity(text)


def test_unbound_variable() -> None:
    with pytest.raises(KeyError):
        expand(parse_identity("requests.{row}.total = requests.{row}.total"), {}, KEYS21)
