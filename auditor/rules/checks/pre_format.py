"""A report for a year before the State Council formats existed (FMT-000).

Reports for 2018 and earlier were free-form: no fixed parts, no statistical tables. The
engine runs no other rule on them; this one says why, so the inspector sees a verdict of
"formats do not apply" rather than silence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.template import first_format_year
from auditor.model.types import Report
from auditor.rules.types import CheckContext, Result

KIND = "pre_format"
PARAMS_SCHEMA: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": {}}
PLACEHOLDERS = frozenset({"first_year"})  # the first report year of the formats


def predates_formats(report: Report) -> bool:
    """Whether the report's year comes before the first State Council format."""
    return report.meta.year is not None and report.meta.year < first_format_year()


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield one result when the report predates the formats."""
    if predates_formats(report):
        yield Result(expected=first_format_year(), actual=report.meta.year, vars={"first_year": first_format_year()})
