"""Pipe text that drops blank cells (as seed 000 does): never a value in a wrong column.

Rows print only their non-blank values, followed by runs of pipes of random length, so a
short row's columns are unknown. Whatever the parser places must be right; the rest must
say `unplaced`.
"""

from __future__ import annotations

import random

import pytest

from auditor.model.template import load_template
from auditor.pipeline import parse_text
from tests.reportgen import make_report


def _render(fmt: str, year: int, cells: dict[str, int | float | None], rng: random.Random, marked: bool) -> str:
    t = load_template(fmt)
    out = [f"某县人民政府{year}年政府信息公开工作年度报告", "一、总体情况", f"{year}年，某县人民政府认真落实条例。"]
    out.append("二、主动公开政府信息情况")
    disclosure = t.tables["disclosure"]
    for caption, cols in disclosure.column_labels.items():
        out += [f"{caption} |", "|||", "信息内容 |", *(f"{v[0]} |" for v in cols.values())]
        for row in disclosure.rows.values():
            if row.caption == caption:
                out.append(f"{row.labels[0]} |")
                for c in row.columns:
                    value = cells[f"disclosure.{row.key}.{c}"]
                    if value is not None:
                        out.append(f"{value} |")
                    elif marked:  # table 二 of seed 000 marks a blank with a lone pipe
                        out.append("|")
    out += ["三、收到和处理政府信息公开申请情况", "申请人情况 |", "||||||||"]
    out += [
        f"{label} |"
        for label in (
            "自然人",
            "法人或其他组织",
            "总计",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
        )
    ]
    for row in t.tables["requests"].rows.values():
        out.append(f"{row.labels[0]} |")
        out += [
            f"{cells[f'requests.{row.key}.{c}']} |" for c in row.columns if cells[f"requests.{row.key}.{c}"] is not None
        ]
        out.append("|" * rng.randint(1, 8))
    out += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 |", "行政诉讼 |", "|||||||||||||"]
    out += [f"{label} |" for label in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")] + ["|||||"]
    out += [f"{cells[k]} |" for k in t.keys("appeals") if cells[k] is not None]
    out += ["五、存在的主要问题及改进情况", "问题和改进。", "六、其他需要报告的事项", "无。"]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("seed", range(40))
def test_no_value_lands_in_a_wrong_column(seed: int) -> None:
    rng = random.Random(seed)
    fmt = rng.choice(["2019", "2021"])
    generated = make_report(seed, fmt=fmt, layout="tab", label_noise=False)
    cells = {k: (None if v == 0 and rng.random() < 0.5 else v) for k, v in generated.cells.items()}
    report = parse_text(_render(fmt, generated.year, cells, rng, marked=rng.random() < 0.5))
    for key, truth in cells.items():
        cell = report.cells[key]
        if cell.state.value == "unplaced":
            continue
        if truth is None:
            assert cell.value is None, key
        else:
            assert cell.value is not None and abs(cell.value - truth) < 1e-6, (key, cell.value, truth)
