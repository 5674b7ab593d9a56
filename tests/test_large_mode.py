"""Large mode (长辈模式): a plain link sets a cookie; every page then renders larger."""

import pytest
from django.urls import reverse

from tests.helpers import chinese_page, english_home


@pytest.fixture
def pages(xhy):
    """徐汇苑's home page in Chinese and English, and its 关于我们 page at /about/."""
    english_home(xhy, "Xuhuiyuan Residents' Committee")
    chinese_page(xhy.site.root_page, "关于我们", "about")


def test_the_switch_is_a_plain_link_that_turns_large_mode_on_and_comes_back(client, pages):
    page = client.get("/about/").content.decode()
    assert 'href="/large-mode/?on=1&amp;next=%2Fabout%2F"' in page

    response = client.get(reverse("large_mode"), {"on": "1", "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    assert response.cookies["large_mode"].value == "1"

    response = client.get("/about/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans" class="large">' in page
    assert 'href="/large-mode/?on=0&amp;next=%2Fabout%2F"' in page
    assert "switch--on" in page


def test_turning_it_off_removes_the_cookie(client, pages):
    client.cookies["large_mode"] = "1"
    response = client.get(reverse("large_mode"), {"on": "0", "next": "/en/"})
    assert response["Location"] == "/en/"
    assert response.cookies["large_mode"].value == ""
    english = client.get("/en/")
    assert english.status_code == 200 and 'class="large"' not in english.content.decode()


def test_the_switch_never_sends_people_off_the_site(client, xhy):
    response = client.get(reverse("large_mode"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_pages_tell_caches_they_vary_by_cookie(client, pages):
    assert "Cookie" in client.get("/").headers["Vary"]
