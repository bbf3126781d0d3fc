"""BibTeX export: every recorded paper through two real BibTeX parsers, plus edge cases.

Real papers: tests/fixtures/rows/recorded-papers.jsonl (PROVENANCE.md there) and the golden
topics of tests/papers.py.  Papers built with ``synthetic_paper`` carry SYNTHETIC text.
Set ``DAILY_PAPERS_UPDATE_GOLDEN=1`` to rewrite tests/golden/papers.bib after an intended change.
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from bibtexparser import parse_string as bibtexparser_parse  # type: ignore[attr-defined]
from pybtex.database import parse_string

from daily_papers.bibtex import ARXIV_DOI_PREFIX, bibtex_key, render_bibtex
from daily_papers.models import Paper
from tests.papers import GOLDEN, golden_topics, synthetic_paper

RECORDED = Path(__file__).parent / "fixtures" / "rows" / "recorded-papers.jsonl"


@cache
def recorded() -> tuple[Paper, ...]:
    lines = RECORDED.read_text(encoding="utf-8").splitlines()
    return tuple(Paper.from_json(json.loads(line)) for line in lines)


@cache
def recorded_bib() -> str:
    return render_bibtex(recorded()).decode("utf-8")


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:  # BibTeX counts every brace, escaped or not
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _plain(text: str) -> str:
    """Text with braces and our escapes removed, whitespace collapsed, for comparing."""
    text = re.sub(r"\\([&%#_$])", r"\1", text)
    return " ".join(text.replace("{", "").replace("}", "").split())


def test_pybtex_reads_every_recorded_paper() -> None:
    database = parse_string(recorded_bib(), "bibtex")
    assert len(recorded()) == 521
    assert len(database.entries) == 521
    for paper in recorded():
        entry = database.entries[bibtex_key(paper)]
        assert entry.type == "misc"
        assert entry.fields["eprint"] == paper.id
        assert entry.fields["archivePrefix"] == "arXiv"
        assert entry.fields["primaryClass"] == paper.primary_category
        assert entry.fields["year"] == str(paper.published.year)
        assert entry.fields["url"] == f"https://arxiv.org/abs/{paper.id}"
        assert entry.fields["doi"] == (paper.doi.split()[0] if paper.doi else
                                       ARXIV_DOI_PREFIX + paper.id)  # fmt: skip
        assert len(entry.persons["author"]) == len(paper.authors), paper.id
        assert _plain(entry.fields["title"]) == _plain(paper.title), paper.id


def test_bibtexparser_reads_every_recorded_paper() -> None:
    library = bibtexparser_parse(recorded_bib())
    assert library.failed_blocks == []
    assert len(library.entries) == 521
    keys = [entry.key for entry in library.entries]
    assert keys == sorted(keys)
    assert len(set(keys)) == 521
    for entry in library.entries:
        for field in entry.fields:
            assert _balanced(field.value), (entry.key, field.key)


def test_every_field_of_every_recorded_paper_is_balanced_and_escaped() -> None:
    for line in recorded_bib().splitlines():
        if line.startswith(("  title = ", "  author = ")):
            value = line.split(" = ", 1)[1].removesuffix(",")
            assert _balanced(value), line
            outside_math = re.sub(r"(?<!\\)\$.*?(?<!\\)\$", "", value)
            assert not re.search(r"(?<!\\)[&%#_]", outside_math), line


def test_golden_file() -> None:
    papers = [p for topic in golden_topics() for p in topic.papers]
    rendered = render_bibtex(papers)
    golden = GOLDEN / "papers.bib"
    if os.environ.get("DAILY_PAPERS_UPDATE_GOLDEN") == "1":
        golden.write_bytes(rendered)
    assert rendered == golden.read_bytes()


def test_byte_stable_order_independent_and_one_entry_per_paper() -> None:
    papers = list(recorded()[:60])
    first = render_bibtex(papers)
    assert render_bibtex(papers) == first
    shuffled = papers[:]
    random.Random(7).shuffle(shuffled)
    assert render_bibtex(shuffled + papers[:10]) == first  # a paper under two topics: once
    assert first.count(b"@misc{") == 60
    assert first.endswith(b"}\n")
    assert b"\r" not in first


def test_key_is_stable_across_versions_and_old_style_ids() -> None:
    paper = synthetic_paper(3)
    assert bibtex_key(paper) == "arXiv:2611.00003"
    assert bibtex_key(replace(paper, version=4)) == "arXiv:2611.00003"
    assert bibtex_key(replace(paper, id="hep-th/9901001")) == "arXiv:hep-th_9901001"
    assert render_bibtex([replace(paper, version=4)]) == render_bibtex([paper])


def test_own_doi_replaces_the_arxiv_doi() -> None:
    paper = synthetic_paper(1)
    assert b"doi = {10.48550/arXiv.2611.00001}" in render_bibtex([paper])
    with_doi = replace(paper, doi="10.1103/PhysRevB.91.035118")
    assert b"doi = {10.1103/PhysRevB.91.035118}" in render_bibtex([with_doi])
    assert b"10.48550" not in render_bibtex([with_doi])


def test_exact_entry() -> None:
    paper = synthetic_paper(
        2,
        title="LLMs & GitHub: 100% of #1 snake_case in $x_1 & y$ with \\emph{Care}",
        authors=("Ada Lovelace", "ATLAS and CMS Collaborations", "R\\'emy O_Neil"),
    )
    assert render_bibtex([paper]).decode() == (
        "@misc{arXiv:2611.00002,\n"
        "  title = {{LLMs} \\& {GitHub:} 100\\% of \\#1 snake\\_case in $x_1 & y$ with "
        "{\\emph{Care}}},\n"
        "  author = {Ada Lovelace and {ATLAS and CMS Collaborations} and R\\'emy O\\_Neil},\n"
        "  year = {2026},\n"
        "  eprint = {2611.00002},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass = {cs.LG},\n"
        "  url = {https://arxiv.org/abs/2611.00002},\n"
        "  doi = {10.48550/arXiv.2611.00002}\n"
        "}\n"
    )
    persons = (
        parse_string(render_bibtex([paper]).decode(), "bibtex")
        .entries["arXiv:2611.00002"]
        .persons["author"]
    )
    assert len(persons) == 3


@pytest.mark.parametrize(
    "title",
    [
        "Open { brace",
        "Close } brace",
        "}{ inverted",
        "{{{ many",
        "ends with a backslash \\",
        "A lone $ sign and 5% off",
        "Already \\& escaped \\_ and \\{ brace",
        "$$display$$ then $inline$ then $",
        "",
    ],
)
def test_awkward_titles_stay_parseable(title: str) -> None:
    text = render_bibtex([synthetic_paper(1, title=title)]).decode()
    entry = parse_string(text, "bibtex").entries["arXiv:2611.00001"]
    assert _balanced(entry.fields["title"])
    assert bibtexparser_parse(text).failed_blocks == []


def test_no_papers_no_entries() -> None:
    assert render_bibtex([]) == b""


@pytest.mark.parametrize(
    ("title", "doi"),
    [
        ("A {\\} in a title", None),  # issue 24: bibtexparser dropped this entry
        ("Plain", "10.1234/x\\"),  # issue 24: a DOI ending in a backslash
        ("Escaped \\{ alone", None),
        ("Escaped \\} alone", None),
        ("Break \\\\} then brace", None),
        ("Break \\\\{ then brace", None),
        ("Mixed \\{ { \\} } and $\\{x\\}$", None),
        ("Ends \\", None),
    ],
)
def test_both_parsers_read_lone_backslashes_and_braces(title: str, doi: str | None) -> None:
    paper = replace(synthetic_paper(1, title=title), doi=doi)
    text = render_bibtex([paper, synthetic_paper(2)]).decode()
    library = bibtexparser_parse(text)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["arXiv:2611.00001", "arXiv:2611.00002"]
    database = parse_string(text, "bibtex")
    assert len(database.entries) == 2
    title_field = database.entries["arXiv:2611.00001"].fields["title"]
    assert _balanced(title_field)
    assert _balanced(re.sub(r"\\[{}]", "", title_field))  # as bibtexparser counts
    if doi:
        assert database.entries["arXiv:2611.00001"].fields["doi"] == "10.1234/x"


def test_escaped_braces_that_pair_are_kept() -> None:
    text = render_bibtex([synthetic_paper(1, title="Sets $\\{x\\}$ and a \\{b\\}")]).decode()
    assert "title = {{Sets} $\\{x\\}$ and a \\{b\\}}," in text
