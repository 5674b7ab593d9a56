"""Large mode (长辈模式): a plain link sets a cookie; every page then renders larger."""

from django.urls import reverse


def test_the_switch_is_a_plain_link_that_turns_large_mode_on_and_comes_back(client, xhy):
    page = client.get("/about/").content.decode()
    assert 'href="/large-mode/?on=1&amp;next=%2Fabout%2F"' in page

    response = client.get(reverse("large_mode"), {"on": "1", "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    assert response.cookies["large_mode"].value == "1"

    page = client.get("/about/").content.decode()
    assert '<html lang="zh-Hans" class="large">' in page
    assert 'href="/large-mode/?on=0&amp;next=%2Fabout%2F"' in page
    assert "switch--on" in page


def test_turning_it_off_removes_the_cookie(client, xhy):
    client.cookies["large_mode"] = "1"
    response = client.get(reverse("large_mode"), {"on": "0", "next": "/en/"})
    assert response["Location"] == "/en/"
    assert response.cookies["large_mode"].value == ""
    assert 'class="large"' not in client.get("/en/").content.decode()


def test_the_switch_never_sends_people_off_the_site(client, xhy):
    response = client.get(reverse("large_mode"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_pages_tell_caches_they_vary_by_cookie(client, xhy):
    assert "Cookie" in client.get("/").headers["Vary"]
