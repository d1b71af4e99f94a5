"""``index.html`` of a run: totals, inline SVG charts and a sortable table of every report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import quote

from markupsafe import Markup

from auditor.findings.review import RECHECK_LABELS, dismissed
from auditor.render import records as rec
from auditor.render.htmlkit import BASE_CSS
from auditor.render.jinja import generate_template
from auditor.render.kinds import BatchRenderer, Record, RenderOptions, ReportEntry
from auditor.render.svg import bar_chart, score_histogram

TOP_RULES = 10
NOT_PROBLEMS = frozenset({"parse"})
# (header, sort type); the first column holds the file links.
COLUMNS = (
    ("文件", "text"),
    ("单位", "text"),
    ("年度", "number"),
    ("格式", "text"),
    ("得分", "number"),
    ("等级", "text"),
    ("错误", "number"),
    ("警告", "number"),
    ("提示", "number"),
    ("说明", "text"),
)
LINK_NAMES = {"html": "审计页面", "markdown": "整改清单.md", "docx": "整改清单.docx"}

CSS = """
.totals{display:flex;gap:12px;flex-wrap:wrap}.totals div{background:#fff;border:1px solid #e3e6ea;
border-radius:6px;padding:8px 16px}.totals b{display:block;font-size:22px}
.charts{display:flex;gap:16px;flex-wrap:wrap}.chart{background:#fff;border:1px solid #e3e6ea;border-radius:6px}
table.sortable{width:100%;font-size:13px}table.sortable th{cursor:pointer;user-select:none;white-space:nowrap}
table.sortable th[aria-sort=ascending]::after{content:" ▲"}table.sortable th[aria-sort=descending]::after{content:" ▼"}
tr.failed td{background:#f7f0fa}.links a{margin-right:6px;font-size:12px}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:center;margin:8px 0}
.filters input[type=search]{min-width:220px}tr.group th{text-align:left;background:#e3e9f2}
"""

# Sorts the rows by the clicked column's data-v; empty values (failed reports) stay last.
SCRIPT = """
(function(){
  var COLS=document.querySelectorAll('#reports thead th').length;
  function sortBy(th){
    var table=th.closest('table'),body=table.tBodies[0];
    var index=Array.prototype.indexOf.call(th.parentNode.children,th);
    var asc=th.getAttribute('aria-sort')!=='ascending';
    var numeric=th.getAttribute('data-type')==='number';
    Array.prototype.forEach.call(th.parentNode.children,function(h){h.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',asc?'ascending':'descending');
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
      var x=a.cells[index].getAttribute('data-v'),y=b.cells[index].getAttribute('data-v');
      if(x===''||y===''){return x===y?0:(x===''?1:-1);}
      var r=numeric?(parseFloat(x)-parseFloat(y)):x.localeCompare(y,'zh-CN');
      return asc?r:-r;
    });
    rows.forEach(function(r){body.appendChild(r);});
    if(document.getElementById('f-group').checked){group();}
  }
  function visible(row){
    var q=document.getElementById('f-text').value.trim().toLowerCase();
    var sev=document.getElementById('f-severity').value,band=document.getElementById('f-band').value;
    var rule=document.getElementById('f-rule').value;
    if(q&&row.getAttribute('data-text').indexOf(q)<0){return false;}
    if(sev&&(' '+row.getAttribute('data-severities')+' ').indexOf(' '+sev+' ')<0){return false;}
    if(band&&row.getAttribute('data-band')!==band){return false;}
    if(rule&&(' '+row.getAttribute('data-rules')+' ').indexOf(' '+rule+' ')<0){return false;}
    return true;
  }
  function group(){
    var body=document.querySelector('#reports tbody');
    Array.prototype.forEach.call(body.querySelectorAll('tr.group'),function(g){g.remove();});
    if(!document.getElementById('f-group').checked){return;}
    var rows=Array.prototype.slice.call(body.querySelectorAll('tr.report'));
    var order=[],groups={};
    rows.forEach(function(r){
      var a=r.getAttribute('data-agency');
      if(!groups[a]){groups[a]=[];order.push(a);}
      groups[a].push(r);
    });
    order.sort(function(x,y){return x.localeCompare(y,'zh-CN');});
    order.forEach(function(a){
      var shown=groups[a].filter(function(r){return !r.hidden;}).length;
      var head=document.createElement('tr');head.className='group';head.hidden=shown===0;
      var th=document.createElement('th');th.colSpan=COLS;th.textContent=(a||'（未识别单位）')+'（'+shown+' 份）';
      head.appendChild(th);body.appendChild(head);
      groups[a].forEach(function(r){body.appendChild(r);});
    });
  }
  function apply(){
    var shown=0;
    Array.prototype.forEach.call(document.querySelectorAll('#reports tr.report'),function(r){
      r.hidden=!visible(r);if(!r.hidden){shown++;}
    });
    document.getElementById('f-count').textContent='显示 '+shown+' 份';
    group();
  }
  ['f-text','f-severity','f-band','f-rule','f-group'].forEach(function(id){
    var el=document.getElementById(id);el.addEventListener('input',apply);el.addEventListener('change',apply);
  });
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable th'),function(th){
    th.addEventListener('click',function(){sortBy(th);});
    th.addEventListener('keydown',function(e){if(e.key==='Enter'){sortBy(th);}});
  });
})();
"""


def _recheck_note(record: Record) -> str:
    """复核 of a report audited before: 已整改 / 仍存在 / 新增 counts; dismissed items."""
    parts = []
    counts = (record.get("recheck") or {}).get("counts")
    if counts:
        parts.append("复核：" + "，".join(f"{label} {counts.get(s, 0)}" for s, label in RECHECK_LABELS.items()))
    waived = sum(1 for f in rec.findings(record) if dismissed(f))
    if waived:
        parts.append(f"已核实-不属问题 {waived}")
    return "；".join(parts)


def _row(entry: ReportEntry) -> dict[str, Any]:
    record = entry.record
    failed = rec.is_failed(record)
    counts = rec.counts(record)
    score = rec.score(record)
    found = rec.findings(record)
    searchable = " ".join([rec.source_path(record), rec.agency(record), *(rec.text(f.get("message")) for f in found)])
    main_link = entry.files.get("html")
    unaudited = rec.is_unauditable(record) and not failed
    return {
        "status": "failed" if failed else "ok",
        "failed": failed,
        "reason": rec.failure_reason(record) if failed else "",
        "note": f"读取失败：{rec.failure_reason(record)}"
        if failed
        else rec.verdict_reason(record)
        if unaudited
        else _recheck_note(record),
        "file": rec.file_name(record),
        "page": quote(main_link) if main_link else None,
        "links": [(quote(path), LINK_NAMES.get(name, name)) for name, path in entry.files.items()],
        # (text, sort value, class): failed reports sort last (empty sort value).
        "cells": [
            (rec.NONE_TEXT if failed else rec.agency(record), "" if failed else rec.agency(record), ""),
            (rec.year(record) or rec.NONE_TEXT, rec.year(record), ""),
            (rec.NONE_TEXT if failed else rec.format_label(record), "" if failed else rec.format_label(record), ""),
            (rec.score_text(record), "" if score is None else score, "num"),
            (rec.band_text(record), "" if failed else rec.band_text(record), ""),
            *((str(counts[s]), "" if failed else counts[s], "num") for s in rec.SEVERITIES),
        ],
        "attrs": [
            ("data-agency", "" if failed else rec.agency(record)),
            ("data-band", rec.band_text(record)),
            ("data-severities", " ".join(sorted({rec.text(f.get("severity")) for f in found}))),
            ("data-rules", " ".join(sorted({rec.text(f.get("rule")) for f in found}))),
            ("data-text", searchable.lower()),
        ],
    }


@dataclass
class _Totals:
    """What the page's head says of the whole batch, gathered in one pass over the entries."""

    reports: int = 0
    ok: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    scores: list[float] = field(default_factory=list)
    problems: Counter[str] = field(default_factory=Counter)  # rule -> findings (parse notes aside)
    problem_titles: dict[str, str] = field(default_factory=dict)  # rule -> title, of those findings
    titles: dict[str, str] = field(default_factory=dict)  # rule -> title, of every finding
    bands: set[str] = field(default_factory=set)

    def add(self, record: Record) -> None:
        self.reports += 1
        self.counts.update(rec.counts(record))
        self.bands.add(rec.band_text(record))
        failed = rec.is_failed(record)
        for f in rec.findings(record):
            rule, title = rec.text(f.get("rule")), rec.text(f.get("title"))
            self.titles[rule] = title
            # Parsing notes describe the auditor's reading, not the reports: they are no "problem".
            if not failed and f.get("category") not in NOT_PROBLEMS:
                self.problem_titles[rule] = title
                self.problems[rec.text(f.get("rule"), "?")] += 1
        if failed:
            return
        self.ok += 1
        score = rec.score(record)
        if score is not None:
            self.scores.append(score)


def _context(entries: Sequence[ReportEntry]) -> dict[str, Any]:
    totals = _Totals()
    for entry in entries:
        totals.add(entry.record)
    top = [
        (f"{totals.problem_titles[rule]}（{rule}）" if totals.problem_titles.get(rule) else rule, n)
        for rule, n in totals.problems.most_common(TOP_RULES)
    ]
    boxes = [("报告总数", totals.reports), ("成功审计", totals.ok), ("读取失败", totals.reports - totals.ok)]
    boxes += [(f"{rec.SEVERITY_LABELS[s]}", totals.counts[s]) for s in rec.SEVERITIES]
    # The charts are inline SVG built with htmlkit.esc: the one markup the template takes as is.
    charts = Markup(score_histogram(totals.scores, "得分分布") + bar_chart(top, f"最常见问题（前{TOP_RULES}）"))
    return {
        "title": "审计汇总",
        "css": Markup(BASE_CSS + CSS),
        "script": Markup(SCRIPT),
        "boxes": boxes,
        "charts": charts,
        "columns": COLUMNS,
        "severities": [(s, f"有{rec.SEVERITY_LABELS[s]}") for s in rec.SEVERITIES],
        "bands": [(b, b) for b in sorted(totals.bands)],
        "rules": [(rule, f"{rule} {totals.titles[rule]}".strip()) for rule in sorted(totals.titles)],
        "count": totals.reports,
        # A second pass, row by row as the page is written.
        "rows": (_row(e) for e in entries),
    }


def render_text(entries: Sequence[ReportEntry]) -> str:
    """The index page as HTML text (Jinja2 template ``index.html.j2``)."""
    return "".join(generate_template("index.html.j2", **_context(entries)))


def write(entries: Sequence[ReportEntry], options: RenderOptions, out: IO[bytes]) -> None:
    """Write the page into ``out`` as it is generated: two passes over the entries, one row in memory."""
    for piece in generate_template("index.html.j2", **_context(entries)):
        out.write(piece.encode("utf-8"))


def render(entries: Sequence[ReportEntry], options: RenderOptions | None = None) -> bytes:
    """UTF-8 bytes of `render_text`."""
    return render_text(entries).encode("utf-8")


RENDERER = BatchRenderer("index", "批次汇总页面（HTML，可排序）", "index.html", write)
