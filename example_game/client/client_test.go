package client_test

import (
	"context"
	"errors"
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
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const passphrase = "client tests"

func universe(t *testing.T) *local.Universe {
	t.Helper()
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(passphrase)})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// runServer runs a game server on 127.0.0.1 until the test ends.
func runServer(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	srv, err := startServer(t, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// startServer runs a game server on 127.0.0.1:port until the test ends.
func startServer(t *testing.T, cfg server.Config, port uint16) (*server.Server, error) {
	t.Helper()
	cfg.Backend = universe(t)
	cfg.Addr = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)
	srv, err := server.New(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		_ = srv.Close()
	})
	return srv, nil
}

// runServersInARow runs a server of each config on consecutive ports, so
// that a browser can scan them, and returns them.
func runServersInARow(t *testing.T, cfgs ...server.Config) []*server.Server {
	t.Helper()
	base := uint16(41000 + time.Now().UnixNano()%8000)
next:
	for try := 0; try < 50; try++ {
		base += uint16(len(cfgs) + 7*try)
		var srvs []*server.Server
		for i, cfg := range cfgs {
			srv, err := startServer(t, cfg, base+uint16(i))
			if err != nil {
				continue next // a port is taken; the started ones stop at cleanup
			}
			srvs = append(srvs, srv)
		}
		return srvs
	}
	t.Fatal("found no free consecutive ports")
	return nil
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
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Welcome(); w.ServerName != "client test" || w.Map != "tiny" || w.PlayerID == 0 {
		t.Errorf("Welcome %+v", w)
	}
	var snap proto.Snapshot
	deadline := time.Now().Add(10 * time.Second)
	for c.Snapshot(&snap) == 0 || len(snap.Players) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("no snapshot with both players")
		}
		_ = c.SendInput(0)
		time.Sleep(10 * time.Millisecond)
	}
	if snap.You != c.Welcome().PlayerID || len(snap.Coins) == 0 {
		t.Errorf("snapshot You %d coins %d", snap.You, len(snap.Coins))
	}
	if time.Since(c.LastHeard()) > 5*time.Second || c.Err() != nil {
		t.Errorf("last heard %v ago, err %v", time.Since(c.LastHeard()), c.Err())
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); !errors.Is(err, client.ErrClosed) {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}
	if err := c.SendInput(0); !errors.Is(err, client.ErrClosed) {
		t.Errorf("SendInput after Close = %v, want ErrClosed", err)
	}
	if !errors.Is(c.Err(), client.ErrClosed) {
		t.Errorf("Err after Close = %v", c.Err())
	}
}

func TestDialErrors(t *testing.T) {
	// A socket that never answers.
	silent, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	quiet := silent.LocalAddr().(*net.UDPAddr).AddrPort()
	full := runServer(t, server.Config{MaxPlayers: 1, Bots: 1})

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		change func(*client.Config)
		check  func(error) bool
	}{
		{"no tickets", context.Background(), func(c *client.Config) { c.Tickets = nil },
			func(err error) bool { return err != nil && strings.Contains(err.Error(), "Config.Tickets is nil") }},
		{"no address", context.Background(), func(c *client.Config) { c.Server = netip.AddrPort{} },
			func(err error) bool { return err != nil && strings.Contains(err.Error(), "is not valid") }},
		{"silent server", context.Background(), func(c *client.Config) { c.Server = quiet; c.Timeout = 300 * time.Millisecond },
			func(err error) bool { return errors.Is(err, client.ErrTimeout) }},
		{"cancelled", cancelled, func(c *client.Config) { c.Server = quiet },
			func(err error) bool { return errors.Is(err, context.Canceled) }},
		{"server full", context.Background(), func(c *client.Config) { c.Server = full.Addr() },
			func(err error) bool {
				var de *client.DeniedError
				return errors.As(err, &de) && de.Reason == proto.ReasonServerFull && !de.Ended &&
					strings.Contains(err.Error(), "refused the connection: server full")
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
			if !tt.check(err) {
				t.Errorf("Dial error = %v", err)
			}
		})
	}
}

func TestBrowseAndQuery(t *testing.T) {
	srvs := runServersInARow(t, server.Config{Name: "alpha", Map: "one", Bots: 2, Advertise: true},
		server.Config{Name: "bravo", Map: "two", Advertise: true},
		server.Config{Name: "hidden", Advertise: false})
	a, hidden := srvs[0], srvs[2]
	lo, hi := a.Addr().Port(), hidden.Addr().Port()
	// Servers answer once they are logged on; ask until both do.
	var found []client.ServerEntry
	deadline := time.Now().Add(10 * time.Second)
	for len(found) < 2 && time.Now().Before(deadline) {
		var err error
		found, err = client.Browse(context.Background(), netip.MustParseAddr("127.0.0.1"), lo, hi, 300*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
	}
	names := map[string]client.ServerEntry{}
	for _, e := range found {
		names[e.Info.Name] = e
	}
	if len(found) != 2 || names["alpha"].Players != 2 || names["bravo"].Info.Map != "two" {
		t.Fatalf("Browse found %+v, want alpha (2 players) and bravo", found)
	}
	if _, ok := names["hidden"]; ok {
		t.Error("a server that does not advertise answered")
	}
	if found[0].Addr.Port() > found[1].Addr.Port() {
		t.Error("servers are not ordered by port")
	}
	players, err := client.QueryPlayers(context.Background(), a.Addr(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(players) != 2 || !strings.HasPrefix(players[0].Name, "bot ") {
		t.Errorf("A2S_PLAYER %+v, want the two bots", players)
	}
	if _, err := client.QueryInfo(context.Background(), hidden.Addr(), 200*time.Millisecond); !errors.Is(err, client.ErrNoReply) {
		t.Errorf("QueryInfo of a hidden server = %v, want ErrNoReply", err)
	}
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
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Browse(%d, %d) = %v, want %q", tt.first, tt.last, err, tt.want)
		}
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
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: Steer = %04b, %v; want %04b, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRunBotScores(t *testing.T) {
	srv := runServer(t, server.Config{})
	c, err := client.Dial(context.Background(), dialConfig(t, srv.Addr(), "robo"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- client.RunBot(ctx, c) }()
	var st proto.Snapshot
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c.Snapshot(&st) > 0 && len(st.Players) == 1 && st.Players[0].Score > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the bot did not score in 30 s: %+v", st.Players)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunBot = %v, want nil after cancel", err)
	}
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
