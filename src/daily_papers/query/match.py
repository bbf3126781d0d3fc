"""Match a topic against papers already in hand, with the meaning arXiv's search gives it.

Reading one announcement feed for hundreds of topics, and following authors, needs the
answer "would the arXiv API return this paper for this query?" without asking the API.
This module approximates arXiv's search backend (Elasticsearch behind the classic API):

* the query is rewritten as arXiv rewrites it (bare words search ``all:``, adjacent terms
  are OR-ed, ``ti:(a b)`` gives every word the prefix, ``NOT`` is ``ANDNOT``,
  ``au:del_maestro`` is ``au:"del maestro"``) and parsed with arXiv's grammar, in which
  ``AND``, ``OR`` and ``ANDNOT`` have *equal* precedence and group to the right
  (``a AND b OR c`` is ``a AND (b OR c)``);
* titles and abstracts are compared as words: TeX accents decoded, accents, case and
  punctuation folded, English stop words skipped, words reduced to their Porter stem, so
  ``ti:diffuse`` matches "Diffusion" and a quoted phrase matches the same words in order;
* ``au:`` compares folded author names, word by word within one author; ``cat:`` compares
  category names anywhere in the paper's list.

Fields this module cannot see (``id:``, ``rn:``, ``submittedDate:``) make a query
:attr:`CompiledQuery.needs_api`; a caller routes such topics to the API.  Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache, partial
from operator import attrgetter

from daily_papers.errors import QueryError
from daily_papers.models import Paper, Topic
from daily_papers.query.build import is_advanced, phrase_clause, topic_query, validate_advanced
from daily_papers.query.stemmer import stem
from daily_papers.tex import decode_accents, fold

__all__ = [
    "STOP_WORDS",
    "CompiledQuery",
    "PaperView",
    "author_matches",
    "author_query",
    "by_followed_authors",
    "compile_query",
    "compile_topic",
    "match_papers",
    "matches",
    "needs_api",
    "paper_view",
]

#: Elasticsearch's ``_english_`` stop words: skipped in titles, abstracts, comments and
#: journal references (a stop word inside a quoted phrase still holds one word's place).
STOP_WORDS: frozenset[str] = frozenset(
    str.split(
        "a an and are as at be but by for if in into is it no not of on or such that the their "
        "then there these they this to was will with"
    )
)

#: Fields whose terms only the API can evaluate, with the reason given to the caller.
_API_ONLY: Mapping[str, str] = {
    "id": "id: needs the arXiv identifier index",
    "rn": "rn: searches report numbers, which papers in hand do not carry",
    "submittedDate": "submittedDate: is a date range over submission times",
    "lastUpdatedDate": "lastUpdatedDate: is a date range over submission times",
}
_LOCAL_FIELDS = frozenset({"ti", "abs", "au", "co", "jr", "cat", "doi", "all"})

# Query tokens in arXiv's order of preference: a quoted string, a bracketed date range,
# a parenthesis, an operator word, a field prefix, any other run of text.
_PREFIXES: tuple[str, ...] = tuple(
    str.split("abs all au cat co doi id jr lastUpdatedDate rn submittedDate ti title")
)
_QUERY_TOKEN = re.compile(
    r'"[^"]*"|\[[^\]]*\]|[()]|\b(?:ANDNOT|AND|NOT|OR)\b(?=[()\s]|$)|'
    r"(?:" + "|".join(_PREFIXES) + r"):|[^\"()\s]+"
)
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_WILDCARD = frozenset("*?")


# --------------------------------------------------------------------------------------
# Text normalisation


#: ASCII letters to lower case, punctuation (and ``_``) to spaces: for ASCII text,
#: ``bytes.translate`` then ``split()`` gives the words :func:`~daily_papers.tex.fold`
#: gives, several times faster.
_ASCII_SEPARATORS = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 32 for c in range(256))


@lru_cache(maxsize=262144)
def _chunk_words(chunk: str) -> tuple[str, ...]:
    if chunk.isascii():  # the common case, folded as tex.fold would fold it
        return tuple(chunk.encode("ascii").translate(_ASCII_SEPARATORS).decode().split())
    return tuple(fold(chunk).split())


def _words(text: str) -> list[str]:
    """Folded words (TeX accents decoded; accents, case, punctuation and hyphens dropped).

    Folded one whitespace-separated chunk at a time, with a cache: abstracts share most of
    their words, so normalising thousands of papers stays cheap.  TeX accents may span a
    space (``\\c c``), so they are decoded in the whole text first.
    """
    if "\\" in text:
        text = decode_accents(text)
    return [word for chunk in text.split() for word in _chunk_words(chunk)]


#: Holds a stop word's place in a field's key (never a word: words are letters and digits).
_GAP = "~"


#: Stem (or :data:`_GAP`) of every word seen, so each distinct word is stemmed once; a plain
#: dict because it is read through ``map(dict.get, …)``, far cheaper than a cached function.
_STEMS: dict[str, str] = {}
#: When :data:`_STEMS` is emptied (arXiv's whole vocabulary would be a few hundred thousand).
_STEMS_LIMIT = 500_000


def _english_tokens(words: list[str]) -> list[str]:
    tokens = list(map(_STEMS.get, words))
    if None not in tokens:
        return tokens  # type: ignore[return-value]
    if len(_STEMS) > _STEMS_LIMIT:
        _STEMS.clear()
    for word in words:
        if word not in _STEMS:
            _STEMS[word] = _GAP if word in STOP_WORDS else stem(word)
    return [_STEMS[word] for word in words]


def _field_tokens(text: str, english: bool) -> list[str]:
    """The analysed field's tokens in order, :data:`_GAP` for each stop word.

    Written for speed (thousands of papers per feed): ASCII text is folded by one
    ``bytes.translate``, as :func:`~daily_papers.tex.fold` would fold it, and each distinct
    word is stemmed once.
    """
    if "\\" in text:  # TeX accents may span a space (``\\c c``): decode them whole first
        text = decode_accents(text)
    if english and ("'" in text or "\u2019" in text):
        text = _POSSESSIVE.sub("", text)
    if text.isascii():
        words = text.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii").split()
    else:
        words = [word for chunk in text.split() for word in _chunk_words(chunk)]
    if english:
        return _english_tokens(words)
    return [_GAP if word in STOP_WORDS else word for word in words]


def _english(text: str) -> list[str | None]:
    """Query words as the english analyzer reads them: stems, None for stop words."""
    return [None if t == _GAP else t for t in _field_tokens(text, english=True)]


def _plain(text: str) -> list[str | None]:
    """Query words as the ``simple`` analyzer reads them (no stemming)."""
    return [None if t == _GAP else t for t in _field_tokens(text, english=False)]


_DIGRAPHS = re.compile(r"(?<!q)ue|ae|oe|aa")


def _name_words(name: str) -> tuple[str, ...]:
    """An author name's folded words; ``ae``/``oe``/``ue``/``aa`` read as a/o/u/a, as arXiv's
    German and Scandinavian normalisation does, so Müller, Mueller and Muller compare equal."""
    return tuple(_DIGRAPHS.sub(_first_letter, w) for w in _words(name))


def _first_letter(match: re.Match[str]) -> str:
    return match.group(0)[0]


def _sequence_key(tokens: Sequence[str | None]) -> str:
    # Words joined by single spaces with a space at each end; "~" holds a stop word's place.
    return " " + " ".join(t if t is not None else _GAP for t in tokens) + " "


# --------------------------------------------------------------------------------------
# Author names


def _reorder(name: str) -> str:
    # "Del Maestro, Adrian" is "Adrian Del Maestro".
    if "," in name:
        surname, _, given = name.partition(",")
        return f"{given} {surname}"
    return name


#: Words that belong to the surname that follows them (``Del Maestro``, ``van der Waals``);
#: "do", "du", "le", "la" are left out: as often given names or surnames of their own.
_PARTICLES: frozenset[str] = frozenset(
    str.split("da das de del della der di dos ten ter van vande vander von zu")
)


def _split_name(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(given names, surname): the last word plus the particles just before it."""
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    return words[:start], words[start:]


def _given_compatible(a: str, b: str) -> bool:
    # Equal, or one is the initial of the other ("A." and "Adrian").
    if a == b:
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _given_names_match(wanted: tuple[str, ...], found: tuple[str, ...]) -> bool:
    if not wanted:
        return True
    if not found or not _given_compatible(wanted[0], found[0]):
        return False
    shorter, longer = sorted((wanted[1:], found[1:]), key=len)
    position = 0
    for word in shorter:  # middle names may be missing on either side, never contradict
        while position < len(longer) and not _given_compatible(word, longer[position]):
            position += 1
        if position == len(longer):
            return False
        position += 1
    return True


@lru_cache(maxsize=16384)
def _name_parts(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return _split_name(_name_words(_reorder(name)))


def author_matches(wanted: str, author: str) -> bool:
    """True when ``author`` (as a paper lists it) is the person ``wanted`` names.

    Both are folded (TeX and Unicode accents, case, punctuation; "Last, First" reordered).
    The surnames (last word plus particles such as *del*, *van*) must be equal; the given
    names must agree word by word where both have them, an initial matching any name that
    starts with it, so "Adrian Del Maestro" matches "A. Del Maestro" and "Adrian G. Del
    Maestro" but not "B. Del Maestro" or "Adrian Maestro".  A wanted name without given
    names ("Del Maestro") matches every author of that surname.
    """
    found_given, found_surname = _name_parts(author)
    return any(
        surname == found_surname and _given_names_match(given, found_given)
        for given, surname in _readings(wanted)
    )


def author_query(name: str) -> str:
    """The API term that finds every paper of ``name``: its surname, e.g. ``au:"del maestro"``.

    A full name in ``au:"…"`` misses the papers that list the person with initials, so only
    the surname is asked for and :func:`author_matches` filters the answer.
    """
    words = _words(_reorder(name))
    if not words:
        raise QueryError(
            f"The author name {name!r} has no letters.", hint="Write it as arXiv does."
        )
    _given, surname = _split_name(tuple(words))
    return f"au:{surname[0]}" if len(surname) == 1 else f'au:"{" ".join(surname)}"'


def by_followed_authors(authors: Sequence[str], paper: Paper) -> bool:
    """True when no authors are followed, or one of ``paper``'s authors is one of them."""
    return not authors or any(
        author_matches(wanted, author) for wanted in authors for author in paper.authors
    )


@lru_cache(maxsize=4096)
def _readings(wanted: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    # "Del Maestro" is a surname alone as well as given name "Del", surname "Maestro".
    words = _name_words(_reorder(wanted))
    if not words:
        return ()
    readings = [_split_name(words)]
    if len(words) > 1 and all(w in _PARTICLES for w in words[:-1]):
        readings.append(((), words))
    return tuple(readings)


def _surname_given_matches(surname: str, given: str, author: str) -> bool:
    """arXiv's ``au:Surname,Given`` form: the surname's words among the author's surname,
    the given names (or initials) agreeing as in :func:`author_matches`."""
    found_given, found_surname = _name_parts(author)
    wanted_surname = _name_words(surname)
    return (
        bool(wanted_surname)
        and set(wanted_surname) <= set(found_surname)
        and _given_names_match(_name_words(given), found_given)
    )


# --------------------------------------------------------------------------------------
# The view of a paper that every query is evaluated against (built once per paper)


@dataclass(frozen=True)
class _Text:
    """One analysed field: its tokens as a spaced string (for phrases) and as a set."""

    key: str
    tokens: frozenset[str]

    @classmethod
    def of(cls, text: str | None, *, english: bool) -> _Text:
        tokens = _field_tokens(text, english) if text else []
        # The set may hold _GAP: no query requires it, so it is never looked up.
        return cls(" " + " ".join(tokens) + " ", frozenset(tokens))


@dataclass(frozen=True)
class _Author:
    name: str
    words: frozenset[str]  # full name and initialised name, as arXiv indexes both


@dataclass(frozen=True)
class PaperView:
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
    words = _name_words(name)
    initialised = [w[0] for w in words[:-1]]
    return _Author(name, frozenset(words) | frozenset(initialised))


def _canonical(category: str, aliases: Mapping[str, str] | None) -> str:
    name = aliases.get(category, category) if aliases else category
    return name.lower()


def paper_view(paper: Paper, aliases: Mapping[str, str] | None = None) -> PaperView:
    """Normalise ``paper`` for matching; ``aliases`` maps a category to its canonical name
    (``{"cs.NA": "math.NA"}``), applied to the paper's and the query's categories alike."""
    authors = tuple(_author(a) for a in paper.authors)
    return PaperView(
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
# Terms: one field and one value, compiled to a predicate over a PaperView


_Predicate = Callable[[PaperView], bool]


def _wildcard_pattern(word: str) -> Callable[[str], bool]:
    return lambda candidate: fnmatchcase(candidate, word)


def _wildcard(word: str) -> Callable[[str], bool]:
    """A query word with ``*``/``?`` as a predicate over folded words."""
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _wildcard_pattern(re.sub(r"[^\w*?]", "", plain))


def _text_predicate(
    value: str, quoted: bool, analyse: Callable[[str], list[str | None]], pick: str
) -> tuple[_Predicate, frozenset[str]]:
    """Phrase (quoted) or all-words (unquoted) search of one analysed field.

    ``pick`` names both the :class:`PaperView` field and the :class:`Paper` text behind it.
    Returns the predicate and the tokens it requires (for :func:`match_papers`' index).
    """
    field_of = attrgetter(pick)
    if not quoted and _WILDCARD & set(value):
        patterns = [_wildcard(w) for w in value.split() if _WILDCARD & set(w)]
        rest = " ".join(w for w in value.split() if not _WILDCARD & set(w))
        plain = frozenset(t for t in analyse(rest) if t)
        text_of = attrgetter(f"paper.{pick}")

        def wildcard(view: PaperView) -> bool:
            # arXiv compares a wildcard with stems; unstemmed words are tried too.
            tokens = field_of(view).tokens
            if not plain <= tokens:
                return False
            candidates = tokens | set(_words(text_of(view) or ""))
            return all(any(p(w) for w in candidates) for p in patterns)

        return wildcard, plain
    tokens = analyse(value)
    while tokens and tokens[0] is None:
        tokens.pop(0)
    while tokens and tokens[-1] is None:
        tokens.pop()
    required = frozenset(t for t in tokens if t)
    if not required:  # only stop words: Elasticsearch matches nothing
        return (lambda view: False), frozenset()
    if not quoted or len(tokens) == 1:
        return (lambda view: required <= field_of(view).tokens), required
    if None not in tokens:
        needle = _sequence_key(tokens)

        def phrase(view: PaperView) -> bool:
            text = field_of(view)
            return required <= text.tokens and needle in text.key

        return phrase, required
    # A stop word inside a phrase holds one word's place, whichever word fills it.
    pattern = re.compile(
        " " + " ".join(r"\S+" if t is None else re.escape(t) for t in tokens) + " "
    )

    def gapped(view: PaperView) -> bool:
        text = field_of(view)
        return required <= text.tokens and pattern.search(text.key) is not None

    return gapped, required


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
        spaced = _reorder(part.replace("_", " "))
        words = spaced.split()
        patterns = tuple(
            _wildcard(_DIGRAPHS.sub(_first_letter, w.lower())) for w in words if _WILDCARD & set(w)
        )
        plain = _name_words(" ".join(w for w in words if not _WILDCARD & set(w)))
        if not plain and not patterns:
            continue
        if plain and not _WILDCARD & set(words[-1]):
            required.add(plain[-1])  # the surname's last word, needed by both rules below
        checks.append(partial(_author_check, frozenset(plain), patterns, spaced))
    if not checks:
        return (lambda view: False), frozenset()

    def authors(view: PaperView) -> bool:
        return all(any(check(a) for a in view.authors) for check in checks)

    return authors, frozenset(required)


def _author_surname_given(surname: str, given: str, author: _Author) -> bool:
    return _surname_given_matches(surname, given, author.name)


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
class _Term:
    name: str
    value: str
    quoted: bool
    predicate: _Predicate = field(compare=False, repr=False)
    #: (field group, token) pairs all of which a matching paper must contain, if known.
    required: frozenset[tuple[str, str]] = field(compare=False, repr=False)


def _term(field_name: str, raw: str, aliases: Mapping[str, str] | None) -> _Term:
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
        predicate, tokens = _text_predicate(value, quoted, _english, pick)
        required = frozenset((pick, t) for t in tokens)
    elif field_name in ("co", "jr"):
        pick = "comment" if field_name == "co" else "journal_ref"
        predicate, _ = _text_predicate(value, quoted, _plain, pick)
    elif field_name == "au":
        predicate, tokens = _author_predicate(value, quoted)
        required = frozenset(("au", t) for t in tokens)
    elif field_name == "cat":
        predicate = _category_predicate(value, aliases)
        if not _WILDCARD & set(value):
            required = frozenset({("cat", _canonical(value, aliases))})
    elif field_name == "doi":
        predicate = _doi_predicate(value)
    else:  # all: any single field
        parts = [_term(name, raw, aliases).predicate for name in ("ti", "abs", "au", "co", "jr")]
        if not quoted and not (_WILDCARD & set(value)):
            parts += [_category_predicate(value, aliases), _doi_predicate(value)]
            wanted_id = value.lower()
            parts.append(lambda view: view.paper.id.lower() == wanted_id)
        predicate = lambda view: any(p(view) for p in parts)  # noqa: E731
    return _Term(field_name, value, quoted, predicate, required)


# --------------------------------------------------------------------------------------
# The query: arXiv's rewriting, then its grammar


@dataclass(frozen=True)
class _And:
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Or:
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _AndNot:
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Not:
    operand: _Node


_Node = _Term | _And | _Or | _AndNot | _Not

_PREFIX, _OPEN, _OPERATOR, _CLOSE, _TEXT = "prefix", "(", "op", ")", "text"


def _tokens(query: str) -> list[list[str]]:
    kinds = []
    for word in _QUERY_TOKEN.findall(query.replace("\r", " ").replace("\n", " ")):
        if word in ("AND", "ANDNOT", "NOT", "OR"):
            kinds.append([_OPERATOR, word])
        elif word.endswith(":") and word[:-1] in _PREFIXES:
            kinds.append([_PREFIX, word[:-1]])
        elif word in "()":
            kinds.append([_OPEN if word == "(" else _CLOSE, word])
        else:
            kinds.append([_TEXT, word])
    return kinds


def _rewrite(tokens: list[list[str]]) -> list[list[str]]:
    """arXiv's query adaptation, step by step in its order (see the module docstring)."""
    # NOT and AND NOT become ANDNOT.
    out: list[list[str]] = []
    for token in tokens:
        if token == [_OPERATOR, "NOT"]:
            if out and out[-1] == [_OPERATOR, "AND"]:
                out.pop()
            out.append([_OPERATOR, "ANDNOT"])
        else:
            out.append(token)
    # prefix:( … ) gives the prefix to every bare term inside.
    tokens, out = out, []
    outer: str | None = None
    depth = 0
    for index, token in enumerate(tokens):
        if outer is None:
            if token[0] == _OPEN and out and out[-1][0] == _PREFIX:
                outer = out.pop()[1]
                depth = 1
            out.append(token)
            continue
        if token[0] == _CLOSE:
            depth -= 1
            if depth == 0:
                outer = None
        elif token[0] == _OPEN:
            depth += 1
        elif token[0] == _TEXT and tokens[index - 1][0] != _PREFIX:
            out.append([_PREFIX, outer])
        out.append(token)
    # A bare term searches all fields.
    tokens, out = out, []
    for token in tokens:
        if token[0] == _TEXT and (not out or out[-1][0] != _PREFIX):
            out.append([_PREFIX, "all"])
        out.append(token)
    # Of two operators in a row the later one counts.
    tokens, out = out, []
    for token in tokens:
        if token[0] == _OPERATOR and out and out[-1][0] == _OPERATOR:
            out.pop()
        out.append(token)
    # Adjacent terms without an operator are OR-ed.
    tokens, out = out, []
    for token in tokens:
        if out and (
            (out[-1][0] == _PREFIX and token[0] == _PREFIX)
            or (out[-1][0] in (_CLOSE, _TEXT) and token[0] in (_PREFIX, _OPEN, _TEXT))
        ):
            out.append([_OPERATOR, "OR"])
        out.append(token)
    # au:del_maestro is au:"del maestro"; title: is ti:; a prefix with no term is dropped.
    result: list[list[str]] = []
    for index, token in enumerate(out):
        following = out[index + 1] if index + 1 < len(out) else None
        if token[0] == _PREFIX:
            if following is not None and following[0] == _TEXT:
                result.append([_PREFIX, "ti" if token[1] == "title" else token[1]])
        elif token[0] == _TEXT and result and result[-1] == [_PREFIX, "au"] and "_" in token[1]:
            spaced = token[1].replace("_", " ")
            result.append([_TEXT, spaced if '"' in spaced else f'"{spaced}"'])
        else:
            result.append(token)
    return result


class _Parser:
    """arXiv's grammar: ``expr := primary [op expr]``, ``primary := term | ( expr ) |
    ANDNOT expr`` — one precedence level, grouping to the right (its LALR parser shifts)."""

    def __init__(self, tokens: list[list[str]], query: str, aliases: Mapping[str, str] | None):
        self.tokens = tokens
        self.position = 0
        self.query = query
        self.aliases = aliases
        self.api_reasons: list[str] = []

    def fail(self) -> QueryError:
        return QueryError(
            f"The topic query {self.query!r} is not a query arXiv's search can parse.",
            hint="Check the operators and field prefixes "
            "(https://info.arxiv.org/help/api/user-manual.html#query_details).",
        )

    def peek(self) -> list[str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> list[str]:
        token = self.peek()
        if token is None:
            raise self.fail()
        self.position += 1
        return token

    def expression(self) -> _Node:
        left = self.primary()
        token = self.peek()
        if token is None or token[0] != _OPERATOR:
            return left
        self.position += 1
        right = self.expression()
        if token[1] == "AND":
            return _And(left, right)
        if token[1] == "OR":
            return _Or(left, right)
        return _AndNot(left, right)

    def primary(self) -> _Node:
        token = self.take()
        if token[0] == _OPEN:
            inner = self.expression()
            if self.take()[0] != _CLOSE:
                raise self.fail()
            return inner
        if token == [_OPERATOR, "ANDNOT"]:
            return _Not(self.expression())
        if token[0] != _PREFIX:
            raise self.fail()
        text = self.take()
        if text[0] != _TEXT:
            raise self.fail()
        name = token[1]
        if name in _API_ONLY:
            self.api_reasons.append(_API_ONLY[name])
            return _Term(name, text[1], False, lambda view: False, frozenset())
        if name not in _LOCAL_FIELDS:
            raise self.fail()
        return _term(name, text[1], self.aliases)

    def parse(self) -> _Node:
        node = self.expression()
        if self.peek() is not None:
            raise self.fail()
        return node


def _compile(node: _Node) -> _Predicate:
    """The tree as nested closures: evaluating one paper is a few calls, no dispatch."""
    if isinstance(node, _Term):
        return node.predicate
    if isinstance(node, _Not):
        operand = _compile(node.operand)
        return lambda view: not operand(view)
    left, right = _compile(node.left), _compile(node.right)
    if isinstance(node, _And):
        return lambda view: left(view) and right(view)
    if isinstance(node, _Or):
        return lambda view: left(view) or right(view)
    return lambda view: left(view) and not right(view)


@dataclass(frozen=True)
class CompiledQuery:
    """A query parsed once, to be matched against many papers.

    ``needs_api`` is None when every term can be evaluated locally, else the reason the
    API must answer it (then :meth:`matches` must not be called).
    """

    query: str
    root: _Node = field(repr=False)
    needs_api: str | None = None
    aliases: Mapping[str, str] | None = field(default=None, repr=False, compare=False)
    predicate: _Predicate = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "predicate", _compile(self.root))

    def matches(self, paper: Paper | PaperView) -> bool:
        """Would arXiv's search return ``paper`` for this query (as far as it can tell)?"""
        if self.needs_api is not None:
            raise ValueError(f"{self.query!r} cannot be matched locally: {self.needs_api}")
        view = paper if isinstance(paper, PaperView) else _cached_view(paper, self.aliases)
        return self.predicate(view)


def compile_query(query: str, *, aliases: Mapping[str, str] | None = None) -> CompiledQuery:
    """Parse an arXiv ``search_query`` (a user's advanced query, or :attr:`Topic.query`).

    Raises :class:`~daily_papers.errors.QueryError` for a query arXiv would reject.
    """
    normalised = validate_advanced(query)
    parser = _Parser(_rewrite(_tokens(normalised)), normalised, aliases)
    root = parser.parse()
    reason = "; ".join(dict.fromkeys(parser.api_reasons)) or None
    return CompiledQuery(normalised, root, reason, aliases)


def compile_topic(
    text: str,
    *,
    categories: Sequence[str] = (),
    exclude: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> CompiledQuery:
    """A topic as a user writes it (see :func:`~daily_papers.query.build.topic_query`), meaning:
    the phrase or advanced query, AND any of ``categories``, AND NOT any ``exclude`` phrase.

    Validated exactly as :func:`~daily_papers.query.build.topic_query` validates it.
    """
    built = topic_query(text, categories=categories, exclude=exclude)
    main = compile_query(text if is_advanced(text) else phrase_clause(text), aliases=aliases)
    root: _Node = main.root
    if categories:
        cats = " OR ".join(f"cat:{c.strip()}" for c in categories)
        root = _And(root, compile_query(cats, aliases=aliases).root)
    for phrase in exclude:
        root = _AndNot(root, compile_query(phrase_clause(phrase)).root)
    return CompiledQuery(built, root, main.needs_api, aliases)


@lru_cache(maxsize=4096)
def _cached_compile(query: str) -> CompiledQuery:
    return compile_query(query)


def _cached_view(paper: Paper, aliases: Mapping[str, str] | None) -> PaperView:
    if aliases:
        return paper_view(paper, aliases)
    return _cached_plain_view(paper)


@lru_cache(maxsize=8192)
def _cached_plain_view(paper: Paper) -> PaperView:
    return paper_view(paper)


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


def _required_keys(node: _Node) -> Iterable[tuple[str, str]]:
    if isinstance(node, _Term):
        yield from node.required
    elif isinstance(node, _Not):
        yield from _required_keys(node.operand)
    else:
        yield from _required_keys(node.left)
        yield from _required_keys(node.right)


_GROUPS: Mapping[str, Callable[[PaperView], frozenset[str]]] = {
    "title": attrgetter("title.tokens"),
    "abstract": attrgetter("abstract.tokens"),
    "au": attrgetter("author_words"),
    "cat": attrgetter("categories"),
}


class _Candidates:
    """Which papers can match a term at all: papers holding every token it requires.

    Only the tokens the queries require are indexed, in one pass of set intersections.
    """

    def __init__(self, views: Sequence[PaperView], queries: Sequence[CompiledQuery]) -> None:
        needed: dict[str, set[str]] = {group: set() for group in _GROUPS}
        for query in queries:
            for group, token in _required_keys(query.root):
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

    def of(self, node: _Node) -> frozenset[int] | None:
        """A superset of the matching papers' positions, or None for "any paper"."""
        if isinstance(node, _Term):
            if not node.required:
                return None
            result: frozenset[int] | None = None
            for key in node.required:
                posting = self.posting(key)
                result = posting if result is None else result & posting
            return result
        if isinstance(node, _Not):
            return None
        left = self.of(node.left)
        if isinstance(node, _AndNot):
            return left
        right = self.of(node.right)
        if isinstance(node, _And):
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
    views = [paper_view(p, aliases) for p in papers]
    candidates = _Candidates(views, queries)
    results: list[list[Paper]] = []
    for query in queries:
        if query.needs_api is not None:
            raise ValueError(f"{query.query!r} cannot be matched locally: {query.needs_api}")
        narrowed = candidates.of(query.root)
        positions = range(len(views)) if narrowed is None else sorted(narrowed)
        predicate = query.predicate
        results.append([views[i].paper for i in positions if predicate(views[i])])
    return results
