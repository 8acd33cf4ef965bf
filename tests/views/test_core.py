import pytest

from amparo.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_home_is_public_and_in_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert b'<html lang="es">' in response.content


def test_unknown_url_is_a_translated_404(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_healthz_reports_database_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["task_queue"] == "ok"


def test_staff_without_mfa_is_sent_to_enrol(make_user, client_for):
    user = make_user(Role.INTAKE_WORKER, mfa=False)
    response = client_for(user).get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_staff_with_mfa_reaches_dashboard(make_user, client_for):
    user = make_user(Role.INTAKE_WORKER)
    response = client_for(user).get("/dashboard/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_donor_needs_no_mfa(make_user, client_for):
    user = make_user(Role.DONOR, mfa=False)
    assert client_for(user).get("/dashboard/").status_code == 200
