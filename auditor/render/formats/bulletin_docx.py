"""通报: one official document on a whole batch — scope, counts and bands, common problems, bodies ranked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

from auditor.render import records as rec
from auditor.render.kinds import BatchRenderer, Record, RenderOptions, ReportEntry
from auditor.render.official import without_rule_ids
from auditor.render.rectification import DATE_PLACEHOLDER, SENDER_PLACEHOLDER, to_correct
from auditor.text.numerals import written

RANK_HEADERS = ("序号", "单位", "年度", "得分", "等级", "主要问题")
RANK_WIDTHS = (12, 36, 15, 15, 20, 58)
BANDS = ("优秀", "良好", "合格", "不合格")
MAIN_PROBLEMS = 3  # problems named per body in the ranking


@dataclass
class _Batch:
    """What the 通报 says of a whole batch, gathered in one pass over its entries.

    Only counts and one short row per report are kept (the ranking must be sorted), never
    the records: a province's batch is read from its spool on disk.
    """

    reports: int = 0
    years: set[int] = field(default_factory=set)
    bodies: set[str] = field(default_factory=set)
    bands: Counter[str] = field(default_factory=Counter)
    scores: list[float] = field(default_factory=list)
    scored: int = 0
    partial: int = 0
    unaudited: int = 0
    problem_reports: Counter[str] = field(default_factory=Counter)
    problem_times: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # first seen: reports in input order, errors first
    ranked: list[tuple[tuple[int, float], int, tuple[str, ...]]] = field(default_factory=list)

    def add(self, record: Record) -> None:
        year = rec.meta(record).get("year")
        if isinstance(year, int):
            self.years.add(int(year))
        self.bodies.add(rec.agency(record))
        if rec.verdict_status(record) == "scored":
            self.scored += 1
            self.bands[rec.text(record.get("band"))] += 1
            score = rec.score(record)
            if score is not None:
                self.scores.append(score)
        self.partial += rec.is_partial(record)
        self.unaudited += rec.is_unauditable(record)
        found = to_correct(record)
        for f in found:
            name = _problem_name(f)
            self.problem_times[name] += 1
            self.examples.setdefault(name, f"{rec.agency(record)}：{without_rule_ids(rec.text(f.get('message')))}")
        self.problem_reports.update({_problem_name(f) for f in found})
        self.ranked.append((_rank_key(record), self.reports, _rank_row(record, found)))
        self.reports += 1


def _gather(records: Iterable[Record]) -> _Batch:
    batch = _Batch()
    for record in records:
        batch.add(record)
    return batch


def _years_text(batch: _Batch) -> str:
    years = sorted(batch.years)
    if not years:
        return ""
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}—{years[-1]}"


def _title(batch: _Batch) -> str:
    years = _years_text(batch)
    return f"关于{years + '年度' if years else ''}政府信息公开工作年度报告检查情况的通报"


def _problem_name(finding: rec.Finding) -> str:
    return f"{rec.failure_type(finding)}（{rec.category_label(finding)}）"


def _overview(batch: _Batch) -> str:
    text = f"本次共检查{len(batch.bodies)}家单位的{batch.reports}份政府信息公开工作年度报告。"
    if batch.scored:
        listed = "、".join(f"{b}{batch.bands[b]}份" for b in BANDS if batch.bands.get(b))
        scores = batch.scores
        text += (
            f"完成评分{batch.scored}份，其中{listed}；平均得分{rec.fmt_value(round(sum(scores) / len(scores), 1))}分。"
        )
    if batch.partial:
        text += f"{batch.partial}份仅按所选规则作部分检查，不评定等级。"
    if batch.unaudited:
        text += f"{batch.unaudited}份无法审计，需人工核对。"
    return text


def _common_problems(batch: _Batch) -> list[tuple[str, int, int, str]]:
    order = {name: n for n, name in enumerate(batch.examples)}
    reports = batch.problem_reports
    ranked = sorted(reports, key=lambda name: (-reports[name], _failure_rank(name), order[name]))
    return [(name, reports[name], batch.problem_times[name], batch.examples[name]) for name in ranked]


def _failure_rank(name: str) -> int:
    kinds = (*rec.FAILURE_TYPES, rec.OTHER_FAILURE)
    return next((n for n, kind in enumerate(kinds) if name.startswith(kind)), len(kinds))


def _rank_key(record: Record) -> tuple[int, float]:
    score = rec.score(record)
    return (0 if rec.verdict_status(record) == "scored" else 1 if score is not None else 2, -(score or 0.0))


def _rank_row(record: Record, to_fix: Sequence[rec.Finding]) -> tuple[str, ...]:
    """A body's row of the ranking, without its number: 单位, 年度, 得分, 等级, its main problems."""
    if rec.is_unauditable(record):
        main = rec.verdict_reason(record)
    else:
        found = sorted(to_fix, key=lambda f: (f.get("severity") != "error", -float(f.get("deduction") or 0)))
        main = (
            "；".join(without_rule_ids(rec.text(f.get("message"))) for f in found[:MAIN_PROBLEMS])
            or "未发现需整改的问题"
        )
        if len(found) > MAIN_PROBLEMS:
            main += f"等{len(found)}个问题"
    return (rec.agency(record), rec.year(record), rec.score_text(record), rec.band_text(record), main)


def _ranking(batch: _Batch) -> Iterator[tuple[str, ...]]:
    for n, (_, _, row) in enumerate(sorted(batch.ranked), 1):
        yield (str(n), *row)


def write(entries: Sequence[ReportEntry], options: RenderOptions, out: IO[bytes]) -> None:
    """Write the 通报 as DOCX into ``out``; its ranking table is streamed row by row."""
    from auditor.render.docxkit import OfficialDocument  # python-docx: only when a document is made

    batch = _gather(e.record for e in entries)
    doc = OfficialDocument()
    doc.title(_title(batch))
    doc.paragraph("各有关单位：", indent=False)
    doc.heading("一、基本情况")
    doc.paragraph(_overview(batch))
    doc.heading("二、存在的主要问题")
    problems = _common_problems(batch)
    if not problems:
        doc.paragraph("本次检查未发现需要整改的问题。")
    for i, (name, reports, times, example) in enumerate(problems, 1):
        doc.paragraph(f"{reports}份报告存在此类问题，共{times}处。如{example}", bold_lead=f"（{written(i)}）{name}。")
    doc.heading("三、各单位检查结果")
    table = doc.streamed_table(RANK_HEADERS, RANK_WIDTHS)
    doc.blank()
    doc.heading("四、有关要求")
    doc.paragraph(
        f"请存在问题的单位对照各自的整改清单，于收到本通报之日起{options.deadline_days}日内完成整改，"
        "重新发布更正后的年度报告，并将整改情况书面报送。无法审计的报告，请有关单位核实报告文本后重新报送。"
    )
    doc.signature(SENDER_PLACEHOLDER, DATE_PLACEHOLDER)
    doc.write(out, {table: _ranking(batch)})


def render(entries: Sequence[ReportEntry], options: RenderOptions | None = None) -> bytes:
    """The 通报 as DOCX bytes."""
    return RENDERER.render(entries, options)


RENDERER = BatchRenderer("bulletin", "检查情况通报（Word）", "通报.docx", write)
