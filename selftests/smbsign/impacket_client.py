#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""An independent SMB2/SMB3 signer for the end-to-end tests: impacket.

impacket (python3-impacket) has its own NTLM, SP800-108 KDF, SMB 3.1.1
preauth hash, HMAC-SHA256 and AES-CMAC signing, none of it shared with
the kernel or Samba. It signs requests but does not check responses; this
helper checks every response itself (MS-SMB2 3.1.4.1: HMAC-SHA256 with the
session key for 2.x, AES-128-CMAC with impacket's signing key for 3.x, over
the message with the Signature field zeroed).

  impacket_client.py roundtrip DIALECT SRC BACK
      log on, put SRC as "impacket", get it back into BACK; every response
      after the session setup must be signed, and correctly.
  impacket_client.py tamper DIALECT SRC
      log on, then send one WRITE whose signature has one byte flipped and
      one WRITE sent unsigned (SIGNED flag clear, signature zero): each
      must fail with STATUS_ACCESS_DENIED, and the session must still work.

DIALECT is 2.0.2, 2.1, 3.0 or 3.1.1: impacket 0.10 cannot ask for 3.0.2,
and signs SMB 3.1.1 with AES-CMAC only (it sends no SIGNING_CAPABILITIES).
The server, user and password come from SMBSIGN_E2E_{HOST,USER,PASS}
(share "share"), the port from SMBSIGN_E2E_PORT (default 445). Exit status: 0 pass, 1 fail, 2 usage, 4 impacket missing.
"""

import hashlib
import hmac
import os
import sys

try:
    from Cryptodome.Cipher import AES
    from Cryptodome.Hash import CMAC
    from impacket import smb3structs as s3
    from impacket.smbconnection import SMBConnection, SessionError
except ImportError as e:
    print(f"impacket is not installed (python3-impacket): {e}")
    sys.exit(4)

DIALECTS = {
    "2.0.2": s3.SMB2_DIALECT_002,
    "2.1": s3.SMB2_DIALECT_21,
    "3.0": s3.SMB2_DIALECT_30,
    "3.1.1": s3.SMB2_DIALECT_311,
}
STATUS_PENDING = 0x00000103
STATUS_ACCESS_DENIED = 0xC0000022
FLAGS_SIGNED = 0x00000008
SHARE = "share"
NAME = "impacket"


class Fail(Exception):
    pass


class Checker:
    """Checks the signature of every response impacket receives."""

    def __init__(self, smb):
        self.smb = smb
        self.checked = 0
        self.unsigned = []
        recv = smb.recvSMB

        def checked_recv(packet_id=None):
            packet = recv(packet_id)
            self.check(packet.rawData)
            return packet

        smb.recvSMB = checked_recv

    def expect_all_signed(self):
        if self.unsigned:
            raise Fail("unsigned responses: " + "; ".join(
                f"command {c:#x} status {st:#x}" for c, st in self.unsigned[:5]))

    def expected(self, raw):
        msg = raw[:48] + bytes(16) + raw[64:]
        session = self.smb._Session
        if self.smb.getDialect() in (s3.SMB2_DIALECT_002, s3.SMB2_DIALECT_21):
            return hmac.new(session["SessionKey"], msg, hashlib.sha256).digest()[:16]
        mac = CMAC.new(session["SigningKey"], ciphermod=AES)
        mac.update(msg)
        return mac.digest()

    def check(self, raw):
        session = self.smb._Session
        if not session.get("SigningActivated") or len(raw) < 64:
            return
        flags = int.from_bytes(raw[16:20], "little")
        status = int.from_bytes(raw[8:12], "little")
        command = int.from_bytes(raw[12:14], "little")
        if not flags & FLAGS_SIGNED:
            # MS-SMB2 3.2.5.1.3: interim responses are not signed.
            if status != STATUS_PENDING:
                self.unsigned.append((command, status))
            return
        if not hmac.compare_digest(raw[48:64], self.expected(raw)):
            raise Fail(f"response (command {command:#x}, status {status:#x}) "
                       f"has a bad signature {raw[48:64].hex()}, expected "
                       f"{self.expected(raw).hex()}")
        self.checked += 1


def connect(dialect):
    host = os.environ.get("SMBSIGN_E2E_HOST", "127.0.0.1")
    port = int(os.environ.get("SMBSIGN_E2E_PORT", "445"))
    conn = SMBConnection(host, host, sess_port=port,
                         preferredDialect=DIALECTS[dialect])
    checker = Checker(conn.getSMBServer())
    conn.login(os.environ["SMBSIGN_E2E_USER"], os.environ["SMBSIGN_E2E_PASS"])
    smb = conn.getSMBServer()
    if smb.getDialect() != DIALECTS[dialect]:
        raise Fail(f"negotiated dialect {smb.getDialect():#x}, asked for {dialect}")
    if not smb._Session.get("SigningActivated"):
        raise Fail("impacket did not activate signing")
    return conn, smb, checker


def roundtrip(dialect, src, back):
    conn, _, checker = connect(dialect)
    with open(src, "rb") as f:
        conn.putFile(SHARE, NAME, f.read)
    with open(back, "wb") as f:
        conn.getFile(SHARE, NAME, f.write)
    conn.logoff()
    checker.expect_all_signed()
    if checker.checked < 4:
        raise Fail(f"only {checker.checked} signed responses")
    print(f"SMB {dialect}: {checker.checked} response signatures checked")


def write_with(conn, smb, tid, data, mangle):
    """One WRITE whose signed packet MANGLE changes; returns the error."""
    sign = smb.signSMB

    def mangled(packet):
        sign(packet)
        if packet["Command"] == s3.SMB2_WRITE:
            mangle(packet)

    fid = conn.createFile(tid, NAME)
    smb.signSMB = mangled
    try:
        conn.writeFile(tid, fid, data)
        return None
    except SessionError as e:
        return e.getErrorCode()
    finally:
        smb.signSMB = sign
        conn.closeFile(tid, fid)


def flip(packet):
    sig = bytearray(packet["Signature"])
    sig[0] ^= 0x01
    packet["Signature"] = bytes(sig)


def strip(packet):
    packet["Flags"] &= ~FLAGS_SIGNED
    packet["Signature"] = bytes(16)


def tamper(dialect, src):
    conn, smb, checker = connect(dialect)
    with open(src, "rb") as f:
        data = f.read(65536)
    tid = conn.connectTree(SHARE)
    for what, mangle in (("a flipped signature byte", flip),
                         ("no signature", strip)):
        code = write_with(conn, smb, tid, data, mangle)
        if code != STATUS_ACCESS_DENIED:
            got = "success" if code is None else f"{code:#x}"
            raise Fail(f"WRITE with {what}: {got}, expected STATUS_ACCESS_DENIED")
        print(f"SMB {dialect}: WRITE with {what}: STATUS_ACCESS_DENIED")
    # The refusals did not break the session: a correctly signed WRITE works.
    if write_with(conn, smb, tid, data, lambda packet: None) is not None:
        raise Fail("a correctly signed WRITE failed after the refusals")
    conn.disconnectTree(tid)
    conn.logoff()
    # Whether the refusal of a badly signed request is itself signed is
    # the server's choice (its key is not in doubt); all else is signed.
    checker.unsigned = [(c, st) for c, st in checker.unsigned
                        if (c, st) != (s3.SMB2_WRITE, STATUS_ACCESS_DENIED)]
    checker.expect_all_signed()


def main(argv):
    if len(argv) < 3 or argv[2] not in DIALECTS or \
            (argv[1], len(argv)) not in (("roundtrip", 5), ("tamper", 4)):
        print("usage:\n" + "\n\n".join(__doc__.split("\n\n")[2:]), file=sys.stderr)
        return 2
    try:
        if argv[1] == "roundtrip":
            roundtrip(argv[2], argv[3], argv[4])
        else:
            tamper(argv[2], argv[3])
    except (Fail, SessionError, OSError) as e:
        print(f"SMB {argv[2]}: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
