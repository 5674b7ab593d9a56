"""Mainland mobile numbers: parsed by libphonenumber (the `phonenumbers` package), stored in one
canonical E.164 form (+8613812345678), typed however people type them.

libphonenumber turns full-width digits (what Chinese input methods type: １３９…), spaces,
dashes, brackets and the +86 / 0086 prefixes into one number, and knows which mainland ranges
are mobile. A hand-written pattern let 13９00000001 in as a second account beside 13900000001.
"""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
# Longer than any number plus its separators: what is typed past this is not a phone number,
# and libphonenumber refuses over 250 characters anyway.
MAX_TYPED = 40


def invalid_phone(value):
    return ValidationError(
        _("“%(value)s” is not a mainland mobile number: enter 11 digits, such as 13812345678."),
        code="invalid_phone",
        params={"value": value},
    )


def normalize_phone(value):
    """The E.164 form (+86…) of a mainland mobile number, however it was typed; ValidationError,
    naming what was typed, for anything else (a landline, another country, too few digits)."""
    if value in (None, ""):
        return value
    typed = str(value)
    if len(typed) > MAX_TYPED:
        raise invalid_phone(typed[:MAX_TYPED] + "…")
    try:
        number = phonenumbers.parse(typed, "CN")
    except phonenumbers.NumberParseException:
        raise invalid_phone(typed) from None
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise invalid_phone(typed)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(value):
    """13812345678: the 11 digits of a stored number, as residents write it."""
    return value[3:] if value and value.startswith("+86") else (value or "")


def mask_phone(value):
    """138****5678: the masked form shown wherever the full number is not needed."""
    if not value:
        return ""
    digits = national(value)
    return f"{digits[:3]}****{digits[-4:]}"


class PhoneFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TYPED)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class PhoneNumberField(models.CharField):
    description = _("Mainland mobile number")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalize_phone(super().to_python(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})
