//go:build fips_break_kat

package fips

import (
	"errors"
	"os"
	"testing"
)

// conditionalTests run before the first use of randomness, which no verdict needs
// (docs/selftest.md); every other test runs before the first verdict.
var conditionalTests = map[string]bool{"AWS-LC-SELF-TEST": true, "RNG-HEALTH": true, "ECDSA-P256-PCT": true, "ECDSA-P384-PCT": true}

// Fail closed through Go: with a break-kat libfips run with FIPS_BREAK_KAT=<test>, every
// verdict is refused with ErrSelfTestFailed and no report once that test has run, through the
// documented calls and every vector. A power-on test (SHA-256) refuses the very first verdict;
// a conditional one (ECDSA-P256-PCT) runs at SelfTest, and puts the library in the same state.
//
//	PKG_CONFIG_PATH=<break-kat install>/lib/pkgconfig FIPS_BREAK_KAT=SHA-256 \
//	  go test -tags 'fips_static fips_break_kat' -run TestBreakKat
func TestBreakKat(t *testing.T) {
	kat := os.Getenv("FIPS_BREAK_KAT")
	if kat == "" {
		t.Fatal("run with FIPS_BREAK_KAT=<test> against a break-kat build of libfips")
	}
	first, err := Validate(nil, documentedRequest)
	if conditionalTests[kat] {
		if err != nil || first == nil || !first.Compliant {
			t.Fatalf("a verdict ran the conditional test %s: %+v, %v", kat, first, err)
		}
	} else {
		refused(t, first, err)
	}
	report, err := SelfTest()
	if !errors.Is(err, ErrSelfTestFailed) || report == nil || report.Passed {
		t.Fatalf("SelfTest: %+v, %v; want a failed report and ErrSelfTestFailed", report, err)
	}
	var failed []string
	for _, k := range report.Kats {
		if !k.Passed {
			failed = append(failed, k.Name)
		}
	}
	if len(failed) != 1 || failed[0] != kat {
		t.Fatalf("failed tests %v, want exactly %s: %+v", failed, kat, report.Kats)
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
		r5, err := Scan(p, "../../tests/scan/go/std/main.go")
		refused(t, r5, err)
		r6, err := Audit(p, []byte(auditManifest))
		refused(t, r6, err)
		r7, err := AuditUpdate(p, []byte(auditManifest), []byte(auditManifest))
		refused(t, r7, err)
		// Objects that hold no cluster give no verdict either.
		r8, err := Audit(p, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"))
		refused(t, r8, err)
	}
	checkVectors(t, true)
}
