"""Comparisons with the same body's previous-year report (YOY-001..004, RECT-003).

The engine runs rules of category ``cross_year`` only when it was given the previous
report (``ctx.previous``); otherwise they are *not evaluated*. Two modes:

``roll_forward``
    Per ``foreach`` binding, a this-year ``cell`` must equal the signed sum of ``terms``,
    each read from the ``previous`` or ``this`` report: 上年结转 = last year's 结转下年度
    (YOY-001); 现行有效件数 = last year's + 本年制发 − 本年废止 (YOY-002); 上一年项目数量 =
    last year's 上一年项目数量 + 本年增/减 (YOY-003). The this-year cell is blamed. A blank
    counts as 0; an absent, text or unplaced cell on either side → not evaluated.
    ``explained`` softens a finding when a sentence of the report names the row (its
    template label) together with an explanation keyword (清理, 失效 …).
``similar_text``
    Parts whose normalised text is more than ``threshold`` similar to last year's
    (`auditor.rules.similarity`: Jaccard index of character n-grams), optionally only
    their sentences holding one of the ``sentences`` words (RECT-003: problem
    statements); and ``tables`` whose every cell equals last year's while at least
    ``min_nonzero`` of them are non-zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from auditor.model.template import PART_NUMERALS, Template, load_template
from auditor.model.types import CellRef, CellState, Report, Section
from auditor.rules.cellnames import NUMERALS as TABLE_NUMERALS
from auditor.rules.cellnames import binding_label, cell_name
from auditor.rules.checks.identity import EXCLUDE_SCHEMA, FOREACH_SCHEMA, bindings
from auditor.rules.similarity import normalise, similarity
from auditor.rules.types import FAIL, SKIP, CheckContext, Result
from auditor.rules.values import compare, read_cell, table_of
from auditor.text.numerals import SMALL

KIND = "cross_year"
_KEY = {
    "type": "string",
    "pattern": r"^[a-z_]+(\.([a-z_]+|\{[a-z_]+\}))+$",
    "description": "单元格键，可含 foreach 变量，如 disclosure.{row}.in_force",
}
_WORDS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "description": "关键词列表"}

PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["mode"],
    "additionalProperties": False,
    "properties": {
        "mode": {
            "enum": ["roll_forward", "similar_text"],
            "description": "roll_forward：本年数 = 上年数加减本年变动；similar_text：与上年报告文字或数据雷同",
        },
        # ---- roll_forward
        "cell": {**_KEY, "description": "roll_forward：本年被核对（被指出）的单元格键"},
        "terms": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "description": "roll_forward：求和项，每项取上年（previous）或本年（this）的单元格",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "oneOf": [{"required": ["previous"]}, {"required": ["this"]}],
                "properties": {
                    "previous": {**_KEY, "description": "上年报告的单元格键"},
                    "this": {**_KEY, "description": "本年报告的单元格键"},
                    "sign": {"enum": [1, -1], "default": 1, "description": "1 加，-1 减"},
                },
            },
        },
        "foreach": {**FOREACH_SCHEMA, "description": "变量 → 命名集合（@表.rows）或取值列表；多个变量取乘积"},
        "exclude": {**EXCLUDE_SCHEMA, "description": "foreach 中排除的取值"},
        "tolerance": {
            "type": "number",
            "minimum": 0,
            "maximum": 1e12,
            "default": 0,
            "description": "允许的绝对误差",
        },
        # Formats the previous report must use for its cells to mean the same thing.
        "previous_formats": {
            "type": "array",
            "items": {"enum": ["2019", "2021"]},
            "minItems": 1,
            "description": "上年报告须为这些格式，否则不评估（单元格含义不同）",
        },
        "explained": {
            "type": "object",
            "required": ["keywords", "severity"],
            "additionalProperties": False,
            "description": "正文有句子同时提到该行与关键词时，降为此级别",
            "properties": {
                "keywords": {**_WORDS, "description": "说明变动原因的关键词"},
                "severity": {"enum": ["warning", "info"], "description": "已说明时的级别"},
            },
        },
        # ---- similar_text
        "sections": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 6},
            "uniqueItems": True,
            "description": "similar_text：比较文字的部分（1…6）",
        },
        "threshold": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1,
            "default": 0.9,
            "description": "similar_text：相似度超过此值即报告",
        },
        "shingle": {
            "type": "integer",
            "minimum": 1,
            "maximum": 8,
            "default": 3,
            "description": "similar_text：相似度所用的字符 n-gram 长度",
        },
        # Shorter parts ("无。", one fee sentence) are legitimately the same every year.
        "min_chars": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000,
            "default": 40,
            "description": "similar_text：短于此字数的部分不比较",
        },
        "sentences": {**_WORDS, "description": "similar_text：只比较含这些词的句子（两年都有时）"},
        "tables": {
            "type": "array",
            "items": {"enum": ["disclosure", "requests", "appeals"]},
            "uniqueItems": True,
            "description": "similar_text：各单元格与上年完全相同即报告的表",
        },
        "min_nonzero": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "default": 3,
            "description": "similar_text：表格至少有这么多非零单元格才比较",
        },
    },
    "allOf": [
        {"if": {"properties": {"mode": {"const": "roll_forward"}}}, "then": {"required": ["cell", "terms"]}},
        {
            "if": {"properties": {"mode": {"const": "similar_text"}}},
            "then": {"anyOf": [{"required": ["sections"]}, {"required": ["tables"]}]},
        },
    ],
}
PLACEHOLDERS = frozenset({"where", "detail", "part", "value", "table", "count", "previous"})
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Compare the report with ``ctx.previous`` as the mode says."""
    previous = ctx.previous
    if previous is None:
        # The engine does not call cross_year rules without a previous report; be safe anyway.
        yield Result(SKIP, reason="没有上一年度报告，未作跨年度比对")
        return
    if params["mode"] == "roll_forward":
        yield from _roll_forward(report, previous, params, ctx)
    else:
        yield from _similar_text(report, previous, params, ctx)


def previous_label(previous: Report) -> str:
    """How messages name the previous report: ``2022年度报告`` or ``上一年度报告``."""
    return f"{previous.meta.year}年度报告" if previous.meta.year is not None else "上一年度报告"


# ---- roll_forward ----------------------------------------------------------------------


def _fill(key: str, binding: Mapping[str, str]) -> str:
    for name, value in binding.items():
        key = key.replace("{" + name + "}", value)
    return key


def _value(report: Report, key: str) -> tuple[float | None, str]:
    """A cell's number (blank = 0), or None with the reason it cannot be used (`read_cell`)."""
    reading = read_cell(report, key, None)
    return reading.value, reading.why


def _num(x: float) -> float | int:
    return round(x) if abs(x - round(x)) < 1e-9 else round(x, 6)


def _short_names(keys: Sequence[tuple[str, Template | None]]) -> list[str]:
    """Chinese cell names without the segments all of them share (二·规章·现行有效件数 → 现行有效件数)."""
    split = [cell_name(k, t).split("·") for k, t in keys]
    width = min(len(s) for s in split)
    same = {i for i in range(width) if len({s[i] for s in split}) == 1 and len({len(s) for s in split}) == 1}
    out = []
    for segments in split:
        kept = [seg for i, seg in enumerate(segments) if i not in same]
        out.append("·".join(kept or segments))
    return out


class _Term(NamedTuple):
    """One evaluated term of a roll-forward: where it was read and what it holds."""

    previous: bool
    label: str  # 2022年 / 上年
    key: str
    template: Template | None
    value: float
    sign: int


def _year_label(year: int | None, fallback: str) -> str:
    return f"{year}年" if year is not None else fallback


def _roll_forward(report: Report, previous: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterator[Result]:
    allowed = params.get("previous_formats")
    prev_fmt = previous.meta.format
    if allowed and prev_fmt not in allowed:
        shown = f"{prev_fmt}年版" if prev_fmt else "未能识别的"
        yield Result(SKIP, reason=f"{previous_label(previous)}使用{shown}格式，相关栏目不可比")
        return
    prev_template = load_template(prev_fmt) if prev_fmt in ("2019", "2021") else None
    this_year = _year_label(report.meta.year, "本年")
    prev_year = _year_label(previous.meta.year, "上年")
    tolerance = float(params.get("tolerance", 0))
    combos = bindings(params, ctx.named_sets)
    if not combos and ctx.template is None:
        yield Result(SKIP, reason="未能识别本报告的表格格式（2019年版或2021年版），未作跨年度比对")
        return
    for binding in combos:
        instance = ",".join(binding.values()) or None
        target = _fill(str(params["cell"]), binding)
        actual, why = _value(report, target)
        if actual is None:
            yield Result(SKIP, instance=instance, cells=(target,), reason=f"{ctx.cell_name(target)}{why}")
            continue
        expected = 0.0
        used: list[_Term] = []
        blanks = [target] if _is_blank(report, target) else []
        skipped = None
        for term in params["terms"]:
            from_previous = "previous" in term
            key = _fill(str(term["previous"] if from_previous else term["this"]), binding)
            value, why = _value(previous if from_previous else report, key)
            label = prev_year if from_previous else this_year
            template = prev_template if from_previous else ctx.template
            if value is None:
                skipped = f"{label}{cell_name(key, template)}{why}"
                break
            if not from_previous and _is_blank(report, key):
                blanks.append(key)
            sign = int(term.get("sign", 1))
            expected += sign * value
            used.append(_Term(from_previous, label, key, template, value, sign))
        if skipped is not None:
            yield Result(SKIP, instance=instance, cells=(target,), reason=skipped)
            continue
        if compare(actual, "=", expected, tolerance):
            continue
        cell = report.cells.get(target)
        names = _short_names([(target, ctx.template), *((t.key, t.template) for t in used)])[1:]
        detail = ""
        for n, (t, name) in enumerate(zip(used, names, strict=True)):
            op = ("−" if t.sign < 0 else "") if n == 0 else (" − " if t.sign < 0 else " + ")
            detail += f"{op}{t.label}{name} {_num(t.value)}"
        severity = None
        explanation = _explanation(report, target, ctx.template, params.get("explained"))
        if explanation:
            severity = str(params["explained"]["severity"])
            detail += f"；报告中有相关说明：“{explanation}”"
        yield Result(
            FAIL,
            instance=instance,
            cells=(target, *(t.key for t in used if not t.previous and t.key != target)),
            expected=_num(expected),
            actual=_num(actual),
            line=cell.line if cell else None,
            table=table_of(target),
            severity=severity,
            blanks=tuple(blanks),
            vars={
                "where": "、".join(binding_label(v, ctx.template) for v in binding.values()),
                "detail": detail,
            },
        )


def _is_blank(report: Report, key: str) -> bool:
    cell = report.cells.get(key)
    return cell is not None and cell.state is CellState.BLANK


def _explanation(report: Report, key: str, template: Template | None, spec: Mapping[str, Any] | None) -> str | None:
    """A sentence naming the cell's row and an explanation keyword (e.g. 开展规范性文件清理…)."""
    if not spec or template is None:
        return None
    table, row = CellRef.parse(key).table, CellRef.parse(key).row
    rows = template.tables[table].rows if table in template.tables else {}
    labels = rows[row].labels if row in rows else ()
    if not labels:
        return None
    text = "\n".join(report.lines) or "\n".join(s.text for s in report.sections)
    for sentence in _SENTENCE.findall(text):
        if any(label in sentence for label in labels) and any(k in sentence for k in spec["keywords"]):
            s = str(sentence).strip()
            return s if len(s) <= 60 else s[:60] + "…"
    return None


# ---- similar_text ----------------------------------------------------------------------


def _body(section: Section) -> str:
    text = section.text
    return text[len(section.title) :] if section.title and text.startswith(section.title) else text


def _only(text: str, words: Sequence[str]) -> str:
    return "。".join(s for s in _SENTENCE.findall(text) if any(w in s for w in words))


def _similar_text(report: Report, previous: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterator[Result]:
    label = previous_label(previous)
    threshold = float(params.get("threshold", 0.9))
    shingle = int(params.get("shingle", 3))
    min_chars = int(params.get("min_chars", 40))
    words = params.get("sentences")
    for number in params.get("sections") or ():
        part = PART_NUMERALS[number - 1]
        instance = f"part{number}"
        mine, theirs = report.section(number), previous.section(number)
        if mine is None or theirs is None:
            whose = "本年度报告" if mine is None else label
            yield Result(SKIP, instance=instance, reason=f"{whose}缺少第{part}部分")
            continue
        a, b = _body(mine), _body(theirs)
        if words:
            # Compare the matching sentences when both parts have some; else the whole parts.
            sa, sb = _only(a, words), _only(b, words)
            if sa and sb:
                a, b = sa, sb
        shortest = min(len(normalise(a)), len(normalise(b)))
        if shortest < min_chars:
            yield Result(SKIP, instance=instance, reason=f"第{part}部分文字过短（{shortest}字），不作雷同比对")
            continue
        score = similarity(a, b, shingle)
        if score <= threshold:
            continue
        shown = _percent(score)
        yield Result(
            FAIL,
            instance=instance,
            part=number,
            line=mine.line,
            expected=f"≤{_percent(threshold)}",
            actual=shown,
            vars={
                "part": part,
                "value": shown,
                "detail": f"第{part}部分“{_title(mine)}”与{label}的文字相似度为 {shown}（超过 {_percent(threshold)}）",
            },
        )
    yield from _identical_tables(report, previous, params, ctx, label)


def _percent(x: float) -> str:
    """``0.904`` → ``90.4%``, ``1.0`` → ``100%``: a score just over the threshold must not print as equal."""
    return f"{x * 100:.1f}".rstrip("0").rstrip(".") + "%"


_LIST_NUMBER = re.compile(rf"^[{SMALL}\d]+[、.．]\s*")


def _title(section: Section) -> str:
    return _LIST_NUMBER.sub("", section.title.strip())


def _identical_tables(
    report: Report, previous: Report, params: Mapping[str, Any], ctx: CheckContext, label: str
) -> Iterator[Result]:
    min_nonzero = int(params.get("min_nonzero", 3))
    for table in params.get("tables") or ():
        num = TABLE_NUMERALS.get(table, table)
        instance = f"table.{table}"
        if ctx.template is None or previous.meta.format != ctx.template.format:
            yield Result(SKIP, instance=instance, reason=f"两年报告格式不同，表{num}不作逐格比对")
            continue
        keys = ctx.template.keys(table)
        mine = [_value(report, k)[0] for k in keys]
        theirs = [_value(previous, k)[0] for k in keys]
        if not keys or None in mine or None in theirs:
            yield Result(SKIP, instance=instance, reason=f"表{num}有缺失或未定位的单元格，不作逐格比对")
            continue
        nonzero = sum(1 for v in mine if v)
        if mine != theirs or nonzero < min_nonzero:
            continue
        info = report.tables.get(table)
        yield Result(
            FAIL,
            instance=instance,
            table=table,
            line=info.line if info else None,
            actual=nonzero,
            vars={
                "table": num,
                "count": nonzero,
                "detail": f"表{num}全部 {len(keys)} 个数据（其中 {nonzero} 个非零）与{label}完全相同",
            },
        )
