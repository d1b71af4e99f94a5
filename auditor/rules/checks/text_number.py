"""Numbers stated in the narrative against the tables (TXT-001/002/004/005/006, FEE-003, DATE-005).

Each phrase is a regular expression over normalised prose (`auditor.rules.narrative`)
with a named group ``n`` (or a fixed ``value`` such as 0 for "未发生…"), and the cell
expression the number must match. Phrases are conservative on purpose:

- a match whose sentence names another year than the report's, whose clause holds a
  ``skip_clause`` word (其中, 本级, 累计…), or whose sentence lacks ``require_sentence``
  (申请, 公开) is not compared — it may not be this year's disclosure total;
- with ``match: any`` (default) a phrase fails only when *no* match agrees with the table,
  so "全市收到N件，其中本级M件" passes when either figure is the table's;
- several ``expr`` alternatives may be given (收到 = 新收, or 新收 + 上年结转).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.types import Report
from auditor.model.values import MAX_DIGITS
from auditor.rules.narrative import ProseLine, clause_before, prose, sentence_around
from auditor.rules.patterns import Match, candidate_lines, finditer, search
from auditor.rules.sums import Total, compare, evaluate, expression, lint_expression, lint_regex
from auditor.rules.types import SKIP, CheckContext, Result
from auditor.rules.values import BLANK_TEXT

KIND = "text_number"
_EXPR: dict[str, Any] = {
    "oneOf": [
        {"type": "string", "minLength": 1, "x-expression": "sum"},
        {"type": "array", "items": {"type": "string", "minLength": 1, "x-expression": "sum"}, "minItems": 1},
    ],
    "description": "表格一侧的单元格表达式（或其列表，任一相符即可），如 requests.received.total；@year 为报告年度",
}
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["phrases"],
    "additionalProperties": False,
    "properties": {
        "sections": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 6},
            "description": "读取的部分（1…6；缺省为全文）",
        },
        "match": {
            "enum": ["any", "each"],
            "default": "any",
            "description": "any：没有一处与表格相符才报告；each：每一处都须相符",
        },
        "skip_clause": {"type": "string", "description": "匹配前的分句含此正则时跳过（如 其中|累计）"},
        "skip_sentence": {"type": "string", "description": "句子含此正则时跳过"},
        "require_sentence": {"type": "string", "description": "只读取含此正则的句子"},
        "other_years": {
            "enum": ["skip", "keep"],
            "default": "skip",
            "description": "skip：句子提到其他年份时不比较",
        },
        "phrases": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "description": "要核对的说法：正文中的数字与表格表达式比较",
            "items": {
                "type": "object",
                "required": ["name", "pattern", "label"],
                "additionalProperties": False,
                "oneOf": [{"required": ["expr"]}, {"required": ["exprs"]}],
                "properties": {
                    "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "description": "说法名（问题实例）"},
                    "pattern": {
                        "type": "string",
                        "minLength": 1,
                        "description": "正则；命名组 (?P<n>…) 为所述数字（无组时所述数字为 value）",
                    },
                    "label": {"type": "string", "minLength": 1, "description": "消息 {detail} 的文字"},
                    "expr": _EXPR,
                    "exprs": {
                        "type": "object",
                        "propertyNames": {"enum": ["2019", "2021"]},
                        "additionalProperties": _EXPR,
                        "description": "按格式分别给出的表达式，键为 2019 / 2021",
                    },
                    "value": {
                        "type": "number",
                        "minimum": -1e12,
                        "maximum": 1e12,
                        "description": "pattern 无数字组时，所述的数",
                    },
                    "op": {"enum": ["=", ">=", "<="], "default": "=", "description": "正文数字与表格值的关系"},
                    "units": {
                        "type": "object",
                        "additionalProperties": {"type": "number", "exclusiveMinimum": 0, "maximum": 1e12},
                        "description": "单位 → 换算系数（须有命名组 unit），如 {万元: 1, 元: 0.0001}",
                    },
                    "skip_clause": {"type": "string", "description": "本说法的 skip_clause"},
                    "skip_sentence": {"type": "string", "description": "本说法的 skip_sentence"},
                    "require_sentence": {"type": "string", "description": "本说法的 require_sentence"},
                    # What the message quotes: the matched phrase or its whole sentence.
                    "quote": {
                        "enum": ["match", "sentence"],
                        "default": "match",
                        "description": "消息 {value} 引用匹配的文字或整句",
                    },
                },
            },
        },
    },
}
PLACEHOLDERS = frozenset({"value", "detail", "op"})
_YEAR = re.compile(r"((?:19|20)\d\d)年")


def _alternatives(phrase: Mapping[str, Any], fmt: str | None) -> list[str]:
    found = expression(phrase, fmt)
    if found is None:
        return []
    raw = phrase["exprs"][fmt] if "exprs" in phrase else phrase["expr"]
    return [str(e) for e in raw] if isinstance(raw, list) else [found]


def _stated(m: Match, phrase: Mapping[str, Any]) -> tuple[float, float] | None:
    """(number the text states, half a unit of its last printed digit), in the cells' unit."""
    if "value" in phrase:
        return float(phrase["value"]), 0.0
    printed = m.group("n").replace(",", "").replace("，", "")
    if max(len(part) for part in printed.split(".")) > MAX_DIGITS:  # as in the tables: no count or amount
        return None
    try:
        number = float(printed)
    except ValueError:
        return None
    factor = 1.0
    units: Mapping[str, float] = phrase.get("units") or {}
    if units and "unit" in m.groupdict() and m.group("unit"):
        factor = float(units.get(m.group("unit"), 1.0))
    decimals = len(printed.split(".", 1)[1]) if "." in printed else 0
    # Amounts are compared within half a unit of the text's last digit; counts exactly.
    return number * factor, 0.5 * 10.0**-decimals * factor if units else 0.0


# A "paragraph" longer than this is no prose a figure is stated in (a paste of a table, a
# run of digits); scanning it with author-written patterns could take quadratic time.
_MAX_LINE = 5000


def _kept(text: str, m: Match, phrase: Mapping[str, Any], params: Mapping[str, Any], year: int | None) -> bool:
    before, sentence = sentence_around(text, m.start(), m.end())
    clause_words = phrase.get("skip_clause", params.get("skip_clause"))
    if clause_words and search(str(clause_words), clause_before(text, m.start())):
        return False
    sentence_words = phrase.get("skip_sentence", params.get("skip_sentence"))
    if sentence_words and search(str(sentence_words), sentence):
        return False
    # The subject must be disclosure work ("办结" alone may be a hotline's figure).
    needed = phrase.get("require_sentence", params.get("require_sentence"))
    if needed and not search(str(needed), sentence):
        return False
    if params.get("other_years", "skip") == "skip" and year is not None:
        return all(int(y) == year for y in _YEAR.findall(before))
    return True


def _searchable(lines: list[ProseLine]) -> list[str]:
    """The lines' texts, blank for a line too long to be prose: it is never searched (an
    author's pattern could take quadratic time on it)."""
    return [line.text if len(line.text) <= _MAX_LINE else "" for line in lines]


def _matches(
    lines: list[ProseLine],
    texts: list[str],
    phrase: Mapping[str, Any],
    params: Mapping[str, Any],
    year: int | None,
) -> list[tuple[ProseLine, Match]]:
    pattern = str(phrase["pattern"])
    # Searched only where a match may be (most phrases are absent).
    return [
        (lines[i], m)
        for i in candidate_lines(pattern, texts)
        if texts[i]
        for m in finditer(pattern, texts[i])
        if _kept(texts[i], m, phrase, params, year)
    ]


def _agrees(stated: tuple[float, float], op: str, totals: list[Total]) -> bool:
    number, slack = stated
    return any(t.value is not None and compare(number, op, t.value, slack + t.tolerance) for t in totals)


def _result(phrase: Mapping[str, Any], line: ProseLine, m: Match, number: float, total: Total, n: int) -> Result:
    return Result(
        instance=str(phrase["name"]) if n < 0 else f"{phrase['name']}#{n}",
        cells=total.cells,
        expected=total.value,
        actual=number,
        line=line.line,
        part=line.part,
        vars={
            "value": _quote(line.text, m, phrase),
            "detail": str(phrase["label"]),
            "op": phrase.get("op", "="),
            # A blank cell is counted as 0 but named for what it is.
            **({"expected": BLANK_TEXT} if total.blank else {}),
        },
    )


def _quote(text: str, m: Match, phrase: Mapping[str, Any]) -> str:
    if phrase.get("quote") == "sentence":
        sentence = sentence_around(text, m.start(), m.end())[1].lstrip("。；！？")
        return sentence if len(sentence) <= 40 else sentence[:40] + "…"
    return m.group(0).lstrip("。；！？")


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield a result per phrase whose stated number disagrees with the table."""
    lines = list(prose(report, params.get("sections")))
    texts = _searchable(lines)
    year = report.meta.year
    for phrase in params["phrases"]:
        found = _matches(lines, texts, phrase, params, year)
        if not found:
            continue
        exprs = _alternatives(phrase, report.meta.format)
        totals = [evaluate(e, report, ctx) for e in exprs]
        known = [t for t in totals if t.value is not None]
        if not known:
            reason = totals[0].reason if totals else "本格式无对应表格数据"
            yield Result(SKIP, instance=str(phrase["name"]), reason=f"正文“{found[0][1].group(0)}”未核对：{reason}")
            continue
        op = str(phrase.get("op", "="))
        stated = [(line, m, _stated(m, phrase)) for line, m in found]
        usable = [(line, m, s) for line, m, s in stated if s is not None]
        if params.get("match", "any") == "each":
            for i, (line, m, s) in enumerate(usable):
                if not _agrees(s, op, known):
                    yield _result(phrase, line, m, s[0], known[0], i)
        elif usable and not any(_agrees(s, op, known) for _, _, s in usable):
            line, m, s = usable[0]
            yield _result(phrase, line, m, s[0], known[0], -1)


def lint(params: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    """Load-time problems: bad patterns, a missing ``n`` group, unknown cell keys."""
    problems: list[tuple[str, str]] = []
    for key in ("skip_clause", "skip_sentence", "require_sentence"):
        issue = lint_regex(str(params[key])) if key in params else None
        if issue:
            problems.append((f"params.{key}", issue))
    for i, phrase in enumerate(params.get("phrases") or ()):
        where = f"params.phrases.{i}"
        issue = lint_regex(str(phrase["pattern"]), None if "value" in phrase else "n")
        if issue:
            problems.append((f"{where}.pattern", issue))
        for key in ("skip_clause", "skip_sentence", "require_sentence"):
            issue = lint_regex(str(phrase[key])) if key in phrase else None
            if issue:
                problems.append((f"{where}.{key}", issue))
        by_format = phrase.get("exprs") or {fmt: phrase.get("expr") for fmt in formats}
        for fmt, exprs in by_format.items():
            for expr in exprs if isinstance(exprs, list) else [exprs]:
                issue = lint_expression(str(expr), [fmt])
                if issue:
                    problems.append((f"{where}.expr", issue))
    return problems
