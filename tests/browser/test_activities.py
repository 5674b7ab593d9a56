"""Activities and the staff plan in a real browser (Chromium at 390×844): a resident finds the
qipao group's next rehearsal from the home page in two taps and takes it into a calendar app,
sees who is at the reception desk now, signs up for a pet-care talk and cancels; the index,
the month, an activity page, the staff schedule's day and week and the poster pass axe
(WCAG 2.1 AA) and the elder-friendly size checks, also in large mode."""

import datetime as dt

import pytest
from django.utils import formats, timezone, translation
from icalendar import Calendar

from activities.models import ActivityPage, Occurrence, SignUp
from portal.localtime import at, monday_of
from portal.models import Area
from staff import plans
from staff.models import Duty, ScheduleWeek, Shift, StaffMember
from tests.browser.checks import check_accessibility, check_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INDEX = "/activities/"
QIPAO = "/activities/qipao-group/"
PET_CARE = "/activities/pet-care-talk/"
SCHEDULE = "/staff-schedule/"


def xuhuiyuan():
    return Area.objects.get(slug="xuhuiyuan")


def activity(slug):
    return ActivityPage.objects.get(slug=slug, locale__language_code="zh-hans")


def next_sessions(slug):
    """The activity's sessions still to come that take place, in order."""
    return (
        Occurrence.objects.filter(activity=activity(slug), end__gt=timezone.now())
        .exclude(status=Occurrence.Status.CANCELLED)
        .order_by("start", "pk")
    )


def meets_this_week(slug):
    monday = monday_of(timezone.localdate())
    week = (at(monday, dt.time.min), at(monday + dt.timedelta(days=7), dt.time.min))
    return Occurrence.objects.filter(activity=activity(slug)).between(*week).public().exists()


def day_text(moment):
    """How the pages write a session's day (11月30日 星期一)."""
    local = timezone.localtime(moment)
    with translation.override("zh-hans"):
        return f"{formats.date_format(local, 'MONTH_DAY_FORMAT')} {formats.date_format(local, 'l')}"


def check_page(page, min_text=18, min_target=48):
    check_accessibility(page)
    check_sizes(page, min_text=min_text, min_target=min_target)


def fetch_calendar(page, url):
    response = page.request.get(url)
    assert response.ok, f"{url}: {response.status}"
    assert response.headers["content-type"].startswith("text/calendar"), response.headers["content-type"]
    return Calendar.from_ical(response.body())


def events(calendar):
    return [component for component in calendar.walk() if component.name == "VEVENT"]


def test_a_resident_finds_the_qipao_groups_next_rehearsal_in_two_taps_and_adds_it_to_a_calendar(live_demo, phone):
    rehearsal = next_sessions("qipao-group").first()
    assert rehearsal is not None, "the demo's qipao group has no session to come"
    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.click()
        phone.wait_for_load_state()

    # Through "all activities", this week by day: two taps. (In a week of public holidays the
    # group does not meet, and this week shows none of its sessions: straight to its page then.)
    phone.goto(live_demo.url + "/")
    tap(phone.locator(f"#activities a.button[href='{INDEX}']"))
    assert phone.url == live_demo.url + INDEX
    if meets_this_week("qipao-group"):
        tap(phone.locator(f"main .sessions a[href='{QIPAO}']").first)
        assert phone.url == live_demo.url + QIPAO
        assert taps <= 2, "finding the qipao group's next rehearsal takes more than two taps"
    else:
        phone.goto(live_demo.url + QIPAO)
    assert phone.locator("h1").inner_text() == "旗袍班"

    # The first session listed that takes place is the next rehearsal, with its day and time.
    listed = phone.locator("main .sessions > li.session:not(.session--cancelled)").first
    assert listed.get_attribute("id") == f"session-{rehearsal.pk}"
    when = listed.locator(".session__when").inner_text()
    assert day_text(rehearsal.start) in when
    assert f"{rehearsal.local_start:%H:%M}–{rehearsal.local_end:%H:%M}" in when

    # "Add to calendar" on the session: one event in Shanghai time.
    add = listed.locator(f"a[href='{QIPAO}sessions/{rehearsal.pk}/calendar/']")
    assert add.is_visible()
    calendar = fetch_calendar(phone, live_demo.url + add.get_attribute("href"))
    (event,) = events(calendar)
    assert "旗袍班" in str(event["SUMMARY"])
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["DTSTART"].dt == timezone.localtime(rehearsal.start)
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]

    # Subscribing to every session: a feed with the next rehearsal among its events.
    subscribe = phone.locator(f"main a[href='{QIPAO}calendar/']")
    assert subscribe.is_visible()
    calendar = fetch_calendar(phone, live_demo.url + subscribe.get_attribute("href"))
    found = events(calendar)
    assert found and all("旗袍班" in str(event["SUMMARY"]) for event in found)
    assert {event["DTSTART"].params["TZID"] for event in found} == {"Asia/Shanghai"}
    assert rehearsal.uid in {str(event["UID"]) for event in found}
    assert "Asia/Shanghai" in {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}

    # When a rehearsal is among the next sessions on the home page, it is one tap away.
    phone.goto(live_demo.url + "/")
    coming_up = phone.locator(f"#activities .sessions a[href='{QIPAO}']")
    if coming_up.count():
        coming_up.first.click()
        phone.wait_for_url(live_demo.url + QIPAO)


def duty_expectation(area):
    """What #duty should say about reception now: (staff names at a desk, when it opens)."""
    reception = plans.on_duty(area)
    names = sorted(desk.shift.staff.name for desk in reception.desks if desk.shift)
    opens = timezone.localtime(reception.opens_at).strftime("%H:%M") if reception.opens_at else None
    return names, opens


def check_duty(page, area):
    before = duty_expectation(area)
    page.reload()
    after = duty_expectation(area)
    duty = page.locator("#duty")
    text = duty.inner_text()
    assert "现在在接待台" in text or "At the reception desk now" in text
    # A shift may start or end between the two looks; the page then shows one of them.
    assert any(
        (names and all(name in duty.locator(".duty-now").inner_text() for name in names))
        or (not names and opens and opens in duty.locator(".duty-now__closed").inner_text())
        for names, opens in (before, after)
    ), f"#duty does not show who is on duty {before} / {after}: {text}"
    return text


def test_the_home_page_shows_who_is_on_reception_duty_now_or_when_it_opens(live_demo, phone):
    area = xuhuiyuan()
    phone.goto(live_demo.url + "/")
    names, opens = duty_expectation(area)
    assert names or opens, "the demo publishes no reception duty for the coming days"
    text = check_duty(phone, area)
    if not names:
        assert "接待台现在无人值班" in text or "Nobody is at the reception desk right now" in text

    # Whatever the time: a reception shift that covers now puts its staff member on the card.
    now = timezone.now()
    if not names:
        member = StaffMember.objects.filter(area=area, active=True).order_by("sort_order").first()
        start = max(now - dt.timedelta(minutes=30), at(timezone.localdate(), dt.time.min))  # in this week
        week = ScheduleWeek.objects.get(area=area, monday=monday_of(timezone.localtime(start).date()))
        assert week.published_at, "the demo does not publish this week's staff plan"
        Shift.objects.create(
            week=week, staff=member, duty=Duty.RECEPTION, desk=1, start=start, end=now + dt.timedelta(hours=1)
        )
        names, _opens = duty_expectation(area)
        assert names == [member.name]
    text = check_duty(phone, area)
    until = [timezone.localtime(desk.until).strftime("%H:%M") for desk in plans.on_duty(area).desks if desk.shift]
    assert all(time in phone.locator("#duty .duty-now").inner_text() for time in until)
    # Today's plan of every staff member working today, and the way to the whole plan.
    for row in plans.day_plan(area, timezone.localdate()).working:
        assert row.staff.name in phone.locator("#duty .duty-today").inner_text()
    assert phone.locator(f"#duty a[href='{SCHEDULE}']").is_visible()


def this_monday():
    return monday_of(timezone.localdate())


def working_day():
    """Today, or the next day with a published plan (a holiday has none): a day page with shifts."""
    shift = Shift.objects.published().filter(week__area=xuhuiyuan(), end__gt=at(timezone.localdate(), dt.time.min))
    first = shift.order_by("start").first()
    return first.local_start.date() if first else timezone.localdate()


@pytest.mark.parametrize(
    "path",
    [
        lambda: INDEX,
        lambda: f"{INDEX}month/",
        lambda: f"{INDEX}week/{this_monday() + dt.timedelta(days=7)}/",
        lambda: f"{INDEX}list/",
        lambda: QIPAO,
        lambda: PET_CARE,
        lambda: SCHEDULE if working_day() == timezone.localdate() else f"{SCHEDULE}{working_day()}/",
        lambda: f"{SCHEDULE}week/{monday_of(working_day())}/",
    ],
    ids=["index", "month", "next-week", "list", "qipao", "pet-care", "schedule-day", "schedule-week"],
)
def test_activity_and_schedule_pages_are_accessible_and_elder_friendly(live_demo, phone, path):
    response = phone.goto(live_demo.url + path())
    assert response.status == 200
    # Something to check: a week of public holidays may have no sessions, but the demo's month does.
    assert phone.locator("main .session, main .shift, main .session-day__none").count()
    check_page(phone)


@pytest.mark.parametrize("week", [False, True], ids=["day", "week"])
def test_the_poster_is_accessible_on_screen(live_demo, phone, week):
    day = working_day()
    path = f"{SCHEDULE}poster/week/{monday_of(day)}/" if week else f"{SCHEDULE}poster/{day}/"
    response = phone.goto(live_demo.url + path)
    assert response.status == 200
    assert phone.locator(".poster__qr svg").is_visible()
    assert phone.locator(".poster__table").is_visible()
    # Made for paper, but read on a phone too before it is printed.
    check_page(phone)


def test_activity_pages_in_large_mode(live_demo, phone):
    phone.goto(live_demo.url + f"/large-mode/?on=1&next={INDEX}")
    assert phone.url == live_demo.url + INDEX
    assert phone.locator("html").get_attribute("class") == "large"
    check_page(phone, min_text=22, min_target=60)
    phone.goto(live_demo.url + QIPAO)
    check_page(phone, min_text=22, min_target=60)
    phone.goto(live_demo.url + SCHEDULE)
    check_page(phone, min_text=22, min_target=60)


def places(session):
    return int("".join(ch for ch in session.locator(".session__places").inner_text() if ch.isdigit()))


def test_a_resident_signs_up_for_a_pet_care_talk_and_cancels(live_demo, phone):
    talk = activity("pet-care-talk")
    assert talk.signup_required and talk.capacity
    phone.goto(live_demo.url + PET_CARE)
    # Not signed in: each open session offers to sign in first.
    sign_in = phone.locator("main .sessions > li.session a.button[href*='/accounts/login/']")
    assert sign_in.count()
    chosen = sign_in.first.locator("xpath=ancestor::li[contains(@class, 'session')]").get_attribute("id")
    pk = int(chosen.removeprefix("session-"))
    session = phone.locator(f"#{chosen}")
    before = places(session)
    check_page(phone)

    sign_in.first.click()
    phone.wait_for_load_state()
    assert "/accounts/login/" in phone.url
    phone.get_by_label("手机号码").fill("13900000012")
    phone.get_by_label("密码").fill("portal-demo")
    phone.get_by_role("button", name="继续").click()
    phone.wait_for_url(live_demo.url + PET_CARE)

    with phone.expect_navigation(url=live_demo.url + PET_CARE):  # back to the same address
        session.locator(f"form[action='{PET_CARE}sessions/{pk}/sign-up/'] button").click()
    message = phone.locator("main .messages").inner_text()
    assert "宠物知识普及" in message
    assert "报名成功" in message or "You are signed up" in message
    assert session.locator(".status--confirmed").is_visible()
    assert places(session) == before - 1
    check_page(phone)
    signup = SignUp.objects.get(occurrence_id=pk, resident__phone="+8613900000012")
    assert signup.status == SignUp.Status.ACTIVE

    phone.locator(f"main a[href='{INDEX}my-signups/']").first.click()
    phone.wait_for_url(live_demo.url + f"{INDEX}my-signups/")
    mine = phone.locator("main .sessions").first
    assert "宠物知识普及" in mine.inner_text()
    occurrence = Occurrence.objects.get(pk=pk)
    assert day_text(occurrence.start) in mine.inner_text()
    check_page(phone)

    with phone.expect_navigation(url=live_demo.url + f"{INDEX}my-signups/"):
        mine.locator(f"form[action='{PET_CARE}sessions/{pk}/cancel-sign-up/'] button").click()
    message = phone.locator("main .messages").inner_text()
    assert "宠物知识普及" in message
    assert "取消" in message or "cancelled" in message
    assert f"{PET_CARE}sessions/{pk}/cancel-sign-up/" not in phone.content()
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CANCELLED

    phone.goto(live_demo.url + PET_CARE)
    assert places(session) == before
    assert session.locator(f"form[action='{PET_CARE}sessions/{pk}/sign-up/'] button").is_visible()
