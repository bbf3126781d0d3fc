"""Topics: from ``-k`` options on the command line or from a YAML topics file.

Everything here is pure: text and options in, validated :class:`~daily_papers.models.Topic`
values out.  Every mistake is a :class:`~daily_papers.errors.ConfigError` whose one sentence
names the option or the file (and the topic) at fault, raised before any request is made.

Topics file format (read with PyYAML ``safe_load``, so no YAML tags can run code)::

    max-count: 50            # optional default for every topic
    categories: [cs.CL]      # optional default categories (AND-ed as a cat: disjunction)
    topics:
      - language model uncertainty          # a plain phrase (or an advanced query)
      - name: Diffusion
        keywords: [diffusion model, score matching]   # phrases, OR-ed
        categories: [cs.CV, cs.LG]
        exclude: [survey]
        max-count: 30
        sort: relevance      # best first against the library (default: the run's sort)
      - name: Custom
        query: 'ti:"graph neural network" AND cat:cs.LG'   # raw arXiv query
      - name: Del Maestro group
        authors: [Adrian Del Maestro]      # alone, or AND-ed with keywords/query

A bare list of topics (without the ``topics:`` key) is accepted too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from daily_papers import defaults
from daily_papers.errors import ConfigError
from daily_papers.models import Topic
from daily_papers.option_row import check_count
from daily_papers.query import build as arxiv_query
from daily_papers.query.authors import author_query
from daily_papers.suggest import did_you_mean

_TOPIC_KEYS = {
    "name",
    "query",
    "keywords",
    "authors",
    "categories",
    "exclude",
    "max-count",
    "sort",
}
_FILE_KEYS = {"topics", "max-count", "categories", "exclude"}


def _refuse_unknown_keys(
    mapping: Mapping[str, Any],
    allowed: set[str],
    *,
    what: str,
    suggest: Iterable[str] | None = None,
) -> None:
    """One sentence for the first unknown key, with the allowed ones and a did-you-mean."""
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise ConfigError(
            f"{what} {unknown[0]!r}; allowed keys are {', '.join(sorted(allowed))}.",
            did_you_mean(unknown[0], allowed if suggest is None else suggest),
        )


def topics_from_keywords(
    keywords: Sequence[str],
    *,
    max_count: int = defaults.MAX_COUNT,
    categories: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[Topic]:
    """Turn ``-k`` values into topics: advanced queries stay as written, phrases are quoted."""
    topics = []
    for raw in keywords:
        text = " ".join(raw.split())
        if not text:
            raise ConfigError("A topic given with -k/--keyword is empty; remove it or fill it in.")
        query = arxiv_query.topic_query(text, categories=categories, exclude=exclude)
        topics.append(Topic(name=text, query=query, max_count=max_count))
    return topics


def _string_list(value: object, *, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ConfigError(f"{where} must be a string or a list of strings.")
    items = [" ".join(str(v).split()) for v in value]
    if any(not item for item in items):
        raise ConfigError(f"{where} contains an empty entry; remove it.")
    return items


def _topic_from_mapping(
    entry: Mapping[str, Any],
    *,
    where: str,
    max_count: int,
    categories: list[str],
    exclude: list[str],
) -> Topic:
    _refuse_unknown_keys(entry, _TOPIC_KEYS, what=f"{where} has unknown key")
    has_query = entry.get("query") is not None
    has_keywords = entry.get("keywords") is not None
    authors = _string_list(entry.get("authors"), where=f"{where} 'authors'")
    if has_query and has_keywords:
        raise ConfigError(f"{where} has both 'query' and 'keywords'; keep one of them.")
    if not (has_query or has_keywords or authors):
        raise ConfigError(f"{where} needs 'keywords', 'query' or 'authors'.")
    by_authors = " OR ".join(dict.fromkeys(author_query(a) for a in authors)) if authors else None
    cats = _string_list(entry.get("categories"), where=f"{where} 'categories'") or categories
    excl = _string_list(entry.get("exclude"), where=f"{where} 'exclude'") or exclude
    count = (
        check_count(entry["max-count"], source=f"{where} 'max-count'")
        if entry.get("max-count") is not None
        else max_count
    )
    if has_query:
        raw = entry["query"]
        if not isinstance(raw, str) or not raw.strip():
            raise ConfigError(f"{where} 'query' must be a non-empty string.")
        main = raw if by_authors is None else f"({raw}) AND ({by_authors})"
        query = arxiv_query.build_query(advanced=main, categories=cats, exclude=excl)
        default_name = " ".join(raw.split())
    elif not has_keywords:
        assert by_authors is not None
        query = arxiv_query.build_query(advanced=by_authors, categories=cats, exclude=excl)
        default_name = ", ".join(authors)
    else:
        phrases = _string_list(entry["keywords"], where=f"{where} 'keywords'")
        if not phrases:
            raise ConfigError(f"{where} 'keywords' is empty; list at least one phrase.")
        if by_authors is None:
            query = arxiv_query.build_query(phrases=phrases, categories=cats, exclude=excl)
        else:
            either = " OR ".join(dict.fromkeys(arxiv_query.phrase_clause(p) for p in phrases))
            main = f"({either}) AND ({by_authors})"
            query = arxiv_query.build_query(advanced=main, categories=cats, exclude=excl)
        default_name = ", ".join(phrases)
    name = entry.get("name")
    if name is None:
        name = default_name
    if not isinstance(name, (str, int, float)) or not " ".join(str(name).split()):
        raise ConfigError(f"{where} 'name' must be a non-empty string.")
    return Topic(
        name=" ".join(str(name).split()),
        query=query,
        max_count=count,
        authors=tuple(authors),
        sort=_sort(entry.get("sort"), where=where),
    )


def _sort(value: object, *, where: str) -> str | None:
    """A topic's ``sort:`` (``date`` or ``relevance``), or None when it has none."""
    if value is None:
        return None
    if not isinstance(value, str) or value.strip().lower() not in defaults.SORTS:
        raise ConfigError(
            f"{where} 'sort' must be {' or '.join(defaults.SORTS)}, got {value!r}.",
            did_you_mean(str(value), defaults.SORTS),
        )
    return value.strip().lower()


def topics_from_file(
    text: str,
    *,
    path: str,
    max_count: int = defaults.MAX_COUNT,
    categories: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[Topic]:
    """Parse a YAML topics file (see the module docstring) into topics.

    ``max_count``/``categories``/``exclude`` are the command-line defaults; the file's own
    top-level values override them, and each topic's values override those.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(
            f"Topics file {path} is not valid YAML{where}: {getattr(exc, 'problem', exc)}."
        ) from None
    default_count = max_count
    default_cats = list(categories)
    default_excl = list(exclude)
    if isinstance(data, dict):
        _refuse_unknown_keys(
            data,
            _FILE_KEYS,
            what=f"Topics file {path} has unknown top-level key",
            suggest=_FILE_KEYS | _TOPIC_KEYS,
        )
        if data.get("max-count") is not None:
            default_count = check_count(data["max-count"], source=f"{path} 'max-count'")
        default_cats = (
            _string_list(data.get("categories"), where=f"{path} 'categories'") or default_cats
        )
        default_excl = _string_list(data.get("exclude"), where=f"{path} 'exclude'") or default_excl
        entries = data.get("topics")
    else:
        entries = data
    if not isinstance(entries, list) or not entries:
        raise ConfigError(
            f"Topics file {path} must list at least one topic under 'topics:' (or be a list)."
        )
    topics = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path} topic #{index}"
        if isinstance(entry, (str, int, float)) and not isinstance(entry, bool):
            topics.extend(
                topics_from_keywords(
                    [str(entry)],
                    max_count=default_count,
                    categories=default_cats,
                    exclude=default_excl,
                )
            )
        elif isinstance(entry, dict):
            topics.append(
                _topic_from_mapping(
                    entry,
                    where=where,
                    max_count=default_count,
                    categories=default_cats,
                    exclude=default_excl,
                )
            )
        else:
            raise ConfigError(f"{where} must be a phrase or a mapping with 'name' and 'keywords'.")
    return topics


def check_topics(topics: Sequence[Topic]) -> list[Topic]:
    """Reject an empty topic list and duplicate names (they would share one section)."""
    if not topics:
        raise ConfigError("No topics given; pass -k/--keyword at least once or a --topics-file.")
    seen: set[str] = set()
    for topic in topics:
        key = topic.name.casefold()
        if key in seen:
            raise ConfigError(
                f"Topic {topic.name!r} is listed twice; give each topic a unique name."
            )
        seen.add(key)
    return list(topics)
