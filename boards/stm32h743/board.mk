# boards/stm32h743/board.mk: the STM32H743 board, included from the top Makefile.
#   make h7-tests   host unit tests of the board's pure C (clock, power, camera, file store) and
#                   of hw/'s register sequences on a fake core (test_h7_hw)
#   make h7         libboard-stm32h743.a + the bring-up image (elf, bin, hex, map) with
#                   arm-none-eabi-gcc; skipped with a message when the toolchain is absent
# SPDX-License-Identifier: Apache-2.0

H7_DIR    := boards/stm32h743
H7_OUT    := $(BUILD)/h7
H7_PURE   := $(sort $(wildcard $(H7_DIR)/pure/*.c))
H7_HW     := $(sort $(wildcard $(H7_DIR)/hw/*.c))
# From elsewhere: the store's CRC-32, and the camera's settle policy every board follows.
H7_DEPS   := native/bytes/src/bytes_crc32.c native/camera/src/camera_exposure.c
H7_INCS   := -I$(H7_DIR)/include -Inative/bytes/include -Inative/camera/include
# What the firmware shares with mps2-an500 and the host tests check here: the abort record.
H7_TEST_DEPS := boards/common/abort.c

# ---- host tests: one program per test/test_*.c, linked with the pure sources
H7_TEST_SRCS := $(wildcard $(H7_DIR)/test/test_*.c)
H7_TEST_BINS := $(patsubst $(H7_DIR)/test/%.c,$(H7_OUT)/tests/%,$(H7_TEST_SRCS))

.PHONY: h7-tests h7 h7-lib h7-size
h7-tests: $(H7_TEST_BINS)

H7_TEST_CFLAGS := $(OPT) -g -std=gnu11 -Wall -Wextra $(H7_INCS) -Inative/test -Iboards/common
$(H7_OUT)/tests/%: $(H7_DIR)/test/%.c $(H7_PURE) $(H7_DEPS) $(H7_TEST_DEPS) $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(call link_deps,$(CC) $(H7_TEST_CFLAGS))
	$(CC) $(H7_TEST_CFLAGS) -o $@ $(filter %.c,$^)

# The register sequences of hw/ on the host (test_h7_hw): peripherals and the core's registers
# are structs in RAM (test/fake, -DH7_HOST_FAKE), so a test reads what a sequence wrote and what
# the core waited with. Host only: the fake core is no Cortex-M7's.
H7_FAKE_SRCS := $(addprefix $(H7_DIR)/hw/,board.c camera.c clock.c flash.c power.c) $(H7_DIR)/test/fake/h7_fake.c
H7_FAKE_CFLAGS := $(H7_TEST_CFLAGS) -DH7_HOST_FAKE -I$(H7_DIR)/test/fake
$(H7_OUT)/tests/test_h7_hw: $(H7_DIR)/test/test_h7_hw.c $(H7_FAKE_SRCS) $(H7_PURE) $(H7_DEPS) $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(call link_deps,$(CC) $(H7_FAKE_CFLAGS))
	$(CC) $(H7_FAKE_CFLAGS) -o $@ $(filter %.c,$^)

# ---- target: Cortex-M7, hard float
ARM_CC    ?= arm-none-eabi-gcc
ARM_AR    ?= arm-none-eabi-ar
ARM_OBJCOPY ?= arm-none-eabi-objcopy
ARM_SIZE  ?= arm-none-eabi-size
CMSIS_INC := node_modules/@xpack-3rd-party/arm-cmsis-core/CMSIS/Core/Include
H7_ARCH   := -mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard
H7_DEFS   ?=
H7_CFLAGS := $(H7_ARCH) -Os -g -std=gnu11 -Wall -Wextra -ffunction-sections -fdata-sections \
             $(H7_INCS) -I$(CMSIS_INC) $(H7_DEFS)
# The linker script, run through the C preprocessor for the store's place (include/h7_fstore.h).
H7_LD     := $(H7_OUT)/stm32h743.ld
# The bring-up image's stack is 32 KB; fw.elf takes include/h7_memory.h's.
H7_LDFLAGS := $(H7_ARCH) --specs=nano.specs -nostartfiles -T$(H7_LD) -Wl,--gc-sections -Wl,--defsym=__stack_size=32K
H7_OBJS   := $(patsubst %.c,$(H7_OUT)/obj/%.o,$(H7_PURE) $(H7_HW) $(H7_DEPS))
H7_LIB    := $(H7_OUT)/libboard-stm32h743.a
H7_IMAGE  := $(H7_OUT)/bringup.elf
H7_HAVE_ARM := $(shell command -v $(ARM_CC) 2>/dev/null)

ifeq ($(H7_HAVE_ARM),)
h7 h7-lib h7-size:
	@echo "h7: $(ARM_CC) not found; install gcc-arm-none-eabi and libnewlib-arm-none-eabi to build the STM32H743 board"
else
h7: $(H7_LIB) $(H7_IMAGE) $(H7_IMAGE:.elf=.bin) $(H7_IMAGE:.elf=.hex) h7-size
h7-lib: $(H7_LIB)
h7-size: $(H7_IMAGE)
	$(ARM_SIZE) -A -x $(H7_IMAGE) | grep -E '^\.(isr_vector|text|data|bss|stack|axi_sram|dma_buffer|retained)|Total'
endif

$(H7_OUT)/obj/%.o: %.c $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(ARM_CC) $(H7_CFLAGS) $(DEPS) -c -o $@ $<

$(H7_LIB): $(H7_OBJS)
	@rm -f $@
	$(ARM_AR) rcs $@ $^

$(H7_LD): $(H7_DIR)/ld/stm32h743.ld $(H7_DIR)/include/h7_fstore.h $(H7_DIR)/include/h7_memory.h
	@mkdir -p $(@D)
	$(ARM_CC) -E -P -undef -x c -I$(H7_DIR)/include -o $@ $<

$(H7_IMAGE): $(H7_OUT)/obj/$(H7_DIR)/bringup/main.o $(H7_LIB) $(H7_LD)
	$(ARM_CC) $(H7_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $< -Wl,--whole-archive $(H7_LIB) -Wl,--no-whole-archive

$(H7_OUT)/%.bin: $(H7_OUT)/%.elf
	$(ARM_OBJCOPY) -O binary $< $@

$(H7_OUT)/%.hex: $(H7_OUT)/%.elf
	$(ARM_OBJCOPY) -O ihex $< $@

# ---- the `file` module over the store (boards/stm32h743/file.c: file_board.h's hooks) with its
# binding (native/file/file_xs.c), compiled against the XS headers with the host compiler.
H7_XS_SRCS := $(H7_DIR)/file.c native/file/file_xs.c
.PHONY: h7-xs-check
h7-xs-check: $(patsubst %.c,$(H7_OUT)/xs-check/%.o,$(H7_XS_SRCS))
$(H7_OUT)/xs-check/%.o: %.c $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(CC) $(OPT) -std=gnu11 -Wall -Wextra $(XS_DEFS) $(XS_INCS) $(H7_INCS) -Inative/board/include $(DEPS) -c -o $@ $<

# ---- host tool: store images for the internal flash (address and size: include/h7_fstore.h)
.PHONY: h7-fsimage
H7_FSIMAGE_TOOL := $(H7_OUT)/h7fs-image
$(H7_FSIMAGE_TOOL): $(H7_DIR)/tools/h7fs_image.c $(H7_DIR)/pure/h7fs.c $(H7_DEPS) $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(call link_deps,$(CC) $(H7_INCS))
	$(CC) $(OPT) -std=gnu11 -Wall -Wextra $(H7_INCS) -o $@ $(filter %.c,$^)
# What the app reads on the device (mc/config's cascade and model), nothing else: resources/frames
# (312 KB of host test frames) would not fit a 256 KB store half, and the log needs the room.
H7_FSIMAGE_PATHS ?= cascades models/smile.tflite
# xsight build packs a folder that also holds the models' plans (tools/boards/h7.ts).
H7_FSIMAGE_ROOT ?= resources
h7-fsimage: $(H7_FSIMAGE_TOOL)
	$(H7_FSIMAGE_TOOL) pack $(H7_OUT)/store.bin $(H7_FSIMAGE_ROOT) $(H7_FSIMAGE_PATHS)

# ---- the same unit tests on a Cortex-M7 under QEMU (mps2-an500, semihosting)
.PHONY: h7-qemu-tests
H7_QEMU_BINS := $(patsubst $(H7_DIR)/test/%.c,$(H7_OUT)/qemu/%.elf,$(filter-out %/test_h7_hw.c,$(H7_TEST_SRCS)))
h7-qemu-tests: $(H7_QEMU_BINS)
$(H7_OUT)/qemu/%.elf: $(H7_DIR)/test/%.c $(H7_DIR)/test/qemu/start.c $(H7_DIR)/test/qemu/mps2-an500.ld $(H7_PURE) $(H7_DEPS) $(H7_TEST_DEPS) $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(call link_deps,$(ARM_CC) $(H7_ARCH) $(H7_INCS) -Inative/test -Iboards/common)
	$(ARM_CC) $(H7_ARCH) -O2 -g -std=gnu11 -Wall -Wextra $(H7_INCS) -Inative/test -Iboards/common --specs=rdimon.specs -nostartfiles \
		-T $(H7_DIR)/test/qemu/mps2-an500.ld -o $@ $(filter %.c,$^)

# ---- the firmware (`make h7-fw`): build/h7/fw.elf, fw.bin, fw.hex, fw.map. The same XS engine,
# port, native libraries and bindings as the host and the mps2-an500 board, the app's modules as
# XS bytecode compiled at build time by xsight-xsc (no JavaScript parser on the device: XS's
# fxParseScript is replaced by one that refuses and --gc-sections drops the compiler), and this
# board's layer: hw/ + pure/ (drivers) and the board contract's files as every board names them:
# board.c (start-up policy, XS port hooks), camera.c, file.c (the `file` module over the flash
# store), power.c, resource.c, timer.c.
H7_FW       := $(H7_OUT)/fw.elf
H7_FW_OBJ   := $(H7_OUT)/fwobj
H7_FW_CFLAGS := $(H7_ARCH) $(OPT) -g -std=gnu11 -ffunction-sections -fdata-sections -fno-common \
               -DXSIGHT_BOARD_STM32H743=1 $(XS_DEFS) $(XS_INCS) $(LIB_INCS) -I$(H7_DIR)/include -I$(H7_DIR) -I$(CMSIS_INC) \
               -I$(BOARD_COMMON) -DmxUseDefaultChunkAllocation=0 -DmxUseDefaultSlotAllocation=0 -DmxUseDefaultBuildKeys=0 $(H7_DEFS)
# The C stack: H7_FW_STACK_SIZE of DTCM (include/h7_memory.h), the linker script's default.
H7_FW_LDFLAGS := $(H7_ARCH) --specs=nano.specs -nostartfiles -T$(H7_LD) -Wl,--gc-sections
H7_FW_XS_OBJS := $(patsubst $(XS)/sources/%.c,$(H7_FW_OBJ)/xs/%.o,$(filter-out %/xsPlatforms.c,$(XS_SRCS))) \
                 $(H7_FW_OBJ)/xs/xsPlatforms-noparse.o
# What this board shares with the others (boards/common), listed one by one.
H7_COMMON   := $(addprefix $(BOARD_COMMON)/,abort.c flash_modules.c memalign.c xs_banks.c)
H7_FW_SRCS  := $(LIB_SRCS) $(BIND_SRCS) $(PORT_SRCS) $(filter-out $(H7_DEPS),$(H7_PURE) $(H7_HW)) \
               $(wildcard $(H7_DIR)/*.c) $(H7_COMMON)
H7_FW_OBJS  := $(patsubst %.c,$(H7_FW_OBJ)/%.o,$(H7_FW_SRCS))
H7_NATIVES  := $(wildcard native/*/*.js) $(shell find $(H7_DIR)/modules -name '*.js' 2>/dev/null)

.PHONY: h7-fw h7-fw-size
ifeq ($(H7_HAVE_ARM),)
h7-fw h7-fw-size:
	@echo "h7-fw: $(ARM_CC) not found; install gcc-arm-none-eabi and libnewlib-arm-none-eabi to build the STM32H743 firmware"
else
h7-fw: $(H7_FW) $(H7_FW:.elf=.bin) $(H7_FW:.elf=.hex) h7-fw-size
h7-fw-size: $(H7_FW)
	$(ARM_SIZE) -A -x $(H7_FW) | grep -E '^\.(isr_vector|text|ARM|data|bss|stack|axi_sram|dma_buffer|retained)|Total'
endif

$(H7_FW): $(H7_FW_XS_OBJS) $(H7_FW_OBJS) $(H7_FW_OBJ)/gen/xs_hosts.o $(H7_FW_OBJ)/gen/modules.o \
          $(H7_FW_OBJ)/gen/default_config.o $(H7_FW_OBJ)/gen/creation-stm32h743.o $(H7_FW_OBJ)/noparse.o $(H7_LD)
	$(ARM_CC) $(H7_FW_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lm

$(H7_FW_OBJ)/xs/xsPlatforms-noparse.o: $(XS)/sources/xsPlatforms.c $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(ARM_CC) $(H7_FW_CFLAGS) -DmxUseDefaultParseScript=0 $(XS_QUIET) -w $(DEPS) -c -o $@ $<

$(H7_FW_OBJ)/xs/%.o: $(XS)/sources/%.c $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(ARM_CC) $(H7_FW_CFLAGS) $(XS_QUIET) -w $(DEPS) -c -o $@ $<

# The refusing fxParseScript, shared with mps2-an500.
$(H7_FW_OBJ)/noparse.o: $(BOARD_COMMON)/noparse.c $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(ARM_CC) $(H7_FW_CFLAGS) $(WARN) $(DEPS) -c -o $@ $<

$(H7_FW_OBJ)/%.o: %.c $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(ARM_CC) $(H7_FW_CFLAGS) $(WARN) $(DEPS) -c -o $@ $<

$(H7_OUT)/gen/xs_hosts.c: $(H7_NATIVES) tools/build/gen-hosts.sh
	@mkdir -p $(@D)
	sh tools/build/gen-hosts.sh $(H7_NATIVES) > $@

# tsc, the module list and manifest.json's config (gen/default_config.c) as for mps2-an500.
$(H7_OUT)/modules.list: FORCE
	@mkdir -p $(@D)
	$(NODE) --import tsx tools/build/firmware-modules.ts stm32h743 $@

# The build-time XS compiler (tools/build/xsc), linked here from the host's XS objects (built by
# `make host` first) rather than shared with the mps2-an500 build: the test suite builds both
# boards at once in parallel workers, and two makes must not write the same file.
H7_XSC := $(H7_OUT)/xsight-xsc
$(H7_OUT)/hostobj/%.o: tools/build/xsc/%.c $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(WARN) $(DEPS) -c -o $@ $<
$(H7_OUT)/hostobj/%.o: $(BOARD_COMMON)/%.c $(H7_DIR)/board.mk
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(WARN) $(DEPS) -c -o $@ $<
$(H7_XSC): $(XS_OBJS) $(H7_OUT)/hostobj/xsc.o $(H7_OUT)/hostobj/module_file.o
	$(CC) $(CFLAGS) -Wl,--gc-sections -o $@ $^ -lm

$(H7_OUT)/gen/modules.c: $(H7_OUT)/modules.list $(H7_XSC) FORCE
	@mkdir -p $(@D)
	$(H7_XSC) $< $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@

$(H7_OUT)/gen/default_config.c: $(H7_OUT)/modules.list
# manifest.json's creation sizes for this platform (boards/common/device_creation.h).
$(H7_OUT)/gen/creation-stm32h743.c: manifest.json tools/build/firmware-modules.ts tools/build/manifest.ts
	$(NODE) --import tsx tools/build/firmware-modules.ts --creation stm32h743 $@

$(H7_FW_OBJ)/gen/%.o: $(H7_OUT)/gen/%.c
	@mkdir -p $(@D)
	$(ARM_CC) $(H7_FW_CFLAGS) $(WARN) $(DEPS) -c -o $@ $<
