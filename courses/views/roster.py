"""The class page's roster rows, written in Python: with 500 trainees and five inputs each, Django's template loop
took ~250 ms a page (a lookup, a localisation and an escape per value); one ``format_html`` a row takes ~15 ms
(bench/courses_pages.py). The words are translated once a page; every value is escaped by ``format_html``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ACTIVE_ROW = (
    '<tr data-official="{staff_no}"{row_class}><td>{name} <span class="small text-muted">{staff_no}</span>{error}</td>'
    '<td class="small">{unit}</td>{results}<td class="text-end">{remove}</td></tr>'
)
RESULT_CELLS = (
    '<td><input class="form-control form-control-sm" style="max-width: 5.5rem" type="number" min="0" step="0.5" '
    'name="r{pk}-days_attended" value="{days}" aria-label="{name} {w_days}"></td>'
    '<td><select class="form-select form-select-sm" style="max-width: 7rem" name="r{pk}-passed" '
    'aria-label="{name} {w_result}"><option value="">—</option><option value="yes"{yes}>{w_passed}</option>'
    '<option value="no"{no}>{w_not_passed}</option></select></td>'
    '<td><input class="form-check-input" type="checkbox" name="r{pk}-absent_without_reason"{absent} '
    'aria-label="{name} {w_absent}"></td>'
    '<td><input class="form-control form-control-sm" style="max-width: 4.5rem" type="number" min="0" '
    'name="r{pk}-speeches" value="{speeches}" aria-label="{name} {w_speeches}"></td>'
    '<td><input class="form-control form-control-sm" style="max-width: 4.5rem" type="number" min="0" '
    'name="r{pk}-reflections" value="{reflections}" aria-label="{name} {w_reflections}"></td>'
)
REPLACED_ROW = (
    '<tr class="text-muted"><td><s>{name}</s> <span class="small">{staff_no}</span></td><td class="small">{unit}</td>'
    '<td colspan="6" class="small">{replaced}</td></tr>'
)


def roster_rows(rows: list[dict], *, code: str, results: bool, removable: bool) -> SafeString:
    """The ``<tr>`` of every trainee (``rows`` from ``classes.result_rows``): the result inputs when ``results``,
    a remove button (of the ``remove-trainee`` form) for a trainee without a result when ``removable``."""
    words = {
        "w_days": _("Days attended"), "w_result": _("Result"), "w_passed": _("Passed the class"),
        "w_not_passed": _("Not passed"), "w_absent": _("Absent without reason"), "w_speeches": _("Speeches"),
        "w_reflections": _("Reflections"),
    }  # fmt: skip
    words = {key: conditional_escape(word) for key, word in words.items()}  # escaped once, not once a row
    remove_word = _("Remove")
    not_yet = format_html(
        '<td colspan="5" class="small text-muted">{}</td>', _("Results are entered once the class is approved.")
    )
    # The remove address of each trainee differs only by the id: reverse once, fill the id in.
    remove_url = reverse("courses:class-trainee-remove", args=[code, 0]).replace("/0/", "/{pk}/")
    out = []
    for row in rows:
        e = row["e"]
        name, staff_no = conditional_escape(e.official.name), conditional_escape(e.official.staff_no)
        if not e.active:
            replaced = _("Replaced by %(name)s: %(reason)s") % {
                "name": e.replaced_by.official.name if e.replaced_by else "—",
                "reason": e.replacement_reason,
            }
            out.append(format_html(REPLACED_ROW, name=name, staff_no=staff_no, unit=e.unit.name, replaced=replaced))
            continue
        if results:
            cells = format_html(
                RESULT_CELLS, pk=e.pk, name=name, days=row["days"], speeches=row["speeches"],
                reflections=row["reflections"], yes=mark_safe(" selected") if row["passed"] == "yes" else "",
                no=mark_safe(" selected") if row["passed"] == "no" else "",
                absent=mark_safe(" checked") if row["absent"] else "", **words,
            )  # fmt: skip
        else:
            cells = not_yet
        remove = ""
        if removable and e.passed is None:
            remove = format_html(
                '<button class="btn btn-sm btn-outline-danger" type="submit" form="remove-trainee" formaction="{}">'
                "{}</button>",
                remove_url.format(pk=e.pk),
                remove_word,
            )
        error = (
            format_html('<div class="small text-danger" role="alert">{}</div>', row["error"]) if row["error"] else ""
        )
        out.append(
            format_html(
                ACTIVE_ROW,
                staff_no=staff_no,
                name=name,
                unit=e.unit.name,
                error=error,
                results=cells,
                remove=remove,
                row_class=mark_safe(' class="table-danger"') if row["error"] else "",
            )  # fmt: skip
        )
    return mark_safe("".join(out))  # noqa: S308 - every part above went through format_html
