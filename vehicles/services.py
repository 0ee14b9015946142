"""Writes of the vehicles app: each in one transaction, checked, recorded in history."""

from __future__ import annotations

# --- vehicles and surveillance ---
# --- impound lifecycle ---
# --- custodians, fees and stock checks ---
