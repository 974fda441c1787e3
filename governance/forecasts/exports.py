"""A forecast's monthly rows as CSV and XLSX with Swedish column names; numbers stay numbers."""

import csv
import io
from typing import Any

from openpyxl import Workbook

# The stored monthly row's keys and their Swedish column names, in the file's order.
COLUMNS = {
    "month": "Månad",
    "calendar_month": "Kalendermånad",
    "phase": "Fas",
    "revenue_fees": "Intäkter medlemsavgifter",
    "revenue_seats": "Intäkter platser",
    "revenue_grants": "Bidrag och stöd",
    "revenue_total": "Intäkter totalt",
    "cost_staff": "Personal",
    "cost_premises": "Lokal",
    "cost_operations": "Drift",
    "cost_activities": "Aktiviteter",
    "cost_investment": "Investering",
    "cost_total": "Kostnader totalt",
    "operating_net": "Rörelseresultat",
    "net": "Nettoresultat",
    "cumulative_cash": "Ackumulerad kassa",
}
PHASES_IN_SWEDISH = {"preparation": "Förberedelser", "startup": "Uppstart", "operations": "Drift"}


def _values(row: dict[str, Any]) -> list[Any]:
    return [
        PHASES_IN_SWEDISH.get(row[key], row[key]) if key == "phase" else row[key] for key in COLUMNS
    ]


def forecast_csv(months: list[dict[str, Any]]) -> str:
    """The rows as CSV (semicolons, as Swedish spreadsheets expect; whole kronor)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS.values())
    for row in months:
        writer.writerow(_values(row))
    return buffer.getvalue()


def forecast_xlsx(months: list[dict[str, Any]]) -> bytes:
    """The rows as one XLSX sheet; amounts are numbers with a thousands format."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Prognos"
    sheet.append(list(COLUMNS.values()))
    for row in months:
        sheet.append(_values(row))
    for column in sheet.iter_cols(min_col=4, min_row=2):
        for cell in column:
            cell.number_format = "# ##0"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
