"""What a summarising request says and what its answer means: pure, no I/O.

A request is one chat completion (the OpenAI shape GitHub Models, OpenAI, Ollama and most
servers speak) asking for strict JSON keyed by the versioned arXiv id::

    {"summaries": {"2503.21676v2": "One sentence.", ...}}

The answer is untrusted remote text.  Each item is checked on its own (:func:`check_item`),
so one bad item costs one retry, not a batch: it must be text, must not be the abstract
itself (a copied abstract is not a summary), is cut to
:data:`~daily_papers.defaults.SUMMARY_MAX_CHARS` at a word, and must be written in the
script of the asked-for language (:func:`script_of`), the check that stops a silent
fallback to English.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from daily_papers import defaults
from daily_papers.escape import one_line
from daily_papers.models import Paper

__all__ = [
    "Failure",
    "answered",
    "batches",
    "check_item",
    "classify",
    "completion_items",
    "headers",
    "in_script",
    "language_script",
    "request_document",
    "script_of",
]

#: A language's script, by lower-case English name, native name or ISO 639-1 code.  A
#: language not listed is not checked (its summaries are taken as they come).
_SCRIPTS: dict[str, str] = {}
for _script, _names in {
    "LATIN": "english en german de deutsch french fr français francais spanish es español "
    "espanol italian it italiano portuguese pt português portugues dutch nl nederlands "
    "polish pl polski turkish tr türkçe vietnamese vi swedish sv danish da norwegian no "
    "finnish fi czech cs indonesian id romanian ro hungarian hu catalan ca",
    "CJK": "chinese zh zh-cn zh-tw 中文 简体中文 繁體中文 japanese ja 日本語",
    "HANGUL": "korean ko 한국어",
    "CYRILLIC": "russian ru русский ukrainian uk українська bulgarian bg serbian sr",
    "ARABIC": "arabic ar العربية persian fa farsi فارسی urdu ur",
    "GREEK": "greek el ελληνικά",
    "HEBREW": "hebrew he עברית",
    "DEVANAGARI": "hindi hi हिन्दी marathi mr nepali ne",
    "THAI": "thai th ไทย",
}.items():
    _SCRIPTS.update(dict.fromkeys(_names.split(), _script))

#: Japanese kana count as the CJK script too (a Japanese summary mixes kanji and kana).
_SCRIPT_ALIASES = {"HIRAGANA": "CJK", "KATAKANA": "CJK"}
#: Share of a summary's letters that must be in the language's script.  Lower for other
#: scripts: one CJK letter is a word, and technical terms stay in Latin letters.
_LATIN_SHARE = 0.6
_OTHER_SHARE = 0.3
#: A summary of more words than this found verbatim in the abstract is a copy.
_COPY_WORDS = 12
#: Characters of prompt around the papers, in tokens, and the answer's tokens per paper.
_PROMPT_TOKENS = 400
_ANSWER_TOKENS = 120
_ABSTRACT_CHARS = 2000


def language_script(language: str) -> str | None:
    """The script ``language`` is written in, or None when it is not known here."""
    return _SCRIPTS.get(language.strip().lower())


def script_of(char: str) -> str | None:
    """The script of one letter (``LATIN``, ``CJK``, ``CYRILLIC`` ...), None for others."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith("CJK"):
        return "CJK"
    first = name.split(" ", 1)[0]
    return _SCRIPT_ALIASES.get(first, first) or None


def in_script(text: str, script: str) -> bool:
    """True when most of the letters of ``text`` are in ``script``."""
    letters = [s for s in map(script_of, text) if s is not None]
    if not letters:
        return False
    share = _LATIN_SHARE if script == "LATIN" else _OTHER_SHARE
    return sum(1 for s in letters if s == script) / len(letters) >= share


def _tokens(text: str) -> int:
    """A generous token count: a token is rarely under three bytes of UTF-8."""
    return len(text.encode("utf-8")) // 3 + 1


def _item(paper: Paper) -> dict[str, str]:
    return {
        "id": paper.versioned_id,
        "title": one_line(paper.title),
        "abstract": one_line(paper.abstract)[:_ABSTRACT_CHARS],
    }


def batches(
    papers: Sequence[Paper],
    *,
    input_tokens: int = defaults.SUMMARIZE_INPUT_TOKENS,
    most: int = defaults.SUMMARIZE_BATCH,
) -> list[tuple[Paper, ...]]:
    """``papers`` in order, cut into requests that each fit the model's input limit."""
    room = input_tokens - _PROMPT_TOKENS
    found: list[tuple[Paper, ...]] = []
    current: list[Paper] = []
    used = 0
    for paper in papers:
        cost = _tokens(json.dumps(_item(paper), ensure_ascii=False))
        if current and (used + cost > room or len(current) >= most):
            found.append(tuple(current))
            current, used = [], 0
        current.append(paper)
        used += cost
    if current:
        found.append(tuple(current))
    return found


def headers(provider: str, key: str) -> dict[str, str]:
    """The request headers: the key as a bearer token (none for a keyless local server), and
    for GitHub Models the media type and API version its documentation asks for."""
    found = {"Accept": "application/json"}
    if key:
        found["Authorization"] = f"Bearer {key}"
    if provider == "github-models":
        found.update(
            {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        )
    return found


def _instructions(language: str) -> str:
    return (
        "You write one-sentence summaries of research papers for a list of new arXiv papers. "
        f"For every paper you are given, write one plain sentence of at most 30 words in "
        f"{language} that says what the paper does or finds. Do not copy the abstract, do not "
        "start with 'This paper', use no Markdown, no links and no line breaks. Answer with "
        'a JSON object only: {"summaries": {"<id>": "<sentence>", ...}} with exactly the '
        "ids you were given."
    )


def request_document(papers: Sequence[Paper], *, model: str, language: str) -> dict[str, Any]:
    """The chat-completions body asking for the summaries of ``papers``."""
    return {
        "model": model,
        "messages": [
            {"role": "system", "content": _instructions(language)},
            {
                "role": "user",
                "content": json.dumps(
                    {"language": language, "papers": [_item(p) for p in papers]},
                    ensure_ascii=False,
                ),
            },
        ],
        "temperature": 0.2,
        "max_tokens": min(4000, _ANSWER_TOKENS * len(papers) + 100),
        "response_format": {"type": "json_object"},
    }


@dataclass(frozen=True)
class Failure:
    """Why a request gave no summaries: a few words for the step summary, and whether
    asking again this run is pointless (``stop``: a missing entitlement, a quota, a
    rejected key) or the same papers could still be asked for one by one (``split``)."""

    reason: str
    stop: bool = False
    split: bool = False


def _error_text(body: Any) -> str:
    """The ``error.message`` (or ``message``) of an error answer, cut short."""
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    if message is None and isinstance(body, dict):
        message = body.get("message")
    return one_line(str(message))[:120] if message else ""


def _is_content_filter(body: Any) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and error.get("code") == "content_filter"


def classify(status: int, body: Any, retry_after: float | None) -> Failure | None:
    """What a non-200 answer means (None for 200: its content is read elsewhere)."""
    if status == 200:
        return None
    detail = _error_text(body)
    said = f": {detail}" if detail else ""
    if status == 401:
        return Failure(f"the key was rejected (HTTP 401){said}", stop=True)
    if status == 403:
        return Failure(
            "no access (HTTP 403): the repository needs GitHub Models and the workflow "
            f"`permissions: models: read`{said}",
            stop=True,
        )
    if status == 404:
        return Failure(f"model or address not found (HTTP 404){said}", stop=True)
    if status == 429:
        wait = f", retry after {retry_after:.0f} s" if retry_after is not None else ""
        return Failure(f"rate limited (HTTP 429{wait}){said}", stop=True)
    if status == 400 and _is_content_filter(body):
        return Failure(f"refused by the content filter{said}", split=True)
    if status >= 500:
        return Failure(f"the endpoint failed (HTTP {status}){said}", stop=True)
    return Failure(f"the request was refused (HTTP {status}){said}", stop=True)


def completion_items(body: Any) -> dict[str, Any] | Failure:
    """The ``summaries`` object of a 200 chat-completions answer, or why there is none."""
    choices = body.get("choices") if isinstance(body, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return Failure("the answer is not a chat completion", split=True)
    choice = choices[0]
    if choice.get("finish_reason") == "content_filter":
        return Failure("refused by the content filter", split=True)
    message = choice.get("message")
    if not isinstance(message, dict):
        return Failure("the answer has no message", split=True)
    if message.get("refusal"):
        return Failure("the model refused", split=True)
    content = message.get("content")
    if not isinstance(content, str):
        return Failure("the answer has no text", split=True)
    try:
        document = json.loads(_unfenced(content))
    except (ValueError, RecursionError):
        cut = " (cut off at the length limit)" if choice.get("finish_reason") == "length" else ""
        return Failure(f"the answer is not valid JSON{cut}", split=True)
    items = document.get("summaries") if isinstance(document, dict) else None
    if not isinstance(items, dict):
        return Failure("the answer has no summaries object", split=True)
    return items


def _unfenced(content: str) -> str:
    """``content`` without a Markdown code fence around it (models add one unasked)."""
    text = content.strip()
    if text.startswith("```") and text.endswith("```"):
        text = text[3:-3]
        text = text.split("\n", 1)[1] if text.startswith(("json", "JSON")) else text
    return text


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip(" ,;:") + "…"


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def check_item(value: Any, paper: Paper, *, language: str) -> str | Failure:
    """One answered item as the summary to keep, or why it cannot be kept."""
    if not isinstance(value, str):
        return Failure("the summary is not text", split=True)
    text = one_line(value)
    if not text:
        return Failure("the summary is empty", split=True)
    if len(text.split()) > _COPY_WORDS and _normal(text) in _normal(paper.abstract):
        return Failure("the answer copied the abstract", split=True)
    script = language_script(language)
    if script is not None and not in_script(text, script):
        return Failure(f"the summary is not in {language}", split=True)
    return _cut(text, defaults.SUMMARY_MAX_CHARS)


def answered(
    items: Mapping[str, Any], papers: Sequence[Paper], *, language: str
) -> tuple[dict[str, str], dict[str, Failure]]:
    """The kept summaries by versioned id, and each other paper's failure."""
    kept: dict[str, str] = {}
    failed: dict[str, Failure] = {}
    for paper in papers:
        key = paper.versioned_id
        if key not in items:
            failed[key] = Failure("the answer left this paper out", split=True)
            continue
        outcome = check_item(items[key], paper, language=language)
        if isinstance(outcome, Failure):
            failed[key] = outcome
        else:
            kept[key] = outcome
    return kept, failed
