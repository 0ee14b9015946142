"""Compile the .po catalogues under locale/ to .mo files in pure Python.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``; a fresh machine with only Python
and make has none, so this does the same with polib. ``make install`` calls :func:`compile_all`
without Django settings, so installing never needs a database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
from django.core.management.base import BaseCommand, CommandError

LOCALE_DIR = Path(__file__).resolve().parents[3] / "locale"


def compile_all(report: Callable[[str], None] = print) -> int:
    compiled = 0
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            catalogue = polib.pofile(str(po_path))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{po_path}: {exc}") from exc
        catalogue.save_as_mofile(str(mo_path))
        compiled += 1
        report(f"compiled {po_path.relative_to(LOCALE_DIR)} ({catalogue.percent_translated()}%)")
    return compiled


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo (no gettext tools needed)."

    def handle(self, *args, **options) -> None:
        compiled = compile_all(self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"{compiled} catalogue(s) compiled."))
