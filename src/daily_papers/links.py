"""Code and project links found in a paper's abstract and comment, at render time.

Authors announce their code in free text, often inside LaTeX (``\\url{…}``,
``\\href{…}{\\texttt{…}}``, ``\\footnote{…}``, ``Cloud\\_Map``), sometimes without a scheme
(``github.com/a/b.``), and next to sentence punctuation.  Deriving the links here, from the
stored text, means no data-file change: older papers get links as soon as the tool updates.

What counts, in order of appearance within each group:

* repositories: ``github.com/<owner>/<repo>…``, ``gitlab.com/<group>/<project>…``,
  ``codeberg.org`` and ``bitbucket.org`` ``/<owner>/<repo>``, ``sourceforge.net/projects/<name>``
  and ``anonymous.4open.science/r/<name>`` (double-blind submissions); an owner alone, such as
  an organisation page, is not a repository; names may hold ``+ . - _`` ("DuQuant++");
* Hugging Face models (``huggingface.co/<owner>/<name>``), datasets and spaces
  (``huggingface.co/datasets|spaces/<owner>/<name>``), not user pages (``huggingface.co/<user>``);
* project pages: ``<name>.github.io`` with any path, when the text presents the page as the
  paper's own ("Project page:", "Our code is available at", a link standing alone), not when
  it names someone else's ("the FooBar dataset (https://foobar.github.io)", "workshop
  website:").

URLs keep their case and path but the scheme is lower-cased (``HTTPS://`` is a valid scheme,
yet code that checks for ``https://``, such as the site's search page, would not see it); a
missing scheme becomes ``https://``, a trailing ``/`` or
``.git`` is dropped, and duplicates (compared case-insensitively) are kept once.  Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from daily_papers.models import Paper

__all__ = ["PaperLinks", "code_links", "link_label", "links_in", "links_of", "project_page"]

# LaTeX around links: \href{URL}{TEXT} keeps both (TEXT may repeat the URL), \url{URL},
# \texttt{…}/\footnote{…} just lose the command; \_ \% \# \& \~ are escaped URL characters.
_LATEX_COMMAND = re.compile(r"\\(?:href|url|texttt|footnote|nolinkurl)\s*(?=\{)")
_LATEX_ESCAPE = re.compile(r"\\([_%#&~])")
# A candidate: optional scheme, then one of the hosts we know, then URL characters.
_CANDIDATE = re.compile(
    r"(?<![\w.@/-])(?:https?://)?(?:www\.)?"
    r"(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|sourceforge\.net"
    r"|anonymous\.4open\.science|huggingface\.co|hf\.co|[A-Za-z0-9-]+\.github\.io)"
    r"(?![\w-])[^\s<>\"'{}\\|^`]*",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?*'\""
# Cheap test first (plain substring tests, far faster than a case-blind regex): most texts
# and words name no code host, and the full pattern is slow to fail.
_HOST_HINTS = ("github", "gitlab", "huggingface", "hf.co", "codeberg", "bitbucket", "sourceforge",
               "4open")  # fmt: skip
_WORD = re.compile(r"[^\s<>\"'{}\\|^`]+")
_SEGMENT = re.compile(r"^[A-Za-z0-9_.+-]+$")
#: Hosts whose repositories are ``/<owner>/<repo>``, like GitHub's.
_OWNER_REPO_HOSTS = frozenset({"github.com", "gitlab.com", "codeberg.org", "bitbucket.org"})
# How a text presents a github.io page as the paper's own: words in its sentence before it...
_OWN_CUE = re.compile(
    r"\b(?:project|our|homepage|home\s*page|homgepage|web\s*site|web\s*page|web|page|demos?|"
    r"codes?|available|accessible|released?|open[- ]sourced?|here|visit|see|results|videos?|"
    r"visuali[sz]ations?|illustrations|supplementary|materials?|resources|details?|information|"
    r"deliverables|found|public(?:ly)?|repo|github|link|propose|introduce|present|refer|"
    r"check(?:out)?|accessed|online|this\s+is|provided?|dashboard)\b",
    re.IGNORECASE,
)
# ...unless the nearer words name someone else's page: an event's site, a dataset cited.
_OTHERS_CUE = re.compile(
    r"\b(?:workshops?|challenge|competition|conference|symposium|tutorial)"
    r"(?:\s+(?:web\s*site|web\s*page|home\s*page|page|site))?\b"
    r"|\b(?:dataset|benchmark|toolkit|library|corpus)\s*[(\[]\s*$|\b(?:from|by|cf\.?|following)\s*$",
    re.IGNORECASE,
)
#: First path segments of github.com / huggingface.co that are site pages, not owners.
_GITHUB_SITE = frozenset(
    {"about", "apps", "collections", "enterprise", "events", "explore", "features", "issues",
     "login", "marketplace", "notifications", "orgs", "pricing", "pulls", "search", "settings",
     "site", "sponsors", "topics", "trending", "users"}
)  # fmt: skip
_HF_SITE = frozenset(
    {"blog", "chat", "collections", "docs", "join", "learn", "login", "models", "organizations",
     "papers", "posts", "pricing", "settings", "tasks", "welcome"}
)  # fmt: skip
_HF_KINDS = frozenset({"datasets", "spaces"})


@dataclass(frozen=True)
class PaperLinks:
    """The links of one paper: ``code`` (repositories, then Hugging Face), ``project_page``."""

    code: tuple[str, ...]
    project_page: str | None


def _names_a_host(text: str) -> bool:
    lowered = text.lower()
    return any(hint in lowered for hint in _HOST_HINTS)


def _delatex(text: str) -> str:
    """LaTeX removed, and a scheme mistyped or glued to a word mended ("https: //x",
    "\\noindenthttps://x", "athttps://x")."""
    text = _LATEX_COMMAND.sub(" ", text)
    text = re.sub(r"(https?):\s+//", r"\1://", _LATEX_ESCAPE.sub(r"\1", text))
    return re.sub(r"(?:\\[A-Za-z]+|(?<=[A-Za-z]))(?=https?://)", " ", text)


def _trim(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end."""
    while url:
        last = url[-1]
        if last in _TRAILING or (
            last in ")]" and url.count(last) > url.count("(" if last == ")" else "[")
        ):
            url = url[:-1]
        else:
            break
    return url


def _split(url: str) -> tuple[str, str, list[str], str]:
    """(scheme, host, path segments, rest) of a URL whose scheme may be missing."""
    scheme = "https"
    match = re.match(r"(https?)://", url, re.IGNORECASE)
    if match:
        scheme, url = match.group(1).lower(), url[match.end() :]
    host, _, path = url.partition("/")
    rest = ""
    for mark in "?#":
        if mark in path:
            path, _, tail = path.partition(mark)
            rest = mark + tail + rest
    return scheme, host, [s for s in path.split("/") if s], rest


def _classify(raw: str) -> tuple[str, str] | None:
    """``(group, url)`` with group ``repo``, ``hf`` or ``page``; None when it is not one."""
    scheme, host, segments, rest = _split(_trim(raw))
    name = host.lower().removeprefix("www.")
    if name.endswith(".github.io"):
        path = "/".join(segments)
        return "page", f"{scheme}://{host}/{path}".rstrip("/") + rest
    if len(segments) < 2 or not all(_SEGMENT.match(s) for s in segments[:2]):
        return None
    first = segments[0].lower()
    if name == "anonymous.4open.science":
        return ("repo", f"{scheme}://{host}/" + "/".join(segments) + rest) if first == "r" else None
    if name == "sourceforge.net":
        if first not in ("projects", "p"):
            return None
        return "repo", f"{scheme}://{host}/" + "/".join(segments[:2])
    if name in _OWNER_REPO_HOSTS:
        if first in _GITHUB_SITE or first == "-":
            return None
        if segments[-1].lower().endswith(".git"):
            segments[-1] = segments[-1][:-4]
        return "repo", f"{scheme}://{host}/" + "/".join(segments) + rest
    if first in _HF_KINDS:
        if len(segments) < 3 or not _SEGMENT.match(segments[2]):
            return None
    elif first in _HF_SITE:
        return None
    return "hf", f"{scheme}://{host}/" + "/".join(segments) + rest


def links_of(paper: Paper) -> PaperLinks:
    """Every code and project link in the abstract, then the comment, deduplicated."""
    return links_in(paper.abstract, paper.comment)


def links_in(*texts: str | None) -> PaperLinks:
    """The links in ``texts`` (in order), as :func:`links_of` finds them in a paper."""
    text = " ".join(t for t in texts if t)
    if not _names_a_host(text):
        return PaperLinks(code=(), project_page=None)
    text = _delatex(text)
    groups: dict[str, list[str]] = {"repo": [], "hf": [], "page": []}
    seen: set[str] = set()
    for word in _WORD.finditer(text):
        if not _names_a_host(word.group(0)):
            continue
        for match in _CANDIDATE.finditer(word.group(0)):
            found = _classify(match.group(0))
            if found is None:
                continue
            group, url = found
            if group == "page" and not _presented_as_own(text[: word.start() + match.start()]):
                continue
            key = url.split("://", 1)[1].casefold()
            if key not in seen:
                seen.add(key)
                groups[group].append(url)
    pages = groups["page"]
    return PaperLinks(
        code=tuple(groups["repo"] + groups["hf"]), project_page=pages[0] if pages else None
    )


def _presented_as_own(before: str) -> bool:
    """Whether the words before a github.io link, in its sentence, present it as the paper's
    own page: a link standing alone or after a label ("Project page:", "[ICCV 2025]") is the
    authors' own; a page named after an event or a cited dataset, nearer the link than any
    word of ownership, is someone else's."""
    sentence = re.split(r"(?<=[.!?;])\s+", before.rstrip())[-1][-80:]
    others = _last(_OTHERS_CUE, sentence)
    if others >= 0 and others >= _last(_OWN_CUE, sentence):
        return False
    sentence = sentence.rstrip(" ([{")
    alone = not re.search(r"[A-Za-z]{3}", sentence) or re.search(r"[.!?;:\]]$", sentence)
    return bool(alone) or _OWN_CUE.search(sentence) is not None


def _last(pattern: re.Pattern[str], text: str) -> int:
    """Where the last match of ``pattern`` in ``text`` ends, -1 for none."""
    ends = [m.end() for m in pattern.finditer(text)]
    return ends[-1] if ends else -1


def code_links(paper: Paper) -> tuple[str, ...]:
    """Repository URLs (GitHub, GitLab), then Hugging Face models, datasets and spaces."""
    return links_of(paper).code


def project_page(paper: Paper) -> str | None:
    """The first ``*.github.io`` page the text presents as the paper's own, or None."""
    return links_of(paper).project_page


def link_label(url: str) -> str:
    """A short name for a link found here: ``Owner/Repo``, ``datasets/owner/name``, or host
    and path of a project page (``team.github.io/proj``)."""
    scheme_less = url.split("://", 1)[-1]
    host, _, path = scheme_less.partition("/")
    segments = [s for s in path.split("/") if s]
    name = host.lower().removeprefix("www.")
    if name.endswith(".github.io") or not segments:
        return scheme_less.rstrip("/")
    if name == "gitlab.com":
        cut = segments.index("-") if "-" in segments else len(segments)
        return "/".join(segments[:cut])
    if name in ("anonymous.4open.science", "sourceforge.net"):
        return f"{name.split('.')[0]}/{segments[1]}" if len(segments) > 1 else scheme_less
    keep = 3 if segments[0].lower() in _HF_KINDS and name != "github.com" else 2
    return "/".join(segments[:keep])
