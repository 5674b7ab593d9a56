"""A resident's rights over the committee's own records: "My data" and the download show the
suggestions, visits, reception cases and ratings that concern them and nobody else's; they ask
for a correction and the area's staff (only theirs) reply; and the retention timer anonymises
what has been kept long enough (outreach/privacy.py, outreach/corrections.py,
outreach/correction_admin.py, outreach/retention.py)."""

import datetime as dt
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from outreach import records, retention, suggestions
from outreach.figures import month_figures
from outreach.models import (
    CorrectionRequest,
    ReceptionCase,
    RecordAccess,
    SpotCheck,
    SpotCheckItem,
    Suggestion,
    SuggestionCategory,
    SuggestionEvent,
    Visit,
)
from portal.localtime import local_day
from portal.privacy import close_account, mask_name
from tests.factories import ReceptionCaseFactory, ResidentFactory, SupervisorFactory, VisitFactory, jpeg
from tests.helpers import client_for, main_text, refused


@pytest.fixture
def parking(db):
    return SuggestionCategory.objects.get(slug="parking")


@pytest.fixture
def neighbour(xhy):
    """Another resident of 徐汇苑: 李桂兰, 13900000002."""
    return ResidentFactory(area=xhy, phone="+8613900000002", last_name="李", first_name="桂兰")


@pytest.fixture
def records_of_both(resident, neighbour, xhy, xhy_staff, parking):
    """For the resident: a suggestion answered and rated, a visit with a sensitive detail they
    agreed to and their rating, a reception case; they support the neighbour's public suggestion,
    answered with the neighbour's name and number. For the neighbour: their own suggestion, and a visit."""
    own = suggestions.submit(
        area=xhy, category=parking, text="车棚电动车乱停", place="5号楼东侧车棚", resident=resident
    )
    suggestions.accept(own, xhy_staff)
    suggestions.answer(own, xhy_staff, "已通知物业每周清理")
    suggestions.rate(own, resident, "satisfied", "清理得很快")
    theirs = suggestions.submit(area=xhy, category=parking, text="李家门口私装地锁", resident=neighbour, public=True)
    suggestions.approve_wording(theirs, xhy_staff, "某楼门口私装地锁")
    suggestions.follow(theirs, resident)
    suggestions.accept(theirs, xhy_staff)
    suggestions.answer(theirs, xhy_staff, "已请物业拆除，李桂兰阿姨请留意，电话13900000002")
    visit = VisitFactory(
        staff=xhy_staff,
        resident=resident,
        household_name="王秀英",
        found="厨房水管漏水，已联系物业",
        follow_up="下周回访看维修情况",
        sensitive="高血压，每天服药",
        sensitive_consent_at=timezone.now(),
    )
    records.rate(visit, resident, "fair", "来得有点晚")
    case = ReceptionCaseFactory(staff=xhy_staff, resident=resident, note="咨询长护险申请材料")
    other_visit = VisitFactory(staff=xhy_staff, resident=neighbour, household_name="李桂兰", found="邻居家漏水到楼下")
    return {"own": own, "theirs": theirs, "visit": visit, "case": case, "other_visit": other_visit}


# "My data" and the download


def test_my_data_shows_the_residents_suggestions_visits_and_ratings_and_nobody_elses(resident, records_of_both):
    page = client_for(resident).get("/en/accounts/me/")
    body = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    own, theirs = records_of_both["own"], records_of_both["theirs"]
    for shown in (
        own.number,
        "车棚电动车乱停",
        "已通知物业每周清理",
        "清理得很快",
        theirs.number,  # one they support
        "厨房水管漏水，已联系物业",
        "下周回访看维修情况",
        "高血压，每天服药",  # about them, with their consent
        "来得有点晚",
        "咨询长护险申请材料",
    ):
        assert shown in body, shown
    for hidden in ("李家门口私装地锁", "邻居家漏水到楼下", "李桂兰"):
        assert hidden not in body, hidden


def test_the_download_holds_the_records_and_logs_handing_them_out(resident, neighbour, records_of_both):
    response = client_for(resident).get("/accounts/me/download/")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    own, theirs, visit = records_of_both["own"], records_of_both["theirs"], records_of_both["visit"]
    [filed] = data["suggestions"]
    assert (filed["number"], filed["text"], filed["place"]) == (own.number, "车棚电动车乱停", "5号楼东侧车棚")
    assert filed["answer"] == "已通知物业每周清理" and filed["your_rating"]["comment"] == "清理得很快"
    [supported] = data["suggestions_supported"]
    assert supported["number"] == theirs.number and supported["public_wording"] == "某楼门口私装地锁"
    assert supported["answer"] == "已请物业拆除，李*兰阿姨请留意，电话139****0002"  # as the board shows it
    [home_visit] = data["home_visits"]
    assert home_visit["found"] == "厨房水管漏水，已联系物业" and home_visit["follow_up"] == "下周回访看维修情况"
    assert home_visit["sensitive_details"]["details"] == "高血压，每天服药"
    assert home_visit["your_rating"]["comment"] == "来得有点晚"
    [case] = data["reception_cases"]
    assert case["what_was_asked_and_done"] == "咨询长护险申请材料"
    assert data["correction_requests"] == []
    text = response.content.decode()
    for hidden in ("李家门口私装地锁", "邻居家漏水到楼下", "李桂兰"):
        assert hidden not in text, hidden

    exported = RecordAccess.objects.filter(action=RecordAccess.Action.EXPORTED, by=resident)
    assert {(row.visit_id, row.case_id) for row in exported} == {(visit.pk, None), (None, records_of_both["case"].pk)}
    assert not RecordAccess.objects.filter(visit=records_of_both["other_visit"]).exists()

    others = json.loads(client_for(neighbour).get("/accounts/me/download/").content)
    assert [s["number"] for s in others["suggestions"]] == [theirs.number]
    assert [v["found"] for v in others["home_visits"]] == ["邻居家漏水到楼下"]
    assert others["suggestions_supported"] == [] and others["reception_cases"] == []


def test_a_resident_with_no_records_is_told_so(resident):
    body = client_for(resident).get("/en/accounts/me/").content.decode()
    assert "You have made no suggestions yet." in body
    assert "No home visit or reception case is recorded for your account." in body
    data = json.loads(client_for(resident).get("/accounts/me/download/").content)
    assert data["suggestions"] == data["home_visits"] == data["reception_cases"] == []


# Asking for a correction


def test_a_resident_asks_for_a_correction_and_reads_the_reply(
    resident, xhy, xhy_staff, sms_outbox, django_capture_on_commit_callbacks
):
    me = client_for(resident)
    assert 'action="/en/accounts/me/corrections/"' in me.get("/en/accounts/me/").content.decode()

    empty = me.post("/en/accounts/me/corrections/", {"text": "   "})
    assert empty.status_code == 400 and "Please say what should be corrected." in empty.content.decode()
    too_long = "走访记录里写错了" * 251  # 2008 characters
    long = me.post("/en/accounts/me/corrections/", {"text": too_long})
    assert long.status_code == 400 and too_long in long.content.decode()  # what was typed stays
    assert "no-store" in long["Cache-Control"]
    assert not CorrectionRequest.objects.exists()

    sent = me.post("/en/accounts/me/corrections/", {"text": "3月5日的走访记录里房号写成了302室，应为301室"})
    assert sent.status_code == 302 and sent["Location"] == "/en/accounts/me/#corrections"
    correction = CorrectionRequest.objects.get()
    assert (correction.area, correction.resident, correction.handled_at) == (xhy, resident, None)
    assert "Waiting for a reply" in me.get("/en/accounts/me/").content.decode()

    staff = client_for(xhy_staff)
    listing = staff.get("/admin/corrections/").content.decode()
    name = resident.get_full_name()
    assert "3月5日的走访记录" in listing and mask_name(name) in listing and name not in listing
    page = staff.get(f"/admin/corrections/{correction.pk}/")
    assert page.status_code == 200 and "139****0001" in page.content.decode()
    blank = staff.post(f"/admin/corrections/{correction.pk}/reply/", {"reply": ""})
    assert blank.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answered = staff.post(f"/admin/corrections/{correction.pk}/reply/", {"reply": "已改为301室，谢谢指正"})
    assert answered.status_code == 302
    correction.refresh_from_db()
    assert correction.handled_by == xhy_staff and correction.reply == "已改为301室，谢谢指正"
    assert [message.template for message in sms_outbox] == ["correction_answered"]
    assert [message.phone for message in sms_outbox] == ["+8613900000001"]

    mine = me.get("/en/accounts/me/").content.decode()
    assert "已改为301室，谢谢指正" in mine and "Waiting for a reply" not in mine
    data = json.loads(me.get("/accounts/me/download/").content)
    assert data["correction_requests"][0]["reply"] == "已改为301室，谢谢指正"
    again = staff.post(f"/admin/corrections/{correction.pk}/reply/", {"reply": "再改一次"})
    assert again.status_code == 302
    correction.refresh_from_db()
    assert correction.reply == "已改为301室，谢谢指正"


def test_only_the_residents_own_area_staff_see_and_answer_a_request(resident, xhy, wanliu, wanliu_staff):
    correction = CorrectionRequest.objects.create(area=xhy, resident=resident, text="房号写错了 leakmarker")
    other = client_for(wanliu_staff)
    assert "leakmarker" not in other.get("/admin/corrections/").content.decode()
    assert "leakmarker" not in other.get("/admin/corrections/results/").content.decode()
    for url in (f"/admin/corrections/{correction.pk}/",):
        response = other.get(url)
        assert refused(response) and "leakmarker" not in response.content.decode()
    assert refused(other.post(f"/admin/corrections/{correction.pk}/reply/", {"reply": "改好了"}))

    supervisor = client_for(SupervisorFactory())
    assert "leakmarker" in supervisor.get(f"/admin/corrections/{correction.pk}/").content.decode()
    assert refused(supervisor.post(f"/admin/corrections/{correction.pk}/reply/", {"reply": "改好了"}))

    neighbour = client_for(ResidentFactory(area=xhy, phone="+8613900000002"))
    assert "leakmarker" not in neighbour.get("/accounts/me/").content.decode()
    anonymous = Client()
    answer = anonymous.post("/accounts/me/corrections/", {"text": "改一下"})
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    for outsider in (neighbour, anonymous):  # the admin sends them to its sign-in
        response = outsider.get(f"/admin/corrections/{correction.pk}/")
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        outsider.post(f"/admin/corrections/{correction.pk}/reply/", {"reply": "改好了"})

    correction.refresh_from_db()
    assert correction.handled_at is None and correction.reply == ""
    assert CorrectionRequest.objects.count() == 1


def test_supervisors_read_a_request_without_the_room_and_with_names_and_numbers_masked(
    resident, neighbour, xhy, xhy_staff, supervisor
):
    correction = CorrectionRequest.objects.create(
        area=xhy, resident=resident, text="李桂兰把我的电话13912345678记成了她的"
    )
    staff = client_for(xhy_staff)
    for page in (staff.get(f"/admin/corrections/{correction.pk}/"), staff.get("/admin/corrections/")):
        assert "李桂兰把我的电话13912345678" in page.content.decode()
    assert "5号楼 301室" in staff.get(f"/admin/corrections/{correction.pk}/").content.decode()

    reader = client_for(supervisor)
    page = reader.get(f"/admin/corrections/{correction.pk}/").content.decode()
    listing = reader.get("/admin/corrections/").content.decode()
    assert "5号楼" in page and "301室" not in page
    for html in (page, listing):
        assert "李*兰把我的电话139****5678" in html
        assert "李桂兰" not in html and "13912345678" not in html


def test_a_resident_may_have_five_requests_waiting_at_once(resident):
    me = client_for(resident)
    for number in range(5):
        assert me.post("/en/accounts/me/corrections/", {"text": f"第{number}条"}).status_code == 302
    sixth = me.post("/en/accounts/me/corrections/", {"text": "第六条"})
    assert sixth.status_code == 400
    body = sixth.content.decode()
    assert "You have 5 requests waiting for an answer." in body and "第六条" in body
    assert CorrectionRequest.objects.count() == 5


# Retention


def figures(area, month):
    """What the figures count: rows, minutes, purposes, outcomes, statuses and ratings, and a
    month's suggestion figures for the public board."""
    visits = Visit.objects.filter(area=area)
    cases = ReceptionCase.objects.filter(area=area)
    return (
        sorted(visits.values_list("staff", "building", "purpose", "minutes", "rating", "at")),
        sorted(cases.values_list("staff", "outcome", "minutes", "rating", "at")),
        sorted(Suggestion.objects.filter(area=area).values_list("category", "status", "rating", "received_at")),
        month_figures(area, month, local_day(timezone.now())),
    )


def everything():
    """Every row the timer may touch, as it stands."""
    return (
        list(Visit.objects.values()),
        list(ReceptionCase.objects.values()),
        list(Suggestion.objects.values()),
        list(SuggestionEvent.objects.values()),
        list(RecordAccess.objects.values()),
        list(CorrectionRequest.objects.values()),
        list(SpotCheckItem.objects.values()),
    )


def run_timer(*options, language="en"):
    out = io.StringIO()
    with translation.override(language):
        call_command("outreach_retention", *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def private_photos(tmp_path):
    """Residents' photos, in the test's own folder (tests/conftest.py, media_in_tmp)."""
    storage = Suggestion._meta.get_field("photo").storage
    assert str(tmp_path) in storage.location
    return storage


def test_the_retention_timer_anonymises_what_has_been_kept_three_years_and_nothing_else(
    clock, resident, neighbour, xhy, xhy_staff, parking, private_photos, django_capture_on_commit_callbacks
):
    start = timezone.now()
    old_visit = VisitFactory(
        staff=xhy_staff,
        resident=resident,
        household_name="王秀英",
        household_phone="13800138000",
        room_number="301室",
        found="厨房水管漏水",
        follow_up="下周回访",
        sensitive="高血压，每天服药",
        sensitive_consent_at=start,
    )
    records.rate(old_visit, resident, "fair", "来得有点晚")
    old_case = ReceptionCaseFactory(staff=xhy_staff, resident=resident, note="咨询长护险申请材料")
    check = SpotCheck.objects.create(area=xhy, quarter="2026Q4", seed=1)
    item = SpotCheckItem.objects.create(
        spot_check=check, staff=xhy_staff, visit=old_visit, verdict="confirmed", callback_result="王阿姨说来过"
    )
    RecordAccess.objects.create(visit=old_visit, action=RecordAccess.Action.VIEWED, by=xhy_staff)
    old = suggestions.submit(
        area=xhy, category=parking, text="车棚电动车乱停", place="5号楼", resident=resident, public=True
    )
    old.photo.save("车棚.jpg", ContentFile(jpeg().getvalue()))
    photo = old.photo.name
    suggestions.follow(old, neighbour)
    suggestions.approve_wording(old, xhy_staff, "车棚电动车乱停")
    suggestions.note(old, xhy_staff, "王秀英住301室")
    suggestions.accept(old, xhy_staff)
    suggestions.answer(old, xhy_staff, "已请物业清理，王秀英家门口已清空")
    suggestions.rate(old, resident, "satisfied", "很快")
    still_open = suggestions.submit(area=xhy, category=parking, text="路灯坏了", resident=resident)
    CorrectionRequest.objects.create(area=xhy, resident=resident, text="房号写错", handled_at=start, reply="已改")
    waiting = CorrectionRequest.objects.create(area=xhy, resident=resident, text="还没答复的请求")

    clock.move_to(start + dt.timedelta(days=730))  # two years on: newer records
    new_visit = VisitFactory(staff=xhy_staff, resident=resident, household_name="王秀英", found="一切正常")
    recent_access = RecordAccess.objects.create(visit=old_visit, action=RecordAccess.Action.VIEWED, by=xhy_staff)
    newer = suggestions.submit(area=xhy, category=parking, text="楼道堆物", resident=resident)
    suggestions.reject(newer, xhy_staff, "属物业管理范围")
    answered = CorrectionRequest.objects.create(
        area=xhy, resident=resident, text="另一处写错", handled_at=timezone.now(), reply="已改"
    )

    clock.move_to(start + dt.timedelta(days=1097))  # three years and a day after the first ones
    month = local_day(start).replace(day=1)
    counted = figures(xhy, month)
    before = everything()
    assert run_timer("--dry-run") == (
        "Dry run: would anonymise 1 home visits, 1 reception cases, 1 suggestions; "
        "would delete 1 access log entries, 1 correction requests.\n"
    )
    assert everything() == before

    with django_capture_on_commit_callbacks(execute=True):
        said = run_timer()
    assert said == (
        "Anonymised 1 home visits, 1 reception cases, 1 suggestions; "
        "deleted 1 access log entries, 1 correction requests.\n"
    )

    old_visit.refresh_from_db()
    assert (old_visit.household_name, old_visit.household_phone, old_visit.room_number) == ("", "", "")
    assert (old_visit.resident, old_visit.sensitive, old_visit.sensitive_consent_at) == (None, "", None)
    assert (old_visit.found, old_visit.follow_up, old_visit.rating_comment) == ("", "", "")
    assert old_visit.anonymised_at and old_visit.rating == "fair" and old_visit.building is not None
    assert old_visit.accesses.filter(action=RecordAccess.Action.ANONYMISED).count() == 1
    old_case.refresh_from_db()
    assert (old_case.note, old_case.resident, old_case.household_name) == ("", None, "") and old_case.anonymised_at
    item.refresh_from_db()
    assert item.callback_result == retention.anonymised_note() and item.verdict == "confirmed"

    old.refresh_from_db()
    assert (old.text, old.place, old.photo.name, old.answer, old.rating_comment, old.public_text) == ("",) * 6
    assert (old.resident, old.public, old.status, old.rating) == (None, False, "closed", "satisfied")
    assert not old.followers.exists() and not private_photos.exists(photo)
    history = " ".join(old.events.values_list("note", flat=True))
    assert "王秀英" not in history and "很快" not in history
    assert not old.events.filter(by__in=[resident, neighbour]).exists()
    assert old.events.filter(by=xhy_staff).exists()  # staff's steps stay attributed

    new_visit.refresh_from_db()
    assert new_visit.found == "一切正常" and new_visit.resident == resident and new_visit.anonymised_at is None
    for kept in (still_open, newer):
        kept.refresh_from_db()
        assert kept.text and kept.resident == resident
    assert set(CorrectionRequest.objects.all()) == {waiting, answered}
    assert set(RecordAccess.objects.exclude(action=RecordAccess.Action.ANONYMISED)) == {recent_access}
    assert not [
        row
        for row in json.loads(client_for(resident).get("/accounts/me/download/").content)["home_visits"]
        if row["found"] != "一切正常"
    ]

    assert figures(xhy, month) == counted
    after = everything()
    assert run_timer() == (
        "Anonymised 0 home visits, 0 reception cases, 0 suggestions; deleted 0 access log entries, 0 correction requests.\n"
    )
    assert everything() == after


def test_the_committees_reasons_and_the_spot_checks_findings_go_too(
    clock, resident, xhy, xhy_staff, xhy_lead, parking, repairs
):
    start = timezone.now()
    rejected = suggestions.submit(area=xhy, category=parking, text="楼道堆物", resident=resident)
    suggestions.reject(rejected, xhy_staff, "王秀英家的东西，已当面说明")
    transferred = suggestions.submit(area=xhy, category=parking, text="地锁", resident=resident)
    suggestions.transfer(transferred, xhy_staff, "物业（王秀英经理）")
    repair = suggestions.submit(area=xhy, category=repairs, text="电梯", resident=resident)
    suggestions.extend(repair, xhy_lead, "等王秀英家同意后再修")
    suggestions.accept(repair, xhy_staff)
    suggestions.answer(repair, xhy_staff, "已修好")
    suggestions.rate(repair, resident, "satisfied")
    visit = VisitFactory(staff=xhy_staff, resident=resident, household_name="王秀英", found="漏水")
    check = SpotCheck.objects.create(area=xhy, quarter="2026Q4", seed=1)
    item = SpotCheckItem.objects.create(
        spot_check=check,
        staff=xhy_staff,
        visit=visit,
        verdict="problem",
        finding="王秀英说没人来过",
        called_back=True,
        callback_result="王阿姨说没见过",
    )

    clock.move_to(start + dt.timedelta(days=1097))
    anonymised = retention.anonymised_note()  # 保存期满，已匿名化。
    assert run_timer().startswith("Anonymised 1 home visits, 0 reception cases, 3 suggestions")

    rejected.refresh_from_db()
    transferred.refresh_from_db()
    repair.refresh_from_db()
    assert (rejected.status, rejected.reason) == ("rejected", anonymised)
    assert (transferred.status, transferred.transferred_to) == ("transferred", anonymised)
    assert repair.extension_reason == anonymised and repair.status == "closed"
    notes = SuggestionEvent.objects.filter(action__in=["rejected", "transferred", "extended"])
    assert sorted(notes.values_list("action", "note")) == [
        ("extended", anonymised),
        ("rejected", anonymised),
        ("transferred", anonymised),
    ]
    item.refresh_from_db()
    assert (item.verdict, item.finding, item.callback_result) == ("problem", anonymised, anonymised)
    stored = " ".join(str(row) for rows in everything() for row in rows)
    assert "王秀英" not in stored and "王阿姨" not in stored


def test_the_retention_periods_come_from_the_settings(clock, settings, xhy_staff):
    visit = VisitFactory(staff=xhy_staff, found="独居老人")
    settings.OUTREACH_RETENTION = {**settings.OUTREACH_RETENTION, "visits": 30}
    clock.move_to(timezone.now() + dt.timedelta(days=29))
    assert run_timer().startswith("Anonymised 0 home visits")
    clock.move_to(timezone.now() + dt.timedelta(days=2))
    assert run_timer().startswith("Anonymised 1 home visits")
    visit.refresh_from_db()
    assert visit.found == "" and visit.anonymised_at


def test_the_retention_timer_speaks_the_portals_language(db):
    said = run_timer("--dry-run", language="zh-hans")
    assert "入户走访" in said and "意见建议" in said and "更正请求" in said
    assert "home visits" not in said and "suggestions" not in said


# The privacy notice


def test_the_privacy_notice_says_what_visit_records_hold_and_how_long_they_are_kept(client, xhy, settings):
    body = main_text(client.get("/en/accounts/privacy/"))
    assert f"Version {settings.PRIVACY_NOTICE_VERSION}." in body
    assert "they write down the household (building, room, a name and a number to call back)" in body
    assert "Health and other sensitive details are written down only if you agree to that separately." in body
    assert "Visit records are kept for 3 years and reception records for 3 years" in body
    assert "suggestions for 3 years after they are closed" in body
    assert "ask on the “My data” page or at the reception desk" in body
    settings.OUTREACH_RETENTION = {**settings.OUTREACH_RETENTION, "visits": 5 * 365}
    assert "Visit records are kept for 5 years" in main_text(client.get("/en/accounts/privacy/"))


def test_a_resident_who_agreed_to_an_earlier_notice_reads_and_agrees_to_this_one(resident, settings):
    resident.privacy_consent_version = "2026-11"
    resident.save()
    me = client_for(resident)
    assert "The notice has changed since" in me.get("/en/accounts/me/").content.decode()
    notice = me.get("/en/accounts/privacy/")
    assert "private" in notice["Cache-Control"]
    assert "You agreed to version 2026-11." in main_text(notice)

    agreed = me.post("/en/accounts/privacy/")
    assert agreed.status_code == 302 and agreed["Location"] == "/en/accounts/me/"
    resident.refresh_from_db()
    assert resident.privacy_consent_version == settings.PRIVACY_NOTICE_VERSION
    assert abs(resident.privacy_consent_at - timezone.now()) < dt.timedelta(minutes=1)
    assert "The notice has changed since" not in me.get("/en/accounts/me/").content.decode()
    assert "You agreed to version" not in main_text(me.get("/en/accounts/privacy/"))

    anonymous = Client()
    assert "I have read it and agree" not in main_text(anonymous.get("/en/accounts/privacy/"))
    assert anonymous.post("/en/accounts/privacy/").status_code == 200  # nothing to agree to


def test_closing_an_account_deletes_its_photos_and_ends_its_support(
    resident, neighbour, xhy, parking, private_photos, django_capture_on_commit_callbacks
):
    filed = suggestions.submit(area=xhy, category=parking, text="车棚", resident=resident)
    filed.photo.save("shed.jpg", ContentFile(jpeg().getvalue()))
    supported = suggestions.submit(area=xhy, category=parking, text="路灯", resident=neighbour)
    supported.followers.add(resident)
    name = filed.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        close_account(resident)

    filed.refresh_from_db()
    assert not filed.photo and not private_photos.exists(name)
    assert not supported.followers.exists()
    assert Suggestion.objects.filter(pk=filed.pk).exists()
