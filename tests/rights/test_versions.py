"""Fund admins edit the rights pages: every save is a version, restore makes a new one, both
are audited; nobody else can edit; bad input saves nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.audit.verify import verify_chain
from amparo.core.services import ServiceError
from amparo.rights.content import TOPICS
from amparo.rights.models import PageVersion
from amparo.rights.selectors import rights_page
from amparo.rights.services import page_version_restore, page_version_save
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]

EDIT = "/rights/manage/es/at-home/"
HISTORY = "/rights/manage/es/at-home/history/"


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Si ICE llega a su casa",
        "summary": "No abra la puerta.",
        "body": "## Primero\nNo abra la puerta.\n\n- Pida la orden.\n- Quédese callado.\n",
        "reviewed": timezone.localdate().isoformat(),
        "published": "on",
        "note": "texto más corto",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user(Role.FUND_ADMIN)


@pytest.fixture
def admin_client(admin: Any, client_for: Any) -> Client:
    client: Client = client_for(admin)
    return client


def _es_page() -> Any:
    return rights_page(topic="at-home", language="es")


def test_a_save_makes_a_new_published_version_with_author_time_and_audit(
    admin: Any, admin_client: Client
) -> None:
    before = AuditEvent.objects.count()
    response = admin_client.post(EDIT, _form())
    assert response.status_code == 302 and response["Location"] == HISTORY
    version = PageVersion.objects.get()
    assert (version.number, version.author, version.published) == (1, admin, True)
    assert version.created_at <= timezone.now()
    page = _es_page()
    assert page is not None and page.version == version
    assert page.title == "Si ICE llega a su casa"
    public = Client()
    public.cookies["amparo_language"] = "es"
    html = public.get("/rights/at-home/").content.decode()
    assert "<h1>Si ICE llega a su casa</h1>" in html
    assert "<ul><li>Pida la orden.</li><li>Quédese callado.</li></ul>" in html
    # the English page is untouched
    assert rights_page(topic="at-home", language="en").version is None  # type: ignore[union-attr]
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None and event.action == "rights.page_saved"
    assert event.actor_id == admin.pk and event.object_id == str(version.pk)
    assert "body" in event.fields and "Quédese" not in str(event.fields)
    assert verify_chain().ok


def test_an_edit_names_its_reviewer_on_the_public_page(admin_client: Client) -> None:
    edit = admin_client.get(EDIT).content.decode()
    assert 'name="reviewed_by"' in edit and "Equipo de Amparo" in edit  # from the file
    response = admin_client.post(EDIT, _form(reviewed_by="  Ana Ruiz, abogada de inmigración  "))
    assert response.status_code == 302
    version = PageVersion.objects.get()
    assert version.reviewed_by == "Ana Ruiz, abogada de inmigración"
    public = Client()
    public.cookies["amparo_language"] = "es"
    html = public.get("/rights/at-home/").content.decode()
    assert "Ana Ruiz, abogada de inmigración" in html and 'class="reviewed-by"' in html
    restored = page_version_restore(
        topic="at-home", language="es", version=version, by=version.author
    )
    assert restored.reviewed_by == version.reviewed_by


def test_a_draft_is_kept_but_not_shown(admin: Any) -> None:
    page_version_save(
        topic="at-home",
        language="es",
        title="Uno",
        summary="S",
        body="Texto.",
        reviewed=timezone.localdate(),
        published=True,
        note="",
        by=admin,
    )
    page_version_save(
        topic="at-home",
        language="es",
        title="Borrador",
        summary="S",
        body="Texto.",
        reviewed=timezone.localdate(),
        published=False,
        note="",
        by=admin,
    )
    assert PageVersion.objects.count() == 2
    assert _es_page().title == "Uno"


def test_history_lists_versions_and_restore_makes_a_new_audited_version(
    admin: Any, admin_client: Client
) -> None:
    admin_client.post(EDIT, _form(title="Primera"))
    admin_client.post(EDIT, _form(title="Segunda"))
    first = PageVersion.objects.get(number=1)
    html = admin_client.get(HISTORY).content.decode()
    assert "Primera" in html and "Segunda" in html and "Repository text" in html

    response = admin_client.post(HISTORY, {"version": str(first.pk)})
    assert response.status_code == 302
    restored = PageVersion.objects.get(number=3)
    assert restored.title == "Primera" and restored.restored_from == first
    assert _es_page().title == "Primera"
    assert PageVersion.objects.filter(title="Segunda").exists()  # nothing is overwritten
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "rights.page_restored"

    admin_client.post(HISTORY, {"version": "repository"})
    back = PageVersion.objects.get(number=4)
    assert back.restored_repository and back.title == "Si los agentes llegan a su casa"
    assert _es_page().title == "Si los agentes llegan a su casa"
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"body": "Hola <script>x()</script>"}, "HTML tags are not allowed"),
        ({"body": "[aquí](https://evil.example/)"}, "A link can only go to"),
        ({"body": ""}, "This field is required"),
        ({"title": "<b>Hola</b>"}, "HTML tags are not allowed"),
        ({"reviewed": "2999-01-01"}, "cannot be in the future"),
        ({"reviewed": "not a date"}, "Enter a valid date"),
        ({"title": "x" * 500}, "at most 120 characters"),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(
    admin_client: Client, overrides: dict[str, str], message: str
) -> None:
    before = AuditEvent.objects.count()
    response = admin_client.post(EDIT, _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert PageVersion.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_bad_input_is_explained_in_spanish(admin_client: Client) -> None:
    admin_client.cookies["amparo_language"] = "es"
    html = admin_client.post(EDIT, _form(body="<p>x</p>")).content.decode()
    assert "No se permiten etiquetas HTML." in html


def test_restoring_something_that_is_not_in_the_list_changes_nothing(
    admin: Any, admin_client: Client
) -> None:
    other = page_version_save(
        topic="at-work",
        language="es",
        title="Otra",
        summary="S",
        body="Texto.",
        reviewed=timezone.localdate(),
        published=True,
        note="",
        by=admin,
    )
    for choice in (str(other.pk), "999999", "abc", ""):
        response = admin_client.post(HISTORY, {"version": choice})
        assert response.status_code == 400
        assert "Choose a version from the list" in response.content.decode()
    assert PageVersion.objects.filter(topic="at-home").count() == 0


@pytest.mark.parametrize(
    "role",
    [Role.BOARD_MEMBER, Role.INTAKE_WORKER, Role.PROVIDER_ADMIN, Role.ATTORNEY, Role.DONOR],
)
def test_other_roles_cannot_edit(make_user: Any, client_for: Any, role: str) -> None:
    client = client_for(make_user(role))
    for url in ("/rights/manage/", EDIT, HISTORY):
        assert client.get(url).status_code == 404
    assert client.post(EDIT, _form()).status_code == 404
    assert PageVersion.objects.count() == 0
    with pytest.raises(PermissionDenied):
        page_version_save(
            topic="at-home",
            language="es",
            title="T",
            summary="S",
            body="B.",
            reviewed=datetime.date(2026, 1, 1),
            published=True,
            note="",
            by=make_user(role),
        )


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    response = Client().get(EDIT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_fund_admin_without_mfa_is_sent_to_enrol(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.FUND_ADMIN, mfa=False))
    response = client.get("/rights/manage/")
    assert response.status_code == 302 and "/2fa/" in response["Location"]
    assert client.post(EDIT, _form()).status_code == 302
    assert PageVersion.objects.count() == 0


def test_unknown_pages_and_languages_are_not_found(admin_client: Client) -> None:
    assert admin_client.get("/rights/manage/es/nope/").status_code == 404
    assert admin_client.get("/rights/manage/xx/at-home/").status_code == 404


def test_the_manage_page_lists_every_page_in_every_language(admin_client: Client) -> None:
    html = admin_client.get("/rights/manage/").content.decode()
    links = 2 * len(TOPICS)  # each topic: edit and history
    assert html.count('href="/rights/manage/es/') == links
    assert html.count('href="/rights/manage/en/') == links
    assert admin_client.get("/rights/manage/")["Cache-Control"] == "no-store"


def test_restore_refuses_a_version_of_another_page(admin: Any) -> None:
    other = page_version_save(
        topic="at-work",
        language="es",
        title="Otra",
        summary="S",
        body="Texto.",
        reviewed=timezone.localdate(),
        published=True,
        note="",
        by=admin,
    )
    with pytest.raises(ServiceError):
        page_version_restore(topic="at-home", language="es", version=other, by=admin)
