"""The site with a library: For you first, relevance topics best first, scores only where the
newest run's order is shown, text only, and no byte changed for a site without one.

Built by tests/site_data.py's ``build_ranked``: real recorded papers plus SYNTHETIC hostile
ones, ranked by the real ranker against a library file of tests/fixtures.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from typing import Any

import pytest

from daily_papers.archive import file_papers
from daily_papers.ranked_view import RankedView
from daily_papers.site.ranked import SCORES_FILE, ranked_pages, site_ranking
from daily_papers.site.render import SiteOptions, build_site
from daily_papers.site.structure import paper_anchor, plan_site, topic_page_path, topic_slug
from daily_papers.template_context import FOR_YOU
from tests.site_data import (
    DAY,
    FOLLOWED,
    OUTSIDER_TITLE,
    SITE_URL,
    Built,
    build_ranked,
    outsider,
    ranked_run,
    site_archive,
    site_files,
)


@pytest.fixture(scope="module")
def ranked() -> Built:
    return build_ranked()


def _anchors(html: str) -> list[str]:
    return re.findall(r'<article class="paper" id="([^"]+)"', html)


def _section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_for_you_comes_first_best_first_with_score_and_why(ranked: Built) -> None:
    files, view, _outcomes = ranked
    index = files["index.html"].decode()
    assert index.index('id="for-you"') < index.index('aria-label="Topics"')
    section = _section(index, 'id="for-you"', "</section>")
    assert len(view.for_you) == 3
    assert view.for_you[0].id == outsider().id  # the paper no keyword matched leads
    assert _anchors(section) == [paper_anchor(p.id) for p in view.for_you]
    shown = re.findall(r'<span class="value">([^<]+)</span>', section)
    assert shown == [f"{view.scores[p.id].value:.3f}" for p in view.for_you]
    assert [float(s) for s in shown] == sorted((float(s) for s in shown), reverse=True)
    assert "like “Compilers for Tensor Programs”: " in section
    assert "Scores are from the run of" in section
    assert DAY in section
    # the outsider's markup is text
    assert "<script>window" not in index
    assert "Compilers for &lt;script&gt;window.__pwned = 2&lt;/script&gt; tensor" in section


def test_a_relevance_topic_lists_the_days_papers_in_the_views_order(ranked: Built) -> None:
    files, view, outcomes = ranked
    best = [paper_anchor(p.id) for p in outcomes[0].papers]
    assert best != sorted(best)  # not simply the date order
    page = files[f"{topic_page_path('testing')}index.html"].decode()
    section = _section(page, 'class="ranked-topic"', "</section>")
    assert _anchors(section) == best
    assert f"{len(best)} papers shown on {DAY}, best first" in section
    values = re.findall(r'<span class="value">([^<]+)</span>', section)
    assert values == [f"{view.scores[p.id].value:.3f}" for p in outcomes[0].papers]
    # the front page shows the same order, cut like any topic there
    index = files["index.html"].decode()
    own = _section(index, 'id="h-testing', "</section>")
    assert _anchors(own) == best[:5]


def test_scores_show_only_on_the_newest_pages(ranked: Built) -> None:
    files, _view, _outcomes = ranked
    plain = site_files(feed=None)
    for path in (
        f"{topic_page_path('testing')}2026-11.html",
        f"{topic_page_path('testing')}2026-10.html",
        f"{topic_page_path(FOLLOWED[1])}index.html",  # sorted by date
    ):
        page = files[path].decode()
        assert 'class="score"' not in page, path
        assert _anchors(page) == _anchors(plain[path].decode()), path
    other = _section(
        files["index.html"].decode(), f'id="h-{topic_slug(FOLLOWED[1])}"', "</section>"
    )
    assert _anchors(other)
    assert 'class="score"' not in other


def test_the_search_gets_the_days_scores_by_anchor(ranked: Built) -> None:
    files, view, outcomes = ranked
    table = json.loads(files[SCORES_FILE])
    assert table["day"] == DAY
    shown = {p.id for o in outcomes for p in o.papers} | {p.id for p in view.for_you}
    expected = {
        paper_anchor(pid): [f"{view.scores[pid].value:.3f}", view.scores[pid].why()]
        for pid in shown
    }
    assert table["marks"] == expected  # the outsider no topic matched too
    assert paper_anchor(outsider().id) in table["marks"]
    js = files["assets/ranked.js"].decode()
    assert "innerHTML" not in js
    assert "textContent" in js
    assert '<script src="assets/ranked.js" defer></script>' in files["index.html"].decode()


def _search_rows(files: dict[str, bytes]) -> list[dict[str, Any]]:
    manifest = json.loads(files["search/manifest.json"])
    rows = []
    for n in range(-(-manifest["papers"] // manifest["chunk_size"])):
        rows += [
            dict(zip(manifest["fields"], row, strict=True))
            for row in json.loads(files[f"search/d/{n}.json"])
        ]
    return rows


def test_a_for_you_paper_no_topic_matched_is_in_the_search_and_on_the_for_you_page(
    ranked: Built,
) -> None:
    files, view, _outcomes = ranked
    plain = _search_rows(site_files(feed=None))
    rows = _search_rows(files)
    assert len(rows) == len(plain) + 1  # the outsider; the other For you papers are a topic's
    page = topic_page_path(FOR_YOU)
    found = [r for r in rows if r["title"] == OUTSIDER_TITLE]
    assert found == [
        {
            **found[0],
            "topics": [FOR_YOU],
            "url": f"{page}2026-11.html#{paper_anchor(outsider().id)}",
        }
    ]
    # a For you paper a topic also showed is marked For you, and links to its topic's page
    matched = next(p for p in view.for_you if p.id != outsider().id)
    row = next(r for r in rows if r["abs"] == matched.link)
    assert FOR_YOU in row["topics"]
    assert "testing" in row["topics"]
    assert str(row["url"]).startswith(topic_page_path("testing"))
    # its words find it: the shard of "compilers" lists it
    manifest = json.loads(files["search/manifest.json"])
    prefix = max((s for s, _ in manifest["shards"] if "compilers".startswith(s)), key=len)
    shard = json.loads(files[f"search/s/{prefix.encode().hex()}.json"])
    numbers = list(itertools.accumulate(int(n) for n in shard["compilers"].split(",")))
    assert rows.index(found[0]) in numbers
    # the For you page: the day's For you best first with scores, then every paper by month
    own = files[f"{page}index.html"].decode()
    assert "Every paper For you has shown" in own
    assert "no longer followed" not in own
    best = _section(own, 'class="ranked-topic"', "</section>")
    assert _anchors(best) == [paper_anchor(p.id) for p in view.for_you]
    month = files[f"{page}2026-11.html"].decode()
    assert set(_anchors(month)) == {paper_anchor(p.id) for p in view.for_you}
    assert 'class="score"' not in month
    # the front page links it from For you, not from the topics
    index = files["index.html"].decode()
    section = _section(index, 'id="for-you"', "</section>")
    assert f'<a href="{page}">All 3 papers For you has shown</a>' in section
    toc = _section(index, 'aria-label="Topics"', "</nav>")
    assert page not in toc


def test_without_for_you_an_archived_for_you_history_is_a_topic_no_longer_followed() -> None:
    """For you turned off later (the library removed): its papers stay on the site and in the
    search, as any removed topic's do, under a notice that says For you is off (it never was
    a topic of the configuration)."""
    _plan, view, _outcomes = ranked_run()
    filed = file_papers(site_archive(), {FOR_YOU: view.filed(DAY)}, today=DAY).archive
    plan = plan_site(filed, FOLLOWED)
    assert plan.for_you is None
    files = build_site(plan, SiteOptions(site_url=SITE_URL, title="t", last_update=DAY))
    own = files[f"{topic_page_path(FOR_YOU)}index.html"].decode()
    assert "For you is off" in own
    assert "This topic is no longer followed" not in own
    assert paper_anchor(outsider().id) in own
    nav = _section(files["index.html"].decode(), "No longer followed", "</p>")
    assert f'<a href="{topic_page_path(FOR_YOU)}">For you</a>' in nav


def test_for_you_off_shows_no_section_and_an_empty_one_says_so() -> None:
    plan, view, outcomes = ranked_run(for_you_count=0)
    ranking = site_ranking(view, outcomes, day=DAY)
    assert ranking is not None
    assert ranking.for_you is None
    options = SiteOptions(site_url=SITE_URL, title="t", last_update=DAY)
    files = build_site(plan, options, ranked_pages(ranking, plan))
    assert 'id="for-you"' not in files["index.html"].decode()
    empty = ranked_pages(ranking, plan)
    empty = replace(empty, for_you=())
    index = build_site(plan, options, empty)["index.html"].decode()
    assert "No papers for you today." in index


def test_without_a_ranking_the_site_is_byte_identical() -> None:
    """Nothing ranked to show (a library, but neither For you nor sort: relevance) is no
    ranking at all; and a site built without one has none of the ranked files."""
    plan, view, outcomes = ranked_run(for_you_count=0)
    plain_view = RankedView(view.scores, frozenset(), (), 0, view.pool)
    assert site_ranking(plain_view, outcomes, day=DAY) is None
    options = SiteOptions(site_url=SITE_URL, title="Octo's papers", last_update="2026-11-26")
    files = build_site(plan, options)
    assert files == site_files(feed=None)
    assert not {SCORES_FILE, "assets/ranked.js", "assets/ranked.css"} & set(files)
    assert b"ranked" not in files["index.html"]


def test_a_hostile_why_is_text_on_the_pages_and_in_the_scores_file() -> None:
    """The why quotes the library's own titles: markup in a .bib title stays text."""
    plan, view, outcomes = ranked_run()
    ranking = site_ranking(view, outcomes, day=DAY)
    assert ranking is not None
    hostile = 'like “<img src=x onerror="alert(1)">”: </p><script>'
    marks = dict.fromkeys(ranking.marks, (0.5, hostile))
    pages = ranked_pages(replace(ranking, marks=marks), plan)
    files = build_site(plan, SiteOptions(site_url=SITE_URL, title="t", last_update=DAY), pages)
    index = files["index.html"].decode()
    assert "<img src=x" not in index
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;”: &lt;/p&gt;&lt;script&gt;" in index
    table = json.loads(files[SCORES_FILE])
    assert set(map(tuple, table["marks"].values())) == {("0.500", hostile)}
