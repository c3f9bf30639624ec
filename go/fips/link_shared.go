//go:build !fips_static

package fips

// #cgo pkg-config: fips
import "C"

// linkMode names how libfips is linked into this build: "shared" (libfips.so, the default)
// or "static" (libfips.a, with -tags fips_static).
const linkMode = "shared"
