package fips

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

func codes(findings []Finding) []string {
	out := make([]string, len(findings))
	for i, f := range findings {
		out[i] = f.Code
	}
	return out
}
