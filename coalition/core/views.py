from __future__ import annotations

from csp.decorators import csp_update
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from coalition.accounts.decorators import permission_required
from coalition.core.models import OutboxMessage


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": "unreachable", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _get_outbox_for_user(request: HttpRequest) -> QuerySet[OutboxMessage]:
    """What this reader may open: mail to people with an account (password resets, links to choose a
    password) only when it is their own, unless they administer everything. Otherwise a campaigner could
    ask for the administrator's reset link and read it here."""
    messages = OutboxMessage.objects.all()
    if request.user.is_superuser:
        return messages
    # Only logged-in readers get here (permission_required); AnonymousUser has no pk.
    others = get_user_model()._default_manager.exclude(pk=request.user.pk or 0).values("email")
    return messages.exclude(to__in=others)


@permission_required("core.view_outboxmessage")
def outbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(_get_outbox_for_user(request), 50).get_page(request.GET.get("page"))
    return render(request, "core/outbox.html", {"page": page})


# The message's HTML is shown in a sandboxed srcdoc iframe, which inherits this page's policy: e-mail HTML
# is styled inline (style="…", <style>), so this staff page allows inline styles. Never scripts: the
# sandbox has no allow-scripts and script-src stays 'self'.
@csp_update({"style-src": ["'unsafe-inline'"]})
@permission_required("core.view_outboxmessage")
def outbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(_get_outbox_for_user(request), pk=pk)
    return render(request, "core/outbox_message.html", {"message": message})
