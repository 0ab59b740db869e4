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

// runServer runs a game server on 127.0.0.1 (a free port) until the test
// ends.
func runServer(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	cfg.Backend = universe(t)
	cfg.Addr = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 0)
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
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
	a := runServer(t, server.Config{Name: "alpha", Map: "one", Bots: 2, Advertise: true})
	b := runServer(t, server.Config{Name: "bravo", Map: "two", Advertise: true})
	hidden := runServer(t, server.Config{Name: "hidden", Advertise: false})
	// Servers answer once they are logged on; ask until both do.
	var found []client.ServerEntry
	deadline := time.Now().Add(10 * time.Second)
	for len(found) < 2 && time.Now().Before(deadline) {
		var err error
		found, err = client.BrowseAddrs(context.Background(), []netip.AddrPort{hidden.Addr(), b.Addr(), a.Addr()}, 300*time.Millisecond)
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
	// Browse scans a range of ports: here the one of alpha.
	port := a.Addr().Port()
	got, err := client.Browse(context.Background(), netip.MustParseAddr("127.0.0.1"), port, port, 2*time.Second)
	if err != nil || len(got) != 1 || got[0].Info.Name != "alpha" || got[0].Addr != a.Addr() {
		t.Errorf("Browse of alpha's port = %+v, %v", got, err)
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

// TestDialResendsLostConnect plays a server that loses the client's first
// Connect: the client must send it again, and join when it is answered.
func TestDialResendsLostConnect(t *testing.T) {
	fake, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
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
	if err != nil {
		t.Fatalf("Dial = %v, want a connection after the Connect was sent again", err)
	}
	if w := c.Welcome(); w.PlayerID != 9 || w.ServerName != "lossy" {
		t.Errorf("Welcome = %+v", w)
	}
	_ = c.Close()
	_ = fake.Close()
	if n := <-connects; n < 2 {
		t.Errorf("the server got %d Connects, want at least 2", n)
	}
}
