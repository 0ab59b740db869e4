package steamgs

import "errors"

// Sentinel errors. Every error that steamgs returns for bad input or a call
// at the wrong time wraps one of these, so callers can test with [errors.Is];
// the message names the value and the limit.
var (
	// ErrNotInitialized: the server has not been initialized, or has been shut down.
	ErrNotInitialized = errors.New("server not initialized")
	// ErrAlreadyInitialized: Init was called on a server that is running.
	ErrAlreadyInitialized = errors.New("server already initialized")
	// ErrInUse: the back end keeps process-global state and already runs a server.
	ErrInUse = errors.New("back end already runs a server in this process")
	// ErrInitFailed: the back end could not initialize; see [InitError].
	ErrInitFailed = errors.New("init failed")
	// ErrTooLong: a string or buffer is longer than the SDK allows.
	ErrTooLong = errors.New("too long")
	// ErrTooLarge: a collection (key/values, players) would not fit its reply.
	ErrTooLarge = errors.New("too large")
	// ErrEmpty: a value that must not be empty is empty.
	ErrEmpty = errors.New("empty")
	// ErrInvalidString: a string holds a NUL byte, which C strings cannot carry.
	ErrInvalidString = errors.New("string holds a NUL byte")
	// ErrAfterLogOn: a setting that may only change before LogOn or LogOnAnonymous.
	ErrAfterLogOn = errors.New("only allowed before log-on")
	// ErrRequired: a setting the SDK requires before log-on is not set.
	ErrRequired = errors.New("required setting not set")
	// ErrOutOfRange: a number (count, port, mode, buffer size) is outside its range.
	ErrOutOfRange = errors.New("out of range")
	// ErrInvalidSteamID: a Steam ID is malformed or of the wrong account type.
	ErrInvalidSteamID = errors.New("invalid Steam ID")
	// ErrInvalidAddress: an address is not one the SDK can take (IPv6 where it takes IPv4).
	ErrInvalidAddress = errors.New("invalid address")
	// ErrUnsupported: the back end cannot do this.
	ErrUnsupported = errors.New("not supported by this back end")
)

// InitError is the error of a back end that failed to initialize: the SDK's
// result code and Steam's message. It matches [ErrInitFailed].
type InitError struct {
	Result  InitResult // why init failed
	Message string     // Steam's own words, possibly empty
}

// Error returns "steamgs: init failed: <result>: <message>".
func (e *InitError) Error() string {
	if e.Message == "" {
		return "steamgs: init failed: " + e.Result.String()
	}
	return "steamgs: init failed: " + e.Result.String() + ": " + e.Message
}

// Is reports whether target is [ErrInitFailed].
func (e *InitError) Is(target error) bool { return target == ErrInitFailed }
