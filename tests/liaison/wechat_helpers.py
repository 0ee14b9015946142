"""Requests as WeChat's servers send them, built by hand (and, for safe mode, encrypted by
wechatpy, an independent implementation of the protocol)."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from django.conf import settings
from django.urls import reverse
from wechatpy.crypto import WeChatCrypto

ACCOUNT = "gh_courtexec_test"
TOKEN = "courtexec-test-token-0123456789"
APP_ID = "wx0000000000testapp"
ENCODING_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def configure(settings, mode: str = "safe") -> None:
    """Set up the official account (the settings are empty by default) in ``mode``.

    Each WeChat test module calls it from an autouse fixture with the pytest-django ``settings``.
    """
    settings.WECHAT_TOKEN = TOKEN
    settings.WECHAT_APP_ID = APP_ID
    settings.WECHAT_ENCODING_AES_KEY = ENCODING_AES_KEY
    settings.WECHAT_MESSAGE_MODE = mode


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signed_query(*, timestamp: int | None = None, nonce: str | None = None, **extra) -> dict:
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(6)
    return {
        "signature": sign(settings.WECHAT_TOKEN, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        **extra,
    }


def callback_url(query: dict) -> str:
    return f"{reverse('liaison:wechat-callback')}?{urlencode(query)}"


def text_xml(openid: str, content: str, msg_id: str | None = None) -> str:
    msg_id = msg_id or str(secrets.randbelow(10**18))
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


def event_xml(openid: str, event: str, key: str = "") -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>"
    )


def post_plain(client, xml: str, **query):
    return client.post(callback_url(signed_query(**query)), xml, content_type="text/xml")


def peer(app_id: str | None = None) -> WeChatCrypto:
    return WeChatCrypto(
        settings.WECHAT_TOKEN, settings.WECHAT_ENCODING_AES_KEY, app_id or settings.WECHAT_APP_ID
    )


def post_encrypted(client, xml: str, *, app_id: str | None = None):
    """Safe mode: wechatpy encrypts and signs the body; the query carries both signatures."""
    timestamp, nonce = str(int(time.time())), secrets.token_hex(6)
    envelope = peer(app_id).encrypt_message(xml, nonce, timestamp)
    encrypted = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    query = signed_query(
        timestamp=int(timestamp),
        nonce=nonce,
        encrypt_type="aes",
        msg_signature=sign(settings.WECHAT_TOKEN, timestamp, nonce, encrypted),
    )
    body = (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
    return client.post(callback_url(query), body, content_type="text/xml")


def reply_content(response) -> str:
    """The Content of a plain passive reply."""
    text = response.content.decode()
    return text.split("<Content><![CDATA[")[1].split("]]></Content>")[0]


# --- a stand-in for WeChat's API server ----------------------------------------------------


class FakeWechat(BaseHTTPRequestHandler):
    """Answers like api.weixin.qq.com; ``server.script`` maps a path to a list of answers."""

    def _answer(self, payload):
        self.server.calls.append(
            (urlparse(self.path).path, parse_qs(urlparse(self.path).query), payload)
        )
        answers = self.server.script.get(urlparse(self.path).path, [{"errcode": 0}])
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._answer(None)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self._answer(json.loads(self.rfile.read(length)))

    def log_message(self, *args):
        pass


def fake_wechat_api(settings):
    """Run the stand-in on a free port and point the adapter at it (a fixture's body)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWechat)
    server.calls, server.script = (
        [],
        {"/cgi-bin/token": [{"access_token": "TOKEN-1", "expires_in": 7200}]},
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    configure(settings)
    settings.WECHAT_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.WECHAT_APP_SECRET = "secret"
    yield server
    server.shutdown()
    server.server_close()
