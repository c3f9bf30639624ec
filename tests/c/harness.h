/*
 * The C suite of libfips: a small harness shared by the vector readers (vectors.c) and the
 * hostile-input cases (hostility.c).
 */
#ifndef FIPS_TEST_HARNESS_H
#define FIPS_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "fips.h"

/* A pointer no libfips call may write: outputs start as this and must stay so on error. */
extern char UNTOUCHED[1];

/* Counts a failed check and prints it with the current context; returns `ok`. */
bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The context printed with failures (the vector id, the export and case). */
void set_context(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Checks a status, naming both values; on mismatch also prints fips_last_error(). */
bool check_status(fips_status got, fips_status want, const char *what);
/* The number of failed checks so far, and of checks. */
size_t failures(void);
size_t checks(void);

/* The name of a status ("FIPS_STATUS_OK"), or "UNKNOWN". */
const char *status_name(fips_status status);
/* Checks that the last error of this thread is `kind` / `variant` (fips_last_error_kind(),
 * fips_last_error_variant(); `variant` NULL: any), with an explanation. */
bool check_last_error(const char *kind, const char *variant, const char *what);

/* Parses a JSON result of libfips; fails the check (and returns NULL) when it is not JSON. */
cJSON *parse_result(const char *json, const char *what);

/* Runs every tests/vectors/<name>.json file in `dir`. With `break_kat`, asserts instead that no
 * verdict is ever given (the crypto self-test has failed). */
void run_vectors(const char *dir, bool break_kat);
/* Runs the hostile-input cases of every export; with `panic`, the forced panics too (needs a
 * library built with the test-panic feature). */
void run_hostility(bool panic);
/* The documented request, an upgrade and a host probe: verdicts in a healthy library; with
 * `broken` (a break-kat build run with FIPS_BREAK_KAT=<test>), each refused once the broken
 * test has run (a power-on test: at the first verdict; a conditional one: at the report). */
void run_fail_closed(bool broken);

/* fips_scan_json on the scan subjects tests/c/Makefile lays out in `subjects`: shared/ (every
 * subject of tests/scan/subjects.json, against its listed verdict) and named/ (kube-proxy: standard
 * Go crypto; kube-apiserver: GOEXPERIMENT=boringcrypto). */
void run_scan(const char *subjects);

/* fips_scan_registry_json on the image scripts/test-ffi pushed to a loopback registry (its
 * environment: FIPS_TEST_REGISTRY, _IMAGE, _DIGEST, _CLI_JSON; see registry.c). */
void run_registry(void);

#endif
