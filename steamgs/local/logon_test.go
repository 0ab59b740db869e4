package local_test

import (
	"sync"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLogOn(t *testing.T) {
	const token = "0123456789ABCDEF0123456789ABCDEF"
	tests := []struct {
		name   string
		mode   steamgs.ServerMode
		setup  func(u *local.Universe)
		logOn  func(srv *steamgs.Server) error
		want   []steamgs.Callback
		wantID func(u *local.Universe, id steamgs.SteamID) bool
	}{
		{
			name:  "anonymous",
			mode:  steamgs.ModeAuthentication,
			logOn: (*steamgs.Server).LogOnAnonymous,
			want:  []steamgs.Callback{steamgs.ServerConnected{}, steamgs.PolicyResponse{Secure: false}},
			wantID: func(_ *local.Universe, id steamgs.SteamID) bool {
				return id.IsValid() && id.Type() == steamgs.AccountTypeAnonGameServer && id.Instance() != 0
			},
		},
		{
			name:   "valid token, secure",
			mode:   steamgs.ModeAuthenticationAndSecure,
			setup:  func(u *local.Universe) { u.AddToken(token, local.TokenValid) },
			logOn:  func(srv *steamgs.Server) error { return srv.LogOn(token) },
			want:   []steamgs.Callback{steamgs.ServerConnected{}, steamgs.PolicyResponse{Secure: true}},
			wantID: func(u *local.Universe, id steamgs.SteamID) bool { return id == u.TokenSteamID(token) },
		},
		{
			name:   "valid token, no authentication",
			mode:   steamgs.ModeNoAuthentication,
			setup:  func(u *local.Universe) { u.AddToken(token, local.TokenValid) },
			logOn:  func(srv *steamgs.Server) error { return srv.LogOn(token) },
			want:   []steamgs.Callback{steamgs.ServerConnected{}, steamgs.PolicyResponse{Secure: false}},
			wantID: func(u *local.Universe, id steamgs.SteamID) bool { return id == u.TokenSteamID(token) },
		},
		{
			name:  "unknown token",
			mode:  steamgs.ModeAuthentication,
			logOn: func(srv *steamgs.Server) error { return srv.LogOn(token) },
			want:  []steamgs.Callback{steamgs.ServerConnectFailure{Result: steamgs.ResultInvalidParam}},
		},
		{
			name:  "expired token",
			mode:  steamgs.ModeAuthentication,
			setup: func(u *local.Universe) { u.AddToken(token, local.TokenExpired) },
			logOn: func(srv *steamgs.Server) error { return srv.LogOn(token) },
			want:  []steamgs.Callback{steamgs.ServerConnectFailure{Result: steamgs.ResultGSLTExpired}},
		},
		{
			name:  "banned token",
			mode:  steamgs.ModeAuthentication,
			setup: func(u *local.Universe) { u.AddToken(token, local.TokenBanned) },
			logOn: func(srv *steamgs.Server) error { return srv.LogOn(token) },
			want:  []steamgs.Callback{steamgs.ServerConnectFailure{Result: steamgs.ResultGSLTDenied}},
		},
		{
			name:  "refused",
			mode:  steamgs.ModeAuthentication,
			setup: func(u *local.Universe) { u.RefuseLogOn(steamgs.ResultServiceUnavailable) },
			logOn: (*steamgs.Server).LogOnAnonymous,
			want:  []steamgs.Callback{steamgs.ServerConnectFailure{Result: steamgs.ResultServiceUnavailable}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, local.Options{Latency: 2 * time.Second}, tt.mode)
			if tt.setup != nil {
				tt.setup(h.u)
			}
			require.NoError(t, tt.logOn(h.srv))
			for range 2 {
				assert.Empty(t, h.run(), "answered before the latency")
				assert.False(t, h.srv.LoggedOn())
				assert.Zero(t, h.srv.SteamID())
				h.clock.Advance(time.Second)
			}
			assert.Equal(t, tt.want, h.run())
			assert.Empty(t, h.run(), "delivered twice")
			connected := tt.wantID != nil
			assert.Equal(t, connected, h.srv.LoggedOn())
			assert.Equal(t, connected && tt.mode == steamgs.ModeAuthenticationAndSecure, h.srv.Secure())
			if connected {
				assert.True(t, tt.wantID(h.u, h.srv.SteamID()), "Steam ID %v", h.srv.SteamID())
			} else {
				assert.Zero(t, h.srv.SteamID())
			}
		})
	}
}

func TestTokenSteamIDIsSharedByKey(t *testing.T) {
	key := local.KeyFromPassphrase("shared")
	a, err := local.NewUniverse(local.Options{Key: key})
	require.NoError(t, err)
	b, err := local.NewUniverse(local.Options{Key: key})
	require.NoError(t, err)
	c, err := local.NewUniverse(local.Options{})
	require.NoError(t, err)
	id := a.TokenSteamID("tok")
	assert.Equal(t, id, b.TokenSteamID("tok"))
	assert.NotEqual(t, id, c.TokenSteamID("tok"))
	assert.NotEqual(t, id, a.TokenSteamID("other"))
	assert.Equal(t, steamgs.AccountTypeGameServer, id.Type())
	assert.True(t, id.IsValid())
}

func TestAnonymousLogOnIsFresh(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	h.logOn(h.srv)
	first := h.srv.SteamID()
	require.NoError(t, h.srv.LogOff())
	h.run()
	h.logOn(h.srv)
	assert.NotEqual(t, first, h.srv.SteamID())
	other := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
	h.logOn(other)
	assert.NotEqual(t, h.srv.SteamID(), other.SteamID())
}

func TestCallbacksQueuedDuringRunWaitForNextRun(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	group := h.u.AddGroup("clan")
	user := h.user("alice")
	require.NoError(t, h.srv.LogOnAnonymous())
	var asked bool
	var first []steamgs.Callback
	h.srv.RunCallbacks(func(cb steamgs.Callback) {
		first = append(first, cb)
		if _, ok := cb.(steamgs.ServerConnected); ok {
			var err error
			asked, err = h.srv.RequestUserGroupStatus(user, group)
			require.NoError(t, err)
		}
	})
	assert.True(t, asked, "LoggedOn is true while ServerConnected is delivered")
	assert.Equal(t, []steamgs.Callback{steamgs.ServerConnected{}, steamgs.PolicyResponse{}}, first)
	assert.Equal(t, []steamgs.Callback{steamgs.ClientGroupStatus{SteamID: user, Group: group}}, h.run())
}

func TestLogOff(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second}, steamgs.ModeAuthenticationAndSecure)
	require.NoError(t, h.srv.LogOnAnonymous())
	h.clock.Advance(time.Second)
	h.run()
	require.True(t, h.srv.LoggedOn())

	require.NoError(t, h.srv.LogOff())
	assert.Empty(t, h.run())
	assert.True(t, h.srv.LoggedOn(), "still logged on until ServerDisconnected is delivered")
	h.clock.Advance(time.Second)
	assert.Equal(t, []steamgs.Callback{steamgs.ServerDisconnected{Result: steamgs.ResultOK}}, h.run())
	assert.False(t, h.srv.LoggedOn())
	assert.False(t, h.srv.Secure())
	assert.Zero(t, h.srv.SteamID())

	require.NoError(t, h.srv.LogOff())
	h.clock.Advance(time.Second)
	assert.Empty(t, h.run(), "LogOff of a server that is not logged on says nothing")
}

func TestLogOffAbandonsLogOn(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second}, steamgs.ModeAuthentication)
	require.NoError(t, h.srv.LogOnAnonymous())
	require.NoError(t, h.srv.LogOff())
	h.clock.Advance(time.Hour)
	assert.Equal(t, []steamgs.Callback{steamgs.ServerDisconnected{Result: steamgs.ResultOK}}, h.run())
	assert.False(t, h.srv.LoggedOn())
	assert.Zero(t, h.srv.SteamID())
}

func TestLogOnWhileLoggedOnLogsOffFirst(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	h.u.AddToken("tok", local.TokenValid)
	h.logOn(h.srv)
	require.NoError(t, h.srv.LogOn("tok"))
	assert.Equal(t, []steamgs.Callback{
		steamgs.ServerDisconnected{Result: steamgs.ResultOK},
		steamgs.ServerConnected{}, steamgs.PolicyResponse{},
	}, h.run())
	assert.Equal(t, h.u.TokenSteamID("tok"), h.srv.SteamID())
}

func TestDropConnection(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second, RetryInterval: 10 * time.Second}, steamgs.ModeAuthenticationAndSecure)
	require.NoError(t, h.srv.LogOnAnonymous())
	h.clock.Advance(time.Second)
	h.run()
	id := h.srv.SteamID()
	require.NotZero(t, id)

	h.u.DropConnection(25 * time.Second)
	retry := steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection, Retrying: true}
	steps := []struct {
		advance  time.Duration
		want     []steamgs.Callback
		loggedOn bool
	}{
		{0, nil, true},
		{time.Second, []steamgs.Callback{steamgs.ServerDisconnected{Result: steamgs.ResultNoConnection}}, false},
		{9 * time.Second, nil, false},
		{time.Second, []steamgs.Callback{retry}, false},
		{10 * time.Second, []steamgs.Callback{retry}, false},
		{3 * time.Second, nil, false},
		{time.Second, []steamgs.Callback{steamgs.ServerConnected{}, steamgs.PolicyResponse{Secure: true}}, true},
		{time.Hour, nil, true},
	}
	for i, st := range steps {
		h.clock.Advance(st.advance)
		assert.Equal(t, st.want, h.run(), "step %d", i)
		assert.Equal(t, st.loggedOn, h.srv.LoggedOn(), "step %d", i)
		assert.Equal(t, id, h.srv.SteamID(), "step %d: the Steam ID survives the outage", i)
		assert.True(t, h.srv.Secure(), "step %d", i)
	}
}

func TestDropConnectionCatchesUpInOneRun(t *testing.T) {
	h := newHarness(t, local.Options{RetryInterval: 10 * time.Second}, steamgs.ModeAuthentication)
	h.logOn(h.srv)
	h.u.DropConnection(25 * time.Second)
	h.clock.Advance(time.Hour)
	retry := steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection, Retrying: true}
	assert.Equal(t, []steamgs.Callback{
		steamgs.ServerDisconnected{Result: steamgs.ResultNoConnection},
		retry, retry,
		steamgs.ServerConnected{}, steamgs.PolicyResponse{},
	}, h.run())
	assert.True(t, h.srv.LoggedOn())
}

func TestDropConnectionOfServerNotLoggedOn(t *testing.T) {
	h := newHarness(t, local.Options{RetryInterval: 10 * time.Second}, steamgs.ModeAuthentication)
	h.u.DropConnection(15 * time.Second)
	assert.Empty(t, h.run(), "a server that is not logged on loses nothing")

	require.NoError(t, h.srv.LogOnAnonymous())
	retry := steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection, Retrying: true}
	assert.Equal(t, []steamgs.Callback{retry}, h.run(), "log-on during an outage retries")
	h.clock.Advance(10 * time.Second)
	assert.Equal(t, []steamgs.Callback{retry}, h.run())
	h.clock.Advance(5 * time.Second)
	assert.Equal(t, []steamgs.Callback{steamgs.ServerConnected{}, steamgs.PolicyResponse{}}, h.run())
}

func TestDropConnectionThenLogOff(t *testing.T) {
	h := newHarness(t, local.Options{RetryInterval: 10 * time.Second}, steamgs.ModeAuthentication)
	h.logOn(h.srv)
	h.u.DropConnection(time.Minute)
	h.run()
	require.NoError(t, h.srv.LogOff())
	h.clock.Advance(time.Hour)
	assert.Equal(t, []steamgs.Callback{steamgs.ServerDisconnected{Result: steamgs.ResultOK}}, h.run(), "no retries after LogOff")
	assert.False(t, h.srv.LoggedOn())
	assert.Zero(t, h.srv.SteamID())
}

func TestRefuseLogOn(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	h.u.RefuseLogOn(steamgs.ResultServiceUnavailable)
	require.NoError(t, h.srv.LogOnAnonymous())
	assert.Equal(t, []steamgs.Callback{steamgs.ServerConnectFailure{Result: steamgs.ResultServiceUnavailable}}, h.run())
	assert.False(t, h.srv.LoggedOn())

	h.u.RefuseLogOn(steamgs.ResultOK)
	h.logOn(h.srv)

	// A refused reconnection leaves the server logged off.
	h.u.RefuseLogOn(steamgs.ResultAccessDenied)
	h.u.DropConnection(0)
	assert.Equal(t, []steamgs.Callback{
		steamgs.ServerDisconnected{Result: steamgs.ResultNoConnection},
		steamgs.ServerConnectFailure{Result: steamgs.ResultAccessDenied},
	}, h.run())
	assert.False(t, h.srv.LoggedOn())
}

func TestSetLatencyKeepsOrder(t *testing.T) {
	h := newHarness(t, local.Options{Latency: 5 * time.Second}, steamgs.ModeAuthentication)
	clan := h.u.AddGroup("clan")
	require.NoError(t, h.srv.LogOnAnonymous())
	h.u.SetLatency(0)
	call, err := h.srv.AssociateWithClan(clan)
	require.NoError(t, err)
	assert.Empty(t, h.run(), "an answer never overtakes an earlier one")
	h.clock.Advance(5 * time.Second)
	assert.Equal(t, []steamgs.Callback{
		steamgs.ServerConnected{}, steamgs.PolicyResponse{},
		steamgs.AssociateClan{Call: call, Result: steamgs.ResultNotLoggedOn},
	}, h.run())

	h.u.SetLatency(3 * time.Second)
	_, err = h.srv.AssociateWithClan(clan)
	require.NoError(t, err)
	h.clock.Advance(2 * time.Second)
	assert.Empty(t, h.run())
	h.clock.Advance(time.Second)
	assert.Len(t, h.run(), 1)
}

func TestRequestRestart(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	other := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
	assert.False(t, h.srv.WasRestartRequested())
	h.u.RequestRestart()
	h.u.RequestRestart()
	later := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
	for _, srv := range []*steamgs.Server{h.srv, other} {
		assert.True(t, srv.WasRestartRequested())
		assert.True(t, srv.WasRestartRequested())
		assert.False(t, srv.WasRestartRequested(), "true exactly once per request")
	}
	assert.False(t, later.WasRestartRequested(), "servers opened after the request are not asked")
	restarts := func(srv *steamgs.Server) uint64 {
		var n uint64
		raw(t, srv, func(ls *local.Server) { n = ls.Status().Restarts })
		return n
	}
	assert.Equal(t, uint64(2), restarts(h.srv), "the count stays when WasRestartRequested reports it")
	assert.Zero(t, restarts(later))
	h.u.RequestRestart()
	assert.Equal(t, uint64(3), restarts(other))
	assert.Equal(t, uint64(1), restarts(later))
}

func TestServersAreIndependent(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	other := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
	h.logOn(h.srv)
	assert.Empty(t, collect(other), "callbacks of one server never reach another")
	assert.False(t, other.LoggedOn())

	user := h.user("alice")
	res, err := h.srv.BeginAuthSession(h.ticket(user, steamgs.Identity{}), user)
	require.NoError(t, err)
	require.Equal(t, steamgs.BeginAuthOK, res)
	h.run()
	ok, err := other.UpdateUserData(user, "alice", 1)
	require.NoError(t, err)
	assert.False(t, ok, "a player of one server is not a player of another")
	lic, err := other.UserHasLicenseForApp(user, app)
	require.NoError(t, err)
	assert.Equal(t, steamgs.NoAuth, lic)
}

func TestPublicIP(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	assert.Equal(t, loopback, h.srv.PublicIP(), "the address the server was opened on")

	set := netip4(203, 0, 113, 7)
	h2 := newHarness(t, local.Options{PublicIP: set}, steamgs.ModeAuthentication)
	assert.Equal(t, set, h2.srv.PublicIP())

	wild := steamgs.NewServer(h.u)
	require.NoError(t, wild.Init(steamgs.Config{GamePort: 27016, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1", AppID: app}))
	defer wild.Shutdown()
	assert.Equal(t, loopback, wild.PublicIP(), "127.0.0.1 for a server on every interface")
}

// TestConcurrentFaults injects faults and makes tickets on other goroutines
// while the server runs; run it with -race.
func TestConcurrentFaults(t *testing.T) {
	h := newHarness(t, local.Options{RetryInterval: time.Second}, steamgs.ModeAuthenticationAndSecure)
	h.logOn(h.srv)
	users := make([]steamgs.SteamID, 8)
	for i := range users {
		users[i] = h.user(string(rune('a' + i)))
	}
	const rounds = 50
	var wg sync.WaitGroup
	wg.Add(2)
	tickets := make(chan []byte, rounds)
	go func() {
		defer wg.Done()
		for i := range rounds {
			h.u.RequestRestart()
			h.u.SetLatency(time.Duration(i%3) * time.Millisecond)
			h.u.LogInElsewhere(users[i%len(users)])
			if i%10 == 0 {
				h.u.DropConnection(time.Second)
			}
			h.clock.Advance(time.Millisecond)
		}
	}()
	go func() {
		defer wg.Done()
		defer close(tickets)
		for i := range rounds {
			_, b, err := h.u.GetAuthSessionTicket(users[i%len(users)], app, steamgs.Identity{})
			if err == nil {
				tickets <- b
			}
		}
	}()
	restarts := 0
	for b := range tickets {
		tk, err := local.ParseTicket(b)
		require.NoError(t, err)
		_, err = h.srv.BeginAuthSession(b, tk.User)
		require.NoError(t, err)
		_, err = h.srv.UpdateUserData(tk.User, "p", 1)
		require.NoError(t, err)
		h.run()
		if h.srv.WasRestartRequested() {
			restarts++
		}
		require.NoError(t, h.srv.EndAuthSession(tk.User))
	}
	wg.Wait()
	h.u.SetLatency(0)
	h.clock.Advance(time.Minute)
	h.run()
	for h.srv.WasRestartRequested() {
		restarts++
	}
	assert.Equal(t, rounds, restarts)
	assert.True(t, h.srv.LoggedOn(), "reconnected after the last outage")
}

func TestDropConnectionBeforeLogOnIsDelivered(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second, RetryInterval: 10 * time.Second}, steamgs.ModeAuthentication)
	require.NoError(t, h.srv.LogOnAnonymous())
	h.clock.Advance(2 * time.Second) // the log-on succeeded a second ago, not yet delivered
	h.u.DropConnection(15 * time.Second)
	h.clock.Advance(time.Second)
	assert.Equal(t, []steamgs.Callback{
		steamgs.ServerConnected{}, steamgs.PolicyResponse{},
		steamgs.ServerDisconnected{Result: steamgs.ResultNoConnection},
	}, h.run())
	assert.False(t, h.srv.LoggedOn())
	h.clock.Advance(14 * time.Second)
	assert.Equal(t, []steamgs.Callback{
		steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection, Retrying: true},
		steamgs.ServerConnected{}, steamgs.PolicyResponse{},
	}, h.run())
	assert.True(t, h.srv.LoggedOn())
}
