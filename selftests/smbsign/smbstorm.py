#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A malformed-traffic storm against ksmbd with smbsign (e2e_storm.sh).

  smbstorm.py --proto include/linux/smbsign_proto.h --pdus N [--seed S]
              [--phase unauth|signed] [--timeout SECONDS]

Sends N mutated PDUs (frames) to the server on SMBSIGN_E2E_HOST (port
SMBSIGN_E2E_PORT, default 445) as SMBSIGN_E2E_USER / SMBSIGN_E2E_PASS,
share "share":

  signed   on established signed sessions (SMB 2.1, HMAC-SHA256; SMB
           3.0, AES-128-CMAC; SMB 3.1.1, AES-128-GMAC; NTLM logons of their
           own, so the storm holds the signing keys): validly signed
           messages and compounds,
           then mutated: truncated at every length the server reads,
           NextCommand unaligned, backwards, past the end, zero mid-chain,
           flags flipped (SIGNED, RELATED, SERVER_TO_REDIR, ASYNC) with or
           without signing again, signatures flipped, MessageIds reused or
           outside the window, SessionIds of the other session or of none,
           compound shapes, oversized frames and trailing bytes;
  unauth   on connections with no session: NEGOTIATE, SESSION_SETUP, ECHO
           and requests naming a victim's signed session, truncated at
           every length from 0, tiny, oversized and non-SMB frames, the
           same header mutations; the victim session must still work.

Every batch ends with a probe (a signed QUERY_INFO, or an ECHO with no
session) and the storm waits for its answer or for the server to close
the connection, never for time: no answer and no close within --timeout
is a hung server. A closed connection is counted and opened again.

The storm fails (exit 1) when the server hangs, accepts a message that was
changed after it was signed (ECHO excepted: ksmbd answers ECHO with no
session, MS-SMB2 3.3.5.2.9), answers a signature flip or an unsigned
message otherwise than STATUS_ACCESS_DENIED, answers a replayed or
out-of-window MessageId, or signs a probe's response wrongly. It prints
its rate and per-class totals, and one "storm-result" line of key=value
totals for e2e_storm.sh. Deterministic for a seed: the choices come from
random.Random(seed); only the keys and the server's timing differ.
"""

import argparse
import os
import random
import struct
import sys
import time

import smbstorm_wire as w
from smbstorm_unauth import Unauth
from smbstorm_wire import Case

# Relative weights of the mutation classes in each phase.
SIGNED_MIX = {"truncate": 30, "nextcmd": 15, "flags": 15, "sigflip": 10,
              "unsigned": 5, "session": 8, "compound": 12, "msgid": 2,
              "frame": 3}
UNAUTH_MIX = {"truncate": 35, "negotiate": 10, "setup": 15, "session": 15,
              "flags": 8, "nextcmd": 8, "msgid": 3, "frame": 6}
BATCH = 8
# What an element's response may be, by how the element was made:
#   valid, resigned  anything (the server's parser decides)
#   forged           changed after signing, or naming a foreign session:
#                    never accepted (an error status)
#   denied           a flipped or missing signature: STATUS_ACCESS_DENIED
#   replay           never answered: the server must drop the connection
ACCEPT_ANY = ("valid", "resigned")


def accepted(status):
    """An NTSTATUS that is not an error (severity bits 30-31, MS-ERREF)."""
    return status >> 30 != 3


class Stats:
    """Totals per class; denied and unanswered feed e2e_storm.sh's
    relations with smbsign's counters."""

    KEYS = ("frames", "elements", "answered", "accepted", "denied", "other",
            "closes")

    def __init__(self):
        self.cls = {}
        self.total = dict.fromkeys(("frames", "elements", "denied",
                                    "denied_sigflip", "denied_unsigned",
                                    "unanswered", "closes", "logins",
                                    "probes", "echo_accepted"), 0)

    def add(self, cls, key, n=1):
        self.cls.setdefault(cls, dict.fromkeys(self.KEYS, 0))[key] += n

    def report(self, phase, seconds):
        t = self.total
        rate = t["frames"] / seconds if seconds else 0
        print(f"storm {phase}: {t['frames']} mutated PDUs ({t['elements']} "
              f"messages) in {seconds:.1f} s, {rate:.1f} PDUs/s; "
              f"{t['closes']} connections closed by the server, "
              f"{t['logins']} logons, {t['probes']} probes")
        print(f"{'class':10}" + "".join(f"{k:>10}" for k in self.KEYS))
        for c in sorted(self.cls):
            print(f"{c:10}" + "".join(f"{self.cls[c][k]:>10}" for k in self.KEYS))
        print(f"storm-result phase={phase} rate={rate:.1f} seconds={seconds:.1f} " +
              " ".join(f"{k}={v}" for k, v in t.items()))


def server_takes(payload):
    """The MessageIds the server takes out of its window for PAYLOAD, in
    order (ksmbd walks the chain as far as a whole header follows)."""
    out, off = [], 0
    while off + w.P.HDR_SIZE <= len(payload):
        if payload[off:off + 4] != b"\xfeSMB":
            break
        mid = w.u64(payload, off + w.P.HDR_MESSAGE_ID)
        out.extend(mid + i for i in range(max(w.u16(payload, off + 6), 1)))
        nxt = w.u32(payload, off + w.P.HDR_NEXT_COMMAND)
        if not nxt or off + nxt + w.P.HDR_SIZE > len(payload):
            break
        off += nxt
    return out


class Storm(Unauth):
    """The storm: the signed phase here, the unauthenticated one in
    smbstorm_unauth.py."""

    def __init__(self, args):
        self.a = args
        self.rng = random.Random(args.seed)
        self.st = Stats()
        self.conns = {}
        self.cursor = {}
        self.t0 = time.monotonic()

    # ------------------------------------------------------ connections

    def login(self, dialect):
        c = self.conns.get(dialect)
        if c is None or c.closed:
            c = w.login(self.a.host, self.a.port, self.a.timeout, dialect,
                        self.a.user, self.a.password, "share")
            c.pending, c.done = {}, set()
            if dialect not in self.conns:
                print(f"storm: SMB {dialect} sessions sign with "
                      f"{w.smbkeys.ALG_NAMES.get(c.alg, c.alg)}")
            self.conns[dialect] = c
            self.st.total["logins"] += 1
        return c

    def fresh(self, negotiated=True):
        c = w.Conn(self.a.host, self.a.port, self.a.timeout)
        c.pending, c.done = {}, set()
        if negotiated:
            w.negotiate(c, self.rng.choice(tuple(w.DIALECTS)))
        return c

    def lost(self, c):
        """The server closed C: count it and what it never answered."""
        self.st.total["closes"] += 1
        self.st.total["unanswered"] += sum(1 for v in c.pending.values()
                                           if v[1] != "replay")
        c.pending.clear()
        c.close()

    # -------------------------------------------------------- responses

    def check(self, c, r):
        """Check one response against what its request was made to be."""
        if r.interim:
            return
        if r.mid in c.done:
            raise w.Fail(f"a second response to MessageId {r.mid} "
                         f"(command {r.cmd:#x}, status {r.status:#x})")
        ent = c.pending.pop(r.mid, None)
        if ent is None:
            return
        c.done.add(r.mid)
        cls, kind, cmd = ent
        self.st.add(cls, "answered")
        if r.status == w.STATUS_ACCESS_DENIED and c.signer:
            self.st.total["denied"] += 1
            self.st.add(cls, "denied")
            if kind in ("sigflip", "unsigned"):
                self.st.total["denied_" + kind] += 1
        if accepted(r.status):
            self.st.add(cls, "accepted")
        elif r.status != w.STATUS_ACCESS_DENIED:
            self.st.add(cls, "other")
        what = f"{cls} {kind} message {r.mid} (command {cmd:#x})"
        if kind == "replay":
            raise w.Fail(f"{what}: answered with {r.status:#x}; a reused or "
                         "out-of-window MessageId must end the connection")
        if kind in ACCEPT_ANY:
            return
        if cmd == w.ECHO and r.cmd == w.ECHO and accepted(r.status):
            # MS-SMB2 3.3.5.2.9: ECHO needs no session, so none verifies it.
            self.st.total["echo_accepted"] += 1
            return
        if accepted(r.status):
            raise w.Fail(f"{what}: accepted ({r.status:#x}) though changed "
                         "after signing or sent on a foreign session; "
                         f"{c.notes.get(r.mid, 'sent')} on the SMB "
                         f"{c.dialect:#x} connection of session {c.sid:#x}; "
                         f"the response: SessionId {r.sid:#x}, flags "
                         f"{r.flags:#x}")

    def settle(self, c, probe_mid, what):
        """Read until the probe is answered (its response returned) or the
        server closes the connection (None)."""
        while True:
            rsps = c.responses(what)
            if rsps is None:
                self.lost(c)
                return None
            for r in rsps:
                if r.mid == probe_mid and not r.interim:
                    c.done.add(r.mid)
                    return r
                self.check(c, r)

    def probe(self, c):
        """A request the server must answer: on a session a signed
        QUERY_INFO, whose response must be signed right; else an ECHO."""
        self.st.total["probes"] += 1
        if c.signer:
            msg = c.signer.sign(self.query(c))
        else:
            msg = w.header(w.ECHO, c.take(), 0) + struct.pack("<HH", 4, 0)
        mid = w.u64(msg, w.P.HDR_MESSAGE_ID)
        if not c.send(msg):
            self.lost(c)
            return None
        r = self.settle(c, mid, "the probe")
        if r is None:
            return None
        if r.status in (w.STATUS_USER_SESSION_DELETED,
                        w.STATUS_NETWORK_NAME_DELETED):
            # The server is tearing the connection down (MS-SMB2
            # 3.3.5.2.9): it must go on to close it.
            self.drain(c, "the close after a probe refused with "
                       f"{r.status:#x}")
            return None
        if r.status != w.STATUS_SUCCESS:
            raise w.Fail(f"probe (command {r.cmd:#x}): status {r.status:#x}")
        if c.signer and not (r.flags & w.P.FLAG_SIGNED and c.signer.good(r.raw)):
            raise w.Fail("the probe's response is not signed right")
        return r

    def send(self, c, cases, probe=True):
        """Send CASES on C, then probe (unless not PROBE); the server must
        answer or close."""
        for case in cases:
            if not c.send(case.payload, case.length):
                self.st.add(case.cls, "closes")
                self.lost(c)
                return
            self.st.total["frames"] += 1
            self.st.add(case.cls, "frames")
            n = len(case.kinds)
            self.st.total["elements"] += n
            self.st.add(case.cls, "elements", n)
            for mid, (kind, cmd) in case.kinds.items():
                c.pending[mid] = (case.cls, kind, cmd)
        if c.closed or not probe:
            return
        if any(case.closes for case in cases):
            # No probe: the server must close without answering.
            self.drain(c, "the close after " + cases[-1].cls)
            self.trace(f"closed after {cases[-1].cls}, as it must")
            self.st.add(cases[-1].cls, "closes")
            return
        self.trace(f"sent {[x.cls for x in cases]}")
        if self.probe(c) is None:
            self.trace(f"closed after {[x.cls for x in cases]}")
            for case in cases:
                self.st.add(case.cls, "closes")

    def trace(self, what):
        if self.a.verbose:
            print(f"storm: {time.monotonic() - self.t0:8.3f} {what}",
                  file=sys.stderr)

    def drain(self, c, what):
        """Check what the server still answers on C until it closes it."""
        while True:
            rsps = c.responses(what)
            if rsps is None:
                self.lost(c)
                return
            for r in rsps:
                self.check(c, r)

    def finish(self, c):
        """Half-close C: the server answers what is left, then closes."""
        if c.closed:
            return
        c.half_close()
        while not c.closed:
            rsps = c.responses("the close after the last request")
            for r in rsps or ():
                self.check(c, r)
        self.st.total["unanswered"] += len(c.pending)

    # ----------------------------------------------------- messages

    def query(self, c, mid=None):
        """MS-SMB2 2.2.37 QUERY_INFO FileStandardInformation."""
        return w.header(w.QUERY_INFO, c.take() if mid is None else mid,
                        c.sid, c.tid) + struct.pack(
            "<HBBIHHIII16sB", 41, 1, 5, 24, 0, 0, 0, 0, 0, c.fid, 0)

    def single(self, c, what, mid=None, flags=0, fid=None):
        """One request of the signed session, unsigned; the file is
        conn.fid unless FID (a related request's all-ones FileId)."""
        mid = c.take() if mid is None else mid
        fid = fid or c.fid
        h = w.header
        if what == "echo":
            return h(w.ECHO, mid, c.sid, c.tid, flags) + struct.pack("<HH", 4, 0)
        if what == "read":
            return h(w.READ, mid, c.sid, c.tid, flags) + struct.pack(
                "<HBBIQ16sIIIHHB", 49, 0x50, 0, 64,
                self.rng.randrange(0, 4096), fid, 0, 0, 0, 0, 0, 0)
        if what == "write":
            data = self.rng.randbytes(64)
            return h(w.WRITE, mid, c.sid, c.tid, flags) + struct.pack(
                "<HHIQ16sIIHHI", 49, w.P.HDR_SIZE + 48, len(data),
                self.rng.randrange(0, 4096), fid, 0, 0, 0, 0, 0) + data
        if what == "flush":
            return h(w.FLUSH, mid, c.sid, c.tid, flags) + struct.pack(
                "<HHI16s", 24, 0, 0, fid)
        if what == "close":
            return h(w.CLOSE, mid, c.sid, c.tid, flags) + struct.pack(
                "<HHI16s", 24, 0, 0, fid)
        if what == "create":
            return w.create_req(c, f"storm-{self.rng.randrange(16)}", mid, flags)
        return self.query(c, mid)

    def baseline(self, c, shape):
        """Validly signed elements of one frame: a single request or a
        compound (MS-SMB2 3.2.4.1.4), as a list of signed messages."""
        kinds = ("echo", "read", "write", "flush", "query", "create")
        if shape == "single":
            msgs = [self.single(c, self.rng.choice(kinds))]
        elif shape == "related":
            # CREATE, then requests on its FileId: all ones, RELATED.
            ones = b"\xff" * 16
            rel = w.P.FLAG_RELATED_OPERATIONS
            msgs = [self.single(c, "create")]
            msgs += [self.single(c, x, flags=rel, fid=ones) for x in
                     self.rng.sample(("write", "read", "query", "flush"),
                                     self.rng.randrange(1, 4))]
            msgs.append(self.single(c, "close", flags=rel, fid=ones))
        else:
            msgs = [self.single(c, self.rng.choice(kinds[1:5]))
                    for _ in range(self.rng.randrange(2, 17))]
        return [c.signer.sign(m) for m in w.chain(msgs)]

    @staticmethod
    def offsets(elems):
        out, off = [], 0
        for e in elems:
            out.append(off)
            off += len(e)
        return out

    def case(self, c, cls, elems, kinds, length=None, closes=False, cut=None):
        """A Case from ELEMS (kinds[i] for element i), sent whole or its
        first CUT bytes, with the MessageIds the server will not take (a
        chain cut short) given back."""
        payload = b"".join(elems)[:cut]
        allot = [w.u64(e, w.P.HDR_MESSAGE_ID) for e in elems]
        taken = set() if length else set(server_takes(payload))
        km = {}
        for e, k, mid in zip(elems, kinds, allot):
            if mid in taken:
                km[mid] = (k, w.u16(e, w.P.HDR_COMMAND))
        n = sum(1 for m in allot if m in taken)
        if allot and allot[:n] == list(range(allot[0], allot[0] + n)) and \
                allot[-1] == c.next_mid - 1 and not closes:
            c.avail += len(allot) - n
            c.next_mid = allot[0] + n
        return Case(cls, payload, km, length, closes)

    def resign(self, c, elem, extent):
        """ELEM signed over its first EXTENT bytes (where the server will
        take it to end), the rest left as it was."""
        return c.signer.sign(elem[:extent]) + elem[extent:]

    # ------------------------------------------- signed-session classes

    def trunc_len(self, key, size, low):
        """The next length of the walk over every length from LOW to
        SIZE - 1 of messages of kind KEY."""
        n = self.cursor.get(key, low)
        if n >= size:
            n = low
        self.cursor[key] = n + 1
        return n

    def s_truncate(self, c):
        # Below SMB2_MIN_SUPPORTED_PDU_SIZE (a header and a StructureSize)
        # ksmbd drops the connection before it looks at a session: those
        # lengths are walked by the unauthenticated phase.
        e = self.baseline(c, "single")[0]
        n = self.trunc_len(("s", w.u16(e, w.P.HDR_COMMAND)), len(e), w.P.HDR_SIZE + 2)
        return self.case(c, "truncate", [e], ["forged"], cut=n)

    def s_nextcmd(self, c):
        elems = self.baseline(c, self.rng.choice(("related", "chain")))
        how = self.rng.choice(("unaligned", "backwards", "past-end", "zero"))
        # Zero mid-chain: on an element that has a next one.
        i = self.rng.randrange(len(elems) - (how == "zero"))
        off = self.offsets(elems)[i]
        rest = sum(len(e) for e in elems) - off
        cur = w.u32(elems[i], w.P.HDR_NEXT_COMMAND)
        if how == "unaligned":
            new = (cur or len(elems[i])) + self.rng.randrange(1, 8)
        elif how == "backwards":
            new = self.rng.choice((8, w.P.HDR_SIZE - 8, w.P.HDR_SIZE,
                                   max(cur - 8, 8), 0x80000000 | cur))
        elif how == "past-end":
            new = self.rng.choice((rest, rest + 8, rest + 4096, 0xFFFFFFF8))
        else:
            new = 0
        e = w.put(elems[i], w.P.HDR_NEXT_COMMAND, "<I", new)
        kinds = ["valid"] * len(elems)
        if new == cur:
            pass
        elif self.rng.random() < 0.5:
            e = self.resign(c, e, new if w.P.HDR_SIZE <= new <= len(e) else len(e))
            kinds[i] = "resigned"
        else:
            kinds[i] = "forged"
        self.trace(f"nextcmd {how}, element {i} of {len(elems)}: "
                   f"{cur} -> {new} ({kinds[i]})")
        elems[i] = e
        # What follows a changed chain is no longer what was signed.
        kinds[i + 1:] = ["resigned"] * (len(elems) - i - 1)
        return self.case(c, "nextcmd", elems, kinds)

    def s_flags(self, c):
        elems = self.baseline(c, self.rng.choice(("single", "related", "chain")))
        i = self.rng.randrange(len(elems))
        flag = self.rng.choice((w.P.FLAG_SIGNED, w.P.FLAG_RELATED_OPERATIONS,
                                w.P.FLAG_SERVER_TO_REDIR, w.P.FLAG_ASYNC_COMMAND))
        e = w.put(elems[i], w.P.HDR_FLAGS, "<I",
                  w.u32(elems[i], w.P.HDR_FLAGS) ^ flag)
        kinds = ["valid"] * len(elems)
        if flag == w.P.FLAG_SIGNED:
            # SIGNED cleared, the signature left: an unsigned message.
            kinds[i] = "unsigned"
        elif self.rng.random() < 0.5:
            e = self.resign(c, e, len(e))
            # A request claiming to be a response is never acted on.
            kinds[i] = "forged" if flag == w.P.FLAG_SERVER_TO_REDIR else "resigned"
        else:
            kinds[i] = "forged"
        elems[i] = e
        if i and flag == w.P.FLAG_RELATED_OPERATIONS:
            kinds[i + 1:] = ["resigned"] * (len(elems) - i - 1)
        return self.case(c, "flags", elems, kinds)

    def flip_sig(self, e):
        sig = bytearray(e[w.P.SIG_OFFSET:w.P.SIG_OFFSET + w.P.SIG_SIZE])
        how = self.rng.randrange(4)
        if how == 0:
            sig = bytes(len(sig))
        elif how == 1:
            sig = b"\xff" * len(sig)
        else:
            sig[self.rng.randrange(len(sig))] ^= 1 << self.rng.randrange(8)
        return e[:w.P.SIG_OFFSET] + bytes(sig) + e[w.P.SIG_OFFSET + w.P.SIG_SIZE:]

    def s_sigflip(self, c):
        elems = self.baseline(c, self.rng.choice(("single", "single", "chain")))
        i = self.rng.randrange(len(elems))
        elems[i] = self.flip_sig(elems[i])
        kinds = ["valid"] * len(elems)
        kinds[i] = "sigflip"
        return self.case(c, "sigflip", elems, kinds)

    def s_unsigned(self, c):
        e = self.baseline(c, "single")[0]
        e = w.put(e, w.P.HDR_FLAGS, "<I", w.u32(e, w.P.HDR_FLAGS) & ~w.P.FLAG_SIGNED)
        e = e[:w.P.SIG_OFFSET] + bytes(w.P.SIG_SIZE) + e[w.P.SIG_OFFSET + w.P.SIG_SIZE:]
        return self.case(c, "unsigned", [e], ["unsigned"])

    def s_session(self, c, other):
        """A SessionId that is not this connection's: the other logon's
        (signed with its key or this one's), an unknown one, none."""
        elems = self.baseline(c, self.rng.choice(("single", "chain")))
        i = self.rng.randrange(len(elems))
        sid = self.rng.choice((other.sid, other.sid, c.sid ^ 1, 0,
                               self.rng.getrandbits(64)))
        if sid == c.sid:
            # The other logon's connection was dropped by the server
            # before the storm noticed, and ksmbd gave its SessionId
            # (an IDA's) to this logon: that SessionId is this one's.
            sid = c.sid ^ 1
        e = w.put(elems[i], w.P.HDR_SESSION_ID, "<Q", sid)
        how = "its signature as it was"
        if sid == other.sid and self.rng.random() < 0.5:
            e = other.signer.sign(e)
            how = f"signed again with SMB {other.dialect:#x} session {sid:#x}'s key"
        elif self.rng.random() < 0.5:
            e = c.signer.sign(e)
            how = "signed again with its own session's key"
        c.notes[w.u64(e, w.P.HDR_MESSAGE_ID)] = \
            f"element {i} of {len(elems)} with SessionId {sid:#x}, {how},"
        elems[i] = e
        kinds = ["valid"] * len(elems)
        kinds[i:] = ["forged"] + ["resigned"] * (len(elems) - i - 1)
        return self.case(c, "session", elems, kinds)

    def s_compound(self, c):
        elems = self.baseline(c, self.rng.choice(("related", "chain")))
        kinds = ["valid"] * len(elems)
        if self.rng.random() < 0.5:
            # One element's signature broken: it alone is refused, and
            # the related ones after it with it (MS-SMB2 3.3.5.2.7.2).
            i = self.rng.randrange(len(elems))
            elems[i] = self.flip_sig(elems[i])
            kinds[i] = "sigflip"
            kinds[i + 1:] = ["resigned"] * (len(elems) - i - 1)
        return self.case(c, "compound", elems, kinds)

    def s_msgid(self, c):
        """A MessageId used before, or never granted: the server must drop
        the connection without answering (MS-SMB2 3.3.5.2.3)."""
        if c.done and self.rng.random() < 0.5:
            mid = self.rng.choice(sorted(c.done)[-64:])
        else:
            mid = self.rng.choice((c.next_mid + c.avail + 65536 +
                                   self.rng.randrange(4096), 1 << 63,
                                   (1 << 64) - 1))
        e = c.signer.sign(self.single(c, self.rng.choice(("read", "query", "write")), mid=mid))
        self.trace(f"msgid {mid} (next {c.next_mid}, avail {c.avail}, done {mid in c.done})")
        return Case("msgid", e, {mid: ("replay", w.u16(e, w.P.HDR_COMMAND))},
                    closes=True)

    def s_frame(self, c):
        """Trailing bytes after a signed message, or a frame longer than
        the server takes (it must close without reading it)."""
        if self.rng.random() < 0.7:
            e = self.baseline(c, "single")[0]
            e += self.rng.randbytes(self.rng.randrange(1, 2048))
            e = self.resign(c, e, len(e)) if self.rng.random() < 0.5 else e
            return self.case(c, "frame", [e], ["resigned"])
        e = self.baseline(c, "single")[0]
        return Case("frame", e, {}, length=self.rng.choice(
            (w.MAX_FRAME, 0x00800000)), closes=True)

    def signed(self, n):
        """N mutated frames on the signed sessions (one per dialect)."""
        classes = list(SIGNED_MIX)
        weights = [SIGNED_MIX[k] for k in classes]
        while self.st.total["frames"] < n:
            d = self.rng.choice(tuple(w.DIALECTS))
            c = self.login(d)
            other = self.login(self.rng.choice([x for x in w.DIALECTS if x != d]))
            if c.closed:
                continue
            batch = []
            while len(batch) < BATCH and self.st.total["frames"] + len(batch) < n:
                cls = self.rng.choices(classes, weights)[0]
                # Keep credits for the probe; a starved connection ends.
                if c.avail < 20 + 17:
                    break
                if cls == "session":
                    case = self.s_session(c, other)
                else:
                    case = getattr(self, "s_" + cls)(c)
                batch.append(case)
                if case.closes:
                    break
            if not batch:
                self.starved(c)
                continue
            self.send(c, batch)
        for c in self.conns.values():
            self.finish(c)

    def starved(self, c):
        """Too few credits left to go on: a new connection."""
        self.st.add("starved", "closes")
        self.finish(c)
        c.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--proto", required=True,
                    help="include/linux/smbsign_proto.h")
    ap.add_argument("--pdus", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--phase", choices=("unauth", "signed"), required=True)
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds to wait for a reply or a close")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="say why each connection ended")
    a = ap.parse_args()
    w.init(a.proto)
    a.host = os.environ.get("SMBSIGN_E2E_HOST", "127.0.0.1")
    a.port = int(os.environ.get("SMBSIGN_E2E_PORT", "445"))
    a.user = os.environ["SMBSIGN_E2E_USER"]
    a.password = os.environ["SMBSIGN_E2E_PASS"]
    storm = Storm(a)
    storm.mix = UNAUTH_MIX if a.phase == "unauth" else SIGNED_MIX
    t0 = time.monotonic()
    rc = 0
    try:
        if a.phase == "unauth":
            storm.unauth(a.pdus)
        else:
            storm.signed(a.pdus)
    except w.Fail as e:
        print(f"storm {a.phase}: FAIL: {e}")
        rc = 1
    storm.st.report(a.phase, time.monotonic() - t0)
    return rc


if __name__ == "__main__":
    sys.exit(main())
