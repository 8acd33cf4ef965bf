import gzip
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from amparo.accounts.roles import Role
from amparo.core import views as core_views

pytestmark = pytest.mark.django_db


def test_home_is_public_and_in_the_browser_language(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert b'<html lang="es">' in response.content


def test_unknown_url_is_a_translated_404(client: Client) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_healthz_reports_database_and_queue(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["task_queue"] == "ok"


def test_staff_without_mfa_is_sent_to_enrol(
    make_user: Any, client_for: Callable[[Any], Client]
) -> None:
    user = make_user(Role.INTAKE_WORKER, mfa=False)
    response = client_for(user).get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_staff_with_mfa_reaches_dashboard(
    make_user: Any, client_for: Callable[[Any], Client]
) -> None:
    user = make_user(Role.INTAKE_WORKER)
    response = client_for(user).get("/dashboard/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_donor_needs_no_mfa(make_user: Any, client_for: Callable[[Any], Client]) -> None:
    user = make_user(Role.DONOR, mfa=False)
    assert client_for(user).get("/dashboard/").status_code == 200


# --- The UI shell: header, navigation per role, footer, error pages, weight --------------------


def test_every_page_starts_with_a_skip_link_to_main(client: Client) -> None:
    html = client.get("/").content.decode()
    body = html[html.index("<body>") :]
    first_link = re.search(r"<a [^>]*>", body)
    assert first_link is not None
    assert 'class="skip-link"' in first_link.group(0) and 'href="#main"' in first_link.group(0)
    assert '<main id="main"' in html
    assert html.count("<header") == 1 and html.count("<footer") == 1


def test_anonymous_visitors_get_no_staff_navigation_but_a_sign_in_link(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'class="site-nav"' not in html
    assert 'href="/accounts/login/"' in html
    assert "Sign out" not in html


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            Role.FUND_ADMIN,
            ["Dashboard", "Organizations", "Programs", "Account"],
            ["My organization"],
        ),
        (Role.INTAKE_WORKER, ["Dashboard", "Organizations", "Account"], ["Programs"]),
        (Role.DONOR, ["Dashboard", "Account"], ["Organizations", "Programs", "My organization"]),
    ],
)
def test_navigation_shows_each_role_only_its_own_links(
    make_user: Any,
    client_for: Callable[[Any], Client],
    role: str,
    shown: list[str],
    hidden: list[str],
) -> None:
    user = make_user(role)
    html = client_for(user).get("/dashboard/").content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", nav)
    assert all(label in labels for label in shown), labels
    assert not any(label in labels for label in hidden), labels
    assert re.search(r'<a href="/dashboard/" aria-current="page">Dashboard</a>', nav)
    assert "Sign out" in nav
    assert 'href="/accounts/login/"' not in html  # no "Staff sign-in" once signed in


def test_navigation_is_translated(make_user: Any, client_for: Callable[[Any], Client]) -> None:
    user = make_user(Role.INTAKE_WORKER)
    html = client_for(user).get("/dashboard/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in html
    assert (
        ">Panel</a>" in html and "Cerrar sesión" in html and "Saltar al contenido principal" in html
    )


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (core_views.error_400, 400, "Hubo un problema con la solicitud"),
        (core_views.error_403, 403, "No permitido"),
        (core_views.error_404, 404, "Página no encontrada"),
        (core_views.error_500, 500, "Algo salió mal"),
        (core_views.csrf_failure, 403, "Inténtelo de nuevo"),
    ],
)
def test_error_pages_are_friendly_and_translated(
    view: Callable[..., HttpResponse], status: int, heading: str
) -> None:
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    with translation.override("es"):
        response = view(request)
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in html
    assert '<html lang="es">' in html
    assert 'href="/"' in html  # a way back home


def test_home_page_with_its_css_weighs_under_50_kb_gzipped(client: Client) -> None:
    html = client.get("/").content
    css_urls = re.findall(rb'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert css_urls == [b"amparo/amparo.css"]
    css_path = finders.find("amparo/amparo.css")
    assert isinstance(css_path, str)
    css = Path(css_path).read_bytes()
    total = len(gzip.compress(html, 9)) + len(gzip.compress(css, 9))
    assert total < 50 * 1024, total
    # Nothing is fetched from anywhere else: no third-party scripts, fonts or images.
    assert not re.search(rb'(src|href)="(https?:)?//', html)


def test_pages_are_served_under_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


TEMPLATES_ROOT = Path(__file__).resolve().parents[2] / "amparo"


def test_no_template_has_inline_styles_or_scripts_without_the_nonce() -> None:
    offenders = []
    for path in sorted(TEMPLATES_ROOT.glob("**/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{path}: style= attribute")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "csp_nonce" not in tag:
                offenders.append(f"{path}: inline <script> without the CSP nonce")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "This page cannot be used this way"), ("es", "Esta página no se puede usar así")],
)
def test_a_method_a_page_does_not_take_gets_the_sites_translated_405_page(
    client: Client, language: str, title: str
) -> None:
    response = client.put("/help/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and f"<h1>{title}</h1>" in html
    assert 'href="/help/"' in html  # the header's way to help is on this page too


def test_the_api_keeps_its_own_405(client: Client) -> None:
    response = client.delete("/api/v1/grants/rounds")
    assert response.status_code == 405
    assert b"<html" not in response.content


def test_a_refusal_answers_404_and_is_written_to_the_security_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.test import RequestFactory

    from amparo.core.middleware import NotFoundForForbiddenMiddleware

    request = RequestFactory().post("/cases/0b0f6f1e-4a53-4c55-9d2c-3f9b0c1f7c11/edit/")
    middleware = NotFoundForForbiddenMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    with caplog.at_level("WARNING", logger="amparo.security"), pytest.raises(Http404):
        middleware.process_exception(request, PermissionDenied())
    assert [r.getMessage() for r in caplog.records if r.name == "amparo.security"] == [
        "refused POST /cases/0b0f6f1e-4a53-4c55-9d2c-3f9b0c1f7c11/edit/ user_id=-"
    ]
