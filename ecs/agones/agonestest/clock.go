package agonestest

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Clock is a manual clock with timers, for agones.Options.Client.Clock: it
// moves only when Advance is called, which fires the timers that fall due.
// BlockUntil lets a test wait, without sleeping, until the goroutines under
// test are waiting on their timers. It is safe for concurrent use. Make it
// with NewClock.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []*timer
	changed chan struct{} // closed and replaced when timers change
}

type timer struct {
	at time.Time
	c  chan time.Time
}

// NewClock returns a clock that reads start until it is advanced.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start, changed: make(chan struct{})}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Timer returns a channel that receives the clock's time once it has been
// advanced by d (at once when d <= 0), and a function that stops the timer.
func (c *Clock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		t.c <- c.now
		return t.c, func() bool { return false }
	}
	c.timers = append(c.timers, t)
	c.signal()
	return t.c, func() bool { return c.stop(t) }
}

func (c *Clock) stop(t *timer) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, u := range c.timers {
		if u == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			c.signal()
			return true
		}
	}
	return false
}

// signal wakes BlockUntil; c.mu is held.
func (c *Clock) signal() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Advance moves the clock forward by d (a negative d is ignored) and fires,
// in order of their times, the timers that are due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
	kept := c.timers[:0]
	fired := false
	for _, t := range c.timers {
		if !t.at.After(c.now) {
			t.c <- c.now
			fired = true
			continue
		}
		kept = append(kept, t)
	}
	clear(c.timers[len(kept):])
	c.timers = kept
	if fired {
		c.signal()
	}
}

// Timers returns the number of timers waiting.
func (c *Clock) Timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// BlockUntil waits until exactly n timers are waiting, or ctx is done (then
// it returns ctx's error). After an Advance, a goroutine that waits on a new
// timer has finished what the one that fired woke it for.
func (c *Clock) BlockUntil(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		got, ch := len(c.timers), c.changed
		c.mu.Unlock()
		if got == n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
