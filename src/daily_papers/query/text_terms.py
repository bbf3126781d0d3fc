"""How one term searches a title, abstract, comment or journal reference, as arXiv's index
reads each: folded stems for the all-fields search, accents kept in a fielded one.

A fielded search (``ti:``, ``abs:``, ``co:``, ``jr:``) goes to a field whose analyzer only
lower-cases (and, for titles and abstracts, stems): ``abs:frechet`` misses "Fréchet", and a
wildcard meets the stems, so ``ti:transformer*`` misses "Transformers" (stem ``transform``).
arXiv's ``all:`` index folds accents and keeps words unstemmed.  Pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from fnmatch import fnmatchcase
from operator import attrgetter
from typing import Protocol, TypeVar

from daily_papers.query import analysis

__all__ = ["Analysed", "text_predicate", "wildcard", "wildcard_pattern"]

_WILDCARD = frozenset("*?")


class Analysed(Protocol):
    """One analysed field: its tokens as a spaced string (for phrases) and as a set."""

    @property
    def key(self) -> str: ...

    @property
    def tokens(self) -> frozenset[str]: ...


V = TypeVar("V")


def wildcard_pattern(word: str) -> Callable[[str], bool]:
    return lambda candidate: fnmatchcase(candidate, word)


def wildcard(word: str) -> Callable[[str], bool]:
    """A query word with ``*``/``?`` as a predicate over folded words."""
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return wildcard_pattern(re.sub(r"[^\w*?]", "", plain))


def _accented_wildcard(word: str) -> Callable[[str], bool]:
    """A query word with ``*``/``?`` as a predicate over lower-cased words, accents kept."""
    lowered = unicodedata.normalize("NFC", word).lower()
    return wildcard_pattern(re.sub(r"[^\w*?]", "", lowered))


def text_predicate(
    value: str,
    quoted: bool,
    analyse: Callable[[str], list[str | None]],
    pick: str,
    *,
    folded: bool,
) -> tuple[Callable[[V], bool], frozenset[str]]:
    """Phrase (quoted) or all-words (unquoted) search of one analysed field.

    ``pick`` names both the analysed view's field and the :class:`Paper` text behind it.
    ``folded`` is true for a part of an ``all:`` search, whose index folds accents and keeps
    words unstemmed; a fielded search (``ti:``, ``abs:``, ``co:``, ``jr:``) keeps accents and
    compares a wildcard with the field's tokens only (stems, for titles and abstracts).
    Returns the predicate and the tokens it requires (for :func:`match_papers`' index).
    """
    field_of = attrgetter(pick)
    text_of = attrgetter(f"paper.{pick}")
    english = analyse is analysis.english_words
    if not quoted and _WILDCARD & set(value):
        rest = " ".join(w for w in value.split() if not _WILDCARD & set(w))
        plain = frozenset(t for t in analyse(rest) if t)
        starred = [w for w in value.split() if _WILDCARD & set(w)]
        if folded:
            patterns = [wildcard(w) for w in starred]

            def combined(view: V) -> bool:
                # arXiv's all-fields index holds the folded words unstemmed; stems are tried too.
                tokens = field_of(view).tokens
                if not plain <= tokens:
                    return False
                candidates = tokens | set(analysis.words(text_of(view) or ""))
                return all(any(p(w) for w in candidates) for p in patterns)

            return combined, plain
        accented = [_accented_wildcard(w) for w in starred]

        def fielded(view: V) -> bool:
            # The field's own tokens: "transformer*" misses "Transformers", stemmed "transform".
            tokens = field_of(view).tokens
            if not plain <= tokens:
                return False
            text = text_of(view) or ""
            candidates = tokens if _unaccented(text) else analysis.accented_tokens(text, english)
            return all(any(p(w) for w in candidates) for p in accented) and _accents_agree(
                rest, text, english
            )

        return fielded, plain
    predicate, required = _folded_text_predicate(value, quoted, analyse, field_of)
    if folded or not required:
        return predicate, required

    def accents_kept(view: V) -> bool:
        return predicate(view) and _accents_agree(value, text_of(view) or "", english)

    return accents_kept, required


def _unaccented(text: str) -> bool:
    return text.isascii() and "\\" not in text


def _accents_agree(value: str, text: str, english: bool) -> bool:
    """Whether the query's words are in the field with the same accents (both are already
    known to match once folded).  Text without accents, in Unicode or TeX, always agrees."""
    if _unaccented(value) and _unaccented(text):
        return True
    wanted = analysis.accented_tokens(value, english)
    return wanted <= analysis.accented_tokens(text, english)


def _folded_text_predicate(
    value: str,
    quoted: bool,
    analyse: Callable[[str], list[str | None]],
    field_of: Callable[[V], Analysed],
) -> tuple[Callable[[V], bool], frozenset[str]]:
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
        needle = analysis.sequence_key(tokens)

        def phrase(view: V) -> bool:
            text = field_of(view)
            return required <= text.tokens and needle in text.key

        return phrase, required
    # A stop word inside a phrase holds one word's place, whichever word fills it.
    pattern = re.compile(
        " " + " ".join(r"\S+" if t is None else re.escape(t) for t in tokens) + " "
    )

    def gapped(view: V) -> bool:
        text = field_of(view)
        return required <= text.tokens and pattern.search(text.key) is not None

    return gapped, required
