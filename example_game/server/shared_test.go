package server_test

import (
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedSocketAnswersWithoutTick queries a server sharing its game
// socket while no tick runs: the socket goroutine answers at once, the
// challenge and then the data, and counts Steam's datagrams both ways.
func TestSharedSocketAnswersWithoutTick(t *testing.T) {
	srv := newServer(t, func(c *server.Config) { c.Name = "no tick"; c.Bots = 2 })
	pump(t, srv, 1000, func() bool { return status(srv).LoggedOn })
	srv.Tick() // the bots are listed
	before := srv.Counters()
	ticks := srv.Plugin().Ticks()

	conn := dialLoad(t, srv.Addr())
	buf := make([]byte, 2048)
	exchange := func(req []byte) []byte {
		t.Helper()
		_, err := conn.Write(req)
		require.NoError(t, err)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
		n, err := conn.Read(buf)
		require.NoError(t, err, "no reply while no tick runs")
		return buf[:n]
	}
	c, err := query.ParseChallenge(exchange(query.AppendRequest(nil, query.Request{Kind: query.KindInfo})))
	require.NoError(t, err, "challenge")
	info, players, err := query.ParseInfo(exchange(query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: c, HasChallenge: true})))
	require.NoError(t, err, "INFO")
	assert.Equal(t, "no tick", info.Name, "INFO %+v", info)
	assert.Equal(t, 2, players, "players")
	list, err := query.ParsePlayers(exchange(query.AppendRequest(nil, query.Request{Kind: query.KindPlayers, Challenge: c, HasChallenge: true})))
	require.NoError(t, err, "PLAYER")
	assert.Len(t, list, 2, "players listed")

	assert.Equal(t, ticks, srv.Plugin().Ticks(), "ticks run")
	// The socket goroutine counts a datagram after writing its reply, so
	// the last count may land just after the client has read the reply.
	var got server.Counters
	require.Eventually(t, func() bool {
		got = srv.Counters()
		return got.SteamIn-before.SteamIn >= 3 && got.SteamOut-before.SteamOut >= 3
	}, 5*time.Second, time.Millisecond, "Steam datagrams counted; counters %+v", got)
	assert.Equal(t, uint64(3), got.SteamIn-before.SteamIn, "Steam datagrams in; counters %+v", got)
	assert.Equal(t, uint64(3), got.SteamOut-before.SteamOut, "Steam datagrams out; counters %+v", got)
}

// TestFloodsDoNotDropInput floods the shared game socket between two ticks,
// with far more datagrams than the game's inbox holds, from one address:
// A2S queries, and junk game datagrams. A player's Input sent after the
// flood still reaches the next tick.
func TestFloodsDoNotDropInput(t *testing.T) {
	tests := []struct {
		name string
		pkt  []byte
		game bool // the flood goes to the game's inbox
	}{
		{"A2S", query.AppendRequest(nil, query.Request{Kind: query.KindInfo}), false},
		{"junk", proto.Input{Seq: 7, Buttons: 1}.AppendTo(nil), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, nil)
			pump(t, srv, 1000, func() bool { return status(srv).LoggedOn })
			player := rawJoin(t, srv, universe(t), "player")
			srv.Tick()
			before := srv.Counters()
			flooder := dialLoad(t, srv.Addr())
			const flood = 3000 // the inbox holds 1024
			for range flood {
				_, err := flooder.Write(tt.pkt)
				require.NoError(t, err)
			}
			_, err := player.Write(proto.Input{Seq: 1 << 20, Buttons: 2}.AppendTo(nil))
			require.NoError(t, err)
			// Wait for the socket goroutine to have read the flood and the Input.
			deadline := time.Now().Add(10 * time.Second)
			for {
				c := srv.Counters()
				read := c.SteamIn - before.SteamIn
				if tt.game {
					read = c.Dropped - before.Dropped + 1024
				}
				if read >= flood || time.Now().After(deadline) {
					break
				}
				time.Sleep(time.Millisecond)
			}
			time.Sleep(20 * time.Millisecond) // the Input, read after the flood
			srv.Tick()
			got := srv.Counters()
			assert.Equal(t, uint64(1), got.Inputs-before.Inputs, "the player's Input; counters %+v", got)
			if tt.game {
				assert.GreaterOrEqual(t, got.Dropped-before.Dropped, uint64(flood-1024), "junk dropped; counters %+v", got)
			} else {
				assert.Zero(t, got.Dropped-before.Dropped, "game datagrams dropped; counters %+v", got)
			}
		})
	}
}
