"""N+1 analysis per HTTP request: one load per request at one line is no N+1; a loop in one is."""

import pytest
from asgiref.sync import async_to_sync
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, Client
from django.urls import path

import profiler
from profiler.nplusone import find_n_plus_one
from profiler.request_spans import OUTSIDE, RequestSpans
from tutorial_site.blog.models import Entry

from .factories import blogs_with_one_entry_each

# The views below load Entry.blog lazily on purpose; the switch would see the loops.
pytestmark = pytest.mark.profiler_allow


def entry_page(request: HttpRequest, pk: int) -> HttpResponse:
    entry = Entry.objects.get(pk=pk)
    return HttpResponse(entry.blog.name)  # one lazy load per request


def entries_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(e.blog.name for e in Entry.objects.order_by("pk")))  # a loop of them


urlpatterns = [path("entries/<int:pk>/", entry_page), path("entries/", entries_page)]


@pytest.fixture
def entry_ids(db: None) -> list[int]:
    blogs_with_one_entry_each(3)
    return list(Entry.objects.order_by("pk").values_list("pk", flat=True))


@pytest.mark.urls(__name__)
def test_one_load_per_request_at_one_line_is_not_an_n_plus_one(entry_ids: list[int]) -> None:
    client = Client()
    with profiler.capture() as captured:
        pages = [client.get(f"/entries/{pk}/").content for pk in entry_ids]
    assert pages == [b"Blog 0", b"Blog 1", b"Blog 2"]
    assert captured.n_plus_one() == []
    # Without the request spans the same statements would be reported.
    (without_spans,) = find_n_plus_one(captured.queries)
    assert (without_spans.relation, without_spans.count) == ("Entry.blog", 3)


@pytest.mark.urls(__name__)
def test_a_loop_inside_each_request_is_found_with_every_requests_statements(entry_ids: list[int]) -> None:
    client = Client()
    with profiler.capture() as captured:
        client.get("/entries/")
        client.get(f"/entries/{entry_ids[0]}/")  # one load at another line: not part of the finding
        client.get("/entries/")
    (finding,) = captured.n_plus_one()
    assert (finding.relation, finding.count) == ("Entry.blog", 6)
    assert finding.site is not None
    assert finding.site.function == "<genexpr>"
    assert finding.fix == "Entry.objects.select_related('blog')"


@pytest.mark.urls(__name__)
def test_a_loop_in_the_test_body_between_requests_is_still_one_n_plus_one(entry_ids: list[int]) -> None:
    client = Client()
    with profiler.capture() as captured:
        for pk in entry_ids:
            client.get(f"/entries/{pk}/")
            Entry.objects.get(pk=pk).blog  # noqa: B018 - the lazy load outside the requests
    (finding,) = captured.n_plus_one()
    assert (finding.relation, finding.count) == ("Entry.blog", 3)
    assert finding.site is not None
    assert finding.site.function.startswith("test_a_loop_in_the_test_body")


@pytest.mark.urls(__name__)
def test_async_requests_are_spans_too(entry_ids: list[int]) -> None:
    client = AsyncClient()
    with profiler.capture() as captured:
        for pk in entry_ids:
            async_to_sync(client.get)(f"/entries/{pk}/")
        async_to_sync(client.get)("/entries/")
    (finding,) = captured.n_plus_one()
    assert (finding.relation, finding.count) == ("Entry.blog", 3)
    assert finding.site is not None
    assert finding.site.function == "<genexpr>"


def test_spans_number_the_statements_of_each_request() -> None:
    spans = RequestSpans()
    spans.started(2)
    spans.finished(5)
    spans.started(5)
    spans.finished(6)
    spans.started(8)  # still open: runs to the end
    assert spans.numbers(10) == [OUTSIDE, OUTSIDE, 0, 0, 0, 1, OUTSIDE, OUTSIDE, 2, 2]
    assert spans.numbers(4) == [OUTSIDE, OUTSIDE, 0, 0]


def test_overlapping_requests_merge_into_one_span() -> None:
    spans = RequestSpans()
    spans.started(0)
    spans.started(2)  # a second request before the first finished (concurrent ASGI requests)
    spans.finished(4)
    spans.finished(6)
    assert spans.numbers(7) == [0, 0, 0, 0, 0, 0, OUTSIDE]


def test_a_request_that_began_before_the_capture_is_ignored() -> None:
    spans = RequestSpans()
    spans.finished(3)
    spans.started(3)
    spans.finished(4)
    assert spans.numbers(5) == [OUTSIDE, OUTSIDE, OUTSIDE, 0, OUTSIDE]


def test_request_numbers_must_match_the_records(entry_ids: list[int]) -> None:
    with profiler.capture() as captured:
        Entry.objects.count()
    with pytest.raises(ValueError, match="one request number per record: 2 numbers for 1 records"):
        find_n_plus_one(captured.queries, requests=[OUTSIDE, OUTSIDE])
