"""The directory, a company's page, its profile form, its collaboration fields and members link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.selectors import is_host
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.partners import classification, permissions, selectors, services
from sangsaeng.partners.forms import (
    DecisionForm,
    DirectoryFilterForm,
    DocumentForm,
    ExportForm,
    PartnerEditForm,
    PartnerFieldsForm,
    ResubmitForm,
)
from sangsaeng.partners.models import CollaborationField, Partner, PartnerStatus


@login_required
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Filter, search, sort and page the partners the user may see (htmx swaps only the results)."""
    if not permissions.can_view_directory(request.user):
        raise PermissionDenied(_("You may not browse partners."))
    taxonomy = list(CollaborationField.objects.all())
    form = DirectoryFilterForm(request.GET or None, fields=taxonomy)
    filters = form.to_filters()
    page = page_of(request, selectors.directory_rows_for_user(request.user, filters), selectors.PAGE_SIZE)
    page.object_list = selectors.with_field_badges(page.object_list, taxonomy)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "show_finance": is_host(request.user) or permissions.can_view_statistics(request.user),
        "can_export": permissions.can_export_partners(request.user),
        "export_form": ExportForm(),
        "filter_items": [(key, value) for key, values in query.lists() for value in values],
    }
    return render_page(
        request, "partners/directory.html", "partners/partials/directory_results.html", context
    )


def detail_context(request: AuthenticatedHttpRequest, partner: Partner, **forms: Any) -> dict[str, Any]:
    """Everything the company page shows to this user; bound forms with errors may be passed in."""
    user = request.user
    full = permissions.can_view_partner_details(user, partner)
    context: dict[str, Any] = {"partner": partner, "full": full}
    if not full:
        return context
    context["history"] = selectors.status_history_for_user(user, partner)
    context["size_explanation"] = classification.explain_basis(partner.size_basis)
    context["show_actor_names"] = is_host(user)
    context["can_edit"] = permissions.can_edit_partner(user, partner)
    context["can_view_members"] = permissions.can_view_members(user, partner)
    if permissions.can_view_contacts(user, partner):
        context["contacts"] = selectors.contacts_for_user(user, partner)
    if permissions.can_view_documents(user, partner):
        context["documents"] = selectors.documents_for_user(user, partner)
    if permissions.can_manage_documents(user, partner):
        context["document_form"] = forms.get("document_form") or DocumentForm()
    if permissions.can_decide_partner(user, partner):
        allowed = services.allowed_decisions(partner)
        if allowed:
            context["decision_form"] = forms.get("decision_form") or DecisionForm(allowed=allowed)
    elif permissions.is_partner_decider(user) and permissions.is_deciding_own_company(user, partner):
        context["own_company_notice"] = True
    if permissions.can_resubmit_partner(user, partner) and permissions.status_allows_resubmission(partner):
        context["resubmit_form"] = forms.get("resubmit_form") or ResubmitForm()
    if permissions.can_set_partner_fields(user, partner):
        links = partner.field_links.all()
        fields_form = forms.get("fields_form") or PartnerFieldsForm(
            initial={
                "fields": [link.field_id for link in links],
                "representative_fields": [link.field_id for link in links if link.is_representative],
            }
        )
        context["fields_form"] = fields_form
        # One row per field: "works in" and "represents" side by side.
        context["fields_rows"] = list(
            zip(fields_form["fields"], fields_form["representative_fields"], strict=True)
        )
    return context


@login_required
def detail(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    return render(request, "partners/detail.html", detail_context(request, partner))


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in partner person's own company page."""
    partner = selectors.own_partner_for_user(request.user)
    if partner is None:
        if permissions.can_sign_up_partner(request.user):
            return redirect("partners:signup")
        raise Http404
    return redirect("partners:detail", partner_id=partner.pk)


@login_required
def edit(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    if not permissions.can_edit_partner(request.user, partner):
        raise PermissionDenied(_("You may not edit this company's profile."))
    form_options = {
        "partner": partner,
        "host_fields": permissions.can_edit_host_fields(request.user, partner),
        "locked": not permissions.can_change_locked_fields(request.user, partner),
    }
    form = PartnerEditForm(request.POST or None, **form_options)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.update_partner(actor=request.user, partner=partner, changes=form.changes())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            if partner.status == PartnerStatus.CHANGES_REQUESTED and permissions.can_resubmit_partner(
                request.user, partner
            ):
                messages.info(request, _("When you are done, send your company for review again."))
            return redirect("partners:detail", partner_id=partner.pk)
    return render(request, "partners/edit.html", {"partner": partner, "form": form})


@login_required
@require_POST
def set_fields(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    """Host: the partner's collaboration fields and the fields it represents."""
    partner = selectors.get_partner_for_user(request.user, partner_id)
    form = PartnerFieldsForm(request.POST)
    if form.is_valid():
        try:
            services.set_partner_fields(
                actor=request.user,
                partner=partner,
                field_ids=[f.pk for f in form.cleaned_data["fields"]],
                representative_field_ids=[f.pk for f in form.cleaned_data["representative_fields"]],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Collaboration fields were saved."))
            return redirect(reverse("partners:detail", kwargs={"partner_id": partner.pk}) + "#fields")
    elif not permissions.can_set_partner_fields(request.user, partner):
        raise PermissionDenied(_("Only host administrators and programme managers set collaboration fields."))
    partner = selectors.get_partner_for_user(request.user, partner_id)
    return render(request, "partners/detail.html", detail_context(request, partner, fields_form=form))


@login_required
def members(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    """The company's people live in accounts: own people see theirs, the host picks the organisation."""
    partner = selectors.get_partner_for_user(request.user, partner_id)
    if not permissions.can_view_members(request.user, partner):
        raise PermissionDenied(_("You may not see this company's members."))
    url = reverse("accounts:members")
    if is_host(request.user):
        url += "?" + urlencode({"organization": partner.organization_id})
    return redirect(url)
