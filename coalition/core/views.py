from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.decorators import csp_update
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from redis.exceptions import RedisError

from coalition.core import selectors
from coalition.core.mail import may_read_outbox, outbox_in_use
from coalition.core.models import OutboxMessage
from coalition.lib.permissions import access_required


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when the database answers a query, 503 when it does not (or when
    Redis, holding the task queue, does not). The task queue's depth, its oldest task's wait and the workers
    alive are reported for monitors to alert on; a long queue is not an error of this web process."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": "unreachable", "detail": type(exc).__name__}, status=503)
    try:
        tasks = selectors.task_queue_state().as_json()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": "unreachable", "detail": type(exc).__name__}, status=503)
    except RedisError as exc:
        detail = type(exc).__name__
        return JsonResponse({"status": "error", "database": "ok", "tasks": "unreachable", "detail": detail}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "tasks": tasks})


def _outbox_reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The outbox holds everyone's mail, secret links included: it exists only in outbox mode (404 otherwise),
    and only the superuser who runs the installation reads it (decision 0012)."""
    readers_only = access_required(may_read_outbox)(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not outbox_in_use():
            raise Http404
        return readers_only(request, *args, **kwargs)

    return wrapped


@_outbox_reader_required
def outbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(OutboxMessage.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "core/outbox.html", {"page": page})


# The message's HTML is shown in a sandboxed srcdoc iframe, which inherits this page's policy: e-mail HTML
# is styled inline (style="…", <style>), so this staff page allows inline styles. Never scripts: the
# sandbox has no allow-scripts and script-src stays 'self'.
@csp_update({"style-src": ["'unsafe-inline'"]})
@_outbox_reader_required
def outbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(request, "core/outbox_message.html", {"message": message})
