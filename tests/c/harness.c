#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

char UNTOUCHED[1];

static size_t n_failures;
static size_t n_checks;
static char context[512];

void set_context(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(context, sizeof context, fmt, ap);
    va_end(ap);
}

bool check(bool ok, const char *fmt, ...) {
    n_checks++;
    if (ok) {
        return true;
    }
    n_failures++;
    fprintf(stderr, "FAIL [%s] ", context);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return false;
}

bool check_status(fips_status got, fips_status want, const char *what) {
    return check(got == want, "%s: status %s (%u), want %s (%u); last error: %s", what,
                 status_name(got), (unsigned)got, status_name(want), (unsigned)want,
                 fips_last_error());
}

size_t failures(void) { return n_failures; }
size_t checks(void) { return n_checks; }

const char *status_name(fips_status status) {
    switch (status) {
#define NAME(s) \
    case s:     \
        return #s;
        NAME(FIPS_STATUS_OK)
        NAME(FIPS_STATUS_NOT_COMPLIANT)
        NAME(FIPS_STATUS_TRANSITION_REFUSED)
        NAME(FIPS_STATUS_HOST_NOT_COMPLIANT)
        NAME(FIPS_STATUS_SCAN_NOT_COMPLIANT)
        NAME(FIPS_STATUS_AUDIT_NOT_COMPLIANT)
        NAME(FIPS_STATUS_NULL_PARAMETER)
        NAME(FIPS_STATUS_INVALID_UTF8)
        NAME(FIPS_STATUS_INPUT_TOO_LARGE)
        NAME(FIPS_STATUS_EMBEDDED_NUL)
        NAME(FIPS_STATUS_OPTIONS_INVALID)
        NAME(FIPS_STATUS_VERSION_INVALID)
        NAME(FIPS_STATUS_TAG_INVALID)
        NAME(FIPS_STATUS_TAG_LOSSY)
        NAME(FIPS_STATUS_TAG_NOT_A_VERSION)
        NAME(FIPS_STATUS_COMPONENT_UNKNOWN)
        NAME(FIPS_STATUS_IMAGE_INVALID)
        NAME(FIPS_STATUS_REQUEST_INVALID)
        NAME(FIPS_STATUS_POLICY_INVALID)
        NAME(FIPS_STATUS_ROOT_UNREADABLE)
        NAME(FIPS_STATUS_SCAN_FAILED)
        NAME(FIPS_STATUS_FILE_UNREADABLE)
        NAME(FIPS_STATUS_MANIFEST_INVALID)
        NAME(FIPS_STATUS_SELF_TEST_FAILED)
        NAME(FIPS_STATUS_PANIC)
        NAME(FIPS_STATUS_INTERNAL)
#undef NAME
    }
    return "UNKNOWN";
}

bool check_last_error(const char *kind, const char *variant, const char *what) {
    const char *got_kind = fips_last_error_kind(), *got_variant = fips_last_error_variant();
    bool ok = check(got_kind && strcmp(got_kind, kind) == 0 && got_variant &&
                        (variant == NULL || strcmp(got_variant, variant) == 0),
                    "%s: last error is %s/%s, want %s/%s: %s", what, got_kind ? got_kind : "(NULL)",
                    got_variant ? got_variant : "(NULL)", kind, variant ? variant : "*", fips_last_error());
    return check(fips_last_error()[0] != '\0', "%s: an error leaves fips_last_error() empty", what) && ok;
}

cJSON *parse_result(const char *json, const char *what) {
    cJSON *value = cJSON_Parse(json);
    check(value != NULL, "%s: result is not JSON: %s", what, json);
    return value;
}
