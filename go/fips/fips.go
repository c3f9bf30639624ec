// Package fips is the Go face of libfips, the FIPS 140 compliance policy engine for
// Kubernetes provisioning: the verdicts of the Rust core (fips-core), through its C ABI,
// as Go structs and errors. The cgo stays inside this package.
//
// A negative verdict is not an error: Validate returns a Report with Compliant false and its
// findings. An error means there is no verdict: bad input (its Kind names the domain), or a
// failed crypto self-test (errors.Is(err, ErrSelfTestFailed)), after which no verdict is
// ever given (fail closed). An error's message names the Go function and parameter
// ("fips: Scan: no path to scan: ..."); programs match on its Status, Kind and Variant.
//
// Audit and AuditUpdate judge Cluster API and kubeadm objects, as `fipsctl audit` does.
// Every report has Codes and prints its verdict with %v ("compliant=false codes=[...]").
//
// A nil *Policy means the embedded default (the vendor's published FIPS matrix).
//
// Linking: libfips is found with pkg-config: the shared library (fips.pc) by default, the
// static one (fips-static.pc) with -tags fips_static. Every function is safe for concurrent
// use.
package fips

/*
#include "fips_go.h"

static fips_go_result fips_go_validate_json(const fips_policy *p, const char *request) {
	char *out = NULL;
	fips_status s = fips_validate_json(p, request, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_validate_args(const fips_policy *p, char **argv, size_t argc) {
	char *out = NULL;
	fips_status s = fips_validate_args(p, (const char *const *)argv, argc, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_check_transition(const fips_policy *p, const char *current, const char *desired) {
	char *out = NULL;
	fips_status s = fips_check_transition(p, current, desired, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_host_probe(const fips_policy *p, const char *root) {
	char *out = NULL;
	fips_status s = fips_host_probe_json(p, root, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_scan(const fips_policy *p, char **paths, size_t n_paths) {
	char *out = NULL;
	fips_status s = fips_scan_json(p, (const char *const *)paths, n_paths, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_scan_registry(const fips_policy *p, const char *reference, const char *options) {
	char *out = NULL;
	fips_status s = fips_scan_registry_json(p, reference, options, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_selftest(void) {
	char *out = NULL;
	fips_status s = fips_selftest_json(&out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_version_parse(const char *version, const char *component) {
	char *out = NULL;
	fips_status s = fips_version_parse_json(version, component, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_version_to_tag(const char *version, const char *component) {
	char *out = NULL;
	fips_status s = fips_version_to_tag(version, component, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_tag_to_version(const char *tag) {
	char *out = NULL;
	fips_status s = fips_tag_to_version(tag, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_image_parse(const char *image) {
	char *out = NULL;
	fips_status s = fips_image_parse_json(image, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_os_release_parse(const char *text) {
	char *out = NULL;
	fips_status s = fips_os_release_parse_json(text, &out);
	return fips_go_finish(s, out);
}

static fips_go_result fips_go_codes(void) {
	char *out = NULL;
	fips_status s = fips_codes_json(&out);
	return fips_go_finish(s, out);
}

typedef struct {
	fips_status status;
	fips_policy *policy;
	fips_go_error err;
} fips_go_policy_result;

static fips_go_policy_result fips_go_policy_finish(fips_status status, fips_policy *policy) {
	fips_go_policy_result r = {status, policy, fips_go_last_error(status)};
	return r;
}

static fips_go_policy_result fips_go_policy_default(void) {
	fips_policy *p = NULL;
	fips_status s = fips_policy_new_default(&p);
	return fips_go_policy_finish(s, p);
}

static fips_go_policy_result fips_go_policy_from_toml(const char *toml) {
	fips_policy *p = NULL;
	fips_status s = fips_policy_from_toml(toml, &p);
	return fips_go_policy_finish(s, p);
}

static fips_go_policy_result fips_go_policy_from_file(const char *path) {
	fips_policy *p = NULL;
	fips_status s = fips_policy_from_file(path, &p);
	return fips_go_policy_finish(s, p);
}

// The floor of the benchmarks: a cgo call that does nothing.
static void fips_go_trivial(void) {}
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"unsafe"
)

// strictJSON makes decoding refuse fields this package does not know. The tests set it, so
// that a drift between fips-core's serde shapes and these structs fails loudly there.
var strictJSON = false

// inputs is one call into libfips: the Go function's name, which every error of the call
// starts with ("fips: Scan"), the Go names of the C parameters whose names differ (libfips'
// messages name its own parameters), and the C copies of the strings of array arguments.
type inputs struct {
	function string
	cnames   map[string]string
	ptrs     []*C.char
	arrays   []**C.char
}

// add copies s for C. A NUL inside s is refused here (a C string would end there); a string
// longer than libfips' bound is copied only up to one byte past it, which libfips then
// refuses itself, without a 100 MB copy.
func (in *inputs) add(param, s string) (*C.char, error) {
	return in.addBounded(param, cut(s, C.FIPS_MAX_INPUT_BYTES))
}

// cut keeps s up to one byte past bound: enough for libfips to refuse it as too long.
func cut(s string, bound int) string {
	if len(s) > bound {
		return s[:bound+1]
	}
	return s
}

// addBounded copies s for C as add does, s already cut to the bound of its parameter.
//
// The copy is Go memory, NUL-terminated: cgo lets C read Go memory that holds no Go pointer
// for the length of a call, and libfips keeps no input pointer past its return. So no C copy
// is made and freed: a C.CString and its C.free are two cgo crossings per string, which had
// been most of a short call's cost (benches/RESULTS.md, the VersionToTag profile).
func (in *inputs) addBounded(param, s string) (*C.char, error) {
	if at := strings.IndexByte(s, 0); at >= 0 {
		return nil, nulError(in.function, param, at)
	}
	b := make([]byte, len(s)+1)
	copy(b, s)
	return (*C.char)(unsafe.Pointer(&b[0])), nil
}

// addC copies s into C memory, as add checks and bounds it: for the elements of an array
// in C memory, which may hold no Go pointer.
func (in *inputs) addC(param, s string) (*C.char, error) {
	s = cut(s, C.FIPS_MAX_INPUT_BYTES)
	if at := strings.IndexByte(s, 0); at >= 0 {
		return nil, nulError(in.function, param, at)
	}
	p := C.CString(s)
	in.ptrs = append(in.ptrs, p)
	return p, nil
}

// addArray copies strings for C into an array in C memory (libfips may keep no Go pointer,
// and none is passed), each as add does; param names them in errors (param[i]).
func (in *inputs) addArray(param string, strs []string) (**C.char, error) {
	size := C.size_t(unsafe.Sizeof((*C.char)(nil)))
	array := (**C.char)(C.malloc(C.size_t(max(len(strs), 1)) * size))
	in.arrays = append(in.arrays, array)
	elems := unsafe.Slice(array, max(len(strs), 1))
	for i, s := range strs {
		p, err := in.addC(fmt.Sprintf("%s[%d]", param, i), s)
		if err != nil {
			return nil, err
		}
		elems[i] = p
	}
	return array, nil
}

func (in *inputs) free() {
	for _, p := range in.ptrs {
		C.free(unsafe.Pointer(p))
	}
	for _, a := range in.arrays {
		C.free(unsafe.Pointer(a))
	}
}

// outcome is a call's status, its written result (if any) and its error (if an error).
type outcome struct {
	status  Status
	out     string
	written bool
	err     *Error
}

func (in *inputs) finish(r C.fips_go_result) outcome {
	o := outcome{status: Status(r.status)}
	if r.out != nil {
		o.out, o.written = C.GoString(r.out), true
		C.fips_string_free(r.out)
	}
	if err := in.lastError(o.status, r.err); o.status >= 200 {
		o.err = err
	}
	return o
}

// lastError is libfips' explanation of status (copied in C by fips_go_last_error), which it
// frees, in Go's words; nil for StatusOK.
func (in *inputs) lastError(status Status, e C.fips_go_error) *Error {
	if e.message == nil && e.kind == nil && e.variant == nil {
		// Nothing to free: no cgo crossing on the success path.
		return nil
	}
	defer C.fips_go_error_free(e)
	if e.message == nil {
		return nil
	}
	kind := goStringOrEmpty(e.kind)
	return &Error{
		Status:  status,
		Message: in.goMessage(C.GoString(e.message), kind == "input"),
		kind:    kind,
		variant: goStringOrEmpty(e.variant),
	}
}

// goMessage restates a libfips message for Go: "fips_scan_json: n_paths is 0" becomes
// "fips: Scan: len(paths) is 0". The C function that starts it becomes the Go function, and
// a C parameter named right after it becomes the Go one; in the ABI's own input errors
// (kind "input"), which never quote the caller's text, every mention of a C parameter does.
func (in *inputs) goMessage(message string, own bool) string {
	export, rest, ok := strings.Cut(message, ": ")
	if !ok || !strings.HasPrefix(export, "fips_") || strings.Trim(export, "abcdefghijklmnopqrstuvwxyz_") != "" {
		return message
	}
	for c, g := range in.cnames {
		if own {
			rest = replaceWord(rest, c, g)
		} else if after, found := strings.CutPrefix(rest, c); found && (after == "" || strings.ContainsRune(" [:", rune(after[0]))) {
			rest = g + after
		}
	}
	return in.function + ": " + rest
}

// replaceWord replaces each whole word old in s (not part of a longer identifier) with new.
func replaceWord(s, old, new string) string {
	isWord := func(b byte) bool {
		return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
	}
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(old)
		b.WriteString(s[:i])
		if (i == 0 || !isWord(s[i-1])) && (end == len(s) || !isWord(s[end])) {
			b.WriteString(new)
		} else {
			b.WriteString(old)
		}
		s = s[end:]
	}
}

func goStringOrEmpty(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

func decode(function, text string, v any) error {
	d := json.NewDecoder(strings.NewReader(text))
	if strictJSON {
		d.DisallowUnknownFields()
	}
	if err := d.Decode(v); err != nil {
		return internalError(fmt.Sprintf("%s: cannot decode libfips' result: %v", function, err))
	}
	return nil
}

// result decodes a call that gives a result on StatusOK, or on its negative status
// `negative` for a verdict, whose report must then say the same as the status (`positive`).
func result[T any](function string, o outcome, negative Status, positive func(*T) bool) (*T, error) {
	if o.err != nil {
		return nil, o.err
	}
	if !o.written || (o.status != StatusOK && o.status != negative) {
		return nil, internalError(fmt.Sprintf("%s: libfips returned status %d", function, o.status))
	}
	v := new(T)
	if err := decode(function, o.out, v); err != nil {
		return nil, err
	}
	if positive != nil && positive(v) != (o.status == StatusOK) {
		return nil, internalError(fmt.Sprintf("%s: libfips' status %d disagrees with its report", function, o.status))
	}
	return v, nil
}

func reportCompliant(r *Report) bool                   { return r.Compliant }
func transitionAllowed(r *TransitionReport) bool       { return r.Allowed }
func hostCompliant(h *HostFips) bool                   { return h.Compliant }
func selfTestPassed(r *SelfTestReport) bool            { return r.Passed }
func scanCompliant(r *ScanReport) bool                 { return r.Compliant }
func registryScanCompliant(r *RegistryScanReport) bool { return r.Compliant }

// Policy is a loaded policy: the supported FIPS builds, operating systems and registry
// mirrors. A nil *Policy means the embedded default. Close frees it (a finalizer does too);
// do not Close a policy while calls use it.
type Policy struct {
	handle *C.fips_policy
}

func (in *inputs) newPolicy(r C.fips_go_policy_result) (*Policy, error) {
	if err := in.lastError(Status(r.status), r.err); err != nil {
		return nil, err
	}
	if r.policy == nil {
		return nil, internalError(in.function + ": libfips returned no policy")
	}
	p := &Policy{handle: r.policy}
	runtime.SetFinalizer(p, (*Policy).Close)
	return p, nil
}

// DefaultPolicy is a copy of the embedded default policy.
func DefaultPolicy() (*Policy, error) {
	in := inputs{function: "fips: DefaultPolicy"}
	return in.newPolicy(C.fips_go_policy_default())
}

// PolicyFromTOML parses a policy file's text; unknown fields are refused with line and column.
func PolicyFromTOML(text string) (*Policy, error) {
	in := inputs{function: "fips: PolicyFromTOML"}
	defer in.free()
	ctext, err := in.add("toml", text)
	if err != nil {
		return nil, err
	}
	return in.newPolicy(C.fips_go_policy_from_toml(ctext))
}

// PolicyFromFile reads a policy file (at most 1 MiB).
func PolicyFromFile(path string) (*Policy, error) {
	in := inputs{function: "fips: PolicyFromFile"}
	defer in.free()
	cpath, err := in.add("path", path)
	if err != nil {
		return nil, err
	}
	return in.newPolicy(C.fips_go_policy_from_file(cpath))
}

// Close frees the policy. Calling it again does nothing.
func (p *Policy) Close() {
	if p != nil && p.handle != nil {
		C.fips_policy_free(p.handle)
		p.handle = nil
		runtime.SetFinalizer(p, nil)
	}
}

// c is the handle to pass to libfips: NULL (the embedded default) for a nil *Policy.
func (p *Policy) c(function string) (*C.fips_policy, error) {
	if p == nil {
		return nil, nil
	}
	if p.handle == nil {
		return nil, nullError(function + ": the policy was closed")
	}
	return p.handle, nil
}

// Validate judges a cluster request against policy (nil: the embedded default).
func Validate(policy *Policy, request Request) (*Report, error) {
	text, err := json.Marshal(request)
	if err != nil {
		return nil, internalError(fmt.Sprintf("fips: Validate: %v", err))
	}
	return validateJSON(inputs{function: "fips: Validate", cnames: map[string]string{"request_json": "request"}},
		policy, string(text))
}

// ValidateJSON judges a cluster request given as JSON (fips-core's ClusterRequest shape;
// unknown fields are refused) against policy (nil: the embedded default).
func ValidateJSON(policy *Policy, requestJSON []byte) (*Report, error) {
	return validateJSON(inputs{function: "fips: ValidateJSON", cnames: map[string]string{"request_json": "requestJSON"}},
		policy, string(requestJSON))
}

func validateJSON(in inputs, policy *Policy, text string) (*Report, error) {
	function := in.function
	defer in.free()
	handle, err := policy.c(function)
	if err != nil {
		return nil, err
	}
	ctext, err := in.add(in.cnames["request_json"], text)
	if err != nil {
		return nil, err
	}
	o := in.finish(C.fips_go_validate_json(handle, ctext))
	runtime.KeepAlive(policy)
	return result[Report](function, o, StatusNotCompliant, reportCompliant)
}

// ValidateArgs judges a create-cluster command line, with or without "dkp create cluster
// <provider>" in front (--flag value and --flag=value), against policy (nil: the default).
func ValidateArgs(policy *Policy, args []string) (*Report, error) {
	const function = "fips: ValidateArgs"
	in := inputs{function: function, cnames: map[string]string{"argv": "args", "argc": "len(args)"}}
	defer in.free()
	handle, err := policy.c(function)
	if err != nil {
		return nil, err
	}
	array, err := in.addArray("args", args)
	if err != nil {
		return nil, err
	}
	o := in.finish(C.fips_go_validate_args(handle, array, C.size_t(len(args))))
	runtime.KeepAlive(policy)
	return result[Report](function, o, StatusNotCompliant, reportCompliant)
}

// CheckTransition judges moving a cluster's Kubernetes version from current to desired: the
// FIPS status is fixed at creation, and a FIPS cluster moves only up to a supported build.
func CheckTransition(policy *Policy, current, desired string) (*TransitionReport, error) {
	const function = "fips: CheckTransition"
	in := inputs{function: function}
	defer in.free()
	handle, err := policy.c(function)
	if err != nil {
		return nil, err
	}
	ccurrent, err := in.add("current", current)
	if err != nil {
		return nil, err
	}
	cdesired, err := in.add("desired", desired)
	if err != nil {
		return nil, err
	}
	o := in.finish(C.fips_go_check_transition(handle, ccurrent, cdesired))
	runtime.KeepAlive(policy)
	return result[TransitionReport](function, o, StatusTransitionRefused, transitionAllowed)
}

// ProbeHost probes root ("/" for this host, or a mounted OS image), confined to it, for the
// FIPS mode signals and the OS support verdict under policy (nil: the embedded default).
func ProbeHost(policy *Policy, root string) (*HostFips, error) {
	const function = "fips: ProbeHost"
	in := inputs{function: function}
	defer in.free()
	handle, err := policy.c(function)
	if err != nil {
		return nil, err
	}
	croot, err := in.add("root", root)
	if err != nil {
		return nil, err
	}
	o := in.finish(C.fips_go_host_probe(handle, croot))
	runtime.KeepAlive(policy)
	return result[HostFips](function, o, StatusHostNotCompliant, hostCompliant)
}

// Scan judges binaries by the crypto module they link, under policy (nil: the embedded
// default), as `fipsctl scan` does: files, directories (walked, symlinks never followed), OCI
// image layout directories and `docker save` / OCI tar archives. A report with Compliant
// false is a negative verdict, not an error: some binary the policy names is not a FIPS
// build with an accepted module. An error means no verdict: a path that does not exist or
// cannot be opened (StatusFileUnreadable, Kind "file"), no path or a malformed image
// (StatusScanFailed), bad input, or a failed self-test.
func Scan(policy *Policy, paths ...string) (*ScanReport, error) {
	const function = "fips: Scan"
	in := inputs{function: function, cnames: map[string]string{"n_paths": "len(paths)"}}
	defer in.free()
	handle, err := policy.c(function)
	if err != nil {
		return nil, err
	}
	array, err := in.addArray("paths", paths)
	if err != nil {
		return nil, err
	}
	o := in.finish(C.fips_go_scan(handle, array, C.size_t(len(paths))))
	runtime.KeepAlive(policy)
	return result[ScanReport](function, o, StatusScanNotCompliant, scanCompliant)
}

// ScanRegistry reads the image reference names (REGISTRY/NAME:TAG, by digest, or either after
// docker://) straight from its registry through the OCI distribution API and judges every
// binary in it under policy (nil: the embedded default), as `fipsctl scan docker://REF` does.
// The policy's [[mirrors]] are honoured: a repository with declared mirrors is read from the
// first mirror that serves it, never from the upstream. options nil means the defaults
// (linux/amd64, HTTPS only, the Docker config's credentials; see RegistryOptions).
//
// A report with Compliant false is a negative verdict, not an error. An error means no
// verdict: an image that cannot be read (StatusScanFailed, Kind "scan": the registry cannot
// be reached, refuses, lacks the image, does not answer in time, a bound is passed, a blob
// does not match its digest; the message names the reference or digest), options libfips
// refuses (StatusOptionsInvalid, naming the field), bad input, or a failed self-test. The
// call blocks while it reads; the image is streamed, never held whole in memory.
func ScanRegistry(policy *Policy, reference string, options *RegistryOptions) (*RegistryScanReport, error) {
	const function = "fips: ScanRegistry"
	in := inputs{function: function}
	defer in.free()
	handle, err := policy.c(function)
	if err != nil {
		return nil, err
	}
	cref, err := in.add("reference", reference)
	if err != nil {
		return nil, err
	}
	var coptions *C.char
	if options != nil {
		text, err := options.json(function)
		if err != nil {
			return nil, err
		}
		if coptions, err = in.add("options", text); err != nil {
			return nil, err
		}
	}
	o := in.finish(C.fips_go_scan_registry(handle, cref, coptions))
	runtime.KeepAlive(policy)
	return result[RegistryScanReport](function, o, StatusScanNotCompliant, registryScanCompliant)
}

// SelfTest reports the crypto Known-Answer Tests (run once per process). When one failed, it
// returns the report together with an error matching ErrSelfTestFailed.
func SelfTest() (*SelfTestReport, error) {
	const function = "fips: SelfTest"
	in := inputs{function: function}
	o := in.finish(C.fips_go_selftest())
	if o.status == StatusSelfTestFailed && o.written {
		report := new(SelfTestReport)
		if err := decode(function, o.out, report); err != nil {
			return nil, err
		}
		if report.Passed {
			return nil, internalError(function + ": libfips' status disagrees with its report")
		}
		return report, o.err
	}
	return result[SelfTestReport](function, o, StatusOK, selfTestPassed)
}

// ParseVersion parses a version as Kubernetes does (optional v, surrounding whitespace,
// strict semver) and describes it for component.
func ParseVersion(version string, component Component) (*VersionInfo, error) {
	const function = "fips: ParseVersion"
	in := inputs{function: function}
	defer in.free()
	cversion, err := in.add("version", version)
	if err != nil {
		return nil, err
	}
	ccomponent, err := in.add("component", string(component))
	if err != nil {
		return nil, err
	}
	return result[VersionInfo](function, in.finish(C.fips_go_version_parse(cversion, ccomponent)), StatusOK, nil)
}

// VersionToTag is the image tag of version for component, by kubeadm's rule:
// 1.22.8+fips.0 is v1.22.8_fips.0.
func VersionToTag(version string, component Component) (string, error) {
	const function = "fips: VersionToTag"
	in := inputs{function: function}
	defer in.free()
	cversion, err := in.add("version", version)
	if err != nil {
		return "", err
	}
	ccomponent, err := in.add("component", string(component))
	if err != nil {
		return "", err
	}
	return text(function, in.finish(C.fips_go_version_to_tag(cversion, ccomponent)))
}

// TagToVersion is the version an image tag stands for (v3.4.13_fips.0 is 3.4.13+fips.0); a
// tag that cannot be turned back without guessing is refused (StatusTagLossy).
func TagToVersion(tag string) (string, error) {
	const function = "fips: TagToVersion"
	in := inputs{function: function}
	defer in.free()
	ctag, err := in.add("tag", tag)
	if err != nil {
		return "", err
	}
	return text(function, in.finish(C.fips_go_tag_to_version(ctag)))
}

func text(function string, o outcome) (string, error) {
	if o.err != nil {
		return "", o.err
	}
	if o.status != StatusOK || !o.written {
		return "", internalError(fmt.Sprintf("%s: libfips returned status %d", function, o.status))
	}
	return o.out, nil
}

// ParseImage parses and normalises a container image reference (docker.io for Docker Hub
// and its aliases, library/ for single names).
func ParseImage(reference string) (*ImageRef, error) {
	const function = "fips: ParseImage"
	in := inputs{function: function}
	defer in.free()
	cref, err := in.add("image", reference)
	if err != nil {
		return nil, err
	}
	return result[ImageRef](function, in.finish(C.fips_go_image_parse(cref)), StatusOK, nil)
}

// ParseOSRelease parses os-release text as os-release(5) defines it. It fails only on input
// libfips does not take (NUL, non-UTF-8, over 1 MiB).
func ParseOSRelease(text string) (*OSRelease, error) {
	const function = "fips: ParseOSRelease"
	in := inputs{function: function}
	defer in.free()
	ctext, err := in.add("text", text)
	if err != nil {
		return nil, err
	}
	return result[OSRelease](function, in.finish(C.fips_go_os_release_parse(ctext)), StatusOK, nil)
}

// Codes is the registry of finding codes, in order.
func Codes() ([]CodeInfo, error) {
	const function = "fips: Codes"
	in := inputs{function: function}
	list, err := result[[]CodeInfo](function, in.finish(C.fips_go_codes()), StatusOK, nil)
	if err != nil {
		return nil, err
	}
	return *list, nil
}

// LibraryVersion is the version of the libfips this program runs with.
func LibraryVersion() string {
	return C.GoString(C.fips_version())
}

// The benchmarks' floors (see fips_bench_test.go): a trivial cgo call, and a call into
// libfips that does nothing but cross its panic boundary.
func cgoTrivial()     { C.fips_go_trivial() }
func libNoop() Status { return Status(C.fips_noop()) }
