"""Error pages (handler500; handler404 is kunshan_training.api.not_found). 403, 404 and 429 are templates in the
site's layout (templates/403.html, 404.html, 429.html); the 500 page is static: rendered without the request, so no
context processor and no database query runs (the database may be what failed)."""

from __future__ import annotations

from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _


def server_error(request):
    """handler500: JSON under /api/ (as every API error), else templates/500.html rendered with no context."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("A server error occurred. Try again in a few minutes.")}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())
