// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the smbsign KUnit suites. Every allocation is owned by
 * the test (kunit_kzalloc, kunit_add_action_or_reset), so a failing
 * assertion cleans up as well as a passing run.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/bvec.h>
#include <linux/hex.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/uio.h>

#include "kunit_util.h"

/* A key with no structure a bug could hide behind: 0x10, 0x11, ... 0x1f. */
const u8 smbsign_kt_key[SMBSIGN_KEY_SIZE] = {
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

/**
 * smbsign_kt_hex() - decode a hex string into test-owned memory
 * @test: the test
 * @hex: the string, an even number of hex digits
 * @len: its decoded length (output), or NULL
 *
 * Context: process context.
 * Return: the bytes; the test fails on a malformed string.
 */
u8 *smbsign_kt_hex(struct kunit *test, const char *hex, size_t *len)
{
	size_t n = strlen(hex) / 2;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, strlen(hex) % 2, 0);
	buf = kunit_kzalloc(test, n ?: 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, hex2bin(buf, hex, n), 0);
	if (len)
		*len = n;
	return buf;
}

/**
 * smbsign_kt_dup() - copy a buffer into test-owned memory
 * @test: the test
 * @src: the bytes
 * @len: how many
 *
 * Context: process context.
 * Return: the copy; the test fails if it cannot be allocated.
 */
u8 *smbsign_kt_dup(struct kunit *test, const void *src, size_t len)
{
	u8 *buf = kunit_kmalloc(test, len ?: 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memcpy(buf, src, len);
	return buf;
}

static void put_le(u8 *p, u64 v, unsigned int n)
{
	while (n--) {
		*p++ = v;
		v >>= 8;
	}
}

/**
 * smbsign_kt_put_hdr() - write a synthetic SMB2 header
 * @buf: 64 bytes
 * @h: the fields; CreditCharge, CreditRequest and TreeId are 1, Status
 *	and Signature 0
 *
 * Context: any context.
 */
void smbsign_kt_put_hdr(u8 *buf, const struct smbsign_kt_hdr *h)
{
	memset(buf, 0, SMBSIGN_HDR_SIZE);
	memcpy(buf, "\xfeSMB", 4);
	put_le(buf + 4, SMBSIGN_HDR_SIZE, 2);
	put_le(buf + 6, 1, 2);
	put_le(buf + 12, h->command, 2);
	put_le(buf + 14, 1, 2);
	put_le(buf + 16, h->flags, 4);
	put_le(buf + 20, h->next_command, 4);
	put_le(buf + 24, h->message_id, 8);
	put_le(buf + 36, 1, 4);
	put_le(buf + 40, h->session_id, 8);
}

static void ctx_free_action(void *ctx)
{
	smbsign_ctx_free(ctx);
}

struct knob_save {
	enum smbsign_knob knob;
	bool value;
};

static void knob_restore(void *arg)
{
	struct knob_save *s = arg;

	smbsign_policy_set_knob(s->knob, s->value ? "1" : "0", 1);
}

/**
 * smbsign_kt_set_knob() - set a policy switch for the rest of a test
 * @test: the test; the old value comes back when it ends
 * @knob: the switch
 * @v: its value
 *
 * Context: process context.
 */
void smbsign_kt_set_knob(struct kunit *test, enum smbsign_knob knob, bool v)
{
	struct knob_save *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->knob = knob;
	s->value = smbsign_policy_knob(knob);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, knob_restore, s),
			0);
	KUNIT_ASSERT_EQ(test, smbsign_policy_set_knob(knob, v ? "1" : "0", 1),
			0);
}

struct peers_save {
	enum smbsign_side side;
	char old[PAGE_SIZE];
};

static void peers_restore(void *arg)
{
	struct peers_save *s = arg;

	smbsign_policy_set_peers(s->side, s->old, strlen(s->old));
}

/**
 * smbsign_kt_set_peers() - set a side's unsigned_peers for the rest of a
 *	test
 * @test: the test; the old list comes back when it ends
 * @side: the side
 * @list: the list, as written to sysfs
 *
 * Context: process context.
 */
void smbsign_kt_set_peers(struct kunit *test, enum smbsign_side side,
			  const char *list)
{
	struct peers_save *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->side = side;
	smbsign_policy_format_peers(side, s->old);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, peers_restore,
							s), 0);
	KUNIT_ASSERT_EQ(test, smbsign_policy_set_peers(side, list,
						       strlen(list)), 0);
}

static void session_exit_action(void *sess)
{
	smbsign_session_exit(sess);
}

/**
 * smbsign_kt_sockaddr() - a socket address from an IP address string
 * @test: the test
 * @ip: "192.0.2.1" or "2001:db8::1"
 *
 * Context: process context.
 * Return: the address, freed when the test ends; the test fails if @ip
 * is neither.
 */
struct sockaddr *smbsign_kt_sockaddr(struct kunit *test, const char *ip)
{
	struct sockaddr_storage *ss = kunit_kzalloc(test, sizeof(*ss),
						    GFP_KERNEL);
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct smbsign_peer_list *l = kunit_kzalloc(test, sizeof(*l),
						    GFP_KERNEL);
	bool v4_mapped;

	/* peers.c reads addresses; the KUnit kernel has no networking. */
	KUNIT_ASSERT_NOT_NULL(test, ss);
	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_EQ_MSG(test, smbsign_parse_peers(ip, strlen(ip), false, l),
			    0, "bad address %s", ip);
	KUNIT_ASSERT_EQ(test, l->nr, 1);
	/* peers.c stores ::ffff:a.b.c.d as IPv4: keep the mapped form. */
	v4_mapped = strchr(ip, ':') && l->entry[0].kind == SMBSIGN_PEER_IPV4;
	if (l->entry[0].kind == SMBSIGN_PEER_IPV4 && !v4_mapped) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, l->entry[0].addr, 4);
	} else {
		sin6->sin6_family = AF_INET6;
		if (v4_mapped) {
			sin6->sin6_addr.s6_addr[10] = 0xff;
			sin6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sin6->sin6_addr.s6_addr[12], l->entry[0].addr, 4);
		} else {
			memcpy(&sin6->sin6_addr, l->entry[0].addr, 16);
		}
	}
	return (struct sockaddr *)ss;
}

/**
 * smbsign_kt_session() - a session as a consumer sets it up, ended when
 *	the test ends
 * @test: the test
 * @side: its side
 * @ip: the peer's address as a string, or NULL
 * @name: the peer's name (client), or NULL
 *
 * Context: process context.
 * Return: the session, after smbsign_session_init(); the test fails if
 * that fails.
 */
struct smbsign_session *smbsign_kt_session(struct kunit *test,
					   enum smbsign_side side,
					   const char *ip, const char *name)
{
	struct smbsign_session *sess = kunit_kzalloc(test, sizeof(*sess),
						     GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sess);
	KUNIT_ASSERT_EQ(test, smbsign_session_init(sess, side,
						   ip ? smbsign_kt_sockaddr(test, ip) : NULL,
						   name), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							session_exit_action,
							sess), 0);
	return sess;
}

/**
 * smbsign_kt_ctx_side() - allocate a context of one side, freed when the
 *	test ends
 * @test: the test
 * @side: SMBSIGN_CLIENT signs requests, SMBSIGN_SERVER responses
 * @alg: the algorithm
 * @key: 16 bytes
 *
 * Context: process context.
 * Return: the context; the test fails if it cannot be allocated.
 */
struct smbsign_ctx *smbsign_kt_ctx_side(struct kunit *test,
					enum smbsign_side side,
					enum smbsign_alg alg, const u8 *key)
{
	struct smbsign_ctx *ctx = smbsign_ctx_create(side, NULL, alg, key,
						     SMBSIGN_KEY_SIZE);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ctx_free_action,
							ctx), 0);
	return ctx;
}

/**
 * smbsign_kt_ctx() - allocate a client context freed when the test ends
 * @test: the test
 * @alg: the algorithm
 * @key: 16 bytes
 *
 * Context: process context.
 * Return: the context; the test fails if it cannot be allocated.
 */
struct smbsign_ctx *smbsign_kt_ctx(struct kunit *test, enum smbsign_alg alg,
				   const u8 *key)
{
	return smbsign_kt_ctx_side(test, SMBSIGN_CLIENT, alg, key);
}

/**
 * smbsign_kt_msg() - describe a buffer as kvecs cut at the given offsets
 * @test: the test
 * @buf: the message
 * @len: its length
 * @cuts: ascending offsets at which a new kvec starts
 * @ncuts: number of offsets
 *
 * Context: process context.
 * Return: the message description, owned by the test.
 */
struct smbsign_msg *smbsign_kt_msg(struct kunit *test, u8 *buf, size_t len,
				   const size_t *cuts, unsigned int ncuts)
{
	struct smbsign_msg *msg;
	struct kvec *iov;
	size_t start = 0;
	unsigned int i;

	msg = kunit_kzalloc(test, sizeof(*msg), GFP_KERNEL);
	iov = kunit_kcalloc(test, ncuts + 1, sizeof(*iov), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, msg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, iov);
	for (i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : len;

		KUNIT_ASSERT_LE(test, start, end);
		iov[i].iov_base = buf + start;
		iov[i].iov_len = end - start;
		start = end;
	}
	msg->iov = iov;
	msg->nr_iov = ncuts + 1;
	return msg;
}

static void mac_destroy_action(void *mac)
{
	smbsign_mac_destroy(mac);
}

/**
 * smbsign_kt_mac() - key a raw backend, destroyed when the test ends
 * @test: the test
 * @alg: the algorithm
 * @key: the key
 * @key_len: any length the transform accepts
 *
 * Context: process context.
 * Return: the backend; the test fails if it cannot be keyed.
 */
struct smbsign_mac *smbsign_kt_mac(struct kunit *test, enum smbsign_alg alg,
				   const u8 *key, size_t key_len)
{
	struct smbsign_mac *mac = kunit_kzalloc(test, sizeof(*mac), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mac);
	KUNIT_ASSERT_EQ(test, smbsign_mac_init(mac, alg, key, key_len), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							mac_destroy_action, mac), 0);
	return mac;
}

static void free_page_action(void *page)
{
	__free_page(page);
}

/**
 * smbsign_kt_msg_pages() - describe a buffer as a kvec head plus a bvec payload
 * @test: the test
 * @buf: the message
 * @len: its length
 * @head: bytes of @buf in the kvec; the rest is copied into freshly
 *	allocated pages, at an odd offset in the first page, and described
 *	by an ITER_BVEC data iterator, as cifs describes READ and WRITE data
 *
 * Context: process context.
 * Return: the message description, owned by the test.
 */
struct smbsign_msg *smbsign_kt_msg_pages(struct kunit *test, u8 *buf, size_t len,
					 size_t head)
{
	size_t left = len - head, done = 0, off = 7;
	unsigned int npages = DIV_ROUND_UP(left + off, PAGE_SIZE), i;
	struct smbsign_msg *msg = smbsign_kt_msg(test, buf, head, NULL, 0);
	struct iov_iter *iter;
	struct bio_vec *bv;

	iter = kunit_kzalloc(test, sizeof(*iter), GFP_KERNEL);
	bv = kunit_kcalloc(test, npages, sizeof(*bv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, iter);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bv);
	for (i = 0; i < npages; i++) {
		struct page *page = alloc_page(GFP_KERNEL);
		size_t n = min_t(size_t, left - done, PAGE_SIZE - off);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								free_page_action, page), 0);
		memcpy_to_page(page, off, buf + head + done, n);
		bvec_set_page(&bv[i], page, n, off);
		done += n;
		off = 0;
	}
	iov_iter_bvec(iter, ITER_SOURCE, bv, npages, left);
	msg->data = iter;
	return msg;
}

/**
 * smbsign_kt_expect_sig() - expect the Signature field of a header
 * @test: the test
 * @buf: the header
 * @hex: the expected 16 bytes, in hex
 *
 * Context: process context.
 */
void smbsign_kt_expect_sig(struct kunit *test, const u8 *buf, const char *hex)
{
	u8 *want = smbsign_kt_hex(test, hex, NULL);

	KUNIT_EXPECT_MEMEQ(test, buf + SMBSIGN_SIG_OFFSET, want,
			   SMBSIGN_SIG_SIZE);
}

MODULE_DESCRIPTION("KUnit tests for smbsign");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SMBSIGN);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void crypto_api_only_off(void *unused)
{
	smbsign_select_set_crypto_api_only("0", 1);
}

/**
 * smbsign_kt_crypto_api_only() - sign through the crypto API until the
 *	test ends
 * @test: the test
 *
 * Sets crypto_api_only, and clears it again when the test ends, however
 * it ends: for tests of the crypto API path's own state.
 *
 * Context: process context.
 */
void smbsign_kt_crypto_api_only(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, smbsign_select_set_crypto_api_only("1", 1), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							crypto_api_only_off,
							NULL), 0);
}
