"""Evidence documents of a partner (사업자등록증, 중소기업확인서, …), checked by type, size and content."""

from __future__ import annotations

import os
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit
from sangsaeng.core.uploads import DOCUMENT_KINDS, validate_upload
from sangsaeng.partners import permissions
from sangsaeng.partners.models import DocumentKind, Partner, PartnerDocument


def upload_document(*, actor: User, partner: Partner, kind: str, upload: UploadedFile) -> PartnerDocument:
    """Store an evidence document (사업자등록증, 중소기업확인서, …): PDF, PNG or JPEG within the size limit.

    The content is checked, not only the name; the stored name is random. Raises PermissionDenied
    or ValidationError (fields "kind", "file").
    """
    if not permissions.can_manage_documents(actor, partner):
        raise PermissionDenied(_("You may not change this company's documents."))
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose a document type.")})
    # Checked before the transaction: reading a file never holds the write lock.
    try:
        file_kind = validate_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=settings.MAX_DOCUMENT_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from error
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if not permissions.can_manage_documents(actor, partner):
            raise PermissionDenied(_("You may not change this company's documents."))
        original_name = unicodedata.normalize("NFC", os.path.basename(upload.name or ""))[:255]
        extension = os.path.splitext(original_name)[1].lower()
        upload.name = f"{uuid.uuid4().hex}{extension}"
        document = PartnerDocument(
            partner=partner,
            kind=kind,
            file=upload,
            original_name=original_name,
            content_type=file_kind.content_type,
            size_bytes=upload.size or 0,
            uploaded_by=actor,
        )
        document.save()
        audit.record(
            actor=actor,
            action="partners.upload_document",
            target=document,
            changes={"kind": kind, "name": original_name, "size_bytes": document.size_bytes},
            partner_organization_id=partner.organization_id,
        )
    return document


def delete_document(*, actor: User, document: PartnerDocument) -> None:
    """Delete a document; the stored file is removed after commit. Raises PermissionDenied."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=document.partner_id)
        if not permissions.can_manage_documents(actor, partner):
            raise PermissionDenied(_("You may not change this company's documents."))
        audit.record(
            actor=actor,
            action="partners.delete_document",
            target=document,
            changes={"kind": document.kind, "name": document.original_name},
            partner_organization_id=partner.organization_id,
        )
        storage, name = document.file.storage, document.file.name
        document.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
