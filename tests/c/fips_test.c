/*
 * The C suite of libfips. Usage (from the repository top, where vector roots resolve):
 *
 *   fips_test [--panic] [--break-kat] [--scan SUBJECTS] [--registry] [VECTOR_DIR]
 *
 *   (default)    every vector, the fail-closed checks (healthy), and the hostile-input cases
 *   --scan DIR   fips_scan_json on the Go subjects built into DIR (kube-proxy, kube-apiserver;
 *                tests/c/Makefile builds them); required unless --break-kat
 *   --registry   fips_scan_registry_json on the image scripts/test-ffi pushed to a loopback
 *                registry (registry.c says which environment names it)
 *   --panic      also forced panics in every export (library built with test-panic)
 *   --break-kat  a break-kat library run with FIPS_BREAK_KAT=<test>: no verdict is ever
 *                given once that test has run, through the documented calls and the vectors
 *
 * Exits 0 when every check passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int main(int argc, char **argv) {
    bool panic = false, broken = false, registry = false;
    const char *dir = "tests/vectors", *subjects = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--panic") == 0) {
            panic = true;
        } else if (strcmp(argv[i], "--break-kat") == 0) {
            broken = true;
        } else if (strcmp(argv[i], "--registry") == 0) {
            registry = true;
        } else if (strcmp(argv[i], "--scan") == 0 && i + 1 < argc) {
            subjects = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [--panic] [--break-kat] [--scan SUBJECTS] [--registry] [VECTOR_DIR]\n",
                    argv[0]);
            return 2;
        } else {
            dir = argv[i];
        }
    }
    if (!broken && subjects == NULL) {
        fprintf(stderr, "%s: --scan SUBJECTS is required: the directory of the Go subjects that "
                        "tests/c/Makefile builds (make -C tests/c plain)\n", argv[0]);
        return 2;
    }
    printf("libfips %s: vectors from %s%s\n", fips_version(), dir, broken ? " (break-kat: no verdict may be given)" : "");
    if (broken) {
        /* First, before any other call: which verdicts a broken test refuses depends on its phase. */
        printf("fail closed (self-test broken: %s)\n", getenv("FIPS_BREAK_KAT"));
        run_fail_closed(true);
    }
    run_vectors(dir, broken);
    if (!broken) {
        printf("fail closed (healthy)\n");
        run_fail_closed(false);
    }
    if (!broken) {
        printf("hostile input%s\n", panic ? " and forced panics" : "");
        run_hostility(panic);
        printf("scan (Go subjects in %s)\n", subjects);
        run_scan(subjects);
    }
    if (registry) {
        printf("registry (fips_scan_registry_json on %s)\n", getenv("FIPS_TEST_REGISTRY_IMAGE"));
        run_registry();
    }
    printf("%zu checks, %zu failed\n", checks(), failures());
    return failures() == 0 ? 0 : 1;
}
