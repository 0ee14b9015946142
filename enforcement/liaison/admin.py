"""Admin of the liaison station: each part registers its own models."""

from enforcement.liaison import admin_portal  # noqa: F401
