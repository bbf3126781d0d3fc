"""Where a summary shows, it is escaped remote text: it cannot break a table, forge HTML or
a link, and a paper without one renders exactly as before."""

from __future__ import annotations

from daily_papers import bodies
from daily_papers.atom_feed import render_feed
from daily_papers.render import Renderer
from daily_papers.template_context import RenderTopic
from tests.papers import TESTING_100, recorded_papers

PAPERS = recorded_papers(TESTING_100)[:3]
HOSTILE = "Breaks | tables <script>x</script> <!-- daily-papers:end --> https://evil.example **b**"


def test_a_hostile_summary_stays_text_in_every_template() -> None:
    tldr = {PAPERS[0].versioned_id: HOSTILE}
    for renderer in (
        Renderer("default", columns=("title", "tldr")),
        Renderer("compact"),
        Renderer("list"),
    ):
        text = renderer.render([RenderTopic("t", PAPERS, summaries=tldr)], last_update="x")
        assert "Breaks \\| tables &lt;script&gt;" in text
        assert "<script>" not in text
        assert "<!-- daily-papers:end -->" not in text
        assert "](https://evil.example" not in text
        assert "\\*\\*b\\*\\*" in text


def test_papers_without_a_summary_render_as_without_the_feature() -> None:
    for renderer in (Renderer("compact"), Renderer("list"), Renderer()):
        plain = renderer.render([RenderTopic("t", PAPERS)], last_update="x")
        other = {"2101.00001v9": "A summary of a paper not shown."}
        assert renderer.render([RenderTopic("t", PAPERS, summaries=other)], last_update="x") == (
            plain
        )


def test_the_digest_and_the_feed_carry_the_summary_escaped() -> None:
    tldr = {PAPERS[0].versioned_id: HOSTILE}
    body = bodies.digest_body(
        [("t", p) for p in PAPERS], readme_url="https://x/README.md", summaries=tldr
    )
    assert body.count("<br>TL;DR: ") == 1
    assert "<script>" not in body
    feed = render_feed(PAPERS, feed_id="f", link="l", summaries=tldr).decode()
    assert '<summary type="text">Breaks | tables &lt;script&gt;' in feed
    assert feed.count('<content type="text">') == 1
    assert render_feed(PAPERS, feed_id="f", link="l") == render_feed(
        PAPERS, feed_id="f", link="l", summaries={}
    )
