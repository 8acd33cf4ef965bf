"""``amparo seed --cases N``: synthetic cases at scale (for benchmarks and load tests).

Needs this seed's organizations and attorneys (``--organizations``, ``--attorneys``). Each case
gets its own vault subject and an encrypted client (name, A-number), a lead attorney, one or two
hearings, and, depending on its status, a decision and clock-starting events; each batch is
handed to :func:`amparo.cases.hooks.cases_seeded` (the deadlines app computes and stores its
deadlines there; the referrals app gives each case, but one in twelve that is a provider's own
intake, the help request and accepted referral it was born from, as the demo's cases are, so the
published funnel stays nested). Rows are written in batches with ``bulk_create`` (the vault's
fields encrypt in ``pre_save``, which bulk inserts call too). References ``S<seed>-<index>`` are
the natural keys: running again with the same seed adds nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.seed import SeedContext, SeedError, SeedResult, client_subjects, seed_generator
from amparo.core.terms import Custody
from amparo.organizations.models import AttorneyProfile, ProviderOrganization

from .choices import CaseStatus, CaseType, EventKind, HearingKind, TeamRole
from .hooks import SeededCase, cases_seeded
from .latest import latest_outcomes_sync
from .models import Case, CaseAssignment, CaseEvent, Client, Hearing, Outcome

BATCH = 1000
_STATUSES: tuple[tuple[str, float], ...] = (
    (CaseStatus.OPEN, 0.15),
    (CaseStatus.ACTIVE, 0.45),
    (CaseStatus.DECIDED, 0.15),
    (CaseStatus.APPEAL, 0.1),
    (CaseStatus.CLOSED, 0.15),
)
_COURTS = ("Aurora Immigration Court", "Denver Immigration Court")


def reference(seed: int, index: int) -> str:
    return f"S{seed}-{index:07d}"


def _orgs_and_leads(ctx: SeedContext) -> list[tuple[ProviderOrganization, Any]]:
    orgs = list(ProviderOrganization.objects.filter(slug__startswith=f"s{ctx.seed}-org-"))
    profiles = (
        AttorneyProfile.objects.filter(organization__in=orgs, user__is_active=True)
        .select_related("user", "organization")
        .order_by("pk")
    )
    return [(p.organization, p.user) for p in profiles]


@seed_generator("cases", order=60, help="cases with hearings, decisions and deadlines", default=0)
def generate_cases(ctx: SeedContext, count: int) -> SeedResult:
    leads = _orgs_and_leads(ctx)
    if not leads:
        raise SeedError(
            _("Cases need attorneys: add --organizations N --attorneys M (with the same --seed).")
        )
    rng = ctx.rng("cases")
    fake_es, fake_en = ctx.faker("cases", "es_MX"), ctx.faker("cases")
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    wanted = [reference(ctx.seed, i) for i in range(count)]
    existing = set(
        Case.objects.filter(Q(reference__startswith=f"S{ctx.seed}-")).values_list(
            "reference", flat=True
        )
    )
    todo = [(i, ref) for i, ref in enumerate(wanted) if ref not in existing]
    statuses, weights = zip(*_STATUSES, strict=True)
    removal_types = (CaseType.REMOVAL,) * 8 + (CaseType.BOND, CaseType.ASYLUM_ONLY)

    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        subjects = client_subjects(len(chunk), batch_size=BATCH)
        clients, cases, assignments, hearings, outcomes, events = [], [], [], [], [], []
        seeded: list[SeededCase] = []
        for (index, ref), subject in zip(chunk, subjects, strict=True):
            org, lead = leads[index % len(leads)]
            fake = fake_es if rng.random() < 0.6 else fake_en
            client = Client(
                subject=subject,
                organization=org,
                name=f"{fake.first_name()} {fake.last_name()}",
                a_number=f"A{rng.randint(200_000_000, 299_999_999)}",
                language="es" if fake is fake_es else "en",
            )
            clients.append(client)
            status = rng.choices(statuses, weights=weights)[0]
            custody = rng.choices(
                (Custody.DETAINED, Custody.RELEASED, Custody.NEVER_DETAINED), (0.3, 0.2, 0.5)
            )[0]
            case_type = rng.choice(removal_types)
            case = Case(
                subject=subject,
                reference=ref,
                organization=org,
                client=client,
                lead_attorney=lead,
                status=status,
                case_type=case_type,
                custody=custody,
                court=rng.choice(_COURTS),
                opened_at=timezone.now() - day * rng.randint(0, 700),
            )
            cases.append(case)
            assignments.append(CaseAssignment(case=case, user=lead, role=TeamRole.LEAD))
            case_hearings = [
                Hearing(
                    case=case,
                    kind=HearingKind.BOND if case_type == CaseType.BOND else HearingKind.MASTER,
                    date=today + day * rng.randint(-30, 240),
                    time=datetime.time(rng.choice((8, 9, 10, 13, 14)), rng.choice((0, 30))),
                )
            ]
            if rng.random() < 0.4 and case_type != CaseType.BOND:
                case_hearings.append(
                    Hearing(
                        case=case,
                        kind=HearingKind.INDIVIDUAL,
                        date=today + day * rng.randint(30, 500),
                        time=datetime.time(13, 0),
                    )
                )
            hearings += case_hearings
            case_outcomes = []
            if status in (CaseStatus.DECIDED, CaseStatus.APPEAL, CaseStatus.CLOSED):
                kind = (
                    rng.choice(("released", "kept_detained"))
                    if case_type == CaseType.BOND
                    else rng.choice(
                        ("relief_granted", "removal_order", "terminated", "voluntary_departure")
                    )
                )
                case_outcomes.append(
                    Outcome(
                        case=case,
                        kind=kind,
                        relief="asylum" if kind == "relief_granted" else "",
                        in_absentia=kind == "removal_order" and rng.random() < 0.2,
                        decided_by="ij",
                        decision_date=today - day * rng.randint(1, 400),
                    )
                )
                if status == CaseStatus.APPEAL and rng.random() < 0.5:
                    case_outcomes.append(
                        Outcome(
                            case=case,
                            kind="removal_order",
                            decided_by="bia",
                            decision_date=today - day * rng.randint(0, 30),
                        )
                    )
            outcomes += case_outcomes
            case_events = []
            for kind, chance in (
                (EventKind.LAST_ARRIVAL, 0.5),
                (EventKind.CHANGE_OF_ADDRESS, 0.2),
                (EventKind.FILING_RECEIVED, 0.2),
                (EventKind.BRIEFING_NOTICE, 0.1 if status == CaseStatus.APPEAL else 0.0),
            ):
                if rng.random() < chance:
                    span = 1000 if kind == EventKind.LAST_ARRIVAL else 120
                    case_events.append(
                        CaseEvent(
                            subject=subject,
                            case=case,
                            kind=kind,
                            date=today - day * rng.randint(0, span),
                            details="",
                        )
                    )
            events += case_events
            seeded.append(SeededCase(case, case_hearings, case_outcomes, case_events))
        Client.objects.bulk_create(clients, batch_size=BATCH)
        Case.objects.bulk_create(cases, batch_size=BATCH)
        CaseAssignment.objects.bulk_create(assignments, batch_size=BATCH)
        Hearing.objects.bulk_create(hearings, batch_size=BATCH)
        Outcome.objects.bulk_create(outcomes, batch_size=BATCH)
        latest_outcomes_sync(Case.objects.filter(pk__in=Outcome.objects.values("case_id")))
        CaseEvent.objects.bulk_create(events, batch_size=BATCH)
        cases_seeded(seeded)
    return SeedResult(created=len(todo), existing=count - len(todo))
