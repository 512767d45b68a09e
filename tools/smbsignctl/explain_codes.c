// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: the codes explain knows, each with what the user sees on
 * Windows and on Linux, the cause, and the fix, narrowest first: fix the
 * peer, else exempt only that peer (unsigned_peers), and only as a last
 * resort stop requiring signing for every peer.
 *
 * Names, values and message texts come from the Windows SDK headers
 * ntstatus.h and winerror.h (as published in microsoft/win32metadata,
 * generation/WinSDK/RecompiledIdlHeaders/shared/), MS-ERREF 2.3.1, the
 * Linux 6.12 cifs sources (fs/smb/client: connect.c, cifsfs.c,
 * smb2maperror.c and the patches in patches/cifs), mount.cifs of
 * cifs-utils 7.0, and Samba (libcli/util/nterr.c: smbclient prints
 * NT_STATUS_ names, and "NT code 0x..." or "HRES code 0x..." for codes it
 * has no name for).
 */
#include "smbsignctl.h"

#define SDK "Windows SDK ntstatus.h and winerror.h (microsoft/win32metadata: generation/WinSDK/RecompiledIdlHeaders/shared)"

const struct code explain_codes[] = {
{
	0xc000a000, 0, "the signature of a message is missing or invalid",
	{ "STATUS_INVALID_SIGNATURE" },
	{ 0 },
	"The cryptographic signature is invalid.",
	{ "cryptographic signature is invalid", "invalid signature",
	  "bad signature" },
	"A message that had to be signed arrived unsigned, or its signature\n"
	"did not verify. Windows shows this code when a third-party server\n"
	"(a NAS, a printer) does not sign. Signatures that are present but\n"
	"wrong mean another key, tampering or a bug: 'smbsignctl stats' tells\n"
	"which (client unsigned_rejected: the server does not sign;\n"
	"verify_failed: its signatures are wrong).\n"
	"A Linux client never shows this code to the user: the mount or the\n"
	"operation fails with EACCES, \"mount error(13): Permission denied\",\n"
	"and the kernel log says (dmesg):\n"
	"  smbsign: client: refused SESSION_SETUP from 192.0.2.10 (...):\n"
	"    unsigned message while signing is required;\n"
	"    STATUS_INVALID_SIGNATURE (0xc000a000); see 'smbsignctl explain 0xc000a000'\n"
	"  CIFS: VFS: dropping response to command 0x1, message id 2:\n"
	"    NT status 0xc000a000 from smbsign\n"
	"  CIFS: VFS: \\\\nas Send error in SessSetup = -13\n"
	"A server that does not offer signing at all fails the mount earlier,\n"
	"with mount error(95) (see: smbsignctl explain EOPNOTSUPP).\n"
	"Samba's smbclient reports a missing or bad signature as\n"
	"NT_STATUS_ACCESS_DENIED.",
	"Linux client (cifs), client/require_signing 1 (the default):\n"
	"1. Best: turn signing on in the server.\n"
	"2. If that one server cannot sign, exempt only it, by the name the\n"
	"   mounts use (//nas.example.com/share) or by its address:\n"
	"     smbsignctl set client --unsigned-peers nas.example.com\n"
	"   The list replaces the current one ('smbsignctl get client' shows\n"
	"   it). Every other server still has to sign.\n"
	"3. Last resort, for every server (Windows:\n"
	"   Set-SmbClientConfiguration -RequireSecuritySignature $false):\n"
	"     smbsignctl set client --require-signing false\n"
	"Then unmount every mount of that server and mount again: cifs shares\n"
	"one session among them. smbsignctl set also saves the change in\n"
	"/etc/modprobe.d/smbsign.conf; 'echo 0 >\n"
	"/sys/kernel/smbsign/client/require_signing' changes only the running\n"
	"value.\n"
	"Windows client showing it for a Linux server (ksmbd): the server's\n"
	"signatures do not verify there. Look at 'smbsignctl stats' and dmesg\n"
	"on the server; if one algorithm is at fault, leave it out:\n"
	"  smbsignctl set algorithms aes-cmac,hmac-sha256\n"
	"Caution: a peer that does not sign can be impersonated and its\n"
	"traffic changed on the way.",
	SDK ", MS-ERREF 2.3.1",
},
{
	0xc0000022, 0, "access denied (signing required by the server?)",
	{ "STATUS_ACCESS_DENIED", "ERROR_ACCESS_DENIED", "E_ACCESSDENIED" },
	{ 5, 0x80070005 },
	"Access is denied.",
	{ "access is denied", "access denied" },
	"The server refused the request. Where signing is concerned: the\n"
	"request was unsigned, or its signature did not verify, on a session\n"
	"that must be signed; or the server refused a guest or anonymous\n"
	"session because it requires signing. smbclient prints it as\n"
	"\"session setup failed: NT_STATUS_ACCESS_DENIED\" or \"tree connect\n"
	"failed: NT_STATUS_ACCESS_DENIED\", and also when smbclient itself,\n"
	"with client signing = required, gets an unsigned or badly signed\n"
	"answer. The same status means plain permission problems too (share\n"
	"or file ACLs).",
	"Linux server (ksmbd), server/require_signing 1: if the server's\n"
	"counters grow ('smbsignctl stats': server unsigned_rejected,\n"
	"verify_failed or guest_refused), signing is the cause, and\n"
	"'smbsignctl audit' names the clients.\n"
	"1. Best: make the client sign, with a real account (Windows:\n"
	"   Set-SmbClientConfiguration -RequireSecuritySignature $true).\n"
	"2. If one client cannot, exempt only it, by address or prefix:\n"
	"     smbsignctl set server --unsigned-peers 192.0.2.7\n"
	"3. Last resort, for every client:\n"
	"     smbsignctl set server --require-signing false\n"
	"The clients must reconnect.\n"
	"Linux client getting it from a server that requires signing: keep\n"
	"signing required and mount with a user account, not as a guest:\n"
	"  smbsignctl set client --require-signing true",
	SDK,
},
{
	0xc05d0002, 0, "guest logons are blocked by the client",
	{ "STATUS_SMB_GUEST_LOGON_BLOCKED", "ERROR_SMB_GUEST_LOGON_BLOCKED" },
	{ 1272, 0x800704f8 },
	"You can't access this shared folder because your organization's "
	"security policies block unauthenticated guest access.",
	{ "security policies block unauthenticated guest access",
	  "can't access this shared folder because your organization",
	  "guest logon blocked", "insecure guest logons are not allowed" },
	"The server would only let the client in as a guest (it has no\n"
	"account for the user, or maps unknown users to guest, e.g. Samba's\n"
	"\"map to guest = bad user\"), and the client does not allow insecure\n"
	"guest logons. Windows error 1272 is the same refusal.\n"
	"A Linux client fails the mount with \"mount error(13): Permission\n"
	"denied\"; dmesg says:\n"
	"  smbsign: client: refused SESSION_SETUP from 192.0.2.10 (...):\n"
	"    insecure guest logons are not allowed;\n"
	"    STATUS_SMB_GUEST_LOGON_BLOCKED (0xc05d0002); ...\n"
	"  CIFS: VFS: \\\\nas session setup refused by the signing policy\n"
	"    (NT status 0xc05d0002)",
	"Linux client (cifs), client/allow_insecure_guest 0 (the default):\n"
	"1. Best: give the share a real user and mount with username= and\n"
	"   password=.\n"
	"2. If that one server only offers guest access, exempt only it (this\n"
	"   allows its guest sessions and waives signing for it alone):\n"
	"     smbsignctl set client --unsigned-peers nas.example.com\n"
	"3. Last resort, for every server: allow guest logons; a guest session\n"
	"   cannot sign, so required signing must go too:\n"
	"     smbsignctl set client --allow-insecure-guest true --require-signing false\n"
	"Then unmount every mount of that server and mount again.",
	SDK,
},
{
	0xc05d0003, 0, "guest logon refused: signing is required",
	{ "STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP",
	  "ERROR_SMB_GUEST_LOGON_BLOCKED_SIGNING_REQUIRED",
	  "STATUS_SMB_GUEST_LOGON_BLOCKED_SIGNING_REQUIRED" },
	{ 0xc05d0006 },
	"System error 3227320323 has occurred.",
	{ "system error 3227320323", "configured to require smb signing" },
	"The session would be a guest (or anonymous) session, which has no\n"
	"key and so cannot sign, and the client requires signing. Windows 11\n"
	"24H2 Pro, Enterprise and Education require signing by default, so\n"
	"guest shares that used to work stop working there.\n"
	"The number has two names in the Windows SDK. As an HRESULT\n"
	"(winerror.h), which is what \"System error 3227320323\" (net use)\n"
	"prints, 0xc05d0003 is ERROR_SMB_GUEST_LOGON_BLOCKED_SIGNING_REQUIRED:\n"
	"\"You can't access this shared folder because your computer is\n"
	"configured to require SMB signing.\" As an NTSTATUS (ntstatus.h)\n"
	"0xc05d0003 is STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP, \"Failed to\n"
	"negotiate a signing hash function\", the name smbsign's client logs\n"
	"for this refusal (no algorithm can sign a session without a key);\n"
	"Windows' NTSTATUS for the guest refusal is\n"
	"STATUS_SMB_GUEST_LOGON_BLOCKED_SIGNING_REQUIRED, 0xc05d0006.\n"
	"A Linux client fails the mount with \"mount error(13): Permission\n"
	"denied\"; dmesg says:\n"
	"  smbsign: client: refused SESSION_SETUP from 192.0.2.10 (...):\n"
	"    guest session while signing is required;\n"
	"    STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP (0xc05d0003); ...",
	"Linux client (cifs), client/require_signing 1, which refuses guest\n"
	"sessions whatever client/allow_insecure_guest says:\n"
	"1. Best: use a real account on the server.\n"
	"2. If that one server only offers guest access, exempt only it (its\n"
	"   guest sessions are allowed, every other server still signs):\n"
	"     smbsignctl set client --unsigned-peers nas.example.com\n"
	"3. Last resort, for every server:\n"
	"     smbsignctl set client --require-signing false --allow-insecure-guest true\n"
	"Then unmount every mount of that server and mount again.\n"
	"A Linux server (ksmbd) with server/require_signing 1 refuses guests\n"
	"with STATUS_ACCESS_DENIED instead (see: smbsignctl explain 0xc0000022).",
	SDK,
},
{
	0x80070035, 0, "the network path was not found",
	{ "ERROR_BAD_NETPATH" },
	{ 53 },
	"The network path was not found.",
	{ "network path was not found" },
	"Windows could not reach the share: a wrong name, name resolution,\n"
	"a firewall blocking TCP port 445, or no SMB server running. Windows\n"
	"Explorer also shows it when the client's policy blocks a guest-only\n"
	"share (insecure guest logons off, or signing required).",
	"A Linux client does not print this code; mount.cifs reports errno\n"
	"values (mount error(13), (95), (112), ...) and cifs logs to dmesg.\n"
	"Windows client and Linux server (ksmbd): check that ksmbd runs and\n"
	"port 445 is reachable. If the share is guest-only, give it a user;\n"
	"or allow guests on the Windows client (EnableInsecureGuestLogons,\n"
	"RequireSecuritySignature $false) and, if the Linux server requires\n"
	"signing (server/require_signing 1), exempt that client there:\n"
	"  smbsignctl set server --unsigned-peers 192.0.2.7\n"
	"See also: smbsignctl explain 0xc05d0002, smbsignctl explain 0xc05d0003.",
	SDK,
},
{
	0, 13, "permission denied (EACCES) from the SMB client",
	{ "EACCES" },
	{ 0 },
	"mount error(13): Permission denied",
	{ "error(13)", "permission denied" },
	"cifs failed with -EACCES. mount.cifs prints \"mount error(13):\n"
	"Permission denied\", other programs \"Permission denied\". The\n"
	"kernel log says why (dmesg | grep -E 'smbsign|CIFS'):\n"
	"- a wrong user name or password, the most common cause, not a\n"
	"  signing problem: \"CIFS: Status code returned 0xc000006d\n"
	"  STATUS_LOGON_FAILURE\";\n"
	"- smbsign refused the session or a response: a line\n"
	"  \"smbsign: client: refused ...; STATUS_... (0x...); see 'smbsignctl\n"
	"  explain 0x...'\", and from cifs \"CIFS: VFS: \\\\SERVER session setup\n"
	"  refused by the signing policy (NT status 0x...)\" or \"CIFS: VFS:\n"
	"  dropping response to command 0x..., message id N: NT status\n"
	"  0xc000a000 from smbsign\", then \"CIFS: VFS: \\\\SERVER Send error in\n"
	"  SessSetup = -13\" and \"CIFS: VFS: cifs_mount failed w/return code =\n"
	"  -13\".",
	"Explain the smbsign line itself, which names the exact refusal:\n"
	"  smbsignctl explain \"$(dmesg | grep 'smbsign: client: refused' | tail -n 1)\"\n"
	"For a guest-only or non-signing server the narrowest fix is to exempt\n"
	"only that server (see: smbsignctl explain 0xc000a000, 0xc05d0003):\n"
	"  smbsignctl set client --unsigned-peers nas.example.com\n"
	"'smbsignctl audit' lists the servers whose sessions could not sign.",
	"Linux errno (asm-generic/errno-base.h), cifs (fs/smb/client)",
},
{
	0, 95, "the server does not sign at all, and signing is required",
	{ "EOPNOTSUPP", "ENOTSUP" },
	{ 0 },
	"mount error(95): Operation not supported",
	{ "error(95)", "operation not supported",
	  "server does not support signing",
	  "signing is required but the connection does not sign" },
	"The client must sign (client/require_signing 1, a \"sign\" mount or\n"
	"SecurityFlags) and the server's NEGOTIATE response says it does not\n"
	"sign at all (no SIGNING_ENABLED in its SecurityMode, which MS-SMB2\n"
	"servers always set: an old or misconfigured device). cifs logs\n"
	"\"CIFS: VFS: Server does not support signing!\" or \"CIFS: VFS:\n"
	"\\\\SERVER signing is required but the connection does not sign\", and\n"
	"mount.cifs prints \"mount error(95): Operation not supported\". Windows\n"
	"shows 0xc000a000 (The cryptographic signature is invalid) here.",
	"1. Best: turn signing on in the server.\n"
	"2. If that one server cannot sign, exempt only it:\n"
	"     smbsignctl set client --unsigned-peers nas.example.com\n"
	"3. Last resort, for every server:\n"
	"     smbsignctl set client --require-signing false\n"
	"and mount without the \"sign\" option.",
	"Linux errno (asm-generic/errno.h), cifs (fs/smb/client/connect.c)",
},
{
	0xc000006d, 0, "wrong user name or password: not a signing problem",
	{ "STATUS_LOGON_FAILURE", "ERROR_LOGON_FAILURE" },
	{ 1326, 0x8007052e },
	"The user name or password is incorrect.",
	{ "user name or password is incorrect",
	  "attempted logon is invalid" },
	"The server did not accept the credentials. A Linux client shows it\n"
	"as \"mount error(13): Permission denied\" with \"CIFS: Status code\n"
	"returned 0xc000006d STATUS_LOGON_FAILURE\" in dmesg; smbclient as\n"
	"NT_STATUS_LOGON_FAILURE. Signing plays no part.",
	"Check the user name, password and domain (mount options username=,\n"
	"password=, domain=, or the credentials= file). Nothing in smbsign\n"
	"needs to change.",
	SDK,
},
};

const size_t nr_explain_codes = ARRAY_SIZE(explain_codes);
