"""The funder report: one grant, one quarter, as PDF; small counts hidden; scoped by role."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from faker import Faker

from amparo.accounts.roles import Role
from amparo.cases.latest import latest_outcomes_sync
from amparo.cases.models import Case, Outcome
from amparo.cases.services import case_open
from amparo.grants.agreement import agreement_pdf
from amparo.grants.models import Application, Award, GrantRound, RoundStatus
from amparo.grants.services import (
    award_decide,
    report_submit,
    reports_schedule,
    round_create,
    tranche_add,
    tranche_pay,
)
from amparo.organizations.models import ProviderOrganization
from amparo.reports.funder import Quarter, QuarterError, funder_report
from amparo.reports.funder_pdf import funder_report_pdf
from amparo.stats.suppression import feasible_ranges
from amparo.vault.services import subject_create
from tests import pdfread
from tests.clock import frozen
from tests.factories import OrganizationFactory, city_money

pytestmark = frozen

fake = Faker()


# --- PDF text ---------------------------------------------------------------------------------

_LITERAL = re.compile(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[:1].isdigit():
        return bytes([int(code, 8)])
    return _SIMPLE.get(code, code)


def pdf_lines(pdf: bytes) -> list[str]:
    """The text the PDF shows, one string per drawn line (the file is uncompressed)."""
    out = []
    for m in _LITERAL.finditer(pdf):
        out.append(_ESCAPE.sub(_unescape, m.group(1)).decode("cp1252").replace("\xa0", " "))
    return out


# --- Data ---------------------------------------------------------------------------------------


def _case(org: Any, lead: Any, custody: str, opened: datetime.datetime) -> Case:
    case = case_open(
        organization=org,
        lead_attorney=lead,
        subject=subject_create(kind="client"),
        client={"name": fake.name(), "a_number": "A123456789", "phone": "", "email": ""},
        custody=custody,
        court="Denver Immigration Court",
        by=lead,
    )
    Case.objects.filter(pk=case.pk).update(opened_at=opened)
    return case


@pytest.fixture
def grant(db: Any, make_user: Any) -> dict[str, Any]:
    """A grant to ``org`` decided before ``quarter``: two tranches paid (one in the quarter),
    one scheduled; the grantee's report for the quarter filed; Amparo cases in the quarter."""
    today = timezone.localdate()
    quarter = Quarter.containing(today - datetime.timedelta(days=100))
    start = quarter.start
    admin = make_user(Role.FUND_ADMIN)
    org, other_org = OrganizationFactory(name="Casa de Defensa"), OrganizationFactory()
    city = city_money(
        amount=90_000_000,
        on=start - datetime.timedelta(days=60),
        memo="City appropriation",
        source_ref="CITY-FUNDER",
    )
    grant_round = round_create(
        name="Detained defense round",
        budget=50_000_000,
        opens_on=start - datetime.timedelta(days=120),
        closes_on=start - datetime.timedelta(days=90),
        restriction=city,
        categories=["detained_removal"],
        by=admin,
    )
    GrantRound.objects.filter(pk=grant_round.pk).update(status=RoundStatus.IN_REVIEW)
    awards = []
    for organization, amount in ((org, 12_345_678), (other_org, 5_000_000)):
        application = Application.objects.create(
            round=grant_round,
            organization=organization,
            category="detained_removal",
            narrative="Removal defense for detained people.",
            requested=amount,
        )
        awards.append(award_decide(application=application, amount=amount, by=admin))
    award = awards[0]
    Award.objects.filter(pk=award.pk).update(
        decided_at=timezone.make_aware(
            datetime.datetime.combine(start - datetime.timedelta(days=40), datetime.time(12))
        )
    )
    award.refresh_from_db()
    before = tranche_add(
        award=award, amount=3_000_000, due_on=start - datetime.timedelta(days=20), by=admin
    )
    within = tranche_add(
        award=award, amount=4_000_000, due_on=start + datetime.timedelta(days=5), by=admin
    )
    tranche_add(award=award, amount=5_345_678, due_on=today + datetime.timedelta(days=60), by=admin)
    tranche_pay(tranche=before, by=admin, paid_on=start - datetime.timedelta(days=18))
    tranche_pay(tranche=within, by=admin, paid_on=start + datetime.timedelta(days=10))
    reports = reports_schedule(award=award, start=start, quarters=1, by=admin)
    report_submit(
        report=reports[0],
        counts={
            "opened": {"detained_removal": 23, "affirmative_non_detained": 4},
            "closed": {"detained_removal": 12},
            "outcomes": {"relief_granted": 13, "removal_order": 2, "released": 5},
        },
        detained_served=7,
        spend=2_500_000,
        narrative="",
        by=admin,
    )
    lead = make_user(Role.ATTORNEY, org=org)
    opened = timezone.make_aware(
        datetime.datetime.combine(start + datetime.timedelta(days=3), datetime.time(10))
    )
    detained = [_case(org, lead, "detained", opened) for _ in range(14)]
    never = [_case(org, lead, "never_detained", opened) for _ in range(2)]
    for case in detained[:11]:
        Outcome.objects.create(
            case=case,
            kind="relief_granted",
            relief="asylum",
            decided_by="ij",
            decision_date=start + datetime.timedelta(days=20),
        )
    Outcome.objects.create(
        case=never[0],
        kind="terminated",
        decided_by="ij",
        decision_date=start + datetime.timedelta(days=20),
    )
    # written directly, as a seed does: the cases' latest outcomes follow the same way
    latest_outcomes_sync(Case.objects.all())
    return {
        "award": award,
        "other_award": awards[1],
        "org": org,
        "other_org": other_org,
        "quarter": quarter,
        "admin": admin,
        "cases": detained + never,
    }


def _url(award: Any, quarter: Any) -> str:
    return f"/reports/funder/{award.pk}/{quarter}.pdf"


# --- Figures ------------------------------------------------------------------------------------


def test_figures_of_the_grant_and_quarter(grant: dict[str, Any]) -> None:
    report = funder_report(grant["award"], grant["quarter"])
    assert report.grantee == "Casa de Defensa"
    assert report.awarded == 12_345_678
    assert report.disbursed_to_date == 7_000_000
    assert report.disbursed_in_quarter == 4_000_000
    assert report.remaining == 5_345_678
    assert [t.paid_on is not None for t in report.tranches] == [True, True, False]
    filing = report.filing
    assert filing.state == "submitted" and filing.figures is not None
    # closed: one category, 12, shown
    assert filing.figures.closed.get("detained_removal") == 12
    assert filing.figures.closed.total == 12
    # opened: 4 is small; 23 is hidden with it, else the total (27) would give 4 back
    assert filing.figures.opened.get("affirmative_non_detained") is None
    assert filing.figures.opened.get("detained_removal") is None
    assert filing.figures.opened.total == 27
    # custody decisions (released) are not completions
    assert filing.figures.outcomes.total == 15
    assert filing.figures.detained_served is None  # 7 < 11
    assert filing.spend == 2_500_000
    # Amparo's own: 14 detained + 2 never detained opened in the quarter; 11 detained clients
    # granted relief, 1 never-detained case terminated. Protected jointly: the 2 and the 1 are
    # hidden, and so is whatever would give them back.
    amparo = report.amparo
    assert amparo.opened.get("affirmative_non_detained") is None
    assert amparo.closed.total == 0
    table = amparo.outcomes
    assert not hasattr(table, "total")  # a two-way table with margins
    assert table.cells[0][2] is None  # type: ignore[union-attr]  # never detained, terminated
    assert table.cells[1][0] == 11  # type: ignore[union-attr]  # detained, relief: shown
    shown = {
        "opened": amparo.opened.total,
        "opened detained": amparo.opened.get("detained_removal"),
        "served": amparo.detained_served,
        "decided": table.grand_total,  # type: ignore[union-attr]
        "never detained decided": table.row_totals[0],  # type: ignore[union-attr]
    }
    # whichever of these stay shown, no two of them give the 2 or the 1 back by subtraction
    if shown["opened"] is not None and shown["opened detained"] is not None:
        assert shown["opened"] - shown["opened detained"] >= 11
    if shown["decided"] is not None:
        assert shown["never detained decided"] is None


def test_no_hidden_cell_can_be_worked_out_from_what_is_published(grant: dict[str, Any]) -> None:
    """Re-do the attack: for every published table, each hidden cell keeps a range of values."""
    report = funder_report(grant["award"], grant["quarter"])
    table = report.amparo.outcomes
    cells = table.cells  # type: ignore[union-attr]
    published = [
        [*row, total]
        for row, total in zip(cells, table.row_totals, strict=True)  # type: ignore[union-attr]
    ] + [[*table.col_totals, table.grand_total]]  # type: ignore[union-attr]
    hidden = {(i, j) for i, row in enumerate(published) for j, v in enumerate(row) if v is None}
    assert hidden, "the table holds small cells: something must be hidden"
    aug = [[0 if v is None else v for v in row] for row in published]
    for cell, (low, high) in feasible_ranges(aug, hidden).items():
        assert high - low >= 1, f"hidden cell {cell} is pinned to {low}"
    for column in (report.amparo.opened, report.filing.figures.opened):  # type: ignore[union-attr]
        assert sum(v is None for v in column.values) != 1


# --- The PDF ------------------------------------------------------------------------------------


def test_pdf_in_english_holds_the_figures(grant: dict[str, Any]) -> None:
    pdf = funder_report_pdf(funder_report(grant["award"], grant["quarter"]), "en")
    assert pdf.startswith(b"%PDF")
    lines = pdf_lines(pdf)
    text = "\n".join(lines)
    q = grant["quarter"]
    assert "Funder report" in text
    assert f"Quarter {q.number} of {q.year}" in text
    assert "Casa de Defensa" in text
    assert "$123,456.78" in lines  # awarded
    assert "$40,000.00" in lines  # paid in the quarter
    assert "$70,000.00" in lines  # paid to date
    assert "$53,456.78" in lines  # not yet paid
    assert "Detained people served: 14" in text  # Amparo's own figure
    assert "Detained people served: hidden" in text  # the grantee's 7
    assert "27" in lines and "16" in lines  # published totals
    assert "23" not in lines and "4" not in lines  # hidden cells
    assert "hidden" in lines
    assert "Small counts are hidden" in text
    assert "Sources" in lines
    assert "A123456789" not in text
    for case in grant["cases"]:
        assert case.reference not in text


def test_pdf_in_spanish(grant: dict[str, Any]) -> None:
    pdf = funder_report_pdf(funder_report(grant["award"], grant["quarter"]), "es")
    assert pdf.startswith(b"%PDF")
    text = "\n".join(pdf_lines(pdf))
    assert "Informe para financiadores" in text
    assert "$123,456.78" in text  # es_US: US dollars written the US way
    assert "Personas detenidas atendidas: oculto" in text
    assert "Fuentes" in text
    assert "Funder report" not in text


def test_the_report_and_the_agreement_print_the_grantees_name_in_every_script(
    grant: dict[str, Any],
) -> None:
    """Grantee organizations are named in their own languages too."""
    for name in pdfread.NAMES:
        ProviderOrganization.objects.filter(pk=grant["org"].pk).update(name=name)
        award = Award.objects.get(pk=grant["award"].pk)
        for language in ("en", "es"):
            report = funder_report(award, grant["quarter"])
            pdfread.assert_printed(funder_report_pdf(report, language), name)
            pdfread.assert_printed(agreement_pdf(award, language), name)


# --- Pages and access ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FUND_ADMIN, Role.BOARD_MEMBER])
def test_fund_and_board_open_every_grant(
    grant: dict[str, Any], make_user: Any, client_for: Any, role: str
) -> None:
    client = client_for(make_user(role))
    now = Quarter.containing(timezone.localdate())
    for award, quarter in ((grant["award"], grant["quarter"]), (grant["other_award"], now)):
        response = client.get(_url(award, quarter))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    page = client.get("/reports/funder/")
    assert page.status_code == 200
    assert "Casa de Defensa" in page.content.decode()


def test_provider_admin_sees_only_their_own_grants(
    grant: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    mine = client_for(make_user(Role.PROVIDER_ADMIN, org=grant["org"]))
    now = Quarter.containing(timezone.localdate())
    assert mine.get(_url(grant["award"], grant["quarter"])).status_code == 200
    assert mine.get(_url(grant["award"], now)).status_code == 200
    assert mine.get(_url(grant["other_award"], now)).status_code == 404
    html = mine.get("/reports/funder/").content.decode()
    assert "Casa de Defensa" in html and grant["other_org"].name not in html
    stranger = client_for(make_user(Role.PROVIDER_ADMIN, org=grant["other_org"]))
    assert stranger.get(_url(grant["award"], grant["quarter"])).status_code == 404
    assert "Casa de Defensa" not in stranger.get("/reports/funder/").content.decode()
    # the form refuses another organization's grant as well
    response = stranger.get(
        "/reports/funder/", {"grant": grant["award"].pk, "quarter": str(grant["quarter"])}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", [Role.ATTORNEY, Role.INTAKE_WORKER, Role.DONOR])
def test_other_roles_get_404(
    grant: dict[str, Any], make_user: Any, client_for: Any, role: str
) -> None:
    client = client_for(make_user(role, org=grant["org"] if role == Role.ATTORNEY else None))
    assert client.get(_url(grant["award"], grant["quarter"])).status_code == 404
    assert client.get("/reports/funder/").status_code == 404


def test_anonymous_is_sent_to_sign_in(grant: dict[str, Any], client: Any) -> None:
    response = client.get(_url(grant["award"], grant["quarter"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_spanish_download_follows_the_viewers_language(
    grant: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user(Role.FUND_ADMIN))
    client.cookies["amparo_language"] = "es"
    response = client.get(_url(grant["award"], grant["quarter"]), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert "Informe para financiadores" in "\n".join(pdf_lines(response.content))


@pytest.mark.parametrize("quarter", ["2025-Q5", "2025-Q0", "20x5-Q1", "2025-q1x", "0000-Q1"])
def test_a_malformed_quarter_is_404(
    grant: dict[str, Any], make_user: Any, client_for: Any, quarter: str
) -> None:
    client = client_for(make_user(Role.FUND_ADMIN))
    assert client.get(f"/reports/funder/{grant['award'].pk}/{quarter}.pdf").status_code == 404


@pytest.mark.parametrize("grant_id", ["0", "999999", "99999999999999999999"])
def test_a_missing_grant_is_404(
    grant: dict[str, Any], make_user: Any, client_for: Any, grant_id: str
) -> None:
    client = client_for(make_user(Role.FUND_ADMIN))
    assert client.get(f"/reports/funder/{grant_id}/{grant['quarter']}.pdf").status_code == 404


def test_a_quarter_outside_the_grant_is_refused(
    grant: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    award = grant["award"]
    client = client_for(make_user(Role.FUND_ADMIN))
    early = Quarter.containing(grant["quarter"].start - datetime.timedelta(days=200))
    future = Quarter.containing(timezone.localdate() + datetime.timedelta(days=100))
    assert client.get(_url(award, early)).status_code == 404
    assert client.get(_url(award, future)).status_code == 404
    with pytest.raises(QuarterError):
        funder_report(award, early)
    # the other grant was decided this quarter: the first grant's quarter is too early for it
    later = grant["other_award"]
    response = client.get("/reports/funder/", {"grant": later.pk, "quarter": str(grant["quarter"])})
    assert response.status_code == 400
    assert "This grant started in" in response.content.decode()
    assert client.get(_url(later, grant["quarter"])).status_code == 404
    client.cookies["amparo_language"] = "es"
    response = client.get(
        "/reports/funder/", {"grant": award.pk, "quarter": "2025-Q5"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 400
    assert "Escoja una opción válida" in response.content.decode()


def test_the_picker_sends_to_the_pdf(
    grant: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user(Role.BOARD_MEMBER))
    award, quarter = grant["award"], grant["quarter"]
    response = client.get("/reports/funder/", {"grant": award.pk, "quarter": str(quarter)})
    assert response.status_code == 302
    assert response["Location"] == _url(award, quarter)


def test_navigation_lists_funder_reports(make_user: Any) -> None:
    from amparo.core.navigation import navigation_for

    for role, shown in (
        (Role.BOARD_MEMBER, True),
        (Role.PROVIDER_ADMIN, True),
        (Role.DONOR, False),
    ):
        names = [i["url_name"] for i in navigation_for(make_user(role))]
        assert ("reports:funder" in names) is shown
