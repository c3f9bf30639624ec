/*
 * The C suite of libfips. Usage (from the repository top, where vector roots resolve):
 *
 *   fips_test [--panic] [--break-kat] [VECTOR_DIR]
 *
 *   (default)    every vector, the fail-closed checks (healthy), and the hostile-input cases
 *   --panic      also forced panics in every export (library built with test-panic)
 *   --break-kat  a break-kat library run with FIPS_BREAK_KAT=SHA-256: no verdict is ever
 *                given, through the vectors and the documented calls
 *
 * Exits 0 when every check passed.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

int main(int argc, char **argv) {
    bool panic = false, broken = false;
    const char *dir = "tests/vectors";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--panic") == 0) {
            panic = true;
        } else if (strcmp(argv[i], "--break-kat") == 0) {
            broken = true;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [--panic] [--break-kat] [VECTOR_DIR]\n", argv[0]);
            return 2;
        } else {
            dir = argv[i];
        }
    }
    printf("libfips %s: vectors from %s%s\n", fips_version(), dir, broken ? " (break-kat: no verdict may be given)" : "");
    run_vectors(dir, broken);
    printf("fail closed (%s)\n", broken ? "self-test broken" : "healthy");
    run_fail_closed(broken);
    if (!broken) {
        printf("hostile input%s\n", panic ? " and forced panics" : "");
        run_hostility(panic);
    }
    printf("%zu checks, %zu failed\n", checks(), failures());
    return failures() == 0 ? 0 : 1;
}
