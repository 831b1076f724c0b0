"""Writes of supporters: signing up and confirming, their consent, their links, and their data's erasure."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac

from coalition.accounts.models import User
from coalition.core.audit import Actor, audit_record
from coalition.core.personal_data import DataSubject, personal_data_modules
from coalition.core.services import email_send
from coalition.lib import rows
from coalition.members.consent import CONSENT_TEXTS
from coalition.members.models import ConsentRecord, Organisation, SignUp, Supporter

CONFIRM_SALT = "coalition.members.supporter-confirm"
DATA_LINK_SALT = "coalition.members.supporter-data"
# A link to see, download or erase one's data works for a day; it is sent only to the address itself.
DATA_LINK_MAX_AGE = 60 * 60 * 24


def _email_fingerprint(email: str) -> str:
    """Ties a link to the address without saying it: keyed with SECRET_KEY, so whoever reads the link (it is
    only signed, not encrypted, and sits in mail and server logs) cannot check a guessed address against it."""
    return salted_hmac("coalition.members.supporter-link-address", email).hexdigest()[:16]


def _legacy_email_fingerprint(email: str) -> str:
    # Links sent before the fingerprint was keyed: a plain hash anyone could match to a guessed address.
    # Still accepted while they can be valid (MEMBERS_CONFIRM_DAYS); new links never carry it.
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def supporter_token(supporter: Supporter, *, salt: str, sign_up: SignUp | None = None) -> str:
    # The fingerprint ties the link to the address: once erased, the supporter's links stop working.
    payload: dict[str, Any] = {"s": supporter.pk, "e": _email_fingerprint(supporter.email or "")}
    if sign_up is not None:
        payload["u"] = sign_up.pk  # a confirmation link confirms that submission, and no other
    return signing.dumps(payload, salt=salt)


def _token_payload(token: str, *, salt: str, max_age: int) -> tuple[Supporter, dict[str, Any]] | None:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # also SignatureExpired
        return None
    supporter = Supporter.objects.filter(pk=payload.get("s"), email__isnull=False).first()
    if supporter is None or not supporter.email:
        return None
    given = str(payload.get("e", ""))
    expected = (_email_fingerprint(supporter.email), _legacy_email_fingerprint(supporter.email))
    if not any(constant_time_compare(given, fingerprint) for fingerprint in expected):
        return None
    return supporter, payload


def supporter_from_token(token: str, *, salt: str, max_age: int) -> Supporter | None:
    found = _token_payload(token, salt=salt, max_age=max_age)
    return found[0] if found else None


def _consent_records(
    supporter: Supporter,
    consents: Mapping[str, bool],
    kinds: Iterable[str],
    *,
    source: str,
    language: str,
    now: datetime,
    sign_up: SignUp | None = None,
) -> list[ConsentRecord]:
    """One record a kind, with the consent's text as the person read it (in their language) and its version."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return [
            ConsentRecord(
                supporter=supporter,
                sign_up=sign_up,
                kind=kind,
                granted=bool(consents.get(kind, False)),
                text=str(CONSENT_TEXTS[kind].text),
                text_version=CONSENT_TEXTS[kind].version,
                language=language or settings.LANGUAGE_CODE,
                source=source,
                created_at=now,
            )
            for kind in kinds
        ]


def supporter_sign_up(
    *,
    name: str,
    email: str,
    country: str = "",
    languages: Iterable[str] = (),
    interests: Iterable[str] = (),
    consents: Mapping[str, bool],
    source: str,
    language: str = "",
    referred_by: Organisation | None = None,
) -> Supporter:
    """Sign up, or add a submission to the supporter with the same address (any case); ask for confirmation.

    Nothing is trusted until the address is confirmed, and anyone can type someone else's address: this
    submission's details and consents are kept apart (`SignUp`) and change the supporter only when the link
    sent for this very submission is used. Only a new address's first submission fills in the new row.
    """
    email = email.strip().lower()
    now = timezone.now()
    details: dict[str, Any] = {
        "name": name,
        "country": country,
        "languages": sorted(set(languages)),
        "interests": sorted(set(interests)),
        "language": language,
        "referred_by": referred_by,
    }
    with transaction.atomic():
        supporter = Supporter.objects.select_for_update().filter(email=email).first()
        if supporter is None:
            supporter = Supporter.objects.create(email=email, created_at=now, **details)
        elif supporter.status == Supporter.Status.PENDING:
            # A new submission restarts the expiry, so its own link keeps working; nothing else changes.
            Supporter.objects.filter(pk=supporter.pk).update(created_at=now)
        sign_up = SignUp.objects.create(supporter=supporter, created_at=now, **details)
        ConsentRecord.objects.bulk_create(
            _consent_records(
                supporter, consents, CONSENT_TEXTS, source=source, language=language, now=now, sign_up=sign_up
            )
        )
        email_send(
            to=email,
            template="members-supporter-confirm",
            context={
                "name": name,
                "token": supporter_token(supporter, salt=CONFIRM_SALT, sign_up=sign_up),
                "days": settings.MEMBERS_CONFIRM_DAYS,
            },
            language=language or None,
        )
    return supporter


def _apply_sign_up(supporter: Supporter, sign_up: SignUp) -> None:
    """What a confirmed submission says becomes the supporter's: all of it while the supporter was never
    confirmed (the row may hold a stranger's first submission); for a confirmed supporter, only the blanks
    are filled and languages and interests are added to."""
    if supporter.status == Supporter.Status.PENDING:
        supporter.name, supporter.country, supporter.language = sign_up.name, sign_up.country, sign_up.language
        supporter.languages, supporter.interests = list(sign_up.languages), list(sign_up.interests)
        supporter.referred_by = sign_up.referred_by
    else:
        supporter.name = supporter.name or sign_up.name
        supporter.country = supporter.country or sign_up.country
        supporter.languages = sorted(set(supporter.languages) | set(sign_up.languages))
        supporter.interests = sorted(set(supporter.interests) | set(sign_up.interests))
        # First referral wins: the organisation that brought the supporter keeps the credit.
        supporter.referred_by = supporter.referred_by or sign_up.referred_by


def supporter_confirm(*, token: str) -> Supporter | None:
    """Confirm the address and what the submission this link was sent for said; a second click changes nothing.

    Consent records and details of other submissions (someone else may have typed this address) stay unconfirmed.
    """
    found = _token_payload(token, salt=CONFIRM_SALT, max_age=settings.MEMBERS_CONFIRM_DAYS * 86400)
    if found is None:
        return None
    supporter, payload = found
    now = timezone.now()
    with transaction.atomic():
        supporter = Supporter.objects.select_for_update().get(pk=supporter.pk)
        sign_up = (
            SignUp.objects.select_for_update().filter(pk=payload["u"], supporter=supporter).first()
            if "u" in payload
            else None
        )
        if sign_up is None:
            if "u" in payload:
                return None  # the submission expired or was erased
            consents = ConsentRecord.objects.filter(supporter=supporter, sign_up__isnull=True)  # links from before
        else:
            consents = ConsentRecord.objects.filter(sign_up=sign_up)
            if sign_up.confirmed_at is None:
                _apply_sign_up(supporter, sign_up)
                SignUp.objects.filter(pk=sign_up.pk).update(confirmed_at=now)
        if supporter.status == Supporter.Status.PENDING:
            supporter.status, supporter.confirmed_at = Supporter.Status.CONFIRMED, now
        supporter.save()
        consents.filter(confirmed_at__isnull=True).update(confirmed_at=now)
    return supporter


def supporter_send_data_link(*, email: str, language: str = "") -> bool:
    """E-mail a link to see, download or erase one's data, to a supporter or to a guest who only replied to
    an event (an app's `personal_data.subject_reference` names a record of theirs the link is tied to). The
    page says the same whether or not we know the address, so it cannot be used to find out who supports the
    campaign or comes to an event."""
    email = email.strip().lower()
    if not email:
        return False
    supporter = Supporter.objects.filter(email=email).first()
    token: str | None
    if supporter is not None:
        token, name = supporter_token(supporter, salt=DATA_LINK_SALT), supporter.name
        language = language or supporter.language
    else:
        token, name = _guest_token(email), ""
    if token is None:
        return False
    email_send(
        to=email,
        template="members-supporter-data-link",
        context={"name": name, "token": token},
        language=language or None,
    )
    return True


def _guest_token(email: str) -> str | None:
    for label, module in personal_data_modules():
        find = getattr(module, "subject_reference", None)
        reference = find(email) if find else None
        if reference:
            # Like a supporter's link: the record's number and a keyed fingerprint of the address, so the
            # link says nobody's address and stops working once the record no longer holds it (erased).
            return signing.dumps({"a": label, "r": reference, "e": _email_fingerprint(email)}, salt=DATA_LINK_SALT)
    return None


def data_subject_from_token(token: str) -> DataSubject | None:
    """Whom a "your data" link is for: a supporter (their row), or a guest known by a record of another app;
    None for a link that is forged, expired, or of someone who erased their data."""
    try:
        payload = signing.loads(token, salt=DATA_LINK_SALT, max_age=DATA_LINK_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict):
        return None
    if "s" in payload:
        supporter = supporter_from_token(token, salt=DATA_LINK_SALT, max_age=DATA_LINK_MAX_AGE)
        return DataSubject(email=supporter.email or "", supporter=supporter) if supporter else None
    module = dict(personal_data_modules()).get(str(payload.get("a", "")))
    resolve = getattr(module, "subject_address", None)
    address = resolve(str(payload.get("r", ""))) if resolve else ""
    if not address or not constant_time_compare(str(payload.get("e", "")), _email_fingerprint(address)):
        return None
    # Someone who signed up since replying: their data is all of it, the supporter's included.
    return DataSubject(email=address, supporter=Supporter.objects.filter(email=address).first())


def supporter_erase(*, supporter: Supporter, by: User | Actor) -> Supporter:
    """Erase a supporter and everything every app holds on them (`personal_data_erase`)."""
    personal_data_erase(subject=DataSubject(email=supporter.email or "", supporter=supporter), by=by)
    supporter.refresh_from_db()
    return supporter


def personal_data_erase(*, subject: DataSubject, by: User | Actor) -> None:
    """Erase what every app holds on a person, a supporter or a guest: each app's `personal_data.erase`
    (the supporter's own row here, e-mails, letters, event replies, whose places go to the waiting list) runs
    in one transaction: erasure is all or nothing. `by` is staff, or `Actor.SUBJECT` for the person through
    their own link; the audit entry names a supporter by number only, and a guest not at all.
    """
    now = timezone.now()
    with transaction.atomic():
        if subject.supporter is not None:
            # Locked first: a confirmation clicked at this moment waits, then finds the supporter erased.
            Supporter.objects.select_for_update().filter(pk=subject.supporter.pk).first()
        for _label, module in personal_data_modules():
            module.erase(subject, now)
        if subject.supporter is not None:
            audit_record(by=by, action="supporter.erase", target=subject.supporter)
        else:
            audit_record(by=by, action="guest.erase", target=None, label="guest")


def supporter_forget(*, supporter: Supporter, now: datetime) -> None:
    """Remove a supporter's personal data; keep an anonymous row so counts (by country, by referral) stay right.

    Consent records are kept without a person attached, as the proof of what was agreed, and every
    granted consent is withdrawn. Only the country and referring organisation remain: neither
    identifies a person. Called inside `personal_data_erase` (coalition/members/personal_data.py).
    """
    supporter = Supporter.objects.select_for_update().get(pk=supporter.pk)
    supporter.name = ""
    supporter.email = None
    supporter.languages = []
    supporter.interests = []
    supporter.language = ""
    supporter.status = Supporter.Status.ERASED
    supporter.erased_at = now
    supporter.save()
    # Submissions hold names and countries; their consent records stay, detached, as proof.
    SignUp.objects.filter(supporter=supporter).delete()
    withdrawn = [
        ConsentRecord(
            supporter=supporter,
            kind=kind,
            granted=False,
            text="Withdrawn by erasure",
            text_version="erasure",
            source="erasure",
            created_at=now,
            confirmed_at=now,
        )
        for kind in CONSENT_TEXTS
    ]
    ConsentRecord.objects.bulk_create(withdrawn)


def supporters_expire_unconfirmed(*, now: Any = None) -> int:
    """Delete sign-ups never confirmed within MEMBERS_CONFIRM_DAYS; safe to run any number of times."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.MEMBERS_CONFIRM_DAYS)
    stale = Supporter.objects.filter(status=Supporter.Status.PENDING, created_at__lt=cutoff)
    ConsentRecord.objects.filter(supporter__in=stale).delete()
    count, _per_model = stale.delete()
    # Submissions never confirmed for a supporter who is (what they said never took effect, and never will).
    stale_sign_ups = SignUp.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    ConsentRecord.objects.filter(sign_up__in=stale_sign_ups, confirmed_at__isnull=True).delete()
    stale_sign_ups.delete()
    return count


def supporter_record(
    *,
    name: str,
    email: str,
    country: str = "",
    consents: Mapping[str, bool],
    source: str,
    language: str = "",
    referred_by: Organisation | None = None,
) -> Supporter:
    """Create or update the supporter with this address (any case), with consent records, sending nothing.

    For forms that confirm the address their own way (a letter's confirmation link): the same merge
    rules as `supporter_sign_up`, the consents taking effect with `supporter_mark_confirmed`.
    """
    email = email.strip().lower()
    now = timezone.now()
    # No savepoint: inside a caller's transaction (a letter's) an error rolls back the whole of it anyway,
    # and SAVEPOINT/RELEASE are two statements more on every letter.
    with transaction.atomic(savepoint=False):
        # A new address (the common case) is one INSERT; a known one, or the same new address sent twice at
        # once, conflicts on the unique address and is read back locked, then updated.
        supporter = Supporter(
            name=name, email=email, country=country, language=language, referred_by=referred_by, created_at=now
        )
        if not rows.insert([supporter], skip_conflict=True):
            known = Supporter.objects.select_for_update().filter(email=email).first()
            if known is None:
                # The row it conflicted with was erased or expired in the meantime: the address is free again.
                rows.insert([supporter])
            else:
                supporter = known
                if supporter.status == Supporter.Status.CONFIRMED:
                    supporter.name = supporter.name or name
                    supporter.country = supporter.country or country
                else:
                    supporter.name, supporter.country, supporter.language = name, country, language
                    supporter.created_at = now
                supporter.referred_by = supporter.referred_by or referred_by
                supporter.save()
        rows.insert(
            _consent_records(
                supporter,
                consents,
                [kind for kind in consents if kind in CONSENT_TEXTS],
                source=source,
                language=language,
                now=now,
            )
        )
    return supporter


def supporter_mark_confirmed(*, supporter: Supporter) -> None:
    """The supporter proved the address another way (a letter's confirmation link): confirm it and its consents."""
    now = timezone.now()
    with transaction.atomic():
        Supporter.objects.filter(pk=supporter.pk, status=Supporter.Status.PENDING).update(
            status=Supporter.Status.CONFIRMED, confirmed_at=now
        )
        ConsentRecord.objects.filter(supporter=supporter, confirmed_at__isnull=True).update(confirmed_at=now)
