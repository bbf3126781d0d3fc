"""Turn a topic into an arXiv ``search_query`` string, and reject broken ones early.

A topic is either a plain keyword phrase (``language model uncertainty``) or an advanced
query written by the user in arXiv's own syntax (field prefixes, ``AND``/``OR``/``ANDNOT``,
parentheses, quotes; https://info.arxiv.org/help/api/user-manual.html#query_details).

Why phrases are always quoted: since arXiv's new backend went live (~2025-11-11) adjacent
unquoted words are OR-ed (``ti:large language model`` becomes ``ti:large OR all:language OR
all:model``), so an unquoted keyword silently matches far too much.  A phrase therefore
becomes ``(ti:"…" OR abs:"…")``.

Why we rewrite ``au:del_maestro`` ourselves: arXiv's query adapter turns an underscore in an
author term into a space (``au:"del maestro"``), but it takes the replacement text from the
query's *second token* rather than from the term itself.  Behind our leading parenthesis that
token is never an author term, so arXiv's rewrite never fires (and, without the parenthesis,
``au:del_maestro AND au:smith`` would search ``del maestro`` twice).  :func:`build_query`
therefore writes every underscored ``au:`` term as the quoted phrase arXiv means.

Why validate locally: arXiv answers an unparseable query with HTTP 400 ``Invalid
search_query`` and no hint of what is wrong; unbalanced quotes or parentheses are easier to
explain before any request is made.  Everything here is pure and deterministic: the same
topic always gives the same query string (its fingerprint decides whether a topic restarts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from daily_papers.arxiv import taxonomy
from daily_papers.errors import QueryError

__all__ = [
    "OPERATORS",
    "build_query",
    "is_advanced",
    "is_category",
    "phrase_clause",
    "rewrite_author_underscores",
    "topic_query",
    "validate_advanced",
]

#: The boolean operators of arXiv's query syntax (manual §5.1); upper case only.
OPERATORS: frozenset[str] = frozenset({"AND", "OR", "ANDNOT"})

#: Field prefixes arXiv understands (manual §5.1 plus the date fields documented since 2024).
_FIELDS = ("ti", "abs", "au", "cat", "co", "jr", "rn", "all", "id", "submittedDate")

_FIELD_PREFIX = re.compile(r"(?<![\w.-])(?:" + "|".join(_FIELDS) + r"):")
_OPERATOR_WORD = re.compile(r"(?<!\S)(?:AND|OR|ANDNOT)(?!\S)")
_WHITESPACE = re.compile(r"\s+")
# arXiv category names: archive (``hep-th``, ``cs``, ``q-bio``) optionally followed by a
# subject class (``CL``, ``CA``, ``stat-mech``, ``atom-ph``); see https://arxiv.org/category_taxonomy
_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?")
# Tokens of an advanced query outside quotes: a quoted phrase, a parenthesis, or a word.
_TOKEN = re.compile(r'"[^"]*"|[()]|[^\s()"]+(?:"[^"]*")?')
_FIELD_TERM = re.compile(r"(?P<field>[A-Za-z]+):(?P<term>.*)", re.DOTALL)
# arXiv's query grammar reads a backslash before a double quote as an escaped quote, so a
# phrase ending in ``\`` never closes and the whole query is answered with HTTP 400.
_ESCAPED_QUOTE = re.compile(r'\\"')


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def is_category(text: str) -> bool:
    """True when ``text`` looks like an arXiv category (``cs.CL``, ``hep-th``, ``math.CA``)."""
    return _CATEGORY.fullmatch(text) is not None


def is_advanced(text: str) -> bool:
    """True when ``text`` is written in arXiv query syntax rather than as a plain phrase.

    That is: it contains a field prefix (``ti:``, ``abs:``, ``au:``, ``cat:``, ``co:``,
    ``jr:``, ``rn:``, ``all:``, ``id:``, ``submittedDate:``), an upper-case ``AND``/``OR``/
    ``ANDNOT`` word, a double quote or a parenthesis.  Lower-case ``and``/``or`` are ordinary
    words of a phrase.
    """
    return bool(
        _FIELD_PREFIX.search(text) or _OPERATOR_WORD.search(text) or any(ch in text for ch in '"()')
    )


def _fail(topic: str, problem: str) -> QueryError:
    return QueryError(
        f"The topic query {topic!r} {problem}.",
        hint="Fix the topic (arXiv query syntax: "
        "https://info.arxiv.org/help/api/user-manual.html#query_details).",
    )


def validate_advanced(text: str) -> str:
    """Check an advanced arXiv query and return it with whitespace collapsed.

    Raises :class:`~daily_papers.errors.QueryError` naming the topic when the query is
    empty, has an odd number of double quotes, unbalanced or empty parentheses, an operator
    with nothing on one side (``AND foo``, ``foo OR``, ``a AND OR b``, ``( OR a)``) or a field
    prefix with no term (``ti:`` at the end; ``ti:(a b)`` is fine).  It does not try to be
    a full parser: arXiv remains the judge of everything else and answers with its HTTP 400
    error feed.
    """
    normalised = _collapse(text)
    if not normalised:
        raise _fail(text, "is empty")
    if normalised.count('"') % 2:
        raise _fail(normalised, "has an unbalanced double quote")
    if _ESCAPED_QUOTE.search(normalised):
        raise _fail(
            normalised, "has a backslash before a double quote, which arXiv reads as an escape"
        )
    depth = 0
    previous: str | None = None  # "(", ")", "op" or "term"
    tokens = _TOKEN.findall(normalised)
    for index, token in enumerate(tokens):
        if token == "(":
            depth += 1
            previous = "("
        elif token == ")":
            if depth == 0:
                raise _fail(normalised, "closes a parenthesis that was never opened")
            if previous == "(":
                raise _fail(normalised, "has empty parentheses")
            if previous == "op":
                raise _fail(normalised, "ends a group with a dangling operator")
            depth -= 1
            previous = ")"
        elif token in OPERATORS:
            if previous is None or previous in ("(", "op"):
                raise _fail(normalised, f"has the operator {token} with nothing before it")
            previous = "op"
        else:
            grouped = token.endswith(":") and tokens[index + 1 : index + 2] == ["("]
            if not grouped and (token.endswith((":", ':""')) or token == '""'):
                raise _fail(normalised, f"has a field or phrase with no term ({token})")
            previous = "term"
    if depth:
        raise _fail(normalised, "has an unclosed parenthesis")
    if previous == "op":
        raise _fail(normalised, "ends with a dangling operator")
    return normalised


def _clean_phrase(phrase: str) -> str:
    # A plain phrase cannot carry double quotes into a quoted clause: they would end it early.
    return _collapse(phrase.replace('"', " "))


def phrase_clause(phrase: str) -> str:
    """``(ti:"phrase" OR abs:"phrase")`` — the title-or-abstract search for a keyword phrase.

    Embedded double quotes are removed and whitespace collapsed; an empty phrase raises
    :class:`~daily_papers.errors.QueryError`.
    """
    cleaned = _clean_phrase(phrase)
    if not cleaned:
        raise QueryError(
            f"The topic phrase {phrase!r} is empty.", hint="Give the topic at least one word."
        )
    if cleaned.endswith("\\"):
        raise QueryError(
            f"The topic phrase {phrase!r} ends with a backslash, which arXiv would read as an "
            "escaped closing quote.",
            hint="Remove the trailing backslash.",
        )
    return f'(ti:"{cleaned}" OR abs:"{cleaned}")'


def _author_phrase(term: str, query: str) -> str:
    """``del_maestro`` -> ``"del maestro"``: the author-underscore rule arXiv documents."""
    if "_" not in term:
        return term
    quoted = term.startswith('"') and term.endswith('"') and len(term) >= 2
    inner = _collapse((term[1:-1] if quoted else term).replace("_", " "))
    if not inner:
        raise _fail(query, f"has an author term made only of underscores ({term})")
    return f'"{inner}"' if quoted or '"' not in inner else inner


def rewrite_author_underscores(query: str) -> str:
    """Every ``au:`` term with an underscore becomes the quoted name it stands for.

    ``au:del_maestro`` -> ``au:"del maestro"``, also inside ``au:(…)`` groups; other fields
    and quoted text elsewhere are untouched.  ``query`` must have passed
    :func:`validate_advanced`.
    """
    pieces: list[str] = []
    groups: list[str | None] = []  # the field each open parenthesis applies to
    pending: str | None = None  # a field prefix written right before "("
    last = 0
    for match in _TOKEN.finditer(query):
        token = match.group(0)
        replacement = token
        if token == "(":
            groups.append(pending or (groups[-1] if groups else None))
            pending = None
        elif token == ")":
            if groups:
                groups.pop()
        elif token in OPERATORS:
            pending = None
        else:
            field_term = _FIELD_TERM.fullmatch(token)
            if field_term is not None and not field_term["term"]:
                pending = field_term["field"]  # "au:" directly followed by "("
            elif field_term is not None:
                pending = None
                if field_term["field"] == "au":
                    replacement = "au:" + _author_phrase(field_term["term"], query)
            elif groups and groups[-1] == "au":
                replacement = _author_phrase(token, query)
        pieces.append(query[last : match.start()] + replacement)
        last = match.end()
    pieces.append(query[last:])
    return "".join(pieces)


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _category_clause(categories: Sequence[str]) -> str:
    cleaned: list[str] = []
    for category in categories:
        name = category.strip()
        # Checked against arXiv's taxonomy, but kept as written: the query (and so the
        # topic's fingerprint) does not change when an alias is used.
        taxonomy.check_category(name, where="the categories")
        cleaned.append(name)
    terms = [f"cat:{name}" for name in _unique(cleaned)]
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def build_query(
    *,
    phrases: Sequence[str] = (),
    advanced: str | None = None,
    categories: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> str:
    """Assemble the ``search_query`` for one topic; deterministic for equal inputs.

    Exactly one of ``phrases`` (OR-ed, each as :func:`phrase_clause`) and ``advanced``
    (validated, author underscores rewritten by :func:`rewrite_author_underscores`, wrapped
    in parentheses) must be given.  ``categories`` become one AND-ed
    ``cat:`` disjunction; each ``exclude`` phrase adds ``ANDNOT (ti:"…" OR abs:"…")``.
    Duplicate phrases, categories and exclusions are dropped, keeping the first.

    >>> build_query(phrases=["graph neural network"], categories=["cs.LG", "stat.ML"])
    '(ti:"graph neural network" OR abs:"graph neural network") AND (cat:cs.LG OR cat:stat.ML)'
    """
    if isinstance(phrases, str) or isinstance(categories, str) or isinstance(exclude, str):
        raise TypeError("phrases, categories and exclude must be sequences of strings")
    if bool(phrases) == (advanced is not None):
        raise QueryError(
            "A topic needs exactly one of a keyword phrase list or an advanced query.",
            hint="Give either keywords or a query, not both (and not neither).",
        )
    if advanced is not None:
        checked = validate_advanced(advanced)
        taxonomy.check_query_categories(checked, where=f"the query {checked!r}")
        main = f"({rewrite_author_underscores(checked)})"
    else:
        clauses = _unique([phrase_clause(p) for p in phrases])
        main = clauses[0] if len(clauses) == 1 else "(" + " OR ".join(clauses) + ")"
    parts = [main]
    if categories:
        parts.append("AND " + _category_clause(categories))
    # arXiv gives AND, OR and ANDNOT one precedence and groups them to the right, so
    # "M ANDNOT E1 ANDNOT E2" would mean "M ANDNOT (E1 ANDNOT E2)": exclusions go in one group.
    excluded = _unique([phrase_clause(p) for p in exclude])
    if excluded:
        parts.append(
            "ANDNOT " + (excluded[0] if len(excluded) == 1 else f"({' OR '.join(excluded)})")
        )
    return " ".join(parts)


def topic_query(text: str, *, categories: Sequence[str] = (), exclude: Sequence[str] = ()) -> str:
    """The query for a topic as typed by a user: advanced if :func:`is_advanced`, else a phrase."""
    if is_advanced(text):
        return build_query(advanced=text, categories=categories, exclude=exclude)
    return build_query(phrases=[text], categories=categories, exclude=exclude)
