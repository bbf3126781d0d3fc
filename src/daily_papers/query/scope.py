"""Which archives' announcement feeds can hold every paper a topic query matches.

A topic restricted by categories (``… AND (cat:cs.CL OR cat:stat.ML)``) needs only the feeds
of their archives; reading fewer feeds is fewer requests.  The answer is read from the query's
tree (:mod:`daily_papers.query.tree`), so it follows arXiv's precedence exactly, and it is
conservative: where a part can match anywhere, every archive is needed.  Pure.
"""

from __future__ import annotations

from daily_papers.arxiv import taxonomy
from daily_papers.query import tree

__all__ = ["query_archives"]


def _restriction(node: tree.Node) -> frozenset[str] | None:
    """Archives every matching paper is in, or None when the part can match anywhere."""
    if isinstance(node, tree.Term):
        if node.field != "cat":
            return None
        name = node.value.split("*")[0].split("?")[0].rstrip(".")  # cat:cs.* is the archive cs
        return frozenset({taxonomy.archive_of(name)}) if taxonomy.canonical(name) else None
    if isinstance(node, tree.Not):
        return None
    left = _restriction(node.left)
    if isinstance(node, tree.AndNot):
        return left
    right = _restriction(node.right)
    if isinstance(node, tree.Or):
        return None if left is None or right is None else left | right
    # And: both sides hold, so the smaller known restriction does.
    known = [side for side in (left, right) if side is not None]
    return min(known, key=len) if known else None


def query_archives(query: str) -> frozenset[str]:
    """The archives whose feeds carry every paper ``query`` (a topic's built query) can match:
    the archives its categories restrict it to, else every archive with a feed."""
    _query, root = tree.parse(query)
    restricted = _restriction(root)
    return restricted if restricted else frozenset(taxonomy.feed_archives())
