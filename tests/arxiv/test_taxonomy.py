"""The packaged arXiv taxonomy: names, aliases, archives with feeds, and the generator script.

The data is checked against the recorded rss.arxiv.org feeds (an independent source): the
error feed lists the archives that have feeds, and every category in the all-archives feed
of 2024-11-28 must be known.
"""

from __future__ import annotations

import importlib.resources
import json
import re

import pytest
from scripts import gen_arxiv_taxonomy

from daily_papers.arxiv import taxonomy
from daily_papers.errors import QueryError
from tests.rss_synthetic import ERROR, categories_of, recorded, recorded_items

WHERE = "the categories of topic 'LLMs'"


def test_packaged_data_names_its_source() -> None:
    resource = importlib.resources.files("daily_papers") / "data" / "arxiv-taxonomy.json"
    data = json.loads(resource.read_text(encoding="utf-8"))
    provenance = data["provenance"]
    assert provenance["repository"] == "arXiv/arxiv-base"
    assert provenance["path"] == "arxiv/taxonomy/definitions.py"
    assert re.fullmatch(r"[0-9a-f]{40}", provenance["commit"])
    assert taxonomy.load().provenance == provenance


def test_archives_with_feeds_are_those_the_recorded_error_feed_lists() -> None:
    message = re.search(rb"Valid archive names are: ([^.]+)\.", recorded(ERROR))
    assert message is not None
    listed = {name.strip() for name in message.group(1).decode().split(",")}
    assert set(taxonomy.feed_archives()) == listed - {"test"}


def test_every_category_of_the_recorded_feed_is_known() -> None:
    seen = {c for item in recorded_items() for c in categories_of(item)}
    assert len(seen) > 100
    assert {c for c in seen if taxonomy.canonical(c) is None} == set()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cs.CL", "cs.CL"),
        ("hep-th", "hep-th"),
        ("cs", "cs"),  # an archive alone
        ("physics", "physics"),
        ("physics.optics", "physics.optics"),
        ("cs.NA", "math.NA"),  # aliases canonicalise to arXiv's primary name
        ("math.MP", "math-ph"),
        ("stat.TH", "math.ST"),
        ("math.IT", "cs.IT"),
        ("q-fin.EC", "econ.GN"),
        ("cs.SY", "eess.SY"),
        ("math.NA", "math.NA"),
        ("cmp-lg", "cs.CL"),  # a retired archive became a category
        ("  cs.LG ", "cs.LG"),
    ],
)
def test_check_category_returns_the_canonical_name(name: str, expected: str) -> None:
    assert taxonomy.check_category(name, where=WHERE) == expected


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("cs.Al", "cs.AI"),  # lower-case L for I
        ("cs.ai", "cs.AI"),  # names are case-sensitive, as in arXiv's index
        ("astroph", "astro-ph"),
        ("hep_th", "hep-th"),
        ("math.na", "math.NA"),
        ("cs.CVV", "cs.CV"),
    ],
)
def test_unknown_names_are_refused_with_a_suggestion(name: str, suggestion: str) -> None:
    with pytest.raises(QueryError) as caught:
        taxonomy.check_category(name, where=WHERE)
    assert WHERE in caught.value.message
    assert repr(name) in caught.value.message
    assert caught.value.hint is not None
    assert caught.value.hint.startswith(f"Did you mean {suggestion}")
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("name", ["test", "test.dis-nn", "bad-arch", "bad-arch.bad-cat", "", "zz"])
def test_test_and_invalid_groups_are_not_categories(name: str) -> None:
    with pytest.raises(QueryError):
        taxonomy.check_category(name, where=WHERE)


def test_a_name_with_nothing_close_gets_no_suggestion() -> None:
    with pytest.raises(QueryError) as caught:
        taxonomy.check_category("quux", where=WHERE)
    assert caught.value.hint is not None
    assert "Did you mean" not in caught.value.hint
    assert taxonomy.TAXONOMY_URL in caught.value.hint


@pytest.mark.parametrize(
    ("name", "archive"),
    [
        ("cs.CL", "cs"),
        ("hep-th", "hep-th"),
        ("cs", "cs"),
        ("physics.optics", "physics"),
        ("cs.NA", "math"),  # canonical first
        ("math.MP", "math-ph"),
        ("cmp-lg", "cs"),
        ("astro-ph.CO", "astro-ph"),
    ],
)
def test_archive_of(name: str, archive: str) -> None:
    assert taxonomy.archive_of(name) == archive


def test_archive_of_an_unknown_name_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        taxonomy.archive_of("cs.Al")


def test_home_archive_does_not_canonicalise() -> None:
    assert taxonomy.home_archive("cs.NA") == "cs"
    assert taxonomy.home_archive("math.NA") == "math"
    assert taxonomy.home_archive("hep-th") == "hep-th"


def test_alias_pairs_are_carried_by_both_archives() -> None:
    assert taxonomy.carried_by("cs.IT") == {"cs", "math"}
    assert taxonomy.carried_by("math.IT") == {"cs", "math"}
    assert taxonomy.carried_by("math-ph") == {"math", "math-ph"}
    assert taxonomy.carried_by("cs.CL") == {"cs"}
    assert taxonomy.carried_by("cmp-lg") == {"cs"}  # retired archives are not listed twice


def test_categories_of() -> None:
    assert taxonomy.categories_of("hep-th") == ("hep-th",)
    cs = taxonomy.categories_of("cs")
    assert {"cs.AI", "cs.CL", "cs.NA"} <= set(cs)
    assert "math.NA" not in cs
    assert all(name.startswith("cs.") for name in cs)
    assert taxonomy.categories_of("astro-ph")[0] == "astro-ph"  # the legacy bare category


# --- the generator script (run on a small SYNTHETIC definitions.py in arxiv-base's form) ------

_SYNTHETIC_DEFINITIONS = '''
"""synthetic: the shape of arxiv-base's arxiv/taxonomy/definitions.py, three archives"""
from datetime import date
GROUPS: Dict[str, Group] = {
    "grp_cs": Group(id="grp_cs", full_name="Computer Science", is_active=True, start_year=1993),
    "grp_test": Group(id="grp_test", full_name="Test", is_active=True, start_year=1995,
                      is_test=True),
}
ARCHIVES: Dict[str, Archive] = {
    "cs": Archive(id="cs", full_name="Computer Science", is_active=True, in_group="grp_cs",
                  start_date=date(1993, 1, 1)),
    "cmp-lg": Archive(id="cmp-lg", full_name="Computation and Language", is_active=False,
                      alt_name="cs.CL", in_group="grp_cs", start_date=date(1994, 4, 1),
                      end_date=date(1998, 9, 1)),
    "test": Archive(id="test", full_name="Test", is_active=True, in_group="grp_test",
                    start_date=date(1995, 2, 1)),
}
ARCHIVES_ACTIVE = {key: arch for key, arch in ARCHIVES.items() if arch.is_active}
ARCHIVES_SUBSUMED: Dict[str, str] = {"cmp-lg": "cs.CL"}
CATEGORIES: Dict[str, Category] = {
    "cs.CL": Category(id="cs.CL", full_name="Computation and Language", is_active=True,
                      in_archive="cs", is_general=False),
    "cmp-lg": Category(id="cmp-lg", full_name="Computation and Language", is_active=False,
                       alt_name="cs.CL", in_archive="cmp-lg", is_general=False),
    "test.dis-nn": Category(id="test.dis-nn", full_name="Test", is_active=False,
                            in_archive="test", is_general=False),
}
CATEGORY_ALIASES = {"cs.NA": "math.NA"}
'''


def test_generator_reads_the_definitions_without_importing_them() -> None:
    definitions = gen_arxiv_taxonomy.read_definitions(_SYNTHETIC_DEFINITIONS)
    built = gen_arxiv_taxonomy.build_taxonomy(definitions, "0" * 40)
    assert built["provenance"]["commit"] == "0" * 40
    assert built["archives"] == {
        "cmp-lg": {"name": "Computation and Language", "group": "grp_cs", "active": False},
        "cs": {"name": "Computer Science", "group": "grp_cs", "active": True},
    }
    assert set(built["categories"]) == {"cs.CL", "cmp-lg"}  # the test group is left out
    assert built["aliases"] == {"cs.NA": "math.NA"}
    assert built["subsumed"] == {"cmp-lg": "cs.CL"}
    assert gen_arxiv_taxonomy.render(built).endswith("}\n")


def test_generator_refuses_a_file_without_the_taxonomy() -> None:
    with pytest.raises(ValueError, match="lacks"):
        gen_arxiv_taxonomy.read_definitions("GROUPS = {}\n")
