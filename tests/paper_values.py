"""Small hand-made Paper values for unit tests of the pure core (merge, state, update).

Tests that need realistic text use recorded arXiv responses instead; these exist to make
merge rules readable (ids, versions and dates chosen by the test).
"""

from __future__ import annotations

from datetime import datetime, timezone

from daily_papers.models import Paper


def make_paper(
    pid: str,
    *,
    version: int = 1,
    day: int = 1,
    title: str | None = None,
    comment: str | None = None,
    abstract: str = "An abstract.",
    authors: tuple[str, ...] = ("A. Author",),
) -> Paper:
    """A paper first submitted on 2026-11-<day>, updated with its version number."""
    published = datetime(2026, 11, day, 12, 0, tzinfo=timezone.utc)
    updated = datetime(2026, 11, day, 12 + version - 1, 0, tzinfo=timezone.utc)
    return Paper(
        id=pid,
        version=version,
        title=title if title is not None else f"Paper {pid}",
        abstract=abstract,
        authors=authors,
        published=published,
        updated=updated,
        primary_category="cs.CL",
        categories=("cs.CL",),
        comment=comment,
        abs_url=f"https://arxiv.org/abs/{pid}v{version}",
        pdf_url=f"https://arxiv.org/pdf/{pid}v{version}",
    )
