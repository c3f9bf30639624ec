//go:build fips_static

package fips

// #cgo pkg-config: fips-static
import "C"

// linkMode names how libfips is linked into this build: "shared" (libfips.so, the default)
// or "static" (libfips.a, with -tags fips_static).
const linkMode = "static"
