"""The roles of BRIEF.md as groups, and the permissions each one carries.

Apps add their models' permissions here; `grant_role_permissions` (run after every migrate)
keeps the groups in step, adding what is listed and never removing what an administrator added, except the
permissions listed in `ROLE_PERMISSIONS_REVOKED`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CAMPAIGNER = "campaigner", _("Campaigner")
    RESEARCHER = "researcher", _("Researcher")
    REVIEWER = "reviewer", _("Research reviewer")
    ORGANISATION_EDITOR = "organisation editor", _("Organisation editor")
    SUPPORTER = "supporter", _("Supporter")


# "app_label.codename" of each permission a role holds.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CAMPAIGNER: [
        # That an e-mail was sent, to whom and with what outcome; never its body (decision 0012).
        "core.view_email",
        "accounts.view_user",
        # members: review applications, keep the registry, read supporters (staff may see their e-mail)
        "members.view_organisation",
        "members.add_organisation",
        "members.change_organisation",
        "members.view_membershipapplication",
        "members.change_membershipapplication",
        "members.view_supporter",
        # States: campaigners keep the national measures (each change logged), facts, events and meetings.
        *(
            f"states.{action}_{model}"
            for action in ("view", "add", "change")
            for model in (
                "nationalmeasure",
                "statefact",
                "treatyevent",
                "meeting",
                "participation",
                "statement",
                "outcomedocument",
                "obligationrecord",
                "stateasks",
            )
        ),
        "states.view_state",
        "states.change_state",
        "states.view_nationalmeasurechange",
        # Events: moderate and keep every event; attendee lists (personal data) for the door and follow-up.
        *(f"events.{action}_event" for action in ("view", "add", "change")),
        "events.moderate_event",
        "events.view_rsvp",
        "events.change_rsvp",
        "events.view_eventreport",
        # Letters: campaigners run actions, keep officials, review held messages and log replies.
        *(
            f"letters.{action}_{model}"
            for action in ("view", "add", "change")
            for model in ("action", "position", "person", "term", "reply")
        ),
        "letters.view_message",
        "letters.change_message",
        "letters.view_letter",
        "letters.view_positionbounce",
        # Research: campaigners read approved figures and records, never casualties' personal data.
        *(f"research.view_{model}" for model in ("casualty", "strike", "contaminatedarea", "report", "source")),
        # Engagement: campaigners see and edit every meeting with officials, follow-up and delegation.
        *(
            f"engagement.{action}_{model}"
            for action in ("view", "add", "change")
            for model in ("officialmeeting", "commitment", "followup", "delegation")
        ),
        # Mailings: campaigners write and send them; a second campaigner approves a large one.
        "mailings.view_mailing",
        "mailings.add_mailing",
        "mailings.change_mailing",
        "mailings.approve_mailing",
        # Campaign pages: campaigners write, translate and publish them, with their pictures and downloads.
        *(f"campaign_site.{action}_page" for action in ("view", "add", "change")),
        *(
            f"campaign_site.{action}_{model}"
            for action in ("view", "add", "change", "delete")
            for model in ("pagetranslation", "pagefile")
        ),
    ],
    # Research: researchers write their organisation's records (object rules in research.selectors);
    # reviewers are coalition staff who approve, import, and may see casualties' personal data.
    Role.RESEARCHER: [
        f"research.{action}_{model}"
        for action in ("view", "add", "change")
        for model in ("casualty", "strike", "contaminatedarea", "report", "attachment", "source")
    ],
    Role.REVIEWER: [
        *(
            f"research.{action}_{model}"
            for action in ("view", "add", "change")
            for model in ("casualty", "strike", "contaminatedarea", "report", "attachment", "source")
        ),
        "research.review_record",
        "research.view_personal_data",
        "research.import_records",
        "research.view_importjob",
        "research.view_recordchange",
    ],
    Role.ORGANISATION_EDITOR: [],
    Role.SUPPORTER: [],
}

# Permissions a role once held and must no longer have: removed from the groups after every migrate.
ROLE_PERMISSIONS_REVOKED: dict[str, list[str]] = {
    # The outbox holds everyone's secret links: the superuser's alone (decision 0012).
    Role.CAMPAIGNER: ["core.view_outboxmessage", "core.change_email", "core.delete_email"],
}


def grant_role_permissions(app_config: Any = None, using: str = "default", **kwargs: Any) -> None:
    """Give each role's group the permissions of the app just migrated, and take back the revoked ones.

    Django sends post_migrate once per app, after that app's permissions exist; doing only that app's share,
    with one write per group, keeps a migrate (and every flush of a test database) from rewriting every
    group's permissions twenty times over. This receiver comes before auth's own (accounts is the first app), so
    it makes the app's permissions first (auth's `create_permissions` adds only what is missing). Called without
    an app, it does every app's."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group

    if app_config is not None:
        create_permissions(app_config, verbosity=0, using=using, apps=kwargs.get("apps", apps))
    labels = {app_config.label} if app_config is not None else {config.label for config in apps.get_app_configs()}
    Group.objects.using(using).bulk_create([Group(name=role) for role in ROLE_PERMISSIONS], ignore_conflicts=True)
    groups = {group.name: group for group in Group.objects.using(using).filter(name__in=ROLE_PERMISSIONS)}
    for role, names in ROLE_PERMISSIONS.items():
        groups[role].permissions.add(*_permissions(names, labels, using))
    for role, names in ROLE_PERMISSIONS_REVOKED.items():
        groups[role].permissions.remove(*_permissions(names, labels, using))


def _permissions(names: list[str], labels: set[str], using: str) -> list[Any]:
    """The Permission rows of `names` ("app_label.codename") that belong to the apps in `labels`."""
    from django.contrib.auth.models import Permission

    wanted = [name.split(".", 1) for name in names if name.split(".", 1)[0] in labels]
    if not wanted:
        return []
    match = Q()
    for label, codename in wanted:
        match |= Q(content_type__app_label=label, codename=codename)
    return list(Permission.objects.using(using).filter(match))
