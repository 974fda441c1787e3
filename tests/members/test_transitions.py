"""The member's machine: applied → approved | declined, approved → onboarded, left from approved
or onboarded; eligibility re-checked at approval, declining only with a reason and only when
the applicant is not eligible, onboarding only with every step done."""

import pytest
from django.core.exceptions import ValidationError
from django_fsm_log.models import StateLog

from governance.errors import ConflictError
from governance.members import services
from governance.memberships.models import Agreement
from tests.members.conftest import apply, register, walk

pytestmark = pytest.mark.django_db

PATHS = {
    "applied": [],
    "approved": ["approve"],
    "onboarded": ["approve", "onboard"],
    "left": ["approve", "leave"],
}
ALLOWED_FROM = {
    "approve": {"applied"},
    "onboard": {"approved"},
    "leave": {"approved", "onboarded"},
}


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("name", list(ALLOWED_FROM))
def test_each_transition_runs_only_from_its_states(cm, hub, employer, agreement, state, name):
    member = walk(cm, register(cm, hub, employer), *PATHS[state])
    if name == "onboard":
        for step in ("invitation_sent", "personal_onboarding", "manifesto_signed", "name_tag"):
            if member.state == "approved":
                services.onboarding_item_set(actor=cm, member_id=member.pk, step=step, done=True)
    if state in ALLOWED_FROM[name]:
        changed = services.member_transition(actor=cm, member_id=member.pk, name=name)
        assert (
            changed.state == {"approve": "approved", "onboard": "onboarded", "leave": "left"}[name]
        )
        assert StateLog.objects.for_(changed).latest("pk").by == cm
    else:
        with pytest.raises(ConflictError) as refused:
            services.member_transition(actor=cm, member_id=member.pk, name=name)
        assert refused.value.code == "transition_not_allowed"
        assert refused.value.details["state"] == state


def test_approval_rechecks_eligibility(cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    Agreement.objects.filter(pk=agreement.pk).update(state="expired")
    with pytest.raises(ConflictError) as refused:
        services.member_transition(actor=cm, member_id=member.pk, name="approve")
    assert refused.value.details["unmet"] == [
        f"Testkommunen har inget gällande medlemsavtal som omfattar {hub.name}."
    ]


def test_approval_sets_the_agreement(cm, hub, employer, agreement):
    member = walk(cm, register(cm, hub, employer), "approve")
    assert member.agreement == agreement
    assert member.decided_on is not None


def test_an_unconfirmed_application_cannot_be_decided(cm, hub, employer, agreement):
    member = apply(hub, employer)
    with pytest.raises(ConflictError) as refused:
        services.member_transition(actor=cm, member_id=member.pk, name="approve")
    assert "E-postadressen är inte bekräftad." in refused.value.details["unmet"]


def test_an_eligible_applicant_cannot_be_declined(cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    with pytest.raises(ConflictError) as refused:
        services.member_transition(
            actor=cm, member_id=member.pk, name="decline", comment="Vill inte"
        )
    assert "avslås bara när den sökande inte är behörig" in refused.value.details["unmet"][0]


def test_declining_needs_a_reason(cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    Agreement.objects.filter(pk=agreement.pk).update(state="expired")
    with pytest.raises(ValidationError) as refused:
        services.member_transition(actor=cm, member_id=member.pk, name="decline", comment="  ")
    assert refused.value.error_dict["comment"][0].code == "reason_required"


def test_an_ineligible_applicant_is_declined_with_the_reason(cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    Agreement.objects.filter(pk=agreement.pk).update(state="expired")
    declined = walk(cm, member, "decline", comment="Avtalet har gått ut.")
    assert declined.state == "declined"
    assert declined.decline_reason == "Avtalet har gått ut."


def test_onboarding_needs_every_step(cm, hub, employer, agreement):
    member = walk(cm, register(cm, hub, employer), "approve")
    services.onboarding_item_set(actor=cm, member_id=member.pk, step="name_tag", done=True)
    with pytest.raises(ConflictError) as refused:
        services.member_transition(actor=cm, member_id=member.pk, name="onboard")
    assert refused.value.details["unmet"] == ["3 av introduktionens fyra steg är inte gjorda."]


def test_an_onboarding_step_records_who_and_when_and_is_audited(cm, hub, employer, agreement):
    member = walk(cm, register(cm, hub, employer), "approve")
    item = services.onboarding_item_set(
        actor=cm, member_id=member.pk, step="manifesto_signed", done=True
    )
    assert (item.done, item.changed_by) == (True, cm)
    assert item.changed_at is not None
    undone = services.onboarding_item_set(
        actor=cm, member_id=member.pk, step="manifesto_signed", done=False
    )
    assert undone.done is False
    from governance.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(verb="onboarding_item_changed", object_id=str(member.pk))
    assert [entry.after for entry in entries.order_by("pk")] == [
        {"step": "manifesto_signed", "done": True},
        {"step": "manifesto_signed", "done": False},
    ]


def test_the_onboarding_is_closed_outside_approved(cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    with pytest.raises(ConflictError) as refused:
        services.onboarding_item_set(actor=cm, member_id=member.pk, step="name_tag", done=True)
    assert refused.value.code == "onboarding_closed"
