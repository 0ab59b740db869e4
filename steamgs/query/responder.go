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
	// MaxSourcesLimit is the most source IPs the rate limit tracks (32 MiB of
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
	// MaxSources bounds the source IPs the rate limit tracks (its memory is
	// fixed: 32 bytes each, allocated on first use); 0 means DefaultMaxSources,
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
// the game sets state on another.
type Responder struct {
	now func() time.Time
	ch  *Challenges
	lim *Limiter

	advertise atomic.Bool

	// Counters are atomic so that Stats and the packets Handle refuses
	// before taking the lock need no lock.
	nInfo, nPlayers, nRules, nPings, nChallenges  atomic.Uint64
	nRateLimit, nBad, nOff, nSmall, nPkts, nBytes atomic.Uint64

	mu sync.Mutex
	// State.
	info      Info
	players   []player
	index     map[uint64]int // id -> position in players
	rules     []Rule
	ruleIndex map[string]int // key -> position in rules
	rulesSize int            // size of the RULES reply

	// Snapshot: replies encoded once per change of state.
	infoOK, playersOK, rulesOK bool
	infoReply                  []byte
	playersReply               []byte
	durOff                     []int       // offsets of the duration fields in playersReply
	durJoined                  []time.Time // the listed players' join times
	rulesReply                 []byte
	rebuilds                   int // replies encoded (for tests)

	splitID atomic.Uint32
	// bufs holds reply buffers (*[]byte), so that a reply is copied out
	// under the lock and sent after it without allocating.
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
	r.lim = NewLimiter(LimiterConfig{Limit: cfg.RateLimit, MaxSources: cfg.MaxSources, Key: key}, r.now())
	r.bufs.New = func() any { b := make([]byte, 0, MaxPacketSize); return &b }
	return r
}

// SetInfo replaces what A2S_INFO reports.
func (r *Responder) SetInfo(info Info) {
	r.mu.Lock()
	r.info = info
	r.infoOK = false
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
		r.playersOK = false
		return
	}
	r.index[id] = len(r.players)
	r.players = append(r.players, player{id: id, joined: joined})
	r.playersOK, r.infoOK = false, false
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
		r.playersOK = false
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
	r.playersOK, r.infoOK = false, false
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
	r.rulesOK = false
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
	r.rulesOK = false
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
// valid only during the call. The reply is copied out under the Responder's
// lock and sent after the lock is released, so send may block on I/O
// without holding up other callers, and may call the Responder's methods.
// pkt is not kept. Handle allocates nothing.
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
	if !r.lim.Allow(from.Addr(), now) {
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
	r.mu.Lock()
	switch req.Kind {
	case KindInfo:
		*bp = append((*bp)[:0], r.infoSnapshot()...)
		r.nInfo.Add(1)
	case KindPlayers:
		*bp = append((*bp)[:0], r.playersSnapshot(now)...)
		r.nPlayers.Add(1)
	case KindRules:
		*bp = append((*bp)[:0], r.rulesSnapshot()...)
		r.nRules.Add(1)
	}
	r.mu.Unlock()
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

// infoSnapshot returns the cached INFO reply, encoding it if state changed.
func (r *Responder) infoSnapshot() []byte {
	if !r.infoOK {
		r.infoReply = AppendInfo(r.infoReply[:0], r.info, len(r.players))
		r.infoOK = true
		r.rebuilds++
	}
	return r.infoReply
}

// playersSnapshot returns the cached PLAYER reply, encoding it if state
// changed, with the durations patched in place for now.
func (r *Responder) playersSnapshot(now time.Time) []byte {
	if !r.playersOK {
		n := min(len(r.players), MaxPlayers)
		b := appendHeader(r.playersReply[:0], replyPlayers)
		b = append(b, byte(n))
		r.durOff, r.durJoined = r.durOff[:0], r.durJoined[:0]
		for i := range n {
			p := &r.players[i]
			b = appendPlayerHead(b, i, p.name, p.score)
			r.durOff = append(r.durOff, len(b))
			r.durJoined = append(r.durJoined, p.joined)
			b = append(b, 0, 0, 0, 0)
		}
		r.playersReply = b
		r.playersOK = true
		r.rebuilds++
	}
	for i, off := range r.durOff {
		d := float32(max(now.Sub(r.durJoined[i]), 0).Seconds())
		le.PutUint32(r.playersReply[off:], math.Float32bits(d))
	}
	return r.playersReply
}

// rulesSnapshot returns the cached RULES reply, encoding it if state changed.
func (r *Responder) rulesSnapshot() []byte {
	if !r.rulesOK {
		r.rulesReply = AppendRules(r.rulesReply[:0], r.rules)
		r.rulesOK = true
		r.rebuilds++
	}
	return r.rulesReply
}
