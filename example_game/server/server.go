package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
	"github.com/yohamta/donburi/filter"
)

// ErrRestartRequested is returned by Run when Steam asked the server to
// restart (it is out of date): the process should exit and be started again.
var ErrRestartRequested = errors.New("server: Steam requested a restart")

// ErrLogOnGivenUp is returned by Run when Steam refused the log-on with a
// result that never passes with the same token (an invalid or revoked
// token, a ban, access denied): the server cannot be listed or join players
// until its configuration changes.
var ErrLogOnGivenUp = errors.New("server: Steam refused the log-on for good")

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
	// Played is set by the client's first Input: until then the shorter
	// Config.SilentTimeout applies.
	Played bool
}

// Local is the tag of the listen server's own player, who plays in the
// server's window.
var Local = donburi.NewTag()

// tokenWindow is the lifetime of a Challenge's token (it is accepted in its
// window and the next).
const tokenWindow = 10 * time.Second

// inboxPackets is the room of the game's inbox between two ticks, which
// its sources share fairly.
const inboxPackets = 1024

// releaseEvery is how many of Steam's datagrams the socket goroutine
// handles between two ReleaseThreadMemory calls.
const releaseEvery = 4096

// Server is the game server. Create it with New, call Tick once per tick (or
// Run), and Close it. Its methods are called from one goroutine, the game's;
// New starts one goroutine of its own, which reads the socket, and Close ends
// it.
//
// The socket goroutine never waits for a tick to run (at most for one Steam
// call of the tick, under the plugin's Steam lock). In GameSocketShare mode
// it answers each of Steam's datagrams as it reads it
// (ecs.Plugin.HandlePacket: the replies are written before the next
// datagram is read), on one OS thread when the back end keeps memory per
// thread, as libsteam_api does. The game's datagrams it queues for the next
// tick in an inbox that its sources share fairly, so that one address's
// flood never takes the room of the players' input. The socket's receive
// buffer is raised to query.SocketReadBuffer, as the embedded Steam's own
// query port's is.
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

	conn   *net.UDPConn
	addr   netip.AddrPort
	shared bool // the socket is shared with Steam (GameSocketShare mode)
	// threadMemory: the back end keeps memory per OS thread, so the socket
	// goroutine, which calls it, stays on one.
	threadMemory bool
	gameIn       *systems.Inbox
	wg           sync.WaitGroup

	clients map[netip.AddrPort]donburi.Entity
	remotes *donburi.Query
	local   donburi.Entity
	input   game.Buttons      // the local player's buttons
	tokens  *query.Challenges // the Challenge tokens, stateless
	// connects limits Connect messages per source; pending counts the
	// clients waiting for Steam's verdict, by source.
	connects *query.Limiter
	pending  map[netip.AddrPort]struct{}

	snap proto.Snapshot
	out  []byte
	gone []donburi.Entity
	// lastExpire is when the expire system last ran.
	lastExpire time.Time
	drainFn    func([]byte, netip.AddrPort)
	counters   Counters
	steamRx    atomic.Uint64 // Steam datagrams handled by the socket goroutine
	steamTx    atomic.Uint64 // Steam datagrams sent, from either goroutine
	// asleep is set while Run hibernates; the socket goroutine then sends
	// on wake when a game datagram arrives.
	asleep atomic.Bool
	wake   chan struct{}
	closed bool
}

// Counters are the server's traffic counters.
type Counters struct {
	GameIn, GameOut   uint64 // game datagrams received and sent
	Inputs            uint64 // Input messages received from connected clients
	SteamIn, SteamOut uint64 // Steam datagrams received (handed to Steam) and sent
	Bad               uint64 // game datagrams that did not decode
	// Dropped counts the game datagrams the inbox refused, or dropped to
	// make room for another source's, because it was full.
	Dropped       uint64
	Joins, Leaves uint64 // players who joined and left
	// RateLimited counts the Connect messages dropped over a source's
	// ConnectLimit; Busy those refused because the pending table (or the
	// source's share of it) was full.
	RateLimited, Busy uint64
	// Stalls counts the ticks that came after a stall of the server (see
	// Config.ClientTimeout), whose time the clients were not charged.
	Stalls uint64
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
		gameIn:  systems.NewInbox(systems.InboxConfig{Packets: inboxPackets, PacketSize: proto.MaxPacketSize}),
		shared:  !cfg.SeparateQueryPort,
		tokens:  query.NewChallenges([16]byte{}, tokenWindow), // a random key
		clients: make(map[netip.AddrPort]donburi.Entity),
		pending: make(map[netip.AddrPort]struct{}),
		remotes: donburi.NewQuery(filter.Contains(Remote, game.Body)),
		out:     make([]byte, 0, proto.MaxPacketSize),
		wake:    make(chan struct{}, 1),
		snap: proto.Snapshot{Players: make([]proto.PlayerState, 0, proto.MaxPlayers),
			Coins: make([]proto.Point, 0, proto.MaxCoins)},
	}
	if cfg.ConnectLimit > 0 {
		s.connects = query.NewLimiter(query.LimiterConfig{Limit: cfg.ConnectLimit, Window: time.Second,
			ByPort: cfg.ConnectByPort}, cfg.Now())
	}
	s.drainFn = s.handle

	bind := netip.AddrPortFrom(cfg.Addr.Addr().Unmap(), cfg.Addr.Port())
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(bind))
	if err != nil {
		return nil, fmt.Errorf("server: game socket %s: %w", bind, err)
	}
	s.conn = conn
	_ = conn.SetReadBuffer(query.SocketReadBuffer) // best effort: capped by the system
	s.addr = conn.LocalAddr().(*net.UDPAddr).AddrPort()
	s.addr = netip.AddrPortFrom(s.addr.Addr().Unmap(), s.addr.Port())

	if err := s.initSteam(); err != nil {
		_ = conn.Close()
		return nil, err
	}
	s.threadMemory = s.steam.Capabilities().ThreadMemory
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
	gamePort := s.addr.Port()
	if cfg.GamePort != 0 {
		gamePort = cfg.GamePort
	}
	if err := s.steam.Init(steamgs.Config{IP: ip, GamePort: gamePort, QueryPort: queryPort,
		Mode: cfg.Mode, Version: cfg.Version, AppID: cfg.AppID}); err != nil {
		return fmt.Errorf("server: Steam init: %w", err)
	}
	// Players waiting for Steam's verdict take no slot; the plugin bounds
	// them, and the receive system each source's share.
	opts := ecs.Options{Now: cfg.Now, Logger: cfg.Logger, MaxPending: cfg.MaxPending}
	if s.shared {
		// GameSocketShare mode: the socket goroutine answers Steam's
		// datagrams as they arrive (HandlePacket), and the packets-out
		// system sends what Steam sends by itself; both from the game
		// socket.
		opts.Send = s.sendSteam
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
	set.SetProduct(cfg.Product())
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

// subscribe logs the players Steam approves (the plugin logs what goes
// wrong) and tells clients Steam refused them, and why.
func (s *Server) subscribe() {
	s.ecs.Events().PlayerAuth.Subscribe(s.world, func(w donburi.World, a systems.PlayerAuthChanged) {
		if !w.Valid(a.Entity) {
			return
		}
		entry := w.Entry(a.Entity)
		if entry.HasComponent(Remote) {
			delete(s.pending, Remote.Get(entry).Addr)
		}
		if a.State == components.AuthApproved {
			if entry.HasComponent(Remote) {
				r := Remote.Get(entry)
				r.LastHeard = s.cfg.Now()
				s.counters.Joins++
				s.welcome(r.Addr, a.Entity)
			}
			s.log.Info("player approved", "name", components.Player.Get(entry).Name(), "steam_id", a.SteamID.String())
			return
		}
		if entry.HasComponent(Remote) {
			r := Remote.Get(entry)
			if a.Reason.Source == components.FromServerFull {
				s.deny(r.Addr, proto.ReasonServerFull, "")
			} else {
				s.deny(r.Addr, proto.ReasonAuthFailed, "Steam: "+a.Reason.String())
			}
			delete(s.clients, r.Addr)
		}
		if a.Entity == s.local {
			s.local = donburi.Null
		}
		if a.State == components.AuthKicked {
			s.counters.Leaves++ // it had joined
		}
	})
}

// read receives datagrams until Close stops it: it answers Steam's at once
// (in GameSocketShare mode; with a query port of its own, Steam gets none
// from the game socket), and queues the game's for the receive system. On a
// back end that keeps memory per thread (libsteam_api) it runs on one OS
// thread and releases that memory now and then and before it ends.
func (s *Server) read() {
	defer s.wg.Done()
	if s.threadMemory {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer s.ecs.ReleaseThreadMemory()
	}
	buf := make([]byte, 2048)
	for {
		n, from, err := s.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || errors.Is(err, os.ErrDeadlineExceeded) {
				return
			}
			continue
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		pkt := buf[:n]
		switch {
		case steamgs.IsSteamPacket(pkt):
			if s.shared && s.ecs.HandlePacket(pkt, from) {
				if s.steamRx.Add(1)%releaseEvery == 0 && s.threadMemory {
					s.ecs.ReleaseThreadMemory()
				}
			}
		case proto.IsGame(pkt):
			s.gameIn.Offer(pkt, from)
			if s.asleep.Load() {
				s.wakeUp()
			}
		}
	}
}

// send writes one datagram to a client.
func (s *Server) send(pkt []byte, to netip.AddrPort) {
	if _, err := s.conn.WriteToUDPAddrPort(pkt, to); err == nil {
		s.counters.GameOut++
	}
}

// sendSteam writes one of Steam's datagrams (the plugin's SendFunc, called
// from the tick and from the socket goroutine).
func (s *Server) sendSteam(pkt []byte, to netip.AddrPort) {
	if _, err := s.conn.WriteToUDPAddrPort(pkt, to); err == nil {
		s.steamTx.Add(1)
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
// (it returns nil), Steam asks for a restart (ErrRestartRequested) or the
// log-on is given up (ErrLogOnGivenUp, wrapping Steam's result). It does
// not close the server. With Config.IdleInterval it hibernates while the
// server is empty (see Hibernating).
func (s *Server) Run(ctx context.Context) error {
	if s.closed {
		return ErrClosed
	}
	interval := time.Second / time.Duration(s.cfg.Rules.TickRate)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-s.wake:
		}
		s.Tick()
		if s.RestartRequested() {
			return ErrRestartRequested
		}
		if st := s.ecs.Status(); st.GaveUp {
			return fmt.Errorf("%w: %s", ErrLogOnGivenUp, st.LastFailure)
		}
		s.pace(t, interval)
	}
}

// RestartRequested reports whether Steam asked the server to restart since
// it started.
func (s *Server) RestartRequested() bool { return s.ecs.Status().RestartRequested }

// Close tells every client the server is shutting down, ends every auth
// session, logs off Steam, stops the server's goroutine, shuts Steam down
// and closes the socket. It returns ErrClosed when called again.
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
	s.ecs.LockSteam()
	if s.steam.LoggedOn() {
		errs = append(errs, s.steam.LogOff())
	}
	s.ecs.UnlockSteam()
	s.ecs.SendPackets()
	// Stop the socket goroutine while Steam runs, so that it releases its
	// thread's memory before Steam shuts down.
	errs = append(errs, s.conn.SetReadDeadline(time.Now()))
	s.wg.Wait()
	s.ecs.LockSteam()
	errs = append(errs, s.steam.Shutdown())
	s.ecs.UnlockSteam()
	errs = append(errs, s.conn.Close())
	s.log.Info("server shut down", "sessions_ended", sessions)
	return errors.Join(errs...)
}

// Addr returns the game socket's address.
func (s *Server) Addr() netip.AddrPort { return s.addr }

// QueryPort returns Steam's query port, or steamgs.QueryPortShared when the
// game socket is shared.
func (s *Server) QueryPort() uint16 {
	s.ecs.LockSteam()
	defer s.ecs.UnlockSteam()
	return s.steam.QueryPort()
}

// QueryPortString returns the query port as a log shows it: a number, or
// "shared".
func (s *Server) QueryPortString() string {
	if p := s.QueryPort(); p != steamgs.QueryPortShared {
		return strconv.Itoa(int(p))
	}
	return "shared"
}

// Steam returns the Steam game server. While the server runs, its socket
// goroutine calls it too: make calls of it between Plugin().LockSteam and
// UnlockSteam.
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
	c.SteamIn, c.SteamOut = s.steamRx.Load(), s.steamTx.Load()
	c.Dropped = s.gameIn.Dropped()
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
	if err := s.ecs.CheckJoin(id); err != nil {
		return donburi.Null, fmt.Errorf("server: the local player cannot join: %w", err)
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

// token returns the Challenge token of addr now.
func (s *Server) token(addr netip.AddrPort) uint64 { return s.tokens.Token(addr, s.cfg.Now()) }

// validToken reports whether t is addr's token of this window or the last.
func (s *Server) validToken(t uint64, addr netip.AddrPort) bool {
	return s.tokens.ValidToken(addr, t, s.cfg.Now())
}

// passwordOK reports whether pw is the server's password, in constant time.
func (s *Server) passwordOK(pw string) bool {
	return subtle.ConstantTimeCompare([]byte(pw), []byte(s.cfg.Password)) == 1
}
