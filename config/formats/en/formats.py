"""English UI keeps Vietnamese day-first dates (the records are Vietnamese)
and only switches to a decimal point."""

from config.formats.vi.formats import *  # noqa: F403

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
