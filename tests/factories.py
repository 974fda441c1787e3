"""factory_boy factories shared by the tests."""

import factory
from django.contrib.auth.models import User
from stdnum import luhn

from governance.hubs.choices import County
from governance.hubs.models import Hub
from governance.organisations.choices import OrganisationKind
from governance.organisations.models import Organisation, Person, RoleAssignment
from governance.organisations.roles import national_role_values

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
            RoleAssignment.objects.create(user=self, role=role, hub=hub)
