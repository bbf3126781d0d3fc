"""How arXiv's search reads a field's text: folded words, stop words, English stems.

The matcher compares a query's words with a paper's words only after both went through the
same analysis arXiv's index applies (Elasticsearch's ``english`` analyzer for titles and
abstracts, the ``simple`` one for comments and journal references): TeX accents decoded;
accents, case and punctuation folded; stop words holding their place; words reduced to their
Porter stem.  Written for speed: thousands of papers are analysed per announcement feed.

Only arXiv's all-fields index folds accents (its ``combined`` analyzer has ``icu_folding``);
the ``english`` and ``simple`` analyzers behind ``ti:``, ``abs:``, ``co:`` and ``jr:`` only
lower-case, so ``abs:frechet`` does not find "Fréchet" there.  :func:`accented_tokens` gives
those fields' words with their accents, for the matcher to tell the two apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from daily_papers.query.stemmer import stem
from daily_papers.tex import decode_accents, fold

__all__ = [
    "GAP",
    "STOP_WORDS",
    "accented_tokens",
    "english_words",
    "field_tokens",
    "plain_words",
    "sequence_key",
    "words",
]

#: Elasticsearch's ``_english_`` stop words: skipped in titles, abstracts, comments and
#: journal references (a stop word inside a quoted phrase still holds one word's place).
STOP_WORDS: frozenset[str] = frozenset(
    str.split(
        "a an and are as at be but by for if in into is it no not of on or such that the their "
        "then there these they this to was will with"
    )
)

_POSSESSIVE = re.compile(r"['\u2019]s\b")

#: ASCII letters to lower case, punctuation (and ``_``) to spaces: for ASCII text,
#: ``bytes.translate`` then ``split()`` gives the words :func:`~daily_papers.tex.fold`
#: gives, several times faster.
_ASCII_SEPARATORS = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 32 for c in range(256))


@lru_cache(maxsize=262144)
def _chunk_words(chunk: str) -> tuple[str, ...]:
    if chunk.isascii():  # the common case, folded as tex.fold would fold it
        return tuple(chunk.encode("ascii").translate(_ASCII_SEPARATORS).decode().split())
    return tuple(fold(chunk).split())


def words(text: str) -> list[str]:
    """Folded words (TeX accents decoded; accents, case, punctuation and hyphens dropped).

    Folded one whitespace-separated chunk at a time, with a cache: abstracts share most of
    their words, so normalising thousands of papers stays cheap.  TeX accents may span a
    space (``\\c c``), so they are decoded in the whole text first.
    """
    if "\\" in text:
        text = decode_accents(text)
    return [word for chunk in text.split() for word in _chunk_words(chunk)]


#: Holds a stop word's place in a field's key (never a word: words are letters and digits).
GAP = "~"


#: Stem (or :data:`GAP`) of every word seen, so each distinct word is stemmed once; a plain
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
            _STEMS[word] = GAP if word in STOP_WORDS else stem(word)
    return [_STEMS[word] for word in words]


def field_tokens(text: str, english: bool) -> list[str]:
    """The analysed field's tokens in order, :data:`GAP` for each stop word.

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
    return [GAP if word in STOP_WORDS else word for word in words]


def english_words(text: str) -> list[str | None]:
    """Query words as the english analyzer reads them: stems, None for stop words."""
    return [None if t == GAP else t for t in field_tokens(text, english=True)]


def plain_words(text: str) -> list[str | None]:
    """Query words as the ``simple`` analyzer reads them (no stemming)."""
    return [None if t == GAP else t for t in field_tokens(text, english=False)]


def sequence_key(tokens: Sequence[str | None]) -> str:
    # Words joined by single spaces with a space at each end; "~" holds a stop word's place.
    return " " + " ".join(t if t is not None else GAP for t in tokens) + " "


_NON_LETTERS = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def accented_tokens(text: str, english: bool) -> frozenset[str]:
    """The field's tokens as :func:`field_tokens` gives them, but with accents kept (only
    lower-cased), stop words left out.  For ASCII text they are :func:`field_tokens`' own."""
    if "\\" in text:
        text = decode_accents(text)
    if english and ("'" in text or "\u2019" in text):
        text = _POSSESSIVE.sub("", text)
    lowered = unicodedata.normalize("NFC", text).lower()
    found = (w for w in _NON_LETTERS.split(lowered) if w and w not in STOP_WORDS)
    return frozenset(stem(w) for w in found) if english else frozenset(found)
