"""Council pages: the list (mine and the public list), a council's page, creating councils, seats and
join applications, the secretariat's board and the owner's action items."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.accounts.models import User
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.councils import permissions, selectors, services
from sangsaeng.councils.forms import ApplyForm, AreaForm, CouncilForm, DecisionForm, MemberForm
from sangsaeng.councils.views.common import act


@login_required
@require_GET
def council_list(request: HttpRequest) -> HttpResponse:
    """My councils (or every council for the host's managers and auditors) and the public list."""
    mine = selectors.councils_for_user(request.user)
    mine_ids = set(mine.values_list("pk", flat=True))
    public = [c for c in selectors.listed_councils() if c.pk not in mine_ids]
    context = {
        "page": page_of(request, mine),
        "public": public,
        "can_create": permissions.can_manage_council(request.user),
        "applications": list(selectors.own_applications_for_user(request.user)[:20]),
    }
    return render_page(request, "councils/list.html", "councils/partials/list_results.html", context)


@login_required
def council_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_council(request.user):
        raise PermissionDenied
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.create_council(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("councils:detail", council_id=council.pk)
    return render(request, "councils/form.html", {"form": form, "title": _("New council")})


@login_required
@require_GET
def council_detail(request: HttpRequest, council_id: int) -> HttpResponse:
    council, full = selectors.get_council_for_user(request.user, council_id)
    user = request.user
    if not full:
        return render(
            request,
            "councils/public.html",
            {
                "council": council,
                "can_apply": permissions.can_apply_to_join(user, council),
                "apply_form": ApplyForm(),
            },
        )
    secretariat = permissions.is_secretariat(user, council)
    context = {
        "council": council,
        "members": list(selectors.members_of(council)),
        "former_members": list(
            selectors.members_of(council, include_left=True).filter(left_on__isnull=False)
        ),
        "meetings": list(selectors.meetings_of(council)[:20]),
        "areas": list(council.areas.select_related("rnd_call")),
        "tasks": list(selectors.tasks_of(council)[:30]),
        "rounds": list(selectors.rounds_of(council)[:10]),
        "applications": list(selectors.applications_for_user(user, council).filter(status="pending")),
        "is_secretariat": secretariat,
        "can_take_part": permissions.can_take_part(user, council),
        "member_form": MemberForm() if secretariat else None,
        "decision_form": DecisionForm() if secretariat else None,
        "area_form": AreaForm(),
        "today": timezone.localdate(),
    }
    return render(request, "councils/detail.html", context)


@login_required
@require_POST
def council_apply(request: HttpRequest, council_id: int) -> HttpResponse:
    council, _full = selectors.get_council_for_user(request.user, council_id)
    form = ApplyForm(request.POST)
    back = reverse("councils:detail", kwargs={"council_id": council.pk})
    return act(
        request,
        lambda: services.apply_to_join(
            actor=request.user, council=council, motivation=form.data.get("motivation", "")
        ),
        _("Your application was sent to the secretariat."),
        back,
    )


@login_required
@require_POST
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    if not permissions.is_secretariat(request.user, application.council):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    back = reverse("councils:detail", kwargs={"council_id": application.council_id})
    approve = form.data.get("decision") == "approve"
    reason = form.data.get("reason", "")
    return act(
        request,
        lambda: services.decide_application(
            actor=request.user, application=application, approve=approve, reason=reason
        ),
        _("The decision was recorded."),
        back,
    )


@login_required
@require_POST
def member_add(request: HttpRequest, council_id: int) -> HttpResponse:
    council = selectors.get_member_council_for_user(request.user, council_id)
    if not permissions.is_secretariat(request.user, council):
        raise PermissionDenied
    form = MemberForm(request.POST)
    back = reverse("councils:detail", kwargs={"council_id": council.pk})

    def add() -> None:
        if not form.is_valid():
            raise ValidationError([str(message) for errors in form.errors.values() for message in errors])
        person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if person is None:
            raise ValidationError({"email": [_("No active person has this e-mail address.")]})
        services.add_member(actor=request.user, council=council, user=person, role=form.cleaned_data["role"])

    return act(request, add, _("The member was seated."), back)


@login_required
@require_POST
def member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    from sangsaeng.councils.models import CouncilMember

    member = CouncilMember.objects.select_related("council", "user").filter(pk=member_id).first()
    if member is None:
        from django.http import Http404

        raise Http404
    selectors.get_member_council_for_user(request.user, member.council_id)
    back = reverse("councils:detail", kwargs={"council_id": member.council_id})
    return act(
        request,
        lambda: services.remove_member(actor=request.user, member=member),
        _("The member left the council."),
        back,
    )


@login_required
@require_POST
def area_add(request: HttpRequest, council_id: int) -> HttpResponse:
    council = selectors.get_member_council_for_user(request.user, council_id)
    form = AreaForm(request.POST)
    back = reverse("councils:detail", kwargs={"council_id": council.pk})
    return act(
        request,
        lambda: services.add_area(
            actor=request.user,
            council=council,
            name=form.data.get("name", ""),
            description=form.data.get("description", ""),
        ),
        _("The cooperation area was added."),
        back,
    )


@login_required
@require_GET
def secretariat_board(request: HttpRequest) -> HttpResponse:
    """Open action items of the councils the user runs, overdue ones marked (사무국 보드)."""
    items = selectors.secretariat_board_for_user(request.user)
    if (
        not permissions.is_council_manager(request.user)
        and not permissions.is_auditor(request.user)
        and not items.exists()
    ):
        raise PermissionDenied
    today = timezone.localdate()
    context = {
        "page": page_of(request, items),
        "overdue_count": selectors.overdue(items, today).count(),
        "today": today,
        "title": _("Secretariat board"),
    }
    return render_page(request, "councils/actions.html", "councils/partials/action_rows.html", context)


@login_required
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    items = selectors.own_action_items(request.user)
    today = timezone.localdate()
    context = {
        "page": page_of(request, items),
        "overdue_count": selectors.overdue(items, today).count(),
        "today": today,
        "title": _("My council action items"),
    }
    return render_page(request, "councils/actions.html", "councils/partials/action_rows.html", context)
