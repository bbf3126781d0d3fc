"""A topic query's meaning as one tree, read as arXiv's search reads it.

:mod:`daily_papers.query.syntax` says what the tokens are; here they are rewritten as arXiv's
query adapter rewrites them (``NOT`` is ``ANDNOT``, ``ti:(a b)`` gives both words the prefix,
bare words search ``all:``, of two operators in a row the later counts, adjacent terms are
OR-ed, ``au:del_maestro`` is ``au:"del maestro"``, ``title:`` is ``ti:``) and parsed with its
grammar, in which ``AND``, ``OR`` and ``ANDNOT`` have equal precedence and group to the right,
and ``ANDNOT`` may also stand first as a negation of the one term after it.
The matcher, the archives a topic needs and the category check all walk this tree.  Pure.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from daily_papers.errors import QueryError
from daily_papers.query.syntax import FIELDS, MANUAL, Kind, Token, fail, validate

__all__ = ["And", "AndNot", "Node", "Not", "Or", "Term", "parse", "terms"]


@dataclass(frozen=True, slots=True)
class Term:
    """One field and its value as written (quotes kept), after arXiv's rewriting."""

    field: str  #: canonical: ``title`` is ``ti``
    text: str

    @property
    def quoted(self) -> bool:
        return len(self.text) >= 2 and self.text[0] == self.text[-1] == '"'

    @property
    def value(self) -> str:
        """The term without its quotes (a phrase's words, stripped)."""
        return self.text[1:-1].strip() if self.quoted else self.text


@dataclass(frozen=True, slots=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class AndNot:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


Node = Term | And | Or | AndNot | Not

_Item = tuple[Kind, str]


def _rewrite(tokens: Sequence[Token]) -> list[_Item]:
    """arXiv's query adaptation, step by step in its order (see the module docstring)."""
    # NOT and AND NOT become ANDNOT.
    out: list[_Item] = []
    for token in tokens:
        if token.kind is Kind.OPERATOR and token.text == "NOT":
            if out and out[-1] == (Kind.OPERATOR, "AND"):
                out.pop()
            out.append((Kind.OPERATOR, "ANDNOT"))
        else:
            out.append((token.kind, token.text))
    # prefix:( … ) gives the prefix to every bare term inside.
    items, out = out, []
    outer: str | None = None
    depth = 0
    for index, item in enumerate(items):
        if outer is None:
            if item[0] is Kind.OPEN and out and out[-1][0] is Kind.PREFIX:
                outer = out.pop()[1]
                depth = 1
            out.append(item)
            continue
        if item[0] is Kind.CLOSE:
            depth -= 1
            if depth == 0:
                outer = None
        elif item[0] is Kind.OPEN:
            depth += 1
        elif item[0] is Kind.TERM and items[index - 1][0] is not Kind.PREFIX:
            out.append((Kind.PREFIX, outer))
        out.append(item)
    # A bare term searches all fields.
    items, out = out, []
    for item in items:
        if item[0] is Kind.TERM and (not out or out[-1][0] is not Kind.PREFIX):
            out.append((Kind.PREFIX, "all"))
        out.append(item)
    # Of two operators in a row the later one counts.
    items, out = out, []
    for item in items:
        if item[0] is Kind.OPERATOR and out and out[-1][0] is Kind.OPERATOR:
            out.pop()
        out.append(item)
    # Adjacent terms without an operator are OR-ed.
    items, out = out, []
    for item in items:
        if out and (
            (out[-1][0] is Kind.PREFIX and item[0] is Kind.PREFIX)
            or (
                out[-1][0] in (Kind.CLOSE, Kind.TERM)
                and item[0] in (Kind.PREFIX, Kind.OPEN, Kind.TERM)
            )
        ):
            out.append((Kind.OPERATOR, "OR"))
        out.append(item)
    # au:del_maestro is au:"del maestro"; title: is ti:; a prefix with no term is dropped.
    result: list[_Item] = []
    for index, item in enumerate(out):
        following = out[index + 1] if index + 1 < len(out) else None
        if item[0] is Kind.PREFIX:
            if following is not None and following[0] is Kind.TERM:
                result.append((Kind.PREFIX, FIELDS[item[1]]))
        elif (
            item[0] is Kind.TERM and result and result[-1] == (Kind.PREFIX, "au") and "_" in item[1]
        ):
            spaced = item[1].replace("_", " ")
            result.append((Kind.TERM, spaced if '"' in spaced else f'"{spaced}"'))
        else:
            result.append(item)
    return result


class _Parser:
    """arXiv's grammar: ``expr := primary [op expr]``, ``primary := term | ( expr ) |
    ANDNOT expr`` — one precedence level, grouping to the right (its LALR parser shifts)."""

    def __init__(self, items: list[_Item], query: str) -> None:
        self.items = items
        self.position = 0
        self.query = query

    def fail(self) -> QueryError:
        return fail(
            self.query,
            "is not a query arXiv's search can parse",
            f"Check the operators and field prefixes ({MANUAL}).",
        )

    def peek(self) -> _Item | None:
        return self.items[self.position] if self.position < len(self.items) else None

    def take(self) -> _Item:
        item = self.peek()
        if item is None:
            raise self.fail()
        self.position += 1
        return item

    def expression(self) -> Node:
        left = self.primary()
        item = self.peek()
        if item is None or item[0] is not Kind.OPERATOR:
            return left
        self.position += 1
        right = self.expression()
        if item[1] == "AND":
            return And(left, right)
        if item[1] == "OR":
            return Or(left, right)
        return AndNot(left, right)

    def primary(self) -> Node:
        item = self.take()
        if item[0] is Kind.OPEN:
            inner = self.expression()
            if self.take()[0] is not Kind.CLOSE:
                raise self.fail()
            return inner
        if item == (Kind.OPERATOR, "ANDNOT"):
            operand = self.expression()
            if not isinstance(operand, Term):
                # arXiv's query builder negates a leading ANDNOT's operand as one term and
                # fails on anything larger; the grammar gives it everything to the right.
                raise fail(
                    self.query,
                    "starts a negation (a leading ANDNOT or NOT) that covers more than one "
                    "term, which arXiv's search cannot evaluate",
                    "Negate one term (ANDNOT ti:x), or put what you want first (ti:y ANDNOT ti:x).",
                )
            return Not(operand)
        if item[0] is not Kind.PREFIX:
            raise self.fail()
        text = self.take()
        if text[0] is not Kind.TERM:
            raise self.fail()
        return Term(item[1], text[1])

    def parse(self) -> Node:
        node = self.expression()
        if self.peek() is not None:
            raise self.fail()
        return node


def parse(text: str) -> tuple[str, Node]:
    """Validate ``text`` (see :func:`validate`) and read it as arXiv does: the query with
    whitespace collapsed, and its tree."""
    query, tokens = validate(text)
    return query, _Parser(_rewrite(tokens), query).parse()


def terms(node: Node) -> Iterator[Term]:
    """Every term of the tree, left to right."""
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Not):
        yield from terms(node.operand)
    else:
        yield from terms(node.left)
        yield from terms(node.right)
