"""Reads of the vault's own state, for operators (no protected data here)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from .keys import FileKeyProvider, get_provider
from .models import KeyRing, KeyRotation, Subject


def key_status() -> dict[str, Any]:
    """Which KEK is active, which ones wrap data keys, and the rotation in progress, if any."""
    provider = get_provider()
    ring = KeyRing.objects.filter(pk=1).first()
    per_kek = dict(
        Subject.objects.filter(wrapped_key__isnull=False)
        .values_list("kek_id")
        .annotate(n=Count("pk"))
        .values_list("kek_id", "n")
    )
    rotation = (
        KeyRotation.objects.filter(retired_at__isnull=True).order_by("-started_at", "-id").first()
    )
    status: dict[str, Any] = {
        "active_kek_id": ring.active_kek_id if ring else provider.key_id,
        "provider": f"{type(provider).__module__}.{type(provider).__qualname__}",
        "provider_primary_kek_id": provider.key_id,
        "subjects_by_kek_id": per_kek,
        "shredded_subjects": Subject.objects.filter(wrapped_key__isnull=True).count(),
        "rotation_in_progress": None,
    }
    if isinstance(provider, FileKeyProvider):
        status["pending_next_kek_id"] = provider.pending_next_id()
    if rotation is not None:
        status["rotation_in_progress"] = {
            "id": rotation.pk,
            "old_kek_id": rotation.old_kek_id,
            "new_kek_id": rotation.new_kek_id,
            "status": rotation.status,
            "rewrapped": rotation.rewrapped,
        }
    return status
