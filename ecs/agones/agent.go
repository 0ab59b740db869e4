package agones

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
)

// DefaultList is the name of the players list in the GameServer's spec
// (spec.lists.players) when Options.List is empty.
const DefaultList = "players"

// DefaultShutdownAttempts is how many times the Agent tries Shutdown before
// it gives up on the sidecar, when Options.ShutdownAttempts is zero.
const DefaultShutdownAttempts = 8

// ErrClosed is the error Agent.Result reports when the Agent was closed
// before its Shutdown call was made.
var ErrClosed = errors.New("agones: agent closed")

// EmptyPolicy says what an allocated server does when its last player
// leaves.
type EmptyPolicy uint8

// Empty policies.
const (
	// ShutdownWhenEmpty shuts the server down (Stop with ReasonEmpty): the
	// default, and Agones' usual session-per-server model.
	ShutdownWhenEmpty EmptyPolicy = iota
	// ReadyWhenEmpty calls Ready again, so that the server may be allocated
	// to another match.
	ReadyWhenEmpty
)

// Reason is why the server shuts down.
type Reason uint8

// Reasons of a shutdown.
const (
	// ReasonNone: no shutdown (the Agent was closed first).
	ReasonNone Reason = iota
	// ReasonEmpty: the last player left an allocated server.
	ReasonEmpty
	// ReasonRestart: Steam asked the server to restart (it is out of date).
	ReasonRestart
	// ReasonSignal: the process was told to stop (SIGTERM).
	ReasonSignal
	// ReasonGiveUp: the server gave up logging on to Steam for good.
	ReasonGiveUp
	// ReasonGame: the game asked.
	ReasonGame
)

var reasonNames = [...]string{"None", "Empty", "Restart", "Signal", "GiveUp", "Game"}

// String returns the reason's name, such as "Restart".
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// Options configure Attach. The zero value finds the sidecar through
// AGONES_SDK_HTTP_PORT, keeps the "players" list and its capacity true
// (people only, not bots), allocates the server when a player joins it
// directly, shuts it down when an allocated server empties or Steam asks
// for a restart, sets the steam-id, map and version labels, and logs
// nothing.
type Options struct {
	// LookupEnv finds AGONES_SDK_HTTP_PORT; nil means os.LookupEnv.
	LookupEnv LookupEnv
	// Client configures the client: back-off (the Agent's goroutines use
	// its Initial and Max and retry for as long as they run), timeout and
	// the clock of every wait, the health pinger's included.
	Client ClientOptions
	// Logger, when not nil, receives what the Agent's goroutines do and
	// the failures they retry.
	Logger *slog.Logger
	// List is the players list of the Counters and Lists API; empty means
	// DefaultList. A Fleet without it is logged once and run without.
	List string
	// NoList leaves the players list alone.
	NoList bool
	// PlayerTracking also reports players to alpha player tracking (the
	// PlayerTracking feature gate); with the gate off it is logged once
	// and dropped.
	PlayerTracking bool
	// Bots counts bots as players.
	Bots bool
	// NoSelfAllocate keeps the server Ready when players join it directly
	// instead of marking it Allocated.
	NoSelfAllocate bool
	// WhenEmpty is what an allocated server does when its last player
	// leaves.
	WhenEmpty EmptyPolicy
	// KeepOnRestart keeps the server up when Steam asks for a restart
	// (components.StatusData.RestartRequested); by default the Agent
	// stops it with ReasonRestart.
	KeepOnRestart bool
	// NoLabels sets no labels of its own (Labels are still set).
	NoLabels bool
	// Labels are more labels to set, key to value; keys must pass
	// CheckLabelKey, values are sanitised.
	Labels map[string]string
	// ShutdownAttempts bounds the attempts of the Shutdown call; 0 means
	// DefaultShutdownAttempts.
	ShutdownAttempts int
}

// intent is what the tick wants of the sidecar: a value the tick replaces,
// never changes, so that the worker reads it without a lock.
type intent struct {
	loggedOn bool
	steamID  steamgs.SteamID
	capacity int64
	mapName  string
	version  string
	players  []string // sorted decimal Steam IDs
	stop     *stopRequest
}

type stopRequest struct {
	reason Reason
	err    error
}

// Agent runs a steamgs game server under Agones: attached to a plugin's
// tick, it tells the sidecar the server's life cycle, pings its health,
// keeps the players list true and publishes what the cluster does as donburi
// events. Make it with Attach and Close it when done. Its network work runs
// on its own goroutines; the tick only reads the plugin's state, bumps a
// counter and, when something changed, hands over a new snapshot.
//
// Life cycle: Ready once Steam has logged the server on; while Steam is
// disconnected and the server has no players, Reserve with 0 seconds (out of
// allocation until changed), and Ready again when Steam logs it back on;
// Allocate when the first player joins a server that the cluster did not
// allocate; when the last player leaves an allocated server, Shutdown (or
// Ready, with ReadyWhenEmpty). Stop (or GiveUp, or a Steam restart request)
// removes every player, ending their auth sessions, then calls Shutdown;
// Done is closed once it is made, and the process must then exit by itself.
//
// Not under Agones (AGONES_SDK_HTTP_PORT unset) the Agent does nothing:
// Enabled is false, no goroutine runs, and Stop closes Done at once.
type Agent struct {
	p       *ecs.Plugin
	opts    Options
	list    string
	log     *slog.Logger
	ev      *Events
	enabled bool
	client  *Client
	clock   Clock
	backoff Backoff

	// The tick's own state.
	desired     map[steamgs.SteamID]donburi.Entity
	dirty       bool
	cur         intent
	setVersion  uint64
	restartSeen bool
	stopping    bool

	// Shared with the goroutines.
	closed    atomic.Bool
	alive     atomic.Uint64
	want      atomic.Pointer[intent]
	notify    chan struct{}
	stopReq   atomic.Pointer[stopRequest]
	mail      mailbox
	gs        atomic.Pointer[GameServer]
	period    atomic.Int64 // health period in ns
	healthOff atomic.Bool
	selfAlloc atomic.Bool
	resync    atomic.Bool
	watched   chan struct{}

	cancel context.CancelFunc
	wg     sync.WaitGroup

	doneOnce sync.Once
	done     chan struct{}
	reason   Reason
	err      error
}

// Attach attaches an Agent to p, for a game that runs p.Tick (or
// p.Update): call it once, on the tick's goroutine, after Install. Under
// Agones it starts the Agent's goroutines; the Agent's work in the tick runs
// after the tick's last system (ecs.Plugin.AddHooks). Not under Agones it
// returns a disabled Agent. A bad AGONES_SDK_HTTP_PORT or label key is an
// error.
func Attach(p *ecs.Plugin, opts Options) (*Agent, error) {
	if p == nil {
		return nil, errors.New("agones: Attach: the plugin is nil")
	}
	for k := range opts.Labels {
		if err := CheckLabelKey(k); err != nil {
			return nil, fmt.Errorf("agones: Attach: Options.Labels: %w", err)
		}
	}
	a := &Agent{
		p:       p,
		opts:    opts,
		list:    opts.List,
		log:     opts.Logger,
		done:    make(chan struct{}),
		notify:  make(chan struct{}, 1),
		watched: make(chan struct{}, 1),
		desired: make(map[steamgs.SteamID]donburi.Entity),
	}
	a.mail.notify = make(chan struct{}, 1)
	if a.list == "" {
		a.list = DefaultList
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	client, ok, err := ClientFromEnv(opts.LookupEnv, opts.Client)
	if err != nil {
		return nil, fmt.Errorf("agones: Attach: %w", err)
	}
	w := p.World()
	a.ev = newEvents(w)
	if !ok {
		return a, nil
	}
	a.enabled, a.client = true, client
	a.clock, a.backoff = client.clock, client.backoff
	a.period.Store(int64(DefaultHealthPeriod))
	if opts.ShutdownAttempts <= 0 {
		a.opts.ShutdownAttempts = DefaultShutdownAttempts
	}
	for e := range p.Players().Iter(w) {
		pl := components.Player.Get(e)
		if pl.Active() && (opts.Bots || !pl.Bot()) {
			a.desired[pl.SteamID()] = e.Entity()
		}
	}
	a.dirty = true
	p.Events().PlayerAuth.Subscribe(w, a.onAuth)
	w.OnRemove(a.onRemove)
	p.AddHooks(nil, a.tick)
	a.tick() // the first snapshot, so that the worker starts from the truth

	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	wk := newWorker(a)
	a.wg.Add(3)
	go func() { defer a.wg.Done(); wk.run(ctx) }()
	go func() { defer a.wg.Done(); a.watch(ctx) }()
	go func() { defer a.wg.Done(); a.ping(ctx) }()
	a.log.Info("agones: attached", "sidecar", client.URL())
	return a, nil
}

// Enabled reports whether the server is under Agones.
func (a *Agent) Enabled() bool { return a.enabled }

// Events returns the Agent's donburi events.
func (a *Agent) Events() *Events { return a.ev }

// Client returns the Agent's client of the sidecar, for calls the Agent
// does not make (annotations, counters), or nil when not under Agones.
func (a *Agent) Client() *Client { return a.client }

// GameServer returns the GameServer as the Agent last saw it (on the watch
// stream or fetched), nil before it saw one. It is shared: do not change it.
// Safe from any goroutine.
func (a *Agent) GameServer() *GameServer { return a.gs.Load() }

// Stop asks the Agent to shut the server down for reason, err saying why
// when it is a failure: the next tick removes every player (ending their
// auth sessions), publishes ShuttingDown and hands the Shutdown call to the
// Agent's goroutine; Done is closed once it is made (or has failed
// Options.ShutdownAttempts times). Only the first request counts. Safe from
// any goroutine, such as a signal handler's. Not under Agones, Done is
// closed at once.
func (a *Agent) Stop(reason Reason, err error) {
	r := &stopRequest{reason: reason, err: err}
	if !a.stopReq.CompareAndSwap(nil, r) {
		return
	}
	if !a.enabled {
		a.finish(reason, err)
	}
}

// GiveUp is Stop with ReasonGiveUp, for a server that has given up logging
// on to Steam for good: the process should exit non-zero once Done is
// closed.
func (a *Agent) GiveUp(err error) { a.Stop(ReasonGiveUp, err) }

// Done is closed once the server's Shutdown call was made (or failed for
// good, or the Agent was closed first, or at once not under Agones after a
// Stop): the process should then exit.
func (a *Agent) Done() <-chan struct{} { return a.done }

// Result reports why the Agent is done: the reason of the Stop and an error
// when the server failed (the error of GiveUp or Stop, the Shutdown call's
// last error, ErrClosed). Valid once Done is closed.
func (a *Agent) Result() (Reason, error) {
	select {
	case <-a.done:
		return a.reason, a.err
	default:
		return ReasonNone, nil
	}
}

func (a *Agent) finish(reason Reason, err error) {
	a.doneOnce.Do(func() {
		a.reason, a.err = reason, err
		close(a.done)
	})
}

// Close stops the Agent's goroutines and waits for them; it does not shut
// the server down (see Stop). After Close the tick does nothing of the
// Agent's. Close is idempotent.
func (a *Agent) Close() error {
	if !a.closed.CompareAndSwap(false, true) {
		return nil
	}
	if a.cancel != nil {
		a.cancel()
		a.wg.Wait()
		_ = a.client.Close()
	}
	a.finish(ReasonNone, ErrClosed)
	return nil
}

// onAuth follows the auth verdicts: an approved player is in, a denied or
// kicked one out.
func (a *Agent) onAuth(_ donburi.World, ev systems.PlayerAuthChanged) {
	if a.closed.Load() {
		return
	}
	switch ev.State {
	case components.AuthApproved:
		if pl := a.p.Player(ev.Entity); pl == nil || !a.opts.Bots && pl.Bot() {
			return
		}
		if e, ok := a.desired[ev.SteamID]; !ok || e != ev.Entity {
			a.desired[ev.SteamID] = ev.Entity
			a.dirty = true
		}
	case components.AuthDenied, components.AuthKicked:
		a.forget(ev.SteamID, ev.Entity)
	}
}

// onRemove follows players leaving: their entity is removed.
func (a *Agent) onRemove(w donburi.World, e donburi.Entity) {
	if a.closed.Load() {
		return
	}
	entry := w.Entry(e)
	if !entry.HasComponent(components.Player) {
		return
	}
	a.forget(components.Player.Get(entry).SteamID(), e)
}

func (a *Agent) forget(id steamgs.SteamID, e donburi.Entity) {
	if held, ok := a.desired[id]; ok && held == e {
		delete(a.desired, id)
		a.dirty = true
	}
}

// tick is the Agent's work in the tick: mark the tick alive, act on a
// restart request or a Stop, hand over a new snapshot when something
// changed, and publish the events the goroutines left. A quiet tick makes
// no call, takes no lock and allocates nothing.
func (a *Agent) tick() {
	if a.closed.Load() {
		return
	}
	a.alive.Add(1)
	st := a.p.Status()
	if st.RestartRequested && !a.restartSeen {
		a.restartSeen = true
		if !a.opts.KeepOnRestart {
			a.Stop(ReasonRestart, nil)
		}
	}
	if r := a.stopReq.Load(); r != nil && !a.stopping {
		a.stopping = true
		a.cur.stop = r
		a.p.RemovePlayers()
		a.dirty = true
		a.ev.ShuttingDown.Publish(a.p.World(), ShuttingDown{Reason: r.reason, Err: r.err})
		a.ev.ShuttingDown.ProcessEvents(a.p.World())
	}
	set := a.p.Settings()
	if a.dirty || st.LoggedOn != a.cur.loggedOn || st.SteamID != a.cur.steamID || set.Version() != a.setVersion {
		a.handOver(st, set)
	}
	if a.mail.pending.Load() {
		a.deliver()
	}
}

// handOver publishes a new intent when what the sidecar should know
// changed.
func (a *Agent) handOver(st *components.StatusData, set *components.SettingsData) {
	a.setVersion = set.Version()
	version := a.p.Server().Config().Version
	next := a.cur
	next.loggedOn, next.steamID = st.LoggedOn, st.SteamID
	next.capacity, next.mapName, next.version = int64(max(set.MaxPlayers(), 0)), set.MapName(), version
	if a.dirty {
		next.players = make([]string, 0, len(a.desired))
		for id := range a.desired {
			next.players = append(next.players, strconv.FormatUint(uint64(id), 10))
		}
		slices.Sort(next.players)
	}
	changed := a.dirty || next.loggedOn != a.cur.loggedOn || next.steamID != a.cur.steamID ||
		next.capacity != a.cur.capacity || next.mapName != a.cur.mapName || next.version != a.cur.version
	a.dirty = false
	if !changed && a.want.Load() != nil {
		return
	}
	a.cur = next
	in := next
	a.want.Store(&in)
	nudge(a.notify)
}

// deliver publishes the events the goroutines left.
func (a *Agent) deliver() {
	w := a.p.World()
	for _, m := range a.mail.take() {
		switch m := m.(type) {
		case StateChanged:
			a.ev.StateChanged.Publish(w, m)
		case Allocated:
			a.ev.Allocated.Publish(w, m)
		case CallFailed:
			a.ev.CallFailed.Publish(w, m)
		}
	}
	a.ev.process(w)
}

// observe records a GameServer the sidecar sent.
func (a *Agent) observe(gs *GameServer) {
	a.gs.Store(gs)
	a.period.Store(int64(gs.Spec.Health.Period()))
	a.healthOff.Store(gs.Spec.Health.Disabled)
}

// pingEvery is the pinger's period: a third of the health period, so that
// at least two pings fall in every period.
func (a *Agent) pingEvery() time.Duration { return time.Duration(a.period.Load()) / 3 }

// ping posts /health {} every pingEvery, but only when the tick ran since
// the last ping that went through: a stalled tick stops the pings.
func (a *Agent) ping(ctx context.Context) {
	pc := a.client.withAttempts(1)
	var last uint64
	for {
		c, stop := a.clock.Timer(a.pingEvery())
		select {
		case <-ctx.Done():
			stop()
			return
		case <-c:
		}
		n := a.alive.Load()
		if n == last || a.healthOff.Load() {
			continue
		}
		if err := pc.Health(ctx); err != nil {
			if ctx.Err() == nil {
				a.log.Debug("agones: health ping failed", "err", err)
			}
			continue
		}
		last = n
	}
}

// watch follows the watch stream for as long as the Agent runs, opening it
// again with back-off when it ends, and turns changes of state into events.
// The first GameServer of every stream makes the worker sync everything
// again: the sidecar may have restarted (for the first stream, too: it may
// open after a restart that the worker did not see).
func (a *Agent) watch(ctx context.Context) {
	wc := a.client.withAttempts(1)
	var last State
	var delay time.Duration
	for {
		first := true
		err := wc.Watch(ctx, func(gs *GameServer) error {
			a.observe(gs)
			if first {
				first = false
				a.resync.Store(true)
			}
			delay = 0
			if st := gs.Status.State; st != last {
				a.mail.post(StateChanged{From: last, To: st, GameServer: gs})
				if st == StateAllocated {
					a.mail.post(Allocated{GameServer: gs, Self: a.selfAlloc.Swap(false)})
				}
				last = st
			}
			nudge(a.watched)
			return nil
		})
		if ctx.Err() != nil {
			return
		}
		a.log.Debug("agones: watch stream ended; opening it again", "err", err)
		delay = a.backoff.next(delay)
		if sleep(ctx, a.clock, delay) != nil {
			return
		}
	}
}

// labels returns the labels the intent asks for.
func (a *Agent) labels(in *intent) map[string]string {
	out := make(map[string]string, 3+len(a.opts.Labels))
	for k, v := range a.opts.Labels {
		out[k] = SanitizeLabelValue(v)
	}
	if a.opts.NoLabels {
		return out
	}
	if in.steamID.IsValid() {
		out[LabelSteamID] = strconv.FormatUint(uint64(in.steamID), 10)
	}
	if v := SanitizeLabelValue(in.mapName); v != "" {
		out[LabelMap] = v
	}
	if v := SanitizeLabelValue(in.version); v != "" {
		out[LabelVersion] = v
	}
	return out
}
