/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of smbsign's policy decisions, for perf and bpftrace:
 *
 *   perf record -e smbsign:smbsign_verify_failed -e smbsign:smbsign_refused \
 *	-e smbsign:smbsign_nonce_refused
 *   bpftrace -e 'tracepoint:smbsign:smbsign_refused { printf("%s: %s\n",
 *		str(args->peer), str(args->reason)); }'
 *
 * Each carries the peer as logs show it ("server-name (192.0.2.7)" or
 * "192.0.2.7").
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM smbsign

#if !defined(_SMBSIGN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SMBSIGN_TRACE_H

#include <linux/tracepoint.h>

#define SMBSIGN_TRACE_PROTO						\
	TP_PROTO(unsigned int side, const char *peer, u64 session_id,	\
		 u64 message_id, u16 command, unsigned int alg,		\
		 u32 status, const char *reason)
#define SMBSIGN_TRACE_ARGS						\
	TP_ARGS(side, peer, session_id, message_id, command, alg, status, \
		reason)

DECLARE_EVENT_CLASS(smbsign_decision,
		    SMBSIGN_TRACE_PROTO,
		    SMBSIGN_TRACE_ARGS,
		    TP_STRUCT__entry(__field(u64, session_id)
				     __field(u64, message_id)
				     __field(u32, status)
				     __field(u16, command)
				     __field(u8, side)
				     __field(u8, alg)
				     __string(peer, peer)
				     __string(reason, reason)),
		    TP_fast_assign(__entry->session_id = session_id;
				   __entry->message_id = message_id;
				   __entry->status = status;
				   __entry->command = command;
				   __entry->side = side;
				   __entry->alg = alg;
				   __assign_str(peer);
				   __assign_str(reason);),
		    TP_printk("%s peer=%s session=0x%llx mid=%llu cmd=%u alg=%s status=0x%08x reason=%s",
			      __entry->side ? "server" : "client",
			      __get_str(peer),
			      __entry->session_id, __entry->message_id,
			      __entry->command,
			      __print_symbolic(__entry->alg,
					       { 0, "hmac-sha256" },
					       { 1, "aes-cmac" },
					       { 2, "aes-gmac" }),
			      __entry->status, __get_str(reason))
);

/* A message whose signature did not verify was refused. */
DEFINE_EVENT(smbsign_decision, smbsign_verify_failed,
	     SMBSIGN_TRACE_PROTO, SMBSIGN_TRACE_ARGS);

/* An unsigned message or a guest/anonymous session was refused by policy. */
DEFINE_EVENT(smbsign_decision, smbsign_refused,
	     SMBSIGN_TRACE_PROTO, SMBSIGN_TRACE_ARGS);

/*
 * An AES-GMAC context refused to sign a message whose nonce (MessageId and
 * role) it had used, or could no longer tell; status is 0.
 */
DEFINE_EVENT(smbsign_decision, smbsign_nonce_refused,
	     SMBSIGN_TRACE_PROTO, SMBSIGN_TRACE_ARGS);

#endif /* _SMBSIGN_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
