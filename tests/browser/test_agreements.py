"""The principal's staff take a draft agreement to its document in a real browser: the list,
the agreement's page, generation followed on the page, and the download opened as Word."""

import re

from docx import Document
from playwright.sync_api import expect

from governance.flowruns.models import FlowRun
from governance.flowruns.services import flowrun_mark_completed
from governance.memberships.document_services import agreement_document_generate
from governance.memberships.models import Agreement

MEMBER = "Östersunds kommun"


def _text(path) -> str:
    document = Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_principal_generates_a_drafts_document_and_downloads_it(visit, monkeypatch):
    # The flow's run through Prefect is tested in tests/memberships/test_documents.py; here the
    # test does the flow's work once the page has started the run, as a worker would.
    monkeypatch.setattr("governance.workflows._start_inline", lambda run_id: None)
    draft = Agreement.objects.get(member__name=MEMBER, state="draft")
    principal = visit("principal")
    page = principal.page
    expect(page.locator("#slot-agreements_to_renew")).to_be_visible()
    principal.check("start-principal-agreements")

    page.get_by_role("link", name="Medlemsavtal").first.click()
    page.get_by_label("Läge").select_option("draft")
    page.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"state=draft"))
    principal.check("agreements-list")
    page.get_by_role("link", name=draft.number).click()
    expect(page.locator("h1")).to_contain_text(MEMBER)
    expect(page.locator("#fee-total")).to_contain_text("kr")
    principal.check("agreement-draft")

    page.get_by_role("button", name="Skapa avtalsdokumentet").click()
    expect(page).to_have_url(re.compile(r"\?run=\d+"))
    expect(page.locator("#document-run")).to_contain_text("Dokumentet skapas")
    run = FlowRun.objects.get(flow_name="generate_agreements", parameters__agreement_ids=[draft.pk])
    generated = agreement_document_generate(
        actor=run.requested_by, agreement_id=draft.pk, flow_run_id=run.pk
    )
    document = generated.document
    flowrun_mark_completed(
        run_id=run.pk,
        result={
            "agreements": [
                {
                    "id": draft.pk,
                    "number": draft.number,
                    "outcome": "generated",
                    "version": document.version,
                    "sha256": document.sha256,
                }
            ]
        },
    )
    link = page.locator("#document-download")
    expect(link).to_be_visible(timeout=10_000)
    principal.check("agreement-document-ready")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    assert MEMBER in _text(download.path())

    page.get_by_role("link", name="Läs in avtalet på nytt").click()
    expect(page.locator(".agreement-state").first).to_contain_text("Dokument skapat")
    expect(page.locator("#document table")).to_contain_text(document.sha256[:12])
    expect(
        page.get_by_role("button", name="Markera som skickat till avtalsombudet")
    ).to_be_visible()
    principal.check("agreement-generated")
