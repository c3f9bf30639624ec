# libfips: the C ABI of fips. `scripts/test-ffi` runs every check below, as CI does.
#
#   make lib                      build target/release/libfips.{so,a}
#   make header                   regenerate include/fips.h (needs cbindgen $(CBINDGEN_VERSION))
#   make cli                      build target/release/fipsctl
#   make install PREFIX=/opt/fips lay out bin/fipsctl, lib/libfips.{so,a}, include/fips.h,
#                                 lib/pkgconfig/fips.pc and fips-static.pc,
#                                 share/man/man1/fipsctl.1
#   make test-c                   the C suite (plain, valgrind, AddressSanitizer)
#   make test-go                  the Go suite (shared and static library, -race)
#
# FEATURES=fips builds libfips and fipsctl over the FIPS-validated AWS-LC module (needs Go and
# CMake); without it every build uses the regular, non-validated AWS-LC.
# FEATURES=test-panic or FEATURES=break-kat builds a test-only library (never install one).

comma := ,
CARGO ?= cargo
GO ?= go
PREFIX ?= /usr/local
FEATURES ?=
CBINDGEN_VERSION := 0.29.4

TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))
# A test-only flavour (FEATURES=...) builds in a target directory of its own, so that the
# plain target/release/libfips.* that `make install` takes is never a break-kat or
# test-panic library left by `make stage`.
FLAVOUR_TARGET_DIR := $(if $(FEATURES),$(TARGET_DIR)/flavours/$(subst $(comma),-,$(FEATURES)),$(TARGET_DIR))
BUILD_DIR := $(FLAVOUR_TARGET_DIR)/release
# Test installs, one prefix per build flavour.
STAGE := $(TARGET_DIR)/ffi
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
SOMAJOR := 0
# What the static library needs besides itself (`cargo rustc -- --print native-static-libs`).
NATIVE_STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
ABS_PREFIX = $(abspath $(PREFIX))
LIBDIR = $(ABS_PREFIX)/lib
# The directories the dynamic loader searches without being told (ld.so(8): the trusted
# directories). A library installed anywhere else is found at run time only through an
# rpath, LD_LIBRARY_PATH or ldconfig: fips.pc then gives programs an rpath, so that
# `cc x.c $(pkg-config --cflags --libs fips) && ./a.out` runs as it links.
LOADER_DIRS := /lib /lib64 /usr/lib /usr/lib64
RPATH = $(if $(filter $(LIBDIR),$(LOADER_DIRS)),,-Wl$(comma)-rpath$(comma)$${libdir} )

.PHONY: lib cli header install stage test-c test-go test-go-shared test-go-static test-go-panic test-go-break-kat

lib:
	CARGO_TARGET_DIR=$(FLAVOUR_TARGET_DIR) $(CARGO) build --release --locked -p fips-ffi $(if $(FEATURES),--features $(FEATURES))

# fipsctl: never a test-only flavour; FEATURES=fips builds it, as libfips, over the
# FIPS-validated module, in the same target directory.
CLI_FEATURES := $(filter fips,$(subst $(comma), ,$(FEATURES)))
CLI_TARGET_DIR := $(if $(CLI_FEATURES),$(TARGET_DIR)/flavours/fips,$(TARGET_DIR))
cli:
	CARGO_TARGET_DIR=$(CLI_TARGET_DIR) $(CARGO) build --release --locked -p fips-cli $(if $(CLI_FEATURES),--features fips)

header:
	@cbindgen --version | grep -qx 'cbindgen $(CBINDGEN_VERSION)' || { \
	  echo "make header: needs cbindgen $(CBINDGEN_VERSION):" \
	       "cargo install cbindgen --version =$(CBINDGEN_VERSION) --locked" >&2; exit 1; }
	cd fips-ffi && cbindgen --quiet --config cbindgen.toml --crate fips-ffi --output ../include/fips.h

install: lib cli
	install -d $(DESTDIR)$(ABS_PREFIX)/lib/pkgconfig $(DESTDIR)$(ABS_PREFIX)/include \
	  $(DESTDIR)$(ABS_PREFIX)/bin $(DESTDIR)$(ABS_PREFIX)/share/man/man1
	install -m 0755 $(CLI_TARGET_DIR)/release/fipsctl $(DESTDIR)$(ABS_PREFIX)/bin/fipsctl
	$(CLI_TARGET_DIR)/release/fipsctl man > $(DESTDIR)$(ABS_PREFIX)/share/man/man1/fipsctl.1
	install -m 0644 include/fips.h $(DESTDIR)$(ABS_PREFIX)/include/fips.h
	install -m 0755 $(BUILD_DIR)/libfips.so $(DESTDIR)$(ABS_PREFIX)/lib/libfips.so.$(VERSION)
	ln -sfn libfips.so.$(VERSION) $(DESTDIR)$(ABS_PREFIX)/lib/libfips.so.$(SOMAJOR)
	ln -sfn libfips.so.$(SOMAJOR) $(DESTDIR)$(ABS_PREFIX)/lib/libfips.so
	install -m 0644 $(BUILD_DIR)/libfips.a $(DESTDIR)$(ABS_PREFIX)/lib/libfips.a
	printf '%s\n' \
	  'prefix=$(ABS_PREFIX)' 'exec_prefix=$${prefix}' 'libdir=$${exec_prefix}/lib' \
	  'includedir=$${prefix}/include' '' \
	  'Name: fips' \
	  'Description: FIPS 140 compliance policy engine for Kubernetes provisioning (C ABI)' \
	  'Version: $(VERSION)' \
	  'Cflags: -I$${includedir}' \
	  'Libs: -L$${libdir} $(RPATH)-lfips' \
	  'Libs.private: $(NATIVE_STATIC_LIBS)' \
	  > $(DESTDIR)$(ABS_PREFIX)/lib/pkgconfig/fips.pc
	printf '%s\n' \
	  'prefix=$(ABS_PREFIX)' 'exec_prefix=$${prefix}' 'libdir=$${exec_prefix}/lib' \
	  'includedir=$${prefix}/include' '' \
	  'Name: fips-static' \
	  'Description: libfips linked statically (libfips.a), for Go -tags fips_static' \
	  'Version: $(VERSION)' \
	  'Cflags: -I$${includedir}' \
	  'Libs: $${libdir}/libfips.a $(NATIVE_STATIC_LIBS)' \
	  > $(DESTDIR)$(ABS_PREFIX)/lib/pkgconfig/fips-static.pc

# The three test flavours of the library, each installed under $(STAGE)/<flavour>.
stage:
	$(MAKE) install PREFIX=$(STAGE)/plain
	$(MAKE) install PREFIX=$(STAGE)/test-panic FEATURES=test-panic
	$(MAKE) install PREFIX=$(STAGE)/break-kat FEATURES=break-kat

test-c: stage
	$(MAKE) -C tests/c check STAGE=$(STAGE)

# The Go suite against each test install (`make stage` first; `make test-go` does both).
# Shared: libfips.so through fips.pc; static: libfips.a through fips-static.pc.
go_test = cd go/fips && CGO_ENABLED=1 PKG_CONFIG_PATH=$(STAGE)/$(1)/lib/pkgconfig $(2) \
          $(GO) test -race -count=1 $(3) ./...

test-go: stage
	$(MAKE) --no-print-directory test-go-shared test-go-static test-go-panic test-go-break-kat

test-go-shared:
	cd go/fips && test -z "$$(gofmt -l .)" || { gofmt -l . >&2; echo "go/fips: run gofmt -w" >&2; exit 1; }
	cd go/fips && PKG_CONFIG_PATH=$(STAGE)/plain/lib/pkgconfig $(GO) vet ./...
	$(call go_test,plain,LD_LIBRARY_PATH=$(STAGE)/plain/lib,)

test-go-static:
	$(call go_test,plain,,-tags fips_static)
	@# The static test binary needs no libfips.so.
	cd go/fips && PKG_CONFIG_PATH=$(STAGE)/plain/lib/pkgconfig $(GO) test -c -o $(STAGE)/go-static.test \
	  -tags fips_static . && ! ldd $(STAGE)/go-static.test | grep libfips

test-go-panic:
	$(call go_test,test-panic,,-tags 'fips_static fips_test_panic' -run TestPanic)

test-go-break-kat:
	$(call go_test,break-kat,FIPS_BREAK_KAT=SHA-256,-tags 'fips_static fips_break_kat' -run TestBreakKat)
	$(call go_test,break-kat,FIPS_BREAK_KAT=ECDSA-P256-PCT,-tags 'fips_static fips_break_kat' -run TestBreakKat)
