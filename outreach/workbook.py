"""A spot check as a workbook (openpyxl): one sheet of the sampled records, one per staff member.

What leaves the records (docs/architecture.md, personal data): the building but never the room,
the household's name as 张*明 and number as 138****5678, and the checker's words with phone
numbers and the household's name masked too. The sensitive details and what was found on the
visit never leave. Who may export, and the access log, are outreach/spotchecks.py's business.
"""

import io
from itertools import groupby

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from outreach.models import SpotCheckItem, Visit
from outreach.records import masked_household, masked_text
from portal.localtime import local_day

Verdict = SpotCheckItem.Verdict
BOLD = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")
# Characters Excel refuses in a sheet's name, which is at most 31 characters long.
NOT_IN_TITLES = str.maketrans({char: "_" for char in "[]:*?/\\"})
TITLE_LENGTH = 31
FORMULA_STARTS = ("=", "+", "-", "@")


def sampled(check):
    """A check's sampled records in order, with everything a row of the check shows."""
    return check.items.select_related(
        "staff", "visit__building", "visit__resident", "case__building", "case__resident", "case__service"
    )


def staff_name(user):
    return user.get_full_name() or user.get_username()


def kind(record):
    return _("Home visit") if isinstance(record, Visit) else _("Reception case")


def subject(record):
    """What the visit was for, or which service the case was about."""
    if isinstance(record, Visit):
        return record.get_purpose_display()
    return record.service.title if record.service else record.get_outcome_display()


def phone(record):
    return masked_household(record)["phone"]


def masked(text, record):
    """The checker's words as they may leave: numbers, rooms and the household's name masked."""
    return masked_text(text, record)


def as_text(value):
    """A cell's value, never a formula: text a person typed that starts with = (or +, -, @) is
    written as text, so a spreadsheet does not run it."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def verdict(item):
    return item.get_verdict_display() if item.verdict else _("Not checked yet")


def record_row(item):
    record = item.record
    household = masked_household(record)
    return [
        staff_name(item.staff),
        kind(record),
        local_day(record.at),
        household["building"],
        household["name"],
        phone(record),
        subject(record),
        verdict(item),
        masked(item.finding, record),
        masked(item.callback_result, record),
    ]


def headed(sheet, row, widths=()):
    """Append a row of column headings in bold (and set the columns' widths)."""
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for column, width in zip("ABCDEFGHIJ", widths, strict=False):
        sheet.column_dimensions[column].width = width


def records_sheet(sheet, items):
    sheet.title = _("Sampled records")[:TITLE_LENGTH]
    headed(
        sheet,
        [
            _("Staff member"),
            _("Kind"),
            _("Date"),
            _("Building"),
            _("Household"),
            _("Phone"),
            _("Purpose or service"),
            _("Verdict"),
            _("Finding"),
            _("What the household said on the callback"),
        ],
        widths=(12, 10, 12, 10, 10, 14, 16, 12, 40, 40),
    )
    sheet.freeze_panes = "A2"
    for item in items:
        sheet.append([as_text(value) for value in record_row(item)])
        row = sheet[sheet.max_row]
        row[2].number_format = "yyyy-mm-dd"
        for cell in row[8:]:
            cell.alignment = WRAPPED


def staff_sheet(sheet, check, staff, items):
    """One staff member's summary: how many of their records were sampled, each verdict's
    count, and what the checker found."""
    sheet.append([_("Staff member"), staff_name(staff)])
    sheet.append([_("Residents' area"), check.area.name])
    sheet.append([_("Quarter"), check.quarter])
    sheet.append([])
    counts = [sum(item.verdict == value for item in items) for value in Verdict.values]
    headed(
        sheet,
        [_("Sampled"), *(str(label) for label in Verdict.labels), _("Not checked yet")],
        widths=(12, 12, 12, 12, 40, 40),
    )
    sheet.append([len(items), *counts, sum(not item.verdict for item in items)])
    sheet.append([])
    found = [item for item in items if item.finding or item.callback_result]
    if not found:
        sheet.append([_("No findings.")])
        return
    headed(sheet, [_("Date"), _("Kind"), _("Building"), _("Verdict"), _("Finding"), _("What the household said")])
    for item in found:
        row = record_row(item)
        sheet.append([as_text(value) for value in (row[2], row[1], row[3], row[7], row[8], row[9])])
        sheet[sheet.max_row][0].number_format = "yyyy-mm-dd"


def sheet_title(name, taken):
    """A staff member's name as a sheet's name: Excel's characters and length, never twice."""
    base = (name.translate(NOT_IN_TITLES) or "-")[:TITLE_LENGTH]
    title, number = base, 1
    while title.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        title = base[: TITLE_LENGTH - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


def workbook(check):
    """The .xlsx file of a check, as bytes."""
    items = list(sampled(check))
    book = Workbook()
    records_sheet(book.active, items)
    taken = {book.active.title.casefold()}
    by_staff = groupby(sorted(items, key=lambda item: (item.staff_id, item.position)), key=lambda item: item.staff)
    for staff, theirs in by_staff:
        staff_sheet(book.create_sheet(sheet_title(staff_name(staff), taken)), check, staff, list(theirs))
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
