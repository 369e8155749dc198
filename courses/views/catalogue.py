"""课程目录 (/training/catalogue/): subjects with their course counts, the courses with a filter, adding a course,
the modules and adding one; and the faculty pool 师资库 (/training/faculty/): members, adding one, ending a
membership. The training section keeps both; the services refuse anyone else."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.access import OrgStaffRequiredMixin
from portal.forms.common import form_errors_text, run_service

from ..forms import CourseFilterForm, CourseForm, EndMembershipForm, FacultyMemberForm, ModuleForm
from ..selectors.catalogue import (
    course_counts_by_subject,
    courses_visible_to,
    faculty_members_visible_to,
    modules_visible_to,
)
from ..services.catalogue import create_course, create_module
from ..services.faculty import add_faculty_member, end_faculty_membership
from ..tables import CourseTable

# The catalogue page holds the filter, the new-course and the new-module forms: each its own ids (no "id_code" twice).
COURSE_IDS, MODULE_IDS = "course-%s", "module-%s"


class CatalogueView(OrgStaffRequiredMixin, TemplateView):
    template_name = "courses/catalogue.html"

    def get_context_data(self, **forms) -> dict:
        user = self.request.user
        courses = courses_visible_to(user)
        filters = CourseFilterForm(self.request.GET or None)
        if filters.is_valid():
            data = filters.cleaned_data
            if data["q"]:
                courses = courses.filter(Q(code__icontains=data["q"]) | Q(title__icontains=data["q"]))
            if data["subject"]:
                courses = courses.filter(subject=data["subject"])
            if data["online"]:
                courses = courses.filter(online=data["online"] == "yes")
        return super().get_context_data(
            subjects=course_counts_by_subject(),
            filters=filters,
            table=CourseTable(courses.order_by("code"), request=self.request),
            modules=modules_visible_to(user),
            course_form=forms.get("course_form") or CourseForm(auto_id=COURSE_IDS),
            module_form=forms.get("module_form") or ModuleForm(auto_id=MODULE_IDS),
        )


class CatalogueActionView(OrgStaffRequiredMixin, View):
    http_method_names = ["post"]

    def again(self, **forms):
        view = CatalogueView()
        view.setup(self.request)
        return view.render_to_response(view.get_context_data(**forms))


class CourseCreateView(CatalogueActionView):
    def post(self, request):
        form = CourseForm(request.POST, auto_id=COURSE_IDS)
        if form.is_valid():
            ok, course = run_service(request, lambda: create_course(by=request.user, **form.cleaned_data), form=form)
            if ok:
                messages.success(request, _("The course “%(title)s” is in the catalogue.") % {"title": course.title})
                return redirect(reverse("courses:catalogue") + "#courses")
        return self.again(course_form=form)


class ModuleCreateView(CatalogueActionView):
    def post(self, request):
        form = ModuleForm(request.POST, auto_id=MODULE_IDS)
        if form.is_valid():
            ok, module = run_service(request, lambda: create_module(by=request.user, **form.cleaned_data), form=form)
            if ok:
                messages.success(request, _("The module “%(title)s” is in the catalogue.") % {"title": module.title})
                return redirect(reverse("courses:catalogue") + "#modules")
        return self.again(module_form=form)


class FacultyView(OrgStaffRequiredMixin, TemplateView):
    template_name = "courses/faculty.html"

    def get_context_data(self, **forms) -> dict:
        members = faculty_members_visible_to(self.request.user).order_by("left_on", "official__staff_no", "joined_on")
        return super().get_context_data(
            members=members,
            form=forms.get("form") or FacultyMemberForm(),
            end_form=EndMembershipForm(),
        )


class FacultyAddView(OrgStaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = FacultyMemberForm(request.POST)
        if form.is_valid():
            ok, member = run_service(
                request, lambda: add_faculty_member(by=request.user, **form.cleaned_data), form=form
            )
            if ok:
                messages.success(request, _("%(name)s joined the faculty pool.") % {"name": member.official.name})
                return redirect("courses:faculty")
        view = FacultyView()
        view.setup(request)
        return view.render_to_response(view.get_context_data(form=form))


class FacultyEndView(OrgStaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        member = get_object_or_404(faculty_members_visible_to(request.user), pk=pk)
        form = EndMembershipForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
            return redirect("courses:faculty")
        ok, _member = run_service(
            request,
            lambda: end_faculty_membership(by=request.user, member=member, left_on=form.cleaned_data["left_on"]),
        )
        if ok:
            messages.success(request, _("%(name)s left the faculty pool.") % {"name": member.official.name})
        return redirect("courses:faculty")
