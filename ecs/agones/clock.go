package agones

import (
	"context"
	"time"
)

// Clock is where the package's goroutines read the time and wait: the
// back-off between attempts and the health pinger's period. The zero
// Options use the system clock; a test passes a manual one (such as
// agonestest.Clock) and advances it. Implementations are safe for
// concurrent use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Timer returns a channel that receives the time once d has passed,
	// and a function that stops the timer (reporting whether it was still
	// pending), as time.NewTimer does.
	Timer(d time.Duration) (c <-chan time.Time, stop func() bool)
}

// SystemClock returns the clock of package time.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

// Now returns time.Now().
func (systemClock) Now() time.Time { return time.Now() }

// Timer returns a time.Timer's channel and Stop.
func (systemClock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// sleep waits d on clock, or until ctx is done (then it returns ctx's
// error).
func sleep(ctx context.Context, clock Clock, d time.Duration) error {
	c, stop := clock.Timer(d)
	defer stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c:
		return nil
	}
}

// Backoff is how long to wait between attempts of a call the sidecar did not
// answer: Initial after the first failure, doubling up to Max, for at most
// Attempts attempts in all. A zero field takes its value from
// DefaultBackoff.
type Backoff struct {
	// Initial is the first wait, Max the longest.
	Initial, Max time.Duration
	// Attempts bounds the attempts of one call (1: no retry); the
	// package's own goroutines retry for as long as they run and use only
	// Initial and Max.
	Attempts int
}

// DefaultBackoff is the back-off of the zero Backoff: 100 ms doubling to
// 5 s, 10 attempts (about 25 s of waiting in all).
var DefaultBackoff = Backoff{Initial: 100 * time.Millisecond, Max: 5 * time.Second, Attempts: 10}

// withDefaults fills in the zero fields.
func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = DefaultBackoff.Initial
	}
	if b.Max <= 0 {
		b.Max = DefaultBackoff.Max
	}
	if b.Max < b.Initial {
		b.Max = b.Initial
	}
	if b.Attempts <= 0 {
		b.Attempts = DefaultBackoff.Attempts
	}
	return b
}

// next returns the wait after one of delay, doubled and capped at Max (0:
// Initial).
func (b Backoff) next(delay time.Duration) time.Duration {
	if delay <= 0 {
		return b.Initial
	}
	delay *= 2
	if delay > b.Max || delay <= 0 {
		delay = b.Max
	}
	return delay
}
