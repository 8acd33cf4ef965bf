"""Writes of the vault: subjects and their keys. Each runs in one transaction and is audited."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, connections, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.audit.services import audit_record
from amparo.core.services import Actor, ServiceError, is_system, require

from . import crypto
from .errors import VaultError
from .keys import data_keys, get_provider, subject_context
from .models import KeyRing, KeyRotation, RotationStatus, Subject, SubjectKind
from .registry import protected_groups

logger = logging.getLogger("amparo.vault")


def _locked_key_ring() -> KeyRing:
    ring = KeyRing.objects.select_for_update().filter(pk=1).first()
    if ring is not None:
        return ring
    try:
        with transaction.atomic():
            return KeyRing.objects.create(pk=1, active_kek_id=get_provider().key_id)
    except IntegrityError:  # created by a concurrent writer; wait for its lock
        return KeyRing.objects.select_for_update().get(pk=1)


def _locked_active_kek_id() -> str:
    """The key ring's active KEK id, its row locked (as :func:`_locked_key_ring`) by one
    small statement: every new subject asks, so it skips the ORM's query building."""
    connection = connections[KeyRing.objects.db]
    qn = connection.ops.quote_name
    # The table and column names are the model's own, quoted; the id is a parameter.
    sql = f"SELECT {qn('active_kek_id')} FROM {qn(KeyRing._meta.db_table)} WHERE {qn('id')} = %s"  # noqa: S608
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [1])
        row = cursor.fetchone()
    return str(row[0]) if row is not None else _locked_key_ring().active_kek_id


def subject_create(*, kind: str) -> Subject:
    """A new subject with a fresh random 256-bit data key, wrapped under the active KEK.

    The key ring row stays locked until the caller's transaction commits, so a KEK rotation
    cannot finish while this subject's key is wrapped under the KEK it is retiring.
    """
    if kind not in SubjectKind.values:
        raise ValueError(f"unknown subject kind {kind!r}")
    # No savepoint: a failure here fails the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        kek_id = _locked_active_kek_id()
        subject = Subject(kind=kind, kek_id=kek_id)
        key = crypto.new_data_key()
        subject.wrapped_key = get_provider().wrap(
            key, context=subject_context(str(subject.pk)), kek_id=kek_id
        )
        subject.save(force_insert=True)
    data_keys.put(subject.pk, subject.kek_id, subject.wrapped_key, key)
    return subject


def _named(by: Actor) -> bool:
    """The vault knows no roles (it imports no domain app): the service that calls it decides
    who may shred. The vault's own check is that the actor is named: the system, or a signed-in,
    active person."""
    return is_system(by) or bool(by.is_authenticated and by.is_active)


def subject_shred(*, subject: Subject, by: Actor, reason: str) -> Subject:
    """Crypto-shred ``subject``: destroy its data key and blank its blind indexes everywhere.

    Guarantees, once committed: no protected value of the subject can be decrypted from this
    database (its wrapped key is gone; its ciphertexts are also cleared in every model that
    declares fields for it), and no blind index can match it. The subject row stays, with no
    key, so records keep their shape for aggregate reports. Shredding twice is harmless and
    records one event. ``reason`` is required and must not itself hold protected data.
    """
    require(_named(by))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": [ServiceError(_("Say why the data is shredded."))]})
    with transaction.atomic():
        locked = Subject.objects.select_for_update().get(pk=subject.pk)
        if locked.shredded_at is not None:
            return locked
        touched: list[str] = []
        for group in protected_groups():
            subject_field = group.model._meta.get_field(group.subject_field)
            assert isinstance(subject_field, models.Field)
            subject_attname = subject_field.attname
            updates: dict[str, Any] = {field.name: b"" for field in group.encrypted}
            updates.update({field.name: None for field in group.blind})
            rows = group.model._base_manager.filter(**{subject_attname: locked.pk}).update(
                **updates
            )
            if rows:
                label = group.model._meta.label_lower
                touched.extend(f"{label}.{name}" for name in updates)
        locked.wrapped_key = None
        locked.shredded_at = timezone.now()
        locked.save(update_fields=["wrapped_key", "shredded_at"])
        audit_record(
            actor=by, action="vault.subject.shredded", obj=locked, fields=touched, reason=reason
        )
    data_keys.forget_subject(str(locked.pk))
    subject.wrapped_key, subject.shredded_at = None, locked.shredded_at
    return locked


def _current_rotation() -> KeyRotation | None:
    return (
        KeyRotation.objects.filter(retired_at__isnull=True).order_by("-started_at", "-id").first()
    )


def kek_rotate(
    *, by: Actor, reason: str = "", batch_size: int = 500, max_batches: int | None = None
) -> KeyRotation:
    """Rotate the key-encryption key: rewrap every data key under a new KEK, then retire the old.

    Data is not re-encrypted: only the wrapped data keys change. Resumable: the rotation is a
    row, every subject row says which KEK wraps it, and each batch commits on its own, so after
    a crash (or after ``max_batches`` batches) calling this again continues where it stopped.
    The old KEK stays available until no row uses it and the rotation is marked completed; only
    then is it retired. Audited when it starts, completes and retires the old KEK. Only the
    system rotates keys (``amparo keys rotate``, an operator's command).
    """
    require(is_system(by))
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    provider = get_provider()
    actor_id = None if by.pk is None else int(by.pk)
    rotation = _current_rotation()
    if rotation is None:
        new_id = provider.create_next()
        with transaction.atomic():
            ring = _locked_key_ring()
            if ring.active_kek_id == new_id:
                raise VaultError("the new key-encryption key is already the active one")
            rotation = KeyRotation.objects.create(
                old_kek_id=ring.active_kek_id, new_kek_id=new_id, started_by_id=actor_id
            )
            ring.active_kek_id = new_id
            ring.updated_at = timezone.now()
            ring.save(update_fields=["active_kek_id", "updated_at"])
            audit_record(actor=by, action="vault.kek_rotation.started", obj=rotation, reason=reason)

    new_id = rotation.new_kek_id
    batches = 0
    while rotation.status == RotationStatus.RUNNING:
        if max_batches is not None and batches >= max_batches:
            rotation.refresh_from_db()
            return rotation
        with transaction.atomic():
            rows = list(
                Subject.objects.select_for_update()
                .filter(wrapped_key__isnull=False)
                .exclude(kek_id=new_id)
                .order_by("pk")[:batch_size]
            )
            if not rows:
                # Lock the key ring: no subject can be created under the old KEK from here on.
                _locked_key_ring()
                left = (
                    Subject.objects.filter(wrapped_key__isnull=False)
                    .exclude(kek_id=new_id)
                    .exists()
                )
                if not left:
                    rotation.status = RotationStatus.COMPLETED
                    rotation.completed_at = timezone.now()
                    rotation.save(update_fields=["status", "completed_at"])
                    audit_record(
                        actor=by, action="vault.kek_rotation.completed", obj=rotation, reason=reason
                    )
                continue
            for subject in rows:
                context = subject_context(str(subject.pk))
                key = provider.unwrap(
                    bytes(subject.wrapped_key or b""), kek_id=subject.kek_id, context=context
                )
                subject.wrapped_key = provider.wrap(key, context=context, kek_id=new_id)
                subject.kek_id = new_id
                subject.key_version += 1
            Subject.objects.bulk_update(rows, ["wrapped_key", "kek_id", "key_version"])
            KeyRotation.objects.filter(pk=rotation.pk).update(rewrapped=F("rewrapped") + len(rows))
        batches += 1
        logger.info("key rotation %s: rewrapped a batch of %s data keys", rotation.pk, len(rows))

    provider.retire(rotation.old_kek_id)
    with transaction.atomic():
        rotation.retired_at = timezone.now()
        rotation.save(update_fields=["retired_at"])
        audit_record(actor=by, action="vault.kek_rotation.retired", obj=rotation, reason=reason)
    data_keys.clear()
    rotation.refresh_from_db()
    return rotation
