"""Every error the API returns, mapped once: a stable code, a message, and field errors."""

import logging
from collections.abc import Callable
from functools import wraps
from inspect import iscoroutinefunction
from typing import Any

from asgiref.sync import markcoroutinefunction
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_fsm import ConcurrentTransition
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from governance.api_input import (
    JSON_MEDIA_TYPE,
    MULTIPART_MEDIA_TYPE,
    NO_JSON_BODY,
    UPLOAD_FORM_ALLOWANCE_BYTES,
    ParsedOnceParser,
    has_body,
    request_json_body,
    upload_limit,
)
from governance.errors import ConflictError, CsrfCheckFailedError

logger = logging.getLogger(__name__)

# Where ninja reports an input error: the first element names the part of the request,
# the second the handler parameter (for a body schema), the rest the field inside it.
_REQUEST_PARTS = {"body", "query", "path", "header", "cookie", "form", "file"}


def _field_name(location: list[Any] | tuple[Any, ...], body_params: int = 1) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in _REQUEST_PARTS:
        parts = parts[1:]
        if location[0] == "body" and len(parts) > 1:
            parts = parts[body_params:]
    return ".".join(parts) or "__all__"


def _ninja_field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "field": _field_name(error.get("loc", ())),
            "code": str(error.get("type", "invalid")),
            "message": str(error.get("msg", "")),
        }
        for error in errors
    ]


def _django_field_errors(error: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "code": item.code or "invalid", "message": message}
            for field, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [
        {"field": "__all__", "code": item.code or "invalid", "message": message}
        for item in error.error_list
        for message in item.messages
    ]


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers on ``api`` so no client input can produce a 500."""

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return _error(
            api,
            request,
            422,
            "invalid_input",
            _("Ogiltig indata."),
            errors=_ninja_field_errors(exc.errors),
        )

    @api.exception_handler(DjangoValidationError)
    def invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return _error(
            api,
            request,
            422,
            "invalid_input",
            _("Ogiltig indata."),
            errors=_django_field_errors(exc),
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = _error(
            api,
            request,
            401,
            "not_authenticated",
            _("Logga in eller skicka en giltig token (Authorization: Bearer …)."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _error(
            api,
            request,
            403,
            "permission_denied",
            _("Din roll får inte göra detta."),
            permission=str(exc) or None,
        )

    @api.exception_handler(AuthorizationError)
    def forbidden_by_ninja(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return _error(api, request, 403, "permission_denied", _("Din roll får inte göra detta."))

    def missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 404, "not_found", _("Hittades inte."))

    api.add_exception_handler(ObjectDoesNotExist, missing)
    api.add_exception_handler(Http404, missing)

    @api.exception_handler(CsrfCheckFailedError)
    def csrf_failed(request: HttpRequest, exc: CsrfCheckFailedError) -> HttpResponse:
        return _error(
            api,
            request,
            403,
            "csrf_failed",
            _(
                "CSRF-token saknas eller stämmer inte. Skicka sidans CSRF-token "
                "(X-CSRFToken) eller använd en API-token i stället för sessionen."
            ),
        )

    @api.exception_handler(ConflictError)
    def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
        return _error(api, request, 409, exc.code, exc.message, **exc.details)

    @api.exception_handler(ConcurrentTransition)
    def raced(request: HttpRequest, exc: ConcurrentTransition) -> HttpResponse:
        return _error(
            api,
            request,
            409,
            "concurrent_change",
            _("Någon annan ändrade samtidigt; läs in på nytt och försök igen."),
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _error(
            api, request, 500, "server_error", _("Ett internt fel inträffade; det är loggat.")
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = "bad_request" if exc.status_code == 400 else "http_error"
        return _error(api, request, exc.status_code, code, str(exc))


class JsonNinjaAPI(NinjaAPI):
    """A NinjaAPI that answers in JSON also where ninja and Django answer otherwise: a path under
    the API that names no endpoint (404 ``not_found``), a method the path does not take
    (405 ``method_not_allowed``, with ``Allow``), an address or a body over the limits (414, 413),
    a body that is not JSON (415) and a JSON body that is not an object (422) — before the
    endpoint or its parser runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, parser=ParsedOnceParser(), **kwargs)

    @property
    def urls(self) -> tuple[list[URLPattern | URLResolver], str, str]:
        patterns, app_name, namespace = super().urls
        uploads = self._upload_limits()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _api_view(
                    self, pattern.callback, uploads=uploads.get(str(pattern.pattern), {})
                )

        @csrf_exempt
        def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return _error(self, request, 404, "not_found", _("Hittades inte."))

        # Last, so that it answers only what no endpoint does.
        return (
            [*patterns, re_path(r"", _api_view(self, unknown_path, endpoint=False))],
            app_name,
            namespace,
        )

    def _upload_limits(self) -> dict[str, dict[str, Callable[[], int]]]:
        """Per route, the methods whose endpoint takes an upload (``accepts_upload``) and their
        limits. Ninja makes one pattern per operation, path by path, in this order."""
        limits: dict[str, dict[str, Callable[[], int]]] = {}
        for bound in self._get_bound_routers():
            views = [view for view in bound.path_operations.values() for _op in view.operations]
            for pattern, view in zip(bound.urls_paths(bound.prefix), views, strict=True):
                marked = {
                    method: limit
                    for operation in view.operations
                    if (limit := upload_limit(operation.view_func)) is not None
                    for method in operation.methods
                }
                if marked:
                    limits[str(pattern.pattern)] = marked
        return limits


def _refusal(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    endpoint: bool,
    uploads: dict[str, Callable[[], int]] | None = None,
) -> HttpResponse | None:
    """The answer to a request refused before any endpoint runs, or None. What the body holds
    matters only to an ``endpoint``; a path that names none answers 404 whatever it is sent.
    ``uploads``: the methods of this path that take a file (``accepts_upload``), with limits."""
    if len(request.get_full_path()) > settings.API_MAX_URI_LENGTH:
        return _error(
            api,
            request,
            414,
            "uri_too_long",
            _("Adressen är längre än %(limit)s tecken.") % {"limit": settings.API_MAX_URI_LENGTH},
        )
    upload = (uploads or {}).get(request.method or "")
    if endpoint and upload is not None and request.content_type == MULTIPART_MEDIA_TYPE:
        # Judged by the declared length before anything is read; the body is then parsed as
        # it streams (files over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file), never whole
        # into memory. The endpoint's service judges the file itself (a 422 on its field).
        limit = upload() + UPLOAD_FORM_ALLOWANCE_BYTES
        return _too_large(api, request, limit) if _declared_length(request) > limit else None
    if _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return _too_large(api, request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if not endpoint:
        return None
    # Every other body the API takes is JSON; one read as a form would reach code (the sign-in
    # throttle among it) that parses forms and trusts their framing.
    if has_body(request) and request.content_type != JSON_MEDIA_TYPE:
        message = (
            _("Skicka filen som multipart/form-data.")
            if upload is not None
            else _("Skicka innehållet som JSON (Content-Type: application/json).")
        )
        return _error(api, request, 415, "unsupported_media_type", message)
    body = request_json_body(request)
    if body is not NO_JSON_BODY and not isinstance(body, dict):
        return _error(
            api,
            request,
            422,
            "invalid_input",
            _("Ogiltig indata."),
            errors=[
                {
                    "field": "__all__",
                    "code": "not_an_object",
                    "message": _("Innehållet ska vara ett JSON-objekt ({…})."),
                }
            ],
        )
    return None


def _declared_length(request: HttpRequest) -> int:
    # Django reads no more than Content-Length; a missing or malformed one reads nothing.
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(api: NinjaAPI, request: HttpRequest, limit: int) -> HttpResponse:
    return _error(
        api,
        request,
        413,
        "request_too_large",
        _("Innehållet är större än %(limit)s byte.") % {"limit": limit},
        limit_bytes=limit,
    )


def _api_view(
    api: NinjaAPI,
    view: Callable[..., Any],
    *,
    endpoint: bool = True,
    uploads: dict[str, Callable[[], int]] | None = None,
) -> Callable[..., Any]:
    def as_json(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = sorted(method.strip() for method in response["Allow"].split(","))
        answer = _error(
            api,
            request,
            405,
            "method_not_allowed",
            _("Metoden stöds inte för denna adress."),
            allowed=allowed,
        )
        answer["Allow"] = ", ".join(allowed)
        return answer

    if iscoroutinefunction(view):

        async def answer_async(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            refusal = _refusal(api, request, endpoint=endpoint, uploads=uploads)
            if refusal is not None:
                return refusal
            return as_json(request, await view(request, *args, **kwargs))

        return wraps(view)(markcoroutinefunction(answer_async))

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return _refusal(api, request, endpoint=endpoint, uploads=uploads) or as_json(
            request, view(request, *args, **kwargs)
        )

    return answer
