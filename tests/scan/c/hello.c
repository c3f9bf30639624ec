/* A non-Go ELF file without crypto. */
#include <stdio.h>

int main(void) {
    puts("fips scan subject");
    return 0;
}
