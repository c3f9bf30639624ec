/*
 * fips_scan_json on real Go binaries (issue 7, item 4: the scanner through the C ABI).
 *
 * tests/c/Makefile builds tests/scan/go/std with the machine's Go twice, named as two of the
 * embedded policy's components: a standard build as `kube-proxy` and a
 * GOEXPERIMENT=boringcrypto build as `kube-apiserver`. The product documentation says core
 * Kubernetes components are built with goboring (Go+BoringCrypto), and the embedded policy
 * accepts only `boringcrypto` for them (docs/scan.md): so kube-proxy is not compliant
 * (FIPS_STATUS_SCAN_NOT_COMPLIANT, FIPS-SCAN-STANDARD-CRYPTO) and kube-apiserver is
 * (FIPS_OK). Go's documentation of GOEXPERIMENT=boringcrypto: the version carries
 * `X:boringcrypto` and `go build` records the `GOEXPERIMENT` build setting.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

_Static_assert(FIPS_OK == FIPS_STATUS_OK, "FIPS_OK is an alias of FIPS_STATUS_OK");

static const char *string_of(const cJSON *object, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool streq(const char *a, const char *b) { return a != NULL && strcmp(a, b) == 0; }

/* True when `findings` holds `code` with `severity`. */
static bool has_finding(const cJSON *findings, const char *code, const char *severity) {
    const cJSON *f;
    cJSON_ArrayForEach(f, findings) {
        if (streq(string_of(f, "code"), code) && streq(string_of(f, "severity"), severity)) return true;
    }
    return false;
}

/* True when `evidence` holds an item signalling `signal`. */
static bool has_signal(const cJSON *evidence, const char *signal) {
    const cJSON *e;
    cJSON_ArrayForEach(e, evidence) {
        if (streq(string_of(e, "signal"), signal)) return true;
    }
    return false;
}

/* The result for the file named `name` (the path's last component). */
static const cJSON *result_named(const cJSON *report, const char *name) {
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(report, "results")) {
        const char *path = string_of(r, "path");
        const char *slash = path ? strrchr(path, '/') : NULL;
        if (streq(slash ? slash + 1 : path, name)) return r;
    }
    return NULL;
}

/* Checks the result of one Go subject: built with `module`, judged `compliant`. */
static void check_go_result(const cJSON *r, const char *name, const char *module, bool compliant) {
    set_context("fips_scan_json: %s", name);
    if (!check(r != NULL, "no result for %s", name)) return;
    check(streq(string_of(r, "format"), "go"), "format is %s, want go", string_of(r, "format"));
    const char *go_version = string_of(r, "go_version");
    check(go_version != NULL && strncmp(go_version, "go1.", 4) == 0, "go_version is %s", go_version);
    check(streq(string_of(r, "crypto_module"), module), "crypto_module is %s, want %s", string_of(r, "crypto_module"),
          module);
    check(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "component")), "%s is not judged as a component", name);
    check(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(r, "compliant")) &&
              cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "compliant")) == compliant,
          "compliant is not %s", compliant ? "true" : "false");
    const cJSON *settings = cJSON_GetObjectItemCaseSensitive(r, "settings");
    check(cJSON_IsObject(settings) && streq(string_of(settings, "GOOS"), "linux"), "settings lack GOOS=linux");
    const cJSON *bytes_read = cJSON_GetObjectItemCaseSensitive(r, "bytes_read");
    check(cJSON_IsNumber(bytes_read) && bytes_read->valuedouble > 0, "bytes_read is not a positive number");
    const cJSON *evidence = cJSON_GetObjectItemCaseSensitive(r, "evidence");
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(r, "findings");
    check(cJSON_IsArray(evidence) && cJSON_IsArray(findings), "evidence or findings is not an array");
    if (strcmp(module, "boringcrypto") == 0) {
        check(go_version != NULL && strstr(go_version, "X:boringcrypto") != NULL, "go_version %s lacks X:boringcrypto",
              go_version);
        check(streq(string_of(settings, "GOEXPERIMENT"), "boringcrypto"), "GOEXPERIMENT is %s",
              string_of(settings, "GOEXPERIMENT"));
        check(has_signal(evidence, "boringcrypto"), "no boringcrypto evidence");
        check(!has_finding(findings, "FIPS-SCAN-STANDARD-CRYPTO", "error"), "a BoringCrypto build judged standard");
    } else {
        check(go_version != NULL && strstr(go_version, "X:boringcrypto") == NULL, "go_version %s", go_version);
        check(!has_signal(evidence, "boringcrypto"), "boringcrypto evidence in a standard build");
        check(has_finding(findings, "FIPS-SCAN-STANDARD-CRYPTO", "error"), "no FIPS-SCAN-STANDARD-CRYPTO error");
    }
}

/* Scans `paths`, expects `want`, and returns the parsed report (NULL when none). */
static cJSON *scan(const fips_policy *policy, const char *const *paths, size_t n, fips_status want, const char *what) {
    char *out = UNTOUCHED;
    fips_status s = fips_scan_json(policy, paths, n, &out);
    check_status(s, want, what);
    check((s == FIPS_OK) == (fips_last_error()[0] == '\0'), "fips_last_error() after %s: \"%s\"", status_name(s),
          fips_last_error());
    if (!check(out != UNTOUCHED, "%s: no report written", what)) return NULL;
    cJSON *report = parse_result(out, what);
    fips_string_free(out);
    const cJSON *compliant = cJSON_GetObjectItemCaseSensitive(report, "compliant");
    check(cJSON_IsBool(compliant) && cJSON_IsTrue(compliant) == (want == FIPS_OK), "%s: compliant disagrees with %s",
          what, status_name(want));
    return report;
}

void run_scan(const char *subjects) {
    char proxy[4096], apiserver[4096];
    snprintf(proxy, sizeof proxy, "%s/kube-proxy", subjects);
    snprintf(apiserver, sizeof apiserver, "%s/kube-apiserver", subjects);

    set_context("fips_scan_json: kube-apiserver (GOEXPERIMENT=boringcrypto)");
    const char *boring[] = {apiserver};
    cJSON *report = scan(NULL, boring, 1, FIPS_OK, "fips_scan_json(kube-apiserver)");
    check(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(report, "results")) == 1, "not one result");
    check_go_result(result_named(report, "kube-apiserver"), "kube-apiserver", "boringcrypto", true);
    cJSON_Delete(report);

    set_context("fips_scan_json: kube-proxy (standard Go crypto)");
    const char *standard[] = {proxy};
    report = scan(NULL, standard, 1, FIPS_STATUS_SCAN_NOT_COMPLIANT, "fips_scan_json(kube-proxy)");
    check(strstr(fips_last_error(), "kube-proxy") != NULL &&
              strstr(fips_last_error(), "FIPS-SCAN-STANDARD-CRYPTO") != NULL,
          "the last error does not name kube-proxy and its code: %s", fips_last_error());
    check_go_result(result_named(report, "kube-proxy"), "kube-proxy", "standard", false);
    cJSON_Delete(report);

    /* Both, and their directory (walked), through a policy handle: one bad binary fails all. */
    fips_policy *policy = NULL;
    check_status(fips_policy_new_default(&policy), FIPS_STATUS_OK, "fips_policy_new_default");
    const char *both[] = {apiserver, proxy};
    const char *dir[] = {subjects};
    for (int i = 0; i < 2; i++) {
        set_context("fips_scan_json: %s", i == 0 ? "both files" : "their directory");
        report = scan(policy, i == 0 ? both : dir, i == 0 ? 2 : 1, FIPS_STATUS_SCAN_NOT_COMPLIANT, "fips_scan_json");
        check(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(report, "results")) == 2, "not two results");
        check_go_result(result_named(report, "kube-apiserver"), "kube-apiserver", "boringcrypto", true);
        check_go_result(result_named(report, "kube-proxy"), "kube-proxy", "standard", false);
        cJSON_Delete(report);
    }
    fips_policy_free(policy);

    /* A policy that accepts standard Go crypto: kube-proxy is then compliant (a warning). */
    set_context("fips_scan_json: kube-proxy, standard accepted");
    fips_policy *lenient = NULL;
    check_status(fips_policy_from_toml("extend_default = true\n[scan]\naccepted_modules = [\"boringcrypto\", \"standard\"]\n"
                                       "components = [\"kube-proxy\"]\n",
                                       &lenient),
                 FIPS_STATUS_OK, "fips_policy_from_toml");
    report = scan(lenient, standard, 1, FIPS_OK, "fips_scan_json(kube-proxy), standard accepted");
    const cJSON *r = result_named(report, "kube-proxy");
    check(r && has_finding(cJSON_GetObjectItemCaseSensitive(r, "findings"), "FIPS-SCAN-STANDARD-CRYPTO", "warning"),
          "no FIPS-SCAN-STANDARD-CRYPTO warning");
    cJSON_Delete(report);
    fips_policy_free(lenient);

    /* No verdict: a path that does not exist, no path at all. Nothing is written. */
    char missing[4096];
    snprintf(missing, sizeof missing, "%s/kube-scheduler", subjects);
    const char *none[] = {apiserver, missing};
    char *out = UNTOUCHED;
    set_context("fips_scan_json: a path that does not exist");
    check_status(fips_scan_json(NULL, none, 2, &out), FIPS_STATUS_FILE_UNREADABLE, "fips_scan_json");
    check(strstr(fips_last_error(), "kube-scheduler") != NULL, "the last error does not name the path: %s",
          fips_last_error());
    check(out == UNTOUCHED, "written");
    check_last_error("file", "not-found", "fips_scan_json");
    set_context("fips_scan_json: n_paths 0");
    check_status(fips_scan_json(NULL, none, 0, &out), FIPS_STATUS_SCAN_FAILED, "fips_scan_json");
    check_last_error("scan", "no-paths", "fips_scan_json");
    check(strstr(fips_last_error(), "no path to scan") != NULL, "the last error does not say so: %s", fips_last_error());
    check(out == UNTOUCHED, "written");
    printf("  kube-apiserver (boringcrypto): FIPS_OK; kube-proxy (standard): FIPS_STATUS_SCAN_NOT_COMPLIANT; "
           "both, their directory, a lenient policy, a missing path, no path\n");
}
