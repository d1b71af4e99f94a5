"""``index.html`` of a run: totals, inline SVG charts and a sortable table of every report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from urllib.parse import quote

from auditor.render import records as rec
from auditor.render.htmlkit import esc, page
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


def _td(text: str, sort_value: object = None, html: str | None = None, cls: str = "") -> str:
    value = text if sort_value is None else sort_value
    klass = f' class="{cls}"' if cls else ""
    return f'<td data-v="{esc(value)}"{klass}>{html if html is not None else esc(text)}</td>'


def _row(entry: ReportEntry) -> str:
    record = entry.record
    failed = rec.is_failed(record)
    links = "".join(
        f'<a href="{esc(quote(path))}">{esc(LINK_NAMES.get(name, name))}</a>' for name, path in entry.files.items()
    )
    name = rec.file_name(record)
    main_link = entry.files.get("html")
    file_html = f'<a href="{esc(quote(main_link))}">{esc(name)}</a>' if main_link else esc(name)
    file_html += f'<div class="links">{links}</div>' if links else ""
    counts = rec.counts(record)
    score = rec.score(record)
    cells = [
        _td(name, html=file_html),
        _td(rec.NONE_TEXT if failed else rec.agency(record), "" if failed else None),
        _td(rec.year(record) or rec.NONE_TEXT, rec.year(record)),
        _td(rec.NONE_TEXT if failed else rec.format_label(record), "" if failed else None),
        _td(rec.score_text(record), "" if score is None else score, cls="num"),
        _td(rec.band_text(record), "" if failed else None),
        *(_td(str(counts[s]), "" if failed else counts[s], cls="num") for s in rec.SEVERITIES),
        _td(
            f"读取失败：{rec.failure_reason(record)}" if failed else "",
            html=(f'<span class="badge failed">读取失败</span> {esc(rec.failure_reason(record))}' if failed else ""),
        ),
    ]
    found = rec.findings(record)
    searchable = " ".join([rec.source_path(record), rec.agency(record), *(rec.text(f.get("message")) for f in found)])
    attrs = {
        "data-agency": "" if failed else rec.agency(record),
        "data-band": rec.band_text(record),
        "data-severities": " ".join(sorted({rec.text(f.get("severity")) for f in found})),
        "data-rules": " ".join(sorted({rec.text(f.get("rule")) for f in found})),
        "data-text": searchable.lower(),
    }
    extra = "".join(f' {k}="{esc(v)}"' for k, v in attrs.items())
    return f'<tr class="report {"failed" if failed else "ok"}"{extra}>{"".join(cells)}</tr>'


def _options(values: Sequence[tuple[str, str]], everything: str) -> str:
    return f'<option value="">{esc(everything)}</option>' + "".join(
        f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in values
    )


def _filters(records: Sequence[Record], rules: Counter[str]) -> str:
    """Text search, severity, band and rule filters, and grouping by 单位 (the script applies them)."""
    bands = sorted({rec.band_text(r) for r in records})
    titles = {rec.text(f.get("rule")): rec.text(f.get("title")) for r in records for f in rec.findings(r)}
    rule_options = [(rule, f"{rule} {titles.get(rule, '')}".strip()) for rule in sorted(titles)]
    return (
        '<div class="filters" role="search">'
        '<input type="search" id="f-text" placeholder="搜索文件、单位或问题描述" aria-label="搜索">'
        '<select id="f-severity" aria-label="级别">'
        + _options([(s, f"有{rec.SEVERITY_LABELS[s]}") for s in rec.SEVERITIES], "全部级别")
        + '</select><select id="f-band" aria-label="等级">'
        + _options([(b, b) for b in bands], "全部等级")
        + '</select><select id="f-rule" aria-label="规则">'
        + _options(rule_options, "全部规则")
        + '</select><label><input type="checkbox" id="f-group"> 按单位分组</label>'
        f'<span id="f-count" class="muted">显示 {len(records)} 份</span></div>'
    )


def render_text(entries: Sequence[ReportEntry]) -> str:
    """The index page as HTML text."""
    records = [e.record for e in entries]
    ok = [r for r in records if not rec.is_failed(r)]
    totals = rec.total_counts(records)
    scores = [s for s in (rec.score(r) for r in ok) if s is not None]
    # Parsing notes describe the auditor's reading, not the reports: they are no "problem".
    problems = [f for r in ok for f in rec.findings(r) if f.get("category") not in NOT_PROBLEMS]
    titles = {rec.text(f.get("rule")): rec.text(f.get("title")) for f in problems}
    rules = Counter(rec.text(f.get("rule"), "?") for f in problems)
    top = [(f"{titles[rule]}（{rule}）" if titles.get(rule) else rule, n) for rule, n in rules.most_common(TOP_RULES)]
    boxes = [("报告总数", len(records)), ("成功审计", len(ok)), ("读取失败", len(records) - len(ok))]
    boxes += [(f"{rec.SEVERITY_LABELS[s]}", totals[s]) for s in rec.SEVERITIES]
    head = "".join(f'<th data-type="{kind}" tabindex="0" scope="col">{esc(label)}</th>' for label, kind in COLUMNS)
    body = (
        "<h1>政府信息公开工作年度报告审计汇总</h1>"
        '<div class="totals">' + "".join(f"<div>{esc(k)}<b>{v}</b></div>" for k, v in boxes) + "</div>"
        '<h2>统计图</h2><div class="charts">'
        + score_histogram(scores, "得分分布")
        + bar_chart(top, f"最常见问题（前{TOP_RULES}）")
        + "</div>"
        f'<h2>报告列表（{len(records)}）</h2><p class="muted">点击表头排序。</p>'
        + _filters(records, rules)
        + f'<table class="sortable" id="reports"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(_row(e) for e in entries)
        + "</tbody></table>"
    )
    return page("审计汇总", body, CSS, SCRIPT)


def render(entries: Sequence[ReportEntry], options: RenderOptions | None = None) -> bytes:
    """UTF-8 bytes of `render_text`."""
    return render_text(entries).encode("utf-8")


RENDERER = BatchRenderer("index", "批次汇总页面（HTML，可排序）", "index.html", render)
