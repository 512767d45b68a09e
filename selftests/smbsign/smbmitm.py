#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""smbmitm - a man-in-the-middle TCP proxy for SMB2 signing tests.

Listens on a port, forwards every connection to an SMB server, and acts
as an attacker on the wire who holds no key: it tampers with, forges,
replays and injects SMB2 messages chosen by rules, so a test can show
that the receiving side rejects them. Everything else passes through
unchanged, and every signed response is checked for a reused AES-GMAC
nonce.

The proxy reads the direct-TCP framing (a zero byte and a 24-bit
big-endian length, RFC 1002 style) and walks the SMB2 headers of each frame
by NextCommand, so it can pick one element of a compound chain. Encrypted
(0xFD 'SMB') and compressed (0xFC 'SMB') frames are never touched: they
are counted and forwarded as they are.

Usage:
  smbmitm.py --listen [HOST:]PORT --connect HOST:PORT [--tamper RULE]...
             [--after FILE] [--control FIFO] [--log FILE] [--password P]
  smbmitm.py --self-test

RULE is DIRECTION:COMMAND:ACTION[:NTH[:OPTION,...]]
  DIRECTION  req (client to server) or resp (server to client)
  COMMAND    an SMB2 command name (READ, WRITE, CREATE, ...) or number
  ACTION     what to do with the chosen message:
    flip-data    change one byte of the payload of a READ response or a
                 WRITE request (other commands: the last byte of the
                 element)
    flip-sig     change one byte of the signature (option byte=K: byte K,
                 0 to 15, of the 16; default 5)
    flip-hdr     change one byte of a signed header field that nothing
                 else checks: the low byte of the Reserved (ProcessId)
                 field of a synchronous message, so that the message
                 would otherwise be valid
    truncate     drop the last byte of the element and keep it well
                 framed: the frame length follows, and the DataLength of
                 a READ response or the Length of a WRITE request is one
                 less (single messages only)
    strip        clear SMB2_FLAGS_SIGNED and zero the signature
    resign       (needs --password) sign the message again with the key
                 of option key=: right, the session's signing key (the
                 signature must come out unchanged); session, the
                 session key itself; signing, the key SMB 3.0 derives
                 from it (MS-SMB2 3.1.4.2) -- with the algorithm the
                 session signs with. Logs right=yes when the signing key
                 the proxy derived reproduces the message's signature,
                 right=no or right=no-keys otherwise
    symlink      (resp:CREATE) replace the element by an error response
                 STATUS_STOPPED_ON_SYMLINK whose Symbolic Link Error
                 Response (MS-SMB2 2.2.2.2.1; in an error context,
                 2.2.2.1, on SMB 3.1.1) points at the relative path of
                 option target=; the signature is left as it was
    as-null      (resp:SESSION_SETUP, Status 0 only) clear SIGNED, zero
    as-guest     the signature and set SessionFlags to IS_NULL (0x0002)
                 or IS_GUEST (0x0001)
    unrequire    (req:NEGOTIATE, req:SESSION_SETUP, which are not signed)
                 clear SMB2_NEGOTIATE_SIGNING_REQUIRED in SecurityMode:
                 the server no longer learns that the client requires
                 signing
    replay       (req) capture the message; on the control command
                 "inject", once its response has passed, send an exact
                 copy to the server (same MessageId: a replay);
                 (resp) capture the response, forwarded as it is, and on
                 "inject" send an exact copy to the client again
    replay-session
                 (req) capture the message of one connection; on
                 "inject" send it on the newest other open connection
                 that has a session, with that connection's SessionId,
                 TreeId and next unused MessageId, signature unchanged:
                 a signed request of session A replayed on session B;
                 (resp) capture one response, forwarded as it is, and
                 put it in place of the next matching response on
                 another connection, with that response's SessionId,
                 MessageId and CreditResponse
    replay-tree  the same with one byte of TreeId changed
    replay-pid   the same with one byte of the Reserved (ProcessId)
                 field changed
    far-mid      the same with MessageId + 2**32 (far outside the
                 window the server granted)
    over-credit  the same with the next unused MessageId and a
                 CreditCharge one more than the credits the server has
                 granted and not yet seen spent
    dup          (req) send a copy of the message right behind it, so
                 that two requests with one MessageId are in flight
  NTH        the first matching message to act on (default 1)
  OPTION     count=K  act on K matching messages from the NTH on
             any      unsigned messages match too
             compound the message is one element of a compound chain
             single   the message is not part of a compound chain
             name=N   the frame holds a CREATE request for the path N
                      (for responses: answers such a frame)
             target=T the symlink target (action symlink)
             byte=K   the signature byte to change (action flip-sig)
             key=K    the key to sign with (action resign)
             wake     (responses) send an RFC 1002 session keepalive to
                      the client right behind the changed response: a
                      client that refuses the response and marks its
                      connection for reconnection notices at once,
                      instead of when its socket's receive timeout ends
With --password, the proxy is an attacker who knows the user's password
(not one who holds no key): from each NTLMv2 logon it sees it derives the
session's keys (smbkeys.py; MS-NLMP 3.3.2, MS-SMB2 3.1.4.2 with the
preauth integrity hash of 3.2.5.2) and logs "keys conn=CONN
session=0xID alg=ALG verified=yes|no|unsigned" (the final SESSION_SETUP
response checked with them), or "keys-failed conn=CONN reason=...".

A matching message has the direction and command of the rule, the SIGNED
flag set (unless "any"), is not an interim (STATUS_PENDING) response and
passes the options. Capturing actions match single messages only. With
--after, messages count only once FILE exists, so a test can mount first
and choose the moment. Each rule acts count times in the proxy's
lifetime; several --tamper rules act independently.

What it answers to is not forwarded: a response to a request that the
proxy injected goes to nobody. A response belongs to the client while the
client has a request with that MessageId outstanding, else to the
injected request.

The control FIFO (--control, created if missing) takes commands, one a
line:
  inject   inject what the capturing rules captured
  report   log one "nonces" line per connection, then "report-done"
  rule R   add the rule R (as --tamper R), counting matching messages
           from now on; logs "rule-added R" or "rule-failed reason=..."
           (one proxy can then serve many cases on one mount)

The log (--log, default stderr) gets one line per event, flushed at once:
  ready HOST:PORT
  open CONN / close conn=CONN by=client|server
  create conn=CONN mid=MID name=PATH options=0xOPTS access=0xACCESS
         (every CREATE request the client sends)
  unsigned conn=CONN mid=MID cmd=NAME (every request the client sends
           unsigned on a session, NEGOTIATE and SESSION_SETUP apart)
  tampered conn=CONN dir=DIR cmd=NAME mid=MID elem=I action=ACTION at=OFF
           [file_offset=N] [target=T] (offsets: OFF within the SMB2
           message, N of the WRITE in the file)
  captured conn=CONN cmd=NAME mid=MID action=ACTION
  injected conn=CONN cmd=NAME mid=MID action=ACTION [charge=N window=W]
           [dir=resp] [from=CONN session=0xID]
  inject-failed reason=...
  answer conn=CONN what=tampered|injected mids=M,.. cmds=C,..
         related=0|1,.. result=response|disconnected statuses=0xS,..
         signed=0|1,.. (what the server answered to a tampered or
         injected request: every element, or that it closed the
         connection first; a missing status is "-")
  dropped conn=CONN mid=MID status=0xS (a response to an injected request)
  nonce-reuse conn=CONN session=0xID mid=MID role=server cancel=0|1
              identical=yes|no first=[TAG] second=[TAG]
  nonces conn=CONN signed_responses=N reused=N
  encrypted conn=CONN dir=DIR (each encrypted frame passed through)
A test waits for "ready" and greps for the others.
"""

import argparse
import hashlib
import os
import socket
import struct
import sys
import threading

try:
    import smbkeys
except ImportError:     # no pycryptodome: no --password
    smbkeys = None

SMB2_MAGIC = b'\xfeSMB'
TRANSFORM_MAGIC = b'\xfdSMB'
COMPRESSION_MAGIC = b'\xfcSMB'
HDR_LEN = 64
SIG_OFF = 48
SIG_LEN = 16
CHARGE_OFF = 6
STATUS_OFF = 8
CMD_OFF = 12
CREDIT_OFF = 14
FLAGS_OFF = 16
NEXT_OFF = 20
MID_OFF = 24
PID_OFF = 32
TREE_OFF = 36
SESS_OFF = 40

FLAG_SERVER_TO_REDIR = 0x00000001
FLAG_ASYNC = 0x00000002
FLAG_RELATED = 0x00000004
FLAG_SIGNED = 0x00000008
STATUS_PENDING = 0x00000103
STATUS_STOPPED_ON_SYMLINK = 0x8000002d
SYMLINK_ERROR_TAG = 0x4c4d5953
IO_REPARSE_TAG_SYMLINK = 0xa000000c
SYMLINK_FLAG_RELATIVE = 0x00000001
SESSION_FLAG_IS_GUEST = 0x0001
SESSION_FLAG_IS_NULL = 0x0002
NEGOTIATE_SIGNING_REQUIRED = 0x0002
DIALECT_311 = 0x0311

COMMANDS = ['NEGOTIATE', 'SESSION_SETUP', 'LOGOFF', 'TREE_CONNECT',
            'TREE_DISCONNECT', 'CREATE', 'CLOSE', 'FLUSH', 'READ', 'WRITE',
            'LOCK', 'IOCTL', 'CANCEL', 'ECHO', 'QUERY_DIRECTORY',
            'CHANGE_NOTIFY', 'QUERY_INFO', 'SET_INFO', 'OPLOCK_BREAK']
NEGOTIATE = COMMANDS.index('NEGOTIATE')
SESSION_SETUP = COMMANDS.index('SESSION_SETUP')
CREATE = COMMANDS.index('CREATE')
READ = COMMANDS.index('READ')
WRITE = COMMANDS.index('WRITE')
CANCEL = COMMANDS.index('CANCEL')
TAMPER_ACTIONS = ('flip-data', 'flip-sig', 'flip-hdr', 'truncate', 'strip',
                  'symlink', 'as-null', 'as-guest', 'unrequire', 'resign')
CAPTURE_ACTIONS = ('replay', 'replay-tree', 'replay-pid', 'far-mid',
                   'over-credit', 'replay-session')
# Capturing actions that also act on responses.
RESP_CAPTURE_ACTIONS = ('replay', 'replay-session')
ACTIONS = TAMPER_ACTIONS + CAPTURE_ACTIONS + ('dup',)
OPTIONS = ('count', 'any', 'compound', 'single', 'name', 'target', 'byte',
           'wake', 'key')
RESIGN_KEYS = ('right', 'session', 'signing')
STATUS_MORE_PROCESSING_REQUIRED = 0xc0000016
# An RFC 1002 SESSION KEEP ALIVE: a frame every SMB client ignores.
KEEPALIVE = b'\x85\x00\x00\x00'
TREE_CONNECT = COMMANDS.index('TREE_CONNECT')


def cmd_name(cmd):
    return COMMANDS[cmd] if cmd < len(COMMANDS) else '0x%04x' % cmd


def u16(buf, off):
    return struct.unpack_from('<H', buf, off)[0]


def u32(buf, off):
    return struct.unpack_from('<I', buf, off)[0]


def u64(buf, off):
    return struct.unpack_from('<Q', buf, off)[0]


class Rule:
    """Which messages to act on, and how."""

    def __init__(self, text):
        parts = text.split(':')
        if len(parts) not in (3, 4, 5):
            raise ValueError('RULE is DIRECTION:COMMAND:ACTION[:NTH[:OPTION,...]]')
        direction, command, action = parts[:3]
        if direction not in ('req', 'resp'):
            raise ValueError('DIRECTION is req or resp, not %r' % direction)
        if command.upper() in COMMANDS:
            self.command = COMMANDS.index(command.upper())
        else:
            self.command = int(command, 0)
        if action not in ACTIONS:
            raise ValueError('ACTION is one of %s' % ', '.join(ACTIONS))
        self.response = direction == 'resp'
        self.action = action
        self.nth = int(parts[3]) if len(parts) >= 4 and parts[3] else 1
        if self.nth < 1:
            raise ValueError('NTH counts from 1')
        self.count = 1
        self.any = self.compound = self.single = self.wake = False
        self.name = self.target = self.key = None
        self.byte = 5
        for opt in parts[4].split(',') if len(parts) == 5 else ():
            key, _, val = opt.partition('=')
            if key not in OPTIONS:
                raise ValueError('OPTION is one of %s' % ', '.join(OPTIONS))
            if key == 'count':
                self.count = int(val)
            elif key == 'byte':
                self.byte = int(val)
            elif key == 'key':
                if val not in RESIGN_KEYS:
                    raise ValueError('key is one of %s' % ', '.join(RESIGN_KEYS))
                self.key = val
            elif key in ('name', 'target'):
                setattr(self, key, val.replace('/', '\\'))
            else:
                setattr(self, key, True)
        if self.count < 1:
            raise ValueError('count is at least 1')
        if not 0 <= self.byte < SIG_LEN:
            raise ValueError('byte is 0 to %d' % (SIG_LEN - 1))
        if self.capturing or action in ('dup', 'truncate'):
            if self.response and action not in RESP_CAPTURE_ACTIONS + ('truncate',):
                raise ValueError('%s acts on requests' % action)
            self.single = True
        if action == 'symlink' and (not self.response or self.command != CREATE
                                    or not self.target):
            raise ValueError('symlink acts on resp:CREATE and needs target=')
        if action in ('as-null', 'as-guest') and (
                not self.response or self.command != SESSION_SETUP):
            raise ValueError('%s acts on resp:SESSION_SETUP' % action)
        if (action == 'resign') != (self.key is not None):
            raise ValueError('resign needs key=, and key= is for resign')
        if action == 'unrequire' and (
                self.response or self.command not in (NEGOTIATE, SESSION_SETUP)):
            raise ValueError('unrequire acts on req:NEGOTIATE, req:SESSION_SETUP')
        self.text = text
        self.seen = 0           # matching messages so far
        self.acted = 0          # messages acted on
        self.captured = None    # (conn, frame) of a capturing rule

    @property
    def capturing(self):
        return self.action in CAPTURE_ACTIONS

    def wants_more(self):
        return self.acted < self.count


def elements(msg):
    """Offsets and lengths of the SMB2 messages of a compound chain.

    A NextCommand that is not a multiple of 8, leaves less than a header,
    or points past the frame ends the walk: the rest is one element, as a
    careful receiver would treat it.
    """
    off = 0
    out = []
    while len(msg) - off >= HDR_LEN and msg[off:off + 4] == SMB2_MAGIC:
        nxt = u32(msg, off + NEXT_OFF)
        if nxt == 0 or nxt % 8 or nxt < HDR_LEN or off + nxt > len(msg):
            out.append((off, len(msg) - off))
            break
        out.append((off, nxt))
        off += nxt
    return out


def chain(parts):
    """A compound frame of the given elements: each but the last padded to
    8 bytes, NextCommand set to its length."""
    out = bytearray()
    for i, p in enumerate(parts):
        p = bytearray(p)
        if i < len(parts) - 1:
            p += bytes((-len(p)) % 8)
            struct.pack_into('<I', p, NEXT_OFF, len(p))
        else:
            struct.pack_into('<I', p, NEXT_OFF, 0)
        out += p
    return out


def element_bytes(msg, off, length):
    """An element without the padding that precedes the next one."""
    return bytes(msg[off:off + length])


def changed(byte):
    """A different byte value that is never zero (tests tell holes,
    which read as zeros, from tampered bytes)."""
    new = byte ^ 0x5a
    return new if new else byte ^ 0xa5


def create_request_info(msg, off, length):
    """(name, CreateOptions, DesiredAccess) of a CREATE request element."""
    body = off + HDR_LEN
    if length < HDR_LEN + 56:
        return None
    access = u32(msg, body + 24)
    options = u32(msg, body + 40)
    noff, nlen = struct.unpack_from('<HH', msg, body + 44)
    name = ''
    if nlen and noff >= HDR_LEN and noff + nlen <= length:
        name = bytes(msg[off + noff:off + noff + nlen]).decode('utf-16-le',
                                                               'replace')
    return name, options, access


def symlink_error_body(target, contexts):
    """The body of an SMB2 ERROR response for STATUS_STOPPED_ON_SYMLINK:
    a Symbolic Link Error Response (MS-SMB2 2.2.2.2.1) to the relative
    path target, inside one error context (2.2.2.1) when contexts."""
    name = target.encode('utf-16-le')
    sym = struct.pack('<IIIHHHHHHI', 24 + 2 * len(name), SYMLINK_ERROR_TAG,
                      IO_REPARSE_TAG_SYMLINK, 12 + 2 * len(name), 0,
                      0, len(name), len(name), len(name),
                      SYMLINK_FLAG_RELATIVE) + name + name
    if contexts:
        data = struct.pack('<II', len(sym), 0) + sym
        count = 1
    else:
        data = sym
        count = 0
    return struct.pack('<HBBI', 9, count, 0, len(data)) + data


def parse_symlink_error(elem):
    """The target of a symlink error response element, the way cifs reads
    it (smb2_parse_symlink_response), or None."""
    if len(elem) < HDR_LEN + 8:
        return None
    count, nbytes = elem[HDR_LEN + 2], u32(elem, HDR_LEN + 4)
    data = elem[HDR_LEN + 8:HDR_LEN + 8 + nbytes]
    if count:
        if len(data) < 8 or u32(data, 4) != 0:
            return None
        data = data[8:8 + u32(data, 0)]
    if len(data) < 28 or u32(data, 4) != SYMLINK_ERROR_TAG or \
            u32(data, 8) != IO_REPARSE_TAG_SYMLINK:
        return None
    soff, slen = u16(data, 16), u16(data, 18)
    path = data[28 + soff:28 + soff + slen]
    return bytes(path).decode('utf-16-le') if len(path) == slen else None


class Watch:
    """What the server answers to a tampered or injected request frame."""

    def __init__(self, what, elems):
        self.what = what
        self.mids = [e[0] for e in elems]
        self.cmds = [e[1] for e in elems]
        self.related = [e[2] for e in elems]
        self.statuses = {}
        self.signed = {}

    def line(self, conn, result):
        return ('answer conn=%d what=%s mids=%s cmds=%s related=%s result=%s '
                'statuses=%s signed=%s' % (
                    conn, self.what, ','.join(map(str, self.mids)),
                    ','.join(cmd_name(c) for c in self.cmds),
                    ','.join(str(int(r)) for r in self.related), result,
                    ','.join('0x%08x' % self.statuses[m] if m in self.statuses
                             else '-' for m in self.mids),
                    ','.join(str(self.signed[m]) if m in self.signed else '-'
                             for m in self.mids)))


class Conn:
    """One proxied connection: its sockets and what the proxy knows of it.

    The state is guarded by the proxy's lock; send serializes the writes
    to each side (from the pumps and the injector).
    """

    def __init__(self, cid, client=None, server=None):
        self.id = cid
        self.client = client
        self.server = server
        self.server_lock = threading.Lock()
        self.client_lock = threading.Lock()
        self.closed = None
        self.dialect = 0
        self.frames = 0
        self.names = {}             # mid -> CREATE names of its frame
        self.outstanding = {}       # mid -> client requests not answered
        self.injected = {}          # mid -> injected requests not answered
        self.next_mid = 0           # the lowest MessageId not yet used
        self.session = 0            # SessionId of the last session set up
        self.tree = 0               # TreeId of the last tree connected
        self.credits = 1            # granted by the server, not yet spent
        self.nonces = {}            # GMAC nonce -> (tag, element hash)
        self.neg_req = None         # the last NEGOTIATE request (--password)
        self.preauth = None         # Connection.PreauthIntegrityHashValue
        self.signing_alg = None     # from SIGNING_CAPABILITIES
        self.setup = None           # the logon in progress: [hash, auth]
        self.keys = {}              # SessionId -> (alg, session, signing)
        self.signed_responses = 0
        self.reused = 0
        self.watches = []

    def send(self, to_server, data):
        """Write bytes as they are to one side."""
        sock, lock = ((self.server, self.server_lock) if to_server
                      else (self.client, self.client_lock))
        with lock:
            sock.sendall(data)

    def send_frame(self, to_server, frame):
        """Write one frame, with its length prefix, to one side."""
        self.send(to_server, len(frame).to_bytes(4, 'big') + bytes(frame))


class Mitm:
    """The attacker: applies the rules to the frames of every connection."""

    def __init__(self, rules, after=None, log=None, password=None):
        self.rules = rules
        self.after = after
        if password is not None and smbkeys is None:
            raise ValueError('--password needs smbkeys.py and python3-pycryptodome')
        self.password = password
        self.log = log or (lambda line: None)
        self.lock = threading.RLock()
        self.conns = {}

    def armed(self):
        return self.after is None or os.path.exists(self.after)

    def add_conn(self, conn):
        with self.lock:
            self.conns[conn.id] = conn

    # --------------------------------------------------------- frames

    def frame(self, conn, frame, from_server):
        """One frame (bytearray, no length prefix) from the client or the
        server: returns the frames to forward in its place, in order."""
        if frame[:4] == TRANSFORM_MAGIC:
            self.log('encrypted conn=%d dir=%s' %
                     (conn.id, 'resp' if from_server else 'req'))
            return [frame]
        if frame[:4] != SMB2_MAGIC:
            return [frame]
        with self.lock:
            conn.frames += 1
            if not from_server:
                self.requests(conn, frame)
                return self.apply_rules(conn, frame, False)
            out = self.apply_rules(conn, frame, True) \
                if self.responses(conn, frame) else []
            self.forget(conn, frame)
            return out

    @staticmethod
    def forget(conn, frame):
        """Drop what the proxy kept of the requests a frame answered."""
        for off, _ in elements(frame):
            mid = u64(frame, off + MID_OFF)
            if not conn.outstanding.get(mid) and not conn.injected.get(mid):
                conn.outstanding.pop(mid, None)
                conn.injected.pop(mid, None)
                conn.names.pop(mid, None)

    def requests(self, conn, frame):
        """Book-keeping of a request frame from the client."""
        elems = elements(frame)
        names = set()
        for off, length in elems:
            if u16(frame, off + CMD_OFF) == CREATE:
                info = create_request_info(frame, off, length)
                if info:
                    names.add(info[0])
                    self.log('create conn=%d mid=%d name=%s options=0x%08x '
                             'access=0x%08x' % ((conn.id, u64(frame, off + MID_OFF))
                                                + info))
        for off, length in elems:
            if self.password is not None:
                self.watch_keys_request(conn, frame, off, length)
            self.book_request(conn, frame, off, names, client=True)
            cmd = u16(frame, off + CMD_OFF)
            if u64(frame, off + SESS_OFF) and cmd not in (NEGOTIATE, SESSION_SETUP) \
                    and not u32(frame, off + FLAGS_OFF) & FLAG_SIGNED:
                self.log('unsigned conn=%d mid=%d cmd=%s' % (
                    conn.id, u64(frame, off + MID_OFF), cmd_name(cmd)))

    def book_request(self, conn, frame, off, names, client):
        cmd = u16(frame, off + CMD_OFF)
        mid = u64(frame, off + MID_OFF)
        if cmd == CANCEL:
            return              # answers nothing, spends no credit
        charge = max(1, u16(frame, off + CHARGE_OFF))
        conn.names[mid] = names
        table = conn.outstanding if client else conn.injected
        table[mid] = table.get(mid, 0) + 1
        conn.credits -= charge
        conn.next_mid = max(conn.next_mid, mid + charge)

    def responses(self, conn, frame):
        """Book-keeping of a response frame from the server; False when
        it answers injected requests only (it is dropped)."""
        forward = False
        for i, (off, length) in enumerate(elements(frame)):
            flags = u32(frame, off + FLAGS_OFF)
            if not flags & FLAG_SERVER_TO_REDIR:
                forward = True
                continue
            cmd = u16(frame, off + CMD_OFF)
            mid = u64(frame, off + MID_OFF)
            status = u32(frame, off + STATUS_OFF)
            conn.credits += u16(frame, off + CREDIT_OFF)
            if cmd == NEGOTIATE and status == 0 and length >= HDR_LEN + 6:
                conn.dialect = u16(frame, off + HDR_LEN + 4)
            elif cmd == SESSION_SETUP and status == 0:
                conn.session = u64(frame, off + SESS_OFF)
            elif cmd == TREE_CONNECT and status == 0:
                conn.tree = u32(frame, off + TREE_OFF)
            if self.password is not None:
                self.watch_keys_response(conn, frame, off, length)
            interim = status == STATUS_PENDING and flags & FLAG_ASYNC
            owner = 'client'
            if interim:
                pass
            elif conn.outstanding.get(mid):
                conn.outstanding[mid] -= 1
            elif conn.injected.get(mid):
                conn.injected[mid] -= 1
                owner = 'injected'
            if flags & FLAG_SIGNED:
                self.check_nonce(conn, frame, off, length, i, owner)
            if interim:
                forward = True
                continue
            for w in conn.watches:
                if mid in w.mids and mid not in w.statuses and \
                        (w.what == 'injected') == (owner == 'injected'):
                    w.statuses[mid] = status
                    w.signed[mid] = int(bool(flags & FLAG_SIGNED))
            if owner == 'injected':
                self.log('dropped conn=%d mid=%d status=0x%08x'
                         % (conn.id, mid, status))
            else:
                forward = True
        self.finish_watches(conn, None)
        return forward

    # ---------------------------------------------------------- keys

    def watch_keys_request(self, conn, frame, off, length):
        """--password: keep what a session's keys derive from (MS-SMB2
        3.2.5.2: the preauth hash takes every NEGOTIATE and SESSION_SETUP
        request)."""
        cmd = u16(frame, off + CMD_OFF)
        elem = element_bytes(frame, off, length)
        if cmd == NEGOTIATE:
            conn.neg_req = elem
        elif cmd == SESSION_SETUP and length >= HDR_LEN + 16:
            if conn.setup is None or not u64(frame, off + SESS_OFF):
                conn.setup = [conn.preauth, None]
            if conn.setup[0] is not None:
                conn.setup[0] = smbkeys.preauth(conn.setup[0], elem)
            boff, blen = struct.unpack_from('<HH', frame, off + HDR_LEN + 12)
            auth = smbkeys.find_authenticate(elem[boff:boff + blen])
            if auth:
                conn.setup[1] = auth

    def watch_keys_response(self, conn, frame, off, length):
        """--password: the connection's preauth hash and signing
        algorithm from a NEGOTIATE response (MS-SMB2 2.2.4,
        2.2.3.1.7); a session's keys when its logon succeeds."""
        cmd = u16(frame, off + CMD_OFF)
        status = u32(frame, off + STATUS_OFF)
        elem = element_bytes(frame, off, length)
        if cmd == NEGOTIATE and status == 0:
            conn.preauth = conn.signing_alg = None
            if conn.dialect >= smbkeys.DIALECT_311 and conn.neg_req:
                conn.preauth = smbkeys.preauth(
                    smbkeys.preauth(smbkeys.PREAUTH_ZERO, conn.neg_req), elem)
                conn.signing_alg = smbkeys.negotiated_signing(elem, HDR_LEN)
        elif cmd == SESSION_SETUP and conn.setup:
            if status == STATUS_MORE_PROCESSING_REQUIRED:
                if conn.setup[0] is not None:
                    conn.setup[0] = smbkeys.preauth(conn.setup[0], elem)
            elif status == 0:
                self.derive_keys(conn, u64(frame, off + SESS_OFF), elem)

    def derive_keys(self, conn, sid, final):
        hashv, auth = conn.setup
        conn.setup = None
        try:
            if auth is None:
                raise smbkeys.KeyError_('no NTLM AUTHENTICATE_MESSAGE seen')
            skey = smbkeys.session_key(auth, self.password)[:16]
            alg = conn.signing_alg
            if alg is None:
                alg = smbkeys.default_alg(conn.dialect)
            keys = (alg, skey, smbkeys.signing_key(conn.dialect, skey, hashv))
        except smbkeys.KeyError_ as err:
            self.log('keys-failed conn=%d session=0x%x reason=%s' % (conn.id, sid, err))
            return
        conn.keys[sid] = keys
        verified = 'unsigned'
        if u32(final, FLAGS_OFF) & FLAG_SIGNED:
            verified = 'yes' if self.signature(keys, keys[2], final) == \
                final[SIG_OFF:SIG_OFF + SIG_LEN] else 'no'
        self.log('keys conn=%d session=0x%x alg=%s verified=%s' % (
            conn.id, sid, smbkeys.ALG_NAMES.get(keys[0], keys[0]), verified))

    @staticmethod
    def signature(keys, key, elem):
        """ELEM's signature with KEY and the session's algorithm."""
        flags = u32(elem, FLAGS_OFF)
        role = (1 if flags & FLAG_SERVER_TO_REDIR else 0) | \
            (2 if u16(elem, CMD_OFF) == CANCEL else 0)
        return smbkeys.mac(keys[0], key, elem, SIG_OFF, SIG_LEN,
                           u64(elem, MID_OFF), role)

    def resign(self, rule, conn, frame, off, length):
        """Action resign: sign element (OFF, LENGTH) of FRAME again with
        the key rule.key names; returns the log's extra fields."""
        elem = element_bytes(frame, off, length)
        keys = conn.keys.get(u64(frame, off + SESS_OFF))
        if keys is None:
            return ' key=%s right=no-keys' % rule.key
        right = self.signature(keys, keys[2], elem) == elem[SIG_OFF:SIG_OFF + SIG_LEN]
        key = {'right': keys[2], 'session': keys[1],
               'signing': smbkeys.signing_key(smbkeys.DIALECT_300, keys[1])}[rule.key]
        frame[off + SIG_OFF:off + SIG_OFF + SIG_LEN] = self.signature(keys, key, elem)
        return ' key=%s alg=%s right=%s' % (
            rule.key, smbkeys.ALG_NAMES.get(keys[0], keys[0]), 'yes' if right else 'no')

    def check_nonce(self, conn, frame, off, length, i, owner):
        """MS-SMB2 3.1.4.1: the AES-GMAC nonce of a message is its
        MessageId, the SERVER_TO_REDIR bit and whether it is a CANCEL
        request, under the key of its session and channel (this
        connection). No two signed messages may share one."""
        cmd = u16(frame, off + CMD_OFF)
        sess = u64(frame, off + SESS_OFF)
        mid = u64(frame, off + MID_OFF)
        key = (sess, mid, 1, int(cmd == CANCEL))
        tag = 'frame=%d elem=%d cmd=%s status=0x%08x for=%s' % (
            conn.frames, i, cmd_name(cmd), u32(frame, off + STATUS_OFF), owner)
        elem = hashlib.sha256(element_bytes(frame, off, length)).digest()
        conn.signed_responses += 1
        if key in conn.nonces:
            first, other = conn.nonces[key]
            conn.reused += 1
            self.log('nonce-reuse conn=%d session=0x%x mid=%d role=server '
                     'cancel=%d identical=%s first=[%s] second=[%s]'
                     % (conn.id, sess, mid, key[3],
                        'yes' if other == elem else 'no', first, tag))
        else:
            conn.nonces[key] = (tag, elem)

    def finish_watches(self, conn, result):
        for w in list(conn.watches):
            if result or len(w.statuses) == len(w.mids):
                self.log(w.line(conn.id, result or 'response'))
                conn.watches.remove(w)

    def closed(self, conn, by):
        """A side closed the connection: log it once, and settle what
        still waits for an answer."""
        with self.lock:
            if conn.closed:
                return
            conn.closed = by
            self.log('close conn=%d by=%s' % (conn.id, by))
            self.finish_watches(conn, 'disconnected')

    # ---------------------------------------------------------- rules

    def matches(self, rule, conn, frame, off, from_server, n_elems):
        flags = u32(frame, off + FLAGS_OFF)
        cmd = u16(frame, off + CMD_OFF)
        status = u32(frame, off + STATUS_OFF)
        response = bool(flags & FLAG_SERVER_TO_REDIR)
        if response != from_server:
            return False        # a direction bit that lies: leave it be
        if response != rule.response or cmd != rule.command:
            return False
        if not flags & FLAG_SIGNED and not rule.any:
            return False
        if response and status == STATUS_PENDING and flags & FLAG_ASYNC:
            return False
        if (rule.compound and n_elems < 2) or (rule.single and n_elems > 1):
            return False
        if rule.action in ('as-null', 'as-guest') and status != 0:
            return False
        if rule.name is not None:
            names = conn.names.get(u64(frame, off + MID_OFF), ())
            if rule.name not in names:
                return False
        return True

    def apply_rules(self, conn, frame, from_server):
        out = [frame]
        touched = wake = False
        for rule in self.rules:
            i = 0
            while rule.wants_more() and self.armed():
                elems = elements(frame)
                if i >= len(elems):
                    break
                off, length = elems[i]
                i += 1
                if not self.matches(rule, conn, frame, off, from_server,
                                    len(elems)):
                    continue
                if rule.action == 'replay-session' and rule.response \
                        and rule.captured and rule.captured[0] is not conn:
                    frame = self.swap_in(rule, conn, frame)
                    out[0] = frame
                    rule.acted += 1
                    wake = wake or rule.wake
                    continue
                rule.seen += 1
                if rule.seen < rule.nth or (rule.captured and rule.response):
                    continue
                if not (rule.response and rule.action == 'replay-session'):
                    rule.acted += 1
                if rule.capturing:
                    rule.captured = (conn, bytes(frame))
                    self.log('captured conn=%d cmd=%s mid=%d action=%s' % (
                        conn.id, cmd_name(rule.command),
                        u64(frame, off + MID_OFF), rule.action))
                elif rule.action == 'dup':
                    out.append(self.inject_copy(conn, rule, bytes(frame)))
                else:
                    frame = self.tamper(rule, conn, frame, i - 1, off, length)
                    out[0] = frame
                    touched = True
                    wake = wake or rule.wake
        if touched and not from_server:
            conn.watches.append(Watch('tampered', self.describe(frame)))
        if wake and from_server:
            out.append(KEEPALIVE)
        return out

    @staticmethod
    def describe(frame):
        return [(u64(frame, off + MID_OFF), u16(frame, off + CMD_OFF),
                 bool(u32(frame, off + FLAGS_OFF) & FLAG_RELATED))
                for off, _ in elements(frame)
                if u16(frame, off + CMD_OFF) != CANCEL]

    def tamper(self, rule, conn, frame, i, off, length):
        """Change element i of frame; returns the (new) frame."""
        mid = u64(frame, off + MID_OFF)
        extra = ''
        body = off + HDR_LEN
        if rule.action in ('strip', 'as-null', 'as-guest'):
            flags = u32(frame, off + FLAGS_OFF)
            struct.pack_into('<I', frame, off + FLAGS_OFF, flags & ~FLAG_SIGNED)
            frame[off + SIG_OFF:off + SIG_OFF + SIG_LEN] = bytes(SIG_LEN)
            at = off + FLAGS_OFF
            if rule.action != 'strip' and length >= HDR_LEN + 4:
                struct.pack_into('<H', frame, body + 2,
                                 SESSION_FLAG_IS_NULL if rule.action == 'as-null'
                                 else SESSION_FLAG_IS_GUEST)
                extra = ' session_flags=0x%04x' % u16(frame, body + 2)
        elif rule.action == 'resign':
            at = off + SIG_OFF
            extra = self.resign(rule, conn, frame, off, length)
        elif rule.action == 'flip-sig':
            at = off + SIG_OFF + rule.byte
            frame[at] = changed(frame[at])
        elif rule.action == 'flip-hdr':
            at = off + PID_OFF
            frame[at] = changed(frame[at])
        elif rule.action == 'truncate':
            # One byte less, still well framed: the length field that
            # covers the last byte shrinks with it (the frame length
            # follows from the frame).
            at = off + length - 1
            if length >= HDR_LEN + 8 and (
                    (rule.command == READ and rule.response) or
                    (rule.command == WRITE and not rule.response)):
                struct.pack_into('<I', frame, body + 4, u32(frame, body + 4) - 1)
            del frame[at]
        elif rule.action == 'unrequire':
            # SecurityMode: 2 bytes at 4 (NEGOTIATE), 1 byte at 3
            # (SESSION_SETUP) into the body
            at = body + (4 if rule.command == NEGOTIATE else 3)
            frame[at] &= ~NEGOTIATE_SIGNING_REQUIRED & 0xff
            extra = ' security_mode=0x%02x' % frame[at]
        elif rule.action == 'symlink':
            parts = [element_bytes(frame, o, ln) for o, ln in elements(frame)]
            hdr = bytearray(parts[i][:HDR_LEN])
            struct.pack_into('<I', hdr, STATUS_OFF, STATUS_STOPPED_ON_SYMLINK)
            parts[i] = hdr + symlink_error_body(rule.target,
                                                conn.dialect >= DIALECT_311)
            frame = chain(parts)
            off = elements(frame)[i][0]
            at = off + STATUS_OFF
            extra = ' target=%s' % rule.target
        else:
            at = None
            if rule.command == READ and rule.response and length >= HDR_LEN + 16:
                doff = frame[body + 2]
                dlen = u32(frame, body + 4)
                if dlen and doff >= HDR_LEN and doff + dlen <= length:
                    at = off + doff + dlen // 2
            elif rule.command == WRITE and not rule.response and length >= HDR_LEN + 48:
                doff, dlen, foff = struct.unpack_from('<HIQ', frame, body + 2)
                if dlen and doff >= HDR_LEN and doff + dlen <= length:
                    at = off + doff + dlen // 2
                    extra = ' file_offset=%d' % (foff + dlen // 2)
            if at is None:
                at = off + length - 1
            frame[at] = changed(frame[at])
        self.log('tampered conn=%d dir=%s cmd=%s mid=%d elem=%d action=%s at=%d%s'
                 % (conn.id, 'resp' if rule.response else 'req',
                    cmd_name(rule.command), mid, i, rule.action, at - off,
                    extra))
        return frame

    # ------------------------------------------------------ injection

    def inject_copy(self, conn, rule, frame):
        """A copy of a captured single request, changed per the rule's
        action; booked as injected (its answer goes to nobody)."""
        frame = bytearray(frame)
        extra = ''
        if rule.action == 'replay-tree':
            frame[TREE_OFF] = changed(frame[TREE_OFF])
        elif rule.action == 'replay-pid':
            frame[PID_OFF] = changed(frame[PID_OFF])
        elif rule.action == 'far-mid':
            struct.pack_into('<Q', frame, MID_OFF,
                             (u64(frame, MID_OFF) + (1 << 32)) & (2 ** 64 - 1))
        elif rule.action == 'over-credit':
            window = max(conn.credits, 0)
            charge = min(window + 1, 0xffff)
            struct.pack_into('<Q', frame, MID_OFF, conn.next_mid)
            struct.pack_into('<H', frame, CHARGE_OFF, charge)
            extra = ' charge=%d window=%d' % (charge, window)
        self.book_request(conn, frame, 0, conn.names.get(u64(frame, MID_OFF),
                                                         set()), client=False)
        conn.watches.append(Watch('injected', self.describe(frame)))
        self.log('injected conn=%d cmd=%s mid=%d action=%s%s' % (
            conn.id, cmd_name(u16(frame, CMD_OFF)), u64(frame, MID_OFF),
            rule.action, extra))
        return frame

    def swap_in(self, rule, conn, frame):
        """replay-session on responses: the captured response of another
        connection, in place of this one, with its SessionId, MessageId
        and CreditResponse."""
        src, old = rule.captured
        new = bytearray(old)
        for field, size in ((SESS_OFF, 8), (MID_OFF, 8), (CREDIT_OFF, 2)):
            new[field:field + size] = frame[field:field + size]
        rule.captured = None
        self.log('tampered conn=%d dir=resp cmd=%s mid=%d elem=0 '
                 'action=replay-session at=0 from=%d' % (
                     conn.id, cmd_name(rule.command), u64(new, MID_OFF), src.id))
        return new

    def other_conn(self, conn):
        """The newest open connection other than conn with a session."""
        for cid in sorted(self.conns, reverse=True):
            other = self.conns[cid]
            if other is not conn and not other.closed and other.session:
                return other
        return None

    def inject_elsewhere(self, conn, frame):
        """replay-session on requests: a signed request of conn's
        session, sent on another connection as if from its session."""
        other = self.other_conn(conn)
        if other is None:
            self.log('inject-failed reason=no-other-session conn=%d' % conn.id)
            return None
        frame = bytearray(frame)
        struct.pack_into('<Q', frame, SESS_OFF, other.session)
        struct.pack_into('<I', frame, TREE_OFF, other.tree)
        struct.pack_into('<Q', frame, MID_OFF, other.next_mid)
        self.book_request(other, frame, 0, set(), client=False)
        other.watches.append(Watch('injected', self.describe(frame)))
        self.log('injected conn=%d cmd=%s mid=%d action=replay-session '
                 'from=%d session=0x%x' % (
                     other.id, cmd_name(u16(frame, CMD_OFF)),
                     u64(frame, MID_OFF), conn.id, other.session))
        return other, frame

    def inject(self):
        """The control command "inject": send what the capturing rules
        captured, each once its own response has passed. Returns the
        (conn, frame, to_server) triples to send."""
        out = []
        with self.lock:
            for rule in self.rules:
                if not rule.capturing or (rule.response and
                                          rule.action == 'replay-session'):
                    continue
                if not rule.captured:
                    self.log('inject-failed reason=nothing-captured rule=%s'
                             % rule.text)
                    continue
                conn, frame = rule.captured
                mid = u64(frame, MID_OFF)
                if conn.closed and rule.action != 'replay-session':
                    self.log('inject-failed reason=closed conn=%d' % conn.id)
                elif rule.response:
                    self.log('injected conn=%d cmd=%s mid=%d action=%s dir=resp'
                             % (conn.id, cmd_name(rule.command), mid,
                                rule.action))
                    out.append((conn, frame, False))
                elif conn.outstanding.get(mid):
                    self.log('inject-failed reason=unanswered conn=%d mid=%d'
                             % (conn.id, mid))
                    continue        # kept for a later "inject"
                elif rule.action == 'replay-session':
                    sent = self.inject_elsewhere(conn, frame)
                    if sent:
                        out.append(sent + (True,))
                else:
                    out.append((conn, self.inject_copy(conn, rule, frame), True))
                rule.captured = None
        return out

    def add_rule(self, text):
        """The control command "rule": one more rule, from now on."""
        try:
            rule = Rule(text)
            if rule.action == 'resign' and self.password is None:
                raise ValueError('resign needs the proxy started with --password')
        except ValueError as err:
            self.log('rule-failed reason=%s' % str(err).replace(' ', '_'))
            return
        with self.lock:
            self.rules.append(rule)
        self.log('rule-added %s' % text)

    def report(self):
        with self.lock:
            for cid in sorted(self.conns):
                c = self.conns[cid]
                self.log('nonces conn=%d signed_responses=%d reused=%d'
                         % (cid, c.signed_responses, c.reused))
            self.log('report-done')


# ------------------------------------------------------------- network

def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            return None
        buf += chunk
    return buf


def pump(mitm, conn, from_server):
    """Forward frames from one side to the other until either closes."""
    src = conn.server if from_server else conn.client
    try:
        while True:
            head = recv_exact(src, 4)
            if head is None:
                break
            length = int.from_bytes(head[1:4], 'big')
            frame = recv_exact(src, length) if length else bytearray()
            if frame is None:
                break
            if head[0] != 0 or not length:
                conn.send(not from_server, bytes(head) + bytes(frame))
                continue
            for out in mitm.frame(conn, frame, from_server):
                if out is KEEPALIVE:
                    conn.send(not from_server, KEEPALIVE)
                else:
                    conn.send_frame(not from_server, out)
    except OSError:
        pass
    finally:
        mitm.closed(conn, 'server' if from_server else 'client')
        for s in (conn.client, conn.server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def control(mitm, path):
    """Read commands from the control FIFO (opened read-write: it never
    sees end of file, and a writer never blocks while the proxy lives)."""
    fd = os.open(path, os.O_RDWR)
    with os.fdopen(fd, 'r', buffering=1) as f:
        for line in f:
            cmd = line.strip()
            if cmd == 'inject':
                for conn, frame, to_server in mitm.inject():
                    try:
                        conn.send_frame(to_server, frame)
                    except OSError as err:
                        mitm.log('inject-failed reason=send conn=%d %s'
                                 % (conn.id, err))
            elif cmd == 'report':
                mitm.report()
            elif cmd.startswith('rule '):
                mitm.add_rule(cmd[5:].strip())
            elif cmd:
                mitm.log('unknown-command %s' % cmd)


def serve(args):
    logf = open(args.log, 'a', buffering=1) if args.log else sys.stderr
    lock = threading.Lock()

    def log(line):
        with lock:
            logf.write(line + '\n')
            logf.flush()

    mitm = Mitm([Rule(r) for r in args.tamper or ()], args.after, log,
                args.password)
    if args.control:
        if not os.path.exists(args.control):
            os.mkfifo(args.control, 0o600)
        threading.Thread(target=control, daemon=True,
                         args=(mitm, args.control)).start()
    host, _, port = args.listen.rpartition(':')
    thost, _, tport = args.connect.rpartition(':')
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((host or '127.0.0.1', int(port)))
    lsock.listen(16)
    log('ready %s:%s' % (host or '127.0.0.1', port))
    cid = 0
    while True:
        client, _ = lsock.accept()
        cid += 1
        try:
            server = socket.create_connection((thost or '127.0.0.1', int(tport)))
        except OSError as err:
            log('connect-failed conn=%d %s' % (cid, err))
            client.close()
            continue
        for s in (client, server):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = Conn(cid, client, server)
        mitm.add_conn(conn)
        log('open %d' % cid)
        for from_server in (False, True):
            threading.Thread(target=pump, daemon=True,
                             args=(mitm, conn, from_server)).start()


# ---------------------------------------------------------------- self-test

def header(cmd, flags, mid, nxt=0, status=0, sess=0x1234, charge=1, credits=0):
    hdr = bytearray(HDR_LEN)
    hdr[0:4] = SMB2_MAGIC
    struct.pack_into('<HH', hdr, 4, HDR_LEN, charge)
    struct.pack_into('<IHH', hdr, 8, status, cmd, credits)
    struct.pack_into('<IIQ', hdr, 16, flags, nxt, mid)
    struct.pack_into('<IIQ', hdr, 32, 0xfeff, 7, sess)
    hdr[SIG_OFF:SIG_OFF + SIG_LEN] = bytes(range(1, 17))
    return hdr


RESP_SIGNED = FLAG_SERVER_TO_REDIR | FLAG_SIGNED


def read_response(mid, data, flags=RESP_SIGNED, credits=0):
    body = bytearray(16)
    struct.pack_into('<HBBI', body, 0, 17, HDR_LEN + 16, 0, len(data))
    return header(READ, flags, mid, credits=credits) + body + data


def write_request(mid, data, file_off, flags=FLAG_SIGNED):
    body = bytearray(48)
    struct.pack_into('<HHIQ', body, 0, 49, HDR_LEN + 48, len(data), file_off)
    return header(WRITE, flags, mid) + body + data


def write_response(mid, status=0, credits=1, flags=RESP_SIGNED):
    return header(WRITE, flags, mid, status=status, credits=credits) + \
        bytes(16)


def create_request(mid, name, options=0, flags=FLAG_SIGNED):
    path = name.encode('utf-16-le')
    body = bytearray(56)
    struct.pack_into('<H', body, 0, 57)
    struct.pack_into('<II', body, 24, 0x80, 0)
    struct.pack_into('<IHH', body, 40, options, HDR_LEN + 56, len(path))
    return header(CREATE, flags, mid) + body + path


def create_response(mid, flags=RESP_SIGNED):
    return header(CREATE, flags, mid) + bytes(88)


def sess_setup_response(mid, status=0, flags=RESP_SIGNED):
    body = bytearray(8)
    struct.pack_into('<HH', body, 0, 9, 0)
    return header(SESSION_SETUP, flags, mid, status=status) + body


def negotiate_response(dialect):
    body = bytearray(64)
    struct.pack_into('<HHH', body, 0, 65, 1, dialect)
    return header(NEGOTIATE, FLAG_SERVER_TO_REDIR, 0) + body


def compound(*msgs, related=False):
    parts = []
    for i, m in enumerate(msgs):
        m = bytearray(m)
        if related and i:
            struct.pack_into('<I', m, FLAGS_OFF,
                             u32(m, FLAGS_OFF) | FLAG_RELATED)
        parts.append(m)
    return chain(parts)


def self_test():
    checks = []

    def check(name, cond):
        checks.append((name, bool(cond)))

    class Harness:
        """A proxy and one connection, frames in and out by hand."""

        def __init__(self, *rules, after=None, password=None):
            self.log = []
            self.mitm = Mitm([Rule(r) for r in rules], after, self.log.append,
                             password)
            self.conn = Conn(1)
            self.mitm.add_conn(self.conn)

        def req(self, frame):
            return self.mitm.frame(self.conn, bytearray(frame), False)

        def resp(self, frame):
            return self.mitm.frame(self.conn, bytearray(frame), True)

        def lines(self, word):
            return [line for line in self.log if line.startswith(word + ' ')]

    def run(rule, frames, after=None):
        h = Harness(rule, after=after)
        out = []
        for frame, from_server in frames:
            fwd = h.resp(frame) if from_server else h.req(frame)
            out.append(fwd[0] if fwd else None)
        return out, h.log

    data = bytes(range(1, 201))
    r1, r2 = read_response(5, data), read_response(6, data)
    out, log = run('resp:READ:flip-data:2', [(r1, True), (r2, True)])
    check('the 1st READ response passes unchanged with NTH 2', out[0] == r1)
    diff = [i for i in range(len(r2)) if out[1][i] != r2[i]]
    check('the 2nd READ response has exactly one payload byte changed',
          len(diff) == 1 and diff[0] == HDR_LEN + 16 + 100
          and out[1][diff[0]] != 0)
    tampered = [line for line in log if line.startswith('tampered')]
    check('the tampering is logged with its message id',
          len(tampered) == 1 and 'mid=6' in tampered[0]
          and 'cmd=READ' in tampered[0])

    enc = TRANSFORM_MAGIC + bytes(60) + r1
    out, log = run('resp:READ:flip-data', [(enc, True), (r1, True)])
    check('an encrypted frame is never touched', out[0] == enc)
    check('the plain READ response after it is', out[1] != r1
          and any('encrypted' in line for line in log))

    unsigned = read_response(7, data, FLAG_SERVER_TO_REDIR)
    pending = header(READ, RESP_SIGNED | FLAG_ASYNC, 8, status=STATUS_PENDING)
    out, _ = run('resp:READ:flip-data', [(unsigned, True), (pending, True)])
    check('unsigned and interim responses are not candidates',
          out[0] == unsigned and out[1] == pending)
    out, _ = run('resp:READ:flip-data:1:any', [(unsigned, True)])
    check('with "any" an unsigned READ response is', out[0] != unsigned)

    w = write_request(9, data, 4096)
    cpd = compound(header(5, FLAG_SIGNED, 8), w, header(6, FLAG_SIGNED, 10))
    out, log = run('req:WRITE:flip-data', [(cpd, False)])
    elems = elements(cpd)
    check('a compound chain is walked by NextCommand', len(elems) == 3)
    diff = [i for i in range(len(cpd)) if out[0][i] != cpd[i]]
    woff = elems[1][0]
    check('only the WRITE element of the chain is tampered with',
          len(diff) == 1 and woff + HDR_LEN + 48 <= diff[0] < woff + elems[1][1])
    tampered = [line for line in log if line.startswith('tampered')]
    check('the WRITE file offset is logged',
          tampered and 'file_offset=%d' % (4096 + 100) in tampered[0]
          and 'elem=1' in tampered[0])

    out, _ = run('req:WRITE:flip-data', [(r1, False), (w, True)])
    check('a rule for requests ignores responses and lying direction bits',
          out[0] == r1 and out[1] == w)

    out, _ = run('resp:READ:strip', [(r1, True)])
    flags = u32(out[0], FLAGS_OFF)
    check('strip clears SIGNED and zeroes the signature',
          not flags & FLAG_SIGNED and out[0][SIG_OFF:SIG_OFF + 16] == bytes(16)
          and out[0][HDR_LEN:] == r1[HDR_LEN:])

    out, _ = run('resp:READ:flip-sig', [(r1, True)])
    diff = [i for i in range(len(r1)) if out[0][i] != r1[i]]
    check('flip-sig changes one signature byte',
          len(diff) == 1 and SIG_OFF <= diff[0] < SIG_OFF + 16)

    bad = bytearray(compound(header(5, FLAG_SIGNED, 1) + bytes(16),
                             header(5, FLAG_SIGNED, 2)))
    struct.pack_into('<I', bad, 20, 68)     # not a multiple of 8
    check('an unaligned NextCommand ends the walk',
          elements(bad) == [(0, len(bad))])
    struct.pack_into('<I', bad, 20, 32)     # shorter than a header
    check('a NextCommand shorter than a header ends the walk',
          elements(bad) == [(0, len(bad))])
    struct.pack_into('<I', bad, 20, 1 << 20)  # past the frame
    check('a NextCommand past the frame ends the walk',
          elements(bad) == [(0, len(bad))])
    check('a short frame has no element', elements(SMB2_MAGIC + bytes(10)) == [])

    out, _ = run('resp:READ:flip-data', [(r1, True)], after='/nonexistent/x')
    check('nothing is tampered with before the --after file exists',
          out[0] == r1)

    # Several rules, count=, and the compound, single and name= options.
    h = Harness('resp:READ:flip-sig:1:count=2', 'req:WRITE:flip-sig')
    outs = [h.resp(read_response(m, data))[0] for m in (20, 21, 22)]
    h.req(w)
    check('count=2 acts on two messages, a second rule on its own',
          outs[0] != read_response(20, data) and outs[1] != read_response(21, data)
          and outs[2] == read_response(22, data)
          and len(h.lines('tampered')) == 3)
    qi = header(16, FLAG_SIGNED, 31)
    cpd = compound(create_request(30, 'victim'), qi, header(6, FLAG_SIGNED, 32),
                   related=True)
    h = Harness('req:QUERY_INFO:flip-sig:1:compound,name=victim')
    h.req(compound(create_request(40, 'other'), header(16, FLAG_SIGNED, 41),
                   related=True))
    h.req(qi)
    out = h.req(cpd)[0]
    diff = [i for i in range(len(cpd)) if out[i] != cpd[i]]
    qoff = elements(cpd)[1][0]
    check('compound,name= picks the QUERY_INFO of the chain that opens the name',
          len(diff) == 1 and qoff + SIG_OFF <= diff[0] < qoff + SIG_OFF + 16
          and 'mid=31' in h.lines('tampered')[0])
    check('every CREATE request is logged with its name and options',
          [line.split()[3] for line in h.lines('create')]
          == ['name=other', 'name=victim'])
    rsp = compound(header(CREATE, RESP_SIGNED, 30, status=0) + bytes(88),
                   header(16, RESP_SIGNED, 31, status=0xc0000022) + bytes(8),
                   header(6, RESP_SIGNED, 32, status=0xc0000022) + bytes(8),
                   related=True)
    h.resp(rsp)
    answer = h.lines('answer')
    check('the statuses of every element of the answer are logged',
          len(answer) == 1 and 'what=tampered' in answer[0]
          and 'cmds=CREATE,QUERY_INFO,CLOSE' in answer[0]
          and 'related=0,1,1' in answer[0]
          and 'statuses=0x00000000,0xc0000022,0xc0000022' in answer[0])
    h = Harness('req:CREATE:flip-sig:1:single')
    check('single leaves compound chains alone', h.req(cpd)[0] == cpd)

    # symlink: the CREATE response of a chain becomes a symlink error.
    h = Harness('resp:CREATE:symlink:1:name=victim,target=secret')
    h.resp(negotiate_response(DIALECT_311))
    h.req(cpd)
    rsp = compound(create_response(30), header(16, RESP_SIGNED, 31) + bytes(8),
                   header(6, RESP_SIGNED, 32) + bytes(60), related=True)
    out = h.resp(rsp)[0]
    elems = elements(out)
    first = element_bytes(out, *elems[0])
    check('symlink rewrites the CREATE response of a chain to '
          'STATUS_STOPPED_ON_SYMLINK, signature kept',
          len(elems) == 3 and u32(first, STATUS_OFF) == STATUS_STOPPED_ON_SYMLINK
          and first[SIG_OFF:SIG_OFF + 16] == rsp[SIG_OFF:SIG_OFF + 16])
    check('its symlink error response (in an error context on 3.1.1) '
          'names the target', parse_symlink_error(first) == 'secret'
          and first[HDR_LEN + 2] == 1)
    check('the rest of the chain is unchanged and chained after it',
          [element_bytes(out, *e)[HDR_LEN:] for e in elems[1:]]
          == [element_bytes(rsp, *e)[HDR_LEN:] for e in elements(rsp)[1:]]
          and elems[1][0] % 8 == 0)
    h = Harness('resp:CREATE:symlink:1:name=victim,target=a/b')
    h.req(create_request(50, 'victim'))
    out = h.resp(create_response(50))[0]
    check('a single CREATE response too, without error context before 3.1.1',
          parse_symlink_error(out) == 'a\\b' and out[HDR_LEN + 2] == 0)

    # as-null, as-guest: the final SESSION_SETUP response only.
    more = sess_setup_response(2, status=0xc0000016)
    final = sess_setup_response(3)
    out, _ = run('resp:SESSION_SETUP:as-null:1:any', [(more, True), (final, True)])
    check('as-null leaves a MORE_PROCESSING response alone', out[0] == more)
    check('as-null strips the final response and sets IS_NULL',
          not u32(out[1], FLAGS_OFF) & FLAG_SIGNED
          and out[1][SIG_OFF:SIG_OFF + 16] == bytes(16)
          and u16(out[1], HDR_LEN + 2) == SESSION_FLAG_IS_NULL)
    out, _ = run('resp:SESSION_SETUP:as-guest', [(final, True)])
    check('as-guest sets IS_GUEST', u16(out[0], HDR_LEN + 2) == SESSION_FLAG_IS_GUEST)

    # unrequire: the client's SecurityMode loses SIGNING_REQUIRED.
    neg = header(NEGOTIATE, 0, 0) + struct.pack('<HHH', 36, 1, 3) + bytes(30)
    setup = header(SESSION_SETUP, 0, 1) + struct.pack('<HBB', 25, 0, 3) + bytes(20)
    h = Harness('req:NEGOTIATE:unrequire:1:any', 'req:SESSION_SETUP:unrequire:1:any')
    out = h.req(neg)[0] + h.req(setup)[0]
    check('unrequire clears SIGNING_REQUIRED in NEGOTIATE and SESSION_SETUP '
          'requests, nothing else',
          u16(out, HDR_LEN + 4) == 1
          and out[len(neg) + HDR_LEN + 3] == 1
          and sum(a != b for a, b in zip(out, neg + setup)) == 2)
    h.req(header(3, 0, 2, sess=5) + bytes(8))
    h.req(header(3, FLAG_SIGNED, 3, sess=5) + bytes(8))
    check('requests sent unsigned on a session are logged',
          h.lines('unsigned') == ['unsigned conn=1 mid=2 cmd=TREE_CONNECT'])

    # replay and friends: capture, then inject on command, after the
    # response; the answer to the injected copy goes to nobody.
    def replayed(action):
        h = Harness('req:WRITE:%s' % action)
        h.resp(header(SESSION_SETUP, RESP_SIGNED, 1, credits=10) + bytes(8))
        early = h.mitm.inject()
        h.req(w)
        during = h.mitm.inject()
        h.resp(write_response(9))
        return h, early, during, h.mitm.inject()

    h, early, during, after = replayed('replay')
    check('replay: nothing to inject before the capture',
          early == [] and 'nothing-captured' in h.log[0])
    check('replay: nothing is injected before the response has passed',
          during == [] and h.lines('inject-failed')[-1].split()[1]
          == 'reason=unanswered')
    h, _, _, after = replayed('replay')
    check('replay: after it, an exact copy, logged',
          len(after) == 1 and after[0][1] == w and len(h.lines('injected')) == 1)
    dropped = h.resp(write_response(9))
    check('the answer to the injected copy is dropped and logged',
          dropped == [] and 'what=injected' in h.lines('answer')[0]
          and 'result=response' in h.lines('answer')[0]
          and len(h.lines('dropped')) == 1)
    check('two signed responses with one MessageId are a nonce reuse, '
          'reported with both tags',
          len(h.lines('nonce-reuse')) == 1
          and 'identical=yes' in h.lines('nonce-reuse')[0]
          and 'for=client' in h.lines('nonce-reuse')[0]
          and 'for=injected' in h.lines('nonce-reuse')[0])
    h, _, _, after = replayed('replay-tree')
    d = [i for i in range(len(w)) if after[0][1][i] != w[i]]
    check('replay-tree changes one byte of TreeId', len(d) == 1
          and TREE_OFF <= d[0] < TREE_OFF + 4)
    h, _, _, after = replayed('replay-pid')
    d = [i for i in range(len(w)) if after[0][1][i] != w[i]]
    check('replay-pid changes one byte of the Reserved field', d == [PID_OFF])
    h, _, _, after = replayed('far-mid')
    check('far-mid moves the MessageId 2**32 on',
          u64(after[0][1], MID_OFF) == 9 + (1 << 32))
    h, _, _, after = replayed('over-credit')
    # 1 (initial) + 10 + 1 granted - 1 spent = 11
    check('over-credit takes the next MessageId and charges the window + 1',
          u64(after[0][1], MID_OFF) == 10 and u16(after[0][1], CHARGE_OFF) == 12
          and 'charge=12 window=11' in h.lines('injected')[0])
    gone = h.resp(write_response(10, status=0xc000000d))
    h.req(write_request(10, data, 0))
    check('a later client request with that MessageId gets its response',
          gone == [] and h.resp(write_response(10)) != [])
    h.mitm.closed(h.conn, 'server')
    check('the end of the connection is logged once',
          h.lines('close') == ['close conn=1 by=server'])

    h = Harness('req:READ:dup')
    rreq = header(READ, FLAG_SIGNED, 12) + bytes(49)
    out = h.req(rreq)
    check('dup forwards the request and a copy right behind it',
          len(out) == 2 and out[0] == rreq and out[1] == rreq)
    first = h.resp(read_response(12, data))
    h.mitm.closed(h.conn, 'server')
    check('the first answer goes to the client; a disconnection settles '
          'the injected one', first != [] and
          'result=disconnected' in h.lines('answer')[0]
          and 'statuses=-' in h.lines('answer')[0])

    # The negative matrix's actions: a chosen signature byte, a header
    # byte, a truncation that stays well framed.
    for k in (0, 15):
        out, _ = run('resp:READ:flip-sig:1:byte=%d' % k, [(r1, True)])
        check('flip-sig byte=%d changes signature byte %d only' % (k, k),
              [i for i in range(len(r1)) if out[0][i] != r1[i]] == [SIG_OFF + k])
    out, _ = run('req:WRITE:flip-hdr', [(w, False)])
    check('flip-hdr changes the low byte of the Reserved (ProcessId) field',
          [i for i in range(len(w)) if out[0][i] != w[i]] == [PID_OFF])
    out, _ = run('resp:READ:truncate', [(r1, True)])
    check('truncate drops the last byte and shortens DataLength by one',
          len(out[0]) == len(r1) - 1 and out[0][:-1][HDR_LEN + 8:] == r1[HDR_LEN + 8:-2]
          and u32(out[0], HDR_LEN + 4) == len(data) - 1)
    out, _ = run('req:WRITE:truncate', [(w, False)])
    check('truncate shortens a WRITE request and its Length by one',
          len(out[0]) == len(w) - 1 and u32(out[0], HDR_LEN + 4) == len(data) - 1)

    # replay of a response: a copy goes to the client again on "inject".
    h = Harness('resp:READ:replay')
    check('resp replay forwards the captured response',
          h.resp(r1)[0] == r1 and len(h.lines('captured')) == 1)
    sent = h.mitm.inject()
    check('resp replay: "inject" sends an exact copy to the client',
          len(sent) == 1 and sent[0][1] == r1 and sent[0][2] is False)

    # replay-session: one message of connection 1, on connection 2.
    def two_conns(*rules):
        h = Harness(*rules)
        other = Conn(2)
        h.mitm.add_conn(other)
        for c, sess, tree in ((h.conn, 0x1234, 7), (other, 0x5678, 9)):
            ok = header(SESSION_SETUP, RESP_SIGNED, 1, sess=sess, credits=10)
            h.mitm.frame(c, ok + bytes(8), True)
            tc = header(TREE_CONNECT, RESP_SIGNED, 2, sess=sess)
            struct.pack_into('<I', tc, TREE_OFF, tree)
            h.mitm.frame(c, tc + bytes(16), True)
        other.next_mid = 40
        return h, other
    h, other = two_conns('req:WRITE:replay-session')
    h.req(w)
    h.resp(write_response(9))
    sent = h.mitm.inject()
    f = sent[0][1] if sent else bytes(HDR_LEN)
    check('req replay-session sends the request on the other connection '
          'with its SessionId, TreeId and next MessageId, signature kept',
          len(sent) == 1 and sent[0][0] is other and sent[0][2] is True
          and u64(f, SESS_OFF) == 0x5678 and u32(f, TREE_OFF) == 9
          and u64(f, MID_OFF) == 40 and f[SIG_OFF:SIG_OFF + 16] == w[SIG_OFF:SIG_OFF + 16]
          and f[HDR_LEN:] == w[HDR_LEN:])
    h, other = two_conns('resp:READ:replay-session')
    first = h.resp(read_response(5, data))[0]
    mine = read_response(77, bytes(200), credits=3)
    struct.pack_into('<Q', mine, SESS_OFF, 0x5678)
    again = h.mitm.frame(h.conn, bytearray(read_response(6, data)), True)[0]
    out = h.mitm.frame(other, bytearray(mine), True)[0]
    check('resp replay-session: responses of the first connection pass',
          first == read_response(5, data) and again == read_response(6, data))
    check('resp replay-session puts the captured response in place of one '
          'on the other connection, its SessionId, MessageId and credits',
          u64(out, SESS_OFF) == 0x5678 and u64(out, MID_OFF) == 77
          and u16(out, CREDIT_OFF) == 3 and out[HDR_LEN:] == first[HDR_LEN:]
          and out[SIG_OFF:SIG_OFF + 16] == first[SIG_OFF:SIG_OFF + 16])

    h = Harness('resp:READ:flip-sig:1:wake')
    fwd = h.resp(r1)
    check('wake: the changed response, then an RFC 1002 keepalive',
          len(fwd) == 2 and fwd[0] != r1 and fwd[1] is KEEPALIVE)

    # Rules added at run time (the control command "rule").
    h = Harness()
    h.mitm.add_rule('resp:READ:flip-sig:1:byte=3')
    h.mitm.add_rule('resp:READ:bogus')
    out = h.resp(r1)[0]
    check('"rule" adds a rule that acts from then on; a bad one is refused',
          out[SIG_OFF + 3] != r1[SIG_OFF + 3] and len(h.lines('rule-added')) == 1
          and len(h.lines('rule-failed')) == 1)

    # resign: its rule, and a session whose keys the proxy never saw
    # (the e2e tests check the keys of real logons: "keys ... verified").
    bad = 0
    for text in ('req:WRITE:resign', 'req:WRITE:flip-sig:1:key=right',
                 'req:WRITE:resign:1:key=other'):
        try:
            Rule(text)
        except ValueError:
            bad += 1
    h = Harness()
    h.mitm.add_rule('req:WRITE:resign:1:key=session')
    check('resign needs key= right, session or signing, and a proxy with '
          '--password', bad == 3 and len(h.lines('rule-failed')) == 1)
    if smbkeys is None:
        print('# SKIP resign with keys: no smbkeys.py or pycryptodome (python3 -S?)')
    else:
        h = Harness(password='secret')
        h.mitm.add_rule('req:WRITE:resign:1:key=session')
        out = h.req(w)[0]
        check('resign on a session with no keys changes nothing and says so',
              out == w and len(h.lines('tampered')) == 1
              and h.lines('tampered')[0].endswith(' key=session right=no-keys'))
        h = Harness(password='secret')
        h.resp(sess_setup_response(1) + bytes(8))
        tc = header(TREE_CONNECT, RESP_SIGNED, 2)
        struct.pack_into('<I', tc, TREE_OFF, 9)
        h.resp(tc + bytes(16))
        check('with --password the proxy still follows the session and tree '
              '(replay-session needs them)',
              h.conn.session == 0x1234 and h.conn.tree == 9
              and h.lines('keys-failed') == [])

    h = Harness()
    h.resp(read_response(60, data))
    h.resp(read_response(60, data, flags=FLAG_SERVER_TO_REDIR))
    h.resp(read_response(60, data[:-1] + b'x', flags=RESP_SIGNED))
    h.resp(pending)
    h.resp(header(READ, RESP_SIGNED, 60, sess=0x99) + bytes(17))
    h.resp(header(CANCEL, RESP_SIGNED, 60) + bytes(4))
    h.mitm.report()
    check('nonce reuse: unsigned responses, other sessions and the CANCEL bit '
          'do not count; a changed response does',
          len(h.lines('nonce-reuse')) == 1
          and 'identical=no' in h.lines('nonce-reuse')[0]
          and h.lines('nonces') == ['nonces conn=1 signed_responses=5 reused=1']
          and h.log[-1] == 'report-done')

    for i, (name, ok) in enumerate(checks, 1):
        print('%s %d %s' % ('ok' if ok else 'not ok', i, name))
    print('1..%d' % len(checks))
    return 0 if all(ok for _, ok in checks) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--listen')
    ap.add_argument('--connect')
    ap.add_argument('--tamper', action='append',
                    help='DIRECTION:COMMAND:ACTION[:NTH[:OPTION,...]]')
    ap.add_argument('--after', help='count messages only once FILE exists')
    ap.add_argument('--control', help='FIFO for the commands inject, report')
    ap.add_argument('--log', help='event log (default stderr)')
    ap.add_argument('--password', help="the user's password: derive the keys "
                    'of the sessions it logs on (action resign)')
    ap.add_argument('--self-test', action='store_true')
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.listen or not args.connect:
        ap.error('--listen and --connect are required')
    for rule in args.tamper or ():
        try:
            if Rule(rule).action == 'resign' and args.password is None:
                raise ValueError('resign needs --password')
        except ValueError as err:
            ap.error(str(err))
    if args.password is not None and smbkeys is None:
        ap.error('--password needs smbkeys.py and python3-pycryptodome')
    serve(args)
    return 0


if __name__ == '__main__':
    sys.exit(main())
