package fips

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The conformance vectors (tests/vectors/README.md), read strictly: unknown fields, unknown
// kinds, a wrong schema or count, and repeated ids fail the run.

func TestMain(m *testing.M) {
	strictJSON = true // a drift between fips-core's serde shapes and these structs fails here
	code := m.Run()
	if subjectsDir != "" { // the Go binaries scan_test.go built
		os.RemoveAll(subjectsDir)
	}
	os.Exit(code)
}

// repoTop is the repository's top directory: vector paths are relative to it.
func repoTop(t *testing.T) string {
	t.Helper()
	top, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return top
}

func strict(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// present is a field that must be given, possibly as null.
type present[T any] struct {
	Set   bool
	Value *T
}

func (p *present[T]) UnmarshalJSON(raw []byte) error {
	p.Set = true
	if string(raw) == "null" {
		return nil
	}
	p.Value = new(T)
	return strict(raw, p.Value)
}

type common struct {
	ID      string  `json:"id"`
	Source  string  `json:"source"`
	Comment *string `json:"comment"`
}

type vectorFile struct {
	Schema      int               `json:"schema"`
	Kind        string            `json:"kind"`
	Description string            `json:"description"`
	Count       int               `json:"count"`
	Vectors     []json.RawMessage `json:"vectors"`
}

// checkVectors runs every vector file; with broken (a break-kat build), it asserts instead
// that no verdict is ever given.
func checkVectors(t *testing.T, broken bool) {
	dir := filepath.Join(repoTop(t), "tests", "vectors")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no vector files in %s (%v)", dir, err)
	}
	kinds := map[string]func(*testing.T, json.RawMessage, bool){
		"versions": versionVector, "tags": tagVector, "images": imageVector,
		"requests": requestVector, "transitions": transitionVector, "osrelease": osReleaseVector,
		"hosts": hostVector, "distros": distroVector, "errors": errorVector,
		"audit": auditVector,
	}
	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var file vectorFile
		if err := strict(raw, &file); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		run, ok := kinds[file.Kind]
		switch {
		case !ok:
			t.Fatalf("%s: unknown kind %q", path, file.Kind)
		case file.Schema != 1:
			t.Fatalf("%s: schema %d", path, file.Schema)
		case file.Count != len(file.Vectors):
			t.Fatalf("%s: count %d but %d vectors", path, file.Count, len(file.Vectors))
		case file.Description == "":
			t.Fatalf("%s: no description", path)
		}
		seen := map[string]bool{}
		for i, v := range file.Vectors {
			var c struct {
				ID     string `json:"id"`
				Source string `json:"source"`
			}
			_ = json.Unmarshal(v, &c)
			if c.ID == "" || c.Source == "" || seen[c.ID] {
				t.Fatalf("%s: vector %d: missing or repeated id %q, or no source", path, i, c.ID)
			}
			seen[c.ID] = true
			t.Run(filepath.Base(path)+"/"+c.ID, func(t *testing.T) { run(t, v, broken) })
		}
	}
}

func TestVectors(t *testing.T) { checkVectors(t, false) }

func decodeVector(t *testing.T, raw json.RawMessage, v any) {
	t.Helper()
	if err := strict(raw, v); err != nil {
		t.Fatalf("vector: %v", err)
	}
}

// wantError checks an error's kind against the vector's error_kind.
func wantError(t *testing.T, err error, kind string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an error of kind %q", err, kind)
	}
	if e.Kind() != kind || e.Message == "" {
		t.Fatalf("error %q has kind %q (status %d), want %q", e.Message, e.Kind(), e.Status, kind)
	}
}

// refused checks that no verdict was given under a failed self-test.
func refused[T any](t *testing.T, got *T, err error) {
	t.Helper()
	var e *Error
	if got != nil {
		t.Fatalf("a verdict was given although the self-test failed: %+v", got)
	}
	if !errors.Is(err, ErrSelfTestFailed) && !(errors.As(err, &e) && e.Status >= 200 && e.Status < 300) {
		t.Fatalf("got %v, want ErrSelfTestFailed", err)
	}
}

type verdictExpect struct {
	Valid        bool              `json:"valid"`
	Compliant    *bool             `json:"compliant"`
	Allowed      *bool             `json:"allowed"`
	Codes        []string          `json:"codes"`
	Remediations map[string]string `json:"remediations"`
	ErrorKind    string            `json:"error_kind"`
}

func versionVector(t *testing.T, raw json.RawMessage, _ bool) {
	var v struct {
		common
		Input  string `json:"input"`
		Expect struct {
			Valid         bool            `json:"valid"`
			Version       string          `json:"version"`
			Fips          bool            `json:"fips"`
			FipsBuild     present[uint64] `json:"fips_build"`
			KubernetesTag present[string] `json:"kubernetes_tag"`
			EtcdTag       present[string] `json:"etcd_tag"`
		} `json:"expect"`
	}
	decodeVector(t, raw, &v)
	for component, tag := range map[Component]present[string]{Kubernetes: v.Expect.KubernetesTag, Etcd: v.Expect.EtcdTag} {
		info, err := ParseVersion(v.Input, component)
		made, tagErr := VersionToTag(v.Input, component)
		switch {
		case !v.Expect.Valid:
			wantError(t, err, "version")
			wantError(t, tagErr, "version")
		case !tag.Set || !v.Expect.FipsBuild.Set:
			t.Fatalf("a valid version vector gives fips_build and both tags, null or not")
		case err != nil:
			t.Fatalf("%s: %v", component, err)
		default:
			want := VersionInfo{Input: v.Input, Version: v.Expect.Version, Fips: v.Expect.Fips,
				FipsBuild: v.Expect.FipsBuild.Value, Tag: tag.Value, Component: component}
			if !reflect.DeepEqual(*info, want) {
				t.Fatalf("%s: got %s, want %s", component, show(*info), show(want))
			}
			if tag.Value == nil {
				// A valid version with no tag (over 128 characters).
				if !errors.Is(tagErr, &Error{Status: StatusTagInvalid}) {
					t.Fatalf("%s: got %q, %v; want StatusTagInvalid", component, made, tagErr)
				}
			} else if tagErr != nil || made != *tag.Value {
				t.Fatalf("%s: tag %q, %v; want %q", component, made, tagErr, *tag.Value)
			}
		}
	}
}

func tagVector(t *testing.T, raw json.RawMessage, _ bool) {
	var v struct {
		common
		Tag    string `json:"tag"`
		Expect struct {
			Valid   bool   `json:"valid"`
			Version string `json:"version"`
			Error   string `json:"error"`
		} `json:"expect"`
	}
	decodeVector(t, raw, &v)
	got, err := TagToVersion(v.Tag)
	if v.Expect.Valid {
		if err != nil || got != v.Expect.Version {
			t.Fatalf("got %q, %v; want %q", got, err, v.Expect.Version)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Kind() != "tag" || e.Variant() != v.Expect.Error || got != "" {
		t.Fatalf("got %q, %v; want a tag error %q", got, err, v.Expect.Error)
	}
}

func imageVector(t *testing.T, raw json.RawMessage, _ bool) {
	var v struct {
		common
		Input  string `json:"input"`
		Expect struct {
			Valid bool `json:"valid"`
			ImageRef
		} `json:"expect"`
	}
	decodeVector(t, raw, &v)
	got, err := ParseImage(v.Input)
	if !v.Expect.Valid {
		wantError(t, err, "image")
		return
	}
	if err != nil || !reflect.DeepEqual(*got, v.Expect.ImageRef) {
		t.Fatalf("got %+v, %v; want %+v", got, err, v.Expect.ImageRef)
	}
}

// checkReport compares a verdict with the vector's expectation.
func checkReport(t *testing.T, expect verdictExpect, positive *bool, got bool, findings []Finding, err error) {
	t.Helper()
	if !expect.Valid {
		wantError(t, err, expect.ErrorKind)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if positive == nil || *positive != got {
		t.Fatalf("verdict %v, want %v", got, positive)
	}
	if codes := codes(findings); !reflect.DeepEqual(codes, append([]string{}, expect.Codes...)) {
		t.Fatalf("codes %v, want %v", codes, expect.Codes)
	}
	for code, flag := range expect.Remediations {
		found := false
		for _, f := range findings {
			if f.Code == code {
				found = true
				if f.Remediation != flag {
					t.Fatalf("%s: remediation %q, want %q", code, f.Remediation, flag)
				}
				break
			}
		}
		if !found {
			t.Fatalf("no finding %s", code)
		}
	}
}

func requestVector(t *testing.T, raw json.RawMessage, broken bool) {
	var v struct {
		common
		Args   []string        `json:"args"`
		JSON   json.RawMessage `json:"json"`
		Policy *string         `json:"policy"`
		Expect verdictExpect   `json:"expect"`
	}
	decodeVector(t, raw, &v)
	var policy *Policy
	if v.Policy != nil {
		var err error
		if policy, err = PolicyFromFile(filepath.Join(repoTop(t), *v.Policy)); err != nil {
			t.Fatal(err)
		}
		defer policy.Close()
	}
	var report *Report
	var err error
	switch {
	case v.Args != nil && v.JSON == nil:
		report, err = ValidateArgs(policy, v.Args)
	case v.JSON != nil && v.Args == nil:
		report, err = ValidateJSON(policy, v.JSON)
	default:
		t.Fatal("a request vector has exactly one of args and json")
	}
	if broken {
		refused(t, report, err)
		return
	}
	if report == nil {
		report = &Report{}
	}
	checkReport(t, v.Expect, v.Expect.Compliant, report.Compliant, report.Findings, err)
}

func transitionVector(t *testing.T, raw json.RawMessage, broken bool) {
	var v struct {
		common
		Current string        `json:"current"`
		Desired string        `json:"desired"`
		Expect  verdictExpect `json:"expect"`
	}
	decodeVector(t, raw, &v)
	report, err := CheckTransition(nil, v.Current, v.Desired)
	if broken {
		refused(t, report, err)
		return
	}
	if report == nil {
		report = &TransitionReport{}
	}
	checkReport(t, v.Expect, v.Expect.Allowed, report.Allowed, report.Findings, err)
}

func osReleaseVector(t *testing.T, raw json.RawMessage, _ bool) {
	var v struct {
		common
		Text   *string `json:"text"`
		Root   *string `json:"root"`
		Path   *string `json:"path"`
		Expect struct {
			Fields       map[string]string `json:"fields"`
			ID           *string           `json:"id"`
			IgnoredLines *[]int            `json:"ignored_lines"`
		} `json:"expect"`
	}
	decodeVector(t, raw, &v)
	var text string
	switch {
	case v.Text != nil && v.Root == nil && v.Path == nil:
		text = *v.Text
	case v.Text == nil && v.Root != nil && v.Path != nil:
		data, err := os.ReadFile(filepath.Join(repoTop(t), *v.Root, *v.Path))
		if err != nil {
			t.Fatal(err)
		}
		text = string(data)
	default:
		t.Fatal("give text, or root and path")
	}
	got, err := ParseOSRelease(text)
	if err != nil {
		t.Fatal(err)
	}
	if v.Text == nil {
		// File vectors carry CPython's result, which holds os-release(5)'s defaults.
		for key, value := range map[string]string{"NAME": "Linux", "ID": "linux", "PRETTY_NAME": "Linux"} {
			if _, ok := got.Fields[key]; !ok {
				got.Fields[key] = value
			}
		}
	}
	if !reflect.DeepEqual(got.Fields, v.Expect.Fields) {
		t.Fatalf("fields differ:\n got %v\nwant %v", sorted(got.Fields), sorted(v.Expect.Fields))
	}
	if v.Expect.ID != nil && got.ID != *v.Expect.ID {
		t.Fatalf("id %q, want %q", got.ID, *v.Expect.ID)
	}
	if v.Expect.IgnoredLines != nil && !reflect.DeepEqual(append([]int{}, got.IgnoredLines...), append([]int{}, *v.Expect.IgnoredLines...)) {
		t.Fatalf("ignored lines %v, want %v", got.IgnoredLines, *v.Expect.IgnoredLines)
	}
}

func sorted(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k+"="+m[k])
	}
	sort.Strings(keys)
	return strings.Join(keys, " ")
}

type osExpect struct {
	ID      string  `json:"id"`
	Version *string `json:"version"`
}

func hostVector(t *testing.T, raw json.RawMessage, broken bool) {
	var v struct {
		common
		Root   string `json:"root"`
		Expect struct {
			Valid        bool              `json:"valid"`
			OS           present[osExpect] `json:"os"`
			OSSupported  bool              `json:"os_supported"`
			FipsMode     present[bool]     `json:"fips_mode"`
			FipsPrepared bool              `json:"fips_prepared"`
			Compliant    bool              `json:"compliant"`
			Codes        []string          `json:"codes"`
			ErrorKind    string            `json:"error_kind"`
		} `json:"expect"`
	}
	decodeVector(t, raw, &v)
	host, err := ProbeHost(nil, filepath.Join(repoTop(t), v.Root))
	e := v.Expect
	switch {
	case broken:
		refused(t, host, err)
	case !e.Valid:
		wantError(t, err, e.ErrorKind)
	case err != nil:
		t.Fatal(err)
	case !e.OS.Set || !e.FipsMode.Set:
		t.Fatal("a valid host vector gives os and fips_mode, null or not")
	default:
		var os *osExpect
		if host.OS != nil {
			os = &osExpect{ID: host.OS.ID, Version: host.OS.Version}
		}
		got := []any{os, host.OSSupported, host.FipsMode, host.FipsPrepared, host.Compliant, append([]string{}, host.Codes()...)}
		want := []any{e.OS.Value, e.OSSupported, e.FipsMode.Value, e.FipsPrepared, e.Compliant, append([]string{}, e.Codes...)}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got  %s\nwant %s", show(got), show(want))
		}
	}
}

func show(v any) string {
	out, _ := json.Marshal(v)
	return string(out)
}

func distroVector(t *testing.T, raw json.RawMessage, broken bool) {
	var v struct {
		common
		Root   string `json:"root"`
		Expect struct {
			ID        present[string] `json:"id"`
			Version   present[string] `json:"version"`
			Supported bool            `json:"supported"`
		} `json:"expect"`
	}
	decodeVector(t, raw, &v)
	host, err := ProbeHost(nil, filepath.Join(repoTop(t), v.Root))
	if broken {
		refused(t, host, err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !v.Expect.ID.Set || !v.Expect.Version.Set {
		t.Fatal("a distro vector gives id and version, null or not")
	}
	var id, version *string
	if host.OS != nil {
		id, version = &host.OS.ID, host.OS.Version
	}
	got := []any{id, version, host.OSSupported}
	want := []any{v.Expect.ID.Value, v.Expect.Version.Value, v.Expect.Supported}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %s, want %s", show(got), show(want))
	}
}

// errorCall runs the call an errors.json vector names; paths are relative to the top.
func errorCall(t *testing.T, call string, input []string) error {
	top := repoTop(t)
	one := func() string {
		if len(input) != 1 {
			t.Fatalf("%s takes one input, got %q", call, input)
		}
		return input[0]
	}
	var err error
	switch call {
	case "version":
		_, err = ParseVersion(one(), Kubernetes)
	case "tag":
		_, err = TagToVersion(one())
	case "image":
		_, err = ParseImage(one())
	case "request-args":
		_, err = ValidateArgs(nil, input)
	case "request-json":
		_, err = ValidateJSON(nil, []byte(one()))
	case "transition":
		if len(input) != 2 {
			t.Fatalf("transition takes current and desired, got %q", input)
		}
		_, err = CheckTransition(nil, input[0], input[1])
	case "policy-toml":
		_, err = PolicyFromTOML(one())
	case "policy-file":
		_, err = PolicyFromFile(filepath.Join(top, one()))
	case "host":
		_, err = ProbeHost(nil, filepath.Join(top, one()))
	case "scan":
		paths := make([]string, len(input))
		for i, p := range input {
			paths[i] = filepath.Join(top, p)
		}
		_, err = Scan(nil, paths...)
	default:
		t.Fatalf("unknown call %q", call)
	}
	return err
}

func errorVector(t *testing.T, raw json.RawMessage, broken bool) {
	var v struct {
		common
		Call   string   `json:"call"`
		Input  []string `json:"input"`
		Expect struct {
			Kind    string `json:"kind"`
			Variant string `json:"variant"`
		} `json:"expect"`
	}
	decodeVector(t, raw, &v)
	if v.Input == nil {
		t.Fatal("input is missing")
	}
	err := errorCall(t, v.Call, v.Input)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an error %s/%s", err, v.Expect.Kind, v.Expect.Variant)
	}
	// A failed self-test may come before the input is judged: no verdict either way.
	if broken && errors.Is(err, ErrSelfTestFailed) {
		return
	}
	if e.Kind() != v.Expect.Kind || e.Variant() != v.Expect.Variant || e.Message == "" {
		t.Fatalf("error %q is %s/%s (status %d), want %s/%s", e.Message, e.Kind(), e.Variant(),
			e.Status, v.Expect.Kind, v.Expect.Variant)
	}
}

// readManifests reads the manifests a vector names (paths from the top), one after another
// as one YAML stream.
func readManifests(t *testing.T, paths []string) []byte {
	t.Helper()
	if len(paths) == 0 {
		t.Fatal("an empty list of manifests")
	}
	var all [][]byte
	for _, p := range paths {
		text, err := os.ReadFile(filepath.Join(repoTop(t), p))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, text)
	}
	return bytes.Join(all, []byte("\n---\n"))
}

// auditFinding is a finding as audit.json gives it: code, the kind of the object it points
// into ("" for none), the field, and the remediation when the vector pins it.
type auditFinding struct {
	Code        string  `json:"code"`
	Kind        string  `json:"kind"`
	Field       string  `json:"field"`
	Remediation *string `json:"remediation"`
}

// auditVector checks Audit and AuditUpdate as fips-core/tests/audit_vectors.rs checks
// fips-core's audit (tests/vectors/audit_loader.rs, check_report).
func auditVector(t *testing.T, raw json.RawMessage, broken bool) {
	var v struct {
		common
		Manifests []string `json:"manifests"`
		Text      *string  `json:"text"`
		Old       []string `json:"old"`
		Policy    string   `json:"policy"`
		Expect    struct {
			Valid     bool           `json:"valid"`
			Compliant *bool          `json:"compliant"`
			Clusters  *int           `json:"clusters"`
			Findings  []auditFinding `json:"findings"`
			ErrorKind string         `json:"error_kind"`
		} `json:"expect"`
	}
	decodeVector(t, raw, &v)
	if (v.Manifests != nil) == (v.Text != nil) {
		t.Fatal("an audit vector has exactly one of manifests and text")
	}
	if v.Expect.Valid != (v.Expect.ErrorKind == "") {
		t.Fatal("error_kind exactly when not valid")
	}
	var manifest []byte
	if v.Text != nil {
		manifest = []byte(*v.Text)
	} else {
		manifest = readManifests(t, v.Manifests)
	}
	var policy *Policy
	if v.Policy != "" {
		p, err := PolicyFromFile(filepath.Join(repoTop(t), v.Policy))
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		policy = p
	}
	var report *AuditReport
	var err error
	if v.Old != nil {
		report, err = AuditUpdate(policy, readManifests(t, v.Old), manifest)
	} else {
		report, err = Audit(policy, manifest)
	}
	switch {
	case broken:
		refused(t, report, err)
		return
	case !v.Expect.Valid:
		if report != nil {
			t.Fatalf("a report with an error: %v", report)
		}
		wantError(t, err, v.Expect.ErrorKind)
		return
	case err != nil:
		t.Fatalf("unexpected error: %v", err)
	}
	if v.Expect.Compliant == nil || report.Compliant != *v.Expect.Compliant {
		t.Fatalf("compliant: got %v, want %v", report, show(v.Expect.Compliant))
	}
	if v.Expect.Clusters != nil && len(report.Clusters) != *v.Expect.Clusters {
		t.Fatalf("clusters: got %d, want %d: %v", len(report.Clusters), *v.Expect.Clusters, report)
	}
	var got []auditFinding
	for _, c := range report.Clusters {
		for _, f := range c.Findings {
			kind := ""
			if f.Object != nil {
				kind = f.Object.Kind
			}
			remediation := f.Remediation
			got = append(got, auditFinding{f.Code, kind, f.Field, &remediation})
		}
	}
	if len(got) != len(v.Expect.Findings) {
		t.Fatalf("findings: got %s, want %s", show(got), show(v.Expect.Findings))
	}
	for i, w := range v.Expect.Findings {
		g := got[i]
		if g.Code != w.Code || g.Kind != w.Kind || g.Field != w.Field ||
			(w.Remediation != nil && *g.Remediation != *w.Remediation) {
			t.Fatalf("finding %d: got %s, want %s", i, show(got), show(v.Expect.Findings))
		}
	}
}
