"""Case-funds REST API under ``/api/v1/funds/``."""
