"""Writes of membership applications: joining, and staff's review (approve or reject, with an e-mail)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.models import User
from coalition.core.audit import audit_record
from coalition.core.services import email_send, path_in_language
from coalition.lib.refusals import Refused
from coalition.members.models import MembershipApplication, Organisation, OrganisationStatusChange
from coalition.members.organisations import organisation_add_editor, organisation_set_status, organisation_unique_slug

NEEDS_CONFIRMATION_MESSAGE = gettext_lazy(
    "This organisation already exists: approving makes the applicant one of its editors. "
    "Check with its current editors, then tick the box to approve, or reject the application."
)


class NotPending(Refused):
    """The application was already decided (by someone else, or in another tab)."""

    def __init__(self) -> None:
        super().__init__(_("This application was already decided."))


class NeedsConfirmation(Refused):
    """The application names an organisation already on record: approving it needs `confirm_existing`."""

    def __init__(self) -> None:
        super().__init__(NEEDS_CONFIRMATION_MESSAGE, field="confirm_existing")


def _find_organisation(name: str) -> Organisation | None:
    return Organisation.objects.filter(Q(slug=slugify(name)[:80]) | Q(name__iexact=name.strip())).first()


def application_submit(
    *,
    name: str,
    type: str,
    country: str,
    city: str = "",
    website: str = "",
    description: str = "",
    languages: str = "",
    public_email: str = "",
    contact_name: str,
    contact_email: str,
    motivation: str = "",
    language: str = "",
) -> tuple[MembershipApplication, bool]:
    """Record an application; returns (application, is_new).

    The same organisation applying again does not make a second application: the pending one is
    flagged and counted. An organisation already on record gets a new application, flagged for staff.
    """
    contact_email = contact_email.strip().lower()
    applicant = {
        "contact_name": contact_name,
        "contact_email": contact_email,
        "motivation": motivation,
        "language": language,
    }
    with transaction.atomic():
        existing = _find_organisation(name)
        if existing is not None:
            pending = (
                MembershipApplication.objects.select_for_update()
                .filter(organisation=existing, status=MembershipApplication.Status.PENDING)
                .first()
            )
            if pending is not None:
                MembershipApplication.objects.filter(pk=pending.pk).update(
                    times_submitted=F("times_submitted") + 1,
                    flag=f"Applied again on {timezone.localdate().isoformat()} by {contact_email}"[:200],
                )
                pending.refresh_from_db()
                return pending, False
            application = MembershipApplication.objects.create(
                organisation=existing, flag=f"Organisation already on record (status: {existing.status})", **applicant
            )
            return application, True
        organisation = Organisation.objects.create(
            name=name,
            slug=organisation_unique_slug(name),
            type=type,
            country=country,
            city=city,
            website=website,
            description=description,
            languages=languages,
            contact_email=public_email,
            status=Organisation.Status.APPLICANT,
        )
        OrganisationStatusChange.objects.create(
            organisation=organisation, to_status=Organisation.Status.APPLICANT, note="Applied at /members/join/"
        )
        application = MembershipApplication.objects.create(organisation=organisation, **applicant)
        email_send(
            to=contact_email,
            template="members-application-received",
            context={"organisation_name": organisation.name, "contact_name": contact_name},
            language=language or None,
        )
    return application, True


def _lock_pending(application: MembershipApplication) -> MembershipApplication:
    locked = MembershipApplication.objects.select_for_update().select_related("organisation").get(pk=application.pk)
    if locked.status != MembershipApplication.Status.PENDING:
        raise NotPending
    return locked


def _record_decision(
    application: MembershipApplication, status: str, *, by: User, message: str, action: str, **detail: Any
) -> None:
    """Store staff's decision (who, when, the message to the applicant) and put it in the audit trail."""
    application.status = status
    application.decided_by, application.decided_at = by, timezone.now()
    application.decision_message = message
    application.save()
    audit_record(
        by=by,
        action=action,
        target=application,
        label=application.organisation.name,
        detail={"message": message, **detail},
    )


def application_approve(
    *, application: MembershipApplication, by: User, message: str = "", confirm_existing: bool = False
) -> MembershipApplication:
    """Approve: the organisation becomes a member, its contact becomes its editor, and is told by e-mail.

    Anyone can apply in the name of an organisation already on record; approving that makes them one of
    its editors, so staff must say they checked (`confirm_existing`), else NeedsConfirmation and no change.
    """
    with transaction.atomic():
        application = _lock_pending(application)
        if not confirm_existing and application.is_for_existing_organisation():
            raise NeedsConfirmation
        organisation = application.organisation
        previous_status = organisation.status
        organisation_set_status(
            organisation=organisation,
            status=Organisation.Status.MEMBER,
            by=by,
            note="Application approved",
            audited=False,
        )
        editor = organisation_add_editor(
            organisation=organisation, email=application.contact_email, full_name=application.contact_name
        )
        _record_decision(
            application,
            MembershipApplication.Status.APPROVED,
            by=by,
            message=message,
            action="membership.approve",
            organisation_status=[previous_status, organisation.status],
            editor=editor.email,
            existing_organisation_confirmed=confirm_existing,
        )
        context: dict[str, Any] = {
            "organisation_name": organisation.name,
            "organisation_path": path_in_language(organisation.get_absolute_url, application.language),
            "contact_name": application.contact_name,
            "message": message,
            "email": editor.email,
        }
        if not editor.has_usable_password():
            # A link to choose a password, valid PASSWORD_RESET_TIMEOUT (one day); after that "forgot password".
            context["uid"] = urlsafe_base64_encode(force_bytes(editor.pk))
            context["token"] = default_token_generator.make_token(editor)
        email_send(
            to=application.contact_email,
            template="members-application-approved",
            context=context,
            language=application.language or None,
        )
    return application


def application_reject(*, application: MembershipApplication, by: User, message: str = "") -> MembershipApplication:
    with transaction.atomic():
        application = _lock_pending(application)
        _record_decision(
            application, MembershipApplication.Status.REJECTED, by=by, message=message, action="membership.reject"
        )
        email_send(
            to=application.contact_email,
            template="members-application-rejected",
            context={
                "organisation_name": application.organisation.name,
                "contact_name": application.contact_name,
                "message": message,
            },
            language=application.language or None,
        )
    return application
