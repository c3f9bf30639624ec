// The same program with crypto/tls/fipsonly imported (BoringCrypto builds only: the
// package has `//go:build boringcrypto`).
package main

import (
	"crypto/sha256"
	"crypto/tls"
	_ "crypto/tls/fipsonly"
	"fmt"

	"example.com/helper"
)

func main() {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	fmt.Printf("%s %x %d\n", helper.Greeting, sha256.Sum256([]byte("abc")), cfg.MinVersion)
}
