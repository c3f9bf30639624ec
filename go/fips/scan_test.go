package fips

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Scan on real Go binaries (issue 7, item 4: the scanner through the Go package).
//
// Two of the shared scan subjects (tests/scan/subjects.json, built from tests/scan/go/std by
// scripts/build-scan-subjects), named as two of the embedded policy's components: the standard
// build as kube-proxy, the GOEXPERIMENT=boringcrypto build as kube-apiserver. The product documentation: "core Kubernetes components are compiled using
// a version of Go, called goboring, which uses a FIPS-certified cryptographic module"; the
// embedded policy accepts only boringcrypto for them (docs/scan.md). Go's documentation of
// GOEXPERIMENT=boringcrypto: the version carries X:boringcrypto, and `go build` records the
// GOEXPERIMENT build setting. The build information must equal `go version -m -json`'s.

var (
	subjectsOnce sync.Once
	subjectsDir  string
	sharedDir    string
	subjectsErr  error
)

// topDir is the repository's top directory (this package is go/fips).
var topDir = filepath.Join("..", "..")

// goSubjects returns a directory holding two subjects under component names, copied from the
// shared scan subjects (tests/scan/subjects.json), built once per test run by
// scripts/build-scan-subjects: FIPS_SCAN_SUBJECTS when that build completed there, else a
// directory of this test process. A missing Go fails the test.
func goSubjects(t *testing.T) string {
	t.Helper()
	subjectsOnce.Do(func() {
		sharedDir = os.Getenv("FIPS_SCAN_SUBJECTS")
		if _, err := os.Stat(filepath.Join(sharedDir, "built.txt")); sharedDir == "" || err != nil {
			if _, err := exec.LookPath("go"); err != nil {
				subjectsErr = errors.New("the Go toolchain is required to build the scan subjects and `go` is not on PATH")
				return
			}
			if sharedDir, err = os.MkdirTemp("", "fips-go-scan-shared-"); err != nil {
				subjectsErr = err
				return
			}
			cmd := exec.Command("python3", filepath.Join(topDir, "scripts", "build-scan-subjects"), sharedDir)
			if out, err := cmd.CombinedOutput(); err != nil {
				subjectsErr = errors.New("scripts/build-scan-subjects: " + err.Error() + ": " + string(out))
				return
			}
		}
		dir, err := os.MkdirTemp("", "fips-go-scan-")
		if err != nil {
			subjectsErr = err
			return
		}
		subjectsDir = dir
		for _, s := range []struct{ from, to string }{{"standard", "kube-proxy"}, {"boringcrypto", "kube-apiserver"}} {
			data, err := os.ReadFile(filepath.Join(sharedDir, s.from))
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, s.to), data, 0o755)
			}
			if err != nil {
				subjectsErr = err
				return
			}
		}
	})
	if subjectsErr != nil {
		t.Fatal(subjectsErr)
	}
	return subjectsDir
}

// sharedSubjects is tests/scan/subjects.json, read strictly.
type sharedSubjects struct {
	Schema      int    `json:"schema"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Count       int    `json:"count"`
	Vectors     []struct {
		ID     string `json:"id"`
		Source string `json:"source"`
		Build  struct {
			Source   string            `json:"source"`
			Env      map[string]string `json:"env"`
			Ldflags  *string           `json:"ldflags"`
			Requires *string           `json:"requires"`
		} `json:"build"`
		Expect struct {
			Format       string      `json:"format"`
			CryptoModule string      `json:"crypto_module"`
			FipsOnly     bool        `json:"fips_only"`
			Stripped     bool        `json:"stripped"`
			Codes        [][2]string `json:"codes"`
		} `json:"expect"`
	} `json:"vectors"`
}

// Every shared subject gets the verdict tests/scan/subjects.json lists for it, under a policy
// naming every subject a component and accepting only boringcrypto.
func TestScanSharedSubjects(t *testing.T) {
	goSubjects(t)
	text, err := os.ReadFile(filepath.Join(topDir, "tests", "scan", "subjects.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file sharedSubjects
	dec := json.NewDecoder(strings.NewReader(string(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil || file.Kind != "scan-subjects" || file.Count != len(file.Vectors) {
		t.Fatalf("tests/scan/subjects.json: %v (kind %q, count %d of %d)", err, file.Kind, file.Count, len(file.Vectors))
	}
	built, err := os.ReadFile(filepath.Join(sharedDir, "built.txt"))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(file.Vectors))
	for _, v := range file.Vectors {
		names = append(names, strconv.Quote(v.ID))
	}
	policy, err := PolicyFromTOML("[scan]\naccepted_modules = [\"boringcrypto\"]\ncomponents = [" +
		strings.Join(names, ", ") + "]\n")
	if err != nil {
		t.Fatal(err)
	}
	defer policy.Close()
	for _, v := range file.Vectors {
		if !slices.Contains(strings.Fields(string(built)), v.ID) {
			if v.Build.Requires == nil {
				t.Errorf("%s was not built", v.ID)
			}
			continue
		}
		report, err := Scan(policy, filepath.Join(sharedDir, v.ID))
		if err != nil || len(report.Results) != 1 {
			t.Errorf("Scan(%s): %+v, %v", v.ID, report, err)
			continue
		}
		r := report.Results[0]
		codes := [][2]string{}
		for _, f := range r.Findings {
			codes = append(codes, [2]string{f.Code, f.Severity})
		}
		want := v.Expect
		compliant := !slices.ContainsFunc(want.Codes, func(c [2]string) bool { return c[1] == "error" })
		if r.Format != want.Format || r.CryptoModule != want.CryptoModule || r.FipsOnly != want.FipsOnly ||
			r.Stripped == nil || *r.Stripped != want.Stripped || !slices.Equal(codes, want.Codes) ||
			r.Compliant != compliant {
			t.Errorf("%s: format %q, module %q, fips_only %v, stripped %v, codes %v, compliant %v; want %+v", v.ID,
				r.Format, r.CryptoModule, r.FipsOnly, r.Stripped, codes, r.Compliant, want)
		}
	}
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
		{[]string{"/nonexistent/kube-apiserver"}, StatusFileUnreadable, "/nonexistent/kube-apiserver"},
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
