"""Keep the duty plans in step with the holiday calendar."""

from portal.holidays import when_holidays_change
from staff import plans


@when_holidays_change
def regenerate_plans():
    """Rotas skip holidays: the plans are expanded again."""
    plans.regenerate_all()
