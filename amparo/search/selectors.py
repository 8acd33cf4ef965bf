"""Reads of the search: what a query is, and the records it finds that the viewer may open.

Every lookup is an exact match on a keyed digest (blind index) or on a reference: never a
``LIKE`` on personal data. Results are scoped by the same selectors as the pages they link to
(``help_request_list``, ``case_list``), so a search never finds what a page would refuse.
Fund administrators find records by reference only and never see a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from amparo.audit.reads import audit_read
from amparo.cases.models import Case, Client
from amparo.cases.permissions import can_view_client_identity
from amparo.cases.selectors import case_list
from amparo.core.services import ServiceError
from amparo.intake.codes import normalize_reference
from amparo.intake.hooks import request_identity_visible
from amparo.intake.models import HelpRequest
from amparo.intake.selectors import help_request_list
from amparo.vault.blind import digest, matching
from amparo.vault.display import shown
from amparo.vault.errors import VaultError
from amparo.vault.normalize import NormalizationError, normalize_email

from .models import SearchKey
from .permissions import REFERENCE_ONLY_ROLES
from .services import name_tokens

#: Results of each kind a search shows at most: a search finds a person, not a list (each name
#: shown is a decryption and an audited read; a common surname alone asks for a second word).
LIMIT = 10

_REQUEST_REF = re.compile(r"^\s*H\s*-", re.IGNORECASE)
_CASE_REF = re.compile(r"^\s*C\s*-\s*(\d{4})\s*-\s*([0-9A-Z]{5})\s*$", re.IGNORECASE)
_NUMBERISH = re.compile(r"^[\sAa()+.\-#0-9]*[0-9][\s()+.\-#0-9]*$")


@dataclass(frozen=True)
class Result:
    kind: str  # "help_request" | "case"
    id: str
    reference: str
    label: str
    url: str


def classify(text: str) -> str:
    """``request_ref``, ``case_ref``, ``email``, ``number`` or ``name``; refuses what it cannot
    read with a message saying what it expected."""
    if _REQUEST_REF.match(text):
        if not normalize_reference(text):
            raise ServiceError({"q": _("A request reference looks like H-7KQ3-M2XP.")})
        return "request_ref"
    if re.match(r"^\s*C\s*-", text, re.IGNORECASE):
        if not _CASE_REF.match(text):
            raise ServiceError({"q": _("A case reference looks like C-2026-7KQ3M.")})
        return "case_ref"
    if "@" in text:
        try:
            normalize_email(text)
        except NormalizationError:
            raise ServiceError({"q": _("This is not an email address.")}) from None
        return "email"
    if _NUMBERISH.match(text):
        return "number"
    if any(c.isdigit() for c in text):
        raise ServiceError(
            {"q": _("Search for a name, or for a number (an A-number or a phone), not both.")}
        )
    if not name_tokens(text):
        raise ServiceError({"q": _("Enter at least one letter of a name.")})
    return "name"


def _digest_or_none(raw: str, normalizer: str, scope: str | None = None) -> str | None:
    try:
        return digest(raw, normalizer=normalizer, scope=scope)
    except NormalizationError:
        return None


def _name_owners(text: str, owner: str) -> QuerySet[Any]:
    """Ids of the owners (``help_request`` or ``client``) whose name holds every word typed."""
    tokens = name_tokens(text)
    digests = [d for t in tokens if (d := _digest_or_none(t, "name", "name_token"))]
    keys: QuerySet[Any] = SearchKey.objects.filter(
        **{f"{owner}__isnull": False}, token_index__in=digests
    )
    grouped: QuerySet[Any] = keys.values(owner).annotate(found=Count("token_index", distinct=True))
    return grouped.filter(found=len(set(digests))).values(owner)


def _email_owners(text: str, owner: str) -> QuerySet[Any]:
    found = _digest_or_none(text, "email", "search_email")
    keys: QuerySet[Any] = SearchKey.objects.filter(**{f"{owner}__isnull": False}, email_index=found)
    return keys.values(owner)


def _request_condition(text: str, kind: str) -> Q:
    if kind == "request_ref":
        return Q(reference=normalize_reference(text))
    if kind == "email":
        return Q(pk__in=_email_owners(text, "help_request"))
    if kind == "number":
        return matching(HelpRequest, "a_number_index", text) | matching(
            HelpRequest, "phone_index", text
        )
    if kind == "name":
        return matching(HelpRequest, "name_index", text) | Q(
            pk__in=_name_owners(text, "help_request")
        )
    return Q(pk__in=[])


def _client_condition(text: str, kind: str) -> Q:
    if kind == "email":
        return Q(pk__in=_email_owners(text, "client"))
    if kind == "number":
        return matching(Client, "a_number_index", text) | matching(Client, "phone_index", text)
    if kind == "name":
        return matching(Client, "name_index", text) | Q(pk__in=_name_owners(text, "client"))
    return Q(pk__in=[])


def _case_condition(text: str, kind: str) -> Q:
    if kind == "case_ref":
        match = _CASE_REF.match(text)
        assert match is not None
        return Q(reference=f"C-{match.group(1)}-{match.group(2).upper()}")
    return Q(client__in=Client.objects.filter(_client_condition(text, kind)).values("pk"))


def _request_label(user: Any, request: HelpRequest, identity: bool) -> str:
    state = request.get_state_display()
    if not identity or request.purged_at is not None:
        return str(state)
    try:
        if request_identity_visible(user, request):
            name = shown(lambda: request.name or "")
        else:
            name = request.initials
    except VaultError:
        name = "—"
    return f"{name} · {state}"


def _case_label(user: Any, case: Case, identity: bool) -> str:
    kind = case.get_case_type_display()
    if identity and can_view_client_identity(user, case):
        return f"{case.client.display_name} · {kind}"
    return str(kind)


def search_results(*, fetched_by: Any, query: str, kind: str) -> list[Result]:
    """The records ``query`` (already classified as ``kind``) finds among those the viewer may
    open, requests first; each name shown is an audited read."""
    identity = fetched_by.role not in REFERENCE_ONLY_ROLES
    if not identity and kind not in ("request_ref", "case_ref"):
        return []
    results: list[Result] = []
    requests = (
        help_request_list(fetched_by=fetched_by)
        .filter(_request_condition(query, kind))
        .select_related("subject")
        .order_by("-created_at")[:LIMIT]
    )
    for request in requests:
        label = _request_label(fetched_by, request, identity)
        if identity and request.purged_at is None:
            audit_read(actor=fetched_by, obj=request, fields=("name",), reason="search")
        results.append(
            Result(
                "help_request",
                str(request.pk),
                request.reference,
                label,
                reverse("intake:detail", kwargs={"request_id": request.pk}),
            )
        )
    cases = case_list(fetched_by=fetched_by).filter(_case_condition(query, kind))
    for case in cases.order_by("-opened_at")[:LIMIT]:
        label = _case_label(fetched_by, case, identity)
        if identity and can_view_client_identity(fetched_by, case):
            audit_read(actor=fetched_by, obj=case.client, fields=("name",), reason="search")
        results.append(
            Result(
                "case",
                str(case.pk),
                case.reference,
                label,
                reverse("cases:detail", kwargs={"case_id": case.pk}),
            )
        )
    return results
