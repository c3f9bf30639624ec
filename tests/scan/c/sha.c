/* A non-Go ELF file linking OpenSSL's libcrypto (built only where libssl-dev is installed). */
#include <openssl/sha.h>
#include <stdio.h>

int main(void) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)"abc", 3, digest);
    printf("%02x\n", digest[0]);
    return 0;
}
