"""Fixtures of the renderer tests: hand-built audit records (see render_records.py)."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.findings.records import record_errors
from tests.render import render_records


def _valid(record: dict[str, Any]) -> dict[str, Any]:
    """Renderer tests run on records that follow the one audit-record schema."""
    assert record_errors(record) == []
    return record


@pytest.fixture
def rec2019() -> dict[str, Any]:
    return _valid(render_records.record_2019())


@pytest.fixture
def rec2021() -> dict[str, Any]:
    return _valid(render_records.record_2021())


@pytest.fixture
def rec_failed() -> dict[str, Any]:
    return _valid(render_records.record_failed())


@pytest.fixture
def rec_script() -> dict[str, Any]:
    return _valid(render_records.record_script())


@pytest.fixture
def records() -> list[dict[str, Any]]:
    return [_valid(r) for r in render_records.batch()]
