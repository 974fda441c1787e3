"""The invoicing basis (fakturaunderlag) as CSV and XLSX for the principal's finance system."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

from governance.memberships.fees import ORE_PER_KRONA
from governance.memberships.selectors import InvoicingLine
from governance.spreadsheets import as_cell

COLUMNS = [
    "agreement_number",
    "member",
    "member_org_number",
    "invoice_reference",
    "invoice_address",
    "year",
    "kind",
    "period",
    "rule",
    "amount_sek",
    "invoiced_at",
    "invoiced_by",
    "paid_at",
    "paid_by",
]


def _row(line: InvoicingLine) -> list:
    return [
        as_cell(line.number),
        as_cell(line.member),
        line.member_org_number,
        as_cell(line.invoice_reference),
        as_cell(line.invoice_address),
        line.year,
        line.kind,
        line.period,
        as_cell(line.rule),
        Decimal(line.amount_ore) / ORE_PER_KRONA,
        line.invoiced_at,
        line.invoiced_by,
        line.paid_at,
        line.paid_by,
    ]


def invoicing_csv(lines: list[InvoicingLine]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8); amounts in SEK with a point."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(COLUMNS)
    for line in lines:
        row = _row(line)
        row[9] = f"{row[9]:.2f}"
        writer.writerow(row)
    return ("\ufeff" + output.getvalue()).encode()


def invoicing_xlsx(lines: list[InvoicingLine]) -> bytes:
    """One sheet; amounts as numbers with two decimals."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Fakturaunderlag"
    sheet.append(COLUMNS)
    for line in lines:
        sheet.append(_row(line))
        sheet.cell(row=sheet.max_row, column=10).number_format = "#,##0.00"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
