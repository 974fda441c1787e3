"""The agreement pages through Django's test client: who may open and post what, the intake
form's errors, and every action (each audited)."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from governance.audit.models import AuditEntry
from governance.flowruns.models import FlowRun
from governance.flowruns.services import flowrun_mark_completed
from governance.memberships.document_services import agreement_document_generate
from governance.memberships.models import Agreement, FeeSchedule, InvoiceMark, SignedCopy
from tests.factories import (
    AgreementFactory,
    FeeScheduleFactory,
    HubFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.memberships.conftest import intake
from tests.test_production import PageAudit

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.fixture
def people(hub, coordinator, principal_staff, member):
    return {
        "coordinator": coordinator,
        "principal": principal_staff,
        "cm": UserFactory(roles=[("community_manager", hub)]),
        "member": PersonFactory(organisation=member).user,
        "elsewhere": UserFactory(roles=[("principal_staff", HubFactory())]),
        "outsider": UserFactory(),
    }


@pytest.fixture
def draft(hub, member, adopted_schedule):
    return AgreementFactory(hub=hub, principal=hub.principal, member=member)


def in_state(hub, state, **fields):
    values = {"hub": hub, "principal": hub.principal, "state": state, **fields}
    return AgreementFactory(**values)


def verbs(agreement) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(agreement.pk), content_type__model="agreement")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def form_data(hub, member, **overrides) -> dict:
    """The intake page's fields as the browser sends them (no discounts filled in)."""
    body = intake(hub, member, **overrides)
    body["hub"] = body.pop("hub_id")
    body.setdefault("language", "sv")
    body.setdefault("seats", "")
    management = {
        "discounts-TOTAL_FORMS": "3",
        "discounts-INITIAL_FORMS": "0",
        "discounts-MIN_NUM_FORMS": "0",
        "discounts-MAX_NUM_FORMS": "10",
    }
    return {**body, **management}


@pytest.mark.parametrize(
    ("who", "list_", "detail", "new", "invoicing"),
    [
        ("coordinator", 200, 200, 200, 200),
        ("principal", 200, 200, 200, 200),
        ("cm", 200, 200, 200, 403),
        ("member", 200, 200, 403, 403),
        ("elsewhere", 200, 403, 403, 403),
        ("outsider", 403, 403, 403, 403),
    ],
)
def test_who_opens_which_page(client_for, people, hub, draft, who, list_, detail, new, invoicing):
    client = client_for(people[who])
    assert client.get("/agreements/").status_code == list_
    assert client.get(f"/agreements/{draft.pk}/").status_code == detail
    assert client.get("/agreements/new/").status_code == new
    assert client.get(f"/agreements/invoicing/hubs/{hub.pk}/").status_code == invoicing
    assert client.get("/agreements/fee-schedules/").status_code == 200  # the levels are open


@pytest.mark.parametrize("path", ["/agreements/", "/agreements/new/", "/agreements/1/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_the_list_filters_by_hub_state_and_ending_date(client_for, people, hub, draft):
    ending = in_state(hub, "active", start_on=date(2025, 1, 1), end_on=date(2025, 6, 30))
    other_hub = in_state(HubFactory(principal=OrganisationFactory()), "draft")
    client = client_for(people["coordinator"])
    page = client.get("/agreements/", {"hub": hub.pk}).text
    assert draft.number in page
    assert ending.number in page
    assert other_hub.number not in page
    page = client.get("/agreements/", {"state": "active"}).text
    assert ending.number in page
    assert draft.number not in page
    page = client.get("/agreements/", {"ending_before": "2025-12-31"}).text
    assert ending.number in page
    assert draft.number not in page
    assert "Östersund" not in client.get("/agreements/", {"state": "nonsense"}).text
    # Principal staff of another hub see none of this hub's agreements.
    assert draft.number not in client_for(people["elsewhere"]).get("/agreements/").text


def test_the_pages_have_no_inline_script_or_style(client_for, people, hub, draft):
    client = client_for(people["principal"])
    for path in (
        "/agreements/",
        "/agreements/new/",
        f"/agreements/{draft.pk}/",
        "/agreements/fee-schedules/",
        f"/agreements/invoicing/hubs/{hub.pk}/",
    ):
        page = client.get(path)
        audit = PageAudit(page.headers["Content-Security-Policy"])
        audit.feed(page.text)
        assert audit.refused_inline == [], path


def test_the_intake_creates_a_draft_and_is_audited(client_for, people, hub, member):
    response = client_for(people["principal"]).post(
        "/agreements/new/",
        form_data(hub, member, **{"discounts-0-percent": "20"})
        | {
            "discounts-0-reason": "Ny medlem",
            "discounts-0-year": "2026",
        },
    )
    agreement = Agreement.objects.get(member=member)
    assert response.status_code == 302
    assert response["Location"] == f"/agreements/{agreement.pk}/"
    assert agreement.state == "draft"
    assert [(d.percent, d.year) for d in agreement.discounts.all()] == [(20, 2026)]
    assert verbs(agreement) == ["created"]


def test_intake_errors_come_from_the_service_on_their_fields_and_keep_what_was_typed(
    client_for, people, hub, member
):
    data = form_data(
        hub,
        member,
        end_on="2025-06-30",
        member_signatory_phone="ring mig",
        member_signatory_name="Maria Östlund",
    )
    client = client_for(people["principal"])
    response = client.post("/agreements/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["end_on"] == ["Slutdatum ska vara efter startdatum."]
    assert "7–15 siffror" in form.errors["member_signatory_phone"][0]
    assert 'value="Maria Östlund"' in response.text
    assert 'value="ring mig"' in response.text
    assert 'href="#id_end_on"' in response.text  # the summary links to the field
    discount = {"discounts-1-percent": "150", "discounts-1-reason": "För mycket"}
    response = client.post("/agreements/new/", form_data(hub, member, **discount))
    assert "percent" in response.context["discounts"].forms[1].errors
    assert 'value="För mycket"' in response.text
    assert 'href="#id_discounts-1-percent"' in response.text
    assert not Agreement.objects.exists()


def test_an_unknown_organisation_number_is_named_on_its_field(client_for, people, hub):
    stranger = OrganisationFactory.build(org_number="5560109927")
    data = form_data(hub, stranger)
    response = client_for(people["principal"]).post("/agreements/new/", data)
    assert "registrera den först" in response.context["form"].errors["member_org_number"][0]


def test_an_overlapping_intake_names_the_other_agreement(client_for, people, hub, member, draft):
    response = client_for(people["principal"]).post("/agreements/new/", form_data(hub, member))
    assert response.status_code == 200
    assert draft.number in response.context["form"].non_field_errors()[0]


def test_a_draft_is_edited_and_only_a_draft(client_for, people, hub, draft):
    client = client_for(people["cm"])
    page = client.get(f"/agreements/{draft.pk}/edit/")
    assert 'value="Maria Ek"' in page.text
    data = {
        name: value
        for name, value in form_data(hub, draft.member, employees=40).items()
        if name not in ("hub", "member_org_number")
    }
    assert client.post(f"/agreements/{draft.pk}/edit/", data).status_code == 302
    assert Agreement.objects.get(pk=draft.pk).employees == 40
    assert verbs(draft)[-1] == "updated"
    generated = in_state(hub, "generated", start_on="2030-01-01", end_on="2030-12-31")
    assert client.get(f"/agreements/{generated.pk}/edit/").status_code == 403
    refused = client_for(people["principal"]).get(f"/agreements/{generated.pk}/edit/", follow=True)
    assert "Bara ett utkast kan ändras" in refused.text
    assert client_for(people["member"]).get(f"/agreements/{draft.pk}/edit/").status_code == 403


def test_a_transition_button_runs_the_kernels_transition(client_for, people, hub):
    generated = in_state(hub, "generated")
    page = client_for(people["principal"]).get(f"/agreements/{generated.pk}/")
    assert 'data-transition="send"' in page.text
    assert (
        'data-transition="send"'
        not in client_for(people["cm"]).get(f"/agreements/{generated.pk}/").text
    )
    assert (
        client_for(people["cm"]).post(f"/agreements/{generated.pk}/transitions/send/").status_code
        == 403
    )
    response = client_for(people["principal"]).post(f"/agreements/{generated.pk}/transitions/send/")
    assert response.status_code == 302
    sent = Agreement.objects.get(pk=generated.pk)
    assert (sent.state, sent.sent_to) == ("sent", "maria.ek@example.se")
    assert verbs(sent) == ["transition"]
    page = client_for(people["principal"]).get(f"/agreements/{sent.pk}/").text
    assert "Skickat till maria.ek@example.se" in page
    assert f"av {people['principal'].username}" in page


def test_a_refused_transition_says_why(client_for, people, hub):
    sent = in_state(hub, "sent")
    response = client_for(people["principal"]).post(
        f"/agreements/{sent.pk}/transitions/sign/", follow=True
    )
    assert "Båda parternas underskrifter är inte registrerade." in response.text
    assert Agreement.objects.get(pk=sent.pk).state == "sent"


def test_generating_the_document_follows_the_run_and_offers_the_download(
    client_for, people, draft, monkeypatch
):
    # The flow itself runs in tests/memberships/test_documents.py; here the page starts the run
    # and the test does the flow's work, as the worker would.
    monkeypatch.setattr("governance.workflows._start_inline", lambda run_id: None)
    client = client_for(people["principal"])
    response = client.post(f"/agreements/{draft.pk}/document/")
    run = FlowRun.objects.get(flow_name="generate_agreements")
    assert run.parameters == {"agreement_ids": [draft.pk]}
    assert response["Location"] == f"/agreements/{draft.pk}/?run={run.pk}#document"
    page = client.get(response["Location"]).text
    assert f'hx-get="/agreements/{draft.pk}/document/runs/{run.pk}/"' in page
    poll = f"/agreements/{draft.pk}/document/runs/{run.pk}/"
    assert 'hx-trigger="every 2s"' in client.get(poll, headers={"HX-Request": "true"}).text

    generated = agreement_document_generate(
        actor=people["principal"], agreement_id=draft.pk, flow_run_id=run.pk
    )
    flowrun_mark_completed(
        run_id=run.pk,
        result={"agreements": [{"id": draft.pk, "outcome": "generated", "version": 1}]},
    )
    partial = client.get(poll, headers={"HX-Request": "true"}).text
    assert "every 2s" not in partial
    assert f'href="/agreements/{draft.pk}/documents/1/"' in partial
    download = client.get(f"/agreements/{draft.pk}/documents/1/")
    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs
    )
    assert draft.number in text
    page = client.get(f"/agreements/{draft.pk}/").text
    assert generated.document.sha256[:12] in page
    assert client_for(people["cm"]).post(f"/agreements/{draft.pk}/document/").status_code == 403


def test_the_signed_copy_is_uploaded_from_the_page(client_for, people, hub):
    sent = in_state(hub, "sent")
    client = client_for(people["principal"])
    page = client.get(f"/agreements/{sent.pk}/").text
    assert 'enctype="multipart/form-data"' in page
    refused = client.post(
        f"/agreements/{sent.pk}/signed-copy/",
        {
            "file": SimpleUploadedFile("avtal.pdf", b"not a pdf"),
            "signed_on": "2026-01-02",
            "signatory": "Maria Östlund",
        },
    )
    assert refused.status_code == 200
    assert "PDF, PNG eller JPEG" in refused.context["signed_copy_form"].errors["file"][0]
    assert 'value="Maria Östlund"' in refused.text
    response = client.post(
        f"/agreements/{sent.pk}/signed-copy/",
        {
            "file": SimpleUploadedFile("skanning.png", PNG),
            "signed_on": "2026-01-02",
            "signatory": "Maria Östlund",
        },
    )
    assert response.status_code == 302
    copy = SignedCopy.objects.get(agreement=sent)
    assert Agreement.objects.get(pk=sent.pk).member_signed_on == date(2026, 1, 2)
    assert verbs(sent) == ["signatures_recorded", "signed_copy_uploaded"]
    page = client.get(f"/agreements/{sent.pk}/").text
    assert copy.sha256[:12] in page
    download = client.get(f"/agreements/{sent.pk}/signed-copies/1/")
    assert download["Content-Type"] == "image/png"
    cm = client_for(people["cm"])
    assert cm.post(f"/agreements/{sent.pk}/signed-copy/", {}).status_code == 403


def test_signatures_are_recorded_and_then_the_agreement_is_signed(client_for, people, hub):
    sent = in_state(hub, "sent", member_signed_on=date(2026, 1, 2))
    client = client_for(people["principal"])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = client.post(f"/agreements/{sent.pk}/signatures/", {"principal_signed_on": future})
    assert "framtiden" in refused.context["signatures_form"].errors["principal_signed_on"][0]
    client.post(f"/agreements/{sent.pk}/signatures/", {"principal_signed_on": "2026-01-05"})
    assert Agreement.objects.get(pk=sent.pk).principal_signed_on == date(2026, 1, 5)
    client.post(f"/agreements/{sent.pk}/transitions/sign/")
    assert Agreement.objects.get(pk=sent.pk).state == "signed"
    assert verbs(sent) == ["signatures_recorded", "transition"]


def test_termination_needs_a_date_in_the_period_and_a_reason(client_for, people, hub):
    active = in_state(hub, "active")
    client = client_for(people["principal"])
    refused = client.post(
        f"/agreements/{active.pk}/terminate/",
        {"terminated_on": "2027-03-01", "reason": "Flyttar verksamheten"},
    )
    assert "inom avtalsperioden" in refused.context["termination_form"].errors["terminated_on"][0]
    assert "Flyttar verksamheten" in refused.text
    client.post(
        f"/agreements/{active.pk}/terminate/",
        {"terminated_on": "2026-06-30", "reason": "Flyttar verksamheten"},
    )
    terminated = Agreement.objects.get(pk=active.pk)
    assert (terminated.state, terminated.terminated_on) == ("terminated", date(2026, 6, 30))
    assert verbs(active) == ["updated", "transition"]


def test_renewal_makes_the_next_draft_and_opens_it(client_for, people, hub):
    active = in_state(hub, "active", start_on=date(2026, 1, 1), end_on=date(2026, 12, 31))
    response = client_for(people["principal"]).post(f"/agreements/{active.pk}/renew/")
    renewal = Agreement.objects.get(renewed_from=active)
    assert response["Location"] == f"/agreements/{renewal.pk}/"
    assert renewal.start_on == date(2027, 1, 1)
    assert verbs(active) == ["renewed"]
    assert client_for(people["cm"]).post(f"/agreements/{active.pk}/renew/").status_code == 403


def test_the_invoicing_basis_is_marked_invoiced_and_paid(client_for, people, hub, adopted_schedule):
    signed = in_state(hub, "signed")
    client = client_for(people["principal"])
    page = client.get(f"/agreements/invoicing/hubs/{hub.pk}/", {"year": 2026}).text
    assert "25\xa0000 kr" in page
    assert f"/api/hubs/{hub.pk}/invoicing.xlsx?year=2026" in page
    early = client.post(f"/agreements/{signed.pk}/invoices/2026/", {"action": "paid"}, follow=True)
    assert "fakturerad innan den betalas" in early.text
    client.post(f"/agreements/{signed.pk}/invoices/2026/", {"action": "invoiced"})
    client.post(f"/agreements/{signed.pk}/invoices/2026/", {"action": "paid"})
    mark = InvoiceMark.objects.get(agreement=signed, year=2026)
    assert mark.invoiced_by == mark.paid_by == people["principal"]
    assert verbs(signed) == ["invoice_marked", "invoice_marked"]
    page = client.get(f"/agreements/invoicing/hubs/{hub.pk}/", {"year": 2026}).text
    assert f"registrerat av {people['principal'].username}" in page
    cm = client_for(people["cm"])
    assert cm.post(f"/agreements/{signed.pk}/invoices/2026/", {"action": "paid"}).status_code == 403


def test_fee_schedules_show_their_tiers_and_are_adopted_from_the_page(client_for, people, hub):
    schedule = FeeScheduleFactory(hub=hub, version=1)
    schedule.agreed_by.set([hub.principal])
    schedule.agreed_on, schedule.decision_reference = date(2025, 12, 1), "Dnr 7/2025"
    schedule.save()
    page = client_for(people["principal"]).get("/agreements/fee-schedules/").text
    assert "10\xa0000 kr" in page
    assert "51 eller fler" in page
    assert f"/agreements/fee-schedules/{schedule.pk}/transitions/adopt/" in page
    adopt = f"/agreements/fee-schedules/{schedule.pk}/transitions/adopt/"
    assert client_for(people["cm"]).post(adopt).status_code == 403
    assert client_for(people["principal"]).post(adopt).status_code == 302
    assert FeeSchedule.objects.get(pk=schedule.pk).state == "adopted"
    entry = AuditEntry.objects.filter(content_type__model="feeschedule").latest("pk")
    assert entry.verb == "transition"


def test_the_start_page_lists_agreements_to_send_and_to_renew(client_for, people, hub):
    to_send = in_state(hub, "generated")
    today = timezone.localdate()
    ending = in_state(
        hub, "active", start_on=today - timedelta(days=300), end_on=today + timedelta(days=30)
    )
    later = in_state(
        hub, "active", start_on=today - timedelta(days=100), end_on=today + timedelta(days=200)
    )
    page = client_for(people["principal"]).get("/").text
    send_slot = page[page.index('id="slot-agreements_to_send"') :]
    assert to_send.number in send_slot.split("</section>")[0]
    renew_slot = page[page.index('id="slot-agreements_to_renew"') :].split("</section>")[0]
    assert ending.number in renew_slot
    assert later.number not in renew_slot
    assert "slot-agreements_to_send" not in client_for(people["cm"]).get("/").text
    assert to_send.number not in client_for(people["elsewhere"]).get("/").text


def test_the_hub_page_links_to_its_agreements(client_for, people, hub):
    page = client_for(people["principal"]).get(f"/hubs/{hub.pk}/").text
    assert f'href="/agreements/?hub={hub.pk}"' in page
    assert "/agreements/?hub" not in client_for(people["outsider"]).get(f"/hubs/{hub.pk}/").text


def test_the_pages_are_in_english_on_request(client_for, people, draft):
    client = client_for(people["principal"])
    client.cookies["django_language"] = "en"
    page = client.get(f"/agreements/{draft.pk}/").text
    assert "Create the agreement document" in page
    assert "Skapa avtalsdokumentet" not in page


def national_data(member, principal, rows: list[tuple[int, str]]) -> dict:
    data = form_data(None, member, principal=principal.pk, employees="")
    data["hub"] = "national"
    data |= {
        "localities-TOTAL_FORMS": "3",
        "localities-INITIAL_FORMS": "0",
        "localities-MIN_NUM_FORMS": "0",
        "localities-MAX_NUM_FORMS": "200",
    }
    for index, (hub_id, employees) in enumerate(rows):
        data |= {f"localities-{index}-hub": hub_id, f"localities-{index}-employees": employees}
    return data


def test_the_coordinator_takes_in_a_national_agreement_with_its_localities(
    client_for, people, hub, member
):
    owner = OrganisationFactory(name="Den nationella ägaren")
    client = client_for(people["coordinator"])
    assert 'value="national"' in client.get("/agreements/new/").text
    assert 'value="national"' not in client_for(people["principal"]).get("/agreements/new/").text
    twice = client.post("/agreements/new/", national_data(member, owner, [(hub.pk, "30")] * 2))
    assert twice.status_code == 200
    assert twice.context["localities"].forms[1].errors["hub"] == [
        "Hubben finns redan med i listan."
    ]
    assert 'href="#id_localities-1-hub"' in twice.text
    other = HubFactory(principal=OrganisationFactory())
    response = client.post(
        "/agreements/new/", national_data(member, owner, [(hub.pk, "30"), (other.pk, "12")])
    )
    agreement = Agreement.objects.get(member=member)
    assert response["Location"] == f"/agreements/{agreement.pk}/"
    assert (agreement.hub, agreement.principal, agreement.employees) == (None, owner, 42)
    assert agreement.number.startswith("NAT-")
    page = client.get(f"/agreements/{agreement.pk}/edit/").text
    assert 'name="localities-0-employees"' in page


def tier_rows(*rows: tuple[str, str, str]) -> dict:
    data = {
        "tiers-TOTAL_FORMS": "5",
        "tiers-INITIAL_FORMS": "0",
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "50",
    }
    for index, (lower, upper, fee) in enumerate(rows):
        data |= {
            f"tiers-{index}-employees_from": lower,
            f"tiers-{index}-employees_to": upper,
            f"tiers-{index}-yearly_fee_sek": fee,
        }
    return data


def test_a_fee_schedule_draft_is_made_on_the_page_with_the_ladders_rules(client_for, people, hub):
    client = client_for(people["principal"])
    assert 'value="national"' not in client.get("/agreements/fee-schedules/new/").text
    assert (
        'value="national"'
        in client_for(people["coordinator"]).get("/agreements/fee-schedules/new/").text
    )
    assert client_for(people["cm"]).get("/agreements/fee-schedules/new/").status_code == 403
    base = {"hub": str(hub.pk), "effective_from": "2027-01-01", "seat_price_sek": "6000"}
    gap = client.post(
        "/agreements/fee-schedules/new/",
        base | tier_rows(("1", "10", "10000"), ("12", "", "25000,50")),
    )
    assert gap.status_code == 200
    assert "glapp" in gap.context["tiers"].forms[1].errors["employees_from"][0]
    assert 'value="25000,50"' in gap.text
    assert not FeeSchedule.objects.exists()
    response = client.post(
        "/agreements/fee-schedules/new/",
        base | tier_rows(("1", "10", "10000"), ("11", "", "25000,50")),
    )
    schedule = FeeSchedule.objects.get()
    assert response["Location"] == f"/agreements/fee-schedules/#schedule-{schedule.pk}"
    assert [tier.yearly_fee_ore for tier in schedule.tiers.all()] == [1_000_000, 2_500_050]
    assert (schedule.state, schedule.seat_price_ore) == ("draft", 600_000)
    entry = AuditEntry.objects.get(content_type__model="feeschedule")
    assert (entry.verb, entry.actor) == ("created", people["principal"])
