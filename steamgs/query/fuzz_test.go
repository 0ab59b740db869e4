package query

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fuzzRequests are seeds: every request kind, with and without challenges.
func fuzzRequests(valid uint32) [][]byte {
	var seeds [][]byte
	for _, k := range []Kind{KindInfo, KindPlayers, KindRules} {
		seeds = append(seeds,
			AppendRequest(nil, Request{Kind: k}),
			AppendRequest(nil, Request{Kind: k, Challenge: valid, HasChallenge: true}),
			AppendRequest(nil, Request{Kind: k, Challenge: valid + 1, HasChallenge: true}),
		)
	}
	return append(seeds, hdr('W'), hdr('W', 0, 0, 0, 0), hdr('i'), hdr('T'), hdr('U', 1),
		[]byte{0xFE, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 2, 0, 0xE0, 0x04}, nil, []byte("junk"))
}

func FuzzParseRequest(f *testing.F) {
	for _, s := range fuzzRequests(0x12345678) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pkt []byte) {
		req, err := ParseRequest(pkt)
		_, code := parseRequest(pkt)
		require.Equal(t, err == nil, code == parseOK, "parseRequest code %v, ParseRequest error %v", code, err)
		if err != nil {
			require.Zero(t, req, "request with error %v", err)
			return
		}
		if req.HasChallenge {
			require.NotEqual(t, NoChallenge, req.Challenge, "HasChallenge with FF FF FF FF")
		}
		// What AppendRequest writes parses back to the same request, and is
		// a prefix of any well-formed request carrying it (padding aside).
		enc := AppendRequest(nil, req)
		back, err := ParseRequest(enc)
		require.NoError(t, err, "round trip of %+v via % x", req, enc)
		require.Equal(t, req, back, "round trip via % x", enc)
		require.LessOrEqual(t, len(enc), len(pkt), "encoding % x longer than the packet % x", enc, pkt)
	})
}

// fuzzSetup is the shared state of FuzzHandle: a responder with a fixed key
// and clock, full INFO, 255 players and enough rules to split.
func fuzzSetup() (*Responder, *fakeClock) {
	clk := newFakeClock()
	r := NewResponder(Config{Now: clk.Now, Key: testKey, RateLimit: -1})
	r.SetInfo(fullInfo())
	for i := range 255 {
		r.AddPlayer(uint64(i), clk.Now().Add(-time.Duration(i)*time.Second))
		r.UpdatePlayer(uint64(i), fmt.Sprintf("player %d", i), uint32(i))
	}
	for i := range 200 {
		_ = r.SetRule(fmt.Sprintf("rule_%d", i), strings.Repeat("v", i%64))
	}
	r.SetAdvertise(true)
	return r, clk
}

// fuzzFrom is the source address of FuzzHandle's packets, with the port fuzzed.
func fuzzFrom(port uint16) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr("198.51.100.20"), port)
}

func FuzzHandle(f *testing.F) {
	r, _ := fuzzSetup()
	for _, s := range fuzzRequests(r.Challenge(fuzzFrom(27005))) {
		f.Add(s, uint16(27005))
	}
	f.Fuzz(func(t *testing.T, pkt []byte, port uint16) {
		from := fuzzFrom(port)
		var s sink
		consumed := r.Handle(pkt, from, s.send)
		s.requireTo(t, from)
		req, err := ParseRequest(pkt)
		require.Equal(t, err == nil, consumed, "Handle's result, ParseRequest error %v", err)
		if !consumed {
			require.Empty(t, s.pkts, "non-A2S packet % x answered", pkt)
		}
		for _, p := range s.pkts {
			require.LessOrEqual(t, len(p), MaxPacketSize, "datagram size")
		}
		challenged := err == nil && req.HasChallenge && req.Challenge == r.Challenge(from) &&
			(req.Kind == KindInfo || req.Kind == KindPlayers || req.Kind == KindRules)
		if !challenged {
			// No amplification without a valid challenge.
			require.LessOrEqual(t, s.bytes(), len(pkt), "bytes sent for request % x without a valid challenge", pkt)
			return
		}
		reply := s.pkts[0]
		if len(s.pkts) > 1 {
			reply, err = Reassemble(s.pkts)
			require.NoError(t, err)
		}
		switch req.Kind {
		case KindInfo:
			_, _, err = ParseInfo(reply)
		case KindPlayers:
			_, err = ParsePlayers(reply)
		case KindRules:
			_, err = ParseRules(reply)
		}
		require.NoError(t, err, "%v reply does not parse", req.Kind)
	})
}

func FuzzParseReply(f *testing.F) {
	f.Add(AppendInfo(nil, fullInfo(), 3))
	f.Add(AppendInfo(nil, Info{AppID: theShipAppID}, 0))
	f.Add(AppendPlayers(nil, []Player{{Name: "a", Score: 1, Duration: 2}, {}}))
	f.Add(AppendRules(nil, []Rule{{"k", "v"}, {"", ""}}))
	f.Add(AppendChallenge(nil, 42))
	frag, _ := AppendFragment(nil, 7, reply(1500), 1)
	f.Add(frag)
	f.Fuzz(func(t *testing.T, b []byte) {
		// Info: encoding what was decoded is stable after one pass.
		if info, n, err := ParseInfo(b); err == nil {
			e1 := AppendInfo(nil, info, n)
			info2, n2, err := ParseInfo(e1)
			require.NoError(t, err, "re-encoded INFO does not parse")
			require.Equal(t, e1, AppendInfo(nil, info2, n2), "INFO not stable")
		}
		if players, err := ParsePlayers(b); err == nil {
			e1 := AppendPlayers(nil, players)
			players2, err := ParsePlayers(e1)
			require.NoError(t, err, "re-encoded PLAYER does not parse")
			require.Equal(t, e1, AppendPlayers(nil, players2), "PLAYER not stable")
		}
		if rules, err := ParseRules(b); err == nil {
			e := AppendRules(nil, rules)
			require.Len(t, e, RulesSize(rules), "RulesSize")
			rules2, err := ParseRules(e)
			require.NoError(t, err, "RULES round trip")
			require.Len(t, rules2, len(rules), "RULES round trip")
			for i := range rules {
				require.Equal(t, rules[i], rules2[i], "rule %d", i)
			}
		}
		if c, err := ParseChallenge(b); err == nil {
			require.Equal(t, b[:ChallengeReplySize], AppendChallenge(nil, c), "challenge round trip")
		}
		if fr, err := ParseFragment(b); err == nil {
			require.Less(t, fr.Number, fr.Total, "bad fragment %+v", fr)
			require.Len(t, fr.Payload, len(b)-SplitHeaderSize, "bad fragment %+v", fr)
		}
		// Reassembly of arbitrary pieces never panics.
		if whole, err := Reassemble(bytes.Split(b, []byte{0xFE, 0xFE})); err == nil {
			require.NotNil(t, whole, "nil reply without error")
		}
	})
}
