"""Residents' sign-ups for the sessions of activities that need them: the rules, in one place.

The activity page calls these (and so would an API); a refusal is `SignUpRefused` with an HTTP
status, 400 for a broken rule and 409 when the session is full. Places are counted inside a
transaction that holds the session's row (PostgreSQL) or the database's write lock (SQLite's
IMMEDIATE transactions, docs/architecture.md, race-free booking), so residents racing for the last place cannot
overfill a session.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Occurrence, SignUp
from portal.localtime import show_when
from portal.refusals import Refused

ACTIVE = SignUp.Status.ACTIVE
ONE_SIGNUP = "activities_one_signup"


class SignUpRefused(Refused):
    """A sign-up the rules refuse."""


def with_places_taken(sessions):
    """Sessions annotated with `taken`, the number of active sign-ups, in the same query."""
    return sessions.annotate(taken=Count("signups", filter=Q(signups__status=ACTIVE)))


def places_left(capacity, taken):
    """None when the activity has no limit."""
    return None if capacity is None else max(capacity - taken, 0)


def signed_up_for(resident, sessions):
    """The ids of these sessions the resident holds a place in."""
    if not resident.is_authenticated:
        return set()
    return set(
        SignUp.objects.filter(
            resident=resident, status=ACTIVE, occurrence__in=[session.pk for session in sessions]
        ).values_list("occurrence_id", flat=True)
    )


def check(occurrence, resident, now=None):
    """Raise SignUpRefused if the resident may not sign up for the session (places aside)."""
    now = now or timezone.now()
    activity = occurrence.activity
    if not activity.signup_required or not activity.live:
        raise SignUpRefused(_("This activity does not take sign-ups. Just come along."))
    if resident.area_id != occurrence.area_id:
        raise SignUpRefused(
            _("This activity is for residents of %(area)s. You can sign up for the activities of your own area.")
            % {"area": occurrence.area.name}
        )
    if occurrence.is_cancelled:
        raise SignUpRefused(
            _("This session is cancelled: %(reason)s") % {"reason": occurrence.note}
            if occurrence.note
            else _("This session is cancelled.")
        )
    if occurrence.start <= now:
        raise SignUpRefused(_("This session has already started; sign-up is closed."))


def sign_up(occurrence, resident, now=None):
    """Give the resident a place in the session, or raise SignUpRefused. Returns the SignUp."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Holding the session's row makes every sign-up for it wait its turn, so the count
            # below stays true until this transaction commits.
            occurrence = (
                Occurrence.objects.select_for_update(of=("self",))
                .select_related("activity", "area")
                .get(pk=occurrence.pk)
            )
            check(occurrence, resident, now)
            active = occurrence.signups.filter(status=ACTIVE)
            if active.filter(resident=resident).exists():
                raise already_signed_up(occurrence)
            capacity = occurrence.activity.capacity
            if capacity is not None and active.count() >= capacity:
                raise SignUpRefused(
                    _("Sorry, %(when)s is full. Please choose another session.")
                    % {"when": show_when(occurrence.start, occurrence.end)},
                    status=409,
                )
            return SignUp.objects.create(occurrence=occurrence, resident=resident)
    except IntegrityError as error:
        if ONE_SIGNUP in str(error):
            raise already_signed_up(occurrence) from error
        raise


def already_signed_up(occurrence):
    return SignUpRefused(
        _("You have already signed up for %(when)s.") % {"when": show_when(occurrence.start, occurrence.end)}
    )


def cancel(occurrence, resident, now=None):
    """Give the resident's place back. Returns the cancelled SignUp."""
    now = now or timezone.now()
    with transaction.atomic():
        signup = (
            SignUp.objects.select_for_update().filter(occurrence=occurrence, resident=resident, status=ACTIVE).first()
        )
        if signup is None:
            raise SignUpRefused(_("You are not signed up for this session."))
        if occurrence.start <= now:
            raise SignUpRefused(_("This session has already started; the sign-up can no longer be cancelled."))
        signup.status = SignUp.Status.CANCELLED
        signup.cancelled_at = now
        signup.save(update_fields=["status", "cancelled_at"])
    return signup
