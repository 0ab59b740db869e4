package client_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const passphrase = "client tests"

func universe(t *testing.T) *local.Universe {
	t.Helper()
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(passphrase)})
	require.NoError(t, err)
	return u
}

// runServer runs a game server on 127.0.0.1 (a free port) until the test
// ends.
func runServer(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	cfg.Backend = universe(t)
	cfg.Addr = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 0)
	srv, err := server.New(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done, "Run")
		_ = srv.Close()
	})
	return srv
}

func dialConfig(t *testing.T, srv netip.AddrPort, name string) client.Config {
	u := universe(t)
	id := u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{server.DefaultAppID}})
	return client.Config{Server: srv, Name: name, SteamID: id, AppID: server.DefaultAppID, Tickets: u,
		Timeout: 5 * time.Second, Retry: 50 * time.Millisecond}
}

func TestDialPlayClose(t *testing.T) {
	srv := runServer(t, server.Config{Name: "client test", Map: "tiny", Bots: 1, Advertise: true})
	c, err := client.Dial(context.Background(), dialConfig(t, srv.Addr(), "dora"))
	require.NoError(t, err)
	w := c.Welcome()
	assert.Equal(t, "client test", w.ServerName, "Welcome %+v", w)
	assert.Equal(t, "tiny", w.Map, "Welcome %+v", w)
	assert.NotZero(t, w.PlayerID, "Welcome %+v", w)
	var snap proto.Snapshot
	deadline := time.Now().Add(10 * time.Second)
	for c.Snapshot(&snap) == 0 || len(snap.Players) < 2 {
		require.False(t, time.Now().After(deadline), "no snapshot with both players")
		_ = c.SendInput(0)
		time.Sleep(10 * time.Millisecond)
	}
	assert.Equal(t, c.Welcome().PlayerID, snap.You, "snapshot You")
	assert.NotEmpty(t, snap.Coins, "snapshot coins")
	assert.LessOrEqual(t, time.Since(c.LastHeard()), 5*time.Second, "time since last heard")
	assert.NoError(t, c.Err())
	require.NoError(t, c.Close())
	assert.ErrorIs(t, c.Close(), client.ErrClosed, "second Close")
	assert.ErrorIs(t, c.SendInput(0), client.ErrClosed, "SendInput after Close")
	assert.ErrorIs(t, c.Err(), client.ErrClosed, "Err after Close")
}

func TestDialErrors(t *testing.T) {
	// A socket that never answers.
	silent, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	require.NoError(t, err)
	defer silent.Close()
	quiet := silent.LocalAddr().(*net.UDPAddr).AddrPort()
	full := runServer(t, server.Config{MaxPlayers: 1, Bots: 1})

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name      string
		ctx       context.Context
		change    func(*client.Config)
		assertErr func(t *testing.T, err error)
	}{
		{"no tickets", context.Background(), func(c *client.Config) { c.Tickets = nil },
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "Config.Tickets is nil") }},
		{"no address", context.Background(), func(c *client.Config) { c.Server = netip.AddrPort{} },
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "is not valid") }},
		{"silent server", context.Background(), func(c *client.Config) { c.Server = quiet; c.Timeout = 300 * time.Millisecond },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, client.ErrTimeout) }},
		{"cancelled", cancelled, func(c *client.Config) { c.Server = quiet },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, context.Canceled) }},
		{"server full", context.Background(), func(c *client.Config) { c.Server = full.Addr() },
			func(t *testing.T, err error) {
				var de *client.DeniedError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, proto.ReasonServerFull, de.Reason, "reason")
				assert.False(t, de.Ended, "ended")
				assert.ErrorContains(t, err, "refused the connection: server full")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := dialConfig(t, quiet, "erin")
			tt.change(&cfg)
			c, err := client.Dial(tt.ctx, cfg)
			if c != nil {
				_ = c.Close()
			}
			tt.assertErr(t, err)
		})
	}
}

func TestBrowseAndQuery(t *testing.T) {
	a := runServer(t, server.Config{Name: "alpha", Map: "one", Bots: 2, Advertise: true})
	b := runServer(t, server.Config{Name: "bravo", Map: "two", Advertise: true})
	hidden := runServer(t, server.Config{Name: "hidden", Advertise: false})
	// Servers answer once they are logged on; ask until both do.
	var found []client.ServerEntry
	deadline := time.Now().Add(10 * time.Second)
	for len(found) < 2 && time.Now().Before(deadline) {
		var err error
		found, err = client.BrowseAddrs(context.Background(), []netip.AddrPort{hidden.Addr(), b.Addr(), a.Addr()}, 300*time.Millisecond)
		require.NoError(t, err)
	}
	names := map[string]client.ServerEntry{}
	for _, e := range found {
		names[e.Info.Name] = e
	}
	require.Len(t, found, 2, "Browse found %+v, want alpha and bravo", found)
	require.Equal(t, 2, names["alpha"].Players, "alpha's players; Browse found %+v", found)
	require.Equal(t, "two", names["bravo"].Info.Map, "bravo's map; Browse found %+v", found)
	assert.Positive(t, names["alpha"].Ping, "alpha's ping: the query's round trip")
	assert.NotContains(t, names, "hidden", "a server that does not advertise answered")
	assert.LessOrEqual(t, found[0].Addr.Port(), found[1].Addr.Port(), "servers are not ordered by port")
	// Browse scans a range of ports: here the one of alpha.
	port := a.Addr().Port()
	got, err := client.Browse(context.Background(), netip.MustParseAddr("127.0.0.1"), port, port, 2*time.Second)
	if assert.NoError(t, err, "Browse of alpha's port") && assert.Len(t, got, 1, "Browse of alpha's port") {
		assert.Equal(t, "alpha", got[0].Info.Name, "Browse of alpha's port")
		assert.Equal(t, a.Addr(), got[0].Addr, "Browse of alpha's port")
	}
	players, err := client.QueryPlayers(context.Background(), a.Addr(), 2*time.Second)
	require.NoError(t, err)
	if assert.Len(t, players, 2, "A2S_PLAYER, want the two bots") {
		assert.True(t, strings.HasPrefix(players[0].Name, "bot "), "A2S_PLAYER %+v, want the two bots", players)
	}
	_, err = client.QueryInfo(context.Background(), hidden.Addr(), 200*time.Millisecond)
	assert.ErrorIs(t, err, client.ErrNoReply, "QueryInfo of a hidden server")
}

func TestBrowseBadRange(t *testing.T) {
	tests := []struct {
		first, last uint16
		want        string
	}{
		{27020, 27015, "port range 27020 to 27015 is empty"},
		{1000, 3000, "holds 2001 ports, limit 1024"},
	}
	for _, tt := range tests {
		_, err := client.Browse(context.Background(), netip.MustParseAddr("127.0.0.1"), tt.first, tt.last, time.Millisecond)
		assert.ErrorContains(t, err, tt.want, "Browse(%d, %d)", tt.first, tt.last)
	}
}

func TestSteer(t *testing.T) {
	me := proto.PlayerState{ID: 7, X: proto.ToFixed(100), Y: proto.ToFixed(100)}
	tests := []struct {
		name string
		snap proto.Snapshot
		want game.Buttons
		ok   bool
	}{
		{"nearest coin", proto.Snapshot{You: 7, Players: []proto.PlayerState{me},
			Coins: []proto.Point{{X: proto.ToFixed(300), Y: proto.ToFixed(100)}, {X: proto.ToFixed(50), Y: proto.ToFixed(50)}}},
			game.Left | game.Up, true},
		{"not listed", proto.Snapshot{You: 8, Players: []proto.PlayerState{me}, Coins: []proto.Point{{}}}, 0, false},
		{"no coins", proto.Snapshot{You: 7, Players: []proto.PlayerState{me}}, 0, false},
	}
	for _, tt := range tests {
		got, ok := client.Steer(&tt.snap)
		assert.Equal(t, tt.want, got, "%s: Steer's buttons", tt.name)
		assert.Equal(t, tt.ok, ok, "%s: Steer's ok", tt.name)
	}
}

func TestRunBotScores(t *testing.T) {
	srv := runServer(t, server.Config{})
	c, err := client.Dial(context.Background(), dialConfig(t, srv.Addr(), "robo"))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- client.RunBot(ctx, c) }()
	var st proto.Snapshot
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c.Snapshot(&st) > 0 && len(st.Players) == 1 && st.Players[0].Score > 0 {
			break
		}
		require.False(t, time.Now().After(deadline), "the bot did not score in 30 s: %+v", st.Players)
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	assert.NoError(t, <-done, "RunBot after cancel")
}

func ExampleSteer() {
	snap := proto.Snapshot{
		You:     1,
		Players: []proto.PlayerState{{ID: 1, X: proto.ToFixed(100), Y: proto.ToFixed(100)}},
		Coins:   []proto.Point{{X: proto.ToFixed(200), Y: proto.ToFixed(100)}},
	}
	b, ok := client.Steer(&snap)
	fmt.Println(b == game.Right, ok)
	// Output: true true
}

// TestDialResendsLostConnect plays a server that loses the client's first
// Connect: the client must send it again, and join when it is answered.
func TestDialResendsLostConnect(t *testing.T) {
	fake, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	require.NoError(t, err)
	defer fake.Close()
	connects := make(chan int, 1)
	go func() {
		buf := make([]byte, proto.MaxPacketSize+1)
		n := 0
		defer func() { connects <- n }()
		for {
			size, from, err := fake.ReadFromUDPAddrPort(buf)
			if err != nil {
				return // closed at the end of the test
			}
			var reply []byte
			switch t, _ := proto.Peek(buf[:size]); t {
			case proto.TypeHello:
				reply = proto.Challenge{Token: 42}.AppendTo(nil)
			case proto.TypeConnect:
				if m, err := proto.ParseConnect(buf[:size]); err != nil || m.Token != 42 {
					continue
				}
				if n++; n == 1 {
					continue // lost on the way
				}
				reply = proto.Welcome{PlayerID: 9, TickRate: 30, Width: 64, Height: 64, ServerName: "lossy"}.AppendTo(nil)
			default:
				continue
			}
			_, _ = fake.WriteToUDPAddrPort(reply, from)
		}
	}()
	c, err := client.Dial(context.Background(), dialConfig(t, fake.LocalAddr().(*net.UDPAddr).AddrPort(), "lossy"))
	require.NoError(t, err, "Dial, want a connection after the Connect was sent again")
	w := c.Welcome()
	assert.Equal(t, uint16(9), w.PlayerID, "Welcome %+v", w)
	assert.Equal(t, "lossy", w.ServerName, "Welcome %+v", w)
	_ = c.Close()
	_ = fake.Close()
	assert.GreaterOrEqual(t, <-connects, 2, "Connects the server got")
}

// TestNoticesKilledServer checks a client that keeps sending input to a
// server that was killed (no Disconnect, then "port unreachable" for each
// datagram) ends with ErrTimeout once its timeout has passed since the last
// packet it heard.
func TestNoticesKilledServer(t *testing.T) {
	fake, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	require.NoError(t, err)
	defer fake.Close()
	served := make(chan struct{})
	go func() {
		defer close(served)
		buf := make([]byte, proto.MaxPacketSize+1)
		for {
			size, from, err := fake.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			switch t, _ := proto.Peek(buf[:size]); t {
			case proto.TypeHello:
				_, _ = fake.WriteToUDPAddrPort(proto.Challenge{Token: 7}.AppendTo(nil), from)
			case proto.TypeConnect:
				_, _ = fake.WriteToUDPAddrPort(proto.Welcome{PlayerID: 1, TickRate: 30, Width: 64, Height: 64,
					ServerName: "doomed"}.AppendTo(nil), from)
				return // killed: the socket closes, unreachable from now on
			}
		}
	}()
	cfg := dialConfig(t, fake.LocalAddr().(*net.UDPAddr).AddrPort(), "survivor")
	cfg.Timeout = 500 * time.Millisecond
	c, err := client.Dial(context.Background(), cfg)
	require.NoError(t, err)
	defer c.Close()
	<-served
	require.NoError(t, fake.Close())
	killed := time.Now()
	// Keep sending input, as a playing client does, for at most 20 timeouts.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	ended := false
	for !ended && time.Since(killed) < 20*cfg.Timeout {
		select {
		case <-c.Done():
			ended = true
		case <-tick.C:
			_ = c.SendInput(1)
		}
	}
	require.True(t, ended, "still connected %v after the server was killed", time.Since(killed))
	t.Logf("noticed the killed server after %v (timeout %v)", time.Since(killed).Round(time.Millisecond), cfg.Timeout)
	assert.ErrorIs(t, c.Err(), client.ErrTimeout, "the connection's end")
}
