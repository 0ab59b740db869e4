package systems

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/yohamta/donburi"
	decs "github.com/yohamta/donburi/ecs"
	"github.com/yohamta/donburi/filter"
)

// Errors of New.
var (
	// ErrNoServer: New was given no server.
	ErrNoServer = errors.New("systems: no server")
	// ErrInstalled: the world already has the Steam systems.
	ErrInstalled = errors.New("systems: already installed in this world")
)

// RejectPolicy says what happens to a player that Steam denies or kicks.
type RejectPolicy uint8

// Reject policies.
const (
	// RemoveRejected removes the entity of a denied or kicked player once the
	// PlayerAuth event's subscribers have run. The default.
	RemoveRejected RejectPolicy = iota
	// KeepRejected keeps the entity, marked AuthDenied or AuthKicked with its
	// Reason; the game removes it when it is done with it (its auth session
	// has already ended).
	KeepRejected
)

// SendFunc sends one datagram from the game socket; pkt is valid only during
// the call. It is the game's: typically a net.UDPConn's WriteToUDPAddrPort.
type SendFunc func(pkt []byte, to netip.AddrPort)

// Config is what New takes.
type Config struct {
	// Server is the game server the systems call. Required. It need not be
	// initialized yet: calls made before Init fail and are reported.
	Server *steamgs.Server
	// Inbox, when not nil, is drained each tick into HandleIncomingPacket:
	// the game's socket goroutine offers it the datagrams that start FF FF
	// FF FF (steamgs.IsSteamPacket). A game that answers them as they
	// arrive, with HandlePacket, needs none.
	Inbox *Inbox
	// Send, when not nil, receives what GetNextOutgoingPacket returns: the
	// replies to HandlePacket's datagrams at once, and, each tick until it
	// returns nothing, what Steam sends by itself. Without it the
	// packets-out system does nothing: use it in GameSocketShare mode
	// (query port QueryPortShared). Send is called from the goroutines that
	// call the systems and HandlePacket, without the Steam lock; it must be
	// safe for concurrent use, as a net.UDPConn's writes are.
	Send SendFunc
	// Rejected is what happens to denied and kicked players.
	Rejected RejectPolicy
	// LogOnRetry is how a refused log-on is retried.
	LogOnRetry LogOnRetry
	// Now is the clock of log-on retries and of the pending table; nil
	// means time.Now.
	Now func() time.Time
	// MaxPending bounds the players waiting for Steam's verdict on their
	// tickets (see CheckJoin): DefaultMaxPending when 0, no bound when < 0.
	MaxPending int
	// PendingTimeout is how long a player may wait for Steam's verdict:
	// one that waited longer is denied (DenySteamResponseTimedOut) and its
	// session ends. DefaultPendingTimeout when 0, for ever when < 0.
	PendingTimeout time.Duration
}

// maxOutgoingPerTick bounds the packets-out loop of one tick, and
// maxOutgoingPerPacket HandlePacket's for one datagram (a split A2S reply
// has at most 255 fragments).
const (
	maxOutgoingPerTick   = 4096
	maxOutgoingPerPacket = 512
)

// Systems are the Steam systems of one donburi world and what they share: the
// settings and status entities, the roster of changed players, the players
// with an auth session, and the world's events. Create them with New; run the
// systems once per tick in this order, with the game's own systems between
// RunCallbacks and Authenticate:
//
//	ReadPackets, RunCallbacks, [the game's systems], Authenticate, SyncScores, PushSettings, SendPackets
//
// Each is a donburi ecs.System (its argument is not used and may be nil).
// Package ecs does the ordering. A Systems value, like its world, belongs to
// one goroutine, but for HandlePacket, which a socket goroutine calls, and
// LockSteam, UnlockSteam and ReleaseThreadMemory: every Steam call of the
// systems holds the Steam lock (LockSteam) for the call, so that the two
// goroutines never call the Server at once.
//
// A quiet tick, in which nothing changed and Steam has nothing to say, costs
// the same whatever the number of players, allocates nothing, and makes no
// Steam call but three cheap polls: RunCallbacks, WasRestartRequested, and
// GetNextOutgoingPacket when Send is set.
type Systems struct {
	w   donburi.World
	srv *steamgs.Server
	cfg Config
	ev  *Events

	settingsE, statusE donburi.Entity
	players            *donburi.Query
	roster             *components.Roster

	// added lists entities created with a Player component, for
	// Authenticate.
	added []donburi.Entity
	// sessions maps the Steam ID of each player with an auth session (begun
	// with BeginAuthSession, or a bot's connection) to its entity.
	sessions map[steamgs.SteamID]donburi.Entity
	// ends lists the Steam IDs whose sessions Authenticate ends.
	ends []steamgs.SteamID
	// removals lists rejected players to remove at the end of the system.
	removals []donburi.Entity
	// pending lists the players whose sessions began and whose verdict has
	// not come, oldest first; slots holds the players and bots the systems
	// approved, which take a player slot until they leave or are kicked.
	pending []pendingPlayer
	slots   map[donburi.Entity]struct{}
	// inits is the server's Inits at the last tick (see restarted).
	inits uint64
	// advertised is the advertising last pushed (see PushSettings);
	// loggedOn mirrors StatusData.LoggedOn, which the tick reads without
	// looking the status entity up.
	advertised, loggedOn bool

	// steamMu is the Steam lock: held for each Steam call of the systems
	// and of HandlePacket.
	steamMu sync.Mutex
	// outBuf is the tick's buffer for GetNextOutgoingPacket; bufs holds
	// HandlePacket's (*[]byte).
	outBuf []byte
	bufs   sync.Pool

	// Method values made once, so that ticks do not allocate them.
	emitFn   func(steamgs.Callback)
	syncFn   func(*components.PlayerData)
	handleFn func([]byte, netip.AddrPort)
}

// New installs the Steam systems in w: it creates the settings and status
// entities, the event types and their buses, and hooks entity creation and
// removal so that players are seen when they arrive and their auth sessions
// end when they leave. Players already in w are taken on at the first tick.
// One Systems per world: a second New on the same world fails with
// ErrInstalled. Like donburi.NewWorld, New must not run concurrently with the
// creation of other worlds or component types.
func New(w donburi.World, cfg Config) (*Systems, error) {
	if cfg.Server == nil {
		return nil, fmt.Errorf("%w: Config.Server is nil", ErrNoServer)
	}
	statusQ := donburi.NewQuery(filter.Contains(components.Status))
	if n := statusQ.Count(w); n > 0 {
		return nil, fmt.Errorf("%w: the world has %d status entities", ErrInstalled, n)
	}
	s := &Systems{
		w:        w,
		srv:      cfg.Server,
		cfg:      cfg,
		players:  donburi.NewQuery(filter.Contains(components.Player)),
		roster:   components.NewRoster(),
		sessions: make(map[steamgs.SteamID]donburi.Entity),
		slots:    make(map[donburi.Entity]struct{}),
		added:    make([]donburi.Entity, 0, 16),
		ends:     make([]steamgs.SteamID, 0, 16),
		removals: make([]donburi.Entity, 0, 16),
	}
	if cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	s.inits = cfg.Server.Inits()
	if cfg.Send != nil {
		s.outBuf = make([]byte, steamgs.MinOutgoingPacketBuffer)
	}
	s.bufs.New = func() any { b := make([]byte, steamgs.MinOutgoingPacketBuffer); return &b }
	s.emitFn = s.onCallback
	s.syncFn = s.syncPlayer
	s.handleFn = s.handlePacket
	s.settingsE = w.Create(components.Settings)
	s.statusE = w.Create(components.Status)
	s.ev = newEvents(w)
	s.players.Each(w, func(e *donburi.Entry) { s.added = append(s.added, e.Entity()) })
	w.OnCreate(s.onCreate)
	w.OnRemove(s.onRemove)
	return s, nil
}

// World returns the world of the systems.
func (s *Systems) World() donburi.World { return s.w }

// Server returns the server the systems call.
func (s *Systems) Server() *steamgs.Server { return s.srv }

// Events returns the world's Steam events.
func (s *Systems) Events() *Events { return s.ev }

// Settings returns the server's settings component. Should the game remove
// its entity, a new one with empty settings takes its place.
func (s *Systems) Settings() *components.SettingsData {
	if !s.w.Valid(s.settingsE) {
		s.settingsE = s.w.Create(components.Settings)
	}
	return components.Settings.Get(s.w.Entry(s.settingsE))
}

// Status returns the server's status component. Should the game remove its
// entity, a new one takes its place, with the player counts and the
// advertising the systems know.
func (s *Systems) Status() *components.StatusData {
	if !s.w.Valid(s.statusE) {
		s.statusE = s.w.Create(components.Status)
		st := components.Status.Get(s.w.Entry(s.statusE))
		st.Players, st.Pending, st.Advertised = len(s.slots), len(s.pending), s.advertised
		return st
	}
	return components.Status.Get(s.w.Entry(s.statusE))
}

// SettingsEntity returns the entity that holds the settings component.
func (s *Systems) SettingsEntity() donburi.Entity { return s.settingsE }

// StatusEntity returns the entity that holds the status component.
func (s *Systems) StatusEntity() donburi.Entity { return s.statusE }

// Roster returns the world's roster of changed players.
func (s *Systems) Roster() *components.Roster { return s.roster }

// Players returns the query of the world's player entities (built once for
// this world).
func (s *Systems) Players() *donburi.Query { return s.players }

// Sessions returns the number of players with an auth session.
func (s *Systems) Sessions() int { return len(s.sessions) }

// HasSession reports whether the player id has an auth session.
func (s *Systems) HasSession(id steamgs.SteamID) bool {
	_, ok := s.sessions[id]
	return ok
}

// PlayerBySteamID returns the entity of the player id that has an auth
// session.
func (s *Systems) PlayerBySteamID(id steamgs.SteamID) (donburi.Entity, bool) {
	e, ok := s.sessions[id]
	return e, ok
}

// Join creates the entity of a player who connected with an auth ticket and
// returns it; Authenticate begins its session on the next tick.
func (s *Systems) Join(id steamgs.SteamID, name string, ticket []byte, now time.Time) donburi.Entity {
	return s.spawn(components.NewPlayer(id, name, ticket, now))
}

// AddBot creates the entity of a bot and returns it; Authenticate registers
// it on the next tick.
func (s *Systems) AddBot(name string, now time.Time) donburi.Entity {
	return s.spawn(components.NewBot(name, now))
}

func (s *Systems) spawn(p components.PlayerData) donburi.Entity {
	e := s.w.Create(components.Player)
	components.Player.SetValue(s.w.Entry(e), p)
	return e
}

// Track takes on an entity that received its Player component after it was
// created (World.Create with the component is seen by itself). It reports
// whether e is a valid entity with a Player component.
func (s *Systems) Track(e donburi.Entity) bool {
	if !s.w.Valid(e) || !s.w.Entry(e).HasComponent(components.Player) {
		return false
	}
	s.added = append(s.added, e)
	return true
}

// Remove removes a player's entity; its auth session ends at the next
// Authenticate (as for any removal of the entity). It reports whether e was
// valid.
func (s *Systems) Remove(e donburi.Entity) bool {
	if !s.w.Valid(e) {
		return false
	}
	s.w.Remove(e)
	return true
}

// onCreate notes new player entities for Authenticate.
func (s *Systems) onCreate(w donburi.World, e donburi.Entity) {
	if w.Entry(e).HasComponent(components.Player) {
		s.added = append(s.added, e)
	}
}

// onRemove ends the auth session of a player entity being removed.
func (s *Systems) onRemove(w donburi.World, e donburi.Entity) {
	entry := w.Entry(e)
	if !entry.HasComponent(components.Player) {
		return
	}
	p := components.Player.Get(entry)
	s.roster.Detach(p)
	s.unslot(e)
	s.unpend(e)
	s.endSession(e, p.SteamID())
}

// endSession queues the end of the session of id when e holds it.
func (s *Systems) endSession(e donburi.Entity, id steamgs.SteamID) {
	if held, ok := s.sessions[id]; ok && held == e {
		delete(s.sessions, id)
		s.ends = append(s.ends, id)
	}
}

// reject marks a player denied or kicked, ends its session, publishes the
// change and, under RemoveRejected, queues the entity's removal.
func (s *Systems) reject(e donburi.Entity, p *components.PlayerData, state components.AuthState, r components.Reason) {
	s.unslot(e)
	s.unpend(e)
	p.SetAuth(state, r)
	s.endSession(e, p.SteamID())
	publish(s.w, s.ev, s.ev.PlayerAuth, evPlayerAuth,
		PlayerAuthChanged{Entity: e, SteamID: p.SteamID(), State: state, Reason: r})
	if s.cfg.Rejected == RemoveRejected {
		s.removals = append(s.removals, e)
	}
}

// fail records the error of a Steam call in the status and publishes it.
func (s *Systems) fail(call string, id steamgs.SteamID, err error) {
	s.failed(CallFailed{Call: call, SteamID: id, Err: err})
}

// failSettings records the error of an ApplySettings of fields.
func (s *Systems) failSettings(fields components.Field, err error) {
	s.failed(CallFailed{Call: "ApplySettings", Fields: fields, Err: err})
}

// failRemote records the error of a Steam call that failed on a client's
// input: counted, published with Remote set, never the status's LastError.
func (s *Systems) failRemote(call string, id steamgs.SteamID, err error) {
	s.failed(CallFailed{Call: call, SteamID: id, Err: err, Remote: true})
}

// failInput records err of call for the player id: as the client's fault
// when err is about what the client sent (RemoteInput), else as the
// server's.
func (s *Systems) failInput(call string, id steamgs.SteamID, err error) {
	if RemoteInput(err) {
		s.failRemote(call, id, err)
	} else {
		s.fail(call, id, err)
	}
}

// RemoteInput reports whether err, returned by a Steam call for a player,
// is about what the player's client sent rather than about the server: an
// empty or oversized ticket or name, a NUL in a name, an invalid Steam ID.
func RemoteInput(err error) bool {
	return errors.Is(err, steamgs.ErrEmpty) || errors.Is(err, steamgs.ErrTooLong) ||
		errors.Is(err, steamgs.ErrTooLarge) || errors.Is(err, steamgs.ErrInvalidString) ||
		errors.Is(err, steamgs.ErrInvalidSteamID)
}

func (s *Systems) failed(ev CallFailed) {
	st := s.Status()
	if ev.Remote {
		st.RemoteErrors++
	} else {
		st.LastError = ev.Err
		st.Errors++
	}
	publish(s.w, s.ev, s.ev.Failed, evFailed, ev)
}

// finish processes the events published by a system, then removes the
// players it rejected.
func (s *Systems) finish() {
	s.ev.flush(s.w)
	if len(s.removals) == 0 {
		return
	}
	for _, e := range s.removals {
		if s.w.Valid(e) {
			s.w.Remove(e)
		}
	}
	s.removals = s.removals[:0]
}

// Player returns the player component of e, or nil when e is gone or has
// no player component.
func (s *Systems) Player(e donburi.Entity) *components.PlayerData {
	if !s.w.Valid(e) {
		return nil
	}
	entry := s.w.Entry(e)
	if !entry.HasComponent(components.Player) {
		return nil
	}
	return components.Player.Get(entry)
}

// All returns the systems in tick order, with game between RunCallbacks
// and Authenticate, as donburi ecs.Systems.
func (s *Systems) All(game ...decs.System) []decs.System {
	out := make([]decs.System, 0, 6+len(game))
	out = append(out, s.ReadPackets, s.RunCallbacks)
	out = append(out, game...)
	return append(out, s.Authenticate, s.SyncScores, s.PushSettings, s.SendPackets)
}
