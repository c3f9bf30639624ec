// The standard program with FIPS 140-3 mode switched on by a //go:debug directive
// (go.dev/doc/godebug): DefaultGODEBUG records fips140=on, but without GOFIPS140 the module
// is the one in the toolchain's own source tree, not a frozen version.

//go:debug fips140=on
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
