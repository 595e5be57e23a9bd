# saiwu — plain make with pkg-config, in the manner of git, cgit and Redis.
#   make            build build/saiwu
#   make run        install what is missing, build, migrate, import, serve
#   make test       install what is missing, build, run every test level
#                   (tests/run-all.sh LEVEL... runs some of them)
#   make crashtest  kill -9 the server under load 200 times (CRASH_ROUNDS),
#                   checking after each restart that nothing acknowledged
#                   was lost
#   make fuzz       build the libFuzzer targets (tests/fuzz/) with clang and
#                   run each for FUZZ_SECONDS (default 300), two at a time
# Knobs: SANITIZE=1 (ASan+UBSan, objects in build-san/), DEVELOPER=1
# (warnings are errors), O=dir (object directory), FUZZ=1 (what `make fuzz`
# sets: clang's fuzzer instrumentation with ASan+UBSan, objects in build-fuzz/).

CC ?= cc
PKGS = libmicrohttpd jansson libsodium sqlite3 libpq libcurl gdlib libmagic libclamav \
	cairo pangocairo fontconfig libqrencode zlib
SANITIZE ?=
DEVELOPER ?=

ifeq ($(FUZZ),1)
O ?= build-fuzz
CC = clang
SAN_FLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
else ifeq ($(SANITIZE),1)
O ?= build-san
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
O ?= build
SAN_FLAGS =
endif

WARN = -Wall -Wextra -Wformat=2 -Wvla -Wshadow -Wpointer-arith \
	-Wstrict-prototypes -Wmissing-prototypes -Wimplicit-fallthrough \
	-Wundef -Wcast-qual -Wno-unused-parameter
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(SAN_FLAGS) $(CFLAGS) \
	$(shell pkg-config --cflags $(PKGS)) -Isrc -I$(O)
LDLIBS = $(shell pkg-config --libs $(PKGS)) -lpthread -lm
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)

# Every .c file of a layer folder is part of the library; main.c is not.
LIB_SRCS = src/config.c $(sort $(wildcard src/*/*.c))

MIGRATIONS = $(sort $(wildcard src/store/migrations/*.sql))
LIB_OBJS = $(LIB_SRCS:src/%.c=$(O)/%.o) $(O)/migrations_gen.o

UNIT_TESTS = $(sort $(basename $(notdir $(wildcard tests/unit/test_*.c))))
UNIT_BINS = $(UNIT_TESTS:%=$(O)/tests/%)

.PHONY: all run test unit api clean deps web check-format format bench fuzz fuzz-build \
	fuzz-bins fuzz-run
.SECONDARY:
all: $(O)/saiwu

$(O)/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/migrations_gen.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(O)
	@sh scripts/embed-sql.sh $@ $(MIGRATIONS)

$(O)/migrations_gen.o: $(O)/migrations_gen.c
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libsaiwu.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(O)/saiwu: $(O)/main.o $(O)/libsaiwu.a
	@echo "  LINK $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/%.o: tests/unit/%.c tests/unit/harness.h
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -MMD -MP -c -o $@ $<

$(O)/tests/%: $(O)/tests/%.o $(O)/libsaiwu.a
	@echo "  LINK $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

unit: $(UNIT_BINS)
	@sh tests/run-unit.sh $(UNIT_BINS)

deps:
	@sh scripts/install-deps.sh

# libFuzzer targets: tests/fuzz/fuzz_NAME.c, seeds in tests/fuzz/corpus/NAME/.
# The library is built with clang without -Werror (a clang-only warning in
# new code should not hide the fuzzers' findings); the harnesses with it.
FUZZ_TARGETS = $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c))))
FUZZ_SECONDS ?= 300

$(O)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(O)/libsaiwu.a
	@mkdir -p $(dir $@)
	@echo "  FUZZ $@"
	@$(CC) $(ALL_CFLAGS) -Werror -fsanitize=fuzzer -Itests/fuzz -o $@ $< \
		$(O)/libsaiwu.a $(LDLIBS)

fuzz-bins: $(FUZZ_TARGETS:%=$(O)/fuzz/%)

fuzz-build:
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-bins

fuzz-run:
	@sh tests/fuzz/run.sh $(O)/fuzz $(FUZZ_SECONDS) $(O)/findings $(FUZZ_TARGETS)

fuzz: deps
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-bins
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-run

web:
	@if [ -f web/package.json ]; then cd web && npm run build; fi

run: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory web
	@sh scripts/run.sh

# The front end is built first: the e2e level tests web/dist. A failed
# build does not stop the run; the e2e level then reports it.
test: deps
	-@$(MAKE) --no-print-directory web
	@sh tests/run-all.sh

# The baselines and G1–G8 on SQLite and PostgreSQL, one table of ratios
# (bench/run.sh; BENCH_ARGS="--quick G1 G3" for a smoke run of some).
bench: deps
	@$(MAKE) --no-print-directory all
	@O=$(O) sh bench/run.sh $(BENCH_ARGS)

# kill -9 under mixed load CRASH_ROUNDS times, with the checks after each
# restart (tests/crash/crashtest.mjs); `make test` runs 10 rounds.
CRASH_ROUNDS ?= 200
.PHONY: crashtest
crashtest: deps
	@$(MAKE) --no-print-directory all
	@SAIWU_BIN=$(abspath $(O))/saiwu node tests/crash/crashtest.mjs --rounds $(CRASH_ROUNDS)

check-format:
	@clang-format --dry-run --Werror $$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'tests/unit/*.h' \
		'tests/fuzz/*.c' 'tests/fuzz/*.h')

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'tests/unit/*.h' \
		'tests/fuzz/*.c' 'tests/fuzz/*.h')

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJS:.o=.d) $(O)/main.d $(UNIT_BINS:=.d)
