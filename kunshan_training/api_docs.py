"""The API docs page (Swagger UI): for signed-in users only. Kept apart from schema.py, which DRF imports while
drf_spectacular.views is still loading."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions


class SignedInSwaggerView(SpectacularSwaggerSplitView):  # split: the initialiser is a file (no inline script, CSP)
    """The API docs: signed-in users only (session or token, SERVE_PERMISSIONS); a visitor is sent to sign in."""

    def handle_exception(self, exc):
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
