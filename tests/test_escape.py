"""Escaping paper text for GFM, proved with cmark-gfm (GitHub's renderer).

All adversarial strings here are SYNTHETIC, chosen from the failure catalogue in
shared/notes/lessons-from-anchors.md (pipe in an abstract, LaTeX backslashes, marker text).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daily_papers.defaults import README_RENDER_LIMIT
from daily_papers.escape import (
    escape_cell,
    escape_link_text,
    escape_text,
    escape_url,
    one_line,
    size_warning,
)
from tests.gfm import shape_of

ADVERSARIAL = [
    "p(u | x) and a|b||c",
    "<script>alert(1)</script>",
    "Tom & Jerry &amp; &alpha; &#124;",
    "\\alpha \\{x\\} \\\\ \\1 \\mathbf{x}",
    "ends with a backslash \\",
    "\\",
    "\\|",
    "$a*b$ and $c*d$ and $x_1$ and $\\mathcal{O}(n)$",
    "*bold* **strong** _em_ __em__ ~~del~~ ~x~",
    "[link](http://evil) ![img](x.png) [^1] [x]: http://ref",
    "`code | with pipe` and ``double``",
    "line one\nline two\r\nline three\rfour\t\tfive\u2028six\x85seven",
    "<!-- hidden --> and -->",
    "<!-- daily-papers:end -->",
    "<!-- daily-papers:start -->",
    "<details><summary>x</summary>",
    "</p></details></td></tr></table>",
    "Ramírez, Møldrup, Weißl, α-β, 日本語, emoji 🎉",
    "# heading? ## and trailing ##",
    "- not a list",
    "1. not a list",
    "+ plus",
    "> not a quote",
    "---",
    "=== setext",
    "    four spaces",
    "www.example.com and https://example.com/a_b_c",
    "Code: https://github.com/a/my_repo. (see https://x.org/a_(b)), <https://x.org/>",
    "\\url{https://github.com/x/y_z} and http://.,; and www. and HTTPS://X.ORG/A_B",
    "mail a_b@example.com or @someone",
    "{{ jinja }} {% raw %}",
    "\x00nul\x07bell\x1besc",
    "   ",
    "",
]


def _table(cell: str) -> str:
    return f"| h | h2 |\n| --- | --- |\n| {cell} | z |\n"


def _assert_one_cell_faithful(original: str) -> None:
    escaped = escape_cell(original)
    shape = shape_of(_table(escaped))
    assert len(shape.tables) == 1
    (table,) = shape.tables
    assert len(table.rows) == 1
    assert [len(r) for r in table.rows] == [2]
    assert table.rows[0][0].text == one_line(original)
    assert table.rows[0][1].text == "z"


def _assert_details_cell(original: str) -> None:
    cell = f"<details><summary>Show</summary><p>{escape_cell(original)}</p></details>"
    shape = shape_of(_table(cell))
    (table,) = shape.tables
    assert [len(r) for r in table.rows] == [2]
    first = table.rows[0][0]
    assert first.opened.keys() - {"a"} == {"details", "summary", "p"}
    assert (first.opened["details"], first.opened["summary"], first.opened["p"]) == (1, 1, 1)
    assert first.balanced("a")
    assert first.balanced("details")
    assert first.balanced("p")
    assert first.text == "Show" + one_line(original)
    assert "script" not in shape.start_tags
    assert shape.comments == []


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_cell_renders_as_exactly_the_text_in_one_cell(text: str) -> None:
    _assert_one_cell_faithful(text)


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_cell_inside_details_keeps_html_balanced(text: str) -> None:
    _assert_details_cell(text)


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_cell_output_has_no_raw_html_and_only_escaped_pipes(text: str) -> None:
    escaped = escape_cell(text)
    assert "<" not in escaped
    assert ">" not in escaped
    assert "\n" not in escaped
    assert "\r" not in escaped
    # every "|" is preceded by an odd run of backslashes, i.e. it is an escaped pipe
    for match in re.finditer(r"(\\*)\|", escaped):
        assert len(match.group(1)) % 2 == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", "a \\| b"),
        ("\\alpha", "\\\\alpha"),
        ("trailing \\", "trailing \\\\"),
        ("$x_1$", "$x\\_1$"),
        ("<!-- daily-papers:end -->", "&lt;!-- daily-papers:end --&gt;"),
        ("A & B", "A &amp; B"),
        ("a\n  b\tc", "a b c"),
        ("Ramírez", "Ramírez"),
        ("[x](y) *z* `w` ~v~", "\\[x\\](y) \\*z\\* \\`w\\` \\~v\\~"),
        (None, ""),
    ],
)
def test_escape_cell_examples(text: str | None, expected: str) -> None:
    assert escape_cell(text) == expected


def test_dailyarxiv_pipe_regression() -> None:
    """arXiv 2510.16905's abstract had ``p(u | x)``; unescaped it split DailyArXiv's row."""
    cell = f"<details><summary>Show</summary><p>{escape_cell('a p(u | x) b')}</p></details>"
    shape = shape_of(f"| A | B |\n| --- | --- |\n| {cell} | c |\n")
    assert [len(r) for r in shape.tables[0].rows] == [2]
    assert shape.tables[0].rows[0][0].text == "Showa p(u | x) b"


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_text_is_one_heading_with_the_text(text: str) -> None:
    shape = shape_of(f"## {escape_text(text)}\n")
    if one_line(text):
        assert shape.headings == [one_line(text)]
    assert shape.start_tags.keys() <= {"h2", "a"}


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_text_is_one_list_item_with_the_text(text: str) -> None:
    shape = shape_of(f"- {escape_text(text)}\n- second\n")
    assert shape.start_tags.get("ul") == 1
    assert shape.start_tags.keys() <= {"ul", "li", "a"}
    assert shape.list_items == [one_line(text), "second"]


def test_link_text_keeps_the_link_whole() -> None:
    title = "Brackets ] [ and (parens) | pipe"
    shape = shape_of(
        f"**[{escape_link_text(title)}]({escape_url('https://arxiv.org/abs/1v1')})**\n"
    )
    assert shape.start_tags == {"p": 1, "strong": 1, "a": 1}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2401.00001v2", "https://arxiv.org/abs/2401.00001v2"),
        ("https://arxiv.org/abs/hep-th/9901001v1", "https://arxiv.org/abs/hep-th/9901001v1"),
        ("https://x.org/a b", "https://x.org/a%20b"),
        ("https://x.org/a)b(c", "https://x.org/a%29b%28c"),
        ("https://x.org/a|b", "https://x.org/a%7Cb"),
        ("https://x.org/<b>\\`", "https://x.org/%3Cb%3E%5C%60"),
        ("https://x.org/é?q=1&r=2#f", "https://x.org/%C3%A9?q=1&r=2#f"),
        ("https://x.org/already%20encoded", "https://x.org/already%20encoded"),
        (None, ""),
    ],
)
def test_escape_url(url: str | None, expected: str) -> None:
    assert escape_url(url) == expected


def test_escaped_url_is_one_link_in_a_table_cell() -> None:
    url = escape_url("https://x.org/a b)|c`d")
    shape = shape_of(_table(f"**[t]({url})**"))
    (table,) = shape.tables
    assert [len(r) for r in table.rows] == [2]
    assert table.rows[0][0].opened == {"strong": 1, "a": 1}


def test_size_warning() -> None:
    assert size_warning("x" * README_RENDER_LIMIT) is None
    warning = size_warning(b"x" * (README_RENDER_LIMIT + 1))
    assert warning is not None
    assert "512,001 bytes" in warning
    assert "max-count" in warning
    assert "compact" in warning
    # str is measured in UTF-8 bytes: 200,000 "é" are 400,000 bytes
    assert size_warning("é" * 200_000, limit=399_999) is not None
    assert size_warning("é" * 200_000, limit=400_000) is None


# --- properties -------------------------------------------------------------------------------

_TOKENS = [
    "|",
    "\\",
    "\\|",
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
    "+",
    "=",
    "1.",
    " ",
    "\n",
    "\r\n",
    "\t",
    "<!--",
    "-->",
    "<script>",
    "</p>",
    "</details>",
    "<!-- daily-papers:end -->",
    "&amp;",
    "&#124;",
    "www.x.org",
    "é",
    "α",
    "日",
    "https://",
    "http://x.org/",
    "www.",
    "a@b.co",
    ".",
    ")",
    "(",
]
_texts = st.one_of(
    st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=3)), max_size=25).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
)


@settings(max_examples=150, deadline=None)
@given(_texts)
def test_property_cell_is_faithful_and_contained(text: str) -> None:
    _assert_one_cell_faithful(text)
    _assert_details_cell(text)


@settings(max_examples=150, deadline=None)
@given(_texts)
def test_property_text_is_one_list_item(text: str) -> None:
    shape = shape_of(f"- {escape_text(text)}\n- second\n")
    assert shape.start_tags.get("ul") == 1
    assert shape.list_items == [one_line(text), "second"]


def test_console_text_cannot_start_a_workflow_command() -> None:
    from daily_papers.escape import console_text

    text = console_text("title\r::error file=x::owned\n##[warning]legacy\u2028\x1b[2Jz\ud800")
    assert "\r" not in text
    assert "\n" not in text
    assert "\x1b" not in text
    assert text == "title ::error file=x::owned ##[warning]legacy [2Jz"
