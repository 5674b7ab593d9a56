"""Input formats both languages accept: 2026-03-05, 2026/3/5 and 2026年3月5日."""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H点%M分", "%H时%M分"]
DATETIME_INPUT_FORMATS = [f"{date} {time}" for date in DATE_INPUT_FORMATS for time in ("%H:%M", "%H:%M:%S")] + [
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日%H点%M分",
]
TIME_FORMAT = "H:i"
