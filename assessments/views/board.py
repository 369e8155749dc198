"""The training section's 单位考评 board (/assessments/?year=): every unit × every template of the year with the
card's status, total, tier and overdue self-checks; creating the year's cards of a template; the tiers of each
template as charts (with the same numbers as a table); and the unit rankings per template (/assessments/rankings/).

The figures come from ``assessments.selectors.cards`` (``board``, ``tier_counts``, ``unit_rankings``); cards are
created by ``services.cards.create_year_cards``. The board's 1,200 cells are written in Python (``board_rows``), not
through Django's template loop, which costs ~20 µs a value (bench/scorecards_board.py)."""

from __future__ import annotations

import hashlib
from html import escape

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.access import OrgStaffRequiredMixin, StaffOrUnitAdminRequiredMixin
from portal.charts import bar_chart, inline_svg, nice_ticks
from portal.forms.common import run_service

from ..forms import CreateCardsForm, year_from
from ..models import CardStatus, ScorecardTemplate
from ..selectors.cards import board, tier_counts, unit_rankings
from ..services.cards import create_year_cards
from .common import points, template_of, this_year, tier_titles

STATUS_BADGES = {
    CardStatus.DRAFT: "text-bg-secondary",
    CardStatus.SUBMITTED: "text-bg-info",
    CardStatus.RETURNED: "text-bg-warning",
    CardStatus.FINAL: "text-bg-success",
}
CELL = (
    '<td><a class="text-decoration-none" href="{url}">'
    '<span class="badge {badge}">{status}</span> <span class="fw-semibold" data-total>{total}</span> '
    '<span class="small" data-tier>{tier}</span></a>{overdue}</td>'
)


def year_choices(year: int) -> list[int]:
    now = this_year()
    return sorted({*range(now - 4, now + 2), year}, reverse=True)


class BoardView(StaffOrUnitAdminRequiredMixin, TemplateView):
    """The board for the training section; a unit's study administrator goes to their unit's cards."""

    template_name = "assessments/board.html"

    def get(self, request, *args, **kwargs):
        if not self.is_staff:
            return redirect("assessments:unit-cards")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        year = year_from(self.request.GET.get("year"), this_year())
        templates = list(ScorecardTemplate.objects.filter(active=True).order_by("code"))
        engines = {t.code: template_of(t) for t in templates}
        rows = board(year=year)
        counts = tier_counts(year=year)
        charts = [cached_tier_chart(t, engines[t.code], counts.get(t.code, {}), year=year) for t in templates]
        return super().get_context_data(
            year=year,
            years=year_choices(year),
            templates=templates,
            rows_html=board_rows(rows, templates, engines),
            unit_count=len(rows),
            charts=charts,
            create_form=kwargs.get("create_form") or CreateCardsForm(initial={"year": year}),
            **kwargs,
        )


def board_rows(rows, templates: list[ScorecardTemplate], engines: dict) -> SafeString:
    """Each unit's ``<tr>``: its name, then per template the card's status, total and tier (a link to the card's
    review page), or a dash when the unit has no card; the overdue self-checks marked in words."""
    status_words = {status: escape(str(status.label)) for status in CardStatus}
    tiers = {code: {k: escape(v) for k, v in tier_titles(engine).items()} for code, engine in engines.items()}
    overdue_word = escape(_("Self-check overdue"))
    no_card = '<td class="text-muted">—<span class="visually-hidden"> ' + escape(_("No card")) + "</span></td>"
    card_url = reverse("assessments:card", args=[0]).replace("/0/", "/{pk}/")
    out = []
    for row in rows:
        cells = []
        for template in templates:
            card = row.cards.get(template.code)
            if card is None:
                cells.append(no_card)
                continue
            overdue = ""
            if row.overdue.get(template.code):
                overdue = f' <span class="badge text-bg-danger" data-overdue>{overdue_word}</span>'
            cells.append(
                CELL.format(
                    url=card_url.format(pk=card.pk),
                    badge=STATUS_BADGES.get(card.status, "text-bg-secondary"),
                    status=status_words.get(card.status, escape(card.status)),
                    total=points(card.total),
                    tier=tiers[template.code].get(card.tier, escape(card.tier)),
                    overdue=overdue,
                )
            )
        unit = row.unit
        out.append(
            f'<tr data-unit="{escape(unit.code)}"><th scope="row" class="fw-normal">{escape(unit.name)}'
            f' <span class="small text-muted">{escape(unit.code)}</span></th>{"".join(cells)}</tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def tier_chart(template: ScorecardTemplate, engine, counts: dict[str, int], *, year: int) -> dict:
    """A bar per tier of the template (in the template's order): how many units' cards have it. The table beside
    it gives the same numbers as text."""
    titles = tier_titles(engine)
    rows = [{"code": tier.code, "title": titles[tier.code], "count": counts.get(tier.code, 0)} for tier in engine.tiers]
    total = sum(row["count"] for row in rows)
    title = _("%(template)s: units by tier, %(year)s") % {"template": template.name, "year": year}
    description = _("; ").join(_("%(tier)s %(count)s") % {"tier": row["title"], "count": row["count"]} for row in rows)
    chart = bar_chart(font_size=14, value_font_size=13, height=260, range=(0, max(1, *(r["count"] for r in rows))),
                      y_labels=nice_ticks(max((r["count"] for r in rows), default=0)))  # fmt: skip
    chart.x_labels = [row["title"] for row in rows]
    chart.add(_("Units"), [row["count"] for row in rows])
    return {
        "template": template,
        "title": title,
        "rows": rows,
        "total": total,
        "svg": inline_svg(chart, title=title, description=description) if total else "",
    }


def cached_tier_chart(template: ScorecardTemplate, engine, counts: dict[str, int], *, year: int) -> dict:
    """``tier_chart`` kept in the cache under its own figures (pygal takes ~15 ms a chart; the figures change only
    when a card's tier does, and then the key does too)."""
    figures = ",".join(f"{code}={counts.get(code, 0)}" for code in sorted(counts))
    key = f"assessments:tier-chart:{template.pk}:{template.name}:{year}:{get_language()}:{figures}"
    key = "assessments:tier-chart:" + hashlib.sha256(key.encode()).hexdigest()
    chart = cache.get(key)
    if chart is None:
        chart = tier_chart(template, engine, counts, year=year)
        cache.set(key, {**chart, "template": None}, 24 * 3600)
    return {**chart, "template": template}


class CreateYearCardsView(OrgStaffRequiredMixin, View):
    """The year's cards of a template for every unit that has none (a POST from the board)."""

    http_method_names = ["post"]

    def post(self, request):
        form = CreateCardsForm(request.POST)
        year = year_from(request.POST.get("year"), this_year())
        if form.is_valid():
            template, year = form.cleaned_data["template"], form.cleaned_data["year"]
            ok, made = run_service(
                request, lambda: create_year_cards(by=request.user, template=template, year=year), form=form
            )
            if ok:
                messages.success(
                    request,
                    _("%(n)s cards of “%(template)s” were created for %(year)s.")
                    % {"n": made, "template": template.name, "year": year},
                )
                return HttpResponseRedirect(f"{reverse('assessments:board')}?year={year}")
        errors = " ".join(" ".join(errs) for errs in form.errors.values())
        messages.error(request, errors)
        return HttpResponseRedirect(f"{reverse('assessments:board')}?year={year}")


class RankingsView(OrgStaffRequiredMixin, TemplateView):
    """The units ranked by total for one template and year; equal totals share a rank (1, 2, 2, 4)."""

    template_name = "assessments/rankings.html"

    def get_context_data(self, **kwargs) -> dict:
        year = year_from(self.request.GET.get("year"), this_year())
        templates = list(ScorecardTemplate.objects.order_by("code"))
        code = self.request.GET.get("template") or ""
        template = next((t for t in templates if t.code == code), None) or next(
            (t for t in templates if t.active), templates[0] if templates else None
        )
        ranked, titles = [], {}
        if template is not None:
            titles = tier_titles(template_of(template))
            ranked = [
                {"rank": rank, "card": card, "total": points(card.total), "tier": titles.get(card.tier, card.tier)}
                for rank, card in unit_rankings(template=template, year=year)
            ]
        return super().get_context_data(
            year=year, years=year_choices(year), templates=templates, template=template, ranked=ranked, **kwargs
        )
