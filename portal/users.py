"""The Wagtail Users admin with the fields our accounts add: mobile number and area."""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

EXTRA_FIELDS = {"phone", "area"}


class AreaUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | EXTRA_FIELDS


class AreaUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | EXTRA_FIELDS


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return AreaUserEditForm if for_update else AreaUserCreationForm
