package fips

// #include "fips.h"
import "C"

import "fmt"

// Status is a libfips status (fips_status in fips.h). Its values are stable forever.
type Status uint32

// The statuses, in their bands: 0 success; 1xx a negative verdict (not an error in Go: the
// report says it); 2xx bad input; 3xx the crypto self-test failed; 4xx a defect in libfips.
const (
	StatusOK                Status = C.FIPS_STATUS_OK
	StatusNotCompliant      Status = C.FIPS_STATUS_NOT_COMPLIANT
	StatusTransitionRefused Status = C.FIPS_STATUS_TRANSITION_REFUSED
	StatusHostNotCompliant  Status = C.FIPS_STATUS_HOST_NOT_COMPLIANT
	StatusScanNotCompliant  Status = C.FIPS_STATUS_SCAN_NOT_COMPLIANT
	StatusAuditNotCompliant Status = C.FIPS_STATUS_AUDIT_NOT_COMPLIANT
	StatusNullParameter     Status = C.FIPS_STATUS_NULL_PARAMETER
	StatusInvalidUTF8       Status = C.FIPS_STATUS_INVALID_UTF8
	StatusInputTooLarge     Status = C.FIPS_STATUS_INPUT_TOO_LARGE
	StatusEmbeddedNul       Status = C.FIPS_STATUS_EMBEDDED_NUL
	StatusOptionsInvalid    Status = C.FIPS_STATUS_OPTIONS_INVALID
	StatusVersionInvalid    Status = C.FIPS_STATUS_VERSION_INVALID
	StatusTagInvalid        Status = C.FIPS_STATUS_TAG_INVALID
	StatusTagLossy          Status = C.FIPS_STATUS_TAG_LOSSY
	StatusTagNotAVersion    Status = C.FIPS_STATUS_TAG_NOT_A_VERSION
	StatusComponentUnknown  Status = C.FIPS_STATUS_COMPONENT_UNKNOWN
	StatusImageInvalid      Status = C.FIPS_STATUS_IMAGE_INVALID
	StatusRequestInvalid    Status = C.FIPS_STATUS_REQUEST_INVALID
	StatusPolicyInvalid     Status = C.FIPS_STATUS_POLICY_INVALID
	StatusRootUnreadable    Status = C.FIPS_STATUS_ROOT_UNREADABLE
	StatusScanFailed        Status = C.FIPS_STATUS_SCAN_FAILED
	StatusFileUnreadable    Status = C.FIPS_STATUS_FILE_UNREADABLE
	StatusManifestInvalid   Status = C.FIPS_STATUS_MANIFEST_INVALID
	StatusSelfTestFailed    Status = C.FIPS_STATUS_SELF_TEST_FAILED
	StatusPanic             Status = C.FIPS_STATUS_PANIC
	StatusInternal          Status = C.FIPS_STATUS_INTERNAL
)

var statusNames = map[Status]string{
	StatusOK: "StatusOK", StatusNotCompliant: "StatusNotCompliant",
	StatusTransitionRefused: "StatusTransitionRefused", StatusHostNotCompliant: "StatusHostNotCompliant",
	StatusScanNotCompliant: "StatusScanNotCompliant", StatusAuditNotCompliant: "StatusAuditNotCompliant",
	StatusNullParameter: "StatusNullParameter", StatusInvalidUTF8: "StatusInvalidUTF8",
	StatusInputTooLarge: "StatusInputTooLarge", StatusEmbeddedNul: "StatusEmbeddedNul",
	StatusOptionsInvalid: "StatusOptionsInvalid",
	StatusVersionInvalid: "StatusVersionInvalid", StatusTagInvalid: "StatusTagInvalid",
	StatusTagLossy: "StatusTagLossy", StatusTagNotAVersion: "StatusTagNotAVersion",
	StatusComponentUnknown: "StatusComponentUnknown", StatusImageInvalid: "StatusImageInvalid",
	StatusRequestInvalid: "StatusRequestInvalid", StatusPolicyInvalid: "StatusPolicyInvalid",
	StatusRootUnreadable: "StatusRootUnreadable", StatusScanFailed: "StatusScanFailed",
	StatusFileUnreadable: "StatusFileUnreadable", StatusManifestInvalid: "StatusManifestInvalid",
	StatusSelfTestFailed: "StatusSelfTestFailed", StatusPanic: "StatusPanic", StatusInternal: "StatusInternal",
}

// String is the status's name in this package ("StatusNotCompliant"), or "Status(N)" for
// a value this package does not know (a newer libfips).
func (s Status) String() string {
	if name, ok := statusNames[s]; ok {
		return name
	}
	return fmt.Sprintf("Status(%d)", uint32(s))
}

// Error is a call that gave no result: its status and libfips' explanation, which names the
// function, the parameter or field, and what to change.
type Error struct {
	Status  Status
	Message string
	kind    string
	variant string
}

func (e *Error) Error() string { return e.Message }

// Kind is the failure domain, for programs to match on (never the message): "version",
// "tag", "image", "request", "policy", "root", "scan", "file", "manifest" or "selftest" as
// Error::kind() in Rust
// and error.kind in `fipsctl --json`; "input" for NULL, non-UTF-8, oversized or NUL-holding
// input; "internal" for a defect in libfips. It is libfips' fips_last_error_kind().
func (e *Error) Kind() string { return e.kind }

// Variant is the error within its kind, in kebab-case ("lossy", "invalid-tag",
// "missing-value", "no-paths", ... as Error::variant() in Rust and error.variant in
// `fipsctl --json`; "null-parameter", "invalid-utf8", "input-too-large", "embedded-nul" for
// kind "input"; "panic" or "internal" for kind "internal"). It is libfips'
// fips_last_error_variant(). Names never change meaning.
func (e *Error) Variant() string { return e.variant }

// Is matches errors of the same status, so that errors.Is(err, fips.ErrSelfTestFailed)
// holds for every failed self-test.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == e.Status
}

// ErrSelfTestFailed is the error of every verdict once the crypto self-test has failed: no
// verdict is given (fail closed). Match it with errors.Is.
var ErrSelfTestFailed = &Error{Status: StatusSelfTestFailed, Message: "crypto self-test failed",
	kind: "selftest", variant: "kat-failed"}

// The errors this package finds before or after calling libfips carry the names libfips
// gives the same failures (fips_status.own_error in fips-ffi).

func nulError(function, param string, at int) error {
	return &Error{
		Status: StatusEmbeddedNul,
		Message: fmt.Sprintf("%s: %s holds a NUL byte at offset %d; libfips takes C strings, "+
			"which end at their first NUL: remove it", function, param, at),
		kind: "input", variant: "embedded-nul",
	}
}

func nullError(message string) *Error {
	return &Error{Status: StatusNullParameter, Message: message, kind: "input", variant: "null-parameter"}
}

// internalError is a defect: libfips' answer is not what its contract says.
func internalError(message string) *Error {
	return &Error{Status: StatusInternal, Message: message, kind: "internal", variant: "internal"}
}
