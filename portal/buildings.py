"""An area's buildings: the parts of the area a published staff plan may name, and what a
resident's typed building (5号楼, 5幢, 五号楼, 5栋) is matched to.

A home visit is published as a building or a run of buildings from the area's own list, never as
free text, so no flat number (5号楼301, 五号楼三〇一) can reach the public plan.
"""

import re

DIGITS = {ch: n for n, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
UNITS = {"十": 10, "百": 100}
CHINESE_NUMBER = re.compile(r"[〇零一二两三四五六七八九十百]+")
NUMBER = re.compile(r"\d+")
# A building is a number, then one of these (or nothing): 5号楼, 5号, 5幢, 5栋, 5座.
BUILDING_WORDS = ("号楼", "号", "幢", "栋", "座", "楼")
# No residents' area has more buildings; a larger number is a flat (301), not a building.
LAST_BUILDING = 99


def chinese_to_int(text):
    """三 -> 3, 十二 -> 12, 二十 -> 20, 一百零五 -> 105, 三〇一 -> 301 (read digit by digit)."""
    total, digits = 0, 0
    for ch in text:
        if ch in DIGITS:
            digits = digits * 10 + DIGITS[ch]
        elif ch in UNITS:
            total += (digits or 1) * UNITS[ch]
            digits = 0
        else:
            return None
    return total + digits


def building_number(text):
    """The building number a typed building means (5号楼, 5幢, 5栋, 五号楼, 5 -> 5), or None
    when it is not a plain numbered building (5号楼301 is a flat, not a building)."""
    text = (text or "").strip().replace(" ", "")
    for word in BUILDING_WORDS:
        if text.endswith(word):
            text = text[: -len(word)]
            break
    number = None
    if NUMBER.fullmatch(text) and text.isascii():
        number = int(text)
    elif CHINESE_NUMBER.fullmatch(text):
        number = chinese_to_int(text)
    return number if number is not None and 0 < number <= LAST_BUILDING else None


def match(buildings, typed):
    """The building of `buildings` that `typed` names (by name, or by number), or None."""
    typed = (typed or "").strip()
    if not typed:
        return None
    buildings = list(buildings)
    for building in buildings:
        if building.name == typed:
            return building
    number = building_number(typed)
    if number is None:
        return None
    return next((building for building in buildings if building_number(building.name) == number), None)


NUMBER_TEXT = r"[0-9〇零一二两三四五六七八九十百]+"
RUN = re.compile(
    rf"^\s*(?P<first>{NUMBER_TEXT})\s*(?:号楼|号|幢|栋|座)?\s*(?:[-–—~～至到]\s*(?P<last>{NUMBER_TEXT}))?"
    r"\s*(?:号楼|号|幢|栋|座|楼)?\s*$"
)


def run_numbers(text):
    """(first, last) building numbers of "1–12号楼", "5栋", "一至四号楼"; None for anything else."""
    match = RUN.match(text or "")
    if not match:
        return None
    first = building_number(match.group("first"))
    last = building_number(match.group("last")) if match.group("last") else first
    if first is None or last is None or last < first:
        return None
    return first, last


def span_label(first, last=None):
    """5号楼, or 1–12号楼 for a run of buildings with one suffix (1号楼–沿街商铺 otherwise)."""
    if last is None or last.pk == first.pk:
        return first.name
    for word in BUILDING_WORDS:
        if first.name.endswith(word) and last.name.endswith(word):
            head = first.name[: -len(word)]
            if building_number(first.name) is not None and building_number(last.name) is not None:
                return f"{head}–{last.name}"
    return f"{first.name}–{last.name}"
