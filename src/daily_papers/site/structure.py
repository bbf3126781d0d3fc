"""The static site's structure and search index, computed from the archive (pure, no I/O).

The site is for what the README cannot hold: a topic's whole history and a search over it.
GitHub Pages serves static files only, so the search runs in the browser and the index is
split so that a query downloads only what it needs:

``search/manifest.json``
    The shard list (each shard's token prefix and size), the chunk size, the stop words and
    the record field names.  Small, fetched once.
``search/s/<hex of the prefix's UTF-8>.json``
    ``{token: postings}`` for every token under one prefix.  Postings are the numbers of the
    papers containing the token, ascending, delta-encoded as decimal text (``"0,3,1"`` is papers
    0, 3, 4).  A prefix whose tokens exceed :data:`SHARD_BUDGET` bytes is split by one more
    character, so shard sizes stay bounded however large the archive grows (up to a prefix
    of :data:`_MAX_PREFIX` characters, which keeps file names short).
``search/d/<n>.json``
    Papers ``n*CHUNK_SIZE`` to ``(n+1)*CHUNK_SIZE - 1``: what a result shows, as arrays in the
    manifest's field order.  Paper numbers run newest first, so the first results of a query
    cluster in the first chunks.

Tokens are the words of :func:`daily_papers.tex.fold` over title, abstract, authors, venue
(journal reference) and comment, without :data:`SITE_SEARCH_STOP_WORDS` (single letters too):
the page folds the query the same way, fetches the shard of each word (the last word also matches
as a prefix), intersects, then fetches only the chunks of the results it shows.  A word
longer than :data:`~daily_papers.defaults.MAX_TOKEN_LENGTH` characters is indexed, and
looked up, by its first that many (the manifest's ``max_token``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import filterfalse

from daily_papers.archive import Archive, ArchiveRecord
from daily_papers.defaults import MAX_TOKEN_LENGTH
from daily_papers.links import links_of
from daily_papers.models import newest_first_key
from daily_papers.template_context import FOR_YOU, SHORT_AUTHORS
from daily_papers.tex import decode_accents, fold
from daily_papers.venue import venue as venue_of_paper

__all__ = [
    "CHUNK_SIZE",
    "INDEX_NEWEST",
    "SHARD_BUDGET",
    "SITE_SEARCH_STOP_WORDS",
    "SitePaper",
    "SitePlan",
    "TopicPage",
    "default_site_url",
    "plan_site",
    "search_index",
    "site_page_url",
    "topic_page_path",
    "topic_slug",
    "word_set",
]

#: Papers per topic on the site's front page (the README shows the same newest ones).
INDEX_NEWEST = 5
#: Papers on a topic's own page before the list of months.
TOPIC_NEWEST = 25
#: Papers per record chunk: a page of 20 results touches at most 20 chunks of ~15 KB.
CHUNK_SIZE = 32
#: Largest shard, in bytes, before its prefix is split by one more character.
SHARD_BUDGET = 96_000
#: Longest shard prefix, in characters: its file name, 2 hex digits for each of up to 4 UTF-8
#: bytes a character, plus ``.json``, stays within 255 bytes.
_MAX_PREFIX = (255 - len(".json")) // 8
#: A prefix match on the last query word reads at most this many shard bytes.
PREFIX_BUDGET = 400_000
#: Results the page shows at once (and per "More results").
RESULTS_PER_PAGE = 20
#: The shortest last word that also matches as a prefix (``diff`` finds ``diffusion``).
MIN_PREFIX = 3
#: Words too common to narrow a search on the site, and single ASCII letters and digits
#: (``x``, ``2``); not arXiv's stop words (:data:`daily_papers.query.analysis.STOP_WORDS`):
#: left out of the site's index and of its queries.
SITE_SEARCH_STOP_WORDS: frozenset[str] = frozenset(
    [
        *"abcdefghijklmnopqrstuvwxyz0123456789",
        *("an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "for", "from"),
        *("has", "have", "in", "into", "is", "it", "its", "not", "of", "on", "or", "our"),
        *("such", "than", "that", "the", "their", "these", "this", "to", "using", "via"),
        *("was", "we", "were", "which", "with"),
    ]
)
_STOP_BYTES = frozenset(word.encode() for word in SITE_SEARCH_STOP_WORDS)
#: The record fields of a chunk, in order (the page reads them by name from the manifest).
RECORD_FIELDS: tuple[str, ...] = (
    "title",
    "authors",
    "date",
    "venue",
    "comment",
    "url",
    "abs",
    "pdf",
    "code",
    "topics",
)

_SLUG_WORDS = re.compile(r"[a-z0-9]+")
_SLUG_LENGTH = 48
#: ASCII characters that are not letters or digits, as fold sees them: word separators.
_ASCII_SEPARATORS = bytes(32 if b < 128 and not chr(b).isalnum() else b for b in range(256))


def topic_slug(name: str) -> str:
    """The topic's directory name on the site: stable across runs and unique per name.

    Readable words from the name plus 8 hex digits of its SHA-256, so two names that fold to
    the same words (``LLM`` and ``llm``) still get different pages.
    """
    words = "-".join(_SLUG_WORDS.findall(fold(name)))[:_SLUG_LENGTH].strip("-") or "topic"
    return f"{words}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def topic_page_path(name: str) -> str:
    """The topic page's path relative to the site root, ending in ``/``."""
    return f"topics/{topic_slug(name)}/"


def default_site_url(repository: str) -> str:
    """GitHub Pages' address for ``owner/repo``: ``https://owner.github.io/repo/``.

    A repository named ``owner.github.io`` is the owner's root site.  Pages host names are
    lower-case; the path keeps the repository's case, as Pages serves it.
    """
    owner, _, repo = repository.partition("/")
    host = f"{owner.lower()}.github.io"
    if repo.lower() == host:
        return f"https://{host}/"
    return f"https://{host}/{repo}/"


def site_page_url(site_url: str, topic_name: str) -> str:
    """The absolute URL of a topic's page, for the README's "all papers" links."""
    return site_url.rstrip("/") + "/" + topic_page_path(topic_name)


def word_set(text: str) -> set[str]:
    """``set(fold(text).split())``: the words a paper is found by (see :func:`_byte_words`)."""
    return {word.decode("utf-8", "surrogatepass") for word in _byte_words(text, {})}


def _byte_words(text: str, cache: dict[bytes, list[bytes]]) -> set[bytes]:
    """:func:`word_set` as UTF-8 bytes, fast: the site build's hot spot (every abstract).

    Once TeX accents are decoded (the only rewrite that can reach across whitespace:
    ``\\c c``), folding never joins words across whitespace or ASCII punctuation, so the ASCII
    words between those are already folded once lower-cased; only the non-ASCII chunks
    (between ASCII whitespace) need :func:`fold`, each once per ``cache``.  On bytes every loop
    runs in C but the last (``str.translate`` leaves C's fast path at the first non-ASCII
    character), and words stay bytes until the index is written.
    """
    if "\\" in text:
        text = decode_accents(text)
    data = text.encode("utf-8", "surrogatepass")
    result = set(filter(bytes.isascii, data.lower().translate(_ASCII_SEPARATORS).split()))
    if data.isascii():
        return result
    for chunk in set(filterfalse(bytes.isascii, data.split())):
        found = cache.get(chunk)
        if found is None:
            # accents are decoded already; a backslash left is punctuation, not a command
            word = chunk.decode("utf-8", "surrogatepass").replace("\\", " ")
            found = cache[chunk] = [w.encode("utf-8", "surrogatepass") for w in fold(word).split()]
        result.update(found)
    return result


def paper_anchor(paper_id: str) -> str:
    """The HTML id of a paper on a page (``hep-th/9901001`` becomes ``p-hep-th-9901001``)."""
    return "p-" + paper_id.replace("/", "-")


@dataclass(frozen=True)
class SitePaper:
    """What a page shows of a paper; all text still unescaped (the templates escape it)."""

    id: str
    anchor: str
    title: str
    abstract: str
    authors: tuple[str, ...]
    date: str
    updated_date: str
    versioned_id: str
    venue: str | None
    comment: str | None
    doi: str | None
    categories: tuple[str, ...]
    abs_url: str
    pdf_url: str
    code_url: str | None
    topics: tuple[str, ...]
    month: str
    tldr: str | None = None  # the one-line summary, when there is one

    @classmethod
    def of(cls, record: ArchiveRecord, tldr: str | None = None) -> SitePaper:
        """The view of one archive record."""
        paper = record.paper
        code = links_of(paper)
        return cls(
            id=paper.id,
            anchor=paper_anchor(paper.id),
            title=paper.title,
            abstract=paper.abstract,
            authors=tuple(decode_accents(a) for a in paper.authors),
            date=paper.published_day,
            updated_date=paper.updated_day,
            versioned_id=paper.versioned_id,
            venue=venue_of_paper(paper),
            comment=paper.comment,
            doi=paper.doi,
            categories=paper.categories,
            abs_url=paper.link,
            pdf_url=paper.pdf_link,
            code_url=code.code[0] if code.code else code.project_page,
            topics=record.topics,
            month=record.month,
            tldr=tldr,
        )


@dataclass(frozen=True)
class TopicPage:
    """One topic: its papers by month (newest month first, newest paper first in each)."""

    name: str
    slug: str
    followed: bool
    months: tuple[tuple[str, tuple[SitePaper, ...]], ...]
    #: The For you history (the papers For you has shown), not a configured topic: linked
    #: from the front page's For you section rather than listed with the topics.
    for_you: bool = False

    @property
    def former_for_you(self) -> bool:
        """The For you history of a site whose run no longer shows For you (the library or
        ``for-you-count`` was removed): its notice must not call it a configured topic."""
        return not self.followed and self.name == FOR_YOU

    @property
    def path(self) -> str:
        """The page's directory relative to the site root."""
        return f"topics/{self.slug}/"

    @property
    def count(self) -> int:
        """How many papers the topic has ever shown."""
        return sum(len(papers) for _, papers in self.months)

    def newest(self, count: int) -> tuple[SitePaper, ...]:
        """The topic's ``count`` newest papers by first-version date."""
        every = [p for _, papers in self.months for p in papers]
        every.sort(key=lambda p: (p.date, p.id), reverse=True)
        return tuple(every[:count])


@dataclass(frozen=True)
class SitePlan:
    """Every page of the site: the followed topics in configuration order, then the others."""

    topics: tuple[TopicPage, ...]
    papers: tuple[SitePaper, ...]  # each paper once, newest first: the search's numbering

    @property
    def for_you(self) -> TopicPage | None:
        """The For you page, when the run shows For you."""
        return next((t for t in self.topics if t.for_you), None)

    def page_of(self, paper: SitePaper) -> str:
        """Where a search result links: its month page under its first listed topic."""
        _, path = min(self._pages[name] for name in paper.topics)
        return f"{path}{paper.month}.html#{paper.anchor}"

    @functools.cached_property
    def _pages(self) -> dict[str, tuple[int, str]]:
        return {t.name: (i, t.path) for i, t in enumerate(self.topics)}


def _paper_sort_key(record: ArchiveRecord) -> tuple[object, ...]:
    return newest_first_key(record.paper)


def plan_site(
    archive: Archive,
    followed: Sequence[str],
    summaries: Mapping[str, str] | None = None,
    *,
    for_you: bool = False,
) -> SitePlan:
    """Lay out the site: a page per topic (followed ones first, in order), papers by month.

    ``followed`` are the configured topic names; a followed topic with no papers yet still
    gets a page, and an archived topic not in ``followed`` is marked as no longer followed.
    With ``for_you`` (the run shows For you), the papers filed under
    :data:`~daily_papers.template_context.FOR_YOU` get the For you page, after the followed
    topics; without it such papers are a topic no longer followed, like any other.
    ``summaries`` (by versioned id) are the one-line summaries the papers show.
    Slugs are checked for collisions so no page silently overwrites another.
    """
    ordered = sorted(archive.records, key=_paper_sort_key, reverse=True)
    tldrs = summaries or {}
    views = {r.paper.id: SitePaper.of(r, tldrs.get(r.paper.versioned_id)) for r in ordered}
    by_topic: dict[str, dict[str, list[SitePaper]]] = defaultdict(lambda: defaultdict(list))
    for record in ordered:
        for topic in record.topics:
            by_topic[topic][record.month].append(views[record.paper.id])
    names = list(dict.fromkeys(followed))
    if for_you and FOR_YOU not in names:
        names.append(FOR_YOU)
    names += sorted(set(by_topic) - set(names))
    pages = []
    slugs: dict[str, str] = {}
    for name in names:
        slug = topic_slug(name)
        if slug in slugs:  # 32 bits of SHA-256 after equal words: a bug worth a traceback
            raise ValueError(f"topics {slugs[slug]!r} and {name!r} share the slug {slug}")
        slugs[slug] = name
        months = by_topic.get(name, {})
        pages.append(
            TopicPage(
                name=name,
                slug=slug,
                followed=name in followed or (for_you and name == FOR_YOU),
                months=tuple((m, tuple(months[m])) for m in sorted(months, reverse=True)),
                for_you=for_you and name == FOR_YOU and name not in followed,
            )
        )
    return SitePlan(topics=tuple(pages), papers=tuple(views.values()))


def _encode_postings(numbers: list[int]) -> str:
    return ",".join(map(str, map(operator.sub, numbers, [0, *numbers])))


def _tokens(paper: SitePaper, cache: dict[bytes, list[bytes]]) -> set[bytes]:
    text = " ".join(
        (
            paper.title,
            paper.abstract,
            " ".join(paper.authors),
            paper.venue or "",
            paper.comment or "",
        )
    )
    return _byte_words(text, cache) - _STOP_BYTES


def _cut_long_words(postings: dict[bytes, list[int]]) -> dict[bytes, list[int]]:
    """Each word longer than :data:`MAX_TOKEN_LENGTH` characters filed under its first
    characters, their postings merged; the page cuts query words the same way."""
    cut: dict[bytes, set[int]] = defaultdict(set)
    for word in [w for w in postings if len(w) > MAX_TOKEN_LENGTH]:  # bytes >= characters
        text = word.decode("utf-8", "surrogatepass")
        if len(text) > MAX_TOKEN_LENGTH:
            cut[text[:MAX_TOKEN_LENGTH].encode("utf-8", "surrogatepass")].update(postings.pop(word))
    for word, numbers in cut.items():
        postings[word] = sorted(numbers.union(postings.get(word, ())))
    return postings


def _shard_of(prefix: str) -> str:
    return prefix.encode("utf-8").hex()


def _split(first: str, tokens: list[str], sizes: Mapping[str, int]) -> dict[str, list[str]]:
    """The shards of the tokens starting with ``first``: prefix -> its tokens.

    A prefix whose tokens exceed :data:`SHARD_BUDGET` is split by one more character, the
    token equal to the prefix keeping the prefix's shard; a prefix of :data:`_MAX_PREFIX`
    characters is never split, so a shard's file name stays within a file system's 255 bytes
    however many words share a long beginning.  A loop over pending prefixes, not recursion:
    a hostile word cannot exhaust the stack.
    """
    out: dict[str, list[str]] = {}
    pending = [(first, tokens)]
    while pending:
        prefix, members = pending.pop()
        if (
            len(prefix) >= _MAX_PREFIX
            or sum(sizes[t] for t in members) <= SHARD_BUDGET
            or all(len(t) <= len(prefix) for t in members)
        ):
            out[prefix] = members
            continue
        groups: dict[str, list[str]] = defaultdict(list)
        for token in members:
            if len(token) <= len(prefix):
                out[prefix] = [token]
            else:
                groups[token[: len(prefix) + 1]].append(token)
        pending.extend(groups.items())
    return out


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def search_index(plan: SitePlan, *, base: str = "search/") -> dict[str, bytes]:
    """The search files of :data:`plan`, by path relative to the site root (see module doc)."""
    postings: dict[bytes, list[int]] = defaultdict(list)
    cache: dict[bytes, list[bytes]] = {}
    for number, paper in enumerate(plan.papers):
        for word in _tokens(paper, cache):  # some 13 million pairs for 100,000 papers
            postings[word].append(number)
    encoded = {
        word.decode("utf-8", "surrogatepass"): _encode_postings(numbers)
        for word, numbers in _cut_long_words(postings).items()
    }
    sizes = {token: len(token.encode()) + len(text) + 6 for token, text in encoded.items()}
    by_first: dict[str, list[str]] = defaultdict(list)
    for token in sorted(encoded):
        by_first[token[0]].append(token)
    groups: dict[str, list[str]] = {}
    for first, tokens in by_first.items():
        groups.update(_split(first, tokens, sizes))
    files: dict[str, bytes] = {}
    shards: list[list[object]] = []
    for prefix in sorted(groups):
        data = _json({t: encoded[t] for t in groups[prefix]})
        files[f"{base}s/{_shard_of(prefix)}.json"] = data
        shards.append([prefix, len(data)])
    for start in range(0, len(plan.papers), CHUNK_SIZE):
        rows = [_record(plan, p) for p in plan.papers[start : start + CHUNK_SIZE]]
        files[f"{base}d/{start // CHUNK_SIZE}.json"] = _json(rows)
    files[f"{base}manifest.json"] = _json(
        {
            "chunk_size": CHUNK_SIZE,
            "fields": list(RECORD_FIELDS),
            "max_token": MAX_TOKEN_LENGTH,
            "min_prefix": MIN_PREFIX,
            "papers": len(plan.papers),
            "per_page": RESULTS_PER_PAGE,
            "prefix_budget": PREFIX_BUDGET,
            "shards": shards,
            "stop_words": sorted(SITE_SEARCH_STOP_WORDS),
        }
    )
    return files


def _record(plan: SitePlan, paper: SitePaper) -> list[object]:
    short = list(paper.authors[:SHORT_AUTHORS])
    if len(paper.authors) > SHORT_AUTHORS:
        short.append("et al.")
    values: dict[str, object] = {
        "title": paper.title,
        "authors": ", ".join(short),
        "date": paper.date,
        "venue": paper.venue or "",
        "comment": paper.comment or "",
        "url": plan.page_of(paper),
        "abs": paper.abs_url,
        "pdf": paper.pdf_url,
        "code": paper.code_url or "",
        "topics": list(paper.topics),
    }
    return [values[name] for name in RECORD_FIELDS]
