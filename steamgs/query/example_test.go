package query_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/steamgs/steamgs/steamgs/query"
)

// A Responder answering through Handle, as a game does in GameSocketShare
// mode: the first INFO query gets a challenge, the repeat with it gets the data.
func ExampleResponder_Handle() {
	r := query.NewResponder(query.Config{})
	r.SetInfo(query.Info{Name: "My Server", Map: "arena", Folder: "mygame", Game: "My Game",
		AppID: 480, MaxPlayers: 16, Dedicated: true, VAC: true, Version: "1.0", GamePort: 27015})
	r.AddPlayer(76561197960287930, time.Now())
	r.SetAdvertise(true)

	from := netip.MustParseAddrPort("192.0.2.7:27005")
	var reply []byte
	send := func(b []byte, to netip.AddrPort) { // b is valid only during the call
		if to == from { // a reply goes back to the address the request came from
			reply = append(reply[:0], b...)
		}
	}

	r.Handle(query.AppendRequest(nil, query.Request{Kind: query.KindInfo}), from, send)
	challenge, err := query.ParseChallenge(reply)
	fmt.Println("challenge reply:", len(reply), "bytes,", err)

	r.Handle(query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: challenge, HasChallenge: true}), from, send)
	info, players, err := query.ParseInfo(reply)
	fmt.Printf("%s on %s: %d/%d players, app %d, port %d, %v\n",
		info.Name, info.Map, players, info.MaxPlayers, info.AppID, info.GamePort, err)

	// Not A2S: not consumed, never answered.
	fmt.Println(r.Handle([]byte("hello"), from, send))
	// Output:
	// challenge reply: 9 bytes, <nil>
	// My Server on arena: 1/16 players, app 480, port 27015, <nil>
	// false
}

// Building an INFO reply and reading it back.
func ExampleAppendInfo() {
	b := query.AppendInfo(nil, query.Info{Name: "srv", Map: "m", AppID: 1_000_000, Keywords: "coop"}, 3)
	info, players, err := query.ParseInfo(b)
	fmt.Printf("% x\n", b[:6])
	fmt.Println(info.Name, info.Map, info.AppID, info.Keywords, players, err)
	// Output:
	// ff ff ff ff 49 11
	// srv m 1000000 coop 3 <nil>
}

// Splitting a large reply into fragments and joining them again.
func ExampleAppendFragment() {
	rules := make([]query.Rule, 300)
	for i := range rules {
		rules[i] = query.Rule{Name: fmt.Sprintf("rule%d", i), Value: "on"}
	}
	reply := query.AppendRules(nil, rules)
	var frags [][]byte
	for i := range query.SplitCount(len(reply)) {
		frag, err := query.AppendFragment(nil, 1, reply, i)
		if err != nil {
			panic(err)
		}
		frags = append(frags, frag)
	}
	whole, _ := query.Reassemble(frags)
	back, err := query.ParseRules(whole)
	fmt.Println(len(reply), "bytes in", len(frags), "fragments;", len(back), "rules;", err)
	// Output:
	// 3197 bytes in 3 fragments; 300 rules; <nil>
}
