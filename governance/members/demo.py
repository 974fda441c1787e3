"""Demo individual members in Östersund (``manage.py seed_demo``), after the memberships'
demo (INSTALLED_APPS order): one in every state, one approved with the onboarding half done,
and one who left longer ago than MEMBER_RETENTION_DAYS, for the nightly erasure to act on.

The demo has no active seat-model agreement (Stockholm's seats ended with the pilot), so the
members are employees of an organisation with an active open-model agreement. The declined
applicant's employer has an agreement that has since expired. Idempotent: a hub that has
members is left alone. Names and addresses are invented.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from governance.hubs.models import Hub
from governance.members import services
from governance.members.choices import OnboardingStep
from governance.members.models import Member, OnboardingItem
from governance.organisations.models import Organisation

OSTERSUND = "Samverket Östersund"
EMPLOYER = "2021005448"  # an active open-model agreement in Östersund until the end of next year
FORMER_MEMBER_ORGANISATION = "2021002114"  # its Östersund agreement expired at the end of 2024
ANSWERS = {
    "goals": "Nya kontakter utanför min egen myndighet och en plats att jobba nära hemmet.",
    "contribution": "Erfarenhet av digital samverkan; jag håller gärna i en frukostträff.",
}
# (name, e-mail, transitions in order, onboarding steps done)
DEMO_MEMBERS = [
    ("Sara Lind", "sara.lind@example.se", [], []),
    (
        "Johan Ek",
        "johan.ek@example.se",
        ["approve"],
        [OnboardingStep.INVITATION_SENT, OnboardingStep.PERSONAL_ONBOARDING],
    ),
    ("Maria Holm", "maria.holm@example.se", ["approve", "onboard"], OnboardingStep.values),
    ("Erik Berg", "erik.berg@example.se", ["approve", "onboard", "leave"], OnboardingStep.values),
    (
        "Lena Strand",
        "lena.strand@example.se",
        ["approve", "onboard", "leave"],
        OnboardingStep.values,
    ),
]
PAST_RETENTION = "lena.strand@example.se"


def _walk(cm: User, member: Member, transitions: list[str], done: list[str]) -> None:
    for name in transitions:
        if name == "onboard":
            for step in done:
                services.onboarding_item_set(actor=cm, member_id=member.pk, step=step, done=True)
        services.member_transition(actor=cm, member_id=member.pk, name=name)
    if transitions == ["approve"]:
        for step in done:
            services.onboarding_item_set(actor=cm, member_id=member.pk, step=step, done=True)


@transaction.atomic
def seed_members() -> None:
    """The demo's members, made through the app's services as Östersund's CM."""
    hub = Hub.objects.get(name=OSTERSUND)
    if Member.objects.filter(hub=hub).exists():
        return
    cm = User.objects.get(username="cm")
    for name, email, transitions, done in DEMO_MEMBERS:
        member = services.member_register(
            actor=cm, hub_id=hub.pk, org_number=EMPLOYER, name=name, email=email, **ANSWERS
        )
        _walk(cm, member, transitions, done)
    # Back-dated (demo bookkeeping, not audited): left longer ago than the retention period.
    long_ago = timezone.localdate() - timedelta(days=settings.MEMBER_RETENTION_DAYS + 30)
    Member.objects.filter(email=PAST_RETENTION).update(left_on=long_ago)
    _declined(cm, hub)


def _declined(cm: User, hub: Hub) -> None:
    """An application from before the employer's agreement expired: no longer eligible, so
    the CM declines it with the reason."""
    member = Member.objects.create(
        hub=hub,
        organisation=Organisation.objects.get(org_number=FORMER_MEMBER_ORGANISATION),
        name="Anders Nord",
        email="anders.nord@example.se",
        email_confirmed_at=timezone.now(),
        registered_by=cm,
        **ANSWERS,
    )
    OnboardingItem.objects.bulk_create(
        OnboardingItem(member=member, step=step) for step in OnboardingStep.values
    )
    services.member_transition(
        actor=cm,
        member_id=member.pk,
        name="decline",
        comment="Arbetsgivarens avtal för Östersund har gått ut.",
    )
