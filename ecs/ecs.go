// Package ecs installs a Steam game server in a donburi world: the
// components of package components, the systems of package systems in the
// order of a tick, around the game's own systems, and the Steam events.
//
//	p, err := ecs.Install(world, srv, ecs.Options{Send: send})
//	p.AddSystem(movePlayers)            // the game's own systems, in order
//	p.Settings().SetProduct("480")      // ... then log on:
//	p.Settings().LogOnAnonymous()
//	for range ticker.C { p.Tick() }     // or, in Ebiten, return p.Update() from Game.Update
//
// and, in GameSocketShare mode, the game's socket goroutine answers Steam's
// datagrams as they arrive:
//
//	if steamgs.IsSteamPacket(pkt) { p.HandlePacket(pkt, from) } // replies sent with send
//
// A tick runs: packets in, callbacks, the game's systems, auth, scores,
// settings, packets out (see package systems). The same plugin serves a
// fixed-rate headless loop (Tick) and Ebiten's Update (Update has its
// signature); a game that runs its own donburi ecs.ECS adds the systems to it
// with AddTo. Nothing here imports Ebiten, and everything builds with
// CGO_ENABLED=0.
//
// This package is named ecs like donburi's; import donburi's under another
// name (decs here) where both are needed.
package ecs

import (
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
	decs "github.com/yohamta/donburi/ecs"
)

// Options configure Install. The zero value installs the systems with no
// packet hooks, removes rejected players, reads join times from the system
// clock and logs nothing.
type Options struct {
	// Inbox, when not nil, is where the game's socket goroutine queues
	// Steam's datagrams (Inbox.Offer), for games that hand them to Steam
	// on the tick: each tick hands them to HandleIncomingPacket. A game that
	// answers them on arrival (Plugin.HandlePacket) needs none.
	Inbox *systems.Inbox
	// Send, when not nil, sends Steam's outgoing datagrams from the game
	// socket: HandlePacket's replies at once, and each tick what Steam
	// queued by itself (GetNextOutgoingPacket until it is empty). It is
	// called from the tick's goroutine and from HandlePacket's, so it must
	// be safe for concurrent use, as a net.UDPConn's writes are. Use it in
	// GameSocketShare mode.
	Send systems.SendFunc
	// Rejected is what happens to players Steam denies or kicks.
	Rejected systems.RejectPolicy
	// Now is the clock for players' join times and log-on retries; nil
	// means time.Now. Tests pass a manual clock's Now.
	Now func() time.Time
	// LogOnRetry is how a log-on that Steam refused is retried: by default
	// with a back-off from 1 s doubling to 30 s for results that may pass,
	// never for those that will not (see systems.LogOnRetryable); the
	// status's GaveUp says when it stopped.
	LogOnRetry systems.LogOnRetry
	// MaxPending bounds the players waiting for Steam's verdict on their
	// tickets, which take no player slot (see Plugin.CheckJoin):
	// systems.DefaultMaxPending (32) when 0, no bound when < 0.
	MaxPending int
	// PendingTimeout is how long a player may wait for Steam's verdict
	// before it is denied (DenySteamResponseTimedOut) and its session
	// ends: systems.DefaultPendingTimeout (10 s) when 0, for ever when < 0.
	PendingTimeout time.Duration
	// Logger, when not nil, receives what goes wrong with Steam, each cause
	// once rather than at every tick: every Steam call of a system that
	// failed on a client's input (DEBUG "client input refused by Steam
	// call", at most once per cause and client every 10 s; see
	// systems.RemoteInput), every other (ERROR "Steam call failed", with the call, the fields or
	// player concerned, and the error, such as a log-on before the required
	// settings, which names every one missing), each change of the log-on
	// state (INFO "logged on to Steam"; WARN "Steam log-on failed", with
	// when it is retried, ERROR "Steam log-on given up"; WARN
	// "disconnected from Steam" with Steam's result), each player Steam
	// refused (INFO "player refused by Steam", with the player's name, Steam
	// ID and reason, at most once per cause and player every 10 s, as for
	// a client's input; "player refused" when the plugin refused it: the
	// server filled while it waited, or Steam gave no verdict within
	// PendingTimeout) and each restart request. Nil logs nothing.
	Logger *slog.Logger
}

// Plugin is the Steam game server installed in one donburi world, and all a
// game needs of it besides the *steamgs.Server: the tick, the events, the
// settings and status components, the players and their auth sessions. Make
// it with Install. Like its world, a Plugin belongs to one goroutine, but for
// HandlePacket, which the game's socket goroutine calls.
//
// The plugin serializes Steam calls with one lock, the Steam lock: each
// Steam call of the tick's systems and of HandlePacket holds it for the call
// and no longer (never while a socket is written or game logic runs), so the
// Server is never called by two goroutines at once, as its contract asks. A
// game whose socket goroutine calls HandlePacket makes its own Server calls
// between LockSteam and UnlockSteam.
type Plugin struct {
	sys   *systems.Systems
	ecs   *decs.ECS
	now   func() time.Time
	pre   []decs.System
	game  []decs.System
	post  []decs.System
	ticks uint64

	// before and after are the hooks of AddHooks.
	before, after []func()
}

// Install adds the Steam components, systems and events to w, for the server
// srv, which may be initialized before or after. One plugin per world: a
// second Install fails with an error matching systems.ErrInstalled; a nil
// srv fails with one matching systems.ErrNoServer. Like donburi.NewWorld,
// Install must not run concurrently with the creation of other worlds.
func Install(w donburi.World, srv *steamgs.Server, opts Options) (*Plugin, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	sys, err := systems.New(w, systems.Config{Server: srv, Inbox: opts.Inbox, Send: opts.Send, Rejected: opts.Rejected,
		LogOnRetry: opts.LogOnRetry, Now: now, MaxPending: opts.MaxPending, PendingTimeout: opts.PendingTimeout})
	if err != nil {
		return nil, fmt.Errorf("ecs: install: %w", err)
	}
	p := &Plugin{
		sys:  sys,
		ecs:  decs.NewECS(w),
		now:  now,
		pre:  []decs.System{sys.ReadPackets, sys.RunCallbacks},
		post: []decs.System{sys.Authenticate, sys.SyncScores, sys.PushSettings, sys.SendPackets},
	}
	if opts.Logger != nil {
		logTo(p, opts.Logger)
	}
	return p, nil
}

// AddSystem appends a game system to those Tick runs between the callbacks
// and the auth system, and returns p. Systems run in the order added.
func (p *Plugin) AddSystem(s decs.System) *Plugin {
	p.game = append(p.game, s)
	return p
}

// Tick runs one tick: packets in, callbacks, the game's systems, auth,
// scores, settings, packets out. Game systems receive the plugin's donburi
// ECS (see ECS); Tick does not advance its Time, which reads the wall clock:
// a fixed-rate loop counts ticks instead (see Ticks).
func (p *Plugin) Tick() {
	for _, f := range p.before {
		f()
	}
	e := p.ecs
	for _, s := range p.pre {
		s(e)
	}
	for _, s := range p.game {
		s(e)
	}
	for _, s := range p.post {
		s(e)
	}
	p.ticks++
	for _, f := range p.after {
		f()
	}
}

// AddHooks adds functions that Tick calls around every tick, for packages
// that watch the tick itself (ecs/metrics times it, ecs/agones marks it
// alive): before runs ahead of packets in, after once packets out is done
// and Ticks counts the tick. Either may be nil. Hooks run in the order
// added, on the tick's goroutine, and must not block. Like AddSystem's
// systems, AddTo leaves them out. It returns p.
func (p *Plugin) AddHooks(before, after func()) *Plugin {
	if before != nil {
		p.before = append(p.before, before)
	}
	if after != nil {
		p.after = append(p.after, after)
	}
	return p
}

// Update runs one tick and returns nil, so that an Ebiten game's Update can
// return p.Update().
func (p *Plugin) Update() error {
	p.Tick()
	return nil
}

// Ticks returns the number of ticks run.
func (p *Plugin) Ticks() uint64 { return p.ticks }

// AddTo adds the Steam systems and the game's systems to a donburi ECS that
// the game runs itself (e.Update), in tick order: packets in, callbacks,
// game, auth, scores, settings, packets out. Systems added with AddSystem are
// not included; use either Tick with AddSystem, or AddTo.
func (p *Plugin) AddTo(e *decs.ECS, game ...decs.System) {
	for _, s := range p.sys.All(game...) {
		e.AddSystem(s)
	}
}

// ECS returns the donburi ECS over the plugin's world that Tick passes to the
// game's systems.
func (p *Plugin) ECS() *decs.ECS { return p.ecs }

// World returns the plugin's world.
func (p *Plugin) World() donburi.World { return p.sys.World() }

// Server returns the game server.
func (p *Plugin) Server() *steamgs.Server { return p.sys.Server() }

// Events returns the Steam events of the world, to subscribe to.
func (p *Plugin) Events() *systems.Events { return p.sys.Events() }

// Settings returns the server's settings component; change it through its
// setters and the next tick pushes what changed.
func (p *Plugin) Settings() *components.SettingsData { return p.sys.Settings() }

// Status returns the server's status component.
func (p *Plugin) Status() *components.StatusData { return p.sys.Status() }

// CheckJoin reports whether a player with Steam ID id may join now: call it
// before Join (or before creating the player's entity), before any ticket
// is checked. It fails with an error matching steamgs.ErrInvalidSteamID,
// systems.ErrAlreadyJoined, systems.ErrServerFull (the approved players and
// bots fill the settings' max players) or systems.ErrPendingFull (as many
// players as Options.MaxPending wait for Steam's verdict). A player waiting
// for the verdict takes no player slot, and leaves the pending table when
// Steam answers, when it waits longer than Options.PendingTimeout, or when
// the game removes it (its session ends either way); a game shows it
// nothing until it is approved. One that Steam approves after the slots
// filled meanwhile is denied (components.FromServerFull). StatusData's
// Players and Pending count both.
func (p *Plugin) CheckJoin(id steamgs.SteamID) error { return p.sys.CheckJoin(id) }

// Join creates the entity of a player who connected with a Steam auth ticket
// and returns it. The next tick begins its auth session; Steam's verdict
// arrives on a later tick (the PlayerAuth event, and the component's Auth).
// Join itself checks nothing: see CheckJoin.
func (p *Plugin) Join(id steamgs.SteamID, name string, ticket []byte) donburi.Entity {
	return p.sys.Join(id, name, ticket, p.now())
}

// AddBot creates the entity of a bot and returns it; the next tick registers
// it with Steam and approves it.
func (p *Plugin) AddBot(name string) donburi.Entity { return p.sys.AddBot(name, p.now()) }

// Remove removes a player's entity; the next tick ends its auth session. It
// reports whether e was a valid entity.
func (p *Plugin) Remove(e donburi.Entity) bool { return p.sys.Remove(e) }

// Player returns the player component of e, or nil when e is gone or no
// player.
func (p *Plugin) Player(e donburi.Entity) *components.PlayerData { return p.sys.Player(e) }

// Track takes on an entity that received its Player component after it was
// created (an entity created with the component is seen by itself): the
// next tick begins its auth session. It reports whether e is a valid entity
// with a Player component.
func (p *Plugin) Track(e donburi.Entity) bool { return p.sys.Track(e) }

// Players returns the query of the world's player entities, built once for
// this world: iterate it rather than components.Player's Each, which shares
// one query across worlds.
func (p *Plugin) Players() *donburi.Query { return p.sys.Players() }

// PlayerBySteamID returns the entity of the player id that has an auth
// session (or is a registered bot).
func (p *Plugin) PlayerBySteamID(id steamgs.SteamID) (donburi.Entity, bool) {
	return p.sys.PlayerBySteamID(id)
}

// HasSession reports whether the player id has an auth session.
func (p *Plugin) HasSession(id steamgs.SteamID) bool { return p.sys.HasSession(id) }

// Sessions returns the number of players with an auth session, bots
// included.
func (p *Plugin) Sessions() int { return p.sys.Sessions() }

// Roster returns the world's roster of players whose name or score changed
// since the last tick.
func (p *Plugin) Roster() *components.Roster { return p.sys.Roster() }

// SettingsEntity returns the entity that holds the settings component.
func (p *Plugin) SettingsEntity() donburi.Entity { return p.sys.SettingsEntity() }

// StatusEntity returns the entity that holds the status component.
func (p *Plugin) StatusEntity() donburi.Entity { return p.sys.StatusEntity() }

// RemovePlayers removes every player's entity and ends their auth sessions
// now, without waiting for a tick, and returns how many it removed: for a
// server that is shutting down (then LogOff, SendPackets and Shutdown).
func (p *Plugin) RemovePlayers() int {
	w := p.World()
	var gone []donburi.Entity
	for e := range p.sys.Players().Iter(w) {
		gone = append(gone, e.Entity())
	}
	for _, e := range gone {
		w.Remove(e)
	}
	p.sys.Authenticate(p.ecs)
	return len(gone)
}

// HandlePacket answers one of Steam's datagrams as it arrives, in
// GameSocketShare mode: the game's socket goroutine calls it for each
// datagram that starts FF FF FF FF (steamgs.IsSteamPacket) before it reads
// the next. Under the Steam lock it hands pkt to HandleIncomingPacket, then
// takes each datagram Steam has to send and sends it with Options.Send
// after releasing the lock, before returning. It reports whether Steam took
// pkt and allocates nothing once warm. See systems.Systems.HandlePacket;
// on the real Steam the calling goroutine stays on one OS thread
// (runtime.LockOSThread) and calls ReleaseThreadMemory before it ends.
func (p *Plugin) HandlePacket(pkt []byte, from netip.AddrPort) bool {
	return p.sys.HandlePacket(pkt, from)
}

// LockSteam takes the Steam lock: a game whose socket goroutine calls
// HandlePacket makes its own calls of the Server (those the systems do not
// make for it) between LockSteam and UnlockSteam, and holds the lock for
// the calls only. It is not reentrant: Tick, HandlePacket, SendPackets,
// RemovePlayers and ReleaseThreadMemory take it themselves.
func (p *Plugin) LockSteam() { p.sys.LockSteam() }

// UnlockSteam releases the Steam lock.
func (p *Plugin) UnlockSteam() { p.sys.UnlockSteam() }

// ReleaseThreadMemory calls the Server's ReleaseThreadMemory under the
// Steam lock, for the calling goroutine's OS thread: a socket goroutine that
// calls HandlePacket calls it before it ends.
func (p *Plugin) ReleaseThreadMemory() { p.sys.ReleaseThreadMemory() }

// SendPackets runs the packets-out system now: it sends every datagram Steam
// has queued through Options.Send, such as the last ones after a LogOff. It
// does nothing without Options.Send.
func (p *Plugin) SendPackets() { p.sys.SendPackets(p.ecs) }
