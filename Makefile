# xsight native build. Boards share the XS engine, the XS port glue in
# native/xs and the pure C libraries in native/<lib>/src; only the board layer
# differs. `make` builds the host simulator board; `make native-tests` builds
# the C unit tests of every library (no XS involved).
#
# Layout a native library follows (see native/README.md):
#   native/<lib>/include/*.h      public header(s)
#   native/<lib>/src/**/*.c       pure C, no XS, no allocation
#   native/<lib>/test/test_*.c    unit tests, one program each (TAP output)
#   native/<lib>/<lib>_xs.c       xsmc binding (argument conversion only)
#   native/<lib>/<lib>.js         the module's host-function declarations
#   native/<lib>/<lib>.d.ts       its TypeScript types
# native/board/include/*_board.h is the board contract (native/board/README.md): headers only, on
# every include path through LIB_INCS like a library's; each board implements it.

BUILD   ?= build
XS      := node_modules/@agoric/xsnap/moddable/xs
HOST    := $(BUILD)/host
CC      ?= cc
OPT     ?= -O2

# XS is compiled unmodified; xsSnapshot.c is xsnap's own and is not part of the engine we need.
XS_SRCS := $(filter-out $(XS)/sources/xsSnapshot.c,$(wildcard $(XS)/sources/xs*.c))
XS_DEFS := -DINCLUDE_XSPLATFORM -DXSPLATFORM=\"xs_platform.h\" -DmxParse=1 -DmxRun=1 -DmxNoConsole=1 \
           -DmxSloppy=1 -DmxBoundsCheck=1 -DmxDebug=1
# XS counts the bytecodes it runs (the->meterIndex): the host simulator's cost
# model turns them into awake time (host-sim/power.c). No callback is set.
XS_DEFS += -DmxMetering=1
XS_INCS := -I$(XS)/includes -I$(XS)/sources -I$(XS)/platforms -Inative/xs
# XS's own sources trip these two warnings by design; they stay on for our code.
XS_QUIET := -Wno-misleading-indentation -Wno-implicit-fallthrough

LIB_DIRS  := $(patsubst %/,%,$(dir $(wildcard native/*/include)))
LIB_SRCS  := $(shell find native -path '*/src/*.c' 2>/dev/null | sort)
LIB_INCS  := $(addprefix -I,$(addsuffix /include,$(LIB_DIRS)))
BIND_SRCS := $(wildcard native/*/*_xs.c)

# CMSIS_NN_PATH=/path/to/CMSIS-NN (a checkout of ARM-software/CMSIS-NN): build the nn binding
# against the real CMSIS-NN instead of native/nn/src's portable kernels (same API). Its int8
# sources and support functions replace ours; xsight's QUANTIZE/DEQUANTIZE and REVERSE_V2 kernels and the plan stay. Single
# rounding unless XSIGHT_NN_DOUBLE_ROUNDING=1, as in the default build.
ifdef CMSIS_NN_PATH
NN_OWN_SRCS := $(filter-out native/nn/src/QuantizationFunctions/% native/nn/src/ReshapeFunctions/xs_nn_% native/nn/src/PlanFunctions/%,$(filter native/nn/src/%,$(LIB_SRCS)))
CMSIS_NN_SRCS := $(shell find $(CMSIS_NN_PATH)/Source \( -name '*_s8*.c' -o -path '*NNSupportFunctions*' -name '*.c' \) \
                    ! -name '*_f16*' ! -name '*_f32*' | sort)
LIB_SRCS := $(filter-out $(NN_OWN_SRCS),$(LIB_SRCS)) $(CMSIS_NN_SRCS)
LIB_INCS := -I$(CMSIS_NN_PATH)/Include $(LIB_INCS)
ifneq ($(XSIGHT_NN_DOUBLE_ROUNDING),1)
# The host's CFLAGS and the M7's M7_CFLAGS both: an M7 without it rounds twice.
NN_DEFS := -DCMSIS_NN_USE_SINGLE_ROUNDING
override CFLAGS += $(NN_DEFS)
endif
endif
PORT_SRCS := $(wildcard native/xs/*.c)
# boards/common: board code more than one board shares; each board lists the files it uses.
BOARD_COMMON := boards/common
HOST_SRCS := $(wildcard host-sim/*.c) $(addprefix $(BOARD_COMMON)/,board_args.c camera_replay.c module_file.c)

WARN    := -Wall -Wextra -Wno-unused-parameter
# Header dependencies: every compile also lists the headers it read (-MMD -MP, a .d file beside
# what it wrote), and every .d in $(BUILD) is included below, so a changed header rebuilds what
# includes it. A program compiled and linked from several .c files in one command would keep only
# the last file's list: link_deps writes its .d (.NAME.d beside it) from one -MM pass over them all.
DEPS    := -MMD -MP
link_deps = $(1) -MM -MP -MT $@ $(filter %.c,$^) > $(@D)/.$(@F).d
override CFLAGS += $(OPT) -g -std=gnu11 -ffunction-sections -fdata-sections -fno-common
HOST_CFLAGS := $(CFLAGS) -DXSIGHT_BOARD_HOST=1 $(XS_DEFS) $(XS_INCS) $(LIB_INCS) -Ihost-sim -I$(BOARD_COMMON)

obj = $(patsubst %.c,$(HOST)/obj/%.o,$(1))

XS_OBJS   := $(patsubst $(XS)/sources/%.c,$(HOST)/obj/xs/%.o,$(XS_SRCS))
OWN_OBJS  := $(call obj,$(LIB_SRCS) $(BIND_SRCS) $(PORT_SRCS) $(HOST_SRCS))
HOSTS_C   := $(HOST)/gen/xs_hosts.c

.PHONY: all host native-tests clean m7 m7-parse m7-h743 m7-native-tests FORCE
all: host
host: $(HOST)/xsight-sim

$(HOST)/xsight-sim: $(XS_OBJS) $(OWN_OBJS) $(HOST)/obj/gen/xs_hosts.o
	$(CC) $(CFLAGS) -Wl,--gc-sections -o $@ $^ -lm

$(HOST)/obj/xs/%.o: $(XS)/sources/%.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(XS_QUIET) $(XS_EXTRA) -w $(DEPS) -c -o $@ $<

$(HOST)/obj/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(WARN) $(DEPS) -c -o $@ $<

# The host-function table: every `@ "name"` a native module declares, mapped to
# its C function, the way Moddable's linker does it for a preloaded archive.
$(HOSTS_C): $(wildcard native/*/*.js) tools/build/gen-hosts.sh
	@mkdir -p $(@D)
	sh tools/build/gen-hosts.sh $(wildcard native/*/*.js) > $@

$(HOST)/obj/gen/xs_hosts.o: $(HOSTS_C)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(WARN) $(DEPS) -c -o $@ $<

# ---- C unit tests: one program per native/<lib>/test/test_*.c, linked with its library
TEST_SRCS := $(wildcard native/*/test/test_*.c)
TEST_BINS := $(patsubst native/%.c,$(HOST)/tests/%,$(TEST_SRCS))
TEST_CFLAGS := $(CFLAGS) $(WARN) $(LIB_INCS) -Inative/test
# A library's sources from another it uses: the nn plan checks CRC-32s with native/bytes'.
TEST_USES_nn := native/bytes/src/bytes_crc32.c
# native/nn's tests once more with TensorFlow Lite Micro's double rounding: the kernels and the
# tests' reference (nn_test.h: SaturatingRoundingDoublingHighMul then RoundingDivideByPOT, from
# their definitions) switch together. They run as the library "nn-double-rounding".
NN_DOUBLE_BINS := $(patsubst native/nn/test/%.c,$(HOST)/tests/nn-double-rounding/test/%,$(wildcard native/nn/test/test_*.c))
native-tests: $(TEST_BINS) $(NN_DOUBLE_BINS)

# One test program, compiled and linked from its sources at once with the flags $(1).
define test_program
@mkdir -p $(@D)
$(call link_deps,$(CC) $(1))
$(CC) $(1) -o $@ $(filter %.c,$^) -lm
endef

$(HOST)/tests/nn-double-rounding/test/%: native/nn/test/%.c $(shell find native/nn -path '*/src/*.c') $(TEST_USES_nn) Makefile
	$(call test_program,$(filter-out $(NN_DEFS),$(TEST_CFLAGS)) -DXSIGHT_NN_DOUBLE_ROUNDING=1)

.SECONDEXPANSION:
$(HOST)/tests/%: native/%.c $$(shell find native/$$(firstword $$(subst /, ,$$*)) -path '*/src/*.c' 2>/dev/null) $$(TEST_USES_$$(firstword $$(subst /, ,$$*))) Makefile
	$(call test_program,$(TEST_CFLAGS))

# ---- Cortex-M7 board: QEMU mps2-an500 (boards/mps2-an500). `make m7` builds
# build/mps2-an500/fw.elf: the same XS, port, native libraries and bindings as
# the host, the board layer, and the app's modules compiled to XS bytecode at
# build time by xsight-xsc (tools/build/xsc, the host's XS compiler). `make m7-parse`
# builds fw-parse.elf, which carries the JavaScript text and parses it on the
# device instead, to measure what compiling ahead saves.
M7        := $(BUILD)/mps2-an500
M7_BOARD  := boards/mps2-an500
ARM_CC    ?= arm-none-eabi-gcc
NODE      ?= node
# CMSIS Core (headers only): the DSP intrinsics native/nn uses when ARM_MATH_DSP.
CMSIS_CORE := node_modules/@xpack-3rd-party/arm-cmsis-core/CMSIS/Core/Include
M7_ARCH   := -mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard
M7_CFLAGS := $(M7_ARCH) $(OPT) -g -std=gnu11 -ffunction-sections -fdata-sections -fno-common \
             -DXSIGHT_BOARD_MPS2_AN500=1 $(NN_DEFS) $(XS_DEFS) $(XS_INCS) $(LIB_INCS) -I$(M7_BOARD) -I$(CMSIS_CORE) -I$(BOARD_COMMON) \
             -DmxUseDefaultChunkAllocation=0 -DmxUseDefaultSlotAllocation=0 -DmxUseDefaultBuildKeys=0
M7_LDFLAGS := $(M7_ARCH) --specs=nano.specs -nostartfiles -T$(M7_BOARD)/link.ld -Wl,--gc-sections
M7_XS_OBJS  := $(patsubst $(XS)/sources/%.c,$(M7)/obj/xs/%.o,$(XS_SRCS))
# What this board shares with the others (boards/common), listed one by one.
M7_COMMON   := $(addprefix $(BOARD_COMMON)/,abort.c board_args.c camera_replay.c flash_modules.c memalign.c xs_banks.c)
M7_OWN_OBJS := $(patsubst %.c,$(M7)/obj/%.o,$(LIB_SRCS) $(BIND_SRCS) $(PORT_SRCS) $(wildcard $(M7_BOARD)/*.c) $(M7_COMMON))
M7_NATIVES  := $(wildcard native/*/*.js) $(shell find $(M7_BOARD)/modules -name '*.js' 2>/dev/null)

m7: $(M7)/fw.elf
m7-parse: $(M7)/fw-parse.elf
# fw-h743.elf: fw.elf's objects inside the STM32H743's RAM budget (link-h743.ld, its sizes from
# boards/stm32h743/include through the C preprocessor): the H743's heap, stack and banks.
m7-h743: $(M7)/fw-h743.elf

# fw.elf has no JavaScript parser: XS's default fxParseScript is replaced by
# one that refuses (boards/common/noparse.c), and --gc-sections drops the whole compiler.
M7_NOPARSE_OBJS := $(filter-out %/xsPlatforms.o,$(M7_XS_OBJS)) $(M7)/obj/xs/xsPlatforms-noparse.o \
                   $(M7)/obj/$(BOARD_COMMON)/noparse.o
$(M7)/fw.elf: $(M7_NOPARSE_OBJS) $(M7_OWN_OBJS) $(M7)/obj/gen/xs_hosts.o $(M7)/obj/gen/modules.o $(M7)/obj/gen/default_config.o $(M7)/obj/gen/creation-mps2-an500.o $(M7_BOARD)/link.ld
	$(ARM_CC) $(M7_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lm

$(M7)/link-h743.ld: $(M7_BOARD)/link-h743.ld boards/stm32h743/include/h7_memory.h boards/stm32h743/include/h7_fstore.h
	@mkdir -p $(@D)
	$(ARM_CC) -E -P -undef -x c -Iboards/stm32h743/include -o $@ $<

$(M7)/fw-h743.elf: $(M7_NOPARSE_OBJS) $(M7_OWN_OBJS) $(M7)/obj/gen/xs_hosts.o $(M7)/obj/gen/modules.o $(M7)/obj/gen/default_config.o $(M7)/obj/gen/creation-stm32h743.o $(M7)/link-h743.ld
	$(ARM_CC) $(filter-out -T$(M7_BOARD)/link.ld,$(M7_LDFLAGS)) -T$(M7)/link-h743.ld -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lm

$(M7)/fw-parse.elf: $(M7_XS_OBJS) $(M7_OWN_OBJS) $(M7)/obj/gen/xs_hosts.o $(M7)/obj/gen/modules-parse.o $(M7)/obj/gen/default_config.o $(M7)/obj/gen/creation-mps2-an500.o $(M7_BOARD)/link.ld
	$(ARM_CC) $(M7_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lm

$(M7)/obj/xs/xsPlatforms-noparse.o: $(XS)/sources/xsPlatforms.c Makefile
	@mkdir -p $(@D)
	$(ARM_CC) $(M7_CFLAGS) -DmxUseDefaultParseScript=0 $(XS_QUIET) -w $(DEPS) -c -o $@ $<

$(M7)/obj/xs/%.o: $(XS)/sources/%.c Makefile
	@mkdir -p $(@D)
	$(ARM_CC) $(M7_CFLAGS) $(XS_QUIET) -w $(DEPS) -c -o $@ $<

$(M7)/obj/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(ARM_CC) $(M7_CFLAGS) $(WARN) $(DEPS) -c -o $@ $<

$(M7)/gen/xs_hosts.c: $(M7_NATIVES) tools/build/gen-hosts.sh
	@mkdir -p $(@D)
	sh tools/build/gen-hosts.sh $(M7_NATIVES) > $@

# tsc runs every time (it is the TypeScript build); the list and the tables
# only change, and so only cause a relink, when a module did.
$(M7)/modules.list: FORCE
	@mkdir -p $(@D)
	$(NODE) --import tsx tools/build/firmware-modules.ts mps2-an500 $@

$(M7)/gen/modules.c $(M7)/gen/modules-parse.c: $(M7)/gen/modules%.c: $(M7)/modules.list $(HOST)/xsight-xsc FORCE
	@mkdir -p $(@D)
	$(HOST)/xsight-xsc $(if $*,--source) $< $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@

# Written with the list, from manifest.json's config.
$(M7)/gen/default_config.c: $(M7)/modules.list

# The XS creation sizes of a manifest platform (boards/common/device_creation.h): fw.elf boots
# with mps2-an500's, fw-h743.elf with stm32h743's.
.PRECIOUS: $(M7)/gen/creation-%.c
$(M7)/gen/creation-%.c: manifest.json tools/build/firmware-modules.ts tools/build/manifest.ts
	$(NODE) --import tsx tools/build/firmware-modules.ts --creation $* $@

$(M7)/obj/gen/%.o: $(M7)/gen/%.c
	@mkdir -p $(@D)
	$(ARM_CC) $(M7_CFLAGS) $(WARN) $(DEPS) -c -o $@ $<

# The C unit tests of native/nn and native/camera on the M7 (`make m7-native-tests`):
# the same test programs, linked with the board's runtime (startup, semihosting,
# newlib calls), TAP on the semihosting console. They check the DSP paths, which
# only this target compiles, against the tests' naive references.
M7_TEST_SRCS := $(wildcard native/nn/test/test_*.c native/camera/test/test_*.c)
M7_TEST_BINS := $(patsubst native/%.c,$(M7)/tests/%.elf,$(M7_TEST_SRCS))
M7_RT_OBJS   := $(patsubst %.c,$(M7)/obj/%.o,$(addprefix $(M7_BOARD)/,startup.c semihost.c syscalls.c))
m7-native-tests: $(M7_TEST_BINS)

$(M7)/tests/%.elf: native/%.c $$(patsubst %.c,$(M7)/obj/%.o,$$(shell find native/$$(firstword $$(subst /, ,$$*)) -path '*/src/*.c' 2>/dev/null) $$(TEST_USES_$$(firstword $$(subst /, ,$$*)))) $(M7_RT_OBJS) Makefile
	@mkdir -p $(@D)
	$(call link_deps,$(ARM_CC) $(M7_CFLAGS) -Inative/test)
	$(ARM_CC) $(M7_CFLAGS) $(WARN) -Inative/test $(M7_LDFLAGS) -o $@ $(filter %.c %.o,$^) -lm

# The build-time compiler: the host's XS objects, tools/build/xsc/xsc.c and the host's module parse.
$(HOST)/xsight-xsc: $(XS_OBJS) $(HOST)/obj/tools/build/xsc/xsc.o $(HOST)/obj/$(BOARD_COMMON)/module_file.o
	$(CC) $(CFLAGS) -Wl,--gc-sections -o $@ $^ -lm

FORCE:

clean:
	rm -rf $(BUILD)

# The .d files are only read: make's built-in rules would otherwise try to remake one (%: %.o),
# reach the generated creation-%.c rule with a stem like "mps2-an500.d" and link stray objects.
.SUFFIXES:
%.d: ;
-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)

# ---- host-asan: the host board with AddressSanitizer and UndefinedBehaviorSanitizer, for the
# nn fuzz tests (test/nn-fuzz.test.ts, npm run fuzz). Same sources, own folder; any report aborts.
# The XS engine (third-party, compiled unmodified) gets AddressSanitizer only: its interpreter
# reads unaligned bytecode operands by design, which UBSan would report on every run.
ASAN_OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
.PHONY: host-asan
host-asan:
	$(MAKE) HOST=$(BUILD)/host-asan OPT="$(ASAN_OPT)" XS_EXTRA="-fno-sanitize=undefined" $(BUILD)/host-asan/xsight-sim
# Board layers other than the host simulator (each adds its own targets).
-include boards/*/board.mk
