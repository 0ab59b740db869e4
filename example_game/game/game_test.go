package game_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yohamta/donburi"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestRulesCheck(t *testing.T) {
	tests := []struct {
		name   string
		change func(*game.Rules)
		want   string
	}{
		{"default", func(*game.Rules) {}, ""},
		{"narrow", func(r *game.Rules) { r.Width = 10 }, "arena width is 10, want 64 to 16000"},
		{"NaN height", func(r *game.Rules) { r.Height = float32(math.NaN()) }, "arena height is NaN"},
		{"tick rate", func(r *game.Rules) { r.TickRate = 0 }, "tick rate is 0, want 1 to 240"},
		{"speed", func(r *game.Rules) { r.Speed = -1 }, "speed is -1, want 0 to 2000"},
		{"coins", func(r *game.Rules) { r.Coins = 33 }, "coins are 33, want 1 to 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := game.DefaultRules()
			tt.change(&r)
			err := r.Check()
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, game.ErrRules, "Check()")
			assert.ErrorContains(t, err, tt.want, "Check()")
			_, err = game.New(donburi.NewWorld(), r)
			assert.Error(t, err, "New accepted the rules")
		})
	}
}

func TestButtons(t *testing.T) {
	r := game.DefaultRules() // 5 pixels per tick
	d := float32(5 / math.Sqrt2)
	tests := []struct {
		b    game.Buttons
		from game.Vec
		want game.Vec
	}{
		{0, game.Vec{X: 100, Y: 100}, game.Vec{X: 100, Y: 100}},
		{game.Right, game.Vec{X: 100, Y: 100}, game.Vec{X: 105, Y: 100}},
		{game.Up | game.Left, game.Vec{X: 100, Y: 100}, game.Vec{X: 100 - d, Y: 100 - d}},
		{game.Up | game.Down, game.Vec{X: 100, Y: 100}, game.Vec{X: 100, Y: 100}},
		{game.AllButtons, game.Vec{X: 100, Y: 100}, game.Vec{X: 100, Y: 100}},
		{game.Left, game.Vec{X: 12, Y: 100}, game.Vec{X: game.PlayerRadius, Y: 100}},
		{game.Down | game.Right, game.Vec{X: 639, Y: 447}, game.Vec{X: 640 - game.PlayerRadius, Y: 448 - game.PlayerRadius}},
		{0xF0 | game.Down, game.Vec{X: 100, Y: 100}, game.Vec{X: 100, Y: 105}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, r.Step(tt.from, tt.b), "Step(%v, %04b)", tt.from, tt.b)
	}
}

func TestTowards(t *testing.T) {
	tests := []struct {
		p, target game.Vec
		want      game.Buttons
	}{
		{game.Vec{X: 0, Y: 0}, game.Vec{X: 10, Y: 10}, game.Right | game.Down},
		{game.Vec{X: 10, Y: 10}, game.Vec{X: 0, Y: 11}, game.Left},
		{game.Vec{X: 10, Y: 10}, game.Vec{X: 11, Y: 0}, game.Up},
		{game.Vec{X: 10, Y: 10}, game.Vec{X: 12, Y: 8}, 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, game.Towards(tt.p, tt.target), "Towards(%v, %v)", tt.p, tt.target)
	}
}

func TestTouches(t *testing.T) {
	tests := []struct {
		p, c game.Vec
		want bool
	}{
		{game.Vec{X: 50, Y: 50}, game.Vec{X: 50, Y: 50}, true},
		{game.Vec{X: 50, Y: 50}, game.Vec{X: 67.9, Y: 50}, true},
		{game.Vec{X: 50, Y: 50}, game.Vec{X: 68, Y: 50}, false},
		{game.Vec{X: 50, Y: 50}, game.Vec{X: 62, Y: 62}, true},
		{game.Vec{X: 50, Y: 50}, game.Vec{X: 63, Y: 63}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, game.Touches(tt.p, tt.c), "Touches(%v, %v)", tt.p, tt.c)
	}
}

// approve marks a player approved, as the auth system does.
func approve(w donburi.World, e donburi.Entity) *components.PlayerData {
	p := components.Player.Get(w.Entry(e))
	p.SetAuth(components.AuthApproved, components.Reason{})
	return p
}

func TestScoring(t *testing.T) {
	w := donburi.NewWorld()
	g, err := game.New(w, game.DefaultRules())
	require.NoError(t, err)
	require.Equal(t, 12, g.Coins().Count(w), "coins")
	e := g.AddPlayer(w, components.NewPlayer(steamgs.IndividualID(1), "alice", []byte{1}, epoch))
	pending := g.AddPlayer(w, components.NewPlayer(steamgs.IndividualID(2), "bob", []byte{1}, epoch))
	p := approve(w, e)

	// Put a coin under each player.
	coin, _ := g.Coins().First(w)
	alice := game.Body.Get(w.Entry(e))
	game.Coin.Get(coin).Pos = alice.Pos
	bob := game.Body.Get(w.Entry(pending))
	bobStart := bob.Pos
	for e := range g.Coins().Iter(w) {
		if e.Entity() != coin.Entity() {
			game.Coin.Get(e).Pos = bob.Pos
			break
		}
	}
	game.Control.Get(w.Entry(pending)).Buttons = game.Right

	g.Update(w)
	assert.Equal(t, uint32(1), p.Score(), "alice's score")
	assert.False(t, game.Touches(alice.Pos, game.Coin.Get(coin).Pos) && game.Coin.Get(coin).Pos == alice.Pos,
		"the collected coin did not move")
	bp := components.Player.Get(w.Entry(pending))
	assert.Zero(t, bp.Score(), "pending bob's score")
	assert.Equal(t, bobStart, bob.Pos, "pending bob moved")
	assert.NotEqual(t, alice.ID, bob.ID, "player IDs")
	assert.NotZero(t, alice.ID, "alice's player ID")
	assert.NotZero(t, bob.ID, "bob's player ID")
	assert.Equal(t, uint64(1), g.Tick(), "Tick()")
}

// play runs a game with bots for n ticks and returns the bots' scores and
// positions.
func play(t *testing.T, seed uint64, bots, n int) string {
	t.Helper()
	w := donburi.NewWorld()
	r := game.DefaultRules()
	r.Seed = seed
	g, err := game.New(w, r)
	require.NoError(t, err)
	var es []donburi.Entity
	for i := range bots {
		e := g.AddBot(w, fmt.Sprintf("bot %d", i+1), epoch)
		approve(w, e)
		es = append(es, e)
	}
	for range n {
		g.Update(w)
	}
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%d@%v ", components.Player.Get(w.Entry(e)).Score(), game.Body.Get(w.Entry(e)).Pos)
	}
	return b.String()
}

func TestBotsAreDeterministicAndScore(t *testing.T) {
	a, b := play(t, 7, 4, 900), play(t, 7, 4, 900)
	assert.Equal(t, a, b, "same seed, different games")
	assert.NotEqual(t, a, play(t, 8, 4, 900), "different seeds, same game")
	w := donburi.NewWorld()
	g, _ := game.New(w, game.DefaultRules())
	total := uint32(0)
	var es []donburi.Entity
	for i := range 3 {
		e := g.AddBot(w, fmt.Sprint(i), epoch)
		approve(w, e)
		es = append(es, e)
	}
	for range 30 * 30 {
		g.Update(w)
	}
	for _, e := range es {
		total += components.Player.Get(w.Entry(e)).Score()
	}
	assert.GreaterOrEqual(t, total, uint32(10), "what 3 bots scored in 30 seconds")
}

func BenchmarkUpdate(b *testing.B) {
	w := donburi.NewWorld()
	g, _ := game.New(w, game.DefaultRules())
	for i := range 32 {
		approve(w, g.AddBot(w, fmt.Sprint(i), epoch))
	}
	b.ReportAllocs()
	for b.Loop() {
		g.Update(w)
	}
}

func ExampleGame() {
	w := donburi.NewWorld()
	g, err := game.New(w, game.DefaultRules())
	if err != nil {
		panic(err)
	}
	bot := g.AddBot(w, "bot 1", time.Time{})
	// The auth system of package ecs approves bots; here we do it by hand.
	components.Player.Get(w.Entry(bot)).SetAuth(components.AuthApproved, components.Reason{})
	for range 30 * 60 {
		g.Update(w)
	}
	fmt.Println(g.Tick(), components.Player.Get(w.Entry(bot)).Score() > 0)
	// Output: 1800 true
}

func TestPlayerIDsNeverReuseLiveOnes(t *testing.T) {
	w := donburi.NewWorld()
	g, err := game.New(w, game.DefaultRules())
	require.NoError(t, err)
	id := func(e donburi.Entity) uint16 { return game.Body.Get(w.Entry(e)).ID }
	stay := g.AddPlayer(w, components.NewPlayer(steamgs.IndividualID(1), "stays", []byte{1}, epoch))
	bot := g.AddBot(w, "bot", epoch)
	// 65,535 players come and go, each after the previous left: the
	// counter wraps past the IDs of the two still there.
	for i := range 65_535 {
		e := g.AddPlayer(w, components.NewPlayer(steamgs.IndividualID(uint32(i+2)), "visitor", []byte{1}, epoch))
		got := id(e)
		require.NotZero(t, got, "join %d", i)
		require.NotEqual(t, id(stay), got, "join %d got the ID of a connected player", i)
		require.NotEqual(t, id(bot), got, "join %d got the ID of the bot", i)
		w.Remove(e)
	}
}
