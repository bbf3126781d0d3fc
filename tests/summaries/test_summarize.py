"""Summarising against the loopback fake endpoint: every failure ends in a report, never in
an exception, and no abstract or bad item is ever kept as a summary."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from daily_papers import defaults
from daily_papers.models import Paper, Summary
from daily_papers.summaries import protocol
from daily_papers.summaries.endpoint import Endpoint
from daily_papers.summaries.summarize import SummaryReport, summarize
from tests.fakes.models_server import FakeModels
from tests.papers import TESTING_100, recorded_papers

PAPERS: tuple[Paper, ...] = recorded_papers(TESTING_100)


@pytest.fixture
def endpoint(fake_models: FakeModels) -> Iterator[Endpoint]:
    client = Endpoint(
        fake_models.url + "/chat/completions",
        protocol.headers("github-models", "ghs_token"),
        clock=time.monotonic,
    )
    yield client
    client.close()


def run(
    endpoint: Endpoint,
    papers: tuple[Paper, ...] = PAPERS[:5],
    *,
    language: str = "English",
    cache: dict[str, Summary] | None = None,
    **options: float,
) -> SummaryReport:
    return summarize(
        papers,
        cache or {},
        post=endpoint.post,
        clock=time.monotonic,
        provider="github-models",
        model="openai/gpt-4o-mini",
        language=language,
        max_requests=int(options.get("max_requests", 20)),
        seconds=options.get("seconds", 30.0),
    )


def test_one_batch_summarises_every_paper_with_the_documented_request(
    endpoint: Endpoint, fake_models: FakeModels
) -> None:
    report = run(endpoint)
    assert report.requests == 1
    assert sorted(report.made) == sorted(p.versioned_id for p in PAPERS[:5])
    assert report.pending == 0
    assert report.stopped is None
    assert report.warnings == ()
    (request,) = fake_models.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer ghs_token"
    assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert request.body["model"] == "openai/gpt-4o-mini"
    assert request.body["response_format"] == {"type": "json_object"}
    assert [p["id"] for p in request.papers] == [p.versioned_id for p in PAPERS[:5]]


def test_batches_fit_the_input_limit_and_the_batch_size() -> None:
    found = protocol.batches(PAPERS, input_tokens=defaults.SUMMARIZE_INPUT_TOKENS)
    assert [p for batch in found for p in batch] == list(PAPERS)
    assert all(len(batch) <= defaults.SUMMARIZE_BATCH for batch in found)
    for batch in found:
        document = protocol.request_document(batch, model="m", language="English")
        size = sum(len(m["content"].encode()) for m in document["messages"])
        assert size // 3 < defaults.SUMMARIZE_INPUT_TOKENS
    assert len(protocol.batches(PAPERS, input_tokens=2000)) > len(found)


def test_cached_summaries_are_not_asked_for_again(
    endpoint: Endpoint, fake_models: FakeModels
) -> None:
    cache = {p.versioned_id: Summary("Known.", "English", "m") for p in PAPERS[:4]}
    report = run(endpoint, cache=cache)
    assert report.cached == 4
    assert list(report.made) == [PAPERS[4].versioned_id]
    assert [p["id"] for p in fake_models.requests[0].papers] == [PAPERS[4].versioned_id]
    # another language is a different summary: asked for again
    assert run(endpoint, cache=cache, language="Chinese").cached == 0


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("401", "key was rejected (HTTP 401)"),
        ("403", "needs GitHub Models and the workflow `permissions: models: read`"),
        ("429", "rate limited (HTTP 429, retry after 3600 s)"),
        ("500", "the endpoint failed (HTTP 500)"),
    ],
)
def test_a_refusal_of_the_whole_service_stops_at_once_and_keeps_nothing(
    endpoint: Endpoint, fake_models: FakeModels, fault: str, reason: str
) -> None:
    fake_models.queue(fault)
    report = run(endpoint, PAPERS[:40])
    assert report.requests == 1
    assert report.made == {}
    assert report.pending == 40
    assert report.stopped is not None
    assert reason in report.stopped
    (warning,) = report.warnings
    assert "40 papers are shown without a summary" in warning


@pytest.mark.parametrize("fault", ["content-filter", "filtered", "truncated"])
def test_a_spoilt_batch_is_halved_until_the_paper_that_spoils_it_is_found(
    endpoint: Endpoint, fake_models: FakeModels, fault: str
) -> None:
    # The batch and its first halves fail: papers 0-1 of 4 end alone, paper 0 fails twice.
    fake_models.queue(fault, fault, fault)
    report = run(endpoint, PAPERS[:4])
    assert [len(r.papers) for r in fake_models.requests] == [4, 2, 1, 1, 2]
    assert sorted(report.made) == sorted(p.versioned_id for p in PAPERS[1:4])
    assert [key for key, _why in report.failures] == [PAPERS[0].versioned_id]
    assert report.pending == 1


def test_a_left_out_item_is_asked_for_alone_once(
    endpoint: Endpoint, fake_models: FakeModels
) -> None:
    fake_models.queue("drop-first", "drop-first")
    report = run(endpoint, PAPERS[:3])
    assert [len(r.papers) for r in fake_models.requests] == [3, 1]
    assert PAPERS[0].versioned_id not in report.made
    assert report.failures == ((PAPERS[0].versioned_id, "the answer left this paper out"),)
    report = run(endpoint, PAPERS[:3])  # the next run asks again
    assert len(report.made) == 3


def test_a_summary_in_the_wrong_script_is_refused_not_shown(
    endpoint: Endpoint, fake_models: FakeModels
) -> None:
    fake_models.queue("wrong-language", "wrong-language", "wrong-language")
    report = run(endpoint, PAPERS[:2], language="Chinese")
    assert report.made == {}
    assert {why for _key, why in report.failures} == {"the summary is not in Chinese"}
    report = run(endpoint, PAPERS[:2], language="中文")
    assert all("本文" in s.text for s in report.made.values())


def test_a_copied_abstract_is_never_kept_as_a_summary(
    endpoint: Endpoint, fake_models: FakeModels
) -> None:
    long = tuple(p for p in PAPERS if len(p.abstract.split()) > 50)[:2]
    fake_models.queue("copy-abstract", "copy-abstract", "copy-abstract")
    report = run(endpoint, long)
    assert report.made == {}
    assert {why for _key, why in report.failures} == {"the answer copied the abstract"}


def test_hostile_text_is_one_capped_line(endpoint: Endpoint, fake_models: FakeModels) -> None:
    fake_models.queue("hostile")
    report = run(endpoint, PAPERS[:1])
    (summary,) = report.made.values()
    assert len(summary.text) <= defaults.SUMMARY_MAX_CHARS
    assert summary.text.endswith("…")
    assert "\n" not in summary.text


def test_a_slow_answer_ends_at_the_time_budget(endpoint: Endpoint, fake_models: FakeModels) -> None:
    fake_models.delay = 8.0
    fake_models.queue("slow")
    started = time.monotonic()
    report = run(endpoint, PAPERS[:3], seconds=4.0)
    assert time.monotonic() - started < 6.5
    assert report.made == {}
    assert report.stopped is not None
    assert "no answer" in report.stopped


def test_a_dripped_answer_ends_at_the_time_budget(
    endpoint: Endpoint, fake_models: FakeModels
) -> None:
    fake_models.queue("drip")
    started = time.monotonic()
    report = run(endpoint, PAPERS[:3], seconds=4.0)
    assert time.monotonic() - started < 6.5
    assert report.made == {}
    assert report.stopped is not None


def test_the_request_limit_leaves_the_rest_for_the_next_run(endpoint: Endpoint) -> None:
    report = run(endpoint, PAPERS[:60], max_requests=2)
    first_two = protocol.batches(PAPERS[:60])[:2]
    assert report.requests == 2
    assert sorted(report.made) == sorted(p.versioned_id for b in first_two for p in b)
    assert report.pending == 60 - len(report.made) > 0
    assert report.stopped == "the limit of 2 requests per run is reached"


def test_an_unreachable_endpoint_is_a_report() -> None:
    client = Endpoint("http://127.0.0.1:9/v1/chat/completions", {}, clock=time.monotonic)
    try:
        report = summarize(
            PAPERS[:2],
            {},
            post=client.post,
            clock=time.monotonic,
            provider="openai",
            model="m",
            language="English",
        )
    finally:
        client.close()
    assert report.made == {}
    assert report.stopped is not None
    assert report.stopped.startswith("no answer")


@pytest.mark.parametrize(
    ("text", "language", "ok"),
    [
        ("Proposes a faster tokenizer.", "English", True),
        ("我们提出了一种基于 Transformer 的 RAG 检索增强生成框架。", "Chinese", True),
        ("Proposes a faster tokenizer.", "Chinese", False),
        ("提出了一种更快的分词器。", "English", False),
        ("Предлагает более быстрый токенизатор.", "Russian", True),
        ("Proposes a faster tokenizer.", "Klingon", True),  # unknown languages are not checked
    ],
)
def test_the_script_check(text: str, language: str, ok: bool) -> None:
    outcome = protocol.check_item(text, PAPERS[0], language=language)
    assert (outcome == text) is ok
