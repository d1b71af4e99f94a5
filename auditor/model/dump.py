"""Crawler text dumps: a whole report on one or a few lines, re-lined before parsing.

Archive crawlers keep a page's visible text with its line structure gone: part headings
run into their text (``…一、总体情况2020年，…``) and table rows run together, their values
space-separated, glued (``一、本年新收政府信息公开申请数量200 000121``) or glued to the next
label's list number (``1.属于国家秘密00000002.其他法律…``).

Such a line is cut up by the template's own labels: each part heading goes on a line of
its own, each table label too, and each row becomes a tab row ``label<TAB>v1<TAB>v2…``
whose placement is then certain. A run of digits is split into columns only when exactly
one split agrees with the evidence — the number of columns, no number printed with a
leading zero, and the row's own sums (parts = 总计); when several agree or none does, the
row keeps its raw digits as one unplaceable value (`UNSPLIT`) and a notice says why. The
label runs must be runs: two labels count as table text only when nothing but values
stands between them, so a label word inside prose stays prose; a numbered row printed
under a variant of its label joins the run when it names one row of the format.

A dump kept on a few lines (a break before each heading, or hard-wrapped to a width) is
joined into one line first; pipes a crawler put between text nodes part cells as spaces do.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from auditor.model.digits import UNSPLIT, RowShape, printed_numbers, row_shape, split_values
from auditor.model.labels import label_index, strip_numbering, unify_spelling
from auditor.model.meta import WRITTEN_DATE
from auditor.model.template import FORMATS, PART_NUMERALS, PART_PHRASES, load_template, other_format
from auditor.model.values import COUNT_UNITS, MONEY_UNITS, SIGN_WORD, UNIT
from auditor.text.document import Block, Document, Notice, Place, TextLine
from auditor.text.numerals import NUMERAL

LONG_LINE = 400  # a line this long that holds a table is a dump, not a paragraph
LONGEST_DUMP = 200_000  # a line longer than any report is no dump: it is only wrapped, later

# Full-width forms that reports mix freely with ASCII; a 1:1 map keeps offsets valid.
_WIDTH = str.maketrans("（）［］：，．－＋　０１２３４５６７８９", "()[]:,.-+ 0123456789")
_UNIT_CHARS = "".join(sorted(set("".join((*MONEY_UNITS, *COUNT_UNITS)))))
# A change may carry its sign in words (``16减12``: 16 items last year, 12 fewer this year).
_SIGNED = rf"(?:{SIGN_WORD})(?=\s*\d)"
_VALUE_TEXT = re.compile(rf"^(?:[\s\d.+\-−%{_UNIT_CHARS}]|{_SIGNED})*$")
_UNIT_SUFFIX = re.compile(rf"\((?:单位[:：]?)?(?:{UNIT})\)")
# Values with their units (``1个246900元``, ``2笔 984361元``): a unit glued to a number is no prose.
_LEADING_VALUES = re.compile(rf"(?:[\s\d.+\-−%]+|(?:(?<=\d)|(?<=\d ))(?:{UNIT})|{_SIGNED})*")
# A unit one space after its number (``2059.2090 万元``) is still that number's.
_UNIT_APART = re.compile(rf"(?<=\d) (?={UNIT})")
# A year right before 年 opens the sentence after a row's values (``行政事业性收费02025年，我局…``).
_YEAR_BEFORE_NIAN = re.compile(r"(?:19|20)\d{2}\s*$")


def _leading_values(text: str, pos: int = 0) -> str:
    """The values printed at ``pos`` (digits, signs, units), without the year that opens the
    next sentence when the page glued it on (``02025年`` is 0, then 2025年)."""
    values = _LEADING_VALUES.match(text, pos).group()  # type: ignore[union-attr]
    year = _YEAR_BEFORE_NIAN.search(values) if text.startswith("年", pos + len(values)) else None
    return values[: year.start()] if year else values


_LIST_MARK = re.compile(rf"(?:\d[.、]|\({NUMERAL}{{1,2}}\)|{NUMERAL}{{1,2}}、)$")


# Spaces inside a label (``行政 处罚``, a cell's wrapped text) separate nothing; spaces
# between digits may separate values, so only spaces between two non-ASCII characters go.
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000]+(?=[^\x00-\x7f])")


def _wide(text: str) -> str:
    """The text as labels are matched: half-width forms, one spelling (offsets kept)."""
    return unify_spelling(text.translate(_WIDTH))


# -- part headings ----------------------------------------------------------------------


_HEADING_ENDS = ("情况", "事项", "措施")


@cache
def _heading_pattern() -> re.Pattern[str]:
    phrases = [phrase for _, alternatives in PART_PHRASES for phrase in alternatives.split("|")]
    whole = "|".join(p for p in phrases if p.endswith(_HEADING_ENDS))
    keys = "|".join(p for p in phrases if not p.endswith(_HEADING_ENDS))
    numeral = f"[{PART_NUMERALS}][、.]\\s*"
    # The heading runs to the first 情况/事项/措施 after its key phrase, or ends with the
    # phrase; a phrase that is a whole heading's end (其他事项) ends it.
    tail = f"(?:[^。；;,，:(\\d]{{0,14}}?(?:{'|'.join(_HEADING_ENDS)}))?"
    return re.compile(f"{numeral}[^。；;,，:\\d]{{0,16}}?(?:(?:{whole})|(?:{keys}){tail})")


def split_headings(text: str) -> list[str]:
    """The text cut before and after every inline part heading (parts in increasing order)."""
    pieces: list[str] = []
    last, part = 0, 0
    wide = _wide(text)
    for m in _heading_pattern().finditer(wide):
        number = PART_NUMERALS.index(wide[m.start()]) + 1
        if number <= part:
            continue
        part = number
        pieces.extend([text[last : m.start()], text[m.start() : m.end()]])
        last = m.end()
    pieces.append(text[last:])
    return [p.strip() for p in pieces if p.strip()]


# -- labels -------------------------------------------------------------------------------


@cache
def _labels() -> re.Pattern[str]:
    """One pattern finding every printed label of both formats, longest first, with and without list numbers."""
    found: set[str] = set()
    for fmt in FORMATS:
        template = load_template(fmt)
        for spec in template.tables.values():
            for row in spec.rows.values():
                found.update(row.labels)
            for cols in spec.column_labels.values():
                for labels in cols.values():
                    found.update(labels)
            for labels in (*spec.captions.values(), *spec.groups.values(), *spec.group_labels.values()):
                found.update(labels)
            found.update(spec.headers)
    variants = {_wide(v) for label in found for v in (label, strip_numbering(_wide(label))) if len(v) >= 2}
    ordered = sorted(variants, key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in ordered))


@dataclass
class _Label:
    start: int
    end: int
    rest: tuple[int, int] | None = None  # the label's last words, printed after its values


def _label_runs(wide: str) -> list[list[_Label]]:
    """Label matches grouped into runs: consecutive labels with only values between them."""
    runs: list[list[_Label]] = []
    matches = list(_labels().finditer(wide))
    starts = {m.start() for m in matches}
    for m in matches:
        if _inside_word(wide, m, starts):
            continue
        label = _Label(m.start(), m.end())
        # A unit printed after a column label belongs to it (``采购总金额（元）``).
        unit = _UNIT_SUFFIX.match(wide, label.end)
        if unit:
            label.end = unit.end()
        # A list number glued before a label belongs to it (``…00000002.其他法律…``).
        mark = _LIST_MARK.search(wide[max(0, label.start - 4) : label.start])
        if mark:
            label.start -= len(mark.group())
        prev = runs[-1][-1] if runs else None
        if prev is not None and label.start < prev.end:
            continue
        between = wide[prev.end : label.start] if prev is not None else ""
        if prev is not None and _VALUE_TEXT.match(between):
            runs[-1].append(label)
        elif prev is not None and (variants := _variant_rows(between, prev.end)):
            runs[-1].extend([*variants, label])
        else:
            runs.append([label])
    runs = [run for run in runs if len(run) >= 3]
    for run in runs:
        run.extend(_variant_tail(wide, run[-1].end, starts))
    return runs


# A label this short (其他, 规章) followed by more text that starts no label is part of a
# longer word (``其他法律和行政法规禁止公开``, ``规章制度``), not a label of its own.
_SHORT_LABEL = 3
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A row's list number: ``2.``, ``（六）``, ``四、``; a label followed by one ends there.
_ROW_MARK = re.compile(rf"\d[.、]|\({NUMERAL}{{1,2}}\)|{NUMERAL}{{1,2}}、")


def _inside_word(wide: str, m: re.Match[str], starts: set[int]) -> bool:
    followed = m.end() not in starts and _CJK.match(wide, m.end()) and not _ROW_MARK.match(wide, m.end())
    return len(m.group()) <= _SHORT_LABEL and bool(followed)


# Between two labels of a run: values, then rows whose label is a variant of the format's
# (``2.其他法律和行政法规禁止公开``, ``…不再受理其政府信息公开申请``), each numbered and
# followed by its values.
_VARIANT_ROW = re.compile(rf"({_ROW_MARK.pattern})([^\d\s.+\-−%]{{4,60}}?)(?=[\s\d]|$)")
_DIGIT = re.compile(r"\d")


def _variant_rows(between: str, offset: int) -> list[_Label]:
    """The variant row labels between two labels of a run, when the text between them is
    nothing but values and such rows, and each names a row of the format (else none).

    A PDF's cell wraps a label over several lines and centres the values on a middle one:
    flattened, the label's first words, the values, then its last words (``3.危及“三安 0 0 0
    0 0 0 0 全一稳定”``). Its list number and first words name the row; the last words are
    the label's when the two together spell it."""
    found: list[_Label] = []
    cursor = 0
    for m in _VARIANT_ROW.finditer(between):
        if m.start() < cursor:
            continue  # inside the last words of the label before
        if not _VALUE_TEXT.match(between[cursor : m.start()]):
            return []
        label = _Label(offset + m.start(), offset + m.end())
        if not _names_row(m.group(2)):
            rest = _label_rest(between, m) if _names_row(m.group(0)) else None
            if rest is None:
                return []
            label.rest = (offset + rest[0], offset + rest[1])
        found.append(label)
        cursor = label.rest[1] - offset if label.rest else m.end()
    return found if found and _VALUE_TEXT.match(between[cursor:]) else []


_LABEL_REST = re.compile(r"[^\d\s]{1,30}")


def _label_rest(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """Where the last words of the numbered label ``m`` stand after its values, when the
    label's first words and those spell one of the format's row labels exactly."""
    values = _leading_values(text, m.end())
    rest = _LABEL_REST.match(text, m.end() + len(values))
    if rest is None or not _DIGIT.search(values):
        return None
    return (rest.start(), rest.end()) if _names_row(m.group(0) + rest.group(), fuzzy=False) else None


def _variant_tail(wide: str, end: int, starts: set[int]) -> list[_Label]:
    """Variant rows right after a run's last row (``…（七）总计5000005四、结转下年度办理0000000``),
    each with its values, up to the first text that is none or a label of the format."""
    found: list[_Label] = []
    cursor = end + len(_leading_values(wide, end))
    while (m := _VARIANT_ROW.match(wide, cursor)) and m.start() not in starts and _names_row(m.group(2)):
        values = _leading_values(wide, m.end())
        if not _DIGIT.search(values):
            break
        found.append(_Label(m.start(), m.end()))
        cursor = m.end() + len(values)
    return found


def _names_row(text: str, *, fuzzy: bool = True) -> bool:
    return any(
        (match := label_index(fmt).lookup(text, fuzzy=fuzzy)) is not None
        and any(e.kind == "row" for e in match.entries)
        for fmt in FORMATS
    )


# -- re-lining ---------------------------------------------------------------------------


def _format_of(wide: str) -> str:
    scores = {fmt: sum(wide.count(_wide(sig)) for sig in load_template(fmt).signatures) for fmt in FORMATS}
    return max(FORMATS, key=lambda f: (scores[f], f))


def _row_shape(label: str, fmt: str, table: str | None) -> tuple[str | None, RowShape | None]:
    """(the table the label belongs to, the row's shape if it is a row label) in the given format."""
    # Run labels are the format's own, or variants that name one of its rows (`_variant_rows`).
    match = label_index(fmt).lookup(label)
    if match is None:
        return table, None
    template = load_template(fmt)
    tables = {e.table for e in match.entries}
    if table not in tables:
        table = next(iter(sorted(tables))) if len(tables) == 1 else table
    rows = [e for e in match.entries if e.kind == "row" and e.table == table]
    if rows:
        spec = template.tables[rows[0].table]
        return table, row_shape(spec, spec.rows[rows[0].key].columns)
    # A group label the other format prints as one row (（六）其他处理 in a 2021 report printed
    # with the 2019 table): its values are that row's (`build._legacy_group_rows` keys them).
    groups = [e.group for e in match.entries if e.kind == "group" and e.table == table and e.group]
    other = load_template(other_format(fmt)).tables.get(table or "")
    if groups and other is not None and groups[0] in other.rows:
        return table, row_shape(other, other.rows[groups[0]].columns)
    return table, None


def _appeals_shape(fmt: str) -> RowShape:
    spec = load_template(fmt).tables["appeals"]
    columns = [c for _ in spec.column_groups for c in spec.column_labels[""]]
    return row_shape(spec, columns)


def _row(printed: str, value_text: str, shape: RowShape, place: Place, cells_apart: bool) -> TextLine:
    """A row as a tab row, its values split when that is certain, else its digits kept whole
    (`UNSPLIT`): the model tries the table's column sums on them, or leaves them unplaced.
    Where the dump parts cells (``cells_apart``) each number is a whole cell: a row printing
    fewer numbers than columns lost cells, it glued none, so nothing is split."""
    value_text = _UNIT_APART.sub("", value_text)
    whole = printed_numbers(value_text) if cells_apart else []
    values = whole or split_values(value_text, shape) or [UNSPLIT.format(value_text.strip())]
    return TextLine("\t".join([printed, *values]), place)


def _piece_lines(piece: str, place: Place, fmt: str, cells_apart: bool) -> Iterator[TextLine | Notice]:
    """One heading-free piece of a dump as lines: prose, labels, and rows with their values."""
    wide = _wide(piece)
    cursor = 0
    table: str | None = None
    for run in _label_runs(wide):
        yield TextLine(piece[cursor : run[0].start].strip(), place)
        for i, label in enumerate(run):
            stop = run[i + 1].start if i + 1 < len(run) else len(wide)
            printed = piece[label.start : label.end].strip()
            after = wide[label.end : stop]
            if label.rest is not None:
                first, last = label.rest
                printed += piece[first:last].strip()
                after = wide[label.end : first] + wide[last:stop]
            # After the run's last label only its values belong to the table; prose follows.
            value_text = after if i + 1 < len(run) else _leading_values(after)
            cursor = label.end + len(value_text)
            table, shape = _row_shape(printed, fmt, table)
            if shape is None and table == "appeals" and value_text.strip():
                shape, printed = _appeals_shape(fmt), ""  # table 四's one row has no label
            if shape is None or not value_text.strip():
                yield TextLine(printed, place)
                yield TextLine(value_text.strip(), place)
                continue
            yield _row(printed, value_text, shape, place, cells_apart)
    yield TextLine(piece[cursor:].strip(), place)


# Some crawlers join a page's text nodes with pipes ("…情况||第二十条|信息内容|…|55|0|0|"):
# in a dump they part cells as spaces do. (A match starts only where a run of spaces does:
# tried inside a long run with no pipe after it, the search would rescan it from every space.)
_PIPES = re.compile(r"(?<![ \t])[ \t]*[|｜]+[ \t]*")
# Numbers in cells of their own (``| 21 | 0 |``, ``|55|0|0|``): the dump's tables part cells.
_PIPED_VALUES = re.compile(r"[|｜][ \t]*\d+[ \t]*[|｜][ \t]*\d+[ \t]*[|｜]")


def reline_text(text: str, place: Place, fmt: str | None = None) -> tuple[list[TextLine], list[Notice]]:
    """One dump line as the lines a page would have printed, plus notices on unsplit rows."""
    cells_apart = bool(_PIPED_VALUES.search(text))
    text = _CJK_GAP.sub("", _PIPES.sub(" ", text))
    fmt = fmt or _format_of(_wide(text))
    out = [item for piece in split_headings(text) for item in _piece_lines(piece, place, fmt, cells_apart)]
    lines = [x for x in out if isinstance(x, TextLine) and x.text]
    if lines:
        lines[-1:] = _signed(lines[-1])
    return lines, [x for x in out if isinstance(x, Notice)]


# The 落款 a dump runs on after the last sentence ("…处理费。 平潭综合实验区苏平片区管理局
# 2019年1月3日"), the date perhaps in Chinese numerals (二○一二年元月二十日), at the end of the
# text, before what follows a 落款 (附件, 附表, 抄送, 主题词, a numbered appendix part), or
# before a statistics table printed without a label (no sentence after the date). The date
# of the 版记 ("…党政办公室 2022年1月7日印发") is when it was issued, not signed.
_SIGNATURE = re.compile(
    rf"(?:(?<=[。！？；;)）\s])(?P<organ>[^。！？；;，,\s\d]{{2,40}}?))?\s*(?P<date>{WRITTEN_DATE})(?!\s*印发)"
    rf"(?=\s*(?:附件|附表|抄送|主题词|{NUMERAL}{{1,2}}、|$)|[^。！？]*$)"
)


_SIGNATURE_REACH = 4000  # characters from the end: a 落款 and the 附件 / 版记 after it


def _signed_off(document: Document) -> Document:
    """A text run on one long line with no table to re-line (a report older than the formats,
    or whose tables were pictures) still has its 落款 on lines of its own."""
    blocks = document.blocks
    written = [i for i, b in enumerate(blocks) if not isinstance(b, TextLine) or b.text.strip()]
    last = written[-1] if written else -1
    block = blocks[last] if written else None
    if not isinstance(block, TextLine) or len(block.text) < LONG_LINE:
        return document
    lines = _signed(block)
    return document if len(lines) == 1 else replace(document, blocks=(*blocks[:last], *lines, *blocks[last + 1 :]))


def _signed(line: TextLine) -> list[TextLine]:
    """The dump's last line, its 落款 (organ, date) on lines of their own as a page prints
    them, and what follows the 落款 (附件…, 抄送…) on a line after them."""
    # The 落款 is in the text's last lines: a long dump is not searched from its start.
    at = max(0, len(line.text) - _SIGNATURE_REACH)
    found = list(_SIGNATURE.finditer(line.text, at))
    if not found:
        return [line]
    m = found[-1]
    start = m.start("organ") if m.group("organ") else m.start("date")
    parts = [line.text[:start], m.group("organ"), m.group("date"), line.text[m.end() :]]
    return [replace(line, text=part.strip()) for part in parts if part and part.strip()]


def _is_dump(block: Block) -> bool:
    return (
        isinstance(block, TextLine)
        and LONG_LINE <= len(block.text) <= LONGEST_DUMP
        and bool(_label_runs(_wide(_PIPES.sub(" ", block.text))))
    )


# A dump some crawlers keep on a few lines (a line break where the page had a <br> or a cell
# boundary): rows glued to their digits (``（一）予以公开6000006``) on several lines.
_GLUED_ROWS = 5  # glued rows, over at least two lines, that make a document such a dump
_PART_MARK = re.compile(f"[{PART_NUMERALS}][、.]")
_BODY_LINE = 40  # a line this long is text, unless it is a page-header field or a rule
_FIELD_OR_RULE = re.compile(r"\s*(?:[\u4e00-\u9fff]{2,6}\s*[:：]|[=＝\-—]{3})")


@cache
def _row_ends() -> frozenset[str]:
    """The last four characters of every row label of both formats."""
    return frozenset(
        _wide(label)[-4:]
        for fmt in FORMATS
        for spec in load_template(fmt).tables.values()
        for row in spec.rows.values()
        for label in row.labels
        if len(label) >= 4
    )


# Three or more digits, glued or one space apart, right after a label's last character; not
# a count in a sentence ("主动公开政府信息13561条。", "行政规范性文件393件，").
_DIGITS_AFTER_TEXT = re.compile(
    rf"(?<=[\u4e00-\u9fff)”\"])[ ]?\d(?:[ ]?\d){{2,}}(?!\d|(?:{'|'.join(COUNT_UNITS)})[。，,；;、])"
)


def _glued_rows(blocks: tuple[Block, ...]) -> list[int]:
    """How many rows each line prints glued to their digits (``（一）予以公开6000006``)."""
    texts = [b.text if isinstance(b, TextLine) else "" for b in blocks]
    wide = _wide("\n".join(texts))  # one pass over the document: most have none
    ends = _row_ends()
    hits = [m.start() for m in _DIGITS_AFTER_TEXT.finditer(wide) if wide[max(0, m.start() - 4) : m.start()] in ends]
    counts = [0] * len(blocks)
    if hits:
        starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        for hit in hits:
            counts[bisect.bisect_right(starts, hit) - 1] += 1
    return counts


def _has_label_run(block: Block) -> bool:
    return isinstance(block, TextLine) and bool(_label_runs(_wide(block.text)))


def _joined_dump(blocks: tuple[Block, ...], *, one_row_lines: bool) -> tuple[Block, ...] | None:
    """The blocks with a dump kept on a few lines joined into one line, from its first part
    heading (or first table line) to the end, or None when there is no such dump.

    A line holding two rows with their digits is a dump's (no table prints two rows on one
    line); ``one_row_lines`` asks instead for a dump whose lines hold one glued row at most
    (wrapped to a width), which the two kinds never both are."""
    counts = _glued_rows(blocks)
    glued = [i for i, n in enumerate(counts) if n]
    if len(glued) < 2 or sum(counts) < _GLUED_ROWS or (max(counts) < 2) != one_row_lines:
        return None
    # From the body's first line: a part's numeral, or a line of text no page-header field
    # (a wrapped page may break a heading: 一 + 、总体情况).
    before = enumerate(blocks[: glued[0]])
    first = next((i for i, b in before if isinstance(b, TextLine) and _body_line(b.text)), glued[0])
    # A table's first rows may have too few digits to show (``规章000``): its labels tell.
    while first > 0 and _has_label_run(blocks[first - 1]):
        first -= 1
    span = blocks[first:]
    if not all(isinstance(b, TextLine) for b in span):
        return None
    texts = [b.text for b in span if isinstance(b, TextLine)]
    return (*blocks[:first], TextLine(_join(texts), blocks[first].place))  # type: ignore[union-attr]


def _join(texts: list[str]) -> str:
    """Lines joined as the page ran them: a line break between two digits parted two values
    (it stays a space); anywhere else it parted nothing (``…0000002.`` + ``没有现成…``)."""
    out = texts[0] if texts else ""
    for text in texts[1:]:
        out += (" " if out[-1:].isdigit() and text[:1].isdigit() else "") + text
    return out


def _body_line(text: str) -> bool:
    return bool(_PART_MARK.search(text)) or (len(text) >= _BODY_LINE and not _FIELD_OR_RULE.match(text))


def wrapped_dump(document: Document) -> Document | None:
    """The document with a dump wrapped one glued row per line joined into one line, or None.
    Asked for only when the document as it is gave no table cell: such lines may as well be
    a table's rows, printed one per line."""
    joined = _joined_dump(document.blocks, one_row_lines=True)
    return replace(document, blocks=joined) if joined is not None and any(_is_dump(b) for b in joined) else None


def reline(document: Document) -> Document:
    """The document with every dump line re-lined (a dump kept on a few lines joined into
    one first); other documents come back unchanged."""
    blocks = document.blocks
    joined = _joined_dump(blocks, one_row_lines=False)
    dumps = [_is_dump(b) for b in joined] if joined is not None else []
    if joined is not None and any(dumps):
        blocks = joined
    else:
        dumps = [_is_dump(b) for b in blocks]  # each line's label runs found once
        if not any(dumps):
            return _signed_off(document)
    out: list[Block] = []
    notices = list(document.notices)
    for block, dump in zip(blocks, dumps, strict=True):
        if dump and isinstance(block, TextLine):
            lines, found = reline_text(block.text, block.place)
            out.extend(lines)
            notices.extend(found)
        else:
            out.append(block)
    notices.append(Notice("dump", "报告正文为整段连排文本（网页抓取），已按表格标签重新分行后读取", None, "info"))
    return replace(document, blocks=tuple(out), notices=tuple(notices))
