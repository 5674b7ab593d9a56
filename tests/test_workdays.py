"""Working days, as every deadline counts them: from the day after, statutory days off skipped,
make-up working days (调休) counted, a year nobody has entered counted Monday to Friday and
marked provisional."""

import datetime as dt

import pytest

from portal.models import Holiday
from portal.workdays import Count, add_working_days, working_days_between

D = dt.date
OFF, WORK = Holiday.Kind.DAY_OFF, Holiday.Kind.WORKDAY


@pytest.fixture
def national_day_2031(db):
    """A week of National Day holidays, with a Sunday and a Saturday worked in exchange
    (the shape the State Council announces each year)."""
    Holiday.objects.all().delete()
    Holiday.objects.bulk_create(
        [Holiday(date=D(2031, 9, 28), name="国庆节调休", kind=WORK)]
        + [Holiday(date=D(2031, 10, day), name="国庆节", kind=OFF) for day in range(1, 8)]
        + [Holiday(date=D(2031, 10, 11), name="国庆节调休", kind=WORK)]
    )


def test_counting_starts_the_day_after(national_day_2031):
    # Monday 2031-09-15: the fifth working day after it is the next Monday.
    assert add_working_days(D(2031, 9, 15), 5).value == D(2031, 9, 22)
    assert add_working_days(D(2031, 9, 15), 1).value == D(2031, 9, 16)
    assert add_working_days(D(2031, 9, 15), 0).value == D(2031, 9, 15)


def test_a_friday_receipt_is_accepted_by_monday(national_day_2031):
    assert add_working_days(D(2031, 9, 19), 1).value == D(2031, 9, 22)


def test_days_off_are_skipped_and_make_up_days_counted(national_day_2031):
    # Received Friday 26 September: Sunday the 28th is worked, Monday 29th, Tuesday 30th,
    # then the holiday week, then Wednesday 8th, Thursday 9th.
    assert add_working_days(D(2031, 9, 26), 1).value == D(2031, 9, 28)
    assert add_working_days(D(2031, 9, 26), 3).value == D(2031, 9, 30)
    assert add_working_days(D(2031, 9, 26), 4).value == D(2031, 10, 8)
    # The Saturday worked after the holiday counts too.
    assert add_working_days(D(2031, 9, 26), 7).value == D(2031, 10, 11)
    assert add_working_days(D(2031, 9, 26), 5).provisional is False


def test_a_year_nobody_entered_counts_weekdays_and_says_so(national_day_2031):
    deadline = add_working_days(D(2031, 12, 30), 5)
    # Wednesday 31 December, then 2032 (not entered): Thursday 1 January is counted as a
    # weekday, because nobody has said it is a holiday yet.
    assert deadline.value == D(2032, 1, 6)
    assert deadline.provisional is True
    Holiday.objects.create(date=D(2032, 1, 1), name="元旦", kind=OFF)
    assert add_working_days(D(2031, 12, 30), 5) == Count(D(2032, 1, 7), provisional=False)


def test_working_days_between_counts_what_a_deadline_would(national_day_2031):
    assert working_days_between(D(2031, 9, 26), D(2031, 10, 8)).value == 4
    assert working_days_between(D(2031, 9, 19), D(2031, 9, 22)).value == 1  # Friday to Monday
    assert working_days_between(D(2031, 9, 22), D(2031, 9, 22)).value == 0
    assert working_days_between(D(2031, 9, 22), D(2031, 9, 1)).value == 0
    for count in range(12):
        deadline = add_working_days(D(2031, 9, 20), count).value
        assert working_days_between(D(2031, 9, 20), deadline).value == count


def test_a_count_reads_the_holiday_table_once_a_year(national_day_2031, django_assert_num_queries):
    with django_assert_num_queries(2):
        add_working_days(D(2031, 12, 1), 40)  # into 2032
