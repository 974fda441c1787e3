"""Who may do what with fee schedules and agreements, through the API: roles × actions.

The hub's principal staff manage its agreements, the community manager prepares drafts (the
intake), people of the member organisation read their own organisation's agreements, national
agreements and schedules are the coordinator's; everyone else 403, anonymous 401.
"""

import json
from datetime import date

import pytest
from django.core.files.base import ContentFile

from governance.memberships import services
from tests.factories import (
    AgreementFactory,
    FeeScheduleFactory,
    HubFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.memberships.conftest import intake

pytestmark = pytest.mark.django_db

COORDINATOR = "national_coordinator"
ROLES = [
    None,
    "no role",
    COORDINATOR,
    "principal_staff",
    "community_manager",
    "establishment_team",
    "owner_group_rep",
    "principal_staff elsewhere",
    "community_manager elsewhere",
    "member organisation",
    "other organisation",
]
WITH_AN_ORGANISATION = {"member organisation", "other organisation"}
READERS = {COORDINATOR, "principal_staff", "community_manager", "member organisation"}
INTAKE = {COORDINATOR, "principal_staff", "community_manager"}
PRINCIPAL = {COORDINATOR, "principal_staff"}

ALLOWED = {
    "list_agreements": {
        COORDINATOR,
        "principal_staff",
        "community_manager",
        "principal_staff elsewhere",
        "community_manager elsewhere",
        # A seat holder works for the seat's organisation (the role is derived from the seat).
        "owner_group_rep",
        *WITH_AN_ORGANISATION,
    },
    "read_agreement": READERS,
    "read_transitions": READERS,
    "create_agreement": INTAKE,
    "update_draft": INTAKE,
    "run_transition": PRINCIPAL,
    "record_signatures": PRINCIPAL,
    "terminate": PRINCIPAL,
    "renew": PRINCIPAL,
    "upload_signed_copy": PRINCIPAL,
    "download_signed_copy": READERS,
    "upload_national_signed_copy": {COORDINATOR},
    "read_national_agreement": {COORDINATOR, "member organisation"},
    "create_national_agreement": {COORDINATOR},
    "manage_national_agreement": {COORDINATOR},
    "list_fee_schedules": {r for r in ROLES if r is not None},
    "read_fee_schedule": {r for r in ROLES if r is not None},
    "create_fee_schedule": PRINCIPAL,
    "adopt_fee_schedule": PRINCIPAL,
    "create_national_fee_schedule": {COORDINATOR},
}

TIERS = [{"employees_from": 1, "yearly_fee_sek": "1000"}]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client, agreement) -> int:
    body = {"signed_on": "2026-01-02", "signatory": "Maria Ek", "file": ContentFile(PNG, "s.png")}
    return client.post(f"/api/agreements/{agreement.pk}/signed-copy", body).status_code


def _uploaded_by_coordinator(agreement):
    services.agreement_signed_copy_upload(
        actor=UserFactory(roles=[COORDINATOR]),
        agreement_id=agreement.pk,
        file=ContentFile(PNG, "s.png"),
        signed_on=date(2026, 1, 2),
        signatory="Maria Ek",
    )
    return agreement


def _send(client, method: str, url: str, body: dict | None = None) -> int:
    send = getattr(client, method)
    return send(url, json.dumps(body or {}), content_type="application/json").status_code


def _call(client, action: str, hub, member) -> tuple[int, int]:
    draft = AgreementFactory(hub=hub, principal=hub.principal, member=member)
    active = AgreementFactory(
        hub=hub,
        principal=hub.principal,
        member=member,
        state="active",
        start_on="2027-01-01",
        end_on="2027-12-31",
    )
    sent = AgreementFactory(
        hub=hub,
        principal=hub.principal,
        member=member,
        state="sent",
        start_on="2029-01-01",
        end_on="2029-12-31",
    )
    national = AgreementFactory(hub=None, principal=OrganisationFactory(), member=member)
    schedule = FeeScheduleFactory(hub=hub)
    schedule.agreed_by.set([hub.principal])
    schedule.agreed_on, schedule.decision_reference = "2025-12-01", "Dnr 1"
    schedule.save()
    base = f"/api/agreements/{draft.pk}"
    calls = {
        "list_agreements": lambda: (client.get("/api/agreements").status_code, 200),
        "read_agreement": lambda: (client.get(base).status_code, 200),
        "read_transitions": lambda: (client.get(f"{base}/transitions").status_code, 200),
        "create_agreement": lambda: (
            _send(client, "post", "/api/agreements", intake(hub, OrganisationFactory())),
            201,
        ),
        "update_draft": lambda: (_send(client, "patch", base, {"employees": 40}), 200),
        "run_transition": lambda: (
            _send(client, "post", f"{base}/transitions/mark_generated"),
            200,
        ),
        "record_signatures": lambda: (
            _send(
                client,
                "post",
                f"/api/agreements/{sent.pk}/signatures",
                {"member_signed_on": "2026-01-02"},
            ),
            200,
        ),
        "terminate": lambda: (
            _send(
                client,
                "post",
                f"/api/agreements/{active.pk}/terminate",
                {"terminated_on": "2027-06-30", "reason": "Flytt"},
            ),
            200,
        ),
        "renew": lambda: (_send(client, "post", f"/api/agreements/{active.pk}/renew"), 201),
        "upload_signed_copy": lambda: (_upload(client, sent), 201),
        "download_signed_copy": lambda: (
            client.get(
                f"/api/agreements/{_uploaded_by_coordinator(sent).pk}/signed-copy"
            ).status_code,
            200,
        ),
        "upload_national_signed_copy": lambda: (
            _upload(
                client,
                AgreementFactory(
                    hub=None,
                    principal=national.principal,
                    member=member,
                    state="sent",
                    start_on="2030-01-01",
                    end_on="2030-12-31",
                ),
            ),
            201,
        ),
        "read_national_agreement": lambda: (
            client.get(f"/api/agreements/{national.pk}").status_code,
            200,
        ),
        "create_national_agreement": lambda: (
            _send(
                client,
                "post",
                "/api/agreements",
                intake(
                    None,
                    OrganisationFactory(),
                    principal_id=national.principal_id,
                    localities=[{"hub_id": hub.pk, "employees": 30}],
                ),
            ),
            201,
        ),
        "manage_national_agreement": lambda: (
            _send(client, "post", f"/api/agreements/{national.pk}/transitions/mark_generated"),
            200,
        ),
        "list_fee_schedules": lambda: (client.get("/api/fee-schedules").status_code, 200),
        "read_fee_schedule": lambda: (
            client.get(f"/api/fee-schedules/{schedule.pk}").status_code,
            200,
        ),
        "create_fee_schedule": lambda: (
            _send(
                client,
                "post",
                "/api/fee-schedules",
                {"hub_id": hub.pk, "effective_from": "2027-01-01", "tiers": TIERS},
            ),
            201,
        ),
        "adopt_fee_schedule": lambda: (
            _send(client, "post", f"/api/fee-schedules/{schedule.pk}/transitions/adopt"),
            200,
        ),
        "create_national_fee_schedule": lambda: (
            _send(
                client,
                "post",
                "/api/fee-schedules",
                {"hub_id": None, "effective_from": "2027-01-01", "tiers": TIERS},
            ),
            201,
        ),
    }
    return calls[action]()


def _user_for(role, hub, member):
    if role is None:
        return None
    if role == "no role":
        return UserFactory()
    if role == COORDINATOR:
        return UserFactory(roles=[COORDINATOR])
    if role in WITH_AN_ORGANISATION:
        organisation = member if role == "member organisation" else OrganisationFactory()
        return PersonFactory(organisation=organisation).user
    if role.endswith(" elsewhere"):
        return UserFactory(roles=[(role.split()[0], HubFactory())])
    return UserFactory(roles=[(role, hub)])


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_membership_permission_matrix(client_for, role, action):
    hub = HubFactory(principal=OrganisationFactory())
    member = OrganisationFactory()
    status, success = _call(client_for(_user_for(role, hub, member)), action, hub, member)
    if role is None:
        assert status == 401
    elif role in ALLOWED[action]:
        assert status == success
    else:
        assert status == 403
