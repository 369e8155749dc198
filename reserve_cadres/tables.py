"""The reserve pool's tables (django-tables2: sortable headers, pages of 50, as the portal's) and the words the pages
and exports show for the selectors' codes (flags, due items)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tables2 import A, Column, Table

from portal.tables import TABLE_ATTRS, configure

from .models import Reserve

# The flags of RULES §6 that the data shows (``rules.flags``), as staff read them before confirming.
FLAG_LABELS = {
    "age": _("Over the age limit"),
    "appraisal": _("Appraisal basically competent or incompetent"),
    "exam_failed": _("Failed the written exam"),
    "defense_failed": _("Failed the defense"),
}
# What ``selectors.reserves.due_items`` says is due.
DUE_LABELS = {
    "reflection": _("Reflection article"),
    "assessment": _("Yearly assessment"),
    "talk": _("Talk with the contact leader"),
}
# The timeline's entries (``selectors.reserves.FileEntry.what``).
ENTRY_LABELS = {
    "decision": _("Decision"),
    "training": _("Training"),
    "exam": _("Written exam"),
    "defense": _("Oral defense"),
    "practice": _("Practice"),
    "talk": _("Talk"),
    "reflection": _("Reflection article"),
    "assessment": _("Yearly assessment"),
    "disqualified": _("Disqualified"),
    "appointed": _("Appointed"),
}
STATUS_BADGES = {"active": "text-bg-success", "disqualified": "text-bg-danger", "appointed": "text-bg-primary"}


def flag_words(codes) -> list[str]:
    return [str(FLAG_LABELS.get(code, code)) for code in codes]


def due_word(what: str) -> str:
    return str(DUE_LABELS.get(what, what))


def entry_details(entry) -> str:
    """The line under a timeline entry's title: what the entry holds beyond its title, in words."""
    d = entry.details or {}
    parts: list[str] = []
    if entry.what == "decision" and d.get("document"):
        parts.append(str(d["document"]))
    elif entry.what == "training" and d.get("days"):
        parts.append(str(_("%(days)s days") % {"days": f"{d['days']:f}".removesuffix(".0")}))
    elif entry.what == "exam":
        parts.append(str(_("passed") if d.get("passed") else _("not passed")))
    elif entry.what == "defense":
        parts.append(
            str(_("panel %(panel)s, vote %(vote)s, %(result)s"))
            % {"panel": d.get("panel_score"), "vote": d.get("vote_score"),
               "result": _("passed") if d.get("passed") else _("not passed")}
        )  # fmt: skip
    elif entry.what == "practice":
        ends = d.get("ends_on")
        parts.append(str(_("until %(day)s") % {"day": ends.isoformat()}) if ends else str(_("ongoing")))
    elif entry.what in ("talk", "disqualified"):
        parts.append(d.get("note") or "")
    elif entry.what == "assessment":
        parts.append(d.get("comment") or "")
    return " ".join(p for p in parts if p)


def timeline(entries) -> list[dict]:
    """The timeline as the page and the exports show it: date, what (in words), title, details."""
    return [
        {"on": e.on, "what": e.what, "label": str(ENTRY_LABELS.get(e.what, e.what)), "title": e.title,
         "details": entry_details(e), "item": e.item}
        for e in entries
    ]  # fmt: skip


class ConfiguredTable(Table):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request is not None:
            configure(request, self)


class PublishedTable(ConfiguredTable):
    """The published list: name, unit, level, stream — nothing else, whoever reads it."""

    name = Column(verbose_name=_("Name"), accessor=A("official__name"), order_by=("official__name", "id"))
    unit = Column(verbose_name=_("Unit"), accessor=A("official__unit__name"), order_by=("official__unit__code", "id"))
    level = Column(verbose_name=_("Level"), order_by=("level", "id"))
    stream = Column(verbose_name=_("Stream"), order_by=("stream", "id"))

    class Meta:
        model = Reserve
        fields = ()
        sequence = ("name", "unit", "level", "stream")
        template_name = "portal/staff/_table.html"
        attrs = {**TABLE_ATTRS, "data-testid": "published"}
        empty_text = _("No reserve cadre is in the pool.")

    def render_level(self, record):
        return record.get_level_display()

    def render_stream(self, record):
        return record.get_stream_display()


class PoolTable(ConfiguredTable):
    """The pool for the training section: each reserve with its status, the flags judged on the day asked and the
    day they turn too old when that is within 90 days (``flags``: reserve id → selector row, read once)."""

    name = Column(verbose_name=_("Name"), accessor=A("official__name"), order_by=("official__name", "id"))
    unit = Column(verbose_name=_("Unit"), accessor=A("official__unit__name"), order_by=("official__unit__code", "id"))
    level = Column(verbose_name=_("Level"), order_by=("level", "id"))
    stream = Column(verbose_name=_("Stream"), order_by=("stream", "id"))
    decided_on = Column(verbose_name=_("Decided on"), order_by=("decided_on", "id"))
    status = Column(verbose_name=_("Status"), order_by=("status", "id"))
    flags = Column(verbose_name=_("Flags"), accessor=A("pk"), orderable=False)

    class Meta:
        model = Reserve
        fields = ()
        sequence = ("name", "unit", "level", "stream", "decided_on", "status", "flags")
        template_name = "portal/staff/_table.html"
        attrs = {**TABLE_ATTRS, "style": "min-width: 52rem", "data-testid": "pool"}
        empty_text = _("No reserve matches these filters.")

    def __init__(self, *args, flags: dict | None = None, **kwargs):
        self.flag_rows = flags or {}
        super().__init__(*args, **kwargs)

    def render_name(self, value, record):
        url = reverse("reserve_cadres:file", args=[record.pk])
        return format_html(
            '<a href="{}">{}</a> <span class="small text-muted">{}</span>', url, value, record.official.staff_no
        )

    def render_level(self, record):
        return record.get_level_display()

    def render_stream(self, record):
        return record.get_stream_display()

    def render_decided_on(self, value):
        return value.isoformat()

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, ""), record.get_status_display()
        )

    def render_flags(self, record):
        row = self.flag_rows.get(record.pk)
        if row is None:
            return "—"
        badges = format_html_join(
            " ", '<span class="badge text-bg-warning" data-flag="{}">{}</span>',
            ((code, FLAG_LABELS.get(code, code)) for code in row.flags),
        )  # fmt: skip
        if row.soon_too_old:
            soon = format_html(
                ' <span class="badge text-bg-light border" data-soon>{}</span>',
                _("Too old from %(day)s") % {"day": row.soon_too_old.isoformat()},
            )
            badges = format_html("{}{}", badges, soon)
        return badges or "—"
