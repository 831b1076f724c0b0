"""Staff pages of the letters app: an action's preview, counts and held messages (review), publishing, the
editor, the messages CSV, the printable letters per official, and the officials list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalition.core.audit import acting_user
from coalition.letters import forms, greetings, merge, pdf, selectors, services, views
from coalition.letters.models import Action, Message, Position
from coalition.lib.csv_export import csv_response
from coalition.lib.downloads import set_attachment
from coalition.lib.permissions import permission_required

# The writer of the editor's preview.
SAMPLE_WRITER = {"supporter_name": "Ana Example", "supporter_town": "Bergen", "supporter_state": ""}


def _get_action_for_staff(slug: str) -> Action:
    return get_object_or_404(Action, slug=slug)


@permission_required("letters.view_action")
def staff_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The action page as the public will see it, drafts included; nothing can be sent from it."""
    return views.action_page(request, _get_action_for_staff(slug), preview=True)


@permission_required("letters.view_message")
def staff_action(request: HttpRequest, slug: str) -> HttpResponse:
    action = _get_action_for_staff(slug)
    status_counts = dict(Message.objects.filter(action=action).values_list("status").annotate(n=Count("id")).order_by())
    held = list(
        Message.objects.filter(action=action, status=Message.Status.HELD)
        .select_related("position")
        .order_by("id")[:100]
    )
    counts = list(selectors.action_counts_by_position(action)[:200])
    later = selectors.queued_for_later_days(action, [count.position_id for count in counts])
    return render(
        request,
        "letters/staff/action.html",
        {
            "action": action,
            "status_counts": [(label, status_counts.get(value, 0)) for value, label in Message.Status.choices],
            "counts": [(count, *later.get(count.position_id, (0, 0))) for count in counts],
            "held": held,
            "daily_cap": settings.LETTERS_DAILY_CAP_PER_OFFICIAL,
        },
    )


@require_POST
@permission_required("letters.change_message")
def staff_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    message = get_object_or_404(Message, pk=pk, action__slug=slug)
    if request.POST.get("decision") == "release":
        services.message_release(message=message, by=acting_user(request))
        flash.success(request, _("The message is queued for delivery."))
    elif request.POST.get("decision") == "reject":
        services.message_reject(message=message, by=acting_user(request))
        flash.success(request, _("The message will not be sent."))
    return redirect("letters:staff-action", slug=slug)


@require_POST
@permission_required("letters.change_action")
def staff_publish(request: HttpRequest, slug: str) -> HttpResponse:
    action = _get_action_for_staff(slug)
    services.action_publish(action=action, by=acting_user(request))
    flash.success(request, _("The action is published."))
    return redirect("letters:action", slug=slug)


@require_http_methods(["GET", "POST"])
@permission_required("letters.add_action")
def staff_action_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, Action())


@require_http_methods(["GET", "POST"])
@permission_required("letters.change_action")
def staff_action_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _editor(request, _get_action_for_staff(slug))


def _editor(request: HttpRequest, action: Action) -> HttpResponse:
    """The action editor: save, or show the letter as officials would read it in each language (nothing saved)."""
    form = forms.ActionEditorForm(request.POST or None, instance=action)
    status = 200
    if request.method == "POST":
        if form.is_valid() and "preview" not in request.POST:
            saved = services.action_save(
                action=form.instance, positions=list(form.cleaned_data["positions"]), by=acting_user(request)
            )
            flash.success(request, _("The action is saved."))
            return redirect("letters:editor", slug=saved.slug)
        if form.errors:
            status = 400
    sample = _editor_sample(form, action)
    return render(
        request, "letters/staff/editor.html", {"action": action, "form": form, "samples": sample}, status=status
    )


def _editor_sample(form: forms.ActionEditorForm, action: Action) -> list[dict[str, str]]:
    """The preview pane: the letter in each language offered, to a sample official, signed by a sample writer."""
    if form.is_bound:
        if not hasattr(form, "cleaned_data"):
            return []
        data = form.cleaned_data
        original = data.get("language") or "en"
        versions = {original: {f: data.get(f) or "" for f in ("title", "letter_subject", "letter_template")}}
        versions.update(form.translations())
    else:
        versions = {
            code: {"title": v.title, "letter_subject": v.letter_subject, "letter_template": v.letter_template}
            for code in (action.languages or [action.language])
            for v in [action.version(code)]
            if v.language == code
        }
    # The first official the letter would go to, else a minister without a name on record.
    chosen = list(form.cleaned_data.get("positions") or []) if form.is_bound else []
    if chosen:
        holders = selectors.positions_with_holders(Position.objects.filter(pk__in=[p.pk for p in chosen]))
    elif action.pk:
        holders = selectors.action_rule_positions(action)
    else:
        holders = Position.objects.none()
    position = holders.filter(current_term__isnull=False).order_by("pk").first() or Position(
        title=_("Minister of Foreign Affairs"), role="foreign_minister"
    )
    samples = []
    for code, words in versions.items():
        name = position.holder_name if position.pk else ""
        samples.append(
            {
                "language": code,
                "language_name": str(dict(settings.LANGUAGES).get(code, code)),
                "title": words["title"],
                "subject": merge.render(
                    words["letter_subject"], {**SAMPLE_WRITER, "official_name": name, "official_title": position.title}
                ),
                "text": greetings.letter_text(
                    language=code,
                    body=words["letter_template"],
                    official_name=name,
                    role=position.role,
                    name=SAMPLE_WRITER["supporter_name"],
                    town=SAMPLE_WRITER["supporter_town"],
                    state="",
                ),
            }
        )
    return samples


@permission_required("letters.view_message")
def staff_export(request: HttpRequest, slug: str) -> HttpResponse:
    """All messages of an action as CSV; the writers' e-mail addresses only for users who may see supporters."""
    action = _get_action_for_staff(slug)
    with_email = request.user.has_perm("members.view_supporter")
    header = [
        "message",
        "status",
        "state",
        "official_title",
        "official_name",
        "writer_name",
        "writer_town",
        "delivery",
        "written_at",
        "sent_at",
        "last_error",
        "brought_by",
    ]
    if with_email:
        header.append("writer_email")

    def rows() -> Iterator[list[Any]]:
        for message in selectors.messages_for_export(action).iterator(chunk_size=2000):
            letter = message.letter
            # Dates are written in ISO 8601 and None as an empty cell (`csv_export.safe_cell`).
            row = [
                message.pk,
                message.status,
                message.position.state_id,
                message.recipient_title,
                message.recipient_name,
                letter.name,
                letter.town,
                letter.delivery,
                letter.created_at,
                message.sent_at,
                message.last_error,
                letter.referred_by_id,
            ]
            if with_email:
                row.append(letter.supporter.email or "")
            yield row

    response = csv_response(rows(), header=header, filename=f"{action.slug}-messages.csv")
    return response  # type: ignore[return-value]  # streamed: the decorator only passes it on


@permission_required("letters.view_message")
def staff_official_pdf(request: HttpRequest, slug: str, position_id: int) -> HttpResponse:
    """Every letter of the action to one official as one PDF, for delivery by hand or post."""
    action = _get_action_for_staff(slug)
    position = get_object_or_404(Position, pk=position_id)
    content = pdf.letters_pdf(list(selectors.messages_for_official(action, position).select_related("term")))
    response = HttpResponse(content, content_type="application/pdf")
    set_attachment(response, f"{action.slug}-{position.pk}.pdf")
    return response


@permission_required("letters.view_position")
def staff_officials(request: HttpRequest) -> HttpResponse:
    """Positions staff should look at: vacant, without e-mail, unverified, or bouncing."""
    positions = list(selectors.positions_needing_attention()[:500])
    summary = selectors.positions_with_holders().aggregate(
        total=Count("pk"), vacant=Count("pk", filter=Q(current_term__isnull=True))
    )
    return render(
        request,
        "letters/staff/officials.html",
        {"positions": positions, "summary": summary, "today": timezone.localdate()},
    )
