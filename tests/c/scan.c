/*
 * fips_scan_json on real Go binaries (issue 7, item 4: the scanner through the C ABI).
 *
 * The subjects are the shared ones of tests/scan/subjects.json, built once per test run by
 * scripts/build-scan-subjects (tests/c/Makefile: from FIPS_SCAN_SUBJECTS, else its own build).
 * `--scan DIR` gets DIR/shared (that build: every listed subject is checked against its listed
 * verdict, as the Rust, Go and Python suites do) and DIR/named, two of them copied under
 * component names of the embedded policy: the standard build as `kube-proxy` and the
 * GOEXPERIMENT=boringcrypto build as `kube-apiserver`. The product documentation says core
 * Kubernetes components are built with goboring (Go+BoringCrypto), and the embedded policy
 * accepts only `boringcrypto` for them (docs/scan.md): so kube-proxy is not compliant
 * (FIPS_STATUS_SCAN_NOT_COMPLIANT, FIPS-SCAN-STANDARD-CRYPTO) and kube-apiserver is
 * (FIPS_OK). Go's documentation of GOEXPERIMENT=boringcrypto: the version carries
 * `X:boringcrypto` and `go build` records the `GOEXPERIMENT` build setting.
 */
#include <stdio.h>
#include <stdlib.h>
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

/* The whole of the file at `path`, NUL-terminated (free it), or NULL after a failed check. */
static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!check(f != NULL, "cannot open %s", path)) return NULL;
    size_t len = 0, cap = 4096;
    char *text = malloc(cap);
    size_t got;
    while (text != NULL && (got = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            char *grown = realloc(text, cap *= 2);
            if (grown == NULL) free(text);
            text = grown;
        }
    }
    bool ok = text != NULL && !ferror(f);
    fclose(f);
    if (!check(ok, "cannot read %s", path)) {
        free(text);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

/* True when `id` is a whole line of `built` (the built.txt of scripts/build-scan-subjects). */
static bool listed(const char *built, const char *id) {
    size_t n = strlen(id);
    for (const char *line = built; *line != '\0'; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
        if (strncmp(line, id, n) == 0 && (line[n] == '\n' || line[n] == '\0')) return true;
    }
    return false;
}

/* A listed boolean of `expect` equals the result's (both must be booleans). */
static void check_bool(const cJSON *r, const cJSON *expect, const char *key) {
    const cJSON *got = cJSON_GetObjectItemCaseSensitive(r, key), *want = cJSON_GetObjectItemCaseSensitive(expect, key);
    check(cJSON_IsBool(got) && cJSON_IsBool(want) && cJSON_IsTrue(got) == cJSON_IsTrue(want),
          "%s is %s, want %s", key, cJSON_IsBool(got) ? (cJSON_IsTrue(got) ? "true" : "false") : "not a boolean",
          cJSON_IsBool(want) ? (cJSON_IsTrue(want) ? "true" : "false") : "not a boolean");
}

/* True when a listed [code, severity] pair of `codes` is an error: the subject is not compliant. */
static bool lists_an_error(const cJSON *codes) {
    const cJSON *pair;
    cJSON_ArrayForEach(pair, codes) {
        const cJSON *severity = cJSON_GetArrayItem(pair, 1);
        if (cJSON_IsString(severity) && strcmp(severity->valuestring, "error") == 0) return true;
    }
    return false;
}

/* The result's findings as [[code, severity], ...] equal the listed `codes`, in order. */
static void check_codes(const cJSON *r, const cJSON *codes) {
    cJSON *got = cJSON_CreateArray();
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(r, "findings")) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateString(string_of(f, "code") ? string_of(f, "code") : "(none)"));
        cJSON_AddItemToArray(pair, cJSON_CreateString(string_of(f, "severity") ? string_of(f, "severity") : "(none)"));
        cJSON_AddItemToArray(got, pair);
    }
    if (!check(cJSON_IsArray(codes) && cJSON_Compare(got, codes, true), "findings differ from the listed codes")) {
        char *text = cJSON_PrintUnformatted(got);
        fprintf(stderr, "  got %s\n", text ? text : "(none)");
        cJSON_free(text);
    }
    cJSON_Delete(got);
}

/* Every subject of tests/scan/subjects.json built into `shared` gets its listed verdict, under a
 * policy naming every subject a component and accepting only boringcrypto (the list's premise);
 * one not built must be one that `requires` a missing file. */
static void run_shared_subjects(const char *shared) {
    set_context("tests/scan/subjects.json");
    char *text = read_text("tests/scan/subjects.json");
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *vectors = cJSON_GetObjectItemCaseSensitive(doc, "vectors");
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(doc, "count");
    if (!check(doc != NULL && streq(string_of(doc, "kind"), "scan-subjects") && cJSON_IsArray(vectors) &&
                   cJSON_IsNumber(count) && count->valuedouble == cJSON_GetArraySize(vectors) &&
                   cJSON_GetArraySize(vectors) > 0,
               "not a scan-subjects file, or its count is not the number of its vectors")) {
        cJSON_Delete(doc);
        return;
    }
    char built_path[4096];
    snprintf(built_path, sizeof built_path, "%s/built.txt", shared);
    char *built = read_text(built_path);
    if (built == NULL) {
        cJSON_Delete(doc);
        return;
    }

    cJSON *ids = cJSON_CreateArray();
    const cJSON *v;
    cJSON_ArrayForEach(v, vectors) {
        cJSON_AddItemToArray(ids, cJSON_CreateString(string_of(v, "id") ? string_of(v, "id") : ""));
    }
    char *components = cJSON_PrintUnformatted(ids); /* a JSON array of plain strings is a TOML array */
    cJSON_Delete(ids);
    static const char head[] = "[scan]\naccepted_modules = [\"boringcrypto\"]\ncomponents = ";
    size_t size = sizeof head + strlen(components) + 2;
    char *toml = malloc(size);
    snprintf(toml, size, "%s%s\n", head, components);
    cJSON_free(components);
    fips_policy *policy = NULL;
    check_status(fips_policy_from_toml(toml, &policy), FIPS_STATUS_OK,
                 "fips_policy_from_toml (every subject a component)");
    free(toml);

    int n_checked = 0, n_skipped = 0;
    cJSON_ArrayForEach(v, vectors) {
        const char *id = string_of(v, "id");
        const cJSON *expect = cJSON_GetObjectItemCaseSensitive(v, "expect");
        set_context("fips_scan_json: shared subject %s", id ? id : "(no id)");
        if (!check(id != NULL && cJSON_IsObject(expect), "a subject without an id or expect")) continue;
        if (!listed(built, id)) {
            check(string_of(cJSON_GetObjectItemCaseSensitive(v, "build"), "requires") != NULL,
                  "%s was not built (not in %s)", id, built_path);
            n_skipped++;
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", shared, id);
        const char *paths[] = {path};
        /* Compliant unless a listed code is an error; scan() checks the status and report agree. */
        const cJSON *codes = cJSON_GetObjectItemCaseSensitive(expect, "codes");
        bool has_error = lists_an_error(codes);
        cJSON *report = scan(policy, paths, 1, has_error ? FIPS_STATUS_SCAN_NOT_COMPLIANT : FIPS_OK, id);
        const cJSON *results = cJSON_GetObjectItemCaseSensitive(report, "results");
        if (check(cJSON_GetArraySize(results) == 1, "%d results, want 1", cJSON_GetArraySize(results))) {
            const cJSON *r = cJSON_GetArrayItem(results, 0);
            check(streq(string_of(r, "format"), string_of(expect, "format")), "format is %s, want %s",
                  string_of(r, "format"), string_of(expect, "format"));
            check(streq(string_of(r, "crypto_module"), string_of(expect, "crypto_module")),
                  "crypto_module is %s, want %s", string_of(r, "crypto_module"), string_of(expect, "crypto_module"));
            check_bool(r, expect, "fips_only");
            check_bool(r, expect, "stripped");
            check_codes(r, codes);
            const cJSON *compliant = cJSON_GetObjectItemCaseSensitive(r, "compliant");
            check(cJSON_IsBool(compliant) && cJSON_IsTrue(compliant) == !has_error, "compliant is not %s",
                  has_error ? "false" : "true");
        }
        cJSON_Delete(report);
        n_checked++;
    }
    fips_policy_free(policy);
    free(built);
    cJSON_Delete(doc);
    printf("  tests/scan/subjects.json: %d subjects checked against their listed verdict, %d not built\n", n_checked,
           n_skipped);
}

void run_scan(const char *subjects) {
    char shared[2048], named[2048]; /* room for a file name after each */
    snprintf(shared, sizeof shared, "%s/shared", subjects);
    snprintf(named, sizeof named, "%s/named", subjects);
    run_shared_subjects(shared);

    char proxy[4096], apiserver[4096];
    snprintf(proxy, sizeof proxy, "%s/kube-proxy", named);
    snprintf(apiserver, sizeof apiserver, "%s/kube-apiserver", named);

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
    const char *dir[] = {named};
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
    snprintf(missing, sizeof missing, "%s/kube-scheduler", named);
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
