package query

import (
	"fmt"
	"net/netip"
	"runtime"
	"sync"
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
	s.requireTo(t, from)
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
		n := len(r.lim.l.entries)
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
	// No total: the table alone, which fails open for sources that sent
	// little (TestLimiterTotal holds such a flood to the total).
	r := NewResponder(Config{Now: clk.Now, Key: testKey, RateLimit: limit, TotalRateLimit: -1, MaxSources: maxSources})
	r.SetAdvertise(true)
	r.SetInfo(fullInfo())
	legit := addr("203.0.113.50:27005")
	flooder := addr("203.0.113.66:5555")
	var s sink
	send := func([]byte, netip.AddrPort) {} // spoofed replies go nowhere

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

	tracked := r.lim.l.tracked()
	assert.LessOrEqual(t, tracked, maxSources, "tracked sources")
	assert.LessOrEqual(t, len(r.lim.l.entries), maxSources, "table entries")
	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	assert.Less(t, growth, int64(1<<20), "heap growth in bytes")
	// A second of virtual time passed: the flooder had 5 or 6 windows.
	windows := int(time.Second/RateWindow) + 1
	assert.LessOrEqual(t, floodAnswered, limit*windows, "flooder answered, limit %d per window", limit)
	assert.GreaterOrEqual(t, r.Stats().DroppedRateLimit, 5*sources-uint64(limit*windows), "dropped")
	t.Logf("tracked %d sources, heap growth %d bytes, flooder answered %d of %d", tracked, growth, floodAnswered, 5*sources)
}

// TestLimiterInternalWindow drives the internal limiter with windows of
// different lengths: the window passed decides when a count restarts.
func TestLimiterInternalWindow(t *testing.T) {
	ip := netip.MustParseAddr("192.0.2.1")
	for _, window := range []int64{1, 1000, int64(RateWindow), int64(time.Hour)} {
		l := newLimiter(2, 64, 1, 2)
		assert.True(t, l.allow(ip, 0, 0, window), "window %d: first", window)
		assert.True(t, l.allow(ip, 0, 0, window), "window %d: second", window)
		assert.False(t, l.allow(ip, 0, window-1, window), "window %d: third, before the window ended", window)
		assert.True(t, l.allow(ip, 0, window, window), "window %d: in the next window", window)
		assert.True(t, l.allow(ip, 0, window, window), "window %d: second in the next window", window)
		assert.False(t, l.allow(ip, 0, window, window), "window %d: third in the next window", window)
		// A longer window passed for the same table keeps the count going.
		assert.False(t, l.allow(ip, 0, 2*window, 3*window), "window %d: longer window", window)
	}
	// Limit 0 (unlimited) never allocates the table.
	l := newLimiter(0, 64, 1, 2)
	for i := range 100 {
		assert.True(t, l.allow(ip, 0, int64(i), 10))
	}
	assert.Nil(t, l.entries, "unlimited limiter allocated its table")
}

// src is a source at ip.
func src(ip netip.Addr) netip.AddrPort { return netip.AddrPortFrom(ip, 27005) }

func newTestLimiter(cfg LimiterConfig, now time.Time) *Limiter {
	if cfg.Key == ([16]byte{}) {
		cfg.Key = testKey
	}
	return NewLimiter(cfg, now)
}

// allowN calls l.Allow n times for ip at now and returns how many were allowed.
func allowN(l *Limiter, ip netip.Addr, now time.Time, n int) int {
	ok := 0
	for range n {
		if l.Allow(src(ip), now) {
			ok++
		}
	}
	return ok
}

func TestLimiterAllow(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	ip := netip.MustParseAddr("192.0.2.1")
	tests := []struct {
		name   string
		cfg    LimiterConfig
		limit  int // packets allowed per window; -1 unlimited
		window time.Duration
	}{
		{"zero config", LimiterConfig{}, DefaultRateLimit, RateWindow},
		{"one per second", LimiterConfig{Limit: 1, Window: time.Second}, 1, time.Second},
		{"ten per 50ms", LimiterConfig{Limit: 10, Window: 50 * time.Millisecond}, 10, 50 * time.Millisecond},
		{"default window", LimiterConfig{Limit: 3}, 3, RateWindow},
		{"negative window", LimiterConfig{Limit: 3, Window: -time.Second}, 3, RateWindow},
		{"unlimited", LimiterConfig{Limit: -1, Window: time.Second}, -1, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLimiter(tt.cfg, t0)
			if tt.limit < 0 {
				assert.Equal(t, 10_000, allowN(l, ip, t0, 10_000), "unlimited")
				assert.Nil(t, l.l.entries, "unlimited Limiter allocated its table")
				return
			}
			now := t0.Add(time.Millisecond) // the window starts at the source's first packet
			assert.Equal(t, tt.limit, allowN(l, ip, now, tt.limit+5), "allowed in the first window")
			assert.False(t, l.Allow(src(ip), now.Add(tt.window-time.Nanosecond)), "allowed before the window ended")
			// The window resets: a full budget again, and no more.
			now = now.Add(tt.window)
			assert.Equal(t, tt.limit, allowN(l, ip, now, tt.limit+5), "allowed in the second window")
			// A quiet source starts afresh much later.
			now = now.Add(time.Hour)
			assert.Equal(t, tt.limit, allowN(l, ip, now, tt.limit+5), "allowed an hour later")
		})
	}
}

// TestLimiterSourcesIndependent checks that a source over its limit does
// not stop others, and that the forms of one IP share its budget.
func TestLimiterSourcesIndependent(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	l := newTestLimiter(LimiterConfig{Limit: 5, Window: time.Second}, t0)
	flooder := netip.MustParseAddr("203.0.113.66")
	assert.Equal(t, 5, allowN(l, flooder, t0, 10_000), "flooder")
	assert.False(t, l.Allow(src(netip.MustParseAddr("::ffff:203.0.113.66")), t0), "IPv4-mapped form of the flooder")
	for _, s := range []string{"203.0.113.1", "203.0.113.67", "198.51.100.66", "2001:db8::1", "2001:db8::2"} {
		assert.Equal(t, 5, allowN(l, netip.MustParseAddr(s), t0, 6), "source %s while the flooder is limited", s)
	}
	assert.False(t, l.Allow(src(flooder), t0.Add(time.Second-time.Nanosecond)), "flooder still limited")
	assert.True(t, l.Allow(src(flooder), t0.Add(time.Second)), "flooder in a new window")
	// A clock stepping back restarts the window rather than locking out.
	assert.Equal(t, 5, allowN(l, flooder, t0.Add(-time.Hour), 6), "after the clock stepped back")
}

// TestLimiterByPort checks that a Limiter counting by port gives each port
// of one IP its own budget, and that the default shares the IP's.
func TestLimiterByPort(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	ip := netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		byPort bool
		want   []int // allowed per port, ports 1000, 1001, 1002 in turn
	}{
		{false, []int{3, 0, 0}},
		{true, []int{3, 3, 3}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("byPort=", tt.byPort), func(t *testing.T) {
			l := newTestLimiter(LimiterConfig{Limit: 3, ByPort: tt.byPort}, t0)
			for i, want := range tt.want {
				from := netip.AddrPortFrom(ip, uint16(1000+i))
				got := 0
				for range 10 {
					if l.Allow(from, t0) {
						got++
					}
				}
				assert.Equal(t, want, got, "port %d", from.Port())
			}
			// The IPv4-mapped form of a source is the same source.
			mapped := netip.AddrPortFrom(netip.AddrFrom16(ip.As16()), 1000)
			assert.False(t, l.Allow(mapped, t0), "IPv4-mapped form of port 1000")
		})
	}
	r := NewResponder(Config{Key: testKey, RateLimit: 2, RateLimitByPort: true})
	r.SetAdvertise(true)
	for port := range uint16(3) {
		from := netip.AddrPortFrom(ip, 2000+port)
		assert.True(t, answered(t, r, from), "responder by port: port %d, first", from.Port())
		assert.True(t, answered(t, r, from), "responder by port: port %d, second", from.Port())
		assert.False(t, answered(t, r, from), "responder by port: port %d, third", from.Port())
	}
}

// TestLimiterTotal floods a Limiter from many sources: with each source over
// its own limit, the packets allowed per window stay within about the total
// while a source that sends less than its share is always allowed; with
// spoofed sources of one packet each, within the total exactly; without a
// total, each source gets its own limit.
func TestLimiterTotal(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	const limit, total, windows = 50, 2000, 5
	type result struct{ allowed, legit int }
	// run sends, each window, rounds of one packet from each of sources
	// sources (of one packet each when spoofed), with the legitimate
	// source's five packets spread among them, and returns what was
	// allowed in each window.
	run := func(cfg LimiterConfig, sources, rounds int, spoofed bool) []result {
		l := newTestLimiter(cfg, t0)
		legit := netip.MustParseAddrPort("198.51.100.1:27005")
		out := make([]result, windows)
		n := 0
		for w := range windows {
			now := t0.Add(time.Duration(w) * RateWindow) // t0 starts an aligned window
			for r := range rounds {
				if r%(rounds/5) == 0 && l.Allow(legit, now) {
					out[w].legit++
				}
				for i := range sources {
					n++
					id := i
					if spoofed {
						id = n
					}
					ip := netip.AddrFrom4([4]byte{10, byte(id >> 16), byte(id >> 8), byte(id)})
					if l.Allow(netip.AddrPortFrom(ip, 1), now.Add(time.Duration(r))) {
						out[w].allowed++
					}
				}
			}
		}
		return out
	}
	for w, r := range run(LimiterConfig{Limit: limit, Total: total, MaxSources: 4096}, 200, 60, false) {
		assert.Equal(t, 5, r.legit, "window %d: the legitimate source's packets", w)
		assert.GreaterOrEqual(t, r.allowed+r.legit, total, "window %d: allowed", w)
		assert.LessOrEqual(t, r.allowed, total+total, "window %d: the flood's allowed, total %d and the shares", w, total)
	}
	for w, r := range run(LimiterConfig{Limit: limit, Total: total, MaxSources: 4096}, 10_000, 5, true) {
		assert.Equal(t, total, r.allowed+r.legit, "window %d: spoofed flood allowed, total %d", w, total)
	}
	for w, r := range run(LimiterConfig{Limit: limit, Total: -1, MaxSources: 4096}, 200, 60, false) {
		assert.Equal(t, 5, r.legit, "window %d: the legitimate source's packets", w)
		assert.Equal(t, 200*limit, r.allowed, "window %d: without a total, each source's limit", w)
	}
	// The default total is DefaultTotalFactor times the limit.
	l := newTestLimiter(LimiterConfig{Limit: limit}, t0)
	assert.Equal(t, uint32(DefaultTotalFactor*limit), l.l.total, "default total")
	assert.Zero(t, newTestLimiter(LimiterConfig{Limit: -1}, t0).l.total, "total of an unlimited limiter")
	r := NewResponder(Config{Key: testKey, RateLimit: 10, TotalRateLimit: 123})
	assert.Equal(t, uint32(123), r.lim.l.total, "Responder's total")
}

// TestLimiterMaxSources floods a Limiter without a total with distinct
// spoofed sources while one source floods and a legitimate one sends within
// its limit: the table stays at its bound, the flooder stays limited and the
// legitimate source is always allowed.
func TestLimiterMaxSources(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, maxSources := range []int{1, 8, 100, 1024} {
		t.Run(fmt.Sprint(maxSources), func(t *testing.T) {
			const limit = 20
			l := newTestLimiter(LimiterConfig{Limit: limit, Total: -1, MaxSources: maxSources}, t0)
			flooder := netip.MustParseAddr("203.0.113.66")
			legit := netip.MustParseAddr("203.0.113.50")
			now := t0
			floodAllowed := 0
			const sources = 100_000
			for i := range sources {
				ip := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
				l.Allow(src(ip), now)
				if i%5 == 0 && l.Allow(src(flooder), now) {
					floodAllowed++
				}
				if i%1000 == 0 {
					require.True(t, l.Allow(src(legit), now), "legitimate source refused at packet %d", i)
				}
				if i%100 == 99 {
					now = now.Add(time.Millisecond) // a second in all
				}
			}
			assert.LessOrEqual(t, len(l.l.entries), maxSources, "table entries")
			assert.LessOrEqual(t, l.l.tracked(), maxSources, "tracked sources")
			assert.Greater(t, l.l.tracked(), 0, "tracked sources")
			if maxSources >= 8 {
				// With a set of 8 slots, the flooder's high count keeps its
				// slot against sources that sent one packet.
				windows := int(time.Second/RateWindow) + 1
				assert.LessOrEqual(t, floodAllowed, limit*windows, "flooder allowed, limit %d per window", limit)
			}
		})
	}
	// MaxSources above MaxSourcesLimit counts as MaxSourcesLimit.
	l := newTestLimiter(LimiterConfig{Limit: 1, MaxSources: 1 << 40}, t0)
	l.Allow(src(netip.MustParseAddr("192.0.2.1")), t0)
	n := len(l.l.entries)
	assert.True(t, n <= MaxSourcesLimit && n > MaxSourcesLimit/2, "%d entries", n)
	l = newTestLimiter(LimiterConfig{Limit: 1}, t0)
	l.Allow(src(netip.MustParseAddr("192.0.2.1")), t0)
	n = len(l.l.entries)
	assert.True(t, n <= DefaultMaxSources && n > DefaultMaxSources/2, "%d entries by default", n)
}

// TestLimiterConcurrent uses one Limiter from many goroutines (run with
// -race): each goroutine's own source gets exactly its limit, and a source
// shared by all gets exactly its limit in all.
func TestLimiterConcurrent(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	const limit, goroutines, sends = 100, 8, 1000
	l := newTestLimiter(LimiterConfig{Limit: limit, Window: time.Hour}, t0)
	shared := netip.MustParseAddr("198.51.100.1")
	var wg sync.WaitGroup
	own := make([]int, goroutines)
	sharedOK := make([]int, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ip := netip.AddrFrom4([4]byte{192, 0, 2, byte(g + 1)})
			for i := range sends {
				now := t0.Add(time.Duration(i) * time.Microsecond)
				if l.Allow(src(ip), now) {
					own[g]++
				}
				if l.Allow(src(shared), now) {
					sharedOK[g]++
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for g := range goroutines {
		assert.Equal(t, limit, own[g], "goroutine %d's own source", g)
		total += sharedOK[g]
	}
	assert.Equal(t, limit, total, "shared source")
}

// TestLimiterAllocs checks that Allow allocates nothing after its first use,
// for a known source and for a flood of new ones.
func TestLimiterAllocs(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	l := newTestLimiter(LimiterConfig{Limit: 10, MaxSources: 256}, t0)
	ip := netip.MustParseAddr("192.0.2.1")
	require.True(t, l.Allow(src(ip), t0), "first packet") // allocates the table
	assert.Zero(t, testing.AllocsPerRun(1000, func() { l.Allow(src(ip), t0) }), "known source")
	i := 0
	assert.Zero(t, testing.AllocsPerRun(1000, func() {
		i++
		l.Allow(src(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 12: byte(i >> 24), byte(i >> 16), byte(i >> 8), byte(i)})), t0)
	}), "new sources")
	assert.Zero(t, testing.AllocsPerRun(1000, func() { l.Allow(src(ip), t0.Add(time.Hour)) }), "new window")
}
