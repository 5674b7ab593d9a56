"""Keeping the committee's own records no longer than needed (PIPL): after the period
settings.OUTREACH_RETENTION gives each kind of record, what identifies a resident goes.

- a home visit or reception case: the household's name, phone and room number, the link to the
  resident's account, the sensitive details and their consent, the free text (what was found,
  the follow-up, the note) and the rating comment; the record is marked ``anonymised_at`` and
  the access log says so;
- a suggestion, once closed: its text, place, photo (the file too), answer, rating comment and
  public wording, the link to the resident and to those who supported it, and the notes of its
  history that could name them; the committee's reason for not accepting it, to whom it went and
  why its deadline was extended say only that they were anonymised (a rejected or transferred
  one must give them); an internal note says when;
- a spot check's finding and what the household said on the callback, with its record (they
  too say only that they were anonymised: a problem found must give its finding);
- the access log's rows, and answered correction requests, are deleted.

What figures count stays: the area, the staff member, the building, the dates, the minutes, the
purpose, service and outcome, the category and status, the rating itself. So a month's or a
quarter's figures are the same before and after. Running it again changes nothing:
``manage.py outreach_retention`` is run daily by a system timer (see the README).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outreach import records
from outreach.models import (
    CorrectionRequest,
    ReceptionCase,
    RecordAccess,
    SpotCheckItem,
    Suggestion,
    SuggestionEvent,
    Visit,
)

# Notes of a suggestion's history that carry free text: what was answered, the rating comment,
# staff's internal notes, the public wording.
FREE_TEXT_EVENTS = [
    SuggestionEvent.Action.ANSWERED,
    SuggestionEvent.Action.RATED,
    SuggestionEvent.Action.NOTE,
    SuggestionEvent.Action.PUBLISHED,
]
# Notes that give the committee's reason, or to whom it went: the history keeps that there was one.
REASON_EVENTS = [
    SuggestionEvent.Action.REJECTED,
    SuggestionEvent.Action.TRANSFERRED,
    SuggestionEvent.Action.EXTENDED,
]


def cutoff(kind, now):
    """Rows of `kind` (a key of settings.OUTREACH_RETENTION) dated before this have been kept long enough."""
    return now - dt.timedelta(days=settings.OUTREACH_RETENTION[kind])


def expired_visits(now):
    return Visit.objects.filter(anonymised_at__isnull=True, at__lt=cutoff("visits", now))


def expired_cases(now):
    return ReceptionCase.objects.filter(anonymised_at__isnull=True, at__lt=cutoff("reception_cases", now))


def expired_suggestions(now):
    """Closed long enough ago, and still holding something that points to someone."""
    identifying = (
        ~Q(text="")
        | ~Q(place="")
        | ~Q(photo="")
        | ~Q(answer="")
        | ~Q(rating_comment="")
        | ~Q(public_text="")
        | Q(resident__isnull=False)
        | Q(followers__isnull=False)
    )
    closed = Suggestion.objects.filter(closed_at__lt=cutoff("suggestions", now))
    return Suggestion.objects.filter(pk__in=closed.filter(identifying).values("pk"))


def expired_accesses(now):
    return RecordAccess.objects.filter(at__lt=cutoff("record_accesses", now))


def expired_corrections(now):
    return CorrectionRequest.objects.filter(handled_at__lt=cutoff("correction_requests", now))


def due(now=None):
    """How many rows of each kind the next run would anonymise or delete."""
    now = now or timezone.now()
    return {
        "visits": expired_visits(now).count(),
        "reception_cases": expired_cases(now).count(),
        "suggestions": expired_suggestions(now).count(),
        "record_accesses": expired_accesses(now).count(),
        "correction_requests": expired_corrections(now).count(),
    }


@transaction.atomic
def run(now=None):
    """Anonymise and delete what has been kept long enough; returns the counts, as ``due`` does."""
    now = now or timezone.now()
    counts = {
        "record_accesses": expired_accesses(now).delete()[1].get(RecordAccess._meta.label, 0),
        "correction_requests": expired_corrections(now).delete()[0],
        "visits": anonymise_records(expired_visits(now), now, found="", follow_up=""),
        "reception_cases": anonymise_records(expired_cases(now), now, note=""),
    }
    expired = list(expired_suggestions(now))
    for suggestion in expired:
        anonymise_suggestion(suggestion, now)
    counts["suggestions"] = len(expired)
    return counts


def anonymised_note():
    """What the log and the history say of it, in the portal's language (Chinese), as stored text."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Anonymised at the end of its retention period.")


def replace_text(rows, note, fields):
    """Each of these fields that says something says `note` instead; an empty one stays empty."""
    for field in fields:
        rows.exclude(**{field: ""}).update(**{field: note})


def anonymise_records(expired, now, **free_text):
    """Clear what identifies the household in these visits or cases, and log it on each."""
    rows = list(expired.select_for_update())
    if not rows:
        return 0
    type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).update(
        household_name="",
        household_phone="",
        room_number="",
        resident=None,
        sensitive="",
        sensitive_consent_at=None,
        rating_comment="",
        anonymised_at=now,
        **free_text,
    )
    field, note = "visit" if isinstance(rows[0], Visit) else "case", anonymised_note()
    replace_text(SpotCheckItem.objects.filter(**{f"{field}__in": rows}), note, ("finding", "callback_result"))
    records.log(rows, None, RecordAccess.Action.ANONYMISED, note=note)
    return len(rows)


def anonymise_suggestion(suggestion, now):
    """Clear what could name the resident or their supporters; the private photo file goes once committed."""
    people = {suggestion.resident_id, *suggestion.followers.values_list("pk", flat=True)} - {None}
    note = anonymised_note()
    suggestion.events.filter(by__in=people).update(by=None)
    suggestion.events.filter(action__in=FREE_TEXT_EVENTS).update(note="")
    replace_text(suggestion.events.filter(action__in=REASON_EVENTS), note, ("note",))
    suggestion.followers.clear()
    if suggestion.photo:
        storage, name = suggestion.photo.storage, suggestion.photo.name
        transaction.on_commit(lambda: storage.delete(name))
    Suggestion.objects.filter(pk=suggestion.pk).update(
        text="", place="", photo="", answer="", rating_comment="", public=False, public_text="", resident=None
    )
    replace_text(Suggestion.objects.filter(pk=suggestion.pk), note, ("reason", "transferred_to", "extension_reason"))
    SuggestionEvent.objects.create(
        suggestion=suggestion, action=SuggestionEvent.Action.NOTE, note=note, internal=True, at=now
    )
