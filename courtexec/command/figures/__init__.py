"""Every app's tiles and charts; importing this package registers them (CommandConfig.ready)."""

from courtexec.command.figures import cases, debtors, funds, standby, vehicles  # noqa: F401
