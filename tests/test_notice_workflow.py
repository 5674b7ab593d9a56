"""A notice goes through the area's workflow in the real Wagtail admin: a staff member drafts it and
cannot publish it, submits it, the area's lead approves it (a lead of another area cannot), it goes
live and an important one is on the home page banner; past its expiry it leaves the banner and the
board at once, and publish_scheduled unpublishes it. A notice scheduled for later stays hidden."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from home.models import NoticePage
from portal.models import User
from tests.forms import editor_form_data
from tests.helpers import path_of
from tests.test_notices import add_notice, banner, notice_board, notice_titles, section


def lead_of(area, username):
    """An area's lead, put in the lead group only (as an operator ticking just that group would):
    the group alone lets them into the admin, the area's pages and the approval."""
    user = User.objects.create_user(username, password="x", area=area)
    user.groups.add(area.lead_group)
    return user


@pytest.fixture
def board(xhy):
    return notice_board(xhy.site.root_page)


@pytest.fixture
def xhy_lead(xhy):
    return lead_of(xhy, "test-xhy-lead")


@pytest.fixture
def wanliu_lead(wanliu):
    return lead_of(wanliu, "test-wl-lead")


def new_notice_form(html, **fields):
    """What the "add notice" form posts: its own inputs as rendered, the body, and `fields`."""
    data = querydict_from_html(html, form_id="page-edit-form")
    form = {key: values if len(values) > 1 else values[0] for key, values in data.lists()}
    form.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>明天上午停电检修。</p>"))])}))
    form.update(fields)
    return form


def publish_button(html):
    return 'name="action-publish"' in html


def submit_button(html):
    return 'name="action-submit"' in html


def test_staff_submit_notices_and_only_their_areas_lead_approves_them(
    client, xhy, board, xhy_staff, xhy_lead, wanliu_lead
):
    client.force_login(xhy_staff)
    add_url = reverse("wagtailadmin_pages:add", args=["home", "noticepage", board.pk])
    html = client.get(add_url).content.decode()
    assert submit_button(html) and not publish_button(html)
    assert f"{xhy.name}通知审核" in html  # "Submit to 徐汇苑居民区通知审核"

    # Asking to publish anyway only saves a draft.
    response = client.post(
        add_url,
        new_notice_form(
            html,
            title="停电通知",
            slug="power-cut",
            category="safety",
            summary="明天上午9点到11点停电。",
            important="on",
            **{"action-publish": "action-publish"},
        ),
    )
    assert response.status_code == 302
    notice = NoticePage.objects.get(slug="power-cut")
    assert not notice.live and notice.important and notice.get_parent().pk == board.pk

    edit_url = reverse("wagtailadmin_pages:edit", args=[notice.pk])
    html = client.get(edit_url).content.decode()
    assert submit_button(html) and not publish_button(html)
    form = editor_form_data(html, notice)
    client.post(edit_url, {**form, "action-publish": "action-publish"})
    assert not NoticePage.objects.get(pk=notice.pk).live

    response = client.post(edit_url, {**form, "action-submit": "action-submit"})
    assert response.status_code == 302
    notice = NoticePage.objects.get(pk=notice.pk)
    assert notice.workflow_in_progress and not notice.live
    task_state = notice.current_workflow_task_state
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[notice.pk, "approve", task_state.pk])

    # Not yet on the home page, and a lead of another area cannot approve it.
    home = client.get("/")
    assert "停电通知" not in banner(home) and "停电通知" not in section(home, "notices")
    client.force_login(wanliu_lead)
    response = client.post(approve_url, {"comment": ""})
    assert response.status_code == 403  # another area's page: refused before anything is shown
    refused = NoticePage.objects.get(pk=notice.pk)
    assert not refused.live and refused.workflow_in_progress

    # The area's lead is offered the approval and may publish directly too.
    client.force_login(xhy_lead)
    html = client.get(edit_url).content.decode()
    assert 'data-workflow-action-name="approve"' in html and publish_button(html)
    assert client.post(approve_url, {"comment": ""}).status_code == 302
    notice = NoticePage.objects.get(pk=notice.pk)
    assert notice.live and not notice.workflow_in_progress
    assert notice.workflow_states.get().status == WorkflowState.STATUS_APPROVED

    client.logout()
    home = client.get("/")
    assert "停电通知" in banner(home) and "明天上午9点到11点停电。" in banner(home)
    assert "停电通知" in section(home, "notices")
    assert client.get(path_of(notice)).status_code == 200


@pytest.fixture
def approved_notice(board):
    return add_notice(board, "台风预警", "typhoon", important=True, expire_at=timezone.now() + dt.timedelta(hours=1))


def test_an_expired_notice_leaves_the_banner_and_board_before_publish_scheduled_runs(client, board, approved_notice):
    assert "台风预警" in banner(client.get("/"))
    NoticePage.objects.filter(pk=approved_notice.pk).update(expire_at=timezone.now() - dt.timedelta(minutes=1))

    assert NoticePage.objects.get(pk=approved_notice.pk).live  # the scheduled unpublish has not run yet
    home = client.get("/")
    assert "台风预警" not in banner(home) and "台风预警" not in section(home, "notices")
    assert "台风预警" not in notice_titles(client.get(path_of(board)))
    assert "台风预警" not in client.get(f"{path_of(board)}feed/").content.decode()

    call_command("publish_scheduled")
    notice = NoticePage.objects.get(pk=approved_notice.pk)
    assert not notice.live and notice.expired
    assert client.get(path_of(notice)).status_code == 404


def test_a_notice_scheduled_for_later_shows_only_from_then(client, board, xhy_lead, monkeypatch):
    go_live = timezone.now() + dt.timedelta(days=1)
    notice = add_notice(board, "国庆活动预告", "national-day", publish=False, important=True, go_live_at=go_live)
    revision = notice.save_revision(user=xhy_lead)
    revision.publish(user=xhy_lead)
    revision.refresh_from_db()
    assert revision.approved_go_live_at == go_live
    assert not NoticePage.objects.get(pk=notice.pk).live

    def shown():
        home = client.get("/")
        return {
            "banner": "国庆活动预告" in banner(home),
            "home": "国庆活动预告" in section(home, "notices"),
            "board": "国庆活动预告" in notice_titles(client.get(path_of(board))),
            "feed": "国庆活动预告" in client.get(f"{path_of(board)}feed/").content.decode(),
        }

    assert not any(shown().values())
    call_command("publish_scheduled")  # too early: nothing to publish yet
    assert not any(shown().values())

    # The day comes.
    later = go_live + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("publish_scheduled")
    assert NoticePage.objects.get(pk=notice.pk).live
    assert all(shown().values())
    assert client.get(path_of(notice)).status_code == 200
