"""arXiv's category taxonomy: which names exist, what they stand for, which feed carries them.

A misspelt category (``cs.Al`` for ``cs.AI``) makes arXiv answer with zero papers, and a topic
that silently shows nothing looks like a quiet field; rejecting it before any request, with a
suggestion, is kinder.  The data is arXiv's own taxonomy, generated from arXiv/arxiv-base by
``scripts/gen_arxiv_taxonomy.py`` into ``data/arxiv-taxonomy.json`` (its ``provenance`` key
names the commit) and read once with :mod:`importlib.resources`, so it works from a wheel.

Names are case-sensitive, as in arXiv's search index: ``cs.ai`` is refused with a suggestion
of ``cs.AI``.  Two kinds of second name exist: *aliases*, where one category is listed under
two archives (``cs.NA`` is ``math.NA``, ``math.MP`` is ``math-ph``), and *subsumed* archives,
retired archives that became a category (``cmp-lg`` is now ``cs.CL``).  Both canonicalise to
the name arXiv treats as primary.  Pure: no network, no clock.
"""

from __future__ import annotations

import difflib
import importlib.resources
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from daily_papers.errors import QueryError

__all__ = [
    "Taxonomy",
    "archive_of",
    "canonical",
    "carried_by",
    "cat_terms",
    "categories_of",
    "check_category",
    "check_query_categories",
    "feed_archives",
    "home_archive",
    "load",
]

#: Where a user can look names up.
TAXONOMY_URL = "https://arxiv.org/category_taxonomy"

# ``cat:cs.AI`` or ``cat:"cs.AI"`` in an advanced query (not ``xcat:``; a wildcard is a term too).
_CAT_TERM = re.compile(r'(?<![\w.:-])cat:(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s()"]+))')


@dataclass(frozen=True)
class Taxonomy:
    """The names arXiv knows.

    ``archives`` maps every archive to whether it is active (only active archives have an
    announcement feed); ``categories`` maps every category to its archive; ``aliases`` maps a
    category's second name to its canonical one (``cs.NA`` → ``math.NA``) and ``subsumed`` a
    retired archive to the category that replaced it (``cmp-lg`` → ``cs.CL``).
    ``provenance`` says where the data came from.
    """

    archives: dict[str, bool]
    categories: dict[str, str]
    aliases: dict[str, str]
    subsumed: dict[str, str]
    provenance: dict[str, str]

    @property
    def names(self) -> frozenset[str]:
        """Every accepted name: archives, categories, aliases and subsumed archives."""
        return frozenset(self.archives).union(self.categories, self.aliases, self.subsumed)


def _strings(data: dict[str, Any]) -> dict[str, str]:
    return {str(key): str(value) for key, value in data.items()}


def _from_json(data: dict[str, Any]) -> Taxonomy:
    return Taxonomy(
        archives={key: bool(value["active"]) for key, value in data["archives"].items()},
        categories={key: str(value["archive"]) for key, value in data["categories"].items()},
        aliases=_strings(data["aliases"]),
        subsumed=_strings(data["subsumed"]),
        provenance=_strings(data["provenance"]),
    )


@cache
def load() -> Taxonomy:
    """The packaged taxonomy (read once per process)."""
    resource = importlib.resources.files("daily_papers") / "data" / "arxiv-taxonomy.json"
    return _from_json(json.loads(resource.read_text(encoding="utf-8")))


def canonical(name: str) -> str | None:
    """The canonical name for a known archive, category or alias; ``None`` when unknown."""
    taxonomy = load()
    if name in taxonomy.aliases:
        return taxonomy.aliases[name]
    if name in taxonomy.subsumed:
        return taxonomy.subsumed[name]
    if name in taxonomy.categories or name in taxonomy.archives:
        return name
    return None


# Typing slips that difflib alone ranks poorly: case, l/1 for I, 0 for O, _ for -.
_CONFUSABLE = str.maketrans({"l": "i", "1": "i", "0": "o", "_": "-", " ": ""})


def _key(name: str) -> str:
    return name.casefold().translate(_CONFUSABLE)


def _suggestions(name: str) -> list[str]:
    """Up to three known names close to ``name``, the likeliest first."""
    by_key: dict[str, list[str]] = {}
    for known in sorted(load().names):
        by_key.setdefault(_key(known), []).append(known)
    close_keys = difflib.get_close_matches(_key(name), list(by_key), n=3, cutoff=0.6)
    found = [known for key in close_keys for known in by_key[key]]
    return list(dict.fromkeys(found))[:3]


def check_category(name: str, *, where: str) -> str:
    """Return the canonical form of ``name``, or raise :class:`QueryError` naming ``where``.

    ``where`` says where the name was written, e.g. ``"the categories of topic 'LLMs'"``.
    The error suggests the closest known names (difflib), so ``cs.Al`` points to ``cs.AI``.
    """
    stripped = name.strip()
    found = canonical(stripped)
    if found is not None:
        return found
    close = _suggestions(stripped)
    hint = f"Did you mean {' or '.join(close)}? " if close else ""
    raise QueryError(
        f"{stripped!r} in {where} is not an arXiv category.",
        hint=f"{hint}Category names are listed at {TAXONOMY_URL}.",
    )


def cat_terms(query: str) -> tuple[str, ...]:
    """The names used in ``cat:`` terms of an advanced query, in order (duplicates kept)."""
    return tuple(
        m["quoted"] if m["quoted"] is not None else m["bare"] for m in _CAT_TERM.finditer(query)
    )


def check_query_categories(query: str, *, where: str) -> None:
    """Check every ``cat:`` name of an advanced query with :func:`check_category`.

    A name with a wildcard (``cat:cs.*``) is left to arXiv; the query itself is not rewritten.
    """
    for term in cat_terms(query):
        if "*" not in term and "?" not in term:
            check_category(term, where=where)


def archive_of(category: str) -> str:
    """The archive whose announcement feed carries ``category`` (canonicalised first).

    ``cs.CL`` is in ``cs``, ``hep-th`` is its own archive, ``cs.NA`` (an alias of ``math.NA``)
    is in ``math``, ``cmp-lg`` (subsumed by ``cs.CL``) is in ``cs``.  Raises ``KeyError`` for an
    unknown name: check it with :func:`check_category` first.
    """
    taxonomy = load()
    name = canonical(category)
    if name is None:
        raise KeyError(category)
    if name in taxonomy.archives:
        return name
    return taxonomy.categories[name]


def home_archive(name: str) -> str:
    """The archive ``name`` is filed under, without canonicalising (``cs.NA`` is in ``cs``).

    A feed group's names are filed names, so this is the archive a feed request covers.
    Raises ``KeyError`` for names that are neither archives nor categories.
    """
    taxonomy = load()
    return name if name in taxonomy.archives else taxonomy.categories[name]


def feed_archives() -> tuple[str, ...]:
    """The archives that have an announcement feed (the active ones), sorted."""
    return tuple(sorted(key for key, active in load().archives.items() if active))


def carried_by(category: str) -> frozenset[str]:
    """Every archive whose feed lists papers of ``category``.

    An alias pair is listed in both archives' feeds (``cs.IT`` papers are in ``cs`` and in
    ``math``, where it is ``math.IT``); a retired archive is not.  Unknown names: ``KeyError``.
    """
    taxonomy = load()
    name = archive_of(category)
    target = canonical(category)
    partners = (
        alias for alias, canonical_name in taxonomy.aliases.items() if canonical_name == target
    )
    return frozenset({name, *(taxonomy.categories[alias] for alias in partners)})


def categories_of(archive: str) -> tuple[str, ...]:
    """Every category filed under ``archive``, sorted: an archive's feed split finer.

    Retired categories are included because the archive's feed includes them too; an archive
    that is a single category (``hep-th``) gives just itself.
    """
    return tuple(sorted(c for c, a in load().categories.items() if a == archive))
