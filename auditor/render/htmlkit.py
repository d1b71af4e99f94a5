"""Shared CSS of the HTML pages, `esc` for the inline SVG charts, `markup_escape` for HTML
built in Python beside a template.

Pages themselves come from Jinja2 templates (`auditor.render.jinja`, autoescaped); the
charts are built as strings, every bit of report text through `esc` (a report is untrusted
input: it may hold ``<script>``).
"""

from __future__ import annotations

from html import escape

BASE_CSS = """
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--line:#c9ced6;--muted:#5f6b7a}
*{box-sizing:border-box}
body{font:14px/1.6 "PingFang SC","Hiragino Sans GB","Microsoft YaHei","Source Han Sans SC","Noto Sans CJK SC",
"Noto Sans SC","WenQuanYi Micro Hei","SimHei","SimSun",system-ui,sans-serif;margin:0;
color:#1f2933;background:#f6f7f9}
main{max-width:1280px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-left:4px solid #34568b;padding-left:8px}
section{background:#fff;border:1px solid #e3e6ea;border-radius:6px;padding:12px 16px;margin:12px 0}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid var(--line);padding:4px 8px;vertical-align:top}
th{background:#eef1f5;font-weight:600}
.muted{color:var(--muted)}.num{text-align:right;font-variant-numeric:tabular-nums}
.sev-error{color:var(--err)}.sev-warning{color:var(--warn)}.sev-info{color:var(--info)}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;color:#fff;background:var(--muted)}
.badge.sev-error{background:var(--err);color:#fff}.badge.sev-warning{background:var(--warn);color:#fff}
.badge.sev-info{background:var(--info);color:#fff}.badge.failed{background:#6a1b9a}
a{color:#1f5fbf}
"""


def esc(value: object) -> str:
    """Any value as HTML text (quotes too, so the result is safe inside attributes)."""
    return escape("" if value is None else str(value), quote=True)


def markup_escape(text: str) -> str:
    """``text`` escaped exactly as Jinja's autoescape (markupsafe) escapes it, for HTML built
    outside a template that must read the same (and this is twice as fast for short text)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    )
