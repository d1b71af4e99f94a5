"""One self-contained HTML page per report: facts, score, the three tables redrawn with
every blamed cell highlighted, parts 一/五/六 as printed, and the findings, cross-linked with
the cells and sentences they point at. Python builds plain view data; the Jinja2 template
``report.html.j2`` (autoescaped) turns it into HTML. The grid cells alone are built here as
escaped HTML (`_slot`): a page has hundreds of them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from auditor.findings.review import RECHECK_LABELS, dismissed, recheck_label
from auditor.render import records as rec
from auditor.render.grid import GRID_TABLES, Slot, grid_keys, table_grid
from auditor.render.htmlkit import BASE_CSS, markup_escape
from auditor.render.jinja import render_template
from auditor.render.kinds import Record, RenderOptions, ReportRenderer
from auditor.render.labels import cell_label, location_text, table_title, template_for
from auditor.text.numerals import written

CSS = """
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;word-break:break-all}
.score{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap}
.score .big{font-size:40px;font-weight:700;line-height:1}.score .band{font-size:18px}
.grid{margin:4px 0 8px;font-size:13px}.grid td.v{text-align:right;min-width:56px;white-space:nowrap}
.grid td.label{max-width:360px}.grid td.pad{background:#f3f4f6}
.grid td.absent{background:#fafafa;color:#9aa3ad}.grid td.st-text{color:#6a1b9a}
.grid td.st-unplaced{background:#fff8e1}ul.unplaced{background:#fff8e1;font-size:12px;padding:6px 24px}
.grid td.blamed{background:#fde2e1;outline:2px solid var(--err);outline-offset:-2px}
.grid td.involved{outline:2px dashed var(--warn,#b26a00);outline-offset:-2px}
.grid td.noted{outline:1px dotted #90a4ae;outline-offset:-2px}
.grid td .exp{display:block;color:var(--err);font-size:12px;font-weight:600}
.grid td .refs a,.cells a{font-size:12px;margin-left:4px}
:target{scroll-margin-top:40px}td:target,li:target{box-shadow:0 0 0 3px #ffca28 inset}
ol.findings{padding-left:24px}ol.findings>li{margin:0 0 12px;padding:6px 8px;border-radius:4px}
ol.findings .msg{font-weight:600}ol.findings .fields{color:#333;font-size:13px}
ol.findings .fields span.k{color:var(--muted)}
ol.findings li.dismissed{opacity:.6}ol.findings li.dismissed .msg{text-decoration:line-through}
ol.findings .mark{font-size:12px;border:1px solid #90a4ae;border-radius:3px;padding:0 4px}
.prose h3{font-size:15px;margin:12px 0 4px}.prose p{margin:2px 0;padding:2px 6px;text-indent:2em}
.prose .hit{background:#fff3e0;border-left:3px solid var(--warn)}
.prose p.hit.sev-error{background:#fde2e1;border-left-color:var(--err);color:inherit}
.prose p.hit.sev-warning,.prose p.hit.sev-info{color:inherit}
.prose mark{background:#ffe082;padding:0 1px}.prose .refs{text-indent:0}.prose .refs a{font-size:12px;margin-left:4px}
"""

_QUOTE = re.compile(r"“([^“”]{2,80})”")
_RANK = {"error": 0, "warning": 1, "info": 2}
View = dict[str, Any]


def _pointers(found: Sequence[rec.Finding]) -> dict[int, tuple[list[int], list[str], str]]:
    """Source line → (finding numbers, quoted phrases to mark, highest severity)."""
    out: dict[int, tuple[list[int], list[str], str]] = {}
    for n, f in enumerate(found, 1):
        line = (f.get("location") or {}).get("line", f.get("line"))
        if not isinstance(line, int):
            continue
        numbers, quotes, severity = out.get(line, ([], [], "info"))
        numbers.append(n)
        quotes += _QUOTE.findall(rec.text(f.get("message")))
        sev = rec.text(f.get("severity"), "info")
        out[line] = (numbers, quotes, sev if _RANK.get(sev, 2) < _RANK.get(severity, 2) else severity)
    return out


def _segments(text: str, quotes: Sequence[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, marked) where the quoted phrases occur."""
    phrases = [q for q in dict.fromkeys(quotes) if q and q in text]
    if not phrases:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(q) for q in sorted(phrases, key=len, reverse=True)))
    out: list[tuple[str, bool]] = []
    last = 0
    for m in pattern.finditer(text):
        if m.start() > last:
            out.append((text[last : m.start()], False))
        out.append((m.group(0), True))
        last = m.end()
    if last < len(text):
        out.append((text[last:], False))
    return out


def _prose(record: Record, found: Sequence[rec.Finding]) -> list[View]:
    """Parts 一, 五 and 六 as printed, each sentence a finding points at highlighted and linked."""
    pointers = _pointers(found)
    parts = []
    for section in record.get("sections") or ():
        lines = section.get("lines")
        if not lines:
            continue
        heading = section.get("line")
        # A finding about the part as a whole points at its heading.
        numbers, _, severity = pointers.get(heading, ([], [], "")) if isinstance(heading, int) else ([], [], "")
        views = []
        for line, text in lines:
            refs, quotes, sev = pointers.get(line, ([], [], ""))
            views.append(
                {
                    "line": line,
                    "text": str(text),
                    "refs": refs,
                    "severity": sev,
                    "segments": _segments(str(text), quotes),
                }
            )
        parts.append(
            {
                "line": heading,
                "title": f"{written(int(section.get('number') or 0))}、{rec.text(section.get('title'))}",
                "refs": numbers,
                "severity": severity,
                "lines": views,
            }
        )
    return parts


def _prose_lines(record: Record) -> set[int]:
    return {
        int(n)
        for s in record.get("sections") or ()
        if s.get("lines")
        for n in [s.get("line"), *(pair[0] for pair in s.get("lines") or ())]
        if isinstance(n, int)
    }


def _cell(slot: Slot, cells: Mapping[str, Any], blamed: Mapping[str, rec.Blame]) -> Markup:
    key = slot.key or ""
    cell = cells.get(key)
    classes = ["v"]
    if cell is None:
        classes.append("absent")
        text, tip = "", f"{key}：报告未列出"
    else:
        classes.append(f"st-{rec.text(cell.get('state'), 'number')}")
        raw, value = cell.get("raw"), cell.get("value")
        text = raw if raw not in (None, "") else ("" if value is None else rec.fmt_value(value))
        tip = f"{key}" + (f"，第{cell.get('line')}行" if cell.get("line") is not None else "")
    marks = ""
    blame = blamed.get(key)
    if blame is not None:
        noted = not blame.to_correct and blame.severity == "info"
        classes.append("blamed" if blame.to_correct else "noted" if noted else "involved")
        if blame.expected is not None and not noted:
            verb = "或改为" if blame.alternative else blame.label
            marks = f'<span class="exp">{markup_escape(f"{verb} {rec.fmt_value(blame.expected)}")}</span>'
        # Cells named only by advice (提示) get a small marker, so the table stays readable.
        links = "".join(
            f'<a href="#finding-{n}" title="问题{n}">{"ⓘ" if noted else f"问题{n}"}</a>' for n in blame.findings
        )
        marks += f'<span class="refs">{links}</span>'
    key_html, class_html = markup_escape(key), markup_escape(" ".join(classes))
    return Markup(
        f'<td id="cell-{key_html}" class="{class_html}" title="{markup_escape(tip)}" data-key="{key_html}">'
        f"{markup_escape(str(text))}{marks}</td>"
    )


def _slot(slot: Slot, cells: Mapping[str, Any], blamed: Mapping[str, rec.Blame]) -> Markup:
    """One cell of a redrawn table as HTML. Built here, not by a template macro: a page draws
    some 300 of them, and a macro call each was half the cost of the page."""
    if slot.kind == "value":
        return _cell(slot, cells, blamed)
    tag = "th" if slot.kind == "head" else "td"
    span = (f' colspan="{slot.colspan}"' if slot.colspan > 1 else "") + (
        f' rowspan="{slot.rowspan}"' if slot.rowspan > 1 else ""
    )
    return Markup(f'<{tag} class="{slot.kind}"{span}>{markup_escape(str(slot.text))}</{tag}>')


def _tables(record: Record, fmt: str, blamed: Mapping[str, rec.Blame]) -> list[View]:
    template = template_for(fmt)
    cells: Mapping[str, Any] = record.get("cells") or {}
    unplaced: Mapping[str, Any] = record.get("unplaced_rows") or {}
    out: list[View] = []
    for table in GRID_TABLES:
        grid = table_grid(fmt, table)
        # Listed under the table: a note row inside the grid would break its rowspans.
        notes = [
            {
                "key": row_key,
                "label": cell_label(template, row_key),
                "printed": "、".join(rec.fmt_value(v) for v in unplaced[row_key].get("values") or ()),
                "line": f"（第{unplaced[row_key].get('line')}行）" if unplaced[row_key].get("line") is not None else "",
            }
            for row in grid
            for row_key in row.rows
            if row_key in unplaced
        ]
        rows = [[_slot(s, cells, blamed) for s in row.slots] for row in grid]
        out.append({"id": table, "title": table_title(template, table), "rows": rows, "notes": notes})
    return out


def _stray(record: Record, fmt: str, blamed: Mapping[str, rec.Blame]) -> list[tuple[str, Markup]]:
    """Blamed cells the format's tables do not show, so every finding's cell link still lands."""
    shown = grid_keys(fmt)
    template = template_for(fmt)
    cells: Mapping[str, Any] = record.get("cells") or {}
    return [(cell_label(template, k), _cell(Slot("value", key=k), cells, blamed)) for k in blamed if k not in shown]


def _finding(number: int, finding: rec.Finding, record: Record, fmt: str, prose: set[int]) -> View:
    template = template_for(fmt)
    keys = [str(c) for c in finding.get("cells") or ()]
    keys += [str(c.get("cell")) for c in finding.get("corrections") or () if str(c.get("cell")) not in keys]
    line = (finding.get("location") or {}).get("line", finding.get("line"))
    fields: list[tuple[str, str, str | None]] = [
        ("位置", location_text(finding, record, template), f"#line-{line}" if line in prose else None),
        ("问题类型", rec.failure_type(finding), None),
        ("整改要求", rec.text(finding.get("remediation"), rec.NONE_TEXT) or rec.NONE_TEXT, None),
        ("依据", rec.text(finding.get("reference"), rec.NONE_TEXT) or rec.NONE_TEXT, None),
    ]
    review = finding.get("review") or {}
    if review:
        who = "，".join(x for x in (rec.text(review.get("by")), rec.text(review.get("at"))[:10]) if x)
        fields.append(("核实决定", f"{rec.text(review.get('label'))}（{who}）：{rec.text(review.get('reason'))}", None))
    if finding.get("deduction"):
        fields.append(("扣分", rec.fmt_value(finding.get("deduction")), None))
    if finding.get("fingerprint"):
        fields.append(("问题指纹", rec.text(finding.get("fingerprint")), None))
    evidence = list(finding.get("evidence") or ())
    return {
        "number": number,
        "severity": rec.text(finding.get("severity")),
        "severity_label": rec.severity_label(finding),
        "fingerprint": rec.text(finding.get("fingerprint")),
        "dismissed": dismissed(finding),
        "marks": [m for m in (recheck_label(finding), rec.text(review.get("label"))) if m],
        "rule": rec.text(finding.get("rule")),
        "category": rec.category_label(finding),
        "message": rec.text(finding.get("message")),
        "fields": fields,
        "evidence": [{"rule": rec.text(e.get("rule")), "message": rec.text(e.get("message"))} for e in evidence],
        "cells": [(k, cell_label(template, k)) for k in keys],
    }


def _signed_points(points: Any) -> str:
    """A deduction as -5; a cap line gives points back, shown as +5."""
    if not isinstance(points, int | float):
        return rec.NONE_TEXT
    return f"+{rec.fmt_value(-points)}" if points < 0 else f"-{rec.fmt_value(points)}"


def _meta(record: Record) -> list[tuple[str, str]]:
    meta = rec.meta(record)
    source: Mapping[str, Any] = record.get("source") or {}
    period: Mapping[str, Any] = meta.get("period") or {}
    return [
        ("单位", rec.agency(record)),
        ("报告年度", rec.year(record) or rec.NONE_TEXT),
        ("格式", rec.format_label(record)),
        ("统计期限", f"{period.get('start')} 至 {period.get('end')}" if period else rec.NONE_TEXT),
        ("发布日期", rec.text(meta.get("published"), rec.NONE_TEXT)),
        ("规则包", rec.text(record.get("pack"), rec.NONE_TEXT)),
        ("文件", rec.source_path(record)),
        ("版式/编码", f"{rec.text(source.get('layout'), '?')} / {rec.text(source.get('encoding'), '?')}"),
        ("SHA-256", rec.text(source.get("sha256"), rec.NONE_TEXT)),
        *_history_meta(record),
    ]


def _history_meta(record: Record) -> list[tuple[str, str]]:
    """复核 against the earlier audit (and what it fixed), and where last year's report came from."""
    out = []
    recheck: Mapping[str, Any] = record.get("recheck") or {}
    if recheck:
        counts = recheck.get("counts") or {}
        against = recheck.get("against") or {}
        tally = "，".join(f"{label} {counts.get(status, 0)} 项" for status, label in RECHECK_LABELS.items())
        out.append(("复核", f"对照第 {against.get('run')} 次运行（{rec.text(against.get('recorded'))}）：{tally}"))
        out += [("已整改", rec.text(x.get("message"))) for x in recheck.get("fixed") or ()]
    previous: Mapping[str, Any] = record.get("previous") or {}
    if previous:
        run = previous.get("run")
        where = f"审计数据库第 {run} 次运行" if run is not None else "本批次"
        out.append(("上年报告", f"{rec.text(previous.get('path'))}（{where}）"))
    return out


def render_text(record: Record) -> str:
    """The report page as HTML text."""
    cells: Mapping[str, Any] = record.get("cells") or {}
    fmt = template_for(rec.report_format(record), cells.keys()).format
    blamed = rec.blamed_cells(record)
    found = rec.findings(record)
    prose_lines = _prose_lines(record)
    counts = rec.counts(record)
    title = f"{rec.agency(record)} {rec.year(record)}年度报告审计结果"
    return render_template(
        "report.html.j2",
        title=title,
        css=Markup(BASE_CSS + CSS),
        script=None,
        meta=_meta(record),
        verdict_label=rec.verdict_label(record),
        verdict_reason=rec.verdict_reason(record),
        score=rec.score_text(record),
        band=rec.band_text(record),
        tally=[(s, rec.SEVERITY_LABELS[s], counts[s]) for s in rec.SEVERITIES],
        deductions=[
            (rec.text(d.get("rule")), rec.category_label(d), _signed_points(d.get("points")), rec.text(d.get("note")))
            for d in record.get("deductions") or ()
        ],
        guessed="" if rec.report_format(record) else fmt,
        tables=_tables(record, fmt, blamed),
        stray=_stray(record, fmt, blamed),
        prose=_prose(record, found),
        findings=[_finding(n, f, record, fmt, prose_lines) for n, f in enumerate(found, 1)],
        skipped=[
            (rec.text(n.get("rule")), rec.text(n.get("instance")), rec.text(n.get("reason")))
            for n in record.get("not_evaluated") or ()
        ],
        problems=[
            (rec.text(p.get("code")), rec.text(p.get("message")), p.get("line")) for p in record.get("problems") or ()
        ],
    )


def render(record: Record, options: RenderOptions | None = None) -> bytes:
    """UTF-8 bytes of `render_text`."""
    return render_text(record).encode("utf-8")


RENDERER = ReportRenderer("html", "单份报告审计页面（HTML）", ".html", render)
