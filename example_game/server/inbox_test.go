package server

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInboxIsBounded floods the inbox between two drains: what does not fit
// is dropped and counted, and its memory never grows past what newInbox
// allocated, however many datagrams arrive.
func TestInboxIsBounded(t *testing.T) {
	tests := []struct {
		name           string
		packets, bytes int // the inbox's limits
		size, offers   int // the datagrams sent
		kept           int
	}{
		{"packet limit", 4, 1000, 10, 50, 4},
		{"byte limit", 100, 25, 10, 50, 2},
		{"room for all", 8, 100, 10, 8, 8},
	}
	from := netip.MustParseAddrPort("127.0.0.1:5000")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newInbox(tt.packets, tt.bytes)
			bufCap, pktsCap := cap(in.cur.buf), cap(in.cur.pkts)
			for round := range 2 { // the second round reuses the drained memory
				kept := 0
				for i := range tt.offers {
					if in.offer(bytes.Repeat([]byte{byte(i)}, tt.size), from) {
						kept++
					}
				}
				assert.Equal(t, tt.kept, kept, "round %d: datagrams kept", round)
				assert.Equal(t, bufCap, cap(in.cur.buf), "round %d: queue capacity in bytes", round)
				assert.Equal(t, pktsCap, cap(in.cur.pkts), "round %d: queue capacity in packets", round)
				var got []byte
				in.drain(func(pkt []byte, f netip.AddrPort) {
					assert.Len(t, pkt, tt.size, "drained datagram")
					assert.Equal(t, from, f, "drained datagram's source")
					got = append(got, pkt[0])
				})
				for i, b := range got {
					require.Equal(t, i, int(b), "round %d: drained datagrams %v, want them in arrival order", round, got)
				}
				assert.Len(t, got, tt.kept, "round %d: drained datagrams", round)
			}
			assert.Equal(t, uint64(2*(tt.offers-tt.kept)), in.droppedCount(), "dropped count")
		})
	}
}
