"""The debtors API (财产查控) under ``/api/v1/debtors/``."""
