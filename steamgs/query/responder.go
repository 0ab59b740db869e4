package query

import (
	"fmt"
	"math"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of Config.
const (
	// DefaultRateLimit is the packets per source IP per RateWindow allowed when
	// Config.RateLimit is 0 (Valve suggests 25 to 75).
	DefaultRateLimit = 50
	// DefaultMaxSources is the number of source IPs the rate limit tracks when
	// Config.MaxSources is 0.
	DefaultMaxSources = 4096
	// MaxSourcesLimit is the most source IPs the rate limit tracks (40 MiB of
	// table); a larger Config.MaxSources counts as this.
	MaxSourcesLimit = 1 << 20
	// DefaultChallengeWindow is the challenge window when
	// Config.ChallengeWindow is 0: a challenge is accepted for one to two windows.
	DefaultChallengeWindow = 30 * time.Second
)

// Config configures a Responder. Its zero value is ready to use: real clock,
// DefaultRateLimit, DefaultMaxSources, DefaultChallengeWindow, random key.
type Config struct {
	// Now is the clock for challenge windows, rate-limit windows and player
	// durations; nil means time.Now.
	Now func() time.Time
	// RateLimit is the most packets answered per source IP per RateWindow
	// (200 ms, Valve's rule); 0 means DefaultRateLimit, < 0 unlimited.
	RateLimit int
	// RateLimitByPort counts each source address and port against the rate
	// limit on its own, rather than each IP (see LimiterConfig.ByPort).
	RateLimitByPort bool
	// TotalRateLimit is the most packets answered per RateWindow from all
	// sources before each source is held to its fair share (see
	// LimiterConfig.Total); 0 means DefaultTotalFactor times RateLimit, < 0
	// no total.
	TotalRateLimit int
	// MaxSources bounds the source IPs the rate limit tracks (its memory is
	// fixed: 40 bytes each, allocated on first use); 0 means DefaultMaxSources,
	// and a value above MaxSourcesLimit counts as MaxSourcesLimit.
	MaxSources int
	// Key is the challenge key; all zero means a random key from crypto/rand.
	// Responders sharing a key accept each other's challenges.
	Key [16]byte
	// ChallengeWindow is the length of a challenge window; a challenge is
	// accepted in its window and the next. 0 means DefaultChallengeWindow.
	ChallengeWindow time.Duration
}

// Stats are a Responder's counters since it was made.
type Stats struct {
	// Info, Players, Rules and Pings count queries answered with data.
	Info, Players, Rules, Pings uint64
	// Challenges counts S2C_CHALLENGE replies sent (to INFO, PLAYER and RULES
	// requests without a valid challenge and to legacy GETCHALLENGE requests).
	Challenges uint64
	// DroppedRateLimit counts requests dropped by the per-source rate limit.
	DroppedRateLimit uint64
	// DroppedBad counts packets that were not well-formed A2S requests
	// (Handle returned false).
	DroppedBad uint64
	// DroppedOff counts requests dropped while advertising was off.
	DroppedOff uint64
	// DroppedSmall counts legacy GETCHALLENGE requests dropped because the
	// challenge reply would be larger than the request (no amplification).
	DroppedSmall uint64
	// Packets and Bytes count datagrams sent (a split reply counts each
	// fragment) and their bytes.
	Packets, Bytes uint64
}

// player is a Responder's record of one player.
type player struct {
	id     uint64
	name   string
	score  uint32
	joined time.Time
}

// Responder answers A2S queries for one game server from a snapshot of its
// state. Make it with NewResponder (the zero value is not usable). Its methods
// are safe for concurrent use: Serve or Handle may run on one goroutine while
// the game sets state on another, and the setters never wait for a query
// being answered: replies are encoded once per change into snapshots that
// Handle copies without the state's lock, and a snapshot being read is never
// written. A setter waits at most while the first query after a change
// copies the state it encodes (not while it encodes it).
type Responder struct {
	now func() time.Time
	ch  *Challenges
	lim *Limiter

	advertise atomic.Bool

	// Counters are atomic so that Stats and the packets Handle refuses
	// before taking the lock need no lock.
	nInfo, nPlayers, nRules, nPings, nChallenges  atomic.Uint64
	nRateLimit, nBad, nOff, nSmall, nPkts, nBytes atomic.Uint64

	// mu guards the state: held by the setters, and by a rebuild while it
	// copies the state it encodes.
	mu        sync.Mutex
	info      Info
	players   []player
	index     map[uint64]int // id -> position in players
	rules     []Rule
	ruleIndex map[string]int // key -> position in rules
	rulesSize int            // size of the RULES reply
	// gen counts the changes of each reply's state: a snapshot of an older
	// generation is rebuilt when next asked for.
	gen [snapKinds]atomic.Uint64

	// buildMu lets one rebuild run at a time, and guards what rebuilds use.
	buildMu  sync.Mutex
	snaps    [snapKinds]snapshots
	copiedPl []player // the listed players, copied from the state
	copiedRu []Rule   // the rules, copied from the state
	rebuilds int      // replies encoded (for tests)

	splitID atomic.Uint32
	// bufs holds reply buffers (*[]byte), so that a reply is copied out of
	// its snapshot and sent without allocating.
	bufs sync.Pool
}

// NewResponder returns a Responder configured by cfg, with advertising off and
// no state. It never fails: when cfg.Key is all zero and crypto/rand fails, it
// falls back to a key from the clock.
func NewResponder(cfg Config) *Responder {
	r := &Responder{
		now:       cfg.Now,
		index:     make(map[uint64]int),
		ruleIndex: make(map[string]int),
		rulesSize: rulesHeaderSize,
	}
	if r.now == nil {
		r.now = time.Now
	}
	// The limiter hashes 16-byte IPs, the challenges 26-byte address+window
	// strings: SipHash includes the length, so one key serves both.
	key := cfg.Key
	if key == ([16]byte{}) {
		k0, k1 := keyHalves(key)
		le.PutUint64(key[:8], k0)
		le.PutUint64(key[8:], k1)
	}
	r.ch = NewChallenges(key, cfg.ChallengeWindow)
	r.lim = NewLimiter(LimiterConfig{Limit: cfg.RateLimit, Total: cfg.TotalRateLimit, MaxSources: cfg.MaxSources,
		Key: key, ByPort: cfg.RateLimitByPort}, r.now())
	r.bufs.New = func() any { b := make([]byte, 0, MaxPacketSize); return &b }
	return r
}

// SetInfo replaces what A2S_INFO reports.
func (r *Responder) SetInfo(info Info) {
	r.mu.Lock()
	r.info = info
	r.gen[snapInfo].Add(1)
	r.mu.Unlock()
}

// SetAdvertise turns answering on or off; a Responder starts off and, while
// off, answers nothing.
func (r *Responder) SetAdvertise(on bool) { r.advertise.Store(on) }

// AddPlayer adds a player (an authenticated player or an unauthenticated
// connection, such as a bot) who joined at joined. Every player counts in the
// INFO player count; the first MaxPlayers are listed by A2S_PLAYER, with an empty
// name and score 0 until UpdatePlayer. Adding an id already present keeps its
// name, score and place and replaces its join time.
func (r *Responder) AddPlayer(id uint64, joined time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i, ok := r.index[id]; ok {
		r.players[i].joined = joined
		r.gen[snapPlayers].Add(1)
		return
	}
	r.index[id] = len(r.players)
	r.players = append(r.players, player{id: id, joined: joined})
	r.gen[snapPlayers].Add(1)
	r.gen[snapInfo].Add(1)
}

// UpdatePlayer sets the name and score A2S_PLAYER lists for player id and
// reports whether id is known. The score is written as the wire's 32 bits.
func (r *Responder) UpdatePlayer(id uint64, name string, score uint32) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	i, ok := r.index[id]
	if !ok {
		return false
	}
	p := &r.players[i]
	if p.name != name || p.score != score {
		p.name, p.score = name, score
		r.gen[snapPlayers].Add(1)
	}
	return true
}

// RemovePlayer removes player id; an unknown id is ignored.
func (r *Responder) RemovePlayer(id uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	i, ok := r.index[id]
	if !ok {
		return
	}
	delete(r.index, id)
	copy(r.players[i:], r.players[i+1:])
	r.players[len(r.players)-1] = player{}
	r.players = r.players[:len(r.players)-1]
	for j := i; j < len(r.players); j++ {
		r.index[r.players[j].id] = j
	}
	r.gen[snapPlayers].Add(1)
	r.gen[snapInfo].Add(1)
}

// PlayerCount returns the number of players added and not removed.
func (r *Responder) PlayerCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.players)
}

// SetRule sets rule key to value (A2S_RULES), adding it after the existing
// rules or replacing its value. It refuses, with an error wrapping ErrTooLarge
// that names the size and the limit, a rule that would make the RULES reply
// longer than MaxReplySize (255 fragments) or hold more than MaxRules rules,
// and, wrapping ErrInvalid, a key or value holding a NUL byte.
func (r *Responder) SetRule(key, value string) error {
	if indexNUL(key) >= 0 || indexNUL(value) >= 0 {
		return &invalidError{msg: fmt.Sprintf("rule %q=%q holds a NUL byte", trimForError(key), trimForError(value))}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	i, ok := r.ruleIndex[key]
	size := r.rulesSize + ruleSize(key, value)
	if ok {
		size -= ruleSize(key, r.rules[i].Value)
	} else if len(r.rules) >= MaxRules {
		return &sizeError{what: "rules reply", size: len(r.rules) + 1, limit: MaxRules, unit: "rules"}
	}
	if size > MaxReplySize {
		return &sizeError{what: "rules reply", size: size, limit: MaxReplySize, unit: "bytes"}
	}
	if ok {
		if r.rules[i].Value == value {
			return nil
		}
		r.rules[i].Value = value
	} else {
		r.ruleIndex[key] = len(r.rules)
		r.rules = append(r.rules, Rule{Name: key, Value: value})
	}
	r.rulesSize = size
	r.gen[snapRules].Add(1)
	return nil
}

// trimForError shortens s for an error message.
func trimForError(s string) string {
	if len(s) > 32 {
		return s[:32] + "..."
	}
	return s
}

// ClearRules removes every rule.
func (r *Responder) ClearRules() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.rules)
	r.rules = r.rules[:0]
	clear(r.ruleIndex)
	r.rulesSize = rulesHeaderSize
	r.gen[snapRules].Add(1)
}

// Stats returns the Responder's counters.
func (r *Responder) Stats() Stats {
	return Stats{
		Info:             r.nInfo.Load(),
		Players:          r.nPlayers.Load(),
		Rules:            r.nRules.Load(),
		Pings:            r.nPings.Load(),
		Challenges:       r.nChallenges.Load(),
		DroppedRateLimit: r.nRateLimit.Load(),
		DroppedBad:       r.nBad.Load(),
		DroppedOff:       r.nOff.Load(),
		DroppedSmall:     r.nSmall.Load(),
		Packets:          r.nPkts.Load(),
		Bytes:            r.nBytes.Load(),
	}
}

// Challenge returns the challenge the Responder currently expects from
// address from, as it would send it in an S2C_CHALLENGE reply.
func (r *Responder) Challenge(from netip.AddrPort) uint32 {
	return r.ch.For(from, r.now())
}

// Handle handles one datagram pkt from address from and reports whether it was
// an A2S request, which it then consumed: answered, or dropped because
// advertising is off, the source is over its rate limit, or the reply would
// be larger than a request without a valid challenge. Anything else (not
// FF FF FF FF, an unknown type, a malformed request) gets false and is never
// answered. Replies go out through send, called once per datagram (a whole
// reply or each fragment of a split one) with its destination, from; b is
// valid only during the call. The reply is copied out of its snapshot and
// sent with no lock held, so send may block on I/O without holding up other
// callers, and may call the Responder's methods. Handle takes the state's
// lock only to copy the state for the first reply after a change. pkt is
// not kept. Handle allocates nothing once the snapshots are built.
func (r *Responder) Handle(pkt []byte, from netip.AddrPort, send func(b []byte, to netip.AddrPort)) bool {
	req, code := parseRequest(pkt)
	if code != parseOK {
		r.nBad.Add(1)
		return false
	}
	if !r.advertise.Load() {
		r.nOff.Add(1)
		return true
	}
	now := r.now()
	if !r.lim.Allow(from, now) {
		r.nRateLimit.Add(1)
		return true
	}
	bp := r.bufs.Get().(*[]byte)
	defer r.bufs.Put(bp)
	switch req.Kind {
	case KindPing:
		// The 5-byte reply FF FF FF FF 'j' is no larger than any ping.
		*bp = appendHeader((*bp)[:0], replyPing)
		r.sendOne(*bp, from, send)
		r.nPings.Add(1)
		return true
	case KindGetChallenge:
		if len(pkt) < ChallengeReplySize {
			r.nSmall.Add(1) // a 9-byte reply to a 5-byte request would amplify
			return true
		}
		r.sendChallenge(bp, from, now, send)
		return true
	}
	// INFO (at least 25 bytes), PLAYER and RULES (at least 9): the challenge
	// reply is never larger than the request.
	if !req.HasChallenge || !r.ch.Valid(from, req.Challenge, now) {
		r.sendChallenge(bp, from, now, send)
		return true
	}
	k := snapKindOf(req.Kind)
	sn := r.snapshot(k)
	*bp = append((*bp)[:0], sn.b...)
	if k == snapPlayers {
		sn.patchDurations(*bp, now)
	}
	sn.rw.RUnlock()
	r.counter(k).Add(1)
	r.sendReply(*bp, from, send)
	return true
}

func (r *Responder) sendChallenge(bp *[]byte, from netip.AddrPort, now time.Time, send func([]byte, netip.AddrPort)) {
	*bp = AppendChallenge((*bp)[:0], r.ch.For(from, now))
	r.sendOne(*bp, from, send)
	r.nChallenges.Add(1)
}

func (r *Responder) sendOne(b []byte, to netip.AddrPort, send func([]byte, netip.AddrPort)) {
	if send == nil {
		return
	}
	r.nPkts.Add(1)
	r.nBytes.Add(uint64(len(b)))
	send(b, to)
}

// sendReply sends reply whole when it fits MaxPacketSize, else split, each
// fragment built in a buffer of the pool.
func (r *Responder) sendReply(reply []byte, to netip.AddrPort, send func([]byte, netip.AddrPort)) {
	if len(reply) <= MaxPacketSize {
		r.sendOne(reply, to, send)
		return
	}
	// Encoders and SetRule keep every reply within MaxReplySize.
	total := SplitCount(len(reply))
	id := r.splitID.Add(1) & 0x7FFFFFFF
	fp := r.bufs.Get().(*[]byte)
	for i := range total {
		*fp = appendFragment((*fp)[:0], id, reply, i, total)
		r.sendOne(*fp, to, send)
	}
	r.bufs.Put(fp)
}

// The replies a Responder keeps snapshots of.
const (
	snapInfo = iota
	snapPlayers
	snapRules
	snapKinds
)

// snapKindOf returns the reply of a query of kind k (INFO, PLAYER or RULES).
func snapKindOf(k Kind) int {
	switch k {
	case KindPlayers:
		return snapPlayers
	case KindRules:
		return snapRules
	}
	return snapInfo
}

// counter returns the Stats counter of reply k.
func (r *Responder) counter(k int) *atomic.Uint64 {
	switch k {
	case snapPlayers:
		return &r.nPlayers
	case snapRules:
		return &r.nRules
	}
	return &r.nInfo
}

// snapshot is one encoded reply. Once published it is only read, under a
// read lock; a rebuild writes a snapshot that is not published and not being
// read (it takes the write lock without waiting), so its memory is reused
// without a reader ever seeing it change.
type snapshot struct {
	rw  sync.RWMutex
	gen atomic.Uint64 // the generation of the state it encodes
	b   []byte
	// PLAYER: the offsets of the duration fields in b, and the listed
	// players' join times.
	durOff    []int
	durJoined []time.Time
}

// patchDurations writes into reply, a copy of sn's bytes, each listed
// player's time connected at now.
func (sn *snapshot) patchDurations(reply []byte, now time.Time) {
	for i, off := range sn.durOff {
		d := float32(max(now.Sub(sn.durJoined[i]), 0).Seconds())
		le.PutUint32(reply[off:], math.Float32bits(d))
	}
}

// snapshots are the snapshots of one reply: the published one, and those
// that were published before, for reuse.
type snapshots struct {
	cur atomic.Pointer[snapshot]
	all []*snapshot // guarded by Responder.buildMu
}

// snapshot returns the current snapshot of reply k, read-locked, rebuilding
// it first when the state changed since it was encoded.
func (r *Responder) snapshot(k int) *snapshot {
	ss := &r.snaps[k]
	for {
		sn := ss.cur.Load()
		if sn == nil || sn.gen.Load() != r.gen[k].Load() {
			sn = r.rebuild(k)
		}
		sn.rw.RLock()
		if ss.cur.Load() == sn {
			return sn
		}
		sn.rw.RUnlock() // another rebuild published a newer one meanwhile
	}
}

// rebuild encodes reply k from the current state, publishes it and returns
// it (not locked). The state's lock is held only to copy the state.
func (r *Responder) rebuild(k int) *snapshot {
	r.buildMu.Lock()
	defer r.buildMu.Unlock()
	ss := &r.snaps[k]
	if sn := ss.cur.Load(); sn != nil && sn.gen.Load() == r.gen[k].Load() {
		return sn // rebuilt while this one waited
	}
	r.mu.Lock()
	gen := r.gen[k].Load()
	info, count := r.info, len(r.players)
	switch k {
	case snapPlayers:
		r.copiedPl = append(r.copiedPl[:0], r.players[:min(len(r.players), MaxPlayers)]...)
	case snapRules:
		r.copiedRu = append(r.copiedRu[:0], r.rules...)
	}
	r.mu.Unlock()

	sn := ss.spare()
	switch k {
	case snapInfo:
		sn.b = AppendInfo(sn.b[:0], info, count)
	case snapPlayers:
		b := appendHeader(sn.b[:0], replyPlayers)
		b = append(b, byte(len(r.copiedPl)))
		sn.durOff, sn.durJoined = sn.durOff[:0], sn.durJoined[:0]
		for i := range r.copiedPl {
			p := &r.copiedPl[i]
			b = appendPlayerHead(b, i, p.name, p.score)
			sn.durOff = append(sn.durOff, len(b))
			sn.durJoined = append(sn.durJoined, p.joined)
			b = append(b, 0, 0, 0, 0)
		}
		sn.b = b
		clear(r.copiedPl) // drop the names
	case snapRules:
		sn.b = AppendRules(sn.b[:0], r.copiedRu)
		clear(r.copiedRu)
	}
	sn.gen.Store(gen)
	sn.rw.Unlock()
	ss.cur.Store(sn)
	r.rebuilds++
	return sn
}

// spare returns a snapshot that is neither published nor being read, write
// locked: one published before, or a new one when every one is in use.
// Called with Responder.buildMu held.
func (ss *snapshots) spare() *snapshot {
	cur := ss.cur.Load()
	for _, sn := range ss.all {
		if sn != cur && sn.rw.TryLock() {
			return sn
		}
	}
	sn := &snapshot{}
	sn.rw.Lock()
	ss.all = append(ss.all, sn)
	return sn
}
