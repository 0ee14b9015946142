"""Build the official account's menu and push it to WeChat (or only print it)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from courtexec.channels import DeliveryError
from courtexec.channels.wechat import WechatApi
from enforcement.liaison.wechat.menu import menu


class Command(BaseCommand):
    help = "Create the WeChat official account's menu through WeChat's API (menu/create)."

    def add_arguments(self, parser):
        parser.add_argument("--print", action="store_true", help="Only print the menu JSON.")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            body = menu()
        if options["print"]:
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        try:
            WechatApi().create_menu(body)
        except DeliveryError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("WeChat menu created."))
