"""Demo organisations, users and roles (``manage.py seed_demo``); idempotent."""

from django.contrib.auth.models import User
from django.db import transaction

from governance.core.demo import ensure
from governance.organisations.choices import NationalRole, OrganisationKind
from governance.organisations.models import Organisation, Person, RoleAssignment

DEMO_PASSWORD = "samverket-demo"

ORGANISATIONS = [
    ("Länsstyrelsen i Jämtlands län", "2021002346", OrganisationKind.STATE_AGENCY, "Östersund"),
    ("Östersunds kommun", "2120002411", OrganisationKind.MUNICIPALITY, "Östersund"),
    ("Region Jämtland Härjedalen", "2321000214", OrganisationKind.REGION, "Östersund"),
    ("Försäkringskassan", "2021005521", OrganisationKind.STATE_AGENCY, "Stockholm"),
    ("Skatteverket", "2021005448", OrganisationKind.STATE_AGENCY, "Solna"),
    ("Arbetsförmedlingen", "2021002114", OrganisationKind.STATE_AGENCY, "Stockholm"),
    ("Vinnova", "2021005216", OrganisationKind.STATE_AGENCY, "Stockholm"),
    ("Trafikverket", "2021006297", OrganisationKind.STATE_AGENCY, "Borlänge"),
    ("Stockholms stad", "2120000142", OrganisationKind.MUNICIPALITY, "Stockholm"),
    ("Region Stockholm", "2321000016", OrganisationKind.REGION, "Stockholm"),
    ("Mittuniversitetet", "2021002841", OrganisationKind.STATE_AGENCY, "Sundsvall"),
    ("Sundsvalls kommun", "2120002403", OrganisationKind.MUNICIPALITY, "Sundsvall"),
    ("Luleå kommun", "2120002650", OrganisationKind.MUNICIPALITY, "Luleå"),
    ("Jämtkraft AB", "5560109927", OrganisationKind.PUBLIC_COMPANY, "Östersund"),
    # The Stockholm pilot hub's principal: landlord and contract party for the memberships.
    ("Vasakronan AB", "5560614603", OrganisationKind.OTHER, "Stockholm"),
    ("Linköpings kommun", "2120000449", OrganisationKind.MUNICIPALITY, "Linköping"),
]

# username: (first name, last name, organisation number, title, national roles). Each hub's
# community manager is employed by its principal, as in the pilot ("Organisation och ägarskap").
USERS = {
    "coordinator": (
        "Karin",
        "Lindqvist",
        "2021005216",
        "Nationell koordinator",
        [NationalRole.NATIONAL_COORDINATOR],
    ),
    "principal": ("Anders", "Berg", "2021002346", "Verksamhetsansvarig huvudman", []),
    "team": ("Sara", "Nilsson", "2120002403", "Konceptutvecklare", []),
    "cm": ("Elin", "Holm", "2021002346", "Community manager", []),
    "cm_stockholm": ("Hanna", "Wallin", "5560614603", "Community manager", []),
    "cm_linkoping": ("Oskar", "Dahl", "2120000449", "Community manager", []),
    "owner1": ("Lars", "Ek", "2120002411", "Kommundirektör", []),
    "owner2": ("Maria", "Sjöberg", "2321000214", "Regiondirektör", []),
    "owner3": ("Johan", "Persson", "2021005521", "Avdelningschef", []),
    "board1": ("Fatima", "Ali", "2021006297", "Utvecklingsstrateg", []),
    "board2": ("Erik", "Lund", "2021005448", "Innovationsledare", []),
}
# Staff users may open the admin; the national coordinator browses all of it there.
STAFF_USERS = {"coordinator"}


@transaction.atomic
def seed_organisations_and_people() -> None:
    """Create or bring back to their demo values the organisations, users and national roles."""
    for name, org_number, kind, municipality in ORGANISATIONS:
        ensure(
            Organisation,
            {"org_number": org_number},
            {"name": name, "kind": kind, "municipality": municipality},
        )
    for username, (first, last, org_number, title, roles) in USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.se"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        ensure(User, {"pk": user.pk}, {"is_staff": username in STAFF_USERS})
        ensure(
            Person,
            {"user": user},
            {"organisation": Organisation.objects.get(org_number=org_number), "title": title},
        )
        for role in roles:
            ensure(RoleAssignment, {"user": user, "role": role})
