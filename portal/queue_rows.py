"""The approval queue's rows, written in Python: the page's 50 rows and the single row htmx swaps in after approve,
reject or cancel come from this one function, so they cannot drift apart.

Why not a template: at 100,000 officials the row template cost ~1.2 ms a row (60 ms of CPU a page, more than the
rest of the page together; ``bench/load.py --profile --only staff``). Here every URL is reversed once a page (with a
placeholder id), every label translated once, the CSRF field built once, and each row is a few ``format_html``
calls (~0.2 ms). The markup is the template's: ids, classes and the evidence link's ``data-evidence*`` attributes
(read by the queue's script) are unchanged.
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from credits.models import ActivityRecord, Category, Kind, PublishedYear, Source, Status
from credits.services import year_locked_message
from portal.templatetags.credits_tags import QUANTITY_UNITS, STATUS_CLASSES, points

PK = 999999999  # reversed once with this id, then replaced by each record's (URL patterns take <int:pk>)


class QueueRows:
    """Renders queue rows for one request (``next``: where approve and reject send the user back)."""

    def __init__(self, request, *, next_url: str | None = None):
        self.next = next_url or request.get_full_path()
        self.next_quoted = urlencode(self.next)
        self.csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        self.urls = {
            name: reverse(f"portal:{name}", args=[PK]) for name in ("staff-approve", "staff-reject", "record-evidence")
        }
        self.official_url = reverse("portal:staff-official", args=["STAFFNO"])
        self.kinds = {code: str(label) for code, label in Kind.choices}
        self.categories = {code: str(label) for code, label in Category.choices}
        self.statuses = {code: str(label) for code, label in Status.choices}
        self.sources = {code: str(label) for code, label in Source.choices}
        self.units = {code: str(label) for code, label in QUANTITY_UNITS.items()}
        self.locked = set(PublishedYear.objects.values_list("year", flat=True))  # one query a page
        self.texts = {
            "duplicate_title": _("Another record of the same official, kind and date is waiting or approved."),
            "duplicate": _("Suspected duplicate"),
            "not_passed": _("Class result not passed"),
            "pdf": _("View PDF"),
            "image": _("View image"),
            "file": _("Download the file"),
            "none": _("None"),
            "approve": _("Approve"),
            "reject": _("Reject…"),
        }
        # On a phone (≤ 576 px) each row is a card (static/portal/portal.css): the cells name themselves.
        self.labels = {
            "unit": _("Unit"),
            "amount": _("Quantity / points"),
            "date": _("Date"),
            "status": _("Status"),
            "declared": _("Declared by"),
            "evidence": _("Evidence"),
        }

    def url(self, name: str, pk: int) -> str:
        return self.urls[name].replace(str(PK), str(pk))

    def render(self, record: ActivityRecord, *, done: str = "", error: str = "") -> SafeString:
        official, t = record.official, self.texts
        duplicate = getattr(record, "suspected_duplicate", False)
        locked = record.occurred_on.year in self.locked
        waiting = record.status == Status.SUBMITTED and not locked
        kind = self.kinds.get(record.kind, record.kind)
        day = record.occurred_on.isoformat()
        row_class = ("duplicate" if duplicate else "") + (
            " table-success" if done else " table-danger" if error else " table-warning" if duplicate else ""
        )
        select = (
            format_html(
                '<input class="form-check-input" type="checkbox" name="record_ids" value="{}" form="bulk-form" '
                'aria-label="{}">',
                record.pk,
                _("Select %(name)s: %(kind)s") % {"name": official.name, "kind": kind},
            )
            if waiting
            else ""
        )
        who = format_html(
            '<a href="{}?year={}">{}</a><div class="small text-muted">{}</div>{}',
            self.official_url.replace("STAFFNO", official.staff_no),
            record.occurred_on.year,
            official.name,
            official.staff_no,
            format_html(
                '<span class="badge text-bg-warning" title="{}">{}</span>', t["duplicate_title"], t["duplicate"]
            )
            if duplicate
            else "",
        )
        discretionary = record.kind == Kind.DISCRETIONARY
        what = format_html(
            "{}{}{}",
            kind,
            format_html(" · {}", self.categories.get(record.category, record.category)) if discretionary else "",
            format_html('<div class="small text-muted text-break">{}</div>', Truncator(record.note).chars(60))
            if record.note
            else "",
        )
        amount = format_html(
            "{}{}",
            _("%(points)s points") % {"points": points(record.points)}
            if discretionary
            else f"{points(record.quantity)} {self.units.get(record.kind, '')}",
            format_html('<div class="small text-danger">{}</div>', t["not_passed"])
            if record.kind == Kind.CLASS_DAY and not record.class_passed
            else "",
        )
        status = format_html(
            '<span class="badge {}">{}</span>{}',
            STATUS_CLASSES.get(record.status, "text-bg-light"),
            self.statuses.get(record.status, record.status),
            format_html('<div class="small text-break">{}</div>', record.reject_reason)
            if record.status == Status.REJECTED and record.reject_reason
            else "",
        )
        author = record.created_by
        declared = format_html(
            '{}<div class="text-muted text-nowrap">{} · {}</div>',
            (author.get_full_name() or author.username) if author else "—",
            self.sources.get(record.source, record.source),
            timezone.localtime(record.created_at).date().isoformat() if record.created_at else "",
        )
        actions = (
            format_html(
                '<div class="d-flex flex-wrap gap-1"><form method="post" action="{approve}" hx-post="{approve}" '
                'hx-target="closest tr" hx-swap="outerHTML">{csrf}<input type="hidden" name="next" value="{next}">'
                '<button type="submit" class="btn btn-sm btn-success">{approve_text}</button></form>'
                '<a class="btn btn-sm btn-outline-danger" href="{reject}?next={next_quoted}" '
                'hx-get="{reject}?next={next_quoted}" hx-target="closest tr" hx-swap="outerHTML">{reject_text}</a>'
                "</div>",
                approve=self.url("staff-approve", record.pk),
                reject=self.url("staff-reject", record.pk),
                csrf=self.csrf,
                next=self.next,
                next_quoted=self.next_quoted,
                approve_text=t["approve"],
                reject_text=t["reject"],
            )
            if waiting
            else self.locked_actions(record)
            if locked and record.status == Status.SUBMITTED
            else ""
        )
        outcome = format_html(
            "{}{}",
            format_html('<div class="small text-success" role="status">{}</div>', done) if done else "",
            format_html('<div class="small text-danger fw-semibold" role="alert">{}</div>', error) if error else "",
        )
        labels = self.labels
        return format_html(
            '<tr id="record-{}" class="queue-row {}"><td class="q-select d-print-none">{}</td><td class="q-who">{}</td>'
            '<td class="q-unit" data-label="{}">{}</td><td class="q-what">{}</td>'
            '<td class="q-amount text-nowrap" data-label="{}">{}</td>'
            '<td class="q-date text-nowrap" data-label="{}">{}</td>'
            '<td class="q-status" data-label="{}">{}</td><td class="q-declared small" data-label="{}">{}</td>'
            '<td class="q-evidence" data-label="{}">{}</td><td class="q-actions d-print-none">{}{}</td></tr>\n',
            record.pk,
            row_class,
            select,
            who,
            labels["unit"],
            official.unit.name,
            what,
            labels["amount"],
            amount,
            labels["date"],
            day,
            labels["status"],
            status,
            labels["declared"],
            declared,
            labels["evidence"],
            self.evidence(record, kind, day),
            actions,
            outcome,
        )

    def locked_actions(self, record: ActivityRecord) -> SafeString:
        """A waiting record of a published year: the buttons shown disabled, with the reason (the year's lock)."""
        return format_html(
            '<div class="d-flex flex-wrap gap-1"><button type="button" class="btn btn-sm btn-success" disabled>{}'
            '</button><button type="button" class="btn btn-sm btn-outline-danger" disabled>{}</button></div>'
            '<div class="small text-muted" data-testid="locked-reason">{}</div>',
            self.texts["approve"],
            self.texts["reject"],
            year_locked_message(record.occurred_on.year),
        )

    def evidence(self, record: ActivityRecord, kind: str, day: str) -> SafeString:
        """The evidence link the queue's script opens in its modal (``data-evidence*``), or "None"."""
        if not record.evidence:
            return format_html('<span class="text-muted">{}</span>', self.texts["none"])
        # The kind found by parsing the file when it was stored (credits/evidence.py), never its name; a file stored
        # before that check has none and is offered as a download (portal.js) until recheck_evidence types it.
        kind_found = record.evidence_type or "file"
        label = {"pdf": "pdf", "jpeg": "image", "png": "image"}.get(kind_found, "file")
        url = self.url("record-evidence", record.pk)
        # A waiting record's approve and reject addresses, for the preview's own 通过 / 退回 (portal.js).
        review = (
            format_html(
                ' data-approve="{}" data-reject="{}?next={}"',
                self.url("staff-approve", record.pk),
                self.url("staff-reject", record.pk),
                self.next_quoted,
            )
            if record.status == Status.SUBMITTED
            else ""
        )
        return format_html(
            '<a href="{}" target="_blank" rel="noopener" data-bs-toggle="modal" data-bs-target="#evidence-modal" '
            'data-evidence="{}" data-evidence-kind="{}"{} data-evidence-title="{} · {} · {}">{}</a>',
            url,
            url,
            kind_found,
            review,
            record.official.name,
            kind,
            day,
            self.texts[label],
        )


def queue_rows_for(context) -> QueueRows:
    """The page's renderer, made once per request (the row tag runs 50 times a page)."""
    request = context["request"]
    next_url = context.get("next") or None
    renderer = getattr(request, "_queue_rows", None)
    if renderer is None or (next_url and renderer.next != next_url):
        renderer = request._queue_rows = QueueRows(request, next_url=next_url)
    return renderer
