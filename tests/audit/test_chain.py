"""The hash chain, the append-only triggers and `amparo audit verify`."""

from __future__ import annotations

import datetime
import itertools
import json
import threading
from collections.abc import Iterator, Sequence
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection, transaction

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.chain import event_hash, hash_of_row
from amparo.audit.models import GENESIS_HASH, AppendOnlyError, AuditChainHead, AuditEvent
from amparo.audit.services import audit_record
from amparo.audit.triggers import drop_triggers, install_triggers, triggers_present
from amparo.core.logging import request_id_var
from tests.vault.aliases import MakeUser

TABLE = AuditEvent._meta.db_table


def record_some(n: int = 5, actor: User | None = None) -> list[AuditEvent]:
    return [
        audit_record(
            actor=actor,
            action="read",
            object_type="bench.samplerecord",
            object_id=f"obj-{i}",
            fields=("full_name",),
            reason=f"step {i}",
        )
        for i in range(n)
    ]


def verify() -> tuple[int, dict[str, Any], str]:
    """Run `amparo audit verify`; return (exit status, JSON summary, error message)."""
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as exc:
        return exc.returncode, json.loads(out.getvalue()), str(exc)
    return 0, json.loads(out.getvalue()), ""


def sql(statement: str, params: Sequence[Any] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))


# --- Writing -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_events_form_a_chain_from_the_genesis_hash(make_user: MakeUser) -> None:
    actor = make_user(Role.FUND_ADMIN)
    token = request_id_var.set("req-0123456789abcdef")
    try:
        events = record_some(4, actor=actor)
    finally:
        request_id_var.reset(token)
    rows = list(AuditEvent.objects.order_by("seq").values())
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["prev_hash"] == GENESIS_HASH
    for before, after in itertools.pairwise(rows):
        assert after["prev_hash"] == before["hash"]
    for row in rows:
        assert hash_of_row(row) == row["hash"]
        assert row["actor_id"] == actor.pk and row["request_id"] == "req-0123456789abcdef"
        assert row["created_at"].utcoffset() == datetime.timedelta(0)
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (4, rows[-1]["hash"])
    assert events[-1].pk == rows[-1]["id"] and events[-1].hash == rows[-1]["hash"]


@pytest.mark.django_db
def test_the_hash_covers_every_recorded_value() -> None:
    event = record_some(1)[0]
    values: dict[str, Any] = {
        name: getattr(event, name)
        for name in (
            "seq",
            "actor_id",
            "action",
            "object_type",
            "object_id",
            "fields",
            "reason",
            "request_id",
            "created_at",
            "prev_hash",
        )
    }
    assert event_hash(**values) == event.hash
    for name, other in (
        ("reason", "other"),
        ("object_id", "x"),
        ("fields", ["a"]),
        ("actor_id", 7),
        ("seq", 2),
    ):
        assert event_hash(**{**values, name: other}) != event.hash


@pytest.mark.django_db
def test_an_event_names_fields_never_values_and_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        audit_record(actor=None, action="read", object_type="x.y", fields=("María Pérez",))
    with pytest.raises(ValueError):
        audit_record(actor=None, action="read", object_type="x.y", fields=("a-012-345-678",))
    with pytest.raises(ValueError):
        audit_record(actor=None, action="Read Everything!", object_type="x.y")
    with pytest.raises(ValueError):
        audit_record(actor=None, action="read", object_type="")
    with pytest.raises(ValueError):
        audit_record(actor=None, action="read", object_type="x.y", reason="r" * 2001)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_event_rolls_back_with_its_transaction() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record_some(2)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()
    record_some(1)
    assert AuditEvent.objects.get().seq == 1  # the chain did not advance for the rolled-back pair


@pytest.mark.django_db
def test_anonymous_and_system_actors_are_recorded_as_null() -> None:
    from django.contrib.auth.models import AnonymousUser

    first = audit_record(actor=AnonymousUser(), action="read", object_type="x.y")
    second = audit_record(actor=None, action="read", object_type="x.y")
    assert first.actor_id is None and second.actor_id is None


# --- Append-only -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_update_and_delete() -> None:
    event = record_some(1)[0]
    assert triggers_present(connection)
    for statement in (
        f"UPDATE {TABLE} SET reason = 'rewritten' WHERE id = %s",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            sql(statement, [event.pk])
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.reason == "step 0"


@pytest.mark.django_db
def test_the_orm_refuses_update_and_delete() -> None:
    event = record_some(1)[0]
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        event.delete()
    event.reason = "x"
    with pytest.raises(AppendOnlyError):
        event.save()


# --- Verification ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_passes_an_intact_chain_and_prints_a_summary() -> None:
    events = record_some(6)
    status, summary, _ = verify()
    assert status == 0
    assert summary["status"] == "ok" and summary["events"] == 6 and summary["last_seq"] == 6
    assert summary["head_hash"] == events[-1].hash
    assert summary["append_only_triggers"] is True


@pytest.mark.django_db
def test_verify_passes_an_empty_log() -> None:
    status, summary, _ = verify()
    assert status == 0 and summary["events"] == 0


@pytest.fixture
def tamperable(db: None) -> Iterator[None]:
    """Drop the triggers, as an attacker with database access would (rolled back after the test)."""
    drop_triggers(connection)
    yield
    install_triggers(connection)


def test_verify_names_an_edited_event(tamperable: None) -> None:
    events = record_some(5)
    sql(f"UPDATE {TABLE} SET reason = 'nothing to see' WHERE id = %s", [events[2].pk])
    status, summary, message = verify()
    assert status == 1
    assert summary["status"] == "tampered" and summary["problem"]["kind"] == "edited"
    assert summary["problem"]["seq"] == 3
    assert "3" in message and "edited" in message


def test_verify_names_an_edited_and_rehashed_event(tamperable: None) -> None:
    events = record_some(5)
    row = AuditEvent.objects.filter(pk=events[1].pk).values().get()
    row["reason"] = "rewritten with care"
    new_hash = hash_of_row(row)
    sql(
        f"UPDATE {TABLE} SET reason = %s, hash = %s WHERE id = %s",
        [row["reason"], new_hash, events[1].pk],
    )
    status, summary, _ = verify()
    assert status == 1 and summary["problem"]["kind"] == "edited" and summary["problem"]["seq"] == 2


def test_verify_names_a_removed_event(tamperable: None) -> None:
    events = record_some(5)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    status, summary, message = verify()
    assert status == 1
    assert summary["problem"]["kind"] == "removed" and summary["problem"]["seq"] == 2
    assert "removed" in message


def test_verify_notices_events_cut_from_the_end(tamperable: None) -> None:
    events = record_some(5)
    sql(f"DELETE FROM {TABLE} WHERE seq >= %s", [4])
    status, summary, _ = verify()
    assert (
        status == 1 and summary["problem"]["kind"] == "removed" and summary["problem"]["seq"] == 4
    )
    assert summary["events"] == 3 and summary["head_hash"] == events[2].hash


def _forge(seq: int, prev_hash: str, created_at: datetime.datetime) -> dict[str, Any]:
    values: dict[str, Any] = {
        "seq": seq,
        "actor_id": None,
        "action": "read",
        "object_type": "bench.samplerecord",
        "object_id": "forged",
        "fields": [],
        "reason": "an alibi",
        "request_id": "",
        "created_at": created_at,
        "prev_hash": prev_hash,
    }
    values["hash"] = event_hash(**values)
    return values


def test_verify_names_an_event_inserted_at_the_end(tamperable: None) -> None:
    events = record_some(3)
    forged = AuditEvent.objects.create(**_forge(4, events[-1].hash, events[-1].created_at))
    status, summary, message = verify()
    assert status == 1
    assert summary["problem"] == {
        "kind": "inserted",
        "seq": 4,
        "event_id": forged.pk,
        "detail": summary["problem"]["detail"],
    }
    assert "inserted" in message


def test_verify_names_an_event_inserted_in_the_middle(tamperable: None) -> None:
    events = record_some(4)
    # Make room at number 2 by renumbering the later events, then slip a well-formed event in.
    for event in reversed(events[1:]):
        sql(f"UPDATE {TABLE} SET seq = seq + 1 WHERE id = %s", [event.pk])
    sql(f"UPDATE {AuditChainHead._meta.db_table} SET last_seq = last_seq + 1")
    forged = AuditEvent.objects.create(**_forge(2, events[0].hash, events[0].created_at))
    status, summary, _ = verify()
    assert status == 1
    assert summary["problem"]["kind"] == "inserted"
    assert summary["problem"]["seq"] == 2 and summary["problem"]["event_id"] == forged.pk


def test_verify_reports_missing_triggers(tamperable: None) -> None:
    record_some(2)
    status, summary, _ = verify()
    assert status == 0 and summary["append_only_triggers"] is False


# --- Concurrency and flushing (committed transactions) ----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain() -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=None, action="read", object_type="x.y", object_id=f"{n}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 61)
    )
    assert len(set(AuditEvent.objects.values_list("prev_hash", flat=True))) == 60
    status, summary, _ = verify()
    assert status == 0 and summary["events"] == 60


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_the_triggers() -> None:
    record_some(3)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert triggers_present(connection)
    record_some(1)
    assert AuditEvent.objects.get().seq == 1
    assert verify()[0] == 0
