"""Public pages of the letters app: the live actions, one action with its letter form, confirmation, the
printable letter, the reply follow-up, and what an organisation's links brought. Staff tools: `staff_views`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coalition.letters import forms, merge, pdf, selectors, services, tokens
from coalition.letters.models import Action, Letter, Message, Position
from coalition.lib.downloads import set_attachment
from coalition.lib.forms import fields_of
from coalition.lib.page_cache import public_page
from coalition.lib.public_forms import PostLimit, screen_public_post
from coalition.lib.refusals import show_refusal
from coalition.members.models import Organisation
from coalition.members.selectors import referral_organisation
from coalition.states.models import State

# Fixed paths under /act/ that an action's slug may not take.
RESERVED_SLUGS = frozenset({"confirm", "letter", "replied", "staff", "brought"})

# How often one address may send letters (`coalition.lib.public_forms`).
SUBMIT_LIMIT = PostLimit(
    "letters-submit",
    "LETTERS_SUBMIT_RATE_PER_EMAIL",
    "LETTERS_SUBMIT_RATE_PER_IP",
    message=gettext_lazy("Too many letters from this address. Please try again in an hour."),
)


# --- public ----------------------------------------------------------------------------------------


def actions(request: HttpRequest) -> HttpResponse:
    language = get_language()
    live = [(action, action.version(language)) for action in selectors.actions_live()[:50]]
    return render(request, "letters/actions.html", {"actions": live})


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
        return action_page(request, selectors.action_public_get_cached(slug))
    return action_page(request, selectors.action_public_get(slug))


def action_page(request: HttpRequest, found: Action | None, *, preview: bool = False) -> HttpResponse:
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
        screened = screen_public_post(request, form, SUBMIT_LIMIT)
        if screened == "bot":
            return redirect("letters:thanks", slug=action.slug)
        if screened == "limited":
            status = 429
        elif screened == "valid":
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
                        **fields_of(data, "name", "email", "town", "body", "delivery"),
                        state=state,
                        constituency=constituency,
                        consents=form.consents(),
                        language=get_language() or "",
                        letter_language=version.language,
                        referred_by=referral_organisation(request),
                        targets=targets,
                    )
                except services.LetterRejected as refusal:
                    show_refusal(request, refusal, form=form)
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
    letter = tokens.letter_from_token(token)
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
                "pdf_token": tokens.letter_token(letter, salt=tokens.LETTER_LINK_SALT),
            },
        )
    return render(request, "letters/confirm.html", {"letter": letter, "action": letter.action, "token": token})


def _letter_from_link(token: str) -> Letter:
    letter = tokens.letter_from_token(token, salt=tokens.LETTER_LINK_SALT, max_age=tokens.LETTER_LINK_MAX_AGE)
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
