"""The printable PDF of a meeting's agenda and minutes (embedded Korean font, core/pdf.py), drawn with
the same section layout as the finance documents."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.councils.models import Meeting, Minutes
from sangsaeng.finance.documents import Section, render_pdf


def meeting_pdf(meeting: Meeting, minutes: Minutes | None) -> bytes:
    starts = timezone.localtime(meeting.starts_at)
    ends = timezone.localtime(meeting.ends_at)
    sections = [
        Section(
            heading=_("Meeting"),
            pairs=[
                (_("Council"), meeting.council.name),
                (_("Time (Seoul)"), f"{starts:%Y-%m-%d %H:%M} – {ends:%H:%M}"),
                (_("Place"), meeting.place or "-"),
                (_("Online link"), meeting.online_url or "-"),
                (_("Status"), meeting.get_status_display()),
            ],
        ),
        Section(
            heading=_("Agenda"),
            headers=[_("No."), _("Agenda item"), _("Presenter"), _("Description")],
            rows=[
                [item.order, item.title, item.presenter.name if item.presenter else "-", item.description]
                for item in meeting.agenda_items.select_related("presenter")
            ],
            empty=_("No agenda items."),
        ),
        Section(
            heading=_("Attendance"),
            headers=[_("Member"), _("Organisation"), _("Answer"), _("Attended")],
            rows=[
                [
                    invitation.member.user.name,
                    invitation.member.organization.name,
                    invitation.get_rsvp_display(),
                    _("Yes") if invitation.attended else _("No"),
                ]
                for invitation in meeting.invitations.select_related("member__user", "member__organization")
            ],
            empty=_("Nobody was invited."),
        ),
    ]
    if minutes is not None and minutes.current_version:
        version = minutes.versions.get(number=minutes.current_version)
        sections.append(
            Section(
                heading=_("Minutes (version %(number)s, %(status)s)")
                % {"number": version.number, "status": minutes.get_status_display()},
                pairs=[(_("Text"), version.body)],
                notes=(
                    [
                        _("Locked on %(date)s.")
                        % {"date": f"{timezone.localtime(minutes.locked_at):%Y-%m-%d %H:%M}"}
                    ]
                    if minutes.locked_at
                    else []
                ),
            )
        )
    return render_pdf(meeting.title, sections, subtitle=meeting.council.name)
