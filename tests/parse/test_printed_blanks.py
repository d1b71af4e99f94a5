"""Table 三 printed with every blank cell marked, one field per cell, and no row complete
(every row left some cell blank): the blanks are cells, so every value keeps its column.

Seen on real pages converted to text: rows on one line ("一、… | 0 | | | | | | 0 |") and
markdown-like rows opening with the spanned label columns ("| | 2.… | | | | | | | 0 |").
"""

from __future__ import annotations

import random

import pytest

from auditor.model.template import load_template
from auditor.pipeline import parse_text
from tests.reportgen import make_report

HEAD = [
    "青川县统计局2023年政府信息公开工作年度报告",
    "一、总体情况",
    "本年度认真落实条例。",
    "三、收到和处理政府信息公开申请情况",
]
TAIL = ["五、存在的主要问题及改进情况", "问题和改进。", "六、其他需要报告的事项", "无。"]


def _table(cells: dict[str, int | None], style: str) -> list[str]:
    spec = load_template("2021").tables["requests"]
    out = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |",
        "自然人 | 法人或其他组织 | 总计 |",
        "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |",
    ]
    for row in spec.rows.values():
        values = " | ".join(
            "" if cells[f"requests.{row.key}.{c}"] is None else str(cells[f"requests.{row.key}.{c}"])
            for c in row.columns
        )
        lead = "" if style == "one_line" else "| | "
        out.append(f"{lead}{row.labels[0]} | {values} |")
    return out


@pytest.mark.parametrize("style", ["one_line", "leading_pipes"])
@pytest.mark.parametrize("seed", range(6))
def test_marked_blanks_keep_every_value_in_its_column(seed: int, style: str) -> None:
    rng = random.Random(seed)
    generated = make_report(seed, fmt="2021", year=2023, layout="tab", label_noise=False)
    cells: dict[str, int | None] = {}
    spec = load_template("2021").tables["requests"]
    for row in spec.rows.values():
        keys = [f"requests.{row.key}.{c}" for c in row.columns]
        blank = rng.choice(keys[:-1])  # no row is complete
        for key in keys:
            value = generated.cells[key]
            cells[key] = None if key == blank or (value == 0 and rng.random() < 0.6) else int(value)
    report = parse_text("\n".join([*HEAD, *_table(cells, style), *TAIL]) + "\n")
    for key, truth in cells.items():
        cell = report.cells[key]
        assert (cell.state.value, cell.value) == (("blank", None) if truth is None else ("number", truth)), key
