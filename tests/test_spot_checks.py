"""The quarterly spot checks (outreach/spotchecks.py, outreach/workbook.py, the admin's "Spot
checks" and `manage.py spot_check`): a reproducible, locked sample of each staff member's
records, marked by the supervisor, exported masked, read by the area's own lead and staff only."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from outreach import spotchecks
from outreach.models import RecordAccess, SpotCheck, SpotCheckItem
from portal.dates import Quarter
from portal.localtime import at, local_day
from portal.models import Building
from portal.refusals import Refused
from tests.factories import LeadUserFactory, ReceptionCaseFactory, StaffUserFactory, VisitFactory
from tests.helpers import client_for

Verdict = SpotCheckItem.Verdict
SENSITIVE = "糖尿病，每日注射胰岛素"


def last_quarter():
    """The quarter before the clock's: the one a check is drawn for."""
    return Quarter.of(local_day(timezone.now())).previous


def in_quarter(quarter, day, hour=10):
    return at(quarter.first + dt.timedelta(days=day), dt.time(hour))


def records(staff, quarter, visits=0, cases=0):
    """The staff member's visits and cases of the quarter, a day apart, in that order."""
    building = Building.objects.of_area(staff.area).first()
    made = [VisitFactory(staff=staff, at=in_quarter(quarter, day)) for day in range(visits)]
    made += [
        ReceptionCaseFactory(staff=staff, building=building, at=in_quarter(quarter, 40 + day)) for day in range(cases)
    ]
    return made


def second_staff(area):
    return StaffUserFactory(area=area, username=f"{area.slug}-zhang", last_name="张", first_name="晓燕")


@pytest.fixture
def quarter(clock):
    return last_quarter()


@pytest.fixture
def staffed(xhy, xhy_staff, quarter):
    """徐汇苑 last quarter: 顾文静 with 5 visits and 3 reception cases, 张晓燕 with 2 visits."""
    zhang = second_staff(xhy)
    records(xhy_staff, quarter, visits=5, cases=3)
    records(zhang, quarter, visits=2)
    return xhy_staff, zhang


@pytest.fixture
def household(xhy_staff, quarter):
    """张建明's home visit in 徐汇苑 last quarter: 138 1234 5678, flat 1201室, a sensitive detail."""
    return VisitFactory(
        staff=xhy_staff,
        at=in_quarter(quarter, 3),
        household_name="张建明",
        household_phone="13812345678",
        room_number="1201室",
        sensitive=SENSITIVE,
        sensitive_consent_at=timezone.now(),
    )


def signature(check):
    """A check's sample without ids: whose, which kind, when."""
    return [(item.staff.first_name, "visit" if item.visit_id else "case", item.record.at) for item in check.items.all()]


def test_the_same_seed_draws_the_same_sample_from_the_same_records(xhy, wanliu, xhy_staff, wanliu_staff, quarter):
    # Two identical data sets, one in each area: the same staff and records in the same order.
    for area, first in ((xhy, xhy_staff), (wanliu, wanliu_staff)):
        first.first_name = "文静"
        first.save()
        records(first, quarter, visits=5, cases=3)
        records(second_staff(area), quarter, visits=4, cases=2)
    xhy_check, drawn = spotchecks.draw(xhy, str(quarter), 3, seed=7)
    wanliu_check, _drawn = spotchecks.draw(wanliu, str(quarter), 3, seed=7)
    assert drawn and xhy_check.seed == 7
    assert signature(xhy_check) == signature(wanliu_check)
    assert len(signature(xhy_check)) == 6
    # Drawn again by hand from what was stored, it is the same sample.
    stored = [(item.staff_id, "visit" if item.visit_id else "case", item.record.pk) for item in xhy_check.items.all()]
    assert spotchecks.sample(xhy_check.candidates, 3, xhy_check.seed) == stored
    # Other seeds draw other samples.
    assert len({tuple(spotchecks.sample(xhy_check.candidates, 3, seed)) for seed in range(10)}) > 1


def test_a_drawn_check_is_locked(xhy, staffed, quarter):
    check, drawn = spotchecks.draw(xhy, quarter, 3, seed=7)
    sample = list(check.items.values_list("pk", "visit_id", "case_id"))
    again, drawn_again = spotchecks.draw(xhy, str(quarter), 5, seed=8)
    assert drawn and not drawn_again
    assert again.pk == check.pk and again.seed == 7 and again.per_staff == 3
    assert list(again.items.values_list("pk", "visit_id", "case_id")) == sample
    assert SpotCheck.objects.count() == 1


def test_two_supervisors_drawing_at_once_get_one_check(xhy, staffed, quarter, monkeypatch):
    looked_up = spotchecks.candidates

    def while_another_draws(area, quarter):
        found = looked_up(area, quarter)
        SpotCheck.objects.create(area=area, quarter=str(quarter), per_staff=2, seed=99, candidates=found)
        return found

    monkeypatch.setattr(spotchecks, "candidates", while_another_draws)
    check, drawn = spotchecks.draw(xhy, quarter, 3, seed=7)
    assert not drawn and check.seed == 99
    assert SpotCheck.objects.count() == 1


def test_each_staff_member_gets_the_size_or_all_they_have(xhy, staffed, quarter):
    gu, zhang = staffed
    check, _drawn = spotchecks.draw(xhy, quarter, 3, seed=11)
    assert check.items.filter(staff=gu).count() == 3
    assert check.items.filter(staff=zhang).count() == 2  # fewer than 3: all of them
    assert check.candidates[str(zhang.pk)]["case"] == []
    assert len(check.candidates[str(gu.pk)]["visit"]) == 5
    assert [item.position for item in check.items.all()] == [1, 2, 3, 4, 5]


def test_records_checked_in_the_last_year_are_left_out(xhy, xhy_staff, quarter, clock):
    recent, long_ago, fresh = records(xhy_staff, quarter, visits=3)
    # Sampled before their dates were corrected into this quarter: one by last quarter's check,
    # one by a check drawn more than a year ago.
    for label, record, days in (("earlier", recent, 100), ("old", long_ago, 400)):
        earlier = SpotCheck.objects.create(
            area=xhy,
            quarter=str(Quarter(1990 if label == "old" else 1991, 1)),
            seed=1,
            drawn_at=timezone.now() - dt.timedelta(days=days),
        )
        SpotCheckItem.objects.create(spot_check=earlier, staff=xhy_staff, visit=record)
    check, _drawn = spotchecks.draw(xhy, quarter, 5, seed=3)
    assert {item.visit_id for item in check.items.all()} == {long_ago.pk, fresh.pk}


def test_a_quarter_that_is_not_over_or_has_no_records_is_not_drawn(xhy, staffed, quarter):
    with pytest.raises(Refused) as running:
        spotchecks.draw(xhy, Quarter.of(local_day(timezone.now())), 3)
    assert "quarter" in running.value.errors
    with pytest.raises(Refused) as empty:
        spotchecks.draw(xhy, quarter.previous, 3)
    assert empty.value.status == 409
    with pytest.raises(Refused) as typed:
        spotchecks.draw(xhy, "2026Q5", 3)
    assert "2026Q5" in typed.value.errors["quarter"][0]
    assert not SpotCheck.objects.exists()


def test_marking_rules(xhy, staffed, quarter, supervisor, xhy_staff):
    check, _drawn = spotchecks.draw(xhy, quarter, 1, seed=5, by=supervisor)
    first, second = check.items.all()
    with pytest.raises(Refused) as no_finding:
        spotchecks.mark(first, supervisor, Verdict.PROBLEM, finding="  ")
    assert "finding" in no_finding.value.errors
    with pytest.raises(Refused) as unknown:
        spotchecks.mark(first, supervisor, "maybe")
    assert "verdict" in unknown.value.errors
    lead = LeadUserFactory(area=xhy, username="xhy-lead")
    for someone in (xhy_staff, lead):
        with pytest.raises(Refused) as not_theirs:
            spotchecks.mark(first, someone, Verdict.CONFIRMED)
        assert not_theirs.value.status == 403
    first.refresh_from_db()
    assert first.verdict == "" and first.checked_by is None

    spotchecks.mark(first, supervisor, Verdict.PROBLEM, finding="走访时间与值班表不符")
    with pytest.raises(Refused) as unfinished:
        spotchecks.finish(check, supervisor)
    assert unfinished.value.status == 409
    marked = spotchecks.mark(second, supervisor, Verdict.UNVERIFIABLE, callback_result="电话无人接听")
    assert marked.called_back and marked.checked_by == supervisor
    assert spotchecks.finish(check, supervisor).finished_at is not None
    with pytest.raises(Refused) as finished:
        spotchecks.mark(second, supervisor, Verdict.CONFIRMED)
    assert finished.value.status == 409
    assert SpotCheckItem.objects.get(pk=second.pk).verdict == Verdict.UNVERIFIABLE


def all_text(book):
    return "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row if value
    )


def test_the_workbook_is_masked_and_has_a_sheet_per_staff_member(
    xhy, staffed, household, quarter, supervisor, xhy_staff
):
    gu, zhang = staffed
    check, _drawn = spotchecks.draw(xhy, quarter, 20, seed=1, by=supervisor)
    item = check.items.get(visit=household)
    spotchecks.mark(item, supervisor, Verdict.PROBLEM, finding="张建明说没人来过，他的电话13812345678")
    book = openpyxl.load_workbook(io.BytesIO(spotchecks.export(check, supervisor)))

    assert book.sheetnames == [gettext("Sampled records"), "顾文静", "张晓燕"]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + check.items.count()
    found = next(row for row in rows if "张*明" in row)
    assert "138****5678" in found and household.building.name in found
    assert "张*明说没人来过，他的电话138****5678" in found
    text = all_text(book)
    assert "张建明" not in text and "13812345678" not in text
    assert "1201室" not in text and "室" not in text  # buildings only, never a flat
    assert SENSITIVE not in text and "胰岛素" not in text
    assert household.found not in text
    summary = list(book["顾文静"].iter_rows(values_only=True))
    assert (9, 0, 1, 0, 8) in [row[:5] for row in summary]  # 5 visits, 3 cases and 张建明: one problem so far
    # The export is logged for every record in it.
    exported = RecordAccess.objects.filter(action=RecordAccess.Action.EXPORTED, by=supervisor)
    assert exported.count() == check.items.count()
    assert exported.filter(visit=household).exists()


def test_the_command_draws_prints_and_exports(xhy, staffed, quarter, tmp_path):
    target = tmp_path / "check.xlsx"
    out = io.StringIO()
    arguments = ["--area", "xuhuiyuan", "--quarter", str(quarter), "--per-staff", "3"]
    call_command("spot_check", *arguments, "--seed", "7", "--export", str(target), stdout=out)
    check = SpotCheck.objects.get()
    assert check.seed == 7 and check.per_staff == 3
    printed = out.getvalue()
    assert str(check) in printed and "顾文静" in printed and "138****" in printed
    assert "室" not in printed
    book = openpyxl.load_workbook(target)
    assert len(book.sheetnames) == 3
    assert RecordAccess.objects.filter(action=RecordAccess.Action.EXPORTED, by=None).count() == 5
    assert RecordAccess.objects.filter(action=RecordAccess.Action.VIEWED, by=None).count() == 5  # printed

    # Drawn again (another seed): the locked check, as drawn, and saying so.
    again = io.StringIO()
    call_command("spot_check", *arguments, "--seed", "8", stdout=again)
    assert SpotCheck.objects.get().seed == 7
    assert "--seed" in again.getvalue() and "7" in again.getvalue()
    assert again.getvalue().splitlines()[1:] == printed.splitlines()[1:6]


def test_the_command_without_a_seed_stores_the_one_it_chose(wanliu, wanliu_staff, quarter):
    records(wanliu_staff, quarter, visits=2)
    call_command("spot_check", "--area", "wanliu", "--quarter", str(quarter), stdout=io.StringIO())
    check = SpotCheck.objects.get()
    assert check.per_staff == 3 and check.seed is not None
    assert spotchecks.sample(check.candidates, 3, check.seed) == [
        (item.staff_id, "visit", item.visit_id) for item in check.items.all()
    ]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--area", "nowhere", "--quarter", "2026Q1"], "nowhere"),
        (["--area", "xuhuiyuan", "--quarter", "2026Q5"], "2026Q5"),
        (["--area", "xuhuiyuan", "--quarter", "last"], "last"),
        (["--area", "xuhuiyuan", "--quarter", "0000Q1"], "0000Q1"),
    ],
)
def test_the_command_names_a_bad_area_or_quarter(xhy, arguments, named):
    with pytest.raises(CommandError) as error:
        call_command("spot_check", *arguments, stdout=io.StringIO())
    assert named in str(error.value)
    assert not SpotCheck.objects.exists()


# The admin


def check_url(check):
    return reverse("spot_checks:check", args=[check.pk])


def workbook_url(check):
    return reverse("spot_checks:workbook", args=[check.pk])


@pytest.fixture
def finished(xhy, staffed, household, quarter, supervisor):
    """徐汇苑's check of last quarter, every record marked true, finished."""
    check, _drawn = spotchecks.draw(xhy, quarter, 20, seed=2, by=supervisor)
    for item in check.items.all():
        spotchecks.mark(item, supervisor, Verdict.CONFIRMED)
    return spotchecks.finish(check, supervisor)


def test_a_supervisor_draws_marks_and_finishes_in_the_admin(xhy, staffed, household, quarter, supervisor):
    admin = client_for(supervisor)
    form = admin.get(reverse("spot_checks:draw"))
    assert form.status_code == 200 and str(quarter) in form.content.decode()  # the previous quarter
    typed = admin.post(reverse("spot_checks:draw"), {"area": xhy.pk, "quarter": "2026 Q9", "per_staff": "三"})
    assert typed.status_code == 400
    assert "“2026 Q9”" in typed.content.decode() and 'value="三"' in typed.content.decode()
    drawn = admin.post(
        reverse("spot_checks:draw"), {"area": xhy.pk, "quarter": str(quarter), "per_staff": 20, "seed": 4}
    )
    check = SpotCheck.objects.get()
    assert drawn.status_code == 302 and drawn["Location"] == check_url(check)
    assert check.seed == 4 and check.drawn_by == supervisor

    page = admin.get(check_url(check))
    html = page.content.decode()
    assert "张*明" in html and "138****5678" in html
    assert "张建明" not in html and "1201室" not in html and SENSITIVE not in html
    assert RecordAccess.objects.filter(action=RecordAccess.Action.VIEWED, by=supervisor, visit=household).exists()

    item = check.items.get(visit=household)
    mark = reverse("spot_checks:mark", args=[check.pk, item.pk])
    prefix = f"item-{item.pk}"
    refused = admin.post(mark, {f"{prefix}-verdict": "problem", f"{prefix}-callback_result": "没人来过"})
    assert refused.status_code == 400 and "没人来过" in refused.content.decode()
    assert SpotCheckItem.objects.get(pk=item.pk).verdict == ""
    admin.post(mark, {f"{prefix}-verdict": "problem", f"{prefix}-finding": "住户说没人来过"})
    assert SpotCheckItem.objects.get(pk=item.pk).finding == "住户说没人来过"

    admin.post(reverse("spot_checks:finish", args=[check.pk]))
    assert SpotCheck.objects.get().finished_at is None  # not every record is marked
    for other in check.items.exclude(pk=item.pk):
        spotchecks.mark(other, supervisor, Verdict.CONFIRMED)
    admin.post(reverse("spot_checks:finish", args=[check.pk]))
    assert SpotCheck.objects.get().finished_at is not None

    again = admin.post(reverse("spot_checks:draw"), {"area": xhy.pk, "quarter": str(quarter), "per_staff": 1})
    assert again["Location"] == check_url(check) and SpotCheck.objects.count() == 1


def test_the_checker_gets_a_households_whole_number_to_call_back_and_that_is_logged(
    xhy, staffed, household, quarter, supervisor
):
    check, _drawn_now = spotchecks.draw(xhy, quarter, per_staff=20, seed=4, by=supervisor)
    item = check.items.get(visit=household)
    number = reverse("spot_checks:callback_number", args=[check.pk, item.pk])

    page = client_for(supervisor).post(number).content.decode()

    assert f'href="tel:{household.household_phone}"' in page
    assert "13800138" not in page  # the other sampled households' numbers (factories') stay masked
    with translation.override("zh-hans"):
        note = gettext("number shown for a callback")
    shown = RecordAccess.objects.filter(visit=household, by=supervisor, note=note)
    assert shown.count() == 1


def test_the_areas_lead_reads_and_downloads_their_own_check(xhy, finished, xhy_staff):
    lead = LeadUserFactory(area=xhy, username="xhy-lead")
    reader = client_for(lead)
    assert str(finished.quarter) in reader.get(reverse("spot_checks:index")).content.decode()
    page = reader.get(check_url(finished))
    assert page.status_code == 200 and "张*明" in page.content.decode()
    assert reverse("spot_checks:mark", args=[finished.pk, finished.items.first().pk]) not in page.content.decode()
    download = reader.get(workbook_url(finished))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"] or "no-cache" in download["Cache-Control"]
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert "138****5678" in all_text(book)
    exported = RecordAccess.objects.filter(action=RecordAccess.Action.EXPORTED, by=lead)
    assert exported.count() == finished.items.count()
    # Marks are the supervisor's.
    item = finished.items.first()
    reader.post(reverse("spot_checks:mark", args=[finished.pk, item.pk]), {f"item-{item.pk}-verdict": "problem"})
    assert SpotCheckItem.objects.get(pk=item.pk).verdict == Verdict.CONFIRMED


def test_staff_read_their_own_records_of_a_finished_check(finished, staffed):
    gu, zhang = staffed
    page = client_for(zhang).get(check_url(finished)).content.decode()
    assert "张晓燕" in page and "顾文静" not in page and "张*明" not in page
    assert client_for(zhang).get(workbook_url(finished)).status_code == 404


def test_a_check_being_marked_stays_with_the_supervisor(xhy, staffed, quarter, supervisor):
    check, _drawn = spotchecks.draw(xhy, quarter, 3, seed=1, by=supervisor)
    lead = LeadUserFactory(area=xhy, username="xhy-lead")
    for reader in (lead, staffed[0]):
        client = client_for(reader)
        assert client.get(check_url(check)).status_code == 404
        assert str(check.quarter) not in client.get(reverse("spot_checks:index")).content.decode()


def test_nobody_else_sees_or_downloads_a_check(finished, wanliu, wanliu_staff, resident):
    others = [client_for(wanliu_staff), client_for(LeadUserFactory(area=wanliu, username="wl-lead"))]
    for other in others:
        assert other.get(check_url(finished)).status_code == 404
        assert other.get(workbook_url(finished)).status_code == 404
        assert "徐汇苑" not in other.get(reverse("spot_checks:index")).content.decode()
        assert other.get(reverse("spot_checks:draw")).status_code == 302  # Wagtail's "no permission"
    for outsider in (client_for(resident), Client()):
        for url in (check_url(finished), workbook_url(finished), reverse("spot_checks:index")):
            response = outsider.get(url)
            assert response.status_code == 302, url  # to the dashboard or to sign in
            assert "张*明" not in response.content.decode()
    assert not RecordAccess.objects.exclude(by__username="supervisor").exists()


def test_a_finding_typed_like_a_formula_is_text_in_the_workbook(xhy, staffed, household, quarter, supervisor):
    check, _drawn_now = spotchecks.draw(xhy, quarter, per_staff=20, seed=4, by=supervisor)
    item = check.items.get(visit=household)
    spotchecks.mark(item, supervisor, Verdict.PROBLEM, finding='=HYPERLINK("http://example.com")')

    book = openpyxl.load_workbook(io.BytesIO(spotchecks.export(check, supervisor)))

    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert any(str(cell.value).startswith("'=HYPERLINK") for cell in cells)
