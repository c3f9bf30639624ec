package fips

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// The Go shapes of the fips-core types: the same JSON as Rust's serde and `fipsctl --json`.

// Component is a component whose images a provisioner pulls; each has its own tag rule.
type Component string

// The components with a tag rule.
const (
	Kubernetes Component = "kubernetes"
	Etcd       Component = "etcd"
)

// Finding is one thing a verdict found, with the flag it concerns and the exact fix.
type Finding struct {
	Code        string `json:"code"`        // stable, e.g. FIPS-K8S-NOT-FIPS-BUILD (see Codes)
	Severity    string `json:"severity"`    // "info", "warning" or "error"
	Field       string `json:"field"`       // the flag, field or file, e.g. --kubernetes-version
	Message     string `json:"message"`     // what was found, naming the value
	Remediation string `json:"remediation"` // what to do: for requests, the exact flag
}

// Report is the verdict on a cluster request: compliant exactly when no finding is an error.
type Report struct {
	Compliant bool      `json:"compliant"`
	Findings  []Finding `json:"findings"`
}

// Codes are the codes of the findings, in order.
func (r *Report) Codes() []string { return codes(r.Findings) }

// TransitionReport is the verdict on moving a cluster from one Kubernetes version to another.
type TransitionReport struct {
	Allowed  bool      `json:"allowed"`
	Current  string    `json:"current"`
	Desired  string    `json:"desired"`
	Findings []Finding `json:"findings"`
}

// Codes are the codes of the findings, in order.
func (r *TransitionReport) Codes() []string { return codes(r.Findings) }

// HostOS is the operating system a probed root holds.
type HostOS struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	VersionID  *string `json:"version_id"`
	Version    *string `json:"version"` // major.minor where known (CentOS 7: from centos-release)
	PrettyName string  `json:"pretty_name"`
}

// HostSignals are the FIPS signals found under a root; nil where the file is absent.
type HostSignals struct {
	FipsEnabled         *bool   `json:"fips_enabled"`
	CmdlineFips         *bool   `json:"cmdline_fips"`
	SystemFips          bool    `json:"system_fips"`
	CryptoPolicyConfig  *string `json:"crypto_policy_config"`
	CryptoPolicyCurrent *string `json:"crypto_policy_current"`
	GrubCmdlineFips     *bool   `json:"grub_cmdline_fips"`
	BlsEntriesFips      *bool   `json:"bls_entries_fips"`
}

// HostFips is the verdict on a host or a mounted OS image.
type HostFips struct {
	Root         string      `json:"root"`
	OS           *HostOS     `json:"os"` // nil when no os-release was found
	OSSupported  bool        `json:"os_supported"`
	FipsMode     *bool       `json:"fips_mode"` // nil when the root has no proc/ (an image)
	FipsPrepared bool        `json:"fips_prepared"`
	Signals      HostSignals `json:"signals"`
	Compliant    bool        `json:"compliant"`
	Findings     []Finding   `json:"findings"`
}

// Codes are the codes of the findings, in order.
func (h *HostFips) Codes() []string { return codes(h.Findings) }

// KatResult is one Known-Answer Test's outcome.
type KatResult struct {
	Name       string `json:"name"`
	Source     string `json:"source"`
	Passed     bool   `json:"passed"`
	DurationNs uint64 `json:"duration_ns"`
	Error      string `json:"error,omitempty"`
}

// SelfTestReport is the outcome of the crypto self-test suite.
type SelfTestReport struct {
	Passed     bool        `json:"passed"`
	FipsModule bool        `json:"fips_module"` // true only on the FIPS-validated AWS-LC module
	Module     string      `json:"module"`
	Kats       []KatResult `json:"kats"`
}

// VersionInfo describes a version: whether it is a FIPS build, and its image tag.
type VersionInfo struct {
	Input     string    `json:"input"`
	Version   string    `json:"version"` // without the leading v
	Fips      bool      `json:"fips"`
	FipsBuild *uint64   `json:"fips_build"` // N of +fips.N
	Tag       *string   `json:"tag"`        // nil for a version too long for any tag
	Component Component `json:"component"`
}

// ImageRef is a normalised container image reference.
type ImageRef struct {
	Registry   string  `json:"registry"`
	Repository string  `json:"repository"`
	Tag        *string `json:"tag"`
	Digest     *string `json:"digest"`
	Reference  string  `json:"reference"` // registry/repository[:tag][@digest]
}

// OSRelease is parsed os-release text: the fields as written, the lines that were ignored
// (1-based), and the ID with os-release(5)'s default ("linux").
type OSRelease struct {
	Fields       map[string]string `json:"fields"`
	IgnoredLines []int             `json:"ignored_lines"`
	ID           string            `json:"id"`
}

// CodeInfo is one entry of the finding-code registry.
type CodeInfo struct {
	Code    string `json:"code"`
	Area    string `json:"area"` // request, transition, host, scan or module
	Summary string `json:"summary"`
}

// Request is what a create-cluster call asks for; empty fields are left out, as flags that
// were not given (and judged by what the provisioner would use in their place).
type Request struct {
	Provider                  string      `json:"provider,omitempty"`
	ClusterName               string      `json:"cluster_name,omitempty"`
	KubernetesVersion         string      `json:"kubernetes_version,omitempty"`
	KubernetesImageRepository string      `json:"kubernetes_image_repository,omitempty"`
	EtcdVersion               string      `json:"etcd_version,omitempty"`
	EtcdImageRepository       string      `json:"etcd_image_repository,omitempty"`
	AMI                       string      `json:"ami,omitempty"`
	OS                        *OSSpec     `json:"os,omitempty"`
	OtherFlags                []OtherFlag `json:"other_flags,omitempty"`
	OtherArgs                 []string    `json:"other_args,omitempty"`
}

// OSSpec is the operating system a request asks for, e.g. rhel 8.4.
type OSSpec struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// OtherFlag is a flag a request keeps but FIPS does not judge.
type OtherFlag struct {
	Flag  string  `json:"flag"`
	Value *string `json:"value"`
}

// ScanReport is the verdict on scanned binaries and images: compliant exactly when no result
// and no finding is an error, that is, every binary the policy names as a component is a
// FIPS build with an accepted crypto module.
type ScanReport struct {
	Results   []ScanResult `json:"results"`
	Findings  []Finding    `json:"findings"` // about the scan itself (the crypto module rule)
	Compliant bool         `json:"compliant"`
}

// ScanResult is the verdict on one file: its Go build information as `go version -m` prints
// it, the crypto module it links, the evidence for it, and findings with stable codes.
type ScanResult struct {
	Path         string        `json:"path"`          // a host path, or <archive>[@<image>]!/<path in image>
	Format       string        `json:"format"`        // "go", "elf" or "other"
	GoVersion    *string       `json:"go_version"`    // e.g. go1.26.8-X:boringcrypto; nil unless Go
	Package      string        `json:"package"`       // the main package (`path` line)
	Main         *GoModule     `json:"main"`          // the main module (`mod` line)
	Deps         []GoModule    `json:"deps"`          // the `dep` lines
	Settings     BuildSettings `json:"settings"`      // the `build` lines, in order, unquoted
	CryptoModule string        `json:"crypto_module"` // boringcrypto, go-fips140, openssl, aws-lc, aws-lc-fips, boringssl, boringssl-fips, standard, none, unknown
	FipsOnly     bool          `json:"fips_only"`     // crypto/tls/fipsonly is linked
	Component    bool          `json:"component"`     // the policy names it: it must be a FIPS build
	Stripped     *bool         `json:"stripped"`      // no symbol table (ELF files only)
	Needed       []string      `json:"needed"`        // DT_NEEDED shared libraries
	Evidence     []Evidence    `json:"evidence"`
	Findings     []Finding     `json:"findings"`
	Compliant    bool          `json:"compliant"`
	BytesRead    uint64        `json:"bytes_read"` // read from the file to judge it
}

// Codes are the codes of the findings, in order.
func (r *ScanResult) Codes() []string { return codes(r.Findings) }

// GoModule is a module line of Go build information: path, version, checksum, and the
// module that replaced it (a `=>` line).
type GoModule struct {
	Path    string    `json:"path"`
	Version string    `json:"version"` // or (devel)
	Sum     string    `json:"sum"`     // h1: checksum; empty when the binary records none
	Replace *GoModule `json:"replace"`
}

// BuildSetting is one `build` line: key and value (unquoted), as runtime/debug.BuildSetting.
type BuildSetting struct {
	Key, Value string
}

// BuildSettings are the build settings in the binary's order: a JSON object in libfips'
// output, kept in order here (a map would lose it).
type BuildSettings []BuildSetting

// Get is the value of the last setting named key (Go keeps the last one too), and whether
// there is one.
func (s BuildSettings) Get(key string) (string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].Key == key {
			return s[i].Value, true
		}
	}
	return "", false
}

// UnmarshalJSON reads a JSON object of string values, keeping the order of its keys.
func (s *BuildSettings) UnmarshalJSON(raw []byte) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("build settings: want a JSON object, got %s", raw)
	}
	out := BuildSettings{}
	for d.More() {
		key, err := d.Token()
		if err != nil {
			return err
		}
		var value string
		if err := d.Decode(&value); err != nil {
			return fmt.Errorf("build setting %v: %w", key, err)
		}
		out = append(out, BuildSetting{Key: key.(string), Value: value})
	}
	if _, err := d.Token(); err != nil {
		return err
	}
	*s = out
	return nil
}

// Evidence is one reason for a verdict: where it was read (version, setting, symbol, bytes,
// dynamic), what was read, and what it signals (boringcrypto, fips-only, go-fips140,
// go-fips140-snapshot, openssl, libcrypto, standard-crypto, go-crypto, aws-lc, aws-lc-fips,
// boringssl, boringssl-fips-module).
type Evidence struct {
	Source string `json:"source"`
	Marker string `json:"marker"`
	Signal string `json:"signal"`
}

func codes(findings []Finding) []string {
	out := make([]string, len(findings))
	for i, f := range findings {
		out[i] = f.Code
	}
	return out
}

// Codes are the codes of every finding: each result's, in order, then the report's own.
func (r *ScanReport) Codes() []string {
	out := []string{}
	for i := range r.Results {
		out = append(out, r.Results[i].Codes()...)
	}
	return append(out, codes(r.Findings)...)
}

// The String methods make %v print what a reader needs (a struct of pointers prints
// addresses): the verdict and its codes, as fipsctl's summary lines do.

// String is "CODE (severity) field: message; fix: remediation".
func (f Finding) String() string {
	return fmt.Sprintf("%s (%s) %s: %s; fix: %s", f.Code, f.Severity, f.Field, f.Message, f.Remediation)
}

// String is "compliant=false codes=[...]".
func (r Report) String() string {
	return fmt.Sprintf("compliant=%t codes=%v", r.Compliant, codes(r.Findings))
}

// String is "allowed=false current -> desired codes=[...]".
func (r TransitionReport) String() string {
	return fmt.Sprintf("allowed=%t %s -> %s codes=%v", r.Allowed, r.Current, r.Desired, codes(r.Findings))
}

// String is "root=... os=id version supported=... fips_mode=... compliant=... codes=[...]".
func (h HostFips) String() string {
	os := "unknown"
	if h.OS != nil {
		os = h.OS.ID
		if h.OS.Version != nil {
			os += " " + *h.OS.Version
		}
	}
	mode := "unknown"
	if h.FipsMode != nil {
		mode = fmt.Sprint(*h.FipsMode)
	}
	return fmt.Sprintf("root=%s os=%q os_supported=%t fips_mode=%s fips_prepared=%t compliant=%t codes=%v",
		h.Root, os, h.OSSupported, mode, h.FipsPrepared, h.Compliant, codes(h.Findings))
}

// String is "compliant=false results=N codes=[...]".
func (r ScanReport) String() string {
	return fmt.Sprintf("compliant=%t results=%d codes=%v", r.Compliant, len(r.Results), r.Codes())
}

// String is "path: format crypto_module compliant=... codes=[...]".
func (r ScanResult) String() string {
	return fmt.Sprintf("%s: %s %s compliant=%t codes=%v", r.Path, r.Format, r.CryptoModule, r.Compliant,
		codes(r.Findings))
}

// String is "passed=true module=... kats=N".
func (r SelfTestReport) String() string {
	return fmt.Sprintf("passed=%t fips_module=%t module=%q kats=%d", r.Passed, r.FipsModule, r.Module, len(r.Kats))
}

// String is "version (component, fips=..., tag ...)".
func (v VersionInfo) String() string {
	tag := "none"
	if v.Tag != nil {
		tag = *v.Tag
	}
	return fmt.Sprintf("%s (%s, fips=%t, tag %s)", v.Version, v.Component, v.Fips, tag)
}

// String is the normalised reference, registry/repository[:tag][@digest].
func (r ImageRef) String() string { return r.Reference }

// String is "id version (pretty name)".
func (o HostOS) String() string {
	s := o.ID
	if o.Version != nil {
		s += " " + *o.Version
	} else if o.VersionID != nil {
		s += " " + *o.VersionID
	}
	return fmt.Sprintf("%s (%s)", s, o.PrettyName)
}

// String lists each signal as key=value, "absent" where its file is absent.
func (s HostSignals) String() string {
	b := func(p *bool) string {
		if p == nil {
			return "absent"
		}
		return fmt.Sprint(*p)
	}
	str := func(p *string) string {
		if p == nil {
			return "absent"
		}
		return fmt.Sprintf("%q", *p)
	}
	return fmt.Sprintf("fips_enabled=%s cmdline_fips=%s system_fips=%t crypto_policy_config=%s "+
		"crypto_policy_current=%s grub_cmdline_fips=%s bls_entries_fips=%s", b(s.FipsEnabled), b(s.CmdlineFips),
		s.SystemFips, str(s.CryptoPolicyConfig), str(s.CryptoPolicyCurrent), b(s.GrubCmdlineFips), b(s.BlsEntriesFips))
}

// String is the request as the JSON libfips is given (empty fields left out).
func (r Request) String() string {
	text, err := json.Marshal(r)
	if err != nil {
		return fmt.Sprintf("Request(%v)", err)
	}
	return string(text)
}

// String is "--flag=value", or "--flag" for a flag without a value.
func (f OtherFlag) String() string {
	if f.Value == nil {
		return f.Flag
	}
	return f.Flag + "=" + *f.Value
}

// String is "path version", then " => replacement" as `go version -m` prints a replaced module.
func (m GoModule) String() string {
	s := m.Path + " " + m.Version
	if m.Replace != nil {
		s += " => " + m.Replace.String()
	}
	return s
}

// RegistryOptions are the registry options of ScanRegistry, as `fipsctl scan docker://REF`
// takes them; the zero value of a field is its default. They cross to libfips as the
// options_json object of fips_scan_registry_json.
type RegistryOptions struct {
	Platform           string        // os/arch[/variant] of an image index to scan; default linux/amd64
	AllPlatforms       bool          // scan every platform of an index (not with Platform)
	InsecureRegistries []string      // HOST:PORT of the only registries spoken to over plain HTTP
	CACertificates     []string      // PEM files of CAs trusted besides the system's
	DockerConfig       string        // the config.json to read credentials from; default $DOCKER_CONFIG, ~/.docker
	ConnectTimeout     time.Duration // default 10s; rounded up to whole seconds
	ReadTimeout        time.Duration // between two reads; default 60s; rounded up to whole seconds
	MaxBlobBytes       uint64        // one blob as stored; default 8 GiB
	MaxImageBytes      uint64        // all the blobs of the image; default 16 GiB
}

// registryOptionsJSON is options_json: the names fips_scan_registry_json reads.
type registryOptionsJSON struct {
	Platform              string   `json:"platform,omitempty"`
	AllPlatforms          bool     `json:"all_platforms,omitempty"`
	InsecureRegistries    []string `json:"insecure_registries,omitempty"`
	CACertificates        []string `json:"ca_certificates,omitempty"`
	DockerConfig          string   `json:"docker_config,omitempty"`
	ConnectTimeoutSeconds uint64   `json:"connect_timeout_seconds,omitempty"`
	ReadTimeoutSeconds    uint64   `json:"read_timeout_seconds,omitempty"`
	MaxBlobBytes          uint64   `json:"max_blob_bytes,omitempty"`
	MaxImageBytes         uint64   `json:"max_image_bytes,omitempty"`
}

// seconds is d in whole seconds, rounded up (0 stays 0: the default).
func seconds(d time.Duration) uint64 {
	return uint64((d + time.Second - 1) / time.Second)
}

func (o *RegistryOptions) json(function string) (string, error) {
	if o.ConnectTimeout < 0 || o.ReadTimeout < 0 {
		return "", &Error{
			Status: StatusOptionsInvalid, Message: function + ": options: a negative time-out; give a positive one, or 0 for the default",
			kind: "input", variant: "options-invalid",
		}
	}
	text, err := json.Marshal(registryOptionsJSON{
		Platform: o.Platform, AllPlatforms: o.AllPlatforms, InsecureRegistries: o.InsecureRegistries,
		CACertificates: o.CACertificates, DockerConfig: o.DockerConfig,
		ConnectTimeoutSeconds: seconds(o.ConnectTimeout), ReadTimeoutSeconds: seconds(o.ReadTimeout),
		MaxBlobBytes: o.MaxBlobBytes, MaxImageBytes: o.MaxImageBytes,
	})
	if err != nil {
		return "", internalError(fmt.Sprintf("%s: cannot encode the options: %v", function, err))
	}
	return string(text), nil
}

// RegistryRead says where ScanRegistry read an image: the reference asked for, the location
// whose manifest was read (a policy mirror, or the reference itself) and its digest.
type RegistryRead struct {
	Reference string   `json:"reference"`        // as given (without docker://)
	Read      string   `json:"read"`             // the reference whose manifest was read
	Mirror    *string  `json:"mirror,omitempty"` // the policy mirror read, when it was one
	Digest    string   `json:"digest"`           // of the manifest (or index) read, sha256:...
	Platforms []string `json:"platforms"`        // the platforms scanned, e.g. linux/amd64
}

// RegistryScanReport is ScanRegistry's verdict: the ScanReport of the image's files, and where
// the image was read. Its JSON is what `fipsctl --json scan docker://REF` prints.
type RegistryScanReport struct {
	ScanReport
	Registry RegistryRead `json:"registry"`
}
