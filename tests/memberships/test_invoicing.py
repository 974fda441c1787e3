"""The invoicing basis (fakturaunderlag) read back from CSV and XLSX; marking invoiced and paid."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from governance.memberships.models import InvoiceMark
from tests.factories import AgreementDiscountFactory, AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(hub, adopted_schedule):
    """A signed agreement from 1 July 2026 to 30 June 2027 named to look like a formula, with a
    discount in 2026; a draft that is not invoiced."""
    agreement = AgreementFactory(
        hub=hub,
        principal=hub.principal,
        state="active",
        start_on="2026-07-01",
        end_on="2027-06-30",
        member__name="=Bygg & Miljö <Test> AB",
    )
    AgreementDiscountFactory(agreement=agreement, percent=50, year=2026, reason="Ny medlem")
    AgreementFactory(hub=hub, principal=hub.principal, start_on="2026-01-01")
    return agreement


def test_the_csv_lists_the_years_lines_due(api_client, principal_staff, hub, signed):
    response = api_client(principal_staff).get(f"/api/hubs/{hub.pk}/invoicing.csv", {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="fakturaunderlag-2026.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["agreement_number"], row["kind"], row["amount_sek"]) for row in rows] == [
        (signed.number, "fee", "12603.00"),
        (signed.number, "discount", "-6302.00"),
    ]
    assert rows[0]["member"] == "'=Bygg & Miljö <Test> AB"  # text, never a formula
    assert rows[0]["invoiced_at"] == ""


def test_the_xlsx_has_the_same_lines_with_numbers(api_client, coordinator, hub, signed):
    response = api_client(coordinator).get(f"/api/hubs/{hub.pk}/invoicing.xlsx", {"year": 2027})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    line = dict(zip(header, rows[0], strict=True))
    assert len(rows) == 1
    assert (line["year"], line["kind"], Decimal(str(line["amount_sek"]))) == (
        2027,
        "fee",
        Decimal("12397"),
    )


def test_marking_invoiced_then_paid_records_who_and_when(api_client, principal_staff, hub, signed):
    client = api_client(principal_staff)
    url = f"/api/agreements/{signed.pk}/invoices/2026"
    early = client.post(url, {"paid": True})
    assert early.status_code == 422
    assert client.post(url, {"invoiced": True}).status_code == 200
    assert client.post(url, {"paid": True}).json()["paid_at"] is not None
    mark = InvoiceMark.objects.get(agreement=signed, year=2026)
    assert mark.invoiced_by == principal_staff
    assert mark.paid_by == principal_staff
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/api/hubs/{hub.pk}/invoicing.csv", {"year": 2026}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert {row["paid_by"] for row in rows} == {principal_staff.username}
    assert (
        client.post(f"/api/agreements/{signed.pk}/invoices/2030", {"invoiced": True}).status_code
        == 422
    )


def test_only_who_manages_the_hubs_agreements_reads_the_basis(api_client, hub, signed):
    cm = UserFactory(roles=[("community_manager", hub)])
    assert api_client(cm).get(f"/api/hubs/{hub.pk}/invoicing.csv").status_code == 403
    assert (
        api_client(cm)
        .post(f"/api/agreements/{signed.pk}/invoices/2026", {"invoiced": True})
        .status_code
        == 403
    )


def test_the_basis_bills_the_lines_frozen_in_the_document_not_todays_schedule(
    api_client, coordinator, principal_staff, hub, adopted_schedule
):
    """The member signed the document's fees: a schedule adopted afterwards, in force on the
    agreement's start date, changes what would be computed now but not what is invoiced."""
    from datetime import date

    from governance.memberships.document_services import agreement_document_generate
    from governance.memberships.models import Agreement
    from tests.factories import FeeScheduleFactory
    from tests.memberships.conftest import adopt

    agreement = AgreementFactory(
        hub=hub, principal=hub.principal, start_on=date(2026, 7, 1), end_on=date(2027, 6, 30)
    )
    agreement_document_generate(actor=coordinator, agreement_id=agreement.pk)
    Agreement.objects.filter(pk=agreement.pk).update(state="signed")
    doubled = [(1, 10, 2_000_000), (11, 50, 5_000_000), (51, None, 10_000_000)]
    adopt(FeeScheduleFactory(hub=hub, effective_from=date(2026, 6, 1), tiers=doubled), coordinator)

    live = api_client(coordinator).get(f"/api/agreements/{agreement.pk}").json()["fees"]
    response = api_client(principal_staff).get(f"/api/hubs/{hub.pk}/invoicing.csv", {"year": 2026})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # 25 employees: 25 000 kr a year as signed, 184 of 365 days of 2026.
    assert [row["amount_sek"] for row in rows] == ["12603.00"]
    assert live["lines"][0]["amount_ore"] == 2_520_500  # 50 000 kr × 184/365, whole kronor
