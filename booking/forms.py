import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.refusals import add_refusal

# Where each kind of rule message belongs on the resident's form.
FIELD_OF_RULE = {"end": "minutes", "headcount": "headcount"}


class CalendarDateField(dates.DateField):
    """A date field whose error quotes what was typed (2月30日 is not a date)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a date on the calendar. Write it like 2026-03-05 or 2026年3月5日."),
                code="invalid",
                params={"value": value},
            ) from None


class DayForm(forms.Form):
    """Go to a date: typed as 2026-03-05, 2026/3/5 or 2026年3月5日, or picked."""

    date = CalendarDateField(label=_("Another date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class BookingForm(forms.Form):
    """How long, how many people and what for; the room, date and start come from the address."""

    minutes = forms.TypedChoiceField(label=_("How long"), coerce=int, widget=forms.RadioSelect)
    headcount = forms.IntegerField(label=_("Number of people"), min_value=1, initial=1)
    purpose = forms.CharField(
        label=_("What for"),
        required=False,
        max_length=100,
        help_text=_("For example 合唱练习. Other residents never see it."),
    )
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, room, lengths, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("request_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["minutes"].choices = [(minutes, duration(minutes)) for minutes in lengths]
        if len(lengths) == 1:
            self.fields["minutes"].initial = lengths[0]
        self.fields["headcount"].max_value = room.capacity
        self.fields["headcount"].widget.attrs.update({"max": room.capacity, "inputmode": "numeric"})
        self.fields["headcount"].help_text = _("At most %(capacity)s.") % {"capacity": room.capacity}

    def add_refusal(self, refusal):
        add_refusal(self, refusal, FIELD_OF_RULE)


def duration(minutes):
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)s minutes") % {"minutes": rest}
    if not rest:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
