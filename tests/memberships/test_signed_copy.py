"""The signed copy: a PDF, PNG or JPEG by its content, size-limited, stored with its SHA-256,
recording the member's signature; the API's multipart upload and its limits."""

import hashlib
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance.audit.models import AuditEntry
from governance.memberships.models import Agreement, SignedCopy
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"JFIF" + b"\x01" * 500
PDF = b"%PDF-1.7\n" + b"1 0 obj << >> endobj\n" * 20 + b"%%EOF\n"


@pytest.fixture
def sent(hub):
    return AgreementFactory(hub=hub, principal=hub.principal, state="sent")


def upload(client, agreement, file, **fields):
    body = {"signed_on": "2026-01-02", "signatory": "Maria Ek", "file": file, **fields}
    return client.post(f"/api/agreements/{agreement.pk}/signed-copy", body)


def field_errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["field"]: error["code"] for error in response.json()["errors"]}


def test_a_png_is_stored_with_its_hash_and_records_the_members_signature(
    client_for, principal_staff, sent
):
    client = client_for(principal_staff)
    response = upload(client, sent, SimpleUploadedFile("scan.png", PNG, "image/png"))
    assert response.status_code == 201
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert (body["content_type"], body["size"], body["version"]) == ("image/png", len(PNG), 1)
    copy = SignedCopy.objects.get()
    with copy.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == copy.sha256
    assert copy.uploaded_by == principal_staff
    assert Agreement.objects.get(pk=sent.pk).member_signed_on == date(2026, 1, 2)
    download = client.get(f"/api/agreements/{sent.pk}/signed-copy")
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    verbs = set(AuditEntry.objects.filter(object_id=str(sent.pk)).values_list("verb", flat=True))
    assert {"signed_copy_uploaded", "signatures_recorded"} <= verbs
    entry = AuditEntry.objects.get(verb="signed_copy_uploaded")
    assert entry.details["sha256"] == copy.sha256
    assert entry.actor == principal_staff


def test_the_kind_comes_from_the_content_not_the_name_or_the_clients_type(
    client_for, principal_staff, sent
):
    client = client_for(principal_staff)
    pretend = SimpleUploadedFile("signed.pdf", b"just text, no PDF", "application/pdf")
    assert field_errors(upload(client, sent, pretend)) == {"file": "unsupported_content"}
    assert not SignedCopy.objects.exists()
    assert Agreement.objects.get(pk=sent.pk).member_signed_on is None
    jpeg = upload(client, sent, SimpleUploadedFile("notes.txt", JPEG, "text/plain"))
    assert jpeg.json()["content_type"] == "image/jpeg"
    pdf = upload(client, sent, SimpleUploadedFile("scan", PDF, "application/octet-stream"))
    assert (pdf.json()["content_type"], pdf.json()["version"]) == ("application/pdf", 2)
    assert SignedCopy.objects.get(version=2).file.name.endswith(".pdf")
    listed = client.get(f"/api/agreements/{sent.pk}/signed-copies").json()
    assert [row["version"] for row in listed] == [2, 1]


def test_an_empty_or_oversize_file_is_refused_on_its_field(
    client_for, principal_staff, sent, settings
):
    client = client_for(principal_staff)
    empty = upload(client, sent, SimpleUploadedFile("scan.png", b"", "image/png"))
    assert field_errors(empty) == {"file": "empty"}
    settings.SIGNED_COPY_MAX_BYTES = len(PNG) - 1
    too_large = upload(client, sent, SimpleUploadedFile("scan.png", PNG, "image/png"))
    assert field_errors(too_large) == {"file": "too_large"}
    assert not SignedCopy.objects.exists()


def test_an_upload_larger_than_json_bodies_passes_and_far_larger_is_413(
    client_for, principal_staff, sent, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024  # the JSON bodies' limit
    settings.SIGNED_COPY_MAX_BYTES = 200_000
    client = client_for(principal_staff)
    allowed = PNG + b"\x00" * 150_000
    response = upload(client, sent, SimpleUploadedFile("scan.png", allowed, "image/png"))
    assert response.status_code == 201
    far_too_large = PNG + b"\x00" * 400_000
    refused = upload(client, sent, SimpleUploadedFile("scan.png", far_too_large, "image/png"))
    assert refused.status_code == 413
    assert refused.json()["code"] == "request_too_large"
    assert refused.json()["limit_bytes"] > settings.SIGNED_COPY_MAX_BYTES
    assert SignedCopy.objects.count() == 1


def test_other_bodies_than_multipart_are_refused(client_for, principal_staff, sent):
    response = client_for(principal_staff).post(
        f"/api/agreements/{sent.pk}/signed-copy", b"%PDF-1.7", content_type="application/pdf"
    )
    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["message"]


def test_date_and_signatory_are_checked_with_the_file(client_for, principal_staff, sent):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = upload(
        client_for(principal_staff),
        sent,
        SimpleUploadedFile("a.pdf", b"text", "application/pdf"),
        signed_on=tomorrow,
        signatory="  ",
    )
    assert field_errors(response) == {
        "signed_on": "in_future",
        "signatory": "required",
        "file": "unsupported_content",
    }


def test_only_a_sent_agreement_takes_a_signed_copy_and_signing_needs_the_principal_too(
    client_for, principal_staff, hub, sent
):
    client = client_for(principal_staff)
    draft = AgreementFactory(
        hub=hub, principal=hub.principal, start_on="2028-01-01", end_on="2028-12-31"
    )
    refused = upload(client, draft, ContentFile(PNG, "scan.png"))
    assert (refused.status_code, refused.json()["code"]) == (409, "not_allowed_in_state")
    assert upload(client, sent, ContentFile(PNG, "scan.png")).status_code == 201
    sign = f"/api/agreements/{sent.pk}/transitions/sign"
    blocked = client.post(sign, "{}", content_type="application/json")
    assert blocked.status_code == 409
    client.post(
        f"/api/agreements/{sent.pk}/signatures",
        {"principal_signed_on": "2026-01-03"},
        content_type="application/json",
    )
    assert client.post(sign, "{}", content_type="application/json").status_code == 200
