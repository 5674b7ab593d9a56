# Django's own zh_Hans formats use "%Y年%n月%j日" (not valid strptime directives),
# so a date typed the Chinese way fails validation. These accept what people type.
from portal.formats.shared import (  # noqa: F401
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
)

DATE_FORMAT = "Y年n月j日"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
FIRST_DAY_OF_WEEK = 1
