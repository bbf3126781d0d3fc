"""A small site for the site tests: real recorded papers plus SYNTHETIC hostile ones.

Real papers are the 100-paper recorded page of tests/fixtures/render (see PROVENANCE.md
there), filed under two topics; the SYNTHETIC papers carry markup in every text field to prove
that nothing in them becomes HTML, and one belongs to a topic that is no longer followed.
The ranked site ranks them with the real ranker against tests/fixtures/library/zotero.bib (a
SYNTHETIC library in Zotero's export shape); its For you pool adds one SYNTHETIC paper no topic
matched, with markup in its title, that the library's words put first; the For you papers are
filed into the archive as the planner files them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from daily_papers import relevance
from daily_papers.archive import Archive, file_papers, load_archive, update_archive
from daily_papers.models import Paper, StoredPaper, Topic, TopicOutcome
from daily_papers.ranked_view import RankedView, Ranker
from daily_papers.site.ranked import ranked_pages, site_ranking
from daily_papers.site.render import SiteOptions, build_site, write_site
from daily_papers.site.structure import SitePlan, plan_site
from daily_papers.template_context import FOR_YOU
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


LIBRARY = Path(__file__).resolve().parent / "fixtures" / "library"
DAY = "2026-11-26"
OUTSIDER_TITLE = "Compilers for <script>window.__pwned = 2</script> tensor programs"


def outsider() -> Paper:
    """SYNTHETIC: announced the same day, matched by no topic, close to the library."""
    return synthetic_paper(
        41, title=OUTSIDER_TITLE, abstract="Compilers and programs for tensor programs."
    )


def ranked_run(for_you_count: int = 3) -> tuple[SitePlan, RankedView, list[TopicOutcome]]:
    """The site's plan and the view a run with the library gives: ``testing`` sorted by
    relevance, the other followed topic by date."""
    entries = relevance.load_library(["zotero.bib"], lambda p: (LIBRARY / p).read_bytes())
    archive = site_archive()
    shown = {
        name: tuple(r.paper for r in archive.records if name in r.topics and r.month == "2026-11")
        for name in FOLLOWED
    }
    topics = [Topic("testing", "all:testing", sort="relevance"), Topic(FOLLOWED[1], "all:graphs")]
    merged = [TopicOutcome(t, shown[t.name], len(shown[t.name]), ()) for t in topics]
    announced = (*shown["testing"], outsider())
    ranker = Ranker(
        relevance.scorer(entries), "date", for_you_count=for_you_count, announced=announced
    )
    view = ranker.view(merged)
    # as the planner does: the For you papers are filed under "For you"
    filed = file_papers(archive, {FOR_YOU: view.filed(DAY)}, today=DAY).archive
    plan = plan_site(filed, FOLLOWED, for_you=bool(for_you_count))
    return plan, view, list(view.apply(merged))


Built = tuple[dict[str, bytes], RankedView, list[TopicOutcome]]


def build_ranked(for_you_count: int = 3) -> Built:
    """The ranked site's files, with the view and the outcomes they show."""
    plan, view, outcomes = ranked_run(for_you_count)
    ranking = site_ranking(view, outcomes, day=DAY)
    assert ranking is not None
    options = SiteOptions(site_url=SITE_URL, title="Octo's papers", last_update=DAY)
    return build_site(plan, options, ranked_pages(ranking, plan)), view, outcomes


def write_ranked_site(directory: Path) -> Path:
    write_site(directory, build_ranked()[0], cwd=directory.parent)
    return directory
