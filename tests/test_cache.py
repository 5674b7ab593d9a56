"""The Redis cache every process shares (portal/cache.py): Django's, over a real connection, with
one client per connection pool kept between operations."""

import pytest

from portal.cache import RedisCache


@pytest.fixture
def redis_cache():
    cache = RedisCache("redis://127.0.0.1:6379/11", {"KEY_PREFIX": "portal-test-cache"})
    yield cache
    cache.clear()


def test_it_keeps_reads_and_counts_like_djangos(redis_cache):
    redis_cache.set("generation", 1, 30)
    assert redis_cache.add("generation", 2, 30) is False
    assert redis_cache.get_many(["generation", "page"]) == {"generation": 1}
    assert redis_cache.incr("generation") == 2
    redis_cache.delete("generation")
    assert redis_cache.get("generation") is None


def test_one_client_serves_every_operation(redis_cache):
    first = redis_cache._cache.get_client("a")
    redis_cache.set("a", "x", 30)
    assert redis_cache._cache.get_client("b", write=True) is first
