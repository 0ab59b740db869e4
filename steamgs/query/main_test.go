package query

import (
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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

// sink collects what a Responder sends, copying each datagram, and the
// destination of each.
type sink struct {
	pkts [][]byte
	to   []netip.AddrPort
}

func (s *sink) send(b []byte, to netip.AddrPort) {
	s.pkts = append(s.pkts, append([]byte(nil), b...))
	s.to = append(s.to, to)
}

// requireTo checks that every datagram went to want: a reply goes to the
// address the request came from.
func (s *sink) requireTo(t testing.TB, want netip.AddrPort) {
	t.Helper()
	require.Len(t, s.to, len(s.pkts), "destinations")
	for i, to := range s.to {
		require.Equal(t, want, to, "destination of datagram %d", i)
	}
}

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
	require.True(t, r.Handle(AppendRequest(nil, req), from, s.send), "Handle(%v) = false", req.Kind)
	s.requireTo(t, from)
	switch len(s.pkts) {
	case 0:
		return nil
	case 1:
		if le.Uint32(s.pkts[0]) == simpleHeader {
			return s.pkts[0]
		}
	}
	for _, p := range s.pkts {
		require.LessOrEqual(t, len(p), MaxPacketSize, "fragment size")
	}
	reply, err := Reassemble(s.pkts)
	require.NoError(t, err, "Reassemble")
	return reply
}

// queryWithChallenge does the challenge round trip for kind and returns the reply.
func queryWithChallenge(t testing.TB, r *Responder, kind Kind, from netip.AddrPort) []byte {
	t.Helper()
	c, err := ParseChallenge(query(t, r, Request{Kind: kind}, from))
	require.NoError(t, err, "challenge for %v", kind)
	return query(t, r, Request{Kind: kind, Challenge: c, HasChallenge: true}, from)
}
