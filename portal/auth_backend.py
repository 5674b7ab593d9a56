"""Django's ModelBackend, with each account's permissions kept between requests. Every signed-in
page asks whether the reader may use the admin (Wagtail's user bar), which costs two queries;
a change of permissions or groups is a write, which starts a new generation (portal/page_cache.py);
they are kept under the request's generation, read once for the whole request."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from portal import page_cache


class ModelBackend(DjangoModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous or hasattr(user_obj, "_perm_cache"):
            return super().get_all_permissions(user_obj, obj)
        user_obj._perm_cache = page_cache.remembered(
            page_cache.PERMISSIONS.format(user_obj.pk), lambda: super(ModelBackend, self).get_all_permissions(user_obj)
        )
        return user_obj._perm_cache
