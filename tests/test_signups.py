"""Residents signing up for sessions (activities/signups.py and the activity page's buttons): places,
the resident's own area, once per session, no cancelled or past sessions, the same accounts as
booking, "my sign-ups", and residents racing for the last places (SQLite and PostgreSQL)."""

import datetime as dt
import re
import threading
from functools import partial

import pytest
from django.db import DatabaseError, connections
from django.utils import timezone, translation

from activities import signups
from activities.models import (
    ActivityIndexPage,
    ActivityPage,
    ActivitySchedule,
    Occurrence,
    SignUp,
)
from portal.models import User
from tests import schedules
from tests.factories import AreaFactory, ResidentFactory, numbered_resident
from tests.helpers import main_text, says

ACTIVE = SignUp.Status.ACTIVE


weekly = partial(schedules.weekly, starts="09:30", ends="11:00", skip_holidays=False)


resident = numbered_resident


def path_of(page):
    return page.relative_url(page.get_site())


@pytest.fixture
def first_day():
    return timezone.localdate() + dt.timedelta(days=2)


@pytest.fixture
def talk(make_activity, first_day):
    """A talk with two places a session, three sessions a week apart; the second is cancelled."""
    return make_activity(
        "测试宠物讲座",
        "test-pet-talk",
        place="小区广场",
        capacity=2,
        signup_required=True,
        schedules=[weekly(first_day.weekday(), first=first_day, count=3)],
        changes=[{"date": first_day + dt.timedelta(days=7), "action": "cancel", "note": "医生出诊"}],
    )


@pytest.fixture
def sessions(talk):
    return list(talk.sessions().order_by("start"))


def sign_up_url(page, session):
    return f"{path_of(page)}sessions/{session.pk}/sign-up/"


def cancel_url(page, session):
    return f"{path_of(page)}sessions/{session.pk}/cancel-sign-up/"


def test_a_resident_signs_up_sees_it_in_my_sign_ups_and_cancels(client, talk, sessions):
    first = sessions[0]
    client.force_login(resident(1))
    page = client.get(path_of(talk))
    html = page.content.decode()
    assert f'action="{sign_up_url(talk, first)}"' in html
    assert says(main_text(page), "还剩 2 个名额", "2 places left")

    done = client.post(sign_up_url(talk, first), follow=True)
    assert done.redirect_chain[0] == (path_of(talk), 302)
    assert says(main_text(done), "报名成功", "You are signed up for 测试宠物讲座")
    assert SignUp.objects.filter(occurrence=first, resident=resident(1), status=ACTIVE).count() == 1
    assert says(main_text(done), "还剩 1 个名额", "1 place left")
    assert f'action="{cancel_url(talk, first)}"' in done.content.decode()

    index = talk.get_parent()
    mine = client.get(f"{path_of(index)}my-signups/")
    assert mine.status_code == 200
    assert "测试宠物讲座" in main_text(mine) and f'action="{cancel_url(talk, first)}"' in mine.content.decode()

    back = client.post(cancel_url(talk, first), {"next": f"{path_of(index)}my-signups/"}, follow=True)
    assert back.redirect_chain[0] == (f"{path_of(index)}my-signups/", 302)
    signup = SignUp.objects.get(occurrence=first, resident=resident(1))
    assert signup.status == SignUp.Status.CANCELLED and signup.cancelled_at is not None
    assert f'action="{cancel_url(talk, first)}"' not in back.content.decode()

    # The place is free again, for anyone, the same resident included.
    assert client.post(sign_up_url(talk, first)).status_code == 302
    assert SignUp.objects.filter(occurrence=first, status=ACTIVE).count() == 1


def test_a_full_session_refuses_with_409_and_says_so(client, talk, sessions):
    first = sessions[0]
    for number in (2, 3):
        signups.sign_up(first, resident(number))
    client.force_login(resident(4))
    refused = client.post(sign_up_url(talk, first))
    assert refused.status_code == 409
    assert says(main_text(refused), "已满", "is full")
    assert SignUp.objects.filter(occurrence=first, status=ACTIVE).count() == 2

    page = client.get(path_of(talk))
    assert f'action="{sign_up_url(talk, first)}"' not in page.content.decode()
    assert f'action="{sign_up_url(talk, sessions[2])}"' in page.content.decode()


def test_only_residents_of_the_area_sign_up(client, talk, sessions, wanliu):
    outsider = ResidentFactory(area=wanliu, phone="+8613900000005")  # a confirmed resident of 宛六
    client.force_login(outsider)
    page = client.get(path_of(talk))
    assert f'action="{sign_up_url(talk, sessions[0])}"' not in page.content.decode()
    refused = client.post(sign_up_url(talk, sessions[0]))
    assert refused.status_code == 400
    assert "徐汇苑居民区" in main_text(refused)
    assert not SignUp.objects.filter(resident=outsider).exists()


def test_once_per_session(client, talk, sessions):
    client.force_login(resident(6))
    assert client.post(sign_up_url(talk, sessions[0])).status_code == 302
    again = client.post(sign_up_url(talk, sessions[0]))
    assert again.status_code == 400
    assert says(main_text(again), "已经报名", "already signed up")
    assert SignUp.objects.filter(resident=resident(6)).count() == 1
    # Another session of the same activity is another place.
    assert client.post(sign_up_url(talk, sessions[2])).status_code == 302


def test_no_sign_up_for_a_cancelled_or_past_session(client, talk, sessions, make_activity):
    cancelled = sessions[1]
    assert cancelled.is_cancelled
    client.force_login(resident(7))
    page = client.get(path_of(talk))
    assert f'action="{sign_up_url(talk, cancelled)}"' not in page.content.decode()
    refused = client.post(sign_up_url(talk, cancelled))
    assert refused.status_code == 400 and "医生出诊" in main_text(refused)

    last_week = timezone.localdate() - dt.timedelta(days=7)
    earlier = make_activity(
        "测试往期讲座",
        "test-past-talk",
        signup_required=True,
        schedules=[weekly(last_week.weekday(), first=last_week, count=1)],
    )
    past = Occurrence.objects.get(activity=earlier)
    refused = client.post(sign_up_url(earlier, past))
    assert refused.status_code == 400
    assert says(main_text(refused), "已经开始", "already started")
    assert not SignUp.objects.filter(resident=resident(7)).exists()


def test_an_activity_without_sign_up_takes_none(client, make_activity, first_day):
    walk = make_activity(
        "测试散步", "test-walk", place="小区花园", schedules=[weekly(first_day.weekday(), first=first_day)]
    )
    session = walk.sessions().first()
    client.force_login(resident(8))
    page = client.get(path_of(walk))
    assert "/sign-up/" not in page.content.decode()
    assert says(main_text(page), "无需报名", "No sign-up needed")
    assert client.post(sign_up_url(walk, session)).status_code == 400
    assert not SignUp.objects.exists()


def test_signing_up_needs_an_account(client, talk, sessions):
    page = client.get(path_of(talk))
    assert f'href="/accounts/login/?next={path_of(talk)}"' in page.content.decode()
    anonymous = client.post(sign_up_url(talk, sessions[0]))
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/accounts/login/?next={path_of(talk)}"
    assert not SignUp.objects.exists()

    index = talk.get_parent()
    mine = client.get(f"{path_of(index)}my-signups/")
    assert mine.status_code == 302 and mine["Location"].startswith("/accounts/login/")


def test_a_session_is_signed_up_for_through_its_own_activity_only(client, talk, make_activity, first_day):
    other = make_activity(
        "测试别的讲座",
        "test-other-talk",
        signup_required=True,
        schedules=[weekly(first_day.weekday(), first=first_day)],
    )
    client.force_login(resident(9))
    assert client.post(sign_up_url(talk, other.sessions().first())).status_code == 404
    # A GET (a link followed, a reload) signs nobody up.
    assert client.get(sign_up_url(talk, talk.sessions().first())).status_code == 302
    assert not SignUp.objects.exists()


def test_an_english_page_signs_up_for_the_chinese_pages_session(client, talk, sessions, en_locale):
    english = talk.copy_for_translation(en_locale, copy_parents=True, alias=False)
    english.title = "Pet care talk"
    english.save_revision().publish()
    client.force_login(resident(10))
    page = client.get(path_of(english))
    assert f'action="{sign_up_url(english, sessions[0])}"' in page.content.decode()
    done = client.post(sign_up_url(english, sessions[0]), follow=True)
    assert "You are signed up for Pet care talk" in main_text(done)
    assert SignUp.objects.filter(occurrence=sessions[0], resident=resident(10), status=ACTIVE).exists()
    full = client.post(sign_up_url(english, sessions[0]))
    assert full.status_code == 400 and "already signed up" in main_text(full)


def test_my_sign_ups_lists_earlier_ones_without_a_cancel_button(client, talk, sessions):
    signups.sign_up(sessions[0], resident(11))
    signups.cancel(sessions[0], resident(11))
    signups.sign_up(sessions[2], resident(11))
    client.force_login(resident(11))
    mine = client.get(f"{path_of(talk.get_parent())}my-signups/")
    html = mine.content.decode()
    assert f'action="{cancel_url(talk, sessions[2])}"' in html
    assert f'action="{cancel_url(talk, sessions[0])}"' not in html
    assert says(main_text(mine), "已取消报名", "You cancelled this sign-up")
    assert len(re.findall(r'<li class="session', html)) == 2


# Residents racing for the last places: each request in its own thread with its own database
# connection, as in tests/test_booking_concurrency.py.


@pytest.fixture
def race_session(migrated_db):
    """A session of 徐汇苑 with three places, three days ahead, and ten of its residents
    (13900000001 to 13900000010)."""
    area = AreaFactory(name="徐汇苑居民区", slug="xuhuiyuan", hostname="localhost", default=True)
    for number in range(1, 11):
        resident(number)
    index = area.site.root_page.add_child(instance=ActivityIndexPage(title="活动", slug="activities"))
    day = timezone.localdate() + dt.timedelta(days=3)
    page = ActivityPage(title="测试抢名额", slug="test-race", place="小区广场", capacity=3, signup_required=True)
    page.schedules = [ActivitySchedule(**weekly(day.weekday(), first=day, count=1, starts="06:00", ends="07:00"))]
    index.add_child(instance=page)
    page.save_revision().publish()
    return Occurrence.objects.get(activity=page)


def race(occurrence, residents):
    ready = threading.Barrier(len(residents), timeout=30)
    results = [None] * len(residents)
    language = translation.get_language()

    def attempt(index, resident_id):
        try:
            session = Occurrence.objects.get(pk=occurrence.pk)
            person = User.objects.get(pk=resident_id)
            ready.wait()
            with translation.override(language):
                results[index] = signups.sign_up(session, person)
        except (signups.SignUpRefused, DatabaseError) as error:  # what each thread got is under test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i, person.pk), daemon=True) for i, person in enumerate(residents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a sign-up hung"
    return results


@pytest.mark.django_db(transaction=True)
def test_ten_residents_racing_for_three_places_three_get_one(race_session):
    residents = list(User.objects.filter(area=race_session.area, phone__startswith="+86139").order_by("phone")[:10])
    assert len(residents) == 10

    results = race(race_session, residents)

    unexpected = [result for result in results if not isinstance(result, (SignUp, signups.SignUpRefused))]
    assert not unexpected, unexpected
    made = [result for result in results if isinstance(result, SignUp)]
    refused = [result for result in results if isinstance(result, signups.SignUpRefused)]
    assert len(made) == 3 and len(refused) == 7
    assert {refusal.status for refusal in refused} == {409}
    assert SignUp.objects.filter(occurrence=race_session, status=ACTIVE).count() == 3


@pytest.mark.django_db(transaction=True)
def test_one_resident_tapping_many_times_at_once_gets_one_place(race_session):
    person = User.objects.filter(area=race_session.area, phone__startswith="+86139").first()

    results = race(race_session, [person] * 5)

    unexpected = [result for result in results if not isinstance(result, (SignUp, signups.SignUpRefused))]
    assert not unexpected, unexpected
    assert len([result for result in results if isinstance(result, SignUp)]) == 1
    assert {result.status for result in results if isinstance(result, signups.SignUpRefused)} == {400}
    assert SignUp.objects.filter(occurrence=race_session, resident=person, status=ACTIVE).count() == 1
