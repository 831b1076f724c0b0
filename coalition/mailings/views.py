"""Pages of the mailings app: campaigners' composing, sending and reports; supporters' unsubscribe and lists;
the public archive and its Atom feed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coalition.core.audit import acting_user
from coalition.lib.forms import fields_of
from coalition.lib.markdown import render_markdown
from coalition.lib.page_cache import public_page
from coalition.lib.permissions import permission_required
from coalition.lib.refusals import show_refusal
from coalition.mailings import approval, forms, selectors, services
from coalition.mailings.models import Delivery, Mailing, Segment, Subscription
from coalition.mailings.segments import SegmentError
from coalition.members.models import Supporter

VIEW = "mailings.view_mailing"
CHANGE = "mailings.change_mailing"
# The compose form's fields, as `approval.mailing_save` takes them.
MAILING_FIELDS = ("name", "mailing_list", "segment", "language", "subject", "preheader", "body", "public")


# ---- Campaigners ------------------------------------------------------------------------------------------


@permission_required(VIEW)
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "mailings/staff/list.html", {"mailings": selectors.mailings_report()[:200]})


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    return _compose(request, None)


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _compose(request, get_object_or_404(Mailing, pk=pk))


def _compose(request: HttpRequest, mailing: Mailing | None) -> HttpResponse:
    initial = forms.MailingForm.initial_for(mailing) if mailing else {"language": settings.LANGUAGE_CODE}
    form = forms.MailingForm(request.POST or None, initial=initial)
    if mailing and mailing.status != Mailing.Status.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect(mailing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = approval.mailing_save(
                by=acting_user(request),
                **fields_of(data, *MAILING_FIELDS),
                versions=form.versions(),
                mailing=mailing,
            )
        except services.MailingError as refusal:
            show_refusal(request, refusal, form=form)
        else:
            messages.success(request, _("The mailing is saved."))
            return redirect(saved)
    return render(request, "mailings/staff/compose.html", {"form": form, "mailing": mailing})


@permission_required(VIEW)
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = get_object_or_404(Mailing.objects.select_related("mailing_list", "segment", "created_by"), pk=pk)
    send_form = forms.SendForm(request.POST or None, initial={"when": "now"})
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            raise Http404
        if send_form.is_valid():
            try:
                approval.mailing_schedule(mailing=mailing, by=acting_user(request), send_at=send_form.moment())
            except services.MailingError as refusal:
                show_refusal(request, refusal, form=send_form)
            else:
                mailing.refresh_from_db()
                if mailing.status == Mailing.Status.AWAITING_APPROVAL:
                    messages.info(
                        request, _("The mailing waits for a second campaigner or an administrator to approve it.")
                    )
                else:
                    messages.success(request, _("The mailing is on its way."))
                return redirect(mailing)
    problems = approval.mailing_problems(mailing) if mailing.status == Mailing.Status.DRAFT else []
    try:
        count = selectors.mailing_audience(mailing).count()
    except SegmentError as exc:
        count, problems = 0, [*problems, str(exc)]
    context = {
        "mailing": mailing,
        "send_form": send_form,
        "problems": problems,
        "count": count,
        "threshold": settings.MAILINGS_APPROVAL_THRESHOLD,
        "progress": selectors.mailing_progress(mailing),
        "may_approve": approval.may_approve(mailing, acting_user(request)),
        "versions": selectors.mailing_versions(mailing),
    }
    return render(request, "mailings/staff/detail.html", context)


@permission_required(CHANGE)
@require_POST
def staff_decide(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = get_object_or_404(Mailing, pk=pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do."))
        return redirect(mailing)
    by = acting_user(request)
    decision = form.cleaned_data["decision"]
    try:
        if decision == "test":
            approval.mailing_test_send(mailing=mailing, by=by)
            messages.success(request, _("A test copy is on its way to %(email)s.") % {"email": by.email})
        elif decision == "approve":
            approval.mailing_approve(mailing=mailing, by=by)
            messages.success(request, _("Approved: the mailing is on its way."))
        elif decision == "pause":
            approval.mailing_pause(mailing=mailing, by=by)
            messages.success(request, _("Paused."))
        elif decision == "resume":
            approval.mailing_resume(mailing=mailing, by=by)
            messages.success(request, _("Sending again."))
        else:
            approval.mailing_cancel(mailing=mailing, by=by)
            messages.success(request, _("Cancelled: nothing more is sent."))
    except services.MailingError as refusal:
        show_refusal(request, refusal)
    return redirect(mailing)


@permission_required(VIEW)
@require_GET
def staff_progress(request: HttpRequest, pk: int) -> JsonResponse:
    mailing = get_object_or_404(Mailing, pk=pk)
    return JsonResponse({"status": mailing.status, **selectors.mailing_progress(mailing)})


@permission_required(VIEW)
@require_GET
def staff_preview(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = get_object_or_404(Mailing, pk=pk)
    form = forms.PreviewForm(request.GET or None)
    supporter = None
    if form.is_valid() and form.cleaned_data["email"]:
        supporter = Supporter.objects.filter(email=form.cleaned_data["email"].lower()).first()
        if supporter is None:
            form.add_error("email", _("No supporter has this address."))
    preview = approval.mailing_preview(mailing, supporter=supporter)
    return render(
        request, "mailings/staff/preview.html", {"mailing": mailing, "form": form, "preview": preview, "who": supporter}
    )


@permission_required(VIEW)
@require_http_methods(["GET", "POST"])
def staff_segments(request: HttpRequest) -> HttpResponse:
    form = forms.SegmentForm(request.POST or None)
    count = None
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            raise Http404
        if form.is_valid():
            if "count" in request.POST:
                count = selectors.segment_count(form.cleaned_data["rules"])
            else:
                services.segment_save(
                    name=form.cleaned_data["name"], rules=form.cleaned_data["rules"], by=acting_user(request)
                )
                messages.success(request, _("The segment is saved."))
                return redirect("mailings:staff-segments")
    segments = [(segment, _count_or_error(segment)) for segment in Segment.objects.order_by("name")[:100]]
    return render(request, "mailings/staff/segments.html", {"form": form, "segments": segments, "count": count})


def _count_or_error(segment: Segment) -> int | str:
    try:
        return selectors.segment_count(segment.rules)
    except SegmentError as exc:
        return str(exc)


@permission_required(VIEW)
@require_http_methods(["GET", "POST"])
def staff_lists(request: HttpRequest) -> HttpResponse:
    form = forms.MailingListForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            raise Http404
        if form.is_valid():
            services.mailing_list_create(**form.cleaned_data)
            messages.success(request, _("The list is created."))
            return redirect("mailings:staff-lists")
    return render(request, "mailings/staff/lists.html", {"form": form, "lists": selectors.lists_with_counts()})


@permission_required(VIEW)
@require_GET
def staff_suppressions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mailings/staff/suppressions.html",
        {"suppressions": selectors.suppressions()[:500], "events": selectors.address_events()[:200]},
    )


# ---- Supporters: unsubscribe and their lists ---------------------------------------------------------------


def _delivery_or_404(token: str) -> Delivery:
    delivery = services.delivery_from_token(token)
    if delivery is None:
        raise Http404
    return delivery


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" without a form of ours
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page whose one button unsubscribes (link scanners only GET). POST: unsubscribed, no login."""
    delivery = _delivery_or_404(token)
    done = False
    if request.method == "POST":
        services.unsubscribe(delivery=delivery)
        done = True
    on_list = Subscription.objects.filter(
        supporter=delivery.supporter, mailing_list=delivery.mailing.mailing_list, left_at__isnull=True
    ).exists()
    context = {
        "delivery": delivery,
        "mailing_list": delivery.mailing.mailing_list,
        "done": done,
        "on_list": on_list,
        "lists": selectors.lists_of(delivery.supporter),
        "token": token,
    }
    return render(request, "mailings/unsubscribe.html", context)


@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest, token: str) -> HttpResponse:
    delivery = _delivery_or_404(token)
    supporter = delivery.supporter
    current = list(
        Subscription.objects.filter(supporter=supporter, left_at__isnull=True).values_list("mailing_list_id", flat=True)
    )
    form = forms.SubscriptionsForm(request.POST or None, initial={"lists": current})
    if request.method == "POST" and form.is_valid():
        services.subscriptions_set(
            supporter=supporter,
            wanted={m.pk for m in form.cleaned_data["lists"]},
            language=translation.get_language() or "",
        )
        messages.success(request, _("Your choice of lists is saved."))
        return redirect("mailings:subscriptions", token=token)
    return render(request, "mailings/subscriptions.html", {"form": form, "lists": selectors.lists_open_to_join()})


# ---- Public archive ----------------------------------------------------------------------------------------


@public_page
@require_GET
def news(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    items = []
    for mailing in selectors.archive()[:50]:
        version_language, subject, _preheader, _body = selectors.version_for(mailing, language)
        items.append((mailing, version_language, services.public_text(subject)))
    return render(request, "mailings/news.html", {"items": items})


@require_GET
def news_item(request: HttpRequest, slug: str) -> HttpResponse:
    mailing = selectors.archive_get(slug)
    if mailing is None:
        raise Http404
    language, subject, _preheader, body = selectors.version_for(mailing, translation.get_language())
    share = request.build_absolute_uri(reverse("news:item", args=[mailing.slug]))
    context = {
        "mailing": mailing,
        "language": language,
        "subject": services.public_text(subject),
        "body": render_markdown(services.public_text(body)),
        "share_url": share,
    }
    return render(request, "mailings/news_item.html", context)


@require_GET
def news_feed(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("language", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        feed = Atom1Feed(
            title=_("News from the %(name)s") % {"name": settings.COALITION_NAME},
            link=request.build_absolute_uri(reverse("news:list")),
            description=_("Newsletters of the campaign"),
            language=language,
            feed_url=request.build_absolute_uri(request.get_full_path()),
        )
        for mailing in selectors.archive()[:50]:
            version_language, subject, _preheader, body = selectors.version_for(mailing, language)
            feed.add_item(
                title=services.public_text(subject),
                link=request.build_absolute_uri(reverse("news:item", args=[mailing.slug])),
                description=str(render_markdown(services.public_text(body))),
                pubdate=mailing.started_at,
                unique_id=request.build_absolute_uri(reverse("news:item", args=[mailing.slug])),
            )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@csrf_exempt  # the mail provider posts its events without a form of ours; the shared secret authenticates it
def provider_events(request: HttpRequest) -> HttpResponse:
    """A provider's bounces and complaints, parsed and authenticated (HTTP basic auth with the shared secret)
    by django-anymail's view for that provider, which sends the tracking signal `signals.py` records.
    Without a provider and a secret configured there is nothing here."""
    from coalition.mailings.checks import WEBHOOK_PROVIDERS

    provider = settings.MAILINGS_WEBHOOK_PROVIDER
    if provider not in WEBHOOK_PROVIDERS or ":" not in (settings.ANYMAIL.get("WEBHOOK_SECRET") or ""):
        raise Http404
    try:
        return _anymail_tracking_view(provider)(request)
    except (ValueError, KeyError, TypeError, AttributeError):
        # anymail parses what the secret's holder posted without checking its shape: not JSON, or not the
        # provider's, is refused here rather than answered with a server error.
        return HttpResponseBadRequest("Not an event of the configured provider.")


def _anymail_tracking_view(provider: str) -> Any:
    from anymail.urls import urlpatterns

    name = f"{provider}_tracking_webhook"
    return next(pattern.callback for pattern in urlpatterns if getattr(pattern, "name", "") == name)
