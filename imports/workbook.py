"""The downloadable template of each import: a sheet to fill in under the Chinese headers, a codes sheet (kinds
with their Chinese names and how they count, categories, units, ranks) and a sheet of instructions.

The template is always in Chinese: it is the file format the import reads (the code names work as headers too).
"""

from __future__ import annotations

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from credits.policies import category_label, kind_label, kind_rule_text, kind_unit
from credits.reports import escape_formula
from credits.rules import ALL_CATEGORIES, ALL_KINDS
from credits.rules.hours import DEFAULT_HOURS
from credits.services import MAX_DISCRETIONARY_POINTS, MAX_QUANTITY
from organisation.models import Official, Rank, Unit, UnitKind
from organisation.roles import is_org_staff, scope_of
from portal.templatetags.credits_tags import points

from .files import HEADER_SCAN_ROWS
from .registry import registered
from .resources import COLUMNS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET, CODES_SHEET, HELP_SHEET = "导入数据", "代码表", "填写说明"
TEMPLATE_ROWS = 2000  # rows prepared with drop-down lists and date formats
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
BOLD = Font(bold=True)
FILENAMES = {"activities": "import-activities.xlsx", "officials": "import-officials.xlsx", "units": "import-units.xlsx"}
DATE_COLUMNS = {"occurred_on", "included_on", "retires_on", "birth_date"}


def template_filename(kind: str) -> str:
    other = registered(kind)
    return other.filename if other else FILENAMES[kind]


def template_workbook(kind: str, user) -> bytes:
    """The template for ``kind`` as .xlsx bytes; a unit administrator's lists their own unit and officials."""
    with translation.override("zh-hans"):
        book = Workbook()
        sheet = book.active
        sheet.title = DATA_SHEET
        codes = book.create_sheet(CODES_SHEET)
        other = registered(kind)
        if other is not None:
            lists = other.codes_sheet(codes, user) if other.codes_sheet else {}
        else:
            lists = {"activities": _activity_codes, "officials": _official_codes, "units": _unit_codes}[kind](
                codes, user
            )
        _data_sheet(sheet, kind, lists)
        _help_sheet(book.create_sheet(HELP_SHEET), kind)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _column_help(kind: str) -> dict[str, str]:
    if (other := registered(kind)) is not None:
        return {"staff_no": _("The official's staff number.")} | (other.column_help() if other.column_help else {})
    year = timezone.localdate().year
    default_hours = "、".join(f"{kind_label(kind)} {points(hours)}" for kind, hours in DEFAULT_HOURS.items())
    common = {
        "staff_no": _("The official's staff number."),
        "name": _("Optional: checked against the staff number."),
    }
    return {
        "activities": common | {
            "kind": _("A kind from the codes sheet: its Chinese name or its code."),
            "quantity": _("How many (days, class hours, lectures, months…; see the codes sheet), more than 0 and at "
                          "most %(max)s, one decimal at most.") % {"max": MAX_QUANTITY},
            "occurred_on": _("The date it happened, in the year imported, e.g. %(year)s-03-05.") % {"year": year},
            "note": _("Optional: the class, lecture or topic."),
            "category": _("Discretionary points only: the category they count under."),
            "points": _("Discretionary points (more than 0 and at most %(max)s), an online course's credits, or a "
                        "class's credits set below its standard; empty for other kinds.")
            % {"max": MAX_DISCRETIONARY_POINTS},
            "class_passed": _("Training class days only: 是 or 否 (empty means 是)."),
            "hours": _("Optional: study hours; empty means the kind's default hours per unit: %(defaults)s; other "
                       "kinds 0.") % {"defaults": default_hours},
        },
        "officials": common | {
            "name": _("The official's name."),
            "unit": _("The unit's code (or its exact name) from the codes sheet."),
            "rank": _("Optional: a rank from the codes sheet."),
            "included_on": _("Optional: the date the official became city-managed; empty means long ago."),
            "retires_on": _("Optional: the retirement date."),
            "birth_date": _("Optional: the date of birth (the reserve pool's age limits read it)."),
        },
        "units": {
            "code": _("Letters, digits, - or _; at most 32."),
            "name": _("The unit's full name."),
            "kind": _("Optional: a unit kind from the codes sheet (city department when empty)."),
            "parent": _("Optional: the code of the unit above it (in the system or in this file)."),
        },
    }[kind]  # fmt: skip


def _data_sheet(sheet, kind: str, lists: dict[str, str]) -> None:
    helps = _column_help(kind)
    other = registered(kind)
    date_columns = DATE_COLUMNS | (other.date_columns if other else frozenset())
    for position, column in enumerate(other.columns if other else COLUMNS[kind], 1):
        cell = sheet.cell(row=1, column=position, value=column.header)
        cell.font, cell.fill = (REQUIRED_FONT if column.required else BOLD), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        text = (_("Required. ") if column.required else "") + helps.get(column.code, "")
        cell.comment = Comment(text, "培训学分", width=260, height=110)
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = 30 if column.code in ("note", "kind", "name", "unit") else 14
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if column.code in date_columns:
            for (date_cell,) in sheet[cells]:
                date_cell.number_format = "yyyy-mm-dd"
        elif column.code in ("staff_no", "code", "parent"):
            for (text_cell,) in sheet[cells]:
                text_cell.number_format = "@"  # text: staff numbers keep their leading zeros
        if column.code in lists:
            rule = DataValidation(type="list", formula1=lists[column.code], allow_blank=True, showErrorMessage=False)
            sheet.add_data_validation(rule)
            rule.add(cells)
    sheet.freeze_panes = "A2"


def _table(codes, first_column: int, title: str, headings: list[str], rows: list[list]) -> str:
    """Write a titled table on the codes sheet; returns the drop-down range of its second column (the names)."""
    codes.cell(row=1, column=first_column, value=title).font = BOLD
    for offset, heading in enumerate(headings):
        cell = codes.cell(row=2, column=first_column + offset, value=heading)
        cell.font, cell.fill = BOLD, HEADER_FILL
        codes.column_dimensions[get_column_letter(first_column + offset)].width = 18 if offset != 1 else 30
    for row_index, row in enumerate(rows, 3):
        for offset, value in enumerate(row):
            codes.cell(row=row_index, column=first_column + offset, value=escape_formula(value))
    names = get_column_letter(first_column + 1)
    return f"'{CODES_SHEET}'!${names}$3:${names}${max(3, len(rows) + 2)}"


def _activity_codes(codes, user) -> dict[str, str]:
    kinds = [
        [code, kind_label(code), category_label(spec.category) if spec.category else _("chosen"),
         kind_unit(code), kind_rule_text(code)]
        for code, spec in ALL_KINDS.items()
    ]  # fmt: skip
    lists = {"kind": _table(codes, 1, _("Kinds"), [_("code"), _("kind"), _("category"), _("counted per"),
                                                   _("how it scores")], kinds)}  # fmt: skip
    codes.column_dimensions["E"].width = 60
    categories = [[code, category_label(code)] for code in ALL_CATEGORIES]
    lists["category"] = _table(codes, 7, _("Categories"), [_("code"), _("category")], categories)
    lists["class_passed"] = '"是,否"'
    if is_org_staff(user):
        units = [[u.code, u.name] for u in Unit.objects.order_by("code")]
        _table(codes, 10, _("Units"), [_("code"), _("unit")], units)
    else:
        officials = Official.objects.filter(unit_id=scope_of(user).unit_id).order_by("staff_no")
        _table(codes, 10, _("Officials of your unit"), [_("staff number"), _("name")],
               [[o.staff_no, o.name] for o in officials])  # fmt: skip
    return lists


def _official_codes(codes, user) -> dict[str, str]:
    units = [[u.code, u.name] for u in Unit.objects.order_by("code")]
    lists = {"unit": _table(codes, 1, _("Units"), [_("code"), _("unit")], units)}
    lists["rank"] = _table(codes, 4, _("Ranks"), [_("code"), _("rank")], [[c, str(label)] for c, label in Rank.choices])
    return lists


def _unit_codes(codes, user) -> dict[str, str]:
    kinds = [[c, str(label)] for c, label in UnitKind.choices]
    lists = {"kind": _table(codes, 1, _("Unit kinds"), [_("code"), _("unit kind")], kinds)}
    units = [[u.code, u.name] for u in Unit.objects.order_by("code")]
    _table(codes, 4, _("Units already in the system"), [_("code"), _("unit")], units)
    return lists


def _help_sheet(sheet, kind: str) -> None:
    lines = [
        _("Fill in the sheet “%(sheet)s” from row 2, one row per record; keep the header row.") % {"sheet": DATA_SHEET},
        _("Red headers are required. A header may also be the code name (e.g. staff_no, kind, quantity)."),
        _(
            "The header may be in any of the first %(n)s rows; rows above it (a title) are ignored, and so are blank "
            "rows and columns the import does not know."
        )
        % {"n": HEADER_SCAN_ROWS},  # fmt: skip
        _("Save as .xlsx or CSV (UTF-8 or the GBK that Excel and WPS use); an old .xls file must be saved as .xlsx."),
        _(
            "Always check the file first: the check lists every problem by row and column and writes nothing. "
            "Nothing is imported unless every row is right."
        ),
    ]
    if (other := registered(kind)) is not None:
        lines += other.help_lines() if other.help_lines else []
    elif kind == "activities":
        lines += [
            _("Dates: 2025-03-05, 2025/3/5, 2025年3月5日, 20250305 or a date cell; all in the year being imported "
              "and not in the future."),
            _("A row equal to a record already on record (same official, kind, date and quantity) is skipped, so "
              "importing the same file again adds nothing twice."),
            _("Records imported by a unit study administrator wait for review; those imported by the training "
              "section are approved at once."),
        ]  # fmt: skip
    else:
        lines.append(_("A row for a code already in the system updates it; an unchanged row is skipped."))
    sheet.column_dimensions["A"].width = 110
    for index, line in enumerate(lines, 1):
        sheet.cell(row=index, column=1, value=f"{index}. {line}").alignment = Alignment(wrap_text=True)
