"""Identity expressions: parse with ``grammar/identity.lark`` and expand to linear forms.

An identity such as ``requests.{row}.total = sum(requests.{row}.*)`` is parsed once into
a small AST; each ``foreach`` binding then expands it against the cell keys of one
format into a `Linear` comparison (cell → coefficient on each side).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from types import MappingProxyType

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from auditor.resources import grammar_path


class IdentitySyntaxError(ValueError):
    """An identity expression that does not parse; the message names the column."""


@dataclass(frozen=True)
class Segment:
    """One dotted segment of a reference: a literal name, a ``{variable}`` or ``*``."""

    kind: str  # "name" | "var" | "star"
    text: str = ""


@dataclass(frozen=True)
class Term:
    """``coef · ref`` (summed over matches when ``summed``) or a bare constant."""

    coef: float
    ref: tuple[Segment, ...] | None = None
    summed: bool = False


@dataclass(frozen=True)
class Identity:
    """A parsed comparison ``lhs op rhs``."""

    text: str
    lhs: tuple[Term, ...]
    op: str
    rhs: tuple[Term, ...]

    @property
    def variables(self) -> frozenset[str]:
        """Names of the ``{variables}`` the expression uses."""
        return frozenset(s.text for t in (*self.lhs, *self.rhs) if t.ref for s in t.ref if s.kind == "var")


@dataclass(frozen=True)
class Linear:
    """An expanded comparison: each side maps cell keys to coefficients, plus a constant."""

    lhs: Mapping[str, float]
    lhs_const: float
    op: str
    rhs: Mapping[str, float]
    rhs_const: float
    empty_sums: tuple[str, ...] = ()  # sum() patterns that matched no key of the format

    # Derived once: a compiled identity is evaluated on every report.
    @cached_property
    def cells(self) -> tuple[str, ...]:
        """Every cell of the comparison, left side first, without repeats."""
        return tuple(dict.fromkeys((*self.lhs, *self.rhs)))

    @cached_property
    def coefs(self) -> Mapping[str, float]:
        """Each cell's coefficient in ``lhs - rhs`` (cells of both sides are netted)."""
        out: dict[str, float] = dict(self.lhs)
        for k, v in self.rhs.items():
            out[k] = out.get(k, 0.0) - v
        return MappingProxyType(out)


@v_args(inline=True)
class _ToAst(Transformer[Token, Identity]):
    def name(self, tok: Token) -> Segment:
        return Segment("name", str(tok))

    def var(self, tok: Token) -> Segment:
        return Segment("var", str(tok))

    def star(self) -> Segment:
        return Segment("star")

    def ref(self, *segments: Segment) -> tuple[Segment, ...]:
        return segments

    def total(self, ref: tuple[Segment, ...]) -> Term:
        return Term(1.0, ref, summed=True)

    def constant(self, tok: Token) -> Term:
        return Term(float(tok))

    def term(self, *parts: object) -> Term:
        coef = float(str(parts[0])) if len(parts) == 2 else 1.0
        factor = parts[-1]
        if isinstance(factor, Term):
            if factor.ref is None:  # 2 * 3: a constant
                return Term(coef * factor.coef)
            return Term(coef * factor.coef, factor.ref, factor.summed)
        assert isinstance(factor, tuple)
        return Term(coef, factor)

    def signed_term(self, *parts: object) -> Term:
        term = parts[-1]
        assert isinstance(term, Term)
        if len(parts) == 2 and str(parts[0]) == "-":
            return Term(-term.coef, term.ref, term.summed)
        return term

    def side(self, first: Term, *rest: object) -> tuple[Term, ...]:
        terms = [first]
        for sign, term in zip(rest[::2], rest[1::2], strict=True):
            assert isinstance(term, Term)
            terms.append(Term(-term.coef, term.ref, term.summed) if str(sign) == "-" else term)
        return tuple(terms)

    def start(self, lhs: tuple[Term, ...], op: Token, rhs: tuple[Term, ...]) -> Identity:
        return Identity("", lhs, str(op), rhs)


@cache
def _parser() -> Lark:
    # cache=True: the LALR tables are kept on disk by Lark; building them costs 0.06 s a process.
    return Lark(grammar_path("identity.lark").read_text(encoding="utf-8"), parser="lalr", cache=True)


# Constants and coefficients beyond this are typing mistakes, and past float range they
# would turn into inf and silently disable the rule at run time.
MAX_CONSTANT = 1e12


_SHAPE = "（应形如 a.b.c + 2 * a.b.d = sum(a.e.*)，比较符为 =、<=、>=，不用括号）"


def _syntax_message(exc: UnexpectedInput, text: str) -> str:
    if isinstance(exc, UnexpectedToken):
        if exc.token.type == "$END":
            return "表达式不完整（结尾缺少内容）"
        return f"表达式第 {exc.column} 列有多余的“{exc.token}”"
    if isinstance(exc, UnexpectedCharacters):
        return f"表达式第 {exc.column} 列的字符“{exc.char}”无法识别"
    if isinstance(exc, UnexpectedEOF):
        return "表达式不完整（结尾缺少内容）"
    return "表达式语法有误"


@cache
def parse_identity(text: str) -> Identity:
    """Parse one identity; raise `IdentitySyntaxError` with the offending column."""
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise IdentitySyntaxError(_syntax_message(exc, text) + _SHAPE) from None
    ast = _ToAst().transform(tree)
    for term in (*ast.lhs, *ast.rhs):
        if not abs(term.coef) <= MAX_CONSTANT:  # also catches inf and nan
            raise IdentitySyntaxError(f"常数或系数超出范围（绝对值应不超过 {MAX_CONSTANT:.0e}）")
    return Identity(text, ast.lhs, ast.op, ast.rhs)


def _pattern(ref: Sequence[Segment], binding: Mapping[str, str]) -> list[str]:
    parts: list[str] = []
    for seg in ref:
        if seg.kind == "var":
            if seg.text not in binding:
                raise KeyError(f"变量 {{{seg.text}}} 没有在 foreach 中给出")
            parts.extend(binding[seg.text].split("."))
        else:
            parts.append("*" if seg.kind == "star" else seg.text)
    return parts


def _matches(pattern: Sequence[str], keys: Iterable[str]) -> list[str]:
    out = []
    for key in keys:
        parts = key.split(".")
        if len(parts) == len(pattern) and all(p in ("*", k) for p, k in zip(pattern, parts, strict=True)):
            out.append(key)
    return out


def _side(
    terms: Sequence[Term], binding: Mapping[str, str], keys: Sequence[str], empty: list[str]
) -> tuple[dict[str, float], float]:
    coefs: dict[str, float] = {}
    const = 0.0
    for term in terms:
        if term.ref is None:
            const += term.coef
            continue
        pattern = _pattern(term.ref, binding)
        if term.summed or "*" in pattern:
            matched = _matches(pattern, keys)
            if not matched:
                empty.append(".".join(pattern))
        else:
            matched = [".".join(pattern)]
        for key in matched:
            coefs[key] = coefs.get(key, 0.0) + term.coef
    return coefs, const


def expand(identity: Identity, binding: Mapping[str, str], keys: Sequence[str]) -> Linear:
    """Expand ``identity`` for one binding against the cell keys of a format."""
    empty: list[str] = []
    lhs, lc = _side(identity.lhs, binding, keys, empty)
    rhs, rc = _side(identity.rhs, binding, keys, empty)
    return Linear(lhs, lc, identity.op, rhs, rc, tuple(empty))
