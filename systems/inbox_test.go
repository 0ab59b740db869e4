package systems_test

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"github.com/steamgs/steamgs/systems"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		assert.Equal(t, tc.want, systems.IsSteamPacket([]byte(tc.pkt)), "%q", tc.pkt)
	}
}

func TestInboxLimits(t *testing.T) {
	from := netip.MustParseAddrPort("127.0.0.1:1")
	in := systems.NewInbox(10, 12)
	assert.True(t, in.Offer([]byte("\xff\xff\xff\xff12345"), from), "9 bytes fit")
	assert.False(t, in.Offer([]byte("\xff\xff\xff\xff1234"), from), "8 more bytes do not")
	assert.False(t, in.Offer([]byte("\xff\xff\xff\xff"), from), "4 more bytes do not fit either")
	assert.Equal(t, 1, in.Len(), "queued")
	assert.Equal(t, uint64(2), in.Dropped(), "dropped")
	var got []string
	in.Drain(func(pkt []byte, f netip.AddrPort) { got = append(got, fmt.Sprintf("%q@%s", pkt, f)) })
	assert.Equal(t, []string{`"\xff\xff\xff\xff12345"@127.0.0.1:1`}, got, "drained")
	assert.True(t, in.Offer([]byte("\xff\xff\xff\xff1234"), from), "room again after a drain")

	var zero systems.Inbox
	assert.False(t, zero.Offer([]byte("\xff\xff\xff\xff"), from), "the zero inbox refuses")
	zero.Drain(func([]byte, netip.AddrPort) { assert.Fail(t, "nothing to drain") })

	d := systems.NewInbox(0, 0)
	for i := range systems.DefaultInboxPackets {
		require.True(t, d.Offer([]byte("\xff\xff\xff\xff"), from), "default room for packet %d", i)
	}
	assert.False(t, d.Offer([]byte("\xff\xff\xff\xff"), from), "default packet limit")

	huge := systems.NewInbox(1<<62, 1<<62) // clamped, not a panic in make
	for i := range systems.MaxInboxPackets {
		require.True(t, huge.Offer([]byte("\xff\xff\xff\xff"), from), "clamped inbox refused packet %d, want room for %d", i, systems.MaxInboxPackets)
	}
	assert.False(t, huge.Offer([]byte("\xff\xff\xff\xff"), from), "clamped packet limit")
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
		assert.Greater(t, n, last[s], "sender %d: packet order", s)
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
	assert.Equal(t, taken, drained, "drained per sender")
	assert.Equal(t, 0, in.Len(), "left")
	total := 0
	for _, n := range taken {
		total += n
	}
	assert.Equal(t, uint64(senders*each), uint64(total)+in.Dropped(), "taken plus dropped")
}
