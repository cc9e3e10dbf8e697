"""Contacts (personal data: the host's views are logged, PIPA) and evidence documents of a partner."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.selectors import is_host
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.models import PersonalDataAccess
from sangsaeng.core.services import log_personal_data_access
from sangsaeng.partners import permissions, selectors, services
from sangsaeng.partners.forms import ContactForm, DocumentForm
from sangsaeng.partners.models import Contact, Partner
from sangsaeng.partners.views.company import detail_context

CONTACT_DATA_ITEMS = "name, department, e-mail, phone"


def _log_host_view(request: AuthenticatedHttpRequest, partner: Partner, count: int) -> None:
    """Host people seeing unmasked contact data leave a trace (who, when, whose, what)."""
    if count and is_host(request.user):
        log_personal_data_access(
            actor=request.user,
            purpose=PersonalDataAccess.Purpose.VIEW,
            subject_label=f"contacts of {partner.name_ko} ({partner.brn_display})",
            data_items=CONTACT_DATA_ITEMS,
            subject_organization_id=partner.organization_id,
            subject_count=count,
        )


@login_required
def contacts(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    """Full contact data for the partner's people and the host (logged); add a contact."""
    partner = selectors.get_partner_for_user(request.user, partner_id)
    people = list(selectors.contacts_for_user(request.user, partner))
    can_manage = permissions.can_manage_contacts(request.user, partner)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You may not change this company's contacts."))
        if form.is_valid():
            try:
                services.add_contact(actor=request.user, partner=partner, values=form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The contact was added."))
                return redirect("partners:contacts", partner_id=partner.pk)
    _log_host_view(request, partner, len(people))
    return render(
        request,
        "partners/contacts.html",
        {"partner": partner, "contacts": people, "form": form if can_manage else None},
    )


def _contact(request: AuthenticatedHttpRequest, partner_id: int, contact_id: int) -> tuple[Partner, Contact]:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    return partner, selectors.get_contact_for_user(request.user, partner, contact_id)


@login_required
def contact_edit(request: AuthenticatedHttpRequest, partner_id: int, contact_id: int) -> HttpResponse:
    partner, contact = _contact(request, partner_id, contact_id)
    if not permissions.can_manage_contacts(request.user, partner):
        raise PermissionDenied(_("You may not change this company's contacts."))
    initial = {name: getattr(contact, name) for name in ContactForm.base_fields}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(actor=request.user, contact=contact, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("partners:contacts", partner_id=partner.pk)
    if request.method == "GET":
        _log_host_view(request, partner, 1)
    return render(
        request, "partners/contact_edit.html", {"partner": partner, "contact": contact, "form": form}
    )


@login_required
@require_POST
def contact_remove(request: AuthenticatedHttpRequest, partner_id: int, contact_id: int) -> HttpResponse:
    _partner, contact = _contact(request, partner_id, contact_id)
    services.remove_contact(actor=request.user, contact=contact)
    messages.success(request, _("The contact was removed."))
    return redirect("partners:contacts", partner_id=partner_id)


@login_required
@require_POST
def document_upload(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    if not permissions.can_manage_documents(request.user, partner):
        raise PermissionDenied(_("You may not change this company's documents."))
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_document(
                actor=request.user,
                partner=partner,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect(reverse("partners:detail", kwargs={"partner_id": partner.pk}) + "#documents")
    return render(request, "partners/detail.html", detail_context(request, partner, document_form=form))


@login_required
def document_download(request: AuthenticatedHttpRequest, partner_id: int, document_id: int) -> FileResponse:
    """Files are served only here, to people who may see the partner's documents."""
    partner = selectors.get_partner_for_user(request.user, partner_id)
    document = selectors.get_document_for_user(request.user, partner, document_id)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_delete(request: AuthenticatedHttpRequest, partner_id: int, document_id: int) -> HttpResponse:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    document = selectors.get_document_for_user(request.user, partner, document_id)
    services.delete_document(actor=request.user, document=document)
    messages.success(request, _("The document was deleted."))
    return redirect(reverse("partners:detail", kwargs={"partner_id": partner.pk}) + "#documents")
