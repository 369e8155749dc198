"""The row mapping of each import, on django-import-export: columns, widgets that read what people type, and a
resource per kind that turns the file's rows into typed values with every cell's problem by row and column.

The resources only read; they never write. ``import_data(dry_run=True)`` runs the widgets over every row and
collects the problems; the services (``credits.services.import_records``, ``imports.services``) then check the
rules and write, all or nothing.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import fields, instance_loaders, resources, widgets

from credits.models import Category, Kind
from organisation.admin import birth_date_problem
from organisation.models import Official, Rank, Unit, UnitKind
from organisation.roles import is_org_staff, scope_of

from .files import FORMULA_WITHOUT_VALUE, Column, Table, header_key
from .limits import STOP_AFTER_PROBLEMS, stopped_at

log = logging.getLogger(__name__)
# Rows typed by django-import-export at a time (it keeps a result per row until the call returns).
READ_CHUNK = 2000

# ---------------------------------------------------------------------------------------------------
# Columns of each kind of file (the template's Chinese headers are part of the file format, not UI text)

ACTIVITY_COLUMNS = (
    Column("staff_no", "工号", required=True, aliases=("干部工号", "人员编号")),
    Column("name", "姓名", free_text=True),
    Column("kind", "学习类型", required=True, aliases=("类型", "学习形式", "项目")),
    Column("quantity", "数量", required=True, aliases=("次数", "天数", "学时数")),
    Column("occurred_on", "日期", required=True, aliases=("学习日期", "时间", "发生日期")),
    Column("note", "备注", free_text=True, aliases=("说明", "内容")),
    Column("category", "计入类别", aliases=("类别",)),
    Column("points", "赋分", aliases=("分值", "酌情赋分分值")),
    Column("class_passed", "考核合格", aliases=("培训考核合格", "是否合格")),
    Column("hours", "学时", aliases=("学习学时", "培训学时")),
)
OFFICIAL_COLUMNS = (
    Column("staff_no", "工号", required=True, aliases=("干部工号", "人员编号")),
    Column("name", "姓名", required=True, free_text=True),
    Column("unit", "单位代码", required=True, aliases=("单位", "所在单位", "单位名称")),
    Column("rank", "职级", aliases=("级别",)),
    Column("included_on", "纳入市管日期", aliases=("纳入日期",)),
    Column("retires_on", "退休日期"),
    Column("birth_date", "出生日期", aliases=("出生年月日", "生日")),
)
UNIT_COLUMNS = (
    Column("code", "单位代码", required=True),
    Column("name", "单位名称", required=True, free_text=True),
    Column("kind", "单位类型", aliases=("类型",)),
    Column("parent", "上级单位代码", aliases=("上级单位",)),
)
NOTE_MAX = 500
# Problems named when a cell holds something unknown (translated when shown)
UNKNOWN_KIND = gettext_noop("Unknown kind “%(value)s”; see the codes sheet of the template.")
UNKNOWN_CATEGORY = gettext_noop("Unknown category “%(value)s”; see the codes sheet of the template.")
UNKNOWN_UNIT = gettext_noop("There is no unit “%(value)s”; use a unit code from the codes sheet.")
UNKNOWN_RANK = gettext_noop("Unknown rank “%(value)s”; see the codes sheet of the template.")
UNKNOWN_UNIT_KIND = gettext_noop("Unknown unit kind “%(value)s”; see the codes sheet of the template.")
UNKNOWN_STAFF_NO = gettext_noop("There is no official with staff number “%(value)s”.")
UNKNOWN_STAFF_NO_IN_UNIT = gettext_noop("Your unit has no official with staff number “%(value)s”.")
UNIT_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,32}$")
_QUOTES = "“”\"'‘’「」『』《》"


def _choice_key(text) -> str:
    return "".join(ch for ch in header_key(text) if ch not in _QUOTES)


def _shown(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value)


# ---------------------------------------------------------------------------------------------------
# Widgets: each reads one cell as people fill it in; a ValueError's text is the problem shown for that cell


class CellWidget(widgets.Widget):
    """Empty → None; a formula saved without its value → a problem; else :meth:`parse`."""

    def clean(self, value, row=None, **kwargs):
        if value is FORMULA_WITHOUT_VALUE:
            raise ValueError(_("The formula has no calculated value; save the file in Excel and import it again."))
        if value is None or value == "":
            return None
        return self.parse(value)

    def parse(self, value):
        return value


class TextWidget(CellWidget):
    def __init__(self, max_length: int):
        super().__init__()
        self.max_length = max_length

    def parse(self, value) -> str:
        text = _shown(value)
        if len(text) > self.max_length:
            raise ValueError(_("At most %(n)s characters.") % {"n": self.max_length})
        return text


class CodeTextWidget(CellWidget):
    """Staff numbers and codes: a number typed in Excel comes back as 1001, not 1001.0."""

    def parse(self, value) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return _shown(value)


class NumberWidget(CellWidget):
    """A number typed, or stored as text ("２．５", "12 "); thousands separators are allowed."""

    def parse(self, value) -> Decimal:
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        try:
            number = Decimal(str(value).replace(",", "")) if not isinstance(value, float) else Decimal(repr(value))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": _shown(value)}) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": _shown(value)})
        return number


EXCEL_EPOCH = date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class DateWidget(CellWidget):
    """Excel dates, "2025-03-05", "2025/3/5", "2025.3.5", "2025年3月5日", "20250305" and Excel day numbers."""

    def parse(self, value) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if 19000101 <= value <= 29991231 and float(value).is_integer():
                value = str(int(value))
            elif 1 <= value < 2958466:  # an Excel day number (a date cell formatted as a number)
                return EXCEL_EPOCH + timedelta(days=int(value))
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    return date(*(int(part) for part in match.groups()))
                except ValueError:
                    break
        raise ValueError(_("“%(value)s” is not a date; write it as 2025-03-05.") % {"value": _shown(value)})


class YesNoWidget(CellWidget):
    YES = {"是", "合格", "通过", "y", "yes", "true", "1", "√", "✓"}
    NO = {"否", "不合格", "未通过", "n", "no", "false", "0", "×", "✗"}

    def parse(self, value) -> bool:
        key = _choice_key(value)
        if key in self.YES or value is True:
            return True
        if key in self.NO or value is False:
            return False
        raise ValueError(_("Write 是 (yes) or 否 (no), not “%(value)s”.") % {"value": _shown(value)})


class ChoiceWidget(CellWidget):
    """A code or its label (Chinese or English) → the code."""

    def __init__(self, choices, unknown: str):
        super().__init__()
        self.choices, self.unknown = choices, unknown
        self._index: dict[str, str] | None = None

    def index(self) -> dict[str, str]:
        if self._index is None:
            index = {}
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    index.update({_choice_key(label): code for code, label in self.choices.choices})
            index.update({_choice_key(code): code for code in self.choices.values})
            self._index = index
        return self._index

    def parse(self, value) -> str:
        code = self.index().get(_choice_key(value))
        if code is None:
            raise ValueError(_(self.unknown) % {"value": _shown(value)})
        return code


class LookupWidget(CodeTextWidget):
    """A key (staff number, unit code or name) → the row it names, from a table the resource loads once."""

    def __init__(self, unknown: str):
        super().__init__()
        self.unknown = unknown
        self.table: dict[str, object] = {}

    def parse(self, value):
        key = super().parse(value)
        found = self.table.get(key)
        if found is None:
            raise ValueError(_(self.unknown) % {"value": key})
        if found is AMBIGUOUS:
            raise ValueError(_("More than one unit is called “%(value)s”; use the unit code.") % {"value": key})
        return found


AMBIGUOUS = object()


# ---------------------------------------------------------------------------------------------------
# Resources


class RowValues:
    """The typed values of one row (set by the resource's fields); unset columns read as None."""

    def __getattr__(self, name):
        return None

    def __str__(self) -> str:
        return ""


@dataclass
class ReadRows:
    """What a resource made of a table: every row's values, and the problems as (row, column code, message)."""

    rows: list[tuple[int, RowValues]]
    problems: list[tuple[int, str, str]]


class RowResource(resources.Resource):
    """Reads a :class:`~imports.files.Table`; subclasses declare the fields and load their lookups."""

    columns: tuple[Column, ...] = ()

    class Meta:
        instance_loader_class = instance_loaders.BaseInstanceLoader  # never used: every row is new
        force_init_instance = True  # every row is read on its own; the services decide what exists
        use_bulk = True  # no savepoint per row
        skip_diff = True
        clean_model_instances = False
        using_db = "default"

    def __init__(self, *, by, year: int | None = None):
        super().__init__()
        self.by, self.year = by, year
        self._rows: list[tuple[int, RowValues]] = []
        self._problems: list[tuple[int, str, str]] = []
        self._row_numbers: list[int] = []
        self._column_of = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}

    def read(self, table: Table) -> ReadRows:
        """Type every row of ``table`` (its rows are consumed: each chunk's are dropped once read).

        django-import-export keeps a result per row until ``import_data`` returns, so the rows go through it
        :data:`READ_CHUNK` at a time: the memory it takes stays that of one chunk whatever the file's size."""
        present = [c.code for c in table.columns]
        self._rows, self._problems = [], []
        rows = table.rows
        for start in range(0, len(rows), READ_CHUNK):
            chunk = rows[start : start + READ_CHUNK]
            dataset = tablib.Dataset(headers=present)
            for _number, values in chunk:
                dataset.append([values[code] for code in present])
            self._row_numbers = [number for number, _values in chunk]
            rows[start : start + READ_CHUNK] = [(number, None) for number in self._row_numbers]
            del chunk
            result = self.import_data(dataset, dry_run=True, raise_errors=False, use_transactions=False)
            for error in result.base_errors:
                self._problems.append((0, "", str(error.error)))
            for index, errors in result.row_errors():
                for error in errors:
                    log.warning("Import row %s could not be read: %r", self._row_numbers[index - 1], error.error)
                    self._problems.append((self._row_numbers[index - 1], "", _("This row could not be read.")))
            del result, dataset
            if len(self._problems) > STOP_AFTER_PROBLEMS and start + READ_CHUNK < len(rows):
                self._problems.append((0, "", stopped_at(self._row_numbers[-1])))
                break
        return ReadRows(rows=self._rows, problems=self._problems)

    def init_instance(self, row=None) -> RowValues:
        return RowValues()

    def import_instance(self, instance, row, **kwargs):
        number = self._row_numbers[kwargs["row_number"] - 1]
        problems: dict[str, str] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            problems = {
                self._column_of.get(name, name): " ".join(ValidationError(errors).messages)
                for name, errors in error.error_dict.items()
            }
        for column in self.columns:
            if column.required and column.code not in problems and row.get(column.code) is None:
                problems[column.code] = _("This value is required.")
        if not problems:
            problems.update(self.check_row(instance, row))
        self._problems.extend((number, column, message) for column, message in problems.items())
        self._rows.append((number, instance))
        if problems:
            raise ValidationError(problems)

    def check_row(self, values: RowValues, row: dict) -> dict[str, str]:
        """Cross-column checks of one row (column code → problem)."""
        return {}

    def save_instance(self, instance, is_create, row, **kwargs):
        """Never write here: the services write, all rows or none."""


def _field(code: str, widget: widgets.Widget, attribute: str | None = None) -> fields.Field:
    return fields.Field(attribute=attribute or code, column_name=code, widget=widget)


class ActivityRecordResource(RowResource):
    """Activity records: ``staff_no, name, kind, quantity, occurred_on, note`` (+ ``category, points`` for
    discretionary points and a course's or a class's credits, ``class_passed`` for training class days, ``hours``
    for study hours when not the kind's default)."""

    columns = ACTIVITY_COLUMNS

    staff_no = _field("staff_no", LookupWidget(""), attribute="official")
    name = _field("name", TextWidget(50))
    kind = _field("kind", ChoiceWidget(Kind, UNKNOWN_KIND))
    quantity = _field("quantity", NumberWidget())
    occurred_on = _field("occurred_on", DateWidget())
    note = _field("note", TextWidget(NOTE_MAX))
    category = _field("category", ChoiceWidget(Category, UNKNOWN_CATEGORY))
    points = _field("points", NumberWidget())
    class_passed = _field("class_passed", YesNoWidget())
    hours = _field("hours", NumberWidget())

    def before_import(self, dataset, **kwargs):
        """Load the officials named in the file, within what the importer may see (one query)."""
        widget = self.fields["staff_no"].widget
        staff = is_org_staff(self.by)
        widget.unknown = UNKNOWN_STAFF_NO if staff else UNKNOWN_STAFF_NO_IN_UNIT
        numbers = {CodeTextWidget().parse(v) for v in dataset["staff_no"] if v not in (None, FORMULA_WITHOUT_VALUE)}
        officials = Official.objects.filter(staff_no__in=numbers).only("pk", "staff_no", "name", "unit_id")
        if not staff:
            officials = officials.filter(unit_id=scope_of(self.by).unit_id)
        widget.table = {o.staff_no: o for o in officials}

    def check_row(self, values: RowValues, row: dict) -> dict[str, str]:
        if values.name and values.official and values.name.replace(" ", "") != values.official.name.replace(" ", ""):
            return {
                "name": _("Staff number %(no)s is %(name)s, not %(given)s.")
                % {"no": values.official.staff_no, "name": values.official.name, "given": values.name}
            }
        return {}


class OfficialResource(RowResource):
    columns = OFFICIAL_COLUMNS

    staff_no = _field("staff_no", CodeTextWidget())
    name = _field("name", TextWidget(50))
    unit = _field("unit", LookupWidget(UNKNOWN_UNIT))
    rank = _field("rank", ChoiceWidget(Rank, UNKNOWN_RANK))
    included_on = _field("included_on", DateWidget())
    retires_on = _field("retires_on", DateWidget())
    birth_date = _field("birth_date", DateWidget())

    def before_import(self, dataset, **kwargs):
        table: dict[str, object] = {}
        for unit in Unit.objects.only("pk", "code", "name"):
            table[unit.name] = AMBIGUOUS if unit.name in table else unit
        table.update({unit.code: unit for unit in Unit.objects.only("pk", "code", "name")})
        self.fields["unit"].widget.table = table

    def check_row(self, values: RowValues, row: dict) -> dict[str, str]:
        if len(values.staff_no) > 32:
            return {"staff_no": _("At most %(n)s characters.") % {"n": 32}}
        if values.included_on and values.retires_on and values.retires_on < values.included_on:
            return {"retires_on": _("The retirement date is before the inclusion date.")}
        if problem := birth_date_problem(values.birth_date):
            return {"birth_date": problem}
        return {}


class UnitResource(RowResource):
    columns = UNIT_COLUMNS

    code = _field("code", CodeTextWidget())
    name = _field("name", TextWidget(100))
    kind = _field("kind", ChoiceWidget(UnitKind, UNKNOWN_UNIT_KIND))
    parent = _field("parent", CodeTextWidget())

    def check_row(self, values: RowValues, row: dict) -> dict[str, str]:
        if not UNIT_CODE.match(values.code):
            return {"code": _("A unit code has at most 32 letters, digits, “-” or “_”, without spaces.")}
        return {}


RESOURCES = {"activities": ActivityRecordResource, "officials": OfficialResource, "units": UnitResource}
COLUMNS = {"activities": ACTIVITY_COLUMNS, "officials": OFFICIAL_COLUMNS, "units": UNIT_COLUMNS}
