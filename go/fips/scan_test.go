package fips

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Scan on real Go binaries (issue 7, item 4: the scanner through the Go package).
//
// tests/scan/go/std is built with the Go on this machine twice, named as two of the embedded
// policy's components: a standard build as kube-proxy, a GOEXPERIMENT=boringcrypto build as
// kube-apiserver. The product documentation: "core Kubernetes components are compiled using
// a version of Go, called goboring, which uses a FIPS-certified cryptographic module"; the
// embedded policy accepts only boringcrypto for them (docs/scan.md). Go's documentation of
// GOEXPERIMENT=boringcrypto: the version carries X:boringcrypto, and `go build` records the
// GOEXPERIMENT build setting. The build information must equal `go version -m -json`'s.

var (
	subjectsOnce sync.Once
	subjectsDir  string
	subjectsErr  error
)

// goSubjects builds the two subjects once per test process; a missing Go fails the test.
func goSubjects(t *testing.T) string {
	t.Helper()
	subjectsOnce.Do(func() {
		if _, err := exec.LookPath("go"); err != nil {
			subjectsErr = errors.New("the Go toolchain is required to build the scan subjects and `go` is not on PATH")
			return
		}
		dir, err := os.MkdirTemp("", "fips-go-scan-")
		if err != nil {
			subjectsErr = err
			return
		}
		subjectsDir = dir
		for _, s := range []struct{ name, experiment string }{{"kube-proxy", ""}, {"kube-apiserver", "boringcrypto"}} {
			cmd := exec.Command("go", "build", "-o", filepath.Join(dir, s.name), "./std")
			cmd.Dir = filepath.Join("..", "..", "tests", "scan", "go")
			cmd.Env = append(cleanGoEnv(), "GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=1",
				"GOEXPERIMENT="+s.experiment)
			if out, err := cmd.CombinedOutput(); err != nil {
				subjectsErr = errors.New("go build " + s.name + ": " + err.Error() + ": " + string(out))
				return
			}
		}
	})
	if subjectsErr != nil {
		t.Fatal(subjectsErr)
	}
	return subjectsDir
}

// cleanGoEnv is this process's environment without the settings that choose a crypto module.
func cleanGoEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		key, _, _ := strings.Cut(kv, "=")
		switch key {
		case "GOEXPERIMENT", "GOFIPS140", "GOFLAGS", "CGO_ENABLED", "GOTOOLCHAIN", "GOWORK":
		default:
			env = append(env, kv)
		}
	}
	return env
}

// goVersionM is what `go version -m -json` prints for a binary (runtime/debug.BuildInfo).
type goVersionM struct {
	GoVersion string
	Path      string
	Main      GoModule
	Deps      []GoModule
	Settings  []BuildSetting
}

func versionM(t *testing.T, path string) goVersionM {
	t.Helper()
	out, err := exec.Command("go", "version", "-m", "-json", path).Output()
	if err != nil {
		t.Fatalf("go version -m -json %s: %v", path, err)
	}
	var info goVersionM
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("go version -m -json %s: %v", path, err)
	}
	return info
}

func hasFinding(findings []Finding, code, severity string) bool {
	return slices.ContainsFunc(findings, func(f Finding) bool { return f.Code == code && f.Severity == severity })
}

func hasSignal(evidence []Evidence, signal string) bool {
	return slices.ContainsFunc(evidence, func(e Evidence) bool { return e.Signal == signal })
}

// checkSubject checks one result against how it was built and against `go version -m`.
func checkSubject(t *testing.T, r *ScanResult, module string, compliant bool) {
	t.Helper()
	name := filepath.Base(r.Path)
	want := versionM(t, r.Path)
	if r.Format != "go" || r.GoVersion == nil || *r.GoVersion != want.GoVersion || r.Package != want.Path {
		t.Errorf("%s: format %q, go_version %v, package %q; want go, %q, %q", name, r.Format, r.GoVersion, r.Package,
			want.GoVersion, want.Path)
	}
	if r.Main == nil || *r.Main != want.Main || !reflect.DeepEqual(r.Deps, want.Deps) {
		t.Errorf("%s: main %+v, deps %+v; go version -m: %+v, %+v", name, r.Main, r.Deps, want.Main, want.Deps)
	}
	if !slices.Equal(r.Settings, BuildSettings(want.Settings)) {
		t.Errorf("%s: settings (in order)\n%+v\ngo version -m:\n%+v", name, r.Settings, want.Settings)
	}
	if r.CryptoModule != module || r.Compliant != compliant || !r.Component || r.BytesRead == 0 {
		t.Errorf("%s: crypto_module %q, compliant %v, component %v, bytes_read %d; want %q, %v, true, > 0", name,
			r.CryptoModule, r.Compliant, r.Component, r.BytesRead, module, compliant)
	}
	experiment, _ := r.Settings.Get("GOEXPERIMENT")
	boring := module == "boringcrypto"
	if boring != strings.Contains(*r.GoVersion, "X:boringcrypto") || boring != (experiment == "boringcrypto") ||
		boring != hasSignal(r.Evidence, "boringcrypto") {
		t.Errorf("%s: go_version %q, GOEXPERIMENT %q, evidence %+v: want boringcrypto %v", name, *r.GoVersion,
			experiment, r.Evidence, boring)
	}
	if boring == hasFinding(r.Findings, "FIPS-SCAN-STANDARD-CRYPTO", "error") {
		t.Errorf("%s: findings %+v", name, r.Findings)
	}
}

func resultNamed(t *testing.T, report *ScanReport, name string) *ScanResult {
	t.Helper()
	for i := range report.Results {
		if filepath.Base(report.Results[i].Path) == name {
			return &report.Results[i]
		}
	}
	t.Fatalf("no result for %s in %+v", name, report.Results)
	return nil
}

func TestScanGoBinaries(t *testing.T) {
	dir := goSubjects(t)
	apiserver, proxy := filepath.Join(dir, "kube-apiserver"), filepath.Join(dir, "kube-proxy")

	report, err := Scan(nil, apiserver)
	if err != nil || !report.Compliant || len(report.Results) != 1 {
		t.Fatalf("Scan(kube-apiserver): %+v, %v; want compliant", report, err)
	}
	checkSubject(t, &report.Results[0], "boringcrypto", true)

	// A negative verdict is a report, not an error.
	report, err = Scan(nil, proxy)
	if err != nil || report.Compliant || len(report.Results) != 1 {
		t.Fatalf("Scan(kube-proxy): %+v, %v; want not compliant", report, err)
	}
	checkSubject(t, &report.Results[0], "standard", false)

	policy, err := DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	defer policy.Close()
	for _, paths := range [][]string{{apiserver, proxy}, {dir}} {
		report, err = Scan(policy, paths...)
		if err != nil || report.Compliant || len(report.Results) != 2 {
			t.Fatalf("Scan(%v): %+v, %v; want two results, not compliant", paths, report, err)
		}
		checkSubject(t, resultNamed(t, report, "kube-apiserver"), "boringcrypto", true)
		checkSubject(t, resultNamed(t, report, "kube-proxy"), "standard", false)
	}

	// A policy that accepts standard Go crypto for kube-proxy: a warning, compliant.
	lenient, err := PolicyFromTOML("extend_default = true\n[scan]\naccepted_modules = [\"boringcrypto\", \"standard\"]\n" +
		"components = [\"kube-proxy\"]\n")
	if err != nil {
		t.Fatal(err)
	}
	defer lenient.Close()
	report, err = Scan(lenient, proxy)
	if err != nil || !report.Compliant || !hasFinding(report.Results[0].Findings, "FIPS-SCAN-STANDARD-CRYPTO", "warning") {
		t.Fatalf("Scan(kube-proxy) accepting standard: %+v, %v", report, err)
	}
}

func TestScanErrors(t *testing.T) {
	for _, c := range []struct {
		paths   []string
		status  Status
		mention string
	}{
		{nil, StatusScanFailed, "no path to scan"},
		{[]string{"/nonexistent/kube-apiserver"}, StatusScanFailed, "/nonexistent/kube-apiserver"},
		{[]string{"scan_test.go", "bin\x00/etcd"}, StatusEmbeddedNul, "paths[1]"},
		{[]string{"scan_test.go", "bin/\xff"}, StatusInvalidUTF8, "paths[1]"},
	} {
		report, err := Scan(nil, c.paths...)
		var e *Error
		if report != nil || !errors.As(err, &e) || e.Status != c.status || !strings.Contains(e.Message, c.mention) {
			t.Errorf("Scan(%q): %+v, %v; want status %d naming %q", c.paths, report, err, c.status, c.mention)
		}
	}
	var e *Error
	if _, err := Scan(nil); !errors.As(err, &e) || e.Kind() != "scan" || e.Variant() != "no-paths" {
		t.Errorf("Scan(nil): %v, want fips-core's scan/no-paths", err)
	}
	if _, err := Scan(nil, "bin\x00/etcd"); !errors.As(err, &e) || e.Kind() != "input" || e.Variant() != "embedded-nul" {
		t.Errorf("Scan(NUL): %v, want input/embedded-nul", err)
	}
}
