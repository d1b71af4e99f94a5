"""Tests of the synthetic report generator (tests/reportgen.py) itself.

They check that what `make_report` says about a report is true of the text it printed: the
values read back from every layout are the ``cells``, the labels are template labels, the
identities hold for clean reports, and every defect changes exactly what it claims.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml

from tests.reportgen import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    DEFECT_CATEGORY,
    DEFECTS,
    FORMATS,
    LAYOUTS,
    REQUEST_COLUMNS,
    Generated,
    cell_keys,
    identity_violations,
    make_report,
    publication_deadline,
    request_rows,
    required_format,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "auditor" / "model" / "templates"
BLANK_TOKENS = {"/", "—", "无", ""}
NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)(元)?$")
HEADING_5_6 = re.compile(r"^(?:#+ )?[五六]、")


# ---------------------------------------------------------------------------------------
# A small reader of the generator's own layouts
# ---------------------------------------------------------------------------------------


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _table_region(g: Generated) -> list[str]:
    """Lines from the part 二 heading up to the part 五/六 heading (or the end)."""
    lines = g.text.split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(r"^(?:#+ )?二、主动公开政府信息情况$", line))
    end = next((i for i in range(start, len(lines)) if HEADING_5_6.match(lines[i])), len(lines))
    return lines[start + 1 : end]


def _md_fields(line: str) -> list[str]:
    return [f.strip() for f in line.strip()[1:-1].split("|")]


def _tokens(g: Generated) -> list[str]:
    """Every printed table cell (labels and values) in printed order; markdown/tab keep
    empty fields out, so blank markdown cells are not tokens."""
    region = _table_region(g)
    if g.layout == "pipe":
        return [line.split(" |")[0] for line in region if " |" in line]
    if g.layout == "tab":
        return [f for line in region if "\t" in line for f in line.split("\t") if f]
    if g.layout == "markdown":
        rows = [line for line in region if line.startswith("|") and not line.startswith("|---")]
        return [f for line in rows for f in _md_fields(line) if f]
    paragraphs = [p for p in "\n".join(region).split("\n\n") if p.strip()]
    return [p.strip() for p in paragraphs]


def _is_value(token: str) -> bool:
    return token in BLANK_TOKENS or bool(NUMBER.match(_nfkc(token)))


def _parse_value(token: str) -> int | float | None:
    if token in BLANK_TOKENS:
        return None
    m = NUMBER.match(_nfkc(token))
    assert m, token
    text = m.group(1)
    return float(text) if "." in text else int(text)


def _markdown_values(g: Generated) -> list[int | float | None]:
    """Values of a markdown report by position (blank markdown cells are empty)."""
    region = _table_region(g)
    tables: list[list[list[str]]] = []
    for line in region:
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            if not tables or not tables[-1] or len(_md_fields(line)) != len(tables[-1][0]):
                tables.append([])
            tables[-1].append(_md_fields(line))
        elif tables and tables[-1]:
            tables.append([])
    tables = [t for t in tables if t]
    assert [len(t[0]) for t in tables] == [4, 10, 15]
    disclosure, requests, appeals = tables
    out: list[int | float | None] = []
    widths = {"2021": [3, 3, 1, 1, 1, 1], "2019": [3, 3, 3, 3, 3, 3, 2, 2]}[g.format]
    data_rows = [r for r in disclosure if not re.sub(r"\s", "", _nfkc(r[0])).startswith(("第", "信息内容"))]
    assert len(data_rows) == len(widths)
    for row, width in zip(data_rows, widths, strict=True):
        out += [_parse_value(f) for f in row[1 : 1 + width]]
    for row in requests[3:]:
        out += [_parse_value(f) for f in row[3:]]
    out += [_parse_value(f) for f in appeals[3]]
    return out


def _values(g: Generated) -> list[int | float | None]:
    if g.layout == "markdown":
        return _markdown_values(g)
    return [_parse_value(t) for t in _tokens(g) if _is_value(t)]


def _same(key: str, printed: int | float | None, cell: int | float | None) -> bool:
    if printed is None or cell is None:
        return printed is cell
    if key.endswith("amount_yuan"):  # printed in 元, or in 万元 under a unit header
        return abs(printed - cell) < 1e-6 or abs(printed * 10000 - cell) < 1e-3
    return printed == cell


def _check_values(g: Generated) -> None:
    keys = cell_keys(g.format)
    assert list(g.cells) == list(keys)
    printed = _values(g)
    assert len(printed) == len(keys), (g.layout, len(printed), len(keys))
    for key, p in zip(keys, printed, strict=True):
        assert _same(key, p, g.cells[key]), (key, p, g.cells[key])


# ---------------------------------------------------------------------------------------
# Labels against the parser's templates
# ---------------------------------------------------------------------------------------

_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])")


def _norm_label(s: str) -> str:
    s = re.sub(r"\s+", "", _nfkc(s)).replace("钩稽", "勾稽").replace("“", '"').replace("”", '"')
    s = re.sub(r"\(单位:万?元\)$", "", s) if s.startswith("采购总金额") else s
    return _PREFIX.sub("", s)


def _yaml_strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _yaml_strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _yaml_strings(v)]
    return []


@cache
def _template_labels(fmt: str) -> frozenset[str]:
    data = yaml.safe_load((TEMPLATES / f"{fmt}.yaml").read_text(encoding="utf-8"))
    return frozenset(_norm_label(s) for s in _yaml_strings(data["tables"]))


# ---------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_identities_hold_on_clean_reports(fmt: str) -> None:
    for seed in range(200):
        g = make_report(seed, fmt=fmt, blanks=seed % 3 == 0)
        assert g.format == fmt and g.defect is None and g.defect_cells == ()
        assert required_format(g.year) == fmt
        assert identity_violations(g.cells, fmt) == [], seed
        for key, v in g.cells.items():
            assert v is None or v >= 0 or key.endswith(".change"), (seed, key, v)
            if key.startswith(("requests.", "appeals.")):
                assert v is None or isinstance(v, int)


def test_reports_vary_like_real_ones() -> None:
    reports = [make_report(seed) for seed in range(300)]
    assert {g.layout for g in reports} == set(LAYOUTS)
    assert {g.format for g in reports} == set(FORMATS)
    assert {g.body_kind for g in reports} == {"government", "department"}
    assert {g.year for g in reports} == set(range(2019, 2026))
    values = [v for g in reports for v in g.cells.values() if isinstance(v, int | float)]
    zeros = sum(1 for v in values if v == 0)
    assert zeros / len(values) > 0.4  # many zeros
    assert max(values) > 100_000  # and a few large numbers
    assert any(g.period is None for g in reports) and any(g.period for g in reports)
    assert any(g.published is None for g in reports) and any(g.published for g in reports)
    assert any(isinstance(g.cells.get("disclosure.fees.amount_wan"), float) for g in reports)
    assert any(isinstance(v, int) and v < 0 for g in reports for k, v in g.cells.items() if k.endswith(".change"))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("blanks", [False, True])
def test_values_read_back_from_every_layout(layout: str, fmt: str, blanks: bool) -> None:
    for seed in range(25):
        g = make_report(seed, fmt=fmt, layout=layout, blanks=blanks)
        assert g.layout == layout
        _check_values(g)
        if blanks:
            assert any(v is None for v in g.cells.values())
        else:
            assert all(v is not None for v in g.cells.values())


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_shapes(layout: str) -> None:
    for seed in range(20):
        g = make_report(seed, layout=layout, blanks=seed % 2 == 0)
        region = _table_region(g)
        if layout == "pipe":
            assert "" not in g.text.rstrip("\n").split("\n")  # like the seeds: no blank lines
            cells = [line for line in region if " |" in line]
            assert cells and all(re.search(r" \|( \|+)?$", line) for line in cells)
            noise = [line for line in region if line and set(line) == {"|"}]
            appended = [line for line in cells if re.search(r" \| \|+$", line)]
            assert noise or appended  # the pipe runs of the seeds
            assert not any(line.split(" |")[0] == "" for line in cells)
        elif layout == "tab":
            widths = [len(line.split("\t")) for line in region if "\t" in line]
            assert set(widths) == {4, 10, 15}
            requests = [line for line in region if len(line.split("\t")) == 10]
            assert any(line.startswith("\t") for line in requests)  # spanned label columns
        elif layout == "markdown":
            assert sum(1 for line in region if line.startswith("|---")) == 3
        else:
            assert not any("\t" in line or line.endswith("|") for line in region)
            assert "\n\n" in "\n".join(region)


def test_tab_blank_cells_are_slashes_not_empty_fields() -> None:
    for seed in range(30):
        g = make_report(seed, layout="tab", blanks=True)
        rows = [line.split("\t") for line in _table_region(g) if "\t" in line]
        requests = [r for r in rows if len(r) == 10][3:]
        assert all(all(f != "" for f in r[3:]) for r in requests)
        appeals = [r for r in rows if len(r) == 15]
        assert all(f != "" for f in appeals[-1])


@pytest.mark.parametrize("fmt", FORMATS)
def test_labels_are_template_labels(fmt: str) -> None:
    known = _template_labels(fmt) | {_norm_label("第二十条第（九）项"), "其他处理"}
    seen: set[str] = set()
    for seed in range(60):
        g = make_report(seed, fmt=fmt, label_noise=seed % 4 != 0)
        labels = [t for t in _tokens(g) if not _is_value(t)]
        if g.layout == "paragraph":  # part headings and lead sentences are paragraphs too
            labels = [t for t in labels if not t.endswith(("。", "情况")) or not re.match(r"^(?:#+ )?[三四]、", t)]
            labels = [t for t in labels if not t.endswith("。")]
        for label in labels:
            assert _norm_label(label) in known, (seed, g.layout, label)
            seen.add(label)
    assert any(" " in s for s in seen)  # stray spaces
    assert any(s.startswith("属于") for s in seen)  # dropped list numbers


def test_without_label_noise_labels_are_canonical() -> None:
    for seed in range(20):
        g = make_report(seed, layout="tab", label_noise=False)
        labels = {t for t in _tokens(g) if not _is_value(t)}
        assert not any(" " in s or "(" in s for s in labels)
        assert "1.属于国家秘密" in labels
        assert "（一）予以公开" in labels


def test_signatures_match_the_printed_format() -> None:
    for seed in range(40):
        g = make_report(seed)
        text = _nfkc(g.text).replace(" ", "")
        if g.format == "2021":
            assert "本年制发件数" in text and "本年新制作数量" not in text and "政府集中采购" not in text
        else:
            assert "本年新制作数量" in text and "本年制发件数" not in text and "行政规范性文件" not in text


def test_meta_is_printed() -> None:
    for seed in range(80):
        g = make_report(seed)
        text = _nfkc(g.text)
        assert any(line.lstrip("# ") == g.title for line in g.text.split("\n"))
        assert f"{g.agency}{g.year}年" in g.title
        assert _nfkc(f"{g.year}年，{g.agency}") in text  # part 一 opens with it
        if g.period:
            start, end = (date.fromisoformat(d) for d in g.period)
            assert "统计期限" in text and f"{start.year}年1月1日" in text
            assert f"{end.year}年12月31日" in text or f"{start.year}年1月1日至12月31日" in text
        else:
            assert "统计期限" not in text
        if g.published:
            assert f"发布日期:{g.published}" in text
            assert date.fromisoformat(g.published) <= publication_deadline(g.year, g.body_kind)
            assert date.fromisoformat(g.published) > date(g.year, 12, 31)
        else:
            assert "发布日期" not in text
        if g.format == "2021":
            assert "信息处理费" in text
        if g.body_kind == "government":
            assert g.agency.endswith("人民政府")
            assert all(w in text for w in ("工作考核", "社会评议", "责任追究"))
        else:
            assert g.agency.endswith(("局", "委员会", "办公室"))
        part5 = text[text.index("五、") :]
        assert "问题" in part5 and ("改进" in part5 or "措施" in part5)


def test_deterministic() -> None:
    for seed in (0, 1, 99, 12345):
        for kwargs in ({}, {"blanks": True}, {"defect": "wrong_total"}, {"layout": "markdown", "fmt": "2019"}):
            assert make_report(seed, **kwargs) == make_report(seed, **kwargs)  # type: ignore[arg-type]
    assert make_report(1).text != make_report(2).text


def test_deterministic_across_processes() -> None:
    code = (
        "import hashlib; from tests import reportgen; "
        "print(hashlib.sha256(''.join(reportgen.make_report(s).text for s in range(20)).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], env={**env, "PYTHONHASHSEED": h}, capture_output=True, text=True, check=True
        ).stdout
        for h in ("0", "1", "4242")
    }
    assert len(outs) == 1


def test_arguments_are_honoured() -> None:
    g = make_report(5, fmt="2019", layout="tab", year=2020, body_kind="government")
    assert (g.format, g.layout, g.year, g.body_kind) == ("2019", "tab", 2020, "government")
    g = make_report(5, year=2023)
    assert g.format == "2021"
    g = make_report(5, agency="临江市生态环境局")
    assert (g.agency, g.body_kind) == ("临江市生态环境局", "department")
    with pytest.raises(ValueError):
        make_report(5, fmt="2019", year=2023)
    with pytest.raises(ValueError):
        make_report(5, defect="no_such_defect")
    with pytest.raises(ValueError):
        make_report(5, fmt="2021", year=2023, defect="wrong_template")


CELL_DEFECTS = ("wrong_total", "wrong_inner_cell", "wrong_appeals_total", "negative_count")


@pytest.mark.parametrize("defect", CELL_DEFECTS)
def test_cell_defects_change_exactly_their_cells(defect: str) -> None:
    for seed in range(60):
        clean = make_report(seed, blanks=seed % 2 == 0)
        bad = make_report(seed, blanks=seed % 2 == 0, defect=defect)
        assert bad.defect == defect and bad.defect_category == DEFECT_CATEGORY[defect]
        assert (bad.format, bad.year, bad.layout, bad.agency) == (clean.format, clean.year, clean.layout, clean.agency)
        changed = {k for k in clean.cells if clean.cells[k] != bad.cells[k]}
        assert changed == set(bad.defect_cells) and len(changed) == 1
        (key,) = bad.defect_cells
        table, *rest = key.split(".")
        row, col = ".".join(rest[:-1]), rest[-1]
        value = bad.cells[key]
        assert isinstance(value, int)
        if defect == "wrong_total":
            assert table == "requests" and col == "total" and value >= 0
        elif defect == "wrong_inner_cell":
            assert table == "requests" and col != "total" and row != "results_total" and value >= 0
        elif defect == "wrong_appeals_total":
            assert table == "appeals" and col == "total" and value >= 0
        else:
            assert table in ("requests", "appeals") and value < 0
        violations = identity_violations(bad.cells, bad.format)
        assert violations
        if defect != "negative_count":
            assert len([v for v in violations if "negative" not in v]) >= (1 if table == "appeals" else 2)
        _check_values(bad)


def test_missing_part() -> None:
    dropped = set()
    for seed in range(40):
        g = make_report(seed, defect="missing_part")
        assert g.defect_category == "structure" and g.defect_cells == ()
        (missing,) = set(range(1, 7)) - set(g.parts)
        dropped.add(missing)
        assert missing in (1, 5, 6)
        lines = [_nfkc(line).lstrip("# ") for line in g.text.split("\n")]
        headings = {1: "一、总体情况", 5: "五、", 6: "六、其他需要报告的事项"}
        assert not any(line.startswith(headings[missing]) for line in lines)
        for n in g.parts:
            assert any(line.startswith("一二三四五六"[n - 1] + "、") for line in lines)
        identity = make_report(seed)
        assert identity_violations(g.cells, g.format) == []
        assert g.cells == identity.cells
    assert dropped == {1, 5, 6}


def test_wrong_template() -> None:
    for seed in range(40):
        g = make_report(seed, defect="wrong_template")
        assert g.format != required_format(g.year) and g.defect_category == "template"
        assert identity_violations(g.cells, g.format) == []
        _check_values(g)
    assert make_report(3, year=2022, defect="wrong_template").format == "2019"
    assert make_report(3, year=2020, defect="wrong_template").format == "2021"
    g = make_report(3, fmt="2019", defect="wrong_template")
    assert g.format == "2019" and g.year >= 2021


def test_late_publication() -> None:
    for seed in range(40):
        g = make_report(seed, defect="late_publication")
        assert g.published and g.defect_category == "deadline"
        assert date.fromisoformat(g.published) > publication_deadline(g.year, g.body_kind)
        assert f"发布日期:{g.published}" in _nfkc(g.text)
        assert identity_violations(g.cells, g.format) == []
    dept = make_report(1, body_kind="department", defect="late_publication")
    assert dept.published and dept.published > f"{dept.year + 1}-01-31"


def test_wrong_period_year() -> None:
    for seed in range(40):
        g = make_report(seed, defect="wrong_period_year")
        assert g.period and g.defect_category == "period"
        start, end = (date.fromisoformat(d) for d in g.period)
        assert (start.year, end.year) != (g.year, g.year)
        assert {start.year, end.year} <= {g.year - 1, g.year, g.year + 1}
        text = _nfkc(g.text)
        assert f"{start.year}年1月1日" in text
        assert f"{end.year}年12月31日" in text or f"{start.year}年1月1日至12月31日" in text
        assert f"{g.year}年" in g.title


def test_every_defect_is_covered() -> None:
    assert set(DEFECTS) == set(DEFECT_CATEGORY)
    for defect in DEFECTS:
        g = make_report(0, defect=defect)
        assert g.defect == defect


def test_key_helpers() -> None:
    assert len(cell_keys("2021")) == 10 + 25 * 7 + 15
    assert len(cell_keys("2019")) == 22 + 23 * 7 + 15
    assert len(request_rows("2021")) == 25 and len(request_rows("2019")) == 23
    assert len(REQUEST_COLUMNS) == 7 and len(APPEAL_GROUPS) * len(APPEAL_COLUMNS) == 15
