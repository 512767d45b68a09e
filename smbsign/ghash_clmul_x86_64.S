/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GHASH (NIST SP 800-38D, 6.4) over whole 16-byte blocks with PCLMULQDQ,
 * four blocks per reduction, for AES-128-GMAC signing (MS-SMB2 3.1.4.1),
 * where the whole message is GCM's additional data.
 *
 * Y_i = (Y_{i-1} ^ B_i) * H in GF(2^128). Four blocks at once:
 *
 *	Y_{i+4} = (Y_i ^ B_1) * H^4 ^ B_2 * H^3 ^ B_3 * H^2 ^ B_4 * H
 *
 * The four 256-bit products are summed unreduced (multiplication
 * distributes over xor) and reduced once; each product is three
 * PCLMULQDQs (Karatsuba). A tail loop takes the last 0-3 blocks one at a
 * time.
 *
 * Representation. GCM numbers the bits of a block from the most
 * significant bit of byte 0 (the coefficient of x^0). Each block is byte
 * reversed (PSHUFB) into a register, whose bit 127 is then x^0 and bit 0
 * is x^127: a bit-reflected polynomial. PCLMULQDQ of two reflected
 * 128-bit values gives the 255-bit reflected product one bit position
 * short of its 256-bit place, that is, the product multiplied by x. The
 * key powers are therefore stored premultiplied by x^-1 (struct
 * smbsign_ghash_key, computed in C by smbsign_ghash_key_set()): no
 * per-block shift is needed.
 *
 * Reduction modulo P = x^128 + x^7 + x^2 + x + 1 of the reflected
 * 256-bit value [X3:X2:X1:X0] (64-bit words, X0 least significant: X0 and
 * X1 hold the coefficients of x^255..x^128) in two phases of shifts:
 *  1. D = X1 ^ (X0 << 63) ^ (X0 << 62) ^ (X0 << 57): the bits of X0 that
 *     the shifts of phase 2 would push past x^128 are folded back first;
 *  2. [X3:X2] ^= [D:X0] ^ ([D:X0] >> 1) ^ ([D:X0] >> 2) ^ ([D:X0] >> 7)
 *     (128-bit shifts): x^128 = x^7 + x^2 + x + 1, reflected.
 *
 * Leaf functions: no stack, no calls, every register used is
 * caller-saved. The caller holds the FPU (kernel_fpu_begin()).
 */
#include <linux/linkage.h>

#ifndef RET
#define RET	ret
#endif

.section	.rodata.cst16.smbsign_bswap, "aM", @progbits, 16
.align 16
.Lbswap:
	.octa	0x000102030405060708090a0b0c0d0e0f

.text

#define STATE	%rdi
#define KEY	%rsi
#define SRC	%rdx
#define NBLK	%rcx

#define X	%xmm0
#define LO	%xmm5
#define HI	%xmm6
#define MID	%xmm7
#define T1	%xmm8
#define T2	%xmm9
#define T3	%xmm10
#define BSWAP	%xmm15

/* struct smbsign_ghash_key: H^1..H^4 (times x^-1), then their Karatsuba halves. */
#define POW(n)	(((n) - 1) * 16)(KEY)
#define KAR(n)	(64 + ((n) - 1) * 16)(KEY)

/*
 * MUL_FIRST a, n: LO, HI, MID = the Karatsuba partial products of
 * a * H^n: a.lo*h.lo, a.hi*h.hi, (a.lo^a.hi)*(h.lo^h.hi). MUL_ACC adds
 * them instead. Clobber a, T1, T2, T3.
 */
.macro	MUL_FIRST a, n
	movdqu		POW(\n), T1
	pshufd		$0x4e, \a, MID
	pxor		\a, MID
	movdqa		\a, LO
	pclmulqdq	$0x00, T1, LO
	movdqa		\a, HI
	pclmulqdq	$0x11, T1, HI
	movdqu		KAR(\n), T1
	pclmulqdq	$0x00, T1, MID
.endm

.macro	MUL_ACC a, n
	movdqu		POW(\n), T1
	pshufd		$0x4e, \a, T3
	pxor		\a, T3
	movdqa		\a, T2
	pclmulqdq	$0x00, T1, T2
	pxor		T2, LO
	pclmulqdq	$0x11, T1, \a
	pxor		\a, HI
	movdqu		KAR(\n), T1
	pclmulqdq	$0x00, T1, T3
	pxor		T3, MID
.endm

/*
 * REDUCE: X = [HI:LO] + the Karatsuba middle MID, reduced modulo P.
 * Clobbers LO, HI, MID, T1, T2, T3.
 */
.macro	REDUCE
	/* MID = a.lo*h.hi ^ a.hi*h.lo: add it at bit 64. */
	pxor		LO, MID
	pxor		HI, MID
	movdqa		MID, T1
	pslldq		$8, T1
	psrldq		$8, MID
	pxor		T1, LO
	pxor		MID, HI
	/* Phase 1: LO = [D:X0]. */
	movdqa		LO, T1
	movdqa		LO, T2
	movdqa		LO, T3
	psllq		$63, T1
	psllq		$62, T2
	psllq		$57, T3
	pxor		T2, T1
	pxor		T3, T1
	pslldq		$8, T1
	pxor		T1, LO
	/* Phase 2: HI ^= [D:X0] ^ [D:X0]>>1 ^ [D:X0]>>2 ^ [D:X0]>>7. */
	movdqa		LO, T1
	movdqa		LO, T2
	movdqa		LO, T3
	psrlq		$1, T1
	psrlq		$2, T2
	psrlq		$7, T3
	pxor		T1, HI
	pxor		T2, HI
	pxor		T3, HI
	pxor		LO, HI
	/* The bits of D that the 128-bit shifts move into the low word. */
	movdqa		LO, T1
	movdqa		LO, T2
	movdqa		LO, T3
	psllq		$63, T1
	psllq		$62, T2
	psllq		$57, T3
	pxor		T2, T1
	pxor		T3, T1
	psrldq		$8, T1
	pxor		T1, HI
	movdqa		HI, X
.endm

/*
 * void smbsign_ghash_clmul(u8 state[16], const struct smbsign_ghash_key *key,
 *			    const u8 *src, size_t nblocks);
 *
 * state = GHASH_H(state, the nblocks blocks at src), in GCM byte order.
 */
SYM_FUNC_START(smbsign_ghash_clmul)
	movdqa		.Lbswap(%rip), BSWAP
	movdqu		(STATE), X
	pshufb		BSWAP, X
	cmp		$4, NBLK
	jb		.Ltail

.Lloop4:
	movdqu		0x00(SRC), %xmm1
	movdqu		0x10(SRC), %xmm2
	movdqu		0x20(SRC), %xmm3
	movdqu		0x30(SRC), %xmm4
	pshufb		BSWAP, %xmm1
	pshufb		BSWAP, %xmm2
	pshufb		BSWAP, %xmm3
	pshufb		BSWAP, %xmm4
	pxor		X, %xmm1
	MUL_FIRST	%xmm1, 4
	MUL_ACC		%xmm2, 3
	MUL_ACC		%xmm3, 2
	MUL_ACC		%xmm4, 1
	REDUCE
	add		$0x40, SRC
	sub		$4, NBLK
	cmp		$4, NBLK
	jae		.Lloop4

.Ltail:
	test		NBLK, NBLK
	jz		.Ldone
.Lloop1:
	movdqu		(SRC), %xmm1
	pshufb		BSWAP, %xmm1
	pxor		X, %xmm1
	MUL_FIRST	%xmm1, 1
	REDUCE
	add		$0x10, SRC
	dec		NBLK
	jnz		.Lloop1

.Ldone:
	pshufb		BSWAP, X
	movdqu		X, (STATE)
	RET
SYM_FUNC_END(smbsign_ghash_clmul)
