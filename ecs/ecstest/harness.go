// Package ecstest is a tick harness for testing donburi games that use the
// Steam ECS integration: a world with the plugin of package ecs, an embedded
// Steam (a steamgs/local universe) on a manual clock, and a server that is
// initialized, configured and logged on, behind a [steamgstest.Recorder] that
// lists every call the systems make of the back end's Conn. A test steps the world one tick at a time, joins
// users with genuine tickets from the universe, injects Steam's faults
// through the universe, and asserts on components, events and calls. Nothing
// reads the wall clock, sleeps or opens a socket, so a test gives the same
// result on every run.
package ecstest

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
)

// Defaults of Options.
const (
	// DefaultTick is the time one Step advances the clock by: 1/60 s.
	DefaultTick = time.Second / 60
	// DefaultAppID is the app of the server and of the users' licences.
	DefaultAppID steamgs.AppID = 480
	// DefaultPassphrase seeds the universe's key, so that Steam IDs and
	// tickets are the same on every run.
	DefaultPassphrase = "steamgs ecstest"
	// maxLogOnTicks bounds the ticks New waits for log-on.
	maxLogOnTicks = 100
)

// DefaultStart returns the time the clock starts at when Options.Start is
// zero: 2026-01-01 00:00:00 UTC.
func DefaultStart() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// Options configure a harness. The zero value is a secure server
// (ModeAuthenticationAndSecure, so that VAC bans count) of app 480 in
// GameSocketShare mode, stepping 1/60 s per tick, with no latency, removing
// rejected players, recording calls, and logged on anonymously.
type Options struct {
	// Tick is how far Step advances the clock per tick; 0 means DefaultTick.
	Tick time.Duration
	// Start is the clock's starting time; zero means DefaultStart().
	Start time.Time
	// Mode is the server's auth mode; zero means
	// ModeAuthenticationAndSecure.
	Mode steamgs.ServerMode
	// AppID is the server's app; zero means DefaultAppID.
	AppID steamgs.AppID
	// Latency delays Steam's answers (see local.Options.Latency).
	Latency time.Duration
	// Passphrase seeds the universe's key; empty means DefaultPassphrase.
	Passphrase string
	// Rejected is what happens to denied and kicked players.
	Rejected systems.RejectPolicy
	// NoRecord opens the server on the universe directly, without a
	// recorder (Harness.Recorder is nil): for benchmarks.
	NoRecord bool
	// NoLogOn leaves the server configured but not logged on: for tests of
	// log-on itself.
	NoLogOn bool
	// NoLogOnRetry turns the plugin's log-on retries off.
	NoLogOnRetry bool
	// Configure, when not nil, changes the settings before the harness logs
	// on (which it does after Configure returns, unless NoLogOn).
	Configure func(*components.SettingsData)
	// Logger is the plugin's logger (ecs.Options.Logger); nil logs nothing.
	Logger *slog.Logger
}

// Datagram is one packet the systems sent through the harness's socket hook.
type Datagram struct {
	Data []byte
	To   netip.AddrPort
}

// Harness is a world with the Steam systems over an embedded Steam, stepped
// by hand. Make it with New (or Start in a test) and Close it at the end.
type Harness struct {
	// World is the donburi world.
	World donburi.World
	// Plugin is the installed Steam plugin of World.
	Plugin *ecs.Plugin
	// Universe is the embedded Steam: add users, groups and tokens, and
	// inject faults (DropConnection, RefuseLogOn, RequestRestart, BanUser).
	Universe *local.Universe
	// Clock is the universe's clock; Step advances it.
	Clock *local.ManualClock
	// Server is the game server.
	Server *steamgs.Server
	// Recorder lists the calls the server makes of the universe's Conn: a
	// settings push shows as Apply(<fields>), a log-on as LogOn(""), the
	// polls of a tick as RunCallbacks, Status and GetNextOutgoingPacket.
	// Its Conn is the *local.Server. Nil with Options.NoRecord.
	Recorder *steamgstest.Recorder
	// Inbox is where Offer queues datagrams for the packets-in system.
	Inbox *systems.Inbox

	tick  time.Duration
	app   steamgs.AppID
	sent  []Datagram
	steps uint64
}

// New makes a harness: a universe on a manual clock, a server initialized in
// GameSocketShare mode, a world with the plugin, the settings a server needs
// (product, description, mod dir, name, max players, advertising) and,
// unless Options.NoLogOn, an anonymous log-on, stepped until the server is
// logged on. The recorder is reset afterwards, so a test sees only its own
// calls.
func New(opts Options) (*Harness, error) {
	h := &Harness{tick: opts.Tick, app: opts.AppID}
	if h.tick <= 0 {
		h.tick = DefaultTick
	}
	if h.app == 0 {
		h.app = DefaultAppID
	}
	start := opts.Start
	if start.IsZero() {
		start = DefaultStart()
	}
	pass := opts.Passphrase
	if pass == "" {
		pass = DefaultPassphrase
	}
	mode := opts.Mode
	if mode == steamgs.ModeInvalid {
		mode = steamgs.ModeAuthenticationAndSecure
	}
	h.Clock = local.NewManualClock(start)
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(pass), Clock: h.Clock, Latency: opts.Latency})
	if err != nil {
		return nil, fmt.Errorf("ecstest: universe: %w", err)
	}
	h.Universe = u
	var b steamgs.Backend = u
	if !opts.NoRecord {
		h.Recorder = steamgstest.NewRecorder(u)
		b = h.Recorder
	}
	h.Server = steamgs.NewServer(b)
	err = h.Server.Init(steamgs.Config{IP: netip.AddrFrom4([4]byte{127, 0, 0, 1}), GamePort: 27015,
		QueryPort: steamgs.QueryPortShared, Mode: mode, Version: "1.0.0.0", AppID: h.app})
	if err != nil {
		return nil, fmt.Errorf("ecstest: server: %w", err)
	}
	h.World = donburi.NewWorld()
	h.Inbox = systems.NewInbox(systems.InboxConfig{})
	h.Plugin, err = ecs.Install(h.World, h.Server, ecs.Options{
		Inbox: h.Inbox, Send: h.send, Rejected: opts.Rejected, Now: h.Clock.Now, Logger: opts.Logger,
		LogOnRetry: systems.LogOnRetry{Disabled: opts.NoLogOnRetry},
	})
	if err != nil {
		_ = h.Server.Shutdown()
		return nil, err
	}
	set := h.Plugin.Settings()
	set.SetProduct(strconv.FormatUint(uint64(h.app), 10))
	set.SetGameDescription("ecstest")
	set.SetModDir("ecstest")
	set.SetServerName("ecstest")
	set.SetMapName("test")
	set.SetMaxPlayerCount(64)
	set.SetAdvertiseServerActive(true)
	if opts.Configure != nil {
		opts.Configure(set)
	}
	if !opts.NoLogOn {
		set.LogOnAnonymous()
		for i := 0; !h.Status().LoggedOn; i++ {
			if i == maxLogOnTicks {
				_ = h.Close()
				st := h.Status()
				return nil, fmt.Errorf("ecstest: not logged on after %d ticks: state %s, last failure %s, last error %v",
					maxLogOnTicks, st.State, st.LastFailure, st.LastError)
			}
			h.Step(1)
		}
	}
	if h.Recorder != nil {
		h.Recorder.Reset()
	}
	return h, nil
}

// Start is New for a test: it fails tb on an error and closes the harness
// when the test ends.
func Start(tb testing.TB, opts Options) *Harness {
	tb.Helper()
	h, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := h.Close(); err != nil && !errors.Is(err, steamgs.ErrNotInitialized) {
			tb.Error(err)
		}
	})
	return h
}

// Close shuts the server down.
func (h *Harness) Close() error { return h.Server.Shutdown() }

// Step runs n ticks, advancing the clock by the tick duration before each.
func (h *Harness) Step(n int) {
	for range n {
		h.Clock.Advance(h.tick)
		h.Plugin.Tick()
		h.steps++
	}
}

// Steps returns the number of ticks run.
func (h *Harness) Steps() uint64 { return h.steps }

// AppID returns the server's app.
func (h *Harness) AppID() steamgs.AppID { return h.app }

// Status returns the server's status component.
func (h *Harness) Status() *components.StatusData { return h.Plugin.Status() }

// Settings returns the server's settings component.
func (h *Harness) Settings() *components.SettingsData { return h.Plugin.Settings() }

// Player returns the player component of e, or nil when e is gone.
func (h *Harness) Player(e donburi.Entity) *components.PlayerData { return h.Plugin.Player(e) }

// Valid reports whether e is still in the world.
func (h *Harness) Valid(e donburi.Entity) bool { return h.World.Valid(e) }

// AddUser adds a user who owns the server's app and returns its Steam ID.
func (h *Harness) AddUser(name string) steamgs.SteamID {
	return h.Universe.AddUser(local.User{Name: name, Apps: []steamgs.AppID{h.app}})
}

// Ticket returns a genuine auth ticket of user for the server's app, made
// for any server.
func (h *Harness) Ticket(user steamgs.SteamID) ([]byte, error) {
	_, t, err := h.Universe.GetAuthSessionTicket(user, h.app, steamgs.Identity{})
	return t, err
}

// Join adds a user named name who owns the server's app, makes its ticket
// and joins it: the player's entity is created now, its auth session begins
// on the next Step and, with no latency, it is approved on the one after.
func (h *Harness) Join(name string) (donburi.Entity, steamgs.SteamID) {
	return h.JoinUser(local.User{Name: name, Apps: []steamgs.AppID{h.app}})
}

// JoinUser is Join for an account described in full: one without the app's
// licence, one banned.
func (h *Harness) JoinUser(u local.User) (donburi.Entity, steamgs.SteamID) {
	id := h.Universe.AddUser(u)
	t, err := h.Ticket(id)
	if err != nil {
		// The universe refuses tickets only for unknown users, and the user
		// was just added: join without one, which the auth system denies.
		t = nil
	}
	return h.Plugin.Join(id, u.Name, t), id
}

// JoinTicket joins the user id with the given ticket bytes, genuine or not.
func (h *Harness) JoinTicket(id steamgs.SteamID, name string, ticket []byte) donburi.Entity {
	return h.Plugin.Join(id, name, ticket)
}

// AddBot adds a bot; it is registered and approved on the next Step.
func (h *Harness) AddBot(name string) donburi.Entity { return h.Plugin.AddBot(name) }

// Remove removes a player's entity; its auth session ends on the next Step.
func (h *Harness) Remove(e donburi.Entity) bool { return h.Plugin.Remove(e) }

// Offer queues a datagram from from for the packets-in system, as the game's
// socket goroutine does, and reports whether it was taken: it starts FF FF
// FF FF (steamgs.IsSteamPacket) and the inbox took it.
func (h *Harness) Offer(pkt []byte, from netip.AddrPort) bool {
	return steamgs.IsSteamPacket(pkt) && h.Inbox.Offer(pkt, from)
}

func (h *Harness) send(pkt []byte, to netip.AddrPort) {
	h.sent = append(h.sent, Datagram{Data: append([]byte(nil), pkt...), To: to})
}

// Sent returns the datagrams the packets-out system sent since the last call
// and forgets them.
func (h *Harness) Sent() []Datagram {
	s := h.sent
	h.sent = nil
	return s
}
