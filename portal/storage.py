"""Where files that must never be public live: residents' photos of what they report.

``storages["private"]`` (settings.STORAGES) is a folder outside MEDIA_ROOT that no URL serves;
views that check who asks hand its files out. Model fields name ``private_storage`` (a
callable, so migrations name it rather than copying its settings); it answers with a stand-in
that looks the storage up when first used, and again after STORAGES changes (tests).
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


PRIVATE = PrivateStorage()


def private_storage():
    return PRIVATE


@receiver(setting_changed)
def forget_private_storage(setting, **kwargs):
    if setting == "STORAGES":
        PRIVATE._wrapped = empty
