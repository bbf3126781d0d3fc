"""The paper archive: every paper daily-papers has ever shown, one JSON Lines file per month.

The README and the data file keep only each topic's newest papers; the archive keeps the rest,
so the static site can show and search a topic's whole history.  It is committed with the
README, so it must be **byte-stable** and its daily diff small:

* a paper is filed once, under the month (``YYYY-MM.jsonl``) it was first shown in any topic,
  and stays there: a run touches only the months of the papers it shows;
* a newer version of a paper, or a further topic showing it, rewrites its line in place;
* lines are sorted by first-shown date, then id; keys are sorted; UTF-8, ``\\n`` endings.

Each line is one record::

    {"first_shown": "2026-11-26", "paper": {…Paper.to_json()…}, "topics": ["LLM", "RAG"]}

A topic that is removed from the configuration keeps its records (its history stays
searchable).  Pure: bytes in, bytes out; the caller reads and writes the files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from daily_papers.arxiv.ids import is_arxiv_id
from daily_papers.errors import DataFileError
from daily_papers.escape import console_text
from daily_papers.models import PAPER_KEYS, Paper, StoredPaper, is_day, is_timestamp

__all__ = [
    "Archive",
    "ArchiveFiles",
    "ArchiveRecord",
    "ArchiveUpdate",
    "archive_changes",
    "archive_path",
    "file_papers",
    "load_archive",
    "month_of_path",
    "read_archive",
    "update_archive",
]

_RECORD_KEYS = frozenset({"first_shown", "paper", "topics"})
_MONTH_FILE = re.compile(r"(\d{4}-\d{2})\.jsonl")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: UTF-8 cannot hold a surrogate, so a decoded line can only get one from a JSON escape.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class ArchiveRecord:
    """One archived paper: its latest known version, when it was first shown, and where."""

    paper: Paper
    first_shown: str  # YYYY-MM-DD (UTC)
    topics: tuple[str, ...]  # sorted, unique, never empty

    @property
    def month(self) -> str:
        """``YYYY-MM``: the file the record lives in."""
        return self.first_shown[:7]


@dataclass(frozen=True)
class Archive:
    """Every record, each paper once, ordered as the files are (oldest month first)."""

    records: tuple[ArchiveRecord, ...] = ()


#: The archive's table of contents: the months it holds, for readers of the committed
#: archive.  It is derived from the month files on every run and never decides what is read.
INDEX_NAME = "months.json"


def index_path(archive_dir: str) -> str:
    """The repository-relative path of the archive's index of months."""
    return f"{archive_dir.rstrip('/')}/{INDEX_NAME}"


def _index_problem(data: bytes | None, months: Sequence[str], archive_dir: str) -> str | None:
    """How the index found disagrees with the month files ``months`` found, if it does."""
    if data is None:
        return "is missing"
    try:
        listed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "is not valid JSON"
    if not isinstance(listed, list) or not all(
        isinstance(m, str) and _MONTH.fullmatch(m) for m in listed
    ):
        return "is not a list of YYYY-MM months"
    for month in sorted(set(listed) - set(months)):
        return f"lists {month}, but {archive_path(archive_dir, month)} does not exist"
    for month in sorted(set(months) - set(listed)):
        return f"leaves out {month}, whose file {archive_path(archive_dir, month)} exists"
    return None


@dataclass(frozen=True)
class ArchiveFiles:
    """The archive as a run finds it: every month file, read, and the index's old bytes."""

    index_path: str
    index: bytes | None  # the index's bytes as found (None: no index)
    files: dict[str, bytes]  # month file path -> bytes
    note: str | None = None  # set when the index disagreed with the month files: for the log


def read_archive(
    archive_dir: str,
    read: Callable[[str], bytes | None],
    listing: Callable[[str], Sequence[str]],
) -> ArchiveFiles:
    """Every month file the archive's folder holds, and its index as found.

    The month files are the truth.  Trusting the index instead let a lost or stale
    ``months.json`` hide a month: that month dropped out of the site, and a paper of it shown
    again was filed afresh with only the data file's knowledge, its old record lost.  So the
    folder is listed on every run (one request through the API) and the index is rewritten
    from the month files (unchanged, it is not written); :attr:`ArchiveFiles.note` says when
    the index found disagreed with them.
    """
    index = index_path(archive_dir)
    data = read(index)
    found = (archive_path(archive_dir, m) for m in _months_listed(archive_dir, listing))
    files = {path: content for path in found if (content := read(path)) is not None}
    months = [month for path in files if (month := month_of_path(archive_dir, path))]
    problem = _index_problem(data, months, archive_dir)
    if problem is None or (data is None and not files):  # in step, or a new archive
        return ArchiveFiles(index, data, files)
    count = f"{len(files)} month file{'s' if len(files) != 1 else ''}"
    note = (
        f"Archive index {index} {problem}; it is rewritten from the {count} found in "
        f"{archive_dir.rstrip('/')}/ (the month files hold every paper; the index only lists them)."
    )
    return ArchiveFiles(index, data, files, note)


def _months_listed(archive_dir: str, listing: Callable[[str], Sequence[str]]) -> list[str]:
    """The months whose files ``listing`` finds in the folder, by file name: an API may
    spell the folder differently (``./a`` listed as ``a/…``), never the names in it."""
    folder = archive_dir.rstrip("/")
    names = (path.rsplit("/", 1)[-1] for path in listing(folder))
    months = {month_of_path(folder, f"{folder}/{name}") for name in names}
    return sorted(month for month in months if month is not None)


def dump_index(archive: Archive) -> bytes:
    """The index of ``archive``'s months, sorted, one per line: byte-stable."""
    months = sorted({record.month for record in archive.records})
    return (
        "[\n" + ",\n".join(f'  "{m}"' for m in months) + ("\n" if months else "") + "]\n"
    ).encode()


def archive_path(archive_dir: str, month: str) -> str:
    """The repository-relative path of one month's file, e.g. ``papers-archive/2026-11.jsonl``."""
    return f"{archive_dir.rstrip('/')}/{month}.jsonl"


def month_of_path(archive_dir: str, path: str) -> str | None:
    """``YYYY-MM`` when ``path`` is a month file directly in ``archive_dir``, else None.

    Lets the caller pick the archive's files out of a directory listing that may hold others
    (a README the user added, say).
    """
    prefix = archive_dir.rstrip("/") + "/"
    if not path.startswith(prefix):
        return None
    match = _MONTH_FILE.fullmatch(path[len(prefix) :])
    return match.group(1) if match and _MONTH.fullmatch(match.group(1)) else None


def _fail(path: str, line: int, field: str, problem: str) -> DataFileError:
    return DataFileError(
        f"Archive file {path} line {line}: field {field!r} {problem}.",
        "Fix that line or restore the file from the repository's history.",
    )


def _record_from_line(path: str, number: int, line: str, month: str) -> ArchiveRecord:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _fail(path, number, "(line)", f"is not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError):  # a number too long to convert, nesting too deep
        raise _fail(
            path, number, "(line)", "is not valid JSON (a number or nesting too large)"
        ) from None
    if not isinstance(raw, dict):
        raise _fail(path, number, "(line)", "is not a JSON object")
    is_text = _is_text if _SURROGATE_ESCAPE.search(line) else _is_str
    missing, extra = sorted(_RECORD_KEYS - raw.keys()), sorted(raw.keys() - _RECORD_KEYS)
    if missing:
        raise _fail(path, number, missing[0], "is missing")
    if extra:
        raise _fail(path, number, extra[0], "is not an archive field")
    first_shown = raw["first_shown"]
    if not is_day(first_shown):
        raise _fail(path, number, "first_shown", "is not a YYYY-MM-DD date")
    if first_shown[:7] != month:
        raise _fail(path, number, "first_shown", f"is not in the file's month {month}")
    topics = raw["topics"]
    if (
        not isinstance(topics, list)
        or not topics
        or not all(isinstance(t, str) and t and is_text(t) for t in topics)
        or len(set(topics)) != len(topics)
    ):
        raise _fail(path, number, "topics", "is not a non-empty list of distinct topic names")
    return ArchiveRecord(
        paper=_paper(path, number, raw["paper"], is_text),
        first_shown=first_shown,
        topics=tuple(sorted(topics)),
    )


def _paper(path: str, number: int, data: object, is_text: Callable[[object], bool]) -> Paper:
    """A paper checked as strictly as the data file checks its papers (``daily_papers.state``):
    an arXiv id, a whole version from 1, strings without lone surrogates, UTC timestamps."""
    if not isinstance(data, dict):
        raise _fail(path, number, "paper", "is not a JSON object")
    for key in PAPER_KEYS:
        if key not in data:
            raise _fail(path, number, f"paper.{key}", "is missing")
    extra = sorted(data.keys() - set(PAPER_KEYS))
    if extra:
        raise _fail(path, number, f"paper.{extra[0]}", "is not a paper field")
    for key in ("id", "title", "abstract", "primary_category", "published", "updated"):
        if not is_text(data[key]):
            raise _fail(path, number, f"paper.{key}", "is not a string of valid Unicode")
    if not is_arxiv_id(data["id"]):
        shown = console_text(repr(data["id"]))[:40]
        raise _fail(path, number, "paper.id", f"is not an arXiv id ({shown})")
    if type(data["version"]) is not int or data["version"] < 1:
        raise _fail(path, number, "paper.version", "is not a whole number from 1")
    for key in ("authors", "categories"):
        value = data[key]
        if not isinstance(value, list) or not all(is_text(v) for v in value):
            raise _fail(path, number, f"paper.{key}", "is not a list of strings")
    for key in ("abs_url", "pdf_url"):
        if not is_text(data[key]):
            raise _fail(path, number, f"paper.{key}", "is not a string of valid Unicode")
    for key in ("comment", "journal_ref", "doi"):
        if data[key] is not None and not is_text(data[key]):
            raise _fail(path, number, f"paper.{key}", "is not a string or null")
    for key in ("published", "updated"):
        if not is_timestamp(data[key]):
            raise _fail(path, number, f"paper.{key}", "is not a YYYY-MM-DDTHH:MM:SSZ time")
    try:
        return Paper.from_json(data)
    except ValueError as exc:
        raise _fail(
            path, number, "paper.published/updated", f"is not a timestamp ({exc})"
        ) from None


def _is_text(value: object) -> bool:
    return isinstance(value, str) and not _SURROGATE.search(value)


def _is_str(value: object) -> bool:
    """:func:`_is_text` for a line without surrogate escapes: 20% of a 100,000-paper load
    went to searching every abstract for what cannot be there."""
    return isinstance(value, str)


def _load_file(path: str, data: bytes, month: str) -> list[ArchiveRecord]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(path, 1 + data[: exc.start].count(b"\n"), "(line)", "is not UTF-8") from None
    if text and not text.endswith("\n"):
        raise _fail(path, text.count("\n") + 1, "(line)", "does not end with a newline")
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            raise _fail(path, number, "(line)", "is blank")
        records.append(_record_from_line(path, number, line, month))
    return records


def load_archive(files: Mapping[str, bytes | None], *, archive_dir: str) -> Archive:
    """Parse and validate the archive's month files (``None`` values are absent files).

    Every key must be a month file of ``archive_dir`` (see :func:`month_of_path`).  Damage is a
    :class:`DataFileError` naming the file, line and field: an archive read wrongly and written
    back would lose history.  A paper filed twice is damage too.
    """
    records: list[ArchiveRecord] = []
    where: dict[str, str] = {}
    for path in sorted(files):
        data = files[path]
        if data is None:
            continue
        month = month_of_path(archive_dir, path)
        if month is None:
            raise ValueError(f"{path} is not a month file of the archive {archive_dir}")
        for number, record in enumerate(_load_file(path, data, month), start=1):
            if record.paper.id in where:
                raise _fail(
                    path,
                    number,
                    "paper.id",
                    f"{record.paper.id} is also filed in {where[record.paper.id]}",
                )
            where[record.paper.id] = path
            records.append(record)
    return Archive(records=tuple(records))


def _line(record: ArchiveRecord) -> str:
    return json.dumps(
        {
            "first_shown": record.first_shown,
            "paper": record.paper.to_json(),
            "topics": list(record.topics),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def _dump_month(records: Iterable[ArchiveRecord]) -> bytes:
    ordered = sorted(records, key=lambda r: (r.first_shown, r.paper.id))
    return "".join(_line(r) + "\n" for r in ordered).encode("utf-8")


@dataclass(frozen=True)
class ArchiveUpdate:
    """The archive after a run, and the months whose records this run changed."""

    archive: Archive
    months: frozenset[str]


def file_papers(
    archive: Archive, shown: Mapping[str, Sequence[StoredPaper]], *, today: str
) -> ArchiveUpdate:
    """File this run's papers into ``archive``.

    ``shown`` is, per topic name, the papers shown after this run (the data file's papers),
    with the date the data file first saw each.  A new paper is filed under that date (never
    later than ``today``); a known one keeps its month and gets the newer version and any
    further topic.
    """
    by_id = {r.paper.id: r for r in archive.records}
    touched: set[str] = set()
    for topic, papers in shown.items():
        for stored in papers:
            paper = stored.paper
            known = by_id.get(paper.id)
            if known is None:
                first = min(stored.first_seen, today) if is_day(stored.first_seen) else today
                by_id[paper.id] = ArchiveRecord(paper=paper, first_shown=first, topics=(topic,))
                touched.add(first[:7])
                continue
            updated = known
            if paper.supersedes(known.paper):
                updated = replace(updated, paper=paper)
            if topic not in known.topics:
                updated = replace(updated, topics=tuple(sorted({*known.topics, topic})))
            if updated != known:
                by_id[paper.id] = updated
                touched.add(known.month)
    records = sorted(by_id.values(), key=lambda r: (r.first_shown, r.paper.id))
    return ArchiveUpdate(archive=Archive(records=tuple(records)), months=frozenset(touched))


def archive_changes(
    update: ArchiveUpdate, previous_files: Mapping[str, bytes | None], *, archive_dir: str
) -> dict[str, bytes]:
    """The month files ``update`` changes or creates, by path; unchanged bytes are left out."""
    result: dict[str, bytes] = {}
    for month in sorted(update.months):
        path = archive_path(archive_dir, month)
        data = _dump_month(r for r in update.archive.records if r.month == month)
        if previous_files.get(path) != data:
            result[path] = data
    return result


def update_archive(
    previous_files: Mapping[str, bytes | None],
    shown: Mapping[str, Sequence[StoredPaper]],
    *,
    archive_dir: str,
    today: str,
) -> dict[str, bytes]:
    """The month files this run changes or creates, by path, given every existing file.

    ``previous_files`` must hold *every* month file already in ``archive_dir`` (the site is
    built from the whole archive, so the caller reads it all anyway); otherwise a paper filed
    in a month not passed would be filed a second time.  See :func:`file_papers` for
    ``shown``.  Files whose bytes would not change are left out, so an unchanged run returns
    ``{}``.  A caller that also builds the site uses :func:`load_archive`,
    :func:`file_papers` and :func:`archive_changes` instead, to parse the archive once.
    """
    update = file_papers(load_archive(previous_files, archive_dir=archive_dir), shown, today=today)
    return archive_changes(update, previous_files, archive_dir=archive_dir)
