package systems

import (
	"net/netip"
	"sync"
	"sync/atomic"
)

// Default sizes of an [Inbox].
const (
	DefaultInboxPackets = 256
	DefaultInboxBytes   = 64 << 10
	// MaxInboxPackets and MaxInboxBytes bound an Inbox's room: larger
	// requests are clamped to them.
	MaxInboxPackets = 1 << 16
	MaxInboxBytes   = 64 << 20
)

// steamPrefix starts every datagram of Valve's protocols that shares the
// game socket (GameSocketShare mode).
const steamPrefix = "\xFF\xFF\xFF\xFF"

// IsSteamPacket reports whether a datagram from the game socket belongs to
// Steam: it starts FF FF FF FF.
func IsSteamPacket(pkt []byte) bool {
	return len(pkt) >= len(steamPrefix) && string(pkt[:len(steamPrefix)]) == steamPrefix
}

// Inbox is a bounded queue of datagrams that belong to Steam, filled by the
// game's socket goroutine(s) with Offer and drained once per tick by the
// packets-in system into Server.HandleIncomingPacket. Offer is safe for
// concurrent use; memory is allocated once, by NewInbox, and reused. Create
// it with NewInbox; the zero value refuses every packet.
type Inbox struct {
	mu         sync.Mutex
	cur, spare *inboxBatch
	maxPackets int
	maxBytes   int
	queued     atomic.Int64
	dropped    atomic.Uint64
	drainMu    sync.Mutex
}

type inboxBatch struct {
	buf  []byte
	pkts []inboxPacket
}

type inboxPacket struct {
	off, n int
	from   netip.AddrPort
}

// NewInbox returns an inbox that holds up to packets datagrams of up to bytes
// bytes in all between two drains; values of 0 or less take
// DefaultInboxPackets and DefaultInboxBytes, values above MaxInboxPackets and
// MaxInboxBytes are clamped to them. It allocates twice that room.
func NewInbox(packets, bytes int) *Inbox {
	if packets <= 0 {
		packets = DefaultInboxPackets
	}
	if bytes <= 0 {
		bytes = DefaultInboxBytes
	}
	packets, bytes = min(packets, MaxInboxPackets), min(bytes, MaxInboxBytes)
	nb := func() *inboxBatch {
		return &inboxBatch{buf: make([]byte, 0, bytes), pkts: make([]inboxPacket, 0, packets)}
	}
	return &Inbox{cur: nb(), spare: nb(), maxPackets: packets, maxBytes: bytes}
}

// Offer queues a copy of pkt, received from from, when it starts FF FF FF FF
// and fits, and reports whether it did. A datagram that does not start FF FF
// FF FF is the game's own and is not counted; one that does but finds the
// inbox full is dropped and counted in Dropped. pkt may be reused once Offer
// returns.
func (in *Inbox) Offer(pkt []byte, from netip.AddrPort) bool {
	if !IsSteamPacket(pkt) {
		return false
	}
	in.mu.Lock()
	b := in.cur
	if b == nil || len(b.pkts) >= in.maxPackets || len(b.buf)+len(pkt) > in.maxBytes {
		in.mu.Unlock()
		in.dropped.Add(1)
		return false
	}
	off := len(b.buf)
	b.buf = append(b.buf, pkt...)
	b.pkts = append(b.pkts, inboxPacket{off: off, n: len(pkt), from: from})
	in.queued.Add(1)
	in.mu.Unlock()
	return true
}

// Len returns the number of datagrams queued.
func (in *Inbox) Len() int { return int(in.queued.Load()) }

// Dropped returns the number of Steam datagrams refused because the inbox
// was full.
func (in *Inbox) Dropped() uint64 { return in.dropped.Load() }

// Drain calls fn for each queued datagram, in the order they were offered,
// and empties the inbox. pkt is valid only during the call. Offers made while
// Drain runs wait for the next Drain.
func (in *Inbox) Drain(fn func(pkt []byte, from netip.AddrPort)) {
	if in.Len() == 0 {
		return
	}
	in.drainMu.Lock()
	defer in.drainMu.Unlock()
	in.mu.Lock()
	b := in.cur
	in.cur, in.spare = in.spare, b
	in.queued.Add(-int64(len(b.pkts)))
	in.mu.Unlock()
	for _, p := range b.pkts {
		fn(b.buf[p.off:p.off+p.n:p.off+p.n], p.from)
	}
	b.buf = b.buf[:0]
	b.pkts = b.pkts[:0]
}
