"""The API's guard on request bodies, before any endpoint parses one.

Endpoints read ``request.body`` and parse it as JSON themselves. Two bodies would reach them
as a server error: one over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django refuses to read it) and JSON
nested so deep that the parser runs out of stack. Both are answered here, in the API's error
shape, on every path under ``/api/``: 413 and 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

#: Deeper than any body the API takes, far below what exhausts the parser's stack.
MAX_JSON_DEPTH = 64
API_PREFIX = "/api/"

# The characters that open and close a level, and the strings whose brackets do not count.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[{]|[\]}]', re.DOTALL)


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``body``, read as JSON, opens more than ``limit`` arrays or objects at once. A scan
    without recursion, so it is safe on any input; it does not validate the JSON."""
    depth = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


def _error(detail: str, status: int) -> HttpResponse:
    return JsonResponse({"detail": detail}, status=status)


class ApiBodyGuardMiddleware:
    """413 for a body over the size limit, 400 for JSON nested too deeply, under ``/api/``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and request.method not in ("GET", "HEAD"):
            refused = self._refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if request.content_type == "multipart/form-data":
            return None  # files stream to disk under Django's own limits; nothing is JSON
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return _error("The request body is too large.", 413)
        try:
            body = request.body
        except RequestDataTooBig:
            return _error("The request body is too large.", 413)
        if json_depth_exceeds(body):
            return _error("The request body is nested too deeply.", 400)
        return None
