/*
 * Hostile input for every export (issue 8, item 5; fips_scan_json: issue 7, item 4; the audit:
 * issue 15, item 5): NULL in each pointer parameter, invalid
 * UTF-8, an embedded NUL, a 100 MB string, and a panic forced inside the boundary (a library
 * built with the test-panic feature: FIPS_TEST_PANIC=<export>). Each returns its error
 * status, sets fips_last_error(), writes no output, and nothing aborts.
 *
 * An embedded NUL: a C string ends at its first NUL, so libfips sees only the text before
 * it. Each case puts a NUL where the text before it is invalid and the whole would be valid,
 * and asserts the error of the text before it (and that the error quotes only that text):
 * libfips never reads past the NUL. A NUL carried inside JSON ("\u0000") or TOML reaches
 * libfips whole and is refused there. (The Go and Python bindings see a string's whole length
 * and refuse an embedded NUL themselves with FIPS_STATUS_EMBEDDED_NUL.)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define MAX_IN 3
#define BIG_BYTES (100u * 1024u * 1024u)

/* Marks that a policy constructor wrote its handle (freed at once by the adapter). */
static char POLICY_WRITTEN[1];

/* Calls an export with string inputs `in` and output `out` (NULL: pass NULL as output). */
typedef fips_status (*call_fn)(const char *const *in, char **out);

struct export_case {
    const char *name;
    size_t n_in;
    const char *param[MAX_IN];   /* the string parameters' names, as the last error names them */
    const char *valid[MAX_IN];   /* a valid value of each */
    size_t nul_at[MAX_IN];       /* where a NUL makes the text before it invalid */
    fips_status nul_status[MAX_IN];
    call_fn call;
    const char *out_param;
};

/* ---- adapters: one per export with a status ---- */

static fips_status call_validate_json(const char *const *in, char **out) {
    return fips_validate_json(NULL, in[0], out);
}
static fips_status call_validate_args(const char *const *in, char **out) {
    return fips_validate_args(NULL, in, 2, out);
}
static fips_status call_version_to_tag(const char *const *in, char **out) {
    return fips_version_to_tag(in[0], in[1], out);
}
static fips_status call_version_parse(const char *const *in, char **out) {
    return fips_version_parse_json(in[0], in[1], out);
}
static fips_status call_check_transition(const char *const *in, char **out) {
    return fips_check_transition(NULL, in[0], in[1], out);
}
static fips_status call_host_probe(const char *const *in, char **out) {
    return fips_host_probe_json(NULL, in[0], out);
}
static fips_status call_scan(const char *const *in, char **out) {
    return fips_scan_json(NULL, in, 1, out);
}
static fips_status call_audit(const char *const *in, char **out) {
    return fips_audit_json(NULL, in[0], out);
}
static fips_status call_audit_update(const char *const *in, char **out) {
    return fips_audit_update_json(NULL, in[0], in[1], out);
}
static fips_status call_selftest(const char *const *in, char **out) {
    (void)in;
    return fips_selftest_json(out);
}
static fips_status call_tag_to_version(const char *const *in, char **out) {
    return fips_tag_to_version(in[0], out);
}
static fips_status call_image_parse(const char *const *in, char **out) {
    return fips_image_parse_json(in[0], out);
}
static fips_status call_os_release(const char *const *in, char **out) {
    return fips_os_release_parse_json(in[0], out);
}
static fips_status call_codes(const char *const *in, char **out) {
    (void)in;
    return fips_codes_json(out);
}
static fips_status call_noop(const char *const *in, char **out) {
    (void)in;
    (void)out;
    return fips_noop();
}

/* The policy constructors write a handle, not a string: adapt them. */
static fips_status adapt_policy(fips_status (*make)(const char *, fips_policy **), const char *in, char **out) {
    static fips_policy *const UNTOUCHED_POLICY = (fips_policy *)UNTOUCHED;
    fips_policy *policy = UNTOUCHED_POLICY;
    fips_status s = make(in, out ? &policy : NULL);
    if (policy != UNTOUCHED_POLICY) {
        fips_policy_free(policy);
        *out = POLICY_WRITTEN;
    }
    return s;
}
static fips_status policy_default(const char *in, fips_policy **out) {
    (void)in;
    return fips_policy_new_default(out);
}
static fips_status call_policy_default(const char *const *in, char **out) {
    (void)in;
    return adapt_policy(policy_default, NULL, out);
}
static fips_status call_policy_toml(const char *const *in, char **out) {
    return adapt_policy(fips_policy_from_toml, in[0], out);
}
static fips_status call_policy_file(const char *const *in, char **out) {
    return adapt_policy(fips_policy_from_file, in[0], out);
}

static char policy_path[] = "/tmp/fips-test-policy-XXXXXX";

/* ---- the cases ---- */

/* A manifest in one YAML flow mapping: cut anywhere, it is malformed (a manifest error). */
#define AUDIT_HEAD "{apiVersion: kubeadm.k8s.io/v1beta4, kind: ClusterConfiguration"
#define AUDIT_MANIFEST AUDIT_HEAD ", kubernetesVersion: v1.22.8+fips.0}\n"
#define AUDIT_CUT (sizeof AUDIT_HEAD - 1)

/* The status after an embedded NUL is what the text up to the NUL gives: a path cut there
 * names no file, so it is FIPS_STATUS_FILE_UNREADABLE (kind file). */
static struct export_case CASES[] = {
    {"fips_validate_json", 1, {"request_json"}, {"{\"kubernetes_version\":\"1.22.8+fips.0\"}"}, {10},
     {FIPS_STATUS_REQUEST_INVALID}, call_validate_json, "report_json"},
    {"fips_validate_args", 2, {"argv[0]", "argv[1]"},
     {"--kubernetes-version=1.22.8+fips.0", "--etcd-version=3.4.13+fips.0"}, {25, 18},
     {FIPS_STATUS_REQUEST_INVALID, FIPS_STATUS_REQUEST_INVALID}, call_validate_args, "report_json"},
    {"fips_version_to_tag", 2, {"version", "component"}, {"1.22.8+fips.0", "kubernetes"}, {4, 4},
     {FIPS_STATUS_VERSION_INVALID, FIPS_STATUS_COMPONENT_UNKNOWN}, call_version_to_tag, "tag"},
    {"fips_version_parse_json", 2, {"version", "component"}, {"1.22.8+fips.0", "etcd"}, {4, 2},
     {FIPS_STATUS_VERSION_INVALID, FIPS_STATUS_COMPONENT_UNKNOWN}, call_version_parse, "info_json"},
    {"fips_check_transition", 2, {"current", "desired"}, {"1.22.8+fips.0", "1.22.8+fips.0"}, {4, 4},
     {FIPS_STATUS_VERSION_INVALID, FIPS_STATUS_VERSION_INVALID}, call_check_transition, "report_json"},
    {"fips_host_probe_json", 1, {"root"}, {"/usr"}, {2}, {FIPS_STATUS_FILE_UNREADABLE}, call_host_probe,
     "result_json"},
    /* A file that is not ELF, named directly: an `other` result (info only), compliant. */
    {"fips_scan_json", 1, {"paths[0]"}, {"tests/scan/go/std/main.go"}, {3}, {FIPS_STATUS_FILE_UNREADABLE}, call_scan,
     "report_json"},
    {"fips_audit_json", 1, {"manifest"}, {AUDIT_MANIFEST}, {AUDIT_CUT}, {FIPS_STATUS_MANIFEST_INVALID}, call_audit,
     "report_json"},
    {"fips_audit_update_json", 2, {"old_manifest", "new_manifest"}, {AUDIT_MANIFEST, AUDIT_MANIFEST},
     {AUDIT_CUT, AUDIT_CUT}, {FIPS_STATUS_MANIFEST_INVALID, FIPS_STATUS_MANIFEST_INVALID}, call_audit_update,
     "report_json"},
    {"fips_selftest_json", 0, {0}, {0}, {0}, {0}, call_selftest, "result_json"},
    {"fips_tag_to_version", 1, {"tag"}, {"v1.22.8_fips.0"}, {5}, {FIPS_STATUS_TAG_NOT_A_VERSION},
     call_tag_to_version, "version"},
    {"fips_image_parse_json", 1, {"image"}, {"mesosphere/etcd:v3.4.13_fips.0"}, {16}, {FIPS_STATUS_IMAGE_INVALID},
     call_image_parse, "image_json"},
    /* os-release text never fails to parse: the NUL case checks that the text ends there. */
    {"fips_os_release_parse_json", 1, {"text"}, {"ID=rhel\nID=centos\n"}, {8}, {FIPS_STATUS_OK}, call_os_release,
     "result_json"},
    {"fips_codes_json", 0, {0}, {0}, {0}, {0}, call_codes, "codes_json"},
    {"fips_policy_new_default", 0, {0}, {0}, {0}, {0}, call_policy_default, "policy_out"},
    {"fips_policy_from_toml", 1, {"toml"}, {"extend_default = true\n"}, {19}, {FIPS_STATUS_POLICY_INVALID},
     call_policy_toml, "policy_out"},
    {"fips_policy_from_file", 1, {"path"}, {policy_path}, {3}, {FIPS_STATUS_FILE_UNREADABLE}, call_policy_file,
     "policy_out"},
    {"fips_noop", 0, {0}, {0}, {0}, {0}, call_noop, NULL},
};

/* Frees what a call wrote, if anything. */
static void release(char *out) {
    if (out != UNTOUCHED && out != POLICY_WRITTEN) {
        fips_string_free(out);
    }
}

/* A call that must fail with `want`, write nothing, and explain itself naming `mention`. */
static void expect_error(const struct export_case *c, const char *const *in, bool null_out, fips_status want,
                         const char *mention) {
    char *out = UNTOUCHED;
    fips_status s = c->call(in, null_out ? NULL : &out);
    check_status(s, want, c->name);
    check(out == UNTOUCHED, "an output was written with an error");
    const char *err = fips_last_error();
    if (!check(err != NULL, "fips_last_error() is NULL")) {
        return;
    }
    check(strstr(err, c->name) != NULL, "the last error does not name %s: \"%s\"", c->name, err);
    if (mention) {
        check(strstr(err, mention) != NULL, "the last error does not name \"%s\": \"%s\"", mention, err);
    }
    release(out);
}

static void copy_valid(const struct export_case *c, const char **in) {
    for (size_t i = 0; i < MAX_IN; i++) {
        in[i] = c->valid[i];
    }
}

static void valid_call(const struct export_case *c) {
    const char *in[MAX_IN];
    copy_valid(c, in);
    char *out = UNTOUCHED;
    fips_status s = c->call(in, c->out_param ? &out : NULL);
    check(s < FIPS_STATUS_NULL_PARAMETER, "%s with valid input: status %s; last error: %s", c->name,
          status_name(s), fips_last_error());
    check(c->out_param == NULL || out != UNTOUCHED, "%s gave a result and wrote nothing", c->name);
    check((s == FIPS_STATUS_OK) == (fips_last_error()[0] == '\0'), "fips_last_error() after %s: \"%s\"",
          status_name(s), fips_last_error());
    release(out);
}

static void null_cases(const struct export_case *c) {
    const char *in[MAX_IN];
    for (size_t i = 0; i < c->n_in; i++) {
        set_context("%s: NULL %s", c->name, c->param[i]);
        copy_valid(c, in);
        in[i] = NULL;
        expect_error(c, in, false, FIPS_STATUS_NULL_PARAMETER, c->param[i]);
    }
    if (c->out_param) {
        set_context("%s: NULL %s", c->name, c->out_param);
        copy_valid(c, in);
        expect_error(c, in, true, FIPS_STATUS_NULL_PARAMETER, c->out_param);
    }
}

static void utf8_cases(const struct export_case *c) {
    const char *in[MAX_IN];
    for (size_t i = 0; i < c->n_in; i++) {
        set_context("%s: invalid UTF-8 in %s", c->name, c->param[i]);
        char bad[256];
        /* A lone continuation byte, then an overlong encoding of '/', inside valid text. */
        snprintf(bad, sizeof bad, "%.*s\x80\xc0\xaf%s", (int)c->nul_at[i], c->valid[i], c->valid[i] + c->nul_at[i]);
        copy_valid(c, in);
        in[i] = bad;
        expect_error(c, in, false, FIPS_STATUS_INVALID_UTF8, c->param[i]);
    }
}

static void nul_cases(const struct export_case *c) {
    const char *in[MAX_IN];
    for (size_t i = 0; i < c->n_in; i++) {
        set_context("%s: embedded NUL in %s", c->name, c->param[i]);
        size_t len = strlen(c->valid[i]), at = c->nul_at[i];
        char *buf = malloc(len + 2);
        memcpy(buf, c->valid[i], at);
        buf[at] = '\0';
        memcpy(buf + at + 1, c->valid[i] + at, len - at + 1);
        copy_valid(c, in);
        in[i] = buf;
        if (c->nul_status[i] == FIPS_STATUS_OK) {
            /* fips_os_release_parse_json: "ID=rhel\n\0ID=centos\n" is "ID=rhel\n". */
            char *out = UNTOUCHED;
            if (check_status(c->call(in, &out), FIPS_STATUS_OK, c->name)) {
                cJSON *got = parse_result(out, c->name);
                const cJSON *id = cJSON_GetObjectItemCaseSensitive(got, "id");
                check(cJSON_IsString(id) && strcmp(id->valuestring, "rhel") == 0, "text after the NUL was read: %s", out);
                cJSON_Delete(got);
            }
            release(out);
        } else {
            expect_error(c, in, false, c->nul_status[i], NULL);
            /* Errors quote what libfips saw: the text before the NUL, never the whole value. */
            char whole[256], seen[256];
            snprintf(whole, sizeof whole, "\"%s\"", c->valid[i]);
            snprintf(seen, sizeof seen, "\"%.*s\"", (int)at, c->valid[i]);
            const char *err = fips_last_error();
            check(strstr(err, seen) != NULL || strstr(err, whole) == NULL,
                  "the last error quotes text after the NUL: %s", err);
        }
        free(buf);
    }
}

static void big_cases(const struct export_case *c, const char *big) {
    const char *in[MAX_IN];
    for (size_t i = 0; i < c->n_in; i++) {
        set_context("%s: 100 MB %s", c->name, c->param[i]);
        copy_valid(c, in);
        in[i] = big;
        expect_error(c, in, false, FIPS_STATUS_INPUT_TOO_LARGE, c->param[i]);
    }
}

static void panic_case(const struct export_case *c) {
    set_context("%s: forced panic", c->name);
    const char *in[MAX_IN];
    copy_valid(c, in);
    setenv("FIPS_TEST_PANIC", c->name, 1);
    char *out = UNTOUCHED;
    fips_status s = c->call(in, c->out_param ? &out : NULL);
    unsetenv("FIPS_TEST_PANIC");
    check_status(s, FIPS_STATUS_PANIC, c->name);
    check(out == UNTOUCHED, "an output was written by a call that panicked");
    check(strstr(fips_last_error(), "internal panic") != NULL && strstr(fips_last_error(), c->name) != NULL,
          "the last error does not tell the panic: \"%s\"", fips_last_error());
    release(out);
}

/* ---- exports that are not in the table ---- */

static void argv_cases(const char *big) {
    const char *name = "fips_validate_args";
    char *out = UNTOUCHED;
    set_context("%s: NULL argv", name);
    check_status(fips_validate_args(NULL, NULL, 0, &out), FIPS_STATUS_NULL_PARAMETER, name);
    check_status(fips_validate_args(NULL, NULL, 3, &out), FIPS_STATUS_NULL_PARAMETER, name);
    check(strstr(fips_last_error(), "argv") != NULL, "last error: %s", fips_last_error());
    check(out == UNTOUCHED, "written");

    set_context("%s: argc over FIPS_MAX_ARGS", name);
    size_t many = FIPS_MAX_ARGS + 1;
    const char **argv = calloc(many, sizeof *argv);
    for (size_t i = 0; i < many; i++) argv[i] = "x";
    check_status(fips_validate_args(NULL, argv, many, &out), FIPS_STATUS_INPUT_TOO_LARGE, name);
    check(out == UNTOUCHED, "written");

    set_context("%s: arguments over FIPS_MAX_INPUT_BYTES in total", name);
    /* 4 arguments of 300 kB: each fine alone, too much together. Each is a flag with its
     * value (`--a=aaa...`): bare words would be refused as not a create-cluster command. */
    size_t each = 300 * 1000;
    char *arg = malloc(each + 1);
    memset(arg, 'a', each);
    memcpy(arg, "--a=", 4);
    arg[each] = '\0';
    for (size_t i = 0; i < 4; i++) argv[i] = arg;
    check_status(fips_validate_args(NULL, argv, 3, &out), FIPS_STATUS_NOT_COMPLIANT, "3 x 300 kB");
    release(out);
    out = UNTOUCHED;
    check_status(fips_validate_args(NULL, argv, 4, &out), FIPS_STATUS_INPUT_TOO_LARGE, name);
    check(out == UNTOUCHED, "written");
    free(arg);

    set_context("%s: 100 MB argument after valid ones", name);
    argv[0] = "create";
    argv[1] = big;
    check_status(fips_validate_args(NULL, argv, 2, &out), FIPS_STATUS_INPUT_TOO_LARGE, name);
    check(out == UNTOUCHED, "written");
    free(argv);
}

/* fips_scan_json's path array: NULL, too many, too long in total. */
static void paths_cases(const char *big) {
    const char *name = "fips_scan_json";
    char *out = UNTOUCHED;
    set_context("%s: NULL paths", name);
    check_status(fips_scan_json(NULL, NULL, 1, &out), FIPS_STATUS_NULL_PARAMETER, name);
    check(strstr(fips_last_error(), "paths is NULL") != NULL, "last error: %s", fips_last_error());
    check(out == UNTOUCHED, "written");

    set_context("%s: n_paths over FIPS_MAX_ARGS", name);
    size_t many = FIPS_MAX_ARGS + 1;
    const char **paths = calloc(many, sizeof *paths);
    for (size_t i = 0; i < many; i++) paths[i] = "tests/scan/go/std/main.go";
    check_status(fips_scan_json(NULL, paths, many, &out), FIPS_STATUS_INPUT_TOO_LARGE, name);
    check(strstr(fips_last_error(), "n_paths") != NULL, "last error: %s", fips_last_error());
    check(out == UNTOUCHED, "written");

    set_context("%s: NULL paths[1]", name);
    paths[1] = NULL;
    check_status(fips_scan_json(NULL, paths, 2, &out), FIPS_STATUS_NULL_PARAMETER, name);
    check(strstr(fips_last_error(), "paths[1]") != NULL, "last error: %s", fips_last_error());
    check(out == UNTOUCHED, "written");

    set_context("%s: 100 MB path after a valid one", name);
    paths[1] = big;
    check_status(fips_scan_json(NULL, paths, 2, &out), FIPS_STATUS_INPUT_TOO_LARGE, name);
    check(strstr(fips_last_error(), "paths[1]") != NULL, "last error: %s", fips_last_error());
    check(out == UNTOUCHED, "written");
    free(paths);
}

/* NUL carried inside JSON and TOML reaches libfips whole: refused as invalid input. */
static void escaped_nul_cases(void) {
    char *out = UNTOUCHED;
    set_context("fips_validate_json: \\u0000 in a version");
    check_status(fips_validate_json(NULL, "{\"kubernetes_version\":\"1.22.8+fips.0\\u0000\"}", &out),
                 FIPS_STATUS_REQUEST_INVALID, "fips_validate_json");
    check(strstr(fips_last_error(), "\\0") != NULL, "the NUL is not shown in: %s", fips_last_error());
    check(out == UNTOUCHED, "written");
    fips_policy *policy = (fips_policy *)UNTOUCHED;
    set_context("fips_policy_from_toml: \\u0000 in a version");
    check_status(fips_policy_from_toml("[[builds]]\nsource = \"x\"\nkubernetes = { version = \"v1.22.8+fips.0\\u0000\", "
                                       "repository = \"docker.io/mesosphere\" }\n"
                                       "etcd = { version = \"v3.4.13+fips.0\", repository = \"docker.io/mesosphere\" }\n",
                                       &policy),
                 FIPS_STATUS_POLICY_INVALID, "fips_policy_from_toml");
    check(policy == (fips_policy *)UNTOUCHED, "written");
}

/* The exports that return a value rather than a status. */
static void value_exports(bool panic) {
    set_context("fips_version");
    check(strcmp(fips_version(), FIPS_EXPECTED_VERSION) == 0, "fips_version() is \"%s\", want \"%s\"", fips_version(),
          FIPS_EXPECTED_VERSION);

    set_context("fips_string_free / fips_policy_free: NULL");
    fips_string_free(NULL);
    fips_policy_free(NULL);
    check(true, "NULL frees return");

    set_context("fips_last_error: after OK");
    check_status(fips_noop(), FIPS_STATUS_OK, "fips_noop");
    check(fips_last_error() != NULL && fips_last_error()[0] == '\0', "not empty after OK: %s", fips_last_error());
    check(fips_last_error_kind() != NULL && fips_last_error_kind()[0] == '\0' && fips_last_error_variant() != NULL &&
              fips_last_error_variant()[0] == '\0',
          "kind/variant not empty after OK: %s/%s", fips_last_error_kind(), fips_last_error_variant());

    set_context("fips_last_error_kind / _variant: the ABI's own errors");
    char *none = UNTOUCHED;
    check_status(fips_tag_to_version(NULL, &none), FIPS_STATUS_NULL_PARAMETER, "fips_tag_to_version");
    check_last_error("input", "null-parameter", "fips_tag_to_version(NULL)");
    check_status(fips_tag_to_version("v1.22.8_fips.0\xff", &none), FIPS_STATUS_INVALID_UTF8, "fips_tag_to_version");
    check_last_error("input", "invalid-utf8", "fips_tag_to_version(non-UTF-8)");
    check(none == UNTOUCHED, "written");
    char *report = UNTOUCHED;
    check_status(fips_validate_args(NULL, (const char *const[]){"--kubernetes-version=1.22.8"}, 1, &report),
                 FIPS_STATUS_NOT_COMPLIANT, "fips_validate_args");
    check(fips_last_error()[0] != '\0' && fips_last_error_kind()[0] == '\0' && fips_last_error_variant()[0] == '\0',
          "a negative verdict is explained but is no error: %s/%s", fips_last_error_kind(), fips_last_error_variant());
    if (report != UNTOUCHED) fips_string_free(report);

    if (!panic) {
        return;
    }
    char *tag = NULL;
    check_status(fips_version_to_tag("1.22.8+fips.0", "kubernetes", &tag), FIPS_STATUS_OK, "fips_version_to_tag");

    set_context("fips_string_free: forced panic");
    setenv("FIPS_TEST_PANIC", "fips_string_free", 1);
    fips_string_free(tag); /* panics before freeing: the string is still ours */
    unsetenv("FIPS_TEST_PANIC");
    check(strstr(fips_last_error(), "fips_string_free: internal panic") != NULL, "last error: %s", fips_last_error());
    fips_string_free(tag);

    set_context("fips_policy_free: forced panic");
    fips_policy *policy = NULL;
    check_status(fips_policy_new_default(&policy), FIPS_STATUS_OK, "fips_policy_new_default");
    setenv("FIPS_TEST_PANIC", "fips_policy_free", 1);
    fips_policy_free(policy);
    unsetenv("FIPS_TEST_PANIC");
    check(strstr(fips_last_error(), "fips_policy_free: internal panic") != NULL, "last error: %s", fips_last_error());
    fips_policy_free(policy);

    set_context("fips_version: forced panic");
    setenv("FIPS_TEST_PANIC", "fips_version", 1);
    const char *version = fips_version();
    unsetenv("FIPS_TEST_PANIC");
    check(version && strcmp(version, FIPS_EXPECTED_VERSION) == 0, "fips_version() after a panic: %s", version);
    check(strstr(fips_last_error(), "fips_version: internal panic") != NULL, "last error: %s", fips_last_error());

    set_context("fips_last_error: forced panic");
    setenv("FIPS_TEST_PANIC", "fips_last_error", 1);
    const char *err = fips_last_error();
    unsetenv("FIPS_TEST_PANIC");
    check(err && strstr(err, "fips_last_error: internal panic") != NULL, "fips_last_error() after its panic: %s", err);

    set_context("fips_last_error_kind / _variant: forced panic");
    setenv("FIPS_TEST_PANIC", "fips_last_error_kind", 1);
    const char *kind = fips_last_error_kind();
    unsetenv("FIPS_TEST_PANIC");
    check(kind && strcmp(kind, "internal") == 0, "fips_last_error_kind() after its panic: %s", kind);
    setenv("FIPS_TEST_PANIC", "fips_last_error_variant", 1);
    const char *variant = fips_last_error_variant();
    unsetenv("FIPS_TEST_PANIC");
    check(variant && strcmp(variant, "panic") == 0, "fips_last_error_variant() after its panic: %s", variant);
    check(strstr(fips_last_error(), "fips_last_error_variant: internal panic") != NULL, "last error: %s",
          fips_last_error());
}

/* fips_last_error() is per thread. */
static void *other_thread(void *arg) {
    char *out = UNTOUCHED;
    *(fips_status *)arg = fips_version_to_tag("1.22.8", "kubernetes", &out);
    if (out != UNTOUCHED) fips_string_free(out);
    return NULL;
}

static void thread_local_error(void) {
    set_context("fips_last_error: per thread");
    char *out = UNTOUCHED;
    check_status(fips_tag_to_version("v1_2_3", &out), FIPS_STATUS_TAG_LOSSY, "fips_tag_to_version");
    char before[512];
    snprintf(before, sizeof before, "%s", fips_last_error());
    pthread_t thread;
    fips_status other = FIPS_STATUS_INTERNAL;
    pthread_create(&thread, NULL, other_thread, &other);
    pthread_join(thread, NULL);
    check_status(other, FIPS_STATUS_OK, "fips_version_to_tag on another thread");
    check(strcmp(before, fips_last_error()) == 0, "another thread's success changed this thread's error: %s",
          fips_last_error());
}

/* Many threads at once, sharing one policy handle: every result equals the one computed
 * alone, errors included (fips_last_error() is read on the thread of its call). */
#define STRESS_THREADS 8
#define STRESS_CALLS 300

struct stress {
    const fips_policy *policy;
    const char *want_report;
    const char *want_error;
    int mismatches;
};

static void *stress_thread(void *arg) {
    struct stress *st = arg;
    const char *argv[] = {"create", "cluster", "aws", "--kubernetes-version=1.22.8"};
    for (int i = 0; i < STRESS_CALLS; i++) {
        char *out = UNTOUCHED;
        if (i % 2 == 0) {
            fips_status s = fips_validate_args(st->policy, argv, 4, &out);
            st->mismatches += s != FIPS_STATUS_NOT_COMPLIANT || out == UNTOUCHED || strcmp(out, st->want_report) != 0;
        } else {
            fips_status s = fips_tag_to_version("v1_2_3", &out);
            st->mismatches += s != FIPS_STATUS_TAG_LOSSY || out != UNTOUCHED || strcmp(fips_last_error(), st->want_error) != 0;
        }
        release(out);
    }
    return NULL;
}

static void threads_agree(void) {
    set_context("%d threads x %d calls", STRESS_THREADS, STRESS_CALLS);
    const char *argv[] = {"create", "cluster", "aws", "--kubernetes-version=1.22.8"};
    fips_policy *policy = NULL;
    char *report = UNTOUCHED, *scratch = UNTOUCHED;
    check_status(fips_policy_new_default(&policy), FIPS_STATUS_OK, "fips_policy_new_default");
    check_status(fips_validate_args(policy, argv, 4, &report), FIPS_STATUS_NOT_COMPLIANT, "reference report");
    check_status(fips_tag_to_version("v1_2_3", &scratch), FIPS_STATUS_TAG_LOSSY, "reference error");
    char *want_error = strdup(fips_last_error());
    pthread_t threads[STRESS_THREADS];
    struct stress st[STRESS_THREADS];
    for (int t = 0; t < STRESS_THREADS; t++) {
        st[t] = (struct stress){policy, report, want_error, 0};
        pthread_create(&threads[t], NULL, stress_thread, &st[t]);
    }
    for (int t = 0; t < STRESS_THREADS; t++) {
        pthread_join(threads[t], NULL);
        check(st[t].mismatches == 0, "thread %d: %d results differ from the reference", t, st[t].mismatches);
    }
    free(want_error);
    release(report);
    fips_policy_free(policy);
}

/* A NULL policy is the embedded default: the same report as a default handle. */
static void null_policy_is_default(void) {
    set_context("NULL policy");
    const char *argv[] = {"dkp", "create", "cluster", "aws", "--kubernetes-version=1.22.8"};
    fips_policy *policy = NULL;
    char *a = UNTOUCHED, *b = UNTOUCHED;
    check_status(fips_policy_new_default(&policy), FIPS_STATUS_OK, "fips_policy_new_default");
    check_status(fips_validate_args(NULL, argv, 5, &a), FIPS_STATUS_NOT_COMPLIANT, "NULL policy");
    check_status(fips_validate_args(policy, argv, 5, &b), FIPS_STATUS_NOT_COMPLIANT, "default handle");
    check(a != UNTOUCHED && b != UNTOUCHED && strcmp(a, b) == 0, "reports differ:\n%s\n%s", a, b);
    release(a);
    release(b);
    fips_policy_free(policy);
}

/* fips_scan_registry_json: not in the table, whose valid call would need a registry
 * (registry.c has the cases that read one). Every case here fails before any read. */
static void registry_cases(const char *big, bool panic) {
    const char *name = "fips_scan_registry_json", *image = "127.0.0.1:1/fips/boring:v1";
    static const struct {
        const char *reference, *options, *param;
        fips_status want;
    } CASES[] = {
        {NULL, NULL, "reference", FIPS_STATUS_NULL_PARAMETER},
        {"127.0.0.1:1/fips/\x80\xc0\xaf:v1", NULL, "reference", FIPS_STATUS_INVALID_UTF8},
        {"127.0.0.1:1/fips/boring:v1", "{\"platform\": \"linux/\x80\"}", "options_json", FIPS_STATUS_INVALID_UTF8},
        {"127.0.0.1:1/fips/boring:v1", "{\"insecure_registry\": []}", "insecure_registry",
         FIPS_STATUS_OPTIONS_INVALID},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        set_context("%s: %s", name, CASES[i].param);
        char *out = UNTOUCHED;
        check_status(fips_scan_registry_json(NULL, CASES[i].reference, CASES[i].options, &out), CASES[i].want, name);
        check(out == UNTOUCHED, "an output was written with an error");
        check(strstr(fips_last_error(), CASES[i].param) != NULL, "the last error does not name %s: %s",
              CASES[i].param, fips_last_error());
    }
    char *out = UNTOUCHED;
    set_context("%s: NULL report_json", name);
    check_status(fips_scan_registry_json(NULL, image, NULL, NULL), FIPS_STATUS_NULL_PARAMETER, name);
    check(strstr(fips_last_error(), "report_json") != NULL, "last error: %s", fips_last_error());
    set_context("%s: 100 MB reference, 100 MB options", name);
    check_status(fips_scan_registry_json(NULL, big, NULL, &out), FIPS_STATUS_INPUT_TOO_LARGE, name);
    check_status(fips_scan_registry_json(NULL, image, big, &out), FIPS_STATUS_INPUT_TOO_LARGE, name);
    check(out == UNTOUCHED, "written");
    if (panic) {
        set_context("%s: forced panic", name);
        setenv("FIPS_TEST_PANIC", name, 1);
        fips_status s = fips_scan_registry_json(NULL, image, NULL, &out);
        unsetenv("FIPS_TEST_PANIC");
        check_status(s, FIPS_STATUS_PANIC, name);
        check(out == UNTOUCHED, "an output was written by a call that panicked");
    }
    printf("  %-28s NULL, invalid UTF-8, 100 MB, unknown option field%s\n", name, panic ? "; forced panic" : "");
}

void run_hostility(bool panic) {
    int fd = mkstemp(policy_path);
    check(fd >= 0 && write(fd, "extend_default = true\n", 22) == 22, "cannot write %s", policy_path);
    close(fd);

    char *big = malloc(BIG_BYTES + 1);
    memset(big, 'a', BIG_BYTES);
    big[BIG_BYTES] = '\0';

    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        const struct export_case *c = &CASES[i];
        set_context("%s: valid input", c->name);
        valid_call(c);
        null_cases(c);
        utf8_cases(c);
        nul_cases(c);
        big_cases(c, big);
        if (panic) {
            panic_case(c);
        }
        printf("  %-28s %s%s%s\n", c->name, c->out_param ? "NULL output" : "(no parameters)",
               c->n_in ? "; NULL, invalid UTF-8, embedded NUL, 100 MB in each string" : "",
               panic ? "; forced panic" : "");
    }
    argv_cases(big);
    paths_cases(big);
    registry_cases(big, panic);
    escaped_nul_cases();
    value_exports(panic);
    thread_local_error();
    threads_agree();
    null_policy_is_default();
    printf("  fips_string_free, fips_policy_free, fips_version, fips_last_error(_kind, _variant)%s; %d threads x %d calls\n",
           panic ? " (with panics)" : "", STRESS_THREADS, STRESS_CALLS);
    free(big);
    unlink(policy_path);
}
