"""The class page's roster rows, written in Python: with 500 trainees and five inputs each, Django's template loop
took ~250 ms a page (a lookup, a localisation and an escape per value); plain string formatting takes a few ms
(bench/courses_pages.py). The words are translated once a page; every value is escaped."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ACTIVE_ROW = (
    '<tr data-official="{staff_no}"{row_class}><td>{name} <span class="small text-muted">{staff_no}</span>{error}</td>'
    '<td class="small">{unit}</td>{results}<td class="text-end">{remove}</td></tr>'
)
RESULT_CELLS = (
    '<td><input class="form-control form-control-sm" type="number" min="0" step="0.5" '
    'name="r{pk}-days_attended" value="{days}" aria-label="{name} {w_days}"></td>'
    '<td><select class="form-select form-select-sm" name="r{pk}-passed" '
    'aria-label="{name} {w_result}"><option value="">—</option><option value="yes"{yes}>{w_passed}</option>'
    '<option value="no"{no}>{w_not_passed}</option></select></td>'
    '<td><input class="form-check-input" type="checkbox" name="r{pk}-absent_without_reason"{absent} '
    'aria-label="{name} {w_absent}"></td>'
    '<td><input class="form-control form-control-sm" type="number" min="0" '
    'name="r{pk}-speeches" value="{speeches}" aria-label="{name} {w_speeches}"></td>'
    '<td><input class="form-control form-control-sm" type="number" min="0" '
    'name="r{pk}-reflections" value="{reflections}" aria-label="{name} {w_reflections}"></td>'
)
REPLACED_ROW = (
    '<tr class="text-muted"><td><s>{name}</s> <span class="small">{staff_no}</span></td><td class="small">{unit}</td>'
    '<td colspan="6" class="small">{replaced}</td></tr>'
)


def roster_rows(rows: list[dict], *, code: str, results: bool, removable: bool) -> SafeString:
    """The ``<tr>`` of every trainee (``rows`` from ``classes.result_rows``): the result inputs when ``results``,
    a remove button (of the ``remove-trainee`` form) for a trainee without a result when ``removable``.

    Every value is escaped here with the standard library's ``html.escape`` (Django's ``format_html`` costs ~20 µs
    a value through its lazy-string wrappers; this page has 3,000 of them)."""
    words = {
        "w_days": _("Days attended"), "w_result": _("Result"), "w_passed": _("Passed the class"),
        "w_not_passed": _("Not passed"), "w_absent": _("Absent without reason"), "w_speeches": _("Speeches"),
        "w_reflections": _("Reflections"),
    }  # fmt: skip
    result_cells = RESULT_CELLS  # the words filled in once (escaped, braces doubled for str.format)
    for key, word in words.items():
        result_cells = result_cells.replace("{" + key + "}", escape(str(word)).replace("{", "{{").replace("}", "}}"))
    not_yet_words = escape(str(_("Results are entered once the class is approved.")))
    not_yet = f'<td colspan="5" class="small text-muted">{not_yet_words}</td>'
    # The remove address of each trainee differs only by the id: reverse once, fill the id in.
    remove_url = escape(reverse("courses:class-trainee-remove", args=[code, 0]).replace("/0/", "/{pk}/"))
    remove_button = (
        '<button class="btn btn-sm btn-outline-danger" type="submit" form="remove-trainee" formaction="'
        + remove_url
        + '">'
        + escape(str(_("Remove")))
        + "</button>"
    )
    out = []
    for row in rows:
        e = row["e"]
        name, staff_no, unit = escape(e.official.name), escape(e.official.staff_no), escape(e.unit.name)
        if not e.active:
            replaced = _("Replaced by %(name)s: %(reason)s") % {
                "name": e.replaced_by.official.name if e.replaced_by else "—",
                "reason": e.replacement_reason,
            }
            out.append(REPLACED_ROW.format(name=name, staff_no=staff_no, unit=unit, replaced=escape(replaced)))
            continue
        if results:
            cells = result_cells.format(
                pk=e.pk, name=name, days=escape(str(row["days"])), speeches=escape(str(row["speeches"])),
                reflections=escape(str(row["reflections"])), yes=" selected" if row["passed"] == "yes" else "",
                no=" selected" if row["passed"] == "no" else "", absent=" checked" if row["absent"] else "",
            )  # fmt: skip
        else:
            cells = not_yet
        error = ""
        if row["error"]:
            error = f'<div class="small text-danger" role="alert">{escape(str(row["error"]))}</div>'
        out.append(
            ACTIVE_ROW.format(
                staff_no=staff_no,
                name=name,
                unit=unit,
                error=error,
                results=cells,
                remove=remove_button.format(pk=e.pk) if removable and e.passed is None else "",
                row_class=' class="table-danger"' if row["error"] else "",
            )  # fmt: skip
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
