package proto

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Magic is the first byte of every message; Version the second.
const (
	Magic   = 'G'
	Version = 1
)

// Limits of the protocol.
const (
	// MaxPacketSize is the largest message in bytes; every encoder stays
	// within it for values within the limits below.
	MaxPacketSize = 1400
	// MaxNameLen is the longest player name in bytes.
	MaxNameLen = 24
	// MaxPasswordLen is the longest password in bytes.
	MaxPasswordLen = 32
	// MaxMessageLen is the longest text of a Deny in bytes.
	MaxMessageLen = 96
	// MaxTicketLen is the longest auth ticket in bytes.
	MaxTicketLen = 1024
	// MaxCancelNoticeLen is the longest cancel notice of a Disconnect in
	// bytes (steamgs/local's are local.CancelNoticeLen, 93).
	MaxCancelNoticeLen = 128
	// MaxPlayers is the most players a Snapshot carries.
	MaxPlayers = 32
	// MaxCoins is the most coins a Snapshot carries.
	MaxCoins = 32
	// headerLen is the size of the magic, version and type bytes.
	headerLen = 3
)

// Type is a message's third byte.
type Type uint8

// The message types.
const (
	TypeHello      Type = 1 // client to server: Hello
	TypeChallenge  Type = 2 // server to client: Challenge
	TypeConnect    Type = 3 // client to server: Connect
	TypeWelcome    Type = 4 // server to client: Welcome
	TypeDeny       Type = 5 // server to client: Deny
	TypeInput      Type = 6 // client to server: Input
	TypeSnapshot   Type = 7 // server to client: Snapshot
	TypeDisconnect Type = 8 // either way: Disconnect
)

// String returns the type's name, such as "Snapshot".
func (t Type) String() string {
	switch t {
	case TypeHello:
		return "Hello"
	case TypeChallenge:
		return "Challenge"
	case TypeConnect:
		return "Connect"
	case TypeWelcome:
		return "Welcome"
	case TypeDeny:
		return "Deny"
	case TypeInput:
		return "Input"
	case TypeSnapshot:
		return "Snapshot"
	case TypeDisconnect:
		return "Disconnect"
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// ErrMalformed is wrapped by every decoding error.
var ErrMalformed = errors.New("malformed message")

// malformed is a decoding error: what was being read, why, and where.
type malformed struct {
	what string
	msg  string
	off  int
	n    int
}

// Error says what was malformed, where and why.
func (e *malformed) Error() string {
	return fmt.Sprintf("proto: malformed %s at byte %d of %d: %s", e.what, e.off, e.n, e.msg)
}

// Is reports whether target is ErrMalformed.
func (e *malformed) Is(target error) bool { return target == ErrMalformed }

var le = binary.LittleEndian

// IsGame reports whether pkt looks like a message of this protocol (its
// first two bytes are Magic and Version); a shared socket sends everything
// else starting FF FF FF FF to Steam.
func IsGame(pkt []byte) bool {
	return len(pkt) >= headerLen && pkt[0] == Magic && pkt[1] == Version
}

// Peek returns the type of the message in pkt after checking its header. It
// does not check the body.
func Peek(pkt []byte) (Type, error) {
	if len(pkt) < headerLen {
		return 0, &malformed{what: "header", msg: fmt.Sprintf("message is %d bytes, need at least %d", len(pkt), headerLen), off: len(pkt), n: len(pkt)}
	}
	if pkt[0] != Magic {
		return 0, &malformed{what: "header", msg: fmt.Sprintf("first byte is 0x%02X, want 0x%02X", pkt[0], Magic), n: len(pkt)}
	}
	if pkt[1] != Version {
		return 0, &malformed{what: "header", msg: fmt.Sprintf("version is %d, want %d", pkt[1], Version), off: 1, n: len(pkt)}
	}
	t := Type(pkt[2])
	if t < TypeHello || t > TypeDisconnect {
		return 0, &malformed{what: "header", msg: fmt.Sprintf("unknown type %d", pkt[2]), off: 2, n: len(pkt)}
	}
	return t, nil
}

// appendHeader appends the three header bytes of a message of type t.
func appendHeader(b []byte, t Type) []byte { return append(b, Magic, Version, byte(t)) }

// clip returns the longest prefix of s of at most limit bytes that does not
// cut a UTF-8 sequence, up to its first NUL byte.
func clip(s string, limit int) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			s = s[:i]
			break
		}
	}
	if len(s) <= limit {
		return s
	}
	s = s[:limit]
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// ClipName returns name as the protocol carries it: cut at its first NUL
// byte and to at most MaxNameLen bytes without cutting a UTF-8 sequence.
func ClipName(name string) string { return clip(name, MaxNameLen) }

// appendString appends s cut to limit bytes (see clip), after its length byte.
func appendString(b []byte, s string, limit int) []byte {
	s = clip(s, limit)
	b = append(b, byte(len(s)))
	return append(b, s...)
}

// appendBytes appends p cut to limit bytes, after its u16 length.
func appendBytes(b, p []byte, limit int) []byte {
	if len(p) > limit {
		p = p[:limit]
	}
	b = le.AppendUint16(b, uint16(len(p)))
	return append(b, p...)
}

// reader decodes a message; the first failure sticks and later reads return
// zero values.
type reader struct {
	b    []byte
	off  int
	what string
	err  *malformed
}

func newReader(b []byte, what string, t Type) reader {
	r := reader{b: b, what: what}
	got, err := Peek(b)
	if err != nil {
		m := err.(*malformed)
		m.what = what
		r.err = m
		return r
	}
	if got != t {
		r.fail(fmt.Sprintf("type is %s, want %s", got, t))
		r.err.off = 2
		return r
	}
	r.off = headerLen
	return r
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = &malformed{what: r.what, msg: msg, off: r.off, n: len(r.b)}
	}
}

func (r *reader) need(n int, field string) bool { return r.needOf(n, field, "") }

// needOf is need for the field named field+suffix; the name is only built
// on failure, so that decoding does not allocate.
func (r *reader) needOf(n int, field, suffix string) bool {
	if r.err != nil {
		return false
	}
	if len(r.b)-r.off < n {
		r.fail(fmt.Sprintf("%s%s needs %d bytes, %d left", field, suffix, n, len(r.b)-r.off))
		return false
	}
	return true
}

func (r *reader) u8(field string) uint8 {
	if !r.need(1, field) {
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

func (r *reader) u16(field string) uint16 {
	if !r.need(2, field) {
		return 0
	}
	v := le.Uint16(r.b[r.off:])
	r.off += 2
	return v
}

func (r *reader) u32(field string) uint32 {
	if !r.need(4, field) {
		return 0
	}
	v := le.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *reader) u64(field string) uint64 {
	if !r.need(8, field) {
		return 0
	}
	v := le.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

// strBytes reads a length byte and that many bytes of valid UTF-8 without
// NUL, at most limit long; it returns a slice of the input.
func (r *reader) strBytes(field string, limit int) []byte {
	if !r.needOf(1, field, " length") {
		return nil
	}
	n := int(r.b[r.off])
	r.off++
	if n > limit {
		r.off--
		r.fail(fmt.Sprintf("%s is %d bytes, limit %d", field, n, limit))
		return nil
	}
	if !r.need(n, field) {
		return nil
	}
	p := r.b[r.off : r.off+n]
	for i, c := range p {
		if c == 0 {
			r.off += i
			r.fail(fmt.Sprintf("%s holds a NUL byte", field))
			return nil
		}
	}
	if !utf8.Valid(p) {
		r.fail(fmt.Sprintf("%s is not valid UTF-8", field))
		return nil
	}
	r.off += n
	return p
}

// str reads a string field (see strBytes) into a new string, or returns prev
// without allocating when the bytes are the same.
func (r *reader) str(field string, limit int, prev string) string {
	p := r.strBytes(field, limit)
	if string(p) == prev {
		return prev
	}
	return string(p)
}

// bytes reads a u16 length and that many bytes, at most limit, into a copy.
func (r *reader) bytes(field string, limit int) []byte {
	if !r.needOf(2, field, " length") {
		return nil
	}
	n := int(le.Uint16(r.b[r.off:]))
	r.off += 2
	if n > limit {
		r.off -= 2
		r.fail(fmt.Sprintf("%s is %d bytes, limit %d", field, n, limit))
		return nil
	}
	if !r.need(n, field) {
		return nil
	}
	p := make([]byte, n)
	copy(p, r.b[r.off:])
	r.off += n
	return p
}

// done fails when bytes are left over, and returns the error, if any.
func (r *reader) done() error {
	if r.err == nil && r.off != len(r.b) {
		r.fail(fmt.Sprintf("%d bytes after the last field", len(r.b)-r.off))
	}
	if r.err != nil {
		return r.err
	}
	return nil
}
