"""Render the static site's HTML (jinja2, autoescaped) and write the site directory.

The site's structure and search index come from :mod:`daily_papers.site.structure` (pure);
this module turns them into files.  The templates and the page's CSS/JS ship in
``templates/site/``; all assets are local, so a page loads nothing from another host.
Every piece of paper text goes through jinja2's HTML autoescaping (the environment has it on
for every template), and the search script sets paper text with ``textContent`` only.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import jinja2
from markupsafe import Markup

from daily_papers.errors import TemplateError
from daily_papers.render import builtin_template_dir
from daily_papers.site.folder import replace_site
from daily_papers.site.ranked import SCORES_FILE, RankedPages, scores_file
from daily_papers.site.structure import (
    INDEX_NEWEST,
    TOPIC_NEWEST,
    SitePaper,
    SitePlan,
    TopicPage,
    search_index,
)
from daily_papers.template_context import CREDIT

__all__ = [
    "MAX_AUTHORS",
    "SiteOptions",
    "build_site",
    "can_fork_index",
    "few_collections",
    "write_site",
]

#: Authors a paper lists in full on a page before "and N more".
MAX_AUTHORS = 12
#: Written at the site root: tells GitHub Pages not to run Jekyll over the files.
NOJEKYLL = ".nojekyll"
_ASSETS = ("site.css", "search.js", "theme.js")
#: Written only for a site with a ranking, so that a site without one keeps its bytes.
_RANKED_ASSETS = ("ranked.css", "ranked.js")
#: Ends each paper in papers.html.j2's output; autoescaped paper text cannot contain ``<!``.
_FRAGMENT_END = "<!--paper-end-->\n"


@dataclass(frozen=True)
class SiteOptions:
    """What a site needs besides the papers: its address, title, date and optional feed."""

    site_url: str  # absolute, ending in "/"
    title: str
    last_update: str  # YYYY-MM-DD
    feed: bytes | None = None  # the Atom feed's bytes, served as feed.xml when given


def _environment() -> jinja2.Environment:
    source = builtin_template_dir() / "site"
    templates = {}
    for name in (
        "base.html.j2",
        "papers.html.j2",
        "index.html.j2",
        "topic.html.j2",
        "ranked.html.j2",
    ):
        try:
            templates[name] = (source / name).read_text(encoding="utf-8")
        except OSError as exc:  # a broken installation, not a user mistake
            raise TemplateError(
                f"The site template {name} is missing from {source} ({exc}).",
                "Reinstall daily-papers.",
            ) from exc
    env = jinja2.Environment(
        loader=jinja2.DictLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["max_authors"] = MAX_AUTHORS
    return env


#: Allocations between two young-generation collections while a site is built (CPython's
#: default is 700): the build makes millions of short-lived sets, tuples and strings.
_BUILD_GC_THRESHOLD = 100_000


@contextmanager
def few_collections() -> Iterator[None]:
    """Collect garbage rarely while a site is planned and built.

    At 100,000 papers the archive and the plan are millions of long-lived objects, and each
    of CPython's frequent collections walks them again: a quarter of the build's time.
    Freezing what exists moves it out of the collector's view, and a higher threshold makes
    the young collections rare; the build creates almost no reference cycles, so memory is
    the same.  Both are undone on exit.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_BUILD_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _asset(name: str) -> bytes:
    return (builtin_template_dir() / "site" / "static" / name).read_bytes()


def build_site(
    plan: SitePlan, options: SiteOptions, ranking: RankedPages | None = None
) -> dict[str, bytes]:
    """Every file of the site by path relative to its root (``index.html``, topic pages by
    month, the search index, assets, ``.nojekyll`` and, with a feed, ``feed.xml``); with a
    ``ranking``, For you and the relevance topics' order (see :mod:`daily_papers.site.ranked`)."""
    env = _environment()
    common = {
        "site_title": options.title,
        "site_url": options.site_url if options.site_url.endswith("/") else options.site_url + "/",
        "last_update": options.last_update,
        "credit": CREDIT,
        "has_feed": options.feed is not None,
        "ranking": ranking,
    }
    with _search_index_beside(plan) as index:
        files = _pages(env, plan, common)
        files.update(index())
    for name in _ASSETS:
        files[f"assets/{name}"] = _asset(name)
    if ranking is not None:
        for name in _RANKED_ASSETS:
            files[f"assets/{name}"] = _asset(name)
        files[SCORES_FILE] = scores_file(plan, ranking)
    if options.feed is not None:
        files["feed.xml"] = options.feed
    files[NOJEKYLL] = b""
    _check_names(files)
    return files


#: The longest file name (one path component) common file systems take, in bytes.
_NAME_BYTES = 255


def _check_names(files: dict[str, bytes]) -> None:
    """Raise before writing when a path holds a name no file system takes: caught on the
    build (which runs again without the paper it fails on), not half-way through writing."""
    for path in files:
        if any(len(part.encode("utf-8")) > _NAME_BYTES for part in path.split("/")):
            raise ValueError(f"the site file name {path[:80]!r}… is too long")


def _pages(env: jinja2.Environment, plan: SitePlan, common: dict[str, object]) -> dict[str, bytes]:
    """The HTML pages: the front page, and each topic's (and For you's) page and month pages."""
    common = {**common, "html": _paper_fragments(env, plan.papers)}
    files: dict[str, bytes] = {}
    followed = [t for t in plan.topics if t.followed and not t.for_you]
    files["index.html"] = _render(
        env,
        "index.html.j2",
        common,
        root="",
        page_path="",
        followed=followed,
        unfollowed=[t for t in plan.topics if not t.followed],
        for_you_page=plan.for_you,
        newest=INDEX_NEWEST,
        total=len(plan.papers),
    )
    topic_template = env.get_template("topic.html.j2")
    for topic in plan.topics:
        files[f"{topic.path}index.html"] = _topic_page(topic_template, common, topic, None)
        for month, _papers in topic.months:
            files[f"{topic.path}{month}.html"] = _topic_page(topic_template, common, topic, month)
    return files


def can_fork_index() -> bool:
    """Whether the search index may be built in a forked child, beside the HTML.

    Only on Linux (where fork is the platform's own model), with more than one CPU, and
    while this process has no other thread: a thread holding a lock at the fork would leave
    the child stuck on it.
    """
    return (
        sys.platform == "linux"
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


@contextmanager
def _search_index_beside(plan: SitePlan) -> Iterator[Callable[[], dict[str, bytes]]]:
    """Start ``plan``'s search index; the function given waits for its files.

    The index and the HTML are independent and each takes about half of a large build, so
    when :func:`can_fork_index` allows, a forked child (which inherits the plan: nothing is
    pickled on the way in) builds the index while this process renders the pages.  Should
    the child die (killed, out of memory), the index is built here instead: the same pure
    function, so a bug in it still raises with its traceback.  On leaving, a child still
    running (the pages failed) is stopped.
    """
    if not can_fork_index():
        yield lambda: search_index(plan)
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_send_search_index, args=(plan, sender, receiver, os.getpid()), daemon=True
    )
    child.start()
    sender.close()

    def files() -> dict[str, bytes]:
        try:
            sent: dict[str, bytes] = receiver.recv()
        except EOFError:  # the child ended without sending
            return search_index(plan)
        return sent

    try:
        yield files
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()  # done after sending, or no longer wanted
        child.join()


def _send_search_index(
    plan: SitePlan, sender: Connection, receiver: Connection, parent: int
) -> None:
    """The forked child's work: build the index and send its files to the parent.

    The child must not outlive a parent killed by SIGTERM or SIGKILL (which runs no cleanup
    at all): it first closes its copy of the pipe's reading end, so a send to a dead parent
    fails instead of waiting for a reader that is itself, and asks the kernel to kill it when
    the parent goes (:func:`_die_with_parent`).
    """
    receiver.close()
    _die_with_parent(parent)
    sender.send(search_index(plan))
    sender.close()


#: prctl(2)'s option that sends the calling process a signal when its parent ends.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when its parent ends.

    PR_SET_PDEATHSIG rather than a pipe the child watches: the kernel delivers it however the
    parent ends, and the child needs no watching thread (the index build is one long call
    that never looks up).  It fires when the forking thread ends, which is the parent's only
    thread (:func:`can_fork_index`).  A parent gone before the call is seen by its pid.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # not on this kernel: the closed reading end still ends a blocked send
    if os.getppid() != parent:
        os._exit(1)


def _paper_fragments(env: jinja2.Environment, papers: Sequence[SitePaper]) -> dict[str, Markup]:
    """Each paper's HTML by id, rendered in one template call.

    A paper appears on its month page, its topic's page and the front page, under each of its
    topics; rendering it once, and in one loop rather than a macro call per paper, is what
    keeps a 100,000-paper build within seconds.
    """
    text = env.get_template("papers.html.j2").render(papers=papers)
    parts = text.split(_FRAGMENT_END)
    if len(parts) != len(papers) + 1:  # the template lost its separator: a bug
        raise RuntimeError(f"papers.html.j2 gave {len(parts) - 1} fragments for {len(papers)}")
    return {
        p.id: Markup(part.strip("\n") + "\n") for p, part in zip(papers, parts[:-1], strict=True)
    }


def _render(
    env: jinja2.Environment, name: str, common: dict[str, object], **values: object
) -> bytes:
    return env.get_template(name).render(**common, **values).encode("utf-8")


def _topic_page(
    template: jinja2.Template, common: dict[str, object], topic: TopicPage, month: str | None
) -> bytes:
    papers: Sequence[object]
    if month is None:
        papers = topic.newest(TOPIC_NEWEST)
        page_path = topic.path
    else:
        papers = dict(topic.months)[month]
        page_path = f"{topic.path}{month}.html"
    text = template.render(
        **common, root="../../", page_path=page_path, topic=topic, month=month, papers=papers
    )
    return text.encode("utf-8")


def write_site(directory: Path, files: dict[str, bytes], *, cwd: Path | None = None) -> None:
    """Replace ``directory``'s contents with ``files``, only if the folder is daily-papers' own
    inside ``cwd`` (default: the working directory; see :mod:`daily_papers.site.folder`)."""
    replace_site(directory, files, cwd=cwd)
