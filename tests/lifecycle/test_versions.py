"""The shared agreed-version piece (governance/lifecycle/versions.py), tested once on budgets:
its guards read their facts as annotations, and its service helpers number, refuse and record."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.errors import ConflictError
from governance.forecasts import guards
from governance.forecasts.models import Budget
from governance.forecasts.selectors import budgets_with_facts
from governance.lifecycle import versions
from governance.lifecycle.guards import MissingFactError
from tests.factories import HubFactory, OrganisationFactory, seat_holder_for
from tests.forecasts.factories import BudgetFactory

pytestmark = pytest.mark.django_db


def _with_facts(budget: Budget) -> Budget:
    return budgets_with_facts().get(pk=budget.pk)


def _adopted(budget: Budget) -> None:
    Budget.objects.filter(pk=budget.pk).update(state="adopted")


def test_agreement_recorded_only_for_a_hubs_version():
    budget = BudgetFactory()
    assert not guards.agreement_recorded(budget)
    budget.agreed_by.set([OrganisationFactory()])
    budget.agreed_on, budget.decision_reference = date(2025, 12, 1), "D1"
    assert guards.agreement_recorded(budget)
    assert guards.agreement_recorded(BudgetFactory(hub=None))


def test_no_owner_group_yet_reads_its_fact():
    budget = BudgetFactory()
    with pytest.raises(MissingFactError):
        guards.no_owner_group_yet(budget)
    assert guards.no_owner_group_yet(_with_facts(budget))
    seat_holder_for(None, budget.hub, "owner_group")
    assert not guards.no_owner_group_yet(_with_facts(budget))
    assert guards.no_owner_group_yet(_with_facts(BudgetFactory(hub=None)))


def test_successor_adopted_in_the_same_scope():
    hub = HubFactory()
    old, new = BudgetFactory(hub=hub, version=1), BudgetFactory(hub=hub, version=2)
    other_year = BudgetFactory(hub=hub, year=2027, version=3)
    _adopted(old)
    assert not guards.successor_adopted(_with_facts(old))
    _adopted(other_year)
    assert not guards.successor_adopted(_with_facts(old))
    _adopted(new)
    assert guards.successor_adopted(_with_facts(old))
    assert not guards.successor_adopted(_with_facts(new))


def test_facts_are_one_query_for_a_list():
    for _ in range(5):
        BudgetFactory()
    with CaptureQueriesContext(connection) as queries:
        budgets = list(budgets_with_facts().prefetch_related(None))
        for budget in budgets:
            guards.no_owner_group_yet(budget)
            guards.successor_adopted(budget)
    assert len(budgets) == 5
    assert len(queries) == 1


def test_next_version_in_scope():
    hub = HubFactory()
    assert versions.next_version(Budget, hub=hub, year=2026) == 1
    BudgetFactory(hub=hub, year=2026, version=4)
    assert versions.next_version(Budget, hub=hub, year=2026) == 5
    assert versions.next_version(Budget, hub=hub, year=2027) == 1


def test_require_draft_is_409_with_the_callers_words():
    budget = BudgetFactory()
    versions.require_draft(budget, "x")
    _adopted(budget)
    budget.refresh_from_db()
    with pytest.raises(ConflictError) as refused:
        versions.require_draft(budget, "Bara ett utkast.")
    assert refused.value.code == "not_editable"
    assert str(refused.value.message) == "Bara ett utkast."


def test_agreed_by_set_records_a_changed_set_only():
    budget = BudgetFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    before, after = {}, {}
    versions.agreed_by_set(budget, versions.organisations_checked([first.pk]), before, after)
    assert (before, after) == ({"agreed_by": []}, {"agreed_by": [first.pk]})
    before, after = {}, {}
    versions.agreed_by_set(budget, [first], before, after)
    assert (before, after) == ({}, {})
    with pytest.raises(ValidationError):
        versions.organisations_checked([first.pk, second.pk + 1000])
