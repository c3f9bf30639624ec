/*
 * Times calls through libfips.so, for comparison with the same work done by fips-core
 * called from Rust directly (the criterion group `direct` in fips-core/benches/policy.rs).
 *
 *   bench <example-request.json>
 *
 * Each operation is warmed up, then timed in batches long enough for the clock
 * (CLOCK_MONOTONIC) to be exact; the per-call time of each batch is recorded and the
 * median over the batches is printed, one JSON object per line:
 *   {"id":"c/noop","median_ns":1.23,"batches":51,"calls_per_batch":1000000}
 * A call that does not return the expected status stops the program with exit status 1.
 * Nothing here judges a time.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fips.h"

enum { BATCHES = 51 };
/* A batch lasts about this long once calibrated. */
static const double BATCH_NS = 20e6;
static const double WARM_UP_NS = 300e6;

static const char *VERSION = "1.22.8+fips.0";
static const char *COMPONENT = "kubernetes";
static const char *EXPECTED_TAG = "v1.22.8_fips.0";

static char *request_json;

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void fail(const char *what, fips_status status) {
  fprintf(stderr, "bench: %s returned status %u: %s\n", what, (unsigned)status,
          fips_last_error());
  exit(1);
}

/* The floor of a C call: a function the compiler cannot inline, through a pointer. */
__attribute__((noinline)) static int local_noop(void) {
  __asm__ volatile("" ::: "memory");
  return 0;
}
static int (*volatile local_noop_ptr)(void) = local_noop;

static void op_local_noop(void) {
  if (local_noop_ptr() != 0) {
    fail("local_noop", 1);
  }
}

static void op_fips_noop(void) {
  fips_status s = fips_noop();
  if (s != FIPS_STATUS_OK) {
    fail("fips_noop", s);
  }
}

static void op_version_to_tag(void) {
  char *tag = NULL;
  fips_status s = fips_version_to_tag(VERSION, COMPONENT, &tag);
  if (s != FIPS_STATUS_OK) {
    fail("fips_version_to_tag", s);
  }
  fips_string_free(tag);
}

static void op_validate_json(void) {
  char *report = NULL;
  fips_status s = fips_validate_json(NULL, request_json, &report);
  if (s != FIPS_STATUS_OK) {
    fail("fips_validate_json", s);
  }
  fips_string_free(report);
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void bench(const char *id, void (*op)(void)) {
  /* Warm up, and find how many calls fill a batch. */
  long calls = 1;
  double start = now_ns(), spent = 0;
  while (spent < WARM_UP_NS) {
    double t0 = now_ns();
    for (long i = 0; i < calls; i++) {
      op();
    }
    double t = now_ns() - t0;
    spent = now_ns() - start;
    if (t < BATCH_NS) {
      calls *= 2;
    }
  }
  double per_batch[BATCHES];
  for (int b = 0; b < BATCHES; b++) {
    double t0 = now_ns();
    for (long i = 0; i < calls; i++) {
      op();
    }
    per_batch[b] = (now_ns() - t0) / (double)calls;
  }
  qsort(per_batch, BATCHES, sizeof per_batch[0], compare);
  printf("{\"id\":\"%s\",\"median_ns\":%.3f,\"batches\":%d,\"calls_per_batch\":%ld}\n", id,
         per_batch[BATCHES / 2], BATCHES, calls);
  fflush(stdout);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  size_t cap = 4096, len = 0;
  char *text = malloc(cap);
  size_t n;
  while (text != NULL && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (len + 1 == cap) {
      cap *= 2;
      text = realloc(text, cap);
    }
  }
  fclose(f);
  if (text == NULL) {
    fprintf(stderr, "bench: out of memory reading %s\n", path);
    exit(1);
  }
  text[len] = '\0';
  return text;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <example-request.json>\n", argv[0]);
    return 2;
  }
  request_json = read_file(argv[1]);

  /* The answers are checked once, so that what is timed is the real work. */
  char *tag = NULL;
  fips_status s = fips_version_to_tag(VERSION, COMPONENT, &tag);
  if (s != FIPS_STATUS_OK) {
    fail("fips_version_to_tag", s);
  }
  if (strcmp(tag, EXPECTED_TAG) != 0) {
    fprintf(stderr, "bench: tag of %s is %s, not %s\n", VERSION, tag, EXPECTED_TAG);
    return 1;
  }
  fips_string_free(tag);
  op_validate_json(); /* also runs the self-test once, outside the timing */

  bench("c/local_noop", op_local_noop);
  bench("c/fips_noop", op_fips_noop);
  bench("c/fips_version_to_tag", op_version_to_tag);
  bench("c/fips_validate_json", op_validate_json);
  free(request_json);
  return 0;
}
