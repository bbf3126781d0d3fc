"""The action's inputs (``DAILY_PAPERS_*`` variables) → the ``daily-papers update`` argv."""

from __future__ import annotations

import argparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daily_papers.action_inputs import (
    INPUTS,
    TOKEN_ENV,
    action_settings,
    input_env_name,
    inputs_to_argv,
    split_keywords,
    split_list,
)
from daily_papers.errors import ConfigError

BASE = {"DAILY_PAPERS_KEYWORDS": "large language model"}


def env_of(**inputs: str) -> dict[str, str]:
    env = dict(BASE)
    env.update({input_env_name(name.replace("_", "-")): value for name, value in inputs.items()})
    return env


def argv(**inputs: str) -> list[str]:
    return inputs_to_argv(env_of(**inputs))


def test_minimal_inputs_give_a_commit_run_on_readme() -> None:
    assert inputs_to_argv(BASE) == [
        "update",
        "README.md",
        "--keyword=large language model",
        "--mode=commit",
        f"--token-env={TOKEN_ENV}",
        "--github-annotations",
    ]


def test_every_input_reaches_its_flag() -> None:
    env = {
        "DAILY_PAPERS_KEYWORDS": "a\nb",
        "DAILY_PAPERS_TOPICS_FILE": "topics.yml",
        "DAILY_PAPERS_MAX_COUNT": "25",
        "DAILY_PAPERS_CATEGORIES": "cs.CL, cs.LG",
        "DAILY_PAPERS_EXCLUDE": "survey\nreview article",
        "DAILY_PAPERS_README_PATH": "docs/PAPERS.md",
        "DAILY_PAPERS_MARKER": "papers",
        "DAILY_PAPERS_README_MAX_BYTES": "400000",
        "DAILY_PAPERS_TEMPLATE": "compact",
        "DAILY_PAPERS_DATA_FILE": "data/papers.json",
        "DAILY_PAPERS_FEED_PATH": "feed.xml",
        "DAILY_PAPERS_FEED_COUNT": "50",
        "DAILY_PAPERS_COLUMNS": "title,code,venue",
        "DAILY_PAPERS_BIBTEX_PATH": "papers.bib",
        "DAILY_PAPERS_LIBRARY": "me.bib\nreading.txt",
        "DAILY_PAPERS_SORT": "relevance",
        "DAILY_PAPERS_MIN_SCORE": "0.05",
        "DAILY_PAPERS_FOR_YOU_COUNT": "10",
        "DAILY_PAPERS_FOR_YOU_CATEGORIES": "cs.CL, cs.LG",
        "DAILY_PAPERS_ARCHIVE_PATH": "papers-archive",
        "DAILY_PAPERS_SITE_DIR": "_site",
        "DAILY_PAPERS_SITE_URL": "https://octo.github.io/demo/",
        "DAILY_PAPERS_README_MAX_PAPERS": "10",
        "DAILY_PAPERS_MODE": "pull-request",
        "DAILY_PAPERS_BRANCH": "main",
        "DAILY_PAPERS_COMMIT_MESSAGE": "chore: papers",
        "DAILY_PAPERS_PR_BRANCH": "bot/papers",
        "DAILY_PAPERS_PR_TITLE": "New papers",
        "DAILY_PAPERS_PR_LABELS": "papers\nbot",
        "DAILY_PAPERS_ISSUE": "true",
        "DAILY_PAPERS_ISSUE_TITLE": "Digest",
        "DAILY_PAPERS_ISSUE_LABELS": "digest",
        "DAILY_PAPERS_ISSUE_CLOSE_PREVIOUS": "true",
        "DAILY_PAPERS_FAIL_ON_PARTIAL": "false",
        "DAILY_PAPERS_GITHUB_TOKEN": "ghs_secret",
        "DAILY_PAPERS_REPOSITORY": "octo/demo",
        "DAILY_PAPERS_API_URL": "https://ghe.example/api/v3",
        "DAILY_PAPERS_ARXIV_API_URL": "http://127.0.0.1:9/api/query",
        "DAILY_PAPERS_ARXIV_SOURCE": "rss",
        "DAILY_PAPERS_ARXIV_RSS_URL": "http://127.0.0.1:9/rss",
        "DAILY_PAPERS_INTERNAL_BE_CAREFUL_ARXIV_DELAY": "0",
        "DAILY_PAPERS_NOTIFY": "slack://T0AAAA/B0BBBB/SECRETc0ffee",
        "DAILY_PAPERS_NOTIFY_ON": "always",
        "DAILY_PAPERS_NOTIFY_FORMAT": "full",
        "DAILY_PAPERS_NOTIFY_STRICT": "true",
        "DAILY_PAPERS_SUMMARIZE": "openai",
        "DAILY_PAPERS_SUMMARIZE_MODEL": "llama3.2",
        "DAILY_PAPERS_SUMMARIZE_LANGUAGE": "Chinese",
        "DAILY_PAPERS_SUMMARIZE_URL": "http://localhost:11434/v1",
        "DAILY_PAPERS_SUMMARIZE_KEY": "sk-secret",
        "DAILY_PAPERS_SUMMARIZE_MAX_REQUESTS": "5",
        "DAILY_PAPERS_SUMMARIZE_TIME_BUDGET": "30",
    }
    assert set(env) == {spec.env for spec in INPUTS}
    assert inputs_to_argv(env, result_json="/tmp/r.json") == [
        "update",
        "docs/PAPERS.md",
        "--keyword=a",
        "--keyword=b",
        "--topics-file=topics.yml",
        "--max-count=25",
        "--category=cs.CL",
        "--category=cs.LG",
        "--exclude=survey",
        "--exclude=review article",
        "--template=compact",
        "--columns=title,code,venue",
        "--marker=papers",
        "--readme-max-bytes=400000",
        "--data-file=data/papers.json",
        "--feed=feed.xml",
        "--feed-count=50",
        "--bibtex=papers.bib",
        "--library=me.bib",
        "--library=reading.txt",
        "--sort=relevance",
        "--min-score=0.05",
        "--for-you-count=10",
        "--for-you-category=cs.CL",
        "--for-you-category=cs.LG",
        "--archive=papers-archive",
        "--site-dir=_site",
        "--site-url=https://octo.github.io/demo/",
        "--readme-max-papers=10",
        "--no-fail-on-partial",
        "--arxiv-url=http://127.0.0.1:9/api/query",
        "--arxiv-delay=0",
        "--arxiv-source=rss",
        "--arxiv-rss-url=http://127.0.0.1:9/rss",
        "--summarize=openai",
        "--summarize-model=llama3.2",
        "--summarize-language=Chinese",
        "--summarize-url=http://localhost:11434/v1",
        "--summarize-max-requests=5",
        "--summarize-seconds=30",
        "--repo=octo/demo",
        "--branch=main",
        "--mode=pull-request",
        "--token-env=DAILY_PAPERS_GITHUB_TOKEN",
        "--api-url=https://ghe.example/api/v3",
        "--commit-message=chore: papers",
        "--pr-branch=bot/papers",
        "--pr-title=New papers",
        "--label=papers",
        "--label=bot",
        "--issue",
        "--issue-title=Digest",
        "--issue-label=digest",
        "--issue-close-previous",
        # the channel URLs never reach the command line: the settings read their variable
        "--notify-on=always",
        "--notify-format=full",
        "--notify-strict",
        "--github-annotations",
        "--result-json=/tmp/r.json",
    ]


def test_the_token_never_appears_in_argv() -> None:
    result = inputs_to_argv({**BASE, "DAILY_PAPERS_GITHUB_TOKEN": "ghs_s3cret"})
    assert not any("ghs_s3cret" in arg for arg in result)
    assert f"--token-env={TOKEN_ENV}" in result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("large language model", ["large language model"]),
        ("a, b ,c", ["a", "b", "c"]),
        ("a\nb", ["a", "b"]),
        ("ti:a, b\nabs:c", ["ti:a, b", "abs:c"]),  # several lines keep their commas
        ("\n  diffusion  \n\n", ["diffusion"]),
        ("a\r\nb\r\n", ["a", "b"]),
        ("", []),
    ],
)
def test_keywords_split(text: str, expected: list[str]) -> None:
    assert split_keywords(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a, b", ["a", "b"]), ("a\nb,c", ["a", "b", "c"]), (" , \n", []), ("x", ["x"])],
)
def test_lists_split_on_commas_and_newlines(text: str, expected: list[str]) -> None:
    assert split_list(text) == expected


@pytest.mark.parametrize("name", ["fail-on-partial", "issue", "issue-close-previous"])
@pytest.mark.parametrize("value", ["yes", "True", "1", "FALSE", "on"])
def test_booleans_are_exactly_true_or_false(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        argv(**{name: value})
    assert info.value.message == f"input `{name}` must be true or false, got {value!r}."


@pytest.mark.parametrize(
    ("inputs", "present", "absent"),
    [
        ({"fail-on-partial": "true"}, [], ["--no-fail-on-partial"]),
        ({"fail-on-partial": ""}, [], ["--no-fail-on-partial"]),
        ({"fail-on-partial": "false"}, ["--no-fail-on-partial"], []),
        ({"issue": "false"}, [], ["--issue"]),
        ({"issue": " true "}, ["--issue"], []),
    ],
)
def test_boolean_values(inputs: dict[str, str], present: list[str], absent: list[str]) -> None:
    result = argv(**inputs)
    assert all(flag in result for flag in present)
    assert not any(flag in result for flag in absent)


@pytest.mark.parametrize("name", ["max-count", "feed-count"])
@pytest.mark.parametrize("value", ["abc", "0", "2001", "-5", "1.5", "1e3", "١٢"])
def test_counts_must_be_whole_numbers_in_range(name: str, value: str) -> None:
    """Checked once, when the settings are read, and named as the input (even the feed's
    count without a feed)."""
    with pytest.raises(ConfigError) as info:
        action_settings(env_of(**{name: value}))
    assert info.value.message == (
        f"input `{name}` must be a whole number from 1 to 2000, got {value!r}."
    )
    assert info.value.exit_code == 2


@pytest.mark.parametrize("value", ["1", "100", "2000", " 7 "])
def test_counts_in_range_pass(value: str) -> None:
    assert f"--max-count={int(value)}" in argv(max_count=value)
    assert action_settings(env_of(max_count=value)).topics.max_count == int(value)


def test_an_empty_input_means_the_default() -> None:
    assert action_settings(env_of(max_count="", columns="")) == action_settings(BASE)


def test_modes() -> None:
    assert "--mode=pull-request" in argv(mode="pull-request")
    dry = argv(mode="dry-run")
    assert "--dry-run" in dry
    assert not any(arg.startswith("--mode") for arg in dry)
    with pytest.raises(ConfigError, match=r"input `mode` must be one of commit, pull-request"):
        argv(mode="push")


def test_arxiv_delay_must_be_a_number() -> None:
    assert "--arxiv-delay=0.5" in argv(internal_be_careful_arxiv_delay="0.5")
    assert action_settings(env_of(internal_be_careful_arxiv_delay="0.5")).arxiv.delay == 0.5
    for bad in ("-1", "soon", "nan"):
        with pytest.raises(ConfigError, match="input `internal-be-careful-arxiv-delay` must be"):
            action_settings(env_of(internal_be_careful_arxiv_delay=bad))


def test_no_topics_is_an_error_naming_both_inputs() -> None:
    with pytest.raises(ConfigError, match=r"`keywords` or `topics-file`"):
        inputs_to_argv({"DAILY_PAPERS_KEYWORDS": " \n "})
    assert "--topics-file=t.yml" in inputs_to_argv({"DAILY_PAPERS_TOPICS_FILE": "t.yml"})


def _parser() -> argparse.ArgumentParser:
    """A stand-in with the CLI's option shapes, to prove the argv parses back losslessly."""
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    update = sub.add_parser("update")
    update.add_argument("readme")
    update.add_argument("-k", "--keyword", action="append", default=[], dest="k")
    update.add_argument("--label", action="append", default=[])
    update.add_argument("--marker")
    update.add_argument("--mode")
    update.add_argument("--token-env")
    update.add_argument("--github-annotations", action="store_true")
    return parser


_text = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1).filter(
    lambda s: s.strip() == s and "," not in s
)


def test_readme_path_cannot_look_like_an_option() -> None:
    with pytest.raises(ConfigError, match="input `readme-path` must be a file path"):
        argv(readme_path="--dry-run")


@given(keyword=_text, marker=_text, label=_text, readme=_text.filter(lambda s: s[0] != "-"))
def test_values_starting_with_dashes_stay_values(
    keyword: str, marker: str, label: str, readme: str
) -> None:
    env = {
        "DAILY_PAPERS_KEYWORDS": keyword,
        "DAILY_PAPERS_MARKER": marker,
        "DAILY_PAPERS_PR_LABELS": label,
        "DAILY_PAPERS_README_PATH": readme,
    }
    parsed = _parser().parse_args(inputs_to_argv(env))
    assert parsed.k == [keyword]
    assert parsed.marker == marker
    assert parsed.label == [label]
    assert parsed.readme == readme


def test_the_real_cli_parser_accepts_every_input() -> None:
    """The argv parses with the CLI's own parser, so flag names cannot drift from cli.py."""
    from daily_papers.arguments import build_parser

    env = {spec.env: "" for spec in INPUTS}
    env.update(
        {
            "DAILY_PAPERS_KEYWORDS": "-a\nti:b",
            "DAILY_PAPERS_TOPICS_FILE": "t.yml",
            "DAILY_PAPERS_MAX_COUNT": "5",
            "DAILY_PAPERS_CATEGORIES": "cs.CL",
            "DAILY_PAPERS_README_PATH": "R.md",
            "DAILY_PAPERS_MARKER": "m",
            "DAILY_PAPERS_TEMPLATE": "compact",
            "DAILY_PAPERS_DATA_FILE": "d.json",
            "DAILY_PAPERS_FEED_PATH": "f.xml",
            "DAILY_PAPERS_FEED_COUNT": "7",
            "DAILY_PAPERS_MODE": "pull-request",
            "DAILY_PAPERS_BRANCH": "main",
            "DAILY_PAPERS_COMMIT_MESSAGE": "msg",
            "DAILY_PAPERS_PR_BRANCH": "b",
            "DAILY_PAPERS_PR_TITLE": "t",
            "DAILY_PAPERS_PR_LABELS": "x,y",
            "DAILY_PAPERS_ISSUE": "true",
            "DAILY_PAPERS_ISSUE_TITLE": "it",
            "DAILY_PAPERS_ISSUE_LABELS": "z",
            "DAILY_PAPERS_ISSUE_CLOSE_PREVIOUS": "true",
            "DAILY_PAPERS_FAIL_ON_PARTIAL": "false",
            "DAILY_PAPERS_REPOSITORY": "o/r",
            "DAILY_PAPERS_API_URL": "http://127.0.0.1:1",
            "DAILY_PAPERS_ARXIV_API_URL": "http://127.0.0.1:2",
            "DAILY_PAPERS_INTERNAL_BE_CAREFUL_ARXIV_DELAY": "0",
        }
    )
    args = build_parser().parse_args(inputs_to_argv(env, result_json="r.json"))
    assert (args.command, args.readme, args.keywords) == ("update", "R.md", ["-a", "ti:b"])
    assert (args.topics_file, args.max_count, args.category) == ("t.yml", "5", ["cs.CL"])
    assert (args.marker, args.template, args.data_file) == ("m", "compact", "d.json")
    assert (args.feed, args.feed_count, args.mode, args.branch) == (
        "f.xml",
        "7",
        "pull-request",
        "main",
    )
    assert (args.commit_message, args.pr_branch, args.pr_title) == ("msg", "b", "t")
    assert (args.labels, args.issue, args.issue_title) == (["x", "y"], True, "it")
    assert (args.issue_labels, args.issue_close_previous) == (["z"], True)
    assert (args.fail_on_partial, args.token_env, args.repo) == (False, TOKEN_ENV, "o/r")
    assert (args.api_url, args.arxiv_url, args.arxiv_delay) == (
        "http://127.0.0.1:1",
        "http://127.0.0.1:2",
        "0",
    )
    assert (args.github_annotations, args.result_json, args.dry_run) == (True, "r.json", False)
