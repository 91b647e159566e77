#!/usr/bin/env python3
"""Writes the e-mail fixtures of cli/tests/mail.rs from the documents in docs/.

The messages are written out field by field (not by a MIME library) so that every transfer
encoding, charset and structure is exactly the one the test is about. Run it from this
directory after changing a document; the .eml/.mbox files are committed.
"""
import base64
import quopri

def doc(name):
    with open(f"docs/{name}", "rb") as f:
        return f.read()

A = doc("incident-2.0.xml")   # UTF-8, non-ASCII text
B = doc("incident-1.0.xml")
Q = doc("mbox-quoted.xml")    # has "From " and ">From " lines
BAD = doc("invalid-2.0.xml")  # well-formed, schema-invalid

def crlf(b):
    return b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

def b64(b):
    return base64.encodebytes(b).replace(b"\n", b"\r\n")

def qp(b):
    return crlf(quopri.encodestring(b))

HEAD = (b"From: Example CSIRT <csirt@example.net>\r\n"
        b"To: abuse@example.org\r\n"
        b"Date: Mon, 07 Dec 2026 10:00:00 +0000\r\n"
        b"MIME-Version: 1.0\r\n")

def message(subject, content_type, body, extra=b""):
    return (HEAD + b"Subject: " + subject + b"\r\nMessage-ID: <" + subject.replace(b" ", b"-")
            + b"@example.net>\r\nContent-Type: " + content_type + b"\r\n" + extra + b"\r\n" + body)

def part(headers, body):
    return headers + b"\r\n" + body

def multipart(boundary, parts):
    out = b"This is a multi-part message in MIME format.\r\n"
    for p in parts:
        out += b"\r\n--" + boundary + b"\r\n" + p
    return out + b"\r\n--" + boundary + b"--\r\n"

TEXT = part(b"Content-Type: text/plain; charset=us-ascii\r\n",
            b"Please process the attached IODEF report, not this text.\r\n")

def write(name, data):
    with open(name, "wb") as f:
        f.write(data)

# 1. base64 attachment (REN-ISAC style).
write("base64.eml", message(b"base64 attachment", b'multipart/mixed; boundary="b1"', multipart(b"b1", [
    TEXT,
    part(b'Content-Type: application/xml; name="report.xml"\r\n'
         b'Content-Disposition: attachment; filename="report.xml"\r\n'
         b"Content-Transfer-Encoding: base64\r\n", b64(A)),
])))

# 2. quoted-printable, charset overriding the (absent) declaration: Latin-1 bytes.
latin1 = A.split(b"?>\n", 1)[1].decode("utf-8").encode("iso-8859-1")
write("quoted-printable.eml", message(b"qp latin1", b'multipart/mixed; boundary="b2"', multipart(b"b2", [
    TEXT,
    part(b"Content-Type: text/xml; charset=iso-8859-1\r\n"
         b'Content-Disposition: attachment; filename="latin1.xml"\r\n'
         b"Content-Transfer-Encoding: quoted-printable\r\n", qp(latin1)),
])))

# 3. UTF-16: with a byte-order mark and declaration (base64), and UTF-16LE without either,
#    known only from the charset parameter.
utf16_bom = A.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")
utf16_bom = b"\xff\xfe" + utf16_bom
utf16_bare = A.split(b"?>\n", 1)[1].decode("utf-8").encode("utf-16-le")
write("utf16.eml", message(b"utf16", b'multipart/mixed; boundary="b3"', multipart(b"b3", [
    TEXT,
    part(b'Content-Type: text/xml; charset="UTF-16"\r\n'
         b'Content-Disposition: attachment; filename="bom.xml"\r\n'
         b"Content-Transfer-Encoding: base64\r\n", b64(utf16_bom)),
    part(b"Content-Type: application/xml; charset=utf-16le\r\n"
         b'Content-Disposition: attachment; filename="bare.xml"\r\n'
         b"Content-Transfer-Encoding: base64\r\n", b64(utf16_bare)),
])))

# 4. The body is the document (CIMS style): text/plain, 8bit UTF-8.
write("body.eml", message(b"body", b"text/plain; charset=utf-8", crlf(A),
                          b"Content-Transfer-Encoding: 8bit\r\n"))

# 5. multipart/alternative: the document as text/plain and an HTML rendering.
write("alternative.eml", message(b"alternative", b'multipart/alternative; boundary="b5"', multipart(b"b5", [
    part(b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n", qp(A)),
    part(b"Content-Type: text/html; charset=utf-8\r\n",
         b"<html><body><p>IODEF report MAIL-1</p></body></html>\r\n"),
])))

# 6. A forwarded message (message/rfc822) with the IODEF attachment inside, and a second
#    document (IODEF 1.0) beside it: sections 2.2 and 3.
inner = (b"From: reporter@example.com\r\nTo: csirt@example.net\r\nSubject: incident\r\n"
         b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"inner\"\r\n\r\n"
         + multipart(b"inner", [TEXT, part(b'Content-Type: application/xml\r\n'
                                             b'Content-Disposition: attachment; filename="inner.xml"\r\n'
                                             b"Content-Transfer-Encoding: base64\r\n", b64(A))]))
write("forwarded.eml", message(b"forwarded", b'multipart/mixed; boundary="b6"', multipart(b"b6", [
    part(b"Content-Type: text/plain\r\n", b"Forwarding the report below.\r\n"),
    part(b"Content-Type: message/rfc822\r\n", inner),
    part(b'Content-Type: application/xml; name="old-iodef.xml"\r\n'
         b"Content-Transfer-Encoding: base64\r\n", b64(B)),
])))

# 7. Two documents in one message, 7bit and base64.
write("two-documents.eml", message(b"two", b'multipart/mixed; boundary="b7"', multipart(b"b7", [
    TEXT,
    part(b'Content-Type: application/xml\r\nContent-Disposition: attachment; filename="one.xml"\r\n'
         b"Content-Transfer-Encoding: 7bit\r\n", crlf(B)),
    part(b'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="two.xml"\r\n'
         b"Content-Transfer-Encoding: base64\r\n", b64(A)),
])))

# 8. XML that is not IODEF, no IODEF document.
write("not-iodef.eml", message(b"not iodef", b'multipart/mixed; boundary="b8"', multipart(b"b8", [
    TEXT,
    part(b'Content-Type: application/xml; name="feed.xml"\r\n',
         b'<?xml version="1.0"?>\r\n<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>\r\n'),
    part(b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n", b64(b"\x89PNG\r\n\x1a\n")),
])))

# 9. A part that claims to be IODEF (file name) but is cut short, beside a good one.
write("malformed.eml", message(b"malformed", b'multipart/mixed; boundary="b9"', multipart(b"b9", [
    part(b'Content-Type: application/xml\r\nContent-Disposition: attachment; filename="iodef-report.xml"\r\n'
         b"Content-Transfer-Encoding: base64\r\n", b64(A[: len(A) // 2])),
    part(b'Content-Type: application/xml\r\nContent-Disposition: attachment; filename="good.xml"\r\n'
         b"Content-Transfer-Encoding: base64\r\n", b64(B)),
])))

# 10. A well-formed document that is not schema-valid.
write("invalid.eml", message(b"invalid", b'multipart/mixed; boundary="b10"', multipart(b"b10", [
    TEXT,
    part(b'Content-Type: application/xml\r\nContent-Disposition: attachment; filename="invalid.xml"\r\n'
         b"Content-Transfer-Encoding: base64\r\n", b64(BAD)),
])))

# 11. No document at all.
write("plain.eml", message(b"plain", b"text/plain; charset=us-ascii", b"Hello, nothing to see.\r\n"))

# 12. An mbox file (mboxrd) of three messages: an attachment; a body document whose "From "
#     lines are quoted as ">From " and ">>From "; a message without a document.
def mboxrd(msg):
    out = []
    for line in msg.split(b"\n"):
        stripped = line.lstrip(b">")
        out.append(b">" + line if stripped.startswith(b"From ") else line)
    return b"\n".join(out)

m1 = open("base64.eml", "rb").read()
m2 = message(b"mbox body", b"text/plain; charset=utf-8", crlf(Q), b"Content-Transfer-Encoding: 8bit\r\n")
m3 = open("plain.eml", "rb").read()
mbox = b""
for i, m in enumerate([m1, m2, m3]):
    mbox += b"From csirt@example.net Mon Dec  7 1%d:00:00 2026\n" % i + mboxrd(m.replace(b"\r\n", b"\n")) + b"\n"
write("three.mbox", mbox)
