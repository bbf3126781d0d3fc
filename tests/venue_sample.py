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
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path

from daily_papers.tex import fold

_REPO = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    """``../shared`` beside the checkout; in a git worktree, beside the main checkout too."""
    places = [_REPO.parent]
    dot_git = _REPO / ".git"
    if dot_git.is_file():  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
        gitdir = Path(dot_git.read_text(encoding="utf-8").split(":", 1)[1].strip())
        places.append(gitdir.parents[2].parent)
    for place in places:
        if (place / "shared").is_dir():
            return place / "shared"
    return _REPO.parent / "shared"


#: The shared data folder (real arXiv texts that are not copied into the repository).
SHARED = _shared()
COMMENTS = SHARED / "venue" / "comments-2025-03-to-2026-07.jsonl.gz"
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


#: The second, fresh sample: drawn after the rules were tuned, from the comments the first
#: sample left out, with its own seed; labelled before the rules were run on it.
FRESH_SEED = 20261208


def draw_fresh(comments: dict[str, str], taken: set[str]) -> dict[str, str]:
    """Id to ``fresh`` for a second sample of one half's size (200 hinted, 75 plain) from
    the comments not in ``taken`` (the first sample)."""
    rng = random.Random(FRESH_SEED)
    ids = sorted(set(comments) - taken)
    with_hint = [i for i in ids if hinted(comments[i])]
    without = [i for i in ids if not hinted(comments[i])]
    chosen = rng.sample(with_hint, HINTED // 2) + rng.sample(without, PLAIN // 2)
    return dict.fromkeys(chosen, "fresh")


#: The third sample, drawn after the fresh one had been scored and tuned on (so it was no
#: longer out of sample): its own seed, more hinted comments than plain ones so that the
#: precision interval is narrower, from the comments no label file or recorded row holds.
SECOND_SEED = 20261209
SECOND_HINTED = 300
SECOND_PLAIN = 100


def draw_second(comments: dict[str, str], taken: set[str]) -> dict[str, str]:
    """Id to ``fresh2`` for 300 hinted and 100 plain comments not in ``taken``."""
    rng = random.Random(SECOND_SEED)
    ids = sorted(set(comments) - taken)
    with_hint = [i for i in ids if hinted(comments[i])]
    without = [i for i in ids if not hinted(comments[i])]
    chosen = rng.sample(with_hint, SECOND_HINTED) + rng.sample(without, SECOND_PLAIN)
    return dict.fromkeys(chosen, "fresh2")


LABELS = Path(__file__).parent / "fixtures" / "venue" / "labels-2025.tsv"
FRESH_LABELS = LABELS.with_name("labels-fresh.tsv")
SECOND_LABELS = LABELS.with_name("labels-fresh2.tsv")
RECORDED_ROWS = LABELS.parents[1] / "rows" / "recorded-papers.jsonl"


def taken_before_second() -> set[str]:
    """Every id the earlier samples labelled, and the recorded rows' ids (their comments are
    pinned by other tests, so they have been read)."""
    ids = {row.paper_id for path in (LABELS, FRESH_LABELS) for row in read_labels(path)}
    for line in RECORDED_ROWS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ids.add(json.loads(line)["id"])
    return ids


@dataclass(frozen=True)
class Labelled:
    """One sampled comment's id, split, stratum and right answers (empty: no venue)."""

    paper_id: str
    split: str
    stratum: str
    answers: tuple[str, ...]


def read_labels(path: Path | None = None) -> tuple[Labelled, ...]:
    path = path or LABELS
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        paper_id, split, stratum, label = line.split("\t")
        answers = () if label == "-" else tuple(a.strip() for a in label.split(" | "))
        rows.append(Labelled(paper_id, split, stratum, answers))
    return tuple(rows)


def key(text: str) -> str:
    """How answers are compared: folded, without a leading "the"."""
    return re.sub(r"^the ", "", fold(text))


def accepts(answers: tuple[str, ...], found: str | None) -> bool:
    if found is None:
        return not answers
    return key(found) in {key(a) for a in answers}


@dataclass(frozen=True)
class Score:
    """Venues named rightly, named wrongly, and labelled venues not named (ids)."""

    right: tuple[str, ...]
    wrong: tuple[tuple[str, str], ...]
    missed: tuple[str, ...]

    @property
    def precision(self) -> float:
        return len(self.right) / max(1, len(self.right) + len(self.wrong))

    @property
    def recall(self) -> float:
        return len(self.right) / max(1, len(self.right) + len(self.missed))

    def line(self, name: str) -> str:
        named = len(self.right) + len(self.wrong)
        stated = len(self.right) + len(self.missed)
        low, high = wilson(len(self.right), named)
        rlow, rhigh = wilson(len(self.right), stated)
        return (
            f"{name}: precision {self.precision:.3f} ({len(self.right)}/{named}, 95% "
            f"{low:.3f}–{high:.3f}), recall {self.recall:.3f} ({len(self.right)}/{stated}, "
            f"95% {rlow:.3f}–{rhigh:.3f})"
        )


def score(cases: list[tuple[str, tuple[str, ...], str | None]]) -> Score:
    """Score ``(id, answers, found)`` cases; a wrong venue for a stated one is also a miss."""
    right, wrong, missed = [], [], []
    for paper_id, answers, found in cases:
        if found is not None and accepts(answers, found):
            right.append(paper_id)
            continue
        if found is not None:
            wrong.append((paper_id, found))
        if answers:
            missed.append(paper_id)
    return Score(tuple(right), tuple(wrong), tuple(missed))


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval: unlike p ± z·se it stays inside [0, 1] near 1.0."""
    if trials == 0:
        return (0.0, 1.0)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = (
        z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    )
    return (max(0.0, centre - half), min(1.0, centre + half))
