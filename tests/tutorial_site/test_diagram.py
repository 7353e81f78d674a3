"""The data-model diagram is built from the models' ``_meta``: every model, column and relation."""

import re

import pytest
from django.apps import apps
from matplotlib.figure import Figure

from tutorial_site.diagram import Relation, draw_er, mermaid_er, models_of, relations

APPS = ["blog", "library", "pizzeria"]


def entities(text: str) -> dict[str, list[str]]:
    """Entity name -> attribute lines of a Mermaid erDiagram."""
    found: dict[str, list[str]] = {}
    for name, body in re.findall(r"^    (\w+) \{\n(.*?)\n    \}$", text, flags=re.M | re.S):
        found[name] = [line.strip() for line in body.splitlines()]
    return found


def test_every_model_is_an_entity_with_its_columns() -> None:
    text = mermaid_er(APPS)
    assert text.startswith("erDiagram\n")
    found = entities(text)
    expected = [m for label in APPS for m in apps.get_app_config(label).get_models()]
    assert sorted(found) == sorted(m.__name__ for m in expected)
    for model in expected:
        columns = [line.split()[1] for line in found[model.__name__]]
        assert columns == [f.attname for f in model._meta.concrete_fields]


def test_keys_and_nullable_columns_are_marked() -> None:
    entry = entities(mermaid_er(["blog"]))["Entry"]
    assert "BigAutoField id PK" in entry
    assert "ForeignKey blog_id FK" in entry
    assert 'TextField summary "nullable"' in entry
    assert "CharField headline" in entry
    restaurant = entities(mermaid_er(["pizzeria"]))["Restaurant"]
    assert 'ForeignKey best_pizza_id FK "nullable"' in restaurant


def test_relations_use_crows_foot_cardinality() -> None:
    edges = set(mermaid_er(APPS).splitlines()[-7:])
    assert edges == {
        '    Blog ||--o{ Entry : "blog"',
        '    Author }o--o{ Entry : "authors"',
        '    City ||--o{ Person : "hometown"',
        '    Person ||--o{ Book : "author"',
        '    Topping }o--o{ Pizza : "toppings"',
        '    Pizza |o--o{ Restaurant : "best_pizza"',
        '    Pizza }o--o{ Restaurant : "pizzas"',
    }


def test_join_tables_are_edges_not_entities() -> None:
    found = entities(mermaid_er(APPS))
    assert not [name for name in found if "_" in name]
    assert Relation("Entry", "Author", "authors", "m2m") in relations(models_of(["blog"]))


def test_relations_to_models_outside_the_selection_are_left_out() -> None:
    text = mermaid_er(["library"])
    assert '    Person ||--o{ Book : "author"' in text
    assert "Entry" not in text
    # auth's Permission -> ContentType is outside ["auth"]: no edge to an undrawn entity.
    auth = mermaid_er(["auth"])
    drawn = set(entities(auth))
    for line in auth.splitlines():
        if "--" in line:
            left, _, right, *_ = line.split()
            assert {left, right} <= drawn


def test_bad_app_labels_get_clear_errors() -> None:
    with pytest.raises(ValueError, match=r"Unknown app label 'blgo': installed apps are .*blog"):
        mermaid_er(["blgo"])
    with pytest.raises(TypeError, match=r"list of app labels, e\.g\. \['blog'\]"):
        mermaid_er("blog")
    with pytest.raises(ValueError, match="at least one app label"):
        mermaid_er([])


def test_matplotlib_fallback_draws_every_model_and_relation() -> None:
    fig = draw_er(APPS)
    assert isinstance(fig, Figure)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            assert model.__name__ in texts
    assert "best_pizza (nullable fk)" in texts
    assert "authors (m2m)" in texts
    assert len(fig.axes[0].patches) == 9  # one box per model
