"""TemplateLines notes the template line Django is rendering when a relation loads lazily."""

import pytest
from django.template import engines
from django.template.loader import get_template

import profiler
from profiler.contrib.debug_toolbar.template_lines import TemplateLine, TemplateLines
from tests.tutorial_site.pages.site_data import populate
from tutorial_site.blog.models import Entry

pytestmark = pytest.mark.profiler_allow  # lazy loads in templates, on purpose

TEMPLATE = """{% for entry in entries %}
{{ entry.headline }}
{{ entry.blog.name }}
{% endfor %}"""


@pytest.fixture
def rows(db: None) -> None:
    populate(2)


def test_each_lazy_load_in_a_template_gets_its_line(rows: None) -> None:
    template = engines["django"].from_string(TEMPLATE)
    with profiler.capture() as queries, TemplateLines() as lines:
        template.render({"entries": Entry.objects.order_by("id")})
    found = lines.for_queries(queries)
    assert len(queries) == 1 + 4  # the entries, then each entry's blog
    assert queries[0] not in [q for q in queries if id(q) in found]  # the for tag's queryset: no load
    expected = TemplateLine("<unknown source>", 3, "{{ entry.blog.name }}")
    assert [found[id(q)] for q in queries[1:]] == [expected] * 4


def test_an_included_template_is_named_by_its_own_line(rows: None) -> None:
    entry = Entry.objects.order_by("id").first()
    with profiler.capture() as queries, TemplateLines() as lines:
        get_template("blog/_authors.html").render({"entry": entry})
    [line] = lines.for_queries(queries).values()
    assert line.template == "blog/_authors.html"
    assert line.line == 1
    assert line.source == '{% for author in entry.authors.all|dictsort:"name" %}'
    assert str(line) == 'blog/_authors.html:1 {% for author in entry.authors.all|dictsort:"name" %}'


def test_lazy_loads_outside_templates_and_outside_the_block_have_no_line(rows: None) -> None:
    with profiler.capture() as queries, TemplateLines() as lines:
        names = [entry.blog.name for entry in Entry.objects.order_by("id")]
    assert len(names) == 4
    assert lines.for_queries(queries) == {}
    template = engines["django"].from_string(TEMPLATE)
    with profiler.capture() as outside:
        template.render({"entries": Entry.objects.order_by("id")})
    assert len(outside) == 5
    assert lines.for_queries(outside) == {}  # the block was closed: nothing noted


def test_blocks_nest_and_each_keeps_its_own(rows: None) -> None:
    template = engines["django"].from_string(TEMPLATE)
    with profiler.capture() as queries, TemplateLines() as outer:
        template.render({"entries": Entry.objects.order_by("id")[:1]})
        with TemplateLines() as inner:
            template.render({"entries": Entry.objects.order_by("id")[:2]})
    assert len(outer.for_queries(queries)) == 1
    assert len(inner.for_queries(queries)) == 2
