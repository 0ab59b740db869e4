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

// port returns the source 127.0.0.1:p.
func port(p int) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(p))
}

// drained returns what Drain gives, as "packet@source".
func drained(in *systems.Inbox) []string {
	var got []string
	in.Drain(func(pkt []byte, f netip.AddrPort) { got = append(got, fmt.Sprintf("%s@%d", pkt, f.Port())) })
	return got
}

func TestInboxLimits(t *testing.T) {
	from := port(1)
	in := systems.NewInbox(systems.InboxConfig{Packets: 2, PacketSize: 8})
	assert.True(t, in.Offer([]byte("12345678"), from), "8 bytes fit")
	assert.False(t, in.Offer([]byte("123456789"), from), "9 bytes do not")
	assert.True(t, in.Offer(nil, from), "an empty datagram fits")
	assert.False(t, in.Offer([]byte("x"), from), "a third datagram of one source does not")
	assert.Equal(t, 2, in.Len(), "queued")
	assert.Equal(t, uint64(2), in.Dropped(), "dropped")
	assert.Equal(t, []string{"12345678@1", "@1"}, drained(in), "drained")
	assert.Zero(t, in.Len(), "queued after the drain")
	assert.True(t, in.Offer([]byte("again"), from), "room again after a drain")
	assert.Equal(t, []string{"again@1"}, drained(in), "drained")

	var zero systems.Inbox
	assert.False(t, zero.Offer([]byte("x"), from), "the zero inbox refuses")
	zero.Drain(func([]byte, netip.AddrPort) { assert.Fail(t, "nothing to drain") })

	d := systems.NewInbox(systems.InboxConfig{})
	for i := range systems.DefaultInboxPackets {
		require.True(t, d.Offer([]byte("x"), port(i)), "default room for packet %d", i)
	}
	assert.False(t, d.Offer([]byte("x"), port(0)), "default packet limit")
	assert.False(t, d.Offer([]byte("x"), port(systems.DefaultInboxPackets)), "a new source when every source has one")
	assert.Len(t, drained(d), systems.DefaultInboxPackets, "drained")
	assert.True(t, d.Offer(make([]byte, systems.DefaultInboxPacketSize), port(1)), "a default-size datagram")
	assert.False(t, d.Offer(make([]byte, systems.DefaultInboxPacketSize+1), port(1<<15)), "default packet size")

	// A huge config is clamped, not a panic in make.
	huge := systems.NewInbox(systems.InboxConfig{Packets: 1 << 62, PacketSize: 1 << 62})
	assert.True(t, huge.Offer(make([]byte, systems.MaxInboxPacketSize), from), "largest datagram")
	assert.False(t, huge.Offer(make([]byte, systems.MaxInboxPacketSize+1), from), "larger than a datagram")
	many := systems.NewInbox(systems.InboxConfig{Packets: 1 << 62, PacketSize: 1})
	for i := range systems.MaxInboxPackets {
		require.True(t, many.Offer([]byte("x"), netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), 1)),
			"clamped inbox refused packet %d, want room for %d", i, systems.MaxInboxPackets)
	}
	assert.False(t, many.Offer([]byte("x"), from), "clamped packet limit")
}

// TestInboxFairness floods a full inbox from one source: every other source
// still gets its datagrams in, the flooder keeps no more than the room the
// others leave, and each source's datagrams come out in the order they came
// in.
func TestInboxFairness(t *testing.T) {
	const room = 64
	in := systems.NewInbox(systems.InboxConfig{Packets: room, PacketSize: 16})
	flooder := port(9999)
	for round := range 3 { // later rounds reuse the drained memory
		for i := range 10 * room {
			in.Offer([]byte(fmt.Sprintf("f%d", i)), flooder)
		}
		// Eight players, each sending two datagrams, then more flood.
		for p := range 8 {
			for k := range 2 {
				require.True(t, in.Offer([]byte(fmt.Sprintf("p%d.%d", p, k)), port(p)), "round %d: player %d's datagram %d", round, p, k)
			}
		}
		for i := range 10 * room {
			in.Offer([]byte(fmt.Sprintf("g%d", i)), flooder)
		}
		per := map[uint16][]string{}
		n := 0
		in.Drain(func(pkt []byte, f netip.AddrPort) {
			n++
			per[f.Port()] = append(per[f.Port()], string(pkt))
		})
		assert.Equal(t, room, n, "round %d: drained", round)
		for p := range 8 {
			assert.Equal(t, []string{fmt.Sprintf("p%d.0", p), fmt.Sprintf("p%d.1", p)}, per[uint16(p)], "round %d: player %d", round, p)
		}
		assert.Len(t, per[9999], room-16, "round %d: the flooder's datagrams", round)
		// The flooder's survivors are in order: the newest first flood, then
		// the second, each in sequence.
		last, lastG := -1, -1
		for _, s := range per[9999] {
			var n int
			if _, err := fmt.Sscanf(s, "f%d", &n); err == nil {
				assert.Greater(t, n, last, "round %d: flood order", round)
				assert.Equal(t, -1, lastG, "round %d: a first-flood datagram after a second-flood one", round)
				last = n
				continue
			}
			_, err := fmt.Sscanf(s, "g%d", &n)
			require.NoError(t, err, "round %d: %q", round, s)
			assert.Greater(t, n, lastG, "round %d: flood order", round)
			lastG = n
		}
	}
}

// TestInboxSharesEvenly has several sources flood a full inbox at once:
// each ends with about its share of the room, never more than one
// datagram past another's.
func TestInboxSharesEvenly(t *testing.T) {
	const room, sources = 60, 6
	in := systems.NewInbox(systems.InboxConfig{Packets: room, PacketSize: 8})
	for i := range 100 * room {
		in.Offer([]byte("x"), port(i%sources))
	}
	counts := map[uint16]int{}
	in.Drain(func(_ []byte, f netip.AddrPort) { counts[f.Port()]++ })
	total := 0
	for p := range sources {
		n := counts[uint16(p)]
		total += n
		assert.InDelta(t, room/sources, n, 1, "source %d's datagrams", p)
	}
	assert.Equal(t, room, total, "drained")
}

// TestInboxBurstOfNewcomers fills the inbox evenly from several flooders,
// then has many sources that hold nothing arrive one after the other, as
// players' inputs sent together do: each takes the place of a datagram of
// whichever source holds the most at that moment, not only of the one that
// held the most before the burst.
func TestInboxBurstOfNewcomers(t *testing.T) {
	const room, flooders, newcomers = 64, 8, 40
	in := systems.NewInbox(systems.InboxConfig{Packets: room, PacketSize: 8})
	for i := range 10 * room {
		in.Offer([]byte("f"), port(i%flooders))
	}
	for i := range newcomers { // back to back, with no flood between
		require.True(t, in.Offer([]byte("n"), port(1000+i)), "newcomer %d", i)
	}
	for i := range 10 * room { // the flood goes on, and gets no room back
		in.Offer([]byte("f"), port(i%flooders))
	}
	counts := map[uint16]int{}
	in.Drain(func(_ []byte, f netip.AddrPort) { counts[f.Port()]++ })
	for i := range newcomers {
		assert.Equal(t, 1, counts[uint16(1000+i)], "newcomer %d's datagrams", i)
	}
	for p := range flooders {
		assert.InDelta(t, (room-newcomers)/flooders, counts[uint16(p)], 1, "flooder %d's datagrams", p)
	}
}

// TestInboxManySources offers datagrams from far more sources than the inbox
// has room for: it keeps at most its room, refuses sources once its table
// of sources is full, and takes new sources again after a drain.
func TestInboxManySources(t *testing.T) {
	const room = 16
	in := systems.NewInbox(systems.InboxConfig{Packets: room, PacketSize: 8})
	taken := 0
	for i := range 100_000 {
		if in.Offer([]byte("x"), netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 1)) {
			taken++
		}
	}
	assert.Equal(t, room, in.Len(), "queued")
	assert.Equal(t, room, taken, "taken: nobody holds more than a newcomer would")
	assert.Len(t, drained(in), room, "drained")
	assert.True(t, in.Offer([]byte("y"), port(1)), "after the drain")
}

// TestInboxAllocs checks that Offer and Drain allocate nothing, whether the
// inbox has room, is full or makes room.
func TestInboxAllocs(t *testing.T) {
	in := systems.NewInbox(systems.InboxConfig{Packets: 32, PacketSize: 64})
	pkt := []byte("a datagram of a few bytes")
	fn := func([]byte, netip.AddrPort) {}
	i := 0
	allocs := testing.AllocsPerRun(100, func() {
		for range 40 {
			i++
			in.Offer(pkt, port(i%3))
		}
		in.Offer(pkt, port(1000+i))
		in.Drain(fn)
	})
	assert.Zero(t, allocs, "allocations per round")
}

// TestInboxConcurrent offers from several goroutines while draining: every
// packet taken is drained exactly once, in per-sender order.
func TestInboxConcurrent(t *testing.T) {
	const senders, each = 4, 500
	in := systems.NewInbox(systems.InboxConfig{Packets: 64, PacketSize: 16})
	var wg sync.WaitGroup
	taken := make([]int, senders)
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := port(1000 + s)
			for i := range each {
				if in.Offer([]byte(fmt.Sprintf("\xff\xff\xff\xff%04d", i)), from) {
					taken[s]++
				}
			}
		}()
	}
	drainedN := make([]int, senders)
	last := make([]int, senders)
	for i := range last {
		last[i] = -1
	}
	drain := func(pkt []byte, from netip.AddrPort) {
		s := int(from.Port()) - 1000
		var n int
		_, err := fmt.Sscanf(string(pkt[4:]), "%d", &n)
		assert.NoError(t, err)
		assert.Greater(t, n, last[s], "sender %d: packet order", s)
		last[s] = n
		drainedN[s]++
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
	total, got := 0, 0
	for s := range senders {
		total += taken[s]
		got += drainedN[s]
		// A datagram taken may be pushed out later for another sender's.
		assert.LessOrEqual(t, drainedN[s], taken[s], "sender %d: drained", s)
	}
	assert.Zero(t, in.Len(), "left")
	assert.Equal(t, uint64(senders*each), uint64(got)+in.Dropped(), "drained plus dropped")
	assert.LessOrEqual(t, got, total, "drained")
}
