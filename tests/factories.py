"""factory_boy factories shared by the tests: one for every model, each a valid row."""

import datetime
import hashlib
import secrets
from datetime import timedelta

import factory
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone
from stdnum import luhn

from governance.audit.models import AuditEntry
from governance.flowruns.choices import FlowRunState
from governance.flowruns.models import FlowRun
from governance.hubs.checklists import KEY_PREFIX
from governance.hubs.choices import County, HubRole, Phase, ReadinessAspect
from governance.hubs.models import ChecklistVersion, Hub, HubChecklistItem, ReadinessScore
from governance.memberships.choices import MembershipModel, SigningAuthority
from governance.memberships.models import (
    Agreement,
    AgreementDiscount,
    AgreementLocality,
    FeeSchedule,
    FeeTier,
)
from governance.organisations.choices import OrganisationKind
from governance.organisations.models import ApiToken, Organisation, Person, RoleAssignment
from governance.organisations.roles import derived_role_values, national_role_values

PASSWORD = "correct horse battery staple"


def valid_org_number(n: int) -> str:
    """A ten-digit organisation number with a correct check digit, distinct for each n."""
    body = f"2{n:08d}"
    return body + luhn.calc_check_digit(body)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Myndighet {n}")
    org_number = factory.Sequence(valid_org_number)
    kind = OrganisationKind.STATE_AGENCY


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    name = factory.Sequence(lambda n: f"Hubb {n}")
    municipality = "Sundsvall"
    county = County.VASTERNORRLAND


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        Person.objects.get_or_create(user=self)
        for entry in extracted or []:
            role, hub = entry if isinstance(entry, tuple) else (entry, None)
            if hub is None and role not in national_role_values():
                hub = HubFactory()
            if role in derived_role_values():  # never stored: the user holds a seat instead
                seat_holder_for(self, hub, DERIVED_ROLE_BODY[role])
            else:
                RoleAssignment.objects.create(user=self, role=role, hub=hub)


# The hub roles the boards app derives from seats, and the body whose seat gives each.
DERIVED_ROLE_BODY = {"owner_group_rep": "owner_group", "creative_board_rep": "creative_board"}
SEAT_HOLDER_SINCE = datetime.date(2000, 1, 1)


def seat_holder_for(user: User | None, hub: Hub, body: str, kind: str = "representative"):
    """A current holding of a seat in the hub's ``body`` (owner_group / creative_board): the
    user's organisation's seat (a new organisation when the user has none); a new user when
    ``user`` is None. Returns the SeatHolder."""
    from governance.boards.models import Board, Seat, SeatHolder
    from governance.organisations.roles import forget_user_roles

    if user is None:
        user = UserFactory()
    person, _created = Person.objects.get_or_create(user=user)
    if person.organisation_id is None:
        person.organisation = OrganisationFactory()
        person.title = person.title or "Direktör"
        person.save()
    board, _created = Board.objects.get_or_create(hub=hub, body=body)
    seat = Seat.objects.filter(
        board=board, organisation=person.organisation, closed_on__isnull=True
    ).first() or Seat.objects.create(
        board=board, organisation=person.organisation, opened_on=SEAT_HOLDER_SINCE
    )
    holder = SeatHolder.objects.create(
        seat=seat,
        user=user,
        kind=kind
        if kind == "substitute"
        or not seat.holders.filter(to_on__isnull=True, kind="representative").exists()
        else "substitute",
        title=person.title or "Direktör",
        from_on=SEAT_HOLDER_SINCE,
    )
    forget_user_roles(user)
    return holder


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = "Utvecklingsstrateg"
    phone = "063-14 30 00"

    @classmethod
    def _create(cls, model_class: type[Person], *args, user: User, **kwargs) -> Person:
        # UserFactory already gave the user an empty Person (every user has one); fill it in.
        person, _created = model_class.objects.update_or_create(user=user, defaults=kwargs)
        return person


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    """A hub role in a hub of its own unless told otherwise; pass ``hub=None`` with a
    national role."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = HubRole.ESTABLISHMENT_TEAM
    hub = factory.SubFactory(HubFactory)


def _hash_token(raw_token: str) -> str:
    # As governance.organisations.services stores it; test_factories checks that it signs in.
    return hashlib.sha256(raw_token.encode()).hexdigest()


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A usable token; the raw token a client sends is on the row as ``raw_token``."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    raw_token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    key_hash = factory.LazyAttribute(lambda token: _hash_token(token.raw_token))
    prefix = factory.LazyAttribute(lambda token: token.raw_token[:8])
    expires_at = factory.LazyFunction(
        lambda: timezone.now() + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS)
    )

    @classmethod
    def _build(cls, model_class: type[ApiToken], *args, raw_token: str, **kwargs) -> ApiToken:
        token = super()._build(model_class, *args, **kwargs)
        token.raw_token = raw_token
        return token

    @classmethod
    def _create(cls, model_class: type[ApiToken], *args, raw_token: str, **kwargs) -> ApiToken:
        token = super()._create(model_class, *args, **kwargs)
        token.raw_token = raw_token
        return token


def checklist_items(phase: str) -> list[dict]:
    """Two items of a phase's checklist, one required, as a ChecklistVersion stores them."""
    prefix = KEY_PREFIX[phase]
    return [
        {
            "key": f"{prefix}principal-found",
            "title": {"sv": "Hitta en huvudman", "en": "Find a principal"},
            "description": {
                "sv": "En organisation har åtagit sig att vara huvudman.",
                "en": "An organisation has agreed to be the principal.",
            },
            "responsible_role": HubRole.ESTABLISHMENT_TEAM.value,
            "required": True,
            "target_week": 4,
            "playbook_ref": "Etablering och finansering",
        },
        {
            "key": f"{prefix}open-house",
            "title": {"sv": "Håll öppet hus", "en": "Hold an open house"},
            "description": {
                "sv": "Hubben har visats för blivande medlemmar.",
                "en": "The hub has been shown to prospective members.",
            },
            "responsible_role": HubRole.COMMUNITY_MANAGER.value,
            "required": False,
            "target_week": None,
            "playbook_ref": "Community",
        },
    ]


class ChecklistVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistVersion

    phase = Phase.PREPARATION
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    source_file = factory.LazyAttribute(lambda version: f"{version.phase}.yaml")
    items = factory.LazyAttribute(lambda version: checklist_items(version.phase))


class HubChecklistItemFactory(factory.django.DjangoModelFactory):
    """An open item made from ``item`` (default: the version's first) as the services make it."""

    class Meta:
        model = HubChecklistItem

    class Params:
        item = factory.LazyAttribute(lambda row: row.version.items[0])

    hub = factory.SubFactory(HubFactory)
    version = factory.SubFactory(ChecklistVersionFactory)
    phase = factory.SelfAttribute("version.phase")
    key = factory.LazyAttribute(lambda row: row.item["key"])
    position = 0
    title_sv = factory.LazyAttribute(lambda row: row.item["title"]["sv"])
    title_en = factory.LazyAttribute(lambda row: row.item["title"]["en"])
    description_sv = factory.LazyAttribute(lambda row: row.item["description"]["sv"])
    description_en = factory.LazyAttribute(lambda row: row.item["description"]["en"])
    responsible_role = factory.LazyAttribute(lambda row: row.item["responsible_role"])
    required = factory.LazyAttribute(lambda row: row.item["required"])
    target_week = factory.LazyAttribute(lambda row: row.item["target_week"])
    playbook_ref = factory.LazyAttribute(lambda row: row.item["playbook_ref"])


class ReadinessScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadinessScore

    hub = factory.SubFactory(HubFactory)
    aspect = ReadinessAspect.PEOPLE
    score = 2
    note = "Två personer har tid avsatt."
    updated_by = factory.SubFactory(UserFactory)


class FlowRunFactory(factory.django.DjangoModelFactory):
    """A run of a registered flow, recorded but not started (as ``dispatch`` leaves it)."""

    class Meta:
        model = FlowRun

    flow_name = "revalidate_org_numbers"
    parameters = factory.LazyFunction(dict)
    state = FlowRunState.PENDING
    requested_by = factory.SubFactory(UserFactory)


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An entry recording that ``actor`` changed ``target`` (default: a new hub's name)."""

    class Meta:
        model = AuditEntry

    class Params:
        target = factory.SubFactory(HubFactory)

    actor = factory.SubFactory(UserFactory)
    actor_username = factory.SelfAttribute("actor.username")
    verb = "updated"
    content_type = factory.LazyAttribute(
        lambda entry: ContentType.objects.get_for_model(entry.target)
    )
    object_id = factory.LazyAttribute(lambda entry: str(entry.target.pk))
    object_repr = factory.LazyAttribute(lambda entry: str(entry.target)[:300])
    before = factory.LazyFunction(lambda: {"notes": ""})
    after = factory.LazyFunction(lambda: {"notes": "Lokal visad."})


def sign_in_request(address: str = "127.0.0.1") -> HttpRequest:
    """A sign-in request from ``address``: what django-axes counts failed sign-ins by."""
    return RequestFactory(REMOTE_ADDR=address).post("/api/auth/token")


class FeeScheduleFactory(factory.django.DjangoModelFactory):
    """A draft version of a hub's fees with a valid three-tier general ladder."""

    class Meta:
        model = FeeSchedule
        skip_postgeneration_save = True

    hub = factory.SubFactory(HubFactory)
    version = factory.Sequence(lambda n: n + 1)
    effective_from = datetime.date(2026, 1, 1)
    seat_price_ore = 600_000

    @factory.post_generation
    def tiers(self, create, extracted, **kwargs):
        for position, (lower, upper, fee_ore) in enumerate(extracted or STANDARD_LADDER):
            FeeTier.objects.create(
                schedule=self,
                position=position,
                employees_from=lower,
                employees_to=upper,
                yearly_fee_ore=fee_ore,
            )


# (from, to, yearly fee in öre): 1–10 employees 10 000 kr, 11–50 25 000 kr, 51– 50 000 kr.
STANDARD_LADDER = [(1, 10, 1_000_000), (11, 50, 2_500_000), (51, None, 5_000_000)]


class FeeTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeTier

    schedule = factory.SubFactory(FeeScheduleFactory, tiers=[(1, 10, 1_000_000)])
    position = 1
    employees_from = 11
    employees_to = None
    yearly_fee_ore = 2_000_000


class AgreementFactory(factory.django.DjangoModelFactory):
    """A draft open-model agreement of a hub (with a principal) for one calendar year."""

    class Meta:
        model = Agreement

    number = factory.Sequence(lambda n: f"TST-2026-{n + 1:03d}")
    hub = factory.SubFactory(HubFactory, principal=factory.SubFactory(OrganisationFactory))
    principal = factory.LazyAttribute(lambda agreement: agreement.hub.principal)
    member = factory.SubFactory(OrganisationFactory)
    model = MembershipModel.OPEN
    employees = 25
    start_on = datetime.date(2026, 1, 1)
    end_on = datetime.date(2026, 12, 31)
    member_signatory_name = "Maria Ek"
    member_signatory_title = "Avdelningschef"
    member_signatory_email = "maria.ek@example.se"
    member_signatory_phone = "063-14 30 00"
    member_signatory_authority = SigningAuthority.DELEGATION
    principal_signatory_name = "Anders Berg"
    principal_signatory_title = "Verksamhetsansvarig"
    contact_name = "Per Ek"
    contact_email = "per.ek@example.se"
    invoice_reference = "Ref 4711"
    invoice_address = "Box 1, 831 00 Östersund"


class AgreementDiscountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementDiscount

    agreement = factory.SubFactory(AgreementFactory)
    percent = 50
    year = 2026
    reason = "Tidig medlem i piloten"


class AgreementLocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementLocality

    agreement = factory.SubFactory(
        AgreementFactory, hub=None, principal=factory.SubFactory(OrganisationFactory)
    )
    hub = factory.SubFactory(HubFactory)
    employees = 40
