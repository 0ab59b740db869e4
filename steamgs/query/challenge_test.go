package query

import (
	"testing"
	"time"

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
			assert.Equal(t, tt.valid, r.validChallenge(from, c, clk.Now()))
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
	assert.True(t, r2.validChallenge(a, c, clk.Now()), "same key accepts")
	assert.False(t, r3.validChallenge(a, c, clk.Now()), "other key refuses")
	assert.NotEqual(t, random1.Challenge(a), random2.Challenge(a), "random keys differ")
}

func TestChallengeWindowBefore1970(t *testing.T) {
	clk := &fakeClock{t: time.Unix(-1, 0)}
	r := NewResponder(Config{Now: clk.Now, Key: testKey, ChallengeWindow: time.Second})
	assert.Equal(t, int64(-1), r.challengeWindow(time.Unix(-1, 0)))
	assert.Equal(t, int64(-1), r.challengeWindow(time.Unix(0, -1)))
	assert.Equal(t, int64(0), r.challengeWindow(time.Unix(0, 0)))
}
