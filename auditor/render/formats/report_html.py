"""One self-contained HTML page per report: facts, score, the three tables redrawn with
every blamed cell highlighted, and the findings, cross-linked with the cells they blame."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from auditor.render import records as rec
from auditor.render.grid import GRID_TABLES, Slot, grid_keys, table_grid
from auditor.render.htmlkit import dl, esc, page
from auditor.render.kinds import Record, RenderOptions, ReportRenderer
from auditor.render.labels import cell_label, location_text, numeral, table_title, template_for

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
.prose h3{font-size:15px;margin:12px 0 4px}.prose p{margin:2px 0;padding:2px 6px;text-indent:2em}
.prose .hit{background:#fff3e0;border-left:3px solid var(--warn)}
.prose p.hit.sev-error{background:#fde2e1;border-left-color:var(--err);color:inherit}
.prose p.hit.sev-warning,.prose p.hit.sev-info{color:inherit}
.prose mark{background:#ffe082;padding:0 1px}.prose .refs{text-indent:0}.prose .refs a{font-size:12px;margin-left:4px}
"""

_QUOTE = re.compile(r"“([^“”]{2,80})”")
_RANK = {"error": 0, "warning": 1, "info": 2}


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


def _marked(text: str, quotes: Sequence[str]) -> str:
    html = esc(text)
    for q in dict.fromkeys(quotes):
        if q and q in text:
            html = html.replace(esc(q), f"<mark>{esc(q)}</mark>")
    return html


def _prose(record: Record, found: Sequence[rec.Finding]) -> str:
    """Parts 一, 五 and 六 as printed, each sentence a finding points at highlighted and linked."""
    pointers = _pointers(found)
    parts = []
    for section in record.get("sections") or ():
        lines = section.get("lines")
        if not lines:
            continue
        heading_line = section.get("line")
        numbers, _, severity = (
            pointers.get(heading_line, ([], [], "")) if isinstance(heading_line, int) else ([], [], "")
        )
        refs = "".join(f'<a href="#finding-{n}">问题{n}</a>' for n in numbers)
        part = f"{numeral(int(section.get('number') or 0))}、{rec.text(section.get('title'))}"
        # A finding about the part as a whole points at its heading.
        cls = f' class="hit sev-{esc(severity)}"' if numbers else ""
        html = [f'<h3 id="line-{esc(heading_line)}"{cls}>{esc(part)}<span class="refs">{refs}</span></h3>']
        for line, text in lines:
            hit = pointers.get(line)
            if hit is None:
                html.append(f'<p id="line-{esc(line)}">{esc(text)}</p>')
                continue
            numbers, quotes, severity = hit
            refs = "".join(f'<a href="#finding-{n}">问题{n}</a>' for n in numbers)
            html.append(
                f'<p id="line-{esc(line)}" class="hit sev-{esc(severity)}">{_marked(str(text), quotes)}'
                f'<span class="refs">{refs}</span></p>'
            )
        parts.append("".join(html))
    if not parts:
        return ""
    return f'<h2 id="prose">报告正文（第一、五、六部分）</h2><section class="prose">{"".join(parts)}</section>'


def _prose_lines(record: Record) -> set[int]:
    return {
        int(n)
        for s in record.get("sections") or ()
        if s.get("lines")
        for n in [s.get("line"), *(pair[0] for pair in s.get("lines") or ())]
        if isinstance(n, int)
    }


def _cell_html(slot: Slot, cells: Mapping[str, Any], blamed: Mapping[str, rec.Blame]) -> str:
    key = slot.key or ""
    cell = cells.get(key)
    classes = ["v"]
    if cell is None:
        classes.append("absent")
        body = ""
        tip = f"{key}：报告未列出"
    else:
        state = rec.text(cell.get("state"), "number")
        classes.append(f"st-{esc(state)}")
        raw, value = cell.get("raw"), cell.get("value")
        body = esc(raw if raw not in (None, "") else ("" if value is None else rec.fmt_value(value)))
        tip = f"{key}" + (f"，第{cell.get('line')}行" if cell.get("line") is not None else "")
    blame = blamed.get(key)
    if blame is not None:
        noted = not blame.to_correct and blame.severity == "info"
        classes.append("blamed" if blame.to_correct else "noted" if noted else "involved")
        if blame.expected is not None and not noted:
            verb = "或改为" if blame.alternative else blame.label
            body += f'<span class="exp">{verb} {esc(rec.fmt_value(blame.expected))}</span>'
        # Cells named only by advice (提示) get a small marker, so the table stays readable.
        links = "".join(
            f'<a href="#finding-{n}" title="问题{n}">{"ⓘ" if noted else f"问题{n}"}</a>' for n in blame.findings
        )
        body += f'<span class="refs">{links}</span>'
    return f'<td id="cell-{esc(key)}" class="{" ".join(classes)}" title="{esc(tip)}" data-key="{esc(key)}">{body}</td>'


def _slot_html(slot: Slot, cells: Mapping[str, Any], blamed: Mapping[str, rec.Blame]) -> str:
    if slot.kind == "value":
        return _cell_html(slot, cells, blamed)
    span = (f' colspan="{slot.colspan}"' if slot.colspan > 1 else "") + (
        f' rowspan="{slot.rowspan}"' if slot.rowspan > 1 else ""
    )
    tag = "th" if slot.kind == "head" else "td"
    return f'<{tag} class="{slot.kind}"{span}>{esc(slot.text)}</{tag}>'


def _tables(record: Record, fmt: str, blamed: Mapping[str, rec.Blame]) -> str:
    template = template_for(fmt)
    cells: Mapping[str, Any] = record.get("cells") or {}
    unplaced: Mapping[str, Any] = record.get("unplaced_rows") or {}
    out: list[str] = []
    for table in GRID_TABLES:
        grid = table_grid(fmt, table)
        out.append(f'<h2 id="table-{table}">{esc(table_title(template, table))}</h2><table class="grid">')
        notes: list[str] = []
        for row in grid:
            out.append("<tr>" + "".join(_slot_html(s, cells, blamed) for s in row.slots) + "</tr>")
            for row_key in row.rows:
                if row_key in unplaced:
                    info = unplaced[row_key]
                    values = "、".join(rec.fmt_value(v) for v in info.get("values") or ())
                    line = f"（第{info.get('line')}行）" if info.get("line") is not None else ""
                    notes.append(
                        f'<li id="row-{esc(row_key)}">「{esc(cell_label(template, row_key))}」填报的数值无法对应到列，'
                        f"按填报顺序为：{esc(values)}{esc(line)}</li>"
                    )
        out.append("</table>")
        # Listed under the table: a note row inside the grid would break its rowspans.
        if notes:
            out.append(f'<ul class="unplaced">{"".join(notes)}</ul>')
    return "".join(out)


def _stray_cells(record: Record, fmt: str, blamed: Mapping[str, rec.Blame]) -> str:
    """Blamed cells the format's tables do not show, so every finding's cell link still lands."""
    shown = grid_keys(fmt)
    stray = [k for k in blamed if k not in shown]
    if not stray:
        return ""
    template = template_for(fmt)
    cells: Mapping[str, Any] = record.get("cells") or {}
    rows = "".join(
        f"<tr><th>{esc(cell_label(template, k))}</th>{_cell_html(Slot('value', key=k), cells, blamed)}</tr>"
        for k in stray
    )
    return f'<h2 id="table-other">表外单元格</h2><table class="grid">{rows}</table>'


def _finding_html(number: int, finding: rec.Finding, record: Record, fmt: str) -> str:
    template = template_for(fmt)
    line = (finding.get("location") or {}).get("line", finding.get("line"))
    shown = f' <a href="#line-{esc(line)}">见原文</a>' if isinstance(line, int) and line in _prose_lines(record) else ""
    sev = esc(rec.text(finding.get("severity")))
    keys = [str(c) for c in finding.get("cells") or ()]
    keys += [str(c.get("cell")) for c in finding.get("corrections") or () if str(c.get("cell")) not in keys]
    links = "".join(f'<a href="#cell-{esc(k)}">{esc(cell_label(template, k))}</a>' for k in keys)
    fields = [
        ("位置", esc(location_text(finding, record, template)) + shown),
        ("问题类型", esc(rec.failure_type(finding))),
        ("整改要求", esc(rec.text(finding.get("remediation"), rec.NONE_TEXT))),
        ("依据", esc(rec.text(finding.get("reference"), rec.NONE_TEXT))),
    ]
    if finding.get("deduction"):
        fields.append(("扣分", esc(rec.fmt_value(finding.get("deduction")))))
    body = "<br>".join(f'<span class="k">{k}：</span>{v}' for k, v in fields)
    cells_html = f'<div class="cells">单元格：{links}</div>' if links else ""
    return (
        f'<li id="finding-{number}" class="finding" data-severity="{sev}">'
        f'<span class="badge sev-{sev}">{esc(rec.severity_label(finding))}</span> '
        f"<code>{esc(finding.get('rule'))}</code> {esc(rec.category_label(finding))}"
        f'<div class="msg">{esc(finding.get("message"))}</div>'
        f'<div class="fields">{body}</div>{cells_html}</li>'
    )


def _signed_points(points: Any) -> str:
    """A deduction as -5; a cap line gives points back, shown as +5."""
    if not isinstance(points, int | float):
        return rec.NONE_TEXT
    return f"+{rec.fmt_value(-points)}" if points < 0 else f"-{rec.fmt_value(points)}"


def _meta(record: Record) -> str:
    meta = rec.meta(record)
    source: Mapping[str, Any] = record.get("source") or {}
    period: Mapping[str, Any] = meta.get("period") or {}
    pairs = [
        ("单位", rec.agency(record)),
        ("报告年度", rec.year(record) or rec.NONE_TEXT),
        ("格式", rec.format_label(record)),
        ("统计期限", f"{period.get('start')} 至 {period.get('end')}" if period else rec.NONE_TEXT),
        ("发布日期", rec.text(meta.get("published"), rec.NONE_TEXT)),
        ("规则包", rec.text(record.get("pack"), rec.NONE_TEXT)),
        ("文件", rec.source_path(record)),
        ("版式/编码", f"{rec.text(source.get('layout'), '?')} / {rec.text(source.get('encoding'), '?')}"),
        ("SHA-256", rec.text(source.get("sha256"), rec.NONE_TEXT)),
    ]
    return dl([(k, esc(v)) for k, v in pairs])


def _score(record: Record) -> str:
    counts = rec.counts(record)
    tally = " ".join(f'<span class="badge sev-{s}">{rec.SEVERITY_LABELS[s]} {counts[s]}</span>' for s in rec.SEVERITIES)
    rows = "".join(
        f"<tr><td><code>{esc(d.get('rule'))}</code></td><td>{esc(rec.category_label(d))}</td>"
        f'<td class="num">{esc(_signed_points(d.get("points")))}</td><td>{esc(d.get("note"))}</td></tr>'
        for d in record.get("deductions") or ()
    )
    table = (
        f"<table><tr><th>规则</th><th>类别</th><th>扣分</th><th>说明</th></tr>{rows}</table>"
        if rows
        else '<p class="muted">无扣分项。</p>'
    )
    reason = rec.verdict_reason(record)
    verdict = f'<p id="verdict" class="muted">{esc(rec.verdict_label(record))}：{esc(reason)}</p>' if reason else ""
    return verdict + (
        f'<div class="score"><div><div class="big" id="score">{esc(rec.score_text(record))}</div>'
        f'<div class="band">{esc(rec.band_text(record))}</div><div>{tally}</div></div>'
        f"<div>{table}</div></div>"
    )


def _extras(record: Record) -> str:
    parts = []
    skipped = record.get("not_evaluated") or ()
    if skipped:
        items = "".join(
            f"<li><code>{esc(n.get('rule'))}</code> {esc(n.get('instance'))}：{esc(n.get('reason'))}</li>"
            for n in skipped
        )
        parts.append(f"<details><summary>未评估的规则（{len(skipped)}）</summary><ul>{items}</ul></details>")
    problems = record.get("problems") or ()
    if problems:
        items = "".join(
            f"<li>{esc(p.get('code'))}：{esc(p.get('message'))}"
            + (f"（第{esc(p.get('line'))}行）" if p.get("line") is not None else "")
            + "</li>"
            for p in problems
        )
        parts.append(f"<details><summary>解析提示（{len(problems)}）</summary><ul>{items}</ul></details>")
    return f"<section>{''.join(parts)}</section>" if parts else ""


def render_text(record: Record) -> str:
    """The report page as HTML text."""
    cells: Mapping[str, Any] = record.get("cells") or {}
    fmt = template_for(rec.report_format(record), cells.keys()).format
    blamed = rec.blamed_cells(record)
    found = rec.findings(record)
    findings_html = (
        '<ol class="findings">' + "".join(_finding_html(n, f, record, fmt) for n, f in enumerate(found, 1)) + "</ol>"
        if found
        else '<p class="muted">未发现问题。</p>'
    )
    guessed = "" if rec.report_format(record) else f'<p class="muted">报告格式未识别，按{fmt}版表格展示。</p>'
    title = f"{rec.agency(record)} {rec.year(record)}年度报告审计结果"
    body = (
        f"<h1>{esc(title)}</h1><section>{_meta(record)}</section>"
        f"<h2>得分</h2><section>{_score(record)}</section>"
        f"<section>{guessed}{_tables(record, fmt, blamed)}{_stray_cells(record, fmt, blamed)}</section>"
        f"{_prose(record, found)}"
        f'<h2 id="findings">问题清单（{len(found)}）</h2><section>{findings_html}</section>{_extras(record)}'
    )
    return page(title, body, CSS)


def render(record: Record, options: RenderOptions | None = None) -> bytes:
    """UTF-8 bytes of `render_text`."""
    return render_text(record).encode("utf-8")


RENDERER = ReportRenderer("html", "单份报告审计页面（HTML）", ".html", render)
