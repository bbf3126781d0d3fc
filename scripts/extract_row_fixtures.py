"""Build tests/fixtures/rows/recorded-papers.jsonl from a folder of recorded arXiv responses.

The code-link, venue and BibTeX tests need every recorded paper's text, from three formats
(API Atom, OAI-PMH ``arXiv`` records, the rss.arxiv.org feed).  This writes each paper once as
:meth:`Paper.to_json` plus ``"source"`` (the file it came from), so the tests read one small
file instead of 3 MB of XML.  API pages go through the product's own parser; the OAI and RSS
records are read with ElementTree, field by field, with no text edited beyond whitespace.
Of the 1504-item RSS feed only the items that mention a code host or carry a journal
reference are kept (the rest have no link or venue to test).

Usage: ``python scripts/extract_row_fixtures.py RECORDINGS_DIR OUTPUT.jsonl``
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from daily_papers.arxiv.api_page import parse_page
from daily_papers.models import Paper

_OAI = "{http://arxiv.org/OAI/arXiv/}"
_HOSTS = re.compile(r"github|gitlab|huggingface|hf\.co", re.IGNORECASE)


def _ws(text: str | None) -> str | None:
    return " ".join(text.split()) if text and text.strip() else None


def _oai_papers(path: Path) -> list[Paper]:
    papers = []
    for record in ET.parse(path).getroot().iter(f"{_OAI}arXiv"):

        def field(name: str, record: ET.Element = record) -> str | None:
            return _ws(record.findtext(f"{_OAI}{name}"))

        created = datetime.fromisoformat(field("created") or "").replace(tzinfo=timezone.utc)
        updated = field("updated")
        authors = tuple(
            " ".join(
                filter(None, (_ws(a.findtext(f"{_OAI}forenames")), a.findtext(f"{_OAI}keyname")))
            )
            for a in record.iter(f"{_OAI}author")
        )
        categories = tuple((field("categories") or "").split())
        pid = field("id") or ""
        papers.append(
            Paper(
                id=pid,
                version=1,
                title=field("title") or "",
                abstract=field("abstract") or "",
                authors=authors,
                published=created,
                updated=datetime.fromisoformat(updated).replace(tzinfo=timezone.utc)
                if updated
                else created,
                primary_category=categories[0],
                categories=categories,
                comment=field("comments"),
                journal_ref=field("journal-ref"),
                doi=field("doi"),
                abs_url=f"https://arxiv.org/abs/{pid}",
            )
        )
    return papers


def _rss_papers(path: Path) -> list[Paper]:
    papers = []
    for item in ET.parse(path).getroot().iter("item"):
        match = re.match(
            r"arXiv:(\S+?)v(\d+) Announce Type: \S+\s*\nAbstract: (.*)",
            item.findtext("description") or "",
            re.DOTALL,
        )
        if match is None:
            continue
        extra = {child.tag.rsplit("}", 1)[-1]: _ws(child.text) for child in item}
        abstract = _ws(match.group(3)) or ""
        if not (_HOSTS.search(abstract) or extra.get("journal_reference")):
            continue
        when = parsedate_to_datetime(item.findtext("pubDate") or "")
        categories = tuple(_ws(c.text) or "" for c in item.iter("category"))
        papers.append(
            Paper(
                id=match.group(1),
                version=int(match.group(2)),
                title=_ws(item.findtext("title")) or "",
                abstract=abstract,
                authors=tuple(a.strip() for a in (extra.get("creator") or "").split(",")),
                published=when,
                updated=when,
                primary_category=categories[0],
                categories=categories,
                journal_ref=extra.get("journal_reference"),
                doi=extra.get("DOI"),
                abs_url=f"https://arxiv.org/abs/{match.group(1)}v{match.group(2)}",
            )
        )
    return papers


def main(source: Path, output: Path) -> None:
    """Write one JSON line per distinct paper id (the first recording of it wins)."""
    rows: dict[str, dict[str, Any]] = {}
    batches: list[tuple[str, list[Paper]]] = []
    for path in sorted(source.glob("api-*.xml")):
        if "error" not in path.name:
            batches.append((path.name, list(parse_page(path.read_bytes()).papers)))
    batches += [(p.name, _oai_papers(p)) for p in sorted(source.glob("oai2-*ListRecords-arXiv*"))]
    batches += [(p.name, _rss_papers(p)) for p in sorted(source.glob("rss-*all-archives*.xml"))]
    for name, papers in batches:
        for paper in papers:
            rows.setdefault(paper.id, {"source": name, **paper.to_json()})
    lines = [json.dumps(row, ensure_ascii=False, sort_keys=False) for row in rows.values()]
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} papers -> {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
