"""Admin: scorecard templates editable as JSON (checked by the engine), cards read-only (their writes go through
assessments.services, which audits them)."""

from __future__ import annotations

import dataclasses

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import ChangeLog
from audit.services import diff, log_change, snapshot

from . import engine
from .models import Scorecard, ScorecardItem, ScorecardTemplate, SelfCheckSubmission


def _scoring(template: engine.Template) -> tuple:
    """What decides a card's scores and tier: the template less its titles and due dates."""
    no_title = {"title": ""}
    items = tuple(
        dataclasses.replace(
            item,
            title="",
            criteria=tuple(dataclasses.replace(c, **no_title) for c in item.criteria),
            options=tuple(dataclasses.replace(o, **no_title) for o in item.options),
        )
        for item in template.items
    )
    tiers = tuple(dataclasses.replace(tier, title="", requires_title="") for tier in template.tiers)
    return items, tiers


class ScorecardTemplateForm(forms.ModelForm):
    """The definition is the template: its code, name and version are read from it."""

    class Meta:
        model = ScorecardTemplate
        fields = ["definition", "active"]
        help_texts = {
            "definition": gettext_lazy(
                "JSON: code, name, version, sections of items (code, title, max, method and its parameters), "
                "tiers and due dates, as the templates already here. A template whose cards are scored keeps its "
                "items and tiers; to change them, add the template again under a new code."
            )
        }

    def clean(self):
        cleaned = super().clean()
        definition = cleaned.get("definition")
        if "definition" in self.errors or definition is None:
            return cleaned
        problems = engine.template_problems(definition)
        if problems:
            raise ValidationError({"definition": problems})
        template = engine.template_from_data(definition)
        others = ScorecardTemplate.objects.filter(code=template.code)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                {"definition": _("There is already a template with the code “%(code)s”.") % {"code": template.code}}
            )
        if self.instance.pk and self.instance.cards.exists():
            before = engine.template_from_data(ScorecardTemplate.objects.get(pk=self.instance.pk).definition)
            if template.code != before.code or _scoring(template) != _scoring(before):
                raise ValidationError(
                    {
                        "definition": _(
                            "This template already has cards: only titles and due dates can change. Add the "
                            "changed template under a new code."
                        )
                    }
                )
        self.template = template
        return cleaned

    def save(self, commit=True):
        self.instance.code = self.template.code
        self.instance.name = self.template.name
        self.instance.version = self.template.version
        return super().save(commit)


@admin.register(ScorecardTemplate)
class ScorecardTemplateAdmin(admin.ModelAdmin):
    form = ScorecardTemplateForm
    list_display = ["code", "name", "version", "active"]
    list_filter = ["active"]
    readonly_fields = ["code", "name", "version"]
    fields = ["code", "name", "version", "definition", "active"]

    def has_delete_permission(self, request, obj=None):
        # A template with cards stays (the cards' scores come from it); switch it off instead.
        return super().has_delete_permission(request, obj) and not (obj and obj.cards.exists())

    def save_model(self, request, obj, form, change):
        old = snapshot(ScorecardTemplate.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if old is None:
            log_change(actor=request.user, instance=obj, action=ChangeLog.Action.CREATE, new=snapshot(obj))
        else:
            old_values, new_values = diff(old, snapshot(obj))
            log_change(actor=request.user, instance=obj, action=ChangeLog.Action.UPDATE, old=old_values, new=new_values)

    def delete_model(self, request, obj):
        log_change(actor=request.user, instance=obj, action=ChangeLog.Action.DELETE, old=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ItemInline(ReadOnlyInline):
    model = ScorecardItem
    fields = ["code", "self_value", "self_score", "self_note", "final_value", "score", "computed", "comment"]
    readonly_fields = fields


class SubmissionInline(ReadOnlyInline):
    model = SelfCheckSubmission
    fields = ["period", "submitted_at", "submitted_by"]
    readonly_fields = fields


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    """Read-only: self-checks, reviews and finalising go through the portal (assessments.services, audited)."""

    list_display = ["unit", "template", "year", "status", "total", "tier", "updated_at"]
    list_filter = ["year", "template", "status", "tier"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit", "template"]
    inlines = [ItemInline, SubmissionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
