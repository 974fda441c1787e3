"""Agreement documents: rendered from the versioned templates by the flow, stored with their
hash, idempotent, every version kept; every field checked in the opened document."""

import base64
import hashlib
import io
import zipfile
from datetime import date

import pytest
from docx import Document

from governance.flowruns.models import FlowRun
from governance.memberships.documents import CONTEXT_VARIABLES, checked_in_template_path
from governance.memberships.models import Agreement, AgreementDocument
from tests.factories import AgreementDiscountFactory, AgreementFactory, HubFactory
from tests.memberships.conftest import intake

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    """Every paragraph's text, the tables' cells and the footer, as Word shows them."""
    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    parts += [paragraph.text for paragraph in document.sections[0].footer.paragraphs]
    return "\n".join(parts)


def _generate(client, agreement) -> FlowRun:
    response = _started(lambda: client.post(f"/api/agreements/{agreement.pk}/document"))
    assert response.status_code == 202, response.json()
    return FlowRun.objects.get(pk=response.json()["id"])


def _started(request):
    """The request, with the inline flow it dispatched run when its transaction commits (the
    test's transaction never does)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return request()


@pytest.fixture
def agreement(hub, member, adopted_schedule, coordinator, api_client):
    body = intake(
        hub,
        member,
        start_on="2026-07-01",
        end_on="2027-06-30",
        registration_number="Dnr 2026:101",
        contact_phone="070-123 45 67",
        discounts=[{"percent": 50, "year": 2026, "reason": "Ny medlem & pilot"}],
    )
    response = api_client(coordinator).post("/api/agreements", body)
    assert response.status_code == 201, response.json()
    return Agreement.objects.get(pk=response.json()["id"])


def test_the_generated_swedish_document_shows_every_field(
    api_client, coordinator, agreement, prefect_harness
):
    client = api_client(coordinator)
    run = _generate(client, agreement)
    assert run.state == "completed", run.error
    assert run.result["generated"] == 1
    response = client.get(f"/api/agreements/{agreement.pk}/document")
    assert response.status_code == 200
    assert "SUN-2026-001" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    text = _text(data)
    for expected in [
        "Medlemsavtal",
        "Avtalsnummer SUN-2026-001 · Diarienummer Dnr 2026:101",
        f"Huvudman: Länsstyrelsen i Test län, organisationsnummer "
        f"{agreement.principal.org_number_display}",
        f"Medlemsorganisation: Bygg & Miljö <Test> AB, organisationsnummer "
        f"{agreement.member.org_number_display}",
        f"Avtalet gäller medlemskap i {agreement.hub.name}.",
        "Avgiften bestäms av antalet anställda på orten (25).",
        "Avtalet gäller från och med 1 juli 2026 till och med 30 juni 2027.",
        "1 juli 2026 – 31 december 2026",
        "Del av 2026, 1 juli–31 december: 184 av 365 dagar × årsavgiften 25\xa0000 kr = "
        "12\xa0603 kr (avrundat till hela kronor).",
        "12\xa0603 kr",
        "Rabatt 50 % på avgiften för 2026 (Ny medlem & pilot): −6\xa0302 kr.",
        "−6\xa0302 kr",
        "12\xa0397 kr",
        "Summa för avtalsperioden: 18\xa0698 kr.",
        "Fakturareferens: Ref 4711. Fakturaadress: Box 1, 831 00 Östersund.",
        "Medlemsavgiften är inte föremål för upphandling.",
        "Personuppgifter",
        "Per Ek, per.ek@example.se, 070-123 45 67.",
        "Maria Ek, Avdelningschef (Delegation)",
        "Anders Berg, Verksamhetsansvarig",
        "Mall version 1",
    ]:
        assert expected in text, expected
    assert "{{" not in text
    assert "{%" not in text
    # The & and < of the name are characters in the document, escaped in its XML.
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "Bygg &amp; Miljö &lt;Test&gt; AB" in xml
    [document] = client.get(f"/api/agreements/{agreement.pk}/documents").json()
    assert document["sha256"] == hashlib.sha256(data).hexdigest()
    assert (document["template_language"], document["template_version"]) == ("sv", 1)
    assert document["fee_lines"][1]["amount"] == "-6\xa0302 kr"  # Babel's sv_SE minus
    agreement.refresh_from_db()
    assert agreement.state == "generated"


def test_the_english_template_is_chosen_by_the_agreements_language(
    api_client, coordinator, adopted_schedule, hub, prefect_harness
):
    agreement = AgreementFactory(
        hub=hub, principal=hub.principal, language="en", start_on=date(2026, 1, 1)
    )
    run = _generate(api_client(coordinator), agreement)
    assert run.state == "completed", run.error
    data = AgreementDocument.objects.get(agreement=agreement).file.read()
    text = _text(data)
    assert "Membership agreement" in text
    assert "The agreement runs from 1 January 2026 up to and including 31 December 2026." in text
    assert "Whole calendar year 2026: the yearly fee SEK 25,000." in text
    assert "The membership fee is not subject to public procurement." in text
    assert "{{" not in text


def test_generation_is_idempotent_and_a_change_makes_a_new_version(
    api_client, coordinator, agreement, prefect_harness
):
    client = api_client(coordinator)
    _generate(client, agreement)
    again = _generate(client, agreement)
    assert again.result["unchanged"] == 1
    assert AgreementDocument.objects.filter(agreement=agreement).count() == 1
    client.post(f"/api/agreements/{agreement.pk}/transitions/reopen")
    client.patch(f"/api/agreements/{agreement.pk}", {"employees": 60})
    changed = _generate(client, agreement)
    assert changed.result["generated"] == 1
    versions = client.get(f"/api/agreements/{agreement.pk}/documents").json()
    assert [row["version"] for row in versions] == [2, 1]
    assert "50\xa0000 kr" in versions[0]["fee_lines"][0]["rule"]
    first = AgreementDocument.objects.get(agreement=agreement, version=1)
    assert hashlib.sha256(first.file.read()).hexdigest() == versions[1]["sha256"]


def test_a_batch_reports_the_bad_agreement_and_completes_the_rest(
    api_client, coordinator, hub, adopted_schedule, prefect_harness
):
    good = [AgreementFactory(hub=hub, principal=hub.principal) for _ in range(2)]
    # Starts before any fee schedule is in force: cannot be priced.
    bad = AgreementFactory(
        hub=hub, principal=hub.principal, start_on=date(2025, 1, 1), end_on=date(2025, 12, 31)
    )
    client = api_client(coordinator)
    response = _started(lambda: client.post(f"/api/hubs/{hub.pk}/agreements/generate"))
    assert response.status_code == 202
    run = FlowRun.objects.get(pk=response.json()["id"])
    assert run.state == "completed", run.error
    assert (run.result["generated"], run.result["failed"]) == (2, 1)
    [failed] = [row for row in run.result["agreements"] if row["outcome"] == "failed"]
    assert failed["number"] == bad.number
    assert "Ingen fastställd avgiftstrappa" in failed["reason"]
    assert {a.state for a in Agreement.objects.filter(pk__in=[g.pk for g in good])} == {"generated"}
    assert Agreement.objects.get(pk=bad.pk).state == "draft"


def test_only_those_who_manage_the_agreement_generate(api_client, hub, member):
    from tests.factories import UserFactory

    agreement = AgreementFactory(hub=hub, principal=hub.principal)
    cm = UserFactory(roles=[("community_manager", hub)])
    assert api_client(cm).post(f"/api/agreements/{agreement.pk}/document").status_code == 403
    assert api_client(cm).post(f"/api/hubs/{hub.pk}/agreements/generate").status_code == 403
    assert api_client(cm).get(f"/api/agreements/{agreement.pk}/document").status_code == 404


def _upload(client, data: bytes, language: str = "sv"):
    return client.post(
        "/api/agreement-templates",
        {
            "language": language,
            "file_name": "ny-mall.docx",
            "content_base64": base64.b64encode(data).decode(),
        },
    )


def _template_with(text: str) -> bytes:
    document = Document(checked_in_template_path("sv"))
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def test_a_template_with_unknown_variables_is_refused_with_their_names(api_client, coordinator):
    response = _upload(api_client(coordinator), _template_with("{{ membr_name }} {{ fee }}"))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("file", "unknown_variables")
    assert (
        error["message"] == "Mallen använder variabler som plattformen inte har: fee, membr_name."
    )
    not_docx = _upload(api_client(coordinator), b"not a word file")
    assert not_docx.json()["errors"][0]["code"] == "invalid_template"


def test_an_uploaded_template_becomes_the_next_version_and_is_used(
    api_client, coordinator, hub, adopted_schedule, prefect_harness
):
    client = api_client(coordinator)
    AgreementFactory(hub=hub, principal=hub.principal)  # first use registers the checked-in one
    _started(lambda: client.post(f"/api/hubs/{hub.pk}/agreements/generate"))
    response = _upload(client, _template_with("Tillägg för {{ member_name }}."))
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 2
    agreement = AgreementFactory(hub=hub, principal=hub.principal, member__name="Ny & Co")
    _generate(client, agreement)
    document = AgreementDocument.objects.get(agreement=agreement)
    assert document.template.version == 2
    assert "Tillägg för Ny & Co." in _text(document.file.read())
    listed = client.get("/api/agreement-templates").json()
    assert [(row["language"], row["version"]) for row in listed["items"]] == [("sv", 2), ("sv", 1)]


def test_only_the_coordinator_uploads_templates(api_client, principal_staff):
    response = _upload(api_client(principal_staff), _template_with("x"))
    assert response.status_code == 403


def test_the_checked_in_templates_use_only_the_platforms_variables():
    from docxtpl import DocxTemplate

    for language in ("sv", "en"):
        names = DocxTemplate(checked_in_template_path(language)).get_undeclared_template_variables()
        assert names <= CONTEXT_VARIABLES, language


def test_discount_factory_is_rendered_too(
    api_client, coordinator, hub, adopted_schedule, prefect_harness
):
    agreement = AgreementFactory(hub=hub, principal=hub.principal)
    AgreementDiscountFactory(agreement=agreement, percent=10, year=None, reason="<Pilot>")
    _generate(api_client(coordinator), agreement)
    text = _text(AgreementDocument.objects.get(agreement=agreement).file.read())
    assert "Rabatt 10 % på avgiften för 2026 (<Pilot>): −2\xa0500 kr." in text
    assert HubFactory  # the factory module is shared with the other tests
