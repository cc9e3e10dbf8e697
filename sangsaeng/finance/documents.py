"""PDF documents of the finance app: the recommendation letter (추천서) and the benefit-sharing
evidence pack (contract, plan, measurements, payouts, proof of sharing) for the Foundation.

Drawn with reportlab in the embedded Korean TrueType font of `sangsaeng.core.pdf` (NanumGothic), so
every viewer shows the Hangul without a Korean font pack.
Text is given in the user's language (labels through gettext, names as entered).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from sangsaeng.core.pdf import korean_font


def _escape(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


@dataclass
class Section:
    """A heading with either label/value rows (`pairs`) or a table (`headers` + `rows`), and notes."""

    heading: str
    pairs: Sequence[tuple[str, Any]] = ()
    headers: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()
    notes: Sequence[str] = field(default_factory=list)
    empty: str = ""


def term_text(months: int) -> str:
    """A loan term in months as people write it: 12개월 / 12 months."""
    return ngettext("%(months)s month", "%(months)s months", months) % {"months": months}


def render_pdf(title: str, sections: Sequence[Section], *, subtitle: str = "") -> bytes:
    """An A4 PDF: the title, then each section as a table (label/value pairs or a header row)."""
    font = korean_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11)
    heading = ParagraphStyle("heading", parent=body, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    title_style = ParagraphStyle("title", parent=body, fontSize=16, leading=21, spaceAfter=6)
    story: list[Flowable] = [Paragraph(_escape(title), title_style)]
    if subtitle:
        story.append(Paragraph(_escape(subtitle), body))
    width = A4[0] - 36 * mm
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
    )
    for section in sections:
        story.append(Paragraph(_escape(section.heading), heading))
        if section.pairs:
            data = [[Paragraph(_escape(k), cell), Paragraph(_escape(v), cell)] for k, v in section.pairs]
            table = Table(data, colWidths=[width * 0.3, width * 0.7])
            table.setStyle(grid)
            table.setStyle([("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke)])
            story.append(table)
        elif section.headers:
            data = [[Paragraph(_escape(h), cell) for h in section.headers]]
            data += [[Paragraph(_escape(value), cell) for value in row] for row in section.rows]
            if not section.rows:
                story.append(Paragraph(_escape(section.empty or _("None.")), body))
            else:
                table = Table(
                    data, colWidths=[width / len(section.headers)] * len(section.headers), repeatRows=1
                )
                table.setStyle(grid)
                table.setStyle([("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)])
                story.append(table)
        for note in section.notes:
            story.append(Spacer(1, 4))
            story.append(Paragraph(_escape(note), body))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Sangsaeng",
        initialFontName=font,  # not Helvetica: every font in the file is the embedded one
    )
    document.build(story)
    return buffer.getvalue()


def won(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}원"


def recommendation_letter_pdf(application: Any, recommendation: Any) -> bytes:
    """The recommendation letter (추천서) as a PDF, the same content as the HTML print view."""
    from sangsaeng.finance.selectors.loans import rate_breakdown_of

    breakdown = rate_breakdown_of(application)
    pairs: list[tuple[str, Any]] = [
        (_("Serial number"), recommendation.serial),
        (_("Bank"), application.pool.bank.name),
        (_("Company"), f"{application.partner.name_ko} ({application.partner.brn})"),
        (_("Fund"), application.fund.name),
        (_("Recommended amount"), won(recommendation.amount_krw)),
        (_("Purpose"), application.get_purpose_display()),
        (_("Term"), f"{term_text(application.term_months)} / {application.get_method_display()}"),
        (_("Rate without the fund"), f"{breakdown.rate_without_fund}%"),
        *[(str(label), f"{value}%p") for label, value in breakdown.parts()],
        (_("Fund rate"), f"{breakdown.rate}%"),
        (_("Issued on"), recommendation.issued_on.isoformat()),
        (_("Valid until"), recommendation.expires_on.isoformat()),
    ]
    note = _("We recommend the company above for a loan from the co-prosperity fund under the fund's terms.")
    return render_pdf(_("Recommendation letter"), [Section(_("Recommendation"), pairs=pairs, notes=[note])])


def evidence_pdfs(task: Any) -> list[tuple[str, bytes]]:
    """The evidence pack's PDFs: contract, plan, measurements, payouts and proof of sharing."""
    from sangsaeng.finance.models import SharingProgramme
    from sangsaeng.finance.selectors.sharing import amendments_of, measurements_of, payouts_of

    partner = task.partner
    subtitle = f"{task.title} · {partner.name_ko} ({partner.brn})"
    participants = ", ".join(p.name_ko for p in task.participants.all()) or "—"
    contract = [
        Section(
            _("Contract"),
            pairs=[
                (_("Title"), task.title),
                (_("Partner"), f"{partner.name_ko} ({partner.brn})"),
                (_("Participants"), participants),
                (_("Type"), task.get_task_type_display()),
                (_("Shared goal"), task.goal),
                (_("KPI"), task.kpi_name),
                (_("KPI baseline"), task.kpi_baseline),
                (_("KPI target"), task.kpi_target),
                (_("Measurement period (months)"), task.measurement_months),
                (_("Sharing methods"), ", ".join(_method_label(m) for m in task.methods)),
                (_("Cash share of the saving (%)"), task.cash_ratio_percent),
                (_("Status"), task.get_status_display()),
                (_("Contract version"), task.version),
            ],
        ),
        Section(
            _("Amendments"),
            headers=[_("Proposed"), _("By"), _("Reason"), _("Before"), _("After"), _("Status")],
            rows=[
                [
                    a.created_at.date().isoformat(),
                    _("Host") if a.by_host else _("Partner"),
                    a.reason,
                    _contract_text(a.before),
                    _contract_text(a.after),
                    a.get_status_display(),
                ]
                for a in amendments_of(task)
            ],
            empty=_("No amendments."),
        ),
    ]
    programme = SharingProgramme.objects.select_related("host").order_by("pk").first()
    plan = [
        Section(
            _("Benefit-sharing plan"),
            pairs=[
                (_("Host"), programme.host.name),
                (_("Plan period"), f"{programme.plan_from.isoformat()} – {programme.plan_to.isoformat()}"),
                (_("Two-year plan"), programme.plan_summary),
                (_("Internal rules"), programme.internal_rules),
                (_("Dedicated staff"), programme.dedicated_staff),
            ],
        )
        if programme is not None
        else Section(_("Benefit-sharing plan"), notes=[_("The host has not recorded its plan yet.")]),
        Section(
            _("Task plan"),
            pairs=[
                (_("Shared goal"), task.goal),
                (_("KPI"), f"{task.kpi_name}: {task.kpi_baseline} → {task.kpi_target}"),
                (_("Measurement period (months)"), task.measurement_months),
            ],
        ),
    ]
    measurements = list(measurements_of(task))
    measured = [
        Section(
            _("Outcome measurements"),
            headers=[_("From"), _("To"), _("KPI value"), _("Saving or gain"), _("Evidence")],
            rows=[
                [
                    m.period_start.isoformat(),
                    m.period_end.isoformat(),
                    m.kpi_value,
                    won(m.saving_krw),
                    m.evidence,
                ]
                for m in measurements
            ],
            empty=_("No measurements yet."),
        )
    ]
    payouts = list(payouts_of(task))
    paid = [
        Section(
            _("Payouts"),
            headers=[_("From"), _("To"), _("Amount"), _("Paid on")],
            rows=[
                [
                    p.measurement.period_start.isoformat(),
                    p.measurement.period_end.isoformat(),
                    won(p.amount_krw),
                    p.settled_on.isoformat() if p.settled_on else _("Not paid yet"),
                ]
                for p in payouts
            ],
            empty=_("No payouts yet."),
        )
    ]
    settled = [p for p in payouts if p.settled_on]
    proof = [
        Section(
            _("Proof of sharing"),
            pairs=[
                (_("Partner"), f"{partner.name_ko} ({partner.brn})"),
                (_("Sharing methods"), ", ".join(_method_label(m) for m in task.methods)),
                (_("Total saving or gain measured"), won(sum(m.saving_krw for m in measurements))),
                (_("Total shared (paid)"), won(sum(p.amount_krw for p in settled))),
                (_("Payments"), len(settled)),
                (_("Confirmation number"), task.certificate_number or "—"),
            ],
        ),
        Section(
            _("Incentive points"),
            headers=[_("Points"), _("Reason"), _("Awarded")],
            rows=[
                [p.points, p.reason, p.awarded_at.date().isoformat()]
                for p in task.incentive_points.order_by("pk")
            ],
            empty=_("No incentive points."),
        ),
    ]
    return [
        ("contract.pdf", render_pdf(_("Benefit-sharing contract"), contract, subtitle=subtitle)),
        ("plan.pdf", render_pdf(_("Benefit-sharing plan"), plan, subtitle=subtitle)),
        ("measurements.pdf", render_pdf(_("Outcome measurements"), measured, subtitle=subtitle)),
        ("payouts.pdf", render_pdf(_("Payouts"), paid, subtitle=subtitle)),
        ("proof_of_sharing.pdf", render_pdf(_("Proof of sharing"), proof, subtitle=subtitle)),
    ]


def _method_label(value: str) -> str:
    from sangsaeng.finance.models import SharingMethod

    return str(SharingMethod(value).label) if value in SharingMethod.values else value


def _contract_text(contract: Any) -> str:
    if not isinstance(contract, dict):
        return str(contract)
    return "\n".join(f"{key}: {value}" for key, value in contract.items())
