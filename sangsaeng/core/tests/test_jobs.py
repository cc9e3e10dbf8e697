"""Long work as jobs: the lifecycle helpers and the progress partial that a page polls."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sangsaeng.core import services
from sangsaeng.core.models import Job


@pytest.mark.django_db
def test_a_job_moves_from_queued_to_running_to_succeeded(cast):
    job = services.start_job(
        actor=cast.program_manager, kind="partners.import", parameters={"mode": "update"}
    )
    assert (job.status, job.percent, job.owner) == (Job.Status.QUEUED, 0, cast.program_manager)

    services.job_progress(job, done=3, total=12, message="validating rows")
    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.progress_done, stored.progress_total, stored.percent) == (
        "running",
        3,
        12,
        25,
    )
    assert stored.message == "validating rows" and job.progress_done == 3

    services.finish_job(
        job, succeeded=True, message="12 partners imported", result={"next_url": "/partners/"}
    )
    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.progress_done, stored.percent, stored.is_finished) == (
        "succeeded",
        12,
        100,
        True,
    )
    assert stored.result == {"next_url": "/partners/"} and stored.finished_at is not None
    assert job.progress_done == 12


@pytest.mark.django_db
def test_a_failed_job_keeps_its_progress_and_message(cast):
    job = services.start_job(actor=cast.program_manager, kind="partners.import", total=10)
    services.job_progress(job, done=4)

    services.finish_job(job, succeeded=False, message="row 5: invalid business number")

    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.progress_done, stored.percent) == ("failed", 4, 40)
    assert stored.message == "row 5: invalid business number"


@pytest.mark.django_db
def test_finish_job_saves_a_result_file_set_by_the_caller(cast):
    job = services.start_job(actor=cast.program_manager, kind="partners.export")
    job.result_file.save("export.xlsx", ContentFile(b"PK\x03\x04"), save=False)

    services.finish_job(job, succeeded=True)

    assert Job.objects.get(pk=job.pk).result_file.name.endswith(".xlsx")


@pytest.mark.django_db
def test_the_owner_sees_the_progress_bar_which_polls_while_running(cast, login):
    job = services.start_job(actor=cast.program_manager, kind="partners.import", total=4)
    services.job_progress(job, done=2)

    response = login(cast.program_manager).get(reverse("core:job_status", args=[job.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-valuenow="50"' in html and 'hx-trigger="every 1s"' in html


@pytest.mark.django_db
def test_a_finished_job_stops_polling_and_links_to_the_result(cast, login):
    job = services.start_job(actor=cast.program_manager, kind="partners.import", total=4)
    services.finish_job(job, succeeded=True, result={"next_url": "/partners/"})

    html = login(cast.program_manager).get(reverse("core:job_status", args=[job.pk])).content.decode()

    assert "hx-trigger" not in html and 'href="/partners/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["host_admin", "auditor", "partner_owner"])
def test_someone_elses_job_is_404(cast, login, role):
    job = services.start_job(actor=cast.program_manager, kind="partners.import")
    services.job_progress(job, done=1, message="private-message")

    response = login(getattr(cast, role)).get(reverse("core:job_status", args=[job.pk]))

    assert response.status_code == 404
    assert b"private-message" not in response.content


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_from_a_job(cast, client):
    job = services.start_job(actor=cast.program_manager, kind="partners.import")

    response = client.get(reverse("core:job_status", args=[job.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
