package query

import (
	"math"
	"net/netip"
	"time"

	"github.com/dchest/siphash"
)

// RateWindow is the window of the per-source rate limit: at most
// Config.RateLimit packets per source IP per RateWindow (Valve's rule).
const RateWindow = 200 * time.Millisecond

// limiterWays is the associativity of the limiter's table: a source can live
// in any of this many slots of its set.
const limiterWays = 8

// limiter counts packets per source IP in fixed windows, in a table of fixed
// size: a set-associative hash table whose sets are chosen by a keyed SipHash
// of the IP (so a spoofer cannot aim at one set). A new source takes a free
// slot of its set, else a slot whose window has ended, else the slot with the
// lowest count. So a flood from many spoofed sources only evicts sources that
// sent little (whose counters restart, failing open), while a source over its
// limit keeps its slot and stays limited, and memory never grows past the table.
// The zero value with limit 0 allows everything.
type limiter struct {
	limit   uint32 // packets per window; 0 = unlimited
	max     int    // table size bound
	k0, k1  uint64 // hash key
	ways    int
	mask    uint64 // number of sets - 1
	entries []limEntry
}

type limEntry struct {
	addr  [16]byte // IP (IPv4 as IPv4-mapped IPv6)
	start int64    // window start, ns since the responder's epoch
	count uint32   // packets in the window
	used  bool
}

func newLimiter(limit, maxSources int, k0, k1 uint64) limiter {
	l := limiter{max: maxSources, k0: k0, k1: k1}
	if limit > 0 {
		l.limit = uint32(min(limit, math.MaxUint32))
	}
	return l
}

// init allocates the table: sets*ways <= max entries, sets a power of two.
func (l *limiter) init() {
	l.ways = min(limiterWays, max(l.max, 1))
	sets := 1
	for sets*2*l.ways <= l.max {
		sets *= 2
	}
	l.mask = uint64(sets - 1)
	l.entries = make([]limEntry, sets*l.ways)
}

// allow counts one packet from ip at now (ns since the epoch) and reports
// whether it is within the limit.
func (l *limiter) allow(ip netip.Addr, now int64) bool {
	if l.limit == 0 {
		return true
	}
	if l.entries == nil {
		l.init()
	}
	key := ip.As16()
	set := int(siphash.Hash(l.k0, l.k1, key[:]) & l.mask)
	ents := l.entries[set*l.ways : (set+1)*l.ways]
	const window = int64(RateWindow)
	victim, victimRank := 0, uint64(math.MaxUint64)
	for i := range ents {
		e := &ents[i]
		expired := now-e.start >= window || now < e.start
		if e.used && e.addr == key {
			if expired {
				e.start, e.count = now, 0
			}
			if e.count < math.MaxUint32 {
				e.count++
			}
			return e.count <= l.limit
		}
		// Rank eviction candidates: free, then expired, then by count.
		var rank uint64
		switch {
		case !e.used:
			rank = 0
		case expired:
			rank = 1
		default:
			rank = 2 + uint64(e.count)
		}
		if rank < victimRank {
			victim, victimRank = i, rank
		}
	}
	ents[victim] = limEntry{addr: key, start: now, count: 1, used: true}
	return 1 <= l.limit
}

// tracked returns the number of sources in the table.
func (l *limiter) tracked() int {
	n := 0
	for i := range l.entries {
		if l.entries[i].used {
			n++
		}
	}
	return n
}
