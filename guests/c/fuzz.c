// build: spi=3fe70d6
// (it calls open-device and configure: the previous wasi:spi revision, wit/spi-3fe70d6)
// Boundary fuzzer (issue 11, docs/hardening.md): calls every function of every interface with random
// well-typed arguments. argv: fuzz <seed> <calls per interface> [i2c,spi,nn,sensor,vision].
// Random handle lifecycles (drop in any order, use after the device stopped or the pool was
// dropped), empty and large lists, u64 lengths near 2^32 and 2^64, every enum value. It never
// passes what the canonical ABI itself must trap on (a dead handle, an enum out of range, a list
// outside memory): those traps are the ABI's, not the host's. Output, parsed by scripts/fuzz.mjs:
//   calls <iface> <n>
//   err <iface> <code> <count>     (one line per error code provoked; "ok" counts successes)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasi_i2c.h"
#include "wasi_spi.h"
#include "wasi_nn.h"
#include "wasi_sensor.h"
#include "wasi_vision.h"


static uint64_t rng_state;
static uint64_t rnd(void) {  // xorshift64*
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}
static uint32_t below(uint32_t n) { return (uint32_t)(rnd() % n); }
#define PICK(arr) (arr[below(sizeof(arr) / sizeof(arr[0]))])

// ---- histogram ----
#define MAX_CODES 24
static const char *code_names[MAX_CODES];
static long code_counts[MAX_CODES];
static int n_codes;
static void count(const char *name) {
  for (int i = 0; i < n_codes; i++)
    if (code_names[i] == name || strcmp(code_names[i], name) == 0) { code_counts[i]++; return; }
  if (n_codes < MAX_CODES) { code_names[n_codes] = name; code_counts[n_codes++] = 1; }
}
// A line every 100,000 calls so that a long run (npm run fuzz) shows it is moving.
static void progress(const char *iface, long c) {
  if (c && c % 100000 == 0) printf("progress %s %ld\n", iface, c);
}
static void report(const char *iface, long calls) {
  printf("calls %s %ld\n", iface, calls);
  for (int i = 0; i < n_codes; i++) printf("err %s %s %ld\n", iface, code_names[i], code_counts[i]);
  n_codes = 0;
}

static uint8_t big[1 << 20];  // a large list (1 MiB) for write/transfer/from-pixels/load
static const uint64_t LENGTHS[] = {0, 1, 2, 16, 255, 4096, 4097, 65536, 65537, 0xffffffffULL, 0x100000000ULL,
                                   0x100000001ULL, 0x7fffffffffffffffULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL};
static size_t list_len(void) {
  static const size_t L[] = {0, 1, 2, 3, 8, 64, 4096, 4097, 65536, 65537, sizeof big};
  return PICK(L);
}
static const char *const NAMES[] = {"", "..", "../", "/", "/dev/i2c-1", "/dev/spidev0.0", "/dev/video0", "__proto__",
                                    "constructor", "x\0y", "\xff\xfe", "a/../b", "*"};

#define SLOTS 8
static int32_t take_slot(int32_t *slots, int *n) {  // removes a random live handle (any order)
  int i = (int)below((uint32_t)*n);
  int32_t h = slots[i];
  slots[i] = slots[--*n];
  return h;
}

// ---- i2c ----
static void i2c_count(i2c_error_t e) { count(e.tag < 5 ? I2C_ERROR_NAMES[e.tag] : "?"); }
static void fuzz_i2c(long calls) {
  int32_t h[SLOTS];
  int n = 0;
  static const int32_t ADDR[] = {0x76, 0x50, 0x48, 0x77, 0, 0x7f, 0x80, 0x3ff, 0x400, 0xffff};
  for (long c = 0; c < calls; c++) {
    progress("i2c", c);
    uint32_t op = n == 0 ? 0 : below(9);
    int32_t self = n ? h[below((uint32_t)n)] : 0;
    int32_t addr = below(4) ? (int32_t)PICK(ADDR) : (int32_t)below(0x10000);
    switch (op) {
      case 0: {  // open-i2c
        access_result_i2c_t r;
        const char *name = below(2) ? "i2c-sim0" : PICK(NAMES);
        access_open_i2c(name, strlen(name), &r);
        if (r.is_err) {
          count(access_error_name(r.val.err.tag));
          if (r.val.err.tag == ACCESS_UNAVAILABLE) cabi_free_list(r.val.err.message.ptr, r.val.err.message.len);
        } else if (n < SLOTS) { h[n++] = r.val.handle; count("ok"); }
        else { i2c_drop(r.val.handle); count("ok"); }
        break;
      }
      case 1: i2c_drop(take_slot(h, &n)); count("drop"); break;
      case 2: {
        i2c_result_bytes_t r;
        i2c_read(self, addr, PICK(LENGTHS), &r);
        if (r.is_err) i2c_count(r.val.err); else { cabi_free_list(r.val.ok.ptr, r.val.ok.len); count("ok"); }
        break;
      }
      case 3: {
        i2c_result_unit_t r;
        i2c_write(self, addr, big, list_len(), &r);
        if (r.is_err) i2c_count(r.err); else count("ok");
        break;
      }
      case 4: {
        i2c_result_bytes_t r;
        i2c_write_read(self, addr, big, below(4), PICK(LENGTHS), &r);
        if (r.is_err) i2c_count(r.val.err); else { cabi_free_list(r.val.ok.ptr, r.val.ok.len); count("ok"); }
        break;
      }
      case 5: case 6: {
        i2c_operation_t ops[64];
        size_t k = below(4) ? below(4) : below(64);
        for (size_t i = 0; i < k; i++) {
          if (below(2)) { ops[i].tag = I2C_OP_READ; ops[i].val.read = below(3) ? below(8) : PICK(LENGTHS); }
          else { ops[i].tag = I2C_OP_WRITE; ops[i].val.write.ptr = big; ops[i].val.write.len = below(3) ? below(4) : list_len(); }
        }
        i2c_result_lists_t r;
        i2c_transaction(self, addr, ops, k, &r);
        if (r.is_err) i2c_count(r.val.err);
        else {
          for (size_t i = 0; i < r.val.ok.len; i++) cabi_free_list(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len);
          cabi_free_list(r.val.ok.ptr, r.val.ok.len);
          count("ok");
        }
        break;
      }
      case 7: {
        edge_string_list_t l;
        access_list_i2c_buses(&l);
        for (size_t i = 0; i < l.len; i++) cabi_free_list(l.ptr[i].ptr, l.ptr[i].len);
        cabi_free_list(l.ptr, l.len);
        count("ok");
        break;
      }
      case 8: {
        delay_handle_t d = access_get_delay();
        delay_delay_ns(d, below(2000));
        delay_drop(d);
        count("ok");
        break;
      }
    }
  }
  while (n) i2c_drop(take_slot(h, &n));
  report("i2c", calls);
}

// ---- spi ----
static void spi_count(spi_error_t *e) {
  count(spi_error_name(e->tag));
  if (e->tag == SPI_ERR_OTHER) cabi_free_list(e->message.ptr, e->message.len);
}
static void fuzz_spi(long calls) {
  int32_t h[SLOTS];
  int n = 0;
  static const char *const DEV[] = {"spi-flash0", "spi-adc0", "spi-flash0", "spi-adc0"};
  static const uint32_t FREQ[] = {0, 1, 1000, 1000000, 50000000, 0xffffffffu};
  for (long c = 0; c < calls; c++) {
    progress("spi", c);
    uint32_t op = n == 0 ? 0 : below(8);
    int32_t self = n ? h[below((uint32_t)n)] : 0;
    switch (op) {
      case 0: {
        spi_result_device_t r;
        const char *name = below(3) ? PICK(DEV) : PICK(NAMES);
        spi_open_device(name, strlen(name), &r);
        if (r.is_err) spi_count(&r.val.err);
        else if (n < SLOTS) { h[n++] = r.val.handle; count("ok"); }
        else { spi_device_drop(r.val.handle); count("ok"); }
        break;
      }
      case 1: spi_device_drop(take_slot(h, &n)); count("drop"); break;
      case 2: {
        spi_result_unit_t r;
        spi_configure(self, PICK(FREQ), (int32_t)below(4), (int32_t)below(2), &r);
        if (r.is_err) spi_count(&r.err); else count("ok");
        break;
      }
      case 3: {
        spi_result_bytes_t r;
        spi_read(self, PICK(LENGTHS), &r);
        if (r.is_err) spi_count(&r.val.err); else { cabi_free_list(r.val.ok.ptr, r.val.ok.len); count("ok"); }
        break;
      }
      case 4: {
        spi_result_unit_t r;
        spi_write(self, big, below(2) ? below(8) : list_len(), &r);
        if (r.is_err) spi_count(&r.err); else count("ok");
        break;
      }
      case 5: {
        spi_result_bytes_t r;
        spi_transfer(self, big, below(2) ? below(8) : list_len(), &r);
        if (r.is_err) spi_count(&r.val.err); else { cabi_free_list(r.val.ok.ptr, r.val.ok.len); count("ok"); }
        break;
      }
      case 6: {
        spi_operation_t ops[80];
        size_t k = below(4) ? below(5) : below(80);
        for (size_t i = 0; i < k; i++) {
          ops[i].tag = (uint8_t)below(4);
          switch (ops[i].tag) {
            case SPI_OP_READ: ops[i].val.read = below(3) ? below(8) : PICK(LENGTHS); break;
            case SPI_OP_WRITE: ops[i].val.write.ptr = big; ops[i].val.write.len = below(3) ? below(8) : list_len(); break;
            case SPI_OP_TRANSFER: ops[i].val.transfer.ptr = big; ops[i].val.transfer.len = below(3) ? below(8) : list_len(); break;
            default: ops[i].val.delay_ns = below(3) ? below(100) : (below(2) ? 0xffffffffu : 1000000u); break;
          }
          // The host waits delay-ns for real (Atomics.wait): keep long delays rare so runs stay short.
          if (ops[i].tag == SPI_OP_DELAY_NS && ops[i].val.delay_ns > 1000 && below(100000)) ops[i].val.delay_ns = 1000;
        }
        spi_result_ops_t r;
        spi_transaction(self, ops, k, &r);
        if (r.is_err) spi_count(&r.val.err);
        else {
          for (size_t i = 0; i < r.val.ok.len; i++)
            if (r.val.ok.ptr[i].tag == SPI_OP_READ || r.val.ok.ptr[i].tag == SPI_OP_TRANSFER) cabi_free_list(r.val.ok.ptr[i].bytes.ptr, r.val.ok.ptr[i].bytes.len);
          cabi_free_list(r.val.ok.ptr, r.val.ok.len);
          count("ok");
        }
        break;
      }
      case 7: {
        spi_string_list_t l;
        spi_get_device_names(&l);
        for (size_t i = 0; i < l.len; i++) cabi_free_list(l.ptr[i].ptr, l.ptr[i].len);
        cabi_free_list(l.ptr, l.len);
        count("ok");
        break;
      }
    }
  }
  while (n) spi_device_drop(take_slot(h, &n));
  report("spi", calls);
}

// ---- nn ----
static void nn_count(nn_error_t e) {
  count(nn_error_name(nn_error_take_code(e)));
}
static void fuzz_nn(long calls) {
  int32_t tensors[SLOTS], graphs[SLOTS], ctxs[SLOTS];
  int nt = 0, ng = 0, nc = 0;
  static const uint32_t DIM[] = {0, 1, 2, 3, 128, 896, 0xffff, 0x10000, 0x7fffffff, 0xffffffffu};
  static const char *const MODEL[] = {"blazeface", "blazeface", "../blazeface", "blazeface.onnx", "", "__proto__"};
  static const char *const INPUT[] = {"input", "x", "", "a", "input"};
  for (long c = 0; c < calls; c++) {
    progress("nn", c);
    uint32_t op = below(11);
    switch (op) {
      case 0: case 1: {  // tensor constructor: random dims, type, data length (lengths need not match)
        uint32_t dims[8];
        size_t nd = below(6);
        for (size_t i = 0; i < nd; i++) dims[i] = below(2) ? below(5) : PICK(DIM);
        if (below(50) == 0) { nd = 4; dims[0] = 1; dims[1] = 128; dims[2] = 128; dims[3] = 3; }  // BlazeFace's input
        size_t len = below(3) ? below(64) : (below(2) ? 128 * 128 * 3 * 4 : list_len());
        int32_t t = nn_tensor_new(dims, nd, (int32_t)below(7), big, len);
        if (nt < SLOTS) tensors[nt++] = t; else nn_tensor_drop(t);
        count("ok");
        break;
      }
      case 2: {  // tensor accessors
        if (!nt) break;
        int32_t t = tensors[below((uint32_t)nt)];
        nn_dims_t d;
        nn_tensor_dimensions(t, &d);
        cabi_free_list(d.ptr, d.len);
        (void)nn_tensor_ty(t);
        nn_bytes_t b;
        nn_tensor_data(t, &b);
        cabi_free_list(b.ptr, b.len);
        count("ok");
        break;
      }
      case 3: if (nt) { nn_tensor_drop(take_slot(tensors, &nt)); count("drop"); } break;
      case 4: {
        nn_result_handle_t r;
        const char *name = PICK(MODEL);
        nn_load_by_name(name, strlen(name), &r);
        if (r.is_err) nn_count(r.handle);
        else if (ng < SLOTS) { graphs[ng++] = r.handle; count("ok"); }
        else { nn_graph_drop(r.handle); count("ok"); }
        break;
      }
      case 5: {  // load from bytes: random builders, every encoding and target
        nn_bytes_t b[3];
        size_t k = below(3);
        for (size_t i = 0; i < k; i++) { b[i].ptr = big; b[i].len = below(2) ? below(32) : list_len(); }
        nn_result_handle_t r;
        nn_load(b, k, (int32_t)below(7), (int32_t)below(3), &r);
        if (r.is_err) nn_count(r.handle);
        else { nn_graph_drop(r.handle); count("ok"); }
        break;
      }
      case 6: {
        if (!ng) break;
        nn_result_handle_t r;
        nn_graph_init_execution_context(graphs[below((uint32_t)ng)], &r);
        if (r.is_err) nn_count(r.handle);
        else if (nc < SLOTS) { ctxs[nc++] = r.handle; count("ok"); }
        else { nn_context_drop(r.handle); count("ok"); }
        break;
      }
      case 7: {  // compute: the tensors passed are own (gone from the guest afterwards, whatever the result)
        if (!nc) break;
        nn_named_tensor_t in[3];
        size_t k = nt < 3 ? (size_t)nt : below(3);
        for (size_t i = 0; i < k; i++) {
          const char *name = PICK(INPUT);
          in[i].name.ptr = (char *)name;
          in[i].name.len = strlen(name);
          in[i].tensor = take_slot(tensors, &nt);
        }
        nn_result_tensors_t r;
        nn_context_compute(ctxs[below((uint32_t)nc)], in, k, &r);
        if (r.is_err) nn_count(r.val.err);
        else { nn_free_outputs(&r.val.ok); count("ok"); }
        break;
      }
      case 8: if (nc) { nn_context_drop(take_slot(ctxs, &nc)); count("drop"); } break;
      case 9: if (ng) { nn_graph_drop(take_slot(graphs, &ng)); count("drop"); } break;  // contexts may outlive graphs
      case 10: break;
    }
  }
  while (nt) nn_tensor_drop(take_slot(tensors, &nt));
  while (nc) nn_context_drop(take_slot(ctxs, &nc));
  while (ng) nn_graph_drop(take_slot(graphs, &ng));
  report("nn", calls);
}

// ---- sensor + buffer-pool ----
static void bp_count(uint8_t e) { count(bp_error_name(e)); }
static void fuzz_sensor(long calls) {
  int32_t devs[SLOTS], pools[SLOTS], mems[SLOTS];
  int nd = 0, np = 0, nm = 0;
  static const char *const DEV[] = {"test-pattern:0", "fixture:0", "test-pattern:0"};
  static const char *const POOL[] = {"p0", "p1-hm", "p2", "p0", "nope", ""};
  static const uint32_t SIZE[] = {0, 1, 1024, 640 * 480 * 3, 4096 * 4096 * 4, 0x7fffffff, 0xffffffffu};
  static const uint32_t NUM[] = {0, 1, 2, 4, 64, 0xffff, 0xffffffffu};
  static const uint32_t RATE[] = {0, 1, 30, 1000, 1000000, 0xffffffffu};
  for (long c = 0; c < calls; c++) {
    progress("sensor", c);
    uint32_t op = below(14);
    int32_t dev = nd ? devs[below((uint32_t)nd)] : -1;
    int32_t pool = np ? pools[below((uint32_t)np)] : -1;
    switch (op) {
      case 0: {
        sensor_result_device_t r;
        const char *name = below(3) ? PICK(DEV) : PICK(NAMES);
        sensor_device_open(name, strlen(name), &r);
        if (r.is_err) bp_count(r.val.err);
        else if (nd < SLOTS) { devs[nd++] = r.val.handle; count("ok"); }
        else { sensor_device_drop(r.val.handle); count("ok"); }
        break;
      }
      case 1: {
        sensor_result_names_t r;
        sensor_device_list_names(&r);
        if (r.is_err) bp_count(r.val.err);
        else { for (size_t i = 0; i < r.val.ok.len; i++) cabi_free_list(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len); cabi_free_list(r.val.ok.ptr, r.val.ok.len); count("ok"); }
        break;
      }
      case 2: {
        if (dev < 0) break;
        sensor_result_unit_t r;
        const char *p = PICK(POOL);
        sensor_device_start(dev, p, strlen(p), &r);
        if (r.is_err) bp_count(r.err); else count("ok");
        break;
      }
      case 3: {
        if (dev < 0) break;
        sensor_result_unit_t r;
        sensor_device_stop(dev, &r);
        if (r.is_err) bp_count(r.err); else count("ok");
        break;
      }
      case 4: {
        if (dev < 0) break;
        sensor_result_unit_t r;
        if (below(2)) sensor_set_rate(dev, PICK(RATE), PICK(RATE), &r);
        else {
          bp_dimension_t d = {below(2) ? below(2000) : PICK(SIZE), below(2) ? below(2000) : PICK(SIZE), below(2) ? 0 : PICK(SIZE),
                              (uint8_t)below(7)};
          sensor_set_dimension(dev, &d, &r);
        }
        if (r.is_err) bp_count(r.err); else count("ok");
        break;
      }
      case 5: {
        if (dev < 0) break;
        sensor_result_property_t r;
        sensor_device_get_property(dev, (int32_t)below(2), &r);
        if (r.is_err) bp_count(r.val.err); else count("ok");
        break;
      }
      case 6: if (nd) { sensor_device_drop(take_slot(devs, &nd)); count("drop"); } break;  // may still be started
      case 7: {
        bp_result_handle_t r;
        const char *p = PICK(POOL);
        bp_pool_create((int32_t)below(4), below(2) ? 640 * 480 * 3 : PICK(SIZE), below(2) ? below(5) : PICK(NUM), p, strlen(p), &r);
        if (r.is_err) bp_count(r.val.err);
        else if (np < SLOTS) { pools[np++] = r.val.handle; count("ok"); }
        else { bp_pool_drop(r.val.handle); count("ok"); }
        break;
      }
      case 8: {
        if (pool < 0) break;
        bp_result_frames_t r;
        bp_pool_read_frames(pool, below(2) ? below(3) : 0xffffffffu, &r);
        if (r.is_err) { bp_count(r.val.err); break; }
        for (size_t i = 0; i < r.val.ok.len; i++)
          for (size_t j = 0; j < r.val.ok.ptr[i].data_len; j++)
            if (r.val.ok.ptr[i].data[j].tag == BP_HOST_MEMORY) {
              int32_t m = r.val.ok.ptr[i].data[j].val.host_memory;
              if (nm < SLOTS) mems[nm++] = m; else bp_memory_drop(m);
            }
        for (size_t i = 0; i < r.val.ok.len; i++) {
          for (size_t j = 0; j < r.val.ok.ptr[i].data_len; j++)
            if (r.val.ok.ptr[i].data[j].tag == BP_BY_VALUE)
              cabi_free_list(r.val.ok.ptr[i].data[j].val.by_value.image.payload, r.val.ok.ptr[i].data[j].val.by_value.image.payload_len);
          cabi_free_list(r.val.ok.ptr[i].data, r.val.ok.ptr[i].data_len);
        }
        cabi_free_list(r.val.ok.ptr, r.val.ok.len);
        count("ok");
        break;
      }
      case 9: {
        if (pool < 0) break;
        bp_result_statistics_t r;
        bp_pool_get_statistics(pool, &r);
        if (r.is_err) bp_count(r.val.err); else count("ok");
        break;
      }
      case 10: {  // subscribe, ask once, drop (never block: a stopped device would rightly wait forever)
        if (pool < 0) break;
        bp_pollable_t p = bp_pool_subscribe(pool);
        (void)poll_pollable_ready(p);
        poll_pollable_drop(p);
        count("ok");
        break;
      }
      case 11: if (np) { bp_pool_drop(take_slot(pools, &np)); count("drop"); } break;  // a device may still feed it
      case 12: {  // memory handles: use after the pool was dropped or the device stopped is allowed
        if (!nm) break;
        int32_t m = mems[below((uint32_t)nm)];
        (void)bp_memory_address(m);
        (void)bp_memory_size(m);
        bp_result_unit_t r;
        if (below(4) == 0) { bp_memory_invalidate(m, &r); if (r.is_err) bp_count(r.err); else count("ok"); }
        else count("ok");
        break;
      }
      case 13: if (nm) { bp_memory_drop(take_slot(mems, &nm)); count("drop"); } break;
    }
  }
  while (nm) bp_memory_drop(take_slot(mems, &nm));
  while (nd) sensor_device_drop(take_slot(devs, &nd));
  while (np) bp_pool_drop(take_slot(pools, &np));
  report("sensor", calls);
}

// ---- vision ----
static void vision_count(vision_error_t *e) {
  count(vision_error_name(e->tag));
  if (e->tag == VISION_E_INVALID_ARGUMENT || e->tag == VISION_E_DECODE_FAILED || e->tag == VISION_E_NOT_SUPPORTED) cabi_free_list(e->val.message.ptr, e->val.message.len);
}
static void fuzz_vision(long calls) {
  int32_t imgs[SLOTS];
  int n = 0;
  static const uint32_t SIDE[] = {0, 1, 2, 3, 7, 16, 33, 64, 4096, 4097, 65536, 0x7fffffff, 0xffffffffu};
  static const float F[] = {0.0f, 1.0f, -1.0f, 1.0f / 255.0f, 1e30f, -1e-30f};
  for (long c = 0; c < calls; c++) {
    progress("vision", c);
    uint32_t op = n == 0 ? below(2) : below(14);
    int32_t self = n ? imgs[below((uint32_t)n)] : -1;
    vision_result_handle_t r;
    int made = 0;
    switch (op) {
      case 0: {  // from-pixels: random small geometry, every format, random plane list, random data length
        vision_plane_t planes[4];
        size_t np = below(3) ? 0 : below(4);
        for (size_t i = 0; i < np; i++) { planes[i].offset = below(2) ? below(64) : PICK(SIDE); planes[i].stride_bytes = below(2) ? below(256) : PICK(SIDE); }
        uint32_t w = below(3) ? 1 + below(32) : PICK(SIDE), h = below(3) ? 1 + below(32) : PICK(SIDE);
        size_t len = below(2) ? (size_t)w * h * 4 % (sizeof big + 1) : list_len();
        vision_from_pixels_raw(w, h, (int32_t)below(10), planes, np, big, len, &r);
        made = 1;
        break;
      }
      case 1: {  // from-encoded: garbage, a PNG or JPEG signature and then garbage
        static const uint8_t png[] = {0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        static const uint8_t jpg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F'};
        size_t len = below(2) ? below(64) : list_len();
        uint8_t head = (uint8_t)below(3);
        if (head == 1) memcpy(big, png, sizeof png);
        if (head == 2) memcpy(big, jpg, sizeof jpg);
        vision_from_encoded_raw(big, len, &r);
        if (head) memset(big, 0, 16);
        made = 1;
        break;
      }
      case 2: {
        (void)vision_width(self);
        (void)vision_height(self);
        (void)vision_pixel_format(self);
        vision_layout_t l;
        vision_layout(self, &l);
        cabi_free_list(l.planes.ptr, l.planes.len);
        count("ok");
        break;
      }
      case 3: vision_crop_raw(self, below(2) ? below(40) : PICK(SIDE), below(2) ? below(40) : PICK(SIDE), below(2) ? below(40) : PICK(SIDE), below(2) ? below(40) : PICK(SIDE), &r); made = 1; break;
      case 4: vision_resize(self, below(2) ? below(100) : PICK(SIDE), below(2) ? below(100) : PICK(SIDE), (int32_t)below(3), &r); made = 1; break;
      case 5: vision_convert(self, (int32_t)below(10), &r); made = 1; break;
      case 6: {
        vision_result_bytes_t b;
        vision_encode(self, (int32_t)below(2), (int32_t)below(256), &b);
        if (b.is_err) vision_count(&b.val.err); else { cabi_free_list(b.val.ok.ptr, b.val.ok.len); count("ok"); }
        break;
      }
      case 7: {
        vision_result_bytes_t b;
        vision_read_raw(self, (int32_t)below(2), below(40), below(40), below(2) ? below(40) : PICK(SIDE), below(40), &b);
        if (b.is_err) vision_count(&b.val.err); else { cabi_free_list(b.val.ok.ptr, b.val.ok.len); count("ok"); }
        break;
      }
      case 8: {  // to-tensor: every layout, element type, channel order and normalization
        float mean[4], std[4];
        for (int i = 0; i < 4; i++) { mean[i] = PICK(F); std[i] = PICK(F); }
        vision_tensor_options_t o;
        memset(&o, 0, sizeof o);
        o.width = below(2) ? below(64) : PICK(SIDE);
        o.height = below(2) ? below(64) : PICK(SIDE);
        o.resize_method = (int32_t)below(3);
        o.tensor_layout = (int32_t)below(2);
        o.element_type = (int32_t)below(7);
        o.channels = (int32_t)below(3);
        o.norm_tag = (int32_t)below(3);
        o.scale = PICK(F);
        o.offset = PICK(F);
        o.mean = mean;
        o.mean_len = below(5);
        o.std = std;
        o.std_len = below(5);
        vision_to_tensor(self, &o, &r);
        if (r.is_err) vision_count(&r.val.err); else { nn_tensor_drop(r.val.handle); count("ok"); }
        break;
      }
      case 9: {
        vision_result_unit_t u;
        vision_draw_rect_raw(self, below(40), below(40), below(2) ? below(40) : PICK(SIDE), below(40), (int32_t)below(256), (int32_t)below(256), (int32_t)below(256), below(2) ? below(5) : PICK(SIDE), &u);
        if (u.is_err) vision_count(&u.val.err); else count("ok");
        break;
      }
      case 10: {
        vision_point_t pts[64];
        size_t k = below(64);
        for (size_t i = 0; i < k; i++) { pts[i].x = below(2) ? below(40) : PICK(SIDE); pts[i].y = below(40); }
        vision_result_unit_t u;
        vision_draw_points_raw(self, pts, k, (int32_t)below(256), (int32_t)below(256), (int32_t)below(256), below(2) ? below(4) : PICK(SIDE), &u);
        if (u.is_err) vision_count(&u.val.err); else count("ok");
        break;
      }
      case 11: case 12: case 13: vision_image_drop(take_slot(imgs, &n)); count("drop"); break;
    }
    if (made) {
      if (r.is_err) vision_count(&r.val.err);
      else if (n < SLOTS) { imgs[n++] = r.val.handle; count("ok"); }
      else { vision_image_drop(r.val.handle); count("ok"); }
    }
  }
  while (n) vision_image_drop(take_slot(imgs, &n));
  report("vision", calls);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
  long calls = argc > 2 ? atol(argv[2]) : 10000;
  const char *which = argc > 3 ? argv[3] : "i2c,spi,nn,sensor,vision";
  rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 31 + 7);
  printf("fuzz seed=%llu calls=%ld\n", (unsigned long long)seed, calls);
  if (strstr(which, "i2c")) fuzz_i2c(calls);
  if (strstr(which, "spi")) fuzz_spi(calls);
  if (strstr(which, "nn")) fuzz_nn(calls);
  if (strstr(which, "sensor")) fuzz_sensor(calls);
  if (strstr(which, "vision")) fuzz_vision(calls);
  printf("done\n");
  return 0;
}
