"""The residents' pages for suggestions (outreach/views.py): filing one, following it, rating the
answer, and the area's public board with the month's figures."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from outreach import suggestions
from outreach.figures import Rate, month_figures
from outreach.models import Suggestion
from tests.factories import ResidentFactory
from tests.helpers import client_for, moment


def test_signed_out_visitors_read_the_board_and_file_with_their_number(client, xhy):
    assert client.get("/suggestions/").status_code == 200
    assert client.get("/en/suggestions/").status_code == 200
    answer = client.get("/suggestions/new/")  # a number and a code instead of an account: test_suggestion_extras.py
    assert answer.status_code == 200 and 'name="phone"' in answer.content.decode()
    assert "/accounts/login/?next=/suggestions/new/" in answer.content.decode()
    assert client.get("/suggestions/mine/").status_code == 302


def test_a_resident_files_one_and_sees_its_number_and_dates(resident, parking):
    me = client_for(resident)
    form = me.get("/suggestions/new/")
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    refused = me.post("/suggestions/new/", {"category": parking.pk, "text": "  ", "place": "5号楼东侧车棚"})
    assert refused.status_code == 400
    assert "5号楼东侧车棚" in refused.content.decode()  # what was typed stays
    assert not Suggestion.objects.exists()

    sent = me.post("/suggestions/new/", {"category": parking.pk, "text": "车棚电动车乱停", "place": "5号楼东侧车棚"})
    suggestion = Suggestion.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("outreach:suggestion", args=[suggestion.pk])
    page = me.get(sent["Location"]).content.decode()
    assert suggestion.number in page and f"{suggestion.answer_due.month}月{suggestion.answer_due.day}日" in page
    assert suggestion.number in me.get("/suggestions/mine/").content.decode()


def test_another_resident_and_another_area_cannot_reach_it(resident, neighbour, xhy, wanliu, parking):
    suggestion = suggestions.submit(area=xhy, category=parking, text="车棚", resident=resident)
    assert client_for(neighbour).get(f"/suggestions/{suggestion.pk}/").status_code == 404
    assert suggestion.number not in client_for(neighbour).get("/suggestions/mine/").content.decode()
    elsewhere = ResidentFactory(area=wanliu, phone="+8613900000003")
    filed_elsewhere = client_for(elsewhere).post("/suggestions/new/", {"category": parking.pk, "text": "车棚"})
    assert filed_elsewhere.status_code == 403  # on 徐汇苑's site, a 宛六 resident files nothing here
    assert Suggestion.objects.count() == 1


def test_the_resident_rates_the_answer_and_unsatisfied_sends_it_back(resident, xhy, parking, xhy_staff):
    suggestion = suggestions.submit(area=xhy, category=parking, text="车棚", resident=resident)
    suggestions.accept(suggestion, xhy_staff)
    suggestions.answer(suggestion, xhy_staff, "已通知物业")
    me = client_for(resident)
    assert "rating" in me.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert me.post(f"/suggestions/{suggestion.pk}/rate/", {"comment": "没选"}).status_code == 400
    assert (
        me.post(f"/suggestions/{suggestion.pk}/rate/", {"rating": "unsatisfied", "comment": "还是乱停"}).status_code
        == 302
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.IN_PROGRESS and suggestion.rating_comment == "还是乱停"


def test_the_board_shows_only_approved_wording_of_its_own_area(xhy, wanliu, resident, parking):
    shown = suggestions.submit(area=xhy, category=parking, text="王秀英：车棚乱停", resident=resident, public=True)
    suggestions.approve_wording(shown, None, "5号楼车棚电动车乱停")
    suggestions.submit(area=xhy, category=parking, text="不公开的内容", resident=resident)
    suggestions.submit(area=xhy, category=parking, text="未审核的内容", resident=resident, public=True)
    theirs = suggestions.submit(area=wanliu, category=parking, text="宛六", public=True)
    suggestions.approve_wording(theirs, None, "宛六的车棚")

    page = Client(HTTP_HOST="localhost").get("/suggestions/").content.decode()
    assert "5号楼车棚电动车乱停" in page
    assert "王秀英" not in page and "不公开" not in page and "未审核" not in page and "宛六的车棚" not in page


def test_the_board_and_a_supporter_read_the_answer_with_names_and_numbers_masked(
    xhy, resident, neighbour, parking, xhy_staff
):
    resident.last_name, resident.first_name = "王", "秀英"
    resident.save()
    shown = suggestions.submit(area=xhy, category=parking, text="车棚乱停", resident=resident, public=True)
    suggestions.approve_wording(shown, xhy_staff, "5号楼车棚电动车乱停")
    suggestions.follow(shown, neighbour)
    suggestions.accept(shown, xhy_staff)
    suggestions.answer(shown, xhy_staff, "已通知物业，并请王秀英阿姨确认，电话13912345678")
    masked = "已通知物业，并请王*英阿姨确认，电话139****5678"

    board = Client(HTTP_HOST="localhost").get("/suggestions/").content.decode()
    supporter = client_for(neighbour).get(f"/suggestions/{shown.pk}/").content.decode()
    for page in (board, supporter):
        assert masked in page and "王秀英" not in page and "13912345678" not in page
    filer = client_for(resident).get(f"/suggestions/{shown.pk}/").content.decode()
    assert "已通知物业，并请王秀英阿姨确认，电话13912345678" in filer  # their own, as written to them


def test_a_months_figures_count_what_is_done_and_what_is_late(xhy, parking, xhy_staff, resident):
    # Received on Monday 3 March 2025: accept by Tuesday 4, answer by Monday 10 (no holidays entered).
    on_time = suggestions.submit(
        area=xhy, category=parking, text="一", resident=resident, now=moment(dt.date(2025, 3, 3))
    )
    late = suggestions.submit(area=xhy, category=parking, text="二", now=moment(dt.date(2025, 3, 3)))
    waiting = suggestions.submit(area=xhy, category=parking, text="三", now=moment(dt.date(2025, 3, 3)))
    suggestions.submit(area=xhy, category=parking, text="四月的", now=moment(dt.date(2025, 4, 1)))
    suggestions.accept(on_time, xhy_staff, now=moment(dt.date(2025, 3, 4)))
    suggestions.answer(on_time, xhy_staff, "好", now=moment(dt.date(2025, 3, 7)))
    suggestions.rate(on_time, resident, "fair", now=moment(dt.date(2025, 3, 8)))
    suggestions.accept(late, xhy_staff, now=moment(dt.date(2025, 3, 6)))

    figures = month_figures(xhy, dt.date(2025, 3, 3), today=dt.date(2025, 3, 20))
    assert figures.received == 3
    assert figures.accepted_on_time == Rate(1, 3)  # late was accepted late; waiting is still waiting past its day
    assert figures.answered_on_time == Rate(1, 3)  # late and waiting are past their answer day
    assert figures.median_days_to_accept == 2  # 1 and 3 working days
    assert figures.median_days_to_answer == 4
    assert figures.satisfied == Rate(1, 1)
    assert not Suggestion.objects.get(pk=waiting.pk).accepted_at

    page = Client(HTTP_HOST="localhost").get("/en/suggestions/", {"month": "2025-03"}).content.decode()
    assert "1 of 3 (33%)" in page and "1 of 1 (100%)" in page
