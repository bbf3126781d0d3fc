"""Tests for the digest-issue and pull-request bodies: content, grouping, escaping, and the
65,536-character limit for any input (thousands of papers, adversarial text)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daily_papers.arxiv.api_page import parse_page
from daily_papers.bodies import (
    BODY_LIMIT,
    DIGEST_MARKER,
    MIN_LIMIT,
    PULL_REQUEST_MARKER,
    body_length,
    digest_body,
    digest_title,
    pull_request_body,
)
from daily_papers.errors import ConfigError
from daily_papers.models import Paper
from tests.gfm import shape_of
from tests.papers import make_paper

FIXTURE = (
    Path(__file__).parent
    / "fixtures"
    / "notify"
    / "api-2026-all_testing-relevance-start0-max100.xml"
)
README = "https://github.com/octo/papers/blob/main/README.md"
TAIL = re.compile(r"… and ([\d,]+) more — see (?:\[README\]\((?P<url>[^)]*)\)|README)\.\n\Z")


def real_papers() -> tuple[Paper, ...]:
    return parse_page(FIXTURE.read_bytes()).papers


def synthetic(i: int, **changes: Any) -> Paper:
    """A synthetic paper (hand-made values, not recorded), ``i`` hours after 2026-11-01."""
    values: dict[str, Any] = {
        "published": datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(hours=i),
        "title": f"Synthetic paper {i}",
        "abstract": f"Abstract of paper {i}.",
        "primary": "cs.LG",
        "pdf_url": "",
    }
    values.update(changes)
    return make_paper(f"2611.{i:05d}", **values)


def listed_count(body: str) -> int:
    return len(shape_of(body).list_items)


def tail_count(body: str) -> int:
    match = TAIL.search(body)
    return 0 if match is None else int(match.group(1).replace(",", ""))


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("New papers — {date}", "New papers — 2026-11-26"),
        ("Latest papers - {date:%B %d, %Y}", "Latest papers - November 26, 2026"),
        ("{{daily}} {date} {date:%a}", "{daily} 2026-11-26 Thu"),
        ("No date at all", "No date at all"),
        ("  spaced\n out {date}  ", "spaced out 2026-11-26"),
    ],
)
def test_digest_title(template: str, expected: str) -> None:
    assert digest_title(template, date(2026, 11, 26)) == expected


@pytest.mark.parametrize(
    "template",
    ["{}", "{0}", "{today}", "{date.year}", "{date[0]}", "{date!r}", "{date", "date}", "   "],
)
def test_digest_title_rejects_bad_templates(template: str) -> None:
    with pytest.raises(ConfigError, match="title"):
        digest_title(template, date(2026, 11, 26))


# --------------------------------------------------------------------------- digest content


def test_small_digest_has_every_detail_grouped_by_topic() -> None:
    papers = real_papers()[:4]
    new = [
        ("Testing", papers[0]),
        ("Fuzz <&>", papers[1]),
        ("Testing", papers[2]),
        ("Fuzz <&>", papers[3]),
    ]
    body = digest_body(new, readme_url=README)
    assert body.startswith(DIGEST_MARKER + "\n")
    assert body.endswith("\n")
    assert "**4 new papers** in 2 topics" in body
    assert "left out" not in body
    assert TAIL.search(body) is None
    shape = shape_of(body)
    assert shape.headings == ["Testing (2 new)", "Fuzz <&> (2 new)"]
    assert len(shape.list_items) == 4
    assert shape.start_tags.get("details") == shape.end_tags.get("details") == 4
    # Grouped: both "Testing" papers come before the "Fuzz" heading, in the given order.
    positions = [
        body.index(f"]({p.abs_url})") for p in (papers[0], papers[2], papers[1], papers[3])
    ]
    assert positions == sorted(positions)
    assert body.index("## Fuzz") > positions[1]
    for paper in papers:
        assert f"({paper.published:%Y-%m-%d})" in body
        if paper.comment:
            assert paper.comment.split()[0].replace("_", "\\_") in body


def test_digest_abstract_is_markdown_inside_details_and_cannot_escape_it() -> None:
    # Synthetic adversarial text (not recorded).
    evil = synthetic(
        1,
        title="</details> ## heading? [x](javascript:y) | `code",
        abstract=(
            "- item\n\n# Heading\n</details><details>\n<!-- daily-papers:digest -->\n```\nfence"
        ),
        comment="<script>alert(1)</script> **bold",
    )
    body = digest_body([("T", evil)], readme_url=README)
    assert body.count(DIGEST_MARKER) == 1
    shape = shape_of(body)
    assert shape.headings == ["T (1 new)"]
    assert len(shape.list_items) == 1
    assert shape.start_tags.get("details") == shape.end_tags.get("details") == 1
    assert "script" not in shape.start_tags
    assert shape.comments == [" daily-papers:digest "]
    assert "fence" in shape.list_items[0]


def test_mentions_and_issue_references_are_defused() -> None:
    # Synthetic: paper text that github.com would turn into @mentions and cross-references.
    paper = synthetic(
        1, title="Ask @octocat about #12", abstract="See owner/repo#7 @team", comment="@ICST 2026"
    )
    for body in (
        digest_body([("@topic #1", paper)], readme_url=README),
        pull_request_body([("@topic #1", paper)], counts=[("@topic #1", 1, 1)], readme_url=README),
    ):
        text = "".join(shape_of(body).list_items + shape_of(body).headings)
        assert "octocat" in text
        assert not re.search(r"@\w|#\d", text)
        assert not re.search(r"@\w|#\d", body)


def test_real_papers_over_the_limit_shed_abstracts_first() -> None:
    papers = real_papers()
    new = [("Testing", p) for p in papers]
    full = digest_body(new, readme_url=README, limit=10**7)
    assert body_length(full) > 60_000  # the fixture really is too long with a lower limit
    body = digest_body(new, readme_url=README, limit=30_000)
    assert body_length(body) <= 30_000
    assert "left out" in body
    shape = shape_of(body)
    listed = len(shape.list_items)
    assert listed + tail_count(body) == len(papers)
    with_abstract = shape.start_tags.get("details", 0)
    assert 0 < with_abstract < listed
    # The abstracts kept belong to the first papers.
    last_details = body.rindex("<details>")
    first_without = body.index("</details>\n\n- **", last_details)
    assert body.count("- **[", 0, first_without) == with_abstract


def test_thousands_of_papers_end_with_and_n_more() -> None:
    new = [(f"Topic {i % 9}", synthetic(i, comment="12 pages")) for i in range(5_000)]
    body = digest_body(new, readme_url=README)
    assert body_length(body) <= BODY_LIMIT
    match = TAIL.search(body)
    assert match is not None
    assert match.group("url") == README
    listed = listed_count(body)
    assert listed > 100
    assert listed + tail_count(body) == 5_000
    assert "**5,000 new papers** in 9 topics" in body
    # Bare links for most: no date after the link.
    assert re.search(r"^- \[Synthetic paper \d+\]\(https://arxiv\.org/abs/[^)]+\)$", body, re.M)
    # The body uses the room it has: one more bare link would not fit.
    assert BODY_LIMIT - body_length(body) < 80


def test_everything_fits_without_notes_when_small() -> None:
    new = [("A", synthetic(i)) for i in range(50)]
    body = digest_body(new, readme_url=README)
    assert "left out" not in body
    assert TAIL.search(body) is None
    assert body.count("<details>") == 50


def test_no_tail_when_all_fit_as_links() -> None:
    # Shrinking to links must be preferred over dropping papers.
    new = [("A", synthetic(i, abstract="x" * 2_000)) for i in range(60)]
    body = digest_body(new, readme_url=README, limit=MIN_LIMIT * 2)
    assert TAIL.search(body) is None
    assert listed_count(body) == 60


def test_non_bmp_characters_count_twice() -> None:
    assert body_length("a🧪b") == 4
    new = [("A", synthetic(i, abstract="🧪" * 1_900)) for i in range(40)]
    body = digest_body(new, readme_url=README)
    assert body_length(body) <= BODY_LIMIT
    assert len(body) < body_length(body)


def test_limit_too_small_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="limit"):
        digest_body([], readme_url=README, limit=MIN_LIMIT - 1)


def test_huge_readme_url_is_not_linked() -> None:
    body = digest_body([("A", synthetic(1))], readme_url="https://x.test/" + "a" * 5_000)
    assert "[README](" not in body
    assert body_length(body) <= BODY_LIMIT


adversarial = st.text(
    st.sampled_from(list("ab <>&|\\*_`[]()#-+=1.!$~\n\r\t\x00\x0b\u2028🧪é日")), max_size=300
) | st.text(max_size=50)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(
        st.tuples(
            st.sampled_from(["T1", "T2", "<b>|#", ""]) | adversarial,
            adversarial,
            adversarial,
            st.none() | adversarial,
        ),
        min_size=0,
        max_size=40,
    ),
    repeat=st.integers(1, 300),
    limit=st.integers(MIN_LIMIT, 70_000),
    readme=st.sampled_from([README, "", "https://x.test/a b(c)"]) | adversarial,
)
def test_any_input_stays_within_limit_and_structure(
    items: list[tuple[str, str, str, str | None]], repeat: int, limit: int, readme: str
) -> None:
    # Synthetic adversarial text; `repeat` multiplies the list to reach thousands of papers.
    new = [
        (topic, synthetic(i, title=title, abstract=abstract, comment=comment))
        for i, (topic, title, abstract, comment) in enumerate(items * repeat)
    ]
    body = digest_body(new, readme_url=readme, limit=limit)
    assert body_length(body) <= limit
    assert body.count(DIGEST_MARKER) == 1
    shape = shape_of(body)
    assert shape.start_tags.get("details", 0) == shape.end_tags.get("details", 0)
    assert len(shape.list_items) + tail_count(body) == len(new)
    topics = list(dict.fromkeys(t for t, _ in new))
    assert len(shape.headings) <= len(topics)

    pr = pull_request_body(new, counts=[(t, 5, 5) for t in topics], readme_url=readme, limit=limit)
    assert body_length(pr) <= limit
    assert pr.count(PULL_REQUEST_MARKER) == 1


# --------------------------------------------------------------------------- pull request


def test_pull_request_body_lists_new_papers_counts_and_failures() -> None:
    papers = real_papers()[:3]
    new = [("Testing", papers[0]), ("Testing", papers[1]), ("Fuzzing", papers[2])]
    body = pull_request_body(
        new,
        counts=[("Testing", 10, 100), ("Fuzzing", 3, 3), ("Broken | topic", 0, 7)],
        readme_url=README,
        failed_topics=["Broken | topic"],
    )
    assert body.startswith(PULL_REQUEST_MARKER + "\n")
    assert f"**3 new papers** to the [README]({README})" in body
    shape = shape_of(body)
    (table,) = shape.tables
    assert [c.text for c in table.header] == ["Topic", "Fetched", "Shown", "New"]
    assert [[c.text for c in row] for row in table.rows] == [
        ["Testing", "10", "100", "2"],
        ["Fuzzing", "3", "3", "1"],
        ["Broken | topic", "0", "7", "0"],
    ]
    assert shape.headings == ["Testing (2 new)", "Fuzzing (1 new)"]
    assert "Fetching failed for:** Broken \\| topic." in body
    for paper in papers:
        assert f"]({paper.abs_url}) ({paper.published:%Y-%m-%d})" in body
    assert "<details>" not in body
    assert TAIL.search(body) is None


def test_pull_request_body_without_new_papers() -> None:
    body = pull_request_body([], counts=[("A", 5, 5)], readme_url=README)
    assert "No new papers" in body
    assert shape_of(body).list_items == []


def test_pull_request_body_truncates_with_readme_link() -> None:
    new = [("A", synthetic(i)) for i in range(4_000)]
    body = pull_request_body(new, counts=[("A", 4_000, 4_000)], readme_url=README)
    assert body_length(body) <= BODY_LIMIT
    assert listed_count(body) + tail_count(body) == 4_000
    assert tail_count(body) > 0


def test_pull_request_body_falls_back_when_the_header_alone_is_too_long() -> None:
    counts = [(f"topic {i} " + "|" * 190, 1, 1) for i in range(100)]
    body = pull_request_body(
        [("A", synthetic(1))], counts=counts, readme_url=README, limit=MIN_LIMIT
    )
    assert body_length(body) <= MIN_LIMIT
    assert body.startswith(PULL_REQUEST_MARKER)
    assert f"[README]({README})" in body


@pytest.mark.parametrize("build", ["digest", "pull_request"])
def test_a_body_of_characters_outside_the_bmp_fits_in_utf16_units(build: str) -> None:
    """Each 𝔸 is one code point but two UTF-16 units: the body must fit the larger count."""
    wide = "𝔸" * 250
    new = [
        ("topic", synthetic(i, title=wide, abstract=wide * 7, comment="𝔸" * 200))
        for i in range(200)
    ]
    if build == "digest":
        body = digest_body(new, readme_url=README)
    else:
        body = pull_request_body(new, counts=[("topic", 200, 200)], readme_url=README)
    assert body_length(body) <= BODY_LIMIT
    assert len(body) < body_length(body)  # the UTF-16 count is the binding one here
    assert BODY_LIMIT - body_length(body) < 2_000  # and the body still uses the room


def test_mentions_are_defused_in_text_but_urls_keep_their_fragments() -> None:
    paper = synthetic(1, comment="Code at https://github.com/o/r#readme; thanks @alice for #12")
    body = digest_body([("t", paper)], readme_url=README)
    assert "(https://github.com/o/r#readme)" in body  # the link target is intact
    assert "@\u200balice" in body
    assert "\\#\u200b12" in body
