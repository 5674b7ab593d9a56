from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Suggestion, SuggestionCategory
from outreach.photos import cleaned_photo
from portal.account_forms import SmsCodeMixin
from portal.phones import PhoneFormField


class PhotoMixin(forms.Form):
    """An optional photo, kept as outreach/photos.py makes it (smaller, without its location)."""

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
        help_text=_(
            "Up to 10 MB. Where it was taken and the camera's details are removed; only you and the committee's "
            "staff see it."
        ),
    )

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return cleaned_photo(upload) if upload else None


class SuggestionForm(PhotoMixin, forms.Form):
    """A resident's suggestion: what it is about, what and where, and whether it may be shown."""

    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=SuggestionCategory.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Please choose what the suggestion is about.")},
    )
    text = forms.CharField(
        label=_("Your suggestion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you noticed and where, as you would tell us at the desk."),
        error_messages={"required": _("Please say what the suggestion is about and where.")},
    )
    place = forms.CharField(label=_("Where"), max_length=100, required=False, help_text=_("For example 5号楼东侧车棚."))
    public = forms.BooleanField(
        label=_("Staff may show it on the public board (without my name or number)"), required=False
    )

    field_order = ["category", "text", "place", "photo", "public"]


class SignedOutSuggestionForm(SmsCodeMixin, SuggestionForm):
    """A suggestion from someone signed out, with their mobile number and then the code texted
    to it. The photo is asked for beside the code: a browser cannot keep a chosen file through
    the page that sends the code."""

    phone = PhoneFormField(
        label=_("Your mobile number"),
        help_text=_("We text you a code. With it, the suggestion is filed as yours and you can follow it here."),
        error_messages={"required": _("Please enter your mobile number.")},
    )
    code = forms.CharField(
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
        error_messages={"required": _("Please type the code from the text message.")},
    )
    # Asked before the code is sent: with the code, an account may be opened and the suggestion
    # and its photo kept (portal/accounts.py records the agreement on an account it opens).
    consent = forms.BooleanField(
        label=_("I have read and agree to the privacy notice"),
        error_messages={
            "required": _(
                "Please tick this box to agree to the privacy notice: without it we cannot take your suggestion."
            )
        },
    )

    field_order = ["category", "text", "place", "photo", "public", "phone", "consent", "code"]
    SUGGESTION_FIELDS = ("category", "text", "place", "photo", "public")

    def __init__(self, *args, code_sent, **kwargs):
        super().__init__(*args, **kwargs)
        if not code_sent:
            del self.fields["photo"], self.fields["code"]
        elif self.data.get("send_code"):  # asking for a new code, not typing one
            self.fields["code"].required = False

    def suggestion(self):
        """What is filed: the suggestion's own fields, without the number and the code."""
        return {name: self.cleaned_data.get(name) for name in self.SUGGESTION_FIELDS if name in self.fields}


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Did the answer help?"),
        choices=Suggestion.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose one.")},
    )
    comment = forms.CharField(
        label=_("Anything to add"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecordRatingForm(RatingForm):
    """A resident's rating of a home visit or a reception case."""

    rating = forms.ChoiceField(
        label=_("How was the service?"),
        choices=Suggestion.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose one.")},
    )


class CorrectionForm(forms.Form):
    """A resident asks staff to correct what a record says about them."""

    text = forms.CharField(
        label=_("What should be corrected?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say which record (the date of a visit, the number of a suggestion) and what it should say."),
        error_messages={"required": _("Please say what should be corrected.")},
    )
