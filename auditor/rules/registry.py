"""The check kinds, by name: one literal dict, so adding a kind is one import and one line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

from auditor.model.types import Report
from auditor.rules.checks import (
    blank_cells,
    condition,
    cross_year,
    deadline,
    identity,
    page_header,
    parse_problems,
    period,
    pre_format,
    required_section,
    specific_text,
    table_labels,
    table_shape,
    template_version,
    text_number,
    text_required,
    unplaced_cells,
    value,
)
from auditor.rules.types import CheckContext, Result

CheckFn = Callable[[Report, Mapping[str, Any], CheckContext], Iterable[Result]]

CHECKS: dict[str, ModuleType] = {
    identity.KIND: identity,
    required_section.KIND: required_section,
    table_shape.KIND: table_shape,
    period.KIND: period,
    deadline.KIND: deadline,
    template_version.KIND: template_version,
    value.KIND: value,
    text_required.KIND: text_required,
    blank_cells.KIND: blank_cells,
    parse_problems.KIND: parse_problems,
    unplaced_cells.KIND: unplaced_cells,
    cross_year.KIND: cross_year,
    text_number.KIND: text_number,
    condition.KIND: condition,
    table_labels.KIND: table_labels,
    specific_text.KIND: specific_text,
    page_header.KIND: page_header,
    pre_format.KIND: pre_format,
}


def check_fn(kind: str) -> CheckFn:
    """The ``check`` function of a kind (KeyError for an unknown kind)."""
    fn: CheckFn = CHECKS[kind].check
    return fn


def params_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a kind's params."""
    schema: dict[str, Any] = CHECKS[kind].PARAMS_SCHEMA
    return schema
