"""Optional PDF copies of generated agreements: made by LibreOffice when it is installed, a note
in the run's result and on the document when it is not."""

import hashlib
import shutil

import pytest

from governance.memberships.models import Agreement, AgreementDocument
from tests.memberships.conftest import intake
from tests.memberships.test_documents import _generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(hub, member, adopted_schedule, coordinator, api_client):
    response = api_client(coordinator).post("/api/agreements", intake(hub, member))
    assert response.status_code == 201, response.json()
    return Agreement.objects.get(pk=response.json()["id"])


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt install libreoffice-writer-nogui",
)


@needs_libreoffice
def test_with_libreoffice_each_document_gets_a_pdf_copy(
    settings, agreement, coordinator, api_client
):
    settings.AGREEMENT_PDF_COPIES = True
    client = api_client(coordinator)

    run = _generate(client, agreement)

    run.refresh_from_db()
    assert run.state == "completed", run.error
    assert run.result["pdf"] == {"made": 1}
    document = AgreementDocument.objects.get(agreement=agreement)
    assert document.pdf_note == ""
    pdf = client.get(f"/api/agreements/{agreement.pk}/document.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert f"{agreement.number}" in pdf["Content-Disposition"]
    data = b"".join(pdf.streaming_content)
    assert data.startswith(b"%PDF-")
    assert len(data) > 5_000
    assert hashlib.sha256(data).hexdigest() == document.pdf_sha256
    listed = client.get(f"/api/agreements/{agreement.pk}/documents").json()
    assert (listed[0]["has_pdf"], listed[0]["pdf_note"]) == (True, "")


def test_without_libreoffice_the_document_is_made_and_the_pdf_skipped_with_a_note(
    settings, agreement, coordinator, api_client
):
    settings.AGREEMENT_PDF_COPIES = True
    settings.SOFFICE_PATH = "/nonexistent/soffice"
    client = api_client(coordinator)

    run = _generate(client, agreement)

    run.refresh_from_db()
    assert run.state == "completed", run.error
    assert run.result["generated"] == 1
    note = "Ingen PDF-kopia: LibreOffice (soffice) är inte installerat."
    assert run.result["pdf"] == {"made": 0, "note": note}
    assert AgreementDocument.objects.get(agreement=agreement).pdf_note == note
    listed = client.get(f"/api/agreements/{agreement.pk}/documents").json()
    assert (listed[0]["has_pdf"], listed[0]["pdf_note"]) == (False, note)
    missing = client.get(f"/api/agreements/{agreement.pk}/document.pdf")
    assert missing.status_code == 404
    assert client.get(f"/api/agreements/{agreement.pk}/document").status_code == 200


def test_copies_turned_off_say_so(settings, agreement, coordinator, api_client):
    settings.AGREEMENT_PDF_COPIES = False

    run = _generate(api_client(coordinator), agreement)

    run.refresh_from_db()
    assert run.result["pdf"]["note"] == "Ingen PDF-kopia: PDF-kopior är avstängda."


@needs_libreoffice
def test_a_failing_libreoffice_is_a_note_not_a_failed_run(
    settings, agreement, coordinator, api_client, tmp_path
):
    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\necho 'cannot start' >&2\nexit 3\n")
    broken.chmod(0o755)
    settings.AGREEMENT_PDF_COPIES = True
    settings.SOFFICE_PATH = str(broken)

    run = _generate(api_client(coordinator), agreement)

    run.refresh_from_db()
    assert run.state == "completed", run.error
    assert run.result["pdf"]["made"] == 0
    note = "Ingen PDF-kopia: LibreOffice misslyckades (cannot start)."
    assert run.result["pdf"]["note"] == note
    assert AgreementDocument.objects.get(agreement=agreement).pdf_note == note
