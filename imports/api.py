"""The import API.

``POST /api/v1/imports/{units|officials|activities}/`` (multipart: ``file``, ``dry_run`` true/false — true when left
out —, ``year`` for activity records, this year when left out) and ``GET /api/v1/imports/jobs/{id}/``. A kind another
app registered (``imports.registry``, e.g. ``online_completions``) is posted the same way.

Answers: a dry run → 200 with the job (its ``errors`` list every problem by row and column, ``created`` what would be
created); an import → 201 when written, 400 when a problem stopped it (nothing written); a large file → 202 and the
job, whose ``progress`` can be polled until its ``status`` is ``done``, ``invalid`` or ``failed``. A file that
cannot be read at all (an .xls, another type, no header) → 400. Units and officials: the training section only (403
for anyone else); activity records: also unit study administrators (their unit's officials).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import RetrieveAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from kunshan_training.years import YearSerializerField

from .models import ImportJob
from .registry import is_known
from .services import check_may_import, jobs_visible_to, start_import


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, help_text=_("An .xlsx or .csv file with a header row."))
    dry_run = serializers.BooleanField(default=True, help_text=_("Check only, write nothing (the default)."))
    year = YearSerializerField(required=False, help_text=_("Activity records: the year they belong to."))

    def validate_year(self, year: int) -> int:
        if year > timezone.localdate().year:
            raise serializers.ValidationError(_("The year cannot be in the future."))
        return year


class ImportJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id", "url", "kind", "original_name", "year", "dry_run", "status", "progress", "rows_total", "created",
            "updated", "skipped", "skipped_rows", "error_count", "errors", "created_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_url(self, job: ImportJob) -> str:
        return reverse("import-job", args=[job.pk], request=self.context.get("request"))


class ImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportJobSerializer,
            201: ImportJobSerializer,
            202: ImportJobSerializer,
            # A file that cannot be imported is a job with its problems; a bad form (no file) the usual errors.
            400: OpenApiResponse(
                response={
                    "oneOf": [
                        {"$ref": "#/components/schemas/ImportJob"},
                        {"$ref": "#/components/schemas/ValidationError"},
                    ]
                },
                description="The file could not be imported (the job, with its problems), or the form is invalid.",
            ),
        },
    )
    def post(self, request, kind: str):
        if not is_known(kind):
            raise Http404
        check_may_import(request.user, kind)  # 403 before the upload is looked at
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            job = start_import(
                by=request.user, kind=kind, upload=data["file"], dry_run=data["dry_run"],
                year=data.get("year", timezone.localdate().year),
            )  # fmt: skip
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise serializers.ValidationError({"file": error.messages}) from None  # too big, empty
        body = ImportJobSerializer(job, context={"request": request}).data
        return Response(body, status=_status_of(job), headers={"Location": body["url"]})


def _status_of(job: ImportJob) -> int:
    if not job.finished:
        return status.HTTP_202_ACCEPTED
    if job.status == ImportJob.Status.INVALID:
        unreadable = all(problem["row"] == 0 for problem in job.errors)
        return status.HTTP_400_BAD_REQUEST if unreadable or not job.dry_run else status.HTTP_200_OK
    if job.status == ImportJob.Status.DONE and not job.dry_run:
        return status.HTTP_201_CREATED
    return status.HTTP_200_OK


class ImportJobView(RetrieveAPIView):
    """An import job: its progress while it runs, then its result. Only your own (the training section: any)."""

    serializer_class = ImportJobSerializer

    def get_queryset(self):
        return jobs_visible_to(self.request.user)
