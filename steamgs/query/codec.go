package query

import (
	"bytes"
	"encoding/binary"
	"math"
	"unicode/utf8"
)

// Wire constants of the A2S protocol.
const (
	// Protocol is the protocol version written in INFO replies.
	Protocol = 17
	// NoChallenge in a request's challenge slot (FF FF FF FF) asks for a challenge.
	NoChallenge uint32 = 0xFFFFFFFF
	// MaxPacketSize is the largest datagram sent whole; larger replies are split
	// (some clients read only 1400 bytes).
	MaxPacketSize = 1400
	// SplitSize is the reply payload carried by each fragment of a split reply,
	// and the value of the fragments' size field.
	SplitSize = 1248
	// SplitHeaderSize is the size of a fragment's header: FE FF FF FF, ID int32,
	// total u8, number u8, size u16.
	SplitHeaderSize = 12
	// MaxFragments is the most fragments a split reply can have (the count is a byte).
	MaxFragments = 255
	// MaxReplySize is the largest reassembled reply: MaxFragments * SplitSize bytes.
	MaxReplySize = MaxFragments * SplitSize
	// MaxStringLen is the most bytes the INFO and PLAYER encoders write of one
	// string (cut at a UTF-8 boundary), so that an INFO reply and a PLAYER reply
	// always fit MaxReplySize. Steam's own limits are far lower (64 bytes for a
	// server name, 128 for tags).
	MaxStringLen = 1024
	// MaxPlayers is the most players a PLAYER reply lists and the largest value
	// of the INFO reply's u8 count fields.
	MaxPlayers = 255
	// MaxRules is the most rules a RULES reply carries (the count is a u16).
	MaxRules = 65535
	// RulesHeaderSize is the size of a RULES reply's header: FF FF FF FF 'E'
	// and the u16 rule count.
	RulesHeaderSize = 7
	// MaxRulesBytes is the room for rules in the largest RULES reply
	// (MaxReplySize less the header); each rule takes the length of its name
	// and value plus two NUL bytes.
	MaxRulesBytes = MaxReplySize - RulesHeaderSize
	// ChallengeReplySize is the size of an S2C_CHALLENGE reply: FF FF FF FF 'A'
	// and the 4-byte challenge.
	ChallengeReplySize = 9
)

const (
	simpleHeader uint32 = 0xFFFFFFFF // whole packet
	splitHeader  uint32 = 0xFFFFFFFE // fragment of a split reply

	// Reply type bytes.
	replyInfo      = 'I'
	replyPlayers   = 'D'
	replyRules     = 'E'
	replyChallenge = 'A'
	replyPing      = 'j'

	// infoPayload follows the type byte of an A2S_INFO request.
	infoPayload = "Source Engine Query\x00"

	// theShipAppID is The Ship's app ID: clients read three extra bytes in INFO
	// replies whose u16 app ID is this value.
	theShipAppID = 2400
)

var le = binary.LittleEndian

// appendHeader appends FF FF FF FF and the type byte t.
func appendHeader(b []byte, t byte) []byte {
	return append(b, 0xFF, 0xFF, 0xFF, 0xFF, t)
}

// wireString returns the part of s the encoders write: up to the first NUL
// byte and at most max bytes, cut at a UTF-8 boundary. It never allocates.
func wireString(s string, max int) string {
	if i := indexNUL(s); i >= 0 {
		s = s[:i]
	}
	if len(s) <= max {
		return s
	}
	// Step back over at most utf8.UTFMax-1 continuation bytes so the cut does
	// not split a rune.
	cut := max
	for cut > 0 && cut > max-utf8.UTFMax+1 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func indexNUL(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return i
		}
	}
	return -1
}

// appendString appends s as a NUL-terminated wire string of at most max bytes.
func appendString(b []byte, s string, max int) []byte {
	b = append(b, wireString(s, max)...)
	return append(b, 0)
}

func clampU8(n int) byte {
	switch {
	case n <= 0:
		return 0
	case n >= 255:
		return 255
	}
	return byte(n)
}

func bool8(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// reader reads little-endian fields from a packet without ever reading past it:
// a read beyond the end marks the reader failed and returns zero values, and the
// caller checks err once at the end. Hand-written rather than bytes.Reader with
// binary.Read, which would allocate and box on every field.
type reader struct {
	b       []byte
	off     int
	failOff int
	failed  bool
	failMsg string
}

func (r *reader) fail(msg string) {
	if !r.failed {
		r.failed, r.failOff, r.failMsg = true, r.off, msg
	}
	r.off = len(r.b)
}

func (r *reader) left() int { return len(r.b) - r.off }

func (r *reader) u8() byte {
	if r.left() < 1 {
		r.fail("truncated")
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

func (r *reader) u16() uint16 {
	if r.left() < 2 {
		r.fail("truncated")
		return 0
	}
	v := le.Uint16(r.b[r.off:])
	r.off += 2
	return v
}

func (r *reader) u32() uint32 {
	if r.left() < 4 {
		r.fail("truncated")
		return 0
	}
	v := le.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *reader) u64() uint64 {
	if r.left() < 8 {
		r.fail("truncated")
		return 0
	}
	v := le.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

func (r *reader) f32() float32 { return math.Float32frombits(r.u32()) }

func (r *reader) str() string {
	i := bytes.IndexByte(r.b[r.off:], 0)
	if i < 0 {
		r.fail("unterminated string")
		return ""
	}
	s := string(r.b[r.off : r.off+i])
	r.off += i + 1
	return s
}

// header reads FF FF FF FF and the type byte, failing unless it is t.
func (r *reader) header(t byte) {
	if h := r.u32(); h != simpleHeader && !r.failed {
		r.off -= 4
		r.fail("header is not FF FF FF FF")
		return
	}
	if got := r.u8(); got != t && !r.failed {
		r.off--
		r.fail("type byte is " + quoteByte(got) + ", want " + quoteByte(t))
	}
}

// err returns the reader's failure as an error naming what was read.
func (r *reader) err(what string) error {
	if !r.failed {
		return nil
	}
	return &formatError{what: what, msg: r.failMsg, off: r.failOff, n: len(r.b)}
}

func quoteByte(c byte) string {
	const hex = "0123456789ABCDEF"
	if c >= 0x20 && c < 0x7F {
		return "'" + string(rune(c)) + "'"
	}
	return "0x" + string([]byte{hex[c>>4], hex[c&15]})
}
