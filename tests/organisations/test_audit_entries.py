"""Organisation and token services leave their audit entries."""

import pytest
from django.core.exceptions import ValidationError

from governance.audit.models import AuditEntry
from governance.organisations import services
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, sign_in_request

pytestmark = pytest.mark.django_db


def test_creating_and_updating_an_organisation(coordinator):
    organisation = services.organisation_create(
        actor=coordinator, name="Gävle kommun", org_number="212000-2528", kind="municipality"
    )
    services.organisation_update(
        actor=coordinator, organisation_id=organisation.pk, contact_email="info@gavle.se"
    )
    created, updated = AuditEntry.objects.order_by("pk")
    assert (created.verb, created.after["org_number"]) == ("created", "2120002528")
    assert (updated.verb, updated.before, updated.after) == (
        "updated",
        {"contact_email": ""},
        {"contact_email": "info@gavle.se"},
    )


def test_an_invalid_update_leaves_no_entry(coordinator):
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=coordinator, organisation_id=organisation.pk, org_number="123"
        )
    assert not AuditEntry.objects.exists()


def test_issuing_and_revoking_a_token():
    user = UserFactory()
    token, _raw = services.api_token_issue(
        request=sign_in_request(), username=user.username, password=PASSWORD
    )
    services.api_token_revoke(token_id=token.pk, actor=user)
    services.api_token_revoke(token_id=token.pk, actor=user)
    issued, revoked = AuditEntry.objects.order_by("pk")
    assert (issued.verb, issued.actor, issued.after["prefix"]) == (
        "token_issued",
        user,
        token.prefix,
    )
    assert (revoked.verb, revoked.actor, revoked.before) == (
        "token_revoked",
        user,
        {"revoked_at": None},
    )


def test_a_wrong_password_issues_nothing():
    user = UserFactory()
    with pytest.raises(services.InvalidCredentialsError):
        services.api_token_issue(
            request=sign_in_request(), username=user.username, password="wrong"
        )
    assert not AuditEntry.objects.exists()
