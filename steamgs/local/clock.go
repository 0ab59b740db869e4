package local

import (
	"sync"
	"time"
)

// Clock is where a universe reads the time: log-on answers, auth verdicts and
// call results fall due by it, tickets expire by it and A2S challenges and
// player durations are computed from it. Implementations are safe for
// concurrent use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
}

// wallClock reads the system clock.
type wallClock struct{}

// Now returns time.Now().
func (wallClock) Now() time.Time { return time.Now() }

// WallClock returns the system clock, the one a universe uses when
// Options.Clock is nil.
func WallClock() Clock { return wallClock{} }

// ManualClock is a clock that moves only when told to, so that a test can
// step through log-on, latency, retries and ticket expiry without sleeping.
// It is safe for concurrent use. The zero value reads the zero time; use
// [NewManualClock].
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock that reads start until it is advanced.
func NewManualClock(start time.Time) *ManualClock {
	return &ManualClock{now: start}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d; a negative d is ignored, since time
// never runs backwards.
func (c *ManualClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
