package query

import (
	"net/netip"

	"github.com/dchest/siphash"
)

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
	var buf [26]byte
	ip := a.Addr().As16()
	copy(buf[:16], ip[:])
	le.PutUint16(buf[16:], a.Port())
	le.PutUint64(buf[18:], uint64(w))
	h := siphash.Hash(k0, k1, buf[:])
	c := uint32(h) ^ uint32(h>>32)
	if c == NoChallenge {
		c-- // FF FF FF FF means "no challenge" on the wire
	}
	return c
}
