package game

import (
	"math/rand/v2"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/yohamta/donburi"
	"github.com/yohamta/donburi/component"
	"github.com/yohamta/donburi/filter"
)

// Game runs the rules over one donburi world. Create it with New; it is not
// safe for concurrent use (it belongs to the world's goroutine).
type Game struct {
	rules  Rules
	rng    *rand.Rand
	tick   uint64
	nextID uint16
	used   []uint64 // scratch of newID: a bit per player ID in use

	players *donburi.Query // Body, Control, components.Player
	bots    *donburi.Query // and Brain
	coins   *donburi.Query // Coin

	coinPos []Vec // scratch: coin positions of the current tick
}

// New checks rules and puts Rules.Coins coins into w.
func New(w donburi.World, rules Rules) (*Game, error) {
	if err := rules.Check(); err != nil {
		return nil, err
	}
	g := &Game{
		rules:   rules,
		rng:     rand.New(rand.NewPCG(rules.Seed, rules.Seed^0x9e3779b97f4a7c15)),
		nextID:  1,
		players: donburi.NewQuery(filter.Contains(Body, Control, components.Player)),
		bots:    donburi.NewQuery(filter.Contains(Body, Control, Brain, components.Player)),
		coins:   donburi.NewQuery(filter.Contains(Coin)),
		coinPos: make([]Vec, 0, MaxCoins),
	}
	for range rules.Coins {
		e := w.Entry(w.Create(Coin))
		Coin.SetValue(e, CoinData{Pos: g.randomPoint(CoinRadius)})
	}
	return g, nil
}

// Rules returns the game's rules.
func (g *Game) Rules() Rules { return g.rules }

// Tick returns the number of Updates so far.
func (g *Game) Tick() uint64 { return g.tick }

// Players returns the query of player entities (Body, Control and
// components.Player), for iterating over them in the world of g.
func (g *Game) Players() *donburi.Query { return g.players }

// Coins returns the query of coin entities.
func (g *Game) Coins() *donburi.Query { return g.coins }

// randomPoint returns a random point at least margin pixels inside the arena.
func (g *Game) randomPoint(margin float32) Vec {
	return Vec{
		X: margin + g.rng.Float32()*(g.rules.Width-2*margin),
		Y: margin + g.rng.Float32()*(g.rules.Height-2*margin),
	}
}

// newID returns the next player ID that no player of w holds, never zero:
// the counter wraps after 65,535 joins, and skips the IDs still in use.
func (g *Game) newID(w donburi.World) uint16 {
	if g.used == nil {
		g.used = make([]uint64, 1<<16/64)
	}
	clear(g.used)
	for e := range g.players.Iter(w) {
		id := Body.Get(e).ID
		g.used[id/64] |= 1 << (id % 64)
	}
	for range 1 << 16 {
		id := g.nextID
		g.nextID++
		if g.nextID == 0 {
			g.nextID = 1
		}
		if g.used[id/64]&(1<<(id%64)) == 0 {
			return id
		}
	}
	return 0 // every ID is in use: cannot happen with MaxPlayers players
}

// AddPlayer creates the entity of a player who joined with an auth ticket
// (see components.NewPlayer) at a random place in the arena, and returns
// it. The player stands still until Steam approves it. The entity also gets
// the extra component types, with their zero values, such as a server's
// record of the player's network address.
func (g *Game) AddPlayer(w donburi.World, p components.PlayerData, extra ...component.IComponentType) donburi.Entity {
	types := make([]component.IComponentType, 0, 3+len(extra))
	types = append(types, components.Player, Body, Control)
	e := w.Create(append(types, extra...)...)
	entry := w.Entry(e)
	components.Player.SetValue(entry, p)
	Body.SetValue(entry, BodyData{ID: g.newID(w), Pos: g.randomPoint(PlayerRadius)})
	return e
}

// AddBot creates a bot's entity: a player registered with Steam as an
// unauthenticated connection, driven by a Brain.
func (g *Game) AddBot(w donburi.World, name string, joined time.Time) donburi.Entity {
	e := w.Create(components.Player, Body, Control, Brain)
	entry := w.Entry(e)
	components.Player.SetValue(entry, components.NewBot(name, joined))
	pos := g.randomPoint(PlayerRadius)
	Body.SetValue(entry, BodyData{ID: g.newID(w), Pos: pos})
	Brain.SetValue(entry, BrainData{Target: pos})
	return e
}

// Update runs one tick of the rules: bots choose their buttons, approved
// players move, and a player touching a coin scores a point while the coin
// jumps to a random place. Players are visited in the world's order, so the
// first in that order wins a coin two players touch at once.
func (g *Game) Update(w donburi.World) {
	g.tick++
	g.coinPos = g.coinPos[:0]
	for e := range g.coins.Iter(w) {
		g.coinPos = append(g.coinPos, Coin.Get(e).Pos)
	}
	for e := range g.bots.Iter(w) {
		g.think(Body.Get(e).Pos, Brain.Get(e), Control.Get(e))
	}
	for e := range g.players.Iter(w) {
		p := components.Player.Get(e)
		if !p.Active() {
			continue
		}
		body := Body.Get(e)
		body.Pos = g.rules.Step(body.Pos, Control.Get(e).Buttons)
		for i, c := range g.coinPos {
			if Touches(body.Pos, c) {
				p.SetScore(p.Score() + 1)
				g.coinPos[i] = g.randomPoint(CoinRadius)
			}
		}
	}
	i := 0
	for e := range g.coins.Iter(w) {
		Coin.Get(e).Pos = g.coinPos[i]
		i++
	}
}

// think sets a bot's buttons: it heads for its target, and picks a new one
// when it arrives or its time is up, usually the coin nearest to it,
// sometimes a random place.
func (g *Game) think(pos Vec, b *BrainData, c *ControlData) {
	if g.tick >= b.Until || pos.Sub(b.Target).Len2() < 16 {
		b.Target = g.randomPoint(PlayerRadius)
		if len(g.coinPos) > 0 && g.rng.IntN(4) != 0 {
			best := g.coinPos[0]
			for _, cp := range g.coinPos[1:] {
				if pos.Sub(cp).Len2() < pos.Sub(best).Len2() {
					best = cp
				}
			}
			b.Target = best
		}
		b.Until = g.tick + uint64(g.rules.TickRate) + uint64(g.rng.IntN(2*g.rules.TickRate))
	}
	c.Buttons = Towards(pos, b.Target)
}
