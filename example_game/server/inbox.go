package server

import (
	"net/netip"
	"sync"
)

// inbox is a bounded queue of the game's datagrams, filled by the socket
// goroutine and drained once per tick; its memory is allocated once.
type inbox struct {
	mu         sync.Mutex
	cur, spare *batch
	maxPackets int
	maxBytes   int
	dropped    uint64
}

type batch struct {
	buf  []byte
	pkts []packet
}

type packet struct {
	off, n int
	from   netip.AddrPort
}

func newInbox(packets, bytes int) *inbox {
	nb := func() *batch { return &batch{buf: make([]byte, 0, bytes), pkts: make([]packet, 0, packets)} }
	return &inbox{cur: nb(), spare: nb(), maxPackets: packets, maxBytes: bytes}
}

// offer queues a copy of pkt and reports whether it fit.
func (in *inbox) offer(pkt []byte, from netip.AddrPort) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	b := in.cur
	if len(b.pkts) >= in.maxPackets || len(b.buf)+len(pkt) > in.maxBytes {
		in.dropped++
		return false
	}
	off := len(b.buf)
	b.buf = append(b.buf, pkt...)
	b.pkts = append(b.pkts, packet{off: off, n: len(pkt), from: from})
	return true
}

// drain calls fn for every queued datagram in arrival order and empties the
// queue; pkt is valid only during the call. drain is called from one
// goroutine only.
func (in *inbox) drain(fn func(pkt []byte, from netip.AddrPort)) {
	in.mu.Lock()
	b := in.cur
	in.cur, in.spare = in.spare, b
	in.mu.Unlock()
	for _, p := range b.pkts {
		fn(b.buf[p.off:p.off+p.n:p.off+p.n], p.from)
	}
	b.buf, b.pkts = b.buf[:0], b.pkts[:0]
}

// droppedCount returns the number of datagrams refused because the queue was
// full.
func (in *inbox) droppedCount() uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.dropped
}
