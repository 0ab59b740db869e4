package query

import (
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/dchest/siphash"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChallengeWindows(t *testing.T) {
	const window = 30 * time.Second
	a := addr("192.0.2.1:27005")
	tests := []struct {
		name  string
		after time.Duration // time between getting the challenge and using it
		from  string        // address using it; "" = the same
		valid bool
	}{
		{"at once", 0, "", true},
		{"same window", window / 2, "", true},
		{"next window", window, "", true},
		{"end of next window", 2*window - time.Nanosecond, "", true},
		{"two windows later", 2 * window, "", false},
		{"much later", time.Hour, "", false},
		{"other port", 0, "192.0.2.1:27006", false},
		{"other IP", 0, "192.0.2.2:27005", false},
		{"IPv6", 0, "[2001:db8::1]:27005", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			// Start at the beginning of a window so the offsets are exact.
			clk.t = clk.t.Truncate(window)
			r := NewResponder(Config{Now: clk.Now, Key: testKey, ChallengeWindow: window})
			c := r.Challenge(a)
			require.NotEqual(t, NoChallenge, c, "challenge is FF FF FF FF")
			clk.Add(tt.after)
			from := a
			if tt.from != "" {
				from = addr(tt.from)
			}
			assert.Equal(t, tt.valid, r.ch.Valid(from, c, clk.Now()))
		})
	}
}

func TestChallengeKeyedByAddressNotKind(t *testing.T) {
	clk := newFakeClock()
	r := NewResponder(Config{Now: clk.Now, Key: testKey})
	r.SetAdvertise(true)
	r.SetInfo(Info{Name: "s"})
	a := addr("198.51.100.7:4000")
	var got []uint32
	for _, k := range []Kind{KindInfo, KindPlayers, KindRules} {
		c, err := ParseChallenge(query(t, r, Request{Kind: k}, a))
		require.NoError(t, err, "%v", k)
		got = append(got, c)
	}
	// A padded legacy GETCHALLENGE gets the same challenge.
	var s sink
	r.Handle(append(hdr('W'), 0, 0, 0, 0), a, s.send)
	s.requireTo(t, a)
	c, err := ParseChallenge(s.pkts[0])
	require.NoError(t, err)
	got = append(got, c)
	for _, c := range got {
		assert.Equal(t, got[0], c)
	}
	// The INFO challenge works for PLAYER and RULES.
	for _, k := range []Kind{KindInfo, KindPlayers, KindRules} {
		b := query(t, r, Request{Kind: k, Challenge: got[0], HasChallenge: true}, a)
		assert.True(t, len(b) > 5 && b[4] != 'A', "%v answered with data", k)
	}
	// IPv4 and its IPv4-mapped IPv6 form are the same address.
	mapped := addr("[::ffff:198.51.100.7]:4000")
	assert.Equal(t, got[0], r.Challenge(mapped))
}

func TestChallengeKeys(t *testing.T) {
	clk := newFakeClock()
	a := addr("192.0.2.1:1")
	r1 := NewResponder(Config{Now: clk.Now, Key: testKey})
	r2 := NewResponder(Config{Now: clk.Now, Key: testKey})
	other := testKey
	other[0]++
	r3 := NewResponder(Config{Now: clk.Now, Key: other})
	random1 := NewResponder(Config{Now: clk.Now})
	random2 := NewResponder(Config{Now: clk.Now})
	c := r1.Challenge(a)
	assert.True(t, r2.ch.Valid(a, c, clk.Now()), "same key accepts")
	assert.False(t, r3.ch.Valid(a, c, clk.Now()), "other key refuses")
	assert.NotEqual(t, random1.Challenge(a), random2.Challenge(a), "random keys differ")
}

func TestChallengeWindowBefore1970(t *testing.T) {
	clk := &fakeClock{t: time.Unix(-1, 0)}
	r := NewResponder(Config{Now: clk.Now, Key: testKey, ChallengeWindow: time.Second})
	assert.Equal(t, int64(-1), r.ch.windowOf(time.Unix(-1, 0)))
	assert.Equal(t, int64(-1), r.ch.windowOf(time.Unix(0, -1)))
	assert.Equal(t, int64(0), r.ch.windowOf(time.Unix(0, 0)))
}

// window is the challenge window of windowed.
const window = 10 * time.Second

// windowed returns challenges in windows of window, the start of a window
// and a client's address.
func windowed() (*Challenges, time.Time, netip.AddrPort) {
	return NewChallenges(testKey, window), time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC).Truncate(window), addr("192.0.2.1:27005")
}

func TestChallengesForStableInWindow(t *testing.T) {
	c, t0, a := windowed()
	v := c.For(a, t0)
	for _, d := range []time.Duration{0, time.Nanosecond, time.Second, window / 2, window - time.Nanosecond} {
		assert.Equal(t, v, c.For(a, t0.Add(d)), "For at +%v", d)
	}
	assert.NotEqual(t, v, c.For(a, t0.Add(window)), "For in the next window")
	assert.NotEqual(t, v, c.For(a, t0.Add(-time.Nanosecond)), "For in the previous window")
	// Keyed by address and port; IPv4 and its IPv4-mapped form are one address.
	assert.NotEqual(t, v, c.For(addr("192.0.2.1:27006"), t0), "other port")
	assert.NotEqual(t, v, c.For(addr("192.0.2.2:27005"), t0), "other IP")
	assert.Equal(t, v, c.For(addr("[::ffff:192.0.2.1]:27005"), t0), "IPv4-mapped form")
}

func TestChallengesValid(t *testing.T) {
	c, t0, a := windowed()
	v := c.For(a, t0)
	tests := []struct {
		name  string
		at    time.Duration
		from  netip.AddrPort
		valid bool
	}{
		{"this window", 0, a, true},
		{"end of this window", window - time.Nanosecond, a, true},
		{"next window (this is the previous)", window, a, true},
		{"end of the next window", 2*window - time.Nanosecond, a, true},
		{"two windows later", 2 * window, a, false},
		{"much later", time.Hour, a, false},
		{"the window before", -time.Nanosecond, a, false},
		{"other port", 0, addr("192.0.2.1:27006"), false},
		{"other IP", 0, addr("192.0.2.2:27005"), false},
		{"IPv6", 0, addr("[2001:db8::1]:27005"), false},
		{"IPv4-mapped form", 0, addr("[::ffff:192.0.2.1]:27005"), true},
	}
	tok := c.Token(a, t0) // the 64-bit tokens follow the same windows
	for _, tt := range tests {
		assert.Equal(t, tt.valid, c.Valid(tt.from, v, t0.Add(tt.at)), tt.name)
		assert.Equal(t, tt.valid, c.ValidToken(tt.from, tok, t0.Add(tt.at)), "token: %s", tt.name)
	}
	assert.False(t, c.Valid(a, v^1, t0), "another value")
	assert.False(t, c.Valid(a, NoChallenge, t0), "NoChallenge")
	assert.False(t, c.Valid(a, 0, t0), "zero")
	// What For returns is always Valid at the same time.
	for _, d := range []time.Duration{0, window / 3, time.Hour, -time.Hour} {
		now := t0.Add(d)
		assert.True(t, c.Valid(a, c.For(a, now), now), "For at +%v", d)
	}
}

func TestChallengesKeys(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	a := addr("192.0.2.1:27005")
	c1 := NewChallenges(testKey, time.Minute)
	c2 := NewChallenges(testKey, time.Minute)
	assert.Equal(t, c1.For(a, now), c2.For(a, now), "one key, one challenge")
	assert.True(t, c2.Valid(a, c1.For(a, now), now), "one key accepts the other's")
	assert.True(t, c1.Valid(a, c2.For(a, now.Add(-time.Minute)), now), "one key accepts the other's previous")
	other := testKey
	other[15]++
	assert.False(t, NewChallenges(other, time.Minute).Valid(a, c1.For(a, now), now), "other key accepts")
	// An all-zero key is a random one: two such values disagree.
	r1, r2 := NewChallenges([16]byte{}, time.Minute), NewChallenges([16]byte{}, time.Minute)
	assert.NotEqual(t, r1.For(a, now), r2.For(a, now), "random keys agree")
	assert.True(t, r1.Valid(a, r1.For(a, now), now), "random key refuses its own")
	// A Responder's challenges are those of its key and window.
	r := NewResponder(Config{Now: func() time.Time { return now }, Key: testKey, ChallengeWindow: time.Minute})
	assert.Equal(t, c1.For(a, now), r.Challenge(a), "Responder's challenge")
	assert.True(t, c1.Valid(a, r.Challenge(a), now), "Responder's challenge refused")
}

func TestChallengesDefaultWindow(t *testing.T) {
	for _, w := range []time.Duration{0, -time.Second} {
		c := NewChallenges(testKey, w)
		assert.Equal(t, int64(DefaultChallengeWindow), c.window, "window %v", w)
		t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC).Truncate(DefaultChallengeWindow)
		a := addr("192.0.2.1:27005")
		assert.Equal(t, c.For(a, t0), c.For(a, t0.Add(DefaultChallengeWindow-time.Nanosecond)), "window %v", w)
		assert.True(t, c.Valid(a, c.For(a, t0), t0.Add(2*DefaultChallengeWindow-time.Nanosecond)), "window %v", w)
		assert.False(t, c.Valid(a, c.For(a, t0), t0.Add(2*DefaultChallengeWindow)), "window %v", w)
	}
}

func TestChallengesNeverNoChallenge(t *testing.T) {
	c := NewChallenges(testKey, time.Second)
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for i := range 200_000 {
		a := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), uint16(i*7))
		if v := c.For(a, now.Add(time.Duration(i)*time.Second)); v == NoChallenge {
			require.Fail(t, "For returned NoChallenge", "address %v, window %d", a, i)
		}
	}
	// The fold itself maps FF FF FF FF away: under testKey, the SipHash of
	// 192.0.2.1:1 in window 9126720192 folds to FF FF FF FF (found by an
	// offline search over windows).
	const w = 9126720192
	a := addr("192.0.2.1:1")
	var buf [26]byte
	ip := a.Addr().As16()
	copy(buf[:16], ip[:])
	le.PutUint16(buf[16:], a.Port())
	le.PutUint64(buf[18:], w)
	k0, k1 := le.Uint64(testKey[:8]), le.Uint64(testKey[8:])
	h := siphash.Hash(k0, k1, buf[:])
	require.Equal(t, NoChallenge, uint32(h)^uint32(h>>32), "the hash does not fold to NoChallenge")
	assert.Equal(t, NoChallenge-1, challengeFor(k0, k1, a, w), "challengeFor")
	// A window of 1 ms puts window w about 105 days after 1970.
	c = NewChallenges(testKey, time.Millisecond)
	at := time.UnixMilli(w)
	assert.Equal(t, NoChallenge-1, c.For(a, at), "For")
	assert.True(t, c.Valid(a, NoChallenge-1, at), "Valid of the folded challenge")
	assert.False(t, c.Valid(a, NoChallenge, at), "Valid of NoChallenge")
	// Through a Responder, the challenge reply and the request carrying it.
	r := NewResponder(Config{Now: func() time.Time { return at }, Key: testKey, ChallengeWindow: time.Millisecond})
	r.SetAdvertise(true)
	r.SetInfo(Info{Name: "s"})
	got, err := ParseChallenge(query(t, r, Request{Kind: KindInfo}, a))
	require.NoError(t, err)
	assert.Equal(t, NoChallenge-1, got, "challenge sent")
	info, _, err := ParseInfo(query(t, r, Request{Kind: KindInfo, Challenge: got, HasChallenge: true}, a))
	require.NoError(t, err, "INFO with the folded challenge")
	assert.Equal(t, "s", info.Name)
}

func TestChallengesConcurrent(t *testing.T) {
	c := NewChallenges(testKey, time.Second)
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 0, 2, byte(g)}), 27005)
			for i := range 1000 {
				at := now.Add(time.Duration(i) * time.Millisecond)
				assert.True(t, c.Valid(a, c.For(a, at), at))
			}
		}()
	}
	wg.Wait()
}

func TestChallengesAllocs(t *testing.T) {
	c := NewChallenges(testKey, time.Second)
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	a := addr("192.0.2.1:27005")
	v := c.For(a, now)
	assert.Zero(t, testing.AllocsPerRun(1000, func() { _ = c.For(a, now) }), "For")
	assert.Zero(t, testing.AllocsPerRun(1000, func() { _ = c.Valid(a, v, now) }), "Valid")
}

func TestChallengesBefore1970(t *testing.T) {
	c := NewChallenges(testKey, time.Second)
	a := addr("192.0.2.1:27005")
	assert.Equal(t, c.For(a, time.Unix(-1, 0)), c.For(a, time.Unix(0, -1)), "one window before 0")
	assert.NotEqual(t, c.For(a, time.Unix(0, -1)), c.For(a, time.Unix(0, 0)), "window 0")
	assert.True(t, c.Valid(a, c.For(a, time.Unix(0, -1)), time.Unix(0, 0)), "previous window across 0")
}

// TestChallengesToken checks what is particular to the 64-bit tokens (their
// windows are checked with the challenges'): folded they are the challenge,
// the 32-bit value is no token, and another key refuses them.
func TestChallengesToken(t *testing.T) {
	c, t0, a := windowed()
	tok := c.Token(a, t0)
	assert.Equal(t, c.For(a, t0), uint32(tok)^uint32(tok>>32), "the challenge is the folded token")
	assert.True(t, c.ValidToken(a, tok, t0), "its own token")
	assert.False(t, c.ValidToken(a, tok^1, t0), "another value")
	assert.False(t, c.ValidToken(a, uint64(c.For(a, t0)), t0), "the 32-bit challenge")
	other := testKey
	other[3]++
	assert.False(t, NewChallenges(other, window).ValidToken(a, tok, t0), "other key accepts")
	assert.Zero(t, testing.AllocsPerRun(100, func() { c.ValidToken(a, tok, t0) }), "allocations")
}
