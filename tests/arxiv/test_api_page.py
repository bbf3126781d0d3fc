"""Parsing recorded arXiv API pages into Paper values (tests/fixtures/arxiv, see PROVENANCE.md)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from daily_papers.arxiv.api_page import AtomPage, MalformedFeedError, parse_page
from tests.fakes.arxiv_server import FIXTURES, TESTING_WALK, fixture_bytes


def page(name: str) -> AtomPage:
    return parse_page(fixture_bytes(name))


def test_normal_page() -> None:
    result = page("api-2026-all_testing-relevance-start0-max10.xml")
    assert (result.total_results, result.start_index, result.items_per_page) == (214881, 0, 10)
    assert result.entry_count == 10
    assert len(result.papers) == 10
    assert result.skipped == ()
    assert result.error is None
    first = result.papers[0]
    assert first.id == "2202.12139"
    assert first.version == 1
    assert first.title == (
        "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    )
    assert first.authors == ("Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker")
    assert first.published == datetime(2022, 2, 24, 15, 5, 19, tzinfo=timezone.utc)
    assert first.updated == first.published
    assert first.published.utcoffset() is not None
    assert first.primary_category == "cs.SE"
    assert first.categories == ("cs.SE", "cs.LG")
    assert first.comment == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022"
    assert first.journal_ref is not None
    assert first.journal_ref.startswith("Artificial Intelligence")
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert first.abs_url == "https://arxiv.org/abs/2202.12139v1"
    assert first.pdf_url == "https://arxiv.org/pdf/2202.12139v1"
    assert first.abstract.startswith("Deep Learning (DL) has revolutionized")


def test_optional_fields_absent_are_none() -> None:
    papers = page("api-2026-all_testing-relevance-start0-max100.xml").papers
    assert any(p.comment is None for p in papers)
    assert any(p.journal_ref is None for p in papers)
    assert any(p.doi is None for p in papers)
    assert any(p.version > 1 and p.updated > p.published for p in papers)


def test_non_ascii_authors() -> None:
    papers = page("api-2026-all_testing-relevance-start0-max10.xml").papers
    authors = {a for p in papers for a in p.authors}
    assert {"José Raúl Romero"} <= authors
    assert any("Ramírez" in a for a in authors)
    (single,) = page("api-2026-id_list-1707.08567-nonascii-author.xml").papers
    assert "Dirk Wübben" in single.authors


def test_authors_keep_order_not_only_the_last() -> None:
    (paper,) = page(
        "api-2026-id_list-astro-ph_0601001-oldstyle-id-affiliations-journalref.xml"
    ).papers
    # feedparser's entry.author is the LAST author; the list must be complete and ordered.
    assert len(paper.authors) == 4
    assert paper.authors[0] != paper.authors[-1]


def test_hundred_entry_page_with_latex_titles() -> None:
    result = page("api-2026-all_testing-relevance-start0-max100.xml")
    assert len(result.papers) == 100
    assert result.entry_count == 100
    titles = [p.title for p in result.papers]
    assert "$ω$Test: WebView-Oriented Testing for Android Applications" in titles
    # LaTeX is kept verbatim, whitespace is single-spaced everywhere.
    assert all("  " not in p.title and "\n" not in p.abstract for p in result.papers)
    assert sum(1 for p in result.papers for a in p.authors if not a.isascii()) >= 17
    assert len({p.id for p in result.papers}) == 100


def test_walk_pages_equal_the_hundred_page_prefix() -> None:
    walked = [p.id for _, name in TESTING_WALK for p in page(name).papers]
    big = [p.id for p in page("api-2026-all_testing-relevance-start0-max100.xml").papers]
    assert walked == big[:60]
    assert [page(name).start_index for _, name in TESTING_WALK] == [s for s, _ in TESTING_WALK]


def test_old_style_id() -> None:
    (paper,) = page(
        "api-2026-id_list-astro-ph_0601001-oldstyle-id-affiliations-journalref.xml"
    ).papers
    assert paper.id == "astro-ph/0601001"
    assert paper.version == 1
    assert paper.abs_url == "https://arxiv.org/abs/astro-ph/0601001v1"
    assert paper.pdf_url == "https://arxiv.org/pdf/astro-ph/0601001v1"
    assert paper.journal_ref is not None
    assert not paper.abstract.startswith(" ")  # the recorded summary starts with 2 spaces


def test_title_zero_survives() -> None:
    (paper,) = page("api-2026-id_list-2104.12255v1-title-is-0.xml").papers
    assert paper.title == "0"
    assert paper.id == "2104.12255"


def test_http400_error_feed() -> None:
    result = page("api-2026-error-http400-incorrect-id-format.xml")
    assert result.error == "incorrect id format for abc"
    assert result.papers == ()


def test_a_paper_titled_error_is_not_an_error_feed() -> None:
    body = fixture_bytes("api-2026-id_list-2104.12255v1-title-is-0.xml")
    result = parse_page(body.replace(b"<title>0</title>", b"<title>Error</title>"))
    assert result.error is None
    assert [p.title for p in result.papers] == ["Error"]


def test_old_backend_error_feed_served_with_200() -> None:
    result = page("synthetic-old-backend-error-http200.xml")
    assert result.error == "start must be an integer"
    assert result.papers == ()


def test_total_zero() -> None:
    result = page("api-2026-id_list-0000.0000-empty-total0.xml")
    assert (result.total_results, result.entry_count, result.papers) == (0, 0, ())
    assert result.error is None


def test_bogus_empty_entries_are_skipped_with_warnings() -> None:
    result = page("api-2025-08-oldapi-id_list-4ids-3-nonexistent-bogus-empty-entries-rsxiv.xml")
    assert result.total_results == 4
    assert result.entry_count == 4  # the client advances start by entries received
    assert [p.id for p in result.papers] == ["2201.13452"]
    assert len(result.skipped) == 3
    assert all("no <id>" in warning for warning in result.skipped)


def test_old_backend_wrapped_title_and_msc_category() -> None:
    (paper,) = page("api-2025-08-oldapi-id_list-2206.06921-doi-rsxiv.xml").papers
    assert "\n" not in paper.title
    assert all(" " not in c and not c[0].isdigit() for c in paper.categories)
    assert paper.primary_category == paper.categories[0]
    bogus = page("api-2025-08-oldapi-id_list-4ids-3-nonexistent-bogus-empty-entries-rsxiv.xml")
    assert bogus.papers[0].categories == ("math.AP",)  # "35" (an MSC code) dropped
    assert bogus.papers[0].title == (
        "Asymptotic Analysis for a Nonlinear Reaction-Diffusion System Modeling "
        "an Infectious Disease"
    )


def test_links_without_rel_or_title_derive_urls_from_id() -> None:
    result = page("api-2025-11-newapi-all_electron-AND-all_proton-rsxiv.xml")
    first = result.papers[0]
    assert first.id == "nucl-ex/0408020"
    assert first.abs_url == "https://arxiv.org/abs/nucl-ex/0408020v1"
    assert first.pdf_url == "https://arxiv.org/pdf/nucl-ex/0408020v1"
    assert all(p.abs_url.startswith("https://arxiv.org/abs/") for p in result.papers)
    assert all(p.pdf_url.startswith("https://arxiv.org/pdf/") for p in result.papers)


def test_old_backend_page_matches_new_backend_shape() -> None:
    result = page("api-2025-08-oldapi-all_electron-AND-all_proton-rsxiv.xml")
    assert result.total_results == 7370
    assert len(result.papers) == 10
    assert all(p.abs_url.startswith("https://arxiv.org/abs/") for p in result.papers)


def test_published_differs_from_updated_for_v2() -> None:
    papers = page("api-2016-au_del_maestro-AND-ti_quantum_criticality-phrase-arxivpy.xml").papers
    v2 = [p for p in papers if p.version == 2]
    assert v2
    assert v2[0].updated > v2[0].published


def test_same_paper_twice_keeps_highest_version_in_first_position() -> None:
    result = page("synthetic-same-paper-two-versions.xml")
    assert result.entry_count == 3
    assert [(p.id, p.version) for p in result.papers] == [("2104.12255", 2), ("1707.08567", 1)]
    assert result.papers[0].title == "0 (revised)"


@pytest.mark.parametrize(
    "body",
    [
        fixture_bytes("synthetic-malformed-truncated.xml"),
        fixture_bytes("synthetic-rate-exceeded.txt"),
        b"",
        b"<html><body>Service Unavailable</body></html>",
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title></channel></rss>",
    ],
)
def test_malformed_or_non_atom_raises(body: bytes) -> None:
    with pytest.raises(MalformedFeedError):
        parse_page(body)


def test_malformed_feed_error_is_a_value_error() -> None:
    assert issubclass(MalformedFeedError, ValueError)


def test_every_fixture_has_provenance() -> None:
    provenance = (FIXTURES / "PROVENANCE.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in provenance.splitlines() if "|" in line}
    for path in FIXTURES.iterdir():
        if path.name == "PROVENANCE.md":
            continue
        assert path.name in rows, f"{path.name} missing from PROVENANCE.md"
        assert ("**yes**" in rows[path.name]) == ("synthetic" in path.name), path.name


# -- hostile and unusual entries (see PROVENANCE.md for the synthetic files) ----------------


def test_an_entry_with_an_invalid_id_is_skipped_and_the_page_kept() -> None:
    result = page("synthetic-cr-in-entry-id.xml")
    assert result.entry_count == 10
    assert len(result.papers) == 9
    assert "2405.13786" not in {p.id for p in result.papers}
    (warning,) = result.skipped
    assert "is not an arXiv id" in warning
    assert "\r" not in warning
    assert "\n" not in warning


@pytest.mark.parametrize(
    "entry_id",
    [
        "http://arxiv.org/abs/2405.13786",  # no version
        "http://arxiv.org/abs/../../etc/passwdv1",
        "http://arxiv.org/abs/2405.1378v1",  # four digits after 1412
        "http://example.org/abs/2405.13786v1",
        "http://arxiv.org/abs/2405.13786v1 trailing",
        "http://arxiv.org/abs/" + "9" * 5000 + "v1",
    ],
)
def test_ids_outside_arxivs_formats_are_skipped(entry_id: str) -> None:
    body = fixture_bytes("api-2026-id_list-2104.12255v1-title-is-0.xml")
    result = parse_page(body.replace(b"http://arxiv.org/abs/2104.12255v1", entry_id.encode()))
    assert result.papers == ()
    assert len(result.skipped) == 1
    assert len(result.skipped[0]) < 200  # a huge id is quoted shortened


def test_arxiv_namespace_under_another_prefix() -> None:
    result = page("synthetic-other-namespace-prefix.xml")
    original = page("api-2026-all_testing-relevance-start0-max10.xml")
    assert result == original  # same URIs, same meaning, whatever the prefixes


def test_a_foreign_namespace_under_the_arxiv_prefix_is_ignored() -> None:
    first = page("synthetic-spoofed-arxiv-prefix.xml").papers[0]
    assert first.primary_category == "cs.SE"  # the spoofed arxiv:primary_category is hep-th


def test_missing_published_v1_uses_updated_but_v2_is_skipped() -> None:
    result = page("synthetic-no-published-v1-and-v2.xml")
    by_id = {p.id: p for p in result.papers}
    assert by_id["2202.12139"].published == by_id["2202.12139"].updated
    assert "2005.14124" not in by_id  # v2: its first-version date would be invented
    (warning,) = result.skipped
    assert "2005.14124v2" in warning
    assert "<published>" in warning
