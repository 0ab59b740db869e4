package query

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
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
		if _, code := parseRequest(pkt); (code == parseOK) != (err == nil) {
			t.Fatalf("parseRequest code %v, ParseRequest error %v", code, err)
		}
		if err != nil {
			if req != (Request{}) {
				t.Fatalf("error %v with request %+v", err, req)
			}
			return
		}
		if req.HasChallenge && req.Challenge == NoChallenge {
			t.Fatalf("HasChallenge with FF FF FF FF")
		}
		// What AppendRequest writes parses back to the same request, and is
		// a prefix of any well-formed request carrying it (padding aside).
		enc := AppendRequest(nil, req)
		back, err := ParseRequest(enc)
		if err != nil || back != req {
			t.Fatalf("round trip: %+v -> % x -> %+v, %v", req, enc, back, err)
		}
		if len(enc) > len(pkt) {
			t.Fatalf("encoding % x longer than the packet % x", enc, pkt)
		}
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
		req, err := ParseRequest(pkt)
		if consumed != (err == nil) {
			t.Fatalf("Handle = %v, ParseRequest error %v", consumed, err)
		}
		if !consumed && len(s.pkts) > 0 {
			t.Fatalf("non-A2S packet % x answered", pkt)
		}
		for _, p := range s.pkts {
			if len(p) > MaxPacketSize {
				t.Fatalf("sent a %d-byte datagram", len(p))
			}
		}
		challenged := err == nil && req.HasChallenge && req.Challenge == r.Challenge(from) &&
			(req.Kind == KindInfo || req.Kind == KindPlayers || req.Kind == KindRules)
		if !challenged {
			// No amplification without a valid challenge.
			if s.bytes() > len(pkt) {
				t.Fatalf("request % x (%d bytes) without a valid challenge got %d bytes", pkt, len(pkt), s.bytes())
			}
			return
		}
		reply := s.pkts[0]
		if len(s.pkts) > 1 {
			if reply, err = Reassemble(s.pkts); err != nil {
				t.Fatal(err)
			}
		}
		switch req.Kind {
		case KindInfo:
			_, _, err = ParseInfo(reply)
		case KindPlayers:
			_, err = ParsePlayers(reply)
		case KindRules:
			_, err = ParseRules(reply)
		}
		if err != nil {
			t.Fatalf("%v reply does not parse: %v", req.Kind, err)
		}
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
			if err != nil {
				t.Fatalf("re-encoded INFO does not parse: %v", err)
			}
			if e2 := AppendInfo(nil, info2, n2); !bytes.Equal(e1, e2) {
				t.Fatalf("INFO not stable:\n% x\n% x", e1, e2)
			}
		}
		if players, err := ParsePlayers(b); err == nil {
			e1 := AppendPlayers(nil, players)
			players2, err := ParsePlayers(e1)
			if err != nil {
				t.Fatalf("re-encoded PLAYER does not parse: %v", err)
			}
			if e2 := AppendPlayers(nil, players2); !bytes.Equal(e1, e2) {
				t.Fatalf("PLAYER not stable")
			}
		}
		if rules, err := ParseRules(b); err == nil {
			e := AppendRules(nil, rules)
			if RulesSize(rules) != len(e) {
				t.Fatalf("RulesSize %d, encoded %d", RulesSize(rules), len(e))
			}
			rules2, err := ParseRules(e)
			if err != nil || len(rules2) != len(rules) {
				t.Fatalf("RULES round trip: %d rules, %v", len(rules2), err)
			}
			for i := range rules {
				if rules[i] != rules2[i] {
					t.Fatalf("rule %d: %q != %q", i, rules[i], rules2[i])
				}
			}
		}
		if c, err := ParseChallenge(b); err == nil {
			if !bytes.Equal(AppendChallenge(nil, c), b[:ChallengeReplySize]) {
				t.Fatalf("challenge round trip")
			}
		}
		if fr, err := ParseFragment(b); err == nil {
			if fr.Number >= fr.Total || len(fr.Payload) != len(b)-SplitHeaderSize {
				t.Fatalf("bad fragment %+v", fr)
			}
		}
		// Reassembly of arbitrary pieces never panics.
		if whole, err := Reassemble(bytes.Split(b, []byte{0xFE, 0xFE})); err == nil && whole == nil {
			t.Fatal("nil reply without error")
		}
	})
}
