package ecs_test

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
	decs "github.com/yohamta/donburi/ecs"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func eq[T any](t *testing.T, got, want T, what string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %v\n want %v", what, got, want)
	}
}

func check(t *testing.T, ok bool, what string) {
	t.Helper()
	if !ok {
		t.Errorf("%s", what)
	}
}

func must(t *testing.T, ok bool, what string) {
	t.Helper()
	if !ok {
		t.Fatalf("%s", what)
	}
}

// methods returns the methods of calls, in order.
func methods(calls []ecstest.Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Method
	}
	return out
}

// step runs one tick and returns the Steam calls it made, polls left out.
func step(h *ecstest.Harness) []ecstest.Call {
	h.Recorder.Reset()
	h.Step(1)
	return h.Recorder.SteamCalls()
}

// authEvents records the PlayerAuth events of h.
func authEvents(h *ecstest.Harness) *[]systems.PlayerAuthChanged {
	var evs []systems.PlayerAuthChanged
	h.Plugin.Events().PlayerAuth.Subscribe(h.World, func(_ donburi.World, ev systems.PlayerAuthChanged) {
		evs = append(evs, ev)
	})
	return &evs
}

func TestJoinApproved(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	evs := authEvents(h)
	e, id := h.Join("alice")
	calls := step(h)
	eq(t, methods(calls), []string{"BeginAuthSession"}, "first tick")
	eq(t, calls[0].Args[1], any(id), "BeginAuthSession's user")
	eq(t, h.Player(e).Auth(), components.AuthPending, "auth after BeginAuthSession")

	calls = step(h)
	eq(t, methods(calls), []string{"UpdateUserData"}, "second tick")
	eq(t, calls[0].Args, []any{id, "alice", uint32(0)}, "UpdateUserData's arguments")
	p := h.Player(e)
	check(t, p.Active(), "alice is active")
	eq(t, p.Joined(), ecstest.DefaultStart().Add(time.Duration(h.Steps()-2)*ecstest.DefaultTick), "join time")
	eq(t, *evs, []systems.PlayerAuthChanged{{Entity: e, SteamID: id, State: components.AuthApproved}}, "events")
	eq(t, len(step(h)), 0, "calls of the next tick")

	// Steam lists her: UpdateUserData reports an active player.
	ok, err := h.Server.UpdateUserData(id, "alice", 0)
	check(t, ok && err == nil, fmt.Sprint("UpdateUserData of an active player: ", ok, err))
}

func TestDenials(t *testing.T) {
	tests := []struct {
		name  string
		join  func(h *ecstest.Harness) (donburi.Entity, steamgs.SteamID)
		steps int // ticks until the verdict
		want  components.Reason
	}{
		{name: "bad ticket", steps: 1, join: func(h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			id := h.AddUser("mallory")
			return h.JoinTicket(id, "mallory", append([]byte{local.TicketVersion}, "not a ticket"...)), id
		}, want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthInvalidTicket, Deny: steamgs.DenyGeneric}},
		{name: "unknown ticket version", steps: 1, join: func(h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			id := h.AddUser("mallory")
			return h.JoinTicket(id, "mallory", []byte("not a ticket")), id
		}, want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthInvalidVersion, Deny: steamgs.DenyInvalidVersion}},
		{name: "tampered ticket", steps: 1, join: func(h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			id := h.AddUser("mallory")
			tk, err := h.Ticket(id)
			must(t, err == nil, fmt.Sprint(err))
			tk[len(tk)-1] ^= 1
			return h.JoinTicket(id, "mallory", tk), id
		}, want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthInvalidTicket, Deny: steamgs.DenyGeneric}},
		{name: "someone else's ticket", steps: 1, join: func(h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			tk, err := h.Ticket(h.AddUser("alice"))
			must(t, err == nil, fmt.Sprint(err))
			id := h.AddUser("mallory")
			return h.JoinTicket(id, "mallory", tk), id
		}, want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthInvalidTicket, Deny: steamgs.DenyGeneric}},
		{name: "no licence", steps: 2, join: func(h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			return h.JoinUser(local.User{Name: "pirate"})
		}, want: components.Reason{Source: components.FromValidate, Response: steamgs.AuthNoLicenseOrExpired, Deny: steamgs.DenyNoLicense}},
		{name: "VAC banned", steps: 2, join: func(h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			return h.JoinUser(local.User{Name: "cheater", Apps: []steamgs.AppID{h.AppID()}, VACBanned: true})
		}, want: components.Reason{Source: components.FromValidate, Response: steamgs.AuthVACBanned, Deny: steamgs.DenyCheater}},
		{name: "publisher banned", steps: 2, join: func(h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			return h.JoinUser(local.User{Name: "griefer", Apps: []steamgs.AppID{h.AppID()}, PublisherBanned: true})
		}, want: components.Reason{Source: components.FromValidate, Response: steamgs.AuthPublisherIssuedBan, Deny: steamgs.DenyCheater}},
	}
	for _, tc := range tests {
		for _, policy := range []systems.RejectPolicy{systems.RemoveRejected, systems.KeepRejected} {
			t.Run(fmt.Sprintf("%s/policy=%d", tc.name, policy), func(t *testing.T) {
				h := ecstest.Start(t, ecstest.Options{Rejected: policy})
				evs := authEvents(h)
				e, id := tc.join(h)
				h.Recorder.Reset()
				h.Step(tc.steps)
				must(t, len(*evs) == 1, fmt.Sprint("one PlayerAuth event: ", *evs))
				ev := (*evs)[0]
				eq(t, ev.State, components.AuthDenied, "state")
				eq(t, ev.Reason, tc.want, "reason")
				eq(t, ev.SteamID, id, "event's Steam ID")
				eq(t, h.Recorder.Count("BeginAuthSession"), 1, "BeginAuthSession calls")
				begun := tc.want.Source == components.FromValidate
				eq(t, h.Recorder.Count("EndAuthSession") == 1, begun, "a begun session ends, another does not")
				eq(t, h.Recorder.Count("UpdateUserData"), 0, "UpdateUserData calls")
				if policy == systems.RemoveRejected {
					check(t, !h.Valid(e), "the denied player is removed")
				} else {
					p := h.Player(e)
					must(t, p != nil, "the denied player is kept")
					eq(t, p.Auth(), components.AuthDenied, "kept player's state")
					eq(t, p.Reason(), tc.want, "kept player's reason")
					h.Remove(e)
				}
				eq(t, len(step(h)), 0, "calls after the denial")
				eq(t, h.Plugin.Systems().Sessions(), 0, "sessions")
			})
		}
	}
}

func TestKickedMidGame(t *testing.T) {
	tests := []struct {
		name  string
		fault func(u *local.Universe, id steamgs.SteamID)
		want  steamgs.AuthSessionResponse
	}{
		{"BanUser", (*local.Universe).BanUser, steamgs.AuthVACBanned},
		{"LogInElsewhere", (*local.Universe).LogInElsewhere, steamgs.AuthLoggedInElseWhere},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := ecstest.Start(t, ecstest.Options{})
			e, id := h.Join("alice")
			f, _ := h.Join("bob")
			h.Step(2)
			check(t, h.Player(e).Active() && h.Player(f).Active(), "both active")
			evs := authEvents(h)
			tc.fault(h.Universe, id)
			calls := step(h)
			eq(t, methods(calls), []string{"EndAuthSession"}, "calls of the kick")
			eq(t, calls[0].Args, []any{id}, "EndAuthSession's user")
			must(t, len(*evs) == 1, fmt.Sprint("one event: ", *evs))
			eq(t, (*evs)[0].State, components.AuthKicked, "state")
			eq(t, (*evs)[0].Reason.Response, tc.want, "response")
			check(t, !h.Valid(e), "alice is removed")
			check(t, h.Player(f).Active(), "bob plays on")
			eq(t, len(step(h)), 0, "calls of the next tick")
		})
	}
}

func TestKickedKept(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{Rejected: systems.KeepRejected})
	e, id := h.Join("alice")
	h.Step(2)
	h.Universe.BanUser(id)
	eq(t, methods(step(h)), []string{"EndAuthSession"}, "calls of the kick")
	p := h.Player(e)
	must(t, p != nil, "kept")
	eq(t, p.Auth(), components.AuthKicked, "state")
	eq(t, p.Reason().Deny, steamgs.DenyCheater, "reason")
	p.SetScore(5) // a kicked player is not sent
	h.Remove(e)
	eq(t, len(step(h)), 0, "no calls for a kicked player, nor its removal")
}

func TestScoreReachesSteamOnce(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	e, id := h.Join("alice")
	h.Join("bob")
	h.Step(2)
	p := h.Player(e)
	p.SetScore(3)
	p.SetScore(4)
	p.SetName("Alice")
	calls := step(h)
	eq(t, methods(calls), []string{"UpdateUserData"}, "calls")
	eq(t, calls[0].Args, []any{id, "Alice", uint32(4)}, "arguments")
	eq(t, len(step(h)), 0, "calls of the next tick")
	p.SetScore(4) // unchanged
	eq(t, len(step(h)), 0, "calls after an unchanged score")
}

func TestQuietTick(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	for i := range 8 {
		h.Join(fmt.Sprint("p", i))
	}
	h.AddBot("bot")
	h.Step(3)
	h.Recorder.Reset()
	h.Step(1)
	eq(t, methods(h.Recorder.Calls()), []string{"RunCallbacks", "WasRestartRequested", "GetNextOutgoingPacket"}, "the polls of a quiet tick")
	for _, m := range []string{"UpdateUserData", "BeginAuthSession", "EndAuthSession", "SetServerName", "SetKeyValue"} {
		eq(t, h.Recorder.Count(m), 0, m)
	}
}

func TestSettingsPushedOnce(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	set := h.Settings()
	set.SetServerName("Arena")
	set.SetMapName("dm_2")
	set.SetGameTags("ffa")
	set.SetKeyValue("mode", "ffa")
	set.SetKeyValue("round", "1")
	set.SetBotPlayerCount(1)
	calls := step(h)
	got := make([]string, len(calls))
	for i, c := range calls {
		got[i] = c.String()
	}
	eq(t, got, []string{`SetServerName("Arena")`, `SetMapName("dm_2")`, "SetBotPlayerCount(1)",
		`SetGameTags("ffa")`, `SetKeyValue("mode", "ffa")`, `SetKeyValue("round", "1")`}, "calls")
	eq(t, len(step(h)), 0, "calls of the next tick")
	eq(t, h.Server.Settings().ServerName, "Arena", "the server's name")
	eq(t, h.Server.Settings().KeyValues, map[string]string{"mode": "ffa", "round": "1"}, "the server's key/values")

	set.SetKeyValue("round", "2")
	eq(t, methods(step(h)), []string{"SetKeyValue"}, "one key changed")
	set.DeleteKeyValue("mode")
	eq(t, methods(step(h)), []string{"ClearAllKeyValues", "SetKeyValue"}, "a key deleted")
	eq(t, h.Server.Settings().KeyValues, map[string]string{"round": "2"}, "the server's key/values")
}

func TestLogOnSettingsFirst(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true, Configure: func(s *components.SettingsData) {
		s.SetDedicatedServer(true)
	}})
	check(t, !h.Status().LoggedOn, "not logged on")
	h.Settings().LogOnAnonymous()
	calls := step(h)
	eq(t, methods(calls), []string{"SetProduct", "SetGameDescription", "SetModDir", "SetDedicatedServer", "LogOnAnonymous",
		"SetServerName", "SetMapName", "SetMaxPlayerCount", "SetAdvertiseServerActive"}, "first push")
	eq(t, h.Status().State, components.LoggingOn, "state")
	h.Step(1)
	st := h.Status()
	eq(t, st.State, components.Connected, "state")
	check(t, st.LoggedOn && st.Secure && st.SteamID.IsValid(), fmt.Sprintf("status %+v", *st))
	eq(t, st.PublicIP, netip.MustParseAddr("127.0.0.1"), "public IP")

	// After log-on the SDK refuses the product: reported, not retried.
	var failed []systems.CallFailed
	h.Plugin.Events().Failed.Subscribe(h.World, func(_ donburi.World, ev systems.CallFailed) { failed = append(failed, ev) })
	h.Settings().SetProduct("481")
	eq(t, len(step(h)), 0, "calls")
	must(t, len(failed) == 1, fmt.Sprint("one failure: ", failed))
	eq(t, failed[0].Call, "SetProduct", "failed call")
	check(t, errors.Is(h.Status().LastError, steamgs.ErrAfterLogOn), fmt.Sprint(h.Status().LastError))
	eq(t, len(step(h)), 0, "no retry")
}

func TestLogOnRefused(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true})
	var failures []steamgs.ServerConnectFailure
	h.Plugin.Events().ServerConnectFailure.Subscribe(h.World, func(_ donburi.World, ev steamgs.ServerConnectFailure) {
		failures = append(failures, ev)
	})
	h.Universe.RefuseLogOn(steamgs.ResultAccessDenied)
	h.Settings().LogOnAnonymous()
	h.Step(2)
	st := h.Status()
	eq(t, st.State, components.Failed, "state")
	eq(t, st.LastFailure, steamgs.ResultAccessDenied, "last failure")
	check(t, !st.LoggedOn && !st.Retrying, "not logged on, not retrying")
	eq(t, failures, []steamgs.ServerConnectFailure{{Result: steamgs.ResultAccessDenied}}, "events")

	h.Universe.RefuseLogOn(steamgs.ResultOK)
	h.Settings().LogOnAnonymous()
	h.Step(2)
	eq(t, st.State, components.Connected, "state after a second log-on")
	eq(t, []int{st.Connects, st.Failures}, []int{1, 1}, "connects, failures")
}

func TestReconnect(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	e, _ := h.Join("alice")
	h.Step(2)
	var seen []string
	ev := h.Plugin.Events()
	ev.ServerDisconnected.Subscribe(h.World, func(_ donburi.World, c steamgs.ServerDisconnected) { seen = append(seen, "disconnected") })
	ev.ServerConnectFailure.Subscribe(h.World, func(_ donburi.World, c steamgs.ServerConnectFailure) { seen = append(seen, "failure") })
	ev.ServerConnected.Subscribe(h.World, func(_ donburi.World, c steamgs.ServerConnected) { seen = append(seen, "connected") })

	h.Universe.DropConnection(25 * time.Second)
	h.Step(1)
	st := h.Status()
	eq(t, st.State, components.Disconnected, "state after the drop")
	eq(t, st.LastDisconnect, steamgs.ResultNoConnection, "disconnect result")
	check(t, !st.LoggedOn, "not logged on")
	h.Step(int(26 * time.Second / ecstest.DefaultTick))
	eq(t, st.State, components.Connected, "state after the outage")
	check(t, st.LoggedOn, "logged on again")
	eq(t, seen, []string{"disconnected", "failure", "failure", "connected"}, "events")
	eq(t, []int{st.Connects, st.Disconnects, st.Failures}, []int{2, 1, 2}, "counters")
	check(t, st.Retrying, "the failures were retried")
	check(t, h.Player(e).Active(), "alice plays on")
}

func TestRestartSeenOnce(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	var got []systems.RestartRequested
	h.Plugin.Events().Restart.Subscribe(h.World, func(_ donburi.World, r systems.RestartRequested) { got = append(got, r) })
	h.Universe.RequestRestart()
	h.Step(5)
	st := h.Status()
	check(t, st.RestartRequested, "restart requested")
	eq(t, st.Restarts, 1, "restarts")
	eq(t, got, []systems.RestartRequested{{Count: 1}}, "events")
	st.RestartRequested = false // the game acted on it
	h.Step(5)
	check(t, !st.RestartRequested, "not requested again")
}

func TestRemovalEndsSession(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	e, id := h.Join("alice")
	b := h.AddBot("bot")
	h.Step(2)
	bot := h.Player(b).SteamID()
	eq(t, bot.Type(), steamgs.AccountTypeAnonUser, "bot's account type")
	check(t, h.Remove(e), "alice removed")
	h.World.Remove(b) // directly, as a game may
	calls := step(h)
	eq(t, methods(calls), []string{"EndAuthSession", "EndAuthSession"}, "calls")
	eq(t, []any{calls[0].Args[0], calls[1].Args[0]}, []any{id, bot}, "ended sessions")
	ok, err := h.Server.UpdateUserData(id, "alice", 0)
	check(t, !ok && err == nil, "alice is no longer an active player")
	eq(t, len(step(h)), 0, "calls of the next tick")
	check(t, !h.Remove(e), "a second removal does nothing")
}

func TestPacketsThroughTheGameSocket(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	from := netip.MustParseAddrPort("127.0.0.1:40000")
	check(t, !h.Offer([]byte("game data"), from), "the game's own packet is not taken")
	info := append([]byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'}, "Source Engine Query\x00"...)
	check(t, h.Offer(info, from), "A2S_INFO taken")
	h.Step(1)
	sent := h.Sent()
	must(t, len(sent) == 1, fmt.Sprint("one reply: ", sent))
	eq(t, sent[0].To, from, "reply's destination")
	check(t, len(sent[0].Data) > 5 && string(sent[0].Data[:4]) == "\xff\xff\xff\xff", fmt.Sprintf("reply %q", sent[0].Data))
	eq(t, h.Recorder.Count("HandleIncomingPacket"), 1, "HandleIncomingPacket calls")
}

func TestGameSystemsRunBetween(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	// A game system that gives every newly approved player a start score:
	// it runs after the callbacks and before the scores system, so Steam
	// sees the score in the same tick as the approval.
	var order []string
	h.Plugin.Events().PlayerAuth.Subscribe(h.World, func(w donburi.World, ev systems.PlayerAuthChanged) {
		order = append(order, "event")
	})
	h.Plugin.AddSystem(func(e *decs.ECS) {
		order = append(order, "game")
		h.Plugin.Systems().Players().Each(e.World, func(en *donburi.Entry) {
			if p := components.Player.Get(en); p.Active() && p.Score() == 0 {
				p.SetScore(100)
			}
		})
	})
	e, id := h.Join("alice")
	h.Step(1)
	order = nil
	calls := step(h)
	eq(t, order, []string{"event", "game"}, "order")
	eq(t, methods(calls), []string{"UpdateUserData"}, "calls")
	eq(t, calls[0].Args, []any{id, "alice", uint32(100)}, "arguments")
	eq(t, h.Player(e).Score(), uint32(100), "score")
}

func TestAddToDonburiECS(t *testing.T) {
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase("x"), Clock: local.NewManualClock(ecstest.DefaultStart())})
	must(t, err == nil, fmt.Sprint(err))
	rec := ecstest.NewRecorder(u)
	srv := steamgs.NewServer(rec)
	must(t, srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication, Version: "1", AppID: 480}) == nil, "init")
	defer srv.Shutdown()
	w := donburi.NewWorld()
	p, err := ecs.Install(w, srv, ecs.Options{})
	must(t, err == nil, fmt.Sprint(err))
	_, err = ecs.Install(w, srv, ecs.Options{})
	check(t, errors.Is(err, systems.ErrInstalled), fmt.Sprint(err))
	_, err = ecs.Install(donburi.NewWorld(), nil, ecs.Options{})
	check(t, errors.Is(err, systems.ErrNoServer), fmt.Sprint(err))

	e := decs.NewECS(w)
	var ran int
	p.AddTo(e, func(*decs.ECS) { ran++ })
	p.Settings().SetServerName("via donburi")
	rec.Reset()
	e.Update()
	eq(t, ran, 1, "game system runs")
	eq(t, methods(rec.SteamCalls()), []string{"SetServerName"}, "calls")
	check(t, p.Update() == nil, "Update returns nil")
	eq(t, p.Ticks(), uint64(1), "ticks")
	check(t, p.World() == w && p.Server() == srv && p.ECS().World == w, "accessors")
	check(t, rec.Conn() != nil, "recorder's connection")
}

// scenario runs a fixed game and returns every call it made, as text.
func scenario(t *testing.T) []string {
	h := ecstest.Start(t, ecstest.Options{Latency: 50 * time.Millisecond})
	var players []donburi.Entity
	for i := range 6 {
		e, _ := h.Join(fmt.Sprint("player", i))
		players = append(players, e)
		h.Step(1)
	}
	h.JoinUser(local.User{Name: "pirate"})
	h.AddBot("bot")
	h.Step(5)
	for i, e := range players {
		if p := h.Player(e); p != nil {
			p.SetScore(uint32(10 * i))
		}
	}
	h.Universe.BanUser(h.Player(players[2]).SteamID())
	h.Settings().SetKeyValue("k", "v")
	h.Step(5)
	h.Remove(players[0])
	h.Step(5)
	var out []string
	for _, c := range h.Recorder.Calls() {
		out = append(out, c.String())
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a, b := scenario(t), scenario(t)
	check(t, len(a) > 50, fmt.Sprint("calls: ", len(a)))
	if !slices.Equal(a, b) {
		t.Errorf("two runs differ:\n%s\n----\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
}

// TestParallelWorlds ticks worlds on separate goroutines (made one after the
// other, as donburi requires): each has its own queries and event types, so
// -race finds nothing they share.
func TestParallelWorlds(t *testing.T) {
	const worlds = 3
	hs := make([]*ecstest.Harness, worlds)
	for i := range hs {
		hs[i] = ecstest.Start(t, ecstest.Options{})
	}
	results := make([]string, worlds)
	done := make(chan int)
	for i, h := range hs {
		go func() {
			defer func() { done <- i }()
			e, id := h.Join("alice")
			f, _ := h.Join("bob")
			kicked := 0
			h.Plugin.Events().PlayerAuth.Subscribe(h.World, func(_ donburi.World, ev systems.PlayerAuthChanged) {
				if ev.State == components.AuthKicked {
					kicked++
				}
			})
			h.Step(2)
			h.Player(f).SetScore(9)
			h.Universe.BanUser(id)
			h.Step(3)
			results[i] = fmt.Sprint(h.Valid(e), kicked, h.Player(f).Score(), h.Recorder.Count("UpdateUserData"))
		}()
	}
	for range worlds {
		<-done
	}
	for i, r := range results {
		eq(t, r, "false 1 9 3", fmt.Sprint("world ", i))
	}
}
