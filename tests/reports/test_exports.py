"""Report workbooks built by a background export job: the job's life (pending → done, the file right), who may see
which job, the API's 202 → 200 flow, the page's htmx progress, a redelivered task, a failing build, reuse of a fresh
file and the clean-up of old ones."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from credits.models import AnnualScore
from credits.reports import XLSX_CONTENT_TYPE
from exports import services
from exports.models import ExportJob
from tests.conftest import YEAR, client_for
from tests.reports.headers import attachment
from tests.reports.test_year_report import by_staff_no, city, score_all, workbook  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def scored(city):  # noqa: F811 (the fixture imported above)
    score_all()
    return city


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def ask(client, url: str, **extra):
    """A request whose after-commit work (the export job) runs when it returns, as in production."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.get(url, **extra)


def sheet_of(content: bytes):
    return workbook(BytesIO(content))


# ---------------------------------------------------------------------------------------------------
# The job's life


def test_asking_for_a_report_makes_a_job_that_builds_the_workbook_after_commit(scored, staff_user):
    client = signed_in(staff_user)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = client.get(f"/reports/{YEAR}/report.xlsx")
    job = ExportJob.objects.get()
    # Nothing is built inside the request: the job waits for the worker until the transaction commits.
    assert response.status_code == 303 and response["Location"] == f"/reports/exports/{job.pk}/"
    assert (job.status, job.progress, job.kind, job.year, job.unit, job.requested_by) == (
        "pending",
        0,
        "report",
        YEAR,
        None,
        staff_user,
    )
    assert len(callbacks) == 1

    callbacks[0]()  # the worker runs
    job.refresh_from_db()
    assert (job.status, job.progress, job.rows, job.error) == ("done", 100, 4, "")
    assert job.started_at <= job.finished_at and job.heartbeat_at == job.finished_at

    page = client.get(response["Location"]).content.decode()
    assert f'href="/reports/exports/{job.pk}/download/"' in page and f"{YEAR}年度干部教育培训学分.xlsx" in page
    download = client.get(f"/reports/exports/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == XLSX_CONTENT_TYPE
    assert download["Content-Disposition"] == attachment(
        f"{YEAR}年度干部教育培训学分.xlsx", f"training-credits-{YEAR}.xlsx"
    )
    officials = by_staff_no(sheet_of(b"".join(download.streaming_content))["干部"])
    assert set(officials) == {"F001", "F002", "F003", "E001"} and officials["F001"]["总分"] == 87


def test_a_fresh_workbook_is_reused_and_a_changed_score_builds_a_new_one(scored, staff_user):
    client = signed_in(staff_user)
    ask(client, f"/reports/{YEAR}/rankings.xlsx")
    first = ExportJob.objects.get()
    again = ask(client, f"/reports/{YEAR}/rankings.xlsx")
    assert again.status_code == 303 and again["Location"] == f"/reports/exports/{first.pk}/download/"
    assert ExportJob.objects.count() == 1

    AnnualScore.objects.filter(year=YEAR).update(computed_at=timezone.now() + timedelta(seconds=1))
    ask(client, f"/reports/{YEAR}/rankings.xlsx")
    assert ExportJob.objects.count() == 2  # the first file may be out of date: built again


def test_a_unit_admin_sees_only_their_units_jobs_and_an_official_none(scored, staff_user, unit_admin_user):
    ask(signed_in(staff_user), f"/reports/{YEAR}/report.xlsx")
    city_job = ExportJob.objects.get()
    admin = signed_in(unit_admin_user)
    response = ask(admin, f"/reports/{YEAR}/report.xlsx")
    unit_job = ExportJob.objects.exclude(pk=city_job.pk).get()
    assert unit_job.unit.code == "B01" and response["Location"].startswith(f"/reports/exports/{unit_job.pk}/")
    rows = by_staff_no(
        sheet_of(b"".join(admin.get(f"/reports/exports/{unit_job.pk}/download/").streaming_content))["干部"]
    )
    assert set(rows) == {"F001", "F002", "F003"}  # their unit only

    assert admin.get(f"/reports/exports/{city_job.pk}/").status_code == 404
    assert admin.get(f"/reports/exports/{city_job.pk}/download/").status_code == 404
    assert client_for(unit_admin_user).get(f"/api/v1/exports/{city_job.pk}/").status_code == 404
    zhang = signed_in(scored["zhang"].user)
    assert ask(zhang, f"/reports/{YEAR}/report.xlsx").status_code == 403
    assert zhang.get(f"/reports/exports/{unit_job.pk}/").status_code == 404
    assert zhang.get(f"/reports/exports/{unit_job.pk}/download/").status_code == 404
    assert client_for(scored["zhang"].user).get(f"/api/v1/exports/{unit_job.pk}/download/").status_code == 404
    assert ExportJob.objects.count() == 2


# ---------------------------------------------------------------------------------------------------
# The API


def test_api_answers_202_with_the_job_then_200_with_the_file(scored, staff_user):
    api = client_for(staff_user)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        accepted = api.get(f"/api/v1/years/{YEAR}/report.xlsx?unit=B01")
    job = ExportJob.objects.get()
    body = accepted.json()
    assert accepted.status_code == 202
    assert accepted["Location"] == body["status_url"] == f"http://testserver/api/v1/exports/{job.pk}/"
    assert (body["status"], body["progress"], body["unit"], body["download_url"]) == ("pending", 0, "B01", None)
    not_ready = api.get(f"/api/v1/exports/{job.pk}/download/")
    assert not_ready.status_code == 409 and "not ready" in not_ready.json()["detail"]
    # Asked again while it waits: the same job, not a second build.
    assert api.get(f"/api/v1/years/{YEAR}/report.xlsx?unit=B01").json()["id"] == job.pk

    callbacks[0]()
    status = api.get(body["status_url"]).json()
    assert (status["status"], status["progress"], status["rows"]) == ("done", 100, 3)
    assert status["download_url"] == f"http://testserver/api/v1/exports/{job.pk}/download/"
    file = api.get(status["download_url"])
    assert file.status_code == 200 and file["Content-Disposition"] == attachment(
        f"{YEAR} training credits (市财政局).xlsx",
        f"training-credits-{YEAR}-B01.xlsx",  # asked in English
    )
    ready = api.get(f"/api/v1/years/{YEAR}/report.xlsx?unit=B01")  # a fresh file: at once
    assert ready.status_code == 200 and ready["Content-Type"] == XLSX_CONTENT_TYPE
    assert ExportJob.objects.count() == 1


# ---------------------------------------------------------------------------------------------------
# The page's progress


def test_the_job_page_polls_its_progress_with_htmx_until_the_file_is_ready(scored, staff_user):
    client = signed_in(staff_user)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        client.get(f"/reports/{YEAR}/report.xlsx")
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(status="running", progress=40, rows=2, heartbeat_at=timezone.now())
    page = client.get(f"/reports/exports/{job.pk}/").content.decode()
    assert "<html" in page and f'hx-get="/reports/exports/{job.pk}/"' in page and 'hx-trigger="every 1s"' in page
    fragment = client.get(f"/reports/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'aria-valuenow="40"' in fragment and 'hx-trigger="every 1s"' in fragment
    assert "download/" not in fragment

    callbacks[0]()  # a running job with a fresh heartbeat belongs to a live worker: this delivery leaves it alone
    assert ExportJob.objects.get(pk=job.pk).status == "running"
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    callbacks[0]()  # its worker died: taken over and finished
    done = client.get(f"/reports/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and f'href="/reports/exports/{job.pk}/download/"' in done
    assert "工作簿已生成" in done or "ready" in done


# ---------------------------------------------------------------------------------------------------
# Redelivery, failure, clean-up


def test_a_redelivered_task_does_nothing_to_a_finished_job(scored, staff_user):
    ask(signed_in(staff_user), f"/reports/{YEAR}/report.xlsx")
    job = ExportJob.objects.get()
    before = (job.file.name, job.finished_at, job.heartbeat_at)
    services.run_export_job(job_id=job.pk)
    job.refresh_from_db()
    assert (job.file.name, job.finished_at, job.heartbeat_at, job.status) == (*before, "done")
    services.run_export_job(job_id=job.pk + 1000)  # a job deleted since: nothing either


def test_a_failing_build_shows_the_error_on_the_job(scored, staff_user, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setitem(services.WRITERS, ExportJob.Kind.REPORT, broken)
    client = signed_in(staff_user)
    response = ask(client, f"/reports/{YEAR}/report.xlsx")
    job = ExportJob.objects.get()
    assert (job.status, bool(job.finished_at)) == ("failed", True)
    assert "No space left on device" in job.error
    page = client.get(response["Location"]).content.decode()
    assert "No space left on device" in page and "hx-trigger" not in page
    assert client.get(f"/reports/exports/{job.pk}/download/").status_code == 404
    assert client_for(staff_user).get(f"/api/v1/exports/{job.pk}/").json()["status"] == "failed"
    # A failed job is not reused: asking again builds again.
    monkeypatch.undo()
    ask(client, f"/reports/{YEAR}/report.xlsx")
    assert ExportJob.objects.filter(status="done").count() == 1


def test_old_workbooks_are_deleted_and_dead_builds_restarted(scored, staff_user, media, capsys):
    ask(signed_in(staff_user), f"/reports/{YEAR}/report.xlsx")
    old = ExportJob.objects.get()
    path = media / old.file.name
    assert path.exists()
    ExportJob.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - services.EXPORT_RETENTION - timedelta(hours=1)
    )
    dead = ExportJob.objects.create(
        kind="rankings", year=YEAR, language="zh-hans", requested_by=staff_user, status="running",
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("clean_exports")
    assert "1 old export(s) deleted" in capsys.readouterr().out
    assert not ExportJob.objects.filter(pk=old.pk).exists() and not path.exists()
    dead.refresh_from_db()
    assert dead.status == "done" and dead.file


def test_a_job_that_never_started_is_not_waited_on_and_is_started_by_the_clean_up(scored, staff_user):
    """The broker refused the message: the job stays pending. Asking again builds anew; the clean-up starts it."""
    client = signed_in(staff_user)
    with TestCase.captureOnCommitCallbacks(execute=False):  # the message is lost
        client.get(f"/reports/{YEAR}/report.xlsx")
    stuck = ExportJob.objects.get()
    assert client.get(f"/reports/{YEAR}/report.xlsx")["Location"] == f"/reports/exports/{stuck.pk}/"  # still young
    ExportJob.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=1))
    response = ask(client, f"/reports/{YEAR}/report.xlsx")
    assert ExportJob.objects.count() == 2 and str(stuck.pk) not in response["Location"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.clean_exports()["restarted"] == 1
    stuck.refresh_from_db()
    assert stuck.status == "done"


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_mode_a_thread_builds_the_workbook_while_the_request_returns(
    settings, staff_user, officials, units
):
    """No broker: the request answers at once and a daemon thread builds the file; the page then links it."""
    import time

    settings.EMBEDDED_JOBS = "thread"
    client = signed_in(staff_user)
    response = client.get(f"/reports/{YEAR}/rankings.xlsx")  # no test transaction: on_commit runs at once
    job = ExportJob.objects.get()
    assert response.status_code == 303 and response["Location"] in (
        f"/reports/exports/{job.pk}/",
        f"/reports/exports/{job.pk}/download/",  # the thread may already have finished
    )
    for _ in range(100):
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.05)
    assert job.status == "done", job.error
    assert client.get(f"/reports/exports/{job.pk}/download/").status_code == 200
