"""An initial password (made by the training section: a new account, a bulk creation, an import or a reset) must
be changed at the first sign-in: until then every page sends its owner to the password change page.

The flag is a row (``organisation.PasswordChangeRequired``), read once at sign-in into the session, so pages cost no
extra query; changing the password through the change page deletes the row and the session mark."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from organisation.models import PasswordChangeRequired
from organisation.services import clear_password_change_required

SESSION_KEY = "must_change_password"
OPEN_PREFIXES = ("/accounts/logout/", "/accounts/password_change/", "/i18n/", "/static/", "/healthz")


@receiver(user_logged_in, dispatch_uid="portal.password_change.mark")
def mark_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        if PasswordChangeRequired.objects.filter(user=user).exists():
            request.session[SESSION_KEY] = True
        else:
            request.session.pop(SESSION_KEY, None)


class ForcePasswordChangeMiddleware:
    """Sends a user who still has an initial password to the password change page (the API answers 403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is None or not session.get(SESSION_KEY) or not request.user.is_authenticated:
            return self.get_response(request)
        path = request.path_info
        change_url = reverse("password_change")
        if path.startswith(OPEN_PREFIXES):
            response = self.get_response(request)
            if path == change_url and request.method == "POST" and response.status_code == 302:
                clear_password_change_required(user=request.user)  # the form was valid: the password is the user's
                request.session.pop(SESSION_KEY, None)
            return response
        message = _("Your password was set by the training section: change it before you continue.")
        if path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        return HttpResponseRedirect(change_url)
