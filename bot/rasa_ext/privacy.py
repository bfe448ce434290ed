"""Redact personal details from what users type before it is stored or logged.

Towns and areas are kept (the assistant needs them); phone numbers, email addresses and
UK postcodes are replaced with a label.
"""
from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
POSTCODE = re.compile(r"\b[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\b")
PHONE = re.compile(r"(?<![\w])(?:\+44\s?|0)(?:[\s-]?\d){9,10}(?!\d)")


def redact(text: str) -> str:
    text = EMAIL.sub("[email address]", text)
    text = PHONE.sub("[phone number]", text)
    return POSTCODE.sub("[postcode]", text)
