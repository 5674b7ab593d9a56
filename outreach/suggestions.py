"""The rules of a suggestion's life, and every write: the web pages, the admin and the API all
call these, so each change is checked, timestamped and attributed once.

已提交 → 已受理 → 处理中 → 已答复 → 已办结, or 不予受理 (with a reason) or 已转办 (to whom).
An answered suggestion is closed by the resident's rating, or by itself 7 days after the
answer; an unsatisfied rating sends it back to 处理中 with a new answer deadline (再次处置).
"""

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach import deadlines
from outreach.models import AnswerTemplate, Suggestion, SuggestionCategory, SuggestionEvent
from portal import outbox, sms
from portal.localtime import local_day, show_date
from portal.models import Area, User
from portal.privacy import mask_text
from portal.refusals import Refused
from portal.workdays import Calendar, add_working_days

Status = Suggestion.Status
Action = SuggestionEvent.Action
RATING_WINDOW = dt.timedelta(days=7)
TEXT_LIMIT = 2000

# Which states each step may leave from.
STEPS = {
    Action.ACCEPTED: {Status.SUBMITTED},
    Action.STARTED: {Status.ACCEPTED},
    Action.ANSWERED: {Status.ACCEPTED, Status.IN_PROGRESS},
    Action.REJECTED: {Status.SUBMITTED, Status.ACCEPTED},
    Action.TRANSFERRED: {Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS},
    Action.EXTENDED: {Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS},
    Action.RATED: {Status.ANSWERED},
    Action.CLOSED: {Status.ANSWERED},
    Action.MERGED: {Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS},
}


class SuggestionRefused(Refused):
    """A step the suggestion rules refuse."""


def _record(suggestion, action, by=None, note="", internal=False, at=None):
    return SuggestionEvent.objects.create(
        suggestion=suggestion, action=action, by=by, note=note, internal=internal, at=at or timezone.now()
    )


def _tell(suggestion, template, **params):
    """Text the resident who filed it and everyone who supports it, once the change is committed."""
    people = [suggestion.resident, *suggestion.followers.all()] if suggestion.pk else []
    phones = {person.phone for person in people if person and person.phone and person.is_active}
    for phone in sorted(phones):
        outbox.text(phone, template, {"number": suggestion.number, **params}, area_id=suggestion.area_id)


def _next_number(area, received_at):
    """The area's next number of the year, 2026-0001 on: the area row is locked while counting, so
    two suggestions filed at once never get the same one."""
    Area.objects.select_for_update().filter(pk=area.pk).first()
    year = local_day(received_at).year
    count = Suggestion.objects.filter(area=area, number__startswith=f"{year}-").count()
    return f"{year}-{count + 1:04d}"


def submit(
    *, area, category, text, place="", public=False, resident=None, recorded_by=None, channel=None, photo=None, now=None
):
    """File a suggestion. `resident` is who it concerns (None for someone without an account);
    `recorded_by` the staff member who took it down on a visit, at the desk or on the phone;
    `photo` a file as outreach/photos.py keeps it."""
    now = now or timezone.now()
    text, place = (text or "").strip(), (place or "").strip()
    errors = {}
    if not text:
        errors["text"] = [_("Please say what the suggestion is about and where.")]
    elif len(text) > TEXT_LIMIT:
        errors["text"] = [
            _("Please keep it to %(limit)s characters (this has %(count)s).")
            % {"limit": TEXT_LIMIT, "count": len(text)}
        ]
    if len(place) > 100:
        errors["place"] = [_("Please keep the place to 100 characters.")]
    if not isinstance(category, SuggestionCategory):
        errors["category"] = [_("Please choose what the suggestion is about.")]
    if resident is not None and resident.area_id != area.pk:
        errors["area"] = [_("Suggestions go to the residents' committee of your own area.")]
    if errors:
        raise SuggestionRefused(_("Please check the suggestion."), errors)
    if channel is None:
        channel = Suggestion.Channel.DESK if recorded_by else Suggestion.Channel.PORTAL
    with transaction.atomic():
        suggestion = Suggestion(
            area=area,
            category=category,
            text=text,
            place=place,
            public=public,
            resident=resident,
            recorded_by=recorded_by,
            channel=channel,
            received_at=now,
            number=_next_number(area, now),
        )
        deadlines.set_due_dates(suggestion)
        if photo is not None:
            suggestion.photo.save(photo.name, photo, save=False)
        suggestion.save()
        _record(suggestion, Action.SUBMITTED, by=recorded_by or resident, at=now)
    return suggestion


def _step(suggestion, action, by, *, now=None, note="", **changes):
    """Move a suggestion on by `action`, from a state that allows it, and note who did it."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if current.status not in STEPS[action]:
            raise SuggestionRefused(
                _("This suggestion is already “%(status)s”: that step is no longer possible.")
                % {"status": current.get_status_display()},
                status=409,
            )
        for name, value in changes.items():
            setattr(current, name, value(now) if callable(value) else value)
        current.save()
        _record(current, action, by=by, note=note, at=now)
    suggestion.refresh_from_db()
    return suggestion


def accept(suggestion, by, *, now=None):
    suggestion = _step(
        suggestion, Action.ACCEPTED, by, now=now, status=Status.ACCEPTED, accepted_at=lambda now: now, handler=by
    )
    _tell(suggestion, "suggestion_accepted", due=sms.in_message_language(show_date, suggestion.answer_due))
    return suggestion


def start(suggestion, by, *, now=None):
    return _step(suggestion, Action.STARTED, by, now=now, status=Status.IN_PROGRESS, handler=by)


def answer(suggestion, by, text, *, now=None):
    text = (text or "").strip()
    if not text:
        raise SuggestionRefused(_("Please write the answer."), {"answer": [_("The answer cannot be empty.")]})
    suggestion = _step(
        suggestion,
        Action.ANSWERED,
        by,
        now=now,
        note=text,
        status=Status.ANSWERED,
        answer=text,
        answered_at=lambda now: now,
        handler=by,
    )
    _tell(suggestion, "suggestion_answered")
    return suggestion


def reject(suggestion, by, reason, *, now=None):
    reason = (reason or "").strip()
    if not reason:
        raise SuggestionRefused(
            _("Please give the reason."), {"reason": [_("Say why the suggestion is not accepted.")]}
        )
    return _step(
        suggestion,
        Action.REJECTED,
        by,
        now=now,
        note=reason,
        status=Status.REJECTED,
        reason=reason[:200],
        closed_at=lambda now: now,
    )


def transfer(suggestion, by, to, *, now=None):
    to = (to or "").strip()
    if not to:
        raise SuggestionRefused(
            _("Please say to whom."), {"transferred_to": [_("Say who takes it over, such as 物业 or 12345.")]}
        )
    return _step(
        suggestion,
        Action.TRANSFERRED,
        by,
        now=now,
        note=to,
        status=Status.TRANSFERRED,
        transferred_to=to[:100],
        closed_at=lambda now: now,
    )


def extend(suggestion, lead, reason, *, now=None):
    """The area lead gives the answer as many working days again, once, for a category that allows it."""
    reason = (reason or "").strip()
    if not suggestion.category.extendable:
        raise SuggestionRefused(_("The deadline of this category cannot be extended."), status=409)
    if suggestion.extension_reason:
        raise SuggestionRefused(_("The deadline has been extended once already."), status=409)
    if not reason:
        raise SuggestionRefused(
            _("Please give the reason."), {"extension_reason": [_("Say why the answer needs more time.")]}
        )
    if not lead.groups.filter(pk=suggestion.area.lead_group_id).exists():
        raise SuggestionRefused(_("Only the area's lead can extend a deadline."), status=403)
    with transaction.atomic():
        suggestion = _step(suggestion, Action.EXTENDED, lead, now=now, note=reason, extension_reason=reason[:200])
        deadlines.set_due_dates(suggestion)
        suggestion.save(update_fields=["answer_due", "due_provisional"])
    return suggestion


def rate(suggestion, resident, rating, comment="", *, now=None):
    """The resident's verdict on the answer: satisfied or fairly satisfied closes it; unsatisfied
    sends it back for another try with a new answer deadline, and the area's lead is told."""
    if rating not in Suggestion.Rating.values:
        raise SuggestionRefused(
            _("Please choose satisfied, fairly satisfied or unsatisfied."),
            {"rating": [_("Please choose satisfied, fairly satisfied or unsatisfied.")]},
        )
    comment = (comment or "").strip()[:500]
    if rating == Suggestion.Rating.UNSATISFIED:
        with transaction.atomic():
            suggestion = _step(
                suggestion,
                Action.RATED,
                resident,
                now=now,
                note=comment,
                rating=rating,
                rating_comment=comment,
                rated_at=lambda now: now,
                status=Status.IN_PROGRESS,
                reopened_at=lambda now: now,
            )
            _record(suggestion, Action.REOPENED, by=resident, at=suggestion.reopened_at)
            deadlines.set_due_dates(suggestion)
            suggestion.save(update_fields=["answer_due", "due_provisional"])
        return suggestion
    return _step(
        suggestion,
        Action.RATED,
        resident,
        now=now,
        note=comment,
        rating=rating,
        rating_comment=comment,
        rated_at=lambda now: now,
        status=Status.CLOSED,
        closed_at=lambda now: now,
    )


def close_unrated(now=None):
    """Close what was answered more than 7 days ago and never rated. Returns how many."""
    now = now or timezone.now()
    closed = 0
    for suggestion in Suggestion.objects.filter(status=Status.ANSWERED, answered_at__lte=now - RATING_WINDOW):
        try:
            _step(suggestion, Action.CLOSED, None, now=now, status=Status.CLOSED, closed_at=lambda now: now)
        except SuggestionRefused:  # rated or changed meanwhile
            continue
        closed += 1
    return closed


def note(suggestion, by, text):
    """An internal note: staff of the area see it, the resident never does."""
    text = (text or "").strip()
    if not text:
        raise SuggestionRefused(_("Please write the note."), {"note": [_("The note cannot be empty.")]})
    return _record(suggestion, Action.NOTE, by=by, note=text, internal=True)


def approve_wording(suggestion, by, text, *, now=None):
    """Staff approve what the public board shows of a suggestion the resident allowed to be shown."""
    text = (text or "").strip()
    if not suggestion.public:
        raise SuggestionRefused(_("The resident did not agree to show this suggestion."), status=409)
    if not text:
        raise SuggestionRefused(
            _("Please write the public wording."), {"public_text": [_("The public wording cannot be empty.")]}
        )
    now = now or timezone.now()
    with transaction.atomic():
        Suggestion.objects.filter(pk=suggestion.pk).update(public_text=text, public_approved_at=now)
        _record(suggestion, Action.PUBLISHED, by=by, note=text, internal=True, at=now)
    suggestion.refresh_from_db()
    return suggestion


def known_names(area):
    """Names the portal knows in the area (its residents and staff), to mask in what the public reads."""
    names = User.objects.filter(area=area).values_list("last_name", "first_name")
    return {f"{last}{first}" for last, first in names if last or first}


def public_answer(suggestion, names):
    """The answer as anyone but the resident who filed it reads it (the board, its A4 sheet, a
    neighbour who supports it): staff write it to the filer, so it may name them or a neighbour;
    numbers are masked, and `names`, the names known_names gives for its area."""
    return mask_text(suggestion.answer, names)


def with_public_answers(shown, area):
    """Each of these suggestions of `area` with its public answer; the area's names looked up once."""
    names = known_names(area)
    return [(suggestion, public_answer(suggestion, names)) for suggestion in shown]


# The steps whose note a supporter (附议) reads too: the committee's reason for not accepting it,
# and to whom it went. The others (the answer as written, the filer's rating comment) are the filer's.
PUBLIC_NOTES = {Action.REJECTED, Action.TRANSFERRED}


def shown_note(event, filer):
    """What a step's note says to a resident following the suggestion: all of it to the one who
    filed it (`filer`), to a supporter only what the committee said of it publicly."""
    return event.note if filer or event.action in PUBLIC_NOTES else ""


def answer_templates(suggestion):
    """The templates staff may start the suggestion's answer from: its area's and those shared by
    every area, for its category or any; never another area's."""
    return (
        AnswerTemplate.objects.filter(Q(area=suggestion.area_id) | Q(area__isnull=True))
        .filter(Q(category=suggestion.category_id) | Q(category__isnull=True))
        .order_by(F("category").asc(nulls_last=True), "sort_order", "pk")
    )


def log_viewed(suggestion, by, note=""):
    """Who opened a suggestion with its resident's details (or its photo), and when
    (docs/architecture.md, personal data)."""
    return _record(suggestion, Action.VIEWED, by=by, note=note, internal=True)


ESCALATE_AFTER = 3  # working days past a deadline before the area's lead is told


def _running_deadline(suggestion):
    return suggestion.accept_due if suggestion.status == Status.SUBMITTED else suggestion.answer_due


def remind_overdue(today=None):
    """The day after a deadline passes, text whoever handles the suggestion (the area's leads
    while nobody has accepted it); 3 working days later, text the leads. Each once per deadline.
    Returns how many texts were sent."""
    today = today or local_day(timezone.now())
    calendar, sent = Calendar(), 0
    for suggestion in Suggestion.objects.overdue(today).select_related("area", "handler"):
        due = _running_deadline(suggestion)
        reminded = set(
            suggestion.events.filter(action=Action.REMINDED, note__endswith=due.isoformat()).values_list(
                "note", flat=True
            )
        )
        leads = [
            lead for lead in User.objects.filter(groups=suggestion.area.lead_group_id, is_active=True) if lead.phone
        ]
        handlers = [suggestion.handler] if suggestion.handler and suggestion.handler.phone else leads
        steps = [("handler", handlers, "suggestion_overdue", {})]
        if add_working_days(due, ESCALATE_AFTER, calendar).value < today:
            steps.append(("lead", leads, "suggestion_escalated", {"area": suggestion.area.name}))
        for who, people, template, extra in steps:
            note = f"{who} {due.isoformat()}"
            if note in reminded:
                continue
            params = {"number": suggestion.number, "due": sms.in_message_language(show_date, due), **extra}
            with transaction.atomic():
                _record(suggestion, Action.REMINDED, note=note, internal=True)
                for person in people:
                    # Once per suggestion, deadline and person, however often the timer runs.
                    outbox.text(
                        person.phone,
                        template,
                        params,
                        area_id=suggestion.area_id,
                        key=f"suggestion:{suggestion.pk}:{note}",
                    )
                    sent += 1
    return sent


def follow(suggestion, resident, *, now=None):
    """A resident of the area supports an open suggestion (附议) and hears about its answer too."""
    if resident.area_id != suggestion.area_id:
        raise SuggestionRefused(_("Suggestions go to the residents' committee of your own area."), status=403)
    if suggestion.resident_id == resident.pk:
        raise SuggestionRefused(_("This is your own suggestion."), status=409)
    if not suggestion.is_open or suggestion.merged_into_id:
        raise SuggestionRefused(_("This suggestion has been dealt with; please make a new one."), status=409)
    with transaction.atomic():
        if not suggestion.followers.filter(pk=resident.pk).exists():
            suggestion.followers.add(resident)
            _record(suggestion, Action.FOLLOWED, by=resident, at=now)
    return suggestion


def merge(duplicate, into, by, *, now=None):
    """Staff merge a duplicate into the suggestion it repeats: whoever filed or supported the
    duplicate follows the other and hears its answer; the duplicate is closed."""
    if duplicate.pk == into.pk or duplicate.area_id != into.area_id:
        raise SuggestionRefused(_("Choose another suggestion of the same area."), {"into": [_("Not this one.")]})
    if not into.is_open or into.merged_into_id:
        raise SuggestionRefused(
            _("Merge into a suggestion still open."), {"into": [_("That suggestion is no longer open.")]}
        )
    with transaction.atomic():
        people = [duplicate.resident, *duplicate.followers.all()]
        into.followers.add(*[person for person in people if person and person.pk != into.resident_id])
        _step(
            duplicate,
            Action.MERGED,
            by,
            now=now,
            note=into.number,
            status=Status.CLOSED,
            merged_into=into,
            closed_at=lambda now: now,
        )
        _record(into, Action.MERGED, by=by, note=duplicate.number, at=now)
    return into
