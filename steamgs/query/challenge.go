package query

import (
	"crypto/rand"
	"net/netip"
	"time"

	"github.com/dchest/siphash"
)

// Challenges makes and checks stateless challenges (or tokens): a keyed
// SipHash of the client's address and the current time window, so that
// nothing is stored per client and a spoofed source never sees the value it
// would have to send back. A challenge is accepted in its window and the
// next. A Responder uses it for A2S; a game can use it for its own
// connection handshake. The zero value is not usable; make it with
// NewChallenges. Its methods are safe for concurrent use.
type Challenges struct {
	k0, k1 uint64
	window int64
}

// NewChallenges returns challenges under key (all zero: a random key) in
// windows of window (0: DefaultChallengeWindow). Two values with one key and
// one window accept each other's challenges.
func NewChallenges(key [16]byte, window time.Duration) *Challenges {
	if window <= 0 {
		window = DefaultChallengeWindow
	}
	k0, k1 := keyHalves(key)
	return &Challenges{k0: k0, k1: k1, window: int64(window)}
}

// keyHalves returns key as SipHash's two halves, or a random key when key
// is all zero.
func keyHalves(key [16]byte) (uint64, uint64) {
	if key == ([16]byte{}) {
		if _, err := rand.Read(key[:]); err != nil {
			// crypto/rand does not fail on supported systems; a clock key
			// still makes challenges unguessable enough to stop spoofing.
			le.PutUint64(key[:], uint64(time.Now().UnixNano()))
		}
	}
	return le.Uint64(key[:8]), le.Uint64(key[8:])
}

// For returns the challenge of address a at now; never NoChallenge.
func (c *Challenges) For(a netip.AddrPort, now time.Time) uint32 {
	return challengeFor(c.k0, c.k1, a, c.windowOf(now))
}

// Valid reports whether v is a's challenge at now (of this window or the
// previous one).
func (c *Challenges) Valid(a netip.AddrPort, v uint32, now time.Time) bool {
	w := c.windowOf(now)
	return v == challengeFor(c.k0, c.k1, a, w) || v == challengeFor(c.k0, c.k1, a, w-1)
}

// Token returns the 64-bit token of address a at now, for a handshake with
// room for 8 bytes, such as a game's own connection challenge: the whole
// keyed hash that For folds to 32 bits. Tokens follow the same windows as
// challenges.
func (c *Challenges) Token(a netip.AddrPort, now time.Time) uint64 {
	return tokenFor(c.k0, c.k1, a, c.windowOf(now))
}

// ValidToken reports whether t is a's token at now (of this window or the
// previous one).
func (c *Challenges) ValidToken(a netip.AddrPort, t uint64, now time.Time) bool {
	w := c.windowOf(now)
	return t == tokenFor(c.k0, c.k1, a, w) || t == tokenFor(c.k0, c.k1, a, w-1)
}

func (c *Challenges) windowOf(now time.Time) int64 {
	ns := now.UnixNano()
	w := ns / c.window
	if ns < 0 && ns%c.window != 0 {
		w-- // floor, for clocks before 1970
	}
	return w
}

// AppendChallenge appends the S2C_CHALLENGE reply FF FF FF FF 'A' and the
// 4-byte challenge c to b and returns the extended buffer.
func AppendChallenge(b []byte, c uint32) []byte {
	b = appendHeader(b, replyChallenge)
	return le.AppendUint32(b, c)
}

// ParseChallenge decodes an S2C_CHALLENGE reply and returns its challenge.
// The error wraps ErrMalformed.
func ParseChallenge(b []byte) (uint32, error) {
	r := reader{b: b}
	r.header(replyChallenge)
	c := r.u32()
	if err := r.err("challenge reply"); err != nil {
		return 0, err
	}
	return c, nil
}

// challengeFor returns the challenge of address a in window w under key k0,k1:
// a SipHash-2-4 of the address (16-byte IP, port) and the window number, folded
// to 32 bits and never NoChallenge. It is stateless: nothing is stored per client.
func challengeFor(k0, k1 uint64, a netip.AddrPort, w int64) uint32 {
	h := tokenFor(k0, k1, a, w)
	c := uint32(h) ^ uint32(h>>32)
	if c == NoChallenge {
		c-- // FF FF FF FF means "no challenge" on the wire
	}
	return c
}

// tokenFor returns the SipHash-2-4 under key k0,k1 of address a (16-byte
// IP, port) and window w.
func tokenFor(k0, k1 uint64, a netip.AddrPort, w int64) uint64 {
	var buf [26]byte
	ip := a.Addr().As16()
	copy(buf[:16], ip[:])
	le.PutUint16(buf[16:], a.Port())
	le.PutUint64(buf[18:], uint64(w))
	return siphash.Hash(k0, k1, buf[:])
}
