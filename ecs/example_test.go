package ecs_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
	decs "github.com/yohamta/donburi/ecs"
)

// A headless server: the embedded Steam, a world with the Steam plugin and a
// game system, ticked by a loop (here ten ticks of a manual clock; a real
// server uses a time.Ticker, an Ebiten game returns p.Update() from Update).
func ExampleInstall() {
	clock := local.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	steam, _ := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase("example"), Clock: clock})
	srv := steamgs.NewServer(steam)
	if err := srv.Init(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1.0.0.0", AppID: 480}); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()

	w := donburi.NewWorld()
	// Steam's datagrams on the shared socket: the socket goroutine calls
	// p.HandlePacket (see ExamplePlugin_HandlePacket), whose replies, like
	// what Steam sends by itself, go out through send.
	send := func(pkt []byte, to netip.AddrPort) { /* conn.WriteToUDPAddrPort(pkt, to) */ }
	p, err := ecs.Install(w, srv, ecs.Options{Send: send, Now: clock.Now})
	if err != nil {
		fmt.Println(err)
		return
	}
	p.Events().PlayerAuth.Subscribe(w, func(_ donburi.World, ev systems.PlayerAuthChanged) {
		fmt.Println("player", p.Player(ev.Entity).Name(), ev.State)
	})
	p.AddSystem(func(e *decs.ECS) { /* the game's own systems run here */ })

	set := p.Settings()
	// Product and game description are required before log-on (and mod
	// dir is expected): without them the log-on fails with an error
	// matching steamgs.ErrRequired that names each one missing, reported as
	// a Failed event, in p.Status().LastError and by Options.Logger.
	set.SetProduct("480")
	set.SetGameDescription("Example")
	set.SetModDir("example")
	set.SetServerName("Example server")
	set.SetMapName("arena")
	set.SetMaxPlayerCount(8)
	set.SetAdvertiseServerActive(true)
	set.LogOnAnonymous()

	// A client joins with a ticket from its Steam.
	alice := steam.AddUser(local.User{Name: "alice", Apps: []steamgs.AppID{480}})
	_, ticket, _ := steam.GetAuthSessionTicket(alice, 480, steamgs.Identity{})
	p.Join(alice, "alice", ticket)

	for range 10 {
		clock.Advance(time.Second / 60)
		p.Tick()
	}
	fmt.Println("logged on:", p.Status().LoggedOn, "as", p.Status().SteamID.Type())
	fmt.Println("ticks:", p.Ticks())
	// Output:
	// player alice Approved
	// logged on: true as AnonGameServer
	// ticks: 10
}

// A game asks CheckJoin before it admits a connecting client, and before
// the client's ticket is checked: a player waiting for Steam's verdict
// takes no slot, an approved one does, and a full server is refused with
// an error that says so.
func ExamplePlugin_CheckJoin() {
	clock := local.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	steam, _ := local.NewUniverse(local.Options{Clock: clock})
	srv := steamgs.NewServer(steam)
	if err := srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication,
		Version: "1.0.0.0", AppID: 480}); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()
	p, _ := ecs.Install(donburi.NewWorld(), srv, ecs.Options{Now: clock.Now})
	set := p.Settings()
	set.SetProduct("480")
	set.SetGameDescription("Example")
	set.SetMaxPlayerCount(1)
	set.LogOnAnonymous()

	join := func(name string) { // as a game's Connect handler would
		id := steam.AddUser(local.User{Name: name, Apps: []steamgs.AppID{480}})
		if err := p.CheckJoin(id); err != nil {
			fmt.Println(name, "refused, full:", errors.Is(err, systems.ErrServerFull))
			fmt.Println(err)
			return
		}
		_, ticket, _ := steam.GetAuthSessionTicket(id, 480, steamgs.Identity{})
		p.Join(id, name, ticket)
		fmt.Println(name, "waits for Steam's verdict")
	}
	join("alice")
	p.Tick() // BeginAuthSession
	fmt.Println("players:", p.Status().Players, "pending:", p.Status().Pending)
	p.Tick() // the verdict
	fmt.Println("players:", p.Status().Players, "pending:", p.Status().Pending)
	join("bob")
	// Output:
	// alice waits for Steam's verdict
	// players: 0 pending: 1
	// players: 1 pending: 0
	// bob refused, full: true
	// systems: server full: 1 slots taken by players and bots, limit 1 (max players)
}

// With a logger, the plugin says what goes wrong with Steam, once per
// cause: here a log-on asked before the settings every server needs, which
// names each one missing.
func ExampleOptions_logger() {
	steam, _ := local.NewUniverse(local.Options{})
	srv := steamgs.NewServer(steam)
	if err := srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication,
		Version: "1.0.0.0", AppID: 480}); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()

	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}))
	p, err := ecs.Install(donburi.NewWorld(), srv, ecs.Options{Logger: log})
	if err != nil {
		fmt.Println(err)
		return
	}
	p.Settings().SetServerName("Forgetful")
	p.Settings().LogOnAnonymous() // before SetProduct and SetGameDescription
	for range 3 {
		p.Tick()
	}
	fmt.Println(errors.Is(p.Status().LastError, steamgs.ErrRequired))
	// Output:
	// level=ERROR msg="Steam call failed" call=LogOnAnonymous err="steamgs: LogOnAnonymous before setting the product (SetProduct) and the game description (SetGameDescription), which every game server needs"
	// true
}

// A game socket shared with Steam (GameSocketShare mode): the socket
// goroutine answers each of Steam's datagrams as it reads it, through the
// plugin, and keeps the others for the game. A server browser's query is
// answered while no tick runs.
func ExamplePlugin_HandlePacket() {
	steam, _ := local.NewUniverse(local.Options{})
	game, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		fmt.Println(err)
		return
	}
	addr := game.LocalAddr().(*net.UDPAddr).AddrPort()
	srv := steamgs.NewServer(steam)
	if err := srv.Init(steamgs.Config{IP: addr.Addr(), GamePort: addr.Port(), QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1.0.0.0", AppID: 480,
		Product: "480", GameDescription: "Example", ModDir: "example"}); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()
	send := func(pkt []byte, to netip.AddrPort) { _, _ = game.WriteToUDPAddrPort(pkt, to) }
	p, _ := ecs.Install(donburi.NewWorld(), srv, ecs.Options{Send: send})
	p.Settings().SetServerName("Example server")
	p.Settings().SetAdvertiseServerActive(true)
	p.Settings().LogOnAnonymous()
	for i := 0; i < 10 && !p.Status().Advertised; i++ {
		p.Tick() // pushes the settings and logs on; once logged on, advertises
	}

	done := make(chan struct{})
	go func() { // the socket goroutine
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, from, err := game.ReadFromUDPAddrPort(buf)
			if err != nil {
				return // closed
			}
			if steamgs.IsSteamPacket(buf[:n]) {
				p.HandlePacket(buf[:n], from) // answered before the next read
			} // else: the game's own datagram, for its inbox
		}
	}()

	client, _ := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(addr))
	defer client.Close()
	_ = client.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 2048)
	_, _ = client.Write(query.AppendRequest(nil, query.Request{Kind: query.KindInfo}))
	n, _ := client.Read(buf)
	c, _ := query.ParseChallenge(buf[:n])
	_, _ = client.Write(query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: c, HasChallenge: true}))
	n, _ = client.Read(buf)
	info, _, err := query.ParseInfo(buf[:n])
	fmt.Println(info.Name, err, "after", p.Ticks(), "ticks")
	_ = game.Close()
	<-done
	// Output: Example server <nil> after 2 ticks
}
