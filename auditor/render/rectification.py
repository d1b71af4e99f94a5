"""The content of a 整改清单 (rectification list), shared by its Markdown and DOCX forms.

The list is a document an office sends to the audited body as it is: it names the body
and year, lists what must be corrected (errors and warnings; never parsing notes, never a
rule marked UNVERIFIED as an error, never a rule id or an inspector's note), gives a
deadline and leaves only the sender and the date as placeholders. A report with nothing
to correct, or one that could not be audited, gets no list.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.findings.review import RECHECK_LABELS, dismissed
from auditor.render import records as rec
from auditor.render.kinds import Record, RenderOptions
from auditor.render.labels import cell_label, location_text, template_for
from auditor.render.official import is_unverified, official_reference, without_rule_ids

TITLE = "政府信息公开工作年度报告整改清单"
"""Printed after the body and year: ``岳阳市人民政府2020年度政府信息公开工作年度报告整改清单``."""
RECHECK_TITLE = "政府信息公开工作年度报告复核意见"
"""The title instead when the report was audited before (复核): items say 仍存在 or 新增."""
ITEM_FIELDS = ("问题类型", "问题描述", "位置", "整改要求", "依据")
# What an office fills in by hand; everything else is final.
SENDER_PLACEHOLDER = "（发文单位）"
DATE_PLACEHOLDER = "××××年××月××日"
CONTACT_PLACEHOLDER = "联系人：×××，联系电话：××××××××"
# Parser notes concern the auditor's reading, not the report: they never reach the body.
NOT_FOR_THE_BODY = frozenset({"parse"})
_RANK = {"error": 0, "warning": 1}


@dataclass(frozen=True)
class Item:
    """One numbered item: a finding in the words an inspector hands to the body."""

    number: int
    failure_type: str
    description: str
    location: str
    remediation: str
    reference: str

    def fields(self) -> tuple[tuple[str, str], ...]:
        """(label, text) pairs in `ITEM_FIELDS` order."""
        values = (self.failure_type, self.description, self.location, self.remediation, self.reference)
        return tuple(zip(ITEM_FIELDS, values, strict=True))


@dataclass(frozen=True)
class Rectification:
    """A whole 整改清单."""

    agency: str
    year: str
    report_name: str
    items: tuple[Item, ...]
    deadline_days: int
    fixed: int | None = None  # 复核: items of the earlier audit now corrected (None: first audit)

    @property
    def title(self) -> str:
        """``<单位><年度>年度政府信息公开工作年度报告整改清单`` (复核意见 on a re-audit)."""
        title = TITLE if self.fixed is None else RECHECK_TITLE
        return f"{self.agency}{self.year}年度{title}" if self.year else f"{self.agency}{title}"

    @property
    def recipient(self) -> str:
        """主送: the audited body."""
        return f"{self.agency}："

    @property
    def opening(self) -> str:
        """The paragraph before the items."""
        if self.fixed is not None:
            persisting = sum(1 for i in self.items if i.description.startswith(_MARK["persisting"]))
            return (
                f"经对你单位更正后的《{self.report_name}》进行复核，上次所列问题已整改{self.fixed}个，"
                f"仍存在{persisting}个，另有新发现问题{len(self.items) - persisting}个，"
                "请对照问题描述和整改要求逐项核实更正，并重新发布更正后的年度报告。"
            )
        return (
            f"经对你单位发布的《{self.report_name}》进行审查，发现以下{len(self.items)}个问题，"
            "请对照问题描述和整改要求逐项核实更正，并重新发布更正后的年度报告。"
        )

    @property
    def deadline(self) -> str:
        """整改期限."""
        return f"请于收到本清单之日起{self.deadline_days}日内完成整改，并将整改情况（含更正后的报告链接）书面报送。"

    @property
    def closing(self) -> tuple[str, str, str]:
        """落款, date and contact placeholders."""
        return SENDER_PLACEHOLDER, DATE_PLACEHOLDER, f"（{CONTACT_PLACEHOLDER}）"


_MARK = {status: f"【{label}】" for status, label in RECHECK_LABELS.items()}


def _to_correct(finding: rec.Finding) -> bool:
    """An item the body must correct: error or warning, not a parsing note, not an unverified rule,
    not an item an inspector dismissed (已核实-不属问题)."""
    if str(finding.get("category")) in NOT_FOR_THE_BODY or finding.get("severity") not in _RANK:
        return False
    if dismissed(finding):
        return False
    return not is_unverified(rec.text(finding.get("reference")))


def _description(finding: rec.Finding, record: Record, cell_names: dict[str, str]) -> str:
    """The message, plus the printed and expected values it does not already state (空白 for blanks)."""
    message = without_rule_ids(rec.text(finding.get("message"), rec.NONE_TEXT)).rstrip("。")

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
    pair = rec.cell_expectation(finding, record)
    if pair is not None and not stated(*pair):
        extra.append(f"填报 {rec.fmt_value(pair[0])}，应为 {rec.fmt_value(pair[1])}")
    return "；".join([message, *extra]) + "。"


def to_correct(record: Record) -> list[rec.Finding]:
    """The findings the body must correct (nothing for a report that could not be audited)."""
    return [] if rec.is_unauditable(record) else [f for f in rec.findings(record) if _to_correct(f)]


def has_items(record: Record) -> bool:
    """Whether the report gets a 整改清单: audited, with at least one thing to correct."""
    return bool(to_correct(record))


def report_name(record: Record) -> str:
    """The report's own title, else ``<单位><年度>年度政府信息公开工作年度报告``."""
    title = rec.text(rec.meta(record).get("title")).strip()
    if title:
        return title
    year = rec.year(record)
    return f"{rec.agency(record)}{year}年度政府信息公开工作年度报告" if year else f"{rec.agency(record)}年度报告"


def rectification(record: Record, options: RenderOptions | None = None) -> Rectification:
    """Build the 整改清单 of one record: errors before warnings, in official failure-type order."""
    options = options or RenderOptions()
    fmt = rec.report_format(record)
    template = template_for(fmt, (record.get("cells") or {}).keys())
    found = to_correct(record)
    names = {
        str(c.get("cell")): cell_label(template, str(c.get("cell"))) for f in found for c in f.get("corrections") or ()
    }
    order = {kind: n for n, kind in enumerate((*rec.FAILURE_TYPES, rec.OTHER_FAILURE))}
    found.sort(key=lambda f: (_RANK[str(f.get("severity"))], order[rec.failure_type(f)]))
    items = tuple(
        Item(
            number=n,
            failure_type=rec.failure_type(f),
            description=_MARK.get(str(f.get("recheck")), "") + _description(f, record, names),
            location=location_text(f, record, template, with_line=False),
            remediation=without_rule_ids(rec.text(f.get("remediation"))) or "请核实并更正。",
            reference=official_reference(rec.text(f.get("reference")), fmt),
        )
        for n, f in enumerate(found, 1)
    )
    return Rectification(
        agency=rec.agency(record),
        year=rec.year(record),
        report_name=report_name(record),
        items=items,
        deadline_days=options.deadline_days,
        fixed=int((record.get("recheck") or {}).get("counts", {}).get("fixed", 0)) if record.get("recheck") else None,
    )
