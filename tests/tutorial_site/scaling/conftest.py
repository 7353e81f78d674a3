"""Fixtures of the scaling tests: an isolated cache and seeded blog rows."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from tests.profiler.factories import blogs_with_one_entry_each


@pytest.fixture
def fresh_cache() -> Iterator[Any]:
    """The configured cache (Redis when REDIS_URL is set, else local memory) under a key prefix of
    its own: nothing another test stored is visible, and nothing needs flushing afterwards."""
    config = {**settings.CACHES["default"], "KEY_PREFIX": f"scaling-test-{uuid.uuid4().hex}"}
    with override_settings(CACHES={"default": config}):
        yield caches["default"]


@pytest.fixture
def blogs(db: None) -> list[Any]:
    """Three blogs with one entry each."""
    return blogs_with_one_entry_each(3)
