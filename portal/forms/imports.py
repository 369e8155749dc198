"""The import page's form: what to import, for which year, and the file."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imports.models import ImportKind
from imports.registry import registered_kinds
from imports.services import may_import

YEARS_OFFERED = 5  # this year and the four before it
KIND_ORDER = (ImportKind.ACTIVITIES, ImportKind.OFFICIALS, ImportKind.UNITS)  # the everyday one first


def importable_kinds(user) -> list[tuple[str, str]]:
    """The built-in kinds, then those other apps registered (imports.registry), that ``user`` may import."""
    kinds = [(kind.value, kind.label) for kind in KIND_ORDER if may_import(user, kind)]
    return kinds + [(kind.code, kind.label) for kind in registered_kinds() if may_import(user, kind.code)]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, help_text=_("Activity records only: every date must be in this year.")
    )
    create_accounts = forms.BooleanField(
        label=_("Create accounts for the officials in the file who have none"),
        required=False,
        help_text=_("Officials only. The initial passwords come as one xlsx file, downloadable once."),
    )
    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_("An .xlsx or .csv file with a header row, e.g. the template filled in."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = importable_kinds(user)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - YEARS_OFFERED, -1)]
        self.fields["year"].initial = this_year
