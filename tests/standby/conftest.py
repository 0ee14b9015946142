"""Fixtures of the standby tests (each slice's in a module of its own)."""

from tests.standby.roster_fixtures import chief, rotation, teams  # noqa: F401
