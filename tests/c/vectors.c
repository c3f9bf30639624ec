/*
 * Reads every tests/vectors/<name>.json file (format: tests/vectors/README.md) and runs each
 * vector through the C ABI, asserting the verdicts the Rust suite asserts.
 *
 * The reader is strict, as the format asks: unknown fields, an unknown kind, a wrong
 * schema, a count that differs from the number of vectors, or a repeated id fail the run.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Whether the run expects every verdict to be refused (a break-kat build). */
static bool break_kat;

/* ---- strict JSON access ---- */

static bool in_list(const char *key, const char *const *list) {
    for (; *list; list++) {
        if (strcmp(key, *list) == 0) {
            return true;
        }
    }
    return false;
}

/* Checks that `obj` is an object with only keys from `allowed` (NULL-terminated). */
static bool only_keys(const cJSON *obj, const char *const *allowed, const char *what) {
    if (!check(cJSON_IsObject(obj), "%s: not an object", what)) {
        return false;
    }
    bool ok = true;
    for (const cJSON *item = obj->child; item; item = item->next) {
        ok &= check(in_list(item->string, allowed), "%s: unknown field \"%s\"", what, item->string);
    }
    return ok;
}

static const cJSON *field(const cJSON *obj, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A required string field; NULL (and a failed check) when absent or not a string. */
static const char *need_string(const cJSON *obj, const char *key) {
    const cJSON *item = field(obj, key);
    check(cJSON_IsString(item), "field \"%s\" is missing or not a string", key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static bool need_bool(const cJSON *obj, const char *key, bool *out) {
    const cJSON *item = field(obj, key);
    if (!check(cJSON_IsBool(item), "field \"%s\" is missing or not a boolean", key)) {
        return false;
    }
    *out = cJSON_IsTrue(item);
    return true;
}

/* Compares a field of a libfips result with the expected JSON value, exactly. */
static void same(const cJSON *got_obj, const char *got_key, const cJSON *want, const char *what) {
    const cJSON *got = field(got_obj, got_key);
    if (!check(got != NULL, "%s: result has no \"%s\"", what, got_key)) {
        return;
    }
    if (!cJSON_Compare(got, want, true)) {
        char *g = cJSON_PrintUnformatted(got);
        char *w = cJSON_PrintUnformatted(want);
        check(false, "%s: %s is %s, want %s", what, got_key, g, w);
        free(g);
        free(w);
    } else {
        check(true, "%s", what);
    }
}

/* The codes of a report's findings, as a JSON array of strings, in order. */
static cJSON *codes_of(const cJSON *report) {
    cJSON *codes = cJSON_CreateArray();
    const cJSON *finding;
    cJSON_ArrayForEach(finding, field(report, "findings")) {
        const cJSON *code = field(finding, "code");
        cJSON_AddItemToArray(codes, cJSON_CreateString(cJSON_IsString(code) ? code->valuestring : "?"));
    }
    return codes;
}

static void same_codes(const cJSON *report, const cJSON *want) {
    cJSON *got = codes_of(report);
    if (!cJSON_Compare(got, want, true)) {
        char *g = cJSON_PrintUnformatted(got);
        char *w = cJSON_PrintUnformatted(want);
        check(false, "codes are %s, want %s", g, w);
        free(g);
        free(w);
    } else {
        check(true, "codes");
    }
    cJSON_Delete(got);
}

/* An expected error of kind `kind`: an error status, and fips_last_error_kind() says it. */
static void check_error_kind(fips_status got, const char *kind) {
    check(got >= 200, "status %s (%u) is no error; want kind \"%s\"", status_name(got), (unsigned)got, kind);
    check_last_error(kind, NULL, status_name(got));
}

/* Under break-kat: a verdict function gave no verdict and wrote nothing. */
static void check_refused(fips_status got, const char *out) {
    check(out == UNTOUCHED, "a verdict was written although the self-test failed");
    check(got == FIPS_STATUS_SELF_TEST_FAILED || (got >= 200 && got < 300),
          "status %s under a failed self-test, want FIPS_STATUS_SELF_TEST_FAILED (or an input error)",
          status_name(got));
}

/* ---- kinds ---- */

static void one_version(const char *input, const char *component, const cJSON *expect, bool valid) {
    const char *tag_key = strcmp(component, "etcd") == 0 ? "etcd_tag" : "kubernetes_tag";
    char *info = UNTOUCHED;
    fips_status s = fips_version_parse_json(input, component, &info);
    char *tag = UNTOUCHED;
    fips_status t = fips_version_to_tag(input, component, &tag);
    const cJSON *want_tag = field(expect, tag_key);
    if (!valid) {
        check_status(s, FIPS_STATUS_VERSION_INVALID, "fips_version_parse_json");
        check_status(t, FIPS_STATUS_VERSION_INVALID, "fips_version_to_tag");
    } else if (check(want_tag && field(expect, "fips_build"), "a valid version gives fips_build and its tags, null or not") &&
               check_status(s, FIPS_STATUS_OK, "fips_version_parse_json")) {
        cJSON *got = parse_result(info, "fips_version_parse_json");
        if (got) {
            same(got, "version", field(expect, "version"), component);
            same(got, "fips", field(expect, "fips"), component);
            same(got, "fips_build", field(expect, "fips_build"), component);
            same(got, "tag", want_tag, component);
            cJSON *in = cJSON_CreateString(input), *comp = cJSON_CreateString(component);
            same(got, "input", in, component);
            same(got, "component", comp, component);
            cJSON_Delete(in);
            cJSON_Delete(comp);
            cJSON_Delete(got);
        }
        if (cJSON_IsNull(want_tag)) {
            /* A valid version with no tag (over 128 characters). */
            check_status(t, FIPS_STATUS_TAG_INVALID, "fips_version_to_tag");
        } else if (check_status(t, FIPS_STATUS_OK, "fips_version_to_tag")) {
            check(cJSON_IsString(want_tag) && strcmp(tag, want_tag->valuestring) == 0, "fips_version_to_tag gave %s", tag);
        }
    }
    if (s > FIPS_STATUS_HOST_NOT_COMPLIANT) {
        check(info == UNTOUCHED, "fips_version_parse_json wrote a result with an error");
    }
    if (t > FIPS_STATUS_HOST_NOT_COMPLIANT) {
        check(tag == UNTOUCHED, "fips_version_to_tag wrote a result with an error");
    }
    if (info != UNTOUCHED) fips_string_free(info);
    if (tag != UNTOUCHED) fips_string_free(tag);
}

static void kind_versions(const cJSON *v, const cJSON *expect) {
    static const char *const valid_keys[] = {"valid", "version", "fips", "fips_build", "kubernetes_tag", "etcd_tag", NULL};
    static const char *const invalid_keys[] = {"valid", NULL};
    const char *input = need_string(v, "input");
    bool valid;
    if (!input || !need_bool(expect, "valid", &valid) ||
        !only_keys(expect, valid ? valid_keys : invalid_keys, "expect")) {
        return;
    }
    one_version(input, "kubernetes", expect, valid);
    one_version(input, "etcd", expect, valid);
}

static void kind_tags(const cJSON *v, const cJSON *expect) {
    static const char *const valid_keys[] = {"valid", "version", NULL};
    static const char *const invalid_keys[] = {"valid", "error", NULL};
    const char *tag = need_string(v, "tag");
    bool valid;
    if (!tag || !need_bool(expect, "valid", &valid) || !only_keys(expect, valid ? valid_keys : invalid_keys, "expect")) {
        return;
    }
    char *version = UNTOUCHED;
    fips_status s = fips_tag_to_version(tag, &version);
    if (valid) {
        const char *want = need_string(expect, "version");
        if (check_status(s, FIPS_STATUS_OK, "fips_tag_to_version") && want) {
            check(strcmp(version, want) == 0, "version %s, want %s", version, want);
        }
    } else {
        const char *error = need_string(expect, "error");
        check(s >= 200, "fips_tag_to_version: status %s, want an error", status_name(s));
        if (error) check_last_error("tag", error, "fips_tag_to_version");
        check(version == UNTOUCHED, "fips_tag_to_version wrote a result with an error");
    }
    if (version != UNTOUCHED) fips_string_free(version);
}

static void kind_images(const cJSON *v, const cJSON *expect) {
    static const char *const valid_keys[] = {"valid", "registry", "repository", "tag", "digest", "reference", NULL};
    static const char *const invalid_keys[] = {"valid", NULL};
    const char *input = need_string(v, "input");
    bool valid;
    if (!input || !need_bool(expect, "valid", &valid) || !only_keys(expect, valid ? valid_keys : invalid_keys, "expect")) {
        return;
    }
    char *out = UNTOUCHED;
    fips_status s = fips_image_parse_json(input, &out);
    if (!valid) {
        check_status(s, FIPS_STATUS_IMAGE_INVALID, "fips_image_parse_json");
        check(out == UNTOUCHED, "fips_image_parse_json wrote a result with an error");
    } else if (check_status(s, FIPS_STATUS_OK, "fips_image_parse_json")) {
        cJSON *got = parse_result(out, "fips_image_parse_json");
        if (got) {
            static const char *const keys[] = {"registry", "repository", "tag", "digest", "reference"};
            for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
                same(got, keys[i], field(expect, keys[i]), "image");
            }
            cJSON_Delete(got);
        }
    }
    if (out != UNTOUCHED) fips_string_free(out);
}

/* Loads the `policy` of a request vector (a path relative to the repository top). */
static fips_policy *load_policy(const cJSON *v, bool *failed) {
    const cJSON *path = field(v, "policy");
    *failed = false;
    if (!path) {
        return NULL;
    }
    fips_policy *policy = NULL;
    if (!check(cJSON_IsString(path), "policy is not a string") ||
        !check_status(fips_policy_from_file(path->valuestring, &policy), FIPS_STATUS_OK, "fips_policy_from_file")) {
        *failed = true;
        return NULL;
    }
    return policy;
}

/* Checks a request or transition verdict against `expect`. */
static void check_verdict(fips_status s, char *out, const cJSON *expect, const char *verdict_key,
                          fips_status negative, const char *what) {
    bool valid;
    if (!need_bool(expect, "valid", &valid)) {
        return;
    }
    if (break_kat) {
        check_refused(s, out);
        return;
    }
    if (!valid) {
        const char *kind = need_string(expect, "error_kind");
        if (kind) check_error_kind(s, kind);
        check(out == UNTOUCHED, "%s wrote a report with an error", what);
        return;
    }
    bool positive;
    if (!need_bool(expect, verdict_key, &positive)) {
        return;
    }
    if (!check_status(s, positive ? FIPS_STATUS_OK : negative, what)) {
        return;
    }
    check(positive == (fips_last_error()[0] == '\0'), "fips_last_error() after a %s verdict: \"%s\"",
          positive ? "positive" : "negative", fips_last_error());
    cJSON *got = parse_result(out, what);
    if (!got) {
        return;
    }
    same(got, verdict_key, field(expect, verdict_key), what);
    same_codes(got, field(expect, "codes"));
    const cJSON *remediation;
    cJSON_ArrayForEach(remediation, field(expect, "remediations")) {
        bool found = false;
        const cJSON *finding;
        cJSON_ArrayForEach(finding, field(got, "findings")) {
            const cJSON *code = field(finding, "code");
            if (cJSON_IsString(code) && strcmp(code->valuestring, remediation->string) == 0) {
                same(finding, "remediation", remediation, remediation->string);
                found = true;
                break;
            }
        }
        check(found, "no finding %s for its remediation", remediation->string);
    }
    cJSON_Delete(got);
}

static void kind_requests(const cJSON *v, const cJSON *expect) {
    static const char *const valid_keys[] = {"valid", "compliant", "codes", "remediations", NULL};
    static const char *const invalid_keys[] = {"valid", "error_kind", NULL};
    bool valid, policy_failed;
    if (!need_bool(expect, "valid", &valid) || !only_keys(expect, valid ? valid_keys : invalid_keys, "expect")) {
        return;
    }
    const cJSON *args = field(v, "args"), *json = field(v, "json");
    if (!check((args != NULL) != (json != NULL), "a request vector has exactly one of args and json")) {
        return;
    }
    fips_policy *policy = load_policy(v, &policy_failed);
    if (policy_failed) {
        return;
    }
    char *out = UNTOUCHED;
    fips_status s;
    const char *what;
    if (args) {
        what = "fips_validate_args";
        int n = cJSON_GetArraySize(args);
        const char **argv = calloc((size_t)n + 1, sizeof *argv);
        int i = 0;
        const cJSON *arg;
        cJSON_ArrayForEach(arg, args) {
            check(cJSON_IsString(arg), "args[%d] is not a string", i);
            argv[i++] = cJSON_IsString(arg) ? arg->valuestring : "";
        }
        s = fips_validate_args(policy, argv, (size_t)n, &out);
        free(argv);
    } else {
        what = "fips_validate_json";
        char *text = cJSON_PrintUnformatted(json);
        s = fips_validate_json(policy, text, &out);
        free(text);
    }
    check_verdict(s, out, expect, "compliant", FIPS_STATUS_NOT_COMPLIANT, what);
    if (out != UNTOUCHED) fips_string_free(out);
    fips_policy_free(policy);
}

static void kind_transitions(const cJSON *v, const cJSON *expect) {
    static const char *const valid_keys[] = {"valid", "allowed", "codes", NULL};
    static const char *const invalid_keys[] = {"valid", "error_kind", NULL};
    const char *current = need_string(v, "current"), *desired = need_string(v, "desired");
    bool valid;
    if (!current || !desired || !need_bool(expect, "valid", &valid) ||
        !only_keys(expect, valid ? valid_keys : invalid_keys, "expect")) {
        return;
    }
    char *out = UNTOUCHED;
    fips_status s = fips_check_transition(NULL, current, desired, &out);
    check_verdict(s, out, expect, "allowed", FIPS_STATUS_TRANSITION_REFUSED, "fips_check_transition");
    if (out != UNTOUCHED) fips_string_free(out);
}

static char *read_file(const char *path);

/* Text vectors give `text`; file vectors give `root` and `path` (a real file) and carry
 * CPython's result, which holds os-release(5)'s defaults: add them to our parse. */
static void kind_osrelease(const cJSON *v, const cJSON *expect) {
    static const char *const keys[] = {"fields", "id", "ignored_lines", NULL};
    const cJSON *text_item = field(v, "text"), *root = field(v, "root"), *path = field(v, "path");
    if (!only_keys(expect, keys, "expect")) {
        return;
    }
    char *text = NULL;
    if (cJSON_IsString(text_item) && !root && !path) {
        text = strdup(text_item->valuestring);
    } else if (!text_item && cJSON_IsString(root) && cJSON_IsString(path)) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", root->valuestring, path->valuestring);
        text = read_file(full);
    } else {
        check(false, "give text, or root and path");
    }
    if (!text) {
        return;
    }
    char *out = UNTOUCHED;
    if (check_status(fips_os_release_parse_json(text, &out), FIPS_STATUS_OK, "fips_os_release_parse_json")) {
        cJSON *got = parse_result(out, "fips_os_release_parse_json");
        if (got) {
            cJSON *fields = cJSON_GetObjectItemCaseSensitive(got, "fields");
            if (!text_item && cJSON_IsObject(fields)) {
                static const char *const defaults[][2] = {{"NAME", "Linux"}, {"ID", "linux"}, {"PRETTY_NAME", "Linux"}};
                for (size_t i = 0; i < 3; i++) {
                    if (!field(fields, defaults[i][0])) {
                        cJSON_AddStringToObject(fields, defaults[i][0], defaults[i][1]);
                    }
                }
            }
            same(got, "fields", field(expect, "fields"), "os-release");
            if (field(expect, "id")) same(got, "id", field(expect, "id"), "os-release");
            if (field(expect, "ignored_lines")) same(got, "ignored_lines", field(expect, "ignored_lines"), "os-release");
            cJSON_Delete(got);
        }
    }
    if (out != UNTOUCHED) fips_string_free(out);
    free(text);
}

static void kind_hosts(const cJSON *v, const cJSON *expect) {
    static const char *const valid_keys[] = {"valid", "os", "os_supported", "fips_mode", "fips_prepared", "compliant", "codes", NULL};
    static const char *const invalid_keys[] = {"valid", "error_kind", NULL};
    static const char *const os_keys[] = {"id", "version", NULL};
    const char *root = need_string(v, "root");
    bool valid;
    if (!root || !need_bool(expect, "valid", &valid) || !only_keys(expect, valid ? valid_keys : invalid_keys, "expect")) {
        return;
    }
    char *out = UNTOUCHED;
    fips_status s = fips_host_probe_json(NULL, root, &out);
    if (break_kat) {
        check_refused(s, out);
    } else if (!valid) {
        const char *kind = need_string(expect, "error_kind");
        if (kind) check_error_kind(s, kind);
        check(out == UNTOUCHED, "fips_host_probe_json wrote a result with an error");
    } else {
        bool compliant;
        if (need_bool(expect, "compliant", &compliant) &&
            check_status(s, compliant ? FIPS_STATUS_OK : FIPS_STATUS_HOST_NOT_COMPLIANT, "fips_host_probe_json")) {
            cJSON *got = parse_result(out, "fips_host_probe_json");
            if (got) {
                const cJSON *want_os = field(expect, "os"), *got_os = field(got, "os");
                if (cJSON_IsNull(want_os)) {
                    check(cJSON_IsNull(got_os), "os is not null");
                } else if (only_keys(want_os, os_keys, "expect.os") && check(cJSON_IsObject(got_os), "os is null")) {
                    same(got_os, "id", field(want_os, "id"), "os");
                    same(got_os, "version", field(want_os, "version"), "os");
                }
                same(got, "os_supported", field(expect, "os_supported"), "host");
                same(got, "fips_mode", field(expect, "fips_mode"), "host");
                same(got, "fips_prepared", field(expect, "fips_prepared"), "host");
                same(got, "compliant", field(expect, "compliant"), "host");
                same_codes(got, field(expect, "codes"));
                cJSON_Delete(got);
            }
        }
    }
    if (out != UNTOUCHED) fips_string_free(out);
}

static void kind_distros(const cJSON *v, const cJSON *expect) {
    static const char *const keys[] = {"id", "version", "supported", NULL};
    const char *root = need_string(v, "root");
    if (!root || !only_keys(expect, keys, "expect")) {
        return;
    }
    char *out = UNTOUCHED;
    fips_status s = fips_host_probe_json(NULL, root, &out);
    if (break_kat) {
        check_refused(s, out);
    } else if (check(s == FIPS_STATUS_OK || s == FIPS_STATUS_HOST_NOT_COMPLIANT,
                     "fips_host_probe_json: status %s; last error: %s", status_name(s), fips_last_error())) {
        cJSON *got = parse_result(out, "fips_host_probe_json");
        if (got) {
            /* `id` and `version` are null when no os-release was found (RHEL 5 and 6). */
            const cJSON *os = field(got, "os");
            const cJSON *want_id = field(expect, "id"), *want_version = field(expect, "version");
            check(want_id && want_version, "expect needs id and version, even when null");
            if (cJSON_IsNull(want_id)) {
                check(cJSON_IsNull(os), "os identified, want none");
                check(cJSON_IsNull(want_version), "no id but a version");
            } else if (check(cJSON_IsObject(os), "no os identified")) {
                same(os, "id", want_id, "distro");
                same(os, "version", want_version, "distro");
            }
            same(got, "os_supported", field(expect, "supported"), "distro");
            cJSON_Delete(got);
        }
    }
    if (out != UNTOUCHED) fips_string_free(out);
}

/* The string inputs of an errors vector, as a NULL-terminated array (free it); NULL on error. */
static const char **string_array(const cJSON *array, size_t *n) {
    if (!check(cJSON_IsArray(array), "input is not an array")) {
        return NULL;
    }
    *n = (size_t)cJSON_GetArraySize(array);
    const char **out = calloc(*n + 1, sizeof *out);
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, array) {
        if (!check(cJSON_IsString(item), "input[%zu] is not a string", i)) {
            free(out);
            return NULL;
        }
        out[i++] = item->valuestring;
    }
    return out;
}

/* Runs the call an errors vector names (paths are relative to the top, the working
 * directory); returns its status, the result it wrote (UNTOUCHED if none) in *out. */
static fips_status error_call(const char *call, const char **in, size_t n, char **out) {
    fips_policy *policy = NULL;
    fips_status s = FIPS_STATUS_OK;
    bool one = n == 1, two = n == 2;
    if (strcmp(call, "version") == 0 && one) {
        s = fips_version_parse_json(in[0], "kubernetes", out);
    } else if (strcmp(call, "tag") == 0 && one) {
        s = fips_tag_to_version(in[0], out);
    } else if (strcmp(call, "image") == 0 && one) {
        s = fips_image_parse_json(in[0], out);
    } else if (strcmp(call, "request-args") == 0) {
        s = fips_validate_args(NULL, in, n, out);
    } else if (strcmp(call, "request-json") == 0 && one) {
        s = fips_validate_json(NULL, in[0], out);
    } else if (strcmp(call, "transition") == 0 && two) {
        s = fips_check_transition(NULL, in[0], in[1], out);
    } else if (strcmp(call, "policy-toml") == 0 && one) {
        s = fips_policy_from_toml(in[0], &policy);
    } else if (strcmp(call, "policy-file") == 0 && one) {
        s = fips_policy_from_file(in[0], &policy);
    } else if (strcmp(call, "host") == 0 && one) {
        s = fips_host_probe_json(NULL, in[0], out);
    } else if (strcmp(call, "scan") == 0) {
        s = fips_scan_json(NULL, in, n, out);
    } else {
        check(false, "unknown call \"%s\" with %zu inputs", call, n);
        return FIPS_STATUS_OK;
    }
    if (policy) {
        check(false, "%s gave a policy", call);
        fips_policy_free(policy);
    }
    return s;
}

static void kind_errors(const cJSON *v, const cJSON *expect) {
    static const char *const keys[] = {"kind", "variant", NULL};
    const char *call = need_string(v, "call");
    if (!call || !only_keys(expect, keys, "expect")) {
        return;
    }
    const char *kind = need_string(expect, "kind"), *variant = need_string(expect, "variant");
    size_t n = 0;
    const char **in = string_array(field(v, "input"), &n);
    if (!in || !kind || !variant) {
        free(in);
        return;
    }
    char *out = UNTOUCHED;
    fips_status s = error_call(call, in, n, &out);
    check(s >= 200, "%s: status %s, want an error %s/%s", call, status_name(s), kind, variant);
    check(out == UNTOUCHED, "%s wrote a result with an error", call);
    /* Under break-kat, a failed self-test may come before the input is judged. */
    if (!(break_kat && s == FIPS_STATUS_SELF_TEST_FAILED)) {
        check_last_error(kind, variant, call);
    }
    if (out != UNTOUCHED) fips_string_free(out);
    free(in);
}

/* The manifests a vector names (paths from the repository top), as one text: the files one
 * after another, separated by a YAML document start. NULL (and a failed check) when one
 * cannot be read. */
static char *read_manifests(const cJSON *paths) {
    if (!check(cJSON_IsArray(paths) && cJSON_GetArraySize(paths) > 0, "manifests is not a list of paths")) {
        return NULL;
    }
    char *all = NULL;
    size_t len = 0;
    const cJSON *path;
    cJSON_ArrayForEach(path, paths) {
        char *text = cJSON_IsString(path) ? read_file(path->valuestring) : NULL;
        if (!check(text != NULL, "a manifest path is not a readable file")) {
            free(all);
            return NULL;
        }
        size_t n = strlen(text);
        all = realloc(all, len + n + sizeof "\n---\n");
        len += (size_t)sprintf(all + len, "%s%s", len ? "\n---\n" : "", text);
        free(text);
    }
    return all;
}

/* The findings of an audit report, flattened cluster by cluster, as the vectors give them:
 * {code, kind (of the object; "" for none), field, remediation}. */
static cJSON *audit_findings(const cJSON *report) {
    cJSON *out = cJSON_CreateArray();
    const cJSON *cluster, *finding;
    cJSON_ArrayForEach(cluster, field(report, "clusters")) {
        cJSON_ArrayForEach(finding, field(cluster, "findings")) {
            const cJSON *kind = field(field(finding, "object"), "kind");
            cJSON *f = cJSON_CreateObject();
            cJSON_AddItemToObject(f, "code", cJSON_Duplicate(field(finding, "code"), true));
            cJSON_AddStringToObject(f, "kind", cJSON_IsString(kind) ? kind->valuestring : "");
            cJSON_AddItemToObject(f, "field", cJSON_Duplicate(field(finding, "field"), true));
            cJSON_AddItemToObject(f, "remediation", cJSON_Duplicate(field(finding, "remediation"), true));
            cJSON_AddItemToArray(out, f);
        }
    }
    return out;
}

/* Checks an audit report as fips-core/tests/audit_vectors.rs does (tests/vectors/
 * audit_loader.rs, check_report): compliant; the number of clusters when given; every
 * finding in order by code, object kind and field, and its remediation when the vector pins
 * it. */
static void check_audit_report(const cJSON *got, const cJSON *expect) {
    static const char *const finding_keys[] = {"code", "kind", "field", "remediation", NULL};
    same(got, "compliant", field(expect, "compliant"), "audit");
    const cJSON *clusters = field(expect, "clusters");
    if (clusters) {
        check(cJSON_IsNumber(clusters) && cJSON_GetArraySize(field(got, "clusters")) == clusters->valueint,
              "%d clusters, want %g", cJSON_GetArraySize(field(got, "clusters")),
              cJSON_IsNumber(clusters) ? clusters->valuedouble : -1.0);
    }
    cJSON *findings = audit_findings(got);
    const cJSON *want = field(expect, "findings");
    int n = cJSON_GetArraySize(findings);
    char *shown = cJSON_PrintUnformatted(findings);
    if (check((want == NULL || cJSON_IsArray(want)) && cJSON_GetArraySize(want) == n, "%d findings, want %d: %s", n,
              cJSON_GetArraySize(want), shown)) {
        for (int i = 0; i < n; i++) {
            const cJSON *w = cJSON_GetArrayItem(want, i), *g = cJSON_GetArrayItem(findings, i);
            if (!only_keys(w, finding_keys, "expect.findings[]")) {
                continue;
            }
            bool ok = true;
            for (size_t k = 0; k < 3; k++) {
                ok &= cJSON_Compare(field(g, finding_keys[k]), field(w, finding_keys[k]), true);
            }
            if (field(w, "remediation")) {
                ok &= cJSON_Compare(field(g, "remediation"), field(w, "remediation"), true);
            }
            check(ok, "finding %d differs: got %s", i, shown);
        }
    }
    free(shown);
    cJSON_Delete(findings);
}

/* audit.json: manifests (or text), optionally old manifests (an update) and a policy,
 * through fips_audit_json / fips_audit_update_json. */
static void kind_audit(const cJSON *v, const cJSON *expect) {
    static const char *const valid_keys[] = {"valid", "compliant", "clusters", "findings", NULL};
    static const char *const invalid_keys[] = {"valid", "error_kind", NULL};
    bool valid, policy_failed;
    if (!need_bool(expect, "valid", &valid) || !only_keys(expect, valid ? valid_keys : invalid_keys, "expect")) {
        return;
    }
    const cJSON *manifests = field(v, "manifests"), *text = field(v, "text"), *old_paths = field(v, "old");
    if (!check((manifests != NULL) != (text != NULL), "an audit vector has exactly one of manifests and text")) {
        return;
    }
    char *manifest = manifests ? read_manifests(manifests)
                               : (check(cJSON_IsString(text), "text is not a string") ? strdup(text->valuestring) : NULL);
    char *old = old_paths ? read_manifests(old_paths) : NULL;
    fips_policy *policy = load_policy(v, &policy_failed);
    if (!manifest || (old_paths && !old) || policy_failed) {
        free(manifest);
        free(old);
        fips_policy_free(policy);
        return;
    }
    const char *what = old ? "fips_audit_update_json" : "fips_audit_json";
    char *out = UNTOUCHED;
    fips_status s = old ? fips_audit_update_json(policy, old, manifest, &out) : fips_audit_json(policy, manifest, &out);
    if (break_kat) {
        check_refused(s, out);
    } else if (!valid) {
        const char *kind = need_string(expect, "error_kind");
        if (kind) check_error_kind(s, kind);
        check(out == UNTOUCHED, "%s wrote a report with an error", what);
    } else {
        bool compliant;
        if (need_bool(expect, "compliant", &compliant) &&
            check_status(s, compliant ? FIPS_STATUS_OK : FIPS_STATUS_AUDIT_NOT_COMPLIANT, what)) {
            check(compliant == (fips_last_error()[0] == '\0'), "fips_last_error() after a %s verdict: \"%s\"",
                  compliant ? "positive" : "negative", fips_last_error());
            cJSON *got = parse_result(out, what);
            if (got) {
                check_audit_report(got, expect);
                cJSON_Delete(got);
            }
        }
    }
    if (out != UNTOUCHED) fips_string_free(out);
    free(manifest);
    free(old);
    fips_policy_free(policy);
}

/* ---- files ---- */

struct kind {
    const char *name;
    const char *const inputs[4]; /* the kind's input fields, besides id, source, comment */
    void (*run)(const cJSON *vector, const cJSON *expect);
};

static const struct kind KINDS[] = {
    {"versions", {"input"}, kind_versions},
    {"tags", {"tag"}, kind_tags},
    {"images", {"input"}, kind_images},
    {"requests", {"args", "json", "policy"}, kind_requests},
    {"transitions", {"current", "desired"}, kind_transitions},
    {"osrelease", {"text", "root", "path"}, kind_osrelease},
    {"hosts", {"root"}, kind_hosts},
    {"distros", {"root"}, kind_distros},
    {"errors", {"call", "input"}, kind_errors},
    {"audit", {"manifests", "text", "old", "policy"}, kind_audit},
};

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!check(f != NULL, "cannot open %s", path)) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)len + 1);
    size_t got = fread(text, 1, (size_t)len, f);
    fclose(f);
    text[got] = '\0';
    return text;
}

static void run_file(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    set_context("%s", name);
    char *text = read_file(path);
    if (!text) {
        return;
    }
    cJSON *doc = cJSON_Parse(text);
    free(text);
    static const char *const top_keys[] = {"schema", "kind", "description", "count", "vectors", NULL};
    if (!check(doc != NULL, "not JSON") || !only_keys(doc, top_keys, "file")) {
        cJSON_Delete(doc);
        return;
    }
    const cJSON *schema = field(doc, "schema"), *kind_name = field(doc, "kind"), *count = field(doc, "count"),
                *vectors = field(doc, "vectors");
    need_string(doc, "description");
    check(cJSON_IsNumber(schema) && schema->valuedouble == 1, "schema is not 1");
    const struct kind *kind = NULL;
    for (size_t i = 0; i < sizeof KINDS / sizeof *KINDS; i++) {
        if (cJSON_IsString(kind_name) && strcmp(kind_name->valuestring, KINDS[i].name) == 0) {
            kind = &KINDS[i];
        }
    }
    if (!check(kind != NULL, "unknown kind %s", cJSON_IsString(kind_name) ? kind_name->valuestring : "(none)") ||
        !check(cJSON_IsArray(vectors), "vectors is not an array") ||
        !check(cJSON_IsNumber(count) && count->valuedouble == cJSON_GetArraySize(vectors),
               "count %g but %d vectors", cJSON_IsNumber(count) ? count->valuedouble : -1.0, cJSON_GetArraySize(vectors))) {
        cJSON_Delete(doc);
        return;
    }
    const char *keys[9] = {"id", "source", "comment", "expect"}; /* NULL-terminated */
    for (size_t i = 0; i < 4 && kind->inputs[i]; i++) {
        keys[4 + i] = kind->inputs[i];
    }
    cJSON *seen = cJSON_CreateObject();
    const cJSON *v;
    int index = 0;
    cJSON_ArrayForEach(v, vectors) {
        set_context("%s #%d", name, index);
        const cJSON *id = field(v, "id");
        if (cJSON_IsString(id)) {
            set_context("%s %s", name, id->valuestring);
            check(!field(seen, id->valuestring), "id repeated");
            cJSON_AddTrueToObject(seen, id->valuestring);
        }
        if (only_keys(v, keys, "vector") && need_string(v, "id") && need_string(v, "source") &&
            check(cJSON_IsObject(field(v, "expect")), "expect is not an object")) {
            kind->run(v, field(v, "expect"));
        }
        index++;
    }
    printf("  %-28s %-12s %3d vectors\n", name, kind->name, index);
    cJSON_Delete(seen);
    cJSON_Delete(doc);
}

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

static int is_json(const struct dirent *e) {
    size_t n = strlen(e->d_name);
    return n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
}

void run_vectors(const char *dir, bool refuse_verdicts) {
    break_kat = refuse_verdicts;
    struct dirent **names;
    int n = scandir(dir, &names, is_json, by_name);
    set_context("%s", dir);
    if (!check(n >= 0, "cannot list %s", dir)) {
        return;
    }
    check(n > 0, "no vector files in %s", dir);
    for (int i = 0; i < n; i++) {
        run_file(dir, names[i]->d_name);
        free(names[i]);
    }
    free(names);
}
