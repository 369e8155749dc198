"""What every app's forms share (the portal shell): Bootstrap classes on the widgets, a service's errors put back
on the form (or in the page's messages), a date input the browser offers a calendar for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

T = TypeVar("T")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class BootstrapMixin:
    """Bootstrap classes on the widgets (``small``: the compact sizes of filter bars), and ``is-invalid`` on the
    fields with errors (the services' errors too). Multiple checkboxes are left alone (rendered by hand)."""

    small = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
                css = "form-select" + (" form-select-sm" if self.small else "")
            else:
                css = "form-control" + (" form-control-sm" if self.small else "")
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class BootstrapForm(BootstrapMixin, forms.Form):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def run_service(request: HttpRequest, call: Callable[[], T], *, form=None) -> tuple[bool, T | None]:
    """Run ``call`` for a page's POST; a ValidationError goes on ``form`` (or into the page's messages) in the
    service's plain words. A PermissionDenied is raised on (403): the pages offer an action only to whom the service
    allows it, so a crossing is someone typing the address by hand."""
    try:
        return True, call()
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
        return False, None


def form_errors_text(form) -> str:
    """A bound form's errors as one sentence for the page's messages (a small inline form without room for them)."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)
