"""The demo's fee schedules and agreements are what the README promises."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from governance.memberships.choices import AgreementState
from governance.memberships.models import Agreement
from governance.memberships.selectors import agreement_fees, fee_schedule_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo")


def test_ostersund_has_open_model_agreements_in_every_state(seeded):
    rows = Agreement.objects.filter(hub__name="Samverket Östersund")
    assert {row.state for row in rows} == set(AgreementState.values)
    assert {row.model for row in rows} == {"open"}
    assert rows.filter(member__name="Bygg & Miljö <Test> AB").exists()
    today = timezone.localdate()
    ending = rows.filter(state="active", end_on__lte=today + timedelta(days=60))
    # Östersunds kommun's and the region's this year's agreements have next year's renewals:
    # only Försäkringskassan's is still to renew.
    assert {row.member.name for row in ending.filter(renewal__isnull=True)} == {"Försäkringskassan"}
    renewed = {row.member.name: row.renewal.state for row in rows.exclude(renewal=None)}
    assert renewed == {"Östersunds kommun": "draft", "Region Jämtland Härjedalen": "generated"}


def test_stockholm_pilot_seats_ended_when_the_hub_closed_at_four_times_the_fees(seeded):
    rows = Agreement.objects.filter(hub__name="Samverket Stockholm")
    assert {(row.model, row.state) for row in rows} == {("seats", "expired")}
    closed_on = rows.first().hub.closed_on
    assert {row.end_on for row in rows} == {closed_on - timedelta(days=1)}
    stockholm = fee_schedule_in_force(rows.first().hub, on=closed_on - timedelta(days=1))
    ostersund = fee_schedule_in_force(
        Agreement.objects.filter(hub__name="Samverket Östersund").first().hub,
        on=closed_on - timedelta(days=1),
    )
    ratios = {
        a.yearly_fee_ore / b.yearly_fee_ore
        for a, b in zip(stockholm.tiers.all(), ostersund.tiers.all(), strict=True)
    }
    assert ratios == {4.0}


def test_the_national_agreement_is_allocated_to_hubs_and_every_agreement_has_fees(seeded):
    national = Agreement.objects.get(hub=None)
    fees = agreement_fees(national)
    assert {row["hub"] for row in fees.allocation} == {"Samverket Östersund", "Samverket Linköping"}
    for agreement in Agreement.objects.all():
        assert agreement_fees(agreement).total_ore > 0, agreement.number


def test_the_demos_agreements_past_draft_have_their_documents(seeded):
    import io

    from docx import Document

    from governance.memberships.models import AgreementDocument

    past_draft = Agreement.objects.exclude(state="draft")
    assert set(AgreementDocument.objects.values_list("agreement", flat=True)) == set(
        past_draft.values_list("pk", flat=True)
    )
    document = AgreementDocument.objects.get(agreement__member__name="Bygg & Miljö <Test> AB")
    text = "\n".join(p.text for p in Document(io.BytesIO(document.file.read())).paragraphs)
    assert "Medlemsorganisation: Bygg & Miljö <Test> AB" in text
