"""``/api/v1/scorecard-templates/`` and ``/api/v1/scorecards/``: unit scorecards (issue 12's contract).

- ``GET scorecard-templates/`` (plain list) and ``{code}/``: sections, items (code, max, method, criteria codes,
  options), tiers and due dates.
- ``GET scorecards/`` (filters: year, template, unit, status, tier) and ``{id}/``: the cards the user may see, each
  with its items (code, max, score, self_score, computed, values, notes, evidence), total and tier.
- ``POST scorecards/`` ``{template, unit, year}`` (the training section): a new card (201).
- ``PATCH scorecards/{id}/`` ``{team_appraisal}`` (the training section).
- ``PATCH scorecards/{id}/items/{code}/`` one of ``shortfalls`` / ``met`` / ``percent`` / ``choice`` / ``points`` /
  ``awarded`` and an optional ``note``: the training section sets the final value (the note is its comment), the
  unit's study administrator the self-check value and note.
- ``POST {id}/submit/`` ``{period?}`` (the unit), ``{id}/return/`` ``{reason}``, ``{id}/finalise/``,
  ``{id}/reopen/`` ``{reason}`` (the training section).
- ``POST {id}/items/{code}/evidence/`` (multipart ``file``), ``GET|DELETE {id}/items/{code}/evidence/{eid}/``
  (downloaded as an attachment, never shown inline).
- ``GET scorecards/rankings/?template=&year=`` (the training section): ranks with ties (1, 2, 2, 4).
- ``GET scorecards/overdue/``: the self-check reports overdue (the training section: all; a unit: its own).

Officials get 403 everywhere; a card outside the user's unit is 404; bad input is 400 in plain words.
"""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from credits.evidence import CONTENT_TYPES, EXTENSIONS
from kunshan_training.downloads import content_disposition
from kunshan_training.permissions import OrgStaffOnly
from kunshan_training.years import api_year
from organisation.roles import is_org_staff, is_unit_admin

from ..filtersets import ScorecardFilterSet
from ..models import ItemEvidence, Scorecard, ScorecardItem, ScorecardTemplate
from ..selectors.cards import (
    card_detail,
    cards_visible_to,
    overdue_periods,
    overdue_self_checks,
    self_check_open,
    unit_rankings,
    with_items,
)
from ..services import cards as services
from .serializers import (
    VALUE_KEYS,
    CardCreateSerializer,
    CardItemAnswerSerializer,
    CardUpdateSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    ItemValueSerializer,
    OverdueSerializer,
    RankingSerializer,
    ReasonSerializer,
    ScorecardSerializer,
    ScorecardTemplateSerializer,
    SubmitSerializer,
    card_data,
    evidence_data,
    item_data,
    summary_data,
    template_data,
)

CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Item code, e.g. A1 or T8.")
EVIDENCE_ID = OpenApiParameter("eid", OpenApiTypes.INT, OpenApiParameter.PATH, description="Evidence file id.")
RANKING_PARAMETERS = [
    OpenApiParameter(
        "template", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="Template code."
    ),  # fmt: skip
    OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True, description="The year."),
]
# Actions only the training section takes: refused (403) before the request body is read.
STAFF_ACTIONS = {"create", "partial_update", "return_card", "finalise", "reopen", "rankings"}
ITEM_CODE = r"(?P<code>[A-Za-z0-9_-]{1,16})"


class CardReaders(permissions.IsAuthenticated):
    """The training section and unit study administrators; an official (or anyone else) is refused."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return super().has_permission(request, view) and (is_org_staff(user) or is_unit_admin(user))


class ScorecardTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [CardReaders]
    serializer_class = ScorecardTemplateSerializer
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return ScorecardTemplate.objects.order_by("code")

    def list(self, request, *args, **kwargs):
        return Response([template_data(t) for t in self.get_queryset()])

    def retrieve(self, request, *args, **kwargs):
        return Response(template_data(self.get_object()))


class ScorecardViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilterSet
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return with_items(cards_visible_to(self.request.user)).order_by("-year", "template__code", "unit__code")

    def get_permissions(self):
        return [OrgStaffOnly()] if self.action in STAFF_ACTIONS else [CardReaders()]

    def _read(self, serializer_class, request):
        form = serializer_class(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return form.validated_data

    def _data(self, card: Scorecard) -> dict:
        detail = card_detail(card)
        submitted = [s.period for s in detail.submissions]
        return card_data(card, overdue=detail.overdue, self_check_open=self_check_open(card, submitted=submitted))

    def _answer(self, card: Scorecard, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=card.pk)
        return Response(ScorecardSerializer(self._data(fresh)).data, status=code)

    def _card_item(self, code: str) -> tuple[Scorecard, ScorecardItem]:
        card = self.get_object()
        row = ScorecardItem.objects.filter(card=card, code=code).first()
        if row is None:
            raise NotFound(_("The card has no item %(code)s.") % {"code": code})
        return card, row

    # -- cards ---------------------------------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        cards = page if page is not None else list(queryset)
        rows = [self._list_row(card) for card in cards]
        data = ScorecardSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _list_row(self, card: Scorecard) -> dict:
        submitted = [s.period for s in card.submissions.all()]
        overdue = overdue_periods(card, submitted=submitted)
        return card_data(card, overdue=overdue, self_check_open=self_check_open(card, submitted=submitted))

    def retrieve(self, request, *args, **kwargs):
        return Response(ScorecardSerializer(self._data(self.get_object())).data)

    @extend_schema(request=CardCreateSerializer, responses={201: ScorecardSerializer})
    def create(self, request, *args, **kwargs):
        data = self._read(CardCreateSerializer, request)
        card = services.create_card(by=request.user, **data)
        return self._answer(card, code=status.HTTP_201_CREATED)

    @extend_schema(request=CardUpdateSerializer, responses=ScorecardSerializer)
    def partial_update(self, request, *args, **kwargs):
        card = self.get_object()
        data = self._read(CardUpdateSerializer, request)
        card = services.set_team_appraisal(by=request.user, card=card, appraisal=data["team_appraisal"])
        return self._answer(card)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        return super().update(request, *args, **kwargs)

    # -- items ---------------------------------------------------------------------------------------

    @extend_schema(request=ItemValueSerializer, responses=CardItemAnswerSerializer, parameters=[CODE])
    @action(detail=True, methods=["patch"], url_path=f"items/{ITEM_CODE}")
    def item(self, request, pk=None, code=None):
        """The training section: the item's final value (``note`` is its comment). The unit's study administrator:
        its self-check value and note. A value outside the item's range, or a key of another method, is a 400."""
        card, row = self._card_item(code)
        data = self._read(ItemValueSerializer, request)
        given = next((key for key in VALUE_KEYS if key in data), None)
        value = {given: data[given]} if given else None
        if is_org_staff(request.user):
            row = services.set_final_value(by=request.user, card=card, code=code, value=value, comment=data.get("note"))
        else:
            row = services.set_self_value(by=request.user, card=card, code=code, value=value, note=data.get("note"))
        card = Scorecard.objects.select_related("template").get(pk=card.pk)
        detail = card_detail(card)
        found = next(r for r in detail.items if r.item.code == code)
        section = next(s.section for s in detail.sections if any(r.item.code == code for r in s.items))
        answer = {**item_data(card, found.item, section, row, row.evidence.all()), "card": summary_data(card)}
        return Response(CardItemAnswerSerializer(answer).data)

    # -- evidence ------------------------------------------------------------------------------------

    @extend_schema(request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceSerializer},
                   parameters=[CODE])  # fmt: skip
    @action(detail=True, methods=["post"], url_path=f"items/{ITEM_CODE}/evidence",
            parser_classes=[MultiPartParser, FormParser])  # fmt: skip
    def evidence(self, request, pk=None, code=None):
        """Add an evidence file (PDF, JPEG or PNG, checked by parsing it) to a self-check item."""
        card, row = self._card_item(code)
        upload = request.FILES.get("file")
        if upload is None:
            raise ApiValidationError({"file": [_("Choose a file.")]})
        row.card = card
        evidence = services.add_evidence(by=request.user, item=row, upload=upload)
        return Response(EvidenceSerializer(evidence_data(evidence, card.pk, code)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        request=None,
        parameters=[CODE, EVIDENCE_ID],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")},
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None}, parameters=[CODE, EVIDENCE_ID])
    @action(detail=True, methods=["get", "delete"], url_path=f"items/{ITEM_CODE}/evidence/(?P<eid>[0-9]+)",
            url_name="evidence-file")  # fmt: skip
    def evidence_file(self, request, pk=None, code=None, eid=None):
        """GET: the file, as an attachment under a generated name (never shown inline). DELETE: take it off."""
        card, row = self._card_item(code)
        evidence = get_object_or_404(ItemEvidence.objects.select_related("item__card__template"), item=row, pk=eid)
        if request.method == "DELETE":
            services.remove_evidence(by=request.user, evidence=evidence)
            return Response(status=status.HTTP_204_NO_CONTENT)
        try:
            handle = evidence.file.open("rb")
        except OSError:
            raise NotFound() from None
        response = FileResponse(handle, content_type=CONTENT_TYPES.get(evidence.file_type, "application/octet-stream"))
        extension = EXTENSIONS.get(evidence.file_type, "bin")
        name = f"scorecard-{card.pk}-{code}-{evidence.pk}.{extension}"
        response["Content-Disposition"] = content_disposition(name, ascii_name=name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response

    # -- the flow ------------------------------------------------------------------------------------

    @extend_schema(request=SubmitSerializer, responses=ScorecardSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The unit hands in its self-check report (``period``: half_year or full_year; by default the next due)."""
        card = self.get_object()
        data = self._read(SubmitSerializer, request)
        services.submit_self_check(by=request.user, card=card, period=data.get("period") or None)
        return self._answer(card)

    @extend_schema(request=ReasonSerializer, responses=ScorecardSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_card(self, request, pk=None):
        """Send a submitted self-check back to the unit, with the reason."""
        card = self.get_object()
        data = self._read(ReasonSerializer, request)
        return self._answer(services.return_card(by=request.user, card=card, reason=data["reason"]))

    @extend_schema(request=None, responses=ScorecardSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        """Lock the card's values: its total and tier are final."""
        return self._answer(services.finalise_card(by=request.user, card=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses=ScorecardSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Unlock a finalised card, with the reason."""
        card = self.get_object()
        data = self._read(ReasonSerializer, request)
        return self._answer(services.reopen_card(by=request.user, card=card, reason=data["reason"]))

    # -- the year ------------------------------------------------------------------------------------

    @extend_schema(parameters=RANKING_PARAMETERS, responses=RankingSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def rankings(self, request):
        """Units ranked per template and year by total, highest first; equal totals share a rank (1, 2, 2, 4)."""
        year = api_year(request.query_params.get("year"))
        code = request.query_params.get("template") or ""
        template = ScorecardTemplate.objects.filter(code=code).first()
        if template is None:
            raise ApiValidationError({"template": [_("No template has this code.")]})
        rows = [
            {
                "rank": rank,
                "card": card.pk,
                "unit": card.unit.code,
                "unit_name": card.unit.name,
                "total": card.total,
                "tier": card.tier,
                "status": card.status,
            }  # fmt: skip
            for rank, card in unit_rankings(template=template, year=year)
        ]
        return Response(RankingSerializer(rows, many=True).data)

    @extend_schema(responses=OverdueSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def overdue(self, request):
        """Self-check reports overdue today: a due date passed with no report, on a card not yet final."""
        rows = [
            {"card": row.card.pk, "template": row.card.template.code, "unit": row.card.unit.code,
             "unit_name": row.card.unit.name, "year": row.card.year, "period": row.period, "due_on": row.due_on}
            for row in overdue_self_checks(cards=cards_visible_to(request.user))
        ]  # fmt: skip
        return Response(OverdueSerializer(rows, many=True).data)
