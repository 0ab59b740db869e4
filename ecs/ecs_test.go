package ecs_test

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
	"github.com/steamgs/steamgs/systems"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yohamta/donburi"
	decs "github.com/yohamta/donburi/ecs"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// methods returns the methods of calls, in order.
func methods(calls []steamgstest.Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Method
	}
	return out
}

// texts returns calls as text, in order.
func texts(calls []steamgstest.Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.String()
	}
	return out
}

// step runs one tick and returns the Steam calls it made, polls left out.
func step(h *ecstest.Harness) []steamgstest.Call {
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
	assert.Equal(t, []string{"BeginAuthSession"}, methods(calls), "first tick")
	assert.Equal(t, any(id), calls[0].Args[1], "BeginAuthSession's user")
	assert.Equal(t, components.AuthPending, h.Player(e).Auth(), "auth after BeginAuthSession")

	calls = step(h)
	assert.Equal(t, []string{"UpdateUserData"}, methods(calls), "second tick")
	assert.Equal(t, []any{id, "alice", uint32(0)}, calls[0].Args, "UpdateUserData's arguments")
	p := h.Player(e)
	assert.True(t, p.Active(), "alice is active")
	assert.Equal(t, ecstest.DefaultStart().Add(time.Duration(h.Steps()-2)*ecstest.DefaultTick), p.Joined(), "join time")
	assert.Equal(t, []systems.PlayerAuthChanged{{Entity: e, SteamID: id, State: components.AuthApproved}}, *evs, "events")
	assert.Empty(t, step(h), "calls of the next tick")

	// Steam lists her: UpdateUserData reports an active player.
	ok, err := h.Server.UpdateUserData(id, "alice", 0)
	require.NoError(t, err, "UpdateUserData of an active player")
	assert.True(t, ok, "UpdateUserData of an active player")
}

func TestDenials(t *testing.T) {
	tests := []struct {
		name  string
		join  func(t *testing.T, h *ecstest.Harness) (donburi.Entity, steamgs.SteamID)
		steps int // ticks until the verdict
		want  components.Reason
	}{
		{name: "bad ticket", steps: 1, join: func(t *testing.T, h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			id := h.AddUser("mallory")
			return h.JoinTicket(id, "mallory", append([]byte{local.TicketVersion}, "not a ticket"...)), id
		}, want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthInvalidTicket, Deny: steamgs.DenyGeneric}},
		{name: "unknown ticket version", steps: 1, join: func(t *testing.T, h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			id := h.AddUser("mallory")
			return h.JoinTicket(id, "mallory", []byte("not a ticket")), id
		}, want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthInvalidVersion, Deny: steamgs.DenyInvalidVersion}},
		{name: "tampered ticket", steps: 1, join: func(t *testing.T, h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			id := h.AddUser("mallory")
			tk, err := h.Ticket(id)
			require.NoError(t, err)
			tk[len(tk)-1] ^= 1
			return h.JoinTicket(id, "mallory", tk), id
		}, want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthInvalidTicket, Deny: steamgs.DenyGeneric}},
		{name: "someone else's ticket", steps: 1, join: func(t *testing.T, h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			tk, err := h.Ticket(h.AddUser("alice"))
			require.NoError(t, err)
			id := h.AddUser("mallory")
			return h.JoinTicket(id, "mallory", tk), id
		}, want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthInvalidTicket, Deny: steamgs.DenyGeneric}},
		{name: "no licence", steps: 2, join: func(t *testing.T, h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			return h.JoinUser(local.User{Name: "pirate"})
		}, want: components.Reason{Source: components.FromValidate, Response: steamgs.AuthNoLicenseOrExpired, Deny: steamgs.DenyNoLicense}},
		{name: "VAC banned", steps: 2, join: func(t *testing.T, h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			return h.JoinUser(local.User{Name: "cheater", Apps: []steamgs.AppID{h.AppID()}, VACBanned: true})
		}, want: components.Reason{Source: components.FromValidate, Response: steamgs.AuthVACBanned, Deny: steamgs.DenyCheater}},
		{name: "publisher banned", steps: 2, join: func(t *testing.T, h *ecstest.Harness) (donburi.Entity, steamgs.SteamID) {
			return h.JoinUser(local.User{Name: "griefer", Apps: []steamgs.AppID{h.AppID()}, PublisherBanned: true})
		}, want: components.Reason{Source: components.FromValidate, Response: steamgs.AuthPublisherIssuedBan, Deny: steamgs.DenyCheater}},
	}
	for _, tc := range tests {
		for _, policy := range []systems.RejectPolicy{systems.RemoveRejected, systems.KeepRejected} {
			t.Run(fmt.Sprintf("%s/policy=%d", tc.name, policy), func(t *testing.T) {
				h := ecstest.Start(t, ecstest.Options{Rejected: policy})
				evs := authEvents(h)
				e, id := tc.join(t, h)
				h.Recorder.Reset()
				h.Step(tc.steps)
				require.Len(t, *evs, 1)
				ev := (*evs)[0]
				assert.Equal(t, components.AuthDenied, ev.State, "state")
				assert.Equal(t, tc.want, ev.Reason, "reason")
				assert.Equal(t, id, ev.SteamID, "event's Steam ID")
				assert.Equal(t, 1, h.Recorder.Count("BeginAuthSession"), "BeginAuthSession calls")
				begun := tc.want.Source == components.FromValidate
				assert.Equal(t, begun, h.Recorder.Count("EndAuthSession") == 1, "a begun session ends, another does not")
				assert.Equal(t, 0, h.Recorder.Count("UpdateUserData"), "UpdateUserData calls")
				if policy == systems.RemoveRejected {
					assert.False(t, h.Valid(e), "the denied player is removed")
				} else {
					p := h.Player(e)
					require.NotNil(t, p, "the denied player is kept")
					assert.Equal(t, components.AuthDenied, p.Auth(), "kept player's state")
					assert.Equal(t, tc.want, p.Reason(), "kept player's reason")
					h.Remove(e)
				}
				assert.Empty(t, step(h), "calls after the denial")
				assert.Equal(t, 0, h.Plugin.Sessions(), "sessions")
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
			assert.True(t, h.Player(e).Active(), "alice active")
			assert.True(t, h.Player(f).Active(), "bob active")
			evs := authEvents(h)
			tc.fault(h.Universe, id)
			calls := step(h)
			assert.Equal(t, []string{"EndAuthSession"}, methods(calls), "calls of the kick")
			assert.Equal(t, []any{id}, calls[0].Args, "EndAuthSession's user")
			require.Len(t, *evs, 1)
			assert.Equal(t, components.AuthKicked, (*evs)[0].State, "state")
			assert.Equal(t, tc.want, (*evs)[0].Reason.Response, "response")
			assert.False(t, h.Valid(e), "alice is removed")
			assert.True(t, h.Player(f).Active(), "bob plays on")
			assert.Empty(t, step(h), "calls of the next tick")
		})
	}
}

func TestKickedKept(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{Rejected: systems.KeepRejected})
	e, id := h.Join("alice")
	h.Step(2)
	h.Universe.BanUser(id)
	assert.Equal(t, []string{"EndAuthSession"}, methods(step(h)), "calls of the kick")
	p := h.Player(e)
	require.NotNil(t, p, "kept")
	assert.Equal(t, components.AuthKicked, p.Auth(), "state")
	assert.Equal(t, steamgs.DenyCheater, p.Reason().Deny, "reason")
	p.SetScore(5) // a kicked player is not sent
	h.Remove(e)
	assert.Empty(t, step(h), "no calls for a kicked player, nor its removal")
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
	assert.Equal(t, []string{"UpdateUserData"}, methods(calls), "calls")
	assert.Equal(t, []any{id, "Alice", uint32(4)}, calls[0].Args, "arguments")
	assert.Empty(t, step(h), "calls of the next tick")
	p.SetScore(4) // unchanged
	assert.Empty(t, step(h), "calls after an unchanged score")
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
	assert.Equal(t, []string{"RunCallbacks", "Status", "GetNextOutgoingPacket"}, methods(h.Recorder.Calls()), "the polls of a quiet tick")
	for _, m := range []string{"UpdateUserData", "BeginAuthSession", "EndAuthSession", "Apply", "LogOn"} {
		assert.Equal(t, 0, h.Recorder.Count(m), m)
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
	assert.Equal(t, []string{"Apply(ServerName|MapName|Bots|GameTags|KeyValues)"}, texts(step(h)), "one push")
	assert.Empty(t, step(h), "calls of the next tick")
	st := h.Server.Settings()
	assert.Equal(t, []any{"Arena", "dm_2", 1, "ffa"}, []any{st.ServerName, st.MapName, st.Bots, st.GameTags}, "the server's settings")
	assert.Equal(t, map[string]string{"mode": "ffa", "round": "1"}, st.KeyValues, "the server's key/values")

	set.SetKeyValue("round", "2")
	assert.Equal(t, []string{"Apply(KeyValues)"}, texts(step(h)), "one key changed")
	set.DeleteKeyValue("mode")
	assert.Equal(t, []string{"Apply(KeyValues)"}, texts(step(h)), "a key deleted")
	assert.Equal(t, map[string]string{"round": "2"}, h.Server.Settings().KeyValues, "the server's key/values")
}

func TestLogOnSettingsFirst(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true, Configure: func(s *components.SettingsData) {
		s.SetDedicatedServer(true)
	}})
	assert.False(t, h.Status().LoggedOn, "not logged on")
	h.Settings().LogOnAnonymous()
	calls := step(h)
	assert.Equal(t, []string{"Apply(Product|GameDescription|ModDir|Dedicated)", `LogOn("")`,
		"Apply(ServerName|MapName|MaxPlayers|Advertise)"}, texts(calls), "first push")
	assert.Equal(t, components.LoggingOn, h.Status().State, "state")
	h.Step(1)
	st := h.Status()
	assert.Equal(t, components.Connected, st.State, "state")
	assert.True(t, st.LoggedOn, "logged on; status %+v", *st)
	assert.True(t, st.Secure, "secure; status %+v", *st)
	assert.True(t, st.SteamID.IsValid(), "valid Steam ID; status %+v", *st)
	assert.Equal(t, netip.MustParseAddr("127.0.0.1"), st.PublicIP, "public IP")

	// After log-on the SDK refuses the product: reported, not retried.
	var failed []systems.CallFailed
	h.Plugin.Events().Failed.Subscribe(h.World, func(_ donburi.World, ev systems.CallFailed) { failed = append(failed, ev) })
	h.Settings().SetProduct("481")
	assert.Empty(t, step(h), "calls")
	require.Len(t, failed, 1)
	assert.Equal(t, "ApplySettings", failed[0].Call, "failed call")
	assert.Equal(t, components.FieldProduct, failed[0].Fields, "failed setting")
	assert.ErrorIs(t, h.Status().LastError, steamgs.ErrAfterLogOn, fmt.Sprint(h.Status().LastError))
	assert.Empty(t, step(h), "no retry")
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
	assert.Equal(t, components.Failed, st.State, "state")
	assert.Equal(t, steamgs.ResultAccessDenied, st.LastFailure, "last failure")
	assert.False(t, st.LoggedOn, "not logged on")
	assert.False(t, st.Retrying, "not retrying")
	assert.Equal(t, []steamgs.ServerConnectFailure{{Result: steamgs.ResultAccessDenied}}, failures, "events")

	h.Universe.RefuseLogOn(steamgs.ResultOK)
	h.Settings().LogOnAnonymous()
	h.Step(2)
	assert.Equal(t, components.Connected, st.State, "state after a second log-on")
	assert.Equal(t, []int{1, 1}, []int{st.Connects, st.Failures}, "connects, failures")
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
	assert.Equal(t, components.Disconnected, st.State, "state after the drop")
	assert.Equal(t, steamgs.ResultNoConnection, st.LastDisconnect, "disconnect result")
	assert.False(t, st.LoggedOn, "not logged on")
	h.Step(int(26 * time.Second / ecstest.DefaultTick))
	assert.Equal(t, components.Connected, st.State, "state after the outage")
	assert.True(t, st.LoggedOn, "logged on again")
	assert.Equal(t, []string{"disconnected", "failure", "failure", "connected"}, seen, "events")
	assert.Equal(t, []int{2, 1, 2}, []int{st.Connects, st.Disconnects, st.Failures}, "counters")
	assert.True(t, st.Retrying, "the failures were retried")
	assert.True(t, h.Player(e).Active(), "alice plays on")
}

func TestRestartSeenOnce(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	var got []systems.RestartRequested
	h.Plugin.Events().Restart.Subscribe(h.World, func(_ donburi.World, r systems.RestartRequested) { got = append(got, r) })
	h.Universe.RequestRestart()
	h.Step(5)
	st := h.Status()
	assert.True(t, st.RestartRequested, "restart requested")
	assert.Equal(t, 1, st.Restarts, "restarts")
	assert.Equal(t, []systems.RestartRequested{{Count: 1}}, got, "events")
	st.RestartRequested = false // the game acted on it
	h.Step(5)
	assert.False(t, st.RestartRequested, "not requested again")
}

func TestRemovalEndsSession(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	e, id := h.Join("alice")
	b := h.AddBot("bot")
	h.Step(2)
	bot := h.Player(b).SteamID()
	assert.Equal(t, steamgs.AccountTypeAnonUser, bot.Type(), "bot's account type")
	assert.True(t, h.Remove(e), "alice removed")
	h.World.Remove(b) // directly, as a game may
	calls := step(h)
	assert.Equal(t, []string{"EndAuthSession", "EndAuthSession"}, methods(calls), "calls")
	assert.Equal(t, []any{id, bot}, []any{calls[0].Args[0], calls[1].Args[0]}, "ended sessions")
	ok, err := h.Server.UpdateUserData(id, "alice", 0)
	assert.NoError(t, err, "UpdateUserData of a removed player")
	assert.False(t, ok, "alice is no longer an active player")
	assert.Empty(t, step(h), "calls of the next tick")
	assert.False(t, h.Remove(e), "a second removal does nothing")
}

func TestPacketsThroughTheGameSocket(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	from := netip.MustParseAddrPort("127.0.0.1:40000")
	assert.False(t, h.Offer([]byte("game data"), from), "the game's own packet is not taken")
	info := append([]byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'}, "Source Engine Query\x00"...)
	assert.True(t, h.Offer(info, from), "A2S_INFO taken")
	h.Step(1)
	sent := h.Sent()
	require.Len(t, sent, 1)
	assert.Equal(t, from, sent[0].To, "reply's destination")
	require.Greater(t, len(sent[0].Data), 5, "reply %q", sent[0].Data)
	assert.Equal(t, "\xff\xff\xff\xff", string(sent[0].Data[:4]), "reply %q", sent[0].Data)
	assert.Equal(t, 1, h.Recorder.Count("HandleIncomingPacket"), "HandleIncomingPacket calls")
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
		h.Plugin.Players().Each(e.World, func(en *donburi.Entry) {
			if p := components.Player.Get(en); p.Active() && p.Score() == 0 {
				p.SetScore(100)
			}
		})
	})
	e, id := h.Join("alice")
	h.Step(1)
	order = nil
	calls := step(h)
	assert.Equal(t, []string{"event", "game"}, order)
	assert.Equal(t, []string{"UpdateUserData"}, methods(calls), "calls")
	assert.Equal(t, []any{id, "alice", uint32(100)}, calls[0].Args, "arguments")
	assert.Equal(t, uint32(100), h.Player(e).Score(), "score")
}

func TestAddToDonburiECS(t *testing.T) {
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase("x"), Clock: local.NewManualClock(ecstest.DefaultStart())})
	require.NoError(t, err)
	rec := steamgstest.NewRecorder(u)
	srv := steamgs.NewServer(rec)
	require.NoError(t, srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication, Version: "1", AppID: 480}), "init")
	defer srv.Shutdown()
	w := donburi.NewWorld()
	p, err := ecs.Install(w, srv, ecs.Options{})
	require.NoError(t, err)
	_, err = ecs.Install(w, srv, ecs.Options{})
	assert.ErrorIs(t, err, systems.ErrInstalled)
	_, err = ecs.Install(donburi.NewWorld(), nil, ecs.Options{})
	assert.ErrorIs(t, err, systems.ErrNoServer)

	e := decs.NewECS(w)
	var ran int
	p.AddTo(e, func(*decs.ECS) { ran++ })
	p.Settings().SetServerName("via donburi")
	rec.Reset()
	e.Update()
	assert.Equal(t, 1, ran, "game system runs")
	assert.Equal(t, []string{"Apply(ServerName)"}, texts(rec.SteamCalls()), "calls")
	assert.NoError(t, p.Update(), "Update returns nil")
	assert.Equal(t, uint64(1), p.Ticks(), "ticks")
	assert.Same(t, w, p.World(), "World")
	assert.Same(t, srv, p.Server(), "Server")
	assert.Same(t, w, p.ECS().World, "ECS().World")
	assert.NotNil(t, rec.Conn(), "recorder's connection")
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
	assert.Greater(t, len(a), 50, "calls")
	assert.Equal(t, a, b, "two runs differ")
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
		assert.Equal(t, "false 1 9 3", r, "world %d", i)
	}
}

// TestPluginFacade reaches through the plugin what a game needs of the
// systems: the players, their sessions, the singletons, a late Player
// component, and the shutdown steps.
func TestPluginFacade(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	p := h.Plugin
	e, id := h.Join("alice")
	b := h.AddBot("bot")
	h.Step(2)
	assert.Equal(t, 2, p.Sessions(), "sessions")
	assert.True(t, p.HasSession(id), "alice's session")
	got, ok := p.PlayerBySteamID(id)
	assert.True(t, ok, "alice found")
	assert.Equal(t, e, got, "alice's entity")
	assert.Equal(t, 2, p.Players().Count(h.World), "players")
	assert.True(t, h.World.Entry(p.SettingsEntity()).HasComponent(components.Settings), "settings entity")
	assert.True(t, h.World.Entry(p.StatusEntity()).HasComponent(components.Status), "status entity")

	h.Player(e).SetScore(3)
	assert.Equal(t, 1, p.Roster().Len(), "changed players")
	h.Step(1)
	assert.Equal(t, 0, p.Roster().Len(), "changed players after a tick")

	// A Player component added after the entity was created.
	late := h.World.Create(components.Settings)
	bob := h.AddUser("bob")
	tk, err := h.Ticket(bob)
	require.NoError(t, err)
	lp := components.NewPlayer(bob, "bob", tk, h.Clock.Now())
	donburi.Add(h.World.Entry(late), components.Player, &lp)
	assert.True(t, p.Track(late), "Track")
	assert.False(t, p.Track(p.StatusEntity()), "Track of an entity without a player")
	assert.Equal(t, []string{"BeginAuthSession"}, methods(step(h)), "the late player's session")

	// Shutting down: the sessions end at once, Steam's last packets go out.
	h.Recorder.Reset()
	assert.Equal(t, 3, p.RemovePlayers(), "players removed")
	assert.Equal(t, []string{"EndAuthSession", "EndAuthSession", "EndAuthSession"}, methods(h.Recorder.SteamCalls()), "sessions ended")
	assert.False(t, h.Valid(e) || h.Valid(b) || h.Valid(late), "entities removed")
	assert.Zero(t, p.Sessions(), "sessions")
	from := netip.MustParseAddrPort("127.0.0.1:40000")
	_, err = h.Server.HandleIncomingPacket(append([]byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'}, "Source Engine Query\x00"...), from)
	require.NoError(t, err)
	p.SendPackets()
	sent := h.Sent()
	require.Len(t, sent, 1, "Steam's reply, sent without a tick")
	assert.Equal(t, from, sent[0].To, "reply's destination")
	p.SendPackets()
	assert.Empty(t, h.Sent(), "nothing more queued")
}

func TestLogOnRetriedWithBackOff(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true})
	h.Universe.RefuseLogOn(steamgs.ResultServiceUnavailable)
	h.Settings().LogOnAnonymous()
	h.Step(2)
	st := h.Status()
	require.Equal(t, components.Failed, st.State, "state")
	assert.False(t, st.GaveUp, "a passing failure is retried")
	assert.Equal(t, 1, st.Failures, "failures")

	// Each retry fails again, further apart, until the cap.
	ticksPerSecond := int(time.Second / ecstest.DefaultTick)
	var gaps []int
	last := 0
	for i := 1; i <= 100*ticksPerSecond && len(gaps) < 7; i++ {
		before := st.Failures
		h.Step(1)
		if st.Failures != before {
			gaps = append(gaps, (i-last+ticksPerSecond/2)/ticksPerSecond)
			last = i
		}
	}
	require.Len(t, gaps, 7, "retries in 100 s")
	assert.Equal(t, []int{1, 2, 4, 8, 16, 30, 30}, gaps, "seconds between failures, first after the initial 1 s")

	// Lifted: the next retry logs on, within the cap.
	h.Universe.RefuseLogOn(steamgs.ResultOK)
	ticks := 0
	for ; ticks <= 31*ticksPerSecond && !st.LoggedOn; ticks++ {
		h.Step(1)
	}
	assert.True(t, st.LoggedOn, "logged on within the cap once lifted")
	t.Logf("logged on %v of clock time after the refusal was lifted (cap %v)",
		time.Duration(ticks)*ecstest.DefaultTick, systems.DefaultRetryMax)
	assert.Equal(t, 0, st.Retries, "retries reset")
	assert.True(t, st.NextLogOn.IsZero(), "no retry scheduled")
}

func TestLogOnGivesUpOnPermanentResult(t *testing.T) {
	for _, r := range []steamgs.Result{steamgs.ResultInvalidPassword, steamgs.ResultAccessDenied, steamgs.ResultBanned,
		steamgs.ResultRevoked, steamgs.ResultGSLTDenied, steamgs.ResultGSLTExpired} {
		t.Run(r.String(), func(t *testing.T) {
			h := ecstest.Start(t, ecstest.Options{NoLogOn: true})
			h.Universe.RefuseLogOn(r)
			h.Settings().LogOnAnonymous()
			h.Step(2)
			st := h.Status()
			assert.True(t, st.GaveUp, "gave up")
			h.Step(120 * int(time.Second/ecstest.DefaultTick))
			assert.Equal(t, 1, st.Failures, "never retried")
			assert.True(t, st.NextLogOn.IsZero(), "no retry scheduled")
		})
	}
}

func TestLogOnRetryDisabled(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true, NoLogOnRetry: true})
	h.Universe.RefuseLogOn(steamgs.ResultServiceUnavailable)
	h.Settings().LogOnAnonymous()
	h.Step(2)
	st := h.Status()
	assert.True(t, st.GaveUp, "gave up without retries")
	h.Step(10 * int(time.Second/ecstest.DefaultTick))
	assert.Equal(t, 1, st.Failures, "never retried")
}

func TestEventsInSteamOrder(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	var seen []string
	ev := h.Plugin.Events()
	ev.ServerConnected.Subscribe(h.World, func(donburi.World, steamgs.ServerConnected) { seen = append(seen, "connected") })
	ev.ServerDisconnected.Subscribe(h.World, func(donburi.World, steamgs.ServerDisconnected) { seen = append(seen, "disconnected") })
	ev.PolicyResponse.Subscribe(h.World, func(donburi.World, steamgs.PolicyResponse) { seen = append(seen, "policy") })

	// A drop and an immediate recovery: every callback in one tick.
	h.Universe.DropConnection(0)
	h.Step(1)
	st := h.Status()
	require.Equal(t, []string{"disconnected", "connected", "policy"}, seen, "events in the order Steam sent them")
	assert.Equal(t, components.Connected, st.State, "state after the last callback")
	assert.True(t, st.LoggedOn, "logged on")
}
