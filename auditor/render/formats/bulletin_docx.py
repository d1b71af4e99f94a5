"""通报: one official document on a whole batch — scope, counts and bands, common problems, bodies ranked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from auditor.render import records as rec
from auditor.render.docxkit import OfficialDocument
from auditor.render.kinds import BatchRenderer, Record, RenderOptions, ReportEntry
from auditor.render.labels import numeral
from auditor.render.official import without_rule_ids
from auditor.render.rectification import DATE_PLACEHOLDER, SENDER_PLACEHOLDER, to_correct

RANK_HEADERS = ("序号", "单位", "年度", "得分", "等级", "主要问题")
RANK_WIDTHS = (12, 36, 15, 15, 20, 58)
BANDS = ("优秀", "良好", "合格", "不合格")
MAIN_PROBLEMS = 3  # problems named per body in the ranking


def _years(records: Sequence[Record]) -> str:
    years = sorted({int(y) for y in (rec.meta(r).get("year") for r in records) if isinstance(y, int)})
    if not years:
        return ""
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}—{years[-1]}"


def title(records: Sequence[Record]) -> str:
    """``关于2023年度政府信息公开工作年度报告检查情况的通报``."""
    years = _years(records)
    return f"关于{years + '年度' if years else ''}政府信息公开工作年度报告检查情况的通报"


def _problem_name(finding: rec.Finding) -> str:
    return f"{rec.failure_type(finding)}（{rec.category_label(finding)}）"


def overview(records: Sequence[Record]) -> str:
    """Scope, counts and bands in one paragraph."""
    scored = [r for r in records if rec.verdict_status(r) == "scored"]
    partial = [r for r in records if rec.is_partial(r)]
    unaudited = [r for r in records if rec.is_unauditable(r)]
    bodies = len({rec.agency(r) for r in records})
    text = f"本次共检查{bodies}家单位的{len(records)}份政府信息公开工作年度报告。"
    if scored:
        bands = Counter(rec.text(r.get("band")) for r in scored)
        listed = "、".join(f"{b}{bands[b]}份" for b in BANDS if bands.get(b))
        scores = [s for s in (rec.score(r) for r in scored) if s is not None]
        text += (
            f"完成评分{len(scored)}份，其中{listed}；平均得分{rec.fmt_value(round(sum(scores) / len(scores), 1))}分。"
        )
    if partial:
        text += f"{len(partial)}份仅按所选规则作部分检查，不评定等级。"
    if unaudited:
        text += f"{len(unaudited)}份无法审计，需人工核对。"
    return text


def common_problems(records: Sequence[Record]) -> list[tuple[str, int, int, str]]:
    """(problem, reports showing it, occurrences, an example) by how many reports show it, most first."""
    reports: Counter[str] = Counter()
    times: Counter[str] = Counter()
    example: dict[str, str] = {}
    for r in records:
        found = to_correct(r)
        for f in found:
            name = _problem_name(f)
            times[name] += 1
            example.setdefault(name, f"{rec.agency(r)}：{without_rule_ids(rec.text(f.get('message')))}")
        reports.update({_problem_name(f) for f in found})
    order = list(example)  # first seen: reports are in input order, findings errors first
    ranked = sorted(reports, key=lambda name: (-reports[name], _failure_rank(name), order.index(name)))
    return [(name, reports[name], times[name], example[name]) for name in ranked]


def _failure_rank(name: str) -> int:
    kinds = (*rec.FAILURE_TYPES, rec.OTHER_FAILURE)
    return next((n for n, kind in enumerate(kinds) if name.startswith(kind)), len(kinds))


def _rank_key(record: Record) -> tuple[int, float]:
    score = rec.score(record)
    return (0 if rec.verdict_status(record) == "scored" else 1 if score is not None else 2, -(score or 0.0))


def ranking(records: Sequence[Record]) -> list[tuple[str, ...]]:
    """Bodies ranked by score (unscored last), each with its main problems."""
    rows: list[tuple[str, ...]] = []
    for n, r in enumerate(sorted(records, key=_rank_key), 1):
        found = sorted(to_correct(r), key=lambda f: (f.get("severity") != "error", -float(f.get("deduction") or 0)))
        if rec.is_unauditable(r):
            main = rec.verdict_reason(r)
        else:
            main = (
                "；".join(without_rule_ids(rec.text(f.get("message"))) for f in found[:MAIN_PROBLEMS])
                or "未发现需整改的问题"
            )
            if len(found) > MAIN_PROBLEMS:
                main += f"等{len(found)}个问题"
        rows.append((str(n), rec.agency(r), rec.year(r), rec.score_text(r), rec.band_text(r), main))
    return rows


def render(entries: Sequence[ReportEntry], options: RenderOptions | None = None) -> bytes:
    """The 通报 as DOCX bytes."""
    options = options or RenderOptions()
    records = [e.record for e in entries]
    doc = OfficialDocument()
    doc.title(title(records))
    doc.paragraph("各有关单位：", indent=False)
    doc.heading("一、基本情况")
    doc.paragraph(overview(records))
    doc.heading("二、存在的主要问题")
    problems = common_problems(records)
    if not problems:
        doc.paragraph("本次检查未发现需要整改的问题。")
    for i, (name, reports, times, example) in enumerate(problems, 1):
        doc.paragraph(f"{reports}份报告存在此类问题，共{times}处。如{example}", bold_lead=f"（{numeral(i)}）{name}。")
    doc.heading("三、各单位检查结果")
    doc.table(RANK_HEADERS, ranking(records), RANK_WIDTHS)
    doc.blank()
    doc.heading("四、有关要求")
    doc.paragraph(
        f"请存在问题的单位对照各自的整改清单，于收到本通报之日起{options.deadline_days}日内完成整改，"
        "重新发布更正后的年度报告，并将整改情况书面报送。无法审计的报告，请有关单位核实报告文本后重新报送。"
    )
    doc.signature(SENDER_PLACEHOLDER, DATE_PLACEHOLDER)
    return doc.save()


RENDERER = BatchRenderer("bulletin", "检查情况通报（Word）", "通报.docx", render)
