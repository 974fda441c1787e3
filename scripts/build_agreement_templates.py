"""Build the checked-in Word templates of the membership agreement (templates/agreements/).

    .venv/bin/python scripts/build_agreement_templates.py

Writes ``medlemsavtal-sv.docx`` (Swedish) and ``membership-agreement-en.docx`` (English) with
python-docx, each tag in a run of its own so Word and LibreOffice keep it whole when the
principal's staff edit the text around it. The tags are docxtpl's (Jinja): ``{{ name }}`` for a
value, ``{%tr for … %}`` for the fee table's rows; every variable is one the platform provides
(governance/memberships/documents.py, CONTEXT_VARIABLES), which the platform checks on upload.
The playbook's clauses: "Medlemsavgiften är inte föremål för upphandling" ("Avtal, upphandling
och administration"); the rest (notice, renewal, personal data) are the platform's default
terms, to be edited by each principal.
"""

import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

BUILT = datetime(2026, 1, 1, tzinfo=UTC)
OUT = Path(__file__).resolve().parent.parent / "templates" / "agreements"

SWEDISH = {
    "file": "medlemsavtal-sv.docx",
    "title": "Medlemsavtal",
    "subtitle": "Samverket – {{ scope_title }}",
    "numbers": "Avtalsnummer {{ number }} · Diarienummer {{ registration_number }}",
    "sections": [
        (
            "1. Parter",
            [
                "Huvudman: {{ principal_name }}, organisationsnummer {{ principal_org_number }} "
                "(nedan ”Huvudmannen”).",
                "Medlemsorganisation: {{ member_name }}, organisationsnummer "
                "{{ member_org_number }} (nedan ”Medlemmen”).",
            ],
        ),
        ("2. Avtalets omfattning", ["{{ scope_text }}"]),
        ("3. Medlemsmodell", ["{{ model_text }}"]),
        (
            "4. Avtalsperiod",
            ["Avtalet gäller från och med {{ start }} till och med {{ end }}."],
        ),
        (
            "5. Medlemsavgift",
            [
                "Medlemsavgiften beräknas per kalenderår enligt Huvudmannens fastställda "
                "avgiftstrappa (version {{ fee_schedule_version }}). Del av kalenderår beräknas "
                "pro rata per dag och avrundas till hela kronor.",
                "TABLE",
                "Summa för avtalsperioden: {{ total }}.",
                "Avgiften faktureras årsvis av Huvudmannen. Fakturareferens: "
                "{{ invoice_reference }}. Fakturaadress: {{ invoice_address }}.",
                "Medlemsavgiften är inte föremål för upphandling.",
            ],
        ),
        (
            "6. Uppsägning och förnyelse",
            [
                "Vardera parten kan säga upp avtalet skriftligen med tre (3) månaders "
                "uppsägningstid. Avtalet upphör vid avtalsperiodens slut utan särskild "
                "uppsägning. Huvudmannen erbjuder Medlemmen ett nytt avtal för nästa period "
                "senast 60 dagar före periodens slut.",
            ],
        ),
        (
            "7. Personuppgifter",
            [
                "Huvudmannen behandlar personuppgifter om Medlemmens avtalsombud, kontaktperson "
                "och individuella medlemmar (namn, e-postadress, telefonnummer och "
                "organisation) för att administrera medlemskapet, med stöd av "
                "dataskyddsförordningen (GDPR). Uppgifterna sparas så länge medlemskapet varar "
                "och gallras därefter enligt Huvudmannens gallringsregler. Den registrerade kan "
                "begära ut, rätta eller få sina uppgifter raderade.",
            ],
        ),
        (
            "8. Kontaktperson",
            [
                "Medlemmens kontaktperson för hubben: {{ contact_name }}, {{ contact_email }}, "
                "{{ contact_phone }}.",
            ],
        ),
    ],
    "table_header": ("Period", "Beräkning", "Belopp"),
    "signatures": "9. Underskrifter",
    "principal_block": "För Huvudmannen",
    "member_block": "För Medlemmen",
    "place_date": "Ort och datum: ____________________",
    "signature_line": "______________________________",
    "member_signatory": "{{ member_signatory_name }}, {{ member_signatory_title }} "
    "({{ member_signatory_authority }})",
    "principal_signatory": "{{ principal_signatory_name }}, {{ principal_signatory_title }}",
    "footer": "Upprättat {{ generated_on }} · Mall version {{ template_version }}",
}

ENGLISH = {
    "file": "membership-agreement-en.docx",
    "title": "Membership agreement",
    "subtitle": "Samverket – {{ scope_title }}",
    "numbers": "Agreement number {{ number }} · Registration number {{ registration_number }}",
    "sections": [
        (
            "1. Parties",
            [
                "Principal: {{ principal_name }}, organisation number "
                "{{ principal_org_number }} (the “Principal”).",
                "Member organisation: {{ member_name }}, organisation number "
                "{{ member_org_number }} (the “Member”).",
            ],
        ),
        ("2. Scope", ["{{ scope_text }}"]),
        ("3. Membership model", ["{{ model_text }}"]),
        ("4. Term", ["The agreement runs from {{ start }} up to and including {{ end }}."]),
        (
            "5. Membership fee",
            [
                "The membership fee is computed per calendar year from the Principal's adopted "
                "fee schedule (version {{ fee_schedule_version }}). Part of a calendar year is "
                "charged pro rata by day and rounded to whole kronor.",
                "TABLE",
                "Total for the term: {{ total }}.",
                "The Principal invoices the fee yearly. Invoicing reference: "
                "{{ invoice_reference }}. Invoicing address: {{ invoice_address }}.",
                "The membership fee is not subject to public procurement.",
            ],
        ),
        (
            "6. Termination and renewal",
            [
                "Either party may terminate the agreement in writing with three (3) months' "
                "notice. The agreement ends at the end of its term without notice. The "
                "Principal offers the Member a new agreement for the next term at the latest "
                "60 days before the term ends.",
            ],
        ),
        (
            "7. Personal data",
            [
                "The Principal processes personal data about the Member's signatory, contact "
                "person and individual members (name, e-mail address, phone number and "
                "organisation) to administer the membership, under the General Data "
                "Protection Regulation (GDPR). The data is kept while the membership lasts and "
                "is then erased under the Principal's retention rules. The data subject may "
                "ask for a copy, a correction or erasure.",
            ],
        ),
        (
            "8. Contact person",
            [
                "The Member's contact person for the hub: {{ contact_name }}, "
                "{{ contact_email }}, {{ contact_phone }}.",
            ],
        ),
    ],
    "table_header": ("Period", "Calculation", "Amount"),
    "signatures": "9. Signatures",
    "principal_block": "For the Principal",
    "member_block": "For the Member",
    "place_date": "Place and date: ____________________",
    "signature_line": "______________________________",
    "member_signatory": "{{ member_signatory_name }}, {{ member_signatory_title }} "
    "({{ member_signatory_authority }})",
    "principal_signatory": "{{ principal_signatory_name }}, {{ principal_signatory_title }}",
    "footer": "Drawn up {{ generated_on }} · Template version {{ template_version }}",
}


def _fee_table(document: Document, header: tuple[str, str, str]) -> None:
    """The fee lines: a header row, then docxtpl's row loop (``{%tr %}`` rows are removed and
    the row between them repeated for each line)."""
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[1].cells[0].text = "{%tr for line in fee_lines %}"
    for cell, text in zip(
        table.rows[2].cells,
        ("{{ line.period }}", "{{ line.rule }}", "{{ line.amount }}"),
        strict=True,
    ):
        cell.text = text
    table.rows[2].cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.rows[3].cells[0].text = "{%tr endfor %}"


def build(spec: dict) -> Path:
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    properties = document.core_properties
    properties.title = spec["title"]
    # Fixed, so that building again gives the same document properties.
    properties.author = properties.last_modified_by = "Samverket"
    properties.created = properties.modified = BUILT
    properties.revision = 1
    document.add_heading(spec["title"], level=0)
    document.add_paragraph(spec["subtitle"])
    document.add_paragraph(spec["numbers"])
    for heading, paragraphs in spec["sections"]:
        document.add_heading(heading, level=1)
        for text in paragraphs:
            if text == "TABLE":
                _fee_table(document, spec["table_header"])
            else:
                document.add_paragraph(text)
    document.add_heading(spec["signatures"], level=1)
    signatures = document.add_table(rows=4, cols=2)
    blocks = (
        (spec["principal_block"], spec["principal_signatory"]),
        (spec["member_block"], spec["member_signatory"]),
    )
    for column, (party, signatory) in enumerate(blocks):
        signatures.cell(0, column).paragraphs[0].add_run(party).bold = True
        signatures.cell(1, column).text = spec["place_date"]
        signatures.cell(2, column).text = spec["signature_line"]
        signatures.cell(3, column).text = signatory
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = spec["footer"]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / spec["file"]
    document.save(path)
    _fix_zip_times(path)
    return path


def _fix_zip_times(path: Path) -> None:
    """The same bytes on every build: the zip's entries get a fixed time."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            target.writestr(zipfile.ZipInfo(name, date_time=BUILT.timetuple()[:6]), data)


if __name__ == "__main__":
    for spec in (SWEDISH, ENGLISH):
        sys.stdout.write(f"{build(spec)}\n")
