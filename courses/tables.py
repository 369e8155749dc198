"""django-tables2 tables of the training organisation's pages (sortable headers, pages of 50), as the portal's."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2 import A, Column, Table

from portal.tables import TABLE_ATTRS, configure

from .models import Course, Lecture, TrainingClass


class ConfiguredTable(Table):
    """Sorted by the request's ``sort``, paginated by its ``page`` (``portal.tables.configure``)."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request is not None:
            configure(request, self)


class ClassTable(ConfiguredTable):
    code = Column(verbose_name=_("Code"))
    title = Column(verbose_name=_("Title"))
    organiser = Column(verbose_name=_("Organiser"), accessor=A("organiser__name"), order_by=("organiser__code",))
    class_type = Column(verbose_name=_("Type"))
    starts_on = Column(verbose_name=_("Dates"), order_by=("starts_on", "code"))
    capacity = Column(verbose_name=_("Planned trainees"), attrs={"td": {"class": "text-end"}})
    dispatch = Column(verbose_name=_("Dispatch"))
    status = Column(verbose_name=_("Status"))

    class Meta:
        model = TrainingClass
        fields = ()
        sequence = ("code", "title", "organiser", "class_type", "starts_on", "capacity", "dispatch", "status")
        template_name = "courses/classes/_table.html"  # rows written from the class (speed)
        attrs = {**TABLE_ATTRS, "style": "min-width: 48rem", "data-testid": "class-table"}
        empty_text = _("No class matches these filters.")


class CourseTable(ConfiguredTable):
    code = Column(verbose_name=_("Code"))
    title = Column(verbose_name=_("Title"))
    subject = Column(verbose_name=_("Subject"), accessor=A("subject__name"), order_by=("subject__order", "code"))
    hours = Column(verbose_name=_("Study hours"), attrs={"td": {"class": "text-end"}})
    online = Column(verbose_name=_("Online"))
    credits = Column(verbose_name=_("Credits (Baoji)"), attrs={"td": {"class": "text-end"}}, default="—")

    class Meta:
        model = Course
        fields = ()
        sequence = ("code", "title", "subject", "hours", "online", "credits")
        template_name = "portal/staff/_table.html"
        attrs = {**TABLE_ATTRS, "data-testid": "course-table"}
        empty_text = _("No course matches these filters.")

    def render_online(self, value):
        return _("Online") if value else _("Classroom")


class LectureTable(ConfiguredTable):
    held_on = Column(verbose_name=_("Date"), order_by=("held_on", "code"))
    title = Column(verbose_name=_("Title"))
    level = Column(verbose_name=_("Level"))
    speaker = Column(verbose_name=_("Speaker"), default="—")
    place = Column(verbose_name=_("Place"), default="—")
    capacity = Column(verbose_name=_("Capacity"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Lecture
        fields = ()
        sequence = ("held_on", "title", "level", "speaker", "place", "capacity")
        template_name = "portal/staff/_table.html"
        attrs = {**TABLE_ATTRS, "data-testid": "lecture-table"}
        empty_text = _("No lecture is scheduled.")

    def render_title(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("courses:lecture", args=[record.code]), value)

    def render_level(self, record):
        return record.get_level_display()
