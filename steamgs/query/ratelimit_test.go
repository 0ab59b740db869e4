package query

import (
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var ping = hdr('i')

// answered sends a ping from from and reports whether it was answered.
func answered(t testing.TB, r *Responder, from netip.AddrPort) bool {
	t.Helper()
	var s sink
	require.True(t, r.Handle(ping, from, s.send), "ping not consumed")
	return len(s.pkts) == 1
}

func TestRateLimit(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		sends int
		want  int // answered in one window
	}{
		{"default under", 0, DefaultRateLimit, DefaultRateLimit},
		{"default over", 0, 200, DefaultRateLimit},
		{"one", 1, 10, 1},
		{"ten", 10, 11, 10},
		{"unlimited", -1, 1000, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			r := NewResponder(Config{Now: clk.Now, Key: testKey, RateLimit: tt.limit})
			r.SetAdvertise(true)
			a := addr("192.0.2.1:1000")
			n := 0
			for range tt.sends {
				if answered(t, r, a) {
					n++
				}
			}
			assert.Equal(t, tt.want, n)
			assert.Equal(t, uint64(tt.sends-tt.want), r.Stats().DroppedRateLimit)
			// Still within the window: still limited; a new window starts afresh.
			clk.Add(RateWindow - time.Millisecond)
			if tt.sends > tt.want {
				assert.False(t, answered(t, r, a), "answered before the window ended")
			}
			clk.Add(time.Millisecond)
			assert.True(t, answered(t, r, a), "not answered in a new window")
		})
	}
}

func TestRateLimitPerIP(t *testing.T) {
	clk := newFakeClock()
	r := NewResponder(Config{Now: clk.Now, Key: testKey, RateLimit: 3})
	r.SetAdvertise(true)
	// Ports of one IP share its budget.
	for port := range uint16(3) {
		assert.True(t, answered(t, r, netip.AddrPortFrom(netip.MustParseAddr("192.0.2.1"), 1000+port)), "port %d", port)
	}
	assert.False(t, answered(t, r, addr("192.0.2.1:2000")), "fourth packet of the IP answered")
	assert.False(t, answered(t, r, addr("[::ffff:192.0.2.1]:2000")), "IPv4-mapped form escapes the limit")
	// Other IPs have their own.
	assert.True(t, answered(t, r, addr("192.0.2.2:1000")), "other IP")
	assert.True(t, answered(t, r, addr("[2001:db8::1]:1000")), "IPv6")
	// A clock stepping back restarts the window rather than locking out.
	clk.Add(-time.Hour)
	assert.True(t, answered(t, r, addr("192.0.2.1:1000")), "after the clock stepped back")
}

func TestLimiterTableSize(t *testing.T) {
	for _, max := range []int{1, 3, 8, 9, 100, 4096, 5000} {
		l := newLimiter(1, max, 1, 2)
		l.init()
		assert.True(t, len(l.entries) <= max && len(l.entries) > max/2, "max %d: %d entries", max, len(l.entries))
	}
}

// TestMaxSourcesClamped checks that a huge Config.MaxSources is capped at
// MaxSourcesLimit instead of asking for a table that cannot be allocated.
func TestMaxSourcesClamped(t *testing.T) {
	for _, tt := range []struct{ max, want int }{
		{0, DefaultMaxSources},
		{100, 100},
		{MaxSourcesLimit, MaxSourcesLimit},
		{1 << 40, MaxSourcesLimit},
	} {
		r := NewResponder(Config{MaxSources: tt.max, RateLimit: 1})
		r.SetAdvertise(true)
		r.Handle(AppendRequest(nil, Request{Kind: KindPing}), addr("192.0.2.1:27005"), nil)
		n := len(r.limiter.entries)
		assert.True(t, n <= tt.want && n > tt.want/2, "MaxSources %d: %d entries, want at most %d", tt.max, n, tt.want)
	}
}

// TestFloodManySources feeds 100 000 distinct spoofed sources through Handle
// while one source floods and a legitimate client keeps querying: the table
// stays at its bound, memory does not grow, the flooder stays limited and the
// legitimate client is always answered.
func TestFloodManySources(t *testing.T) {
	clk := newFakeClock()
	const maxSources, limit = 1024, 20
	r := NewResponder(Config{Now: clk.Now, Key: testKey, RateLimit: limit, MaxSources: maxSources})
	r.SetAdvertise(true)
	r.SetInfo(fullInfo())
	legit := addr("203.0.113.50:27005")
	flooder := addr("203.0.113.66:5555")
	var s sink
	send := func(b []byte) {} // spoofed replies go nowhere

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	floodAnswered, legitAsked := 0, 0
	const sources = 100_000
	for i := range sources {
		// A distinct spoofed source: 10.x.y.z with a varying port.
		ip := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		r.Handle(AppendRequest(s.small(), Request{Kind: KindInfo}), netip.AddrPortFrom(ip, uint16(i)), send)
		// The flooder sends 5 packets for every spoofed one.
		for range 5 {
			if answered(t, r, flooder) {
				floodAnswered++
			}
		}
		// Every 100 spoofed packets, 1 ms passes (a second in all); the
		// legitimate client pings every 20 ms and queries INFO every 200 ms,
		// within its limit.
		if i%100 == 99 {
			clk.Add(time.Millisecond)
		}
		if i%20_000 == 0 {
			legitAsked++
			b := queryWithChallenge(t, r, KindInfo, legit)
			_, _, err := ParseInfo(b)
			require.NoError(t, err, "legitimate query %d not answered", legitAsked)
		}
		if i%2000 == 0 {
			require.True(t, answered(t, r, legit), "legitimate ping not answered at packet %d", i)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)

	tracked := r.limiter.tracked()
	assert.LessOrEqual(t, tracked, maxSources, "tracked sources")
	assert.LessOrEqual(t, len(r.limiter.entries), maxSources, "table entries")
	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	assert.Less(t, growth, int64(1<<20), "heap growth in bytes")
	// A second of virtual time passed: the flooder had 5 or 6 windows.
	windows := int(time.Second/RateWindow) + 1
	assert.LessOrEqual(t, floodAnswered, limit*windows, "flooder answered, limit %d per window", limit)
	assert.GreaterOrEqual(t, r.Stats().DroppedRateLimit, 5*sources-uint64(limit*windows), "dropped")
	t.Logf("tracked %d sources, heap growth %d bytes, flooder answered %d of %d", tracked, growth, floodAnswered, 5*sources)
}
