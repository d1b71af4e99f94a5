"""Match printed table labels to template entries, tolerating how reports really print them.

Tolerated: full/half-width brackets and digits, stray spaces inside a label (``商业 企业``),
missing list numbers (``予以公开`` for ``（一）予以公开``), different quote marks, labels cut
short by the page (``本年新``) and near-variants (``其他法律法规禁止公开``).
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from auditor.model.template import Template, load_template
from auditor.text.numerals import NUMERAL, SMALL

_SPACES = re.compile(r"[\s\u3000]+")
_QUOTES = re.compile("[\"'“”‘’「」『』〝〞]")
_TRAILING = re.compile(r"[|:;,.。；，：、\s]+$")
_NUMBERING = re.compile(
    rf"^(?:{NUMERAL}+[、.,]|\({NUMERAL}+\)|\d{{1,2}}[.、,](?!\d)|\(\d{{1,2}}\)|第{NUMERAL}+[项部分]+)"
)
# A bracketed list numeral opening a normalised text: (一), (二)… (a print may lose the "(").
BRACKET_NUMBER = re.compile(rf"^\(?{NUMERAL}+\)")
_PARENTHETICAL = re.compile(r"\([^()]*\)")
_BRACKETS = re.compile(r"[()\[\]]")
# The number a converter or an editor puts before a table's title: 表二：, 表 2、, 附表3.
_TABLE_NUMBER = re.compile(rf"^\s*附?表\s*[{SMALL[:5]}1-5]\s*[：:、.．]?\s*")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Canonical spelling: NFKC (full→half width), no spaces or quotes, unified brackets."""
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    # Full stops only ever end a label (the 勾稽 note sometimes carries one inside its brackets).
    s = unify_spelling(_QUOTES.sub("", _SPACES.sub("", s)).replace("。", ""))
    # A markdown heading mark is no part of the label it prints (``### 行政复议``).
    return _TRAILING.sub("", s.lstrip("#")).lower()


def unify_spelling(text: str) -> str:
    """One spelling for words reports write two ways (其它 for 其他). Keeps the length, so
    offsets into the text stay valid."""
    return text.replace("其它", "其他")


def strip_numbering(s: str) -> str:
    """Remove leading list numbers such as ``三、``, ``(一)``, ``1.``, repeatedly."""
    while True:
        stripped = _NUMBERING.sub("", s, count=1)
        if stripped == s or not stripped:
            return s
        s = stripped


_LIST_NUMBER = re.compile(r"^(\d{1,2})[.、,](?!\d)")


def _list_number(text: str) -> str | None:
    """The Arabic list number a label opens with (``2.`` of 2.没有现成…), if any."""
    m = _LIST_NUMBER.match(norm(text))
    return m.group(1) if m else None


@lru_cache(maxsize=65536)
def core_form(text: str) -> str:
    """Normalised spelling without list numbers."""
    return strip_numbering(norm(text))


@lru_cache(maxsize=65536)
def forms(text: str) -> tuple[str, ...]:
    """The spellings a label is indexed and looked up by, most exact first."""
    n = norm(text)
    core = strip_numbering(n)
    no_paren = _PARENTHETICAL.sub("", core) or core
    bare = _BRACKETS.sub("", core)
    out: list[str] = []
    for f in (n, core, no_paren, bare):
        if f and f not in out:
            out.append(f)
    return tuple(out)


@dataclass(frozen=True)
class LabelEntry:
    """What a label means: a row, column, caption, group or other header of one table."""

    table: str
    kind: str  # row | column | caption | group | header
    key: str
    group: str | None = None
    caption: str | None = None


@dataclass(frozen=True)
class Match:
    """The entries a printed label may mean, and how sure the match is."""

    entries: tuple[LabelEntry, ...]
    exact: bool


class LabelIndex:
    """All labels of one format, indexed by their normalised spellings."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self._by_form: dict[str, list[LabelEntry]] = {}
        self._prefixes: list[tuple[str, str | None, LabelEntry]] = []  # (core, list number, entry)
        for spec in template.tables.values():
            for row in spec.rows.values():
                for label in row.labels:
                    self._add(label, LabelEntry(spec.name, "row", row.key, row.group, row.caption))
            for caption, cols in spec.column_labels.items():
                for key, labels in cols.items():
                    for label in labels:
                        self._add(label, LabelEntry(spec.name, "column", key, caption=caption or None))
            for caption, labels in spec.captions.items():
                for label in labels:
                    self._add(label, LabelEntry(spec.name, "caption", caption, caption=caption))
            for group, labels in spec.groups.items():
                for label in labels:
                    self._add(label, LabelEntry(spec.name, "group", group, group=group))
            for label in spec.headers:
                self._add(label, LabelEntry(spec.name, "header", norm(label)))
        self._fuzzy_pool = sorted(self._by_form)
        # Header labels (columns, captions, groups, other headers) per table, for telling
        # the syllables of a broken header row (``| 业 | 构 | 益组织 |``) from unknown text.
        self._headers: dict[str, tuple[str, ...]] = {}
        for spec in template.tables.values():
            texts = [label for cols in spec.column_labels.values() for ls in cols.values() for label in ls]
            texts += [label for ls in (*spec.captions.values(), *spec.groups.values()) for label in ls]
            texts += [*spec.headers, *(label for ls in spec.group_labels.values() for label in ls)]
            self._headers[spec.name] = tuple(dict.fromkeys(norm(t) for t in texts))
        # Labels a table prints in a column of their own to the left of its row labels (the
        # groups, 三、本年度办理结果), which a page wraps beside the rows' wrapped labels.
        self._side_labels = tuple(
            dict.fromkeys(
                norm(label)
                for spec in template.tables.values()
                for label in (*(g for gs in spec.groups.values() for g in gs), *spec.headers)
            )
        )
        # Tables some of whose labels open with a bracketed numeral (表三's （一）予以公开).
        self._bracket_numbered = frozenset(
            entry.table for form, entries in self._by_form.items() if BRACKET_NUMBER.match(form) for entry in entries
        )
        self._cores = sorted({core_form(f) for f in self._by_form} | {f for f in self._by_form})
        self._titles = frozenset(core_form(spec.title) for spec in template.tables.values() if spec.title)

    def _add(self, label: str, entry: LabelEntry) -> None:
        for f in forms(label):
            bucket = self._by_form.setdefault(f, [])
            if entry not in bucket:
                bucket.append(entry)
        if entry.kind in ("column", "row"):
            self._prefixes.append((core_form(label), _list_number(label), entry))

    def lookup(self, text: str, *, fuzzy: bool = True) -> Match | None:
        """Entries the printed text may stand for, or None if it is no known label.

        ``fuzzy`` allows truncated and near-variant spellings; callers switch it off for
        prose far from any table, where it would only cost time.
        """
        for f in forms(text):
            found = self._by_form.get(f)
            if found:
                return Match(tuple(found), exact=True)
        core = core_form(text)
        if not fuzzy or len(core) < 3 or len(core) > 60 or "。" in core:
            return None
        # A label cut short by the page ("本年新" for 本年新制作数量); a row label needs a
        # longer stem, since short stems of rows ("其他") mean other things too, unless the
        # stem carries the row's own list number ("2.没有现成", cut by a page break).
        number = _list_number(text)
        prefixed = tuple(
            dict.fromkeys(
                e
                for label, label_number, e in self._prefixes
                if label.startswith(core)
                and (e.kind == "column" or len(core) >= 6 or (len(core) >= 4 and number and number == label_number))
            )
        )
        if prefixed and len({(e.table, e.kind) for e in prefixed}) == 1:
            return Match(prefixed, exact=False)
        return self._fuzzy(core)

    def side_label_piece(self, text: str) -> bool:
        """Is the text a piece of a group's (or a header's) label, which a page wraps in its
        own column beside the rows' labels (``（五``, ``）不``, ``予处``, ``理``)?"""
        n = norm(text)
        return 0 < len(n) <= 8 and any(n in label for label in self._side_labels)

    def after_side_pieces(self, text: str) -> Iterator[str]:
        """The rests of a line that opens with a piece of a group's (or header's) label and
        goes on with a row's label, numbered or cut from a long one (``（四）无法 2.没有现成
        信息需``, ``无法提没有现成信息需要``: a PDF's text where the side column and the row
        label share a line), shortest piece first."""
        for i in range(1, min(len(text), 16)):
            head, rest = text[:i].strip(), text[i:].strip()
            if not self.side_label_piece(head):
                continue
            numbered = norm(rest)
            # (One character of a side label, ``开``, is too common to strip before anything
            # but the opening of a row's label.)
            if self._opens_row_label(rest) or (
                len(norm(head)) >= 2 and (_LIST_NUMBER.match(numbered) or BRACKET_NUMBER.match(numbered))
            ):
                yield rest

    def _opens_row_label(self, text: str) -> bool:
        """Is the text the opening of a row's label, long enough (six characters) to tell?"""
        core = core_form(text)
        return len(core) >= 6 and any(e.kind == "row" and label.startswith(core) for label, _, e in self._prefixes)

    def numbers_items_in_brackets(self, table: str) -> bool:
        """Do some of the table's labels open with a bracketed numeral (``（一）``)?"""
        return table in self._bracket_numbered

    def starts_label(self, text: str) -> bool:
        """Could the text be the first lines of a label the page wrapped (a proper prefix)?"""
        if len(text) > 60:
            return False
        for f in (core_form(text), norm(text)):
            i = bisect.bisect_right(self._cores, f)
            if f and i < len(self._cores) and self._cores[i].startswith(f):
                return True
        return False

    def is_table_title(self, text: str) -> bool:
        """Does the line only restate a table's title, as converters print it above the
        table (``## 表二：主动公开政府信息情况``)?"""
        return core_form(_TABLE_NUMBER.sub("", text.strip().lstrip("#"))) in self._titles

    def header_fragment(self, text: str, table: str) -> bool:
        """Is the text debris of a broken header row of the table: a short piece of one of
        its header labels (``益组织``), or pieces of several glued together (``自然人总计``,
        ``商业企科研机社会公法律服``)? Each piece of a glued text has at least two characters."""
        n = norm(text)
        labels = self._headers.get(table, ())
        if not 0 < len(n) <= 24:
            return False
        if len(n) <= 6 and any(n in label and n != label for label in labels):
            return True
        return len(n) >= 4 and self._pieces(n, labels)

    @staticmethod
    def _pieces(n: str, labels: tuple[str, ...]) -> bool:
        # Greedy longest-first segmentation; header pieces rarely overlap ambiguously.
        start = 0
        while start < len(n):
            end = len(n)
            while end - start >= 2 and not any(n[start:end] in label for label in labels):
                end -= 1
            if end - start < 2:
                return False
            start = end
        return True

    def _fuzzy(self, core: str) -> Match | None:
        close = difflib.get_close_matches(core, self._fuzzy_pool, n=3, cutoff=0.8)
        if not close:
            return None
        best = difflib.SequenceMatcher(None, core, close[0]).ratio()
        entries = [
            e for c in close if difflib.SequenceMatcher(None, core, c).ratio() >= best - 0.02 for e in self._by_form[c]
        ]
        unique = tuple(dict.fromkeys(entries))
        return Match(unique, exact=False) if len({(e.table, e.kind, e.key) for e in unique}) == 1 else None

    def signatures(self) -> tuple[str, ...]:
        """Normalised signature labels of the format."""
        return tuple(core_form(s) for s in self.template.signatures)


@cache
def label_index(fmt: str) -> LabelIndex:
    """The (cached) label index of a format."""
    return LabelIndex(load_template(fmt))


@cache
def _signature_matcher(fmt: str) -> tuple[frozenset[str], re.Pattern[str]]:
    """The format's signatures as a set (whole label) and one alternation (inside a text)."""
    sigs = label_index(fmt).signatures()
    return frozenset(sigs), re.compile("|".join(re.escape(sig) for sig in sigs) or "(?!)")


def signature_counts(texts: Iterable[str], formats: Iterable[str]) -> dict[str, int]:
    """For each format, how many printed texts carry one of its signature labels (each text
    normalised once, whatever the number of formats)."""
    matchers = {fmt: _signature_matcher(fmt) for fmt in formats}
    hits = dict.fromkeys(matchers, 0)
    for text in texts:
        if len(text) > 80:
            continue
        n, core = norm(text), core_form(text)  # both cached: labels recur from report to report
        for fmt, (whole, inside) in matchers.items():
            if core in whole or inside.search(n):
                hits[fmt] += 1
    return hits
