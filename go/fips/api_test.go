package fips

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The product documentation's example: dkp create cluster aws ... with the FIPS builds.
var documentedArgs = []string{
	"dkp", "create", "cluster", "aws", "--cluster-name", "myFipsCluster", "--ami=ami-03dcaa75d45aca36f",
	"--kubernetes-version=1.22.8+fips.0", "--kubernetes-image-repository=docker.io/mesosphere",
	"--etcd-image-repository=docker.io/mesosphere", "--etcd-version=3.4.13+fips.0",
}

var documentedRequest = Request{
	Provider: "aws", ClusterName: "myFipsCluster", AMI: "ami-03dcaa75d45aca36f",
	KubernetesVersion: "1.22.8+fips.0", KubernetesImageRepository: "docker.io/mesosphere",
	EtcdVersion: "3.4.13+fips.0", EtcdImageRepository: "docker.io/mesosphere",
}

func TestDocumentedRequestIsCompliant(t *testing.T) {
	fromArgs, err := ValidateArgs(nil, documentedArgs)
	if err != nil || !fromArgs.Compliant {
		t.Fatalf("ValidateArgs: %+v, %v", fromArgs, err)
	}
	fromStruct, err := Validate(nil, documentedRequest)
	if err != nil || !reflect.DeepEqual(fromArgs, fromStruct) {
		t.Fatalf("Validate: %+v, %v; want %+v", fromStruct, err, fromArgs)
	}
	// Drop +fips.0: not compliant, a Report and no error, naming the flag that fixes it.
	request := documentedRequest
	request.KubernetesVersion = "1.22.8"
	report, err := Validate(nil, request)
	if err != nil || report.Compliant || report.Codes()[0] != "FIPS-K8S-NOT-FIPS-BUILD" ||
		report.Findings[0].Remediation != "--kubernetes-version=1.22.8+fips.0" {
		t.Fatalf("got %+v, %v", report, err)
	}
}

func TestPolicies(t *testing.T) {
	def, err := DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	defer def.Close()
	mirror, err := PolicyFromTOML("extend_default = true\n[[mirrors]]\nmirror = \"registry.local/mesosphere\"\nupstream = \"docker.io/mesosphere\"\n")
	if err != nil {
		t.Fatal(err)
	}
	defer mirror.Close()
	args := append(append([]string{}, documentedArgs[:8]...),
		"--kubernetes-image-repository=registry.local/mesosphere", "--etcd-image-repository=registry.local/mesosphere",
		"--etcd-version=3.4.13+fips.0")
	for _, c := range []struct {
		policy    *Policy
		compliant bool
	}{{nil, false}, {def, false}, {mirror, true}} {
		report, err := ValidateArgs(c.policy, args)
		if err != nil || report.Compliant != c.compliant {
			t.Fatalf("mirror: got %+v, %v; want compliant %v", report, err, c.compliant)
		}
	}
	if _, err := PolicyFromTOML("extend_default = true\nbuidls = []\n"); !errors.Is(err, &Error{Status: StatusPolicyInvalid}) ||
		!strings.Contains(err.Error(), "buidls") {
		t.Fatalf("unknown field: %v", err)
	}
	var missing *Error
	if _, err := PolicyFromFile("/nonexistent/policy.toml"); !errors.As(err, &missing) ||
		missing.Status != StatusFileUnreadable || missing.Kind() != "file" || missing.Variant() != "not-found" {
		t.Fatalf("missing file: %v", err)
	}
	closed, _ := DefaultPolicy()
	closed.Close()
	closed.Close()
	if _, err := ValidateArgs(closed, documentedArgs); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("closed policy: %v", err)
	}
}

func TestSelfTestAndCodes(t *testing.T) {
	report, err := SelfTest()
	if err != nil || !report.Passed || len(report.Kats) == 0 {
		t.Fatalf("%+v, %v", report, err)
	}
	codes, err := Codes()
	if err != nil || len(codes) == 0 || codes[0].Code != "FIPS-K8S-NOT-FIPS-BUILD" || codes[0].Area != "request" {
		t.Fatalf("%+v, %v", codes, err)
	}
	if LibraryVersion() == "" {
		t.Fatal("no library version")
	}
}

// Hostile input through Go: each is an *Error with its status, and nothing crashes.
func TestHostileInput(t *testing.T) {
	big := strings.Repeat("a", 100<<20)
	calls := map[string]func(s string) error{
		"Validate":        func(s string) error { _, err := Validate(nil, Request{KubernetesVersion: s}); return err },
		"ValidateJSON":    func(s string) error { _, err := ValidateJSON(nil, []byte(s)); return err },
		"ValidateArgs":    func(s string) error { _, err := ValidateArgs(nil, []string{"create", s}); return err },
		"CheckTransition": func(s string) error { _, err := CheckTransition(nil, "1.22.8+fips.0", s); return err },
		"ProbeHost":       func(s string) error { _, err := ProbeHost(nil, s); return err },
		"Scan":            func(s string) error { _, err := Scan(nil, "api_test.go", s); return err },
		"ParseVersion":    func(s string) error { _, err := ParseVersion(s, Kubernetes); return err },
		"ParseVersion/component": func(s string) error {
			_, err := ParseVersion("1.22.8+fips.0", Component(s))
			return err
		},
		"VersionToTag":   func(s string) error { _, err := VersionToTag(s, Etcd); return err },
		"TagToVersion":   func(s string) error { _, err := TagToVersion(s); return err },
		"ParseImage":     func(s string) error { _, err := ParseImage(s); return err },
		"ParseOSRelease": func(s string) error { _, err := ParseOSRelease(s); return err },
		"PolicyFromTOML": func(s string) error { _, err := PolicyFromTOML(s); return err },
		"PolicyFromFile": func(s string) error { _, err := PolicyFromFile(s); return err },
		"Audit":          func(s string) error { _, err := Audit(nil, []byte(s)); return err },
		"AuditUpdate/old": func(s string) error {
			_, err := AuditUpdate(nil, []byte(s), []byte(auditManifest))
			return err
		},
		"AuditUpdate/new": func(s string) error {
			_, err := AuditUpdate(nil, []byte(auditManifest), []byte(s))
			return err
		},
	}
	for name, call := range calls {
		for _, c := range []struct {
			input string
			want  Status
		}{
			{"1.22.8\x00+fips.0", StatusEmbeddedNul},
			{"1.22.8+fips.0\xff", StatusInvalidUTF8},
			{big, StatusInputTooLarge},
		} {
			err := call(c.input)
			var e *Error
			if name == "Validate" && c.want != StatusInputTooLarge {
				// A Request travels as JSON: a NUL as \u0000, which libfips refuses in the
				// version; invalid UTF-8 as U+FFFD, which no version holds.
				c.want = StatusRequestInvalid
			}
			if !errors.As(err, &e) || e.Status != c.want || e.Message == "" {
				t.Errorf("%s(%.20q): got %v, want status %d", name, c.input, err, c.want)
			}
		}
	}
}
