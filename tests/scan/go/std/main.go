// A program that uses crypto: hashing and a TLS configuration (which links the
// certificate and key-exchange code). Built in every flavour by fips-core/tests/scan.rs.
package main

import (
	"crypto/sha256"
	"crypto/tls"
	"fmt"

	"example.com/helper"
)

func main() {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	fmt.Printf("%s %x %d\n", helper.Greeting, sha256.Sum256([]byte("abc")), cfg.MinVersion)
}
