"""The Redis cache with Redis away: misses and dropped writes, never an error page.

The cache is pointed at a port nothing listens on, so these run without any service; the
outage tests in tests/integration/test_outages.py stop a real Redis under real requests.
"""

import logging

import pytest
from django.core.cache import cache

from tests import factories
from tests.kompetensverkstad.production import PRODUCTION_REDIS

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def cache_away(settings):
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": DEAD_REDIS}}
    yield cache


def test_every_operation_degrades_to_a_miss(cache_away, caplog):
    with caplog.at_level(logging.WARNING, logger="kompetensverkstad.cache"):
        assert cache_away.get("k", "standard") == "standard"
        cache_away.set("k", 1)
        assert cache_away.add("k", 1) is False
        assert cache_away.get_many(["a", "b"]) == {}
        assert cache_away.set_many({"a": 1}) == ["a"]
        assert cache_away.has_key("k") is False
        assert cache_away.touch("k") is False
        assert cache_away.delete("k") is False
        cache_away.delete_many(["a"])
        assert cache_away.clear() is False
        assert cache_away.get_or_set("k", 5) == 5
        with pytest.raises(ValueError):  # as for a missing key, which callers handle
            cache_away.incr("k")
    assert "Cache unreachable, get skipped" in caplog.text


def test_pages_render_and_build_urls_with_the_cache_away(cache_away, client, home):
    # Wagtail reads site root paths from the cache for every page URL.
    module = factories.ModulePageFactory(parent=home, title="Vi blir fler")
    assert module.url == "/" + module.slug + "/"
    assert client.get("/").status_code == 200
    assert client.get(module.url).status_code == 200


def test_a_learner_submits_a_worksheet_with_the_cache_away(
    cache_away, client, worksheet_page, django_capture_on_commit_callbacks
):
    client.force_login(factories.UserFactory())
    ids = {b.block_type: b.id for b in worksheet_page.questions}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            worksheet_page.url,
            {"action": "submit", f"q-{ids['reflection']}": "Ett svar.", f"q-{ids['scale']}": "3"},
        )
    assert response.status_code == 302
    assert response.url == worksheet_page.url


def test_production_uses_the_fail_soft_cache_on_redis(production_values):
    # production_values: production started in a fresh process with REDIS_URL set.
    cache_settings = production_values["CACHES"]["default"]
    assert cache_settings["BACKEND"] == "kompetensverkstad.cache.FailSoftRedisCache"
    # One Redis for the cache and the broker, as README.md says.
    assert cache_settings["LOCATION"] == PRODUCTION_REDIS == production_values["CELERY_BROKER_URL"]
    options = cache_settings["OPTIONS"]
    # A Redis that accepts connections and never answers must not hang the request either.
    assert 0 < options["socket_connect_timeout"] <= 5
    assert 0 < options["socket_timeout"] <= 5
