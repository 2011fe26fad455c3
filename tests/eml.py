#!/usr/bin/env python3
"""eml.py EML PDF TXT — reads an .eml missive wrote with Python's email
package (the strict default policy) and prints what a mail client would
see: the decoded headers, the parts, then whether the attachment is the
letter's PDF byte for byte and the body its text: exactly, once the
format=flowed encoding is undone (space-stuffing removed, each soft break's
space cut), and word for word once un-flowed as a reader does (soft-broken
lines joined into paragraphs, RFC 3676 4.2). Exit 1 on any difference."""
import email
import email.policy
import sys
from email.header import decode_header, make_header


def unstuff(lines):
    return [l[1:] if l.startswith(" ") else l for l in lines]


def main():
    eml, pdf, txt = sys.argv[1:4]
    raw = open(eml, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    bad = []
    # Display names through email.header, which joins adjacent
    # encoded-words as RFC 2047 6.2 says; the address parser of Python
    # 3.11 puts a space between them (its own output reads back wrong).
    raw_headers = email.message_from_bytes(raw, policy=email.policy.compat32)
    for name in ("From", "To", "Reply-To", "Subject", "Date", "Message-ID"):
        if msg[name] is None:
            if name != "Reply-To":
                bad.append(f"no {name}")
            continue
        value = str(make_header(decode_header(raw_headers[name])))
        print(f"{name}: {value}")
    for defect in msg.defects:
        bad.append(f"defect {defect!r}")
    print("type:", msg.get_content_type())
    parts = list(msg.iter_parts())
    for part in parts:
        print("part:", part.get_content_type(), part.get_param("charset"), part.get_param("format"),
              part.get_filename())
        for defect in part.defects:
            bad.append(f"part defect {defect!r}")
    text_part = msg.get_body(preferencelist=("plain",))
    attachments = [p for p in msg.iter_attachments()]
    if len(attachments) != 1:
        bad.append(f"{len(attachments)} attachments")
    elif attachments[0].get_content() != open(pdf, "rb").read():
        bad.append("the attachment differs from the letter's PDF")
    else:
        print("attachment: the letter's PDF, byte for byte")
    if any(len(l) > 998 for l in raw.split(b"\r\n")):
        bad.append("a line longer than 998 bytes")
    if b"\n" in raw.replace(b"\r\n", b""):
        bad.append("a bare LF")
    # MIME text has CRLF line breaks (RFC 2046 4.1.1): a reader's are LF.
    body = text_part.get_content().replace("\r\n", "\n")
    lines = unstuff(body.split("\n"))
    soft = sum(1 for l in lines if l.endswith(" "))
    decoded = "\n".join(l[:-1] if l.endswith(" ") else l for l in lines)
    expected = open(txt, encoding="utf-8").read()
    if decoded != expected:
        bad.append("the body is not the letter's text")
    else:
        print(f"body: the letter's text, {soft} soft line breaks")
    # A reader joins soft-broken lines: the words stay those of the text.
    flowed, paragraph = [], ""
    for l in lines:
        paragraph += l
        if not l.endswith(" "):
            flowed.append(paragraph)
            paragraph = ""
    if " ".join("\n".join(flowed).split()) != " ".join(expected.split()):
        bad.append("un-flowed, the words differ from the text")
    for b in bad:
        print("PROBLEM:", b)
    return 1 if bad else 0


sys.exit(main())
