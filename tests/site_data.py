"""A small site for the site tests: real recorded papers plus SYNTHETIC hostile ones.

Real papers are the 100-paper recorded page of tests/fixtures/render (see PROVENANCE.md
there), filed under two topics; the SYNTHETIC papers carry markup in every text field to prove
that nothing in them becomes HTML, and one belongs to a topic that is no longer followed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from daily_papers.archive import Archive, load_archive, update_archive
from daily_papers.models import StoredPaper
from daily_papers.site.render import SiteOptions, build_site, write_site
from daily_papers.site.structure import SitePlan, plan_site
from tests.papers import TESTING_100, recorded_papers, synthetic_paper

ARCHIVE_DIR = "papers-archive"
SITE_URL = "https://octo.github.io/papers/"
HOSTILE_TITLE = '<script>window.__pwned = 1</script> & "quotes" <img src=x onerror=alert(1)>'
FOLLOWED = ("testing", "Graphs & <b>bold</b>")
GONE = "Retired topic"


def hostile_paper() -> StoredPaper:
    """SYNTHETIC: markup in title, authors, comment, venue; a code link in the comment."""
    paper = replace(
        synthetic_paper(
            7,
            title=HOSTILE_TITLE,
            abstract="Zyxwvut abstract with </details> and <iframe src=//evil>.",
            comment="Code: https://github.com/octo/hostile. <a href=javascript:alert(1)>x</a>",
            authors=("Ren\\'e <b>Bold</b>", "Łukasz Ωmega"),
        ),
        journal_ref="Proc. <marquee>Venue</marquee> 2026",
    )
    return StoredPaper(paper=paper, first_seen="2026-11-25")


def site_archive() -> Archive:
    """Two runs' worth of archive: October's run, then November's with a removed topic."""
    real = recorded_papers(TESTING_100)
    october = {
        "testing": [StoredPaper(p, "2026-10-15") for p in real[:40]],
        GONE: [StoredPaper(synthetic_paper(3, title="Only in the retired topic"), "2026-10-20")],
    }
    files = update_archive({}, october, archive_dir=ARCHIVE_DIR, today="2026-10-20")
    november = {
        "testing": [StoredPaper(p, "2026-11-20") for p in real[40:]] + [hostile_paper()],
        FOLLOWED[1]: [StoredPaper(p, "2026-11-21") for p in real[60:70]],
    }
    files.update(update_archive(files, november, archive_dir=ARCHIVE_DIR, today="2026-11-26"))
    return load_archive(files, archive_dir=ARCHIVE_DIR)


def site_plan() -> SitePlan:
    return plan_site(site_archive(), FOLLOWED)


def site_files(*, feed: bytes | None = b"<feed/>\n") -> dict[str, bytes]:
    options = SiteOptions(
        site_url=SITE_URL, title="Octo's papers", last_update="2026-11-26", feed=feed
    )
    return build_site(site_plan(), options)


def write_test_site(directory: Path) -> Path:
    write_site(directory, site_files(), cwd=directory.parent)
    return directory
