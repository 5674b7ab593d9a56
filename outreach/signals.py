"""Keep suggestion deadlines in step with the holiday calendar."""

from outreach import deadlines
from portal.holidays import when_holidays_change


@when_holidays_change
def recount_deadlines():
    """Deadlines counted through a year nobody had entered are counted again."""
    deadlines.recount_provisional()
