"""arXiv id formats (https://info.arxiv.org/help/arxiv_identifier.html), strictly."""

from __future__ import annotations

import pytest

from daily_papers.arxiv.ids import is_arxiv_id, split_version


@pytest.mark.parametrize(
    "text",
    [
        "0704.0001",  # the first new-style id
        "0712.9999",
        "1412.0001",
        "1501.00001",  # five digits from 2015
        "2512.12345",
        "hep-th/9901001",
        "astro-ph/0601001",
        "math.GT/0309136",
        "cond-mat/9107001",
        "q-bio/0703001",
    ],
)
def test_valid_ids(text: str) -> None:
    assert is_arxiv_id(text)
    assert is_arxiv_id(text + "v3", versioned=True)
    assert split_version(text + "v12") == (text, 12)
    assert split_version(text) == (text, None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0703.0001",  # before new-style ids began
        "0704.0000",
        "1501.0001",  # four digits after 2014
        "1412.00001",  # five digits before 2015
        "2513.00001",  # month 13
        "2501.00000",
        "hep-th/0801001",  # old style ended in 2007
        "hep-th/9013001",
        "HEP-TH/9901001",
        "math.gt/0309136",
        "hep-th/9901000",
        "2101.00001\r",
        "2101.00001\n",
        " 2101.00001",
        "2101.00001/../x",
        "2101.00001v1",  # a version only when asked for
    ],
)
def test_invalid_ids(text: str) -> None:
    assert not is_arxiv_id(text)


@pytest.mark.parametrize("text", ["2101.00001v0", "2101.00001v", "2101.00001v01", "2101.00001V2"])
def test_invalid_versions(text: str) -> None:
    assert not is_arxiv_id(text, versioned=True)
    assert split_version(text) is None
