"""What the training organisation's pages share: running a service for a POST and saying how it went."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from portal.forms.common import add_service_errors

T = TypeVar("T")


def run_service(request: HttpRequest, call: Callable[[], T], *, form=None) -> tuple[bool, T | None]:
    """Run ``call``; a ValidationError goes on ``form`` (or into the page's messages) in the service's plain words.

    A PermissionDenied is raised on (403): the pages offer an action only to whom the service allows it, so a
    crossing is someone typing the address by hand."""
    try:
        return True, call()
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
        return False, None
    except PermissionDenied:
        raise


def form_errors_text(form) -> str:
    """A bound form's errors as one sentence for the page's messages (a small inline form without room for them)."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)
