"""The JSON API for the residents' mini-program client, beside Wagtail's own (docs/architecture.md, our API beside Wagtail's).

Every error has one shape: {"detail": "...", "errors": {"field": ["..."]}}, plus
"alternatives" for a clash. The apps' routers are added in portal/urls.py: the routers import
this module, so adding them here would make an import cycle.

The schema says what each operation answers: besides what a route declares, every operation
that needs a token may answer 401, and every operation that takes input may answer 400
(``PortalAPI.get_openapi_schema``). Schema names are unique across the apps' routers
(tests/test_api_schema.py), as OpenAPI components are looked up by name.
"""

import datetime as dt
from functools import wraps
from typing import Annotated

from allauth.core.exceptions import RateLimited
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination
from pydantic import WithJsonSchema

from portal.ids import MAX_ID

# A larger id is refused as input rather than sent to a database that cannot compare it.
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
# Shanghai wall-clock times without an offset. Pydantic would document {"format": "time"}, which
# in OpenAPI means an RFC 3339 time with an offset ("08:30:00+08:00").
LocalTime = Annotated[
    dt.time,
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$", "examples": ["08:30:00"]}),
]


class PageInput(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int | None = Field(None, ge=1, le=100)


class Pages(PageNumberPagination):
    """ninja's own pagination takes any page number, and a huge one overflows the database's OFFSET."""

    Input = PageInput


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


class PortalAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if operation.get("security"):
                    responses.setdefault("401", {"description": "Not signed in, or the token has ended.", **error})
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault("400", {"description": "What was sent is missing or not valid.", **error})
        return schema


api = PortalAPI(
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


@api.exception_handler(Http404)
def not_found(request, exc):
    return error_response(request, 404, _("There is nothing at this address."))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return error_response(request, 403, _("You cannot do this with your account."))


@api.exception_handler(HttpError)
def http_error(request, exc):
    return error_response(request, exc.status_code, str(exc))
