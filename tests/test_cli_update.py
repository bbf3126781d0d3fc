"""`daily-papers update` and `search` end to end, in-process, against the loopback fake arXiv."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from daily_papers.query.build import topic_query
from daily_papers.splice import marker_lines
from tests.fakes.arxiv_server import FakeArxiv, fixture_bytes
from tests.helpers import TOPICS, run_cli

START, END = marker_lines()
BEFORE = "# My papers\r\n\r\nIntro with a tab\tand ünïcödé.\r\n\r\n"
AFTER = "\r\n## Footer\r\nNo trailing newline"
README = BEFORE + START + "\r\n" + END + AFTER

run = run_cli


@pytest.fixture
def served(fake_arxiv: FakeArxiv) -> FakeArxiv:
    for name, fixture in TOPICS.items():
        fake_arxiv.serve_feed(fixture_bytes(fixture), search_query=topic_query(name))
    return fake_arxiv


def update_args(readme: Path, fake: FakeArxiv, *extra: str) -> list[str]:
    args = ["update", str(readme), "--arxiv-url", fake.url, "--arxiv-delay", "0"]
    args += ["--arxiv-source", "api"]  # these tests are about the API path
    for name in TOPICS:
        args += ["-k", name]
    return [*args, "--max-count", "5", *extra]


def test_first_run_writes_block_data_file_and_result(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    result_json = tmp_path / "result.json"
    res = run(*update_args(readme, served, "--result-json", str(result_json)))
    assert res.status == 0, res.err
    text = readme.read_bytes().decode("utf-8")
    assert text.startswith(BEFORE + START + "\r\n")
    assert text.endswith("\r\n" + END + AFTER)
    for name in TOPICS:
        assert f"## {name}\r\n" in text
    assert "Last update: 2026-11-26" in text
    assert "Thank you to arXiv for use of its open access interoperability." in text
    assert text.count("| **[") == 15
    data = json.loads((tmp_path / "daily-papers.json").read_text(encoding="utf-8"))
    assert [t["name"] for t in data["topics"]] == list(TOPICS)
    result = json.loads(result_json.read_text(encoding="utf-8"))
    assert result["changed"] is True
    assert result["status"] == "success"
    assert [t["kept"] for t in result["topics"]] == [5, 5, 5]
    assert result["new_papers"] == len({n["id"] for n in result["new"]}) == 15
    assert result["publish"] == {
        "mode": "local",
        "operation": "written",
        "commit_sha": None,
        "pull_request_number": None,
        "pull_request_url": None,
        "pull_request_branch": None,
        "head_sha": None,
        "api_calls": 0,
    }
    # every request asked for the newest papers first, politely
    for request in served.requests:
        assert request.params["sortBy"] == "submittedDate"
        assert request.params["sortOrder"] == "descending"
        assert request.params["max_results"] == "5"
    assert "alpha: fetched 5, new 5, kept 5" in res.out


def test_second_run_changes_no_byte(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    assert run(*update_args(readme, served)).status == 0
    before = readme.read_bytes(), (tmp_path / "daily-papers.json").read_bytes()
    mtime = readme.stat().st_mtime_ns
    res = run(*update_args(readme, served), today=date(2026, 11, 27))
    assert res.status == 0
    assert (readme.read_bytes(), (tmp_path / "daily-papers.json").read_bytes()) == before
    assert readme.stat().st_mtime_ns == mtime
    assert f"{readme}: unchanged" in res.out
    assert "0 new papers" in res.out


def test_failed_topic_keeps_papers_and_exits_partial(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    assert run(*update_args(readme, served)).status == 0
    first = readme.read_text(encoding="utf-8")
    # arXiv now rejects beta's query with its HTTP 400 error feed (not retried)
    served.add_route(
        body=fixture_bytes("api-2026-error-http400-incorrect-id-format.xml"),
        search_query=topic_query("beta"),
        status=400,
    )
    result_json = tmp_path / "r.json"
    res = run(*update_args(readme, served, "--result-json", str(result_json)))
    assert res.status == 3
    assert "beta" in res.err
    assert "keep their previous papers" in res.err
    assert readme.read_text(encoding="utf-8") == first
    result = json.loads(result_json.read_text(encoding="utf-8"))
    assert result["status"] == "partial"
    beta = result["topics"][1]
    assert beta["failed"] is True
    assert beta["kept"] == 5
    assert "incorrect id format" in beta["error"]
    assert run(*update_args(readme, served, "--no-fail-on-partial")).status == 0


def test_all_topics_failing_writes_nothing(tmp_path: Path, fake_arxiv: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    for name in TOPICS:
        fake_arxiv.add_route(
            body=fixture_bytes("api-2026-error-http400-incorrect-id-format.xml"),
            search_query=topic_query(name),
            status=400,
        )
    res = run(*update_args(readme, fake_arxiv))
    assert res.status == 1
    assert "Every topic failed" in res.err
    assert readme.read_bytes() == README.encode("utf-8")
    assert not (tmp_path / "daily-papers.json").exists()


def test_dry_run_prints_diff_and_writes_nothing(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run(*update_args(readme, served, "--dry-run"))
    assert res.status == 0
    assert f"+++ b/{readme}" in res.out
    assert "+## alpha" in res.out
    assert readme.read_bytes() == README.encode("utf-8")
    assert not (tmp_path / "daily-papers.json").exists()


def test_missing_markers_fail_before_any_request(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# nothing here\n", encoding="utf-8")
    res = run(*update_args(readme, served))
    assert res.status == 2  # the user must fix the README
    assert str(readme) in res.err
    assert START in res.err
    assert END in res.err
    assert served.requests == []
    assert readme.read_text(encoding="utf-8") == "# nothing here\n"


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--max-count", "abc"], "1 to 2000"),
        (["--max-count", "2001"], "1 to 2000"),
        (["-k", "alpha"], "listed twice"),
        (["--template", "fancy"], "fancy"),
        (["--topics-file", "nope.yml"], "nope.yml"),
        (["--marker", "bad name"], "marker"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(
    tmp_path: Path, served: FakeArxiv, extra: list[str], fragment: str
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run(*update_args(readme, served), *extra)
    assert res.status == 2, res.err
    assert fragment in res.err
    assert "Traceback" not in res.err
    assert readme.read_bytes() == README.encode("utf-8")
    assert served.requests == []


def test_no_topics_and_absent_readme(tmp_path: Path, served: FakeArxiv) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    res = run("update", str(readme), "--arxiv-url", served.url)
    assert res.status == 2
    assert "No topics given" in res.err
    res = run("update", str(tmp_path / "MISSING.md"), "-k", "alpha", "--arxiv-url", served.url)
    assert res.status == 2
    assert "MISSING.md" in res.err


def test_topics_file_and_custom_marker(tmp_path: Path, served: FakeArxiv) -> None:
    start, end = marker_lines("papers")
    readme = tmp_path / "README.md"
    readme.write_text(f"top\n{start}\nold\n{end}\nbottom\n", encoding="utf-8")
    topics = tmp_path / "topics.yml"
    topics.write_text("topics:\n  - alpha\n  - name: Beta\n    keywords: [beta]\n", "utf-8")
    res = run(
        "update",
        str(readme),
        "--topics-file",
        str(topics),
        "--marker",
        "papers",
        "--template",
        "compact",
        "--arxiv-url",
        served.url,
        "--arxiv-delay",
        "0",
        "--max-count",
        "3",
        "--arxiv-source",
        "api",
    )
    assert res.status == 0, res.err
    text = readme.read_text(encoding="utf-8")
    assert "## Beta" in text
    assert "old" not in text
    assert text.startswith(f"top\n{start}\n")
    assert text.endswith(f"{end}\nbottom\n")
    assert (tmp_path / "papers.json").exists()


def test_search_json_has_exactly_the_documented_keys(served: FakeArxiv) -> None:
    res = run(
        "search",
        "alpha",
        "--max-count",
        "3",
        "--json",
        "--arxiv-url",
        served.url,
        "--arxiv-delay",
        "0",
    )
    assert res.status == 0, res.err
    papers = json.loads(res.out)
    assert len(papers) == 3
    assert list(papers[0]) == [
        "id",
        "version",
        "title",
        "abstract",
        "authors",
        "published",
        "updated",
        "primary_category",
        "categories",
        "comment",
        "journal_ref",
        "doi",
        "abs_url",
        "pdf_url",
    ]
    assert papers[0]["published"].endswith("Z")


def test_search_table_and_errors(served: FakeArxiv) -> None:
    res = run(
        "search", "alpha", "--max-count", "2", "--arxiv-url", served.url, "--arxiv-delay", "0"
    )
    assert res.status == 0
    assert "2 papers, newest first" in res.out
    res = run("search", 'ti:"unbalanced', "--arxiv-url", served.url)
    assert res.status == 2
    assert "Traceback" not in res.err
    assert served.requests[-1].params.get("search_query") != 'ti:"unbalanced'


def test_version_flag() -> None:
    res = run("--version")
    assert res.status == 0
    assert res.out.strip().startswith("daily-papers ")


def test_env_overrides_arxiv_url(tmp_path: Path, served: FakeArxiv) -> None:
    res = run(
        "search",
        "alpha",
        "--max-count",
        "1",
        "--arxiv-delay",
        "0",
        env={"DAILY_PAPERS_ARXIV_URL": served.url},
    )
    assert res.status == 0, res.err
    assert len(served.requests) == 1


def test_columns_and_bibtex_reach_the_readme_and_the_same_run(
    tmp_path: Path, served: FakeArxiv
) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    bib = tmp_path / "papers.bib"
    res = run(*update_args(readme, served), "--columns", "title,venue,code", "--bibtex", str(bib))
    assert res.status == 0, res.err
    text = readme.read_text(encoding="utf-8")
    assert "| **Title** | **Venue** | **Code** |" in text
    entries = bib.read_text(encoding="utf-8").count("@misc{")
    assert entries == len(set(re.findall(r"arxiv\.org/abs/([^v)]+)v", text)))
    first = bib.read_bytes()
    res = run(*update_args(readme, served), "--columns", "title,venue,code", "--bibtex", str(bib))
    assert bib.read_bytes() == first  # byte-identical when nothing changed
    res = run(*update_args(readme, served), "--columns", "title,venu")
    assert res.status == 2
    assert "Did you mean 'venue'" in res.err


def test_a_topic_that_finds_nothing_on_its_first_fetch_is_a_warning(
    tmp_path: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.serve_feed(
        fixture_bytes("api-2026-id_list-0000.0000-empty-total0.xml"),
        search_query=topic_query("reward modle"),
    )
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode("utf-8"))
    argv = ["update", str(readme), "-k", "reward modle", "--arxiv-url", fake_arxiv.url]
    argv += ["--arxiv-source", "api"]
    res = run(*argv, "--arxiv-delay", "0", "--github-annotations")
    assert res.status == 0, res.err
    warning = next(line for line in res.out.splitlines() if line.startswith("::warning::"))
    assert "reward modle" in warning
    assert "daily-papers search" in warning
    again = run(*argv, "--arxiv-delay", "0", "--github-annotations")
    assert not any(line.startswith("::warning::") for line in again.out.splitlines())
