"""Forms of the room-booking admin (the residents' own forms are in booking/forms.py)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminTimeInput

from booking.models import Closure, Room
from portal import dates
from portal.area_admin import AreaRowForm, InTheUsersArea
from portal.ids import is_id
from portal.models import Area, User
from portal.phones import PhoneFormField


class RoomForm(AreaRowForm):
    no_area_message = _("Your account belongs to no residents' area, so it cannot add rooms.")

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        # Django skips the (area, slug) constraint when the area is not a form field.
        if slug and "area" not in self.fields:
            taken = Room.objects.filter(area_id=self.instance.area_id, slug=slug).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("slug", _("Another room of this area already has this slug."))
        return cleaned_data


class ReasonForm(forms.Form):
    """Why staff reject or cancel a booking: the resident is told in the SMS."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the resident by SMS, so write it for them."),
    )


class StaffBookingForm(forms.Form):
    """Staff book a room for a resident who has no smartphone (at the desk or by phone)."""

    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    phone = PhoneFormField(label=_("Resident's mobile number"), help_text=_("11 digits, such as 13812345678."))
    date = dates.DateField(label=_("Date"), widget=AdminDateInput)
    start = forms.TimeField(label=_("Start"), widget=AdminTimeInput)
    end = forms.TimeField(label=_("End"), widget=AdminTimeInput)
    headcount = forms.IntegerField(label=_("Number of people"), min_value=1, initial=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=100, required=False)
    # One token per form: a second click on "Book" returns the booking already made.
    request_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["room"].label_from_instance = room_label(rooms)
        self.initial.setdefault("request_key", uuid.uuid4().hex)

    def clean(self):
        cleaned_data = super().clean()
        room, phone = cleaned_data.get("room"), cleaned_data.get("phone")
        if room and phone:
            self.resident = User.objects.filter(phone=phone, area_id=room.area_id, is_active=True).first()
            if self.resident is None:
                self.add_error(
                    "phone",
                    _("No resident of %(area)s has this mobile number. Create their account first.")
                    % {"area": room.area.name},
                )
        return cleaned_data


class ClosureForm(InTheUsersArea, forms.ModelForm):
    """A closure of one room or of every room of an area. Staff close their own area's
    rooms; superusers choose the area."""

    area = forms.ModelChoiceField(label=_("Residents' area"), queryset=Area.objects.all())
    confirm = forms.BooleanField(label=_("Cancel these bookings and notify the residents"), required=False)
    # The bookings staff were shown: a booking made since then is shown before it is cancelled.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Closure
        fields = ["area", "room", "start", "end", "reason"]
        widgets = {"start": AdminDateTimeInput, "end": AdminDateTimeInput}
        field_classes = {"start": dates.DateTimeField, "end": dates.DateTimeField}

    no_area_message = _("Your account belongs to no residents' area, so it cannot close rooms.")

    def __init__(self, *args, user, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.place_in_area(user)
        self.fields["room"].queryset = rooms
        self.fields["room"].label_from_instance = room_label(rooms)
        self.fields["room"].empty_label = _("All rooms of the area")

    def seen_ids(self):
        return {int(pk) for pk in self.cleaned_data.get("seen", "").split(",") if is_id(pk)}


def room_label(rooms):
    """Rooms of several areas share names (阅览室): name the area too when they are mixed."""
    if rooms.values("area").distinct().count() > 1:
        return lambda room: f"{room.area.name} {room.name}"
    return lambda room: room.name
