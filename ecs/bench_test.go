package ecs_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/require"
	"github.com/yohamta/donburi"
	"github.com/yohamta/donburi/filter"
)

var benchSizes = []int{64, 1024}

// benchWorld returns a harness without a recorder and n approved players.
func benchWorld(tb testing.TB, n int) (*ecstest.Harness, []*components.PlayerData) {
	tb.Helper()
	h := ecstest.Start(tb, ecstest.Options{NoRecord: true, Configure: func(s *components.SettingsData) {
		s.SetMaxPlayerCount(n)
	}})
	es := make([]donburi.Entity, n)
	for i := range es {
		es[i], _ = h.Join(fmt.Sprint("player", i))
	}
	h.Step(3)
	ps := make([]*components.PlayerData, n)
	for i, e := range es {
		ps[i] = h.Player(e)
		require.NotNil(tb, ps[i], "player %d", i)
		require.True(tb, ps[i].Active(), "player %d is not active", i)
	}
	return h, ps
}

// BenchmarkDonburiEach is one bare donburi query pass over the players,
// reading each player's component: the yardstick of a tick's cost.
func BenchmarkDonburiEach(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint("players=", n), func(b *testing.B) {
			h, _ := benchWorld(b, n)
			q := donburi.NewQuery(filter.Contains(components.Player))
			var sum uint32
			fn := func(e *donburi.Entry) { sum += components.Player.Get(e).Score() }
			b.ReportAllocs()
			for b.Loop() {
				q.Each(h.World, fn)
			}
			require.Zero(b, sum, "scores changed")
		})
	}
}

// BenchmarkTick is a whole tick of the Steam systems: quiet (nothing changed)
// and onechange (one player, the same each tick, has a new score, as in
// BenchmarkUpdateUserData).
func BenchmarkTick(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint("quiet/players=", n), func(b *testing.B) {
			h, _ := benchWorld(b, n)
			b.ReportAllocs()
			for b.Loop() {
				h.Plugin.Tick()
			}
		})
	}
	for _, n := range benchSizes {
		b.Run(fmt.Sprint("onechange/players=", n), func(b *testing.B) {
			h, ps := benchWorld(b, n)
			p := ps[n/2]
			score := uint32(0)
			b.ReportAllocs()
			for b.Loop() {
				score++
				p.SetScore(score)
				h.Plugin.Tick()
			}
		})
	}
}

// BenchmarkUpdateUserData is one direct Server.UpdateUserData call on the
// embedded Steam, in a world of as many players as BenchmarkTick's: the
// Steam call a onechange tick makes, with Steam's tables as large.
func BenchmarkUpdateUserData(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint("players=", n), func(b *testing.B) {
			h, ps := benchWorld(b, n)
			p := ps[n/2]
			id, name := p.SteamID(), p.Name()
			score := uint32(0)
			b.ReportAllocs()
			for b.Loop() {
				score++
				if ok, err := h.Server.UpdateUserData(id, name, score); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

// handPlayer is a player of a hand-written game loop.
type handPlayer struct {
	id          steamgs.SteamID
	name        string
	score, sent uint32
}

// BenchmarkHandLoop is a quiet tick written by hand over a slice, for
// context: the same polls, then a plain loop that compares each player's
// score with the last one sent.
func BenchmarkHandLoop(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint("players=", n), func(b *testing.B) {
			h, ps := benchWorld(b, n)
			players := make([]handPlayer, n)
			for i, p := range ps {
				players[i] = handPlayer{id: p.SteamID(), name: p.Name()}
			}
			srv := h.Server
			buf := make([]byte, steamgs.MinOutgoingPacketBuffer)
			emit := func(steamgs.Callback) {}
			send := func([]byte, netip.AddrPort) {}
			b.ReportAllocs()
			for b.Loop() {
				srv.RunCallbacks(emit)
				srv.WasRestartRequested()
				for i := range players {
					if p := &players[i]; p.score != p.sent {
						p.sent = p.score
						_, _ = srv.UpdateUserData(p.id, p.name, p.score)
					}
				}
				for {
					n, to, err := srv.GetNextOutgoingPacket(buf)
					if err != nil || n == 0 {
						break
					}
					send(buf[:n], to)
				}
			}
		})
	}
}
