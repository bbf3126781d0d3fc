"""Marker handling: slicing, byte-for-byte preservation, errors that say what to add.

README texts here are SYNTHETIC, shaped after the failures in
shared/notes/lessons-from-anchors.md (empty markers, greedy regex, re.sub backslashes, CRLF).
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from daily_papers.errors import ConfigError, ReadmeError, TemplateError
from daily_papers.splice import current_block, marker_lines, splice

START, END = "<!-- daily-papers:start -->", "<!-- daily-papers:end -->"


def test_marker_lines() -> None:
    assert marker_lines() == (START, END)
    assert marker_lines("arxiv.cs-LG_2") == (
        "<!-- arxiv.cs-LG_2:start -->",
        "<!-- arxiv.cs-LG_2:end -->",
    )


@pytest.mark.parametrize("name", ["", " ", "a b", "a--b", "a>b", "-a", "a:b", "x" * 65, "a\n", "é"])
def test_bad_marker_names_are_config_errors(name: str) -> None:
    with pytest.raises(ConfigError, match="marker name"):
        marker_lines(name)
    with pytest.raises(ConfigError):
        splice(f"<!-- {name}:start -->\n<!-- {name}:end -->\n", "x", marker=name)


def test_replaces_only_between_the_markers() -> None:
    readme = f"# Title\n\nIntro.\n\n{START}\nold\nstuff\n{END}\n\nFooter.\n"
    assert (
        splice(readme, "new\nblock\n")
        == f"# Title\n\nIntro.\n\n{START}\nnew\nblock\n{END}\n\nFooter.\n"
    )


def test_empty_section_and_empty_block() -> None:
    assert splice(f"{START}{END}", "x\n") == f"{START}\nx\n{END}"
    assert splice(f"a\n{START}\nold\n{END}\n", "") == f"a\n{START}\n{END}\n"


def test_exactly_one_newline_around_the_block() -> None:
    assert splice(f"{START}\n{END}\n", "\n\nbody\n\n\n") == f"{START}\nbody\n{END}\n"


def test_crlf_readme_gets_crlf_block_and_keeps_everything_else() -> None:
    before = "\ufeff# T\r\n\r\nText\twith tab\r\n"
    after = "\r\nEnd without newline"
    readme = f"{before}{START}\r\nold\r\n{END}{after}"
    result = splice(readme, "line 1\nline 2\n")
    assert result == f"{before}{START}\r\nline 1\r\nline 2\r\n{END}{after}"
    assert result.startswith("\ufeff")
    assert "\n" not in result.replace("\r\n", "")


def test_block_endings_are_unified_to_the_start_marker_line() -> None:
    readme = f"a\r\n{START}\n{END}\r\n"  # start marker line ends with LF: LF wins
    assert splice(readme, "x\r\ny\rz") == f"a\r\n{START}\nx\ny\nz\n{END}\r\n"


def test_markers_inside_a_line() -> None:
    readme = f"Papers: {START}{END} (auto)"
    assert splice(readme, "p") == f"Papers: {START}\np\n{END} (auto)"


def test_latex_backslashes_are_not_replacement_escapes() -> None:
    """simonw-style ``re.sub`` turned ``\\alpha`` into BEL + ``lpha``; slicing cannot."""
    block = r"\alpha \1 \g<0> \mathbf{x} \\ \n"
    assert current_block(splice(f"{START}\n{END}\n", block)) == "\n" + block + "\n"


def test_idempotent() -> None:
    readme = f"x\r\n{START}\r\nold\r\n{END}\r\ny"
    once = splice(readme, "a\nb\n")
    assert splice(once, "a\nb\n") == once


def test_two_named_blocks_in_one_file() -> None:
    a_start, a_end = marker_lines("cs")
    b_start, b_end = marker_lines("math")
    readme = f"{a_start}\n{a_end}\nmiddle\n{b_start}\n{b_end}\n"
    result = splice(splice(readme, "A", marker="cs"), "B", marker="math")
    assert result == f"{a_start}\nA\n{a_end}\nmiddle\n{b_start}\nB\n{b_end}\n"
    assert current_block(result, marker="cs") == "\nA\n"


def _error(text: str, **kwargs: str) -> ReadmeError:
    with pytest.raises(ReadmeError) as info:
        splice(text, "x", **kwargs)
    with pytest.raises(ReadmeError):
        current_block(text, **kwargs)
    return info.value


@pytest.mark.parametrize(
    ("readme", "fragment"),
    [
        (
            "# No markers\n",
            "has no <!-- daily-papers:start --> / <!-- daily-papers:end --> markers",
        ),
        (f"{START}\n", "has no <!-- daily-papers:end --> marker to go with the one on line 1"),
        (f"a\n{END}\n", "has no <!-- daily-papers:start --> marker to go with the one on line 2"),
        (f"{START}\n{START}\n{END}\n", "has 2 <!-- daily-papers:start --> and 1"),
        (f"{START}\n{END}\n{END}\n", "lines 1, 2, 3"),
        (f"{END}\n{START}\n", "before its <!-- daily-papers:start --> marker (line 2)"),
        ("", "has no"),
    ],
)
def test_marker_errors_name_the_file_and_the_lines_to_add(readme: str, fragment: str) -> None:
    error = _error(readme, path="docs/PAPERS.md")
    assert error.message.startswith("docs/PAPERS.md ")
    assert fragment in error.message
    assert error.hint is not None
    assert f"\n{START}\n{END}" in error.hint
    assert f"{START}\n{END}" in str(error)


def test_near_miss_markers_are_pointed_out() -> None:
    error = _error("x\n<!-- DAILY-PAPERS:START -->\n<!--daily-papers:end-->\n")
    assert "line 2: <!-- DAILY-PAPERS:START -->" in error.message
    assert "line 3: <!--daily-papers:end-->" in error.message


def test_custom_marker_error_prints_custom_lines() -> None:
    error = _error(f"{START}\n{END}\n", marker="papers")
    assert "<!-- papers:start -->\n<!-- papers:end -->" in str(error)


@pytest.mark.parametrize("line", [START, END])
def test_block_containing_a_marker_is_refused(line: str) -> None:
    with pytest.raises(TemplateError, match="contains the marker"):
        splice(f"{START}\n{END}\n", f"a {line} b")


# --- properties -------------------------------------------------------------------------------

_chunks = st.lists(
    st.one_of(
        st.sampled_from(["\r\n", "\n", "\r", "\t", "\ufeff", " ", "<!--", "-->", "\\1", "é", "x"]),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=5),
    ),
    max_size=12,
).map("".join)


def _no_markers(*parts: str) -> None:
    # a part could also complete a marker with its neighbour, so check the joined text too
    assume(all(START not in p and END not in p for p in parts))
    joined = "".join(parts)
    assume(joined.count(START) == 0 and joined.count(END) == 0)


@settings(max_examples=150, deadline=None)
@given(_chunks, _chunks, _chunks, _chunks)
def test_property_bytes_outside_the_markers_are_kept(
    before: str, middle: str, after: str, block: str
) -> None:
    _no_markers(before, middle, after, block)
    readme = before + START + middle + END + after
    result = splice(readme, block)
    prefix = (before + START).encode("utf-8")
    suffix = (END + after).encode("utf-8")
    data = result.encode("utf-8")
    assert data.startswith(prefix)
    assert data.endswith(suffix)
    assert result.count(START) == 1
    assert result.count(END) == 1
    assert splice(result, block) == result


@settings(max_examples=150, deadline=None)
@given(_chunks, _chunks, _chunks)
def test_property_block_round_trips(before: str, after: str, block: str) -> None:
    _no_markers(before, after, block)
    result = splice(f"{before}{START}\n{END}{after}", block)
    body = current_block(result)
    normalized = block.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    eol = "\r\n" if body.startswith("\r\n") else "\n"
    expected = eol + normalized.replace("\n", eol) + eol if normalized else eol
    assert body == expected
