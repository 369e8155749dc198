"""The online academy's export as an import kind of ``imports`` (``online_completions``): registered by
``CoursesConfig.ready``, run by the import machinery like its own kinds (upload, dry run, problems by row and column,
all rows or none), written by :func:`courses.services.online.import_completions` (one recompute).

Columns: 工号 (staff number), 课程代码 (course code), 完成日期 (completed on), 考试通过 (是/否); 姓名 optional, checked
against the staff number. The training section only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from imports.files import FORMULA_WITHOUT_VALUE, Column
from imports.registry import RegisteredKind
from imports.resources import (
    UNKNOWN_STAFF_NO,
    CodeTextWidget,
    DateWidget,
    LookupWidget,
    ReadRows,
    RowResource,
    RowValues,
    TextWidget,
    YesNoWidget,
    _field,
)
from organisation.models import Official
from organisation.roles import is_org_staff

from .models import Course

KIND = "online_completions"
COLUMNS = (
    Column("staff_no", "工号", required=True, aliases=("干部工号", "人员编号", "学员编号")),
    Column("name", "姓名", free_text=True, aliases=("学员姓名",)),
    Column("course", "课程代码", required=True, aliases=("课程编号", "课程编码")),
    Column("completed_on", "完成日期", required=True, aliases=("完成时间", "学习完成日期", "结业日期")),
    Column("exam_passed", "考试通过", required=True, aliases=("考试是否通过", "是否通过", "考试结果")),
)
UNKNOWN_COURSE = gettext_noop("There is no course “%(value)s”; use a course code from the codes sheet.")
# The service's field names → the file's columns
FIELD_COLUMNS = {
    "official": "staff_no",
    "course": "course",
    "completed_on": "completed_on",
    "exam_passed": "exam_passed",
}


class CompletionResource(RowResource):
    columns = COLUMNS

    staff_no = _field("staff_no", LookupWidget(UNKNOWN_STAFF_NO), attribute="official")
    name = _field("name", TextWidget(50))
    course = _field("course", LookupWidget(UNKNOWN_COURSE))
    completed_on = _field("completed_on", DateWidget())
    exam_passed = _field("exam_passed", YesNoWidget())

    def before_import(self, dataset, **kwargs):
        """Load the officials and courses the file names (two queries a chunk)."""

        def named(column: str) -> set[str]:
            return {CodeTextWidget().parse(v) for v in dataset[column] if v not in (None, "", FORMULA_WITHOUT_VALUE)}

        officials = Official.objects.filter(staff_no__in=named("staff_no")).only("pk", "staff_no", "name", "unit_id")
        self.fields["staff_no"].widget.table = {o.staff_no: o for o in officials}
        courses = Course.objects.filter(code__in=named("course"))
        self.fields["course"].widget.table = {c.code: c for c in courses}

    def check_row(self, values: RowValues, row: dict) -> dict[str, str]:
        if values.name and values.official and values.name.replace(" ", "") != values.official.name.replace(" ", ""):
            return {
                "name": _("Staff number %(no)s is %(name)s, not %(given)s.")
                % {"no": values.official.staff_no, "name": values.official.name, "given": values.name}
            }
        return {}


def write_completions(*, by, read: ReadRows, year: int | None, dry_run: bool, progress, **_kwargs):
    from imports.services import CHECK_DONE, Outcome

    from .services.online import CompletionRow, import_completions

    rows = [
        CompletionRow(row=number, official=v.official, course=v.course, completed_on=v.completed_on,
                      exam_passed=v.exam_passed)
        for number, v in read.rows
    ]  # fmt: skip
    total = max(1, len(rows))
    result = import_completions(
        by=by, rows=rows, dry_run=dry_run or bool(read.problems),
        progress=lambda done: progress(CHECK_DONE + (100 - CHECK_DONE) * done // total),
    )  # fmt: skip
    return Outcome(
        created=result.created,
        updated=result.updated,
        skipped=result.skipped,
        problems=[(row, FIELD_COLUMNS.get(name, name), message) for row, name, message in result.problems],
    )


def _codes_sheet(codes, user) -> dict[str, str]:
    from imports.workbook import _table

    courses = Course.objects.filter(online=True).order_by("code")
    rows = [[c.code, c.title, str(c.hours), "" if c.credits is None else str(c.credits)] for c in courses]
    lists = {"course": _table(codes, 1, _("Online courses"), [_("code"), _("course"), _("hours"), _("credits")], rows)}
    lists["exam_passed"] = '"是,否"'
    return lists


def _column_help() -> dict[str, str]:
    return {
        "name": _("Optional: checked against the staff number."),
        "course": _("The online course's code, from the codes sheet."),
        "completed_on": _("The day the course was completed, not in the future."),
        "exam_passed": _("是 or 否: only a passed exam gives credits."),
    }


def _help_lines() -> list[str]:
    return [
        _("One row per official and course; the same official and course twice in the file is a problem."),
        _("A row for a completion already on record updates it (and the credits it gave); an unchanged row is "
          "skipped, so importing the same file again changes nothing."),
        _("A passed exam gives the official's credits at once (approved); a failed one gives none."),
    ]  # fmt: skip


def register() -> None:
    from imports import registry

    registry.register(
        RegisteredKind(
            code=KIND,
            label=gettext_lazy("Online course completions"),
            columns=COLUMNS,
            resource=CompletionResource,
            write=write_completions,
            may_import=is_org_staff,
            refusal=gettext_lazy("Only the training section records online course completions."),
            filename="import-online-completions.xlsx",
            codes_sheet=_codes_sheet,
            column_help=_column_help,
            help_lines=_help_lines,
            date_columns=frozenset({"completed_on"}),
            writes_records=True,
        )
    )
