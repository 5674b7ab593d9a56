from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's Users admin, with the phone and area fields of our accounts."""

    user_viewset = "portal.users.UserViewSet"
