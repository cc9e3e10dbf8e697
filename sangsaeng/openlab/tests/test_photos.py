"""Resource photos: host staff upload PNG/JPEG (checked), members see them through a view."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sangsaeng.core.models import AuditEvent
from sangsaeng.openlab.models import ResourcePhoto

pytestmark = pytest.mark.django_db
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _png(name="room.png", content=PNG_BYTES):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_a_lab_operator_adds_a_photo_that_members_can_see(client, login, cast, lab):
    login(cast.lab_operator)
    response = client.post(
        reverse("openlab:resource_photo_add", args=[lab.room.pk]), {"file": _png(), "caption": "Inside"}
    )
    assert response.status_code == 302
    photo = ResourcePhoto.objects.get()
    assert AuditEvent.objects.filter(action="openlab.add_resource_photo").count() == 1

    login(cast.partner_member)
    response = client.get(reverse("openlab:resource_photo", args=[lab.room.pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    page = client.get(reverse("openlab:resource_calendar", args=[lab.room.pk])).content.decode()
    assert reverse("openlab:resource_photo", args=[lab.room.pk, photo.pk]) in page


def test_partners_cannot_add_photos(client, login, cast, lab):
    login(cast.partner_owner)
    response = client.post(reverse("openlab:resource_photo_add", args=[lab.room.pk]), {"file": _png()})
    assert response.status_code == 403
    assert not ResourcePhoto.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(client, login, cast, lab):
    login(cast.lab_operator)
    client.post(
        reverse("openlab:resource_photo_add", args=[lab.room.pk]), {"file": _png(content=b"MZ not a png" * 8)}
    )
    assert not ResourcePhoto.objects.exists()
    assert not AuditEvent.objects.filter(action="openlab.add_resource_photo").exists()


def test_anonymous_people_cannot_see_photos(client, cast, lab):
    response = client.get(reverse("openlab:resource_photo", args=[lab.room.pk, 1]))
    assert response.status_code == 302
