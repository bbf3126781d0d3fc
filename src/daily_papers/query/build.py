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
from daily_papers.query import syntax, tree
from daily_papers.query.syntax import OPERATORS, is_advanced

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

_WHITESPACE = re.compile(r"\s+")
# arXiv category names: archive (``hep-th``, ``cs``, ``q-bio``) optionally followed by a
# subject class (``CL``, ``CA``, ``stat-mech``, ``atom-ph``); see https://arxiv.org/category_taxonomy
_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?")


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def is_category(text: str) -> bool:
    """True when ``text`` looks like an arXiv category (``cs.CL``, ``hep-th``, ``math.CA``)."""
    return _CATEGORY.fullmatch(text) is not None


def _fail(topic: str, problem: str) -> QueryError:
    return QueryError(
        f"The topic query {topic!r} {problem}.",
        hint="Fix the topic (arXiv query syntax: "
        "https://info.arxiv.org/help/api/user-manual.html#query_details).",
    )


def validate_advanced(text: str) -> str:
    """Check an advanced arXiv query and return it with whitespace collapsed.

    The rules are :func:`daily_papers.query.syntax.validate`'s; the query's categories are
    checked against arXiv's taxonomy too (a name with a wildcard is left to arXiv).
    """
    query, root = tree.parse(text)
    for term in tree.terms(root):
        if term.field == "cat" and not ("*" in term.value or "?" in term.value):
            taxonomy.check_category(term.value, where=f"the query {query!r}")
    return query


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
    and quoted text elsewhere are untouched, and so is every other byte of ``query``.
    ``query`` must have passed :func:`validate_advanced`.
    """
    pieces: list[str] = []
    groups: list[str | None] = []  # the field each open parenthesis applies to
    pending: str | None = None  # the field whose term comes next
    last = 0
    for token in syntax.tokenize(query):
        field, pending = pending, None
        if token.kind is syntax.Kind.OPEN:
            groups.append(field or (groups[-1] if groups else None))
        elif token.kind is syntax.Kind.CLOSE:
            if groups:
                groups.pop()
        elif token.kind is syntax.Kind.PREFIX:
            pending = syntax.FIELDS[token.text]
        elif token.kind is syntax.Kind.TERM and (field or (groups[-1] if groups else None)) == "au":
            pieces.append(query[last : token.start] + _author_phrase(token.text, query))
            last = token.end
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
    syntax.check_plain(text)
    return build_query(phrases=[text], categories=categories, exclude=exclude)
