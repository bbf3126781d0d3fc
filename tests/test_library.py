"""The library reader on SYNTHETIC exports in the shapes Zotero, JabRef, Google Scholar and
Zotero's CSL JSON write (tests/fixtures/library/), and on broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from daily_papers.errors import ConfigError
from daily_papers.library import arxiv_id_in, read_libraries, read_library

FIXTURES = Path(__file__).parent / "fixtures" / "library"


def _read(name: str) -> list[tuple[str | None, str, str]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [(e.arxiv_id, e.title, e.abstract) for e in read_library(name, text)]


def test_zotero_bibtex_reads_the_id_from_url_or_doi_and_cleans_markup() -> None:
    assert _read("zotero.bib") == [
        (
            "2401.01234",
            "Diffusion Models for Sparse View Tomography",
            "We study score-based diffusion models for sparse view computed tomography.",
        ),
        (None, "Compilers for Tensor Programs", ""),
    ]


def test_jabref_eprint_with_archiveprefix_drops_the_version_and_keeps_old_ids() -> None:
    entries = _read("jabref.bib")
    assert [e[0] for e in entries] == ["2502.05678", "hep-th/0401001"]
    assert entries[0][2] == "Conservation laws constrain neural ODEs."


def test_google_scholar_id_in_the_journal_field() -> None:
    assert _read("scholar.bib") == [("2403.09876", "Radiance fields from few photographs", "")]


def test_csl_json_number_field_and_items_without_arxiv() -> None:
    entries = _read("zotero-csl.json")
    assert [e[0] for e in entries] == ["2401.01234", None]
    assert entries[1][1] == "A Journal Paper Without arXiv"


def test_plain_list_accepts_ids_urls_dois_and_comments() -> None:
    assert [
        e.arxiv_id for e in read_library("r.txt", (FIXTURES / "reading-list.txt").read_text())
    ] == [
        "2401.01234",
        "2502.05678",
        "2403.09876",
        "2404.00011",
        "hep-th/0401001",
        "2405.00002",
    ]


def test_files_are_merged_by_id_and_an_entry_with_abstract_wins() -> None:
    files = [(n, (FIXTURES / n).read_text()) for n in ("reading-list.txt", "zotero.bib")]
    merged = read_libraries(files)
    first = next(e for e in merged if e.arxiv_id == "2401.01234")
    assert first.abstract.startswith("We study")
    assert [e.arxiv_id for e in merged].count("2401.01234") == 1
    assert len(merged) == 7  # six ids plus the journal paper known by its title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://arxiv.org/abs/2401.01234v2.", "2401.01234"),
        ("10.48550/ARXIV.2310.00001", "2310.00001"),
        ("arXiv preprint arXiv:1706.03762", "1706.03762"),
        ("https://doi.org/10.1000/xyz", None),
        ("arXiv:9999.99999", None),
    ],
)
def test_arxiv_id_in(text: str, expected: str | None) -> None:
    assert arxiv_id_in(text) == expected


def test_a_broken_bibtex_entry_names_the_file_and_its_line() -> None:
    text = "@misc{a, title={Fine}}\n\n@misc{b,\n title = {unclosed\n"
    with pytest.raises(ConfigError, match=r"lib\.bib: the BibTeX entry at line 3 cannot be read"):
        read_library("lib.bib", text)


def test_broken_json_names_the_line() -> None:
    with pytest.raises(ConfigError, match=r"lib\.json: line 2 is not valid JSON"):
        read_library("lib.json", '[\n{"title": }\n]')


def test_a_plain_line_that_is_no_id_names_the_line() -> None:
    with pytest.raises(ConfigError, match=r"ids\.txt: line 2 \('not an id'\)"):
        read_library("ids.txt", "2401.01234\nnot an id\n")
