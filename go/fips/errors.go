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
	StatusNullParameter     Status = C.FIPS_STATUS_NULL_PARAMETER
	StatusInvalidUTF8       Status = C.FIPS_STATUS_INVALID_UTF8
	StatusInputTooLarge     Status = C.FIPS_STATUS_INPUT_TOO_LARGE
	StatusEmbeddedNul       Status = C.FIPS_STATUS_EMBEDDED_NUL
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
	StatusSelfTestFailed    Status = C.FIPS_STATUS_SELF_TEST_FAILED
	StatusPanic             Status = C.FIPS_STATUS_PANIC
	StatusInternal          Status = C.FIPS_STATUS_INTERNAL
)

// Kind is the failure domain of a status, as Error::kind() in Rust and error.kind in
// `fipsctl --json`: "version", "tag", "image", "request", "policy", "root", "scan",
// "selftest"; "input" for NULL, non-UTF-8, oversized or NUL-holding input; "internal" for a
// defect in libfips; "" for a status that is not an error.
func (s Status) Kind() string {
	switch {
	case s == StatusVersionInvalid:
		return "version"
	case s >= StatusTagInvalid && s <= StatusComponentUnknown:
		return "tag"
	case s == StatusImageInvalid:
		return "image"
	case s == StatusRequestInvalid:
		return "request"
	case s == StatusPolicyInvalid:
		return "policy"
	case s == StatusRootUnreadable:
		return "root"
	case s == StatusScanFailed:
		return "scan"
	case s == StatusSelfTestFailed:
		return "selftest"
	case s >= 200 && s < 210:
		return "input"
	case s >= 400:
		return "internal"
	}
	return ""
}

// Error is a call that gave no result: its status and libfips' explanation, which names the
// function, the parameter or field, and what to change.
type Error struct {
	Status  Status
	Message string
}

func (e *Error) Error() string { return e.Message }

// Kind is the failure domain; see Status.Kind.
func (e *Error) Kind() string { return e.Status.Kind() }

// Is matches errors of the same status, so that errors.Is(err, fips.ErrSelfTestFailed)
// holds for every failed self-test.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == e.Status
}

// ErrSelfTestFailed is the error of every verdict once the crypto self-test has failed: no
// verdict is given (fail closed). Match it with errors.Is.
var ErrSelfTestFailed = &Error{Status: StatusSelfTestFailed, Message: "crypto self-test failed"}

func nulError(function, param string, at int) error {
	return &Error{
		Status: StatusEmbeddedNul,
		Message: fmt.Sprintf("%s: %s holds a NUL byte at offset %d; libfips takes C strings, "+
			"which end at their first NUL: remove it", function, param, at),
	}
}
