"""Locales found once per process. Wagtail looks the active and the default locale up by
language code several times for every page (routing, `page.localized`, each translated
section), and an installation's languages are set up once (migrations, setup_area) and never
renamed, so the rows are kept here; saving or deleting a locale forgets them."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale
from wagtail.models.i18n import LocaleManager

_found = {}
_codes = {}
_look_up = LocaleManager.get_for_language


def get_for_language(manager, language_code):
    if language_code not in _found:
        _found[language_code] = _look_up(manager, language_code)
    return _found[language_code]


def language_codes():
    """{locale id: language code} of every locale."""
    if not _codes:
        _codes.update(Locale.objects.values_list("pk", "language_code"))
    return _codes


def forget(**kwargs):
    _found.clear()
    _codes.clear()


def keep_locales():
    LocaleManager.get_for_language = get_for_language
    post_save.connect(forget, sender=Locale)
    post_delete.connect(forget, sender=Locale)
