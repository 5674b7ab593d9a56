"""Database and cache set-up, and the contact details each area's footer shows."""

import pytest
from django.db import connection

from portal.models import AreaSettings
from tests.conftest import django_says
from tests.helpers import english_home


@pytest.fixture
def contact(xhy):
    """徐汇苑's contact details as its footer shows them, and its home page in English."""
    english_home(xhy, "Xuhuiyuan Residents' Committee")
    contact = AreaSettings.for_site(xhy.site)
    contact.address = "上海市徐汇区枫林路街道徐汇苑5号楼一层"
    contact.address_en = "Ground floor, Building 5, Xuhuiyuan, Fenglin Road Subdistrict, Xuhui District, Shanghai"
    contact.office_phone = "021-64000001"
    contact.icp_number = "沪ICP备2026000001号-1"
    contact.save()
    return contact


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-only settings")
def test_sqlite_test_database_is_a_file_in_wal_mode(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert not connection.settings_dict["NAME"].startswith(":memory:")
    assert "mode=memory" not in str(connection.settings_dict["NAME"])


def test_redis_url_puts_the_cache_in_redis():
    assert django_says("settings.CACHES['default']['BACKEND']") == "django.core.cache.backends.locmem.LocMemCache"
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/15"}
    assert django_says("settings.CACHES['default']['BACKEND']", **redis) == "portal.cache.RedisCache"
    # A value written by one process is read by another: it really went to Redis.
    assert django_says("cache.set('portal-test', '徐汇苑', 30)", **redis) == "None"
    assert django_says("cache.get('portal-test')", **redis) == "徐汇苑"


def test_database_url_chooses_the_database():
    engine = django_says("settings.DATABASES['default']['ENGINE']", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert engine == "django.db.backends.postgresql"


def test_footer_shows_each_areas_own_contact_details(client, contact, wanliu):
    assert AreaSettings.for_site(wanliu.site).office_phone == "021-64000002"
    body = client.get("/").content.decode()
    assert "徐汇苑5号楼" in body and "021-64000001" in body and "沪ICP备2026000001号-1" in body
    assert 'href="tel:02164000001"' in body
    other = client.get("/", HTTP_HOST="wanliu.localhost:8000").content.decode()
    assert "021-64000002" in other and "021-64000001" not in other


def test_footer_follows_what_staff_enter_and_the_reader_language(client, contact):
    contact.office_phone = "021-64009999"
    contact.reception_hours_en = "Weekdays 09:00–17:00"
    contact.save()
    assert "021-64009999" in client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert "Weekdays 09:00–17:00" in english
    assert "Ground floor, Building 5" in english
