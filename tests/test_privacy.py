"""Redaction of what visitors type (bot/rasa_ext/privacy.py), as a table of real-looking messages.

Each row: the message, the labels it must contain after redaction, and the words that must be gone.
Rows with no labels must come back unchanged. Phone numbers are from Ofcom's ranges for drama
(01632 960xxx, 07700 900xxx, 0113 496 0xxx) and other fictional ranges; the service numbers are
the public ones the assistant itself gives (content/), which are kept on purpose (see the module).
"""

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rasa_ext.privacy import luhn_valid, public_numbers, redact

PHONE, EMAIL, NAME, NUMBER = "[phone number]", "[email address]", "[name]", "[number]"

CASES = [
    # ---- phone numbers, UK formats
    ("call me on (01632) 960123", [PHONE], ["960123", "01632"]),
    ("my mobile is 07700 900123", [PHONE], ["900123"]),
    ("ring 07700.900.123 after 5", [PHONE], ["900.123"]),
    ("text me 07700-900-123 please", [PHONE], ["900-123"]),
    ("my number: 07700900123", [PHONE], ["07700900123"]),
    ("landline 0113 496 0123 or mobile 07700 900 456", [PHONE, PHONE], ["496", "900 456"]),
    ("you can get me on +44 (0)7700 900123", [PHONE], ["900123"]),
    ("+447700900123 is my work phone", [PHONE], ["447700900123"]),
    ("my number is 0044 7700 900123", [PHONE], ["900123"]),
    ("call (0131) 496 0456 any time", [PHONE], ["496 0456"]),
    ("my son is in HMP Addiewell, phone me on 07700 900 123", [PHONE], ["900 123"]),
    # ---- phone numbers, international
    ("she is in the US on +1 (555) 123-4567", [PHONE], ["123-4567"]),
    ("(555) 123-4567 is his number", [PHONE], ["123-4567"]),
    ("french number +33 1 23 45 67 89", [PHONE], ["45 67 89"]),
    ("irish mobile +353 87 123 4567", [PHONE], ["123 4567"]),
    ("polish +48 601 234 567", [PHONE], ["234 567"]),
    # ---- email addresses, including unicode
    ("email jo.bloggs@example.com", [EMAIL], ["jo.bloggs", "example.com"]),
    ("write to first.last+tag@mail.example.co.uk", [EMAIL], ["first.last"]),
    ("zoë@exämple.de wrote to me", [EMAIL], ["zoë"]),
    ("иван@пример.рф", [EMAIL], ["иван"]),
    ("reach me at jo(at)example.com", [EMAIL], ["example.com"]),
    ("my email is O'Neill.Sean@example.org.", [EMAIL], ["Sean"]),
    # ---- National Insurance numbers
    ("my NI number is QQ 12 34 56 C", ["[NI number]"], ["12 34 56"]),
    ("NI QQ123456C", ["[NI number]"], ["QQ123456C"]),
    ("national insurance ab 12 34 56 d", ["[NI number]"], ["12 34 56"]),
    # ---- CHI numbers
    ("my CHI is 0101851234", ["[CHI number]"], ["0101851234"]),
    ("chi number 010185 1234", ["[CHI number]"], ["010185"]),
    ("his chi no is 2512901234 from the GP", ["[CHI number]"], ["2512901234"]),
    # ---- payment cards (Luhn) and bank details
    ("card 4111 1111 1111 1111 please", ["[card number]"], ["1111"]),
    ("card 4111-1111-1111-1111", ["[card number]"], ["4111"]),
    ("my card is 5555555555554444", ["[card number]"], ["5555555555554444"]),
    ("sort code 12-34-56 account 12345678", ["[sort code]", "[account number]"], ["12-34-56", "12345678"]),
    ("sort code is 123456", ["[sort code]"], ["123456"]),
    ("my account number is 12345678", ["[account number]"], ["12345678"]),
    ("pay into 20-00-00 please", ["[sort code]"], ["20-00-00"]),
    # ---- dates of birth, and other full dates
    ("DOB 12/03/1985", ["[date of birth]"], ["1985"]),
    ("born on 3rd March 1985", ["[date of birth]"], ["March 1985"]),
    ("date of birth: 01.02.1990", ["[date of birth]"], ["1990"]),
    ("d.o.b 5-7-88", ["[date of birth]"], ["5-7-88"]),
    ("his birthday is 14 June 2001", ["[date of birth]"], ["June"]),
    ("he gets out on 14/06/2025", ["[date]"], ["14/06/2025"]),
    # ---- prisoner numbers
    ("his prisoner number is 123456", ["[prisoner number]"], ["123456"]),
    ("prisoner number A1234BC", ["[prisoner number]"], ["A1234BC"]),
    ("prison no. 54321 at HMP Barlinnie", ["[prisoner number]"], ["54321"]),
    ("he's A1234BC in the English system", ["[prisoner number]"], ["A1234BC"]),
    # ---- any run of six or more digits
    ("reference 98765432 from the court", [NUMBER], ["98765432"]),
    ("case ref ABC123456", [NUMBER], ["123456"]),
    ("the letter says 9876543210123", [NUMBER], ["9876543210123"]),
    # ---- names
    ("my name is Jo Bloggs and I live in Irvine", [NAME], ["Jo", "Bloggs"]),
    ("my name is jo and i need help", [NAME], [" jo "]),
    ("My name's Sarah.", [NAME], ["Sarah"]),
    ("I'm called Aisha Khan, I stay in Dumfries", [NAME], ["Aisha", "Khan"]),
    ("I am called Grant", [NAME], ["Grant"]),
    ("his name is Kevin, he's in HMP Kilmarnock", [NAME], ["Kevin"]),
    ("her name is Mhairi MacDonald", [NAME], ["Mhairi", "MacDonald"]),
    ("my son's name is Jamie O'Neill", [NAME], ["Jamie", "O'Neill"]),
    ("my son is called Jamie", [NAME], ["Jamie"]),
    ("my sister's called Lauren Bell", [NAME], ["Lauren", "Bell"]),
    ("hi, I'm Sarah", [NAME], ["Sarah"]),
    ("Hello it's Dave here", [NAME], ["Dave"]),
    ("they call me Big Tam", [NAME], ["Tam"]),
    ("Name: John Smith", [NAME], ["John", "Smith"]),
    ("a worker named Fiona helped us", [NAME], ["Fiona"]),
    # ---- postcodes
    ("I live at KA12 8HN in Irvine", ["[postcode]"], ["KA12 8HN"]),
    ("we're in dg1 2ab", ["[postcode]"], ["dg1 2ab"]),
    # ---- several at once
    (
        "I'm called Ann Lee, DOB 02/02/1970, ring 07700 900321 or ann.lee@example.com",
        [NAME, "[date of birth]", PHONE, EMAIL],
        ["Ann", "Lee", "1970", "900321", "ann.lee"],
    ),
    # ---- must NOT be redacted: the services' own numbers, places, prisons, laws, short numbers
    ("is 0800 254 0088 free?", [], []),
    ("call 116 123 now", [], []),
    ("Samaritans 116123", [], []),
    ("I phoned 0800 160 1985 yesterday", [], []),
    ("01563 548 868 is the number I have", [], []),
    ("I rang 01294 317203 but nobody answered", [], []),
    ("08002540088", [], []),
    ("call 999", [], []),
    ("or 111 or 101?", [], []),
    ("what does the 2016 Act say", [], []),
    ("the Community Justice (Scotland) Act 2016", [], []),
    ("40% of people reoffend", [], []),
    ("he got 6 months", [], []),
    ("a 12 month community payback order with 240 hours", [], []),
    ("HMP Kilmarnock visiting times", [], []),
    ("I live in Kilmarnock", [], []),
    ("support in Dumfries, Stranraer or Castle Douglas", [], []),
    ("my brother is in Barlinnie", [], []),
    ("between 2016-2018", [], []),
    ("it costs £1,000,000", [], []),
    ("what is community justice?", [], []),
    ("I'm worried about my brother", [], []),
    ("hi I'm struggling with this", [], []),
    ("can you call me back", [], []),
    ("the service is called Apex", [], []),
    ("my name is not important", [], []),
    ("he gets out on 14 June", [], []),
    ("open 9am to 5pm, Monday to Friday", [], []),
]


def test_the_table_has_enough_rows_of_both_kinds():
    assert len(CASES) >= 60
    assert sum(1 for _, labels, _ in CASES if not labels) >= 20


@pytest.mark.parametrize("text,labels,gone", CASES, ids=[c[0][:40] for c in CASES])
def test_redaction(text, labels, gone):
    redacted = redact(text)
    if not labels:
        assert redacted == text
        return
    for label in labels:
        assert redacted.count(label) >= labels.count(label), redacted
    for detail in gone:
        assert detail not in redacted, redacted


def test_the_service_numbers_come_from_the_content():
    numbers = public_numbers()
    assert {"08002540088", "116123", "08001601985", "01563548868"} <= numbers


def test_luhn():
    assert luhn_valid("4111111111111111") and luhn_valid("5555555555554444")
    assert not luhn_valid("4111111111111112")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_redaction_never_fails_and_is_stable(text):
    once = redact(text)
    assert redact(once) == once  # labels themselves are never redacted again
    assert not re.search(r"\d{6,}", once) or any(n in once for n in public_numbers())


def test_a_long_message_is_redacted_quickly():
    text = ("my name is Jo Bloggs, call 07700 900123 or jo@example.com, DOB 01/02/1990. " * 14)[:1000]
    started = time.perf_counter()
    for _ in range(20):
        redact(text)
    assert (time.perf_counter() - started) / 20 < 0.02
