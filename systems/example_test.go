package systems_test

import (
	"fmt"
	"net/netip"

	"github.com/steamgs/steamgs/systems"
)

// The game's socket goroutine offers every datagram to the inbox; what is
// not Steam's is the game's own. The packets-in system drains the inbox
// into HandleIncomingPacket each tick.
func ExampleInbox() {
	inbox := systems.NewInbox(0, 0)
	from := netip.MustParseAddrPort("127.0.0.1:40000")
	for _, pkt := range [][]byte{
		[]byte("\xff\xff\xff\xffTSource Engine Query\x00"),
		[]byte("MOVE 3 4"),
	} {
		if !inbox.Offer(pkt, from) {
			fmt.Printf("game packet %q\n", pkt)
		}
	}
	inbox.Drain(func(pkt []byte, from netip.AddrPort) {
		fmt.Printf("Steam packet of %d bytes from %s\n", len(pkt), from)
	})
	// Output:
	// game packet "MOVE 3 4"
	// Steam packet of 25 bytes from 127.0.0.1:40000
}
