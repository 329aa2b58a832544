"""The signed service report as a PDF, drawn with ReportLab from our own data only.

Every piece of user text is XML-escaped before it reaches a ``Paragraph`` (whose mini-markup could
otherwise name an image file or URL), and images are read from our storage as bytes: nothing is
fetched while rendering.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _t(value) -> str:
    return escape(str(value if value is not None else "")).replace("\n", "<br/>")


def _dt(value) -> str:
    return date_format(timezone.localtime(value), "j M Y H:i") if value else "—"


def _grid(rows, widths):
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
    ]))
    return table


def _thumbs(report, max_count=6):
    out = []
    for photo in list(report.photos.all())[:max_count]:
        try:
            with photo.thumbnail.open("rb") as handle:
                data = io.BytesIO(handle.read())
        except (FileNotFoundError, OSError):
            continue
        ratio = photo.height / photo.width if photo.width else 0.75
        width = 40 * mm
        out.append(Image(data, width=width, height=width * ratio))
    return out


def render_report_pdf(context: dict) -> bytes:
    """A4 PDF: ticket, site, equipment, every visit (times, codes, parts, photos) and the signature block."""
    ticket, signature = context["ticket"], context["signature"]
    styles = getSampleStyleSheet()
    body, small, h1, h2 = styles["BodyText"], styles["Normal"], styles["Title"], styles["Heading2"]
    small = small.clone("small", fontSize=8, leading=10)
    cell = body.clone("cell", fontSize=9, leading=11)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
        title=f"{ticket.reference} service report", author="Fixdesk", subject=ticket.title,
    )
    P = lambda text, style=cell: Paragraph(text, style)  # noqa: E731
    story = [
        Paragraph(_t(_("Service report")), h1),
        Paragraph(f"{_t(ticket.reference)} · {_t(ticket.title)}", body),
        Spacer(1, 4 * mm),
        _grid([
            [P(_t(_("Requester"))), P(_t(ticket.requester.get_full_name())), P(_t(_("Reported"))),
             P(_t(_dt(ticket.created_at)))],
            [P(_t(_("Site"))), P(_t(ticket.site or "—")), P(_t(_("Location"))), P(_t(ticket.location or "—"))],
            [P(_t(_("Equipment"))), P(_t(ticket.equipment or ticket.affected_item or "—")), P(_t(_("Assignee"))),
             P(_t(ticket.assignee.get_full_name() if ticket.assignee else "—"))],
        ], [28 * mm, 62 * mm, 28 * mm, 60 * mm]),
    ]
    for visit in context["visits"]:
        title = _("Visit %(n)s") % {"n": visit.visit}
        if visit.status == "refused":
            title += " " + _("(refused by the requester)")
        travel = "—"
        if visit.travel_distance_km is not None or visit.travel_minutes is not None:
            travel = f"{visit.travel_distance_km if visit.travel_distance_km is not None else '—'} km · " \
                     f"{visit.travel_minutes if visit.travel_minutes is not None else '—'} min"
        rows = [
            [P(_t(_("Technician"))), P(_t(visit.author.get_full_name()))],
            [P(_t(_("On site"))), P(_t(f"{_dt(visit.arrived_at)} – {_dt(visit.departed_at)}"))],
            [P(_t(_("Labour"))), P(_t(_("%(m)s min") % {"m": visit.labour_minutes}))],
            [P(_t(_("Travel"))), P(_t(travel))],
            [P(_t(_("Symptom found"))), P(f"<b>{_t(visit.symptom.code)}</b> {_t(visit.symptom.label)}<br/>"
                                         f"{_t(visit.symptom_text)}")],
            [P(_t(_("Cause"))), P(f"<b>{_t(visit.cause.code)}</b> {_t(visit.cause.label)}<br/>{_t(visit.cause_text)}")],
            [P(_t(_("Action taken"))), P(f"<b>{_t(visit.action.code)}</b> {_t(visit.action.label)}<br/>"
                                        f"{_t(visit.action_text)}")],
        ]
        if visit.follow_up_needed:
            rows.append([P(_t(_("Follow-up visit"))), P(_t(visit.follow_up_note))])
        block = [Paragraph(_t(title), h2), _grid(rows, [36 * mm, 142 * mm])]
        parts = list(visit.parts.all())
        if parts:
            part_rows = [[P(f"<b>{_t(_('Part number'))}</b>"), P(f"<b>{_t(_('Part'))}</b>"),
                          P(f"<b>{_t(_('Qty'))}</b>")]]
            part_rows += [[P(_t(p.part_number or "—")), P(_t(p.description)), P(_t(f"{p.quantity.normalize():f}"))]
                          for p in parts]
            table = Table(part_rows, colWidths=[40 * mm, 118 * mm, 20 * mm])
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2"))]))
            block += [Spacer(1, 2 * mm), table]
        story.append(KeepTogether(block))
        thumbs = _thumbs(visit)
        if thumbs:
            story += [Spacer(1, 2 * mm), Table([thumbs], hAlign="LEFT")]
    visits = context["visits"]
    if len(visits) > 1:
        labour = sum(v.labour_minutes for v in visits)
        travel = sum((v.travel_distance_km or 0) for v in visits)
        totals = _("Totals over %(n)s visits: labour %(labour)s min, travel %(km)s km.") % {
            "n": len(visits), "labour": labour, "km": travel}
        story += [Spacer(1, 3 * mm), Paragraph(_t(totals), body)]
    if signature:
        lines = [
            _("Signed by “%(name)s” (%(email)s) on %(when)s.") % {
                "name": signature.signer_name, "email": signature.signer.email, "when": _dt(signature.created_at)},
            _("IP address: %(ip)s · Browser: %(ua)s") % {"ip": signature.ip_address or "—",
                                                       "ua": (signature.user_agent or "—")[:160]},
            _("SHA-256 of the signed content: %(d)s") % {"d": signature.content_digest},
            _("The content of this document matches the signed content.") if signature.content_digest ==
            context["digest"] else _("WARNING: the content no longer matches the signed content."),
        ]
    else:
        lines = [_("Not signed."), _("SHA-256 of the content: %(d)s") % {"d": context["digest"]}]
    story.append(KeepTogether([Spacer(1, 6 * mm), Paragraph(_t(_("Requester's sign-off")), h2)]
                              + [Paragraph(_t(line), small) for line in lines]))
    story += [Spacer(1, 4 * mm), Paragraph(_t(_("Generated by Fixdesk on %(when)s.") % {
        "when": _dt(context["generated_at"])}), small)]
    footer = f"{ticket.reference} · " + _("service report, visit %(n)s") % {"n": context["report"].visit}

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(16 * mm, 8 * mm, footer)
        canvas.drawRightString(A4[0] - 16 * mm, 8 * mm, _("page %(n)s") % {"n": document.page})
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
