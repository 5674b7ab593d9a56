"""The residents' sign-in and sign-up forms: allauth's, asking only what room booking needs."""

from allauth.account import forms as allauth_forms
from allauth.core import context
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from portal import accounts
from portal.models import Area, User
from portal.privacy import record_consent


class LoginForm(allauth_forms.LoginForm):
    """One form for both ways in: with a password, or with it left empty, a code by SMS
    (allauth's own login-by-code path for a login without password)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields["password"]
        password.required = False
        password.help_text = _("No password? Leave this empty and we will text you a code.")
        password.widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs.pop("placeholder", None)

    def clean(self):
        cleaned_data = super().clean()
        user = getattr(self, "user", None)
        if user is not None and cleaned_data.get("password"):
            # Whoever typed the password may now prove the number it was chosen for.
            accounts.note_claim(self.request, user)
        return cleaned_data


class SmsCodeMixin:
    """The code from a text message: six digits, so phones show the number pad."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Code from the text message")
        code.widget.attrs.update(inputmode="numeric", maxlength="6")
        code.widget.attrs.pop("placeholder", None)


class ConfirmLoginCodeForm(SmsCodeMixin, allauth_forms.ConfirmLoginCodeForm):
    pass


class VerifyPhoneForm(SmsCodeMixin, allauth_forms.VerifyPhoneForm):
    pass


def resident_field(name, **kwargs):
    return User._meta.get_field(name).formfield(**kwargs)


class ResidentDetailsMixin(forms.Form):
    """Name, building and room number, as residents and staff both enter them."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("Full name, such as 王建国."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    building = resident_field("building", required=True)
    room_number = resident_field("room_number", required=True)

    def fill_resident(self, user):
        # One name field: Chinese names do not split reliably into family and given names.
        user.first_name, user.last_name = self.cleaned_data["name"].strip(), ""
        user.building = self.cleaned_data["building"].strip()
        user.room_number = self.cleaned_data["room_number"].strip()


class AreaAndConsentMixin(forms.Form):
    """Where the resident lives, and their agreement to the privacy notice."""

    area = forms.ModelChoiceField(
        label=_("Residents' area"),
        queryset=Area.objects.all(),
        empty_label=None,
        help_text=_("The residents' committee of where you live. Its rooms are the ones you can book."),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that the residents' committee keeps these details "
            "to handle my room bookings."
        ),
        error_messages={
            "required": _("Please tick this box to agree to the privacy notice: without it we cannot open an account.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.fields["area"].initial is None:
            site = Site.find_for_request(context.request) if context.request else None
            self.fields["area"].initial = Area.objects.filter(site=site).first()

    def fill_area_and_consent(self, user):
        user.area = self.cleaned_data["area"]
        record_consent(user)


class SignupForm(ResidentDetailsMixin, AreaAndConsentMixin, allauth_forms.SignupForm):
    field_order = ["name", "phone", "building", "room_number", "area", "password1", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("phone", "password1"):
            self.fields[field].widget.attrs.pop("placeholder", None)

    def signup(self, request, user):
        self.fill_resident(user)
        self.fill_area_and_consent(user)
        user.claim_pending = True
        user.save()
        accounts.note_claim(request, user)


class DetailsForm(ResidentDetailsMixin, AreaAndConsentMixin):
    """The details of an account opened by proving its number, given by its owner."""

    field_order = ["name", "building", "room_number", "area", "consent"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.area_id:
            self.fields["area"].initial = user.area_id

    def save(self):
        self.fill_resident(self.user)
        self.fill_area_and_consent(self.user)
        self.user.save()
        return self.user
