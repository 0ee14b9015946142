"""The court's WeChat official account (微信公众号): the server protocol (signatures, safe-mode
encryption, XML), binding a person's openid, and the callback that lands messages in threads."""
