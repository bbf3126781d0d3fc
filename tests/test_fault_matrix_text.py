"""Remote text that looks like something else (issue 24): bidi controls and odd link schemes.

Every paper made up here is SYNTHETIC; the end-to-end run serves the recorded API fixtures
with bidi controls written into their titles, authors and abstracts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daily_papers.atom_feed import render_feed
from daily_papers.bibtex import render_bibtex
from daily_papers.bodies import digest_body
from daily_papers.escape import escape_cell, neutral_bidi, one_line
from daily_papers.links import links_in
from daily_papers.models import Paper
from daily_papers.query.build import topic_query
from daily_papers.render import Renderer
from daily_papers.template_context import TABLE_COLUMNS, RenderTopic
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes
from tests.helpers import TOPICS
from tests.papers import synthetic_paper
from tests.test_cli_update import README, run, update_args

#: Every character that reorders text (U+202A-U+202E, U+2066-U+2069) and the marks.
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
MARKS = "\u200e\u200f\u061c"
HOSTILE = f"Safe {CONTROLS}gnp.exe{MARKS} title"


def _bidi_free(text: str) -> bool:
    return not any(ch in text for ch in CONTROLS + MARKS)


def _hostile_paper() -> Paper:
    return synthetic_paper(
        1,
        title=HOSTILE,
        abstract="An abstract \u202eevil\u202c end.",
        authors=("Ren\u202ee Bidi", "Plain Name"),
        comment="Code \u2067here\u2069",
        journal_ref="Proc. \u202dX\u202c 2026",
        doi="10.1234/a\u202eb",
    )


def test_a_paper_keeps_no_bidi_control_from_any_source() -> None:
    paper = _hostile_paper()
    assert paper.title == "Safe gnp.exe title"
    assert paper.authors == ("Rene Bidi", "Plain Name")
    for value in (paper.abstract, paper.comment, paper.journal_ref, paper.doi):
        assert value is not None
        assert _bidi_free(value)
    stored = paper.to_json() | {"title": HOSTILE}  # a data file written before the fix
    assert Paper.from_json(stored).title == "Safe gnp.exe title"


def test_marks_stay_next_to_right_to_left_letters_only() -> None:
    hebrew = "\u05e9\u05dc\u05d5\u05dd\u200f (2026)"
    assert neutral_bidi(hebrew) == hebrew
    assert neutral_bidi("Version\u200f 2\u200e") == "Version 2"
    assert neutral_bidi("\u05e9\u202e\u05dc") == "\u05e9\u05dc"  # overrides go regardless
    assert one_line("an error body \u202eevil") == "an error body evil"


@pytest.mark.parametrize("text", [HOSTILE, "a\u2066b", "\u200fx"])
def test_the_one_escaper_drops_them_too(text: str) -> None:
    assert _bidi_free(escape_cell(text))


def test_readme_atom_digest_and_bibtex_show_no_bidi_control() -> None:
    papers = (_hostile_paper(),)
    readme = Renderer("default", columns=TABLE_COLUMNS).render(
        [RenderTopic("t", papers)], last_update="2026-11-26"
    )
    assert "Safe gnp.exe title" in readme
    feed = render_feed(papers, feed_id="https://example.invalid/", link="https://example.invalid/")
    digest = digest_body([("t", papers[0])], readme_url="https://example.invalid/README.md")
    bib = render_bibtex(papers)
    for output in (readme, feed.decode(), digest, bib.decode()):
        assert _bidi_free(output)


def _served_with_bidi(fake: FakeArxiv) -> FakeArxiv:
    for name, fixture in TOPICS.items():
        body = fixture_bytes(fixture)
        body = body.replace(b"<title>", "<title>\u202e".encode(), 3)
        body = body.replace(b"<name>", "<name>\u2067".encode(), 3)
        fake.serve_feed(body, search_query=topic_query(name))
    return fake


def test_a_run_writes_no_bidi_control_into_any_output(
    tmp_path: Path, fake_arxiv: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README, data file, Atom, BibTeX, site pages and index, result JSON and standard
    output, from a feed carrying U+202E and U+2067."""
    served = _served_with_bidi(fake_arxiv)
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    outputs = ("--result-json", str(tmp_path / "result.json"), "--feed", "feed.xml")
    extra = ("--bibtex", "papers.bib", "--site-dir", "site", "--site-url", "https://o.github.io/p/")
    monkeypatch.chdir(tmp_path)  # the site folder must lie inside the working directory
    res = run(*update_args(readme, served, *outputs, *extra))
    assert res.status == 0, res.err
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) > 10
    assert {"README.md", "daily-papers.json", "feed.xml", "papers.bib", "result.json"} <= {
        p.name for p in written
    }
    for path in written:
        assert _bidi_free(path.read_text(encoding="utf-8")), path
    assert _bidi_free(res.out + res.err)
    assert json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))["new"]


@pytest.mark.parametrize("scheme", ["HTTPS://", "Https://", "hTTp://"])
def test_a_code_link_with_a_capital_scheme_is_normalised(scheme: str) -> None:
    found = links_in(f"Code: {scheme}GitHub.com/Owner/Repo and {scheme}team.github.io/p")
    assert found.code == (scheme.lower() + "GitHub.com/Owner/Repo",)
    assert found.project_page == scheme.lower() + "team.github.io/p"


def test_a_url_in_text_links_with_a_lower_case_scheme() -> None:
    assert escape_cell("See HTTPS://Example.org/x") == (
        "See [HTTPS://Example.org/x](https://Example.org/x)"
    )
