"""Richer rows: chosen table columns, code links and venues in the built-in templates.

Real papers come from recorded arXiv responses (tests/fixtures/render, see PROVENANCE.md there,
and tests/fixtures/rows).  Papers built with ``synthetic_paper`` carry SYNTHETIC text.
Set ``DAILY_PAPERS_UPDATE_GOLDEN=1`` to rewrite the golden file after an intended change.
"""

from __future__ import annotations

import os

import pytest

from daily_papers.errors import ConfigError
from daily_papers.render import Renderer
from daily_papers.template_context import (
    DEFAULT_COLUMNS,
    TABLE_COLUMNS,
    RenderTopic,
    TemplatePaper,
    parse_columns,
)
from tests.gfm import shape_of
from tests.papers import (
    GOLDEN,
    GOLDEN_DATE,
    TESTING_100,
    golden_topics,
    recorded_papers,
    synthetic_paper,
)
from tests.test_render import NASTY

ALL = TABLE_COLUMNS


def test_default_columns_are_the_classic_table_byte_for_byte() -> None:
    golden = (GOLDEN / "render-default.md").read_bytes().decode("utf-8")
    for text in ("title,date,abstract,comment", "Title Date ABSTRACT comment"):
        assert parse_columns(text) == DEFAULT_COLUMNS
    for columns in (DEFAULT_COLUMNS,):
        rendered = Renderer("default", columns=columns).render(
            golden_topics(), last_update=GOLDEN_DATE
        )
        assert rendered == golden


def test_generic_columns_render_the_classic_cells_exactly() -> None:
    """The classic four columns take a fast path in the template; the generic per-column path
    must give the same cells (here followed by a fifth column, which is then cut off)."""
    classic = Renderer().render(golden_topics(), last_update=GOLDEN_DATE).splitlines()
    wide = Renderer(columns=(*DEFAULT_COLUMNS, "venue")).render(
        golden_topics(), last_update=GOLDEN_DATE
    )
    cut = [
        line[: line.rindex(" | ")] + " |" if line.startswith("|") else line
        for line in wide.splitlines()
    ]
    assert sum(line.startswith("| **[") for line in cut) == 21
    assert cut == classic


def test_all_columns_golden() -> None:
    rendered = Renderer("default", columns=ALL).render(golden_topics(), last_update=GOLDEN_DATE)
    golden = GOLDEN / "render-default-all-columns.md"
    if os.environ.get("DAILY_PAPERS_UPDATE_GOLDEN") == "1":
        golden.write_bytes(rendered.encode("utf-8"))
    assert rendered == golden.read_bytes().decode("utf-8")


def test_chosen_columns_in_order_with_cells_rendered_by_cmark_gfm() -> None:
    papers = recorded_papers(TESTING_100)
    columns = ("venue", "title", "code", "authors", "categories")
    rendered = Renderer(columns=columns).render([RenderTopic("t", papers)], last_update="x")
    (table,) = shape_of(rendered).tables
    assert [cell.text for cell in table.header] == [
        "Venue",
        "Title",
        "Code",
        "Authors",
        "Categories",
    ]
    assert len(table.rows) == 100
    by_title = {row[1].text: row for row in table.rows}
    gauss = by_title["Testing Gaussian Process with Applications to Super-Resolution"]
    assert gauss[2].text == "ydecastro/super-resolution-testing"
    rest = by_title[
        "REST: Stress Testing Large Reasoning Models by Asking Multiple Problems at Once"
    ]
    assert rest[2].text == "project page"
    omega = by_title["$ω$Test: WebView-Oriented Testing for Android Applications"]
    assert omega[0].text == "ISSTA 2023"
    assert sum(bool(row[0].text) for row in table.rows) >= 40
    assert sum(bool(row[2].text) for row in table.rows) == 2
    assert all(row[4].text for row in table.rows)
    assert "None" not in rendered
    assert "null" not in rendered


def test_links_and_venue_escaped_in_every_column_for_adversarial_text() -> None:
    """SYNTHETIC: the adversarial strings of test_render as title, abstract and comment."""
    papers = tuple(
        synthetic_paper(n, title=t or "t", abstract=t, comment=f"Accepted at {t}" if t else None)
        for n, t in enumerate(NASTY, start=1)
    )
    rendered = Renderer(columns=ALL).render([RenderTopic("x", papers)], last_update="x")
    shape = shape_of(rendered)
    (table,) = shape.tables
    assert len(table.header) == len(ALL)
    assert all(len(row) == len(ALL) for row in table.rows)
    assert "script" not in shape.start_tags
    assert shape.comments == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("title,venu", "'venu' is not a column of the table. Did you mean 'venue'?"),
        ("titel date", "'titel' is not a column of the table. Did you mean 'title'?"),
        ("title,xyzzy", "'xyzzy' is not a column of the table. Choose"),
        ("", "The column list is empty."),
        (" , ", "The column list is empty."),
        ("title,date,title", "names 'title' more than once"),
    ],
)
def test_bad_columns_are_config_errors(value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_columns(value)
    assert message in str(caught.value)


def test_parse_columns_accepts_every_column() -> None:
    assert parse_columns(",".join(ALL)) == ALL
    assert parse_columns(["CODE", "venue"]) == ("code", "venue")
    assert ALL[:4] == DEFAULT_COLUMNS


@pytest.mark.parametrize("template", ["compact", "list"])
def test_fixed_templates_refuse_columns(template: str) -> None:
    Renderer(template, columns=DEFAULT_COLUMNS)
    with pytest.raises(ConfigError, match="fixed columns"):
        Renderer(template, columns=("title", "code"))


def test_compact_and_list_show_venue_and_first_code_link_only_when_present() -> None:
    """SYNTHETIC papers: one with neither, one with both, one with a link and no comment."""
    plain = synthetic_paper(1, comment="12 pages")
    both = synthetic_paper(
        2,
        abstract="Code: https://github.com/Org/Tool. Data: https://huggingface.co/datasets/o/d",
        comment="Accepted at FOO 2031",
    )
    link_only = synthetic_paper(3, abstract="See https://gitlab.com/g/sub/p.")
    topics = [RenderTopic("t", (plain, both, link_only))]
    compact = Renderer("compact").render(topics, last_update="x").splitlines()
    assert compact[5] == (
        "| **[A title](https://arxiv.org/abs/2611.00003v1)** | 2026-11-02 | "
        "[g/sub/p](https://gitlab.com/g/sub/p) |"
    )
    assert compact[6].endswith(
        "| Accepted at FOO 2031 · FOO 2031 · [Org/Tool](https://github.com/Org/Tool) |"
    )
    assert compact[7].endswith("| 12 pages |")
    listed = Renderer("list").render(topics, last_update="x").splitlines()
    assert listed[4] == (
        "- **[A title](https://arxiv.org/abs/2611.00003v1)** (2026-11-02) by A. Author"
        " · [g/sub/p](https://gitlab.com/g/sub/p)"
    )
    assert listed[5] == (
        "- **[A title](https://arxiv.org/abs/2611.00002v1)** (2026-11-02, FOO 2031) by A. Author"
        " · [Org/Tool](https://github.com/Org/Tool). Accepted at FOO 2031"
    )
    assert listed[6] == (
        "- **[A title](https://arxiv.org/abs/2611.00001v1)** (2026-11-02) by A. Author. 12 pages"
    )


def test_paper_view_fields_for_custom_templates() -> None:
    paper = synthetic_paper(
        1,
        abstract="https://github.com/a/b and https://team.github.io/p/",
        comment="to appear in Phys. Rev. Lett.",
    )
    view = TemplatePaper.of(paper)
    assert view.code_links == ("https://github.com/a/b",)
    assert view.project_page == "https://team.github.io/p"
    assert view.venue == "Phys. Rev. Lett."
    bare = TemplatePaper.of(synthetic_paper(2))
    assert (bare.code_links, bare.project_page, bare.venue) == ((), None, None)
    source = (
        "{% for t in topics %}{% for p in t.papers %}"
        "[{{ p.code_links | join(' ') }}|{{ p.project_page or '' }}|{{ p.venue or '' }}|"
        "{% for c in columns %}{{ c }},{% endfor %}]\n{% endfor %}{% endfor %}"
    )
    rendered = Renderer("mine.j2", source=source, columns=("title", "code")).render(
        [RenderTopic("t", (paper, synthetic_paper(2)))], last_update="x"
    )
    assert rendered == (  # newest first
        "[|||title,code,]\n"
        "[https://github.com/a/b|https://team.github.io/p|Phys. Rev. Lett.|title,code,]\n"
    )
