/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CBC-MAC loop of AES-128-CMAC (RFC 4493, 2.4, steps 6) with AES-NI,
 * for SMB 3.x signing (MS-SMB2 3.1.4.1): the caller hands over every
 * block but the last and then the last block already XORed with K1 or
 * K2, so the loop itself is plain CBC-MAC. All eleven round keys stay in
 * registers for the whole call: one FPU section covers a whole message,
 * where the cmac(aes) template pays one aesni_encrypt() call (and FPU
 * section) per block.
 *
 * The round keys are struct crypto_aes_ctx.key_enc as aes_expandkey()
 * leaves it: 44 little-endian words, each round key the 16 bytes AESENC
 * takes (the layout aesni-intel_glue.c also falls back to).
 *
 * Leaf function: no stack, no calls, caller-saved registers only. The
 * caller holds the FPU (kernel_fpu_begin()).
 */
#include <linux/linkage.h>

#ifndef RET
#define RET	ret
#endif

.text

#define STATE	%rdi
#define RK	%rsi
#define SRC	%rdx
#define NBLK	%rcx

/*
 * void smbsign_cbcmac_aesni(u8 state[16], const u32 key_enc[44],
 *			     const u8 *src, size_t nblocks);
 *
 * For each block: state = AES-128-Encrypt(key, state ^ block).
 */
SYM_FUNC_START(smbsign_cbcmac_aesni)
	test		NBLK, NBLK
	jz		.Lout
	movdqu		(STATE), %xmm0
	movdqu		0x00(RK), %xmm1
	movdqu		0x10(RK), %xmm2
	movdqu		0x20(RK), %xmm3
	movdqu		0x30(RK), %xmm4
	movdqu		0x40(RK), %xmm5
	movdqu		0x50(RK), %xmm6
	movdqu		0x60(RK), %xmm7
	movdqu		0x70(RK), %xmm8
	movdqu		0x80(RK), %xmm9
	movdqu		0x90(RK), %xmm10
	movdqu		0xa0(RK), %xmm11
.Lloop:
	movdqu		(SRC), %xmm12
	pxor		%xmm12, %xmm0
	pxor		%xmm1, %xmm0
	aesenc		%xmm2, %xmm0
	aesenc		%xmm3, %xmm0
	aesenc		%xmm4, %xmm0
	aesenc		%xmm5, %xmm0
	aesenc		%xmm6, %xmm0
	aesenc		%xmm7, %xmm0
	aesenc		%xmm8, %xmm0
	aesenc		%xmm9, %xmm0
	aesenc		%xmm10, %xmm0
	aesenclast	%xmm11, %xmm0
	add		$0x10, SRC
	dec		NBLK
	jnz		.Lloop
	movdqu		%xmm0, (STATE)
	/* No round key stays behind in a register the next user may read. */
	pxor		%xmm1, %xmm1
	pxor		%xmm2, %xmm2
	pxor		%xmm3, %xmm3
	pxor		%xmm4, %xmm4
	pxor		%xmm5, %xmm5
	pxor		%xmm6, %xmm6
	pxor		%xmm7, %xmm7
	pxor		%xmm8, %xmm8
	pxor		%xmm9, %xmm9
	pxor		%xmm10, %xmm10
	pxor		%xmm11, %xmm11
.Lout:
	RET
SYM_FUNC_END(smbsign_cbcmac_aesni)
