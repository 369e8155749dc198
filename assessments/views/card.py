"""One scorecard: the training section's review page (/assessments/cards/<id>/), the unit's self-check page
(/assessments/cards/<id>/self-check/), their actions, the evidence files and the printable A4 card.

Review: per item the unit's self value beside the final value, the shortfalls computed from the data as facts, the
evidence (pictures previewed in an <img>, PDFs as downloads), the reviewer's value and comment in the method's own
input; the team's appraisal (team card); return with a reason, finalise, reopen with a reason; the year's facts.
Self-check: the unit's value, note and evidence per item, the due dates, submitting for the due report; read only
once submitted until returned (the services refuse anything else anyway).

Every write is a call to ``assessments.services.cards``; totals, tiers and overdue come from the stored card and
``assessments.selectors.cards``. Cards are looked up through ``cards_visible_to`` (outside the scope: 404).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.access import OrgStaffRequiredMixin, StaffOrUnitAdminRequiredMixin
from portal.forms.common import run_service
from portal.views.evidence import INLINE_TYPES, evidence_response

from ..engine import Item, Template
from ..forms import AppraisalForm, EvidenceForm, ItemValueForm, ReasonForm, SubmitForm
from ..models import CardStatus, ItemEvidence, Scorecard, ScorecardItem
from ..selectors.cards import card_detail, cards_visible_to, next_period, overdue_self_checks, self_check_open
from ..services import cards as services
from .common import no_tier, points, template_of, tier_titles, visible_card

IMAGE_TYPES = INLINE_TYPES  # shown in an <img> on the review page, served inline


def computed_words() -> dict[str, str]:
    """What each computed source counts, in the page's language (the engine keeps plain English keys)."""
    return {
        "officials_below_16_hours": _("officials of the unit with fewer than 16 study hours in the year"),
        "division_below_110_hours": _("division-level officials of the unit below 110 study hours in the year"),
        "section_below_100_hours": _("section-level officials of the unit below 100 study hours in the year"),
    }


def value_text(item: Item, value: dict | None) -> str:
    """A value as words for the page ("2 shortfalls", the criteria met, "85%", the option, "4.5 points", awarded)."""
    if not value:
        return "—"
    method = item.method
    if method == "deduction":
        n = value.get("shortfalls")
        return "—" if n is None else _("%(n)s shortfalls") % {"n": n}
    if method == "criteria":
        met = set(value.get("met") or ())
        titles = [c.title or c.code for c in item.criteria if c.code in met]
        return "、".join(titles) if titles else _("none met")
    if method == "ladder":
        p = value.get("percent")
        return "—" if p is None else f"{points(p)}%"
    if method == "choice":
        code = value.get("choice")
        return next((o.title or o.code for o in item.options if o.code == code), "—")
    if method == "manual":
        p = value.get("points")
        return "—" if p is None else _("%(points)s points") % {"points": points(p)}
    if method == "bonus":
        awarded = value.get("awarded")
        return "—" if awarded is None else (_("Awarded") if awarded else _("Not awarded"))
    return "—"


def method_words() -> dict[str, str]:
    return {
        "deduction": _("deduction"),
        "criteria": _("criteria"),
        "ladder": _("by percentage"),
        "choice": _("one option"),
        "manual": _("points"),
        "bonus": _("bonus"),
    }


def due_dates(card: Scorecard, engine: Template, *, submissions, overdue: set[str] | list[str]) -> list[dict]:
    """The template's due dates in the card's year, each with the report handed in for it (if any) and whether it
    is overdue (the selectors' judgement)."""
    handed_in = {s.period: s for s in submissions}
    return [
        {
            "code": due.code,
            "title": due.title or due.code,
            "due_on": date(card.year, due.month, due.day),
            "submission": handed_in.get(due.code),
            "overdue": due.code in overdue,
        }
        for due in engine.due_dates
    ]


class CardPageMixin(StaffOrUnitAdminRequiredMixin):
    """The card (in scope, else 404), its template read by the engine, and the rows of its items."""

    def load(self, request, pk: int) -> None:
        self.card = visible_card(request, pk)
        self.detail = card_detail(self.card)
        self.engine = self.detail.template

    def item_rows(self, *, role: str, forms: dict | None = None) -> list[dict]:
        """Per section, per item: the template's item, the card's row, its evidence and the form of ``role``."""
        forms = forms or {}
        words = computed_words()
        methods = method_words()
        sections = []
        for section in self.detail.sections:
            rows = []
            for item_row in section.items:
                item, row = item_row.item, item_row.row
                if role == "self":
                    initial, text = row.self_value, row.self_note
                else:
                    initial, text = row.final_value, row.comment
                form = forms.get(item.code) or ItemValueForm(item=item, role=role, initial_value=initial, text=text)
                rows.append({
                    "item": item,
                    "row": row,
                    "method": methods.get(item.method, item.method),
                    "max": points(item.max),
                    "score": points(row.score),
                    "self_score": points(row.self_score),
                    "self_text": value_text(item, row.self_value),
                    "final_text": value_text(item, row.final_value),
                    "computed": row.computed if item.computed else None,
                    "computed_words": words.get(item.computed or "", ""),
                    "evidence": [{"e": e, "image": e.file_type in IMAGE_TYPES} for e in item_row.evidence],
                    "form": form,
                })  # fmt: skip
            sections.append({"section": section.section, "rows": rows})
        return sections

    def common_context(self) -> dict:
        card, detail = self.card, self.detail
        return {
            "card": card,
            "engine": self.engine,
            "tier_title": tier_titles(self.engine).get(card.tier, card.tier) or no_tier(),
            "total": points(card.total),
            "base": points(card.base),
            "bonus": points(card.bonus),
            "self_total": points(card.self_total),
            "due_dates": due_dates(card, self.engine, submissions=detail.submissions, overdue=detail.overdue),
            "facts": detail.facts,
            "is_final": card.status == CardStatus.FINAL,
        }


def card_url(card: Scorecard, anchor: str = "") -> str:
    url = reverse("assessments:card", args=[card.pk])
    return f"{url}#{anchor}" if anchor else url


def self_check_url(card: Scorecard, anchor: str = "") -> str:
    url = reverse("assessments:self-check", args=[card.pk])
    return f"{url}#{anchor}" if anchor else url


# -- the training section's review page


class ReviewView(OrgStaffRequiredMixin, CardPageMixin, TemplateView):
    template_name = "assessments/review.html"

    def get(self, request, pk: int, **forms):
        self.load(request, pk)
        return self.render_to_response(self.context(**forms))

    def context(self, *, item_forms: dict | None = None, **forms) -> dict:
        card = self.card
        return self.get_context_data(
            **self.common_context(),
            sections=self.item_rows(role="final", forms=item_forms),
            return_form=forms.get("return_form") or ReasonForm(prefix="return"),
            reopen_form=forms.get("reopen_form") or ReasonForm(prefix="reopen"),
            appraisal_form=forms.get("appraisal_form") or AppraisalForm(initial={"appraisal": card.team_appraisal}),
            can_return=card.status == CardStatus.SUBMITTED,
            can_finalise=card.status != CardStatus.FINAL,
            can_reopen=card.status == CardStatus.FINAL,
        )

    def post(self, request, pk: int):
        """The reviewer's value and comment of one item (``item`` names it)."""
        self.load(request, pk)
        code = request.POST.get("item", "")
        item = next((i for i in self.engine.items if i.code == code), None)
        if item is None:
            raise Http404
        form = ItemValueForm(request.POST, item=item, role="final")
        if form.is_valid():
            ok, _row = run_service(
                request,
                lambda: services.set_final_value(
                    by=request.user, card=self.card, code=code, value=form.value(), comment=form.text
                ),
                form=form,
            )
            if ok:
                messages.success(request, _("Item %(code)s is saved.") % {"code": code})
                return HttpResponseRedirect(card_url(self.card, f"item-{code}"))
        self.card.refresh_from_db()
        return self.render_to_response(self.context(item_forms={code: form}))


class CardActionView(OrgStaffRequiredMixin, View):
    """A POST on the review page: find the card in scope, run the action, back to the page."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        self.card = visible_card(request, pk)
        return self.act(request)

    def act(self, request):  # pragma: no cover - every action overrides it
        raise NotImplementedError

    def again(self, **forms):
        view = ReviewView()
        view.setup(self.request, pk=self.card.pk)
        view.is_staff, view.unit_id = True, None
        view.load(self.request, self.card.pk)
        return view.render_to_response(view.context(**forms))


class ReturnCardView(CardActionView):
    def act(self, request):
        form = ReasonForm(request.POST, prefix="return")
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            ok, _r = run_service(request, lambda: services.return_card(by=request.user, card=self.card, reason=reason),
                                 form=form)  # fmt: skip
            if ok:
                messages.success(request, _("The card is returned to the unit with your reason."))
                return HttpResponseRedirect(card_url(self.card))
        return self.again(return_form=form)


class FinaliseCardView(CardActionView):
    def act(self, request):
        ok, _r = run_service(request, lambda: services.finalise_card(by=request.user, card=self.card))
        if ok:
            self.card.refresh_from_db()
            messages.success(request, _("The card is final: %(total)s points.") % {"total": points(self.card.total)})
        return HttpResponseRedirect(card_url(self.card))


class ReopenCardView(CardActionView):
    def act(self, request):
        form = ReasonForm(request.POST, prefix="reopen")
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            ok, _r = run_service(request, lambda: services.reopen_card(by=request.user, card=self.card, reason=reason),
                                 form=form)  # fmt: skip
            if ok:
                messages.success(request, _("The card is open again for review."))
                return HttpResponseRedirect(card_url(self.card))
        return self.again(reopen_form=form)


class AppraisalView(CardActionView):
    def act(self, request):
        form = AppraisalForm(request.POST)
        if form.is_valid():
            appraisal = form.cleaned_data["appraisal"]
            ok, _r = run_service(
                request,
                lambda: services.set_team_appraisal(by=request.user, card=self.card, appraisal=appraisal),
                form=form,
            )
            if ok:
                messages.success(request, _("The team's annual appraisal is saved."))
                return HttpResponseRedirect(card_url(self.card, "appraisal"))
        return self.again(appraisal_form=form)


# -- the unit's self-check page


class SelfCheckView(CardPageMixin, TemplateView):
    """The unit's self-check (the training section sees it too)."""

    template_name = "assessments/self_check.html"

    def get(self, request, pk: int, **forms):
        self.load(request, pk)
        return self.render_to_response(self.context(**forms))

    def editable(self) -> bool:
        return self_check_open(self.card, submitted=[s.period for s in self.detail.submissions])

    def periods(self) -> list[tuple[str, str]]:
        return [(due.code, due.title or due.code) for due in self.engine.due_dates]

    def context(self, *, item_forms: dict | None = None, evidence_forms: dict | None = None, **forms) -> dict:
        sections = self.item_rows(role="self", forms=item_forms)
        evidence_forms = evidence_forms or {}
        for section in sections:
            for row in section["rows"]:
                row["evidence_form"] = evidence_forms.get(row["item"].code) or EvidenceForm(
                    prefix=f"evidence-{row['item'].code}"
                )
        return self.get_context_data(
            **self.common_context(),
            sections=sections,
            editable=self.editable(),
            submit_form=forms.get("submit_form")
            or SubmitForm(periods=self.periods(), initial={"period": self.next_period()}),  # fmt: skip
        )

    def next_period(self) -> str:
        """The report handed in now is for (the form's default): the first without one."""
        return next_period(self.card, submitted=[s.period for s in self.detail.submissions]) or ""

    def post(self, request, pk: int):
        """The unit's value and note of one item, an evidence file, removing one, or submitting the self-check."""
        self.load(request, pk)
        if "submit" in request.POST:
            return self.submit(request)
        if "remove_evidence" in request.POST:
            return self.remove_evidence(request)
        code = request.POST.get("item", "")
        item = next((i for i in self.engine.items if i.code == code), None)
        if item is None:
            raise Http404
        if "upload" in request.POST:
            return self.upload(request, item)
        form = ItemValueForm(request.POST, item=item, role="self")
        if form.is_valid():
            # The page shows no form once the self-check is closed: the service's refusal goes into the messages.
            on_form = form if self.editable() else None
            ok, _row = run_service(
                request,
                lambda: services.set_self_value(
                    by=request.user, card=self.card, code=code, value=form.value(), note=form.text
                ),
                form=on_form,
            )
            if not ok and on_form is None:
                return HttpResponseRedirect(self_check_url(self.card))
            if ok:
                messages.success(request, _("Item %(code)s is saved.") % {"code": code})
                return HttpResponseRedirect(self_check_url(self.card, f"item-{code}"))
        return self.render_to_response(self.context(item_forms={code: form}))

    def item_row(self, code: str) -> ScorecardItem:
        return get_object_or_404(ScorecardItem, card=self.card, code=code)

    def upload(self, request, item: Item):
        form = EvidenceForm(request.POST, request.FILES, prefix=f"evidence-{item.code}")
        if form.is_valid():
            row = self.item_row(item.code)
            upload = form.cleaned_data["file"]
            ok, _e = run_service(request, lambda: services.add_evidence(by=request.user, item=row, upload=upload),
                                 form=form)  # fmt: skip
            if ok:
                messages.success(request, _("The evidence file is added to item %(code)s.") % {"code": item.code})
                return HttpResponseRedirect(self_check_url(self.card, f"item-{item.code}"))
        return self.render_to_response(self.context(evidence_forms={item.code: form}))

    def remove_evidence(self, request):
        raw = request.POST.get("remove_evidence", "")
        evidence = get_object_or_404(
            ItemEvidence.objects.select_related("item"), pk=int(raw) if raw.isdigit() else 0, item__card=self.card
        )
        ok, _r = run_service(request, lambda: services.remove_evidence(by=request.user, evidence=evidence))
        if ok:
            messages.success(request, _("The evidence file “%(name)s” is removed.") % {"name": evidence.original_name})
        return HttpResponseRedirect(self_check_url(self.card, f"item-{evidence.item.code}"))

    def submit(self, request):
        form = SubmitForm(request.POST, periods=self.periods())
        if form.is_valid():
            period = form.cleaned_data["period"]
            ok, _r = run_service(
                request, lambda: services.submit_self_check(by=request.user, card=self.card, period=period), form=form
            )
            if ok:
                messages.success(request, _("The self-check is submitted to the training section."))
                return HttpResponseRedirect(self_check_url(self.card))
        return self.render_to_response(self.context(submit_form=form))


# -- the unit's cards


class UnitCardsView(StaffOrUnitAdminRequiredMixin, TemplateView):
    """The unit administrator's cards of the year (the training section: any unit's with ``?unit=CODE``)."""

    template_name = "assessments/unit_cards.html"

    def get_context_data(self, **kwargs) -> dict:
        from ..forms import year_from
        from .board import year_choices
        from .common import this_year

        year = year_from(self.request.GET.get("year"), this_year())
        cards = cards_visible_to(self.request.user).filter(year=year).select_related("template", "unit")
        if self.is_staff:
            code = self.request.GET.get("unit") or ""
            cards = cards.filter(unit__code=code) if code else cards.none()
        else:
            cards = cards.filter(unit_id=self.unit_id)
        overdue: dict[int, set[str]] = {}
        for late in overdue_self_checks(cards=cards):
            overdue.setdefault(late.card.pk, set()).add(late.period)
        rows = []
        for card in cards.order_by("template__code").prefetch_related("submissions"):
            engine = template_of(card.template)
            rows.append({
                "card": card,
                "tier": tier_titles(engine).get(card.tier, card.tier),
                "total": points(card.total),
                "self_total": points(card.self_total),
                "due_dates": due_dates(
                    card, engine, submissions=card.submissions.all(), overdue=overdue.get(card.pk, set())
                ),
            })  # fmt: skip
        return super().get_context_data(year=year, years=year_choices(year), rows=rows, **kwargs)


# -- the evidence files and the printed card


class EvidenceFileView(StaffOrUnitAdminRequiredMixin, View):
    """An evidence file, only to whom may see its card; pictures inline (the <img> previews), PDFs as downloads
    under a generated name, never as a page of this site (as ``portal.views.evidence``)."""

    def get(self, request, pk: int):
        evidence = get_object_or_404(
            ItemEvidence.objects.select_related("item"), pk=pk, item__card__in=cards_visible_to(request.user)
        )
        return evidence_response(evidence.file, kind=evidence.file_type, name=f"scorecard-evidence-{evidence.pk}")


class PrintCardView(CardPageMixin, TemplateView):
    """The card on one A4 page: the items with their maximum, self-check and final scores, the total and tier."""

    template_name = "assessments/print.html"

    def get(self, request, pk: int):
        self.load(request, pk)
        back = card_url(self.card) if self.is_staff else self_check_url(self.card)
        return self.render_to_response(
            self.get_context_data(**self.common_context(), sections=self.item_rows(role="final"), back_url=back)
        )
