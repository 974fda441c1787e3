"""The coordinator uploads a new agreement template in the admin: the upload service checks,
stores and audits it; a template naming unknown variables is refused on the form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.audit.models import AuditEntry
from governance.memberships.models import AgreementTemplate
from tests.factories import UserFactory
from tests.memberships.test_documents import _template_with

pytestmark = pytest.mark.django_db
ADD = "/admin/memberships/agreementtemplate/add/"


@pytest.fixture
def staff_coordinator(coordinator):
    coordinator.is_staff = True
    coordinator.save()
    return coordinator


def _post(client, data: bytes, language: str = "sv"):
    upload = SimpleUploadedFile("ny mall.docx", data)
    return client.post(ADD, {"language": language, "upload": upload})


def test_the_coordinator_uploads_a_template_that_becomes_the_next_version(
    client_for, staff_coordinator
):
    client = client_for(staff_coordinator)
    assert client.get(ADD).status_code == 200

    response = _post(client, _template_with("Tillägg för {{ member_name }}."))

    assert response.status_code == 302, response.context["adminform"].form.errors
    template = AgreementTemplate.objects.get()
    assert (template.language, template.version, template.source) == ("sv", 1, "ny mall.docx")
    assert template.uploaded_by == staff_coordinator
    entry = AuditEntry.objects.get(verb="created", object_id=str(template.pk))
    assert entry.actor == staff_coordinator
    assert entry.after["sha256"] == template.sha256
    page = client.get(f"/admin/memberships/agreementtemplate/{template.pk}/change/")
    assert page.status_code == 200
    assert "sha256" in page.content.decode()


def test_unknown_variables_are_listed_on_the_form_and_nothing_is_stored(
    client_for, staff_coordinator
):
    response = _post(client_for(staff_coordinator), _template_with("{{ membr_name }}"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["upload"] == ["Mallen använder variabler som plattformen inte har: membr_name."]
    assert not AgreementTemplate.objects.exists()
    not_docx = _post(client_for(staff_coordinator), b"plain text")
    assert not_docx.context["adminform"].form.errors["upload"] == [
        "Filen är inte ett Word-dokument (.docx)."
    ]


def test_staff_without_the_coordinators_role_cannot_upload(client_for, hub):
    staff = UserFactory(roles=[("principal_staff", hub)], is_staff=True)

    assert client_for(staff).get(ADD).status_code == 403
    assert _post(client_for(staff), _template_with("x")).status_code == 403
    assert not AgreementTemplate.objects.exists()
