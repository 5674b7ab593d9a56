from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Suggestion, SuggestionCategory


class SuggestionForm(forms.Form):
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
