"""A suggestion's life (outreach/suggestions.py): numbers, states with who and when, working-day
deadlines across holidays and years nobody has entered, the resident's rating and sending it
back, the lead's one extension, closing unrated answers, and who is told."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from outreach import suggestions
from outreach.models import Suggestion, SuggestionEvent
from portal.models import Holiday
from tests.factories import LeadUserFactory, ResidentFactory
from tests.helpers import moment

Status = Suggestion.Status
Action = SuggestionEvent.Action
DAY_OFF, WORKDAY = Holiday.Kind.DAY_OFF, Holiday.Kind.WORKDAY


@pytest.fixture
def national_day_2026(db):
    """2026's National Day and Mid-Autumn holiday: 1–7 October off, Sunday 20 September and
    Saturday 10 October worked instead (调休)."""
    days_off = [dt.date(2026, 10, day) for day in range(1, 8)]
    Holiday.objects.bulk_create(
        [Holiday(date=day, name="国庆节", kind=DAY_OFF) for day in days_off]
        + [Holiday(date=dt.date(2026, 9, 20), name="国庆节调休", kind=WORKDAY)]
        + [Holiday(date=dt.date(2026, 10, 10), name="国庆节调休", kind=WORKDAY)]
    )


def file(area, category, resident=None, received=None, **fields):
    return suggestions.submit(
        area=area,
        category=category,
        text=fields.pop("text", "5号楼东侧车棚电动车乱停，堵住了消防通道"),
        resident=resident,
        now=received,
        **fields,
    )


def test_deadlines_skip_national_day_and_count_the_make_up_saturday(xhy, parking, national_day_2026):
    suggestion = file(xhy, parking, received=moment(dt.date(2026, 9, 30)))
    # 1–7 October off; Thursday 8 (1), Friday 9 (2), Saturday 10 worked (3), Monday 12 (4), Tuesday 13 (5).
    assert suggestion.accept_due == dt.date(2026, 10, 8)
    assert suggestion.answer_due == dt.date(2026, 10, 13)
    assert not suggestion.due_provisional


def test_a_late_evening_counts_from_the_shanghai_day(xhy, parking, national_day_2026):
    # 23:30 on Friday 25 September in Shanghai is 15:30 UTC the same day; Sunday 27 is an ordinary Sunday.
    suggestion = file(xhy, parking, received=moment(dt.date(2026, 9, 25), "23:30"))
    assert suggestion.accept_due == dt.date(2026, 9, 28)


def test_a_year_nobody_entered_is_counted_monday_to_friday_and_recounted_once_entered(
    xhy, parking, django_capture_on_commit_callbacks
):
    Holiday.objects.create(date=dt.date(2031, 10, 1), name="国庆节", kind=DAY_OFF)  # 2031 entered, 2032 not
    suggestion = file(xhy, parking, received=moment(dt.date(2031, 12, 30)))  # a Tuesday
    # Wednesday 31 (1), then 2032 counted Monday to Friday: Thursday 1 January (2) … Tuesday 6 (5).
    assert suggestion.answer_due == dt.date(2032, 1, 6)
    assert suggestion.due_provisional

    with django_capture_on_commit_callbacks(execute=True):
        Holiday.objects.create(date=dt.date(2032, 1, 1), name="元旦", kind=DAY_OFF)
    suggestion.refresh_from_db()
    assert suggestion.answer_due == dt.date(2032, 1, 7)
    assert not suggestion.due_provisional
    assert suggestion.events.filter(action=Action.RECOUNTED).count() == 1


def test_numbers_run_per_area_and_year(xhy, wanliu, parking):
    first = file(xhy, parking, received=moment(dt.date(2026, 12, 30)))
    second = file(xhy, parking, received=moment(dt.date(2026, 12, 31)))
    next_year = file(xhy, parking, received=moment(dt.date(2027, 1, 4)))
    elsewhere = file(wanliu, parking, received=moment(dt.date(2026, 12, 31)))
    assert [first.number, second.number, next_year.number, elsewhere.number] == [
        "2026-0001",
        "2026-0002",
        "2027-0001",
        "2026-0001",
    ]


def test_the_whole_way_each_step_timestamped_attributed_and_told(
    xhy, parking, resident, xhy_staff, sms_outbox, django_capture_on_commit_callbacks
):
    received = timezone.now()
    suggestion = file(xhy, parking, resident, received=received)
    assert suggestion.status == Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        suggestions.accept(suggestion, xhy_staff)
    suggestions.start(suggestion, xhy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        suggestions.answer(suggestion, xhy_staff, "已与物业商定：在3号楼北侧增设电动车车棚，下周完工。")
    suggestions.rate(suggestion, resident, "satisfied", "车棚建好了，谢谢")

    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED
    assert suggestion.handler == xhy_staff
    assert received <= suggestion.accepted_at <= suggestion.answered_at <= suggestion.closed_at
    assert [(event.action, event.by) for event in suggestion.events.all()] == [
        (Action.SUBMITTED, resident),
        (Action.ACCEPTED, xhy_staff),
        (Action.STARTED, xhy_staff),
        (Action.ANSWERED, xhy_staff),
        (Action.RATED, resident),
    ]
    assert [message.template for message in sms_outbox] == ["suggestion_accepted", "suggestion_answered"]
    assert all(message.phone == resident.phone for message in sms_outbox)
    assert suggestion.number in sms_outbox[0].text


@pytest.mark.parametrize(("step", "args"), [(suggestions.start, ()), (suggestions.answer, ("已处理",))])
def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(xhy, parking, xhy_staff, step, args):
    suggestion = file(xhy, parking)
    with pytest.raises(suggestions.SuggestionRefused) as refused:
        step(suggestion, xhy_staff, *args)
    assert refused.value.status == 409
    suggestion.refresh_from_db()
    assert suggestion.status == Status.SUBMITTED
    assert list(suggestion.events.values_list("action", flat=True)) == [Action.SUBMITTED]


def test_not_accepting_needs_a_reason_and_transferring_names_who_takes_it(xhy, parking, xhy_staff):
    suggestion = file(xhy, parking)
    with pytest.raises(suggestions.SuggestionRefused) as refused:
        suggestions.reject(suggestion, xhy_staff, "   ")
    assert "reason" in refused.value.errors
    with pytest.raises(suggestions.SuggestionRefused) as refused:
        suggestions.transfer(suggestion, xhy_staff, "")
    assert "transferred_to" in refused.value.errors
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.SUBMITTED

    suggestions.transfer(suggestion, xhy_staff, "物业")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.transferred_to) == (Status.TRANSFERRED, "物业")
    assert suggestion.closed_at is not None


def test_an_unsatisfied_resident_sends_it_back_with_a_new_answer_deadline(
    xhy, parking, resident, xhy_staff, national_day_2026
):
    suggestion = file(xhy, parking, resident, received=moment(dt.date(2026, 9, 21)))
    suggestions.accept(suggestion, xhy_staff, now=moment(dt.date(2026, 9, 22)))
    suggestions.answer(suggestion, xhy_staff, "已通知物业清理", now=moment(dt.date(2026, 9, 25)))
    suggestions.rate(suggestion, resident, "unsatisfied", "还是堵着", now=moment(dt.date(2026, 9, 30)))

    suggestion.refresh_from_db()
    assert suggestion.status == Status.IN_PROGRESS
    assert suggestion.rating == "unsatisfied" and suggestion.rating_comment == "还是堵着"
    # Five working days from 30 September again: 8, 9, 10 (worked), 12, 13 October.
    assert suggestion.answer_due == dt.date(2026, 10, 13)
    assert list(suggestion.events.values_list("action", flat=True))[-2:] == [Action.RATED, Action.REOPENED]
    # Answered again, it can be rated again.
    suggestions.answer(suggestion, xhy_staff, "物业已划线并安排专人值守", now=moment(dt.date(2026, 10, 9)))
    suggestions.rate(suggestion, resident, "fair", now=moment(dt.date(2026, 10, 12)))
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.CLOSED


def test_the_lead_extends_a_repair_once_with_a_reason(xhy, repairs, parking, xhy_staff, xhy_lead):
    repair = file(xhy, repairs, received=moment(dt.date(2027, 3, 1)), text="2号楼电梯按钮失灵")  # a Monday
    assert repair.answer_due == dt.date(2027, 3, 22)  # 15 working days (2027 has no holidays entered here)

    with pytest.raises(suggestions.SuggestionRefused) as refused:
        suggestions.extend(repair, xhy_staff, "等配件")
    assert refused.value.status == 403
    with pytest.raises(suggestions.SuggestionRefused) as refused:
        suggestions.extend(repair, xhy_lead, "")
    assert "extension_reason" in refused.value.errors

    suggestions.extend(repair, xhy_lead, "电梯配件需从厂家订购")
    repair.refresh_from_db()
    assert repair.answer_due == dt.date(2027, 4, 12)  # 30 working days
    with pytest.raises(suggestions.SuggestionRefused):
        suggestions.extend(repair, xhy_lead, "再等等")
    with pytest.raises(suggestions.SuggestionRefused):
        suggestions.extend(file(xhy, parking), xhy_lead, "停车不可延期")


def test_unrated_answers_close_themselves_after_seven_days(xhy, parking, resident, xhy_staff):
    suggestion = file(xhy, parking, resident)
    suggestions.accept(suggestion, xhy_staff)
    answered_at = timezone.now()
    suggestions.answer(suggestion, xhy_staff, "已处理", now=answered_at)
    assert suggestions.close_unrated(now=answered_at + dt.timedelta(days=6, hours=23)) == 0
    assert suggestions.close_unrated(now=answered_at + dt.timedelta(days=7)) == 1
    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED and suggestion.rating == ""
    assert suggestion.events.last().action == Action.CLOSED and suggestion.events.last().by is None


def test_supporters_hear_the_answer_too(
    xhy, parking, resident, neighbour, xhy_staff, sms_outbox, django_capture_on_commit_callbacks
):
    suggestion = file(xhy, parking, resident)
    suggestion.followers.add(neighbour)
    suggestions.accept(suggestion, xhy_staff)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        suggestions.answer(suggestion, xhy_staff, "已处理")
    assert sorted(message.phone for message in sms_outbox) == [resident.phone, neighbour.phone]


def test_what_is_overdue(xhy, parking, xhy_staff):
    received = moment(dt.date(2027, 3, 1))  # Monday: accept by Tuesday 2, answer by Monday 8 March
    waiting = file(xhy, parking, received=received)
    accepted = file(xhy, parking, received=received)
    suggestions.accept(accepted, xhy_staff, now=received)
    on_day = Suggestion.objects.overdue(dt.date(2027, 3, 2))
    day_after = Suggestion.objects.overdue(dt.date(2027, 3, 3))
    after_answer_due = Suggestion.objects.overdue(dt.date(2027, 3, 9))
    assert list(on_day) == []
    assert list(day_after) == [waiting]
    assert set(after_answer_due) == {waiting, accepted}


def test_bad_input_is_refused_with_what_to_fix(xhy, parking, wanliu):
    for text in ("", "   "):
        with pytest.raises(suggestions.SuggestionRefused) as refused:
            file(xhy, parking, text=text)
        assert "text" in refused.value.errors
    with pytest.raises(suggestions.SuggestionRefused) as refused:
        file(xhy, parking, text="很" * 2001)
    assert "2001" in " ".join(refused.value.errors["text"])
    with pytest.raises(suggestions.SuggestionRefused) as refused:
        file(xhy, None)
    assert "category" in refused.value.errors
    with pytest.raises(suggestions.SuggestionRefused) as refused:
        file(xhy, parking, ResidentFactory(area=wanliu, phone="+8613900000003"))
    assert "area" in refused.value.errors
    assert not Suggestion.objects.exists()


def test_overdue_suggestions_are_reminded_once_and_the_lead_told_three_working_days_later(
    xhy, parking, sms_outbox, django_capture_on_commit_callbacks
):
    lead = LeadUserFactory(area=xhy, username="xhy-lead", phone="+8613900000009")
    handler = LeadUserFactory(area=xhy, username="xhy-handler", phone="+8613900000008")
    file(xhy, parking, received=moment(dt.date(2025, 3, 3)))  # waits: accept by Tuesday 4 (a Monday)
    answering = file(xhy, parking, received=moment(dt.date(2025, 3, 3)))  # answer by Monday 10
    suggestions.accept(answering, handler, now=moment(dt.date(2025, 3, 3)))

    def remind(day):
        sms_outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            suggestions.remind_overdue(day)
        return sorted((message.template, message.phone) for message in sms_outbox)

    assert remind(dt.date(2025, 3, 4)) == []  # due today: not overdue yet
    # The day after: nobody has accepted it, so its reminder goes to the leads (both are leads here).
    assert remind(dt.date(2025, 3, 5)) == [
        ("suggestion_overdue", handler.phone),
        ("suggestion_overdue", lead.phone),
    ]
    assert remind(dt.date(2025, 3, 6)) == []  # once
    assert remind(dt.date(2025, 3, 7)) == []  # Friday is the 3rd working day after: not yet past
    escalated = remind(dt.date(2025, 3, 10))
    assert ("suggestion_escalated", lead.phone) in escalated
    assert all(template == "suggestion_escalated" for template, _phone in escalated)
    # The accepted one: its handler hears the day after its answer deadline, only them.
    assert remind(dt.date(2025, 3, 11)) == [("suggestion_overdue", handler.phone)]
    assert "3月10日" in sms_outbox[0].text and answering.number in sms_outbox[0].text


def test_the_timer_command_closes_and_reminds(xhy, parking, resident, xhy_staff):
    import io

    from django.core.management import call_command

    suggestion = file(xhy, parking, resident)
    suggestions.accept(suggestion, xhy_staff)
    suggestions.answer(suggestion, xhy_staff, "已处理", now=timezone.now() - dt.timedelta(days=8))
    out = io.StringIO()
    call_command("suggestion_timers", stdout=out)
    assert "1 unrated answers closed" in out.getvalue()
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.CLOSED


def test_a_resident_supports_one_and_staff_merge_a_duplicate(
    xhy, wanliu, parking, resident, neighbour, xhy_staff, sms_outbox, django_capture_on_commit_callbacks
):
    other = ResidentFactory(area=xhy, phone="+8613900000003")
    original = file(xhy, parking, resident)
    duplicate = file(xhy, parking, other, text="车棚太乱了")
    suggestions.follow(original, neighbour)
    suggestions.follow(original, neighbour)  # twice is once
    assert list(original.followers.all()) == [neighbour]
    with pytest.raises(suggestions.SuggestionRefused):
        suggestions.follow(original, resident)  # their own
    with pytest.raises(suggestions.SuggestionRefused):
        suggestions.follow(original, ResidentFactory(area=wanliu, phone="+8613900000004"))

    with pytest.raises(suggestions.SuggestionRefused):
        suggestions.merge(original, original, xhy_staff)
    suggestions.merge(duplicate, original, xhy_staff)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED and duplicate.merged_into == original
    assert set(original.followers.all()) == {neighbour, other}

    suggestions.accept(original, xhy_staff)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        suggestions.answer(original, xhy_staff, "已增设车棚")
    assert sorted(message.phone for message in sms_outbox) == sorted([resident.phone, neighbour.phone, other.phone])


def test_texts_write_their_dates_in_chinese_whatever_language_sends_them(
    xhy, parking, resident, sms_outbox, django_capture_on_commit_callbacks
):
    """A resident reading /en/ or a timer run after an English request still gets 3月10日."""
    handler = LeadUserFactory(area=xhy, username="xhy-handler", phone="+8613900000008")
    suggestion = file(xhy, parking, received=moment(dt.date(2025, 3, 3)), resident=resident)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        suggestions.accept(suggestion, handler, now=moment(dt.date(2025, 3, 3)))
        suggestions.remind_overdue(dt.date(2025, 3, 11))

    texts = [message.text for message in sms_outbox]
    assert len(texts) == 2 and all("3月10日" in text for text in texts), texts
