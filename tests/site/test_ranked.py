"""The site with a library: For you first, relevance topics best first, scores only where the
newest run's order is shown, text only, and no byte changed for a site without one.

Built by tests/site_data.py's ``build_ranked``: real recorded papers plus SYNTHETIC hostile
ones, ranked by the real ranker against a library file of tests/fixtures.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from daily_papers.ranked_view import RankedView
from daily_papers.site.ranked import SCORES_FILE, ranked_pages, site_ranking
from daily_papers.site.render import SiteOptions, build_site
from daily_papers.site.structure import paper_anchor, topic_page_path, topic_slug
from tests.site_data import (
    DAY,
    FOLLOWED,
    SITE_URL,
    Built,
    build_ranked,
    outsider,
    ranked_run,
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
    # the outsider's markup is text; it links to arXiv, having no page of its own
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
    shown = {p.id for o in outcomes for p in o.papers}
    expected = {
        paper_anchor(pid): [f"{view.scores[pid].value:.3f}", view.scores[pid].why()]
        for pid in shown
    }
    assert table["marks"] == expected  # the outsider is on no page the search links to
    js = files["assets/ranked.js"].decode()
    assert "innerHTML" not in js
    assert "textContent" in js
    assert '<script src="assets/ranked.js" defer></script>' in files["index.html"].decode()
    assert files["search/manifest.json"] == site_files(feed=None)["search/manifest.json"]


def test_for_you_off_shows_no_section_and_an_empty_one_says_so() -> None:
    plan, view, outcomes = ranked_run(for_you_count=0)
    ranking = site_ranking(view, outcomes, day=DAY)
    assert ranking is not None
    assert ranking.for_you is None
    options = SiteOptions(site_url=SITE_URL, title="t", last_update=DAY)
    files = build_site(plan, options, ranked_pages(ranking, plan))
    assert 'id="for-you"' not in files["index.html"].decode()
    empty = ranked_pages(ranking, plan)
    empty = type(empty)(empty.day, (), (), empty.topics, empty.marks)
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
