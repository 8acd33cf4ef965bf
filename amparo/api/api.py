"""The JSON API under /api/v1/. Errors are JSON with a message; never a stack trace.

Each app keeps its endpoints on its own ``ninja.Router`` (in its ``api`` module) and mounts it
from its ``AppConfig.ready()`` with :func:`router_register`; this module imports no app's
endpoints, so the API and the apps that plug into it import each other one way only.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from amparo.accounts.services import api_token_authenticate
from amparo.core.http import ErrorOut

logger = logging.getLogger("amparo.api")


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``: the token stands for its user, nothing more."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(raw=token, request=request)
        if user is None:
            return None
        request.user = user
        return user


#: Statuses any operation may answer besides its own: the caller has no valid token (401), what
#: it names is missing or not the caller's to see (404), a value is refused (422), too many
#: requests (429); and, for methods with a body, JSON nested too deeply (400) or a body over
#: the size limit (413), from ``ApiBodyGuardMiddleware``.
ERROR_STATUSES = {
    "401": "Authentication required.",
    "404": "Not found, or not yours to see.",
    "422": "The request has invalid fields.",
    "429": "Too many requests; try again later.",
}
BODY_ERROR_STATUSES = {
    "400": "The request body is nested too deeply.",
    "413": "The request body is too large.",
}


def _document_errors(schema: dict[str, Any]) -> None:
    """Add the statuses every operation can answer, so the document lists all of them (an
    OpenAPI client or a fuzzer otherwise takes them for undocumented failures)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            statuses = dict(ERROR_STATUSES)
            if method in ("post", "put", "patch", "delete"):
                statuses.update(BODY_ERROR_STATUSES)
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                responses.setdefault(status, {"description": description, **ref})


class AmparoAPI(NinjaAPI):
    """ninja's API, whose OpenAPI document also lists the error statuses every operation has."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        _document_errors(schema)
        return schema


api = AmparoAPI(
    title="Amparo API",
    version="1",
    description="The API for partner hotlines, provider systems and tests.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url=None,
)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        loc = [
            str(part) for part in error.get("loc", []) if part not in ("body", "payload", "query")
        ]
        errors.append({"field": ".".join(loc), "message": str(error.get("msg", "Invalid value"))})
    return api.create_response(
        request, {"detail": "The request has invalid fields.", "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """What a caller may not touch answers exactly like what does not exist (the API's side of
    ``NotFoundForForbiddenMiddleware``): endpoints need no ``except`` of their own."""
    return _not_found(request, Http404())


@api.exception_handler(DjangoValidationError)
def _service_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service's refusal of the values (``ServiceError``): 422, each message with the field it
    is about (empty when it is about the whole request)."""
    errors = [
        {"field": "" if field == "__all__" else field, "message": str(message)}
        for field, messages in (
            exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
        )
        for message in messages
    ]
    detail = " ".join(str(e["message"]) for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error")
    return api.create_response(request, {"detail": "Internal error."}, status=500)


_mounted: set[int] = set()
_lock = threading.Lock()


def router_register(router: Router, *, prefix: str = "") -> None:
    """Mount ``router`` under ``/api/v1/<prefix>``, once: a second call with the same router
    (``ready()`` may run twice in tests) does nothing, where ninja would refuse the mount."""
    with _lock:
        if id(router) in _mounted:
            return
        api.add_router(prefix, router)
        _mounted.add(id(router))
