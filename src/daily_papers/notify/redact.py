"""The secret parts of a channel URL, and the one redactor every printed line goes through.

A channel URL is a credential: Slack, Discord, Feishu and WeCom put their webhook tokens in the
host or path, Telegram its bot token in the host, e-mail its password in the user part, and a
generic webhook may carry a key in its query.  So everything that can hold one is secret: the
user and password, a host that is not a host name (a token in its place), and every path
segment and query value that looks like a token (six characters or more and not a plain
lower-case word or a dotted host name).  Those parts are
masked in Actions (``::add-mask::``) and replaced by ``***`` in every line, summary, error and
result this package writes; pure string work, so it runs before anything is parsed or sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, unquote

__all__ = ["MASK", "Redactor", "redacted_url", "secret_parts"]

MASK = "***"

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_WORD = re.compile(r"[a-z]+")
_HOST = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+|localhost|\[[0-9A-Fa-f:.]+\]")


def _tokenlike(part: str) -> bool:
    """A piece that may be a credential: long enough, not a plain word or a host name."""
    return len(part) >= 6 and not _WORD.fullmatch(part) and not _HOST.fullmatch(part)


def _split(url: str) -> tuple[str, str, str, list[str], list[tuple[str, str]]]:
    """``scheme``, user info, host (with port), path segments and query pairs of ``url``."""
    match = _SCHEME.match(url)
    scheme = match.group(1) if match else ""
    rest = url[match.end() :] if match else url
    rest, _, query = rest.partition("?")
    rest = rest.partition("#")[0]
    authority, _, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not at:
        userinfo, host = "", authority
    pairs = [(key, value) for key, _, value in (p.partition("=") for p in query.split("&") if p)]
    return scheme, userinfo, host, [s for s in path.split("/") if s], pairs


def secret_parts(url: str) -> tuple[str, ...]:
    """Every piece of ``url`` that must never be shown (raw and percent-decoded), longest first.

    The whole URL is one of them, so a line that quotes it is redacted as a whole.
    """
    url = url.strip()
    _scheme, userinfo, host, segments, pairs = _split(url)
    values = [value for _key, value in pairs]
    found: set[str] = {url} if url else set()
    if userinfo:
        found.add(userinfo)
        found.update(p for p in userinfo.split(":") if p)
    name, colon, port = host.rpartition(":")
    hostname = name if colon and port.isdigit() else host
    if hostname and not _HOST.fullmatch(hostname):
        found.add(host)  # a token where the host would be (Slack, Discord, Telegram, Feishu)
        found.update(p for p in host.split(":") if _tokenlike(p))
    found.update(p for p in (*segments, *values) if _tokenlike(p))
    variants = {v for part in found for v in (part, unquote(part), quote(part, safe=""))}
    # A part of one to three characters would blank out that syllable in every word shown.
    return tuple(sorted((v for v in variants if len(v) >= 4), key=lambda v: (-len(v), v)))


def redacted_url(url: str) -> str:
    """``url`` with every secret part replaced by ``***``: what a report may show of a channel."""
    url = url.strip()
    scheme, userinfo, host, segments, pairs = _split(url)
    secret = set(secret_parts(url)) - {url}

    def hide(part: str) -> str:
        return MASK if part in secret or unquote(part) in secret else part

    shown = f"{scheme}://" if scheme else ""
    if userinfo:
        shown += f"{MASK}@"
    shown += hide(host) if host in secret else host
    if segments:
        shown += "/" + "/".join(hide(s) for s in segments)
    if pairs:
        shown += "?" + "&".join(f"{key}={hide(value)}" for key, value in pairs)
    return shown


class Redactor:
    """Replaces every known secret part by ``***`` in a text; the identity when there are none."""

    def __init__(self, parts: Iterable[str] = ()) -> None:
        self._parts: tuple[str, ...] = ()
        self.add(parts)

    def add(self, parts: Iterable[str]) -> None:
        """Learn more secret parts (longest are replaced first, so no piece of one survives)."""
        merged = set(self._parts) | {p for p in parts if p}
        self._parts = tuple(sorted(merged, key=lambda v: (-len(v), v)))

    @property
    def parts(self) -> tuple[str, ...]:
        """The secret parts known, longest first."""
        return self._parts

    def __call__(self, text: str) -> str:
        for part in self._parts:
            if part in text:
                text = text.replace(part, MASK)
        return text
