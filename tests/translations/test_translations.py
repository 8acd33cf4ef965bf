"""Draft languages: staff pages never speak them, a fund admin can hide one, translators sign
off catalogs and rights pages (audited), and a change after a sign-off is unreviewed again."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.i18n_public import is_public_path
from amparo.core.services import ServiceError
from amparo.rights.content import ContentError, parse_file
from amparo.rights.models import PageVersion
from amparo.translations import selectors
from amparo.translations.models import LanguageSetting, SignOff
from amparo.translations.services import (
    catalog_sign_off,
    language_visibility_set,
    rights_page_sign_off,
)
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]

NOTICE = "This translation has not been reviewed yet."
PAGE_NOTICE = (
    "This page is a translation that has not been reviewed yet. If something is unclear, call a "
    "hotline below or read the page in English or Spanish."
)


def in_pt(text: str) -> str:
    """What a Portuguese reader sees for ``text`` (the notices are translated too)."""
    with translation.override("pt"):
        return translation.gettext(text)


def html_lang(response: Any) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert found is not None
    return found[1]


def picker(response: Any) -> list[str]:
    select = re.search(r'<select id="lang-select".*?</select>', response.content.decode(), re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]+)" lang="\1"', select[0])


@pytest.fixture
def portuguese_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Portuguese as if its catalogs had landed (they are written on another branch)."""
    real = selectors.has_catalogs
    monkeypatch.setattr(selectors, "has_catalogs", lambda code: code == "pt" or real(code))


@pytest.fixture
def translator(make_user: Any) -> Any:
    return make_user(Role.TRANSLATOR)


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user(Role.FUND_ADMIN)


# --- which pages speak which languages -------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "public"),
    [
        ("/", True),
        ("/help/q/name/", True),
        ("/rights/at-home/", True),
        ("/rights/manage/", False),
        ("/donate/", True),
        ("/impact/", True),
        ("/transparency/", True),
        ("/cases/", False),
        ("/accounts/login/", False),
        ("/translations/", False),
        ("/helpdesk/", False),
    ],
)
def test_public_paths(path: str, public: bool) -> None:
    assert is_public_path(path) is public


def test_a_staff_page_in_a_draft_language_falls_back_to_english(portuguese_offered: None) -> None:
    client = Client()
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="pt")
    assert page.status_code == 200
    assert html_lang(page) == "en" and page["Content-Language"] == "en"
    assert picker(page) == ["en", "es"]
    # The same browser on a public page gets Portuguese, offered among the public languages.
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="pt")
    assert html_lang(home) == "pt" and "pt" in picker(home)


def test_a_staff_page_falls_back_to_the_persons_staff_language(
    make_user: Any, client_for: Any
) -> None:
    user = make_user(Role.INTAKE_WORKER, preferred_language="es")
    client = client_for(user)
    client.cookies["amparo_language"] = "ru"
    page = client.get("/dashboard/")
    assert page.status_code == 200 and html_lang(page) == "es"


def test_a_hidden_language_is_not_offered_and_answers_in_english(
    portuguese_offered: None, admin: Any
) -> None:
    client = Client()
    assert "pt" in picker(client.get("/"))
    language_visibility_set(language="pt", hidden=True, by=admin)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="pt")
    assert html_lang(home) == "en" and "pt" not in picker(home)
    assert AuditEvent.objects.filter(action="translations.language_hidden").count() == 1
    language_visibility_set(language="pt", hidden=False, by=admin)
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="pt")) == "pt"


def test_only_a_fund_admin_hides_and_only_draft_languages(translator: Any, admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        language_visibility_set(language="pt", hidden=True, by=translator)
    with pytest.raises(ServiceError):
        language_visibility_set(language="es", hidden=True, by=admin)
    assert not LanguageSetting.objects.exists()


def test_the_picker_names_each_language_in_its_own_script(portuguese_offered: None) -> None:
    html = Client().get("/").content.decode()
    assert '<option value="pt" lang="pt">Português</option>' in html
    assert '<option value="es" lang="es">Español</option>' in html


# --- catalogs --------------------------------------------------------------------------------


def _catalog(root: Path, entries: dict[str, str], staff: dict[str, str] | None = None) -> Path:
    path = root / "core" / "locale" / "pt" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in entries.items():
        po.append(
            polib.POEntry(
                msgid=msgid, msgstr=msgstr, occurrences=[("templates/core/home.html", "3")]
            )
        )
    for msgid, msgstr in (staff or {}).items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("views.py", "9")]))
    po.save(str(path))
    return path


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(selectors, "AMPARO_ROOT", tmp_path)
    return tmp_path


def test_a_catalog_sign_off_covers_its_translations_as_they_are(
    catalogs: Path, translator: Any
) -> None:
    path = _catalog(
        catalogs, {"Get help": "Obter ajuda", "Donate": "Doar"}, staff={"Dashboard": ""}
    )
    state = selectors.catalog_state("core", "pt")
    # The staff string does not count: staff pages are English and Spanish only.
    assert state.total == 2 and state.untranslated == [] and state.reviewed == 0
    assert sorted(state.unreviewed) == ["Donate", "Get help"]

    signoff = catalog_sign_off(language="pt", app="core", by=translator)
    state = selectors.catalog_state("core", "pt")
    assert state.fully_reviewed and state.signoff == signoff
    event = AuditEvent.objects.get(action="translations.signed_off")
    assert event.actor_id == translator.pk and "pt/catalog/core" in event.reason

    # A translator edits one string in Poedit: only that one is unreviewed again.
    po = polib.pofile(str(path))
    po.find("Donate").msgstr = "Fazer uma doação"
    po.save()
    state = selectors.catalog_state("core", "pt")
    assert state.unreviewed == ["Donate"] and state.reviewed == 1


def test_a_catalog_with_an_untranslated_or_fuzzy_string_cannot_be_signed_off(
    catalogs: Path, translator: Any
) -> None:
    path = _catalog(catalogs, {"Get help": "", "Donate": "Doar"})
    with pytest.raises(ServiceError, match="1 still empty or fuzzy"):
        catalog_sign_off(language="pt", app="core", by=translator)
    po = polib.pofile(str(path))
    entry = po.find("Get help")
    entry.msgstr = "Obter ajuda"
    entry.flags.append("fuzzy")
    po.save()
    assert selectors.catalog_state("core", "pt").untranslated == ["Get help"]
    with pytest.raises(ServiceError):
        catalog_sign_off(language="pt", app="core", by=translator)
    assert not SignOff.objects.exists()


def test_nobody_else_signs_off(catalogs: Path, make_user: Any) -> None:
    _catalog(catalogs, {"Get help": "Obter ajuda"})
    for role in (Role.INTAKE_WORKER, Role.DONOR, Role.BOARD_MEMBER):
        with pytest.raises(PermissionDenied):
            catalog_sign_off(language="pt", app="core", by=make_user(role))
    assert not SignOff.objects.exists()


def test_the_public_notice_stays_until_every_public_catalog_is_signed_off(
    portuguese_offered: None, catalogs: Path, translator: Any
) -> None:
    _catalog(catalogs, {"Get help": "Obter ajuda"})
    assert in_pt(NOTICE) in Client().get("/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()
    catalog_sign_off(language="pt", app="core", by=translator)
    # The other public apps (intake, rights, ...) have no Portuguese catalog here: still a draft.
    assert not selectors.language_reviewed("pt")
    assert in_pt(NOTICE) in Client().get("/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()
    # English and Spanish pages never carry it.
    assert NOTICE not in Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


# --- rights pages ----------------------------------------------------------------------------


def test_a_drafted_rights_file_parses_as_a_draft() -> None:
    page = parse_file(
        "title: T\nsummary: S\ndrafted: 2026-12-06\n\nBody\n", topic="at-home", language="pt"
    )
    assert page.drafted and page.reviewed == datetime.date(2026, 12, 6)
    for header in (
        "reviewed: 2026-12-01\ndrafted: 2026-12-06",
        "drafted: 2026-12-06\nreviewed_by: Someone",
        "",
    ):
        with pytest.raises(ContentError):
            parse_file(f"title: T\nsummary: S\n{header}\n\nBody\n", topic="at-home", language="pt")


def _portuguese_page(author: Any, body: str = "Não abra a porta.") -> PageVersion:
    return PageVersion.objects.create(
        topic="at-home",
        language="pt",
        number=PageVersion.objects.filter(topic="at-home", language="pt").count() + 1,
        title="Se agentes vierem à sua casa",
        summary="Você não precisa abrir a porta.",
        body=f"## Porta\n{body}\n",
        reviewed=datetime.date(2026, 12, 6),
        author=author,
    )


def test_a_rights_page_says_not_reviewed_until_signed_off(
    portuguese_offered: None, admin: Any, translator: Any, client_for: Any
) -> None:
    _portuguese_page(admin)
    page = Client().get("/rights/at-home/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()
    assert "Se agentes vierem" in page and in_pt(PAGE_NOTICE) in page

    reviewer = client_for(translator)
    response = reviewer.post("/translations/pt/rights/at-home/sign-off/")
    assert response.status_code == 302
    page = Client().get("/rights/at-home/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()
    assert in_pt(PAGE_NOTICE) not in page
    assert [p.reviewed for p in selectors.page_states("pt") if p.topic == "at-home"] == [True]

    # An edit after the sign-off is a draft again.
    _portuguese_page(admin, body="Fale pela porta fechada.")
    page = Client().get("/rights/at-home/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()
    assert in_pt(PAGE_NOTICE) in page


def test_only_a_draft_languages_own_pages_can_be_signed_off(translator: Any) -> None:
    with pytest.raises(ServiceError):
        rights_page_sign_off(language="es", topic="at-home", by=translator)  # not a draft
    with pytest.raises(ServiceError):
        rights_page_sign_off(language="pt", topic="no-such-topic", by=translator)


# --- the translators' page -------------------------------------------------------------------


def test_the_translators_page_lists_every_draft_language(translator: Any, client_for: Any) -> None:
    client = client_for(translator)
    page = client.get("/translations/")
    html = page.content.decode()
    assert page.status_code == 200
    for code, name in [("pt", "Português"), ("fr", "Français"), ("ar", "العربيّة")]:
        assert f'href="/translations/{code}/"' in html
        assert name in html
    assert "Kreyòl ayisyen" in html and "Русский" in html
    detail = client.get("/translations/ht/")
    assert (
        detail.status_code == 200 and "Hide it until it is reviewed" not in detail.content.decode()
    )
    assert client.get("/translations/es/").status_code == 404  # not a draft language


def test_a_refused_sign_off_is_a_clear_message_and_changes_nothing(
    translator: Any, client_for: Any
) -> None:
    response = client_for(translator).post("/translations/pt/catalogs/grants/sign-off/")
    assert response.status_code == 400
    assert "There is no such catalog." in response.content.decode()
    assert not SignOff.objects.exists()


def test_a_fund_admin_hides_a_language_from_the_page(admin: Any, client_for: Any) -> None:
    client = client_for(admin)
    assert client.post("/translations/fr/visibility/", {"hidden": "1"}).status_code == 302
    assert LanguageSetting.objects.get(language="fr").hidden
    bad = client.post("/translations/fr/visibility/", {"hidden": "maybe"})
    assert bad.status_code == 400 and LanguageSetting.objects.get(language="fr").hidden
