"""The static site: structure, links, escaping of hostile paper text, and the search index.

Built from tests/site_data.py: real recorded papers plus SYNTHETIC hostile ones.
"""

from __future__ import annotations

import gc
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from daily_papers.archive import Archive, ArchiveRecord
from daily_papers.errors import ConfigError
from daily_papers.site.render import SiteOptions, build_site, few_collections, write_site
from daily_papers.site.structure import (
    CHUNK_SIZE,
    _byte_words,
    default_site_url,
    plan_site,
    search_index,
    site_page_url,
    topic_page_path,
    topic_slug,
    word_set,
)
from daily_papers.tex import fold
from tests.papers import synthetic_paper
from tests.site_data import FOLLOWED, GONE, HOSTILE_TITLE, SITE_URL, site_files, site_plan


class _Collect(HTMLParser):
    """Every start tag with its attributes, and the text, of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(data: bytes) -> _Collect:
    parser = _Collect()
    parser.feed(data.decode("utf-8"))
    return parser


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return site_files()


def test_structure(files: dict[str, bytes]) -> None:
    for name in (*FOLLOWED, GONE):
        path = topic_page_path(name)
        assert f"{path}index.html" in files
    testing = topic_page_path("testing")
    assert f"{testing}2026-10.html" in files
    assert f"{testing}2026-11.html" in files
    assert files[".nojekyll"] == b""
    assert files["feed.xml"] == b"<feed/>\n"
    assert "search/manifest.json" in files
    assert {"assets/site.css", "assets/search.js", "assets/theme.js", "index.html"} <= set(files)


def test_no_feed_no_feed_link() -> None:
    files = site_files(feed=None)
    assert "feed.xml" not in files
    assert b"application/atom+xml" not in files["index.html"]


def test_head_links_feed_and_canonical(files: dict[str, bytes]) -> None:
    page = parse(files["index.html"])
    links = [a for tag, a in page.tags if tag == "link"]
    assert {
        "rel": "alternate",
        "type": "application/atom+xml",
        "title": "Octo's papers (Atom)",
        "href": "feed.xml",
    } in links
    assert {"rel": "canonical", "href": SITE_URL} in links
    topic = parse(files[f"{topic_page_path('testing')}index.html"])
    hrefs = {a.get("href") for tag, a in topic.tags if tag == "link"}
    assert "../../feed.xml" in hrefs
    assert SITE_URL + topic_page_path("testing") in hrefs


def test_every_asset_is_local(files: dict[str, bytes]) -> None:
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        for tag, attrs in parse(data).tags:
            if tag in {"script", "link", "img", "iframe"}:
                target = attrs.get("src") or attrs.get("href") or ""
                if attrs.get("rel") == "canonical":
                    continue
                assert not re.match(r"(https?:)?//", target), (path, tag, target)
    js = files["assets/search.js"].decode()
    assert "innerHTML" not in js
    assert "http://" not in js.replace("^https?:\\/\\/", "")


def test_hostile_text_is_escaped_everywhere(files: dict[str, bytes]) -> None:
    month = files[f"{topic_page_path('testing')}2026-11.html"].decode()
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in month
    assert "<script>window" not in month
    assert "<img src=x" not in month
    assert "<marquee>" not in month
    assert "<iframe" not in month
    assert "<b>Bold</b>" not in month
    assert "René &lt;b&gt;Bold&lt;/b&gt;" in month  # TeX accent decoded, markup escaped
    page = parse(month.encode())
    assert HOSTILE_TITLE in "".join(page.text)
    scripts = [a for tag, a in page.tags if tag == "script"]
    assert all(set(a) == {"src"} or set(a) == {"src", "defer"} for a in scripts)
    assert not any(k.startswith("on") for _, a in page.tags for k in a)
    hrefs = [a.get("href") or "" for tag, a in page.tags if tag == "a"]
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert "https://github.com/octo/hostile" in hrefs  # the code link
    # a topic name with markup is escaped in the index's table of contents too
    index = files["index.html"].decode()
    assert "Graphs &amp; &lt;b&gt;bold&lt;/b&gt;" in index
    assert "<b>bold</b>" not in index


def test_removed_topic_page_says_so(files: dict[str, bytes]) -> None:
    gone = files[f"{topic_page_path(GONE)}index.html"].decode()
    assert "no longer followed" in gone
    assert "Only in the retired topic" in gone
    assert "no longer followed" not in files[f"{topic_page_path('testing')}index.html"].decode()
    index = files["index.html"].decode()
    assert "No longer followed:" in index


def test_each_paper_has_an_anchor_and_its_links(files: dict[str, bytes]) -> None:
    plan = site_plan()
    pages = "".join(files[f"{t.path}{m}.html"].decode() for t in plan.topics for m, _ in t.months)
    for paper in plan.papers:
        assert f'id="{paper.anchor}"' in pages
        assert paper.pdf_url in pages
    old_style = next(p for p in plan.papers if p.id == "hep-ph/0301050")
    assert old_style.anchor == "p-hep-ph-0301050"


def test_topic_pages_by_month_hold_the_full_history(files: dict[str, bytes]) -> None:
    plan = site_plan()
    testing = next(t for t in plan.topics if t.name == "testing")
    assert [m for m, _ in testing.months] == ["2026-11", "2026-10"]
    assert testing.count == 101
    october = files[f"{testing.path}2026-10.html"].decode()
    assert october.count('class="paper"') == 40
    assert 'aria-current="page"' in october


def test_order_followed_first_then_removed() -> None:
    plan = site_plan()
    assert [t.name for t in plan.topics] == [*FOLLOWED, GONE]
    assert [t.followed for t in plan.topics] == [True, True, False]


def test_followed_topic_without_papers_gets_a_page() -> None:
    plan = plan_site(Archive(), ["empty"])
    files = build_site(plan, SiteOptions(site_url=SITE_URL, title="t", last_update="2026-11-26"))
    assert "No papers yet." in files[f"{topic_page_path('empty')}index.html"].decode()
    manifest = json.loads(files["search/manifest.json"])
    assert manifest["papers"] == 0


def test_site_is_byte_stable() -> None:
    assert site_files() == site_files()


def test_slugs_and_urls() -> None:
    assert topic_slug("Large Language Models") == topic_slug("Large Language Models")
    assert topic_slug("LLM") != topic_slug("llm")
    assert re.fullmatch(r"large-language-models-[0-9a-f]{8}", topic_slug("Large Language Models"))
    assert re.fullmatch(r"topic-[0-9a-f]{8}", topic_slug("!!!"))
    assert re.fullmatch(r"[a-z0-9-]+", topic_slug('ti:"diffusion" AND cat:cs.CV / Ünïcode'))
    assert default_site_url("Octo/Papers") == "https://octo.github.io/Papers/"
    assert default_site_url("octo/Octo.github.io") == "https://octo.github.io/"
    assert (
        site_page_url("https://x.org/site", "LLM")
        == f"https://x.org/site/topics/{topic_slug('LLM')}/"
    )
    assert site_page_url("https://x.org/site/", "LLM") == site_page_url("https://x.org/site", "LLM")


def test_a_paper_shows_its_code_link_and_venue_from_the_shared_extractors() -> None:
    from daily_papers.archive import ArchiveRecord
    from daily_papers.site.structure import SitePaper

    paper = synthetic_paper(
        1, comment="Accepted at ICSE 2026. Code at https://github.com/a/b.", title="T"
    )
    shown = SitePaper.of(ArchiveRecord(paper=paper, first_shown="2026-11-02", topics=("t",)))
    assert shown.code_url == "https://github.com/a/b"
    assert shown.venue == "ICSE 2026"
    plain = SitePaper.of(
        ArchiveRecord(paper=synthetic_paper(2), first_shown="2026-11-02", topics=("t",))
    )
    assert plain.code_url is None


_TEXLIKE = st.from_regex(
    r"([A-Za-z]{0,3}|\\[`'^\"~=.uvHckrdbl]|[{} ,]|\\ss|\\o|\\i|é|ł){0,10}", fullmatch=True
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | _TEXLIKE)
@example("0\\=\\H\\i")  # decoding twice would read the decoded i as another accent's letter
def test_word_set_is_fold_split(text: str) -> None:
    assert word_set(text) == set(fold(text).split())
    cache: dict[bytes, list[bytes]] = {}
    first, again = _byte_words(text, cache), _byte_words(text, cache)  # the second from cache
    assert first == again == {w.encode("utf-8", "surrogatepass") for w in word_set(text)}


def _postings(files: dict[str, bytes], token: str) -> list[int]:
    manifest = json.loads(files["search/manifest.json"])
    prefixes = [p for p, _ in manifest["shards"] if token.startswith(p)]
    shard = json.loads(files[f"search/s/{max(prefixes, key=len).encode().hex()}.json"])
    numbers, total = [], 0
    for delta in shard.get(token, "").split(",") if token in shard else []:
        total += int(delta)
        numbers.append(total)
    return numbers


def test_index_finds_title_abstract_author_venue_words(files: dict[str, bytes]) -> None:
    plan = site_plan()
    hostile = next(i for i, p in enumerate(plan.papers) if p.title == HOSTILE_TITLE)
    for token in ("pwned", "zyxwvut", "lukasz", "rene", "marquee", "venue"):
        assert hostile in _postings(files, token), token
    assert _postings(files, "the") == []  # a stop word is not indexed
    assert _postings(files, "notawordanywhere") == []


def test_chunks_hold_results_in_paper_order(files: dict[str, bytes]) -> None:
    plan = site_plan()
    manifest = json.loads(files["search/manifest.json"])
    fields = manifest["fields"]
    assert manifest["chunk_size"] == CHUNK_SIZE
    rows = json.loads(files["search/d/1.json"])
    assert rows[0][fields.index("title")] == plan.papers[CHUNK_SIZE].title
    url = rows[0][fields.index("url")]
    page, anchor = url.split("#")
    assert page in files
    assert f'id="{anchor}"'.encode() in files[page]


def test_shards_are_split_to_their_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """SYNTHETIC: 3,000 papers sharing many 'w…' words force the 'w' shard to split."""
    budget = 4000
    monkeypatch.setattr("daily_papers.site.structure.SHARD_BUDGET", budget)
    papers = [
        synthetic_paper(n, title=f"w{n % 400} wa{n % 77} wb{n % 91}", abstract=f"common w{n % 13}")
        for n in range(3000)
    ]
    archive = Archive(records=tuple(ArchiveRecord(p, "2026-11-01", ("t",)) for p in papers))
    files = search_index(plan_site(archive, ["t"]))
    shards = {p: f for p, f in files.items() if p.startswith("search/s/")}
    assert len(shards) > 3
    # only a single token's postings can exceed the budget: a token cannot be split
    assert all(len(data) <= budget or len(json.loads(data)) == 1 for data in shards.values())
    assert any(len(data) > budget for data in shards.values())  # "author" is in every paper
    manifest = json.loads(files["search/manifest.json"])
    assert sum(size for _, size in manifest["shards"]) == sum(map(len, shards.values()))
    numbered = enumerate(plan_site(archive, ["t"]).papers)
    expected = [i for i, p in numbered if "w7" in f"{p.title} {p.abstract}".split()]
    assert _postings(files, "w7") == expected


def test_write_site_replaces_a_site_but_refuses_other_directories(tmp_path: Path) -> None:
    site = tmp_path / "_site"
    write_site(site, {"index.html": b"a", ".nojekyll": b"", "old/stale.html": b"x"})
    write_site(site, {"index.html": b"b", ".nojekyll": b""})
    assert (site / "index.html").read_bytes() == b"b"
    assert not (site / "old").exists()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("keep me")
    with pytest.raises(ConfigError, match=r"holds 'README\.md', which daily-papers did not write"):
        write_site(repo, {"index.html": b""})
    assert (repo / "README.md").read_text() == "keep me"
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match="is a file"):
        write_site(tmp_path / "file", {})


@pytest.mark.parametrize(("require", "outcome"), [("1", "RuntimeError"), ("", "skipped")])
def test_browser_tests_skip_without_a_browser_unless_required(require: str, outcome: str) -> None:
    """Hide selenium: the browser tests skip, or fail at import when CI requires them."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['selenium'] = None\n"
        "try:\n"
        "    import tests.site.test_browser as t\n"
        "except RuntimeError as exc:\n"
        "    print('RuntimeError', exc)\n"
        "else:\n"
        "    print('skipped' if t._MISSING else 'ran')\n"
    )
    env = {**os.environ, "DAILY_PAPERS_REQUIRE_BROWSER": require}
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith(outcome), done.stdout + done.stderr
    if outcome == "RuntimeError":
        assert "selenium is not installed" in done.stdout


def test_few_collections_builds_the_same_site_and_restores_the_collector() -> None:
    """The build's garbage-collector setting changes only speed, and is undone even when the
    build fails."""
    before = gc.get_threshold()
    with few_collections():
        assert gc.get_threshold()[0] > before[0]
        assert gc.get_freeze_count() > 0
        inside = site_files()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert inside == site_files()
    with pytest.raises(RuntimeError), few_collections():
        raise RuntimeError("a failing build")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
