"""Mainland mobile numbers: stored as +86…, typed either way."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(value):
    """Return the +86 form of a mainland mobile number typed as 11 digits or +86…."""
    if value in (None, ""):
        return value
    digits = re.sub(r"[\s\-()]", "", str(value))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not MAINLAND_MOBILE.match(digits):
        raise ValidationError(
            _("“%(value)s” is not a mainland mobile number: enter 11 digits, such as 13812345678."),
            code="invalid_phone",
            params={"value": value},
        )
    return f"+86{digits}"


def mask_phone(value):
    """138****5678: the masked form shown wherever the full number is not needed."""
    if not value:
        return ""
    digits = value[3:] if value.startswith("+86") else value
    return f"{digits[:3]}****{digits[-4:]}"


class PhoneFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
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
