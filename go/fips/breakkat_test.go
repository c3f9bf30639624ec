//go:build fips_break_kat

package fips

import (
	"errors"
	"os"
	"testing"
)

// Fail closed through Go: with a break-kat libfips run with FIPS_BREAK_KAT=SHA-256, every
// verdict is refused with ErrSelfTestFailed and no report, through the documented calls and
// every vector.
//
//	PKG_CONFIG_PATH=<break-kat install>/lib/pkgconfig FIPS_BREAK_KAT=SHA-256 \
//	  go test -tags 'fips_static fips_break_kat' -run TestBreakKat
func TestBreakKat(t *testing.T) {
	if os.Getenv("FIPS_BREAK_KAT") != "SHA-256" {
		t.Fatal("run with FIPS_BREAK_KAT=SHA-256 against a break-kat build of libfips")
	}
	report, err := SelfTest()
	if !errors.Is(err, ErrSelfTestFailed) || report == nil || report.Passed {
		t.Fatalf("SelfTest: %+v, %v; want a failed report and ErrSelfTestFailed", report, err)
	}
	failed := false
	for _, k := range report.Kats {
		failed = failed || (k.Name == "SHA-256" && !k.Passed)
	}
	if !failed {
		t.Fatalf("KAT SHA-256 did not fail: %+v", report.Kats)
	}

	policy, err := DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	defer policy.Close()
	for _, p := range []*Policy{nil, policy} {
		r1, err := Validate(p, documentedRequest)
		refused(t, r1, err)
		r2, err := ValidateArgs(p, documentedArgs)
		refused(t, r2, err)
		r3, err := CheckTransition(p, "1.22.8+fips.0", "v1.22.8+fips.0")
		refused(t, r3, err)
		r4, err := ProbeHost(p, "/")
		refused(t, r4, err)
	}
	checkVectors(t, true)
}
