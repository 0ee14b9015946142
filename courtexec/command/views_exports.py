"""Excel exports of the command centre: asking for one, the list of mine, progress, download.

Thin: ``services.request_export`` decides whether the file is answered at once or built by the
worker. A job is only ever shown to the person who asked for it (anyone else: 404).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from courtexec.command import services
from courtexec.command.models import ExportJob
from enforcement.exports import XLSX_CONTENT_TYPE, xlsx_response


def _may_export(request: HttpRequest) -> None:
    if not request.user.has_perm(services.EXPORT_PERMISSION):
        raise PermissionDenied


def _my_job(request: HttpRequest, pk: int) -> ExportJob:
    _may_export(request)
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    """The drill-down's "Export to Excel": the file at once, or the job's page to wait on."""
    _may_export(request)
    try:
        outcome = services.request_export(
            user=request.user, kind=request.POST.get("kind", ""), params=request.POST
        )
    except ValidationError as error:
        context = {"errors": error.message_dict}
        return render(request, "command/export_invalid.html", context, status=400)
    if isinstance(outcome, services.InlineExport):
        return xlsx_response(outcome.workbook, outcome.filename)
    return redirect("command:export", pk=outcome.pk)


@login_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    _may_export(request)
    jobs = ExportJob.objects.filter(requested_by=request.user)
    return render(request, "command/exports.html", {"jobs": jobs})


@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "command/export.html", {"job": _my_job(request, pk)})


@login_required
@require_GET
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial the job's page polls (every second until the job is finished)."""
    return render(request, "command/export_progress.html", {"job": _my_job(request, pk)})


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _my_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    try:
        stored = job.file.open("rb")
    except FileNotFoundError:  # removed from storage by hand
        raise Http404 from None
    return FileResponse(
        stored,
        as_attachment=True,
        filename=job.filename,
        content_type=XLSX_CONTENT_TYPE,
    )
