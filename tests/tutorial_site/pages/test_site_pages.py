"""Every page, lazy and optimized: the same HTML, and the statements the profiler counts and finds.

The lazy version's statements grow with the rows and the profiler names its N+1s; the optimized
version runs the same number at every size, with no N+1 and no unused eager load.
"""

import re

import pytest
from django.test import Client

import profiler
from tutorial_site.pages.catalog import PAGES, SitePage
from tutorial_site.pages.strategy import Strategy

from .site_data import populate

pytestmark = pytest.mark.profiler_allow  # the lazy pages run their N+1s on purpose

# What the profiler must name on each lazy page.
LAZY_FINDINGS = {
    "blog:index": {"Blog.entry_set"},
    "blog:detail": {"Entry.authors"},
    "blog:entries": {"Entry.blog", "Entry.authors"},
    "blog:author": {"Entry.blog", "Entry.authors"},
    "library:books": {"Book.author", "Person.hometown"},
    "pizzeria:menu": {"Restaurant.best_pizza", "Restaurant.pizzas", "Pizza.toppings"},
}
BODY = re.compile(r'<article id="page-body">(.*?)</article>', re.DOTALL)


def render(client: Client, site_page: SitePage, strategy: Strategy) -> tuple[str, profiler.Capture]:
    """The page body's HTML and the statements the request ran."""
    with profiler.capture() as queries:
        response = client.get(site_page.url(strategy))
    assert response.status_code == 200, response.content[:500]
    [body] = BODY.findall(response.content.decode())
    return body, queries


def test_every_page_has_its_expected_findings_listed() -> None:
    assert set(LAZY_FINDINGS) == {site_page.url_name for site_page in PAGES}


@pytest.mark.django_db
@pytest.mark.parametrize("site_page", PAGES, ids=lambda p: p.url_name)
def test_both_strategies_render_the_same_page(client: Client, site_page: SitePage) -> None:
    populate(3)
    lazy, _ = render(client, site_page, Strategy.LAZY)
    optimized, _ = render(client, site_page, Strategy.OPTIMIZED)
    assert lazy == optimized
    assert len(re.findall(r"<(?:tr|li)\b", lazy)) >= 3  # rows were rendered, not an empty page


@pytest.mark.django_db
@pytest.mark.parametrize("site_page", PAGES, ids=lambda p: p.url_name)
def test_lazy_grows_with_the_rows_and_optimized_does_not(client: Client, site_page: SitePage) -> None:
    counted = {}
    for n in (2, 4):
        populate(n)
        for strategy in Strategy:
            counted[strategy, n] = render(client, site_page, strategy)[1]
    lazy_small, lazy_large = counted[Strategy.LAZY, 2], counted[Strategy.LAZY, 4]
    optimized_small, optimized_large = counted[Strategy.OPTIMIZED, 2], counted[Strategy.OPTIMIZED, 4]

    assert len(lazy_large) > len(lazy_small) > len(optimized_small)
    assert {f.relation for f in lazy_large.n_plus_one()} == LAZY_FINDINGS[site_page.url_name]
    assert len(optimized_large) == len(optimized_small)
    assert optimized_large.n_plus_one() == []
    assert optimized_large.unused_eager_loads() == []


@pytest.mark.django_db
def test_the_template_line_is_the_call_site_of_the_view(client: Client) -> None:
    """A template-triggered N+1 is attributed to the view's render() line, in the view's module."""
    populate(3)
    _, queries = render(client, PAGES[2], Strategy.LAZY)
    finding = next(f for f in queries.n_plus_one() if f.relation == "Entry.blog")
    assert finding.site is not None
    assert finding.site.file.endswith("tutorial_site/blog/views.py")
    assert finding.site.function == "entry_list"
    assert finding.site.code.startswith("return render(")
    assert finding.fix == "Entry.objects.select_related('blog')"
