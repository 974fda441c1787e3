"""Rendering a membership agreement as a Word document from a versioned docxtpl template.

ARCHITECTURE's advice, followed: a Jinja environment with ``autoescape=True`` (an ``&`` or ``<``
in a name would otherwise corrupt the document silently) and ``StrictUndefined`` (a missing
value fails loudly); a new ``DocxTemplate`` per render; the table rows with ``{%tr for %}``;
a template's variables checked against ``CONTEXT_VARIABLES`` when it is uploaded. Money and
dates are formatted with Babel in the agreement's language (Swedish formats by default).
"""

import hashlib
import io
import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from babel.dates import format_date
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError

from governance.memberships.choices import MembershipModel, SigningAuthority
from governance.memberships.fees import format_kronor
from governance.memberships.selectors import AgreementFees

CHECKED_IN_TEMPLATES = {
    "sv": "medlemsavtal-sv.docx",
    "en": "membership-agreement-en.docx",
}
# Every top-level name the platform provides to a template; an uploaded template naming any
# other is refused with the names listed.
CONTEXT_VARIABLES = frozenset(
    {
        "number",
        "registration_number",
        "scope_title",
        "scope_text",
        "principal_name",
        "principal_org_number",
        "member_name",
        "member_org_number",
        "model_text",
        "employees",
        "seats",
        "start",
        "end",
        "fee_schedule_version",
        "fee_lines",
        "total",
        "invoice_reference",
        "invoice_address",
        "contact_name",
        "contact_email",
        "contact_phone",
        "member_signatory_name",
        "member_signatory_title",
        "member_signatory_email",
        "member_signatory_phone",
        "member_signatory_authority",
        "principal_signatory_name",
        "principal_signatory_title",
        "generated_on",
        "template_version",
    }
)
BABEL_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


class TemplateVariablesError(ValueError):
    """The template names variables the platform does not provide."""

    def __init__(self, unknown: set[str]) -> None:
        super().__init__(", ".join(sorted(unknown)))
        self.unknown = sorted(unknown)


def checked_in_template_path(language: str) -> Path:
    return Path(settings.BASE_DIR) / "templates" / "agreements" / CHECKED_IN_TEMPLATES[language]


class _CompiledOnceEnvironment(Environment):
    """Compiles each distinct template text once. docxtpl compiles every XML part of every
    document it renders, and a batch renders the same parts of the same template again and
    again: compiling was about a fifth of the rendering time (bench/agreements.py)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled = lru_cache(maxsize=32)(super().from_string)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if isinstance(source, str) and globals is None and template_class is None:
            return self._compiled(source)
        return super().from_string(source, globals, template_class)


# Autoescaped: a `&` or `<` in a name must not corrupt the document's XML.
_ENVIRONMENT = _CompiledOnceEnvironment(autoescape=True, undefined=StrictUndefined)


def _environment() -> Environment:
    return _ENVIRONMENT


def undeclared_variables(template_file: IO[bytes] | Path) -> set[str]:
    """The template's variables that the platform does not provide (empty: it may be used).

    Raises TemplateVariablesError's sibling ValueError when the template is not a valid .docx
    or its tags do not parse."""
    try:
        names = DocxTemplate(template_file).get_undeclared_template_variables(_environment())
    except TemplateSyntaxError as error:
        raise ValueError(
            _("Mallens taggar går inte att tolka: %(error)s") % {"error": error}
        ) from error
    except Exception as error:  # python-docx raises several kinds for a file that is no .docx
        raise ValueError(_("Filen är inte ett Word-dokument (.docx).")) from error
    return set(names) - CONTEXT_VARIABLES


def _date(day: date, locale: str) -> str:
    return format_date(day, format="long", locale=locale)


def agreement_context(agreement: Any, fees: AgreementFees, *, template_version: int) -> dict:
    """Everything a template may show, formatted in the agreement's language."""
    language = agreement.language
    locale = BABEL_LOCALES[language]
    with translation.override(language):
        if agreement.is_national:
            scope_title = _("nationellt medlemskap")
            scope_text = _(
                "Avtalet gäller ett nationellt medlemskap i samtliga Samverket-hubbar. Avgiften "
                "fördelas på hubbarna efter Medlemmens anställda på respektive ort."
            )
        else:
            scope_title = agreement.hub.name
            scope_text = _("Avtalet gäller medlemskap i %(hub)s.") % {"hub": agreement.hub.name}
        if agreement.model == MembershipModel.SEATS:
            model_text = _(
                "Platsmodell: Medlemmen har %(seats)d individuella medlemskap och namnger dem "
                "som innehar dem; en innehavare kan bytas genom meddelande till Huvudmannen."
            ) % {"seats": agreement.seats}
        else:
            model_text = _(
                "Öppen modell: samtliga medarbetare hos Medlemmen kan ansöka om individuellt "
                "medlemskap. Avgiften bestäms av antalet anställda på orten (%(employees)d)."
            ) % {"employees": agreement.employees}
        fee_lines = [
            {
                "period": f"{_date(line.period_start, locale)} – {_date(line.period_end, locale)}",
                "rule": line.rule,
                "amount": format_kronor(line.amount_ore, locale),
                # Not shown by the templates; frozen with the document for the invoicing basis.
                "kind": line.kind,
                "year": line.year,
                "amount_ore": line.amount_ore,
            }
            for line in fees.lines
        ]
        authority = str(SigningAuthority(agreement.member_signatory_authority).label)
    return {
        "number": agreement.number,
        "registration_number": agreement.registration_number or "–",
        "scope_title": scope_title,
        "scope_text": scope_text,
        "principal_name": agreement.principal.name,
        "principal_org_number": agreement.principal.org_number_display,
        "member_name": agreement.member.name,
        "member_org_number": agreement.member.org_number_display,
        "model_text": model_text,
        "employees": agreement.employees,
        "seats": agreement.seats or 0,
        "start": _date(agreement.start_on, locale),
        "end": _date(agreement.end_on, locale),
        "fee_schedule_version": fees.schedule.version,
        "fee_lines": fee_lines,
        "total": format_kronor(fees.total_ore, locale),
        "invoice_reference": agreement.invoice_reference,
        "invoice_address": agreement.invoice_address,
        "contact_name": agreement.contact_name,
        "contact_email": agreement.contact_email,
        "contact_phone": agreement.contact_phone or "–",
        "member_signatory_name": agreement.member_signatory_name,
        "member_signatory_title": agreement.member_signatory_title,
        "member_signatory_email": agreement.member_signatory_email,
        "member_signatory_phone": agreement.member_signatory_phone,
        "member_signatory_authority": authority,
        "principal_signatory_name": agreement.principal_signatory_name,
        "principal_signatory_title": agreement.principal_signatory_title,
        "generated_on": _date(timezone.localdate(), locale),
        "template_version": template_version,
    }


def content_hash(context: dict, template_sha256: str) -> str:
    """What makes a document: the values it shows (but the day it was drawn up) and the
    template. The same hash again means nothing changed and no new document is made."""
    shown = {name: value for name, value in context.items() if name != "generated_on"}
    payload = json.dumps([shown, template_sha256], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def render_docx(template_file: IO[bytes] | Path, context: dict) -> bytes:
    """The rendered .docx; StrictUndefined raises on a value the context lacks."""
    document = DocxTemplate(template_file)
    document.render(context, _environment(), autoescape=True)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
