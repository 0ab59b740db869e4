package agones_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steamgs/steamgs/ecs/agones"
	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yohamta/donburi"
)

// wait bounds every wait of these tests; none is expected to come close.
const wait = 10 * time.Second

// fast is the back-off of tests on the system clock: they wait for what
// the sidecar sees, never for a time.
var fast = agones.Backoff{Initial: time.Millisecond, Max: 20 * time.Millisecond}

// logs is a slog handler that keeps what it is given.
type logs struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logs) Enabled(context.Context, slog.Level) bool { return true }
func (l *logs) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	l.msgs = append(l.msgs, r.Level.String()+" "+r.Message)
	l.mu.Unlock()
	return nil
}
func (l *logs) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logs) WithGroup(string) slog.Handler      { return l }

// count returns the number of messages that contain s.
func (l *logs) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, m := range l.msgs {
		if strings.Contains(m, s) {
			n++
		}
	}
	return n
}

// attach attaches an agent to h, talking to s, and closes it when the test
// ends.
func attach(t *testing.T, h *ecstest.Harness, s *agonestest.Sidecar, opts agones.Options) *agones.Agent {
	t.Helper()
	if opts.LookupEnv == nil {
		opts.LookupEnv = s.LookupEnv
	}
	if opts.Client.Backoff == (agones.Backoff{}) {
		opts.Client.Backoff = fast
	}
	a, err := agones.Attach(h.Plugin, opts)
	require.NoError(t, err)
	require.True(t, a.Enabled())
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// seen records the agent's events as the tick publishes them.
type seen struct {
	allocated []agones.Allocated
	states    []agones.State
	failed    []agones.CallFailed
	shutting  []agones.ShuttingDown
}

func record(h *ecstest.Harness, a *agones.Agent) *seen {
	s := &seen{}
	ev := a.Events()
	ev.Allocated.Subscribe(h.World, func(_ donburi.World, e agones.Allocated) { s.allocated = append(s.allocated, e) })
	ev.StateChanged.Subscribe(h.World, func(_ donburi.World, e agones.StateChanged) { s.states = append(s.states, e.To) })
	ev.CallFailed.Subscribe(h.World, func(_ donburi.World, e agones.CallFailed) { s.failed = append(s.failed, e) })
	ev.ShuttingDown.Subscribe(h.World, func(_ donburi.World, e agones.ShuttingDown) { s.shutting = append(s.shutting, e) })
	return s
}

// stepUntil steps h, waiting between steps for the agent's goroutines to
// leave events, until cond holds.
func stepUntil(t *testing.T, h *ecstest.Harness, a *agones.Agent, what string, cond func() bool) {
	t.Helper()
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	for {
		h.Step(1)
		if cond() {
			return
		}
		select {
		case <-a.MailNotify():
		case <-timeout.C:
			t.Fatalf("waited %v for %s", wait, what)
		}
	}
}

// stepUntilStatus steps h until cond holds, at most n ticks.
func stepUntilStatus(t *testing.T, h *ecstest.Harness, n int, what string, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i == n {
			t.Fatalf("not %s after %d ticks", what, n)
		}
		h.Step(1)
	}
}

func done(t *testing.T, a *agones.Agent) (agones.Reason, error) {
	t.Helper()
	select {
	case <-a.Done():
	case <-time.After(wait):
		t.Fatalf("agent not done after %v", wait)
	}
	return a.Result()
}

func dec(id steamgs.SteamID) string { return strconv.FormatUint(uint64(id), 10) }

func listIs(s *agonestest.Sidecar, capacity int64, values ...string) func() bool {
	return func() bool {
		l, _ := s.List("players")
		return l.Capacity == capacity && slices.Equal(slices.Sorted(slices.Values(l.Values)), slices.Sorted(slices.Values(values)))
	}
}

func stateIs(s *agonestest.Sidecar, state string) func() bool {
	return func() bool { return s.State() == state }
}

func labelIs(s *agonestest.Sidecar, key, value string) func() bool {
	return func() bool {
		v, ok := s.Label(key)
		return ok && v == value
	}
}

// passed changes the map to name, ticks and waits for the map's label: the
// agent's worker has made a pass after everything the test did before.
func passed(t *testing.T, h *ecstest.Harness, s *agonestest.Sidecar, name string) {
	t.Helper()
	h.Settings().SetMapName(name)
	h.Step(1)
	s.Await(t, "a pass that sets the map label to "+name, labelIs(s, "map", name))
}

func TestNotUnderAgones(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	a, err := agones.Attach(h.Plugin, agones.Options{LookupEnv: func(string) (string, bool) { return "", false }})
	require.NoError(t, err)
	assert.False(t, a.Enabled())
	assert.Nil(t, a.Client())
	assert.Nil(t, a.GameServer())
	h.Step(3)
	reason, err := a.Result()
	assert.Equal(t, agones.ReasonNone, reason, "before Stop")
	assert.NoError(t, err)
	a.Stop(agones.ReasonSignal, nil)
	select {
	case <-a.Done():
	default:
		t.Fatal("Stop not under Agones does not close Done at once")
	}
	reason, err = a.Result()
	assert.Equal(t, agones.ReasonSignal, reason)
	assert.NoError(t, err)
	assert.NoError(t, a.Close())
	assert.NoError(t, a.Close(), "Close twice")
}

func TestAttachRefuses(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	_, err := agones.Attach(nil, agones.Options{})
	assert.ErrorContains(t, err, "the plugin is nil")
	_, err = agones.Attach(h.Plugin, agones.Options{LookupEnv: func(string) (string, bool) { return "nine", true }})
	assert.ErrorContains(t, err, `AGONES_SDK_HTTP_PORT is "nine", want a port number`)
	_, err = agones.Attach(h.Plugin, agones.Options{Labels: map[string]string{"bad key": "x"}})
	assert.ErrorContains(t, err, `Options.Labels: agones: label key "bad key"`)
}

// TestReadyOnceSteamLogsOn: no Ready before Steam has logged the server on,
// then Ready, and the labels and the list's capacity.
func TestReadyOnceSteamLogsOn(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true})
	h.Settings().SetMapName("de dust/2")
	a := attach(t, h, s, agones.Options{Labels: map[string]string{"region": "eu west"}})
	h.Step(1)
	s.Await(t, "the first pass", labelIs(s, "region", "eu-west"))
	assert.Zero(t, s.Count("POST /ready"), "Ready before Steam logged on")
	assert.Equal(t, "Scheduled", s.State())
	assert.True(t, listIs(s, 64)(), "the list's capacity is max players")

	h.Settings().LogOnAnonymous()
	stepUntilStatus(t, h, 100, "logged on", func() bool { return h.Status().LoggedOn })
	s.Await(t, "Ready", stateIs(s, "Ready"))
	id := h.Status().SteamID
	s.Await(t, "the steam-id label", labelIs(s, "steam-id", dec(id)))
	assert.Equal(t, map[string]string{
		"agones.dev/sdk-steam-id": dec(id), "agones.dev/sdk-map": "de-dust-2",
		"agones.dev/sdk-version": "1.0.0.0", "agones.dev/sdk-region": "eu-west",
	}, s.Labels())
	assert.Equal(t, 1, s.Count("POST /ready"), "Ready calls")
	require.NotNil(t, a.GameServer())

	passed(t, h, s, "arena")
	assert.Equal(t, 1, s.Count("POST /ready"), "Ready calls after a change of map")
}

// TestPlayersFollowAuth: approved players are listed, leaving and kicked
// ones are not; a server joined directly allocates itself, and shuts down
// when its last player leaves.
func TestPlayersFollowAuth(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	a := attach(t, h, s, agones.Options{})
	ev := record(h, a)
	h.Step(1)
	s.Await(t, "Ready", stateIs(s, "Ready"))

	alice, aliceID := h.Join("alice")
	bob, bobID := h.Join("bob")
	h.Step(2)
	require.True(t, h.Player(alice).Active() && h.Player(bob).Active(), "approved")
	s.Await(t, "both players listed", listIs(s, 64, dec(aliceID), dec(bobID)))
	s.Await(t, "a self allocation", stateIs(s, "Allocated"))
	stepUntil(t, h, a, "the Allocated event", func() bool { return len(ev.allocated) > 0 })
	assert.True(t, ev.allocated[0].Self, "allocated by itself")
	assert.Equal(t, agones.StateAllocated, ev.allocated[0].GameServer.Status.State)
	assert.Contains(t, ev.states, agones.StateAllocated, "state changes")

	bot := h.AddBot("bot")
	h.Step(1)
	require.True(t, h.Player(bot).Active(), "the bot")
	h.Remove(bob)
	h.Step(1)
	s.Await(t, "bob gone, the bot not counted", listIs(s, 64, dec(aliceID)))

	h.Universe.BanUser(aliceID)
	h.Step(2)
	require.False(t, h.Valid(alice), "alice kicked and removed")
	s.Await(t, "the list empty", listIs(s, 64))
	h.Step(1)
	require.Len(t, ev.shutting, 1, "ShuttingDown events")
	assert.Equal(t, agones.ShuttingDown{Reason: agones.ReasonEmpty}, ev.shutting[0])
	assert.False(t, h.Valid(bot), "every player removed before Shutdown")
	s.Await(t, "Shutdown", stateIs(s, "Shutdown"))
	reason, err := done(t, a)
	assert.Equal(t, agones.ReasonEmpty, reason)
	assert.NoError(t, err)
	assert.Equal(t, 1, s.Count("POST /allocate"), "Allocate calls")
	assert.Empty(t, ev.failed, "failed calls")
}

// TestClusterAllocation: an allocation on the watch stream (opened again
// after it failed) is an event in the tick; with ReadyWhenEmpty the server
// is Ready again when its last player leaves.
func TestClusterAllocation(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	s.FailNext("GET /watch/gameserver", 2)
	h := ecstest.Start(t, ecstest.Options{})
	a := attach(t, h, s, agones.Options{WhenEmpty: agones.ReadyWhenEmpty})
	ev := record(h, a)
	var onTick []bool
	a.Events().Allocated.Subscribe(h.World, func(donburi.World, agones.Allocated) {
		onTick = append(onTick, h.Plugin.Ticks() > 0)
	})
	h.Step(1)
	s.Await(t, "Ready", stateIs(s, "Ready"))

	s.Allocate()
	stepUntil(t, h, a, "the Allocated event", func() bool { return len(ev.allocated) > 0 })
	assert.False(t, ev.allocated[0].Self, "allocated by the cluster")
	assert.Equal(t, 3, s.Count("GET /watch/gameserver"), "watch streams asked for")
	assert.Equal(t, []bool{true}, onTick, "published in the tick")

	alice, aliceID := h.Join("alice")
	h.Step(2)
	s.Await(t, "alice listed", listIs(s, 64, dec(aliceID)))
	h.Remove(alice)
	h.Step(1)
	s.Await(t, "Ready again", stateIs(s, "Ready"))
	s.Await(t, "the list empty", listIs(s, 64))
	assert.Zero(t, s.Count("POST /allocate"), "Allocate calls of an allocated server")
	assert.Zero(t, s.Count("POST /shutdown"))
	assert.Equal(t, 2, s.Count("POST /ready"))
	assert.Len(t, ev.allocated, 1, "Allocated events")
}

// TestSteamOutage: while Steam is disconnected and the server has no
// players it is reserved; Ready again once Steam logs it back on. With
// players it stays as it is.
func TestSteamOutage(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	attach(t, h, s, agones.Options{})
	h.Step(1)
	s.Await(t, "Ready", stateIs(s, "Ready"))

	h.Universe.DropConnection(2 * time.Second)
	stepUntilStatus(t, h, 100, "disconnected", func() bool { return !h.Status().LoggedOn })
	s.Await(t, "Reserved", stateIs(s, "Reserved"))
	assert.Equal(t, []string{`{"seconds":"0"}`}, s.Bodies("POST /reserve"))
	stepUntilStatus(t, h, 1000, "logged on again", func() bool { return h.Status().LoggedOn })
	s.Await(t, "Ready again", stateIs(s, "Ready"))
	assert.Equal(t, 2, s.Count("POST /ready"))

	_, aliceID := h.Join("alice")
	h.Step(2)
	s.Await(t, "allocated with alice", func() bool { return s.State() == "Allocated" && listIs(s, 64, dec(aliceID))() })
	h.Universe.DropConnection(2 * time.Second)
	h.Settings().SetMapName("outage") // a change the worker makes after its life-cycle decision
	stepUntilStatus(t, h, 100, "disconnected", func() bool { return !h.Status().LoggedOn })
	s.Await(t, "the pass after the drop", labelIs(s, "map", "outage"))
	assert.Len(t, s.Bodies("POST /reserve"), 1, "no Reserve with a player on")
	assert.Equal(t, "Allocated", s.State())
	assert.True(t, listIs(s, 64, dec(aliceID))(), "alice stays listed through the outage")
	stepUntilStatus(t, h, 1000, "logged on again", func() bool { return h.Status().LoggedOn })
	s.Await(t, "a new steam-id label", labelIs(s, "steam-id", dec(h.Status().SteamID)))
	assert.Equal(t, "Allocated", s.State(), "still allocated after the reconnection")
	assert.Equal(t, 2, s.Count("POST /ready"), "no Ready for an allocated server")
}

func TestSidecarStartsLate(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{Down: true})
	h := ecstest.Start(t, ecstest.Options{})
	a := attach(t, h, s, agones.Options{})
	ev := record(h, a)
	stepUntil(t, h, a, "a failed call", func() bool { return len(ev.failed) > 0 })
	f := ev.failed[0]
	assert.Equal(t, "GameServer", f.Call)
	assert.True(t, agones.IsUnreachable(f.Err), "unreachable: %v", f.Err)
	assert.ErrorContains(t, f.Err, "agones: GameServer (GET /gameserver): no answer from the sidecar")

	require.NoError(t, s.SetDown(false))
	s.Await(t, "Ready", stateIs(s, "Ready"))
	s.Await(t, "the labels", labelIs(s, "version", "1.0.0.0"))
	assert.True(t, listIs(s, 64)())
}

func TestSidecarFails(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	s.FailNext("POST /ready", 2)
	s.FailNext("POST /v1beta1/lists/players:addValue", 1)
	h := ecstest.Start(t, ecstest.Options{})
	a := attach(t, h, s, agones.Options{})
	ev := record(h, a)
	stepUntil(t, h, a, "two failed Ready calls", func() bool { return len(ev.failed) >= 2 })
	for _, f := range ev.failed[:2] {
		assert.Equal(t, "Ready", f.Call)
		assert.EqualError(t, f.Err, "agones: Ready (POST /ready): sidecar answered 500, code 2: agonestest: injected failure of POST /ready")
	}
	s.Await(t, "Ready at the third attempt", stateIs(s, "Ready"))
	assert.Equal(t, 3, s.Count("POST /ready"))

	_, aliceID := h.Join("alice")
	h.Step(2)
	s.Await(t, "alice listed after a failed add", listIs(s, 64, dec(aliceID)))
	assert.Equal(t, 2, s.Count("POST /v1beta1/lists/players:addValue"))
}

// TestSidecarRestart: a sidecar that restarts (losing its state) gets the
// whole truth again: state, list, capacity, labels.
func TestSidecarRestart(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	attach(t, h, s, agones.Options{})
	_, aliceID := h.Join("alice")
	h.Step(2)
	s.Await(t, "alice listed and allocated", func() bool { return listIs(s, 64, dec(aliceID))() && s.State() == "Allocated" })

	require.NoError(t, s.Restart())
	s.Await(t, "everything again", func() bool {
		return listIs(s, 64, dec(aliceID))() && s.State() == "Allocated" && labelIs(s, "version", "1.0.0.0")()
	})
	l, _ := s.List("players")
	assert.Equal(t, []string{dec(aliceID)}, l.Values, "alice listed once")
}

// TestListDrift: values the list holds that are not players are removed,
// players already listed are not added twice, and "already exists" and
// "not found" answers (the list changed behind the agent's back, as an
// allocator that adds players does) count as success.
func TestListDrift(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	alice, aliceID := h.Join("alice")
	h.Step(2)
	require.True(t, h.Player(alice).Active())
	s.SetListValues("players", "111", dec(aliceID), "222") // left by a previous process
	a := attach(t, h, s, agones.Options{})
	ev := record(h, a)
	h.Step(1)
	s.Await(t, "the stale values removed", listIs(s, 64, dec(aliceID)))
	assert.Zero(t, s.Count("POST /v1beta1/lists/players:addValue"), "alice was listed already")

	bob, bobID := h.Join("bob")
	s.OnNext("POST /v1beta1/lists/players:addValue", func() { s.SetListValues("players", dec(aliceID), dec(bobID)) })
	h.Step(2)
	require.True(t, h.Player(bob).Active())
	s.Await(t, "adding bob, listed already", func() bool { return s.Count("POST /v1beta1/lists/players:addValue") == 1 })
	s.OnNext("POST /v1beta1/lists/players:removeValue", func() { s.SetListValues("players", dec(bobID)) })
	h.Remove(alice)
	h.Step(1)
	s.Await(t, "removing alice, unlisted already", func() bool { return s.Count("POST /v1beta1/lists/players:removeValue") == 3 })
	passed(t, h, s, "sync")
	assert.True(t, listIs(s, 64, dec(bobID))(), "the list")
	var answers []int
	for _, r := range s.Requests() {
		if strings.Contains(r.Path, ":") {
			answers = append(answers, r.Status)
		}
	}
	assert.Equal(t, []int{200, 200, 500, 500}, answers, "answers of the list calls: the stale values, bob, alice")
	h.Step(1)
	assert.Empty(t, ev.failed, "failed calls")
}

func TestFleetWithoutPlayersList(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{Lists: map[string]agonestest.List{}})
	h := ecstest.Start(t, ecstest.Options{})
	l := &logs{}
	attach(t, h, s, agones.Options{Logger: slog.New(l)})
	h.Step(1)
	s.Await(t, "Ready", stateIs(s, "Ready"))
	_, aliceID := h.Join("alice")
	h.Step(2)
	s.Await(t, "allocated", stateIs(s, "Allocated"))
	passed(t, h, s, "later")
	assert.Equal(t, 1, l.count("no players list"), "warnings")
	assert.Equal(t, 1, s.Count("GET /v1beta1/lists/players"), "the list is looked for once")
	assert.Zero(t, s.Count("POST /v1beta1/lists/players:addValue"))
	_ = aliceID
}

func TestPlayerTracking(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{PlayerTracking: true})
	h := ecstest.Start(t, ecstest.Options{})
	attach(t, h, s, agones.Options{PlayerTracking: true, NoList: true})
	alice, aliceID := h.Join("alice")
	h.Step(2)
	s.Await(t, "alice tracked", func() bool {
		ids, n := s.Players()
		return n == 64 && slices.Equal(ids, []string{dec(aliceID)})
	})
	h.Remove(alice)
	h.Step(1)
	s.Await(t, "alice gone", func() bool { ids, _ := s.Players(); return len(ids) == 0 })
	assert.Zero(t, s.Count("GET /v1beta1/lists/players"), "NoList")

	off := agonestest.Start(t, agonestest.Options{})
	h2 := ecstest.Start(t, ecstest.Options{})
	l := &logs{}
	attach(t, h2, off, agones.Options{PlayerTracking: true, Logger: slog.New(l)})
	_, bobID := h2.Join("bob")
	h2.Step(2)
	off.Await(t, "bob listed", listIs(off, 64, dec(bobID)))
	passed(t, h2, off, "later")
	assert.Equal(t, 1, l.count("player tracking is off"), "warnings with the feature gate off")
}

func TestBotsCounted(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	attach(t, h, s, agones.Options{Bots: true, NoSelfAllocate: true, NoLabels: true})
	bot := h.AddBot("bot")
	h.Step(1)
	s.Await(t, "the bot listed", listIs(s, 64, dec(h.Player(bot).SteamID())))
	assert.Equal(t, "Ready", s.State(), "NoSelfAllocate")
	assert.Empty(t, s.Labels(), "NoLabels")
}

// TestHealthFollowsTheTick: pings go out at least twice per period while
// the tick runs, and stop when it stalls, so that Agones' health check fails
// the GameServer.
func TestHealthFollowsTheTick(t *testing.T) {
	clock := agonestest.NewClock(start())
	s := agonestest.Start(t, agonestest.Options{Health: agonestest.Health{PeriodSeconds: 3, FailureThreshold: 3}})
	h := ecstest.Start(t, ecstest.Options{})
	attach(t, h, s, agones.Options{Client: agones.ClientOptions{Clock: clock}})
	h.Step(1)
	s.Await(t, "the first pass", labelIs(s, "version", "1.0.0.0"))
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	// advance moves the clock by d and waits until the pinger, the only
	// goroutine on a timer, is waiting again: it has done its work.
	advance := func(d time.Duration) {
		t.Helper()
		require.NoError(t, clock.BlockUntil(ctx, 1), "the pinger waiting")
		clock.Advance(d)
		require.NoError(t, clock.BlockUntil(ctx, 1), "the pinger waiting again")
	}
	advance(agones.DefaultHealthPeriod) // the first wait, before the period was known
	pings := s.Pings()
	for period := range 4 {
		for range 3 {
			h.Step(1)
			advance(time.Second)
		}
		assert.GreaterOrEqual(t, s.Pings()-pings, 2, "pings in period %d", period)
		pings = s.Pings()
		require.Equal(t, "Ready", s.CheckHealth(), "health after period %d of ticking", period)
	}
	for period := range 3 {
		for range 3 {
			advance(time.Second)
		}
		assert.Equal(t, pings, s.Pings(), "pings while the tick is stalled, period %d", period)
		state := s.CheckHealth()
		if period < 2 {
			assert.Equal(t, "Ready", state, "below the failure threshold")
		} else {
			assert.Equal(t, "Unhealthy", state, "three periods without a ping")
		}
	}
	h.Step(1)
	advance(time.Second)
	assert.Equal(t, pings+1, s.Pings(), "pings once the tick runs again")
	for _, b := range s.Bodies("POST /health") {
		require.Equal(t, "{}", b, "health bodies")
	}
}

func TestRestartRequestShutsDown(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	a := attach(t, h, s, agones.Options{})
	ev := record(h, a)
	alice, aliceID := h.Join("alice")
	h.Step(2)
	s.Await(t, "alice listed", listIs(s, 64, dec(aliceID)))
	h.Recorder.Reset()

	h.Universe.RequestRestart()
	h.Step(1)
	require.True(t, h.Status().RestartRequested)
	assert.Equal(t, []agones.ShuttingDown{{Reason: agones.ReasonRestart}}, ev.shutting)
	assert.False(t, h.Valid(alice), "alice removed")
	assert.Equal(t, 1, h.Recorder.Count("EndAuthSession"), "EndAuthSession for every player, in the tick")
	s.Await(t, "Shutdown", stateIs(s, "Shutdown"))
	reason, err := done(t, a)
	assert.Equal(t, agones.ReasonRestart, reason)
	assert.NoError(t, err)
	h.Step(3)
	assert.Len(t, ev.shutting, 1, "ShuttingDown once")
	assert.Equal(t, 1, s.Count("POST /shutdown"))
}

func TestKeepOnRestart(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	a := attach(t, h, s, agones.Options{KeepOnRestart: true})
	h.Universe.RequestRestart()
	passed(t, h, s, "kept")
	assert.Zero(t, s.Count("POST /shutdown"))
	select {
	case <-a.Done():
		t.Fatal("done after a restart request with KeepOnRestart")
	default:
	}
}

func TestGiveUp(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	a := attach(t, h, s, agones.Options{})
	ev := record(h, a)
	refused := errors.New("log-on refused for good")
	a.GiveUp(refused)
	a.Stop(agones.ReasonSignal, nil) // only the first request counts
	h.Step(1)
	require.Len(t, ev.shutting, 1)
	assert.Equal(t, agones.ReasonGiveUp, ev.shutting[0].Reason)
	reason, err := done(t, a)
	assert.Equal(t, agones.ReasonGiveUp, reason)
	assert.ErrorIs(t, err, refused)
	assert.Equal(t, "Shutdown", s.State())
}

func TestShutdownWithDeadSidecar(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	a := attach(t, h, s, agones.Options{ShutdownAttempts: 3})
	h.Step(1)
	s.Await(t, "Ready", stateIs(s, "Ready"))
	require.NoError(t, s.SetDown(true))
	a.Stop(agones.ReasonSignal, nil)
	h.Step(1)
	reason, err := done(t, a)
	assert.Equal(t, agones.ReasonSignal, reason)
	assert.ErrorContains(t, err, "agones: gave up on Shutdown after 3 attempts: agones: Shutdown (POST /shutdown): no answer")
	assert.True(t, agones.IsUnreachable(err))
}

func TestCloseStopsTheAgent(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{})
	a := attach(t, h, s, agones.Options{})
	h.Step(1)
	s.Await(t, "Ready", stateIs(s, "Ready"))
	require.NoError(t, a.Close())
	reason, err := done(t, a)
	assert.Equal(t, agones.ReasonNone, reason)
	assert.ErrorIs(t, err, agones.ErrClosed)
	// Close waited for the agent's goroutines; cycling the sidecar waits for
	// the answers to what they sent before.
	require.NoError(t, s.SetDown(true))
	require.NoError(t, s.SetDown(false))
	before := len(s.Requests())
	h.Join("alice")
	h.Step(3)
	assert.Len(t, s.Requests(), before, "requests after Close")
}

// TestQuietTick: the agent's part of a tick in which nothing changed
// allocates nothing.
func TestQuietTick(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	h := ecstest.Start(t, ecstest.Options{NoRecord: true})
	a := attach(t, h, s, agones.Options{})
	h.Step(1)
	s.Await(t, "the first pass", func() bool { return s.State() == "Ready" && labelIs(s, "version", "1.0.0.0")() })
	h.Step(1)
	assert.Zero(t, testing.AllocsPerRun(100, a.Tick), "allocations of the agent's tick")
}
