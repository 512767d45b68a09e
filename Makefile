# SPDX-License-Identifier: GPL-2.0
#
#   make              smbsign.ko for KDIR, the smbsignctl tool and, on a
#                     provisioned machine, the patched cifs.ko and ksmbd.ko
#   make check        provision, build and run every test (KUnit, VM)
#   make check-debug  every end-to-end test on Debian's kernel booted with
#                     init_on_alloc=0 slub_debug=FZP and on the debug kernel
#                     (KASAN, UBSAN, lockdep, kmemleak; built first; its
#                     tests split over one VM per host CPU, or
#                     SMBSIGN_DEBUG_VMS), each console log checked for reports
#   make demo         boot the VM, load smbsign and show it working
#   make bench        the benchmarks of Documentation/performance.rst (in the
#                     VM and native; not in make check, which runs a smoke
#                     run of them), regenerating that file
#   make bench-module only tools/testing/bench/kmod/smbsign_bench.ko, the
#                     in-kernel benchmark (needs smbsign's Module.symvers)
#   make fuzz         the libFuzzer targets, one after another, for
#                     SMBSIGN_FUZZ_TIME seconds each (default 60), or
#                     SMBSIGN_FUZZ_RUNS executions each; prints the
#                     executions (make check runs a few seconds of each)
#   make storm        the malformed-traffic storm (e2e_storm.sh) with
#                     SMBSIGN_STORM_PDUS mutated PDUs (default 100000) on
#                     the debug kernel, its console checked for reports
#   make install      install smbsign.ko into /lib/modules/$(KERNELRELEASE)
#                     and smbsignctl (binary, man page, bash completion),
#                     and load smbsign at boot (boot/);
#                     INSTALL_MOD_PATH=DIR DESTDIR=DIR stage it under DIR
#   make uninstall    remove what make install installed
#   make dkms-install smbsign.ko and the patched cifs.ko and ksmbd.ko with
#                     DKMS (dkms/) for every installed 6.12 kernel (or
#                     KERNELS="KREL..."), smbsignctl, boot/
#   make dkms-remove  remove what make dkms-install installed
#   make tools        only smbsignctl
#   make smbmods      only the patched cifs.ko and ksmbd.ko (patches/), built
#                     out of tree from the provisioned linux-source-6.12
#
# KDIR defaults to the running kernel's build tree; on a machine whose
# running kernel has none (like the development VM host), to the Debian
# 6.12 headers that tools/testing/provision installed.

SMBSIGN_CACHE ?= $(HOME)/.cache/smbsign
-include $(SMBSIGN_CACHE)/env

ifeq ($(origin KDIR),undefined)
  ifneq ($(wildcard /lib/modules/$(shell uname -r)/build/Makefile),)
    KDIR := /lib/modules/$(shell uname -r)/build
  else
    KDIR := $(SMBSIGN_KDIR)
  endif
endif

# Build the KUnit module only for kernels that have KUnit.
KUNIT_M := $(if $(shell grep -s '^CONFIG_KUNIT=[ym]' $(KDIR)/.config),m)
KBUILD_ARGS := -C $(KDIR) M=$(CURDIR) CONFIG_SMBSIGN=m \
	CONFIG_SMBSIGN_KUNIT_TEST=$(KUNIT_M)

# The patched SMB modules need the provisioned source of the VM kernel.
SMBMODS := $(if $(wildcard $(SMBSIGN_KSRC)/Makefile),smbmods)

.PHONY: all modules tools smbmods clean install check check-debug demo \
	kunit vmtest provision checkpatch bench fuzz uninstall dkms-install \
	dkms-remove install-userspace uninstall-userspace bench-module storm

all: modules tools $(SMBMODS) bench-module

modules:
	@test -f "$(KDIR)/Makefile" || { echo "make: no kernel build tree at" \
		"'$(KDIR)'; run tools/testing/provision or pass KDIR=" >&2; exit 1; }
	$(MAKE) $(KBUILD_ARGS) modules

tools:
	$(MAKE) -C tools/smbsignctl

# The SMB modules link against smbsign: its Module.symvers first.
smbmods: modules
	tools/testing/smbmods/build

# The benchmark module links against smbsign: its Module.symvers first.
# modpost does not watch KBUILD_EXTRA_SYMBOLS: when smbsign's exports
# changed, its output goes, so that the module gets the new CRCs.
BENCH_KMOD := $(CURDIR)/tools/testing/bench/kmod
bench-module: modules
	@cmp -s Module.symvers $(BENCH_KMOD)/.smbsign.symvers || \
		rm -f $(BENCH_KMOD)/Module.symvers
	$(MAKE) -C $(KDIR) M=$(BENCH_KMOD) \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules
	@cp Module.symvers $(BENCH_KMOD)/.smbsign.symvers

clean:
	@test ! -f "$(KDIR)/Makefile" || $(MAKE) $(KBUILD_ARGS) clean
	@test ! -f "$(KDIR)/Makefile" || $(MAKE) -C $(KDIR) \
		M=$(CURDIR)/tools/testing/bench/kmod clean
	$(MAKE) -C tools/smbsignctl clean

# INSTALL_MOD_PATH and DESTDIR stage an install under another root.
INSTALL_MOD_DIR ?= updates
MODULES_LOAD_D ?= /lib/modules-load.d
KREL = $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)
DEPMOD = depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KREL)

install: modules install-userspace
	$(MAKE) $(KBUILD_ARGS) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install
	$(DEPMOD)

# modules_install keeps the module's directory: updates/smbsign/smbsign.ko.xz
uninstall: uninstall-userspace
	rm -fv $(INSTALL_MOD_PATH)/lib/modules/$(KREL)/$(INSTALL_MOD_DIR)/smbsign/smbsign*.ko*
	rmdir --ignore-fail-on-non-empty \
		$(INSTALL_MOD_PATH)/lib/modules/$(KREL)/$(INSTALL_MOD_DIR)/smbsign 2>/dev/null || true
	$(DEPMOD)

# Documentation/smbsign/install.rst
dkms-install: tools
	dkms/smbsign-dkms install $(KERNELS)
	$(MAKE) install-userspace

dkms-remove: uninstall-userspace
	dkms/smbsign-dkms remove

# smbsignctl and the boot file; uninstall-userspace removes the files that
# smbsignctl's make install puts into a scratch DESTDIR.
install-userspace: tools
	$(MAKE) -C tools/smbsignctl install
	install -D -m 0644 boot/modules-load.d/smbsign.conf \
		$(DESTDIR)$(MODULES_LOAD_D)/smbsign.conf

uninstall-userspace:
	rm -fv $(DESTDIR)$(MODULES_LOAD_D)/smbsign.conf
	@scratch=$$(mktemp -d) && \
	$(MAKE) -s -C tools/smbsignctl install DESTDIR=$$scratch >/dev/null && \
	(cd $$scratch && find . ! -type d) | while read -r f; do \
		rm -fv "$(DESTDIR)/$${f#./}"; done; \
	rc=$$?; rm -rf "$$scratch"; exit $$rc

provision:
	tools/testing/provision

check:
	tools/testing/check

check-debug:
	SMBSIGN_STAGES=debug-full tools/testing/check

demo:
	tools/testing/demo

kunit: provision
	tools/testing/kunit/run

vmtest: provision
	tools/testing/vm/selftests

checkpatch: provision
	tools/testing/checkpatch

bench:
	tools/testing/bench/run

fuzz: provision
	tools/testing/fuzz/libfuzzer

storm: provision
	tools/testing/storm/run
