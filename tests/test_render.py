"""Rendering: golden files, the classic table row by row, safe text proved with cmark-gfm.

Real papers come from recorded arXiv responses (tests/fixtures/render, see PROVENANCE.md).
Papers built with ``synthetic_paper`` carry SYNTHETIC adversarial text.

Set ``DAILY_PAPERS_UPDATE_GOLDEN=1`` to rewrite the golden files after an intended change, then
review the diff.
"""

from __future__ import annotations

import os
import re
from datetime import timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daily_papers import __version__
from daily_papers.app import make_renderer
from daily_papers.errors import ConfigError, TemplateError
from daily_papers.escape import escape_cell, one_line
from daily_papers.models import Paper
from daily_papers.render import Renderer, builtin_template_dir
from daily_papers.splice import current_block, splice
from daily_papers.template_context import BUILTIN_TEMPLATES, CREDIT, RenderTopic, comment_cell
from daily_papers.workspace import LocalWorkspace
from tests.gfm import Shape, shape_of
from tests.papers import (
    GOLDEN,
    GOLDEN_DATE,
    TESTING_100,
    golden_topics,
    recorded_papers,
    synthetic_paper,
)

START, END = "<!-- daily-papers:start -->", "<!-- daily-papers:end -->"
HEADER = "| **Title** | **Date** | **Abstract** | **Comment** |"
COLUMNS = {"default": 4, "compact": 3}


# --- golden files -----------------------------------------------------------------------------


@pytest.mark.parametrize("template", BUILTIN_TEMPLATES)
def test_golden(template: str) -> None:
    rendered = Renderer(template).render(golden_topics(), last_update=GOLDEN_DATE)
    golden = GOLDEN / f"render-{template}.md"
    if os.environ.get("DAILY_PAPERS_UPDATE_GOLDEN") == "1":
        golden.write_bytes(rendered.encode("utf-8"))
    assert golden.is_file(), f"missing {golden}; run with DAILY_PAPERS_UPDATE_GOLDEN=1"
    assert rendered == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("template", BUILTIN_TEMPLATES)
def test_builtin_output_shape(template: str) -> None:
    rendered = Renderer(template).render(golden_topics(), last_update=GOLDEN_DATE)
    assert rendered.startswith(f"Last update: {GOLDEN_DATE}\n\n")
    assert rendered.endswith(f"\n{CREDIT}\n")
    assert not rendered.endswith("\n\n")
    assert "<!--" not in rendered
    shape = shape_of(rendered)
    assert shape.headings == ["testing", "LaTeX & symbols", "Single ids", "Nothing yet"]
    assert "No papers yet." in rendered
    if template in COLUMNS:
        assert [len(t.rows) for t in shape.tables] == [10, 8, 3]
        for table in shape.tables:
            assert len(table.header) == COLUMNS[template]
            assert all(len(row) == COLUMNS[template] for row in table.rows)
    else:
        assert shape.tables == []
        assert len(shape.list_items) == 21


def test_builtin_templates_are_found_in_the_source_tree() -> None:
    directory = builtin_template_dir()
    for name in BUILTIN_TEMPLATES:
        assert (directory / f"{name}.md.j2").is_file()
    assert Path(str(directory)).resolve() == (Path(__file__).parents[1] / "templates").resolve()


# --- the classic table, row by row on 100 recorded papers ---------------------------------------

_ROW = re.compile(
    r"^\| \*\*\[(?P<title>.*)\]\((?P<url>[^ ()]*)\)\*\* \| (?P<date>\d{4}-\d\d-\d\d) \| "
    r"<details><summary>Show</summary><p>(?P<abstract>.*)</p></details> \| (?P<comment>.*) \|$"
)


def test_seed_format_row_by_row_on_recorded_papers() -> None:
    papers = recorded_papers(TESTING_100)
    assert len(papers) == 100
    rendered = Renderer().render([RenderTopic("testing", papers)], last_update="2026-04-12")
    lines = rendered.split("\n")
    assert lines[:5] == [
        "Last update: 2026-04-12",
        "",
        "## testing",
        HEADER,
        "| --- | --- | --- | --- |",
    ]
    rows = lines[5:105]
    assert lines[105:] == ["", CREDIT, ""]
    ordered = sorted(papers, key=lambda p: (p.published, p.id), reverse=True)
    folded = 0
    for paper, row in zip(ordered, rows, strict=True):
        match = _ROW.match(row)
        assert match, row
        assert match["url"] == paper.abs_url
        assert re.fullmatch(
            rf"https://arxiv\.org/abs/{re.escape(paper.id)}v{paper.version}", match["url"]
        )
        assert match["date"] == paper.published.astimezone(timezone.utc).strftime("%Y-%m-%d")
        comment = one_line(paper.comment)
        if not comment:
            assert match["comment"] == ""
        elif len(comment) > 20:
            folded += 1
            assert match["comment"] == (
                f"<details><summary>{escape_cell(comment[:5])}{' ' * comment[4].isspace()}..."
                "</summary>"
                f"<p>{escape_cell(comment)}</p></details>"
            )
        else:
            assert match["comment"] == escape_cell(comment)
    assert folded == 95  # the recorded page has 97 comments, 95 longer than 20 characters

    # ... and what github.com shows: one row per paper, four cells, the original text
    (table,) = shape_of(rendered).tables
    assert [c.text for c in table.header] == ["Title", "Date", "Abstract", "Comment"]
    assert len(table.rows) == 100
    for paper, cells in zip(ordered, table.rows, strict=True):
        assert len(cells) == 4
        assert cells[0].text == one_line(paper.title)
        assert cells[0].opened == {"strong": 1, "a": 1}
        assert cells[2].text == "Show" + one_line(paper.abstract)
        assert all(cell.balanced("details") for cell in cells)
        comment = one_line(paper.comment)
        expected = comment if len(comment) <= 20 else comment[:5] + "..." + comment
        assert cells[3].text == expected


def test_latex_and_non_ascii_survive_visibly() -> None:
    papers = recorded_papers(TESTING_100)
    omega = next(p for p in papers if p.title.startswith("$ω$Test"))
    names = [a for p in papers for a in p.authors if not a.isascii()]
    rendered = Renderer("list").render([RenderTopic("t", papers)], last_update="2026-04-12")
    assert "$ω$Test" in rendered
    shape = shape_of(rendered)
    assert any(item.startswith(one_line(omega.title)) for item in shape.list_items)
    assert len(names) == 17
    joined = "\n".join(shape.list_items)
    for name in {n for p in papers for n in p.authors[:5] if not n.isascii()}:
        assert name in joined


def test_the_title_zero_and_old_style_ids() -> None:
    (zero,) = recorded_papers("api-2026-id_list-2104.12255v1-title-is-0.xml")
    (old,) = recorded_papers(
        "api-2026-id_list-astro-ph_0601001-oldstyle-id-affiliations-journalref.xml"
    )
    rendered = Renderer().render([RenderTopic("t", (zero, old))], last_update="2026-01-01")
    (table,) = shape_of(rendered).tables
    assert [row[0].text for row in table.rows] == ["0", one_line(old.title)]
    assert "(https://arxiv.org/abs/astro-ph/0601001v1)" in rendered


# --- safe text --------------------------------------------------------------------------------

NASTY = [
    "p(u | x) || a|b",
    "<script>alert('x')</script>",
    "A & B &amp; &lt;",
    "\\alpha \\{x\\} \\mathbf{x}_1 \\",
    "trailing backslash \\",
    "$a*b$ and $c*d$, $x_1$",
    "*bold* _em_ **x** ~~y~~",
    "[link](javascript:alert(1)) ![i](x) ]",
    "`tick | pipe` ``",
    "multi\nline\r\n\r\nwith blank line\n\n",
    "<!-- open comment",
    "close -->",
    START,
    END,
    "</p></details></td></tr></table>",
    "Ramírez — 日本語 — α β",
    "{{ 7 * 7 }} {% if true %}x{% endif %}",
    "code at https://github.com/a/b_c_d. and www.x.org/a_b)",
    "# 1. - + > ---",
    "",
]


def _nasty_papers() -> tuple[Paper, ...]:
    return tuple(
        synthetic_paper(
            n,
            title=text or "t",
            abstract=text,
            comment=text or None,
            authors=(text or "A", "B & <C>", "|D|"),
        )
        for n, text in enumerate(NASTY, start=1)
    )


def _assert_table_structure(
    shape: Shape, papers: tuple[Paper, ...], columns: int, *, faithful: bool = True
) -> None:
    (table,) = shape.tables
    assert len(table.header) == columns
    assert len(table.rows) == len(papers)
    ordered = sorted(papers, key=lambda p: (p.published, p.id), reverse=True)
    for paper, cells in zip(ordered, table.rows, strict=True):
        assert len(cells) == columns
        assert all(cell.balanced("details") and cell.balanced("p") for cell in cells)
        assert all(cell.balanced("a") for cell in cells)
        if faithful:
            assert cells[0].text == one_line(paper.title)
            if columns == 4:
                assert cells[2].text == "Show" + one_line(paper.abstract)
    assert "script" not in shape.start_tags
    assert shape.comments == []
    assert shape.start_tags.get("details", 0) == shape.end_tags.get("details", 0)


def _assert_splices(rendered: str) -> None:
    readme = f"# Mine\r\n\r\n{START}\r\n{END}\r\nfooter"
    result = splice(readme, rendered)
    assert result.count(START) == 1
    assert result.count(END) == 1
    assert current_block(result).replace("\r\n", "\n") == "\n" + rendered
    assert result.endswith(f"{END}\r\nfooter")


@pytest.mark.parametrize("template", ["default", "compact"])
def test_adversarial_text_stays_in_its_cells(template: str) -> None:
    papers = _nasty_papers()
    rendered = Renderer(template).render(
        [RenderTopic("x | <y> #", papers)], last_update="2026-01-01"
    )
    shape = shape_of(rendered)
    _assert_table_structure(shape, papers, COLUMNS[template])
    assert shape.headings == ["x | <y> #"]
    assert "{{ 7 \\* 7 }}" in rendered  # paper text is data, never template source
    assert "49" not in rendered
    _assert_splices(rendered)


def test_adversarial_text_stays_in_its_list_item() -> None:
    papers = _nasty_papers()
    rendered = Renderer("list").render([RenderTopic("t", papers)], last_update="2026-01-01")
    shape = shape_of(rendered)
    assert shape.start_tags.get("ul") == 1
    assert len(shape.list_items) == len(papers)
    assert "script" not in shape.start_tags
    assert "table" not in shape.start_tags
    assert shape.comments == []
    _assert_splices(rendered)


_TOKENS = [
    "|",
    "\\",
    "*",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "~",
    "<",
    ">",
    "&",
    "#",
    "!",
    "$",
    "-",
    "\n",
    "\r\n",
    "\n\n",
    "\t",
    "<!--",
    "-->",
    "<script>",
    "</p>",
    "</details>",
    "</td>",
    START,
    END,
    "https://x.org/a_b",
    "www.y.org",
    "é",
    "日",
    " ",
    "{{ x }}",
]
_paper_text = st.lists(
    st.one_of(st.sampled_from(_TOKENS), st.text(alphabet=st.characters(codec="utf-8"), max_size=4)),
    max_size=15,
).map("".join)


@st.composite
def _papers(draw: st.DrawFn) -> tuple[Paper, ...]:
    count = draw(st.integers(min_value=1, max_value=3))
    return tuple(
        synthetic_paper(
            n,
            title=draw(_paper_text),
            abstract=draw(_paper_text),
            comment=draw(st.none() | _paper_text),
            authors=tuple(draw(st.lists(_paper_text, min_size=1, max_size=3))),
        )
        for n in range(1, count + 1)
    )


_DEFAULT = Renderer("default")
_LIST = Renderer("list")


@settings(max_examples=150, deadline=None)
@given(_papers(), _paper_text)
def test_property_render_never_breaks_the_table(papers: tuple[Paper, ...], name: str) -> None:
    rendered = _DEFAULT.render([RenderTopic(name, papers)], last_update="2026-01-01")
    shape = shape_of(rendered)
    _assert_table_structure(shape, papers, 4)
    for paper, cells in zip(
        sorted(papers, key=lambda p: p.published, reverse=True), shape.tables[0].rows, strict=True
    ):
        comment = one_line(paper.comment)
        assert cells[3].text == (comment if len(comment) <= 20 else comment[:5] + "..." + comment)
    _assert_splices(rendered)


@settings(max_examples=100, deadline=None)
@given(_papers())
def test_property_list_has_one_item_per_paper(papers: tuple[Paper, ...]) -> None:
    shape = shape_of(_LIST.render([RenderTopic("t", papers)], last_update="2026-01-01"))
    assert shape.start_tags.get("ul") == 1
    assert len(shape.list_items) == len(papers)


# --- ordering, empty topics, comment rule ------------------------------------------------------


def test_papers_are_sorted_newest_first_even_if_given_oldest_first() -> None:
    papers = tuple(synthetic_paper(n, title=f"P{n}") for n in (1, 3, 2))
    rendered = Renderer("compact").render([RenderTopic("t", papers)], last_update="2026-01-01")
    (table,) = shape_of(rendered).tables
    assert [row[0].text for row in table.rows] == ["P3", "P2", "P1"]


def test_no_topics_and_empty_topics() -> None:
    assert (
        Renderer().render([], last_update="2026-01-01") == f"Last update: 2026-01-01\n\n{CREDIT}\n"
    )
    rendered = Renderer().render([RenderTopic("Empty", ())], last_update="2026-01-01")
    assert rendered == f"Last update: 2026-01-01\n\n## Empty\nNo papers yet.\n\n{CREDIT}\n"


@pytest.mark.parametrize(
    ("comment", "cell"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("12345678901234567890", "12345678901234567890"),
        (
            "123456789012345678901",
            "<details><summary>12345...</summary><p>123456789012345678901</p></details>",
        ),
        ("8 pages,\n 5 figures", "8 pages, 5 figures"),
        (
            "This is a very long comment",
            "<details><summary>This ...</summary><p>This is a very long comment</p></details>",
        ),
        (
            "a|b\\c|d e f g h i j k",
            "<details><summary>a\\|b\\\\c...</summary>"
            "<p>a\\|b\\\\c\\|d e f g h i j k</p></details>",
        ),
    ],
)
def test_comment_cell(comment: str | None, cell: str) -> None:
    assert comment_cell(comment) == cell


# --- user templates, context, errors ----------------------------------------------------------


def test_user_template_sees_the_documented_context(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text(
        "{{ generator }} {{ version }} {{ last_update }}\n"
        "{% for t in topics %}{{ t.name | text }}:{% for p in t.papers %}"
        " {{ p.versioned_id }} {{ p.date }} {{ p.updated_date }} {{ p.url | url }} {{ p.pdf }}"
        " {{ p.published | date }} {{ p.authors_short | text }} {{ p.categories | join(',') }}"
        " {{ p.doi or '-' }} {{ p.title | link_text }}{% endfor %}\n\n{% endfor %}{{ credit }}",
        encoding="utf-8",
    )
    (paper,) = recorded_papers(
        "api-2026-id_list-astro-ph_0601001-oldstyle-id-affiliations-journalref.xml"
    )
    rendered = make_renderer(str(template), LocalWorkspace(tmp_path).read).render(
        [RenderTopic("T", (paper,))], last_update="2026-05-11"
    )
    first, second, third = rendered.split("\n")[:3]
    assert first == f"daily-papers {__version__} 2026-05-11"
    day = paper.published.strftime("%Y-%m-%d")
    assert second.startswith(f"T: astro-ph/0601001v1 {day} {paper.updated.strftime('%Y-%m-%d')} ")
    assert f" {day} " in second.split("pdf/astro-ph/0601001v1", 1)[1]
    assert (
        "https://arxiv.org/abs/astro-ph/0601001v1 https://arxiv.org/pdf/astro-ph/0601001v1"
        in second
    )
    assert third == CREDIT
    assert rendered.endswith("\n")


def test_authors_short() -> None:
    paper = synthetic_paper(1, authors=tuple(f"Author {i}" for i in range(1, 8)))
    rendered = Renderer(
        template="mine", source="{% for t in topics %}{{ t.papers[0].authors_short }}{% endfor %}"
    ).render([RenderTopic("t", (paper,))], last_update="x")
    assert rendered == "Author 1, Author 2, Author 3, Author 4, Author 5, et al.\n"


def test_typo_in_a_user_template_names_the_line(tmp_path: Path) -> None:
    template = tmp_path / "typo.md.j2"
    template.write_text(
        "Last update: {{ last_update }}\n{% for t in topics %}\n## {{ t.name }}\n"
        "{% for p in t.papers %}\n- {{ p.titel | text }}\n{% endfor %}\n{% endfor %}\n",
        encoding="utf-8",
    )
    renderer = make_renderer(str(template), LocalWorkspace(tmp_path).read)
    with pytest.raises(TemplateError) as info:
        renderer.render([RenderTopic("t", (synthetic_paper(1),))], last_update="x")
    message = str(info.value)
    assert str(template) in message
    assert "line 5" in message
    assert "titel" in message


def test_undefined_top_level_name_names_the_line() -> None:
    with pytest.raises(
        TemplateError, match=r"repo:papers\.j2 uses an undefined name on line 2: 'last_updated'"
    ):
        Renderer("repo:papers.j2", source="ok\n{{ last_updated }}\n").render([], last_update="x")


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(TemplateError, match=r"syntax error on line 3"):
        Renderer("mine", source="a\nb\n{% for x in %}\n")


def test_filter_misuse_is_a_template_error() -> None:
    renderer = Renderer(
        "mine",
        source="{% for t in topics %}{% for p in t.papers %}{{ p.authors | cell }}"
        "{% endfor %}{% endfor %}",
    )
    with pytest.raises(TemplateError, match=r"line 1.*join lists first"):
        renderer.render([RenderTopic("t", (synthetic_paper(1),))], last_update="x")


def test_sandbox_blocks_python_internals() -> None:
    renderer = Renderer("evil", source="{{ topics.__class__.__mro__ }}")
    with pytest.raises(TemplateError, match="evil"):
        renderer.render([], last_update="x")


def test_unknown_template_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"'defualt' is neither a built-in template \(default, compact, list\)"
    ):
        make_renderer("defualt", LocalWorkspace(tmp_path).read)
    with pytest.raises(ConfigError, match="Did you mean 'default'"):
        make_renderer("defualt", LocalWorkspace(tmp_path).read)
    with pytest.raises(ConfigError, match="neither"):
        make_renderer(str(tmp_path / "missing.md.j2"), LocalWorkspace(tmp_path).read)
    with pytest.raises(ConfigError, match="not a regular file"):
        make_renderer(str(tmp_path), LocalWorkspace(tmp_path).read)  # a directory
    with pytest.raises(ConfigError, match="not a built-in template"):
        Renderer("defualt")  # the renderer itself never opens paths


def test_unreadable_template_is_a_config_error(tmp_path: Path) -> None:
    template = tmp_path / "latin1.md.j2"
    template.write_bytes(b"caf\xe9 {{ credit }}")
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        make_renderer(str(template), LocalWorkspace(tmp_path).read)


def test_a_misspelt_paper_field_names_the_field_and_suggests_one() -> None:
    renderer = Renderer("mine", source="{% for t in topics %}{{ t.papers[0].titel }}{% endfor %}")
    with pytest.raises(TemplateError) as caught:
        renderer.render([RenderTopic("a", recorded_papers(TESTING_100)[:1])], last_update="x")
    assert "a paper has no 'titel'" in caught.value.message
    assert "daily_papers" not in str(caught.value)
    assert (caught.value.hint or "").startswith("Did you mean 'title'?")


def test_a_runaway_template_stops_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from daily_papers import render as render_module

    monkeypatch.setattr(render_module, "MAX_BLOCK_CHARS", 10_000)
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"
    with pytest.raises(TemplateError, match="more than 10,000 characters"):
        Renderer("loop", source=loop).render([], last_update="x")
    assert Renderer("small", source="{{ 'x' * 9000 }}").render([], last_update="x")


@pytest.mark.parametrize("template", BUILTIN_TEMPLATES)
def test_a_renderer_reused_on_other_papers_writes_what_a_fresh_one_does(template: str) -> None:
    """Fitting a README renders several times with one renderer, which keeps each paper's view
    and each escaped text: a later render must not show an earlier one's papers."""
    topics = golden_topics()
    shorter = tuple(
        RenderTopic(t.name, tuple(reversed(t.papers))[:2], summaries=t.summaries) for t in topics
    )
    renderer = Renderer(template)
    first = renderer.render(topics, last_update=GOLDEN_DATE)
    assert renderer.render(shorter, last_update=GOLDEN_DATE) == Renderer(template).render(
        shorter, last_update=GOLDEN_DATE
    )
    assert renderer.render(topics, last_update=GOLDEN_DATE) == first


def test_a_renderer_builds_each_papers_view_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from daily_papers.template_context import TemplatePaper

    made: list[str] = []
    real = TemplatePaper.of

    def counted(
        paper: Paper, tldr: str | None = None, score: tuple[float, str] | None = None
    ) -> TemplatePaper:
        made.append(paper.id)
        return real(paper, tldr, score)

    monkeypatch.setattr(TemplatePaper, "of", counted)
    topics = golden_topics()
    renderer = Renderer("default")
    first = renderer.render(topics, last_update=GOLDEN_DATE)
    assert renderer.render(topics, last_update=GOLDEN_DATE) == first
    assert sorted(made) == sorted(p.id for t in topics for p in t.papers)
