"""API-wide pieces: errors in plain words and the pagination every list uses (kunshan_training/schema.py documents
both in the OpenAPI schema)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class YearLockedConflict(exceptions.APIException):
    """409: a write into a published (locked) year, with the words the pages use."""

    status_code = 409
    default_detail = "The year is published and locked."
    default_code = "year_locked"


def exception_handler(exc, context):
    """Service errors (Django's ValidationError / PermissionDenied) become 400 / 403 with their messages; a write
    into a published year (credits.services.YearLocked) becomes 409 Conflict."""
    from credits.services import YearLocked

    if isinstance(exc, YearLocked):
        exc = YearLockedConflict(" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


class Pagination(PageNumberPagination):
    """50 a page; ``?page_size=`` up to 500 (a bigger or unreadable size is 500 or 50, as DRF does)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


def not_found(request, exception=None):
    """handler404: under /api/ a URL that matches no route is JSON like every other API error (the schema says
    so); elsewhere Django's own page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
