"""Django's ModelBackend, with each account's permissions kept between requests. Every signed-in
page asks whether the reader may use the admin (Wagtail's user bar): Django answers with two
queries (the account's own permissions, then its groups'), here one, and only once per
generation, under the request's generation; a change of permissions or groups is a write, which
starts a new generation (portal/page_cache.py)."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from portal import page_cache


class ModelBackend(DjangoModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous or hasattr(user_obj, "_perm_cache"):
            return super().get_all_permissions(user_obj, obj)
        user_obj._perm_cache = page_cache.remembered(
            page_cache.PERMISSIONS.format(user_obj.pk), lambda: all_permissions(user_obj)
        )
        return user_obj._perm_cache


def all_permissions(user):
    """Django's "app_label.codename" of every permission the account has, its own and its groups'."""
    permissions = Permission.objects.all()
    if not user.is_superuser:
        permissions = permissions.filter(Q(user=user) | Q(group__user=user))
    found = permissions.values_list("content_type__app_label", "codename").distinct()
    return {f"{app_label}.{codename}" for app_label, codename in found}
