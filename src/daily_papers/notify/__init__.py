"""Telling people where they read (Slack, Discord, Telegram, Feishu, WeCom, e-mail, webhooks).

``redact`` (the secret parts of a channel URL), ``message`` (the pure core: one message per
channel, sized to its limit), ``deliver`` (when to send, the one retry, each channel's
outcome) and ``channels`` (the apprise adapter, the only module that imports apprise).
"""
