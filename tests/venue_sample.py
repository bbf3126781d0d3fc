"""The out-of-sample venue set: which shared comments were labelled, and the split.

The comments live in ``../shared/venue/comments-2025-03-to-2026-07.jsonl.gz`` (real 2025–2026
arXiv comments, see PROVENANCE.md there) and are never copied into the repository; only the
ids, the split and the labels are (tests/fixtures/venue/labels-2025.tsv, rules in LABELLING.md
beside it).  The draw is a fixed-seed stratified sample: most comments ("12 pages, 5 figures")
state no venue, so a plain random sample would measure recall on a handful of venues.  The
``hinted`` stratum is every comment with a venue-like word; the rest is sampled too, so that
false positives on ordinary comments are measured.  Each stratum is then split in half, again
with a fixed seed, into ``tune`` (the rules may be adjusted on it) and ``test`` (untouched).
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
_NAME = Path("shared", "venue", "comments-2025-03-to-2026-07.jsonl.gz")


def _shared_comments() -> Path:
    """``../shared`` beside the checkout; in a git worktree, beside the main checkout too."""
    places = [_REPO.parent]
    dot_git = _REPO / ".git"
    if dot_git.is_file():  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
        gitdir = Path(dot_git.read_text(encoding="utf-8").split(":", 1)[1].strip())
        places.append(gitdir.parents[2].parent)
    for place in places:
        if (place / _NAME).is_file():
            return place / _NAME
    return _REPO.parent / _NAME


COMMENTS = _shared_comments()
SEED = 20261207
HINTED = 400
PLAIN = 150

#: A venue-like word: a statement verb, an event word, or an acronym glued to a year.
_HINT = re.compile(
    r"(?i:accept|appear|publish|proceed|conference|workshop|symposium|journal|findings|"
    r"camera|oral|spotlight|presented|transactions)|\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\s?['’-]?\s?"
    r"(?:19|20)?\d{2}\b"
)


def hinted(comment: str) -> bool:
    """Whether ``comment`` names something venue-like (the sample's first stratum)."""
    return _HINT.search(comment) is not None


def read_comments(path: Path = COMMENTS) -> dict[str, str]:
    """Id to comment, in the file's order."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return {row["id"]: row["comment"] for row in rows}


def draw(comments: dict[str, str]) -> dict[str, str]:
    """Id to split (``tune`` or ``test``) for the sampled comments."""
    rng = random.Random(SEED)
    ids = sorted(comments)
    with_hint = [i for i in ids if hinted(comments[i])]
    without = [i for i in ids if not hinted(comments[i])]
    split: dict[str, str] = {}
    for stratum, size in ((with_hint, HINTED), (without, PLAIN)):
        chosen = rng.sample(stratum, size)
        for position, paper_id in enumerate(chosen):
            split[paper_id] = "tune" if position % 2 == 0 else "test"
    return split
