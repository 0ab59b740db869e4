package proto

import (
	"fmt"
	"math"
)

// Auth is a player's authentication state as a Snapshot reports it.
type Auth uint8

// The auth states.
const (
	AuthPending         Auth = iota // the ticket is being checked
	AuthApproved                    // Steam approved the ticket
	AuthUnauthenticated             // a bot: an unauthenticated connection
	maxAuth             = AuthUnauthenticated
)

// String returns "pending", "approved" or "bot".
func (a Auth) String() string {
	switch a {
	case AuthPending:
		return "pending"
	case AuthApproved:
		return "approved"
	case AuthUnauthenticated:
		return "bot"
	}
	return fmt.Sprintf("Auth(%d)", uint8(a))
}

// Fixed is a coordinate in quarter pixels, as snapshots carry positions.
type Fixed uint16

// ToFixed converts a coordinate in pixels, clamping it to 0..16383.75.
func ToFixed(v float32) Fixed {
	q := math.Round(float64(v) * 4)
	switch {
	case !(q > 0): // also NaN
		return 0
	case q > math.MaxUint16:
		return math.MaxUint16
	}
	return Fixed(q)
}

// Float returns the coordinate in pixels.
func (f Fixed) Float() float32 { return float32(f) / 4 }

// PlayerState is one player in a Snapshot.
type PlayerState struct {
	ID    uint16
	X, Y  Fixed
	Score uint32
	Auth  Auth
	Bot   bool   // a server-side bot (no client)
	Name  string // at most MaxNameLen bytes
}

// Point is a coin's position in a Snapshot.
type Point struct{ X, Y Fixed }

// Snapshot is the world as the server sent it at one tick.
type Snapshot struct {
	Tick    uint32
	You     uint16 // the receiver's player ID; zero for none
	Players []PlayerState
	Coins   []Point
}

// Type returns TypeSnapshot.
func (*Snapshot) Type() Type { return TypeSnapshot }

// Find returns the player of s with the given ID, or nil when s does not
// list it (s.Find(s.You) is the receiver's own player).
func (s *Snapshot) Find(id uint16) *PlayerState {
	for i := range s.Players {
		if s.Players[i].ID == id {
			return &s.Players[i]
		}
	}
	return nil
}

// Size returns the encoded size of s.
func (s *Snapshot) Size() int {
	n := headerLen + 4 + 2 + 1 + 1 + 4*min(len(s.Coins), MaxCoins)
	for i := range min(len(s.Players), MaxPlayers) {
		n += 12 + len(clip(s.Players[i].Name, MaxNameLen))
	}
	return n
}

// AppendTo appends the snapshot; only the first MaxPlayers players and
// MaxCoins coins are written, so it is at most MaxPacketSize bytes.
func (s *Snapshot) AppendTo(b []byte) []byte {
	b = appendHeader(b, TypeSnapshot)
	b = le.AppendUint32(b, s.Tick)
	b = le.AppendUint16(b, s.You)
	np, nc := min(len(s.Players), MaxPlayers), min(len(s.Coins), MaxCoins)
	b = append(b, byte(np))
	for i := range np {
		p := &s.Players[i]
		b = le.AppendUint16(b, p.ID)
		b = le.AppendUint16(b, uint16(p.X))
		b = le.AppendUint16(b, uint16(p.Y))
		b = le.AppendUint32(b, p.Score)
		b = append(b, byte(p.Auth&3)|bool8(p.Bot)<<2)
		b = appendString(b, p.Name, MaxNameLen)
	}
	b = append(b, byte(nc))
	for i := range nc {
		b = le.AppendUint16(b, uint16(s.Coins[i].X))
		b = le.AppendUint16(b, uint16(s.Coins[i].Y))
	}
	return b
}

// ParseSnapshot decodes a snapshot into s, reusing the memory of s.Players
// and s.Coins; a player's name is allocated only when it differs from the
// name at the same position before. On error s holds no meaningful values.
func ParseSnapshot(pkt []byte, s *Snapshot) error {
	r := newReader(pkt, "Snapshot", TypeSnapshot)
	s.Tick = r.u32("tick")
	s.You = r.u16("you")
	np := int(r.u8("player count"))
	if np > MaxPlayers {
		r.off--
		r.fail(fmt.Sprintf("player count is %d, limit %d", np, MaxPlayers))
	}
	if r.err != nil {
		np = 0
	}
	s.Players = grow(s.Players, np)
	for i := 0; i < np && r.err == nil; i++ {
		p := &s.Players[i]
		p.ID = r.u16("player ID")
		p.X = Fixed(r.u16("x"))
		p.Y = Fixed(r.u16("y"))
		p.Score = r.u32("score")
		flags := r.u8("flags")
		if flags > 7 || Auth(flags&3) > maxAuth {
			r.off--
			r.fail(fmt.Sprintf("player flags are 0x%02X, want auth 0 to %d and bot bit 4", flags, maxAuth))
		}
		p.Auth, p.Bot = Auth(flags&3), flags&4 != 0
		p.Name = r.str("name", MaxNameLen, p.Name)
	}
	nc := int(r.u8("coin count"))
	if nc > MaxCoins {
		r.off--
		r.fail(fmt.Sprintf("coin count is %d, limit %d", nc, MaxCoins))
	}
	if r.err != nil {
		nc = 0
	}
	s.Coins = grow(s.Coins, nc)
	for i := 0; i < nc && r.err == nil; i++ {
		s.Coins[i].X = Fixed(r.u16("coin x"))
		s.Coins[i].Y = Fixed(r.u16("coin y"))
	}
	if err := r.done(); err != nil {
		s.Players, s.Coins = s.Players[:0], s.Coins[:0]
		return err
	}
	return nil
}

// grow returns s with length n, reusing its memory when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return append(s[:cap(s)], make([]T, n-cap(s))...)
}
