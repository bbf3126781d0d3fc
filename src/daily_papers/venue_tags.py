"""Venue forms: years made whole, qualifiers dropped, workshops and Findings tagged.

Authors write one venue many ways ("EMNLP2025 Main", "CVPR26", "CIKM' 25", "AAAI-26",
"CVPR 2026 (Oral)"), and a workshop or Findings paper often names only its host ("NLLP Workshop
at EMNLP 2025", "Findings of the ACL 2026").  Reporting the host alone would promote the paper,
so such a paper gets its own tag ("NLLP @ EMNLP 2025", "KDD 2025 Workshop", "ACL 2026
Findings") or none.  :mod:`daily_papers.venue` finds the venue; this module gives its form.
Pure.
"""

from __future__ import annotations

import re

__all__ = [
    "ACRONYM_YEAR",
    "ANY_YEAR",
    "QUALIFIED",
    "WORD_ACRONYM",
    "WS",
    "YEAR",
    "host_workshop",
    "looks_like_acronym",
    "short_year",
    "tagged",
    "with_year",
]

YEAR = r"(?:19|20)\d{2}"
# Outside parentheses an acronym is one word, and it needs its year ("NIPS 2013", "MET'24").
WORD_ACRONYM = r"[A-Z0-9][A-Za-z0-9/@&-]*[A-Z][A-Za-z/@&-]*"
# A year after an acronym: "2025", "-2025", "2025" glued, or a short "'25", "' 25", "-25", "25"
# glued ("CVPR26"), or " 25" where the text ends or a clause does ("ICLR 26,").
ACRONYM_YEAR = (
    rf"(?:\s?['’]\s?(?P<short>\d{{2}})|[\s-]?(?P<year>{YEAR})|-?(?P<glued>\d{{2}})"
    r"|\s(?P<spaced>\d{2})(?=\s*(?:$|[,;.)])))"
)
ANY_YEAR = re.compile(rf"(?<!\d)({YEAR})(?!\d)")
# Words after ``ACRONYM YEAR`` that qualify the paper, not the venue ("CVPR 2026 (Oral)",
# "ACL 2026 Main Conference", "ICME 2026 Spotlight Paper", "WWW 2025 Short Paper").
QUALIFIED = re.compile(
    r"(?:\s*[(\[]?\s*(?:main(?:\s+(?:conference|track|paper))?|oral(?:\s+presentation)?"
    r"|spotlight|highlight|poster|findings(?:\s+track)?|(?:short|long|full|regular|demo)?\s*paper"
    r"|accepted|early\s+acceptance|camera[- ]ready(?:\s+version)?|(?:[\w&]+\s+){0,3}track"
    r"|version|conference)\s*[)\]]?)+(?=$|[\s,;.])",
    re.IGNORECASE,
)


_DISEASES = frozenset({"covid", "sars", "sars-cov", "mers"})


def short_year(two: str) -> str:
    return ("20" if int(two) < 50 else "19") + two


def with_year(match: re.Match[str]) -> str | None:
    if match["name"].rstrip("-").casefold() in _DISEASES:
        return None  # "COVID-19" is not a venue of 2019
    # An edition number glued in front is not part of the name ("13IHMMSec2025" is the 13th
    # IH&MMSec); one digit may be ("3DV", "6GNet").
    name = re.sub(r"^\d{2,}(?=[A-Z])", "", match["name"].rstrip("-"))
    if name == "WS" and match["glued"]:
        return None  # "WS07": a workshop's running number, not 2007
    short = match["short"] or match["glued"] or match["spaced"]
    if short:
        return f"{name} {short_year(short)}"
    return f"{name} {match['year']}" if match["year"] else None


def looks_like_acronym(name: str) -> bool:
    """Acronyms have short lower-case runs ("DeepTest"); "Springer-Verlag" is a name."""
    return not re.search(r"[a-z]{5}", name)


# Where a sponsoring conference is named beside a workshop: these are hosts, never the tag of a
# workshop paper on their own.  Others are recognised by "at"/"@"/"with" before them.
_HOSTS = frozenset(
    {"aaai", "aacl", "acl", "ase", "asru", "bigdata", "bracis", "chi", "cikm", "coling", "conll",
     "cvpr", "eacl", "eccv", "ecir", "emnlp", "fse", "globecom", "icassp", "icc", "iccv", "icdar",
     "icdm", "icip", "icme", "iclr", "icml", "icra", "icse", "ijcai", "interspeech", "iros", "isbi",
     "iwcs", "kdd", "lrec", "miccai", "mm", "naacl", "neurips", "nips", "recsys", "sigir", "wacv",
     "wsdm", "www"}
)  # fmt: skip
_PUBLISHERS = frozenset({"ieee", "acm", "cvf", "ieee/cvf", "ieee/acm", "isca", "asme", "springer"})
_WORKSHOP_CUE = re.compile(
    r"(?i:\bworkshops?\b|\bco-?located\b)|\bSRW\b|\bSemEval\b|\s@\s|\b[A-Z]{3,}W\b|\bWS-?\d+\b"
)
_MENTION = re.compile(rf"(?<![\w'])(?P<name>{WORD_ACRONYM})(?:{ACRONYM_YEAR})?(?![\w'])")
WS = r"(?P<ws>[A-Z0-9][\w+/&-]*[A-Z][\w+/&-]*)"
_WS_NAMES = (
    re.compile(rf"{WS}(?:\s+[A-Z][\w-]*)?\s?@\s"),  # "ArtMetrics @ ICCV 2025", "World Model @"
    re.compile(rf"{WS}(?:[\s-]+{YEAR})?\s+(?i:workshops?)\b"),  # "CVEU workshop"
    re.compile(rf"(?i:workshops?)\s+{WS}(?!\s+(?:on|at|of|in)\b)"),  # "Workshop MMFM4"
    re.compile(rf"(?i:workshop)\b[^()]*?\({WS}\)"),  # "Workshop on … (CVBW)"
    re.compile(r"(?P<ws>SemEval|SRW)\b"),
)
_AT_HOST = re.compile(
    rf"(?:\bat|@|\bwith)\s+(?:the\s+)?(?:(?:IEEE|ACM)\S*\s+)?(?P<name>{WORD_ACRONYM})"
)


def _year_in(text: str) -> str | None:
    found = ANY_YEAR.search(text)
    return found.group(1) if found else None


def _mentions(text: str) -> list[tuple[str, str | None, int]]:
    """Acronyms in ``text`` with their year when one is attached: (name, year, start)."""
    found = []
    for match in _MENTION.finditer(text):
        name = match["name"].strip("-/@&")
        if name.casefold() not in _PUBLISHERS and looks_like_acronym(name):
            year = with_year(match)
            found.append((name, year.rsplit(" ", 1)[1] if year else None, match.start()))
    return found


def _host(text: str) -> tuple[str, str] | None:
    """The sponsoring conference named in ``text`` and its year: a known host, else one
    named after "at", "@" or "with"."""
    mentions = _mentions(text)
    named = [m for m in mentions if m[0].casefold() in _HOSTS]
    if not named:
        at = {m["name"].strip("-/@&") for m in _AT_HOST.finditer(text)}
        named = [m for m in mentions if m[0] in at]
    if not named:
        return None
    name, year, start = named[0]
    year = year or _year_in(text[start:]) or _year_in(text)
    return (name, year) if year else None


def _workshop_name(text: str, host: str) -> str | None:
    """The workshop's own short name in ``text`` ("CVBW", "SemEval 2026"), not the host's."""
    for pattern in _WS_NAMES:
        for match in pattern.finditer(text):
            ws = match["ws"].strip("-/&")
            bare = re.sub(r"[-\s'’]?\d{2,4}$", "", ws).casefold()
            if bare == host.casefold() or ws.casefold() in _PUBLISHERS:
                continue
            if re.fullmatch(r"\d+|WS-\d+", ws):
                continue  # a number, or a workshop's running number ("WS-13")
            glued = re.match(rf"-({YEAR})\b", text[match.start("ws") + len(ws) :])
            return f"{ws} {glued.group(1)}" if glued else ws
    return None


def host_workshop(part: str) -> str | None:
    """A comment part that is only a known host's workshop, in any case ("cvpr workshop",
    "ICLR Workshop Version", "ICML 2025 workshops"): "CVPR Workshop", "ICML 2025 Workshop"."""
    match = re.fullmatch(
        rf"\s*(?P<host>[A-Za-z]+)(?:[\s-]?(?P<year>{YEAR}))?\s+workshops?(?:\s+(?:version|paper))?\s*",
        part,
        re.IGNORECASE,
    )
    if match is None or match["host"].casefold() not in _HOSTS:
        return None
    host = match["host"].upper() if match["host"].islower() else match["host"]
    return f"{host} {match['year']} Workshop" if match["year"] else f"{host} Workshop"


def tagged(found: str, sentence: str) -> str | None:
    """``found`` in its canonical form, a workshop or Findings paper tagged as such (never its
    host conference alone): "NLLP @ EMNLP 2025", "KDD 2025 Workshop", "ACL 2026 Findings"."""
    if re.fullmatch(rf"{WORD_ACRONYM}(?: {YEAR})? Workshop", found):
        return found  # tagged as a workshop already (:func:`host_workshop`)
    found = _canonical(found)
    if re.search(r"\bfindings\b", sentence, re.IGNORECASE):
        host = _host(sentence)
        return f"{host[0]} {host[1]} Findings" if host else found
    inside = re.search(rf"^{WORD_ACRONYM} {YEAR}$", found) and re.search(
        rf"{re.escape(found)}\s*\({WS}\)", sentence
    )  # "ICLR 2025 (LMRL)": a workshop in parentheses after its host
    if inside and not QUALIFIED.fullmatch(inside["ws"]):
        return f"{inside['ws']} @ {found}"
    if not _WORKSHOP_CUE.search(sentence):
        return found
    host = _host(sentence)
    if host is None:
        return _hostless(found, sentence)
    name, year = host
    if found.startswith((f"{name}W ", f"{name}-W")):
        return found  # "CVPRW 2025" names the workshops already
    ws = _workshop_name(sentence, name) or _own_name(found, name)
    return f"{ws} @ {name} {year}" if ws else f"{name} {year} Workshop"


def _hostless(found: str, sentence: str) -> str | None:
    """A workshop paper whose host the rules cannot name: a known host's workshop without a
    year ("NeurIPS workshop"), a conference's workshop ("IEEE FOO 2025 Workshop on …",
    "the … Conference on … (FOO) 2025, Workshop on …"), else ``found`` unless it is a known
    host (which would promote the paper)."""
    own = host_workshop(found)
    if own:
        return own
    named = re.match(
        rf"(?:(?:IEEE|ACM)\S*\s+)?({WORD_ACRONYM}) ({YEAR})(?:\s+(?i:workshops?)\b|$)", found
    )
    if named is None:
        return None if found.split(" ", maxsplit=1)[0].casefold() in _HOSTS else found
    acronym, year = named.groups()
    # a conference introduced by its acronym, with no "Workshops" in its own name ("CVPRW")
    conference = (
        rf"(?i:conference|symposium)(?:(?i:(?!workshop))[^()])*\(\s*{re.escape(acronym)}\s*\)"
    )
    if not found.endswith(year) or re.search(conference, sentence):
        return f"{acronym} {year} Workshop"
    return None if acronym.casefold() in _HOSTS else found


def _own_name(found: str, host: str) -> str | None:
    """The acronym of ``found`` when it is not the host's ("Ex-ASE 2025" beside ASE)."""
    head = re.sub(rf"\s*{YEAR}$", "", found)
    if head.casefold() == host.casefold() or not re.fullmatch(WORD_ACRONYM, head):
        return None
    return head if looks_like_acronym(head) else None


def _canonical(found: str) -> str:
    """A short or glued year made whole, qualifiers after ``ACRONYM YEAR`` dropped:
    "EMNLP2025 Main" -> "EMNLP 2025", "IJCAI-25" -> "IJCAI 2025", "CVPR 2026 (Oral)" ->
    "CVPR 2026"."""
    found = re.sub(rf"^(.*?\b{YEAR})(?:{QUALIFIED.pattern})$", r"\1", found, flags=re.IGNORECASE)
    found = re.sub(r"^(.*?[A-Za-z])(?:-|['’]\s?|\s)?(\d{2})$", _whole_short, found)
    found = re.sub(rf"^({WORD_ACRONYM}) (?:Conference|Symposium) ({YEAR})$", r"\1 \2", found)
    return (
        re.sub(rf"^(.*?[A-Za-z])-?({YEAR})$", r"\1 \2", found)
        .replace("@", " @ ")
        .replace("  ", " ")
    )


def _whole_short(match: re.Match[str]) -> str:
    name = match.group(1)
    words = name.split(" ")
    if sum(ch.isupper() for ch in words[-1]) < 2:
        return match.group(0)
    return f"{name} {short_year(match.group(2))}"
