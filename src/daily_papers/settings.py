"""Typed, frozen run settings: plain dataclasses, built once from the parsed options.

Each row of :data:`daily_papers.options.OPTIONS` fills one field here (its ``field`` names
it, ``section.name`` for the nested parts), read and checked once by the row; this module adds
only what spans several options (a digest needs a repository, the site's default address, the
token from the environment).  The action reaches these through the same path as a person at a
terminal (inputs → argv → parser → :func:`update_settings`), so the two cannot drift.  Nothing
below this module sees the parser or the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from daily_papers import defaults, option_row, options, splice
from daily_papers.arxiv import taxonomy
from daily_papers.errors import ConfigError
from daily_papers.site.structure import default_site_url
from daily_papers.template_context import DEFAULT_COLUMNS


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
class NotifySettings:
    """The notification channels: each URL with where it was given (for errors), and when and
    how they hear of a run.  The URLs are secrets: never in a repr."""

    urls: tuple[tuple[str, str], ...] = field(repr=False)  # (position, URL)
    on: str = defaults.NOTIFY_ON
    form: str = defaults.NOTIFY_FORMAT
    strict: bool = False


@dataclass(frozen=True)
class SummarizeSettings:
    """The optional one-line summaries: who writes them, where, in what language, how much."""

    provider: str  # github-models | openai
    url: str  # the chat-completions address
    key: str = field(repr=False)
    model: str = defaults.SUMMARIZE_MODELS["github-models"]
    language: str = defaults.SUMMARIZE_LANGUAGE
    max_requests: int = defaults.SUMMARIZE_MAX_REQUESTS
    seconds: float = defaults.SUMMARIZE_SECONDS


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
    readme_max_bytes: int = defaults.README_MAX_BYTES  # 0: no limit
    arxiv: ArxivSettings = ArxivSettings()
    repository: RepositorySettings | None = None
    digest: DigestSettings | None = None
    notify: NotifySettings | None = None
    summarize: SummarizeSettings | None = None
    dry_run: bool = False
    fail_on_partial: bool = True
    result_json: str | None = None
    annotations: bool = False
    library: tuple[str, ...] = ()
    sort: str = defaults.SORT  # a topic's own ``sort:`` wins
    min_score: float | None = None
    for_you_count: int = defaults.FOR_YOU_COUNT  # 0: no For you section
    for_you_categories: tuple[str, ...] = ()

    @property
    def site_url(self) -> str | None:
        """The site's address when the README links to a site."""
        return self.site.url if self.site else None

    @property
    def for_you_archives(self) -> frozenset[str]:
        """The archives whose feeds carry For you's categories (read even if no topic needs
        them)."""
        return frozenset(taxonomy.archive_of(c) for c in self.for_you_categories)

    @property
    def builds_site(self) -> bool:
        """True when the site is built on the runner (the plan keeps the archive for it)."""
        return self.site is not None and self.site.directory is not None

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


@dataclass(frozen=True)
class SearchSettings:
    """One ``search`` command, already validated."""

    query: str
    max_count: int = defaults.SEARCH_COUNT
    categories: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    json: bool = False
    arxiv: ArxivSettings = ArxivSettings()


#: Names an option in an error: its flag at a terminal, its input in the action.
Label = Callable[[option_row.Option], str]


def _cli_label(row: option_row.Option) -> str:
    return row.label


def _sections(fields: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"arxiv.url": u, "marker": m}`` → ``{"arxiv": {"url": u}, "": {"marker": m}}``."""
    sections: dict[str, dict[str, Any]] = {}
    for key, value in fields.items():
        section, _, name = key.rpartition(".")
        sections.setdefault(section, {})[name] = value
    return sections


def _url(value: object, *, flag: str, env: str | None, default: str) -> str:
    """An address: given but empty is refused; absent means the variable, else the default."""
    if value is not None and not str(value).strip():
        raise ConfigError(
            f"{flag} is empty; give an http(s) URL or leave the option out for {default}."
        )
    return str(value or env or default)


def _arxiv(section: Mapping[str, Any], env: Mapping[str, str]) -> ArxivSettings:
    """The arXiv part, shared by ``search`` and ``update``."""
    values = dict(section)
    values["url"] = _url(
        values.get("url"),
        flag="--arxiv-url",
        env=env.get(defaults.ARXIV_API_URL_ENV),
        default=defaults.ARXIV_API_URL,
    )
    if "rss_url" in values:
        values["rss_url"] = _url(
            values["rss_url"],
            flag="--arxiv-rss-url",
            env=env.get(defaults.ARXIV_RSS_URL_ENV),
            default=defaults.ARXIV_RSS_URL,
        )
    else:
        values["source"] = "api"  # ``search`` asks the API
    return ArxivSettings(**values)


def search_settings(values: Mapping[str, Any], env: Mapping[str, str]) -> SearchSettings:
    """Validate the ``search`` command line once and freeze it."""
    sections = _sections(options.read_fields(option_row.SEARCH, values, _cli_label))
    text = " ".join(str(values["query"]).split())
    if not text:
        raise ConfigError("The search query is empty; give a phrase or an arXiv query.")
    return SearchSettings(query=text, **sections[""], arxiv=_arxiv(sections["arxiv"], env))


def update_settings(
    values: Mapping[str, Any], env: Mapping[str, str], *, label: Label = _cli_label
) -> RunSettings:
    """Validate the ``update`` command line once and freeze it (``env`` holds the token).

    ``values`` are the parsed arguments by name (the parser's namespace as a mapping);
    ``label`` names an option in errors.
    """
    sections = _sections(options.read_fields(option_row.UPDATE, values, label))
    run = sections[""]
    splice.marker_lines(run["marker"])  # validates the marker name
    mode = values.get("mode", "commit")
    run["dry_run"] = bool(run["dry_run"]) or mode == "dry-run"
    repository = (
        _repository(sections["repository"], values, env)
        if sections["repository"]["full_name"]
        else None
    )
    issue = bool(values.get("issue"))
    if issue and repository is None:
        raise ConfigError("--issue needs --repo: digest issues are opened through the GitHub API.")
    digest = None
    if issue:
        digest = DigestSettings(**sections["digest"])
        if digest.close_previous and not digest.labels:
            raise ConfigError(
                "--issue-close-previous needs --issue-label: previous digests are found by it.",
                "Add e.g. `--issue-label daily-papers`.",
            )
    site = _site(sections["site"], repository, env)
    if run["readme_max_papers"] is not None and site is None:
        raise ConfigError(
            "--readme-max-papers needs the paper site: the README links there for the rest.",
            "Add --site-url (action input site-url) or --site-dir (site-dir).",
        )
    _check_ranking(run, label)
    feed = FeedSettings(**sections["feed"]) if sections["feed"]["path"] else None
    notify = _notify(sections["notify"], env, label)
    summarize = _summarize(sections["summarize"], values, env, label)
    archive = run["archive_dir"]
    run.update(
        data_path=run["data_path"] or default_data_path(run["readme_path"], run["marker"]),
        archive_dir=archive.rstrip("/") if archive else None,
    )
    return RunSettings(
        topics=TopicSpec(**sections["topics"]),
        feed=feed,
        site=site,
        arxiv=_arxiv(sections["arxiv"], env),
        repository=repository,
        digest=digest,
        notify=notify,
        summarize=summarize,
        **run,
    )


def _check_ranking(run: dict[str, Any], label: Label) -> None:
    """Ranking options need a library; For you's categories are checked against arXiv's
    taxonomy and kept under their main names."""
    rows = {row.dest: row for row in options.for_command(option_row.UPDATE)}
    library = label(rows["library"])
    wants = [
        f"{label(rows['sort'])} relevance" if run["sort"] == "relevance" else None,
        label(rows["min_score"]) if run["min_score"] is not None else None,
        label(rows["for_you_count"]) if run["for_you_count"] else None,
    ]
    for what in wants:
        if what is not None and not run["library"]:
            raise ConfigError(
                f"{what} ranks papers against your library, but no {library} is given.",
                f"Add {library} with a BibTeX, CSL-JSON or arXiv id file (README: Papers for "
                "you), or drop the option.",
            )
    categories = run["for_you_categories"]
    if categories and not run["for_you_count"]:
        raise ConfigError(
            f"{label(rows['for_you_categories'])} only chooses the For you papers, but "
            f"{label(rows['for_you_count'])} is 0.",
            f"Set {label(rows['for_you_count'])} to the number of papers to show.",
        )
    where = f"{label(rows['for_you_categories'])}"
    run["for_you_categories"] = tuple(
        dict.fromkeys(taxonomy.check_category(c, where=where) for c in categories)
    )


def notify_lines(text: str, where: str) -> list[tuple[str, str]]:
    """The URLs of a multi-line value, each with its line number (blank lines are skipped)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [(f"{where} line {n}", line.strip()) for n, line in enumerate(lines, 1) if line.strip()]


def _notify(
    section: Mapping[str, Any], env: Mapping[str, str], label: Label
) -> NotifySettings | None:
    """The channels from ``--notify`` (each named by its place), else from the environment
    variable the action's ``notify`` input sets (each named by its line)."""
    [row] = (r for r in options.for_command(option_row.UPDATE) if r.field == "notify.urls")
    given = section["urls"]
    if given:
        urls = [(f"{label(row)} #{n}", str(u).strip()) for n, u in enumerate(given, 1)]
    else:
        where = f"input `{row.input}`" if label(row) != row.label else defaults.NOTIFY_ENV
        urls = notify_lines(env.get(defaults.NOTIFY_ENV, ""), where)
    if not urls:
        return None
    fields = {k: v for k, v in section.items() if k != "urls"}
    return NotifySettings(urls=tuple(urls), **fields)


def _summarize(
    section: Mapping[str, Any], values: Mapping[str, Any], env: Mapping[str, str], label: Label
) -> SummarizeSettings | None:
    """The summaries, unless off; the key comes from the environment only, and GitHub Models
    fall back to the GitHub token (the workflow's own, with ``models: read``)."""
    provider = section["provider"]
    if provider == "off":
        return None
    rows = {row.dest: row for row in options.for_command(option_row.UPDATE)}
    url_label = label(rows["summarize_url"])
    url = (section["url"] or "").strip()
    if not url and provider == "openai":
        raise ConfigError(
            f"{label(rows['summarize'])} openai needs the endpoint's address in {url_label}.",
            "Give e.g. https://api.openai.com/v1 or http://localhost:11434/v1 (Ollama).",
        )
    url = url or defaults.GITHUB_MODELS_URL
    if not url.startswith(("https://", "http://")) or " " in url:
        raise ConfigError(f"{url_label} must be an http(s) URL, got {url!r}.")
    key_env = str(values.get("summarize_key_env") or defaults.SUMMARIZE_KEY_ENV)
    key = env.get(key_env, "")
    if not key and provider == "github-models":
        key = env.get(str(values.get("token_env") or defaults.TOKEN_ENV), "")
    local = url.startswith(("http://localhost", "http://127.0.0.1", "http://[::1]"))
    if not key and not local:
        raise ConfigError(
            f"No key for the summaries: the environment variable {key_env} is empty.",
            "In Actions pass a secret to the summarize-key input (github-models uses "
            "github-token); locally set the variable.",
        )
    language = " ".join(str(section["language"] or defaults.SUMMARIZE_LANGUAGE).split())
    if len(language) > 40:
        raise ConfigError(
            f"{label(rows['summarize_language'])} must name a language (at most 40 "
            f"characters), got {language[:40]!r}…."
        )
    return SummarizeSettings(
        provider=provider,
        url=url.rstrip("/") + "/chat/completions",
        key=key,
        model=(section["model"] or "").strip() or defaults.SUMMARIZE_MODELS[provider],
        language=language,
        max_requests=section["max_requests"],
        seconds=section["seconds"],
    )


def _site(
    section: Mapping[str, Any], repository: RepositorySettings | None, env: Mapping[str, str]
) -> SiteSettings | None:
    """The site, when ``--site-dir`` or ``--site-url`` asks for it; its address defaults to
    GitHub Pages of the repository (``--repo``, else ``$GITHUB_REPOSITORY``)."""
    if not section["directory"] and not section["url"]:
        return None
    values = dict(section)
    url = values["url"]
    if not url:
        full_name = repository.full_name if repository else env.get("GITHUB_REPOSITORY")
        if not full_name:
            raise ConfigError(
                "The paper site needs its address: give --site-url (action input site-url).",
                "It defaults to https://OWNER.github.io/REPO/ only when the repository is known.",
            )
        url = default_site_url(full_name)
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"--site-url must be an http(s) URL, got {url!r}.")
    values["url"] = url if url.endswith("/") else url + "/"
    return SiteSettings(**values)


def _repository(
    section: Mapping[str, Any], values: Mapping[str, Any], env: Mapping[str, str]
) -> RepositorySettings:
    token_env = str(values.get("token_env") or defaults.TOKEN_ENV)
    token = env.get(token_env, "")
    if not token:
        raise ConfigError(
            f"No GitHub token: the environment variable {token_env} is empty; set it "
            "(in Actions: the github-token input) or name another with --token-env."
        )
    fields = dict(section)
    fields.update(
        token=token,
        api_url=fields["api_url"]
        or env.get(defaults.GITHUB_API_URL_ENV)
        or defaults.GITHUB_API_URL,
        branch=fields["branch"] or None,
        mode="commit" if fields["mode"] == "dry-run" else fields["mode"],
    )
    return RepositorySettings(**fields)
