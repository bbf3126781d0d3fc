"""Match a topic against papers already in hand, with the meaning arXiv's search gives it.

Reading one announcement feed for hundreds of topics, and following authors, needs the
answer "would the arXiv API return this paper for this query?" without asking the API.
The query is read by :mod:`daily_papers.query.syntax` exactly as arXiv reads it; each term
is then compared with the paper's fields as arXiv's index holds them:

* titles and abstracts as words (:mod:`daily_papers.query.analysis`): TeX accents decoded,
  case and punctuation folded, English stop words skipped, words reduced to their Porter
  stem, so ``ti:diffuse`` matches "Diffusion" and a quoted phrase matches the same words in
  order; accents count in a fielded search and are folded in ``all:``
  (:mod:`daily_papers.query.text_terms`);
* ``au:`` by folded author names, word by word within one author
  (:mod:`daily_papers.query.authors`); ``cat:`` by category name anywhere in the paper's list.

Fields a paper in hand does not carry (``id:``, ``rn:``, ``submittedDate:``) make a query
:attr:`CompiledQuery.needs_api`; a caller routes such topics to the API.  Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import attrgetter

from daily_papers.errors import QueryError
from daily_papers.models import Paper, Topic
from daily_papers.query import analysis, syntax, tree
from daily_papers.query.authors import (
    author_matches,
    fold_digraphs,
    name_words,
    reorder,
    surname_given_matches,
)
from daily_papers.query.text_terms import text_predicate as _text_predicate
from daily_papers.query.text_terms import wildcard as _wildcard
from daily_papers.query.text_terms import wildcard_pattern as _wildcard_pattern

__all__ = [
    "AnalysedPaper",
    "CompiledQuery",
    "analyse_paper",
    "compile_query",
    "match_papers",
    "matches",
    "needs_api",
]

_WILDCARD = frozenset("*?")


# --------------------------------------------------------------------------------------
# The view of a paper that every query is evaluated against (built once per paper)


@dataclass(frozen=True)
class _Text:
    """One analysed field: its tokens as a spaced string (for phrases) and as a set."""

    key: str
    tokens: frozenset[str]

    @classmethod
    def of(cls, text: str | None, *, english: bool) -> _Text:
        tokens = analysis.field_tokens(text, english) if text else []
        # The set may hold _GAP: no query requires it, so it is never looked up.
        return cls(" " + " ".join(tokens) + " ", frozenset(tokens))


@dataclass(frozen=True)
class _Author:
    name: str
    words: frozenset[str]  # full name and initialised name, as arXiv indexes both


@dataclass(frozen=True)
class AnalysedPaper:
    """A paper's searchable fields, normalised once so that many queries are cheap."""

    paper: Paper
    title: _Text
    abstract: _Text
    comment: _Text
    journal_ref: _Text
    authors: tuple[_Author, ...]
    author_words: frozenset[str]
    categories: frozenset[str]  # lower-case, canonical names
    doi: str  # lower-case, "" when none


@lru_cache(maxsize=16384)
def _author(name: str) -> _Author:
    words = name_words(name)
    initialised = [w[0] for w in words[:-1]]
    return _Author(name, frozenset(words) | frozenset(initialised))


def _canonical(category: str, aliases: Mapping[str, str] | None) -> str:
    name = aliases.get(category, category) if aliases else category
    return name.lower()


def analyse_paper(paper: Paper, aliases: Mapping[str, str] | None = None) -> AnalysedPaper:
    """Normalise ``paper`` for matching; ``aliases`` maps a category to its canonical name
    (``{"cs.NA": "math.NA"}``), applied to the paper's and the query's categories alike."""
    authors = tuple(_author(a) for a in paper.authors)
    return AnalysedPaper(
        paper=paper,
        title=_Text.of(paper.title, english=True),
        abstract=_Text.of(paper.abstract, english=True),
        comment=_Text.of(paper.comment, english=False),
        journal_ref=_Text.of(paper.journal_ref, english=False),
        authors=authors,
        author_words=frozenset().union(*(a.words for a in authors)),
        categories=frozenset(_canonical(c, aliases) for c in paper.categories)
        | {_canonical(paper.primary_category, aliases)},
        doi=(paper.doi or "").lower(),
    )


# --------------------------------------------------------------------------------------
# Terms: one field and one value, compiled to a predicate over a AnalysedPaper


_Predicate = Callable[[AnalysedPaper], bool]


def _author_predicate(value: str, quoted: bool) -> tuple[_Predicate, frozenset[str]]:
    """``au:``: every word within one author's name, in any order, as arXiv's nested author
    query does (``*``/``?`` allowed).  Unquoted, ``;`` separates authors that must all be
    present and a comma means "surname, given names".  Where the words are not all in the
    name, :func:`author_matches` still accepts a name written with initials.
    """
    parts = [value] if quoted else [p for p in value.split(";") if p.strip()]
    checks: list[Callable[[_Author], bool]] = []
    required: set[str] = set()
    for part in parts:
        if not quoted and "," in part:
            surname, _, given = part.replace("_", " ").partition(",")
            checks.append(partial(_author_surname_given, surname, given))
            continue
        spaced = reorder(part.replace("_", " "))
        words = spaced.split()
        patterns = tuple(_wildcard(fold_digraphs(w.lower())) for w in words if _WILDCARD & set(w))
        plain = name_words(" ".join(w for w in words if not _WILDCARD & set(w)))
        if not plain and not patterns:
            continue
        if plain and not _WILDCARD & set(words[-1]):
            required.add(plain[-1])  # the surname's last word, needed by both rules below
        checks.append(partial(_author_check, frozenset(plain), patterns, spaced))
    if not checks:
        return (lambda view: False), frozenset()

    def authors(view: AnalysedPaper) -> bool:
        return all(any(check(a) for a in view.authors) for check in checks)

    return authors, frozenset(required)


def _author_surname_given(surname: str, given: str, author: _Author) -> bool:
    return surname_given_matches(surname, given, author.name)


def _author_check(
    plain: frozenset[str], patterns: tuple[Callable[[str], bool], ...], name: str, author: _Author
) -> bool:
    if plain <= author.words and all(any(p(w) for w in author.words) for p in patterns):
        return True
    return not patterns and len(plain) > 1 and author_matches(name, author.name)


def _category_predicate(value: str, aliases: Mapping[str, str] | None) -> _Predicate:
    if _WILDCARD & set(value):
        pattern = _wildcard_pattern(value.lower())
        return lambda view: any(pattern(c) for c in view.categories)
    wanted = _canonical(value, aliases)
    return lambda view: wanted in view.categories


def _doi_predicate(value: str) -> _Predicate:
    wanted = value.lower()
    if _WILDCARD & set(wanted):
        pattern = _wildcard_pattern(wanted)
        return lambda view: bool(view.doi) and pattern(view.doi)
    return lambda view: view.doi == wanted


@dataclass(frozen=True)
class _Check:
    """One term compiled: its predicate, and the (field group, token) pairs all of which a
    matching paper must contain, if known (for :func:`match_papers`' index)."""

    predicate: _Predicate
    required: frozenset[tuple[str, str]] = frozenset()


def _check(
    field_name: str, raw: str, aliases: Mapping[str, str] | None, *, folded: bool = False
) -> _Check:
    quoted = raw.startswith('"') and raw.endswith('"') and len(raw) >= 2
    value = raw[1:-1].strip() if quoted else raw
    if not quoted and value[:1] in _WILDCARD:
        raise QueryError(
            f"The query term {field_name}:{raw} starts with a wildcard.",
            hint="arXiv's search rejects a leading * or ?; put at least one letter first.",
        )
    required: frozenset[tuple[str, str]] = frozenset()
    predicate: _Predicate
    if field_name in ("ti", "abs"):
        pick = "title" if field_name == "ti" else "abstract"
        predicate, tokens = _text_predicate(
            value, quoted, analysis.english_words, pick, folded=folded
        )
        required = frozenset((pick, t) for t in tokens)
    elif field_name in ("co", "jr"):
        pick = "comment" if field_name == "co" else "journal_ref"
        predicate, _ = _text_predicate(value, quoted, analysis.plain_words, pick, folded=folded)
    elif field_name == "au":
        predicate, tokens = _author_predicate(value, quoted)
        required = frozenset(("au", t) for t in tokens)
    elif field_name == "cat":
        predicate = _category_predicate(value, aliases)
        if not _WILDCARD & set(value):
            required = frozenset({("cat", _canonical(value, aliases))})
    elif field_name == "doi":
        predicate = _doi_predicate(value)
    else:  # all: any single field, accents folded as in arXiv's all-fields index
        parts = [
            _check(name, raw, aliases, folded=True).predicate
            for name in ("ti", "abs", "au", "co", "jr")
        ]
        if not quoted and not (_WILDCARD & set(value)):
            parts += [_category_predicate(value, aliases), _doi_predicate(value)]
            wanted_id = value.lower()
            parts.append(lambda view: view.paper.id.lower() == wanted_id)
        predicate = lambda view: any(p(view) for p in parts)  # noqa: E731
    return _Check(predicate, required)


def _never(view: AnalysedPaper) -> bool:
    return False


_Checks = Mapping[tree.Term, _Check]


def _compile(node: tree.Node, checks: _Checks) -> _Predicate:
    """The tree as nested closures: evaluating one paper is a few calls, no dispatch."""
    if isinstance(node, tree.Term):
        return checks[node].predicate
    if isinstance(node, tree.Not):
        operand = _compile(node.operand, checks)
        return lambda view: not operand(view)
    left, right = _compile(node.left, checks), _compile(node.right, checks)
    if isinstance(node, tree.And):
        return lambda view: left(view) and right(view)
    if isinstance(node, tree.Or):
        return lambda view: left(view) or right(view)
    return lambda view: left(view) and not right(view)


@dataclass(frozen=True)
class CompiledQuery:
    """A query parsed once, to be matched against many papers.

    ``needs_api`` is None when every term can be evaluated locally, else the reason the
    API must answer it (then :meth:`matches` must not be called).
    """

    query: str
    root: tree.Node = field(repr=False)
    checks: _Checks = field(repr=False, compare=False)
    needs_api: str | None = None
    aliases: Mapping[str, str] | None = field(default=None, repr=False, compare=False)
    predicate: _Predicate = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "predicate", _compile(self.root, self.checks))

    def matches(self, paper: Paper | AnalysedPaper) -> bool:
        """Would arXiv's search return ``paper`` for this query (as far as it can tell)?"""
        if self.needs_api is not None:
            raise ValueError(f"{self.query!r} cannot be matched locally: {self.needs_api}")
        view = paper if isinstance(paper, AnalysedPaper) else _cached_analysis(paper, self.aliases)
        return self.predicate(view)


def compile_query(query: str, *, aliases: Mapping[str, str] | None = None) -> CompiledQuery:
    """Parse an arXiv ``search_query`` (a user's advanced query, or :attr:`Topic.query`).

    Raises :class:`~daily_papers.errors.QueryError` for a query arXiv would reject.
    """
    normalised, root = tree.parse(query)
    checks: dict[tree.Term, _Check] = {}
    reasons: list[str] = []
    for term in tree.terms(root):
        if term in checks:
            continue
        if term.field in syntax.API_ONLY:
            reasons.append(syntax.API_ONLY[term.field])
            checks[term] = _Check(_never)
        else:
            checks[term] = _check(term.field, term.text, aliases)
    reason = "; ".join(dict.fromkeys(reasons)) or None
    return CompiledQuery(normalised, root, checks, reason, aliases)


@lru_cache(maxsize=4096)
def _cached_compile(query: str) -> CompiledQuery:
    return compile_query(query)


def _cached_analysis(paper: Paper, aliases: Mapping[str, str] | None) -> AnalysedPaper:
    if aliases:
        return analyse_paper(paper, aliases)
    return _cached_plain_analysis(paper)


@lru_cache(maxsize=8192)
def _cached_plain_analysis(paper: Paper) -> AnalysedPaper:
    return analyse_paper(paper)


def _compiled(topic: Topic | CompiledQuery | str) -> CompiledQuery:
    if isinstance(topic, CompiledQuery):
        return topic
    return _cached_compile(topic.query if isinstance(topic, Topic) else topic)


def needs_api(topic: Topic | CompiledQuery | str) -> str | None:
    """Why ``topic`` must go to the API (a date range, ``id:``, ``rn:``), or None."""
    return _compiled(topic).needs_api


def matches(topic: Topic | CompiledQuery | str, paper: Paper) -> bool:
    """Would arXiv return ``paper`` for ``topic`` (its query string, as the API parses it)?"""
    return _compiled(topic).matches(paper)


_GROUPS: Mapping[str, Callable[[AnalysedPaper], frozenset[str]]] = {
    "title": attrgetter("title.tokens"),
    "abstract": attrgetter("abstract.tokens"),
    "au": attrgetter("author_words"),
    "cat": attrgetter("categories"),
}


class _Candidates:
    """Which papers can match a term at all: papers holding every token it requires.

    Only the tokens the queries require are indexed, in one pass of set intersections.
    """

    def __init__(self, views: Sequence[AnalysedPaper], queries: Sequence[CompiledQuery]) -> None:
        needed: dict[str, set[str]] = {group: set() for group in _GROUPS}
        for query in queries:
            for check in query.checks.values():
                for group, token in check.required:
                    needed[group].add(token)
        postings: dict[tuple[str, str], list[int]] = {}
        for group, tokens_of in _GROUPS.items():
            wanted = needed[group]
            if not wanted:
                continue
            for position, view in enumerate(views):
                for token in wanted.intersection(tokens_of(view)):
                    postings.setdefault((group, token), []).append(position)
        self.postings = {key: frozenset(found) for key, found in postings.items()}

    def posting(self, key: tuple[str, str]) -> frozenset[int]:
        return self.postings.get(key, frozenset())

    def of(self, node: tree.Node, checks: _Checks) -> frozenset[int] | None:
        """A superset of the matching papers' positions, or None for "any paper"."""
        if isinstance(node, tree.Term):
            required = checks[node].required
            if not required:
                return None
            result: frozenset[int] | None = None
            for key in required:
                posting = self.posting(key)
                result = posting if result is None else result & posting
            return result
        if isinstance(node, tree.Not):
            return None
        left = self.of(node.left, checks)
        if isinstance(node, tree.AndNot):
            return left
        right = self.of(node.right, checks)
        if isinstance(node, tree.And):
            return right if left is None else left if right is None else left & right
        return None if left is None or right is None else left | right


def match_papers(
    queries: Sequence[CompiledQuery],
    papers: Sequence[Paper],
    *,
    aliases: Mapping[str, str] | None = None,
) -> list[list[Paper]]:
    """For each query, the papers it matches, in ``papers`` order.

    The batch form of :meth:`CompiledQuery.matches` for one feed and many topics: each
    paper is normalised once and each query only looks at papers that hold its words.
    """
    views = [analyse_paper(p, aliases) for p in papers]
    candidates = _Candidates(views, queries)
    results: list[list[Paper]] = []
    for query in queries:
        if query.needs_api is not None:
            raise ValueError(f"{query.query!r} cannot be matched locally: {query.needs_api}")
        narrowed = candidates.of(query.root, query.checks)
        positions = range(len(views)) if narrowed is None else sorted(narrowed)
        predicate = query.predicate
        results.append([views[i].paper for i in positions if predicate(views[i])])
    return results
