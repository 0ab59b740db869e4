package query

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestResponder(clk *fakeClock) *Responder {
	r := NewResponder(Config{Now: clk.Now, Key: testKey, RateLimit: -1})
	r.SetAdvertise(true)
	return r
}

// TestHandleDirect drives Handle with a fake send, as the GameSocketShare path
// does, and decodes the replies with this package's decoders.
func TestHandleDirect(t *testing.T) {
	clk := newFakeClock()
	r := newTestResponder(clk)
	info := fullInfo()
	r.SetInfo(info)
	joined := clk.Now()
	r.AddPlayer(1, joined)
	r.AddPlayer(2, joined.Add(-90*time.Second))
	r.AddPlayer(3, joined) // never updated: empty name
	assert.True(t, r.UpdatePlayer(1, "alice", 10), "update 1")
	assert.True(t, r.UpdatePlayer(2, "bob", 0xFFFFFFFE), "update 2") // -2 as int32
	assert.False(t, r.UpdatePlayer(99, "nobody", 1), "unknown id updated")
	for i := range 500 {
		require.NoError(t, r.SetRule(fmt.Sprintf("rule_%03d", i), strings.Repeat("v", i%17)))
	}
	from := addr("192.0.2.10:27005")

	t.Run("info", func(t *testing.T) {
		got, players, err := ParseInfo(queryWithChallenge(t, r, KindInfo, from))
		require.NoError(t, err)
		assert.Equal(t, info, got)
		assert.Equal(t, 3, players)
	})
	t.Run("players", func(t *testing.T) {
		clk.Add(2500 * time.Millisecond)
		got, err := ParsePlayers(queryWithChallenge(t, r, KindPlayers, from))
		require.NoError(t, err)
		assert.Equal(t, []Player{
			{Name: "alice", Score: 10, Duration: 2.5},
			{Name: "bob", Score: 0xFFFFFFFE, Duration: 92.5},
			{Name: "", Score: 0, Duration: 2.5},
		}, got)
		// Durations move with the clock without a rebuild.
		rebuilds := r.rebuilds
		clk.Add(time.Second)
		got, err = ParsePlayers(queryWithChallenge(t, r, KindPlayers, from))
		require.NoError(t, err)
		assert.Equal(t, float32(3.5), got[0].Duration)
		assert.Equal(t, float32(93.5), got[1].Duration)
		assert.Equal(t, rebuilds, r.rebuilds)
	})
	t.Run("rules split", func(t *testing.T) {
		var s sink
		c := r.Challenge(from)
		assert.True(t, r.Handle(AppendRequest(nil, Request{Kind: KindRules, Challenge: c, HasChallenge: true}), from, s.send), "consumed")
		assert.Greater(t, len(s.pkts), 1, "RULES with 500 rules not split")
		s.requireTo(t, from)
		b, err := Reassemble(s.pkts)
		require.NoError(t, err)
		rules, err := ParseRules(b)
		require.NoError(t, err)
		require.Len(t, rules, 500)
		for i, rule := range rules {
			assert.Equal(t, Rule{fmt.Sprintf("rule_%03d", i), strings.Repeat("v", i%17)}, rule)
		}
	})
	t.Run("ping", func(t *testing.T) {
		var s sink
		assert.True(t, r.Handle(hdr('i'), from, s.send), "consumed")
		assert.Equal(t, [][]byte{hdr('j')}, s.pkts)
		s.requireTo(t, from)
	})
	st := r.Stats()
	assert.Equal(t, uint64(1), st.Info)
	assert.Equal(t, uint64(2), st.Players)
	assert.Equal(t, uint64(1), st.Rules)
	assert.Equal(t, uint64(1), st.Pings)
	assert.Equal(t, uint64(3), st.Challenges)
}

func TestAdvertiseOff(t *testing.T) {
	clk := newFakeClock()
	r := NewResponder(Config{Now: clk.Now, Key: testKey})
	r.SetInfo(fullInfo())
	from := addr("192.0.2.1:1")
	var s sink
	reqs := [][]byte{
		AppendRequest(nil, Request{Kind: KindInfo}),
		AppendRequest(nil, Request{Kind: KindInfo, Challenge: r.Challenge(from), HasChallenge: true}),
		AppendRequest(nil, Request{Kind: KindPlayers}),
		hdr('i'),
	}
	for _, req := range reqs {
		assert.True(t, r.Handle(req, from, s.send), "A2S request not consumed")
	}
	assert.Empty(t, s.pkts, "answered while advertising is off")
	assert.Equal(t, uint64(len(reqs)), r.Stats().DroppedOff)
	r.SetAdvertise(true)
	assert.True(t, r.Handle(reqs[1], from, s.send), "consumed")
	assert.Len(t, s.pkts, 1)
	s.requireTo(t, from)
	r.SetAdvertise(false)
	r.Handle(reqs[1], from, s.send)
	assert.Len(t, s.pkts, 1, "answered after advertising was turned off")
}

func TestNotA2SIgnored(t *testing.T) {
	r := newTestResponder(newFakeClock())
	junk := [][]byte{
		nil, {0xFF}, {0xFF, 0xFF, 0xFF, 0xFF}, []byte("hello world"),
		{0xFE, 0xFF, 0xFF, 0xFF, 'T'}, hdr('X'), hdr('q', 1, 2, 3, 4), hdr('T', 'S'),
		hdr('U'), hdr('V', 1), []byte("\xFF\xFF\xFF\xFFgetchallenge steam\n"),
	}
	for _, pkt := range junk {
		var s sink
		assert.False(t, r.Handle(pkt, addr("192.0.2.1:1"), s.send), "%q consumed", pkt)
		assert.Empty(t, s.pkts, "%q answered", pkt)
	}
	assert.Equal(t, uint64(len(junk)), r.Stats().DroppedBad)
}

// TestNoAmplification sends every kind of request without a valid challenge
// (and junk) to a responder with a lot of state, and checks that no reply is
// larger than its request.
func TestNoAmplification(t *testing.T) {
	clk := newFakeClock()
	r := newTestResponder(clk)
	r.SetInfo(fullInfo())
	for i := range 255 {
		r.AddPlayer(uint64(i), clk.Now())
		r.UpdatePlayer(uint64(i), strings.Repeat("x", 64), 1)
	}
	for i := range 300 {
		require.NoError(t, r.SetRule(fmt.Sprintf("k%d", i), strings.Repeat("v", 100)))
	}
	from := addr("192.0.2.99:27005")
	stale := r.Challenge(from)
	clk.Add(2 * DefaultChallengeWindow)
	valid := r.Challenge(from)

	var reqs [][]byte
	for _, k := range []Kind{KindInfo, KindPlayers, KindRules} {
		reqs = append(reqs,
			AppendRequest(nil, Request{Kind: k}),
			AppendRequest(nil, Request{Kind: k, Challenge: NoChallenge, HasChallenge: true}),
			AppendRequest(nil, Request{Kind: k, Challenge: valid ^ 1, HasChallenge: true}),
			AppendRequest(nil, Request{Kind: k, Challenge: stale, HasChallenge: true}),
			AppendRequest(nil, Request{Kind: k, Challenge: 0, HasChallenge: true}),
		)
	}
	reqs = append(reqs,
		hdr('W'), hdr('W', 0), hdr('W', 0, 0, 0), hdr('W', 0, 0, 0, 0), // legacy GETCHALLENGE, 5 to 9 bytes
		hdr('i'), hdr('i', 0), // A2A_PING
		append(hdr('T'), infoPayload[:5]...), hdr('U', 1), hdr('V', 1, 2, 3), // malformed
		[]byte{0xFF, 0xFF, 0xFF, 0xFF}, []byte("junk"), []byte{0xFE, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 1, 0, 0xE0, 0x04},
	)
	for _, req := range reqs {
		var s sink
		r.Handle(req, from, s.send)
		s.requireTo(t, from)
		assert.LessOrEqual(t, s.bytes(), len(req), "bytes sent back for request % x", req)
		for _, p := range s.pkts {
			assert.True(t, p[4] == 'A' || p[4] == 'j', "request % x got data back: % x", req, p[:5])
		}
	}
	assert.Equal(t, uint64(3), r.Stats().DroppedSmall)
	// With the valid challenge, the same state gives large replies.
	var s sink
	r.Handle(AppendRequest(nil, Request{Kind: KindRules, Challenge: valid, HasChallenge: true}), from, s.send)
	assert.Greater(t, s.bytes(), 30000, "valid RULES query reply bytes")
	s.requireTo(t, from)
}

func TestSnapshotRebuiltOnlyOnChange(t *testing.T) {
	clk := newFakeClock()
	r := newTestResponder(clk)
	from := addr("192.0.2.1:1")
	c := r.Challenge(from)
	ask := func(k Kind) {
		t.Helper()
		var s sink
		r.Handle(AppendRequest(nil, Request{Kind: k, Challenge: c, HasChallenge: true}), from, s.send)
		require.NotEmpty(t, s.pkts, "%v not answered", k)
		s.requireTo(t, from)
		require.NotEqual(t, byte('A'), s.pkts[0][4], "%v not answered", k)
	}
	askAll := func() {
		for range 3 {
			ask(KindInfo)
			ask(KindPlayers)
			ask(KindRules)
		}
	}
	askAll()
	assert.Equal(t, 3, r.rebuilds, "first queries")
	askAll()
	assert.Equal(t, 3, r.rebuilds, "repeated queries rebuilt")

	steps := []struct {
		name     string
		change   func()
		rebuilds int
	}{
		{"SetInfo", func() { r.SetInfo(Info{Name: "x"}) }, 1},
		{"AddPlayer (INFO count and PLAYER)", func() { r.AddPlayer(1, clk.Now()) }, 2},
		{"UpdatePlayer", func() { r.UpdatePlayer(1, "n", 1) }, 1},
		{"UpdatePlayer unchanged", func() { r.UpdatePlayer(1, "n", 1) }, 0},
		{"UpdatePlayer unknown", func() { r.UpdatePlayer(2, "n", 1) }, 0},
		{"SetRule", func() { require.NoError(t, r.SetRule("a", "b")) }, 1},
		{"SetRule unchanged", func() { require.NoError(t, r.SetRule("a", "b")) }, 0},
		{"SetAdvertise", func() { r.SetAdvertise(true) }, 0},
		{"clock", func() { clk.Add(time.Minute); c = r.Challenge(from) }, 0},
		{"ClearRules", func() { r.ClearRules() }, 1},
		{"RemovePlayer", func() { r.RemovePlayer(1) }, 2},
		{"RemovePlayer unknown", func() { r.RemovePlayer(1) }, 0},
	}
	for _, st := range steps {
		before := r.rebuilds
		st.change()
		askAll()
		assert.Equal(t, st.rebuilds, r.rebuilds-before, st.name)
	}
}

func TestPlayerCountAndBots(t *testing.T) {
	clk := newFakeClock()
	r := newTestResponder(clk)
	r.SetInfo(Info{Name: "s", MaxPlayers: 400, Bots: 7})
	from := addr("192.0.2.1:1")
	for i := range 300 {
		r.AddPlayer(uint64(i), clk.Now().Add(-time.Duration(i)*time.Second))
		r.UpdatePlayer(uint64(i), fmt.Sprintf("player %d with a rather long name, to make it split", i), uint32(i))
	}
	assert.Equal(t, 300, r.PlayerCount())
	info, n, err := ParseInfo(queryWithChallenge(t, r, KindInfo, from))
	require.NoError(t, err)
	assert.Equal(t, 255, n)
	assert.Equal(t, 255, info.MaxPlayers)
	assert.Equal(t, 7, info.Bots)

	var s sink
	c := r.Challenge(from)
	r.Handle(AppendRequest(nil, Request{Kind: KindPlayers, Challenge: c, HasChallenge: true}), from, s.send)
	assert.Greater(t, len(s.pkts), 1, "255 players not split")
	s.requireTo(t, from)
	b, err := Reassemble(s.pkts)
	require.NoError(t, err)
	players, err := ParsePlayers(b)
	require.NoError(t, err)
	require.Len(t, players, 255)
	for i, p := range players {
		assert.Equal(t, fmt.Sprintf("player %d with a rather long name, to make it split", i), p.Name)
		assert.Equal(t, uint32(i), p.Score)
		assert.Equal(t, float32(i), p.Duration)
	}

	// Removing keeps the join order of the others.
	r.RemovePlayer(0)
	r.RemovePlayer(2)
	players, err = ParsePlayers(queryWithChallenge(t, r, KindPlayers, from))
	require.NoError(t, err)
	assert.Equal(t, uint32(1), players[0].Score)
	assert.Equal(t, uint32(3), players[1].Score)
	assert.False(t, r.UpdatePlayer(2, "gone", 0))
	assert.True(t, r.UpdatePlayer(299, "last", 0), "299 still there")

	// Re-adding keeps name and score and replaces the join time.
	r.AddPlayer(1, clk.Now())
	players, err = ParsePlayers(queryWithChallenge(t, r, KindPlayers, from))
	require.NoError(t, err)
	assert.Equal(t, Player{Name: fmt.Sprintf("player %d with a rather long name, to make it split", 1), Score: 1, Duration: 0}, players[0])
	assert.Equal(t, 298, r.PlayerCount())
}

func TestSetRuleLimits(t *testing.T) {
	r := NewResponder(Config{Key: testKey})
	value := strings.Repeat("v", 1000)
	var err error
	n := 0
	for ; n < 1000; n++ {
		if err = r.SetRule(fmt.Sprintf("key%03d", n), value); err != nil {
			break
		}
	}
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.ErrorContains(t, err, fmt.Sprintf("query: rules reply is %d bytes, limit %d", r.rulesSize+ruleSize("key000", value), MaxReplySize))
	assert.Len(t, r.rules, n)
	assert.Equal(t, RulesSize(r.rules), r.rulesSize)
	assert.LessOrEqual(t, r.rulesSize, MaxReplySize, "rules size")
	// Replacing a value with a longer one is checked too, and a failed
	// SetRule changes nothing.
	err = r.SetRule("key000", strings.Repeat("w", MaxReplySize))
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Equal(t, value, r.rules[0].Value)
	// A shorter value fits.
	require.NoError(t, r.SetRule("key000", "short"))
	assert.Equal(t, RulesSize(r.rules), r.rulesSize)
	// The full reply still goes out, split into at most 255 fragments.
	r.SetAdvertise(true)
	from := addr("192.0.2.1:1")
	var s sink
	r.Handle(AppendRequest(nil, Request{Kind: KindRules, Challenge: r.Challenge(from), HasChallenge: true}), from, s.send)
	assert.True(t, len(s.pkts) > 200 && len(s.pkts) <= MaxFragments, "%d fragments", len(s.pkts))
	s.requireTo(t, from)
	b, err := Reassemble(s.pkts)
	require.NoError(t, err)
	rules, err := ParseRules(b)
	require.NoError(t, err)
	assert.Equal(t, r.rules, rules)

	err = r.SetRule("a\x00b", "c")
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "NUL")
	assert.ErrorIs(t, r.SetRule("a", "\x00"), ErrInvalid)

	r.ClearRules()
	assert.Empty(t, r.rules)
	assert.Equal(t, rulesHeaderSize, r.rulesSize)
	require.NoError(t, r.SetRule("key000", value))
}

func TestSetRuleCountLimit(t *testing.T) {
	r := NewResponder(Config{Key: testKey})
	// Distinct keys of 1 to 3 non-NUL bytes keep the reply under the byte
	// limit, so the count limit is what stops them.
	key := func(i int) string {
		switch {
		case i < 255:
			return string([]byte{byte(i + 1)})
		case i < 255+255*255:
			i -= 255
			return string([]byte{byte(i/255 + 1), byte(i%255 + 1)})
		}
		i -= 255 + 255*255
		return string([]byte{1, byte(i/255 + 1), byte(i%255 + 1)})
	}
	var err error
	for i := 0; i <= MaxRules; i++ {
		if err = r.SetRule(key(i), ""); err != nil {
			break
		}
	}
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.ErrorContains(t, err, "query: rules reply is 65536 rules, limit 65535")
	assert.Len(t, r.rules, MaxRules)
	require.NoError(t, r.SetRule(key(0), "x"), "replacing at the count limit")
}

// untilStopped calls step(first), step(first+1), ... on a goroutine of wg
// until stop is closed.
func untilStopped(wg *sync.WaitGroup, stop <-chan struct{}, first int, step func(i int)) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := first; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			step(i)
		}
	}()
}

// TestConcurrentState mutates state on one goroutine while others query
// through Handle; run with -race.
func TestConcurrentState(t *testing.T) {
	r := NewResponder(Config{Key: testKey, RateLimit: -1})
	r.SetAdvertise(true)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	untilStopped(&wg, stop, 0, func(i int) {
		r.SetInfo(Info{Name: fmt.Sprint(i)})
		r.AddPlayer(uint64(i%50), time.Now())
		r.UpdatePlayer(uint64(i%50), "p", uint32(i))
		if i%3 == 0 {
			r.RemovePlayer(uint64(i % 50))
		}
		_ = r.SetRule(fmt.Sprint(i%100), "v")
		if i%500 == 0 {
			r.ClearRules()
		}
		r.SetAdvertise(i%7 != 0)
	})
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := addr(fmt.Sprintf("192.0.2.%d:1", g+1))
			for i := range 2000 {
				k := []Kind{KindInfo, KindPlayers, KindRules}[i%3]
				req := AppendRequest(nil, Request{Kind: k, Challenge: r.Challenge(from), HasChallenge: true})
				r.Handle(req, from, func(b []byte, to netip.AddrPort) {
					assert.GreaterOrEqual(t, len(b), 5, "short reply % x", b)
					assert.Equal(t, from, to, "destination")
				})
				_ = r.Stats()
			}
		}()
	}
	time.Sleep(10 * time.Millisecond)
	// Let the queriers finish, then stop the writer.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for r.Stats().Info+r.Stats().Players+r.Stats().Rules+r.Stats().DroppedOff < 4000 {
			time.Sleep(time.Millisecond)
		}
	}()
	<-done
	close(stop)
	wg.Wait()
}

// TestSnapshotsWhileSetting has queriers decode every reply while a writer
// changes the state: each reply decodes whole (no snapshot is written while
// it is read), and each querier sees the state move forward only.
func TestSnapshotsWhileSetting(t *testing.T) {
	r := NewResponder(Config{Key: testKey, RateLimit: -1})
	r.SetAdvertise(true)
	r.SetInfo(Info{Name: "0"})
	require.NoError(t, r.SetRule("n", "0"))
	var wg sync.WaitGroup
	var written atomic.Int64
	stop := make(chan struct{})
	untilStopped(&wg, stop, 1, func(i int) {
		name := strings.Repeat("x", i%200) + fmt.Sprint(i) // sizes vary, so reused buffers would show
		r.SetInfo(Info{Name: name})
		assert.NoError(t, r.SetRule("n", name))
		r.AddPlayer(uint64(i%40), time.Now())
		r.UpdatePlayer(uint64(i%40), name, uint32(i))
		written.Store(int64(i))
	})
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := addr(fmt.Sprintf("192.0.2.%d:1", g+1))
			c := r.Challenge(from)
			last := map[Kind]int{}
			for i := range 3000 {
				k := []Kind{KindInfo, KindPlayers, KindRules}[i%3]
				var s sink
				r.Handle(AppendRequest(nil, Request{Kind: k, Challenge: c, HasChallenge: true}), from, s.send)
				name, err := decodedName(k, s.pkts)
				if !assert.NoError(t, err, "%v", k) {
					return
				}
				if k == KindPlayers {
					continue
				}
				n, err := strconv.Atoi(strings.TrimLeft(name, "x"))
				if !assert.NoError(t, err, "%v name %q", k, name) {
					return
				}
				assert.GreaterOrEqual(t, n, last[k], "%v went back", k)
				last[k] = n
			}
		}()
	}
	for written.Load() < 100 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(stop)
	wg.Wait()
}

// decodedName decodes the reply pkts to a query of kind k and returns the
// server name (INFO) or the first rule's value (RULES).
func decodedName(k Kind, pkts [][]byte) (string, error) {
	if len(pkts) == 0 {
		return "", errors.New("no reply")
	}
	b := pkts[0]
	if len(pkts) > 1 {
		var err error
		if b, err = Reassemble(pkts); err != nil {
			return "", err
		}
	}
	switch k {
	case KindInfo:
		info, _, err := ParseInfo(b)
		return info.Name, err
	case KindRules:
		rules, err := ParseRules(b)
		if err == nil && len(rules) != 1 {
			err = fmt.Errorf("%d rules", len(rules))
		}
		if err != nil {
			return "", err
		}
		return rules[0].Value, nil
	}
	_, err := ParsePlayers(b)
	return "", err
}

// TestSettersDoNotWaitForReaders holds a snapshot being read (as a query
// that is being copied out) while the state changes: the setters and the
// next query go ahead without waiting, and the held snapshot stays intact.
func TestSettersDoNotWaitForReaders(t *testing.T) {
	clk := newFakeClock()
	r := newTestResponder(clk)
	r.SetInfo(Info{Name: "old"})
	from := addr("192.0.2.10:27005")
	_ = queryWithChallenge(t, r, KindInfo, from)
	held := r.snapshot(snapInfo) // read-locked, as while a reply is copied
	heldBytes := append([]byte(nil), held.b...)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.SetInfo(Info{Name: "new"})
		r.AddPlayer(1, clk.Now())
		assert.NoError(t, r.SetRule("k", "v"))
		var s sink
		r.Handle(AppendRequest(nil, Request{Kind: KindInfo, Challenge: r.Challenge(from), HasChallenge: true}), from, s.send)
		name, err := decodedName(KindInfo, s.pkts)
		assert.NoError(t, err)
		assert.Equal(t, "new", name, "INFO after the change")
	}()
	waitFor(t, done, "setters and a query while a snapshot is read")
	assert.Equal(t, heldBytes, held.b, "the snapshot being read changed")
	held.rw.RUnlock()
	info, _, err := ParseInfo(queryWithChallenge(t, r, KindInfo, from))
	require.NoError(t, err)
	assert.Equal(t, "new", info.Name, "INFO once the read ended")
}

// waitFor waits for ch to be closed or receive, failing after a timeout.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		require.FailNow(t, "timed out waiting: "+what)
	}
}

// TestHandleSendCallsResponder has send call the Responder's methods, which
// deadlocked while Handle held its lock during send: every kind of reply,
// whole and split, completes, and what send changed shows in the next reply.
func TestHandleSendCallsResponder(t *testing.T) {
	clk := newFakeClock()
	r := newTestResponder(clk)
	r.SetInfo(Info{Name: "before", MaxPlayers: 64})
	for i := range 300 {
		require.NoError(t, r.SetRule(fmt.Sprintf("rule_%03d", i), strings.Repeat("v", 20)))
	}
	from := addr("192.0.2.10:27005")
	c := r.Challenge(from)
	reqs := []struct {
		name string
		req  []byte
	}{
		{"challenge", AppendRequest(nil, Request{Kind: KindInfo})},
		{"ping", hdr('i')},
		{"info", AppendRequest(nil, Request{Kind: KindInfo, Challenge: c, HasChallenge: true})},
		{"players", AppendRequest(nil, Request{Kind: KindPlayers, Challenge: c, HasChallenge: true})},
		{"rules split", AppendRequest(nil, Request{Kind: KindRules, Challenge: c, HasChallenge: true})},
	}
	id := uint64(0)
	for _, tt := range reqs {
		done := make(chan struct{})
		calls := 0
		var dsts []netip.AddrPort
		go func() {
			defer close(done)
			r.Handle(tt.req, from, func(b []byte, to netip.AddrPort) {
				calls++
				dsts = append(dsts, to)
				id++
				r.SetInfo(Info{Name: fmt.Sprint("from send ", id), MaxPlayers: 64})
				r.AddPlayer(id, clk.Now())
				r.UpdatePlayer(id, "p", 1)
				_ = r.Stats()
				_ = r.PlayerCount()
				_ = r.Challenge(to)
				_ = r.SetRule("from_send", fmt.Sprint(id))
			})
		}()
		waitFor(t, done, tt.name+": Handle whose send calls the Responder")
		assert.Positive(t, calls, "%s: send not called", tt.name)
		for _, to := range dsts {
			assert.Equal(t, from, to, "%s: destination", tt.name)
		}
	}
	assert.Equal(t, int(id), r.PlayerCount(), "players added from send")
	info, n, err := ParseInfo(queryWithChallenge(t, r, KindInfo, from))
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint("from send ", id), info.Name, "INFO set from send")
	assert.Equal(t, int(id), n, "INFO player count")
	st := r.Stats()
	assert.Equal(t, uint64(2), st.Info)
	assert.Equal(t, uint64(1), st.Players)
	assert.Equal(t, uint64(1), st.Rules)
	assert.Equal(t, uint64(1), st.Pings)
}

// TestHandleSendCallsHandle has send answer another request through Handle
// (a reply that triggers one more) without deadlocking.
func TestHandleSendCallsHandle(t *testing.T) {
	r := newTestResponder(newFakeClock())
	r.SetInfo(Info{Name: "nested"})
	from, other := addr("192.0.2.10:27005"), addr("192.0.2.11:27005")
	inner := AppendRequest(nil, Request{Kind: KindInfo, Challenge: r.Challenge(other), HasChallenge: true})
	var s sink
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Handle(hdr('i'), from, func(b []byte, to netip.AddrPort) {
			s.send(b, to)
			r.Handle(inner, other, s.send)
		})
	}()
	waitFor(t, done, "Handle whose send calls Handle")
	require.Len(t, s.pkts, 2)
	assert.Equal(t, []netip.AddrPort{from, other}, s.to, "destinations")
	assert.Equal(t, hdr('j'), s.pkts[0], "ping reply")
	info, _, err := ParseInfo(s.pkts[1])
	require.NoError(t, err)
	assert.Equal(t, "nested", info.Name)
}

// TestHandleBlockedSendDoesNotBlockOthers blocks one Handle in its send and
// checks that, meanwhile, Handle on other goroutines answers every kind of
// request and the state can be changed: the lock is not held while sending.
func TestHandleBlockedSendDoesNotBlockOthers(t *testing.T) {
	clk := newFakeClock()
	r := newTestResponder(clk)
	r.SetInfo(Info{Name: "s", MaxPlayers: 255})
	for i := range 255 {
		r.AddPlayer(uint64(i), clk.Now())
		r.UpdatePlayer(uint64(i), strings.Repeat("n", 30), uint32(i))
	}
	for i := range 300 {
		require.NoError(t, r.SetRule(fmt.Sprintf("rule_%03d", i), strings.Repeat("v", 20)))
	}
	slow, fast := addr("192.0.2.1:27005"), addr("192.0.2.2:27005")
	cs, cf := r.Challenge(slow), r.Challenge(fast)
	for _, kind := range []Kind{KindInfo, KindPlayers, KindRules} {
		t.Run(kind.String(), func(t *testing.T) {
			entered, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
			releaseOnce := sync.OnceFunc(func() { close(release) })
			defer releaseOnce() // on failure too, so that no goroutine leaks
			var slowTo []netip.AddrPort
			go func() {
				defer close(done)
				first := true
				r.Handle(AppendRequest(nil, Request{Kind: kind, Challenge: cs, HasChallenge: true}), slow, func(b []byte, to netip.AddrPort) {
					slowTo = append(slowTo, to)
					if first {
						first = false
						close(entered)
						<-release
					}
				})
			}()
			waitFor(t, entered, "the slow Handle's send")
			// While the slow send blocks, another goroutine is answered, for
			// every kind, and the game goroutine changes state.
			for _, k := range []Kind{KindInfo, KindPlayers, KindRules, KindPing} {
				var s sink
				answered := make(chan struct{})
				go func() {
					defer close(answered)
					r.Handle(AppendRequest(nil, Request{Kind: k, Challenge: cf, HasChallenge: true}), fast, s.send)
				}()
				waitFor(t, answered, fmt.Sprintf("%v from another goroutine while a send blocks", k))
				require.NotEmpty(t, s.pkts, "%v not answered", k)
				s.requireTo(t, fast)
				assert.NotEqual(t, byte('A'), s.pkts[0][4], "%v got a challenge", k)
			}
			changed := make(chan struct{})
			go func() {
				defer close(changed)
				r.SetInfo(Info{Name: "changed", MaxPlayers: 255})
				r.AddPlayer(1000, clk.Now())
				r.RemovePlayer(1000)
				_ = r.SetRule("changed", "yes")
				_ = r.Stats()
			}()
			waitFor(t, changed, "state changes while a send blocks")
			releaseOnce()
			waitFor(t, done, "the slow Handle after release")
			require.NotEmpty(t, slowTo)
			for _, to := range slowTo {
				assert.Equal(t, slow, to, "slow reply's destination")
			}
		})
	}
}
