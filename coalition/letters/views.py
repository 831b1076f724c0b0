"""Pages of the letters app: the live actions, one action with its letter form, confirmation, the
printable letter, the reply follow-up, and the staff tools (review, counts, exports)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalition.core.audit import acting_user
from coalition.letters import forms, greetings, merge, pdf, selectors, services
from coalition.letters.models import Action, Letter, Message, Position
from coalition.lib.csv_export import csv_response
from coalition.lib.downloads import set_attachment
from coalition.lib.page_cache import public_page
from coalition.lib.permissions import permission_required
from coalition.lib.ratelimit import client_ip, is_limited
from coalition.members.models import Organisation
from coalition.members.selectors import referral_organisation
from coalition.states.models import State

# Fixed paths under /act/ that an action's slug may not take.
RESERVED_SLUGS = frozenset({"confirm", "letter", "replied", "staff", "brought"})


# The writer of the editor's preview.
SAMPLE_WRITER = {"supporter_name": "Ana Example", "supporter_town": "Bergen", "supporter_state": ""}

# --- public ----------------------------------------------------------------------------------------


def actions(request: HttpRequest) -> HttpResponse:
    language = get_language()
    live = [(action, action.version(language)) for action in selectors.actions_live()[:50]]
    return render(request, "letters/actions.html", {"actions": live})


def _rate_limited(request: HttpRequest, email: str) -> bool:
    # Both counters are hit every time, so an address cannot hide behind many IPs nor an IP behind many addresses.
    by_ip = is_limited("letters-submit:ip", client_ip(request), settings.LETTERS_SUBMIT_RATE_PER_IP)
    by_email = bool(email) and is_limited("letters-submit:email", email, settings.LETTERS_SUBMIT_RATE_PER_EMAIL)
    return by_ip or by_email


def _choice(action: Action, data: Any) -> tuple[forms.ChooseStateForm | None, State | None, str]:
    """For the own-state rule: the state form, and the state and constituency chosen (if valid)."""
    if action.target != Action.Target.OWN_STATE:
        return None, None, ""
    states = selectors.action_states(action)
    iso3 = (data.get("state") or "").upper()
    chosen = next((state for state in states if state.iso3 == iso3), None)
    constituencies = selectors.action_constituencies(action, chosen) if chosen else []
    form = forms.ChooseStateForm(
        data if iso3 else None, states=states, constituencies=constituencies, initial={"state": iso3}
    )
    if chosen is None or not form.is_valid():
        return form, None, ""
    return form, chosen, form.cleaned_data.get("constituency") or ""


@public_page
def action(request: HttpRequest, slug: str) -> HttpResponse:
    # A letter reads the action's rules, which the cache keeps (and forgets on change); the page shows
    # its counters, which are read fresh.
    if request.method == "POST":
        return _action_page(request, selectors.action_public_get_cached(slug))
    return _action_page(request, selectors.action_public_get(slug))


def _action_page(request: HttpRequest, found: Action | None, *, preview: bool = False) -> HttpResponse:
    if found is None:
        raise Http404
    action = found
    data: Any = request.POST if request.method == "POST" else request.GET
    choose_form, state, constituency = _choice(action, data)
    targets: list[Position] = []
    if action.target != Action.Target.OWN_STATE or state is not None:
        find_targets = selectors.action_targets if preview else selectors.action_targets_cached
        targets = find_targets(action, state=state, constituency=constituency)
    vacant = [position for position in targets if position.is_vacant]
    targets = [position for position in targets if not position.is_vacant]
    # The letter is written in the version the writer was shown, kept through the POST whatever their language.
    version = action.version(get_language())
    if request.method == "POST" and request.POST.get("letter_language") in dict(settings.LANGUAGES):
        version = action.version(request.POST["letter_language"])
    template = version.letter_template
    if merge.has_fields(template):  # written the old way and not migrated (e.g. restored from a backup)
        template = merge.body_only(template)
    initial = {"body": template, "delivery": Letter.Delivery.EMAIL, "letter_language": version.language}
    form = forms.LetterForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["body"].widget.attrs["lang"] = version.language
    status = 200
    previews: list[tuple[Position, str]] = []
    if request.method == "POST" and not preview:
        if form.caught_bot():
            return redirect("letters:thanks", slug=action.slug)
        if _rate_limited(request, request.POST.get("email", "")):
            form.is_valid()
            form.add_error(None, _("Too many letters from this address. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                previews = [
                    (
                        position,
                        services.letter_text(
                            language=version.language,
                            body=data["body"],
                            name=data["name"],
                            town=data["town"],
                            state=state,
                            position=position,
                        ),
                    )
                    for position in targets
                ]
            else:
                try:
                    letter = services.letter_submit(
                        action=action,
                        name=data["name"],
                        email=data["email"],
                        town=data["town"],
                        body=data["body"],
                        state=state,
                        constituency=constituency,
                        delivery=data["delivery"],
                        consents=form.consents(),
                        language=get_language() or "",
                        letter_language=version.language,
                        referred_by=referral_organisation(request),
                        targets=targets,
                    )
                except services.LetterRejected as exc:
                    form.add_error(None, exc.messages[0])
                    status = 400
                else:
                    url = reverse("letters:thanks", args=[action.slug])
                    if letter.status == Letter.Status.CONFIRMED:
                        url += "?sent=1"
                    return redirect(url)
        else:
            status = 400
    context = {
        "action": action,
        "version": version,
        "preview_mode": preview,
        "choose_form": choose_form,
        "state": state,
        "targets": targets,
        "vacant": vacant,
        "unverified": [position for position in targets if position.is_unverified],
        "without_email": [position for position in targets if not position.email],
        "form": form,
        "previews": previews,
        "by_state": selectors.action_counts_by_state(action),
        "replies": selectors.action_public_replies(action),
        "is_live": action.is_live(),
    }
    return render(request, "letters/action.html", context, status=status)


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    action = selectors.action_public_get(slug)
    if action is None:
        raise Http404
    return render(
        request,
        "letters/thanks.html",
        {
            "action": action,
            "version": action.version(get_language()),
            "sent": request.GET.get("sent") == "1",
            "days": settings.LETTERS_CONFIRM_DAYS,
            "share_url": settings.SITE_URL + action.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST confirms, so mail scanners that open links send nothing."""
    letter = services.letter_from_token(token)
    if letter is None:
        return render(request, "letters/confirm_invalid.html", status=400)
    if request.method == "POST":
        if letter.status == Letter.Status.EXPIRED:
            return render(request, "letters/confirm_invalid.html", status=400)
        services.letter_confirm(letter=letter)
        letter.refresh_from_db()
        return render(
            request,
            "letters/confirmed.html",
            {
                "letter": letter,
                "action": letter.action,
                "version": letter.action.version(get_language()),
                "share_url": settings.SITE_URL + letter.action.get_absolute_url(),
                "next_actions": [
                    (other, other.version(get_language()))
                    for other in selectors.actions_live()[:4]
                    if other.pk != letter.action_id
                ][:3],
                "messages_sent": list(letter.messages.all()),
                "pdf_token": services.letter_token(letter, salt=services.LETTER_LINK_SALT),
            },
        )
    return render(request, "letters/confirm.html", {"letter": letter, "action": letter.action, "token": token})


def _letter_from_link(token: str) -> Letter:
    letter = services.letter_from_token(token, salt=services.LETTER_LINK_SALT, max_age=services.LETTER_LINK_MAX_AGE)
    if letter is None or letter.status != Letter.Status.CONFIRMED or letter.scrubbed_at:
        raise Http404
    return letter


def letter_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The supporter's own letters as a printable PDF, one page per official (for post)."""
    letter = _letter_from_link(token)
    content = pdf.letters_pdf(list(letter.messages.select_related("position", "term").order_by("id")))
    response = HttpResponse(content, content_type="application/pdf")
    set_attachment(response, f"letter-{letter.action.slug}.pdf")
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    letter = _letter_from_link(token)
    sent = list(letter.messages.filter(status=Message.Status.SENT).order_by("id"))
    form = forms.FollowUpForm(request.POST or None, messages=sent)
    if request.method == "POST" and form.is_valid():
        services.message_answer(letter=letter, answers=form.answers())
        flash.success(request, _("Thank you: your answer is recorded."))
        return redirect("letters:action", slug=letter.action.slug)
    return render(request, "letters/follow_up.html", {"letter": letter, "action": letter.action, "form": form})


# --- member organisations --------------------------------------------------------------------------


@login_required
def brought(request: HttpRequest, slug: str) -> HttpResponse:
    """What an organisation's `?ref=` links brought: letters per action. Its editors and staff only."""
    organisation = get_object_or_404(Organisation, slug=slug)
    user = request.user
    may_see = user.has_perm("letters.view_letter") or organisation.editors.filter(pk=user.pk).exists()
    if not may_see:
        raise PermissionDenied
    rows = selectors.letters_brought_by(organisation.pk)
    return render(request, "letters/brought.html", {"organisation": organisation, "rows": rows})


# --- staff -----------------------------------------------------------------------------------------


def _get_action_for_staff(slug: str) -> Action:
    return get_object_or_404(Action, slug=slug)


@permission_required("letters.view_action")
def staff_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The action page as the public will see it, drafts included; nothing can be sent from it."""
    return _action_page(request, _get_action_for_staff(slug), preview=True)


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
            row = [
                message.pk,
                message.status,
                message.position.state_id,
                message.recipient_title,
                message.recipient_name,
                letter.name,
                letter.town,
                letter.delivery,
                letter.created_at.isoformat(),
                message.sent_at.isoformat() if message.sent_at else "",
                message.last_error,
                letter.referred_by_id or "",
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
