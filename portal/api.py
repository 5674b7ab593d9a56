"""The JSON API for the residents' mini-program client, beside Wagtail's own (fact 9).

Every error has one shape: {"detail": "...", "errors": {"field": ["..."]}}, plus
"alternatives" for a clash. The apps' routers are added in portal/urls.py: the routers import
this module, so adding them here would make an import cycle.
"""

from functools import wraps

from allauth.core.exceptions import RateLimited
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


def in_callers_language(view):
    """Answer in the language of Accept-Language, Chinese by default. LocaleMiddleware cannot:
    with i18n_patterns(prefix_default_language=False) it serves every address without a
    language prefix, /api/v1/ included, in the default language."""

    @wraps(view)
    def speaking(request, *args, **kwargs):
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return speaking


api = NinjaAPI(
    title="Residents' committee portal API",
    version="1",
    urls_namespace="portal-api",
    openapi_url="/openapi.json",
)
# As a view decorator it wraps authentication and the error handlers too.
api.add_decorator(in_callers_language, mode="view")


class ErrorOut(Schema):
    """The error shape, for the routes' `response` declarations (OpenAPI)."""

    detail: str
    errors: dict[str, list[str]]


class ApiError(Exception):
    """An answer other than success, in the API's one error shape."""

    def __init__(self, status, detail, errors=None, **extra):
        super().__init__(detail)
        self.status = status
        self.detail = str(detail)
        self.errors = {field: [str(m) for m in messages] for field, messages in (errors or {}).items()}
        self.extra = extra

    def body(self):
        return {"detail": self.detail, "errors": self.errors, **self.extra}


def error_response(request, status, detail, errors=None, **extra):
    return api.create_response(request, ApiError(status, detail, errors, **extra).body(), status=status)


@api.exception_handler(ApiError)
def api_error(request, exc):
    return api.create_response(request, exc.body(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    # django-ninja answers 422; our contract is 400 with the field named.
    errors = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        field = location[-1] if location else "__all__"
        errors.setdefault(field, []).append(_("This value is missing or not valid."))
    return error_response(request, 400, _("Please check what was sent."), errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return error_response(request, 401, _("Please log in first."))


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    return error_response(request, 429, _("Too many attempts. Please wait a little and try again."))


@api.exception_handler(HttpError)
def http_error(request, exc):
    return error_response(request, exc.status_code, str(exc))
