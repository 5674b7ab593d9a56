from django.conf import settings


def display(request):
    """Whether the reader has switched large mode (长辈模式) on."""
    return {"large_mode": request.COOKIES.get(settings.LARGE_MODE_COOKIE) == "1"}
