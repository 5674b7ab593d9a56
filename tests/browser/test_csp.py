"""The Content-Security-Policies in a real browser: nothing a page needs is refused, on the public
pages (strict) or in the admin's page editor (its own policy, for Wagtail's inline scripts)."""

import pytest

from home.models import HomePage, NoticePage

pytestmark = pytest.mark.browser


def refusals(page):
    """What the browser refuses under the page's policy, as it reports it in the console."""
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return refused


def test_public_pages_and_the_admins_editor_run_under_their_policies(live_demo, desktop):
    refused = refusals(desktop)
    notice = NoticePage.objects.live().first()
    desktop.goto(live_demo.url + "/")
    desktop.goto(live_demo.url + notice.get_url_parts()[2] + "print/")
    assert desktop.locator("button[data-print]").is_visible()  # its script (a static file) ran

    desktop.goto(live_demo.url + "/admin/login/")
    desktop.fill("input[name=username]", "xhy-staff")
    desktop.fill("input[name=password]", "xuhuiyuan2026")
    desktop.locator("form button[type=submit]").click()
    desktop.wait_for_load_state()
    home = HomePage.objects.get(slug="xuhuiyuan")
    desktop.goto(f"{live_demo.url}/admin/pages/{home.pk}/edit/")
    desktop.wait_for_load_state("networkidle")
    assert desktop.locator("[data-streamfield-stream-container], [data-contentpath=body]").count()
    desktop.goto(live_demo.url + "/")  # with Wagtail's user bar for staff
    desktop.wait_for_load_state("networkidle")
    assert not refused, refused
