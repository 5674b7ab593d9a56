"""Similar suggestions offered before filing (outreach/similar.py), and supporting one instead."""

from outreach import suggestions
from outreach.models import Suggestion
from outreach.similar import similar
from tests.helpers import client_for


def on_board(area, category, wording, **fields):
    suggestion = suggestions.submit(area=area, category=category, text=f"原话：{wording}", public=True, **fields)
    return suggestions.approve_wording(suggestion, None, wording)


def test_open_suggestions_on_the_board_sharing_words_are_offered_closest_first(xhy, wanliu, parking, xhy_staff):
    bikes = on_board(xhy, parking, "5号楼车棚电动车乱停，堵住消防通道")
    chargers = on_board(xhy, parking, "希望车棚增加电动车充电桩")
    on_board(xhy, parking, "小区绿化带杂草太多")
    private = suggestions.submit(area=xhy, category=parking, text="车棚电动车乱停", public=False)
    done = on_board(xhy, parking, "车棚电动车乱停")
    suggestions.reject(done, xhy_staff, "重复")
    on_board(wanliu, parking, "车棚电动车乱停")

    offered = similar(xhy, "车棚里电动车乱停乱放", parking)
    assert offered[:1] == [bikes]
    assert chargers in offered
    assert private not in offered and done not in offered
    assert all(suggestion.area == xhy for suggestion in offered)
    assert similar(xhy, "？？？") == [] and similar(xhy, "") == []


def test_the_form_offers_them_and_the_resident_supports_one(resident, xhy, parking):
    bikes = on_board(xhy, parking, "5号楼车棚电动车乱停")
    me = client_for(resident)
    typed = {"category": parking.pk, "text": "车棚电动车乱停，没法推车"}
    offered = me.post("/suggestions/new/", typed)
    html = offered.content.decode()
    assert offered.status_code == 200 and bikes.number in html and "没法推车" in html
    assert Suggestion.objects.count() == 1  # nothing filed yet

    supported = me.post(f"/suggestions/{bikes.pk}/support/")
    assert supported.status_code == 302
    assert list(bikes.followers.all()) == [resident]
    assert bikes.number in me.get("/suggestions/mine/").content.decode()
    page = me.get(f"/suggestions/{bikes.pk}/").content.decode()
    assert "5号楼车棚电动车乱停" in page and "原话" not in page  # the board's wording, never the filer's own


def test_sending_anyway_files_it(resident, xhy, parking):
    on_board(xhy, parking, "5号楼车棚电动车乱停")
    me = client_for(resident)
    sent = me.post("/suggestions/new/", {"category": parking.pk, "text": "车棚电动车乱停", "send_anyway": "1"})
    assert sent.status_code == 302
    assert Suggestion.objects.filter(resident=resident).count() == 1
