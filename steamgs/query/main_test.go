package query

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakeClock is a clock a test steps by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sink collects what a Responder sends, copying each datagram.
type sink struct{ pkts [][]byte }

func (s *sink) send(b []byte) { s.pkts = append(s.pkts, append([]byte(nil), b...)) }

func (s *sink) bytes() int {
	n := 0
	for _, p := range s.pkts {
		n += len(p)
	}
	return n
}

// small returns a scratch buffer for a request.
func (s *sink) small() []byte { return make([]byte, 0, 32) }

var testKey = [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}

func addr(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

// query sends req from from and returns what came back, reassembled when split.
func query(t testing.TB, r *Responder, req Request, from netip.AddrPort) []byte {
	t.Helper()
	var s sink
	if !r.Handle(AppendRequest(nil, req), from, s.send) {
		t.Fatalf("Handle(%v) = false", req.Kind)
	}
	switch len(s.pkts) {
	case 0:
		return nil
	case 1:
		if le.Uint32(s.pkts[0]) == simpleHeader {
			return s.pkts[0]
		}
	}
	for _, p := range s.pkts {
		if len(p) > MaxPacketSize {
			t.Fatalf("fragment of %d bytes > %d", len(p), MaxPacketSize)
		}
	}
	reply, err := Reassemble(s.pkts)
	if err != nil {
		t.Fatalf("Reassemble: %v", err)
	}
	return reply
}

// queryWithChallenge does the challenge round trip for kind and returns the reply.
func queryWithChallenge(t testing.TB, r *Responder, kind Kind, from netip.AddrPort) []byte {
	t.Helper()
	c, err := ParseChallenge(query(t, r, Request{Kind: kind}, from))
	if err != nil {
		t.Fatalf("challenge for %v: %v", kind, err)
	}
	return query(t, r, Request{Kind: kind, Challenge: c, HasChallenge: true}, from)
}

// Small assertion helpers: the module's go.sum does not carry testify's own
// dependencies, so the tests use the standard library alone.

func equal(t testing.TB, got, want any, msg ...any) bool {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s\n got: %#v\nwant: %#v", msgf(msg), got, want)
		return false
	}
	return true
}

func mustEqual(t testing.TB, got, want any, msg ...any) {
	t.Helper()
	if !equal(t, got, want, msg...) {
		t.FailNow()
	}
}

func noErr(t testing.TB, err error, msg ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", msgf(msg), err)
	}
}

func isErr(t testing.TB, err, target error, msg ...any) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v is not %v", msgf(msg), err, target)
	}
}

func errContains(t testing.TB, err error, substr string, msg ...any) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), substr) {
		t.Errorf("%s: error %v does not contain %q", msgf(msg), err, substr)
	}
}

func isTrue(t testing.TB, v bool, msg ...any) {
	t.Helper()
	if !v {
		t.Errorf("%s: false", msgf(msg))
	}
}

func msgf(msg []any) string {
	if len(msg) == 0 {
		return ""
	}
	if f, ok := msg[0].(string); ok {
		return fmt.Sprintf(f, msg[1:]...)
	}
	return fmt.Sprint(msg...)
}
