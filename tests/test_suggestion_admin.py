"""The suggestions inbox in the Wagtail admin (outreach/admin_views.py), as staff, a lead, staff
of the other area and a supervisor use it."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach import suggestions
from outreach.models import Suggestion, SuggestionEvent
from tests.helpers import client_for

Action = SuggestionEvent.Action


@pytest.fixture
def filed(xhy, parking, resident):
    """王秀英's suggestion in 徐汇苑, with her number in the text, allowed on the public board."""
    resident.last_name, resident.first_name = "王", "秀英"
    resident.save()
    return suggestions.submit(
        area=xhy,
        category=parking,
        text="王秀英反映：5号楼车棚电动车乱停，联系电话13912345678",
        resident=resident,
        public=True,
    )


def inspect_url(suggestion):
    return reverse("suggestions:inspect", args=[suggestion.pk])


def step(client, suggestion, name, **data):
    return client.post(reverse("suggestions:step", args=[suggestion.pk, name]), data)


def row_of(html, number):
    """The listing's table row of the suggestion with this number."""
    rows = [row for row in re.findall(r"<tr\b.*?</tr>", html, re.DOTALL) if number in row]
    assert len(rows) == 1, f"{len(rows)} rows name {number}"
    return rows[0]


def overdue_mark(row):
    """Whether a row carries the "overdue" status label (in either language)."""
    return re.search(r'class="w-status[^"]*">\s*(overdue|逾期)\s*</span>', row) is not None


def test_staff_see_the_details_masked_and_opening_is_logged(filed, xhy_staff):
    page = client_for(xhy_staff).get(inspect_url(filed))
    assert page.status_code == 200
    html = page.content.decode()
    assert "王*英" in html and "139****0001" in html  # the resident's name and number, masked
    assert filed.events.filter(action=Action.VIEWED, by=xhy_staff, internal=True).count() == 1


def test_the_public_wording_is_offered_masked_and_approved_for_the_board(filed, xhy_staff):
    staff = client_for(xhy_staff)
    html = staff.get(inspect_url(filed)).content.decode()
    assert "王*英反映：5号楼车棚电动车乱停，联系电话139****5678" in html
    assert step(staff, filed, "publish", **{"publish-public_text": "5号楼车棚电动车乱停"}).status_code == 302
    filed.refresh_from_db()
    assert filed.public_text == "5号楼车棚电动车乱停" and filed.public_approved_at is not None
    assert list(Suggestion.objects.on_public_board()) == [filed]


def test_staff_take_it_through_and_an_empty_answer_keeps_the_page(filed, xhy_staff):
    staff = client_for(xhy_staff)
    assert step(staff, filed, "accept").status_code == 302
    refused = step(staff, filed, "answer", **{"answer-answer": "   "})
    assert refused.status_code == 400
    assert Suggestion.objects.get(pk=filed.pk).status == Suggestion.Status.ACCEPTED
    assert step(staff, filed, "answer", **{"answer-answer": "已在3号楼北侧增设车棚"}).status_code == 302
    filed.refresh_from_db()
    assert filed.status == Suggestion.Status.ANSWERED and filed.handler == xhy_staff
    # A step the state no longer allows is not offered, and posting it is refused (Wagtail's
    # "no permission" redirect).
    assert reverse("suggestions:step", args=[filed.pk, "accept"]) not in staff.get(inspect_url(filed)).content.decode()
    step(staff, filed, "accept")
    assert Suggestion.objects.get(pk=filed.pk).status == Suggestion.Status.ANSWERED


def test_a_refused_reason_keeps_what_was_typed(filed, xhy_staff):
    long_reason = "不" * 201
    page = step(client_for(xhy_staff), filed, "reject", **{"reject-reason": long_reason})
    assert page.status_code == 400
    assert long_reason in page.content.decode()
    assert Suggestion.objects.get(pk=filed.pk).status == Suggestion.Status.SUBMITTED


def test_only_the_lead_extends_a_repair(xhy, repairs, xhy_staff, xhy_lead, resident):
    repair = suggestions.submit(area=xhy, category=repairs, text="2号楼电梯按钮失灵", resident=resident)
    before = repair.answer_due
    step(client_for(xhy_staff), repair, "extend", **{"extend-extension_reason": "等配件"})
    assert Suggestion.objects.get(pk=repair.pk).answer_due == before
    assert step(client_for(xhy_lead), repair, "extend", **{"extend-extension_reason": "等配件"}).status_code == 302
    repair.refresh_from_db()
    assert repair.answer_due > before and repair.extension_reason == "等配件"


def test_the_other_areas_staff_neither_see_nor_touch_it(filed, wanliu_staff):
    other = client_for(wanliu_staff)
    assert other.get(inspect_url(filed)).status_code == 404
    assert step(other, filed, "accept").status_code == 404
    listing = other.get(reverse("suggestions:index")).content.decode()
    assert filed.number not in listing and "车棚" not in listing
    searched = other.get(reverse("suggestions:index"), {"q": "车棚"}).content.decode()
    assert filed.number not in searched and "乱停" not in searched
    assert not filed.events.filter(by=wanliu_staff).exists()


def test_supervisors_read_every_area_and_change_nothing(filed, supervisor):
    reader = client_for(supervisor)
    assert reader.get(inspect_url(filed)).status_code == 200
    assert filed.number in reader.get(reverse("suggestions:index")).content.decode()
    assert step(reader, filed, "accept").status_code == 404
    assert reader.get(reverse("suggestions:add")).status_code == 302  # Wagtail's "no permission" redirect
    assert Suggestion.objects.get(pk=filed.pk).status == Suggestion.Status.SUBMITTED


def test_overdue_suggestions_come_first_and_stand_out(xhy, parking, xhy_staff):
    old = suggestions.submit(area=xhy, category=parking, text="旧的建议", now=timezone.now() - dt.timedelta(days=30))
    new = suggestions.submit(area=xhy, category=parking, text="新的建议")
    html = client_for(xhy_staff).get(reverse("suggestions:index")).content.decode()
    assert html.index(old.number) < html.index(new.number)
    assert overdue_mark(row_of(html, old.number))  # its own row says so (the filter's label says 已逾期)
    assert not overdue_mark(row_of(html, new.number))
    overdue_only = client_for(xhy_staff).get(reverse("suggestions:index"), {"overdue": "true"}).content.decode()
    assert old.number in overdue_only and new.number not in overdue_only


def test_staff_record_one_for_a_resident_and_a_wrong_number_keeps_the_form(xhy, parking, xhy_staff, neighbour):
    staff = client_for(xhy_staff)
    form = {"category": parking.pk, "text": "楼道灯坏了", "place": "7号楼", "channel": "visit", "phone": "13800000000"}
    refused = staff.post(reverse("suggestions:add"), form)
    assert refused.status_code == 400 and "楼道灯坏了" in refused.content.decode()
    assert not Suggestion.objects.exists()

    recorded = staff.post(reverse("suggestions:add"), {**form, "phone": "139 0000 0002"})
    assert recorded.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.resident, suggestion.recorded_by, suggestion.channel) == (neighbour, xhy_staff, "visit")
    assert suggestion.events.get().by == xhy_staff
