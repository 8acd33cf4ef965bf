"""``model_update``: only changed fields are saved and audited; a refused value changes nothing,
neither the row nor the instance the caller holds. ``model_insert``: a new row is validated,
inserted and audited, or refused with nothing saved."""

from __future__ import annotations

import pytest

from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM, ServiceError, model_insert, model_update
from amparo.organizations.models import Office, ProviderOrganization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_refused_value_leaves_the_row_and_the_instance_as_they_were() -> None:
    org = OrganizationFactory(name="Front Range Defense")
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as refused:
        model_update(instance=org, fields=["name"], data={"name": "x" * 500}, by=SYSTEM)
    assert "name" in refused.value.message_dict
    assert org.name == "Front Range Defense"
    assert ProviderOrganization.objects.get(pk=org.pk).name == "Front Range Defense"
    assert AuditEvent.objects.count() == events


def test_only_changed_fields_are_saved_and_audited_by_name() -> None:
    org = OrganizationFactory(name="Front Range Defense")
    same = model_update(instance=org, fields=["name"], data={"name": org.name}, by=SYSTEM)
    assert same == []
    changed = model_update(
        instance=org, fields=["name"], data={"name": "Mountain Defense"}, by=SYSTEM
    )
    assert changed == ["name"]
    assert ProviderOrganization.objects.get(pk=org.pk).name == "Mountain Defense"
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.fields == ["name"]


def test_model_insert_validates_saves_and_audits_the_fields_by_name() -> None:
    org = OrganizationFactory()
    office = model_insert(
        instance=Office(organization=org, name="Aurora", city="Aurora"),
        fields=["name", "city"],
        by=SYSTEM,
        action="organizations.office.created",
    )
    assert Office.objects.get(pk=office.pk).name == "Aurora"
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.fields) == ("organizations.office.created", ["city", "name"])


def test_model_insert_refuses_a_value_the_model_refuses_and_saves_nothing() -> None:
    org = OrganizationFactory()
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as refused:
        model_insert(
            instance=Office(organization=org, name="x" * 500, city="Aurora"),
            fields=["name", "city"],
            by=SYSTEM,
            action="organizations.office.created",
        )
    assert "name" in refused.value.message_dict
    assert not Office.objects.filter(organization=org).exists()
    assert AuditEvent.objects.count() == events
