package query

import (
	"errors"
	"fmt"
)

// ErrTooLarge is matched (errors.Is) by errors for replies or values that would not
// fit the wire format, such as rules whose RULES reply would need more than
// MaxFragments fragments.
var ErrTooLarge = errors.New("query: too large")

// ErrMalformed is matched (errors.Is) by every decoder error: input that is not the
// packet the decoder reads, or is cut short.
var ErrMalformed = errors.New("query: malformed packet")

// ErrInvalid is matched (errors.Is) by errors for arguments the wire format cannot
// carry, such as a rule key holding a NUL byte.
var ErrInvalid = errors.New("query: invalid argument")

// sizeError reports a size over its limit; it matches ErrTooLarge.
type sizeError struct {
	what  string // e.g. "rules reply"
	size  int
	limit int
	unit  string // "bytes", "rules", ...
}

func (e *sizeError) Error() string {
	return fmt.Sprintf("query: %s is %d %s, limit %d", e.what, e.size, e.unit, e.limit)
}

func (e *sizeError) Is(target error) bool { return target == ErrTooLarge }

// formatError reports malformed input; it matches ErrMalformed.
type formatError struct {
	what string // e.g. "INFO reply"
	msg  string // what is wrong
	off  int    // byte offset where it went wrong
	n    int    // input length
}

func (e *formatError) Error() string {
	return fmt.Sprintf("query: %s: %s at byte %d of %d", e.what, e.msg, e.off, e.n)
}

func (e *formatError) Is(target error) bool { return target == ErrMalformed }

// invalidError reports an argument the wire cannot carry; it matches ErrInvalid.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return "query: " + e.msg }

func (e *invalidError) Is(target error) bool { return target == ErrInvalid }
