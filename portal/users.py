"""The Wagtail Users admin with the fields our accounts add (mobile number and area), and a way
to unlock an account locked out of the admin after too many failed sign-ins."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.button import Button
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import EditView as WagtailEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from portal.admin_auth import UnlockView
from portal.two_factor import ResetView

EXTRA_FIELDS = {"phone", "area"}


class AreaUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | EXTRA_FIELDS


class AreaUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | EXTRA_FIELDS


class EditView(WagtailEditView):
    @cached_property
    def header_more_buttons(self):
        unlock = Button(
            _("Unlock sign-in"),
            url=reverse("wagtailusers_users:unlock_sign_in", args=[self.object.pk]),
            icon_name="lock-open",
            priority=30,
        )
        reset_two_factor = Button(
            _("Reset two-step verification"),
            url=reverse("wagtailusers_users:reset_two_factor", args=[self.object.pk]),
            icon_name="key",
            priority=40,
        )
        return [*super().header_more_buttons, unlock, reset_two_factor]


class UserViewSet(WagtailUserViewSet):
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return AreaUserEditForm if for_update else AreaUserCreationForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/unlock-sign-in/", UnlockView.as_view(), name="unlock_sign_in"),
            path("<int:pk>/reset-two-factor/", ResetView.as_view(), name="reset_two_factor"),
        ]
