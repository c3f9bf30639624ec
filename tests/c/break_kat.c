/*
 * Fail closed through the ABI (issue 5, item 7). The documented FIPS request, a FIPS
 * upgrade, a host probe and a scan: in a healthy library they give verdicts; in a break-kat build
 * run with FIPS_BREAK_KAT=<test> every one is refused with FIPS_STATUS_SELF_TEST_FAILED and
 * nothing is written, and fips_selftest_json names the failed test.
 *
 * Each test on its path (docs/selftest.md): a broken power-on test (e.g. SHA-256) refuses the
 * very first verdict; a broken conditional test (AWS-LC-SELF-TEST, RNG-HEALTH,
 * ECDSA-P256-PCT, ECDSA-P384-PCT) runs before the first use of randomness, which no verdict needs, so verdicts are given until
 * fips_selftest_json runs it; from then on the library is in the same error state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* The product documentation's example: `dkp create cluster aws ... --etcd-version=3.4.13+fips.0`. */
static const char *const DOCUMENTED_ARGV[] = {
    "dkp", "create", "cluster", "aws", "--cluster-name", "myFipsCluster", "--ami=ami-03dcaa75d45aca36f",
    "--kubernetes-version=1.22.8+fips.0", "--kubernetes-image-repository=docker.io/mesosphere",
    "--etcd-image-repository=docker.io/mesosphere", "--etcd-version=3.4.13+fips.0",
};
static const char DOCUMENTED_JSON[] =
    "{\"provider\":\"aws\",\"cluster_name\":\"myFipsCluster\",\"ami\":\"ami-03dcaa75d45aca36f\","
    "\"kubernetes_version\":\"1.22.8+fips.0\",\"kubernetes_image_repository\":\"docker.io/mesosphere\","
    "\"etcd_version\":\"3.4.13+fips.0\",\"etcd_image_repository\":\"docker.io/mesosphere\"}";

static char *read_text(const char *path);

/* One verdict call: given (healthy) or refused (broken). */
static void verdict(bool broken, fips_status s, char *out, bool host, const char *what) {
    set_context("%s %s", broken ? "break-kat:" : "healthy:", what);
    if (broken) {
        check_status(s, FIPS_STATUS_SELF_TEST_FAILED, what);
        check(out == UNTOUCHED, "a verdict was written although the self-test failed: %s", out);
        check(strstr(fips_last_error(), "self-test") != NULL, "last error: %s", fips_last_error());
    } else if (host) {
        check(s == FIPS_STATUS_OK || s == FIPS_STATUS_HOST_NOT_COMPLIANT, "%s: %s; %s", what, status_name(s),
              fips_last_error());
    } else {
        check_status(s, FIPS_STATUS_OK, what);
    }
    if (out != UNTOUCHED) fips_string_free(out);
}

static void all_verdicts(bool broken, const fips_policy *policy) {
    char *out = UNTOUCHED;
    fips_status s = fips_validate_json(policy, DOCUMENTED_JSON, &out);
    verdict(broken, s, out, false, "fips_validate_json");
    out = UNTOUCHED;
    s = fips_validate_args(policy, DOCUMENTED_ARGV, sizeof DOCUMENTED_ARGV / sizeof *DOCUMENTED_ARGV, &out);
    verdict(broken, s, out, false, "fips_validate_args");
    out = UNTOUCHED;
    s = fips_check_transition(policy, "1.22.8+fips.0", "v1.22.8+fips.0", &out);
    verdict(broken, s, out, false, "fips_check_transition");
    out = UNTOUCHED;
    s = fips_host_probe_json(policy, "/", &out);
    verdict(broken, s, out, true, "fips_host_probe_json");
    /* A file that is not ELF, named directly: compliant (an `other` result, info only). */
    const char *paths[] = {"tests/scan/go/std/main.go"};
    out = UNTOUCHED;
    s = fips_scan_json(policy, paths, 1, &out);
    verdict(broken, s, out, false, "fips_scan_json");
    /* The documented example as Cluster API objects: compliant; an update to itself too. */
    char *manifest = read_text("tests/manifests/fips-aws/cluster.yaml");
    out = UNTOUCHED;
    s = fips_audit_json(policy, manifest, &out);
    verdict(broken, s, out, false, "fips_audit_json");
    out = UNTOUCHED;
    s = fips_audit_update_json(policy, manifest, manifest, &out);
    verdict(broken, s, out, false, "fips_audit_update_json");
    free(manifest);
    /* Objects that hold no cluster give no verdict either once the self-test has failed. */
    out = UNTOUCHED;
    s = fips_audit_json(policy, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", &out);
    if (broken) {
        verdict(broken, s, out, false, "fips_audit_json (no cluster)");
    } else {
        set_context("healthy: fips_audit_json (no cluster)");
        check_status(s, FIPS_STATUS_AUDIT_NOT_COMPLIANT, "fips_audit_json");
        if (out != UNTOUCHED) fips_string_free(out);
    }
}

/* A file's text (a path from the repository top); "" when it cannot be read, which fails the
 * check. Free it. */
static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    char *text = calloc(1, 1 << 20);
    if (check(f != NULL, "cannot open %s", path)) {
        size_t n = fread(text, 1, (1 << 20) - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    return text;
}

/* The conditional tests: they run only when randomness is first asked for (docs/selftest.md). */
static bool is_conditional(const char *kat) {
    static const char *const CONDITIONAL[] = {"AWS-LC-SELF-TEST", "RNG-HEALTH", "ECDSA-P256-PCT",
                                              "ECDSA-P384-PCT"};
    for (size_t i = 0; i < sizeof CONDITIONAL / sizeof *CONDITIONAL; i++) {
        if (strcmp(kat, CONDITIONAL[i]) == 0) return true;
    }
    return false;
}

void run_fail_closed(bool broken) {
    const char *broken_kat = broken ? getenv("FIPS_BREAK_KAT") : NULL;
    if (broken && !check(broken_kat != NULL && *broken_kat != '\0', "--break-kat without FIPS_BREAK_KAT")) return;
    /* Before any report: the first verdict runs the power-on tests only. */
    all_verdicts(broken && !is_conditional(broken_kat), NULL);
    char *out = UNTOUCHED;
    fips_status s = fips_selftest_json(&out);
    set_context("%s fips_selftest_json", broken ? "break-kat:" : "healthy:");
    check_status(s, broken ? FIPS_STATUS_SELF_TEST_FAILED : FIPS_STATUS_OK, "fips_selftest_json");
    if (check(out != UNTOUCHED, "fips_selftest_json wrote no report")) {
        cJSON *report = parse_result(out, "fips_selftest_json");
        const cJSON *passed = cJSON_GetObjectItemCaseSensitive(report, "passed");
        check(cJSON_IsBool(passed) && cJSON_IsTrue(passed) == !broken, "passed is not %s", broken ? "false" : "true");
        size_t failed = 0;
        bool named_failed = false;
        const cJSON *kat;
        cJSON_ArrayForEach(kat, cJSON_GetObjectItemCaseSensitive(report, "kats")) {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(kat, "name");
            const cJSON *ok = cJSON_GetObjectItemCaseSensitive(kat, "passed");
            if (!cJSON_IsTrue(ok)) failed++;
            if (broken && cJSON_IsString(name) && strcmp(name->valuestring, broken_kat) == 0) {
                named_failed = cJSON_IsFalse(ok);
            }
        }
        check(failed == (broken ? 1u : 0u), "%zu tests failed, want %d", failed, broken ? 1 : 0);
        check(named_failed == broken, "test %s did not fail", broken ? broken_kat : "(none)");
        cJSON_Delete(report);
        fips_string_free(out);
    }
    all_verdicts(broken, NULL);
    fips_policy *policy = NULL;
    check_status(fips_policy_new_default(&policy), FIPS_STATUS_OK, "fips_policy_new_default");
    all_verdicts(broken, policy);
    fips_policy_free(policy);
}
