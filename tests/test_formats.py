import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation


class VisitForm(forms.Form):
    day = forms.DateField()
    at = forms.DateTimeField(required=False)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("typed", ["2026-03-05", "2026/3/5", "2026年3月5日", "2026/03/05"])
def test_a_date_field_accepts_the_ways_people_type_dates(language, typed):
    with translation.override(language):
        form = VisitForm(data={"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 3, 5)


def test_a_datetime_field_accepts_chinese_dates_too():
    with translation.override("zh-hans"):
        form = VisitForm(data={"day": "2026-03-05", "at": "2026年3月5日 14:30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["at"].hour == 14


def test_an_impossible_date_is_refused_in_chinese_and_kept():
    with translation.override("zh-hans"):
        form = VisitForm(data={"day": "2026年2月30日"})
        assert not form.is_valid()
        assert "日期" in form.errors["day"][0]
        assert 'value="2026年2月30日"' in str(form["day"])


@pytest.mark.parametrize(
    "language, expected_date",
    [("zh-hans", "2026年3月5日"), ("en", "5 March 2026")],
)
def test_dates_read_naturally_and_times_are_24_hour_in_both_languages(language, expected_date):
    moment = datetime.datetime(2026, 3, 5, 14, 30)
    template = Template("{{ moment|date }} {{ moment|time }}")
    with translation.override(language):
        assert template.render(Context({"moment": moment})) == f"{expected_date} 14:30"
