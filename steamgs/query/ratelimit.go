package query

import (
	"math"
	"net/netip"
	"sync"
	"time"

	"github.com/dchest/siphash"
)

// RateWindow is the window of the per-source rate limit: at most
// Config.RateLimit packets per source IP per RateWindow (Valve's rule).
const RateWindow = 200 * time.Millisecond

// Limiter is a per-source rate limit with a table of fixed size: at most
// Limit packets per source per Window, a source being an IP address (or,
// with ByPort, an address and port), and a total over all sources shared
// fairly: once Total packets were allowed in a window, a source is allowed
// only within its share of the total, Total divided by the sources heard
// from in the window. So a flood from one source never takes room from
// others; a flood from many sources, each within its own limit, is held to
// about the total, while a source that sends less than its share, such as
// a server browser, is still allowed; and a flood from many spoofed sources
// evicts only sources that sent little (see the table's rules below), so
// memory stays bounded whatever arrives. It is what a Responder applies
// before answering, and what a game applies to its own datagrams before
// they reach any queue. Its methods are safe for concurrent use; make it
// with NewLimiter.
type Limiter struct {
	epoch  time.Time
	window int64
	byPort bool
	mu     sync.Mutex
	l      limiter
}

// LimiterConfig configures a Limiter. The zero value is DefaultRateLimit
// packets per RateWindow over DefaultMaxSources sources, with a random key.
type LimiterConfig struct {
	// Limit is the most packets per source per Window; 0 means
	// DefaultRateLimit, < 0 unlimited.
	Limit int
	// Window is the length of a counting window; 0 means RateWindow.
	Window time.Duration
	// Total is the most packets per Window from all sources together that
	// are allowed before the fair shares apply; 0 means DefaultTotalFactor
	// times Limit, < 0 no total.
	Total int
	// MaxSources bounds the sources tracked (40 bytes each, allocated on
	// first use); 0 means DefaultMaxSources, above MaxSourcesLimit counts
	// as MaxSourcesLimit.
	MaxSources int
	// Key keys the table's hash, so that a spoofer cannot aim at one set;
	// all zero means a random key.
	Key [16]byte
	// ByPort counts each address and port as a source of its own. The
	// default, one source per IP, is Valve's rule and stops one host from
	// taking many shares by sending from many ports; ByPort suits sources
	// that share an IP, such as players behind one NAT, or test clients on
	// 127.0.0.1.
	ByPort bool
}

// DefaultTotalFactor is LimiterConfig.Total's default, in multiples of
// Limit: the packets of 50 sources at their limit.
const DefaultTotalFactor = 50

// NewLimiter returns a Limiter configured by cfg, counting windows from now.
func NewLimiter(cfg LimiterConfig, now time.Time) *Limiter {
	limit := cfg.Limit
	if limit == 0 {
		limit = DefaultRateLimit
	}
	total := cfg.Total
	if total == 0 && limit > 0 {
		total = min(DefaultTotalFactor*limit, math.MaxUint32)
	}
	maxSources := cfg.MaxSources
	if maxSources <= 0 {
		maxSources = DefaultMaxSources
	}
	window := cfg.Window
	if window <= 0 {
		window = RateWindow
	}
	k0, k1 := keyHalves(cfg.Key)
	l := &Limiter{epoch: now, window: int64(window), byPort: cfg.ByPort,
		l: newLimiter(limit, min(maxSources, MaxSourcesLimit), k0, k1)}
	if total > 0 {
		l.l.total = uint32(min(total, math.MaxUint32))
	}
	return l
}

// Allow counts one packet from the source at now and reports whether it is
// within the limit. The source is from's IP, or from itself when the
// Limiter counts by port. It allocates nothing after the table's first use.
func (l *Limiter) Allow(from netip.AddrPort, now time.Time) bool {
	var port uint16
	if l.byPort {
		port = from.Port()
	}
	l.mu.Lock()
	ok := l.l.allow(from.Addr(), port, int64(now.Sub(l.epoch)), l.window)
	l.mu.Unlock()
	return ok
}

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
//
// The total counts in windows aligned on the epoch (window w is [w*window,
// (w+1)*window)), which each entry remembers it was last heard in.
type limiter struct {
	limit   uint32 // packets per window; 0 = unlimited
	total   uint32 // packets per window of all sources before fair shares; 0 = none
	max     int    // table size bound
	k0, k1  uint64 // hash key
	ways    int
	mask    uint64 // number of sets - 1
	entries []limEntry
	// The current aligned window, the packets allowed in it and the
	// sources heard from in it.
	win            int64
	allowed, heard uint32
}

type limEntry struct {
	addr  [16]byte // IP (IPv4 as IPv4-mapped IPv6)
	port  uint16   // or 0, when the limiter counts by IP
	used  bool
	count uint32 // packets in the window
	start int64  // window start, ns since the responder's epoch
	// The aligned window the source was last heard in (its low 32 bits)
	// and its packets in it, for its fair share of the total.
	win  uint32
	sent uint32
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

// allow counts one packet from ip and port at now (ns since the epoch), in
// windows of window ns, and reports whether it is within the limit.
func (l *limiter) allow(ip netip.Addr, port uint16, now, window int64) bool {
	if l.limit == 0 {
		return true
	}
	if l.entries == nil {
		l.init()
	}
	addr := ip.As16()
	var key [18]byte
	copy(key[:], addr[:])
	key[16], key[17] = byte(port), byte(port>>8)
	set := int(siphash.Hash(l.k0, l.k1, key[:]) & l.mask)
	ents := l.entries[set*l.ways : (set+1)*l.ways]
	victim, victimRank := 0, uint64(math.MaxUint64)
	for i := range ents {
		e := &ents[i]
		expired := now-e.start >= window || now < e.start
		if e.used && e.addr == addr && e.port == port {
			if expired {
				e.start, e.count = now, 0
			}
			if e.count < math.MaxUint32 {
				e.count++
			}
			return l.share(e, now, window, e.count <= l.limit)
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
	e := &ents[victim]
	*e = limEntry{addr: addr, port: port, start: now, count: 1, used: true}
	return l.share(e, now, window, 1 <= l.limit)
}

// share counts a packet of source e against the total, in the aligned
// window of now, and reports whether it is allowed: within the source's own
// limit (ok), and within the total or, past it, within the source's share.
func (l *limiter) share(e *limEntry, now, window int64, ok bool) bool {
	if l.total == 0 {
		return ok
	}
	w := now / window
	if now < 0 && now%window != 0 {
		w-- // floor, for a clock that stepped back before the epoch
	}
	if w != l.win {
		l.win, l.allowed, l.heard = w, 0, 0
	}
	if e.win != uint32(w) || e.sent == 0 {
		e.win, e.sent = uint32(w), 0
		l.heard++
	}
	if e.sent < math.MaxUint32 {
		e.sent++
	}
	if !ok || (l.allowed >= l.total && e.sent > l.total/max(l.heard, 1)) {
		return false
	}
	l.allowed++
	return true
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
