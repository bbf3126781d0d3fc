"""Typed, frozen run settings: built once from the parsed command line, validated once.

The action reaches these through the same path as a person at a terminal (inputs → argv →
parser → :func:`update_settings`), so the two cannot drift.  Nothing below this module sees
argparse or the environment: the orchestrator gets a :class:`RunSettings` and nothing else.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from daily_papers import defaults, splice
from daily_papers.errors import ConfigError
from daily_papers.render import DEFAULT_COLUMNS, parse_columns
from daily_papers.site.structure import default_site_url

MODES = ("commit", "pull-request", "dry-run")


def check_count(value: object, *, source: str) -> int:
    """``value`` as a whole number from 1 to the limit, or a ConfigError naming ``source``."""
    limit = defaults.MAX_COUNT_LIMIT
    text = str(value).strip() if isinstance(value, (int, str)) else None
    if isinstance(value, bool) or text is None or not (text.isascii() and text.isdigit()):
        raise ConfigError(f"{source} must be a whole number from 1 to {limit}, got {value!r}.")
    number = int(text)
    if not 1 <= number <= limit:
        raise ConfigError(f"{source} must be a whole number from 1 to {limit}, got {value!r}.")
    return number


@dataclass(frozen=True)
class TopicSpec:
    """Where the topics come from: ``-k`` phrases and/or a topics file, with shared defaults."""

    keywords: tuple[str, ...] = ()
    topics_file: str | None = None
    max_count: int = defaults.MAX_COUNT
    categories: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArxivSettings:
    """How to reach arXiv's API."""

    url: str = defaults.ARXIV_API_URL
    delay: float = defaults.ARXIV_DELAY
    page_size: int = defaults.ARXIV_PAGE_SIZE
    source: str = defaults.ARXIV_SOURCE
    rss_url: str = defaults.ARXIV_RSS_URL


@dataclass(frozen=True)
class FeedSettings:
    """The optional Atom feed: its repository-relative path and how many entries it keeps."""

    path: str
    count: int = defaults.FEED_COUNT


@dataclass(frozen=True)
class SiteSettings:
    """The paper site: where it is built on the runner (``None``: only linked) and its address."""

    url: str
    directory: str | None = None


@dataclass(frozen=True)
class RepositorySettings:
    """Publishing through the GitHub API instead of writing local files."""

    full_name: str
    token: str = field(repr=False)
    api_url: str = defaults.GITHUB_API_URL
    branch: str | None = None
    mode: str = "commit"  # commit | pull-request
    commit_message: str = defaults.COMMIT_MESSAGE
    pr_branch: str = defaults.PR_BRANCH
    pr_title: str = defaults.PR_TITLE
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigestSettings:
    """The optional digest issue of new papers."""

    title: str = defaults.ISSUE_TITLE
    labels: tuple[str, ...] = ()
    close_previous: bool = False


@dataclass(frozen=True)
class RunSettings:
    """Everything one ``update`` run needs, already validated."""

    topics: TopicSpec
    readme_path: str = defaults.README_PATH
    data_path: str = f"{defaults.MARKER}.json"
    marker: str = defaults.MARKER
    template: str = defaults.TEMPLATE
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    feed: FeedSettings | None = None
    bibtex_path: str | None = None
    archive_dir: str | None = None
    site: SiteSettings | None = None
    readme_max_papers: int | None = None
    arxiv: ArxivSettings = ArxivSettings()
    repository: RepositorySettings | None = None
    digest: DigestSettings | None = None
    dry_run: bool = False
    fail_on_partial: bool = True
    result_json: str | None = None
    annotations: bool = False

    @property
    def mode(self) -> str:
        """``dry-run``, ``local``, ``commit`` or ``pull-request``: what publishing will do."""
        if self.dry_run:
            return "dry-run"
        return self.repository.mode if self.repository else "local"


def default_data_path(readme: str, marker: str) -> str:
    """``<marker>.json`` beside the README."""
    parent = PurePosixPath(readme).parent
    return f"{marker}.json" if str(parent) == "." else f"{parent}/{marker}.json"


def arxiv_settings(args: argparse.Namespace, env: Mapping[str, str]) -> ArxivSettings:
    """The arXiv part, shared by ``search`` and ``update``."""
    if args.arxiv_url is not None and not args.arxiv_url.strip():
        raise ConfigError(
            "--arxiv-url is empty; give an http(s) URL or leave the option out for "
            f"{defaults.ARXIV_API_URL}."
        )
    url = args.arxiv_url or env.get(defaults.ARXIV_API_URL_ENV) or defaults.ARXIV_API_URL
    if args.arxiv_delay < 0:
        raise ConfigError("--arxiv-delay must be zero or more seconds.")
    page_size = check_count(args.page_size, source="--page-size")
    rss_flag = getattr(args, "arxiv_rss_url", None)
    if rss_flag is not None and not rss_flag.strip():
        raise ConfigError(
            "--arxiv-rss-url is empty; give an http(s) URL or leave the option out for "
            f"{defaults.ARXIV_RSS_URL}."
        )
    rss_url = rss_flag or env.get(defaults.ARXIV_RSS_URL_ENV) or defaults.ARXIV_RSS_URL
    return ArxivSettings(
        url=url,
        delay=args.arxiv_delay,
        page_size=page_size,
        source=getattr(args, "arxiv_source", "api"),
        rss_url=rss_url,
    )


def update_settings(args: argparse.Namespace, env: Mapping[str, str]) -> RunSettings:
    """Validate the ``update`` command line once and freeze it (``env`` holds the token)."""
    splice.marker_lines(args.marker)  # validates the marker name
    max_count = check_count(args.max_count, source="--max-count")
    dry_run = bool(args.dry_run) or args.mode == "dry-run"
    repository = _repository_settings(args, env) if args.repo else None
    if args.issue and repository is None:
        raise ConfigError("--issue needs --repo: digest issues are opened through the GitHub API.")
    digest = None
    if args.issue:
        if args.issue_close_previous and not args.issue_labels:
            raise ConfigError(
                "--issue-close-previous needs --issue-label: previous digests are found by it.",
                "Add e.g. `--issue-label daily-papers`.",
            )
        digest = DigestSettings(
            title=args.issue_title,
            labels=tuple(args.issue_labels),
            close_previous=args.issue_close_previous,
        )
    site = _site_settings(args, env)
    readme_max = None
    if args.readme_max_papers is not None:
        readme_max = check_count(args.readme_max_papers, source="--readme-max-papers")
        if site is None:
            raise ConfigError(
                "--readme-max-papers needs the paper site: the README links there for the rest.",
                "Add --site-url (action input site-url) or --site-dir (site-dir).",
            )
    feed = None
    if args.feed:
        feed = FeedSettings(args.feed, check_count(args.feed_count, source="--feed-count"))
    return RunSettings(
        topics=TopicSpec(
            keywords=tuple(args.keywords),
            topics_file=args.topics_file,
            max_count=max_count,
            categories=tuple(args.category),
            exclude=tuple(args.exclude),
        ),
        readme_path=args.readme,
        data_path=args.data_file or default_data_path(args.readme, args.marker),
        marker=args.marker,
        template=args.template,
        columns=parse_columns(args.columns),
        feed=feed,
        bibtex_path=args.bibtex or None,
        archive_dir=args.archive.rstrip("/") if args.archive else None,
        site=site,
        readme_max_papers=readme_max,
        arxiv=arxiv_settings(args, env),
        repository=repository,
        digest=digest,
        dry_run=dry_run,
        fail_on_partial=args.fail_on_partial,
        result_json=args.result_json,
        annotations=args.github_annotations,
    )


def _site_settings(args: argparse.Namespace, env: Mapping[str, str]) -> SiteSettings | None:
    """The site, when ``--site-dir`` or ``--site-url`` asks for it; its address defaults to
    GitHub Pages of the repository (``--repo``, else ``$GITHUB_REPOSITORY``)."""
    if not args.site_dir and not args.site_url:
        return None
    url = args.site_url
    if not url:
        repository = args.repo or env.get("GITHUB_REPOSITORY")
        if not repository:
            raise ConfigError(
                "The paper site needs its address: give --site-url (action input site-url).",
                "It defaults to https://OWNER.github.io/REPO/ only when the repository is known.",
            )
        url = default_site_url(repository)
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"--site-url must be an http(s) URL, got {url!r}.")
    return SiteSettings(url=url if url.endswith("/") else url + "/", directory=args.site_dir)


def _repository_settings(args: argparse.Namespace, env: Mapping[str, str]) -> RepositorySettings:
    token = env.get(args.token_env, "")
    if not token:
        raise ConfigError(
            f"No GitHub token: the environment variable {args.token_env} is empty; set it "
            "(in Actions: the github-token input) or name another with --token-env."
        )
    mode = "commit" if args.mode == "dry-run" else args.mode
    return RepositorySettings(
        full_name=args.repo,
        token=token,
        api_url=args.api_url or env.get(defaults.GITHUB_API_URL_ENV) or defaults.GITHUB_API_URL,
        branch=args.branch or None,
        mode=mode,
        commit_message=args.commit_message,
        pr_branch=args.pr_branch,
        pr_title=args.pr_title,
        labels=tuple(args.labels),
    )
