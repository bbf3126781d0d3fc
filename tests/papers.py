"""The one paper factory of the tests: real papers from recorded responses, and synthetic ones.

Real papers come from ``tests/fixtures/render/*.xml`` (see PROVENANCE.md there) parsed with the
product's own :func:`daily_papers.arxiv.api_page.parse_page`.  Synthetic papers (hand-made values,
not recorded) come from :func:`make_paper`; every test that uses them says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from daily_papers.arxiv.api_page import parse_page
from daily_papers.models import Paper
from daily_papers.template_context import RenderTopic

FIXTURES = Path(__file__).parent / "fixtures" / "render"
GOLDEN = Path(__file__).parent / "golden"

TESTING_10 = "api-2026-all_testing-relevance-start0-max10.xml"
TESTING_100 = "api-2026-all_testing-relevance-start0-max100.xml"
SINGLE_IDS = (
    "api-2026-id_list-1707.08567-nonascii-author.xml",
    "api-2026-id_list-2104.12255v1-title-is-0.xml",
    "api-2026-id_list-astro-ph_0601001-oldstyle-id-affiliations-journalref.xml",
)
#: ``Last update`` used by every golden file.
GOLDEN_DATE = "2026-11-26"


def recorded_papers(name: str) -> tuple[Paper, ...]:
    """The papers of one recorded response, in feed order."""
    return parse_page((FIXTURES / name).read_bytes()).papers


#: Papers of the 100-paper page whose text is hard for Markdown: ``$ω$Test`` (2306.03845),
#: ``|`` in LaTeX (2405.11454, hep-ph/0301050), ``x_1``/``~`` (1706.00679), backticks and ``&``
#: (1907.06632), brackets (1912.04900, 2106.13414), ``<`` (1309.0683).
MARKDOWN_HEAVY_IDS = (
    "2306.03845",
    "2405.11454",
    "hep-ph/0301050",
    "1706.00679",
    "1907.06632",
    "1912.04900",
    "2106.13414",
    "1309.0683",
)


def golden_topics() -> tuple[RenderTopic, ...]:
    """The fixed input of the golden files: four topics, one of them empty.

    * "testing": the 10 papers of a recorded page (comments long and short, v2+, non-ASCII);
    * "LaTeX & symbols": :data:`MARKDOWN_HEAVY_IDS` from the 100-paper page;
    * "Single ids": three id_list answers (non-ASCII author, the title ``0``, an old-style id);
    * "Nothing yet": no papers, to pin the "No papers yet." line.
    """
    by_id = {p.id: p for p in recorded_papers(TESTING_100)}
    heavy = tuple(by_id[pid] for pid in MARKDOWN_HEAVY_IDS)
    singles = tuple(p for name in SINGLE_IDS for p in recorded_papers(name))
    return (
        RenderTopic("testing", recorded_papers(TESTING_10)),
        RenderTopic("LaTeX & symbols", heavy),
        RenderTopic("Single ids", singles),
        RenderTopic("Nothing yet", ()),
    )


def make_paper(
    pid: str,
    *,
    version: int = 1,
    day: int = 1,
    published: datetime | None = None,
    updated: datetime | None = None,
    title: str | None = None,
    abstract: str = "An abstract.",
    authors: tuple[str, ...] = ("A. Author",),
    primary: str = "cs.CL",
    categories: tuple[str, ...] | None = None,
    comment: str | None = None,
    **fields: Any,
) -> Paper:
    """A SYNTHETIC paper.

    Without ``published`` it was first submitted on 2026-11-<day> at noon and this version an
    hour per version later, so merge rules read naturally; URLs are arXiv's for that version.
    Any other :class:`Paper` field can be given by name.
    """
    first = published or datetime(2026, 11, day, 12, 0, tzinfo=timezone.utc)
    values: dict[str, Any] = {
        "id": pid,
        "version": version,
        "title": title if title is not None else f"Paper {pid}",
        "abstract": abstract,
        "authors": authors,
        "published": first,
        "updated": updated or first + timedelta(hours=version - 1),
        "primary_category": primary,
        "categories": categories if categories is not None else (primary,),
        "comment": comment,
        "abs_url": f"https://arxiv.org/abs/{pid}v{version}",
        "pdf_url": f"https://arxiv.org/pdf/{pid}v{version}",
    }
    values.update(fields)
    return Paper(**values)


_BASE = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)


def synthetic_paper(n: int, **fields: Any) -> Paper:
    """A SYNTHETIC paper number ``n`` (id ``2611.0000n``, first submitted ``n`` hours after a
    fixed instant, so higher ``n`` is newer), in cs.LG with the title "A title"."""
    values: dict[str, Any] = {"title": "A title", "primary": "cs.LG"}
    values.update(fields)
    return make_paper(f"2611.{n:05d}", published=_BASE + timedelta(hours=n), **values)
