"""Court-scoped admin pages of the vehicles app (each part of the app adds its own below)."""

from __future__ import annotations

# --- vehicles and surveillance ---
# --- impound lifecycle ---
# --- custodians, fees and stock checks ---
