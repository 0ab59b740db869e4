package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/steamgs/steamgs/systems"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLocalPlayer(t *testing.T) {
	u := universe(t)
	srv := newServer(t, func(c *server.Config) { c.Backend = u; c.Dedicated = false; c.MaxPlayers = 2; c.Bots = 1 })
	pump(t, srv, 100, func() bool { return status(srv).LoggedOn })
	id := u.AddUser(local.User{Name: "host", Apps: []steamgs.AppID{server.DefaultAppID}})
	_, ticket, err := u.GetAuthSessionTicket(id, server.DefaultAppID, steamgs.Identity{SteamID: status(srv).SteamID})
	require.NoError(t, err)
	assert.Zero(t, srv.LocalID(), "LocalID before joining")
	_, err = srv.AddLocal(id, "host", ticket)
	require.NoError(t, err)
	_, err = srv.AddLocal(id, "again", ticket)
	assert.ErrorContains(t, err, "local player already", "second AddLocal")
	pump(t, srv, 100, func() bool {
		p, ok := findPlayer(status(srv), "host")
		return ok && p.Auth == components.AuthApproved && p.Local
	})
	var before, after proto.Snapshot
	srv.Snapshot(&before)
	srv.SetLocalInput(game.Up | 0xF0)
	for range 10 {
		srv.Tick()
	}
	srv.Snapshot(&after)
	pos := func(s proto.Snapshot) proto.PlayerState {
		me := s.Find(s.You)
		require.NotNil(t, me, "the local player %d is not in the snapshot", s.You)
		return *me
	}
	b, a := pos(before), pos(after)
	// The host starts at its spawn point (below the listen window's panel)
	// and has not moved while it held nothing.
	spawn := server.LocalSpawn(srv.Game().Rules())
	assert.Equal(t, proto.ToFixed(spawn.X), b.X, "the host's x, want its spawn point %v", spawn)
	assert.Equal(t, proto.ToFixed(spawn.Y), b.Y, "the host's y, want its spawn point %v", spawn)
	assert.Less(t, a.Y, b.Y, "holding up moved the host from y %v to %v", b.Y.Float(), a.Y.Float())
	assert.Equal(t, srv.LocalID(), before.You, "snapshot You")
	assert.NotZero(t, before.You, "snapshot You")
	// The server is full now: a remote client is refused.
	_, err = dial(t, srv, universe(t), "late", "")
	assert.ErrorContains(t, err, "server full", "Dial to a full server")
}

func TestWriteTable(t *testing.T) {
	st := server.Status{
		Name: "Table", Map: "m", Addr: "127.0.0.1:27015", QueryPort: "shared", State: components.Connected,
		SteamID: steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, 12), MaxPlayers: 8, Bots: 1,
		Tick: 99, HasQueries: true, Queries: query.Stats{Info: 3, Players: 2, Challenges: 4},
		Players: []server.PlayerStatus{
			{ID: 1, Name: "ann", Score: 7, Auth: components.AuthApproved, Age: 20 * time.Millisecond},
			{ID: 2, Name: "bot 1", Score: 2, Auth: components.AuthApproved, Bot: true},
			{ID: 3, Name: "host", Auth: components.AuthPending, Local: true},
		},
		RestartRequested: true,
	}
	var b strings.Builder
	require.NoError(t, st.WriteTable(&b))
	for _, want := range []string{
		"Table  (map m)  game 127.0.0.1:27015  query shared  tick 99",
		"Steam Connected  [G:1:12]",
		"players 3/8  bots 1",
		"A2S info 3  players 2  rules 0  challenges 4",
		"Steam asked for a restart",
		"ann    7      Approved",
		"20ms",
		"bot 1  2      bot",
		"Pending (local)",
	} {
		assert.Contains(t, b.String(), want, "table")
	}
}

// TestLocalPlayerOnAFullServer checks the host is refused when the
// approved players and bots take every slot, as a remote client is.
func TestLocalPlayerOnAFullServer(t *testing.T) {
	u := universe(t)
	srv := newServer(t, func(c *server.Config) { c.Backend = u; c.Dedicated = false; c.MaxPlayers = 1; c.Bots = 1 })
	pump(t, srv, 100, func() bool { return status(srv).LoggedOn && srv.Plugin().Status().Players == 1 })
	id := u.AddUser(local.User{Name: "host", Apps: []steamgs.AppID{server.DefaultAppID}})
	_, ticket, err := u.GetAuthSessionTicket(id, server.DefaultAppID, steamgs.Identity{SteamID: status(srv).SteamID})
	require.NoError(t, err)
	_, err = srv.AddLocal(id, "host", ticket)
	require.ErrorIs(t, err, systems.ErrServerFull)
	assert.EqualError(t, err, "server: the local player cannot join: systems: server full: 1 slots taken by players and bots, limit 1 (max players)")
	assert.Zero(t, srv.LocalID())
}
