package game

import (
	"errors"
	"fmt"
	"math"
)

// ErrRules is wrapped by the errors of Rules.Check.
var ErrRules = errors.New("invalid rules")

// Limits of Rules.
const (
	MaxCoins      = 32    // coins in the arena at once
	MaxArenaSide  = 16000 // pixels
	MinArenaSide  = 64    // pixels
	MaxTickRate   = 240   // ticks per second
	MaxSpeed      = 2000  // pixels per second
	PlayerRadius  = 11    // pixels; the sprites are 24 pixels wide
	CoinRadius    = 7     // pixels; the coin sprite is 16 pixels wide
	DefaultWidth  = 640
	DefaultHeight = 448
)

// Rules are the parameters of a game. The zero value is not valid; start
// from DefaultRules.
type Rules struct {
	Width, Height float32 // the arena's size in pixels
	TickRate      int     // ticks per second
	Speed         float32 // a player's speed in pixels per second
	Coins         int     // coins in the arena at once, 1 to MaxCoins
	Seed          uint64  // seed of the coins' and bots' random choices
}

// DefaultRules returns a 640x448 arena at 30 ticks per second, with 12 coins
// and players moving 150 pixels per second.
func DefaultRules() Rules {
	return Rules{Width: DefaultWidth, Height: DefaultHeight, TickRate: 30, Speed: 150, Coins: 12, Seed: 1}
}

// Check reports the first parameter out of its range; the error wraps
// ErrRules.
func (r Rules) Check() error {
	side := func(name string, v float32) error {
		if !(v >= MinArenaSide && v <= MaxArenaSide) {
			return fmt.Errorf("game: arena %s is %v, want %d to %d: %w", name, v, MinArenaSide, MaxArenaSide, ErrRules)
		}
		return nil
	}
	if err := side("width", r.Width); err != nil {
		return err
	}
	if err := side("height", r.Height); err != nil {
		return err
	}
	if r.TickRate < 1 || r.TickRate > MaxTickRate {
		return fmt.Errorf("game: tick rate is %d, want 1 to %d: %w", r.TickRate, MaxTickRate, ErrRules)
	}
	if !(r.Speed >= 0 && r.Speed <= MaxSpeed) {
		return fmt.Errorf("game: speed is %v, want 0 to %d: %w", r.Speed, MaxSpeed, ErrRules)
	}
	if r.Coins < 1 || r.Coins > MaxCoins {
		return fmt.Errorf("game: coins are %d, want 1 to %d: %w", r.Coins, MaxCoins, ErrRules)
	}
	return nil
}

// Vec is a position or direction in pixels.
type Vec struct{ X, Y float32 }

// Add returns v+o.
func (v Vec) Add(o Vec) Vec { return Vec{v.X + o.X, v.Y + o.Y} }

// Sub returns v-o.
func (v Vec) Sub(o Vec) Vec { return Vec{v.X - o.X, v.Y - o.Y} }

// Scale returns v*k.
func (v Vec) Scale(k float32) Vec { return Vec{v.X * k, v.Y * k} }

// Len2 returns the square of v's length.
func (v Vec) Len2() float32 { return v.X*v.X + v.Y*v.Y }

// Buttons is the set of direction buttons a player holds.
type Buttons uint8

// The buttons.
const (
	Up Buttons = 1 << iota
	Down
	Left
	Right
	// AllButtons is every button.
	AllButtons = Up | Down | Left | Right
)

// Dir returns the unit direction the buttons point to, or the zero Vec when
// they cancel out. Unknown bits are ignored.
func (b Buttons) Dir() Vec {
	var d Vec
	if b&Up != 0 {
		d.Y--
	}
	if b&Down != 0 {
		d.Y++
	}
	if b&Left != 0 {
		d.X--
	}
	if b&Right != 0 {
		d.X++
	}
	if d.X != 0 && d.Y != 0 {
		d = d.Scale(1 / math.Sqrt2)
	}
	return d
}

// Step returns where a player at p holding b is one tick later: moved by
// Speed/TickRate pixels and kept inside the arena.
func (r Rules) Step(p Vec, b Buttons) Vec {
	p = p.Add(b.Dir().Scale(r.Speed / float32(r.TickRate)))
	return r.Clamp(p, PlayerRadius)
}

// Clamp returns p kept at least margin pixels inside the arena.
func (r Rules) Clamp(p Vec, margin float32) Vec {
	p.X = min(max(p.X, margin), r.Width-margin)
	p.Y = min(max(p.Y, margin), r.Height-margin)
	return p
}

// Touches reports whether a player at p touches a coin at c.
func Touches(p, c Vec) bool {
	const d = PlayerRadius + CoinRadius
	return p.Sub(c).Len2() < d*d
}

// Towards returns the buttons that move from p towards target, or none
// within a few pixels of it.
func Towards(p, target Vec) Buttons {
	const dead = 3
	var b Buttons
	d := target.Sub(p)
	switch {
	case d.X > dead:
		b |= Right
	case d.X < -dead:
		b |= Left
	}
	switch {
	case d.Y > dead:
		b |= Down
	case d.Y < -dead:
		b |= Up
	}
	return b
}
