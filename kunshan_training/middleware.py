"""Checks every request goes through before any view reads it."""

from __future__ import annotations

from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    """A NUL byte (``%00``) in the path is a 404 and in the query string a 400, before any view or query reads it.

    No address of the portal contains one, and PostgreSQL refuses NUL in text ("A string literal cannot contain NUL
    characters"), so a view that looked it up (``/api/v1/officials/%00/scores/2025/``, ``?unit=%00``) gave a 500.
    NUL in a form or JSON body is refused by the form or serializer field (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404(_("No such page."))
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            message = _("The address contains a null character (%00); no parameter may contain one.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
