# SPDX-License-Identifier: GPL-2.0
"""The SMB2 wire side of smbstorm.py: frames, headers, signing, NTLM logon.

A minimal SMB2 client of its own, so that every byte the storm sends is
under its control: smbstorm.py builds a validly signed message, mutates
it and sends it with Conn.send(). The header layout and flags come from
include/linux/smbsign_proto.h (Proto), the one home of those constants;
the command codes and request bodies are MS-SMB2 2.2's.

impacket (python3-impacket) provides the NTLM messages only; keys are
derived (MS-SMB2 3.1.4.2, on 3.1.1 from the preauth hash of the
NEGOTIATE and SESSION_SETUP messages) and messages signed with HMAC-SHA256
(SMB 2.1), AES-128-CMAC (SMB 3.0) or the algorithm a 3.1.1 NEGOTIATE
response chose from the AES-GMAC offered (MS-SMB2 3.1.4.1), by smbkeys.py.
"""

import hashlib
import hmac
import re
import socket
import struct

from impacket import ntlm

import smbkeys

# MS-SMB2 2.2.1: command codes the storm sends.
NEGOTIATE, SESSION_SETUP, LOGOFF, TREE_CONNECT = 0x0, 0x1, 0x2, 0x3
CREATE, CLOSE, FLUSH, READ, WRITE = 0x5, 0x6, 0x7, 0x8, 0x9
CANCEL, ECHO, QUERY_INFO = 0xC, 0xD, 0x10

STATUS_SUCCESS = 0
STATUS_PENDING = 0x00000103
STATUS_MORE_PROCESSING_REQUIRED = 0xC0000016
STATUS_ACCESS_DENIED = 0xC0000022
STATUS_NETWORK_NAME_DELETED = 0xC00000C9
STATUS_USER_SESSION_DELETED = 0xC0000203

# The dialects of the storm's sessions; each signs with another algorithm
# (3.1.1: the AES-GMAC its NEGOTIATE offers, MS-SMB2 2.2.3.1.7).
DIALECTS = {"2.1": 0x0210, "3.0": 0x0300, "3.1.1": 0x0311}
# MS-SMB2 2.2.3.1.1: the preauth integrity salt (any 32 bytes).
SALT = hashlib.sha256(b"smbsign-storm").digest()
# MS-SMB2 2.2.3: SecurityMode SMB2_NEGOTIATE_SIGNING_REQUIRED.
SIGNING_REQUIRED = 0x0002
# The MessageId of an unanswered NEGOTIATE cannot be reused: the storm
# asks for this many credits in every request it builds.
CREDITS_ASKED = 64
# "\x00" then the 24-bit length: RFC 1002 session message (MS-SMB2 2.1).
MAX_FRAME = 0x00FFFFFF


class Fail(Exception):
    """A broken invariant: the storm fails."""


class Hung(Fail):
    """No reply and no close within the time limit: the server hangs."""


class Proto:
    """The SMB2 header constants of include/linux/smbsign_proto.h."""

    def __init__(self, path):
        with open(path, encoding="ascii") as f:
            text = f.read()
        self.v = {m.group(1): int(m.group(2).rstrip("ULul"), 0) for m in
                  re.finditer(r"#define\s+SMBSIGN_(\w+)\s+(0x[0-9a-fA-F]+U?L*|\d+)\b",
                              text)}
        for need in ("HDR_SIZE", "SIG_OFFSET", "HDR_FLAGS", "HDR_NEXT_COMMAND",
                     "HDR_MESSAGE_ID", "HDR_SESSION_ID", "HDR_COMMAND",
                     "HDR_STATUS", "SIG_SIZE", "FLAG_SIGNED",
                     "FLAG_RELATED_OPERATIONS", "FLAG_SERVER_TO_REDIR",
                     "FLAG_ASYNC_COMMAND", "KEY_SIZE"):
            if need not in self.v:
                raise SystemExit(f"{path}: no SMBSIGN_{need}")
        for k, val in self.v.items():
            setattr(self, k, val)


P = None  # set by init()


def init(proto_path):
    global P
    P = Proto(proto_path)
    return P


def u16(b, o):
    return struct.unpack_from("<H", b, o)[0]


def u32(b, o):
    return struct.unpack_from("<I", b, o)[0]


def u64(b, o):
    return struct.unpack_from("<Q", b, o)[0]


def header(cmd, mid, sid=0, tid=0, flags=0, credits=CREDITS_ASKED):
    """MS-SMB2 2.2.1.2: a sync request header, signature zero."""
    return struct.pack("<4sHHIHHIIQIIQ16s", b"\xfeSMB", P.HDR_SIZE, 1, 0,
                       cmd, credits, flags, 0, mid, 0xFEFF, tid, sid,
                       bytes(P.SIG_SIZE))


def put(msg, off, fmt, val):
    b = bytearray(msg)
    struct.pack_into(fmt, b, off, val)
    return bytes(b)


class Signer:
    """Signs and checks one session's messages (MS-SMB2 3.1.4.1) with
    algorithm ALG and the session's signing key KEY."""

    def __init__(self, alg, key):
        self.alg, self.key = alg, key

    def mac(self, data):
        # AES-GMAC's nonce (MS-SMB2 3.1.4.1): the MessageId, bit 0 for a
        # server's message, bit 1 for a CANCEL request; taken from the
        # message as it is, so a flipped flag changes the signature.
        role = 1 if u32(data, P.HDR_FLAGS) & P.FLAG_SERVER_TO_REDIR else 0
        if u16(data, P.HDR_COMMAND) == CANCEL:
            role |= 2
        return smbkeys.mac(self.alg, self.key, data, P.SIG_OFFSET, P.SIG_SIZE,
                           u64(data, P.HDR_MESSAGE_ID), role)

    def sign(self, msg):
        """MSG with SIGNED set and its signature over all of MSG."""
        msg = put(msg, P.HDR_FLAGS, "<I", u32(msg, P.HDR_FLAGS) | P.FLAG_SIGNED)
        return msg[:P.SIG_OFFSET] + self.mac(msg) + msg[P.SIG_OFFSET + P.SIG_SIZE:]

    def good(self, msg):
        return hmac.compare_digest(msg[P.SIG_OFFSET:P.SIG_OFFSET + P.SIG_SIZE],
                                   self.mac(msg))


def chain(msgs):
    """A compound of MSGS: each padded to 8 bytes, NextCommand set
    (MS-SMB2 3.2.4.1.4); the elements still need signing."""
    out = []
    for i, m in enumerate(msgs):
        if i < len(msgs) - 1:
            m += bytes(-len(m) % 8)
            m = put(m, P.HDR_NEXT_COMMAND, "<I", len(m))
        out.append(m)
    return out


def elements(frame):
    """Split a received frame into its messages (by NextCommand)."""
    out, off = [], 0
    while off + P.HDR_SIZE <= len(frame):
        nxt = u32(frame, off + P.HDR_NEXT_COMMAND)
        end = off + nxt if nxt and off + nxt <= len(frame) else len(frame)
        out.append(frame[off:end])
        if end == len(frame) or not nxt:
            break
        off = end
    return out


class Case:
    """One mutated frame: its bytes, the kind and command of each
    MessageId the server takes from it, the length its RFC 1002 header
    claims if not its own, whether the server must close the connection."""

    def __init__(self, cls, payload, kinds, length=None, closes=False):
        self.cls, self.payload, self.kinds = cls, payload, kinds
        self.length, self.closes = length, closes


class Rsp:
    """One response message."""

    def __init__(self, m):
        self.raw = m
        self.status = u32(m, P.HDR_STATUS)
        self.cmd = u16(m, P.HDR_COMMAND)
        self.flags = u32(m, P.HDR_FLAGS)
        self.mid = u64(m, P.HDR_MESSAGE_ID)
        self.sid = u64(m, P.HDR_SESSION_ID)
        self.credits = u16(m, 14)
        self.tid = u32(m, 36)

    @property
    def interim(self):
        return self.status == STATUS_PENDING and self.flags & P.FLAG_ASYNC_COMMAND


class Conn:
    """One TCP connection to the server and its MessageId bookkeeping.

    The server grants MessageIds with credits and takes each one once
    (MS-SMB2 3.3.5.2.3); a request the server never answers keeps its
    credit. next_mid is the next unused MessageId, avail the credits the
    client holds. Every wait for the server is bounded by timeout: no
    answer and no close within it raises Hung.
    """

    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.timeout = timeout
        self.buf = b""
        self.closed = False
        self.next_mid = 0
        self.avail = 1
        self.sid = 0
        self.tid = 0
        self.signer = None
        self.fid = None
        self.dialect = None
        self.alg = None
        # Connection.PreauthIntegrityHashValue (3.1.1, MS-SMB2 3.2.5.2).
        self.preauth = None
        # What a mutated request was made to be, by MessageId, for the
        # storm's failure messages.
        self.notes = {}

    def send(self, payload, length=None):
        """One frame: the RFC 1002 length (LENGTH, or the payload's) and
        PAYLOAD. False if the server has closed the connection."""
        n = len(payload) if length is None else length
        try:
            self.sock.sendall(struct.pack(">I", n & MAX_FRAME) + payload)
            return True
        except (BrokenPipeError, ConnectionResetError):
            self.closed = True
            return False

    def recv(self, what):
        """The next frame's payload, or None when the server closed."""
        while True:
            if len(self.buf) >= 4:
                n = struct.unpack(">I", self.buf[:4])[0] & MAX_FRAME
                if len(self.buf) >= 4 + n:
                    frame, self.buf = self.buf[4:4 + n], self.buf[4 + n:]
                    return frame
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                raise Hung(f"no reply and no close within {self.timeout} s "
                           f"waiting for {what}") from None
            except ConnectionResetError:
                data = b""
            if not data:
                self.closed = True
                return None
            self.buf += data

    def responses(self, what):
        """The responses of the next frame (credits added), or None."""
        frame = self.recv(what)
        if frame is None:
            return None
        rsps = [Rsp(m) for m in elements(frame)]
        for r in rsps:
            self.avail += r.credits
        return rsps

    def take(self, n=1):
        mid = self.next_mid
        self.next_mid += n
        self.avail -= n
        return mid

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
        self.closed = True

    def half_close(self):
        """Tell the server we are done: it must answer with a close."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self.closed = True

    def call(self, msg, what):
        """Send one request and return its final response."""
        mid = u64(msg, P.HDR_MESSAGE_ID)
        if not self.send(msg):
            raise Fail(f"{what}: the server closed the connection")
        while True:
            rsps = self.responses(what)
            if rsps is None:
                raise Fail(f"{what}: the server closed the connection")
            for r in rsps:
                if r.mid == mid and not r.interim:
                    return r


def negotiate_contexts():
    """MS-SMB2 2.2.3.1.1 PREAUTH_INTEGRITY_CAPABILITIES (SHA-512, SALT)
    and 2.2.3.1.7 SIGNING_CAPABILITIES (AES-GMAC only), each 8-aligned."""
    data = [(smbkeys.PREAUTH_INTEGRITY_CAPABILITIES,
             struct.pack("<HHH", 1, len(SALT), smbkeys.PREAUTH_SHA512) + SALT),
            (smbkeys.SIGNING_CAPABILITIES, struct.pack("<HH", 1, smbkeys.AES_GMAC))]
    out = b""
    for ctype, d in data:
        out += b"\0" * (-len(out) % 8) + struct.pack("<HHI", ctype, len(d), 0) + d
    return out, len(data)


def negotiate_req(mid, dialects, credits=CREDITS_ASKED, contexts=True):
    """MS-SMB2 2.2.3 NEGOTIATE, signing required, no capabilities; with
    negotiate_contexts() if it offers 3.1.1 and CONTEXTS."""
    dl = b"".join(struct.pack("<H", d) for d in dialects)
    ctx, count, at = b"", 0, 0
    if contexts and DIALECTS["3.1.1"] in dialects:
        ctx, count = negotiate_contexts()
        at = P.HDR_SIZE + 36 + len(dl)
        dl += b"\0" * (-at % 8)
        at += -at % 8
    body = struct.pack("<HHHHI16sIHH", 36, len(dialects), SIGNING_REQUIRED, 0,
                       0, b"smbsign-storm-01", at, count, 0)
    return header(NEGOTIATE, mid, credits=credits) + body + dl + ctx


def setup_req(mid, sid, blob, flags=0):
    """MS-SMB2 2.2.5 SESSION_SETUP with a raw NTLMSSP token."""
    body = struct.pack("<HBBIIHHQ", 25, flags, SIGNING_REQUIRED, 0, 0,
                       P.HDR_SIZE + 24, len(blob), 0)
    return header(SESSION_SETUP, mid, sid) + body + blob


def negotiate(conn, dialect):
    """Negotiate DIALECT on CONN: its signing algorithm and, on 3.1.1,
    the preauth hash of the NEGOTIATE request and response."""
    msg = negotiate_req(conn.take(), [DIALECTS[dialect]])
    r = conn.call(msg, "NEGOTIATE")
    if r.status != STATUS_SUCCESS:
        raise Fail(f"NEGOTIATE {dialect}: status {r.status:#x}")
    got = u16(r.raw, P.HDR_SIZE + 4)
    if got != DIALECTS[dialect]:
        raise Fail(f"NEGOTIATE {dialect}: the server chose {got:#x}")
    conn.dialect, conn.alg = got, smbkeys.default_alg(got)
    if got < DIALECTS["3.1.1"]:
        return
    conn.preauth = smbkeys.preauth(smbkeys.preauth(smbkeys.PREAUTH_ZERO, msg), r.raw)
    # MS-SMB2 3.3.5.4: a server that knows SIGNING_CAPABILITIES answers it.
    conn.alg = smbkeys.negotiated_signing(r.raw, P.HDR_SIZE)
    if conn.alg is None:
        raise Fail(f"NEGOTIATE {dialect}: no SIGNING_CAPABILITIES in the response")


def login(host, port, timeout, dialect, user, password, share):
    """A connection with a signed user session on DIALECT, a tree
    connected to SHARE and one file open (conn.fid)."""
    conn = Conn(host, port, timeout)
    negotiate(conn, dialect)
    type1 = ntlm.getNTLMSSPType1("", "", signingRequired=True)
    req = setup_req(conn.take(), 0, type1.getData())
    r = conn.call(req, "SESSION_SETUP 1")
    if r.status != STATUS_MORE_PROCESSING_REQUIRED:
        raise Fail(f"SESSION_SETUP 1: status {r.status:#x}")
    # MS-SMB2 3.2.5.3.1: the session's preauth hash goes on from the
    # connection's over every SESSION_SETUP but the final response.
    h = conn.preauth and smbkeys.preauth(smbkeys.preauth(conn.preauth, req), r.raw)
    conn.sid = r.sid
    off, n = u16(r.raw, P.HDR_SIZE + 4), u16(r.raw, P.HDR_SIZE + 6)
    type3, key = ntlm.getNTLMSSPType3(type1, r.raw[off:off + n], user, password, "")
    req = setup_req(conn.take(), conn.sid, type3.getData())
    h = h and smbkeys.preauth(h, req)
    r = conn.call(req, "SESSION_SETUP 2")
    if r.status != STATUS_SUCCESS:
        raise Fail(f"SESSION_SETUP 2: status {r.status:#x}")
    conn.signer = Signer(conn.alg, smbkeys.signing_key(conn.dialect, key, h))
    # MS-SMB2 3.2.5.3.1: the final response is signed (signing required).
    if not r.flags & P.FLAG_SIGNED or not conn.signer.good(r.raw):
        raise Fail(f"SMB {dialect}: the final SESSION_SETUP response is not "
                   f"signed with the {smbkeys.ALG_NAMES.get(conn.alg, conn.alg)} "
                   "key derived here")
    path = f"\\\\{host}\\{share}".encode("utf-16-le")
    msg = header(TREE_CONNECT, conn.take(), conn.sid) + \
        struct.pack("<HHHH", 9, 0, P.HDR_SIZE + 8, len(path)) + path
    r = conn.call(conn.signer.sign(msg), "TREE_CONNECT")
    if r.status != STATUS_SUCCESS:
        raise Fail(f"TREE_CONNECT {share}: status {r.status:#x}")
    conn.tid = r.tid
    r = conn.call(conn.signer.sign(create_req(conn, "storm.dat")), "CREATE")
    if r.status != STATUS_SUCCESS:
        raise Fail(f"CREATE storm.dat: status {r.status:#x}")
    conn.fid = r.raw[P.HDR_SIZE + 64:P.HDR_SIZE + 80]
    return conn


def create_req(conn, name, mid=None, flags=0):
    """MS-SMB2 2.2.13 CREATE, OPEN_IF a regular file for read and write."""
    n = name.encode("utf-16-le")
    body = struct.pack("<HBBIQQIIIIIHHII", 57, 0, 0, 2, 0, 0, 0x0012019F,
                       0x80, 7, 3, 0x40, P.HDR_SIZE + 56, len(n), 0, 0)
    return header(CREATE, conn.take() if mid is None else mid, conn.sid,
                  conn.tid, flags) + body + n
