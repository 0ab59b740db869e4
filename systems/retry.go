package systems

import (
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// Default log-on back-off of LogOnRetry.
const (
	DefaultRetryInitial = time.Second
	DefaultRetryMax     = 30 * time.Second
)

// LogOnRetry is how the settings system retries a log-on that Steam refused
// with a result that may pass (see LogOnRetryable): after Initial, then
// twice as long each time, at most Max, until a ServerConnected. The zero
// value retries with DefaultRetryInitial and DefaultRetryMax.
type LogOnRetry struct {
	// Initial is the wait before the first retry; 0 means
	// DefaultRetryInitial.
	Initial time.Duration
	// Max caps the wait; 0 means DefaultRetryMax.
	Max time.Duration
	// Disabled turns retries off: every refused log-on gives up
	// (StatusData.GaveUp).
	Disabled bool
}

// delay returns the wait before retry n (0 for the first).
func (r LogOnRetry) delay(n int) time.Duration {
	d, max := r.Initial, r.Max
	if d <= 0 {
		d = DefaultRetryInitial
	}
	if max <= 0 {
		max = DefaultRetryMax
	}
	for ; n > 0 && d < max; n-- {
		d *= 2
	}
	return min(d, max)
}

// LogOnRetryable reports whether a log-on refused with r may pass if tried
// again with the same token: false for the results that say the token or
// the account is not allowed (invalid, expired or revoked token, ban,
// access denied), true for the others (Steam unavailable, time-outs, failed
// connections, ...).
func LogOnRetryable(r steamgs.Result) bool {
	switch r {
	case steamgs.ResultInvalidPassword, steamgs.ResultAccessDenied, steamgs.ResultBanned,
		steamgs.ResultAccountNotFound, steamgs.ResultInvalidSteamID, steamgs.ResultInsufficientPrivilege,
		steamgs.ResultRevoked, steamgs.ResultExpired, steamgs.ResultInvalidParam,
		steamgs.ResultGSLTDenied, steamgs.ResultGSOwnerDenied, steamgs.ResultGSLTExpired, steamgs.ResultIPBanned:
		return false
	}
	return true
}
