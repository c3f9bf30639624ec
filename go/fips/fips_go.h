/*
 * The C side of the Go package: every call and its fips_last_error*() in one cgo call.
 * Included by the cgo preamble of each file that calls libfips.
 */
#ifndef FIPS_GO_H
#define FIPS_GO_H

#include <stdlib.h>
#include <string.h>
#include "fips.h"

// Every call and its fips_last_error*() happen in one cgo call, so on one thread: the last
// error is per thread, and a goroutine may move between threads between two cgo calls.
typedef struct {
	char *message;  // copies of fips_last_error(), _kind() and _variant(): free with
	char *kind;     // fips_go_error_free
	char *variant;
} fips_go_error;

typedef struct {
	fips_status status;
	char *out;         // written by libfips: free with fips_string_free
	fips_go_error err; // for any status but OK
} fips_go_result;

static inline fips_go_error fips_go_last_error(fips_status status) {
	fips_go_error e = {NULL, NULL, NULL};
	if (status != FIPS_STATUS_OK) {
		e.message = strdup(fips_last_error());
		e.kind = strdup(fips_last_error_kind());
		e.variant = strdup(fips_last_error_variant());
	}
	return e;
}

static inline void fips_go_error_free(fips_go_error e) {
	free(e.message);
	free(e.kind);
	free(e.variant);
}

static inline fips_go_result fips_go_finish(fips_status status, char *out) {
	fips_go_result r = {status, out, fips_go_last_error(status)};
	return r;
}

#endif
