package agones

import (
	"errors"
	"fmt"
	"strings"
)

// gRPC status codes the sidecar's answers carry.
const (
	codeNotFound      = 5
	codeAlreadyExists = 6
)

// Error is a call of the sidecar that failed: it names the call, its route
// and why: the sidecar's error answer ({"code","message","details"}), an
// answer that did not decode, or no answer at all (the sidecar is not up).
type Error struct {
	// Call is the SDK method, such as "Ready" or "AddListValue".
	Call string
	// Method and Path are the request's, such as "POST" and "/ready".
	Method, Path string
	// Status is the HTTP status of the answer; 0 when there was none.
	Status int
	// Code and Message are the gRPC status the sidecar answered with (code
	// 2, Unknown, for every business error of the local sidecar).
	Code int
	// Message is the answer's message (its body, cut, when it was no
	// error status).
	Message string
	// Err is the transport or decoding error, nil for an error answer.
	Err error
}

// Error describes the failure, such as `agones: AddListValue (POST
// /v1beta1/lists/players:addValue): sidecar answered 500, code 2: already
// exists. Value: 1 already in List: players`.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "agones: %s (%s %s): ", e.Call, e.Method, e.Path)
	switch {
	case e.Status == 0:
		fmt.Fprintf(&b, "no answer from the sidecar: %v", e.Err)
	case e.Err != nil:
		fmt.Fprintf(&b, "sidecar answered %d with a body that does not decode: %v", e.Status, e.Err)
	default:
		fmt.Fprintf(&b, "sidecar answered %d, code %d: %s", e.Status, e.Code, e.Message)
	}
	return b.String()
}

// Unwrap returns the transport or decoding error.
func (e *Error) Unwrap() error { return e.Err }

// Unreachable reports whether the sidecar gave no answer (it is not up, or
// the connection broke), as opposed to an answer that refused the call.
func (e *Error) Unreachable() bool { return e.Status == 0 }

// IsAlreadyExists reports whether err is the sidecar's answer that a value
// is already present (code 6 in a cluster; the local sidecar says "already
// exists" with code 2).
func IsAlreadyExists(err error) bool { return hasCode(err, codeAlreadyExists, "already exists") }

// IsNotFound reports whether err is the sidecar's answer that a value, list
// or counter is absent (code 5 in a cluster; the local sidecar says "not
// found" with code 2).
func IsNotFound(err error) bool { return hasCode(err, codeNotFound, "not found") }

// IsUnreachable reports whether err is a call of the sidecar that got no
// answer.
func IsUnreachable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Unreachable()
}

// isNotEnabled reports whether err says an alpha feature is off
// ("PlayerTracking not enabled").
func isNotEnabled(err error) bool { return hasCode(err, -1, "not enabled") }

func hasCode(err error, code int, text string) bool {
	var e *Error
	if !errors.As(err, &e) || e.Status == 0 || e.Err != nil {
		return false
	}
	return e.Code == code || strings.Contains(strings.ToLower(e.Message), text)
}
