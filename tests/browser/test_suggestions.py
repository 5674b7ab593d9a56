"""Suggestions in a real browser (Chromium at 390×844, Chinese): a resident signs in, starts a
parking suggestion, is offered the neighbours' similar ones from the board, sends theirs anyway
and sees its number and due dates, then finds it under "my suggestions"; the form, the offer, the
suggestion, the list and the public board pass axe (WCAG 2.1 AA) and the elder-friendly sizes,
also in large mode. `make screenshots` takes the board for the README."""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from outreach import suggestions
from outreach.models import Suggestion, SuggestionCategory
from portal.localtime import at
from portal.models import Area, User
from tests.browser.checks import check_accessibility, check_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOTS")


def zh(msgid, **values):
    """What the Chinese pages say for `msgid`."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid) % values if values else translation.gettext(msgid)


def day(value):
    """A date as the Chinese pages write it without the year (MONTH_DAY_FORMAT)."""
    return f"{value.month}月{value.day}日"


def check_page(page, large):
    check_accessibility(page)
    check_sizes(page, min_text=22 if large else 18, min_target=60 if large else 48)


def on_board(category, text, wording, by=None):
    """A neighbour's suggestion of 徐汇苑, on its board in the wording staff approved."""
    suggestion = suggestions.submit(
        area=Area.objects.get(slug="xuhuiyuan"),
        category=category,
        text=text,
        resident=User.objects.get(phone="+8613900000002"),
        public=True,
    )
    return suggestions.approve_wording(suggestion, by, wording)


def without_the_demos_suggestions():
    """The demo files a quarter of suggestions; these tests count what they file themselves."""
    Suggestion.objects.all().delete()


@pytest.fixture
def board(live_demo):
    """徐汇苑's board: an open parking suggestion like the one the resident is about to make, one
    answered and rated, and one not accepted (the demo's own suggestions removed)."""
    without_the_demos_suggestions()
    staff = User.objects.get(username="xhy-staff")
    parking = SuggestionCategory.objects.get(slug="parking")
    safety = SuggestionCategory.objects.get(slug="safety")
    neighbours = SuggestionCategory.objects.get(slug="neighbours")
    bikes = on_board(parking, "王桂兰：5号楼车棚电动车乱停，堵住消防通道", "5号楼车棚电动车乱停，堵住消防通道", staff)
    lights = on_board(safety, "3号楼前路灯不亮，晚上看不清台阶", "3号楼前路灯不亮，晚上看不清台阶", staff)
    suggestions.accept(lights, staff)
    suggestions.answer(lights, staff, "物业已更换灯泡，并在台阶边贴了反光条。")
    suggestions.rate(lights, lights.resident, "satisfied")
    square = on_board(neighbours, "广场舞音乐太吵", "晚上广场舞音响声音太大", staff)
    suggestions.reject(square, staff, "已转交街道文体中心协调活动时间")
    return {"bikes": bikes, "lights": lights, "square": square}


@pytest.fixture
def full_board(board):
    """The board with a second page: twenty more neighbours' suggestions, received after the three."""
    other = SuggestionCategory.objects.get(slug="other")
    for number in range(1, 21):
        on_board(other, f"第{number}条建议", f"希望第{number}号楼门口加装扶手")
    return board


def open_page(page, server, path, large):
    """Open `path`, in large mode (长辈模式, switched on by its link's address) when asked."""
    if large:
        page.goto(server.url + "/large-mode/?" + urlencode({"on": 1, "next": path}))
    else:
        page.goto(server.url + path)
    assert page.locator("html").get_attribute("class") == ("large" if large else None)


def sign_in(page, server):
    """The sign-in page, then on to the suggestion form."""
    assert "/accounts/login/" in page.url
    page.get_by_label("手机号码").fill("13900000001")
    page.get_by_label("密码").fill("portal-demo")
    page.get_by_role("button", name="继续").click()
    page.wait_for_url(f"{server.url}/suggestions/new/")


def go(page, locator):
    locator.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_a_resident_files_a_parking_suggestion_and_follows_it(board, live_demo, phone, large):
    open_page(phone, live_demo, "/accounts/login/?" + urlencode({"next": "/suggestions/new/"}), large)
    sign_in(phone, live_demo)
    expect(phone.locator("h1")).to_have_text(zh("Make a suggestion"))
    check_page(phone, large)

    phone.get_by_label("停车").check()
    phone.get_by_label(zh("Your suggestion")).fill("车棚里电动车乱停乱放，老人推车进不去")
    phone.get_by_label(zh("Where")).fill("5号楼东侧车棚")
    phone.get_by_label(zh("Staff may show it on the public board (without my name or number)")).check()
    go(phone, phone.get_by_role("button", name=zh("Send the suggestion")))

    # Nothing filed yet: the neighbours' similar suggestion is offered, in its approved wording,
    # and what was typed is still there.
    offered = phone.locator("section[aria-labelledby=similar-heading]")
    expect(offered.get_by_role("heading", level=2)).to_have_text(zh("Is it one of these?"))
    expect(offered.locator(".booking")).to_have_count(1)
    expect(offered).to_contain_text(board["bikes"].number)
    expect(offered).to_contain_text("5号楼车棚电动车乱停，堵住消防通道")
    expect(offered).not_to_contain_text("王桂兰")
    expect(phone.get_by_label(zh("Where"))).to_have_value("5号楼东侧车棚")
    assert not Suggestion.objects.filter(resident__phone="+8613900000001").exists()
    check_page(phone, large)

    go(phone, phone.get_by_role("button", name=zh("Send mine anyway")))
    mine = Suggestion.objects.get(resident__phone="+8613900000001")
    assert phone.url == f"{live_demo.url}/suggestions/{mine.pk}/"
    expect(phone.locator(".messages")).to_contain_text(mine.number)
    expect(phone.locator("h1")).to_contain_text(mine.number)
    details = phone.locator("main dl")
    expect(details).to_contain_text(day(mine.accept_due))
    expect(details).to_contain_text(day(mine.answer_due))
    expect(details).to_contain_text(zh("Submitted"))
    check_page(phone, large)

    go(phone, phone.get_by_role("link", name=zh("My suggestions")).first)
    assert phone.url == f"{live_demo.url}/suggestions/mine/"
    listed = phone.locator("main .booking")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(mine.number)
    expect(listed).to_contain_text(zh("answer by %(day)s", day=day(mine.answer_due)))
    check_page(phone, large)

    # Staff answer it: the resident reads the answer and is asked whether it helped.
    staff = User.objects.get(username="xhy-staff")
    suggestions.accept(mine, staff)
    suggestions.answer(mine, staff, "已请物业在5号楼东侧车棚划线，并安排专人每天整理。")
    go(phone, listed.get_by_role("link"))
    expect(phone.locator("main dl")).to_contain_text("已请物业在5号楼东侧车棚划线")
    rating = phone.locator("section[aria-labelledby=rate-heading]")
    expect(rating.get_by_role("radio")).to_have_count(3)
    check_page(phone, large)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_the_public_board_shows_approved_wording_and_the_months_figures(full_board, live_demo, phone, large):
    open_page(phone, live_demo, "/suggestions/", large)
    expect(phone.locator("h1")).to_have_text(zh("Suggestions and answers"))
    expect(phone.locator(".figures dd").first).to_have_text("23")  # received this month
    check_page(phone, large)

    # The newest twenty first; the first three on the second page.
    pages = phone.get_by_role("navigation", name=zh("More suggestions"))
    expect(pages).to_contain_text(zh("page %(number)s of %(total)s", number=1, total=2))
    go(phone, pages.get_by_role("link", name="2", exact=True))
    shown = phone.locator("section[aria-labelledby=board-heading] .booking")
    expect(shown).to_have_count(3)
    for suggestion in full_board.values():
        expect(shown.filter(has_text=suggestion.number)).to_contain_text(suggestion.public_text)
    expect(shown.filter(has_text=full_board["lights"].number)).to_contain_text("物业已更换灯泡")
    expect(phone.locator("main")).not_to_contain_text("王桂兰")
    expect(pages.locator("[aria-current=page]")).to_have_text("2")
    check_page(phone, large)


def last_months_board():
    """徐汇苑's board as it looks some weeks on: last month's suggestions accepted, worked on and
    answered (three more, not on the board, answered and rated), and one received this month.
    Returns the month whose figures the picture shows."""
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    staff = User.objects.get(username="xhy-staff")

    def moment(days, time="09:30"):
        return at(month + dt.timedelta(days=days), dt.time.fromisoformat(time))

    def handled(slug, wording, received, accepted=None, started=None, answered=None, answer="", public=True):
        suggestion = suggestions.submit(
            area=Area.objects.get(slug="xuhuiyuan"),
            category=SuggestionCategory.objects.get(slug=slug),
            text=wording,
            resident=User.objects.get(phone="+8613900000002"),
            public=public,
            now=moment(received),
        )
        if accepted is not None:
            suggestions.accept(suggestion, staff, now=moment(accepted, "10:00"))
        if started is not None:
            suggestions.start(suggestion, staff, now=moment(started, "10:30"))
        if answered is not None:
            suggestions.answer(suggestion, staff, answer, now=moment(answered, "15:00"))
        if public:
            suggestions.approve_wording(suggestion, staff, wording, now=moment(received, "11:00"))
        return suggestion

    for received, rating in ((2, "satisfied"), (8, "satisfied"), (12, "fair")):
        done = handled(
            "services", "咨询事项", received, received + 1, answered=received + 3, answer="已当面答复", public=False
        )
        suggestions.rate(done, done.resident, rating, now=moment(received + 4, "18:00"))
    handled(
        "parking", "5号楼东侧车棚电动车乱停，堵住消防通道", 3, 4, 4, 7, "物业已在车棚划线分区，并安排专人每天整理。"
    )
    handled("safety", "3号楼前路灯不亮，晚上看不清台阶", 5, 5, answered=6, answer="已更换灯泡，并在台阶边贴了反光条。")
    handled("environment", "垃圾箱房周边异味较重，希望增加清洗次数", 10, 13, 14)
    handled("repairs", "2号楼电梯按钮失灵", 16, 16, 17)
    on_board(SuggestionCategory.objects.get(slug="activities"), "希望周末增开书法班", "希望周末增开书法班", staff)
    return month


@pytest.mark.skipif(not SCREENSHOTS, reason="run by `make screenshots` to refresh the README's pictures")
def test_screenshot_suggestion_board(live_demo, desktop):
    without_the_demos_suggestions()
    month = last_months_board()
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    desktop.goto(f"{live_demo.url}/suggestions/?month={month:%Y-%m}")
    expect(desktop.locator(".figures dd").first).to_have_text("7")
    desktop.screenshot(path=folder / "suggestion-board.png", full_page=True)
