"""The content of a 整改清单 (rectification list), shared by its Markdown and DOCX forms."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.render import records as rec
from auditor.render.kinds import Record
from auditor.render.labels import cell_label, location_text, numeral, template_for

TITLE = "政府信息公开工作年度报告整改清单"
"""Printed after the agency and year: ``岳阳市人民政府2020年政府信息公开工作年度报告整改清单``."""
ITEM_FIELDS = ("问题类别", "问题描述", "位置", "整改要求", "依据")
ADVICE = "其他提示（供参考，不扣分或酌情改进）"
_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Item:
    """One numbered item: a finding in the words an inspector hands to the agency."""

    number: int
    rule: str
    severity: str
    category: str
    description: str
    location: str
    remediation: str
    reference: str

    def fields(self) -> tuple[tuple[str, str], ...]:
        """(label, text) pairs in `ITEM_FIELDS` order."""
        kind = f"{self.category}（{self.severity}，{self.rule}）"
        values = (kind, self.description, self.location, self.remediation, self.reference)
        return tuple(zip(ITEM_FIELDS, values, strict=True))


@dataclass(frozen=True)
class Group:
    """Items under one official failure type."""

    heading: str
    failure_type: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Rectification:
    """A whole 整改清单."""

    agency: str
    year: str
    score: str
    source: str
    counts: dict[str, int]
    groups: tuple[Group, ...]

    @property
    def title(self) -> str:
        """``<单位><年度>年政府信息公开工作年度报告整改清单``."""
        return f"{self.agency}{self.year}年{TITLE}" if self.year else f"{self.agency}{TITLE}"

    def header(self) -> tuple[tuple[str, str], ...]:
        """The report facts printed above the items."""
        summary = "、".join(f"{rec.SEVERITY_LABELS[s]}{n}项" for s, n in self.counts.items())
        return (
            ("单位", self.agency),
            ("报告年度", f"{self.year}年" if self.year else rec.NONE_TEXT),
            ("得分/等级", self.score),
            ("报告文件", self.source),
            ("问题数量", f"共{sum(self.counts.values())}项（{summary}）"),
        )


def _description(finding: rec.Finding, cell_names: dict[str, str]) -> str:
    """The message, plus the printed and expected values it does not already state."""
    message = rec.text(finding.get("message"), rec.NONE_TEXT)

    def stated(actual: object, expected: object) -> bool:
        return rec.fmt_value(actual) in message and rec.fmt_value(expected) in message

    extra = [
        f"{cell_names.get(str(c.get('cell')), str(c.get('cell')))}填报 {rec.fmt_value(c.get('actual'))}，"
        f"应为 {rec.fmt_value(c.get('expected'))}"
        for c in finding.get("corrections") or ()
        if not stated(c.get("actual"), c.get("expected"))
    ]
    if extra and finding.get("alternatives"):
        extra = ["以下任一处更正即可：" + "，或".join(extra)]
    actual, expected = finding.get("actual"), finding.get("expected")
    if not finding.get("corrections") and expected is not None and not stated(actual, expected):
        extra.append(f"填报 {rec.fmt_value(actual)}，应为 {rec.fmt_value(expected)}")
    return "；".join([message, *extra])


def rectification(record: Record) -> Rectification:
    """Build the 整改清单 of one record: items numbered across groups in official order."""
    template = template_for(rec.report_format(record), (record.get("cells") or {}).keys())
    names = {
        str(c.get("cell")): cell_label(template, str(c.get("cell")))
        for f in rec.findings(record)
        for c in f.get("corrections") or ()
    }
    groups: list[Group] = []
    number = 0
    # What must be fixed comes first, errors before warnings; advice (info) closes the list.
    findings = sorted(rec.findings(record), key=lambda f: _RANK.get(str(f.get("severity")), 3))
    to_fix = [f for f in findings if f.get("severity") != "info"]
    advice = [f for f in findings if f.get("severity") == "info"]
    sections = [
        (f"{numeral(i)}、{kind}", kind, found) for i, (kind, found) in enumerate(rec.by_failure_type(to_fix), 1)
    ]
    if advice:
        sections.append((f"{numeral(len(sections) + 1)}、{ADVICE}", ADVICE, advice))
    for heading, kind, found in sections:
        items = []
        for f in found:
            number += 1
            items.append(
                Item(
                    number=number,
                    rule=rec.text(f.get("rule"), rec.NONE_TEXT),
                    severity=rec.severity_label(f),
                    category=rec.category_label(f),
                    description=_description(f, names),
                    location=location_text(f, record, template),
                    remediation=rec.text(f.get("remediation"), rec.NONE_TEXT) or rec.NONE_TEXT,
                    reference=rec.text(f.get("reference"), rec.NONE_TEXT) or rec.NONE_TEXT,
                )
            )
        groups.append(Group(f"{heading}（{len(items)}项）", kind, tuple(items)))
    score = f"{rec.score_text(record)}分（{rec.band_text(record)}）"
    return Rectification(
        agency=rec.agency(record),
        year=rec.year(record),
        score=score,
        source=rec.file_name(record),
        counts=rec.counts(record),
        groups=tuple(groups),
    )
