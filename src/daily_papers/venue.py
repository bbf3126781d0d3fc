"""Where a paper was published or accepted, read from its journal_ref and comment.

arXiv has no venue field: authors state it in free text ("Accepted at the 16th IEEE
International Conference on Software Testing ... (ICST) 2023", "to appear in PLB", "RECOMB
2015") and the journal reference names the journal ("Phys. Rev. B 91, 035118 (2015)").

The rules are deliberately conservative, because a wrong venue in a README misinforms readers
while a missing one costs nothing:

* the journal reference wins: an acronym with a year when it names a conference, else the
  journal name before the volume (``Phys. Rev. B``);
* in the comment, only a sentence that says the paper is accepted, to appear, published,
  in proceedings or presented somewhere counts, and never one that says "submitted" or
  "under review";
* a conference acronym with its year (``(ISSTA 2020)``, ``(ICST) 2023``, ``MET'21``)
  becomes ``ISSTA 2020``, ``ICST 2023``, ``MET 2021``; otherwise the named venue up to where
  the name ends (a parenthesis, a month, a full stop, a comma that does not continue the
  name), and only when it is short and looks like a name;
* a comment part that is just ``ACRONYM YEAR`` (``NIPS 2013``), and a sentence naming a
  conference or workshop with its acronym in parentheses, are venues too.
* every venue read from a comment then takes its canonical form (:mod:`daily_papers.venue_tags`):
  whole years, no "Oral"/"Main"/"camera ready", and a workshop or Findings paper tagged as such
  ("NLLP @ EMNLP 2025", "ACL 2026 Findings"), never its host conference alone.

Pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from daily_papers.models import Paper
from daily_papers.venue_tags import (
    ACRONYM_YEAR,
    ANY_YEAR,
    QUALIFIED,
    WORD_ACRONYM,
    WS,
    YEAR,
    host_workshop,
    looks_like_acronym,
    short_year,
    tagged,
    with_year,
)

__all__ = ["MAX_VENUE_LENGTH", "venue", "venue_of"]

#: A venue longer than this is more likely a sentence than a name; none is shown instead.
MAX_VENUE_LENGTH = 80

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
)
# An acronym: a capital, then letters, digits, and / @ & - joiners, with at least two capitals
# in all ("ISSTA", "DeepTest", "ESEC/FSE", "SBFT@ICSE", "SAC-SVT", "Hard Probes").
_ACRONYM = r"[A-Z][A-Za-z0-9/@&-]*(?: [A-Z][A-Za-z0-9/@&-]*)?"
_PAREN_ACRONYM = re.compile(
    rf"\((?P<name>{_ACRONYM}?)(?:\s?['’](?P<short>\d{{2}})|[\s,-]*(?P<year>{YEAR}))?\)"
    rf"(?:\s*,?\s*(?P<after>{YEAR})\b)?"
)
_BARE = re.compile(rf"^(?:(?:IEEE|ACM)\s)?(?P<name>{WORD_ACRONYM}){ACRONYM_YEAR}(?P<tail>.*)$")
_INLINE = re.compile(  # two acronyms may be one name ("APSIPA ASC 2025"), not a publisher's
    rf"(?<![\w'])(?P<name>(?:(?!IEEE|ACM){WORD_ACRONYM}\s)?{WORD_ACRONYM}){ACRONYM_YEAR}(?![\w'])"
)
_EVENT = re.compile(r"\b(?:Conference|Workshop|Symposium|Meeting|Seminar)\b", re.IGNORECASE)
_NEGATIVE = re.compile(
    r"\b(?:submitted|(?<!accepted )submission|under review|in review|withdrawn|reject(?:ed)?)\b",
    re.IGNORECASE,
)

# Statements that the paper is out or will be, strongest first: an earlier group wins.
_STRONG = re.compile(
    r"\b(?:accepted(?:\s+for\s+(?:\w+\s+)?(?:publication|presentation))?"
    r"(?:\s+as\s+(?:an?|the)\s+[\w ]+?)?\s+(?:at|to|by|in|on|for)"
    r"|to\s+appear(?:\s+(?:in|at|on))?|to\s+be\s+published(?:\s+(?:in|by|at|on))?:?"
    r"|published(?:\s+version)?(?:\s+as\s+an?\s+[\w ]+?)?\s*(?:in|at|by|on|to|:)|appears?\s+in)"
    r"(?=\s)",
    re.IGNORECASE,
)
_WEAK = re.compile(
    r"\b(?:(?:in\s+)?proceedings?\s+of|proc\.\s+of|appearing\s+in(?:\s+proceedings\s+of)?|"
    r"presented\s+(?:by\s+[\w. ]+?\s+)?(?:at|in)|talk\s+(?:given\s+)?at|contribution\s+to|"
    r"(?:invited\s+)?(?:plenary\s+)?paper\s+(?:at|in)|version\s+of(?:\s+the)?\s+paper\s+from|"
    r"in\s+proceedings|camera[- ]ready\s+(?:version\s+)?(?:for|of)|"
    r"(?:extended|full|journal)\s+(?:version|extension)\s+of(?:\s+(?:the|our|an?))?|"
    r"(?:oral|poster|spotlight)(?:\s+presentation)?\s+at|"
    r"(?:best|outstanding)\s+(?:\w+\s+){0,2}(?:paper|award)\s+(?:at|in))"
    r"(?=\s)",
    re.IGNORECASE,
)
_POSTFIX = re.compile(r"^(?P<name>[^,;]+?),?\s*\(?(?:to appear|in press)\)?$", re.IGNORECASE)
# Where a named venue ends: a semicolon, bracket, quote, dash, " / ", a month, a full stop
# after a whole word or an acronym (so "Phys. Rev. B" stays whole), or a comma, unless it
# continues a list inside the name ("Software Testing, Verification, and Reliability"); place
# names after a comma ("…, Oxford, UK") end it.
_NAME_END = re.compile(
    r"[;(\[\"“”]|\s[-–/]\s|\s" + _MONTH + r"|(?:(?<=[a-z]{4})|(?<=[A-Z]{2}))\.(?:\s|$)"
    r"|:\s|\s(?:in|on)\s+"
    + YEAR
    + r"|,(?!\s+(?:and|&)\s+[A-Z][a-z]|\s+[A-Z][a-z]+(?:,\s+|\s+)(?:and|&)\s)"
)
_LEADING = re.compile(
    r"^(?:the\s+|publication\s+(?:in|at|by|on)\s+|publish\s+it\s+(?:in|at)\s+|(?:in\s*)?proceedings\s+of\s+(?:the\s+)?|"
    r"(?:in\s+)?proc\.\s+(?:of\s+(?:the\s+)?)?)+",
    re.IGNORECASE,
)
_ORDINAL = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth)\s+(?=[A-Z])",
    re.IGNORECASE,
)
_JOURNAL_END = re.compile(
    r"[;(\[]|\s(?i:vol|volume|no)\b|(?<=[a-z]{4})\.\s+(?=[A-Z]{3})"
    r"|,(?!\s+(?:and|&)\s+[A-Z][a-z]|\s+[A-Z][a-z]+(?:,\s+|\s+)(?:and|&)\s)"
)
_STOP_END = re.compile(r"\b(?:of|the|in|on|and|for|at|to|by|&)$", re.IGNORECASE)
# Publishers, archives and file formats are where a paper is, not where it was accepted.
_NOT_A_NAME = frozenset(
    "ieee acm springer elsevier proc proc. journal zenodo pdf arxiv github openreview figshare "
    "researchgate ieee_xplore".replace("_", " ").split()
)
# A sentence boundary: a full stop after a whole word, an acronym or a number, then a capital
# (or arXiv's "arXiv admin note"); a semicolon; " / ".
_SENTENCE = re.compile(
    r"(?:(?<=[a-z]{4})|(?<=[A-Z]{2})|(?<=\d\))|(?<=\d{2})|(?<=[\"”’]))\.\s+"
    r"(?=[A-Z(]|arXiv|\d+\s+(?:pages|figures)\b)"
    r"|;\s*|\s/\s"
)


def _acronym_venue(text: str) -> str | None:
    """``ACRONYM YEAR`` from the first parenthesised acronym in ``text`` (year inside the
    parentheses, right after them, or elsewhere in ``text``), else None."""
    for match in _PAREN_ACRONYM.finditer(text):
        name = match["name"]
        if sum(ch.isupper() for ch in name) < 2 or re.search(r"\bQ[1-4]$", name):
            continue  # not an acronym, or a journal's rank ("JCR-Q1")
        year = match["year"] or match["after"]
        if match["short"]:
            year = short_year(match["short"])
        if year is None:
            tail = re.match(rf"(.*?[A-Za-z])[-\s]?({YEAR})$", name)
            if tail:
                name, year = tail.group(1), tail.group(2)
        if re.search(r"\d{3}", name):
            continue
        if year is None:
            found = ANY_YEAR.search(text)
            year = found.group(1) if found else None
        return f"{name} {year}" if year else name
    return None


def _inline_venue(text: str) -> str | None:
    """The first ``ACRONYM YEAR`` or ``ACRONYM'YY`` word in ``text`` (``ICPADS 2015``) that
    does not begin a longer name ("ICALP 2011 Group Testing Workshop" is not ICALP)."""
    for match in _INLINE.finditer(text):
        after = text[match.end() :]
        continued = re.match(r"\s+[A-Z]", after) and not QUALIFIED.match(after)
        if looks_like_acronym(match["name"]) and not continued:
            return with_year(match)
    return None


def _bare_venue(text: str) -> str | None:
    """``NIPS 2013``, ``WPCF-2014``, ``MET'24``, ``CVPR26 (Oral)`` as a whole segment."""
    match = _BARE.match(text.strip())
    if match is None or not looks_like_acronym(match["name"]):
        return None
    tail = match["tail"]
    qualified = QUALIFIED.fullmatch(tail) or re.match(r"\s+(?i:workshops?)\b", tail)
    if tail and not qualified and not _spelled_out(match["name"], tail):
        return None
    return with_year(match)


def _spelled_out(acronym: str, tail: str) -> bool:
    """Whether ``tail`` is the acronym's full name ("CLEF 2016 Conference and Labs of the
    Evaluation Forum"): the initials of its capitalised words spell the acronym."""
    initials = "".join(word[0] for word in re.findall(r"\b[A-Z][\w-]*", tail))
    letters = re.sub(r"[^A-Za-z]", "", acronym)
    return len(letters) >= 3 and initials.casefold() == letters.casefold()


def _name_region(text: str) -> str:
    """The start of ``text`` up to where a venue name would end."""
    text = _LEADING.sub("", text.strip().strip("\"'“”‘’ :"))
    end = _NAME_END.search(text)
    return (text[: end.start()] if end else text).strip().strip("\"'“”‘’ ")


def _plausible(name: str) -> str | None:
    """``name`` when it looks like a venue name (capitalised, short, not a publisher or a
    dangling "of the"), a final full stop dropped after a one-letter series or single word."""
    name = name.strip().rstrip(",;:")
    name = name.rstrip(".") if re.search(r"(?:\s[A-Z]|^[A-Za-z]+)\.$", name) else name
    if (
        len(name) < 2
        or len(name) > MAX_VENUE_LENGTH
        or not (name[0].isupper() or _ORDINAL.match(name) or re.match(r"\d{4} [A-Z]", name))
        or _STOP_END.search(name)
        or name.casefold() in _NOT_A_NAME
        or name.endswith(" Press")
        or not re.search(r"[A-Za-z].*[A-Za-z]", name)
    ):
        return None
    return name


def _clean_name(text: str) -> str | None:
    """The venue name at the start of ``text``, or None when it does not look like one."""
    return _plausible(_name_region(text))


def _from_sentence(sentence: str, pattern: re.Pattern[str]) -> str | None:
    match = pattern.search(sentence)
    if match is None:
        return None
    rest = sentence[match.end() :]
    rest = re.split(r",\s+(?!and\b)(?=[a-z])", rest, maxsplit=1)[0]  # "…, extension of …"
    if re.match(r"(?i:extended|full|journal)", match.group(0)):
        return _inline_venue(rest)  # "Extended version of the SoCS 2026 paper", not its title
    region = _name_region(rest)
    lower = re.match(rf"\s*([a-z]{{2,8}})({YEAR})\b", rest)  # "published in acl2026"
    if lower:
        return f"{lower.group(1).upper()} {lower.group(2)}"
    return _inline_venue(region) or _acronym_venue(rest) or _inline_venue(rest) or _clean_name(rest)


#: Every comment rule needs one of these words or a year; most comments ("12 pages, 5
#: figures") have none, and plain substring tests are far cheaper than the case-blind rules.
_COMMENT_HINTS = (
    "accept", "appear", "publish", "press", "proc", "present", "talk", "contribution", "paper",
    "conference", "workshop", "symposium", "meeting", "seminar", "journal", "transactions",
    "letters", "@",
)  # fmt: skip
_YEAR_HINT = re.compile(r"(?:19|20)\d\d|['’]\s?\d\d|[A-Z]-?\d\d\b")


_EMPHASIS = re.compile(r"(?<![\w*])([*_]{1,2})(?=\S)([^*_]+?)(?<=\S)\1(?![\w*])")
_TYPO = re.compile(r"\b(?:accepet|accpeted|acceped|accept)\b(?=\s+(?:by|at|to|in|for)\b)", re.I)
# A comment part that begins a conference or journal's full name ("IEEE Transactions on …").
_NAMED = re.compile(
    r"(?:(?:19|20)\d{2}\s+)?(?:(?:IEEE|ACM|ASME)\S*\s+)?(?:\d+(?:st|nd|rd|th)\s+)?"
    r"(?:(?:Annual|International|European|National|Asian|World)\s+)*"
    r"(?:Conference|Symposium|Journal|Transactions|Workshop|Letters)\s+(?:on|of|for)\s+[A-Z]"
)


def _from_comment(comment: str) -> str | None:
    lowered = comment.lower()
    if not any(hint in lowered for hint in _COMMENT_HINTS) and not _YEAR_HINT.search(comment):
        return None
    comment = _TYPO.sub("accepted", _EMPHASIS.sub(r"\2", comment))
    for sentence, found in _candidates(comment):
        form = tagged(found, sentence)
        if form:
            return form
    return None


def _candidates(comment: str) -> Iterator[tuple[str, str]]:
    """(sentence, venue) for each venue the rules read in ``comment``, best first."""
    sentences = [s.strip() for s in _SENTENCE.split(comment) if s and s.strip()]
    usable = [s for s in sentences if not _NEGATIVE.search(s)]
    for pattern in (_STRONG, _WEAK):
        for sentence in usable:
            found = _from_sentence(sentence, pattern)
            if found:
                yield sentence, found
    for sentence in usable:
        for part in re.split(r"[,:]", sentence):
            bare = _bare_venue(part) or host_workshop(part)
            if bare:
                yield sentence, bare
            at = re.match(
                rf"\s*{WS}(?:\s+[A-Z][\w-]*)?\s?@\s?(?P<host>{WORD_ACRONYM} {YEAR})", part
            )
            if at:
                yield sentence, at["host"]  # "ArtMetrics @ ICCV 2025 (non-archival)"
        postfix = _POSTFIX.match(sentence)
        if postfix:
            name = _clean_name(postfix["name"])
            if name:
                yield sentence, name
        if _EVENT.search(sentence):
            found = _acronym_venue(sentence)
            if found:
                yield sentence, found
        if re.search(r"(?i:\bworkshop\b)|\bFindings of\b", sentence):
            found = _inline_venue(sentence)  # "NLLP Workshop at EMNLP 2025", "Findings of …"
            if found:
                yield sentence, found
        for part in re.finditer(r"(?:^|,\s*)(?=\S)", sentence):
            if _NAMED.match(sentence, part.end()):
                name = _clean_name(sentence[part.end() :])
                if name and not sentence[part.end() + len(name) :].startswith(":"):
                    yield sentence, name


def _journal_name(ref: str) -> str | None:
    """The journal at the start of a reference: the words before the volume, the year or the
    first comma ("Phys. Rev. B 91, 035118 (2015)" -> "Phys. Rev. B")."""
    text = re.sub(rf"^(?:{YEAR})\s+", "", ref)
    end = _JOURNAL_END.search(text)
    name = text[: end.start()] if end else text
    words = []
    for word in name.split(" "):
        if re.search(r"\d", word):
            head = re.split(r"\d", word, maxsplit=1)[0]
            if head and not head.endswith(("-", "/")):
                words.append(head)
            break
        words.append(word)
    return _plausible(" ".join(words))


def _from_journal_ref(ref: str) -> str | None:
    ref = " ".join(ref.split())
    if re.match(r"^[A-Z][a-z]+, [A-Z]\.", ref):
        return None  # a citation that starts with its authors
    bare = re.match(rf"^({WORD_ACRONYM}) ({YEAR})\b", ref)
    if bare and looks_like_acronym(bare.group(1)):
        return f"{bare.group(1)} {bare.group(2)}"
    if _EVENT.search(ref):
        return _acronym_venue(ref) or _clean_name(ref)
    if re.match(r"^(?:in|vol)\b", ref, re.IGNORECASE):
        return None  # a book chapter named by its editors, or a bare volume number
    return _journal_name(ref)


def venue_of(journal_ref: str | None, comment: str | None) -> str | None:
    """The venue the journal reference or, failing that, the comment states; else None."""
    if journal_ref and journal_ref.strip():
        found = _from_journal_ref(journal_ref)
        if found:
            return found
    if comment and comment.strip():
        return _from_comment(" ".join(comment.split()))
    return None


def venue(paper: Paper) -> str | None:
    """Short venue of ``paper`` ("ICST 2023", "Phys. Rev. B"), or None when not stated."""
    return venue_of(paper.journal_ref, paper.comment)
