package systems_test

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"github.com/steamgs/steamgs/systems"
)

func TestIsSteamPacket(t *testing.T) {
	tests := []struct {
		pkt  string
		want bool
	}{
		{"\xff\xff\xff\xffT", true},
		{"\xff\xff\xff\xff", true},
		{"\xff\xff\xff", false},
		{"\xfe\xff\xff\xff", false},
		{"", false},
		{"hello", false},
	}
	for _, tc := range tests {
		eq(t, systems.IsSteamPacket([]byte(tc.pkt)), tc.want, fmt.Sprintf("%q", tc.pkt))
	}
}

func TestInboxLimits(t *testing.T) {
	from := netip.MustParseAddrPort("127.0.0.1:1")
	in := systems.NewInbox(10, 12)
	check(t, in.Offer([]byte("\xff\xff\xff\xff12345"), from), "9 bytes fit")
	check(t, !in.Offer([]byte("\xff\xff\xff\xff1234"), from), "8 more bytes do not")
	check(t, !in.Offer([]byte("\xff\xff\xff\xff"), from), "4 more bytes do not fit either")
	eq(t, in.Len(), 1, "queued")
	eq(t, in.Dropped(), uint64(2), "dropped")
	var got []string
	in.Drain(func(pkt []byte, f netip.AddrPort) { got = append(got, fmt.Sprintf("%q@%s", pkt, f)) })
	eq(t, got, []string{`"\xff\xff\xff\xff12345"@127.0.0.1:1`}, "drained")
	check(t, in.Offer([]byte("\xff\xff\xff\xff1234"), from), "room again after a drain")

	var zero systems.Inbox
	check(t, !zero.Offer([]byte("\xff\xff\xff\xff"), from), "the zero inbox refuses")
	zero.Drain(func([]byte, netip.AddrPort) { t.Error("nothing to drain") })

	d := systems.NewInbox(0, 0)
	for i := range systems.DefaultInboxPackets {
		must(t, d.Offer([]byte("\xff\xff\xff\xff"), from), fmt.Sprint("default room for packet ", i))
	}
	check(t, !d.Offer([]byte("\xff\xff\xff\xff"), from), "default packet limit")

	huge := systems.NewInbox(1<<62, 1<<62) // clamped, not a panic in make
	for i := range systems.MaxInboxPackets {
		if !huge.Offer([]byte("\xff\xff\xff\xff"), from) {
			t.Fatalf("clamped inbox refused packet %d, want room for %d", i, systems.MaxInboxPackets)
		}
	}
	check(t, !huge.Offer([]byte("\xff\xff\xff\xff"), from), "clamped packet limit")
}

// TestInboxConcurrent offers from several goroutines while draining: every
// packet taken is drained exactly once, in per-sender order.
func TestInboxConcurrent(t *testing.T) {
	const senders, each = 4, 500
	in := systems.NewInbox(64, 64*16)
	var wg sync.WaitGroup
	taken := make([]int, senders)
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(1000+s))
			for i := range each {
				if in.Offer([]byte(fmt.Sprintf("\xff\xff\xff\xff%04d", i)), from) {
					taken[s]++
				}
			}
		}()
	}
	drained := make([]int, senders)
	last := make([]int, senders)
	for i := range last {
		last[i] = -1
	}
	drain := func(pkt []byte, from netip.AddrPort) {
		s := int(from.Port()) - 1000
		var n int
		fmt.Sscanf(string(pkt[4:]), "%d", &n)
		if n <= last[s] {
			t.Errorf("sender %d: packet %d after %d", s, n, last[s])
		}
		last[s] = n
		drained[s]++
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		in.Drain(drain)
	}
	in.Drain(drain)
	eq(t, drained, taken, "drained per sender")
	eq(t, in.Len(), 0, "left")
	total := 0
	for _, n := range taken {
		total += n
	}
	eq(t, uint64(total)+in.Dropped(), uint64(senders*each), "taken plus dropped")
}
