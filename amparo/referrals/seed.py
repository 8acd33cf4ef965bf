"""``amparo seed --cases N``: each seeded case born through the help line, as the demo's are.

The cases app bulk-creates the cases and hands every batch to :data:`amparo.cases.hooks.ON_SEEDED`;
this hook gives each case the request it came from, in bulk: a hotline request from the same
person (sharing the case's vault subject, as an accepted referral's case does), screened and
triaged by the pure cores with the public program's rules as the intake service does, then a
referral to the case's organization, accepted by it with the case's lead attorney, some days
before the case opened. So the published funnel counts every such case among the accepted
requests, and no stage is larger than an earlier one. As in the demo, one case in
:data:`~amparo.referrals.demo.DIRECT_EVERY` is a provider's own intake instead (no request): the
figures count those apart. Everything is synthetic; each batch is one audit event.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from amparo.audit.services import audit_record
from amparo.cases.hooks import SeededCase
from amparo.cases.models import Case
from amparo.core.terms import Custody
from amparo.intake.models import ContactMethod, HelpRequest, RequestState, Source
from amparo.intake.seed import Screening, new_codes, screened
from amparo.intake.services import CONSENT_VERSION
from amparo.organizations.models import AttorneyProfile, PracticeArea

from .demo import DIRECT_EVERY
from .marks import request_marks_sync
from .models import ConflictStatus, Referral, ReferralMethod, ReferralStatus

BATCH = 500


def _index(case: Case) -> int:
    """The case's index in its seed run, from its reference ``S<seed>-<index>``."""
    return int(case.reference.rsplit("-", 1)[1])


def is_direct(case: Case) -> bool:
    """Whether this seeded case is a provider's own intake (no request), as in the demo."""
    return _index(case) % DIRECT_EVERY == DIRECT_EVERY - 1


def cases_born_through_help_line(batch: list[SeededCase]) -> None:
    """Give each case of ``batch`` (but the direct ones) its request and accepted referral."""
    cases = [s.case for s in batch if s.case.referral_id is None and not is_direct(s.case)]
    if not cases:
        return
    screening = Screening.of_public_program()
    today = timezone.localdate()
    profiles: dict[tuple[int | None, int], AttorneyProfile] = {
        (p.user_id, p.organization_id): p
        for p in AttorneyProfile.objects.filter(user_id__in={c.lead_attorney_id for c in cases})
    }
    for start in range(0, len(cases), BATCH):
        chunk = cases[start : start + BATCH]
        requests, referrals = [], []
        for case in chunk:
            rng = random.Random(case.reference)  # the same case, the same story
            asked = case.opened_at - datetime.timedelta(
                days=rng.randint(1, 20), hours=rng.randint(0, 12)
            )
            detained = case.custody == Custody.DETAINED
            request = HelpRequest(
                **new_codes(),
                idempotency_key=f"seed-case:{case.reference}",
                source=Source.HOTLINE,
                program_id=screening.policy.program_id,
                language=case.client.language or "es",
                spoken_language=case.client.language or "es",
                custody=case.custody,
                facility=(screening.policy.facility_names() or [""])[0] if detained else "",
                court=case.court,
                county="Denver",
                zip_code="80204",
                household_size=3,
                income_low_cents=18_000_00,
                income_high_cents=18_000_00,
                practice_area=case.practice_area
                or (
                    PracticeArea.DETAINED_REMOVAL if detained else PracticeArea.NON_DETAINED_REMOVAL
                ),
                contact_method=ContactMethod.PHONE,
                name=case.client.name,
                a_number=case.client.a_number,
                phone=f"+1720{rng.randrange(10**6, 10**7):07d}",
                consent_version=CONSENT_VERSION,
                consented_at=asked,
                created_at=asked,
                subject=case.subject,
            )
            screened(request, screening=screening, today=today)
            request.state = RequestState.PLACED
            request.state_changed_at = case.opened_at
            requests.append(request)
            sent = asked + datetime.timedelta(hours=2)
            referrals.append(
                Referral(
                    help_request=request,
                    organization_id=case.organization_id,
                    status=ReferralStatus.ACCEPTED,
                    method=ReferralMethod.MANUAL,
                    conflict=ConflictStatus.CLEAR,
                    sent_at=sent,
                    due_at=sent + datetime.timedelta(hours=48),
                    responded_at=case.opened_at,
                    lead_attorney=profiles.get((case.lead_attorney_id, case.organization_id)),
                    case_id=str(case.pk),
                )
            )
        HelpRequest.objects.bulk_create(requests, batch_size=BATCH)
        Referral.objects.bulk_create(referrals, batch_size=BATCH)
        request_marks_sync(HelpRequest.objects.filter(pk__in=[r.pk for r in requests]))
        for case, referral in zip(chunk, referrals, strict=True):
            case.referral_id = referral.pk
        Case.objects.bulk_update(chunk, ["referral_id"], batch_size=BATCH)
        audit_record(
            actor=None,
            action="referrals.referral.seeded",
            object_type="referrals.referral",
            fields=["name", "a_number", "phone"],
            reason=f"{len(chunk)} synthetic requests accepted into seeded cases",
        )
