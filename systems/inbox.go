package systems

import (
	"crypto/rand"
	"encoding/binary"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/dchest/siphash"
)

// Sizes of an [Inbox].
const (
	// DefaultInboxPackets and DefaultInboxPacketSize are the sizes of an
	// InboxConfig's zero values.
	DefaultInboxPackets    = 256
	DefaultInboxPacketSize = 2048
	// MaxInboxPacketSize is the largest InboxConfig.PacketSize: a UDP
	// datagram's most.
	MaxInboxPacketSize = 65535
	// MaxInboxPackets and MaxInboxBytes bound an Inbox's room: a larger
	// InboxConfig is clamped to them (MaxInboxBytes counts Packets times
	// PacketSize, of each of its two halves).
	MaxInboxPackets = 1 << 16
	MaxInboxBytes   = 64 << 20
)

// InboxConfig is what NewInbox takes; its zero value is DefaultInboxPackets
// datagrams of up to DefaultInboxPacketSize bytes.
type InboxConfig struct {
	// Packets is the most datagrams the inbox holds between two drains; 0
	// or less means DefaultInboxPackets.
	Packets int
	// PacketSize is the longest datagram the inbox takes; longer ones are
	// dropped. 0 or less means DefaultInboxPacketSize.
	PacketSize int
}

// Inbox is a bounded queue of datagrams between a game's socket goroutine(s),
// which Offer what they read, and the tick, which drains them: the game's
// own datagrams for its systems, or Steam's for the packets-in system (see
// Config.Inbox). Its room is shared fairly between sources: when it is full,
// a datagram from a source that holds fewer datagrams than the source
// holding the most takes the place of that source's oldest one, so that no
// source, whatever its rate, keeps more than its share while others want
// room, and a flood from one address never delays other players' datagrams.
// A source is an address and port. Offer is safe for concurrent use; memory
// is allocated once, by NewInbox, and reused. The zero value refuses every
// datagram.
type Inbox struct {
	mu         sync.Mutex
	cur, spare *inboxBatch
	size       int    // PacketSize
	k0, k1     uint64 // the source table's hash key
	queued     atomic.Int64
	dropped    atomic.Uint64
	drainMu    sync.Mutex
}

// inboxBatch is what is queued between two drains: datagrams in slots of
// size bytes, each source's in a list from its oldest, and the order they
// came in.
type inboxBatch struct {
	data  []byte // slot i is data[i*size : (i+1)*size]
	slots []inboxSlot
	fresh int32 // slots [0, fresh) hold datagrams
	// order lists the slots in arrival order; an entry whose seq is not its
	// slot's refers to a datagram that was pushed out.
	order []inboxRef
	// srcs is an open-addressing table of the sources seen since the last
	// drain: an entry is in use when its gen is the batch's.
	srcs []inboxSource
	gen  uint32
	// used lists the entries of srcs in use.
	used []int32
	// heavy is the source that holds the most datagrams, or -1: the one
	// that makes room for others. It is exact unless stale, after it made
	// room, when the next look finds the most again.
	heavy int32
	stale bool
}

type inboxSlot struct {
	n    int32  // length of the datagram
	next int32  // the next slot of the same source, or -1
	seq  uint32 // changes each time the slot takes another datagram
	from netip.AddrPort
}

type inboxRef struct {
	slot int32
	seq  uint32
}

type inboxSource struct {
	from       netip.AddrPort
	gen        uint32
	held       int32 // datagrams queued
	head, tail int32 // its oldest and newest slots
}

// NewInbox returns an inbox sized by cfg. It allocates twice cfg.Packets
// slots of cfg.PacketSize bytes, so that a drain runs while the socket
// goroutines fill the other half.
func NewInbox(cfg InboxConfig) *Inbox {
	packets, size := cfg.Packets, cfg.PacketSize
	if packets <= 0 {
		packets = DefaultInboxPackets
	}
	if size <= 0 {
		size = DefaultInboxPacketSize
	}
	size = min(size, MaxInboxPacketSize)
	packets = min(packets, MaxInboxPackets, max(MaxInboxBytes/size, 1))
	var key [16]byte
	_, _ = rand.Read(key[:]) // crypto/rand does not fail on supported systems
	return &Inbox{cur: newInboxBatch(packets, size), spare: newInboxBatch(packets, size), size: size,
		k0: binary.LittleEndian.Uint64(key[:8]), k1: binary.LittleEndian.Uint64(key[8:])}
}

func newInboxBatch(packets, size int) *inboxBatch {
	tableSize := 16
	for tableSize < 4*packets {
		tableSize *= 2
	}
	return &inboxBatch{
		data:  make([]byte, packets*size),
		slots: make([]inboxSlot, packets),
		order: make([]inboxRef, 0, 2*packets),
		srcs:  make([]inboxSource, tableSize),
		used:  make([]int32, 0, maxSources(tableSize)),
		gen:   1,
		heavy: -1,
	}
}

// Offer queues a copy of pkt, received from from, and reports whether it
// did. It refuses a datagram longer than InboxConfig.PacketSize, and, when
// the inbox is full, one from a source that holds as many datagrams as any
// other, or one more; otherwise it makes room by dropping the oldest
// datagram of the source that holds the most. Every datagram refused or
// dropped counts in Dropped. pkt may be reused once Offer returns.
func (in *Inbox) Offer(pkt []byte, from netip.AddrPort) bool {
	if len(pkt) > in.size {
		in.dropped.Add(1)
		return false
	}
	in.mu.Lock()
	b := in.cur
	if b == nil {
		in.mu.Unlock()
		in.dropped.Add(1)
		return false
	}
	ok, pushed := b.offer(pkt, from, in.size, in.k0, in.k1)
	in.mu.Unlock()
	switch {
	case !ok:
		in.dropped.Add(1)
	case pushed:
		in.dropped.Add(1) // another source's oldest made room
	default:
		in.queued.Add(1)
	}
	return ok
}

// offer queues pkt and reports whether it did, and whether another datagram
// was dropped to make room.
func (b *inboxBatch) offer(pkt []byte, from netip.AddrPort, size int, k0, k1 uint64) (ok, pushed bool) {
	si := b.source(from, k0, k1)
	if si < 0 {
		return false, false // more sources than the table takes since the last drain
	}
	src := &b.srcs[si]
	var slot int32
	if int(b.fresh) < len(b.slots) {
		slot = b.fresh
		b.fresh++
	} else {
		if b.stale {
			b.findHeavy()
		}
		h := b.heavy
		if h < 0 || h == si || b.srcs[h].held <= src.held+1 {
			return false, false // nobody holds more than this source would: it has its share
		}
		slot = b.evict(h)
		pushed = true
	}
	sl := &b.slots[slot]
	sl.n, sl.next, sl.from = int32(len(pkt)), -1, from
	sl.seq++
	copy(b.data[int(slot)*size:], pkt)
	if src.held == 0 {
		src.head = slot
	} else {
		b.slots[src.tail].next = slot
	}
	src.tail = slot
	src.held++
	if !b.stale && (b.heavy < 0 || src.held > b.srcs[b.heavy].held) {
		b.heavy = si
	}
	if len(b.order) == cap(b.order) {
		b.compact()
	}
	b.order = append(b.order, inboxRef{slot: slot, seq: sl.seq})
	return true, pushed
}

// evict drops the oldest datagram of source h and returns its slot; h may
// no longer hold the most.
func (b *inboxBatch) evict(h int32) int32 {
	src := &b.srcs[h]
	slot := src.head
	src.head = b.slots[slot].next
	src.held--
	b.stale = true
	return slot
}

// findHeavy makes heavy the source that holds the most datagrams.
func (b *inboxBatch) findHeavy() {
	b.heavy, b.stale = -1, false
	var most int32
	for _, i := range b.used {
		if n := b.srcs[i].held; n > most {
			b.heavy, most = i, n
		}
	}
}

// compact removes from order the entries of datagrams that were dropped.
func (b *inboxBatch) compact() {
	kept := b.order[:0]
	for _, r := range b.order {
		if b.slots[r.slot].seq == r.seq {
			kept = append(kept, r)
		}
	}
	b.order = kept
}

// source returns the index in srcs of from, adding it if need be, or -1
// when the table is full.
func (b *inboxBatch) source(from netip.AddrPort, k0, k1 uint64) int32 {
	var key [18]byte
	ip := from.Addr().As16()
	copy(key[:], ip[:])
	binary.LittleEndian.PutUint16(key[16:], from.Port())
	mask := uint64(len(b.srcs) - 1)
	for i, h := 0, siphash.Hash(k0, k1, key[:]); i < len(b.srcs); i, h = i+1, h+1 {
		e := &b.srcs[h&mask]
		if e.gen != b.gen {
			if len(b.used) == cap(b.used) {
				return -1
			}
			*e = inboxSource{from: from, gen: b.gen}
			b.used = append(b.used, int32(h&mask))
			return int32(h & mask)
		}
		if e.from == from {
			return int32(h & mask)
		}
	}
	return -1
}

// maxSources is how many sources a table of n entries takes: three in four,
// so that lookups stay short.
func maxSources(n int) int { return 3 * n / 4 }

// reset empties the batch.
func (b *inboxBatch) reset() {
	b.fresh, b.order, b.used, b.heavy, b.stale = 0, b.order[:0], b.used[:0], -1, false
	b.gen++
	if b.gen == 0 { // wrapped: entries of generation 0 must not look in use
		clear(b.srcs)
		b.gen = 1
	}
}

// Len returns the number of datagrams queued.
func (in *Inbox) Len() int { return int(in.queued.Load()) }

// Dropped returns the number of datagrams refused, or dropped to make room
// for another source's, since the inbox was made.
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
	in.queued.Add(-int64(b.fresh))
	in.mu.Unlock()
	for _, r := range b.order {
		sl := &b.slots[r.slot]
		if sl.seq != r.seq {
			continue // dropped to make room
		}
		off := int(r.slot) * in.size
		fn(b.data[off:off+int(sl.n):off+int(sl.n)], sl.from)
	}
	b.reset()
}
