"""Conflict checks before a referral: blind-index matches against the provider's records.

Three questions, each answered by equality of blind indexes (HMAC digests of normalized values;
no value is decrypted and none is written anywhere):

- is the person already the provider's client (same A-number, or same name)?
- is someone the person names as an adverse party one of the provider's clients?
- is the person named as an adverse party in one of the provider's cases?

A hit flags the referral; the provider decides whether it is a real conflict. What is kept is
which kinds of record matched, never the values or which client.
"""

from __future__ import annotations

from amparo.cases.models import AdverseParty as CaseAdverseParty
from amparo.cases.selectors import clients_of_organization
from amparo.intake.models import HelpRequest
from amparo.organizations.models import ProviderOrganization

CLIENT_A_NUMBER = "client.a_number"
CLIENT_NAME = "client.name"
ADVERSE_PARTY_IS_CLIENT = "adverse_party.client"
CLIENT_IS_ADVERSE_PARTY = "client.adverse_party"
KINDS = (CLIENT_A_NUMBER, CLIENT_NAME, ADVERSE_PARTY_IS_CLIENT, CLIENT_IS_ADVERSE_PARTY)


def conflict_matches(*, help_request: HelpRequest, organization: ProviderOrganization) -> list[str]:
    """The kinds of match between ``help_request`` and ``organization``'s clients and cases."""
    clients = clients_of_organization(organization=organization)
    found: list[str] = []
    if (
        help_request.a_number_index
        and clients.filter(a_number_index=help_request.a_number_index).exists()
    ):
        found.append(CLIENT_A_NUMBER)
    if help_request.name_index and clients.filter(name_index=help_request.name_index).exists():
        found.append(CLIENT_NAME)
    adverse = [
        index
        for index in help_request.adverse_parties.values_list("name_index", flat=True)
        if index
    ]
    if adverse and clients.filter(name_index__in=adverse).exists():
        found.append(ADVERSE_PARTY_IS_CLIENT)
    if (
        help_request.name_index
        and CaseAdverseParty.objects.filter(
            case__organization=organization, name_index=help_request.name_index
        ).exists()
    ):
        found.append(CLIENT_IS_ADVERSE_PARTY)
    return found
