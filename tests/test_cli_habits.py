"""The command line as people use it: help, usage, option placement, tables, interrupts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from daily_papers import cli
from tests.fakes.arxiv_server import FakeArxiv
from tests.helpers import Result
from tests.test_cli_update import README, run, served, update_args

__all__ = ["served"]  # the fixture, re-used


def test_a_bare_command_prints_the_usage_and_a_pointer() -> None:
    out, err = io.StringIO(), io.StringIO()
    status = cli.run([], {}, stdout=out, stderr=err)
    assert status == 2
    assert err.getvalue().startswith("usage: daily-papers")
    assert "daily-papers --help" in err.getvalue()


def test_help_has_examples_defaults_and_no_internal_command() -> None:
    top = run("--help")
    assert top.status == 0
    assert "examples:" in top.out
    assert "action" not in top.out
    assert "``" not in top.out
    update = run("update", "--help")
    assert "examples:" in update.out
    assert "(default: 100)" in update.out  # --max-count
    assert "(default: title,date,abstract,comment)" in update.out
    assert "with --repo a path inside the repository" in update.out
    assert "combined" in update.out  # -k and --topics-file
    assert "(default: None)" not in update.out


def test_verbose_works_after_the_subcommand(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run(*update_args(readme, served), "--dry-run", "-v")
    assert res.status == 0, res.err


def test_mode_dry_run_is_the_dry_run_flag(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run(*update_args(readme, served), "--mode", "dry-run")
    assert res.status == 0, res.err
    assert readme.read_bytes() == README.encode("utf-8")
    assert "README.md: would change" in res.out


def test_search_prints_a_table_that_fits_the_terminal(served: FakeArxiv) -> None:
    args = ["search", "alpha", "--max-count", "3", "--arxiv-url", served.url]
    res = run(*args, "--arxiv-delay", "0", env={"COLUMNS": "80"})
    assert res.status == 0, res.err
    lines = res.out.splitlines()
    assert "3 papers, newest first" in lines
    header = next(line for line in lines if line.startswith("Date"))
    assert header.split() == ["Date", "arXiv", "id", "First", "author", "Title"]
    table = lines[lines.index(header) :]
    assert len(table) == 2 + 3
    assert all(len(line) <= 80 for line in table)


def test_one_paper_is_singular(served: FakeArxiv) -> None:
    args = ["search", "alpha", "--max-count", "1", "--arxiv-url", served.url]
    res = run(*args, "--arxiv-delay", "0")
    assert "1 paper, newest first" in res.out


def test_an_empty_arxiv_url_is_an_error_not_the_real_arxiv() -> None:
    res = run("search", "alpha", "--arxiv-url", "")
    assert res.status == 2
    assert "--arxiv-url is empty" in res.err


def test_ctrl_c_exits_130_without_a_traceback(
    tmp_path: Path, served: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_update", interrupted)
    res: Result = run(*update_args(readme, served))
    assert res.status == 130
    assert "Traceback" not in res.err
    assert "Interrupted" in res.err
    assert readme.read_bytes() == README.encode("utf-8")


def test_a_dry_run_says_would_and_summarises_the_data_file(
    tmp_path: Path, served: FakeArxiv
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run(*update_args(readme, served), "--dry-run")
    assert res.status == 0, res.err
    assert "+## alpha" in res.out  # the README diff is shown
    assert "daily-papers.json b/" not in res.out  # the data file is not dumped
    assert '"schema"' not in res.out
    assert "alpha: fetched 5, new 5, kept 5 [ok]" in res.out
    assert "daily-papers.json: would change" in res.out
    assert "15 new papers would be added" in res.out
    assert "operation: none (dry run)" in res.out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--category", "cs.XY"], "'cs.XY' in the categories is not an arXiv category"),
        (["--category", "cs.ai"], "Did you mean cs.AI"),
    ],
)
def test_unknown_categories_are_refused_before_any_request(
    served: FakeArxiv, args: list[str], fragment: str
) -> None:
    res = run("search", "alpha", *args, "--arxiv-url", served.url, "--arxiv-delay", "0")
    assert res.status == 2
    assert fragment in res.err
    assert served.requests == []


def test_cat_terms_in_advanced_queries_are_checked_too(served: FakeArxiv) -> None:
    res = run("search", "ti:x AND cat:cs.Al", "--arxiv-url", served.url)
    assert res.status == 2
    assert "Did you mean cs.AI" in res.err
    assert served.requests == []


@pytest.mark.parametrize("category", ["cs", "cs.NA", "math.NA", "hep-th"])
def test_archives_and_aliases_are_accepted(category: str) -> None:
    from daily_papers.query.build import topic_query

    assert f"cat:{category}" in topic_query("alpha", categories=[category])
