//go:build fips_test_panic

package fips

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// With a libfips built with the test-panic feature, FIPS_TEST_PANIC=<export> panics inside
// that export's boundary: Go gets an *Error with StatusPanic, and the process goes on.
//
//	PKG_CONFIG_PATH=<test-panic install>/lib/pkgconfig go test -tags 'fips_static fips_test_panic' -run TestPanic
func TestPanicBecomesAnError(t *testing.T) {
	cases := map[string]func() error{
		"fips_validate_json":    func() error { _, err := Validate(nil, documentedRequest); return err },
		"fips_validate_args":    func() error { _, err := ValidateArgs(nil, documentedArgs); return err },
		"fips_check_transition": func() error { _, err := CheckTransition(nil, "1.22.8+fips.0", "1.22.8+fips.0"); return err },
		"fips_host_probe_json":  func() error { _, err := ProbeHost(nil, "/"); return err },
		"fips_scan_json":        func() error { _, err := Scan(nil, "../../tests/scan/go/std/main.go"); return err },
		"fips_selftest_json":    func() error { _, err := SelfTest(); return err },
		"fips_version_parse_json": func() error {
			_, err := ParseVersion("1.22.8+fips.0", Kubernetes)
			return err
		},
		"fips_version_to_tag":        func() error { _, err := VersionToTag("1.22.8+fips.0", Kubernetes); return err },
		"fips_tag_to_version":        func() error { _, err := TagToVersion("v1.22.8_fips.0"); return err },
		"fips_image_parse_json":      func() error { _, err := ParseImage("nginx"); return err },
		"fips_os_release_parse_json": func() error { _, err := ParseOSRelease("ID=rhel\n"); return err },
		"fips_codes_json":            func() error { _, err := Codes(); return err },
		"fips_policy_new_default":    func() error { _, err := DefaultPolicy(); return err },
		"fips_policy_from_toml":      func() error { _, err := PolicyFromTOML("extend_default = true\n"); return err },
		"fips_audit_json":            func() error { _, err := Audit(nil, []byte(auditManifest)); return err },
		"fips_audit_update_json": func() error {
			_, err := AuditUpdate(nil, []byte(auditManifest), []byte(auditManifest))
			return err
		},
	}
	for export, call := range cases {
		// No t.Parallel: the environment is the process's.
		os.Setenv("FIPS_TEST_PANIC", export)
		err := call()
		os.Unsetenv("FIPS_TEST_PANIC")
		var e *Error
		// The message names the Go function ("fips: Validate: internal panic (...)").
		if !errors.Is(err, &Error{Status: StatusPanic}) || !strings.HasPrefix(err.Error(), "fips: ") ||
			!strings.Contains(err.Error(), ": internal panic (FIPS_TEST_PANIC="+export+")") ||
			!errors.As(err, &e) || e.Kind() != "internal" || e.Variant() != "panic" {
			t.Errorf("%s: got %v, want StatusPanic (internal/panic)", export, err)
		}
		if err := call(); err != nil {
			t.Errorf("%s after the panic: %v", export, err)
		}
	}
}
