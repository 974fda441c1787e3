"""Budgets: versions draft → adopted → superseded, the agreement recorded, the one in force."""

from datetime import date

import pytest

from governance.audit.models import AuditEntry
from governance.forecasts import services
from governance.forecasts.selectors import budget_in_force
from tests.factories import OrganisationFactory, seat_holder_for
from tests.forecasts.conftest import record_agreement
from tests.forecasts.factories import BudgetFactory

pytestmark = pytest.mark.django_db

LINES = [
    {"category": "staff", "amount_sek": 700_000, "note": "CM 1,0"},
    {"category": "premises", "amount_sek": 300_000},
    {"category": "membership_fees", "amount_sek": 650_000},
    {"category": "investment_capital", "amount_sek": 500_000},
]


def test_create_numbers_versions_per_year_and_audits(api_client, hub, principal_staff):
    client = api_client(principal_staff)
    first = client.post(f"/api/hubs/{hub.pk}/budgets", {"year": 2026, "lines": LINES})
    second = client.post(f"/api/hubs/{hub.pk}/budgets", {"year": 2026, "lines": LINES[:1]})
    other_year = client.post(f"/api/hubs/{hub.pk}/budgets", {"year": 2027, "lines": LINES})
    assert [r.status_code for r in (first, second, other_year)] == [201, 201, 201]
    assert [first.json()["version"], second.json()["version"]] == [1, 2]
    assert other_year.json()["version"] == 1
    assert first.json()["totals"]["staff"] == 700_000
    assert first.json()["lines"][0] == {
        "category": "staff",
        "amount_sek": 700_000,
        "note": "CM 1,0",
    }
    entry = AuditEntry.objects.filter(verb="created", object_id=str(first.json()["id"])).get()
    assert entry.after["lines"][3]["category"] == "investment_capital"


def test_adopting_needs_the_agreement_recorded(api_client, hub, principal_staff):
    budget = BudgetFactory(hub=hub)
    client = api_client(principal_staff)
    refused = client.post(f"/api/budgets/{budget.pk}/transitions/adopt")
    assert refused.status_code == 409
    assert "kommit överens om budgeten" in refused.json()["unmet"][0]
    organisation = OrganisationFactory()
    patched = client.patch(
        f"/api/budgets/{budget.pk}",
        {"agreed_by": [organisation.pk], "agreed_on": "2025-12-01", "decision_reference": "D1"},
    )
    assert patched.status_code == 200
    adopted = client.post(f"/api/budgets/{budget.pk}/transitions/adopt")
    assert adopted.status_code == 200
    assert adopted.json()["state"] == "adopted"


def test_an_owner_group_closes_the_principals_path(api_client, hub, principal_staff):
    budget = BudgetFactory(hub=hub)
    record_agreement(budget)
    seat_holder_for(None, hub, "owner_group")
    refused = api_client(principal_staff).post(f"/api/budgets/{budget.pk}/transitions/adopt")
    assert refused.status_code == 409
    assert "ägargruppens beslut" in refused.json()["unmet"][0]


def test_an_adopted_budget_never_changes(api_client, hub, principal_staff, coordinator):
    budget = BudgetFactory(hub=hub)
    record_agreement(budget)
    services.budget_transition(actor=coordinator, budget_id=budget.pk, name="adopt")
    answer = api_client(principal_staff).patch(f"/api/budgets/{budget.pk}", {"note": "ändrad"})
    assert answer.status_code == 409
    assert answer.json()["code"] == "not_editable"


def test_adopting_a_new_version_supersedes_the_old(hub, coordinator):
    old, new = BudgetFactory(hub=hub, version=1), BudgetFactory(hub=hub, version=2)
    for budget in (old, new):
        record_agreement(budget)
    services.budget_transition(actor=coordinator, budget_id=old.pk, name="adopt")
    assert budget_in_force(hub, on=date(2026, 5, 1)) == old
    services.budget_transition(actor=coordinator, budget_id=new.pk, name="adopt")
    old.refresh_from_db()
    assert old.state == "superseded"
    assert budget_in_force(hub, on=date(2026, 5, 1)) == new
    assert budget_in_force(hub.pk, on=date(2027, 1, 1)) is None


def test_the_national_budget_is_the_coordinators(api_client, coordinator, principal_staff):
    body = {"year": 2026, "lines": [{"category": "staff", "amount_sek": 1_200_000}]}
    assert api_client(principal_staff).post("/api/budgets/national", body).status_code == 403
    created = api_client(coordinator).post("/api/budgets/national", body)
    assert created.status_code == 201
    budget_id = created.json()["id"]
    adopted = api_client(coordinator).post(f"/api/budgets/{budget_id}/transitions/adopt")
    assert adopted.status_code == 200
    assert budget_in_force(None, on=date(2026, 3, 1)).pk == budget_id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2026, "lines": []}, "lines"),
        ({"year": 2026, "lines": [{"category": "staff", "amount_sek": -1}]}, "lines.0.amount_sek"),
        ({"year": 2026, "lines": [{"category": "lunch", "amount_sek": 1}]}, "lines.0.category"),
    ],
)
def test_invalid_budgets_are_refused_per_field(api_client, hub, principal_staff, body, field):
    answer = api_client(principal_staff).post(f"/api/hubs/{hub.pk}/budgets", body)
    assert answer.status_code == 422
    assert field in [error["field"] for error in answer.json()["errors"]]
