package query

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
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
	isTrue(t, r.UpdatePlayer(1, "alice", 10), "update 1")
	isTrue(t, r.UpdatePlayer(2, "bob", 0xFFFFFFFE), "update 2") // -2 as int32
	isTrue(t, !r.UpdatePlayer(99, "nobody", 1), "unknown id updated")
	for i := range 500 {
		noErr(t, r.SetRule(fmt.Sprintf("rule_%03d", i), strings.Repeat("v", i%17)))
	}
	from := addr("192.0.2.10:27005")

	t.Run("info", func(t *testing.T) {
		got, players, err := ParseInfo(queryWithChallenge(t, r, KindInfo, from))
		noErr(t, err)
		equal(t, got, info)
		equal(t, players, 3)
	})
	t.Run("players", func(t *testing.T) {
		clk.Add(2500 * time.Millisecond)
		got, err := ParsePlayers(queryWithChallenge(t, r, KindPlayers, from))
		noErr(t, err)
		equal(t, got, []Player{
			{Name: "alice", Score: 10, Duration: 2.5},
			{Name: "bob", Score: 0xFFFFFFFE, Duration: 92.5},
			{Name: "", Score: 0, Duration: 2.5},
		})
		// Durations move with the clock without a rebuild.
		rebuilds := r.rebuilds
		clk.Add(time.Second)
		got, err = ParsePlayers(queryWithChallenge(t, r, KindPlayers, from))
		noErr(t, err)
		equal(t, got[0].Duration, float32(3.5))
		equal(t, got[1].Duration, float32(93.5))
		equal(t, r.rebuilds, rebuilds)
	})
	t.Run("rules split", func(t *testing.T) {
		var s sink
		c := r.Challenge(from)
		isTrue(t, r.Handle(AppendRequest(nil, Request{Kind: KindRules, Challenge: c, HasChallenge: true}), from, s.send), "consumed")
		isTrue(t, len(s.pkts) > 1, "RULES with 500 rules not split: %d packets", len(s.pkts))
		b, err := Reassemble(s.pkts)
		noErr(t, err)
		rules, err := ParseRules(b)
		noErr(t, err)
		mustEqual(t, len(rules), 500)
		for i, rule := range rules {
			equal(t, rule, Rule{fmt.Sprintf("rule_%03d", i), strings.Repeat("v", i%17)})
		}
	})
	t.Run("ping", func(t *testing.T) {
		var s sink
		isTrue(t, r.Handle(hdr('i'), from, s.send), "consumed")
		equal(t, s.pkts, [][]byte{hdr('j')})
	})
	st := r.Stats()
	equal(t, st.Info, uint64(1))
	equal(t, st.Players, uint64(2))
	equal(t, st.Rules, uint64(1))
	equal(t, st.Pings, uint64(1))
	equal(t, st.Challenges, uint64(3))
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
		isTrue(t, r.Handle(req, from, s.send), "A2S request not consumed")
	}
	equal(t, len(s.pkts), 0, "answered while advertising is off")
	equal(t, r.Stats().DroppedOff, uint64(len(reqs)))
	r.SetAdvertise(true)
	isTrue(t, r.Handle(reqs[1], from, s.send), "consumed")
	equal(t, len(s.pkts), 1)
	r.SetAdvertise(false)
	r.Handle(reqs[1], from, s.send)
	equal(t, len(s.pkts), 1, "answered after advertising was turned off")
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
		isTrue(t, !r.Handle(pkt, addr("192.0.2.1:1"), s.send), "%q consumed", pkt)
		equal(t, len(s.pkts), 0, "%q answered", pkt)
	}
	equal(t, r.Stats().DroppedBad, uint64(len(junk)))
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
		noErr(t, r.SetRule(fmt.Sprintf("k%d", i), strings.Repeat("v", 100)))
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
		if s.bytes() > len(req) {
			t.Errorf("request % x (%d bytes) got %d bytes back", req, len(req), s.bytes())
		}
		for _, p := range s.pkts {
			if p[4] != 'A' && p[4] != 'j' {
				t.Errorf("request % x got data back: % x", req, p[:5])
			}
		}
	}
	equal(t, r.Stats().DroppedSmall, uint64(3))
	// With the valid challenge, the same state gives large replies.
	var s sink
	r.Handle(AppendRequest(nil, Request{Kind: KindRules, Challenge: valid, HasChallenge: true}), from, s.send)
	isTrue(t, s.bytes() > 30000, "valid RULES query got %d bytes", s.bytes())
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
		if len(s.pkts) == 0 || s.pkts[0][4] == 'A' {
			t.Fatalf("%v not answered", k)
		}
	}
	askAll := func() {
		for range 3 {
			ask(KindInfo)
			ask(KindPlayers)
			ask(KindRules)
		}
	}
	askAll()
	equal(t, r.rebuilds, 3, "first queries")
	askAll()
	equal(t, r.rebuilds, 3, "repeated queries rebuilt")

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
		{"SetRule", func() { noErr(t, r.SetRule("a", "b")) }, 1},
		{"SetRule unchanged", func() { noErr(t, r.SetRule("a", "b")) }, 0},
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
		equal(t, r.rebuilds-before, st.rebuilds, st.name)
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
	equal(t, r.PlayerCount(), 300)
	info, n, err := ParseInfo(queryWithChallenge(t, r, KindInfo, from))
	noErr(t, err)
	equal(t, n, 255)
	equal(t, info.MaxPlayers, 255)
	equal(t, info.Bots, 7)

	var s sink
	c := r.Challenge(from)
	r.Handle(AppendRequest(nil, Request{Kind: KindPlayers, Challenge: c, HasChallenge: true}), from, s.send)
	isTrue(t, len(s.pkts) > 1, "255 players not split")
	b, err := Reassemble(s.pkts)
	noErr(t, err)
	players, err := ParsePlayers(b)
	noErr(t, err)
	mustEqual(t, len(players), 255)
	for i, p := range players {
		equal(t, p.Name, fmt.Sprintf("player %d with a rather long name, to make it split", i))
		equal(t, p.Score, uint32(i))
		equal(t, p.Duration, float32(i))
	}

	// Removing keeps the join order of the others.
	r.RemovePlayer(0)
	r.RemovePlayer(2)
	players, err = ParsePlayers(queryWithChallenge(t, r, KindPlayers, from))
	noErr(t, err)
	equal(t, players[0].Score, uint32(1))
	equal(t, players[1].Score, uint32(3))
	equal(t, r.UpdatePlayer(2, "gone", 0), false)
	isTrue(t, r.UpdatePlayer(299, "last", 0), "299 still there")

	// Re-adding keeps name and score and replaces the join time.
	r.AddPlayer(1, clk.Now())
	players, err = ParsePlayers(queryWithChallenge(t, r, KindPlayers, from))
	noErr(t, err)
	equal(t, players[0], Player{Name: fmt.Sprintf("player %d with a rather long name, to make it split", 1), Score: 1, Duration: 0})
	equal(t, r.PlayerCount(), 298)
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
	isErr(t, err, ErrTooLarge)
	errContains(t, err, fmt.Sprintf("query: rules reply is %d bytes, limit %d", r.rulesSize+ruleSize("key000", value), MaxReplySize))
	equal(t, len(r.rules), n)
	equal(t, r.rulesSize, RulesSize(r.rules))
	isTrue(t, r.rulesSize <= MaxReplySize, "size %d", r.rulesSize)
	// Replacing a value with a longer one is checked too, and a failed
	// SetRule changes nothing.
	err = r.SetRule("key000", strings.Repeat("w", MaxReplySize))
	isErr(t, err, ErrTooLarge)
	equal(t, r.rules[0].Value, value)
	// A shorter value fits.
	noErr(t, r.SetRule("key000", "short"))
	equal(t, r.rulesSize, RulesSize(r.rules))
	// The full reply still goes out, split into at most 255 fragments.
	r.SetAdvertise(true)
	from := addr("192.0.2.1:1")
	var s sink
	r.Handle(AppendRequest(nil, Request{Kind: KindRules, Challenge: r.Challenge(from), HasChallenge: true}), from, s.send)
	isTrue(t, len(s.pkts) > 200 && len(s.pkts) <= MaxFragments, "%d fragments", len(s.pkts))
	b, err := Reassemble(s.pkts)
	noErr(t, err)
	rules, err := ParseRules(b)
	noErr(t, err)
	equal(t, rules, r.rules)

	err = r.SetRule("a\x00b", "c")
	isErr(t, err, ErrInvalid)
	errContains(t, err, "NUL")
	isErr(t, r.SetRule("a", "\x00"), ErrInvalid)

	r.ClearRules()
	equal(t, len(r.rules), 0)
	equal(t, r.rulesSize, rulesHeaderSize)
	noErr(t, r.SetRule("key000", value))
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
	isErr(t, err, ErrTooLarge)
	errContains(t, err, "query: rules reply is 65536 rules, limit 65535")
	equal(t, len(r.rules), MaxRules)
	noErr(t, r.SetRule(key(0), "x"), "replacing at the count limit")
}

// TestConcurrentState mutates state on one goroutine while others query
// through Handle; run with -race.
func TestConcurrentState(t *testing.T) {
	r := NewResponder(Config{Key: testKey, RateLimit: -1})
	r.SetAdvertise(true)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
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
		}
	}()
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := addr(fmt.Sprintf("192.0.2.%d:1", g+1))
			for i := range 2000 {
				k := []Kind{KindInfo, KindPlayers, KindRules}[i%3]
				req := AppendRequest(nil, Request{Kind: k, Challenge: r.Challenge(from), HasChallenge: true})
				r.Handle(req, from, func(b []byte) {
					if len(b) < 5 {
						t.Errorf("short reply % x", b)
					}
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
