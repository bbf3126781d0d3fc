"""arXiv's query language, read once: its fields, its tokens with their places, its rules.

Every reader of a topic query (the string sent to the API, the local matcher through
:mod:`daily_papers.query.tree`, the archives a topic needs, the category check) starts from
these tokens and this one field table, so they cannot disagree about what a query holds:

* a field prefix is a known name and a colon (``ti:``, ``doi:``, ``submittedDate:``); the term
  that follows it directly is read as a term even when it holds a colon (``doi:10.1/a:b``);
  ``title:`` is arXiv's second name for ``ti:``;
* a term is a quoted phrase, a bracketed range (``[202401010000 TO 202402010000]``) or a word;
* ``AND``, ``OR``, ``ANDNOT`` and ``NOT`` (upper case) are operators.

A word that looks like a field but is none (``tilte:graph``) is refused in a query, with the
nearest field named: arXiv would answer with an error or read something else.  Pure: no I/O.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from daily_papers.errors import QueryError
from daily_papers.suggest import did_you_mean

__all__ = [
    "API_ONLY",
    "FIELDS",
    "LOCAL_FIELDS",
    "MANUAL",
    "OPERATORS",
    "Kind",
    "Token",
    "check_plain",
    "fail",
    "is_advanced",
    "tokenize",
    "validate",
]

#: The binary operators of arXiv's query syntax; upper case only.  ``NOT`` is read as
#: ``ANDNOT``, which alone may also begin a query or group (arXiv's grammar has it as a
#: unary operator); of operators in a row, arXiv keeps the last.
OPERATORS: frozenset[str] = frozenset({"AND", "OR", "ANDNOT"})

#: Every field prefix arXiv's search knows, as written, mapped to the field it searches.
FIELDS: Mapping[str, str] = {
    "ti": "ti",
    "title": "ti",
    "abs": "abs",
    "au": "au",
    "co": "co",
    "jr": "jr",
    "cat": "cat",
    "doi": "doi",
    "all": "all",
    "id": "id",
    "rn": "rn",
    "submittedDate": "submittedDate",
    "lastUpdatedDate": "lastUpdatedDate",
}

#: Fields a paper in hand carries, so the local matcher can evaluate them.
LOCAL_FIELDS: frozenset[str] = frozenset({"ti", "abs", "au", "co", "jr", "cat", "doi", "all"})

#: Fields only the API can evaluate, with the reason given to the caller.
API_ONLY: Mapping[str, str] = {
    "id": "id: needs the arXiv identifier index",
    "rn": "rn: searches report numbers, which papers in hand do not carry",
    "submittedDate": "submittedDate: is a date range over submission times",
    "lastUpdatedDate": "lastUpdatedDate: is a date range over submission times",
}

#: Long names people type for a field, so the refusal can name the right prefix.
_SPELLED_OUT: Mapping[str, str] = {
    "abstract": "abs",
    "author": "au",
    "authors": "au",
    "category": "cat",
    "comment": "co",
    "comments": "co",
    "journal": "jr",
}

MANUAL = "https://info.arxiv.org/help/api/user-manual.html#query_details"


class Kind(str, enum.Enum):
    """What a token is."""

    PREFIX = "prefix"  #: a known field and its colon; ``Token.text`` is the field as written
    TERM = "term"  #: a quoted phrase, a bracketed range or a word
    OPEN = "("
    CLOSE = ")"
    OPERATOR = "operator"  #: AND, OR, ANDNOT or NOT


@dataclass(frozen=True, slots=True)
class Token:
    """One token and where it stands in the query (``query[start:end]``)."""

    kind: Kind
    text: str
    start: int
    end: int

    @property
    def quoted(self) -> bool:
        return (
            self.kind is Kind.TERM and len(self.text) >= 2 and self.text[0] == self.text[-1] == '"'
        )


# At a token's start, in this order: a quoted phrase, a range, a parenthesis, an operator word,
# a field-like name and its colon (not a URL's "https://"), any other run of text.
_TOKEN = re.compile(
    r'(?P<quoted>"[^"]*")|(?P<range>\[[^\]]*\])|(?P<open>\()|(?P<close>\))'
    r"|(?P<operator>ANDNOT|AND|NOT|OR)(?=[()\s]|$)"
    r"|(?P<field>[A-Za-z]+):(?!//)"
    r'|(?P<word>[^\s"()]+)'
)
# Directly after a prefix: a term, a group, or an operator word (arXiv reads ``ti:NOT`` as
# a prefix with no term before an operator).
_TERM = re.compile(
    r'(?P<quoted>"[^"]*")|(?P<range>\[[^\]]*\])|(?P<open>\()'
    r"|(?P<operator>ANDNOT|AND|NOT|OR)(?=[()\s]|$)"
    r'|(?P<word>[^\s"()]+)'
)
_WORD = re.compile(r'[^\s"()]+')
_SPACE = re.compile(r"\s+")


def tokenize(query: str) -> tuple[Token, ...]:
    """The tokens of ``query`` in order.  A lone double quote is read as a word's letter
    here; :func:`validate` refuses a query with an odd number of them first."""
    found: list[Token] = []
    position = 0
    after_prefix = False
    while True:
        space = _SPACE.match(query, position)
        if space is not None:
            position = space.end()
            after_prefix = False
        if position >= len(query):
            return tuple(found)
        match = (_TERM if after_prefix else _TOKEN).match(query, position)
        if match is None:  # a lone '"': part of a word
            match = _WORD.match(query, position + 1)
            end = match.end() if match is not None else position + 1
            found.append(Token(Kind.TERM, query[position:end], position, end))
            position, after_prefix = end, False
            continue
        group = match.lastgroup
        after_prefix = False
        if group == "field":
            if match["field"] in FIELDS:
                found.append(Token(Kind.PREFIX, match["field"], match.start(), match.end()))
                position, after_prefix = match.end(), True
                continue
            # Not a field: the whole run of text is one word ("Nd:YAG", "note:").
            match = _WORD.match(query, position)
            assert match is not None
            group = "word"
        kind = {
            "open": Kind.OPEN,
            "close": Kind.CLOSE,
            "operator": Kind.OPERATOR,
        }.get(group or "", Kind.TERM)
        found.append(Token(kind, match.group(0), match.start(), match.end()))
        position = match.end()


def fail(query: str, problem: str, hint: str | None = None) -> QueryError:
    """The one shape of a refused query: the query named, the problem, how to fix it."""
    return QueryError(
        f"The topic query {query!r} {problem}.",
        hint=hint or f"Fix the topic (arXiv query syntax: {MANUAL}).",
    )


_FIELD_LIKE = re.compile(r"(?P<name>[A-Za-z]+):(?P<rest>.*)", re.DOTALL)


def _unknown_field(token: Token, following: Token | None) -> str | None:
    """The field-like name ``token`` starts with when it is no field arXiv knows, else None.

    ``name:term`` and ``name:"…"`` count; ``name:`` before a space is a word of its own.
    """
    if token.kind is not Kind.TERM or token.quoted:
        return None
    match = _FIELD_LIKE.fullmatch(token.text)
    if match is None or match["name"] in FIELDS or match["rest"].startswith("/"):
        return None
    glued = following is not None and following.start == token.end and following.kind is Kind.TERM
    return match["name"] if match["rest"] or glued else None


def _field_hint(name: str) -> str:
    spelled = _SPELLED_OUT.get(name.lower())
    near = f"Did you mean {spelled!r}?" if spelled else did_you_mean(name, FIELDS)
    known = ", ".join(f"{field}:" for field in FIELDS)
    return (
        f"{near + ' ' if near else ''}The fields are {known}; if the colon belongs to the "
        'words, quote them ("Nd:YAG") or put a space after the colon.'
    )


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def validate(text: str) -> tuple[str, tuple[Token, ...]]:
    """Check a query written in arXiv's syntax; return it with whitespace collapsed, and its
    tokens.

    Raises :class:`~daily_papers.errors.QueryError` naming the query when it is empty, has an
    odd number of double quotes, a backslash before a quote, unbalanced or empty parentheses,
    an operator with nothing on one side (``AND foo``, ``foo OR``, ``( OR a)``), a field
    prefix with no term (``ti:`` at the end; ``ti:(a b)`` is fine) or a field arXiv does not
    know (``tilte:graph``).  As arXiv's query adapter and grammar do, it accepts a leading
    ``ANDNOT``/``NOT`` (``ANDNOT ti:x``) and operators in a row, of which the last counts
    (``a AND AND b``, ``a AND OR b`` is ``a OR b``).  arXiv remains the judge of the rest.
    """
    query = _collapse(text)
    if not query:
        raise fail(text, "is empty")
    if query.count('"') % 2:
        raise fail(query, "has an unbalanced double quote")
    if '\\"' in query:
        raise fail(query, "has a backslash before a double quote, which arXiv reads as an escape")
    tokens = tokenize(query)
    depth = 0
    previous: str | None = None  # "(", ")", "op" (AND, OR, ANDNOT) or "term"
    run_after: str | None = None  # what stood before the current run of operators
    operator = ""  # the run's last operator: the one arXiv keeps
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            previous == "op"
            and token.kind in (Kind.OPEN, Kind.PREFIX, Kind.TERM)
            and run_after in (None, "(")
            and operator not in ("ANDNOT", "NOT")
        ):
            raise fail(query, f"has the operator {operator} with nothing before it")
        if token.kind is Kind.OPEN:
            depth += 1
            previous = "("
        elif token.kind is Kind.CLOSE:
            if depth == 0:
                raise fail(query, "closes a parenthesis that was never opened")
            if previous == "(":
                raise fail(query, "has empty parentheses")
            if previous == "op":
                raise fail(query, "ends a group with a dangling operator")
            depth -= 1
            previous = ")"
        elif token.kind is Kind.OPERATOR:
            if previous != "op":
                run_after = previous
            operator, previous = token.text, "op"
        elif token.kind is Kind.PREFIX:
            if following is not None and following.kind is Kind.OPEN:
                continue  # ti:(a b)
            if following is None or following.start != token.end:
                raise fail(query, f"has a field or phrase with no term ({token.text}:)")
            if following.text == '""':
                whole = query[token.start : following.end]
                raise fail(query, f"has a field or phrase with no term ({whole})")
        else:
            name = _unknown_field(token, following)
            if name is not None:
                raise fail(
                    query, f"uses {name + ':'!r}, which is not an arXiv field", _field_hint(name)
                )
            if token.text == '""' or (token.kind is Kind.TERM and token.text.endswith(":")):
                raise fail(query, f"has a field or phrase with no term ({token.text})")
            previous = "term"
    if depth:
        raise fail(query, "has an unclosed parenthesis")
    if previous == "op":
        raise fail(query, "ends with a dangling operator")
    return query, tokens


def is_advanced(text: str) -> bool:
    """True when ``text`` is written in arXiv's query syntax rather than as a plain phrase.

    That is: it holds a known field prefix (``ti:``, ``doi:``, ``lastUpdatedDate:``, …), an
    upper-case ``AND``/``OR``/``ANDNOT`` word, a double quote or a parenthesis.  Lower-case
    ``and``/``or`` and a colon inside a word (``Nd:YAG``) belong to a plain phrase.
    """
    if any(ch in text for ch in '"()'):
        return True
    return any(
        token.kind is Kind.PREFIX or (token.kind is Kind.OPERATOR and token.text in OPERATORS)
        for token in tokenize(text)
    )


def check_plain(text: str) -> None:
    """Refuse a plain phrase whose word is a misspelt field (``tilte:graph``, ``author:x``).

    Other words with a colon (``Nd:YAG``) are searched as written.
    """
    for token in tokenize(text):
        match = _FIELD_LIKE.fullmatch(token.text)
        if match is None or not match["rest"] or match["rest"].startswith("/"):
            continue
        name = match["name"]
        if name.lower() in _SPELLED_OUT or did_you_mean(name, FIELDS):
            raise QueryError(
                f"The topic {text!r} uses {name + ':'!r}, which is not an arXiv field.",
                hint=_field_hint(name),
            )
