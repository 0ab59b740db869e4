package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dchest/siphash"
	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
	"github.com/yohamta/donburi/filter"
)

// ErrRestartRequested is returned by Run when Steam asked the server to
// restart (it is out of date): the process should exit and be started again.
var ErrRestartRequested = errors.New("server: Steam requested a restart")

// ErrClosed is returned by the methods of a closed Server.
var ErrClosed = errors.New("server: closed")

// Remote is the component type of a player who plays through a client over
// the network.
var Remote = donburi.NewComponentType[RemoteData]()

// RemoteData is where a client is and when it was last heard from.
type RemoteData struct {
	Addr      netip.AddrPort
	LastHeard time.Time
	Seq       uint32 // the newest Input's sequence number
}

// Local is the tag of the listen server's own player, who plays in the
// server's window.
var Local = donburi.NewTag()

// tokenWindow is the lifetime of a Challenge's token (it is accepted in its
// window and the next).
const tokenWindow = 10 * time.Second

// Sizes of the socket's queues between two ticks.
const (
	inboxPackets = 1024
	inboxBytes   = 256 << 10
)

// Server is the game server. Create it with New, call Tick once per tick (or
// Run), and Close it. Its methods are called from one goroutine, the game's;
// New starts one goroutine of its own, which reads the socket, and Close ends
// it.
type Server struct {
	cfg   Config
	log   *slog.Logger
	world donburi.World
	steam *steamgs.Server
	ecs   *ecs.Plugin
	game  *game.Game
	// notices applies the cancel notices of leaving clients to the embedded
	// Steam; nil on another back end.
	notices cancelNotices

	conn    *net.UDPConn
	addr    netip.AddrPort
	steamIn *systems.Inbox
	gameIn  *inbox
	wg      sync.WaitGroup

	clients map[netip.AddrPort]donburi.Entity
	remotes *donburi.Query
	local   donburi.Entity
	input   game.Buttons // the local player's buttons
	k0, k1  uint64       // key of the Challenge tokens

	snap     proto.Snapshot
	out      []byte
	gone     []donburi.Entity
	drainFn  func([]byte, netip.AddrPort)
	counters Counters
	steamRx  atomic.Uint64 // Steam datagrams queued by the socket goroutine
	closed   bool
}

// Counters are the server's traffic counters.
type Counters struct {
	GameIn, GameOut   uint64 // game datagrams received and sent
	Inputs            uint64 // Input messages received from connected clients
	SteamIn, SteamOut uint64 // Steam datagrams received (queued) and sent
	Bad               uint64 // game datagrams that did not decode
	Dropped           uint64 // datagrams dropped because a queue was full
	Joins, Leaves     uint64 // players who joined and left
}

// New binds the game socket, initializes the Steam game server, installs the
// game and the Steam systems in a new world, adds the bots and asks for the
// log-on; Steam answers over the next ticks. Close the server when done.
func New(cfg Config) (*Server, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:     cfg,
		log:     cfg.Logger,
		world:   donburi.NewWorld(),
		gameIn:  newInbox(inboxPackets, inboxBytes),
		clients: make(map[netip.AddrPort]donburi.Entity),
		remotes: donburi.NewQuery(filter.Contains(Remote, game.Body)),
		out:     make([]byte, 0, proto.MaxPacketSize),
		snap: proto.Snapshot{Players: make([]proto.PlayerState, 0, proto.MaxPlayers),
			Coins: make([]proto.Point, 0, proto.MaxCoins)},
	}
	s.drainFn = s.handle
	var key [16]byte
	_, _ = rand.Read(key[:])
	s.k0, s.k1 = binary.LittleEndian.Uint64(key[:8]), binary.LittleEndian.Uint64(key[8:])

	bind := netip.AddrPortFrom(cfg.Addr.Addr().Unmap(), cfg.Addr.Port())
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(bind))
	if err != nil {
		return nil, fmt.Errorf("server: game socket %s: %w", bind, err)
	}
	s.conn = conn
	s.addr = conn.LocalAddr().(*net.UDPAddr).AddrPort()
	s.addr = netip.AddrPortFrom(s.addr.Addr().Unmap(), s.addr.Port())

	if err := s.initSteam(); err != nil {
		_ = conn.Close()
		return nil, err
	}
	s.wg.Add(1)
	go s.read()
	s.log.Info("server started", "name", cfg.Name, "map", cfg.Map, "addr", s.addr.String(),
		"query_port", s.QueryPortString(), "max_players", cfg.MaxPlayers, "bots", cfg.Bots,
		"tick_rate", cfg.Rules.TickRate, "dedicated", cfg.Dedicated, "advertise", cfg.Advertise,
		"password", cfg.Password != "")
	return s, nil
}

// initSteam initializes Steam, the world and its systems.
func (s *Server) initSteam() error {
	cfg := s.cfg
	s.steam = steamgs.NewServer(cfg.Backend)
	queryPort := steamgs.QueryPortShared
	if cfg.SeparateQueryPort {
		queryPort = cfg.QueryPort
	}
	var ip netip.Addr
	if !s.addr.Addr().IsUnspecified() {
		ip = s.addr.Addr()
	}
	if err := s.steam.Init(steamgs.Config{IP: ip, GamePort: s.addr.Port(), QueryPort: queryPort,
		Mode: cfg.Mode, Version: cfg.Version, AppID: cfg.AppID}); err != nil {
		return fmt.Errorf("server: Steam init: %w", err)
	}
	opts := ecs.Options{Now: cfg.Now}
	if !cfg.SeparateQueryPort {
		// GameSocketShare mode: the socket goroutine queues Steam's
		// datagrams in the inbox, the packets-in system hands them to
		// HandleIncomingPacket, the packets-out system sends Steam's
		// replies from the game socket.
		s.steamIn = systems.NewInbox(inboxPackets, inboxBytes)
		opts.Inbox, opts.Send = s.steamIn, s.sendSteam
	}
	p, err := ecs.Install(s.world, s.steam, opts)
	if err != nil {
		_ = s.steam.Shutdown()
		return fmt.Errorf("server: Steam systems: %w", err)
	}
	s.ecs = p
	s.notices, _ = cfg.Backend.(cancelNotices)
	g, err := game.New(s.world, cfg.Rules)
	if err != nil {
		_ = s.steam.Shutdown()
		return err
	}
	s.game = g
	// The game's systems, run each tick between Steam's callbacks and the
	// auth system.
	p.AddSystem(s.receive).AddSystem(s.expire).AddSystem(s.update).AddSystem(s.broadcast)
	s.subscribe()

	set := p.Settings()
	set.SetProduct(strconv.FormatUint(uint64(cfg.AppID), 10))
	set.SetGameDescription(GameDescription)
	set.SetModDir(ModDir)
	set.SetDedicatedServer(cfg.Dedicated)
	if cfg.Token != "" {
		set.LogOnWithToken(cfg.Token)
	} else {
		set.LogOnAnonymous()
	}
	set.SetServerName(cfg.Name)
	set.SetMapName(cfg.Map)
	set.SetMaxPlayerCount(cfg.MaxPlayers)
	set.SetBotPlayerCount(cfg.Bots)
	set.SetPasswordProtected(cfg.Password != "")
	set.SetGameTags(GameTags)
	set.SetKeyValue("tickrate", strconv.Itoa(cfg.Rules.TickRate))
	set.SetKeyValue("coins", strconv.Itoa(cfg.Rules.Coins))
	set.SetAdvertiseServerActive(cfg.Advertise)

	now := cfg.Now()
	for i := range cfg.Bots {
		g.AddBot(s.world, "bot "+strconv.Itoa(i+1), now)
	}
	return nil
}

// subscribe logs Steam's news and tells clients Steam refused them.
func (s *Server) subscribe() {
	ev := s.ecs.Events()
	w := s.world
	ev.ServerConnected.Subscribe(w, func(donburi.World, steamgs.ServerConnected) {
		st := s.ecs.Status()
		s.log.Info("logged on to Steam", "steam_id", st.SteamID.String(), "public_ip", st.PublicIP.String())
	})
	ev.ServerConnectFailure.Subscribe(w, func(_ donburi.World, cb steamgs.ServerConnectFailure) {
		s.log.Warn("Steam log-on failed", "result", cb.Result.String(), "retrying", cb.Retrying)
	})
	ev.ServerDisconnected.Subscribe(w, func(_ donburi.World, cb steamgs.ServerDisconnected) {
		s.log.Warn("disconnected from Steam", "result", cb.Result.String())
	})
	ev.Restart.Subscribe(w, func(_ donburi.World, r systems.RestartRequested) {
		s.log.Warn("Steam requested a restart", "count", r.Count)
	})
	ev.Failed.Subscribe(w, func(_ donburi.World, f systems.CallFailed) {
		s.log.Error("Steam call failed", "call", f.Call, "steam_id", f.SteamID.String(), "err", f.Err)
	})
	ev.PlayerAuth.Subscribe(w, func(w donburi.World, a systems.PlayerAuthChanged) {
		name := ""
		if w.Valid(a.Entity) {
			name = components.Player.Get(w.Entry(a.Entity)).Name()
		}
		if a.State == components.AuthApproved {
			s.log.Info("player approved", "name", name, "steam_id", a.SteamID.String())
			return
		}
		s.log.Warn("player refused by Steam", "name", name, "steam_id", a.SteamID.String(),
			"state", a.State.String(), "reason", a.Reason.String())
		if !w.Valid(a.Entity) {
			return
		}
		entry := w.Entry(a.Entity)
		if entry.HasComponent(Remote) {
			r := Remote.Get(entry)
			s.send(proto.Disconnect{Reason: proto.ReasonAuthFailed}.AppendTo(s.out[:0]), r.Addr)
			delete(s.clients, r.Addr)
		}
		if a.Entity == s.local {
			s.local = donburi.Null
		}
		s.counters.Leaves++
	})
}

// read receives datagrams until the socket is closed, and queues them for
// the next tick: Steam's for HandleIncomingPacket, the game's for the
// receive system.
func (s *Server) read() {
	defer s.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, from, err := s.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		pkt := buf[:n]
		switch {
		case systems.IsSteamPacket(pkt):
			if s.steamIn != nil && s.steamIn.Offer(pkt, from) {
				s.steamRx.Add(1)
			}
		case proto.IsGame(pkt):
			s.gameIn.offer(pkt, from)
		}
	}
}

// send writes one datagram to a client.
func (s *Server) send(pkt []byte, to netip.AddrPort) {
	if _, err := s.conn.WriteToUDPAddrPort(pkt, to); err == nil {
		s.counters.GameOut++
	}
}

// sendSteam writes one of Steam's datagrams (the packets-out system's
// SendFunc).
func (s *Server) sendSteam(pkt []byte, to netip.AddrPort) {
	if _, err := s.conn.WriteToUDPAddrPort(pkt, to); err == nil {
		s.counters.SteamOut++
	}
}

// Tick runs one tick of the server: every system once, in order.
func (s *Server) Tick() {
	if s.closed {
		return
	}
	s.ecs.Tick()
}

// Run ticks the server Rules.TickRate times per second until ctx ends
// (it returns nil) or Steam asks for a restart (ErrRestartRequested). It
// does not close the server.
func (s *Server) Run(ctx context.Context) error {
	if s.closed {
		return ErrClosed
	}
	t := time.NewTicker(time.Second / time.Duration(s.cfg.Rules.TickRate))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		s.Tick()
		if s.RestartRequested() {
			return ErrRestartRequested
		}
	}
}

// RestartRequested reports whether Steam asked the server to restart since
// it started.
func (s *Server) RestartRequested() bool { return s.ecs.Status().RestartRequested }

// Close tells every client the server is shutting down, ends every auth
// session, logs off Steam, shuts Steam down, closes the socket and waits for
// the server's goroutine. It returns ErrClosed when called again.
func (s *Server) Close() error {
	if s.closed {
		return ErrClosed
	}
	s.closed = true
	for addr := range s.clients {
		s.send(proto.Disconnect{Reason: proto.ReasonShutdown}.AppendTo(s.out[:0]), addr)
	}
	clear(s.clients)
	sessions := s.ecs.RemovePlayers() // EndAuthSession for every player
	var errs []error
	if s.steam.LoggedOn() {
		errs = append(errs, s.steam.LogOff())
	}
	s.ecs.SendPackets()
	errs = append(errs, s.steam.Shutdown())
	errs = append(errs, s.conn.Close())
	s.wg.Wait()
	s.log.Info("server shut down", "sessions_ended", sessions)
	return errors.Join(errs...)
}

// Addr returns the game socket's address.
func (s *Server) Addr() netip.AddrPort { return s.addr }

// QueryPort returns Steam's query port, or steamgs.QueryPortShared when the
// game socket is shared.
func (s *Server) QueryPort() uint16 { return s.steam.QueryPort() }

// QueryPortString returns the query port as a log shows it: a number, or
// "shared".
func (s *Server) QueryPortString() string {
	if p := s.QueryPort(); p != steamgs.QueryPortShared {
		return strconv.Itoa(int(p))
	}
	return "shared"
}

// Steam returns the Steam game server.
func (s *Server) Steam() *steamgs.Server { return s.steam }

// Plugin returns the Steam ECS plugin of the server's world.
func (s *Server) Plugin() *ecs.Plugin { return s.ecs }

// World returns the server's donburi world.
func (s *Server) World() donburi.World { return s.world }

// Game returns the game rules' state.
func (s *Server) Game() *game.Game { return s.game }

// Config returns the server's configuration, defaults filled in.
func (s *Server) Config() Config { return s.cfg }

// Counters returns the traffic counters.
func (s *Server) Counters() Counters {
	c := s.counters
	c.SteamIn = s.steamRx.Load()
	c.Dropped = s.gameIn.droppedCount()
	if s.steamIn != nil {
		c.Dropped += s.steamIn.Dropped()
	}
	return c
}

// AddLocal adds the listen server's own player, who plays in the server's
// window with SetLocalInput, with an auth ticket from the same Steam
// (made for the server's Steam ID); Steam approves it like any other. The
// host starts at LocalSpawn rather than at a random place, so that it is
// not hidden under the server panel at the top of the window. It fails when
// the server already has a local player or is full.
func (s *Server) AddLocal(id steamgs.SteamID, name string, ticket []byte) (donburi.Entity, error) {
	if s.closed {
		return donburi.Null, ErrClosed
	}
	if s.local != donburi.Null && s.world.Valid(s.local) {
		return donburi.Null, errors.New("server: there is a local player already")
	}
	if n := s.ecs.Players().Count(s.world); n >= s.cfg.MaxPlayers {
		return donburi.Null, fmt.Errorf("server: %d of %d players: server full", n, s.cfg.MaxPlayers)
	}
	p := components.NewPlayer(id, proto.ClipName(name), ticket, s.cfg.Now())
	s.local = s.game.AddPlayer(s.world, p, Local)
	game.Body.Get(s.world.Entry(s.local)).Pos = LocalSpawn(s.game.Rules())
	s.counters.Joins++
	s.log.Info("local player joined", "name", name, "steam_id", id.String())
	return s.local, nil
}

// LocalSpawn returns where the listen server's own player starts in an
// arena of the given rules: centred, near the bottom edge.
func LocalSpawn(r game.Rules) game.Vec {
	return r.Clamp(game.Vec{X: r.Width / 2, Y: r.Height - 3*game.PlayerRadius}, game.PlayerRadius)
}

// SetLocalInput sets the buttons the local player holds.
func (s *Server) SetLocalInput(b game.Buttons) { s.input = b & game.AllButtons }

// LocalID returns the local player's ID in snapshots, or 0 when there is
// none.
func (s *Server) LocalID() uint16 {
	if s.local == donburi.Null || !s.world.Valid(s.local) {
		return 0
	}
	return game.Body.Get(s.world.Entry(s.local)).ID
}

// Snapshot copies the world as of the last tick into dst, as a client would
// receive it, with You set to the local player.
func (s *Server) Snapshot(dst *proto.Snapshot) {
	dst.Tick, dst.You = s.snap.Tick, s.LocalID()
	dst.Players = append(dst.Players[:0], s.snap.Players...)
	dst.Coins = append(dst.Coins[:0], s.snap.Coins...)
}

// token returns the Challenge token of addr in time window w.
func (s *Server) token(addr netip.AddrPort, w int64) uint64 {
	var b [26]byte
	ip := addr.Addr().As16()
	copy(b[:], ip[:])
	binary.LittleEndian.PutUint16(b[16:], addr.Port())
	binary.LittleEndian.PutUint64(b[18:], uint64(w))
	return siphash.Hash(s.k0, s.k1, b[:])
}

// window returns the current token window.
func (s *Server) window() int64 { return s.cfg.Now().UnixNano() / int64(tokenWindow) }

// validToken reports whether t is addr's token of this window or the last.
func (s *Server) validToken(t uint64, addr netip.AddrPort) bool {
	w := s.window()
	return t == s.token(addr, w) || t == s.token(addr, w-1)
}

// passwordOK reports whether pw is the server's password, in constant time.
func (s *Server) passwordOK(pw string) bool {
	return subtle.ConstantTimeCompare([]byte(pw), []byte(s.cfg.Password)) == 1
}
