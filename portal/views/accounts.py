"""Sign-in accounts for officials and study administrators, made by the training section (no self-registration)."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from organisation import services
from organisation.models import Official, Unit

from ..access import OrgStaffRequiredMixin

ACTIONS = {
    "create": services.create_official_login,
    "reset": services.reset_password,
    "appoint": services.appoint_study_administrator,
    "dismiss": services.dismiss_study_administrator,
}


class AccountsView(OrgStaffRequiredMixin, View):
    """Officials with their account and role; POST runs one action and shows a new password once, on this page."""

    template_name = "portal/accounts/accounts.html"

    def get(self, request):
        return self.render(request)

    def post(self, request):
        officials = Official.objects.select_related("unit", "user")
        official = get_object_or_404(officials, staff_no=request.POST.get("staff_no"))
        action = ACTIONS.get(request.POST.get("action", ""))
        issued, error = None, None
        if action is None:
            error = _("Unknown action.")
        else:
            try:
                result = action(by=request.user, official=official)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if isinstance(result, tuple):  # create: (user, password)
                    issued = {"official": official, "username": result[0].username, "password": result[1]}
                elif isinstance(result, str):  # reset: password
                    issued = {"official": official, "username": official.user.username, "password": result}
        return self.render(request, issued=issued, error=error, acted_on=official, status=400 if error else 200)

    def render(self, request, status: int = 200, **extra):
        q = (request.GET.get("q") or request.POST.get("q") or "").strip()
        unit = (request.GET.get("unit") or request.POST.get("unit") or "").strip()
        officials = Official.objects.select_related("unit", "user", "user__study_admin")
        officials = officials.order_by("unit__code", "staff_no")
        if q:
            officials = officials.filter(
                Q(name__contains=q) | Q(staff_no__icontains=q) | Q(user__username__icontains=q)
            )
        if unit:
            officials = officials.filter(unit__code=unit)
        page = Paginator(officials, 50).get_page(request.GET.get("page"))
        units = Unit.objects.order_by("code").annotate(
            without_login=Count("officials", filter=Q(officials__user__isnull=True))
        )
        context = {"page": page, "q": q, "unit": unit, "units": units, **extra}
        response = render(request, self.template_name, context, status=status)
        response["Cache-Control"] = "no-store"  # the page may show a new password
        return response


class BulkAccountsView(OrgStaffRequiredMixin, View):
    """POST: an account for every official of a unit (or of every unit) without one; the page then offers the
    workbook of initial passwords for one download."""

    def post(self, request):
        code = (request.POST.get("unit") or "").strip()
        officials = Official.objects.all()
        label = _("all-units")
        if code:
            unit_obj = Unit.objects.filter(code=code).first()
            if unit_obj is None:
                error = _("There is no unit with code “%(code)s”.") % {"code": code[:50]}
                return AccountsView().render(request, error=error, status=400)
            officials, label = officials.filter(unit=unit_obj), unit_obj.name
        result = services.create_logins_in_bulk(by=request.user, officials=officials, label=label)
        return AccountsView().render(request, bulk=result, bulk_label=label)


class PasswordSheetView(OrgStaffRequiredMixin, View):
    """POST: the workbook of initial passwords, once; it is deleted as it is handed out."""

    def post(self, request, token: str):
        sheet = services.take_password_sheet(by=request.user, token=token)
        if sheet is None:
            error = _(
                "This password file was already downloaded (or is older than a day) and is no longer kept. "
                "Reset the password of any official who still needs one."
            )
            return AccountsView().render(request, error=error, status=410)
        response = HttpResponse(
            sheet.content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = (
            f"attachment; filename=\"initial-passwords.xlsx\"; filename*=UTF-8''{quote(sheet.filename)}"
        )
        response["Cache-Control"] = "no-store"
        return response
