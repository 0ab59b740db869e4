package server

import (
	"bytes"
	"net/netip"
	"testing"
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
				if kept != tt.kept {
					t.Errorf("round %d: %d datagrams kept, want %d", round, kept, tt.kept)
				}
				if cap(in.cur.buf) != bufCap || cap(in.cur.pkts) != pktsCap {
					t.Errorf("round %d: queue capacity grew to %d bytes, %d packets; want %d, %d",
						round, cap(in.cur.buf), cap(in.cur.pkts), bufCap, pktsCap)
				}
				var got []byte
				in.drain(func(pkt []byte, f netip.AddrPort) {
					if len(pkt) != tt.size || f != from {
						t.Errorf("drained %d bytes from %v, want %d from %v", len(pkt), f, tt.size, from)
					}
					got = append(got, pkt[0])
				})
				for i, b := range got {
					if int(b) != i {
						t.Fatalf("round %d: drained datagrams %v, want them in arrival order", round, got)
					}
				}
				if len(got) != tt.kept {
					t.Errorf("round %d: drained %d datagrams, want %d", round, len(got), tt.kept)
				}
			}
			if want := uint64(2 * (tt.offers - tt.kept)); in.droppedCount() != want {
				t.Errorf("dropped count %d, want %d", in.droppedCount(), want)
			}
		})
	}
}
