package fips

import (
	"fmt"
	"strings"
	"testing"
)

// Errors name the Go API, never the C one: the function as Go callers write it, and the
// Go names of its parameters (issue 14, item 7).
func TestErrorsNameTheGoAPI(t *testing.T) {
	many := make([]string, 4097)
	for i := range many {
		many[i] = "x"
	}
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"Scan without paths", func() error { _, err := Scan(nil); return err }, "fips: Scan: no path to scan: "},
		{"Scan with too many paths", func() error { _, err := Scan(nil, many...); return err },
			"fips: Scan: len(paths) is 4097, more than the 4096 strings accepted"},
		{"ValidateArgs with too many", func() error { _, err := ValidateArgs(nil, many); return err },
			"fips: ValidateArgs: len(args) is 4097, more than the 4096 strings accepted"},
		{"ValidateArgs, too long in total", func() error {
			_, err := ValidateArgs(nil, []string{strings.Repeat("a", 600<<10), strings.Repeat("a", 600<<10)})
			return err
		}, "fips: ValidateArgs: the strings up to args[1] are longer than"},
		{"ValidateJSON", func() error { _, err := ValidateJSON(nil, []byte("{")); return err }, "fips: ValidateJSON: "},
		{"ValidateJSON too large", func() error { _, err := ValidateJSON(nil, []byte(strings.Repeat("a", 2<<20))); return err },
			"fips: ValidateJSON: requestJSON is longer than"},
		{"CheckTransition", func() error { _, err := CheckTransition(nil, "1.22", "1.22.8"); return err },
			"fips: CheckTransition: current: "},
		{"TagToVersion", func() error { _, err := TagToVersion("v1_2_3"); return err }, "fips: TagToVersion: "},
		{"PolicyFromTOML", func() error { _, err := PolicyFromTOML("x = ["); return err }, "fips: PolicyFromTOML: "},
		{"a NUL found in Go", func() error { _, err := Scan(nil, "a\x00b"); return err }, "fips: Scan: paths[0] holds a NUL"},
	}
	for _, c := range cases {
		err := c.err()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "fips_") {
			t.Errorf("%s: got %q, want it to start %q and name no C function", c.name, err, c.want)
		}
	}
}

func TestStatusString(t *testing.T) {
	for status, want := range map[Status]string{
		StatusOK: "StatusOK", StatusNotCompliant: "StatusNotCompliant", StatusAuditNotCompliant: "StatusAuditNotCompliant",
		StatusManifestInvalid: "StatusManifestInvalid", StatusInternal: "StatusInternal", Status(999): "Status(999)",
	} {
		if got := status.String(); got != want {
			t.Errorf("Status(%d).String() = %q, want %q", uint32(status), got, want)
		}
	}
	// Every status libfips defines has its name.
	for status := Status(0); status < 500; status++ {
		if _, named := statusNames[status]; !named && knownStatus(status) {
			t.Errorf("status %d has no name", uint32(status))
		}
	}
}

// knownStatus reports whether libfips explains a status: an error status of libfips
// carries its own kind, which an unknown value would not.
func knownStatus(s Status) bool {
	for _, known := range []Status{StatusOK, StatusNotCompliant, StatusTransitionRefused, StatusHostNotCompliant,
		StatusScanNotCompliant, StatusAuditNotCompliant, StatusNullParameter, StatusInvalidUTF8, StatusInputTooLarge,
		StatusEmbeddedNul, StatusOptionsInvalid, StatusVersionInvalid, StatusTagInvalid, StatusTagLossy, StatusTagNotAVersion,
		StatusComponentUnknown, StatusImageInvalid, StatusRequestInvalid, StatusPolicyInvalid, StatusRootUnreadable,
		StatusScanFailed, StatusFileUnreadable, StatusManifestInvalid, StatusSelfTestFailed, StatusPanic, StatusInternal} {
		if s == known {
			return true
		}
	}
	return false
}

// Reports print their verdict and codes with %v, never pointers.
func TestReportsPrintUsefully(t *testing.T) {
	report, err := ValidateArgs(nil, []string{"--kubernetes-version=1.22.8"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%v", report); !strings.HasPrefix(got, "compliant=false codes=[FIPS-K8S-NOT-FIPS-BUILD ") {
		t.Errorf("Report: %s", got)
	}
	tr, err := CheckTransition(nil, "1.22.8", "1.22.8+fips.0")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(tr); got != "allowed=false 1.22.8 -> 1.22.8+fips.0 codes=[FIPS-TRANSITION-ENABLE-REFUSED]" {
		t.Errorf("TransitionReport: %s", got)
	}
	info, err := ParseVersion("v1.22.8+fips.0", Etcd)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(info); got != "1.22.8+fips.0 (etcd, fips=true, tag v1.22.8_fips.0)" {
		t.Errorf("VersionInfo: %s", got)
	}
	audit, err := Audit(nil, []byte(strings.Replace(auditManifest, "+fips.0", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(audit); !strings.HasPrefix(got, "compliant=false clusters=1 ignored=0 codes=[FIPS-K8S-NOT-FIPS-BUILD") {
		t.Errorf("AuditReport: %s", got)
	}
	if got := fmt.Sprint(audit.Clusters[0].Findings[0]); !strings.HasPrefix(got, "FIPS-K8S-NOT-FIPS-BUILD (error) kubernetesVersion: ") ||
		!strings.HasSuffix(got, "; fix: v1.22.8+fips.0 in ClusterConfiguration  (kubeadm.k8s.io/v1beta4)") {
		t.Errorf("ObjectFinding: %s", got)
	}
	host, err := ProbeHost(nil, "../../tests/roots/rhel84-fips")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(host); strings.Contains(got, "0x") || !strings.HasPrefix(got, "root=../../tests/roots/rhel84-fips os=\"rhel 8.4\"") {
		t.Errorf("HostFips: %s", got)
	}
	// Every report has Codes.
	var _ = []interface{ Codes() []string }{&Report{}, &TransitionReport{}, &HostFips{}, &ScanReport{}, &ScanResult{},
		&AuditReport{}, &ClusterReport{}}
}

// No type prints a pointer's address with %v: each with pointers has a String method.
func TestNoAddressesInPrints(t *testing.T) {
	s, yes := "x", true
	var n uint64 = 1
	values := []any{
		HostOS{ID: "rhel", Version: &s, VersionID: &s}, HostSignals{FipsEnabled: &yes, CryptoPolicyConfig: &s},
		HostFips{OS: &HostOS{ID: "rhel", Version: &s}, FipsMode: &yes},
		VersionInfo{FipsBuild: &n, Tag: &s}, ImageRef{Tag: &s, Digest: &s},
		Request{OS: &OSSpec{ID: "rhel", Version: "8.4"}, OtherFlags: []OtherFlag{{Flag: "--x", Value: &s}}},
		OtherFlag{Flag: "--x", Value: &s}, GoModule{Path: "a", Replace: &GoModule{Path: "b"}},
		ScanResult{GoVersion: &s, Stripped: &yes, Main: &GoModule{Path: "m"}}, ScanReport{Results: []ScanResult{{}}},
		ObjectFinding{Object: &ObjectRef{Kind: "Cluster"}}, AuditReport{Clusters: []ClusterReport{{}}},
	}
	for _, v := range values {
		for _, got := range []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v)} {
			if strings.Contains(got, "0xc") {
				t.Errorf("%T prints an address: %s", v, got)
			}
		}
	}
}
