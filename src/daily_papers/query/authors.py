"""Who an author name is: folded, reordered, surname and given names compared.

arXiv lists one person as "Adrian Del Maestro", "A. Del Maestro" or "Del Maestro, Adrian";
following an author, and the ``au:`` field, must treat them as one.  Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from daily_papers.errors import QueryError
from daily_papers.models import Paper
from daily_papers.query import analysis

__all__ = [
    "author_matches",
    "author_query",
    "by_followed_authors",
    "fold_digraphs",
    "name_words",
    "reorder",
    "split_name",
    "surname_given_matches",
]

_DIGRAPHS = re.compile(r"(?<!q)ue|ae|oe|aa")


def fold_digraphs(word: str) -> str:
    """``mueller`` -> ``muller``: ``ae``/``oe``/``ue``/``aa`` read as a/o/u/a."""
    return _DIGRAPHS.sub(_first_letter, word)


def name_words(name: str) -> tuple[str, ...]:
    """An author name's folded words; ``ae``/``oe``/``ue``/``aa`` read as a/o/u/a, as arXiv's
    German and Scandinavian normalisation does, so Müller, Mueller and Muller compare equal."""
    return tuple(fold_digraphs(w) for w in analysis.words(name))


def _first_letter(match: re.Match[str]) -> str:
    return match.group(0)[0]


def reorder(name: str) -> str:
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


def split_name(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
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


def given_names_match(wanted: tuple[str, ...], found: tuple[str, ...]) -> bool:
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
    return split_name(name_words(reorder(name)))


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
        surname == found_surname and given_names_match(given, found_given)
        for given, surname in _readings(wanted)
    )


def author_query(name: str) -> str:
    """The API term that finds every paper of ``name``: its surname, e.g. ``au:"del maestro"``.

    A full name in ``au:"…"`` misses the papers that list the person with initials, so only
    the surname is asked for and :func:`author_matches` filters the answer.
    """
    found = analysis.words(reorder(name))
    if not found:
        raise QueryError(
            f"The author name {name!r} has no letters.", hint="Write it as arXiv does."
        )
    _given, surname = split_name(tuple(found))
    return f"au:{surname[0]}" if len(surname) == 1 else f'au:"{" ".join(surname)}"'


def by_followed_authors(authors: Sequence[str], paper: Paper) -> bool:
    """True when no authors are followed, or one of ``paper``'s authors is one of them."""
    return not authors or any(
        author_matches(wanted, author) for wanted in authors for author in paper.authors
    )


@lru_cache(maxsize=4096)
def _readings(wanted: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    # "Del Maestro" is a surname alone as well as given name "Del", surname "Maestro".
    words = name_words(reorder(wanted))
    if not words:
        return ()
    readings = [split_name(words)]
    if len(words) > 1 and all(w in _PARTICLES for w in words[:-1]):
        readings.append(((), words))
    return tuple(readings)


def surname_given_matches(surname: str, given: str, author: str) -> bool:
    """arXiv's ``au:Surname,Given`` form: the surname's words among the author's surname,
    the given names (or initials) agreeing as in :func:`author_matches`."""
    found_given, found_surname = _name_parts(author)
    wanted_surname = name_words(surname)
    return (
        bool(wanted_surname)
        and set(wanted_surname) <= set(found_surname)
        and given_names_match(name_words(given), found_given)
    )
