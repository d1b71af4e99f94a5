"""Deterministic generator of synthetic 政府信息公开工作年度报告 (annual disclosure reports).

Property tests and benchmarks use it to get realistic reports whose true table values are
known. ``make_report(seed, ...)`` returns a `Generated`: the report text plus every table
cell's value under its canonical key (``shared/spec/canonical-model.md``), the report's
year, format, layout, agency, statistical period and publication date, and the defect that
was injected, if any.

Guarantees:

* The same arguments always give the same report (every random choice comes from
  ``random.Random`` streams seeded from the seed, never from global state or ``hash``).
* A clean report is internally consistent: every 勾稽关系 of tables 三 and 四 holds
  (see `identity_violations`), counts are non-negative, and it was published on time.
* The random streams are separated by concern, so the same seed with and without a value
  defect gives the same report except for the defect (the cells differ only at
  ``defect_cells``).
* Labels are the official ones; with ``label_noise`` they get only meaning-preserving
  noise (bracket and digit width, a stray space, a dropped list number, known variants).

Layouts mimic the real seeds in ``shared/corpus/seeds``:

``pipe``
    One HTML cell per line, ``text |``. After each table row (except a table's last) comes
    a run of pipes, one per grid position of that row taken by a spanning cell or holding an
    empty cell, either on its own line (``||``) or appended to the row's last cell line
    (``0 | ||``). Blank cells are printed with a token (``— |``), never dropped.
``tab``
    One table row per line, fields separated by tabs, the grid fully expanded: positions
    covered by a row- or column-span are empty fields (so sub-rows of table 三 start with
    empty fields). Blank cells are ``/``, never an empty field.
``paragraph``
    Every non-empty cell is a paragraph of its own; paragraphs are separated by blank lines.
    Blank cells are ``/``.
``markdown``
    One markdown table per statistical table, the expanded grid of the ``tab`` layout with a
    ``|---|`` separator after the first row (for table 二 that row is the first caption).
    Blank cells are empty (or ``/``). Headings may carry ``#``/``##`` prefixes.

Two more layouts, never drawn (`CRAWLER_LAYOUTS`), are what some crawlers make of a page
that prints every HTML cell, an empty one too (blank cells are empty):

``cells``
    One cell per line, ``text |`` (an empty cell ``|``); each row ends with a run of pipes
    padding it to the widest row's number of cells.
``leadpipe``
    One cell per line, ``|text`` (an empty cell ``|``), no padding.
``closed``
    One cell per line, then a pipe on the next line (an empty cell is the pipe alone).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

Value = int | float | None

FORMATS = ("2019", "2021")
LAYOUTS = ("pipe", "tab", "paragraph", "markdown")
CRAWLER_LAYOUTS = ("cells", "leadpipe", "closed")
BODY_KINDS = ("government", "department")
DEFECTS = (
    "wrong_total",
    "wrong_inner_cell",
    "wrong_appeals_total",
    "negative_count",
    "missing_part",
    "wrong_template",
    "late_publication",
    "wrong_period_year",
)
DEFECT_CATEGORY: Mapping[str, str] = {
    "wrong_total": "identity",
    "wrong_inner_cell": "identity",
    "wrong_appeals_total": "identity",
    "negative_count": "value",
    "missing_part": "structure",
    "wrong_template": "template",
    "late_publication": "deadline",
    "wrong_period_year": "period",
}
YEARS: Mapping[str, tuple[int, ...]] = {"2019": (2019, 2020), "2021": (2021, 2022, 2023, 2024, 2025)}

# ---------------------------------------------------------------------------------------
# Canonical keys
# ---------------------------------------------------------------------------------------

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")
REQUEST_COLUMNS = (*APPLICANT_COLUMNS, "total")
_OUTCOMES_COMMON = (
    "granted",
    "partially_granted",
    "denied.state_secret",
    "denied.prohibited_by_law",
    "denied.three_safeties",
    "denied.third_party_rights",
    "denied.internal_affairs",
    "denied.process_information",
    "denied.enforcement_case_file",
    "denied.administrative_inquiry",
    "unable.not_held",
    "unable.needs_creation",
    "unable.unclear_after_correction",
    "not_processed.petition",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive_repeat",
    "not_processed.confirmation",
)
_OTHER_ROWS: Mapping[str, tuple[str, ...]] = {
    "2019": ("other",),
    "2021": ("other.no_correction", "other.unpaid_fee", "other.misc"),
}
APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")
APPEAL_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

DISCLOSURE_ROWS: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "2021": (
        ("regulations", ("issued", "repealed", "in_force")),
        ("normative_documents", ("issued", "repealed", "in_force")),
        ("licensing", ("decisions",)),
        ("penalty", ("decisions",)),
        ("coercion", ("decisions",)),
        ("fees", ("amount_wan",)),
    ),
    "2019": (
        ("regulations", ("new_made", "new_published", "total_published")),
        ("normative_documents", ("new_made", "new_published", "total_published")),
        ("licensing", ("prior_items", "change", "decisions")),
        ("other_services", ("prior_items", "change", "decisions")),
        ("penalty", ("prior_items", "change", "decisions")),
        ("coercion", ("prior_items", "change", "decisions")),
        ("fees", ("prior_items", "change")),
        ("procurement", ("items", "amount_yuan")),
    ),
}


def outcome_rows(fmt: str) -> tuple[str, ...]:
    """Rows of table 三 that （七）总计 sums, in printed order."""
    return (*_OUTCOMES_COMMON, *_OTHER_ROWS[fmt])


def request_rows(fmt: str) -> tuple[str, ...]:
    """Every row key of table 三, in printed order."""
    return ("received", "carried_in", *outcome_rows(fmt), "results_total", "carried_over")


def cell_keys(fmt: str) -> tuple[str, ...]:
    """Every table cell key of a format, in the order the report prints the values."""
    keys = [f"disclosure.{row}.{col}" for row, cols in DISCLOSURE_ROWS[fmt] for col in cols]
    keys += [f"requests.{row}.{col}" for row in request_rows(fmt) for col in REQUEST_COLUMNS]
    keys += [f"appeals.{g}.{col}" for g in APPEAL_GROUPS for col in APPEAL_COLUMNS]
    return tuple(keys)


def required_format(year: int) -> str:
    """The table format a report on ``year`` must use."""
    if year < 2019:
        raise ValueError(f"no unified table format before 2019 (year {year})")
    return "2019" if year <= 2020 else "2021"


def publication_deadline(year: int, body_kind: str) -> date:
    """Last lawful publication day (条例第四十九条): departments 1/31, governments 3/31 of year+1."""
    return date(year + 1, 1, 31) if body_kind == "department" else date(year + 1, 3, 31)


def identity_violations(cells: Mapping[str, Value], fmt: str) -> list[str]:
    """The 勾稽关系 and sign rules that ``cells`` break (blank = 0). Empty for a clean report."""

    def v(key: str) -> float:
        x = cells.get(key)
        return 0 if x is None else x

    out: list[str] = []
    for row in request_rows(fmt):
        parts = sum(v(f"requests.{row}.{c}") for c in APPLICANT_COLUMNS)
        if parts != v(f"requests.{row}.total"):
            out.append(f"requests.{row}: applicants {parts} != total {v(f'requests.{row}.total')}")
    for c in REQUEST_COLUMNS:
        outs = sum(v(f"requests.{r}.{c}") for r in outcome_rows(fmt))
        if outs != v(f"requests.results_total.{c}"):
            out.append(f"requests.results_total.{c}: outcomes {outs} != {v(f'requests.results_total.{c}')}")
        lhs = v(f"requests.received.{c}") + v(f"requests.carried_in.{c}")
        rhs = v(f"requests.results_total.{c}") + v(f"requests.carried_over.{c}")
        if lhs != rhs:
            out.append(f"requests column {c}: 一+二 {lhs} != 七+四 {rhs}")
    for g in APPEAL_GROUPS:
        parts = sum(v(f"appeals.{g}.{c}") for c in APPEAL_COLUMNS[:-1])
        if parts != v(f"appeals.{g}.total"):
            out.append(f"appeals.{g}: parts {parts} != total {v(f'appeals.{g}.total')}")
    for key, x in cells.items():
        if x is not None and x < 0 and not key.endswith(".change"):
            out.append(f"{key}: negative {x}")
    return out


# ---------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    """A synthetic report and the truth about it."""

    text: str
    cells: dict[str, int | float | None]
    year: int
    format: str
    layout: str
    agency: str
    body_kind: str
    period: tuple[str, str] | None
    published: str | None
    defect: str | None
    defect_cells: tuple[str, ...]
    defect_category: str | None
    title: str = ""
    parts: tuple[int, ...] = (1, 2, 3, 4, 5, 6)


# ---------------------------------------------------------------------------------------
# Agencies
# ---------------------------------------------------------------------------------------

_PLACE_A = "青临南云白东西松桐石清安永长平龙凤金玉新宁丰华兴嘉泉岚溪榆柳"
_PLACE_B = "川江湖溪山岭阳河源林州平宁丘浦城泽峰台口"
_PLACE_LEVEL = (("县", "我县", "全县"), ("市", "我市", "全市"), ("区", "我区", "全区"))
_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("生态环境局", "我局"),
    ("市场监督管理局", "我局"),
    ("教育局", "我局"),
    ("财政局", "我局"),
    ("自然资源和规划局", "我局"),
    ("住房和城乡建设局", "我局"),
    ("交通运输局", "我局"),
    ("卫生健康委员会", "我委"),
    ("发展和改革委员会", "我委"),
    ("人力资源和社会保障局", "我局"),
    ("民政局", "我局"),
    ("司法局", "我局"),
    ("审计局", "我局"),
    ("统计局", "我局"),
    ("农业农村局", "我局"),
    ("应急管理局", "我局"),
    ("文化广电和旅游局", "我局"),
    ("医疗保障局", "我局"),
    ("水利局", "我局"),
    ("商务局", "我局"),
    ("外事办公室", "我办"),
    ("机关事务管理局", "我局"),
    ("政务服务和数据管理局", "我局"),
    ("人民防空办公室", "我办"),
)


# What a department typically says it published proactively (part 一), by its name's ending.
_DEPT_FLAVOR: Mapping[str, str] = {
    "生态环境局": "围绕污染防治攻坚，及时公开环境质量状况、"
    "建设项目环境影响评价审批、排污许可证核发和环境行政处罚等信息，"
    "按月发布空气和水环境质量状况。",
    "市场监督管理局": "依托“双随机、一公开”监管平台公开年度抽查计划和抽查结果，定期发布食品安全监督抽检信息和"
    "产品质量监督抽查结果。",
    "教育局": "及时公开义务教育招生入学政策、学区划分、学生资助和教育收费等信息，做好中考招生政策解读。",
    "财政局": "在统一平台集中公开本级财政预决算、部门预决算和“三公”经费，推进政府采购意向公开。",
    "自然资源和规划局": "公开国土空间规划、土地征收成片开发方案、建设用地审批和不动产登记办事指南等信息。",
    "住房和城乡建设局": "公开保障性住房分配、老旧小区改造、建筑市场监管和房地产市场调控政策等信息。",
    "交通运输局": "公开交通建设项目审批和实施信息，及时发布道路施工绕行、公交线路调整等出行提示。",
    "卫生健康委员会": "公开医疗机构和医务人员执业信息、"
    "法定传染病疫情信息、基本公共卫生服务项目和卫生健康监督执法结果。",
    "发展和改革委员会": "公开国民经济和社会发展计划、重大建设项目审批核准备案和价格管理等信息。",
    "人力资源和社会保障局": "公开就业创业扶持政策、社会保险待遇标准调整、职业技能培训补贴和事业单位公开招聘信息。",
    "民政局": "公开最低生活保障、特困人员救助供养、临时救助等社会救助政策和资金发放情况。",
    "司法局": "公开公共法律服务事项清单、法律援助办事指南和人民调解工作情况。",
    "审计局": "公开年度审计项目计划执行情况、本级预算执行和其他财政收支审计工作报告以及审计查出问题整改情况。",
    "统计局": "按照统计信息发布日程表发布主要统计数据和统计公报，同步做好统计数据解读。",
    "农业农村局": "公开强农惠农富农政策、耕地地力保护补贴发放、农产品质量安全监测和动物疫病防控等信息。",
    "应急管理局": "公开安全生产行政执法检查计划和执法结果、自然灾害预警信息和突发事件应急预案。",
    "文化广电和旅游局": "公开文化市场综合执法信息、A级旅游景区评定结果和公共文化服务设施开放信息。",
    "医疗保障局": "公开医保药品目录调整、医保待遇政策、定点医药机构名单和医保基金监管执法结果。",
    "水利局": "公开河湖长制工作情况、水利工程建设项目信息、取水许可审批结果和防汛抗旱信息。",
    "商务局": "公开促消费政策、外贸外资扶持政策和商贸流通领域专项资金安排情况。",
    "外事办公室": "公开因公出国（境）团组信息、外事管理规定和涉外服务办事指南。",
    "机关事务管理局": "公开公共机构节能、公务用车管理和办公用房管理等制度及执行情况。",
    "政务服务和数据管理局": "公开政务服务事项清单、办事指南和公共数据开放目录，持续更新“一网通办”服务事项。",
    "人民防空办公室": "公开人防工程建设审批、防空警报试鸣和人防宣传教育等信息。",
}


@dataclass(frozen=True)
class _Agency:
    name: str
    kind: str
    place: str
    we: str  # 我县 / 我局
    whole: str  # 全县 / 全局系统


def _make_agency(rng: random.Random, kind: str) -> _Agency:
    a = rng.choice(_PLACE_A)
    b = rng.choice(_PLACE_B.replace(a, ""))
    level, we, whole = rng.choice(_PLACE_LEVEL)
    place = a + b + level
    dept, dept_we = rng.choice(_DEPARTMENTS)
    if kind == "government":
        return _Agency(place + "人民政府", kind, place, we, whole)
    return _Agency(place + dept, kind, place, dept_we, "本系统")


def _agency_from_name(name: str, kind: str | None) -> _Agency:
    if kind is None:
        kind = "government" if name.endswith("人民政府") else "department"
    place = name
    for suffix in ("人民政府", *(d for d, _ in _DEPARTMENTS)):
        if name.endswith(suffix):
            place = name[: -len(suffix)]
            break
    if kind == "government":
        level = place[-1:] if place[-1:] in "县市区" else "市"
        return _Agency(name, kind, place, "我" + level, "全" + level)
    we = "我委" if name.endswith("委员会") else "我办" if name.endswith("办公室") else "我局"
    return _Agency(name, kind, place, we, "本系统")


# ---------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------

_OUTCOME_WEIGHTS: Mapping[str, float] = {
    "granted": 30,
    "partially_granted": 7,
    "denied.state_secret": 0.3,
    "denied.prohibited_by_law": 0.6,
    "denied.three_safeties": 0.3,
    "denied.third_party_rights": 2.5,
    "denied.internal_affairs": 1.5,
    "denied.process_information": 2,
    "denied.enforcement_case_file": 1,
    "denied.administrative_inquiry": 1.5,
    "unable.not_held": 22,
    "unable.needs_creation": 4,
    "unable.unclear_after_correction": 3,
    "not_processed.petition": 4,
    "not_processed.duplicate": 2.5,
    "not_processed.publication": 0.5,
    "not_processed.excessive_repeat": 1,
    "not_processed.confirmation": 1,
    "other": 5,
    "other.no_correction": 3.5,
    "other.unpaid_fee": 0.6,
    "other.misc": 2.5,
}


def _heavy(rng: random.Random, lo: float, hi: float) -> int:
    """A heavy-tailed positive integer between 10**lo and 10**hi."""
    return int(10 ** rng.uniform(lo, hi))


def _allocate(rng: random.Random, n: int, rows: Sequence[str]) -> dict[str, int]:
    """Split ``n`` applications over outcome rows, sparsely, like real reports."""
    out = dict.fromkeys(rows, 0)
    if n <= 0:
        return out
    active = [r for r in rows if rng.random() < min(0.92, 0.08 + _OUTCOME_WEIGHTS[r] / 25 + n / 400)]
    if not active:
        active = [rng.choice(("granted", "unable.not_held", "partially_granted"))]
    weights = [_OUTCOME_WEIGHTS[r] * rng.uniform(0.3, 1.7) for r in active]
    total_w = sum(weights)
    left = n
    for r, w in zip(active, weights, strict=True):
        k = int(n * w / total_w)
        out[r] += k
        left -= k
    for _ in range(left):
        out[rng.choices(active, weights)[0]] += 1
    return out


def _gen_requests(rng: random.Random, fmt: str, kind: str) -> dict[str, int]:
    outs = outcome_rows(fmt)
    r = rng.random()
    if kind == "department":
        profile = "zero" if r < 0.22 else "small" if r < 0.75 else "medium" if r < 0.97 else "large"
    else:
        profile = "zero" if r < 0.03 else "small" if r < 0.25 else "medium" if r < 0.88 else "large"
    natural = {
        "zero": 0,
        "small": rng.randint(1, 12),
        "medium": rng.randint(12, 260),
        "large": rng.randint(260, 3200),
    }[profile]
    org_p = {"commercial": 0.55, "research": 0.07, "social_welfare": 0.12, "legal_services": 0.35, "other_org": 0.3}
    received = {"natural_person": natural}
    for col, p in org_p.items():
        hit = profile != "zero" and rng.random() < p
        received[col] = rng.randint(1, max(1, natural // 12 + 1)) if hit else 0
    cells: dict[str, int] = {}
    for col in APPLICANT_COLUMNS:
        recv = received[col]
        cin = rng.randint(0, max(1, recv // 6)) if recv and rng.random() < 0.35 else 0
        handled = recv + cin
        cout = rng.randint(0, handled // 5) if handled and rng.random() < 0.4 else 0
        cells[f"requests.received.{col}"] = recv
        cells[f"requests.carried_in.{col}"] = cin
        cells[f"requests.carried_over.{col}"] = cout
        cells[f"requests.results_total.{col}"] = handled - cout
        for row, k in _allocate(rng, handled - cout, outs).items():
            cells[f"requests.{row}.{col}"] = k
    for row in request_rows(fmt):
        cells[f"requests.{row}.total"] = sum(cells[f"requests.{row}.{c}"] for c in APPLICANT_COLUMNS)
    return cells


def _gen_appeals(rng: random.Random, kind: str, busy: bool) -> dict[str, int]:
    gov = kind == "government"
    chance = {
        "review": 0.5 if gov else 0.2,
        "litigation_direct": 0.35 if gov else 0.12,
        "litigation_after_review": 0.2 if gov else 0.06,
    }
    cells: dict[str, int] = {}
    for g in APPEAL_GROUPS:
        parts = dict.fromkeys(APPEAL_COLUMNS[:-1], 0)
        if rng.random() < chance[g] + (0.3 if busy else 0):
            scale = 30 if busy else 6
            parts["upheld"] = rng.randint(0, scale)
            parts["corrected"] = rng.randint(0, max(1, scale // 4)) if rng.random() < 0.4 else 0
            parts["other"] = rng.randint(0, max(1, scale // 3)) if rng.random() < 0.4 else 0
            parts["pending"] = rng.randint(0, max(1, scale // 4)) if rng.random() < 0.5 else 0
            if not any(parts.values()):
                parts["upheld"] = 1
        for c, k in parts.items():
            cells[f"appeals.{g}.{c}"] = k
        cells[f"appeals.{g}.total"] = sum(parts.values())
    return cells


@dataclass
class _Money:
    printed: str  # what the value cell shows
    header_unit: str  # "" or "（单位：万元）" etc. appended to the column header


def _wan_text(yuan: int) -> str:
    """``yuan`` written in 万元 with at most 4 decimals."""
    whole, frac = divmod(yuan, 10000)
    return f"{whole}.{frac:04d}".rstrip("0").rstrip(".") if frac else str(whole)


def _gen_disclosure(rng: random.Random, fmt: str, kind: str, county: bool) -> tuple[dict[str, Value], _Money]:
    c: dict[str, Value] = {}
    gov = kind == "government"
    has_rules = gov and not county and rng.random() < 0.45
    if fmt == "2021":
        issued = rng.randint(0, 4) if has_rules else 0
        c["disclosure.regulations.issued"] = issued
        c["disclosure.regulations.repealed"] = rng.randint(0, 2) if has_rules and rng.random() < 0.3 else 0
        c["disclosure.regulations.in_force"] = issued + rng.randint(0, 60) if has_rules else 0
        n_issued = rng.randint(0, 30 if gov else 6)
        c["disclosure.normative_documents.issued"] = n_issued
        c["disclosure.normative_documents.repealed"] = rng.randint(0, 12) if rng.random() < 0.5 else 0
        c["disclosure.normative_documents.in_force"] = n_issued + rng.randint(0, 320 if gov else 40)
        c["disclosure.licensing.decisions"] = _heavy(rng, 0, 5.3) if rng.random() < 0.75 else 0
        c["disclosure.penalty.decisions"] = _heavy(rng, 0, 4.3) if rng.random() < 0.7 else 0
        c["disclosure.coercion.decisions"] = _heavy(rng, 0, 2.8) if rng.random() < 0.45 else 0
        if rng.random() < 0.55:
            printed = "0"
        else:
            units = _heavy(rng, 1, 8.5)  # in 0.0001 万元 (= 1 元)
            printed = _wan_text(units)
            if "." in printed and rng.random() < 0.3:
                printed = f"{units / 10000:.4f}"  # keep the trailing zeros some reports print
        c["disclosure.fees.amount_wan"] = float(printed) if "." in printed else int(printed)
        return c, _Money(printed, "")

    for row in ("regulations", "normative_documents"):
        if row == "regulations" and not has_rules:
            made = 0
            total = 0
        else:
            made = rng.randint(0, 4) if row == "regulations" else rng.randint(0, 30 if gov else 6)
            total = made + rng.randint(0, 60 if row == "regulations" else (400 if gov else 50))
        c[f"disclosure.{row}.new_made"] = made
        c[f"disclosure.{row}.new_published"] = made if rng.random() < 0.8 else rng.randint(0, made)
        c[f"disclosure.{row}.total_published"] = total
    for row, hi in (("licensing", 5.3), ("other_services", 5), ("penalty", 4.3), ("coercion", 2.8)):
        active = rng.random() < 0.75
        prior = rng.randint(1, 700 if row != "coercion" else 60) if active else 0
        change = rng.randint(-min(prior, 30), 40) if active and rng.random() < 0.5 else 0
        c[f"disclosure.{row}.prior_items"] = prior
        c[f"disclosure.{row}.change"] = change
        c[f"disclosure.{row}.decisions"] = _heavy(rng, 0, hi) if active else 0
    fee_prior = rng.randint(0, 110) if rng.random() < 0.6 else 0
    c["disclosure.fees.prior_items"] = fee_prior
    c["disclosure.fees.change"] = rng.randint(-min(fee_prior, 8), 3) if fee_prior and rng.random() < 0.4 else 0
    items = _heavy(rng, 0, 3.5) if rng.random() < 0.7 else 0
    c["disclosure.procurement.items"] = items
    mode = rng.choice(("yuan", "yuan", "yuan_cents", "header_wan", "header_wan", "header_yuan"))
    if not items:
        c["disclosure.procurement.amount_yuan"] = 0
        return c, _Money("0", "（单位：万元）" if mode == "header_wan" else "")
    yuan = _heavy(rng, 4, 9.6)
    if mode == "yuan":
        c["disclosure.procurement.amount_yuan"] = yuan
        return c, _Money(f"{yuan}元", "")
    if mode == "yuan_cents":
        cents = rng.randint(1, 99)
        printed = f"{yuan}.{cents:02d}"
        c["disclosure.procurement.amount_yuan"] = float(printed)
        return c, _Money(printed + "元", "")
    if mode == "header_yuan":
        c["disclosure.procurement.amount_yuan"] = yuan
        return c, _Money(str(yuan), "（单位：元）")
    c["disclosure.procurement.amount_yuan"] = yuan
    return c, _Money(_wan_text(yuan), "（单位：万元）")


# ---------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------

_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_HALF_PUNCT = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})
_FULL_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class _Labeler:
    """Prints table labels, with seeded meaning-preserving noise when enabled."""

    def __init__(self, rng: random.Random, enabled: bool) -> None:
        self.rng = rng
        self.enabled = enabled
        self.space_p = rng.choice((0.0, 0.04, 0.08, 0.15)) if enabled else 0.0
        self.drop_p = rng.choice((0.0, 0.0, 0.0, 0.3, 1.0)) if enabled else 0.0
        self.mix_p = rng.choice((0.0, 0.0, 0.1)) if enabled else 0.0
        self.digits = rng.choice(("1.", "1.", "1.", "1.", "1．", "１．", "1、")) if enabled else "1."
        self.short_partial = enabled and rng.random() < 0.35
        self.law_variant = enabled and rng.random() < 0.3
        self.gouji = enabled and rng.random() < 0.2
        self.note_bare = enabled and rng.random() < 0.15
        self.change = rng.choice(("本年增/减",) * 6 + ("本年增减", "本年增（减）")) if enabled else "本年增/减"

    def _space(self, body: str) -> str:
        if not self.enabled or len(body) < 4 or self.rng.random() >= self.space_p:
            return body
        if any(b in body for b in "（）()“”"):  # never inside brackets or quotes
            return body
        # Break where typesetting usually breaks a cell line: before the last two or four
        # characters ("商业 企业", "本年新 制作数量"), never inside brackets or numbers.
        ends = (2, 4) if 6 <= len(body) <= 7 else (2,)
        spots = [len(body) - k for k in ends if _is_cjk(body[len(body) - k]) and _is_cjk(body[len(body) - k - 1])]
        if not spots:
            return body
        i = self.rng.choice(spots)
        return body[:i] + " " + body[i:]

    def _brackets(self, s: str) -> str:
        if self.enabled and self.rng.random() < self.mix_p:
            return s.translate(_HALF_PUNCT)
        return s

    def bracketed(self, text: str) -> str:
        """A label that only ever gets bracket-width noise (table 二 captions)."""
        return self._brackets(text)

    def plain(self, text: str) -> str:
        """A label without a list number (column headers, row names)."""
        return self._brackets(self._space(text))

    def numbered(self, number: int, body: str, *, droppable: bool = True) -> str:
        """``1.属于国家秘密`` style labels."""
        body = self._space(body)
        if droppable and self.enabled and self.rng.random() < self.drop_p:
            return body
        prefix = self.digits.replace("1", str(number))
        if "１" in self.digits:
            prefix = prefix.translate(_FULL_DIGITS)
        return prefix + body

    def listed(self, prefix: str, body: str, *, droppable: bool = True, drop_scale: float = 1.0) -> str:
        """``（一）予以公开`` / ``一、本年新收…`` style labels."""
        body = self._space(body)
        if droppable and self.enabled and self.rng.random() < self.drop_p * drop_scale:
            return body
        return self._brackets(prefix) + body


# ---------------------------------------------------------------------------------------
# Table grids (HTML-like cells with spans) and their four renderings
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    text: str
    rs: int = 1
    cs: int = 1


@dataclass
class _Table:
    name: str
    width: int
    rows: list[list[_Cell]] = field(default_factory=list)


def _grid(table: _Table) -> tuple[list[list[str]], list[int]]:
    """Expanded grid (covered positions are "") and, per row, covered + empty positions."""
    taken: dict[tuple[int, int], bool] = {}  # True = origin of a cell, False = covered
    grid = [["" for _ in range(table.width)] for _ in table.rows]
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    taken[(r + dr, c + dc)] = dr == 0 and dc == 0
            grid[r][c] = cell.text
            c += cell.cs
        if c > table.width:
            raise AssertionError(f"{table.name} row {r} is wider than {table.width}")
    missing = []
    for r, row in enumerate(table.rows):
        covered = sum(1 for c in range(table.width) if not taken.get((r, c), False))
        missing.append(covered + sum(1 for cell in row if not cell.text))
    return grid, missing


def _render_pipe(table: _Table, appended: bool) -> list[str]:
    _, missing = _grid(table)
    lines: list[str] = []
    for r, row in enumerate(table.rows):
        lines.extend(f"{cell.text} |" for cell in row if cell.text)
        if missing[r] and r < len(table.rows) - 1:
            if appended:
                lines[-1] += " " + "|" * missing[r]
            else:
                lines.append("|" * missing[r])
    return lines


def _render_tab(table: _Table) -> list[str]:
    grid, _ = _grid(table)
    return ["\t".join(row) for row in grid]


def _render_markdown(table: _Table) -> list[str]:
    grid, _ = _grid(table)
    lines = ["| " + " | ".join(row) + " |" for row in grid]
    lines.insert(1, "|" + "---|" * table.width)
    return lines


def _render_cells(table: _Table, layout: str) -> list[str]:
    widest = max(len(row) for row in table.rows)
    lines: list[str] = []
    for row in table.rows:
        for cell in row:
            if layout == "leadpipe":
                lines.append(f"|{cell.text}")
            elif layout == "closed":
                lines.extend([cell.text, "|"] if cell.text else ["|"])
            else:
                lines.append(f"{cell.text} |".lstrip())
        if layout == "cells" and len(row) < widest:
            lines.append("|" * (widest - len(row)))
    return lines


def _render_paragraphs(table: _Table) -> list[str]:
    return [cell.text for row in table.rows for cell in row if cell.text]


# ---------------------------------------------------------------------------------------
# The three statistical tables
# ---------------------------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十"
_DENIED = (
    ("state_secret", "属于国家秘密"),
    ("prohibited_by_law", "其他法律行政法规禁止公开"),
    ("three_safeties", "危及“三安全一稳定”"),
    ("third_party_rights", "保护第三方合法权益"),
    ("internal_affairs", "属于三类内部事务信息"),
    ("process_information", "属于四类过程性信息"),
    ("enforcement_case_file", "属于行政执法案卷"),
    ("administrative_inquiry", "属于行政查询事项"),
)
_UNABLE = (
    ("not_held", "本机关不掌握相关政府信息"),
    ("needs_creation", "没有现成信息需要另行制作"),
    ("unclear_after_correction", "补正后申请内容仍不明确"),
)
_NOT_PROCESSED = (
    ("petition", "信访举报投诉类申请"),
    ("duplicate", "重复申请"),
    ("publication", "要求提供公开出版物"),
    ("excessive_repeat", "无正当理由大量反复申请"),
    ("confirmation", "要求行政机关确认或重新出具已获取信息"),
)
_OTHER_2021 = (
    ("no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("unpaid_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("misc", "其他"),
)


def _caption(lab: _Labeler, item: str) -> _Cell:
    return _Cell(lab.bracketed(f"第二十条第（{item}）项"), cs=4)


def _disclosure_table(fmt: str, val: Callable[[str], str], money: _Money, lab: _Labeler) -> _Table:
    t = _Table("disclosure", 4)
    info = _Cell(lab.plain("信息内容"))

    def row(label: str, key: str, cols: Sequence[str], pad: int = 0, cs: int = 1) -> list[_Cell]:
        cells = [_Cell(lab.plain(label))]
        cells += [_Cell(val(f"disclosure.{key}.{c}"), cs=cs) for c in cols]
        return cells + [_Cell("")] * pad

    if fmt == "2021":
        t.rows.append([_caption(lab, "一")])
        t.rows.append([info] + [_Cell(lab.plain(h)) for h in ("本年制发件数", "本年废止件数", "现行有效件数")])
        t.rows.append(row("规章", "regulations", ("issued", "repealed", "in_force")))
        t.rows.append(row("行政规范性文件", "normative_documents", ("issued", "repealed", "in_force")))
        t.rows.append([_caption(lab, "五")])
        t.rows.append([info, _Cell(lab.plain("本年处理决定数量"), cs=3)])
        t.rows.append(row("行政许可", "licensing", ("decisions",), cs=3))
        t.rows.append([_caption(lab, "六")])
        t.rows.append([info, _Cell(lab.plain("本年处理决定数量"), cs=3)])
        t.rows.append(row("行政处罚", "penalty", ("decisions",), cs=3))
        t.rows.append(row("行政强制", "coercion", ("decisions",), cs=3))
        t.rows.append([_caption(lab, "八")])
        t.rows.append([info, _Cell(lab.plain("本年收费金额（单位：万元）"), cs=3)])
        t.rows.append(row("行政事业性收费", "fees", ("amount_wan",), cs=3))
        return t
    items3 = ("prior_items", "change", "decisions")
    head3 = [info] + [_Cell(lab.plain(h)) for h in ("上一年项目数量", lab.change, "处理决定数量")]
    t.rows.append([_caption(lab, "一")])
    t.rows.append([info] + [_Cell(lab.plain(h)) for h in ("本年新制作数量", "本年新公开数量", "对外公开总数量")])
    t.rows.append(row("规章", "regulations", ("new_made", "new_published", "total_published")))
    t.rows.append(row("规范性文件", "normative_documents", ("new_made", "new_published", "total_published")))
    t.rows.append([_caption(lab, "五")])
    t.rows.append(head3)
    t.rows.append(row("行政许可", "licensing", items3))
    t.rows.append(row("其他对外管理服务事项", "other_services", items3))
    t.rows.append([_caption(lab, "六")])
    t.rows.append(head3)
    t.rows.append(row("行政处罚", "penalty", items3))
    t.rows.append(row("行政强制", "coercion", items3))
    t.rows.append([_caption(lab, "八")])
    t.rows.append([info, _Cell(lab.plain("上一年项目数量")), _Cell(lab.plain(lab.change)), _Cell("")])
    t.rows.append(row("行政事业性收费", "fees", ("prior_items", "change"), pad=1))
    t.rows.append([_caption(lab, "九")])
    t.rows.append(
        [info, _Cell(lab.plain("采购项目数量")), _Cell(lab.plain("采购总金额") + money.header_unit), _Cell("")]
    )
    t.rows.append(row("政府集中采购", "procurement", ("items", "amount_yuan"), pad=1))
    return t


def _requests_table(fmt: str, val: Callable[[str], str], lab: _Labeler) -> _Table:
    t = _Table("requests", 10)
    word = "钩稽" if lab.gouji else "勾稽"
    note = f"本列数据的{word}关系为：第一项加第二项之和，等于第三项加第四项之和"
    note = note if lab.note_bare else f"（{note}）"
    t.rows.append([_Cell(lab.plain(note), rs=3, cs=3), _Cell(lab.plain("申请人情况"), cs=7)])
    t.rows.append(
        [_Cell(lab.plain("自然人"), rs=2), _Cell(lab.plain("法人或其他组织"), cs=5), _Cell(lab.plain("总计"), rs=2)]
    )
    t.rows.append([_Cell(lab.plain(h)) for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")])

    def values(row: str) -> list[_Cell]:
        return [_Cell(val(f"requests.{row}.{c}")) for c in REQUEST_COLUMNS]

    t.rows.append(
        [_Cell(lab.listed("一、", "本年新收政府信息公开申请数量", drop_scale=0.3), cs=3), *values("received")]
    )
    t.rows.append(
        [_Cell(lab.listed("二、", "上年结转政府信息公开申请数量", drop_scale=0.3), cs=3), *values("carried_in")]
    )
    span = 20 if fmt == "2019" else 22
    t.rows.append(
        [
            _Cell(lab.plain("三、本年度办理结果"), rs=span),
            _Cell(lab.listed("（一）", "予以公开"), cs=2),
            *values("granted"),
        ]
    )
    partial = "部分公开" if lab.short_partial else "部分公开（区分处理的，只计这一情形，不计其他情形）"
    t.rows.append([_Cell(lab.listed("（二）", partial), cs=2), *values("partially_granted")])

    def group(prefix: str, title: str, group_key: str, items: Sequence[tuple[str, str]]) -> None:
        for i, (key, body) in enumerate(items):
            if group_key == "denied" and key == "prohibited_by_law" and lab.law_variant:
                body = "其他法律法规禁止公开"
            label = _Cell(lab.numbered(i + 1, body, droppable=body != "其他"))
            row_key = f"{group_key}.{key}"
            if i == 0:
                t.rows.append([_Cell(lab.listed(prefix, title), rs=len(items)), label, *values(row_key)])
            else:
                t.rows.append([label, *values(row_key)])

    group("（三）", "不予公开", "denied", _DENIED)
    group("（四）", "无法提供", "unable", _UNABLE)
    group("（五）", "不予处理", "not_processed", _NOT_PROCESSED)
    if fmt == "2019":
        t.rows.append([_Cell(lab.listed("（六）", "其他处理"), cs=2), *values("other")])
    else:
        group("（六）", "其他处理", "other", _OTHER_2021)
    t.rows.append([_Cell(lab.listed("（七）", "总计", droppable=False), cs=2), *values("results_total")])
    t.rows.append([_Cell(lab.listed("四、", "结转下年度继续办理", drop_scale=0.3), cs=3), *values("carried_over")])
    return t


def _appeals_table(val: Callable[[str], str], lab: _Labeler) -> _Table:
    t = _Table("appeals", 15)
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    t.rows.append([_Cell(lab.plain("行政复议"), cs=5), _Cell(lab.plain("行政诉讼"), cs=10)])
    t.rows.append(
        [_Cell(lab.plain(h), rs=2) for h in heads]
        + [_Cell(lab.plain("未经复议直接起诉"), cs=5), _Cell(lab.plain("复议后起诉"), cs=5)]
    )
    t.rows.append([_Cell(lab.plain(h)) for _ in range(2) for h in heads])
    t.rows.append([_Cell(val(f"appeals.{g}.{c}")) for g in APPEAL_GROUPS for c in APPEAL_COLUMNS])
    return t


# ---------------------------------------------------------------------------------------
# Narrative
# ---------------------------------------------------------------------------------------

_HEADINGS: Mapping[int, tuple[str, ...]] = {
    1: ("一、总体情况",),
    2: ("二、主动公开政府信息情况",),
    3: ("三、收到和处理政府信息公开申请情况",),
    4: ("四、政府信息公开行政复议、行政诉讼情况",) * 3 + ("四、政府信息公开行政复议和行政诉讼情况",),
    5: ("五、存在的主要问题及改进情况",) * 4
    + ("五、政府信息公开工作存在的主要问题及改进情况", "五、存在问题及改进情况"),
    6: ("六、其他需要报告的事项",),
}

_FORMAT_DOCS = {
    "2019": "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》"
    "（国办公开办函〔2019〕60号）",
    "2021": "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
    "（国办公开办函〔2021〕30号）",
}


@dataclass
class _Ctx:
    """Everything the narrative may mention."""

    rng: random.Random
    agency: _Agency
    year: int
    fmt: str  # format of the printed tables
    cells: Mapping[str, Value]

    @property
    def we(self) -> str:
        return self.agency.we

    def n(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def pick(self, options: Sequence[str]) -> str:
        return self.rng.choice(options)

    def count(self, key: str) -> int | None:
        """A printed count for the narrative (blank = 0); None if it is not a plain count."""
        v = self.cells.get(key)
        if v is None:
            return 0
        if not isinstance(v, int) or v < 0:
            return None
        return v

    @property
    def normative(self) -> str:
        # "行政规范性文件" is a 2021-format signature: 2019-format reports say 规范性文件.
        return "行政规范性文件" if self.fmt == "2021" else "规范性文件"


def _part1(x: _Ctx) -> list[str]:
    a, y, we = x.agency, x.year, x.we
    gov = a.kind == "government"
    opening = x.pick(
        (
            f"{y}年，{a.name}坚持以习近平新时代中国特色社会主义思想为指导，"
            "认真贯彻落实《中华人民共和国政府信息公开条例》"
            f"和上级关于政务公开工作的部署要求，围绕中心工作和群众关切，持续加大主动公开力度，规范依申请公开办理，"
            f"政务公开标准化规范化水平不断提升。",
            f"{y}年，{a.name}在上级政务公开主管部门的指导下，把政务公开作为建设法治政府、服务型政府的重要抓手，"
            f"坚持“公开为常态、不公开为例外”，统筹推进决策、执行、管理、服务、结果公开，各项工作取得新进展。",
            f"{y}年，{a.name}紧扣年度政务公开工作要点，健全工作机制，压实工作责任，以公开促落实、促规范、促服务，"
            f"政府信息公开工作质量稳步提升，人民群众的知情权、参与权、表达权和监督权得到有效保障。",
            f"{y}年，{a.name}深入贯彻党中央、国务院关于全面推进政务公开的决策部署，对照年度工作任务逐项抓好落实，"
            f"进一步拓展公开广度和深度，政府信息公开工作总体运行平稳有序。",
        )
    )
    out = [opening]
    heads = x.pick(
        (
            (
                "（一）主动公开情况",
                "（二）依申请公开情况",
                "（三）政府信息管理情况",
                "（四）政府信息公开平台建设情况",
                "（五）监督保障情况",
            ),
            (
                "（一）主动公开方面",
                "（二）依申请公开方面",
                "（三）政府信息管理方面",
                "（四）平台建设方面",
                "（五）监督保障方面",
            ),
            (
                "（一）聚焦中心工作，做好主动公开",
                "（二）规范办理流程，做好依申请公开",
                "（三）健全管理制度，加强政府信息管理",
                "（四）优化公开渠道，加强平台建设",
                "（五）强化组织推动，抓好监督保障",
            ),
        )
    )
    # (一) 主动公开
    out.append(heads[0])
    info, policy = x.n(180, 9000), x.n(5, 160)
    p1 = [
        f"{we}依托政府门户网站、政务新媒体和政务公开专区等渠道，全年主动公开政府信息{info}条，其中政策文件{policy}件、"
        f"通知公告{x.n(10, 400)}条、工作动态{x.n(40, 3000)}条，"
        "围绕稳增长、促改革、惠民生等重点工作及时发布政策措施及执行情况。",
        f"{we}严格落实“五公开”要求，全年通过政府网站信息公开专栏发布各类信息{info}条，内容覆盖机构职能、政策文件、"
        f"规划计划、财政资金、人事信息等栏目，做到应公开尽公开、应公开早公开。",
    ]
    out.append(x.pick(p1))
    flavor = next((v for k, v in _DEPT_FLAVOR.items() if a.name.endswith(k)), None)
    if flavor and x.rng.random() < 0.85:
        out.append(x.pick(("结合部门职责，", "聚焦主责主业，", "")) + flavor)
    issued_key = (
        "disclosure.normative_documents.issued" if x.fmt == "2021" else "disclosure.normative_documents.new_made"
    )
    issued = x.count(issued_key)
    if issued:
        out.append(
            f"严格执行{x.normative}统一登记、统一编号、统一发布制度，"
            f"全年制发{x.normative}{issued}件，均在规定时限内向社会公开，"
            f"并同步做好合法性审核和备案工作。"
        )
    out.append(
        x.pick(
            (
                "坚持政策发布与解读同步策划、同步审签、同步发布，采用图文解读、"
                f"短视频、负责人访谈等形式解读政策{x.n(3, 90)}篇，"
                f"回应社会关切问题{x.n(2, 60)}个，政策知晓度进一步提高。",
                "深化重点领域信息公开，在财政预决算、重大建设项目、公共资源交易、乡村振兴、生态环境、食品药品监管等领域"
                "持续更新专栏内容，方便公众集中查阅。",
                "全面推行行政执法公示制度，通过执法信息公示平台公开行政许可、"
                "行政处罚等执法决定，执法结果信息做到依法及时公开。",
            )
        )
    )
    # (二) 依申请公开
    out.append(heads[1])
    recv = x.count("requests.received.total")
    cin = x.count("requests.carried_in.total")
    done = x.count("requests.results_total.total")
    cout = x.count("requests.carried_over.total")
    if None not in (recv, cin, done, cout):
        if recv == 0 and cin == 0:
            out.append(f"{y}年，{we}未收到政府信息公开申请，无上年结转申请。")
        else:
            out.append(
                f"{we}进一步规范政府信息公开申请的受理、登记、审查、"
                "答复和归档流程，统一答复文书格式，严格按照法定时限办理。"
                f"{y}年新收政府信息公开申请{recv}件，上年结转{cin}件，已办结{done}件，结转下年度继续办理{cout}件。"
            )
    out.append(
        x.pick(
            (
                "对申请内容不明确的，一次性告知申请人补正；对不属于本机关公开职责的，"
                "告知申请人并说明理由，依法保障申请人的合法权益。",
                "坚持依法答复与主动沟通相结合，答复前与申请人充分沟通，"
                "准确把握申请意图，答复文书做到依据充分、理由明确、救济渠道告知清楚。",
                "建立依申请公开会商机制，对涉及多个部门或者情况复杂的申请，"
                "组织法律顾问和业务科室共同研究，确保答复合法规范。",
            )
        )
    )
    rev = x.count("appeals.review.total")
    lit_a = x.count("appeals.litigation_direct.total")
    lit_b = x.count("appeals.litigation_after_review.total")
    if None not in (rev, lit_a, lit_b):
        assert rev is not None and lit_a is not None and lit_b is not None
        if rev + lit_a + lit_b == 0:
            out.append("全年未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。")
        else:
            out.append(f"全年因政府信息公开工作被申请行政复议{rev}件，被提起行政诉讼{lit_a + lit_b}件。")
    # (三) 政府信息管理
    out.append(heads[2])
    out.append(
        x.pick(
            (
                "严格落实政府信息公开保密审查制度，信息发布前坚持“先审查、"
                "后公开”和“一事一审”，全年未发生泄密和侵犯个人隐私事件。",
                "健全政府信息发布审核机制，落实信息发布“三审三校”要求，把好政治关、政策关、保密关和文字关。",
            )
        )
    )
    out.append(
        x.pick(
            (
                "开展已公开政府信息全面排查，对过时失效信息及时调整，"
                f"对涉及个人信息的内容进行去标识化处理，累计清理整改信息{x.n(12, 900)}条。",
                f"动态更新政府信息公开指南和主动公开目录，及时清理{x.normative}，"
                "对失效和废止文件在网站显著位置作出标注。",
            )
        )
    )
    # (四) 平台建设
    out.append(heads[3])
    out.append(
        x.pick(
            (
                f"加强政府网站和政务新媒体建设管理，优化“政府信息公开”专栏栏目设置，做好网站内容保障和安全防护，"
                f"全年网站访问量{x.n(3, 900)}万人次。",
                f"持续办好政务微信公众号和政务微博，全年发布信息{x.n(120, 5000)}条，"
                "打造权威便捷的政策发布和政民互动平台。",
                "规范政务公开专区建设，在政务服务大厅设置政府信息查阅点和自助查询终端，"
                "为群众提供查阅、咨询等便利服务。",
            )
        )
    )
    if x.rng.random() < 0.6:
        out.append(
            x.pick(
                (
                    f"畅通政民互动渠道，办理网上留言咨询{x.n(20, 2600)}件，"
                    "按期办结率100%，群众反映的问题得到及时回应。",
                    "完成政府网站集约化平台迁移，实现网站内容统一管理、数据统一存储和安全统一防护。",
                )
            )
        )
    # (五) 监督保障
    out.append(heads[4])
    out.append(
        x.pick(
            (
                "调整充实政务公开工作领导小组，明确分管负责同志和承办科室，"
                "配备专兼职工作人员，形成一级抓一级、层层抓落实的工作格局。",
                "将政务公开工作列入年度重点工作统筹推进，"
                f"组织开展政务公开业务培训{x.n(1, 12)}次，培训{x.n(20, 600)}人次，"
                f"工作人员业务能力不断提升。",
            )
        )
    )
    if gov or x.rng.random() < 0.3:
        out.append(
            x.pick(
                (
                    f"将政务公开工作纳入年度工作考核体系，考核分值占比{x.n(2, 5)}%；"
                    "通过门户网站问卷、第三方评估等方式开展社会评议，"
                    f"对评议中发现的问题逐项整改；本年度未发生因政府信息公开工作引发的责任追究情况。",
                    "严格落实工作考核、社会评议和责任追究制度，考核结果纳入绩效考核，"
                    "社会评议结果总体满意，全年未出现需要责任追究的情形。",
                )
            )
        )
    return out


def _part5(x: _Ctx) -> list[str]:
    y, we = x.year, x.we
    problems = x.pick(
        (
            "一是部分栏目信息更新不够及时，个别专栏内容不够丰富；"
            "二是政策解读形式还比较单一，解读的针对性和实效性有待增强；"
            "三是基层工作人员业务能力需进一步提升。",
            "一是主动公开的深度和广度仍有不足，与群众的期待存在一定差距；二是依申请公开答复的规范化水平有待提高；"
            "三是政务新媒体互动回应还不够及时。",
            "一是政务公开工作人员多为兼职，人员调整较频繁；二是重点领域信息公开的系统性不够，部分信息分散发布；"
            "三是政策解读材料质量参差不齐。",
            "一是对新形势下政务公开工作的认识还需进一步提高；二是信息公开的时效性不强，个别信息发布滞后；"
            "三是公众参与渠道利用不充分，政民互动效果有待提升。",
        )
    )
    measures = x.pick(
        (
            "一是完善信息发布和更新机制，明确栏目责任人，定期开展自查，确保信息发布及时准确；二是丰富解读形式，"
            "多运用图表、音视频等方式解读政策；三是加强业务培训，提升工作人员依法公开的能力。",
            "一是围绕群众关切拓展公开内容，做好重点领域信息公开；二是规范依申请公开办理，严格执行答复文书标准；"
            "三是强化政务新媒体管理，提高互动回应时效。",
            "一是稳定工作队伍，落实专人负责；二是整合重点领域信息，建设专题专栏集中发布；"
            "三是建立解读材料审核机制，提升解读质量。",
            "一是加强学习培训，把政务公开纳入业务培训内容；二是严格信息发布时限，做到随产生、随审核、随公开；"
            "三是用好意见征集、在线访谈等栏目，扩大公众参与。",
        )
    )
    style = x.rng.randrange(3)
    out: list[str] = []
    if style == 0:
        out.append("（一）存在的主要问题")
        out.append(f"{y}年，{we}政府信息公开工作取得了一定成效，但仍存在一些问题和不足：{problems}")
        out.append("（二）改进措施")
        out.append(f"下一步，{we}将采取以下措施加以改进：{measures}")
    elif style == 1:
        out.append(f"{y}年，{we}政府信息公开工作虽然取得了一定成效，但也存在一些问题：{problems}")
        out.append(f"针对上述问题，{we}将重点做好以下工作：{measures}")
    else:
        out.append(f"存在的问题：{problems}")
        out.append(f"改进措施：{measures}")
    if y >= 2021 and x.rng.random() < 0.8:
        out.append(
            x.pick(
                (
                    "上年度问题整改情况：针对上年度报告中提出的栏目更新不及时等问题，"
                    f"{we}制定整改清单，明确责任科室和完成时限，"
                    f"相关问题已整改到位。",
                    f"对上一年度年报中指出的问题，{we}逐项对照整改，建立栏目日常巡查制度，整改情况已纳入年度工作总结。",
                )
            )
        )
    return out


def _part6(x: _Ctx) -> list[str]:
    y, we = x.year, x.we
    out: list[str] = []
    if y >= 2021 or x.fmt == "2021":
        unpaid = x.count("requests.other.unpaid_fee.total") if x.fmt == "2021" else 0
        if unpaid:
            notices = unpaid + x.n(0, 3)
            paid = notices - unpaid
            amount = x.n(1, 40) * 10 * paid
            tail = f"实际收取信息处理费{amount}元" if paid else "未实际收取信息处理费"
            out.append(
                f"{y}年，{we}依据《政府信息公开信息处理费管理办法》共发出收费通知{notices}件，"
                f"其中{unpaid}件申请人逾期未缴纳费用，{tail}。"
            )
        else:
            out.append(
                x.pick(
                    (
                        "本年度未收取信息处理费。",
                        f"{y}年，{we}未向政府信息公开申请人收取信息处理费。",
                        f"依据《政府信息公开信息处理费管理办法》，{we}本年度未发出收费通知，未收取信息处理费。",
                    )
                )
            )
        if x.rng.random() < 0.6:
            out.append(
                f"{y}年，{we}共承办人大代表建议{x.n(0, 60)}件、"
                f"政协提案{x.n(0, 60)}件，均已按期办复，办理结果依法向社会公开。"
            )
        if x.rng.random() < 0.5:
            out.append(
                x.pick(
                    (
                        f"落实上级年度政务公开工作要点情况：{we}对照工作要点制定任务分解表，"
                        "逐项明确责任科室和完成时限，各项任务均已落实。",
                        f"政务公开工作创新情况：{we}开设“政策直通车”专栏，"
                        "将惠企惠民政策按主题分类集中发布，方便群众查找。",
                    )
                )
            )
    elif x.rng.random() < 0.35:
        out.append("无。")
    else:
        out.append(
            x.pick(
                (
                    f"{y}年，{we}认真办理人大代表建议和政协提案，办理复文依法公开，接受社会监督。",
                    "本机关无其他需要报告的事项。",
                    f"{y}年，{we}按照上级要求完成政府信息公开指南修订工作，并在门户网站同步更新。",
                )
            )
        )
    return out


def _preamble(x: _Ctx, cite: bool, contact: bool) -> list[str]:
    parts = (
        "由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成"
    )
    basis = f"和{_FORMAT_DOCS[x.fmt]}" if cite else ""
    text = x.pick(
        (
            f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）{basis}要求编制，{parts}。",
            f"根据《中华人民共和国政府信息公开条例》{basis}规定，"
            f"现向社会公布{x.agency.name}{x.year}年政府信息公开工作年度报告。",
        )
    )
    out = [text]
    if contact:
        phone = f"0{x.n(300, 999)}-{x.n(2000000, 8999999)}"
        site = "".join(x.rng.choice("abcdefghjklmnpqrstwxyz") for _ in range(x.n(2, 4)))
        out.append(
            f"本报告电子版可在{x.agency.place}人民政府门户网站（http://www.{site}.gov.cn）下载。"
            f"如对本报告有疑问，请与{x.agency.name}办公室联系（电话：{phone}）。"
        )
    return out


def _period_sentence(rng: random.Random, start: date, end: date) -> str:
    s, e = f"{start.year}年1月1日", f"{end.year}年12月31日"
    options = [
        f"本报告中所列数据的统计期限自{s}起至{e}止。",
        f"本报告中所列数据统计期限为{s}至{e}。",
        f"本年度报告中所列数据的统计期限为{s}至{e}。",
    ]
    if start.year == end.year:
        options.append(f"本报告所列数据的统计期限为{s}至12月31日。")
    return rng.choice(options)


# ---------------------------------------------------------------------------------------
# make_report
# ---------------------------------------------------------------------------------------


def _resolve(rng: random.Random, fmt: str | None, year: int | None, defect: str | None) -> tuple[str, int]:
    drawn_fmt = rng.choice(FORMATS)
    drawn_year = {f: rng.choice(YEARS[f]) for f in FORMATS}
    other = {"2019": "2021", "2021": "2019"}
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if defect == "wrong_template":
        if year is not None:
            if fmt is not None and fmt == required_format(year):
                raise ValueError(f"wrong_template: format {fmt} is the right one for {year}")
            return other[required_format(year)], year
        if fmt is not None:
            return fmt, drawn_year[other[fmt]]
        return other[drawn_fmt], drawn_year[drawn_fmt]
    if year is not None:
        need = required_format(year)
        if fmt is not None and fmt != need:
            raise ValueError(f"a {year} report uses the {need} format; ask for defect='wrong_template'")
        return need, year
    f = fmt or drawn_fmt
    return f, drawn_year[f]


def _rand_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _change_count(rng: random.Random, old: int | float) -> int:
    old = int(old)
    delta = rng.randint(1, max(2, old // 10 + 1))
    if old - delta < 0 or rng.random() < 0.5:
        return old + delta
    return old - delta


def _apply_value_defect(rng: random.Random, defect: str, cells: dict[str, Value], fmt: str) -> tuple[str, ...]:
    if defect == "wrong_total":
        key = f"requests.{rng.choice(request_rows(fmt))}.total"
    elif defect == "wrong_inner_cell":
        rows = [r for r in request_rows(fmt) if r != "results_total"]
        key = f"requests.{rng.choice(rows)}.{rng.choice(APPLICANT_COLUMNS)}"
    elif defect == "wrong_appeals_total":
        key = f"appeals.{rng.choice(APPEAL_GROUPS)}.total"
    else:  # negative_count
        if rng.random() < 0.7:
            key = f"requests.{rng.choice(request_rows(fmt))}.{rng.choice(REQUEST_COLUMNS)}"
        else:
            key = f"appeals.{rng.choice(APPEAL_GROUPS)}.{rng.choice(APPEAL_COLUMNS)}"
        old = cells[key] or 0
        cells[key] = -int(old) if old else -rng.randint(1, 5)
        return (key,)
    cells[key] = _change_count(rng, cells[key] or 0)
    return (key,)


def _printed_value(key: str, v: Value, money: _Money, change_plus: bool) -> str:
    if key in ("disclosure.procurement.amount_yuan", "disclosure.fees.amount_wan"):
        return money.printed
    assert v is not None
    if key.endswith(".change") and isinstance(v, int) and v > 0 and change_plus:
        return f"+{v}"
    return str(v)


def make_report(
    seed: int,
    *,
    fmt: str | None = None,
    layout: str | None = None,
    year: int | None = None,
    body_kind: str | None = None,
    label_noise: bool = True,
    blanks: bool = False,
    defect: str | None = None,
    agency: str | None = None,
) -> Generated:
    """A synthetic annual report; the same arguments always give the same report.

    ``fmt`` is the format of the printed tables ("2019" or "2021"); ``year`` the report's
    statistical year. Without a defect they must agree (2019 format for 2019–2020). With
    ``defect="wrong_template"`` the printed format is the other one. ``agency`` (an
    extension) fixes the organ's name; ``body_kind`` is then taken from it unless given.
    """
    if layout is not None and layout not in (*LAYOUTS, *CRAWLER_LAYOUTS):
        raise ValueError(f"unknown layout {layout!r}")
    if body_kind is not None and body_kind not in BODY_KINDS:
        raise ValueError(f"unknown body kind {body_kind!r}")
    if defect is not None and defect not in DEFECTS:
        raise ValueError(f"unknown defect {defect!r}")

    meta = random.Random(f"reportgen/{seed}/meta")
    the_fmt, the_year = _resolve(meta, fmt, year, defect)
    drawn_layout = meta.choice(LAYOUTS)
    drawn_kind = "government" if meta.random() < 0.4 else "department"
    kind = body_kind or (drawn_kind if agency is None else _agency_from_name(agency, None).kind)
    org = _make_agency(meta, kind) if agency is None else _agency_from_name(agency, kind)
    the_layout = layout or drawn_layout
    has_header = meta.random() < 0.45
    has_period = meta.random() < 0.75
    period_in_preamble = meta.random() < 0.6
    title_style = meta.randrange(4)
    pub_first = date(the_year + 1, 1, 5 if kind == "department" else 10)
    published_on = _rand_date(meta, pub_first, publication_deadline(the_year, kind))
    late_on = publication_deadline(the_year, kind) + timedelta(days=meta.randint(1, 90))
    signature = meta.random() < 0.6
    cite = meta.random() < 0.6
    contact = meta.random() < 0.5
    md_headings = meta.random() < 0.4
    pipe_appended = meta.random() < 0.25
    change_plus = meta.random() < 0.4
    halfwidth = label_noise and meta.random() < (0.6 if the_layout == "pipe" else 0.2)
    lead3 = meta.random() < 0.3

    vals = random.Random(f"reportgen/{seed}/values/{the_fmt}")
    county = org.place.endswith(("县", "区"))
    requests = _gen_requests(vals, the_fmt, kind)
    busy = requests.get("requests.received.total", 0) > 300
    appeals = _gen_appeals(vals, kind, busy)
    disclosure, money = _gen_disclosure(vals, the_fmt, kind, county)
    cells: dict[str, Value] = {**disclosure, **requests, **appeals}
    cells = {k: cells[k] for k in cell_keys(the_fmt)}

    # --- the defect ------------------------------------------------------------------
    drng = random.Random(f"reportgen/{seed}/defect/{defect}")
    defect_cells: tuple[str, ...] = ()
    missing_part: int | None = None
    period: tuple[date, date] | None = None
    if has_period or defect == "wrong_period_year":
        period = (date(the_year, 1, 1), date(the_year, 12, 31))
    published: date | None = published_on if has_header else None
    if defect in ("wrong_total", "wrong_inner_cell", "wrong_appeals_total", "negative_count"):
        defect_cells = _apply_value_defect(drng, defect, cells, the_fmt)
    elif defect == "missing_part":
        missing_part = drng.choice((1, 5, 6))
    elif defect == "late_publication":
        has_header = True
        published = late_on
    elif defect == "wrong_period_year":
        shift = drng.choice(("both_plus", "both_minus", "end_plus"))
        y0 = the_year + (1 if shift == "both_plus" else -1 if shift == "both_minus" else 0)
        y1 = the_year + (-1 if shift == "both_minus" else 1)
        period = (date(y0, 1, 1), date(y1, 12, 31))

    # --- blanks ----------------------------------------------------------------------
    brng = random.Random(f"reportgen/{seed}/blanks")
    token = {
        "pipe": brng.choice(("—", "/", "无", "—")),
        "tab": "/",
        "paragraph": "/",
        "markdown": brng.choice(("", "", "/")),
        "cells": "",
        "leadpipe": "",
        "closed": "",
    }[the_layout]
    if blanks:
        # One draw per cell whatever its value, so a value defect does not shift the others.
        rate = brng.uniform(0.15, 0.6)
        draws = {k: brng.random() for k in cells}
        zeros = [k for k, v in cells.items() if v == 0 and k not in defect_cells]
        chosen = [k for k in zeros if draws[k] < rate]
        if zeros and not chosen:
            chosen = [min(zeros, key=draws.__getitem__)]
        for k in chosen:
            cells[k] = None

    def val(key: str) -> str:
        v = cells[key]
        return token if v is None else _printed_value(key, v, money, change_plus)

    # --- tables ----------------------------------------------------------------------
    lab = _Labeler(random.Random(f"reportgen/{seed}/labels"), label_noise)
    tables = {
        2: _disclosure_table(the_fmt, val, money, lab),
        3: _requests_table(the_fmt, val, lab),
        4: _appeals_table(val, lab),
    }

    # --- narrative -------------------------------------------------------------------
    ctx = _Ctx(random.Random(f"reportgen/{seed}/text"), org, the_year, the_fmt, cells)
    hrng = random.Random(f"reportgen/{seed}/headings")
    headings = {n: hrng.choice(opts) for n, opts in _HEADINGS.items()}
    title = (
        f"{org.name}{the_year}年政府信息公开工作年度报告",
        f"{org.name}{the_year}年度政府信息公开工作年度报告",
        f"{org.name}{the_year}年度政府信息公开工作报告",
        f"{org.name}{the_year}年政府信息公开年度报告",
    )[title_style]
    preamble = _preamble(ctx, cite, contact)
    body: dict[int, list[str]] = {1: _part1(ctx), 5: _part5(ctx), 6: _part6(ctx)}
    period_line = _period_sentence(ctx.rng, *period) if period else None
    if period_line:
        if period_in_preamble or missing_part == 6 or body[6] == ["无。"]:
            preamble.insert(1, period_line)
        else:
            body[6].append(period_line)
    if lead3:
        body[3] = [ctx.pick(("本年度收到和处理政府信息公开申请情况如下表。", "具体情况见下表。"))]
        if not any(cells[f"appeals.{g}.{c}"] for g in APPEAL_GROUPS for c in APPEAL_COLUMNS):
            body[4] = ["本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况，相关数据均为零。"]

    header: list[str] = []
    if has_header and published is not None:
        idx = f"{meta.randint(10000000, 99999999)}-{meta.randint(0, 9)}/{published.year}-{meta.randint(1, 300):05d}"
        if meta.random() < 0.5:
            header = [
                "首页 > 政府信息公开 > 政府信息公开年报",
                f"索引号：{idx}",
                "信息分类：政府信息公开年报",
                f"发布机构：{org.name}",
                f"发布日期：{published.isoformat()}",
            ]
        else:
            header = [
                f"索 引 号：{idx}    主题分类：政务公开",
                f"发布机构：{org.name}    发布日期：{published.isoformat()}",
                f"名　　称：{title}",
            ]
    else:
        published = None
    closing: list[str] = []
    if signature:
        closing.append(org.name)
        if published is not None:
            closing.append(f"{published.year}年{published.month}月{published.day}日")

    parts = tuple(n for n in range(1, 7) if n != missing_part)
    text = _assemble(
        layout=the_layout,
        header=header,
        title=title,
        preamble=preamble,
        headings=headings,
        parts=parts,
        body=body,
        tables=tables,
        closing=closing,
        md_headings=md_headings,
        pipe_appended=pipe_appended,
    )
    if halfwidth:
        text = text.translate(_HALF_PUNCT)

    return Generated(
        text=text,
        cells=cells,
        year=the_year,
        format=the_fmt,
        layout=the_layout,
        agency=org.name,
        body_kind=kind,
        period=(period[0].isoformat(), period[1].isoformat()) if period else None,
        published=published.isoformat() if published else None,
        defect=defect,
        defect_cells=defect_cells,
        defect_category=DEFECT_CATEGORY[defect] if defect else None,
        title=title,
        parts=parts,
    )


def _assemble(
    *,
    layout: str,
    header: list[str],
    title: str,
    preamble: list[str],
    headings: Mapping[int, str],
    parts: Sequence[int],
    body: Mapping[int, list[str]],
    tables: Mapping[int, _Table],
    closing: list[str],
    md_headings: bool,
    pipe_appended: bool,
) -> str:
    """Lay the report out. Blocks are lists of lines; ``paragraph``/``tab``/``markdown``
    separate blocks with a blank line, ``pipe`` (like its seeds) does not."""
    md = layout == "markdown" and md_headings
    blocks: list[list[str]] = []
    if header:
        blocks.append(header)
    blocks.append([("# " if md else "") + title])
    blocks.extend([p] for p in preamble)
    for n in parts:
        blocks.append([("## " if md else "") + headings[n]])
        blocks.extend([p] for p in body.get(n, []))
        table = tables.get(n)
        if table is None:
            continue
        if layout == "pipe":
            blocks.append(_render_pipe(table, pipe_appended))
        elif layout == "tab":
            blocks.append(_render_tab(table))
        elif layout == "markdown":
            blocks.append(_render_markdown(table))
        elif layout in CRAWLER_LAYOUTS:
            blocks.append(_render_cells(table, layout))
        else:
            blocks.extend([p] for p in _render_paragraphs(table))
    if closing:
        blocks.append(closing)
    if layout in ("pipe", *CRAWLER_LAYOUTS):
        return "\n".join(line for block in blocks for line in block) + "\n"
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
