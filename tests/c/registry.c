/*
 * fips_scan_registry_json against a real registry (issue 17, item 1: the same from C, with
 * the same JSON shape as `fipsctl --json scan docker://REF`).
 *
 * scripts/test-ffi brings up CNCF distribution's registry on loopback
 * (scripts/registry-harness), pushes an image with `crane append` whose one layer holds the
 * GOEXPERIMENT=boringcrypto scan subject at usr/local/bin/kube-apiserver (the embedded policy
 * accepts boringcrypto for kube-apiserver: docs/scan.md), runs `fipsctl --json scan
 * docker://REF --insecure-registry HOST:PORT` into a file, and passes through the environment:
 *
 *   FIPS_TEST_REGISTRY           HOST:PORT of the registry (plain HTTP)
 *   FIPS_TEST_REGISTRY_IMAGE     the pushed reference, HOST:PORT/NAME:TAG
 *   FIPS_TEST_REGISTRY_DIGEST    its manifest digest, as `crane digest` gives it
 *   FIPS_TEST_REGISTRY_CLI_JSON  the file holding fipsctl's output for it
 *
 * The manifest digest is the SHA-256 of the manifest bytes the registry serves (OCI image
 * spec, descriptor.md "Digests"), which is what `crane digest` prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *need(const char *name) {
    const char *value = getenv(name);
    check(value != NULL && value[0] != '\0', "%s is not set: scripts/test-ffi sets it", name);
    return value;
}

static const char *string_of(const cJSON *object, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool streq(const char *a, const char *b) { return a != NULL && b != NULL && strcmp(a, b) == 0; }

/* The whole of `path`, NUL-terminated; NULL (a failed check) when it cannot be read. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!check(f != NULL, "cannot open %s", path)) return NULL;
    size_t size = 0, cap = 1 << 16;
    char *text = malloc(cap);
    size_t n;
    while (text && (n = fread(text + size, 1, cap - size - 1, f)) > 0) {
        size += n;
        if (cap - size - 1 == 0) {
            char *bigger = realloc(text, cap *= 2);
            if (!bigger) free(text);
            text = bigger;
        }
    }
    fclose(f);
    if (!check(text != NULL, "out of memory reading %s", path)) return NULL;
    text[size] = '\0';
    return text;
}

/* The options naming the test registry as the one plain-HTTP registry. */
static char *insecure_options(const char *registry, const char *extra) {
    size_t size = strlen(registry) + strlen(extra) + 64;
    char *options = malloc(size);
    if (options) snprintf(options, size, "{\"insecure_registries\": [\"%s\"]%s}", registry, extra);
    return options;
}

/* An image read and judged: compliant, the digest crane gives, the same bytes as fipsctl. */
static void scan_pushed_image(const char *registry, const char *image, const char *digest, const char *cli_json) {
    set_context("fips_scan_registry_json: docker://%s", image);
    char *options = insecure_options(registry, "");
    char reference[1024];
    snprintf(reference, sizeof reference, "docker://%s", image);
    char *report = UNTOUCHED;
    fips_status s = fips_scan_registry_json(NULL, reference, options, &report);
    free(options);
    if (!check_status(s, FIPS_STATUS_OK, "boringcrypto kube-apiserver image") || report == UNTOUCHED) return;
    cJSON *json = parse_result(report, "registry scan");
    if (json) {
        check(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(json, "compliant")), "the report is not compliant");
        const cJSON *read = cJSON_GetObjectItemCaseSensitive(json, "registry");
        check(streq(string_of(read, "digest"), digest), "registry.digest is %s, want %s (crane digest)",
              string_of(read, "digest"), digest);
        check(streq(string_of(read, "reference"), image), "registry.reference is %s, want %s",
              string_of(read, "reference"), image);
        const cJSON *result = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(json, "results"), 0);
        check(streq(string_of(result, "crypto_module"), "boringcrypto"), "crypto_module is %s, want boringcrypto",
              string_of(result, "crypto_module"));
        cJSON_Delete(json);
    }
    /* fipsctl prints the same JSON and a newline. */
    char *cli = slurp(cli_json);
    if (cli) {
        size_t n = strlen(report);
        check(strncmp(cli, report, n) == 0 && streq(cli + n, "\n"),
              "the report differs from fipsctl --json scan's:\n--- libfips:\n%s\n--- fipsctl:\n%s", report, cli);
        free(cli);
    }
    fips_string_free(report);
}

/* A tag the registry does not hold: no verdict, a scan error naming the reference. */
static void missing_tag(const char *registry) {
    set_context("fips_scan_registry_json: a missing tag");
    char *options = insecure_options(registry, "");
    char reference[1024];
    snprintf(reference, sizeof reference, "%s/fips/boring:absent", registry);
    char *report = UNTOUCHED;
    check_status(fips_scan_registry_json(NULL, reference, options, &report), FIPS_STATUS_SCAN_FAILED, "missing tag");
    free(options);
    check(report == UNTOUCHED, "an output was written with an error");
    check_last_error("scan", NULL, "missing tag");
    check(strstr(fips_last_error(), reference) != NULL, "the error does not name %s: %s", reference,
          fips_last_error());
    check(strstr(fips_last_error(), "404") != NULL, "the error does not say 404: %s", fips_last_error());
}

/* A misspelt field (insecure_registry for insecure_registries) is refused, named, before any
 * read: never taken as no field at all (which would mean HTTPS only). */
static void bad_options(const char *image) {
    static const struct {
        const char *options, *mention;
    } CASES[] = {
        {"{\"insecure_registry\": [\"127.0.0.1:5000\"]}", "insecure_registry"},
        {"{\"platform\": \"linux\"}", "platform"},
        {"{\"max_blob_bytes\": 0}", "max_blob_bytes"},
        {"{\"all_platforms\": \"yes\"}", "options_json"},
        {"[]", "options_json"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        set_context("fips_scan_registry_json: options %s", CASES[i].options);
        char *report = UNTOUCHED;
        check_status(fips_scan_registry_json(NULL, image, CASES[i].options, &report), FIPS_STATUS_OPTIONS_INVALID,
                     "bad options");
        check(report == UNTOUCHED, "an output was written with an error");
        check_last_error("input", "options-invalid", "bad options");
        check(strstr(fips_last_error(), CASES[i].mention) != NULL, "the error does not name %s: %s",
              CASES[i].mention, fips_last_error());
    }
}

/* NULL parameters: the reference and the output are required, the options are not. */
static void null_parameters(const char *image) {
    set_context("fips_scan_registry_json: NULL parameters");
    char *report = UNTOUCHED;
    check_status(fips_scan_registry_json(NULL, NULL, NULL, &report), FIPS_STATUS_NULL_PARAMETER, "NULL reference");
    check(strstr(fips_last_error(), "reference") != NULL, "the error does not name reference: %s",
          fips_last_error());
    check_status(fips_scan_registry_json(NULL, image, NULL, NULL), FIPS_STATUS_NULL_PARAMETER, "NULL report_json");
    check(report == UNTOUCHED, "an output was written with an error");
}

void run_registry(void) {
    const char *registry = need("FIPS_TEST_REGISTRY"), *image = need("FIPS_TEST_REGISTRY_IMAGE"),
               *digest = need("FIPS_TEST_REGISTRY_DIGEST"), *cli_json = need("FIPS_TEST_REGISTRY_CLI_JSON");
    if (!registry || !image || !digest || !cli_json) return;
    scan_pushed_image(registry, image, digest, cli_json);
    missing_tag(registry);
    bad_options(image);
    null_parameters(image);
}
