# SPDX-License-Identifier: GPL-2.0
"""SMB2 signing keys as an observer who knows the password derives them.

For tests that must sign a message with a chosen key: smbstorm_wire.py
(its own sessions) and smbmitm.py (the negative matrix's wrong-key rows,
which re-sign a message of a cifs or ksmbd session with the session key
where the signing key belongs, and the reverse). Nothing here knows the
SMB2 header layout: callers pass whole messages, their signature offset
and the GMAC nonce's parts.

  session_key(auth, password)   MS-NLMP 3.3.2, 3.4.5: the ExportedSessionKey
                                of an NTLMv2 AUTHENTICATE_MESSAGE
  kdf(key, label, context)      MS-SMB2 3.1.4.2: SP800-108 counter mode,
                                HMAC-SHA256, one block, L = 128
  preauth(hash, message)        MS-SMB2 3.2.5.2: SHA-512(hash || message)
  signing_key(dialect, session_key, preauth_hash)
  mac(alg, key, message, sig_offset, sig_size, nonce_mid, nonce_flags)
                                MS-SMB2 3.1.4.1: the signature of a message
                                (its signature field taken as zero)
  negotiated_signing(response, hdr_size)
                                MS-SMB2 2.2.4: the algorithm of a 3.1.1
                                NEGOTIATE response's SIGNING_CAPABILITIES

Needs pycryptodome (python3-pycryptodome). smbkeys.py --self-test checks
itself against the MS-SMB2 3.1.1 session of smbsign/tests/vectors.c
(preauth hashes, the final response's AES-CMAC signature) and the NTLM
session key against impacket's NTLM client (python3-impacket).
"""

import hashlib
import hmac
import struct
import sys

from Cryptodome.Cipher import AES, ARC4
from Cryptodome.Hash import CMAC, MD4

# MS-SMB2 2.2.3.1.7 SIGNING_CAPABILITIES: the algorithm identifiers.
HMAC_SHA256, AES_CMAC, AES_GMAC = 0, 1, 2
# MS-SMB2 2.2.3.1: negotiate context types; 2.2.3.1.1: SHA-512.
PREAUTH_INTEGRITY_CAPABILITIES, SIGNING_CAPABILITIES = 0x0001, 0x0008
PREAUTH_SHA512 = 0x0001
ALG_NAMES = {HMAC_SHA256: "hmac-sha256", AES_CMAC: "aes-cmac", AES_GMAC: "aes-gmac"}
DIALECT_300, DIALECT_311 = 0x0300, 0x0311
PREAUTH_ZERO = bytes(64)
# The session key of smbsign/tests/vectors.c's first channel (the
# Microsoft blog's SMB 3.1.1 example; smbsign/tests/kdf_kunit.c).
VECTOR_SESSION_KEY = bytes.fromhex("270e1ba896585eeb7af3472d3b4c75a7")

# MS-NLMP 2.2.1.3 AUTHENTICATE_MESSAGE: field offsets (Len, MaxLen, Offset).
NTLMSSP = b"NTLMSSP\x00"
NT_RESPONSE, DOMAIN, USER, SESSION_KEY, FLAGS = 20, 28, 36, 52, 60
NEGOTIATE_UNICODE = 0x00000001
NEGOTIATE_KEY_EXCH = 0x40000000


class KeyError_(Exception):
    """What a message or a password cannot give."""


def _field(msg, at):
    length, _, off = struct.unpack_from("<HHI", msg, at)
    if off + length > len(msg):
        raise KeyError_("AUTHENTICATE_MESSAGE field at %d runs past its end" % at)
    return msg[off:off + length]


def find_authenticate(blob):
    """The NTLM AUTHENTICATE_MESSAGE inside a SESSION_SETUP security
    buffer (raw or in SPNEGO), or None."""
    at = blob.find(NTLMSSP + b"\x03\x00\x00\x00")
    return None if at < 0 else blob[at:]


def session_key(auth, password):
    """MS-NLMP 3.3.2: NTOWFv2 = HMAC-MD5(MD4(UNICODE(password)),
    UNICODE(Uppercase(user) + domain)); SessionBaseKey = HMAC-MD5(NTOWFv2,
    NTProofStr); with NTLMSSP_NEGOTIATE_KEY_EXCH (3.4.5.1) the
    ExportedSessionKey is RC4(KeyExchangeKey, EncryptedRandomSessionKey),
    KeyExchangeKey being SessionBaseKey for NTLMv2 (3.4.5.1 KXKEY)."""
    if len(auth) < FLAGS + 4:
        raise KeyError_("AUTHENTICATE_MESSAGE too short")
    flags = struct.unpack_from("<I", auth, FLAGS)[0]
    enc = "utf-16-le" if flags & NEGOTIATE_UNICODE else "latin-1"
    user = _field(auth, USER).decode(enc)
    domain = _field(auth, DOMAIN).decode(enc)
    nt = _field(auth, NT_RESPONSE)
    if len(nt) <= 24:
        raise KeyError_("not an NTLMv2 response (%d bytes)" % len(nt))
    nt_hash = MD4.new(password.encode("utf-16-le")).digest()
    owf = hmac.new(nt_hash, (user.upper() + domain).encode("utf-16-le"),
                   hashlib.md5).digest()
    base = hmac.new(owf, nt[:16], hashlib.md5).digest()
    if not flags & NEGOTIATE_KEY_EXCH:
        return base
    enc_key = _field(auth, SESSION_KEY)
    if len(enc_key) != 16:
        raise KeyError_("EncryptedRandomSessionKey is %d bytes" % len(enc_key))
    return ARC4.new(base).decrypt(enc_key)


def kdf(key, label, context):
    """SP800-108 counter mode, HMAC-SHA256, one block, L = 128."""
    data = struct.pack(">I", 1) + label + b"\x00" + context + struct.pack(">I", 128)
    return hmac.new(key, data, hashlib.sha256).digest()[:16]


def preauth(value, message):
    """MS-SMB2 3.2.5.2, 3.3.5.4: the next preauth integrity hash value."""
    return hashlib.sha512(value + message).digest()


def signing_key(dialect, skey, preauth_hash=None):
    """MS-SMB2 3.1.4.2 / 3.2.5.3.1: Session.SigningKey."""
    if dialect < DIALECT_300:
        return skey
    if dialect >= DIALECT_311:
        return kdf(skey, b"SMBSigningKey\x00", preauth_hash)
    return kdf(skey, b"SMB2AESCMAC\x00", b"SmbSign\x00")


def default_alg(dialect):
    """The algorithm of a dialect without SIGNING_CAPABILITIES."""
    if dialect < DIALECT_300:
        return HMAC_SHA256
    return AES_CMAC


def mac(alg, key, message, sig_offset, sig_size, nonce_mid=0, nonce_flags=0):
    """MS-SMB2 3.1.4.1: the signature of MESSAGE (its signature field
    taken as zero). AES-GMAC's nonce is the MessageId and NONCE_FLAGS
    (bit 0 a server's message, bit 1 a CANCEL request), 12 bytes."""
    zeroed = bytes(message[:sig_offset]) + bytes(sig_size) + \
        bytes(message[sig_offset + sig_size:])
    if alg == HMAC_SHA256:
        return hmac.new(key, zeroed, hashlib.sha256).digest()[:sig_size]
    if alg == AES_CMAC:
        c = CMAC.new(key, ciphermod=AES)
        c.update(zeroed)
        return c.digest()
    if alg == AES_GMAC:
        g = AES.new(key, AES.MODE_GCM, nonce=struct.pack("<QI", nonce_mid, nonce_flags),
                    mac_len=sig_size)
        g.update(zeroed)
        return g.digest()
    raise KeyError_("no signing algorithm %r" % alg)


def negotiated_signing(elem, hdr_size):
    """The signing algorithm of a SMB 3.1.1 NEGOTIATE response ELEM's
    SIGNING_CAPABILITIES context (MS-SMB2 2.2.4: NegotiateContextCount at
    6 and NegotiateContextOffset at 60 into the body, after the HDR_SIZE
    bytes of the header; 2.2.3.1.7), or None without one."""
    if len(elem) < hdr_size + 64:
        return None
    count = struct.unpack_from("<H", elem, hdr_size + 6)[0]
    at = struct.unpack_from("<I", elem, hdr_size + 60)[0]
    for _ in range(count):
        if at + 8 > len(elem):
            break
        ctype, dlen = struct.unpack_from("<HH", elem, at)
        if ctype == SIGNING_CAPABILITIES and dlen >= 4 and at + 8 + dlen <= len(elem):
            return struct.unpack_from("<H", elem, at + 10)[0]
        at += (8 + dlen + 7) & ~7
    return None


def self_test():
    """TAP lines; exit status 0 when every check holds."""
    import os
    import re
    checks = []
    # The MS-SMB2 3.1.1 session of smbsign/tests/vectors.c (its first
    # channel), the repository's one copy of the published vectors.
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.environ.get("SMBSIGN_TOP", os.path.join(here, "..", ".."))
    with open(os.path.join(top, "smbsign", "tests", "vectors.c"), encoding="ascii") as f:
        text = f.read()
    arrays = {m.group(1): [bytes.fromhex(h) for h in re.findall(r'"([0-9a-f]+)"', m.group(2))]
              for m in re.finditer(r"smbsign_kt_(ch1_\w+)\[\w+\] = \{(.*?)\};", text, re.S)}
    pk, hashes = arrays["ch1_packets"], arrays["ch1_hashes"]
    value, same = PREAUTH_ZERO, len(hashes) == 5
    for p, want in zip(pk[:5], hashes):
        value = preauth(value, p)
        same = same and value == want
    checks.append(("MS-SMB2 3.1.1 vector: the preauth hash after each packet", same))
    key = signing_key(DIALECT_311, VECTOR_SESSION_KEY, value)
    checks.append(("MS-SMB2 3.1.1 vector: the final response's AES-CMAC signature",
                   mac(AES_CMAC, key, pk[5], 48, 16) == pk[5][48:64]))
    try:
        from impacket import ntlm
    except ImportError:
        ntlm = None
        print("# SKIP the NTLM check: python3-impacket is not installed")
    if ntlm:
        for key_exch in (True, False):
            t1 = ntlm.getNTLMSSPType1("", "", signingRequired=True)
            ch = ntlm.NTLMAuthChallenge()
            ch["flags"] = t1["flags"] | ntlm.NTLMSSP_NEGOTIATE_TARGET_INFO
            if not key_exch:
                ch["flags"] &= ~ntlm.NTLMSSP_NEGOTIATE_KEY_EXCH
            ch["challenge"] = bytes.fromhex("0123456789abcdef")
            info = ntlm.AV_PAIRS()
            info[ntlm.NTLMSSP_AV_HOSTNAME] = "SRV".encode("utf-16-le")
            ch["domain_name"] = "DOM".encode("utf-16-le")
            ch["domain_len"] = ch["domain_max_len"] = 6
            ch["domain_offset"] = 56
            ch["TargetInfoFields"] = info.getData()
            ch["TargetInfoFields_len"] = ch["TargetInfoFields_max_len"] = len(info.getData())
            ch["TargetInfoFields_offset"] = 62
            ch["Version"] = bytes(8)
            ch["VersionLen"] = 8
            t3, want = ntlm.getNTLMSSPType3(t1, ch.getData(), "Alice", "s3cret", "WG")
            blob = b"\xa1\x82\x01\x00junk" + t3.getData()
            auth = find_authenticate(blob)
            got = session_key(auth, "s3cret") if auth else None
            bad = session_key(auth, "s3creT") if auth else None
            checks.append(("NTLMv2 session key (KEY_EXCH %s) equals impacket's, "
                           "a wrong password gives another" % ("on" if key_exch else "off"),
                           got == want and bad != want))
    g1 = mac(AES_GMAC, bytes(16), bytes(64), 48, 16, 7, 1)
    checks.append(("AES-GMAC: the nonce's MessageId and role bits change the signature",
                   g1 != mac(AES_GMAC, bytes(16), bytes(64), 48, 16, 7, 0)
                   and g1 != mac(AES_GMAC, bytes(16), bytes(64), 48, 16, 8, 1)))
    checks.append(("the signature field does not enter the MAC",
                   mac(HMAC_SHA256, b"k", bytes(64), 48, 16) ==
                   mac(HMAC_SHA256, b"k", bytes(48) + b"\xff" * 16, 48, 16)))
    for i, (name, ok) in enumerate(checks, 1):
        print("%s %d %s" % ("ok" if ok else "not ok", i, name))
    print("1..%d" % len(checks))
    return 0 if checks and all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    if sys.argv[1:] != ["--self-test"]:
        print("usage: smbkeys.py --self-test", file=sys.stderr)
        sys.exit(2)
    sys.exit(self_test())
