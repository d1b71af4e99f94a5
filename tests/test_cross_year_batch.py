"""A batch holding one body's reports for consecutive years compares them (cross-year rules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import pipeline
from auditor.model.types import Report
from auditor.pipeline import AuditOptions, audit_files
from tests.reportgen import make_report

AGENCY = "临江市生态环境局"


def _write(folder: Path, name: str, seed: int, year: int, layout: str) -> Path:
    path = folder / name
    path.write_text(make_report(seed, fmt="2021", year=year, agency=AGENCY, layout=layout).text, encoding="utf-8")
    return path


def _cross_year_skipped(record: dict[str, object]) -> set[str]:
    skipped = record["not_evaluated"]
    assert isinstance(skipped, list)
    return {str(n["rule"]) for n in skipped if str(n["rule"]).startswith(("YOY", "RECT-003"))}


def test_consecutive_years_are_compared(tmp_path: Path) -> None:
    later = _write(tmp_path, "b.txt", 4, 2023, "tab")
    earlier = _write(tmp_path, "a.txt", 3, 2022, "pipe")
    steps: list[tuple[int, int]] = []
    records = audit_files([later, earlier], AuditOptions(), jobs=1, progress=lambda d, t: steps.append((d, t)))
    by_year = {r["meta"]["year"]: r for r in records}
    assert [Path(r["source"]["path"]).name for r in records] == ["b.txt", "a.txt"]  # input order kept
    assert _cross_year_skipped(by_year[2022])  # nothing before 2022 in the batch
    assert not _cross_year_skipped(by_year[2023])  # compared with 2022
    # The generator draws each year's figures independently: 上年结转 ≠ last year's 结转下年度.
    yoy = [f for f in by_year[2023]["findings"] if f["rule"] == "YOY-001"]
    assert yoy and all(f["severity"] == "warning" for f in yoy)
    assert steps[-1] == (3, 3)  # two first-pass audits plus one re-audit with the previous year


def test_single_year_batch_is_not_audited_twice(tmp_path: Path) -> None:
    files = [_write(tmp_path, f"r{i}.txt", i, 2023, "pipe") for i in range(3)]
    steps: list[tuple[int, int]] = []
    audit_files(files, AuditOptions(), jobs=1, progress=lambda d, t: steps.append((d, t)))
    assert steps[-1] == (3, 3)


def test_a_pair_is_not_parsed_again_once_the_batch_shows_two_years(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first two reports show two years: from the third on, the first pass keeps what it
    # parsed, and the pair (c, d) is audited again without reading either file a second time.
    files = [
        _write(tmp_path, "a.txt", 1, 2021, "pipe"),
        _write(tmp_path, "b.txt", 2, 2023, "tab"),
        _write(tmp_path, "c.txt", 3, 2022, "pipe"),
        _write(tmp_path, "d.txt", 4, 2023, "tab"),
    ]
    expected = audit_files(files, AuditOptions(), budget=None)
    read: list[str] = []
    real = pipeline.read_report

    def reading(path: Path) -> Report:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(pipeline, "read_report", reading)
    records = audit_files(files, AuditOptions(), budget=None)
    assert records == expected
    # a (2021) and b (2023) were parsed before two years were seen: the pair (a.txt → c.txt)
    # reads a again; c and d were kept. b pairs with c (2022 → 2023): b is read again.
    assert sorted(read) == ["a.txt", "a.txt", "b.txt", "b.txt", "c.txt", "d.txt"]
