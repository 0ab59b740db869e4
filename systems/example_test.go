package systems_test

import (
	"fmt"
	"net/netip"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/systems"
)

// The game's socket goroutine offers each datagram to an inbox: Steam's to
// the one the packets-in system drains into HandleIncomingPacket each tick
// (a game that answers Steam's datagrams on arrival calls HandlePacket
// instead), the game's own to one its systems drain. A source that floods
// keeps no more than its share of an inbox.
func ExampleInbox() {
	steam := systems.NewInbox(systems.InboxConfig{})
	game := systems.NewInbox(systems.InboxConfig{Packets: 4})
	player := netip.MustParseAddrPort("127.0.0.1:40000")
	flooder := netip.MustParseAddrPort("127.0.0.1:40001")
	offer := func(pkt []byte, from netip.AddrPort) {
		if steamgs.IsSteamPacket(pkt) {
			steam.Offer(pkt, from)
		} else {
			game.Offer(pkt, from)
		}
	}
	offer([]byte("\xff\xff\xff\xffTSource Engine Query\x00"), player)
	for range 100 {
		offer([]byte("junk"), flooder)
	}
	offer([]byte("MOVE 3 4"), player)
	steam.Drain(func(pkt []byte, from netip.AddrPort) {
		fmt.Printf("Steam: %d bytes from %s\n", len(pkt), from)
	})
	game.Drain(func(pkt []byte, from netip.AddrPort) {
		fmt.Printf("game: %q from %s\n", pkt, from)
	})
	// Output:
	// Steam: 25 bytes from 127.0.0.1:40000
	// game: "junk" from 127.0.0.1:40001
	// game: "junk" from 127.0.0.1:40001
	// game: "junk" from 127.0.0.1:40001
	// game: "MOVE 3 4" from 127.0.0.1:40000
}
