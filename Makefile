# guard - build, test, install.  See INSTALL.
#
# Two programs are built:
#   build/guard      the everyday binary (check, -c, hooks, the shell).  It links
#                    readline, inih and jansson statically, so starting it costs
#                    little more than starting /bin/true.
#   build/guard-git  everything that reads a git repository (derive, pre-push).
#                    Only it links libgit2, whose start-up costs ~15 ms; guard
#                    execs it for those subcommands and never on the hot path.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/guard
MANDIR   ?= $(PREFIX)/share/man
DATADIR  ?= $(PREFIX)/share/guard
SYSCONFDIR ?= /etc
DESTDIR  ?=

BUILD    ?= build
CC       ?= cc
PKG_CONFIG ?= pkg-config

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -MMD -MP \
           -DGUARD_VERSION='"$(VERSION)"' -DGUARD_LIBEXECDIR='"$(LIBEXECDIR)"' \
           -DGUARD_SYSCONFDIR='"$(SYSCONFDIR)"' -DGUARD_DATADIR='"$(DATADIR)"'

# readline, inih and jansson are linked statically: each shared library costs
# start-up time on every check (tech-notes 1.5).  STATIC_LIBS=0 links them
# dynamically instead.
STATIC_LIBS ?= 1
ifeq ($(STATIC_LIBS),1)
GUARD_LIBS = -Wl,-Bstatic -lreadline -ltinfo -linih -ljansson -Wl,-Bdynamic
else
GUARD_LIBS = -lreadline -linih -ljansson
endif
GIT_CFLAGS = $(shell $(PKG_CONFIG) --cflags libgit2 2>/dev/null)
GIT_LIBS   = $(shell $(PKG_CONFIG) --libs libgit2 2>/dev/null || echo -lgit2)
LDFLAGS ?=
ALL_LDFLAGS = -Wl,-O1 -Wl,--as-needed $(LDFLAGS)

SRCS      = $(wildcard guard/*.c)
GIT_SRCS  = $(filter guard/git_%.c,$(SRCS))
CORE_SRCS = $(filter-out guard/main.c $(GIT_SRCS),$(SRCS))
CORE_OBJS = $(CORE_SRCS:guard/%.c=$(BUILD)/obj/%.o)
GIT_OBJS  = $(GIT_SRCS:guard/%.c=$(BUILD)/obj/%.o)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%.t)
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)

.PHONY: all check test deps sanitize valgrind fuzz bench demo install uninstall \
        install-shell clean format format-check

all: $(BUILD)/guard $(BUILD)/guard-git

$(BUILD)/obj/%.o: guard/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/git_%.o: guard/git_%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(GIT_CFLAGS) -c -o $@ $<

$(BUILD)/libguard.a: $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/guard: $(BUILD)/obj/main.o $(BUILD)/libguard.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(GUARD_LIBS)

$(BUILD)/guard-git: $(GIT_OBJS) $(BUILD)/libguard.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(GIT_LIBS) $(GUARD_LIBS)

# The test build (tests only, never installed): guard and guard-git with
# failsafe.c compiled with -DGUARD_TEST_SEAMS, which honours GUARD_TEST_FAULT
# and GUARD_TEST_TIME_LIMIT so the tests can make guard crash or hang on
# purpose (guard/failsafe.h).  Everything else is the same objects; the
# linker takes failsafe-test.o and so never pulls failsafe.o from the archive.
TEST_SEAMS = $(BUILD)/test-seams/guard $(BUILD)/test-seams/guard-git
$(BUILD)/obj/failsafe-test.o: guard/failsafe.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DGUARD_TEST_SEAMS -c -o $@ $<

$(BUILD)/test-seams/guard: $(BUILD)/obj/main.o $(BUILD)/obj/failsafe-test.o $(BUILD)/libguard.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(GUARD_LIBS)

$(BUILD)/test-seams/guard-git: $(GIT_OBJS) $(BUILD)/obj/failsafe-test.o $(BUILD)/libguard.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(GIT_LIBS) $(GUARD_LIBS)

$(BUILD)/tests/%.t: tests/unit/%.c tests/unit/tap.h $(BUILD)/libguard.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iguard -o $@ $< $(BUILD)/libguard.a $(GUARD_LIBS)

# Installs the Debian packages the build and the tests need (when run as root
# on a machine that lacks them), so `make check` works on a fresh machine.
deps:
	@sh tests/install-deps

# The README's test command.  Unit tests are TAP programs, the rest are
# scripts in tests/t; prove runs them all and prints the summary CI reads.
# XDG_CACHE_HOME: the compiled policies tests make stay in the build tree
# (each script test uses its own, in tests/lib/tap.sh).
check: deps all $(UNIT_BINS) $(TEST_SEAMS)
	XDG_CACHE_HOME=$(abspath $(BUILD))/test-cache GUARD_BUILD=$(abspath $(BUILD)) prove -f --exec '' $(UNIT_BINS) $(sort $(wildcard tests/t/*.t))
test: check

# Sanitizer runs: every sanitizer report ends the process with status 99, so a
# test that expects an exit status (guard uses 1 and 2 for warn and deny) sees
# the difference; leaks count.  readline, inih and jansson stay statically
# linked as in the release build (their malloc calls still go to ASan).
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# GUARD_SANITIZE=1 tells tests that guard runs under ASan (which cannot start
# under `ulimit -v`: skip such tests then, as under GUARD_VALGRIND).
SAN_ENV   = ASAN_OPTIONS=exitcode=99:detect_leaks=1:abort_on_error=0 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99 GUARD_SANITIZE=1
sanitize:
	$(SAN_ENV) $(MAKE) BUILD=build/san CC=clang CFLAGS="-O1 -g $(SAN_FLAGS)" \
	  LDFLAGS="$(SAN_FLAGS)" check

# The suite under valgrind: tests/lib/tap.sh wraps $$GUARD and $$GUARD_GIT (a
# leak or memory error exits 99), and the unit test programs run under it too.
# --run-libc-freeres=no: otherwise valgrind flushes stdio in a child that
# calls _exit() (glibc's freeres runs _IO_cleanup), which a real run never
# does, so a forked child would print its parent's buffered output again.
VALGRIND = valgrind -q --run-libc-freeres=no --leak-check=full --show-leak-kinds=definite,indirect,possible \
           --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
           --suppressions=$(abspath tests/valgrind.supp)
valgrind: deps all $(UNIT_BINS) $(TEST_SEAMS)
	$(if $(UNIT_BINS),XDG_CACHE_HOME=$(abspath $(BUILD))/test-cache GUARD_BUILD=$(abspath $(BUILD)) prove -f --exec '$(VALGRIND)' $(UNIT_BINS))
	XDG_CACHE_HOME=$(abspath $(BUILD))/test-cache GUARD_BUILD=$(abspath $(BUILD)) GUARD_VALGRIND=1 prove -f --exec '' $(sort $(wildcard tests/t/*.t))

FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) tests/fuzz/run

bench: deps all
	GUARD_BUILD=$(abspath $(BUILD)) tests/bench/run

demo: deps all
	sh share/examples/demo.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/policies $(DESTDIR)$(DATADIR)/hooks
	install -m 0755 $(BUILD)/guard $(DESTDIR)$(BINDIR)/guard
	install -m 0755 $(BUILD)/guard-git $(DESTDIR)$(LIBEXECDIR)/guard-git
	install -m 0644 share/man/guard.1 $(DESTDIR)$(MANDIR)/man1/guard.1
	install -m 0644 share/man/guard.ini.5 $(DESTDIR)$(MANDIR)/man5/guard.ini.5
	install -m 0644 policies/*.ini $(DESTDIR)$(DATADIR)/policies/
	install -m 0755 hooks/* $(DESTDIR)$(DATADIR)/hooks/
	@if [ -d share/completion ] && ls share/completion/* >/dev/null 2>&1; then \
	  install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions && \
	  install -m 0644 share/completion/guard.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/guard; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/guard $(DESTDIR)$(LIBEXECDIR)/guard-git \
	  $(DESTDIR)$(MANDIR)/man1/guard.1 $(DESTDIR)$(MANDIR)/man5/guard.ini.5 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/guard
	rm -rf $(DESTDIR)$(DATADIR)
	-rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null

# Registers the installed guard in /etc/shells (see INSTALL).
install-shell:
	@grep -qx '$(BINDIR)/guard' $(DESTDIR)/etc/shells 2>/dev/null || \
	  echo '$(BINDIR)/guard' >> $(DESTDIR)/etc/shells

FORMAT_FILES = $(wildcard guard/*.c guard/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c \
                 tests/bench/*.c)
format:
	clang-format -i $(FORMAT_FILES)

# Lists the files clang-format would change (clang-format --dry-run FILE
# shows the differences); fails when there is one.
format-check:
	@bad=; for f in $(FORMAT_FILES); do \
	  clang-format --dry-run --Werror "$$f" 2>/dev/null || bad="$$bad $$f"; done; \
	if [ -n "$$bad" ]; then echo "not formatted (make format, or clang-format -i FILE):$$bad" >&2; exit 1; fi

clean:
	rm -rf build

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)
