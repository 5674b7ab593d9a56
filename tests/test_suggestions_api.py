"""Suggestions through the residents' JSON API (outreach/api.py), as the mini-program uses it."""

import datetime as dt
import json

import pytest
from django.test import Client

from outreach import suggestions
from outreach.models import Suggestion
from portal.models import ApiToken


def client_of(user, language="zh-hans"):
    token = ApiToken.objects.issue(user)[1]
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": language})


def post(client, path, body):
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


@pytest.fixture
def me(resident):
    return client_of(resident)


def test_the_categories_say_how_many_working_days_each_takes(client, db):
    answer = client.get("/api/v1/suggestions/categories")
    assert answer.status_code == 200
    categories = {category["slug"]: category for category in answer.json()}
    assert categories["parking"] == {
        "slug": "parking",
        "name": "停车",
        "accept_working_days": 1,
        "answer_working_days": 5,
    }
    assert categories["repairs"]["answer_working_days"] == 15
    assert len(categories) == 8


def test_a_resident_files_one_and_sees_its_number_and_due_dates(me, resident, xhy):
    answer = post(me, "/suggestions", {"category": "parking", "text": "车棚电动车乱停", "place": "5号楼东侧"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    suggestion = Suggestion.objects.get(pk=body["id"])
    assert body == {
        "id": suggestion.pk,
        "number": suggestion.number,
        "status": "submitted",
        "accept_due": suggestion.accept_due.isoformat(),
        "answer_due": suggestion.answer_due.isoformat(),
    }
    assert suggestion.resident == resident and suggestion.area == xhy
    assert suggestion.channel == Suggestion.Channel.API and not suggestion.public


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "parking", "text": "  "}, "text"),
        ({"category": "no-such-thing", "text": "车棚"}, "category"),
        ({"category": "parking", "text": "车" * 2001}, "text"),
    ],
)
def test_bad_input_is_400_naming_the_field(me, body, field):
    answer = post(me, "/suggestions", body)
    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert answer.json()["detail"]
    assert not Suggestion.objects.exists()


def test_an_error_is_in_the_callers_language(resident):
    answer = post(client_of(resident, "en"), "/suggestions", {"category": "parking", "text": ""})
    assert "Please say what the suggestion is about" in answer.json()["errors"]["text"][0]


def test_signed_out_callers_get_401(client, db):
    assert post(client, "/suggestions", {"category": "parking", "text": "车棚"}).status_code == 401
    assert client.get("/api/v1/suggestions").status_code == 401
    assert client.get("/api/v1/suggestions/1").status_code == 401


def test_residents_see_only_their_own_and_those_they_support(me, resident, neighbour, xhy, parking, xhy_staff):
    mine = suggestions.submit(area=xhy, category=parking, text="我的建议", resident=resident)
    theirs = suggestions.submit(area=xhy, category=parking, text="邻居的建议", resident=neighbour)
    supported = suggestions.submit(
        area=xhy, category=parking, text="邻居原话：王秀英家门口", place="3号楼", resident=neighbour, public=True
    )
    suggestions.approve_wording(supported, xhy_staff, "车棚门口乱停车")
    supported.followers.add(resident)
    suggestions.note(mine, xhy_staff, "内部备注：住户情绪激动")

    listed = me.get("/api/v1/suggestions").json()
    assert {item["id"] for item in listed["items"]} == {mine.pk, supported.pk}
    [followed] = [item for item in listed["items"] if item["id"] == supported.pk]
    assert (followed["text"], followed["place"], followed["can_rate"]) == ("车棚门口乱停车", "", False)
    assert me.get(f"/api/v1/suggestions/{theirs.pk}").status_code == 404
    assert me.get("/api/v1/suggestions/999999").status_code == 404
    one = me.get(f"/api/v1/suggestions/{mine.pk}").json()
    assert [step["action"] for step in one["history"]] == ["submitted"]
    assert "内部备注" not in json.dumps(one, ensure_ascii=False)


def test_rating_waits_for_the_answer_and_only_the_filer_rates(me, resident, neighbour, xhy, parking, xhy_staff):
    suggestion = suggestions.submit(area=xhy, category=parking, text="车棚", resident=resident)
    suggestion.followers.add(neighbour)
    early = post(me, f"/suggestions/{suggestion.pk}/rating", {"rating": "satisfied"})
    assert early.status_code == 409

    suggestions.accept(suggestion, xhy_staff)
    suggestions.answer(suggestion, xhy_staff, "已增设车棚")
    assert (
        post(client_of(neighbour), f"/suggestions/{suggestion.pk}/rating", {"rating": "satisfied"}).status_code == 404
    )
    assert post(me, f"/suggestions/{suggestion.pk}/rating", {"rating": "great"}).status_code == 400
    rated = post(me, f"/suggestions/{suggestion.pk}/rating", {"rating": "satisfied", "comment": "谢谢"})
    assert rated.status_code == 200, rated.content
    assert rated.json()["status"] == "closed" and rated.json()["can_rate"] is False


def test_the_public_board_shows_the_hosts_area_approved_wording_and_no_names(xhy, wanliu, resident, parking, xhy_staff):
    shown = suggestions.submit(
        area=xhy, category=parking, text="王秀英：5号楼车棚乱停，电话13900000001", resident=resident, public=True
    )
    Suggestion.objects.filter(pk=shown.pk).update(
        public_text="5号楼车棚电动车乱停", public_approved_at=shown.received_at + dt.timedelta(hours=1)
    )
    suggestions.submit(area=xhy, category=parking, text="不公开的建议", resident=resident)  # not allowed
    suggestions.submit(area=xhy, category=parking, text="还没审核", resident=resident, public=True)  # not approved
    theirs = suggestions.submit(area=wanliu, category=parking, text="宛六的建议", public=True)
    Suggestion.objects.filter(pk=theirs.pk).update(public_text="宛六的建议", public_approved_at=theirs.received_at)

    board = Client(HTTP_HOST="localhost").get("/api/v1/suggestions/public").json()
    assert [item["text"] for item in board["items"]] == ["5号楼车棚电动车乱停"]
    assert board["items"][0]["category"] == "停车" and board["items"][0]["number"] == shown.number
    assert "王秀英" not in json.dumps(board, ensure_ascii=False)
    assert "13900000001" not in json.dumps(board)
    there = Client(HTTP_HOST="wanliu.localhost").get("/api/v1/suggestions/public").json()
    assert [item["text"] for item in there["items"]] == ["宛六的建议"]


def test_a_supporter_reads_neither_the_filers_words_nor_a_name_in_the_answer(
    me, resident, neighbour, xhy, parking, xhy_staff
):
    neighbour.last_name, neighbour.first_name = "李", "桂兰"
    neighbour.save()
    theirs = suggestions.submit(area=xhy, category=parking, text="李家门口私装地锁", resident=neighbour, public=True)
    suggestions.approve_wording(theirs, xhy_staff, "某楼门口私装地锁")
    suggestions.follow(theirs, resident)
    suggestions.accept(theirs, xhy_staff)
    suggestions.answer(theirs, xhy_staff, "已请物业拆除，李桂兰阿姨有事请打13912345678")
    suggestions.rate(theirs, neighbour, "unsatisfied", "地锁还在，我是李桂兰")
    suggestions.transfer(theirs, xhy_staff, "城管中队")

    supported = me.get(f"/api/v1/suggestions/{theirs.pk}").json()
    assert supported["answer"] == "已请物业拆除，李*兰阿姨有事请打139****5678"
    assert supported["rating"] == "" and supported["text"] == "某楼门口私装地锁"
    notes = {step["action"]: step["note"] for step in supported["history"]}
    assert notes["transferred"] == "城管中队"  # what the committee said of it
    assert notes["answered"] == notes["rated"] == ""
    listed = json.dumps(me.get("/api/v1/suggestions").json(), ensure_ascii=False)
    for words in ("李桂兰", "13912345678", "地锁还在", "李家门口"):
        assert words not in json.dumps(supported, ensure_ascii=False) and words not in listed, words

    board = Client(HTTP_HOST="localhost").get("/api/v1/suggestions/public").json()
    assert board["items"][0]["answer"] == "已请物业拆除，李*兰阿姨有事请打139****5678"

    filed = client_of(neighbour).get(f"/api/v1/suggestions/{theirs.pk}").json()  # the filer reads it all
    assert filed["answer"] == "已请物业拆除，李桂兰阿姨有事请打13912345678" and filed["rating"] == "unsatisfied"
    notes = {step["action"]: step["note"] for step in filed["history"]}
    assert notes["rated"] == "地锁还在，我是李桂兰" and notes["answered"] == filed["answer"]
