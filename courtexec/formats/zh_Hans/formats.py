"""China's number formats for the zh-hans UI: 1,234,567.89 (Django's defaults have no grouping)."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
