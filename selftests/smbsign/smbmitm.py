#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""smbmitm - a man-in-the-middle TCP proxy for SMB2 signing tests.

Listens on a port, forwards every connection to an SMB server, and
tampers with exactly one signed SMB2 message chosen by a rule, so a test
can show that the receiving side rejects it. Everything else passes
through unchanged.

The proxy reads the direct-TCP framing (a zero byte and a 24-bit
big-endian length, RFC 1002 style) and walks the SMB2 headers of each frame
by NextCommand, so it can pick one element of a compound chain. Encrypted
(0xFD 'SMB') and compressed (0xFC 'SMB') frames are never touched: they
are counted and forwarded as they are.

Usage:
  smbmitm.py --listen [HOST:]PORT --connect HOST:PORT [--tamper RULE]
             [--after FILE] [--log FILE]
  smbmitm.py --self-test

RULE is DIRECTION:COMMAND:ACTION[:NTH]
  DIRECTION  req (client to server) or resp (server to client)
  COMMAND    an SMB2 command name (READ, WRITE, CREATE, ...) or number
  ACTION     flip-data  change one byte of the payload of a READ response
                        or a WRITE request (other commands: the last byte
                        of the element)
             flip-sig   change one byte of the signature
             strip      clear SMB2_FLAGS_SIGNED and zero the signature
  NTH        tamper with the NTH matching message (default 1)
A matching message has the direction and command of the rule, the SIGNED
flag set, and is not an interim (STATUS_PENDING) response. With --after,
messages count only once FILE exists, so a test can mount first and
choose the moment. One message is tampered with in the proxy's lifetime.

The log (--log, default stderr) gets one line per event, flushed at once:
  ready HOST:PORT
  open CONN / close CONN
  tampered conn=CONN dir=DIR cmd=NAME mid=MID elem=I action=ACTION at=OFF
           [file_offset=N] (offsets: OFF within the SMB2 message, N of the
           WRITE in the file)
  encrypted conn=CONN dir=DIR (each encrypted frame passed through)
A test waits for "ready" and greps for "tampered".
"""

import argparse
import os
import socket
import struct
import sys
import threading

SMB2_MAGIC = b'\xfeSMB'
TRANSFORM_MAGIC = b'\xfdSMB'
COMPRESSION_MAGIC = b'\xfcSMB'
HDR_LEN = 64
SIG_OFF = 48
SIG_LEN = 16

FLAG_SERVER_TO_REDIR = 0x00000001
FLAG_ASYNC = 0x00000002
FLAG_SIGNED = 0x00000008
STATUS_PENDING = 0x00000103

COMMANDS = ['NEGOTIATE', 'SESSION_SETUP', 'LOGOFF', 'TREE_CONNECT',
            'TREE_DISCONNECT', 'CREATE', 'CLOSE', 'FLUSH', 'READ', 'WRITE',
            'LOCK', 'IOCTL', 'CANCEL', 'ECHO', 'QUERY_DIRECTORY',
            'CHANGE_NOTIFY', 'QUERY_INFO', 'SET_INFO', 'OPLOCK_BREAK']
READ = COMMANDS.index('READ')
WRITE = COMMANDS.index('WRITE')
ACTIONS = ('flip-data', 'flip-sig', 'strip')


def cmd_name(cmd):
    return COMMANDS[cmd] if cmd < len(COMMANDS) else '0x%04x' % cmd


class Rule:
    """Which message to tamper with, and how."""

    def __init__(self, text):
        parts = text.split(':')
        if len(parts) not in (3, 4):
            raise ValueError('RULE is DIRECTION:COMMAND:ACTION[:NTH]')
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
        self.nth = int(parts[3]) if len(parts) == 4 else 1
        if self.nth < 1:
            raise ValueError('NTH counts from 1')
        self.text = text


def elements(msg):
    """Offsets and lengths of the SMB2 messages of a compound chain.

    A NextCommand that is not a multiple of 8, leaves less than a header,
    or points past the frame ends the walk: the rest is one element, as a
    careful receiver would treat it.
    """
    off = 0
    out = []
    while len(msg) - off >= HDR_LEN and msg[off:off + 4] == SMB2_MAGIC:
        nxt = struct.unpack_from('<I', msg, off + 20)[0]
        if nxt == 0 or nxt % 8 or nxt < HDR_LEN or off + nxt > len(msg):
            out.append((off, len(msg) - off))
            break
        out.append((off, nxt))
        off += nxt
    return out


def changed(byte):
    """A different byte value that is never zero (tests tell holes,
    which read as zeros, from tampered bytes)."""
    new = byte ^ 0x5a
    return new if new else byte ^ 0xa5


class Tamperer:
    """Counts matching messages and tampers with the chosen one."""

    def __init__(self, rule, after=None, log=None):
        self.rule = rule
        self.after = after
        self.log = log or (lambda line: None)
        self.seen = 0
        self.done = False
        self.lock = threading.Lock()

    def armed(self):
        return self.after is None or os.path.exists(self.after)

    def process(self, frame, conn, from_server):
        """Inspect one frame (bytearray, no length prefix) in place."""
        if frame[:4] == TRANSFORM_MAGIC:
            self.log('encrypted conn=%d dir=%s' %
                     (conn, 'resp' if from_server else 'req'))
            return
        if frame[:4] != SMB2_MAGIC:
            return
        for off, length in elements(frame):
            flags = struct.unpack_from('<I', frame, off + 16)[0]
            cmd = struct.unpack_from('<H', frame, off + 12)[0]
            status = struct.unpack_from('<I', frame, off + 8)[0]
            response = bool(flags & FLAG_SERVER_TO_REDIR)
            if response != from_server:
                continue        # a direction bit that lies: leave it be
            if (response != self.rule.response or cmd != self.rule.command
                    or not flags & FLAG_SIGNED):
                continue
            if response and status == STATUS_PENDING and flags & FLAG_ASYNC:
                continue
            with self.lock:
                if self.done or not self.armed():
                    continue
                self.seen += 1
                if self.seen < self.rule.nth:
                    continue
                self.done = True
            self.tamper(frame, off, length, conn)

    def tamper(self, frame, off, length, conn):
        rule = self.rule
        mid = struct.unpack_from('<Q', frame, off + 24)[0]
        extra = ''
        if rule.action == 'strip':
            flags = struct.unpack_from('<I', frame, off + 16)[0]
            struct.pack_into('<I', frame, off + 16, flags & ~FLAG_SIGNED)
            frame[off + SIG_OFF:off + SIG_OFF + SIG_LEN] = bytes(SIG_LEN)
            at = off + 16
        elif rule.action == 'flip-sig':
            at = off + SIG_OFF + 5
            frame[at] = changed(frame[at])
        else:
            at = None
            body = off + HDR_LEN
            if rule.command == READ and rule.response and length >= HDR_LEN + 16:
                doff = frame[body + 2]
                dlen = struct.unpack_from('<I', frame, body + 4)[0]
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
                 % (conn, 'resp' if rule.response else 'req',
                    cmd_name(rule.command), mid, self.elem_index(frame, off),
                    rule.action, at - off, extra))

    @staticmethod
    def elem_index(frame, off):
        for i, (o, _) in enumerate(elements(frame)):
            if o == off:
                return i
        return -1


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            return None
        buf += chunk
    return buf


def pump(src, dst, tamperer, conn, from_server):
    """Forward frames from src to dst until either side closes."""
    try:
        while True:
            head = recv_exact(src, 4)
            if head is None:
                break
            length = int.from_bytes(head[1:4], 'big')
            frame = recv_exact(src, length) if length else bytearray()
            if frame is None:
                break
            if tamperer and head[0] == 0 and length:
                tamperer.process(frame, conn, from_server)
            dst.sendall(bytes(head) + bytes(frame))
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(args):
    logf = open(args.log, 'a', buffering=1) if args.log else sys.stderr
    lock = threading.Lock()

    def log(line):
        with lock:
            logf.write(line + '\n')
            logf.flush()

    tamperer = Tamperer(Rule(args.tamper), args.after, log) if args.tamper \
        else None
    host, _, port = args.listen.rpartition(':')
    thost, _, tport = args.connect.rpartition(':')
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((host or '127.0.0.1', int(port)))
    lsock.listen(16)
    log('ready %s:%s' % (host or '127.0.0.1', port))
    conn = 0
    while True:
        client, _ = lsock.accept()
        conn += 1
        try:
            server = socket.create_connection((thost or '127.0.0.1', int(tport)))
        except OSError as err:
            log('connect-failed conn=%d %s' % (conn, err))
            client.close()
            continue
        for s in (client, server):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        log('open %d' % conn)
        for src, dst, from_server in ((client, server, False),
                                      (server, client, True)):
            threading.Thread(target=pump, daemon=True,
                             args=(src, dst, tamperer, conn, from_server)).start()


# ---------------------------------------------------------------- self-test

def header(cmd, flags, mid, nxt=0, status=0):
    hdr = bytearray(HDR_LEN)
    hdr[0:4] = SMB2_MAGIC
    struct.pack_into('<HH', hdr, 4, HDR_LEN, 0)
    struct.pack_into('<IHH', hdr, 8, status, cmd, 1)
    struct.pack_into('<IIQ', hdr, 16, flags, nxt, mid)
    hdr[SIG_OFF:SIG_OFF + SIG_LEN] = bytes(range(1, 17))
    return hdr


def read_response(mid, data, flags=FLAG_SERVER_TO_REDIR | FLAG_SIGNED):
    body = bytearray(16)
    struct.pack_into('<HBBI', body, 0, 17, HDR_LEN + 16, 0, len(data))
    return header(READ, flags, mid) + body + data


def write_request(mid, data, file_off, flags=FLAG_SIGNED):
    body = bytearray(48)
    struct.pack_into('<HHIQ', body, 0, 49, HDR_LEN + 48, len(data), file_off)
    return header(WRITE, flags, mid) + body + data


def compound(*msgs):
    out = bytearray()
    for i, m in enumerate(msgs):
        m = bytearray(m)
        if i < len(msgs) - 1:
            pad = (-len(m)) % 8
            m += bytes(pad)
            struct.pack_into('<I', m, 20, len(m))
        out += m
    return out


def self_test():
    checks = []

    def check(name, cond):
        checks.append((name, bool(cond)))

    def run(rule, frames, after=None):
        log = []
        t = Tamperer(Rule(rule), after, log.append)
        out = []
        for frame, from_server in frames:
            f = bytearray(frame)
            t.process(f, 1, from_server)
            out.append(f)
        return out, log

    data = bytes(range(1, 201))
    r1, r2 = read_response(5, data), read_response(6, data)
    out, log = run('resp:READ:flip-data:2', [(r1, True), (r2, True)])
    check('the 1st READ response passes unchanged with NTH 2', out[0] == r1)
    diff = [i for i in range(len(r2)) if out[1][i] != r2[i]]
    check('the 2nd READ response has exactly one payload byte changed',
          len(diff) == 1 and diff[0] == HDR_LEN + 16 + 100
          and out[1][diff[0]] != 0)
    check('the tampering is logged with its message id',
          len(log) == 1 and 'mid=6' in log[0] and 'cmd=READ' in log[0])

    enc = TRANSFORM_MAGIC + bytes(60) + r1
    out, log = run('resp:READ:flip-data', [(enc, True), (r1, True)])
    check('an encrypted frame is never touched', out[0] == enc)
    check('the plain READ response after it is', out[1] != r1
          and any('encrypted' in line for line in log))

    unsigned = read_response(7, data, FLAG_SERVER_TO_REDIR)
    pending = header(READ, FLAG_SERVER_TO_REDIR | FLAG_SIGNED | FLAG_ASYNC, 8,
                     status=STATUS_PENDING)
    out, _ = run('resp:READ:flip-data', [(unsigned, True), (pending, True)])
    check('unsigned and interim responses are not candidates',
          out[0] == unsigned and out[1] == pending)

    w = write_request(9, data, 4096)
    chain = compound(header(5, FLAG_SIGNED, 8), w, header(6, FLAG_SIGNED, 10))
    out, log = run('req:WRITE:flip-data', [(chain, False)])
    elems = elements(chain)
    check('a compound chain is walked by NextCommand', len(elems) == 3)
    diff = [i for i in range(len(chain)) if out[0][i] != chain[i]]
    woff = elems[1][0]
    check('only the WRITE element of the chain is tampered with',
          len(diff) == 1 and woff + HDR_LEN + 48 <= diff[0] < woff + elems[1][1])
    check('the WRITE file offset is logged',
          log and 'file_offset=%d' % (4096 + 100) in log[0] and 'elem=1' in log[0])

    out, _ = run('req:WRITE:flip-data', [(r1, False), (w, True)])
    check('a rule for requests ignores responses and lying direction bits',
          out[0] == r1 and out[1] == w)

    out, _ = run('resp:READ:strip', [(r1, True)])
    flags = struct.unpack_from('<I', out[0], 16)[0]
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

    for i, (name, ok) in enumerate(checks, 1):
        print('%s %d %s' % ('ok' if ok else 'not ok', i, name))
    print('1..%d' % len(checks))
    return 0 if all(ok for _, ok in checks) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--listen')
    ap.add_argument('--connect')
    ap.add_argument('--tamper', help='DIRECTION:COMMAND:ACTION[:NTH]')
    ap.add_argument('--after', help='count messages only once FILE exists')
    ap.add_argument('--log', help='event log (default stderr)')
    ap.add_argument('--self-test', action='store_true')
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.listen or not args.connect:
        ap.error('--listen and --connect are required')
    if args.tamper:
        try:
            Rule(args.tamper)
        except ValueError as err:
            ap.error(str(err))
    serve(args)
    return 0


if __name__ == '__main__':
    sys.exit(main())
