# SPDX-License-Identifier: GPL-2.0
"""The unauthenticated phase of smbstorm.py: connections with no session.

Mixed into smbstorm.Storm. Every connection negotiates (but the cases of
the NEGOTIATE class, which mutate the NEGOTIATE itself), sends batches of
mutated frames, each batch followed by an ECHO probe, and ends with a
half-close the server must answer by closing. Meanwhile the signed
sessions of the storm (the victims) must keep working: requests that name
them from this connection, even signed with their keys (LOGOFF included),
may not touch them (MS-SMB2 3.3.5.2.9: a session is looked up on the
connection it was set up on).
"""

import struct

import smbstorm_wire as w

# Frames per unauthenticated connection before it is closed.
PER_CONN = 64
# ksmbd drops a frame shorter than an SMB2 header and its StructureSize
# with the connection, before it looks at anything else.
MIN_PDU = 66


class Unauth:
    """Mixin: the unauthenticated classes (u_*) and their driver."""

    def victim(self):
        return self.conns[self.rng.choice(sorted(self.conns))]

    def u_baseline(self, c):
        """An unsigned request of a connection with no session."""
        v = self.victim()
        what = self.rng.choice(("echo", "setup", "tree", "read"))
        if what == "echo":
            return w.header(w.ECHO, c.take()) + struct.pack("<HH", 4, 0)
        if what == "setup":
            return w.setup_req(c.take(), 0, self.type1())
        if what == "tree":
            path = "\\\\127.0.0.1\\share".encode("utf-16-le")
            return w.header(w.TREE_CONNECT, c.take()) + struct.pack(
                "<HHHH", 9, 0, w.P.HDR_SIZE + 8, len(path)) + path
        return w.header(w.READ, c.take(), v.sid, v.tid) + struct.pack(
            "<HBBIQ16sIIIHHB", 49, 0x50, 0, 64, 0, v.fid, 0, 0, 0, 0, 0, 0)

    @staticmethod
    def type1():
        # An NTLM NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1), no payload.
        return b"NTLMSSP\x00" + struct.pack("<II8s8s", 1, 0x60088215,
                                            bytes(8), bytes(8))

    def u_truncate(self, c):
        # Every length from 0: below MIN_PDU the connection ends.
        e = self.u_baseline(c)
        key = ("u", w.u16(e, w.P.HDR_COMMAND))
        n = self.trunc_len(key, len(e), 0)
        return self.case(c, "truncate", [e], ["resigned"], closes=n < MIN_PDU, cut=n)

    def u_negotiate(self, c):
        """A NEGOTIATE that is not right (on a connection that has not
        negotiated, or a second one)."""
        dialects = self.rng.choice(([0x0202], [0x0210, 0x0300], [0x0311],
                                    [0xFFFF, 0x0000], []))
        e = w.negotiate_req(c.take(), dialects, contexts=self.rng.random() < 0.5)
        how = self.rng.randrange(5)
        if how == 0:
            e = w.put(e, w.P.HDR_SIZE + 2, "<H", self.rng.choice((0xFFFF, 64, 0)))
        elif how == 1:
            e = w.put(e, w.P.HDR_FLAGS, "<I", self.rng.choice(
                (w.P.FLAG_SIGNED, w.P.FLAG_ASYNC_COMMAND, w.P.FLAG_RELATED_OPERATIONS)))
        elif how == 2:
            e = w.put(e, w.P.HDR_SIZE, "<H", self.rng.randrange(0, 0x100))
        elif how == 3:
            echo = w.header(w.ECHO, c.take()) + struct.pack("<HH", 4, 0)
            return self.case(c, "negotiate", w.chain([e, echo]), ["resigned"] * 2)
        return self.case(c, "negotiate", [e], ["resigned"])

    def u_setup(self, c):
        """SESSION_SETUP with its buffer out of bounds, a victim's
        SessionId or PreviousSessionId, or a broken token."""
        v = self.victim()
        e = w.setup_req(c.take(), 0, self.type1())
        how = self.rng.randrange(5)
        kind = "resigned"
        if how == 0:
            e = w.put(e, w.P.HDR_SIZE + 12, "<H", self.rng.choice(
                (0, w.P.HDR_SIZE, len(e), len(e) + 1, 0xFFFF)))
        elif how == 1:
            e = w.put(e, w.P.HDR_SIZE + 14, "<H", self.rng.choice((0xFFFF, len(e), 1)))
        elif how == 2:
            e = w.put(e, w.P.HDR_SESSION_ID, "<Q", v.sid)
            e = v.signer.sign(e) if self.rng.random() < 0.5 else e
            kind = "forged"
        elif how == 3:
            e = w.put(e, w.P.HDR_SIZE + 16, "<Q", v.sid)
        else:
            e = e[:-self.rng.randrange(1, 24)] + self.rng.randbytes(8)
        return self.case(c, "setup", [e], [kind])

    def u_session(self, c):
        """A request of a victim's session from this connection, signed
        with the victim's key, with a bad signature or unsigned."""
        v = self.victim()
        what = self.rng.choice(("read", "write", "query", "close", "flush",
                                "create", "logoff"))
        mid = c.take()
        if what == "logoff":
            e = w.header(w.LOGOFF, mid, v.sid) + struct.pack("<HH", 4, 0)
        else:
            saved = v.next_mid, v.avail
            e = self.single(v, what, mid=mid)
            v.next_mid, v.avail = saved
        how = self.rng.randrange(3)
        if how == 0:
            e = v.signer.sign(e)
        elif how == 1:
            e = self.flip_sig(v.signer.sign(e))
        return self.case(c, "session", [e], ["forged"])

    def u_flags(self, c):
        e = self.u_baseline(c)
        flag = self.rng.choice((w.P.FLAG_SIGNED, w.P.FLAG_RELATED_OPERATIONS,
                                w.P.FLAG_SERVER_TO_REDIR, w.P.FLAG_ASYNC_COMMAND))
        e = w.put(e, w.P.HDR_FLAGS, "<I", w.u32(e, w.P.HDR_FLAGS) ^ flag)
        kind = "forged" if w.u64(e, w.P.HDR_SESSION_ID) else "resigned"
        return self.case(c, "flags", [e], [kind])

    def u_nextcmd(self, c):
        elems = w.chain([self.u_baseline(c) for _ in range(self.rng.randrange(2, 9))])
        i = self.rng.randrange(len(elems))
        rest = sum(len(e) for e in elems[i:])
        new = self.rng.choice((0, 8, w.P.HDR_SIZE, rest, rest + 8, 0xFFFFFFF8,
                               w.u32(elems[i], w.P.HDR_NEXT_COMMAND) + self.rng.randrange(1, 8)))
        elems[i] = w.put(elems[i], w.P.HDR_NEXT_COMMAND, "<I", new)
        kinds = ["forged" if w.u64(e, w.P.HDR_SESSION_ID) else "resigned"
                 for e in elems]
        return self.case(c, "nextcmd", elems, kinds)

    def u_msgid(self, c):
        mid = self.rng.choice((0, c.next_mid + c.avail + 65536, (1 << 64) - 1))
        e = w.header(w.ECHO, mid) + struct.pack("<HH", 4, 0)
        return w.Case("msgid", e, {mid: ("replay", w.ECHO)}, closes=True)

    def u_frame(self, c):
        """Tiny frames, frames longer than the server takes, frames that
        are not SMB2."""
        how = self.rng.randrange(4)
        if how == 0:
            e = self.u_baseline(c)
            e = e[:4] + self.rng.randbytes(MIN_PDU)
            return self.case(c, "frame", [e], ["resigned"], closes=True,
                             cut=self.rng.randrange(0, MIN_PDU))
        if how == 1:
            e = self.u_baseline(c)
            return self.case(c, "frame", [e], ["resigned"], length=w.MAX_FRAME,
                             closes=True)
        e = self.u_baseline(c)
        if how == 2:
            e = self.rng.choice((b"\xfeSMX", b"\x00\x00\x00\x00", b"SMB2")) + e[4:]
            return self.case(c, "frame", [e], ["resigned"], closes=True)
        e += self.rng.randbytes(self.rng.randrange(1, 4096))
        return self.case(c, "frame", [e], ["resigned"])

    def unauth(self, n):
        """N mutated frames on connections with no session."""
        for d in w.DIALECTS:
            self.login(d)
        classes = [k for k in self.mix]
        weights = [self.mix[k] for k in classes]
        c = None
        while self.st.total["frames"] < n:
            if c is None or c.closed or c.count >= PER_CONN or c.avail < 12:
                if c is not None:
                    self.finish(c)
                cls = self.rng.choices(classes, weights)[0]
                c = self.fresh(negotiated=cls != "negotiate")
                c.negotiated, c.count = cls != "negotiate", 0
            else:
                cls = self.rng.choices(classes, weights)[0]
                if cls == "negotiate" and self.rng.random() < 0.7:
                    continue
            batch = []
            while len(batch) < 8 and self.st.total["frames"] + len(batch) < n \
                    and c.avail >= 12:
                batch.append(getattr(self, "u_" + cls)(c))
                if batch[-1].closes or cls == "negotiate":
                    break
                cls = self.rng.choices(classes, weights)[0]
                if cls == "negotiate":
                    break
            c.count += len(batch)
            if c.negotiated:
                self.send(c, batch)
            else:
                # Whether a connection that has not negotiated answers
                # anything is the server's choice: it must close once we
                # are done.
                self.send(c, batch, probe=False)
                self.finish(c)
        if c is not None:
            self.finish(c)
        for d, v in sorted(self.conns.items()):
            if self.probe(v) is None:
                raise w.Fail(f"the SMB {d} session did not survive the "
                             "unauthenticated storm: its connection closed")
            self.finish(v)

