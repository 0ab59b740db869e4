package server_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
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

func TestMain(m *testing.M) {
	if spec := os.Getenv(floodEnv); spec != "" {
		os.Exit(floodChild(spec)) // the load driver's flooding process
	}
	goleak.VerifyTestMain(m)
}

const passphrase = "server tests"

var loopback = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 0)

// universe returns a universe of the tests' key: each call is like another
// process of the same Steam.
func universe(t testing.TB) *local.Universe {
	t.Helper()
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(passphrase)})
	require.NoError(t, err)
	return u
}

// newServer starts a server on 127.0.0.1 with the given changes to its
// config, and closes it at the end of the test.
func newServer(t testing.TB, change func(*server.Config)) *server.Server {
	t.Helper()
	cfg := server.Config{Backend: universe(t), Addr: loopback, Advertise: true, Dedicated: true}
	if change != nil {
		change(&cfg)
	}
	srv, err := server.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// pump ticks srv until done reports true, sleeping a little between ticks
// so that packets travel. It fails the test once maxTicks have run and at
// least 10 s have passed, so a loaded machine slows it down rather than
// failing it.
func pump(t testing.TB, srv *server.Server, maxTicks int, done func() bool) {
	t.Helper()
	start := time.Now()
	for ticks := 0; ticks < maxTicks || time.Since(start) < 10*time.Second; ticks++ {
		srv.Tick()
		if done() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	require.Fail(t, fmt.Sprintf("condition not met after %d ticks and %v", maxTicks, time.Since(start).Round(time.Millisecond)))
}

// dial joins srv as name in the background while the test pumps the server.
func dial(t testing.TB, srv *server.Server, u *local.Universe, name, password string) (*client.Client, error) {
	t.Helper()
	id := u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{server.DefaultAppID}})
	return dialWith(t, srv, u, id, name, password)
}

// dialWith joins srv as the user id, whose tickets come from tickets.
func dialWith(t testing.TB, srv *server.Server, tickets client.Tickets, id steamgs.SteamID, name, password string) (*client.Client, error) {
	t.Helper()
	var c *client.Client
	var err error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err = client.Dial(context.Background(), client.Config{Server: srv.Addr(), Name: name,
			Password: password, SteamID: id, AppID: server.DefaultAppID, Tickets: tickets, Timeout: 5 * time.Second,
			Retry: 20 * time.Millisecond})
	}()
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	pump(t, srv, 2000, func() bool {
		select {
		case <-finished:
			return true
		default:
			return false
		}
	})
	if c != nil {
		t.Cleanup(func() { _ = c.Close() })
	}
	return c, err
}

func status(srv *server.Server) server.Status {
	var st server.Status
	srv.Status(&st)
	return st
}

func findPlayer(st server.Status, name string) (server.PlayerStatus, bool) {
	for _, p := range st.Players {
		if p.Name == name {
			return p, true
		}
	}
	return server.PlayerStatus{}, false
}

func TestJoinPlayAndLeave(t *testing.T) {
	srv := newServer(t, func(c *server.Config) { c.Bots = 2 })
	c, err := dial(t, srv, universe(t), "alice", "")
	require.NoError(t, err)
	w := c.Welcome()
	assert.NotZero(t, w.PlayerID, "Welcome %+v", w)
	assert.Equal(t, uint8(30), w.TickRate, "Welcome %+v", w)
	assert.Equal(t, uint16(game.DefaultWidth), w.Width, "Welcome %+v", w)
	assert.Equal(t, server.DefaultName, w.ServerName, "Welcome %+v", w)
	pump(t, srv, 500, func() bool {
		p, ok := findPlayer(status(srv), "alice")
		return ok && p.Auth == components.AuthApproved
	})
	// Hold right for a while: the player moves and snapshots arrive.
	var snap proto.Snapshot
	var startX proto.Fixed
	pump(t, srv, 1000, func() bool {
		_ = c.SendInput(uint8(game.Right))
		if c.Snapshot(&snap) == 0 {
			return false
		}
		for _, p := range snap.Players {
			if p.ID == snap.You && p.Auth == proto.AuthApproved {
				if startX == 0 {
					startX = p.X
				}
				return p.X > startX+40 || p.X >= proto.ToFixed(game.DefaultWidth-game.PlayerRadius)
			}
		}
		return false
	})
	assert.Equal(t, w.PlayerID, snap.You, "snapshot You")
	assert.Len(t, snap.Players, 3, "snapshot players")
	assert.Len(t, snap.Coins, 12, "snapshot coins")
	// The bots collect coins.
	pump(t, srv, 5000, func() bool {
		for _, p := range status(srv).Players {
			if p.Bot && p.Score > 0 {
				return true
			}
		}
		return false
	})
	st := status(srv)
	assert.True(t, st.LoggedOn, "status %+v", st)
	assert.NotZero(t, st.SteamID, "status %+v", st)
	assert.Equal(t, server.DefaultName, st.Name, "status %+v", st)
	assert.True(t, st.HasQueries, "status %+v", st)
	p, _ := findPlayer(st, "alice")
	assert.LessOrEqual(t, p.Age, time.Second, "alice %+v", p)
	assert.False(t, p.Local, "alice %+v", p)
	assert.False(t, p.Bot, "alice %+v", p)
	require.NoError(t, c.Close())
	pump(t, srv, 500, func() bool {
		_, ok := findPlayer(status(srv), "alice")
		return !ok
	})
	assert.Equal(t, 2, srv.Plugin().Sessions(), "auth sessions after alice left: the bots'")
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*server.Config)
		before   []string // players who join first
		password string
		want     proto.Reason
	}{
		{"wrong password", func(c *server.Config) { c.Password = "secret" }, nil, "guess", proto.ReasonWrongPassword},
		{"server full", func(c *server.Config) { c.MaxPlayers = 2; c.Bots = 1 }, []string{"first"}, "", proto.ReasonServerFull},
		{"duplicate account", nil, []string{"twin"}, "", proto.ReasonDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.change)
			u := universe(t)
			for _, name := range tt.before {
				_, err := dial(t, srv, u, name, "")
				require.NoError(t, err)
			}
			name := "late"
			if tt.want == proto.ReasonDuplicate {
				name = "twin" // another process's account of the same name
				u = universe(t)
			}
			_, err := dial(t, srv, u, name, tt.password)
			var de *client.DeniedError
			require.ErrorAs(t, err, &de, "Dial, want a refusal for %s", tt.want)
			require.Equal(t, tt.want, de.Reason, "Dial error %v", err)
		})
	}
}

func TestPasswordAccepted(t *testing.T) {
	srv := newServer(t, func(c *server.Config) { c.Password = "secret" })
	_, err := dial(t, srv, universe(t), "bob", "secret")
	require.NoError(t, err)
}

func TestAuthFailureDisconnects(t *testing.T) {
	srv := newServer(t, nil)
	u := universe(t)
	// A user without a licence for the app: Steam refuses the session.
	id := u.AddUser(local.User{Name: "pirate"})
	var c *client.Client
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err = client.Dial(context.Background(), client.Config{Server: srv.Addr(), Name: "pirate",
			SteamID: id, AppID: server.DefaultAppID, Tickets: u, Retry: 20 * time.Millisecond})
	}()
	pump(t, srv, 2000, func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	})
	// The player is refused before any Welcome: Dial fails.
	assert.Nil(t, c, "no connection")
	var de *client.DeniedError
	if assert.ErrorAs(t, err, &de, "Dial's error, want auth failed") {
		assert.Equal(t, proto.ReasonAuthFailed, de.Reason, "refused with %v", err)
		assert.False(t, de.Ended, "refused, not ended: %v", err)
		assert.Contains(t, de.Message, "Steam: NoLicenseOrExpired", "Steam's reason")
	}
	_, ok := findPlayer(status(srv), "pirate")
	assert.False(t, ok, "the refused player is still listed")
}

func TestClientTimeout(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := newServer(t, func(c *server.Config) { c.Now = clock; c.ClientTimeout = time.Minute })
	c, err := dial(t, srv, universe(t), "sleepy", "")
	require.NoError(t, err)
	for range 130 { // two minutes of running time, a tick every second
		mu.Lock()
		now = now.Add(time.Second)
		mu.Unlock()
		srv.Tick()
	}
	pump(t, srv, 1000, func() bool {
		select {
		case <-c.Done():
			return true
		default:
			return false
		}
	})
	var de *client.DeniedError
	if assert.ErrorAs(t, c.Err(), &de, "connection's end, want timed out") {
		assert.Equal(t, proto.ReasonTimedOut, de.Reason, "connection ended with %v", c.Err())
	}
	assert.Equal(t, uint64(1), srv.Counters().Leaves, "leaves")
}

func TestRestartRequest(t *testing.T) {
	u := universe(t)
	srv := newServer(t, func(c *server.Config) { c.Backend = u; c.Rules = game.DefaultRules(); c.Rules.TickRate = 200 })
	pump(t, srv, 1000, func() bool { return status(srv).LoggedOn })
	u.RequestRestart()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.ErrorIs(t, srv.Run(ctx), server.ErrRestartRequested, "Run")
	assert.True(t, status(srv).RestartRequested, "status does not show the restart request")
}

func TestLogOnGivenUp(t *testing.T) {
	u := universe(t)
	u.RefuseLogOn(steamgs.ResultAccessDenied)
	srv := newServer(t, func(c *server.Config) { c.Backend = u; c.Rules = game.DefaultRules(); c.Rules.TickRate = 200 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.ErrorIs(t, srv.Run(ctx), server.ErrLogOnGivenUp, "Run")
	st := status(srv)
	assert.False(t, st.LoggedOn, "not logged on")
	assert.Equal(t, steamgs.ResultAccessDenied, st.LastFailure, "last failure")
}

func TestSeparateQueryPort(t *testing.T) {
	srv := newServer(t, func(c *server.Config) { c.SeparateQueryPort = true; c.Name = "separate" })
	qp := srv.QueryPort()
	require.NotZero(t, qp, "query port")
	require.NotEqual(t, steamgs.QueryPortShared, qp, "query port")
	pump(t, srv, 1000, func() bool { return status(srv).LoggedOn })
	// The back end answers on its own port; no tick is needed.
	e, err := client.QueryInfo(context.Background(), netip.AddrPortFrom(srv.Addr().Addr(), qp), 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, "separate", e.Info.Name, "INFO %+v", e.Info)
	assert.Equal(t, srv.Addr().Port(), e.Info.GamePort, "INFO %+v", e.Info)
}

func TestSharedSocketAnswersQueries(t *testing.T) {
	srv := newServer(t, func(c *server.Config) { c.Bots = 3; c.Name = "shared" })
	var e client.ServerEntry
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		e, err = client.QueryInfo(context.Background(), srv.Addr(), 5*time.Second)
	}()
	pump(t, srv, 3000, func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	})
	require.NoError(t, err)
	assert.Equal(t, "shared", e.Info.Name, "INFO %+v", e.Info)
	assert.Equal(t, server.DefaultMap, e.Info.Map, "INFO %+v", e.Info)
	assert.Equal(t, 3, e.Info.Bots, "INFO %+v", e.Info)
	assert.Equal(t, 3, e.Players, "players")
	st := status(srv)
	assert.NotZero(t, st.Queries.Info, "query stats %+v", st.Queries)
	assert.GreaterOrEqual(t, st.Counters.SteamIn, uint64(2), "counters %+v", st.Counters)
	assert.GreaterOrEqual(t, st.Counters.SteamOut, uint64(2), "counters %+v", st.Counters)
}

func TestConfigCheck(t *testing.T) {
	u := universe(t)
	tests := []struct {
		name string
		cfg  server.Config
		want string
	}{
		{"no backend", server.Config{}, "Config.Backend is nil"},
		{"IPv6", server.Config{Backend: u, Addr: netip.MustParseAddrPort("[::1]:0")}, "is not IPv4"},
		{"max players", server.Config{Backend: u, MaxPlayers: 33}, "max players is 33, want 1 to 32"},
		{"bots", server.Config{Backend: u, MaxPlayers: 4, Bots: 5}, "bots are 5, want 0 to max players (4)"},
		{"password", server.Config{Backend: u, Password: strings.Repeat("p", 33)}, "password is 33 bytes, limit 32"},
		{"name", server.Config{Backend: u, Name: strings.Repeat("n", 64)}, "name is 64 bytes, limit 63"},
		{"map", server.Config{Backend: u, Map: strings.Repeat("m", 32)}, "map is 32 bytes, limit 31"},
		{"rules", server.Config{Backend: u, Rules: game.Rules{TickRate: 30}}, "arena width is 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Check()
			require.ErrorContains(t, err, tt.want, "Check()")
			assert.True(t, errors.Is(err, server.ErrConfig) || errors.Is(err, game.ErrRules),
				"error %v matches neither ErrConfig nor game.ErrRules", err)
			_, err = server.New(tt.cfg)
			assert.Error(t, err, "New accepted the config")
		})
	}
}

func TestCloseEndsSessions(t *testing.T) {
	u := universe(t)
	cfg := server.Config{Backend: u, Addr: loopback, Bots: 2}
	srv, err := server.New(cfg)
	require.NoError(t, err)
	c, err := dial(t, srv, universe(t), "carol", "")
	require.NoError(t, err)
	pump(t, srv, 500, func() bool { return srv.Plugin().Sessions() == 3 })
	require.NoError(t, srv.Close())
	assert.Zero(t, srv.Plugin().Sessions(), "sessions after Close")
	assert.False(t, srv.Steam().Running(), "Steam still running after Close")
	assert.ErrorIs(t, srv.Close(), server.ErrClosed, "second Close")
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		require.Fail(t, "the client was not told the server shut down")
	}
	var de *client.DeniedError
	if assert.ErrorAs(t, c.Err(), &de, "client's end, want server shutting down") {
		assert.Equal(t, proto.ReasonShutdown, de.Reason, "client ended with %v", c.Err())
	}
}

func ExampleNew() {
	u, err := local.NewUniverse(local.Options{})
	if err != nil {
		panic(err)
	}
	srv, err := server.New(server.Config{Backend: u, Addr: netip.MustParseAddrPort("127.0.0.1:0"), Bots: 3})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	for range 30 { // a second of play
		srv.Tick()
	}
	var st server.Status
	srv.Status(&st)
	fmt.Println(st.Name, st.LoggedOn, len(st.Players), st.Players[0].Auth)
	// Output: Coin Arena true 3 Approved
}

// TestBadDatagrams sends the server datagrams it must refuse: malformed,
// truncated, from strangers or with forged tokens. None may panic, add a
// player or stop the server from taking a real client.
func TestBadDatagrams(t *testing.T) {
	srv := newServer(t, nil)
	pump(t, srv, 1000, func() bool { return status(srv).LoggedOn })
	conn, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(srv.Addr()))
	require.NoError(t, err)
	defer conn.Close()
	connect := proto.Connect{Token: 1, SteamID: 76561197960287930, Name: "forger", Ticket: []byte{1, 2, 3}}.AppendTo(nil)
	tests := []struct {
		name string
		pkt  []byte
		game bool // a game datagram (counted in GameIn)
		bad  bool // counted as bad
	}{
		{"empty", nil, false, false},
		{"two bytes", []byte{proto.Magic, proto.Version}, false, false},
		{"other version", []byte{proto.Magic, proto.Version + 1, byte(proto.TypeHello)}, false, false},
		{"unknown type", []byte{proto.Magic, proto.Version, 99}, true, true},
		{"truncated Hello", []byte{proto.Magic, proto.Version, byte(proto.TypeHello)}, true, true},
		{"truncated Connect", connect[:len(connect)-2], true, true},
		{"Connect with a forged token", connect, true, false},
		{"Input from a stranger", proto.Input{Seq: 1, Buttons: 0xFF}.AppendTo(nil), true, true},
		{"Snapshot sent to the server", (&proto.Snapshot{Tick: 1}).AppendTo(nil), true, true},
		{"Disconnect from a stranger", proto.Disconnect{Reason: proto.ReasonQuit}.AppendTo(nil), true, false},
		{"Disconnect with a forged notice", proto.Disconnect{Reason: proto.ReasonQuit, CancelNotice: []byte{0xC1, 1}}.AppendTo(nil), true, false},
		{"Disconnect with an empty notice", []byte{proto.Magic, proto.Version, byte(proto.TypeDisconnect), byte(proto.ReasonQuit), 0, 0}, true, true},
		{"Steam prefix and junk", []byte{0xFF, 0xFF, 0xFF, 0xFF, 0x54, 0x00}, false, false},
		{"Steam prefix only", []byte{0xFF, 0xFF, 0xFF, 0xFF}, false, false},
	}
	var games, bads uint64
	for _, tt := range tests {
		_, err := conn.Write(tt.pkt)
		require.NoError(t, err, tt.name)
		if tt.game {
			games++
		}
		if tt.bad {
			bads++
		}
	}
	before := srv.Counters()
	pump(t, srv, 1000, func() bool { return srv.Counters().GameIn-before.GameIn >= games })
	got := srv.Counters()
	assert.Equal(t, games, got.GameIn-before.GameIn, "game datagrams; counters %+v", got)
	assert.Equal(t, bads, got.Bad-before.Bad, "bad datagrams; counters %+v", got)
	assert.Zero(t, got.Joins, "joins; counters %+v", got)
	assert.Empty(t, status(srv).Players, "players after the bad datagrams")
	_, err = dial(t, srv, universe(t), "honest", "")
	assert.NoError(t, err, "a real client cannot join after the bad datagrams")
}

func TestSilentPlayersExpireSooner(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	u := universe(t)
	srv := newServer(t, func(c *server.Config) {
		c.Backend = u
		c.Now = clock
		c.ClientTimeout = time.Minute
		c.SilentTimeout = 2 * time.Second
	})
	silent, err := dial(t, srv, u, "silent", "")
	require.NoError(t, err)
	playing, err := dial(t, srv, u, "playing", "")
	require.NoError(t, err)
	require.NoError(t, playing.SendInput(1))
	pump(t, srv, 1000, func() bool { return srv.Counters().Inputs > 0 })

	for range 30 { // 3 s of running time
		mu.Lock()
		now = now.Add(100 * time.Millisecond)
		mu.Unlock()
		srv.Tick()
	}
	pump(t, srv, 1000, func() bool {
		select {
		case <-silent.Done():
			return true
		default:
			return false
		}
	})
	var de *client.DeniedError
	if assert.ErrorAs(t, silent.Err(), &de, "the silent client's end") {
		assert.Equal(t, proto.ReasonTimedOut, de.Reason, "ended with %v", silent.Err())
	}
	_, ok := findPlayer(status(srv), "playing")
	assert.True(t, ok, "the player who sent input stays until ClientTimeout")
	select {
	case <-playing.Done():
		assert.Fail(t, "the playing client ended", "%v", playing.Err())
	default:
	}
}

// manualClock is a clock a test advances.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *manualClock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func TestStallKeepsPlayers(t *testing.T) {
	clock := &manualClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	u := universe(t)
	srv := newServer(t, func(c *server.Config) { c.Backend = u; c.Now = clock.Now; c.ClientTimeout = 10 * time.Second })
	c, err := dial(t, srv, u, "patient", "")
	require.NoError(t, err)
	require.NoError(t, c.SendInput(1))
	pump(t, srv, 1000, func() bool { return srv.Counters().Inputs > 0 })

	// The whole process stops for 12 s (SIGSTOP), longer than ClientTimeout:
	// the client's input waits in the socket, and the first tick after the
	// stall must not judge it gone.
	clock.Advance(12 * time.Second)
	srv.Tick()
	_, ok := findPlayer(status(srv), "patient")
	assert.True(t, ok, "the player is kept through the stall")
	assert.Equal(t, uint64(0), srv.Counters().Leaves, "leaves")

	// Silence after the stall still ends it, counted from the stall's end.
	for range 110 {
		clock.Advance(100 * time.Millisecond)
		srv.Tick()
	}
	_, ok = findPlayer(status(srv), "patient")
	assert.False(t, ok, "timed out once silent for ClientTimeout of running time")
}
