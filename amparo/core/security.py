"""Security settings the product uses: the outbound links a page may carry, and error reports
(emails to ``ADMINS``, anything built on Django's reporter) that carry no protected values.

The checks that pages and URLs keep to these rules live with the tests (``tests/support/``).
"""

from __future__ import annotations

from collections.abc import ItemsView
from typing import Any

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from .logging import mask

# --- Where a page may link ---------------------------------------------------------------------

#: Documented outbound links: origins a page may link to with a plain ``<a href>`` (never load
#: anything from). Each entry says why.
OUTBOUND_LINKS: dict[str, str] = {
    "https://acis.eoir.justice.gov": "EOIR's automated case information portal, for hearing dates",
    "https://locator.ice.gov": "ICE's online detainee locator, to find a detained person",
    "https://www.justice.gov": "EOIR pages: immigration court list, practice manual, pro bono lists",
}

# --- Error reports without protected values ---------------------------------------------------

_CLEANSED = SafeExceptionReporterFilter.cleansed_substitute


class ProtectedExceptionReporterFilter(SafeExceptionReporterFilter):
    """Cleanse every value a client could have typed, not just passwords.

    Local variables and POST values are all replaced, query strings dropped, other request
    headers masked (emails, phones and A-numbers). Active under DEBUG too: the demo runs
    with synthetic data, but a developer may point it at a copy of real data.
    """

    def is_active(self, request: Any) -> bool:
        return True

    def get_post_parameters(self, request: Any) -> Any:
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed.setlist(key, [_CLEANSED])
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> ItemsView[str, Any]:
        return dict.fromkeys(tb_frame.f_locals, _CLEANSED).items()

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        for key, value in meta.items():
            if key in ("QUERY_STRING", "HTTP_REFERER", "HTTP_AUTHORIZATION", "HTTP_COOKIE"):
                meta[key] = _CLEANSED
            elif isinstance(value, str):
                meta[key] = mask(value)
        return meta

    def get_safe_cookies(self, request: Any) -> dict[str, Any]:
        cookies = getattr(request, "COOKIES", {}) or {}
        return dict.fromkeys(cookies, _CLEANSED)


class ProtectedExceptionReporter(ExceptionReporter):
    """Django's reporter, minus what could identify a client: see ``get_traceback_data``."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        request: Any = self.request
        if "request_GET_items" in data:
            data["request_GET_items"] = [(k, _CLEANSED) for k in request.GET]
        if "request_FILES_items" in data:
            data["request_FILES_items"] = [(k, _CLEANSED) for k in request.FILES]
        if "request_insecure_uri" in data:
            data["request_insecure_uri"] = data["request_insecure_uri"].split("?", 1)[0]
        for key in ("exception_value", "exception_notes"):
            if isinstance(data.get(key), str):
                data[key] = mask(data[key])
        if request is not None and getattr(request, "user", None) is not None:
            user = request.user
            data["user_str"] = f"user #{user.pk}" if getattr(user, "pk", None) else "anonymous"
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = mask(str(frame["exc_cause"]))
            # Source lines are code, but code can hold a pasted value: mask them too.
            if isinstance(frame.get("context_line"), str):
                frame["context_line"] = mask(frame["context_line"])
            for key in ("pre_context", "post_context"):
                if frame.get(key):
                    frame[key] = [mask(line) for line in frame[key]]
        return data
