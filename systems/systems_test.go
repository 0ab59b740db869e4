package systems_test

import (
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/systems"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yohamta/donburi"
	decs "github.com/yohamta/donburi/ecs"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// rig is a world with the Steam systems over a fake back end.
type rig struct {
	t      *testing.T
	w      donburi.World
	srv    *steamgs.Server
	conn   *fakeConn
	back   *fakeBackend
	sys    *systems.Systems
	inbox  *systems.Inbox
	sent   []string
	auth   []systems.PlayerAuthChanged
	ticks  []decs.System
	failed []systems.CallFailed
}

func newRig(t *testing.T, policy systems.RejectPolicy) *rig {
	t.Helper()
	return newRigWith(t, func(c *systems.Config) { c.Rejected = policy })
}

// newRigWith is newRig with the systems' Config changed by set.
func newRigWith(t *testing.T, set func(*systems.Config)) *rig {
	t.Helper()
	b := &fakeBackend{}
	srv := steamgs.NewServer(b)
	require.NoError(t, srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1.0.0.0", AppID: 480}))
	r := &rig{t: t, w: donburi.NewWorld(), srv: srv, conn: b.conn, back: b, inbox: systems.NewInbox(systems.InboxConfig{Packets: 4, PacketSize: 64})}
	cfg := systems.Config{Server: srv, Inbox: r.inbox,
		Send: func(pkt []byte, to netip.AddrPort) { r.sent = append(r.sent, fmt.Sprintf("%s>%s", pkt, to)) }}
	set(&cfg)
	sys, err := systems.New(r.w, cfg)
	require.NoError(t, err)
	r.sys = sys
	r.ticks = sys.All()
	sys.Events().PlayerAuth.Subscribe(r.w, func(w donburi.World, ev systems.PlayerAuthChanged) {
		r.auth = append(r.auth, ev)
	})
	sys.Events().Failed.Subscribe(r.w, func(w donburi.World, ev systems.CallFailed) {
		r.failed = append(r.failed, ev)
	})
	b.conn.record = true
	return r
}

func (r *rig) tick(n int) {
	for range n {
		for _, s := range r.ticks {
			s(nil)
		}
	}
}

// calls runs one tick and returns the Steam calls it made, polls left out.
func (r *rig) calls() []string {
	r.conn.take()
	r.tick(1)
	return r.conn.take()
}

func (r *rig) player(e donburi.Entity) *components.PlayerData {
	r.t.Helper()
	require.True(r.t, r.w.Valid(e), "entity %v is gone", e)
	return components.Player.Get(r.w.Entry(e))
}

var alice = steamgs.IndividualID(1001)
var bob = steamgs.IndividualID(1002)

func TestNewRefuses(t *testing.T) {
	_, err := systems.New(donburi.NewWorld(), systems.Config{})
	assert.ErrorIs(t, err, systems.ErrNoServer)

	r := newRig(t, systems.RemoveRejected)
	_, err = systems.New(r.w, systems.Config{Server: r.srv})
	assert.ErrorIs(t, err, systems.ErrInstalled)
}

func TestJoinApproved(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	e := r.sys.Join(alice, "alice", []byte("good"), t0)
	assert.Equal(t, []string{"BeginAuthSession(good," + alice.String() + ")"}, r.calls())
	assert.Equal(t, components.AuthPending, r.player(e).Auth())
	assert.True(t, r.sys.HasSession(alice))
	assert.Empty(t, r.calls(), "no second BeginAuthSession")

	r.conn.queue = append(r.conn.queue, steamgs.ValidateAuthTicketResponse{SteamID: alice, Response: steamgs.AuthOK, Owner: alice})
	assert.Equal(t, []string{"UpdateUserData(" + alice.String() + ",alice,0)"}, r.calls())
	p := r.player(e)
	assert.Equal(t, components.AuthApproved, p.Auth())
	assert.True(t, p.Active())
	assert.Equal(t, t0, p.Joined())
	assert.Equal(t, []systems.PlayerAuthChanged{{Entity: e, SteamID: alice, State: components.AuthApproved}}, r.auth)
	assert.Empty(t, r.calls(), "quiet tick")
}

func TestDenials(t *testing.T) {
	tests := []struct {
		name   string
		begin  steamgs.BeginAuthSessionResult
		verd   steamgs.AuthSessionResponse
		ticket string
		want   components.Reason
	}{
		{name: "ticket refused", begin: steamgs.BeginAuthInvalidTicket, ticket: "junk",
			want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthInvalidTicket, Deny: steamgs.DenyGeneric}},
		{name: "expired", begin: steamgs.BeginAuthExpiredTicket, ticket: "old",
			want: components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthExpiredTicket, Deny: steamgs.DenyGeneric}},
		{name: "no ticket", ticket: "",
			want: components.Reason{Source: components.FromError, Deny: steamgs.DenyGeneric}},
		{name: "no licence", verd: steamgs.AuthNoLicenseOrExpired, ticket: "t",
			want: components.Reason{Source: components.FromValidate, Response: steamgs.AuthNoLicenseOrExpired, Deny: steamgs.DenyNoLicense}},
		{name: "banned", verd: steamgs.AuthVACBanned, ticket: "t",
			want: components.Reason{Source: components.FromValidate, Response: steamgs.AuthVACBanned, Deny: steamgs.DenyCheater}},
		{name: "invalid", verd: steamgs.AuthTicketInvalid, ticket: "t",
			want: components.Reason{Source: components.FromValidate, Response: steamgs.AuthTicketInvalid, Deny: steamgs.DenyGeneric}},
	}
	for _, tc := range tests {
		for _, policy := range []systems.RejectPolicy{systems.RemoveRejected, systems.KeepRejected} {
			t.Run(fmt.Sprintf("%s/policy=%d", tc.name, policy), func(t *testing.T) {
				r := newRig(t, policy)
				r.conn.begin[tc.ticket] = tc.begin
				var seen []bool // the entity was valid when the subscriber ran
				r.sys.Events().PlayerAuth.Subscribe(r.w, func(w donburi.World, ev systems.PlayerAuthChanged) {
					seen = append(seen, w.Valid(ev.Entity))
				})
				e := r.sys.Join(alice, "alice", []byte(tc.ticket), t0)
				r.calls()
				if tc.begin == steamgs.BeginAuthOK && tc.ticket != "" {
					r.conn.queue = append(r.conn.queue, steamgs.ValidateAuthTicketResponse{SteamID: alice, Response: tc.verd})
					assert.Equal(t, []string{"EndAuthSession(" + alice.String() + ")"}, r.calls(), "a begun session ends")
				}
				require.Len(t, r.auth, 1)
				assert.Equal(t, components.AuthDenied, r.auth[0].State)
				r.auth[0].Reason.Message = ""
				assert.Equal(t, tc.want, r.auth[0].Reason)
				assert.Equal(t, []bool{true}, seen, "subscribers see the entity")
				assert.False(t, r.sys.HasSession(alice))
				if policy == systems.RemoveRejected {
					assert.False(t, r.w.Valid(e), "removed")
				} else {
					p := r.player(e)
					assert.Equal(t, components.AuthDenied, p.Auth())
					assert.Equal(t, tc.want.Deny, p.Reason().Deny)
					r.sys.Remove(e)
				}
				assert.Empty(t, r.calls(), "nothing more, not even on removal")
			})
		}
	}
}

func TestKickedMidGame(t *testing.T) {
	for _, kick := range []steamgs.Callback{
		steamgs.ValidateAuthTicketResponse{SteamID: alice, Response: steamgs.AuthVACBanned},
		steamgs.ClientKick{SteamID: alice, Reason: steamgs.DenyCheater},
	} {
		t.Run(fmt.Sprintf("%T", kick), func(t *testing.T) {
			r := newRig(t, systems.RemoveRejected)
			e := r.sys.Join(alice, "alice", []byte("t"), t0)
			r.sys.Join(bob, "bob", []byte("t"), t0)
			r.calls()
			r.conn.queue = append(r.conn.queue,
				steamgs.ValidateAuthTicketResponse{SteamID: alice}, steamgs.ValidateAuthTicketResponse{SteamID: bob})
			r.calls()
			r.auth = nil
			r.conn.queue = append(r.conn.queue, kick)
			assert.Equal(t, []string{"EndAuthSession(" + alice.String() + ")"}, r.calls())
			require.Len(t, r.auth, 1)
			assert.Equal(t, components.AuthKicked, r.auth[0].State)
			assert.Equal(t, steamgs.DenyCheater, r.auth[0].Reason.Deny)
			assert.False(t, r.w.Valid(e))
			assert.True(t, r.sys.HasSession(bob))
		})
	}
}

func TestScoreReachesSteamOnce(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	e := r.sys.Join(alice, "alice", []byte("t"), t0)
	f := r.sys.Join(bob, "bob", []byte("t"), t0)
	r.calls()
	r.conn.queue = append(r.conn.queue,
		steamgs.ValidateAuthTicketResponse{SteamID: alice}, steamgs.ValidateAuthTicketResponse{SteamID: bob})
	calls := r.calls()
	assert.Len(t, calls, 2, "two approvals")

	p := r.player(e)
	p.SetScore(5)
	p.SetScore(7)
	p.SetName("Alice")
	r.player(f).SetScore(0) // unchanged: nothing to send
	assert.Equal(t, []string{"UpdateUserData(" + alice.String() + ",Alice,7)"}, r.calls())
	assert.Empty(t, r.calls())

	// Changes of a pending player wait for its approval.
	g := r.sys.Join(steamgs.IndividualID(1003), "carol", []byte("t"), t0)
	r.calls()
	r.player(g).SetScore(3)
	assert.Empty(t, r.calls())
	r.conn.queue = append(r.conn.queue, steamgs.ValidateAuthTicketResponse{SteamID: steamgs.IndividualID(1003)})
	assert.Equal(t, []string{"UpdateUserData(" + steamgs.IndividualID(1003).String() + ",carol,3)"}, r.calls())
}

func TestRemovalEndsSession(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	e := r.sys.Join(alice, "alice", []byte("t"), t0)
	r.calls()
	r.player(e).SetScore(1) // a pending change of a removed player is dropped
	r.w.Remove(e)           // the game removes it directly
	assert.Equal(t, []string{"EndAuthSession(" + alice.String() + ")"}, r.calls())
	assert.Empty(t, r.calls())
	assert.Zero(t, r.sys.Sessions())
	assert.Nil(t, r.sys.Player(e), "the removed entity still has a player")
	assert.Nil(t, r.sys.Player(r.sys.StatusEntity()), "the status entity has a player")

	// Leaving and rejoining in the same tick: the old session ends first.
	e = r.sys.Join(alice, "alice", []byte("t"), t0)
	r.calls()
	assert.True(t, r.sys.Remove(e))
	assert.False(t, r.sys.Remove(e))
	r.sys.Join(alice, "alice", []byte("t2"), t0)
	assert.Equal(t, []string{"EndAuthSession(" + alice.String() + ")", "BeginAuthSession(t2," + alice.String() + ")"}, r.calls())
}

func TestDuplicateSteamID(t *testing.T) {
	r := newRig(t, systems.KeepRejected)
	r.sys.Join(alice, "alice", []byte("t"), t0)
	r.calls()
	e := r.sys.Join(alice, "alice again", []byte("t"), t0)
	assert.Empty(t, r.calls())
	assert.Equal(t, steamgs.BeginAuthDuplicateRequest, r.player(e).Reason().Begin)
	r.w.Remove(e)
	assert.Empty(t, r.calls(), "the first one's session stays")
	assert.True(t, r.sys.HasSession(alice))
}

func TestBots(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	e := r.sys.AddBot("bot", t0)
	calls := r.calls()
	p := r.player(e)
	id := p.SteamID()
	assert.Equal(t, steamgs.AccountTypeAnonUser, id.Type())
	assert.Equal(t, []string{"CreateUnauthenticatedUserConnection=" + id.String(), "UpdateUserData(" + id.String() + ",bot,0)"}, calls)
	assert.True(t, p.Active())
	r.sys.Remove(e)
	assert.Equal(t, []string{"EndAuthSession(" + id.String() + ")"}, r.calls())
}

func TestPlayersCreatedByTheGame(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	// World.Create with the component: seen by itself.
	e := r.w.Create(components.Player)
	components.Player.SetValue(r.w.Entry(e), components.NewPlayer(alice, "alice", []byte("t"), t0))
	// The component added later: Track.
	f := r.w.Create(components.Settings)
	donburi.Add(r.w.Entry(f), components.Player, ptr(components.NewPlayer(bob, "bob", []byte("u"), t0)))
	assert.True(t, r.sys.Track(f))
	assert.False(t, r.sys.Track(r.sys.StatusEntity()))
	assert.Equal(t, []string{"BeginAuthSession(t," + alice.String() + ")", "BeginAuthSession(u," + bob.String() + ")"}, r.calls())
	n := 0
	r.sys.Players().Each(r.w, func(*donburi.Entry) { n++ })
	assert.Equal(t, 2, n)
}

func ptr[T any](v T) *T { return &v }

func TestPlayersBeforeNew(t *testing.T) {
	w := donburi.NewWorld()
	e := w.Create(components.Player)
	components.Player.SetValue(w.Entry(e), components.NewPlayer(alice, "alice", []byte("t"), t0))
	b := &fakeBackend{}
	srv := steamgs.NewServer(b)
	require.NoError(t, srv.Init(steamgs.Config{Mode: steamgs.ModeAuthentication, Version: "1"}))
	sys, err := systems.New(w, systems.Config{Server: srv})
	require.NoError(t, err)
	b.conn.record = true
	for _, s := range sys.All() {
		s(nil)
	}
	assert.Equal(t, []string{"BeginAuthSession(t," + alice.String() + ")"}, b.conn.take())
}

func TestSettingsPushedOnce(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	set := r.sys.Settings()
	set.SetServerName("Test server")
	set.SetAdvertiseServerActive(true)
	set.SetModDir("spacewar")
	set.SetProduct("480")
	set.SetGameDescription("Spacewar")
	set.SetDedicatedServer(true)
	set.LogOnAnonymous()
	set.SetMapName("dm_1")
	set.SetMaxPlayerCount(16)
	set.SetBotPlayerCount(2)
	set.SetPasswordProtected(true)
	set.SetSpectatorPort(27020)
	set.SetSpectatorServerName("spec")
	set.SetGameTags("ctf,eu")
	set.SetGameData("d")
	set.SetRegion("eu")
	set.SetKeyValue("b", "2")
	set.SetKeyValue("a", "1")
	set.SetKeyValue("b", "3")
	assert.Equal(t, []string{
		"Apply(Product|GameDescription|ModDir|Dedicated)", `LogOn("")`,
		"Apply(ServerName|MapName|MaxPlayers|Bots|PasswordProtected|SpectatorPort|SpectatorServerName|GameTags|GameData|Region|KeyValues|Advertise)",
	}, r.calls(), "advertising is pushed off until the log-on")
	want := steamgs.Settings{Product: "480", GameDescription: "Spacewar", ModDir: "spacewar", Dedicated: true,
		ServerName: "Test server", MapName: "dm_1", MaxPlayers: 16, Bots: 2, PasswordProtected: true,
		SpectatorPort: 27020, SpectatorServerName: "spec", GameTags: "ctf,eu", GameData: "d", Region: "eu",
		KeyValues: map[string]string{"a": "1", "b": "3"}}
	assert.Equal(t, want, r.conn.settings, "the back end's settings")
	assert.Equal(t, want, r.srv.Settings(), "the server's settings")
	assert.Equal(t, components.LoggingOn, r.sys.Status().State)
	assert.False(t, r.sys.Status().Advertised)
	assert.Empty(t, r.calls(), "pushed once")

	r.conn.queue = append(r.conn.queue, steamgs.ServerConnected{})
	assert.Equal(t, []string{"Apply(Advertise)"}, r.calls(), "logged on: advertised")
	want.Advertise = true
	assert.Equal(t, want, r.conn.settings, "the back end's settings")
	assert.True(t, r.sys.Status().Advertised)
	assert.Empty(t, r.calls(), "pushed once")

	set.SetServerName("Test server") // unchanged
	set.SetMapName("dm_2")
	set.SetKeyValue("a", "1") // unchanged
	set.SetKeyValue("c", "9")
	assert.Equal(t, []string{"Apply(MapName|KeyValues)"}, r.calls())
	assert.Equal(t, "dm_2", r.conn.settings.MapName)
	assert.Equal(t, map[string]string{"a": "1", "b": "3", "c": "9"}, r.conn.settings.KeyValues)

	set.DeleteKeyValue("b")
	set.SetKeyValue("d", "4")
	assert.Equal(t, []string{"Apply(KeyValues)"}, r.calls())
	assert.Equal(t, map[string]string{"a": "1", "c": "9", "d": "4"}, r.conn.settings.KeyValues)
	set.ClearKeyValues()
	assert.Equal(t, []string{"Apply(KeyValues)"}, r.calls())
	assert.Empty(t, r.conn.settings.KeyValues)
	set.ClearKeyValues()
	assert.Empty(t, r.calls())

	// After log-on the SDK refuses the product: reported, not retried.
	set.SetProduct("481")
	assert.Empty(t, r.calls())
	require.Len(t, r.failed, 1)
	assert.Equal(t, "ApplySettings", r.failed[0].Call)
	assert.Equal(t, components.FieldProduct, r.failed[0].Fields)
	assert.ErrorIs(t, r.failed[0].Err, steamgs.ErrAfterLogOn)
	assert.ErrorIs(t, r.sys.Status().LastError, steamgs.ErrAfterLogOn)
	assert.Equal(t, 1, r.sys.Status().Errors)
	assert.Empty(t, r.calls())

	// A refused setting does not hold back a valid one pushed with it.
	set.SetServerName(string(make([]byte, 64)))
	set.SetMapName("dm_3")
	assert.Equal(t, []string{"Apply(MapName)"}, r.calls())
	require.Len(t, r.failed, 2)
	assert.Equal(t, components.FieldServerName, r.failed[1].Fields)
	assert.ErrorIs(t, r.failed[1].Err, steamgs.ErrTooLong)

	// Nor do refused settings reach Steam with a later push.
	set.SetGameTags("ctf")
	assert.Equal(t, []string{"Apply(GameTags)"}, r.calls())
	assert.Equal(t, []string{"480", "Test server", "dm_3", "ctf"},
		[]string{r.conn.settings.Product, r.conn.settings.ServerName, r.conn.settings.MapName, r.conn.settings.GameTags})

	// A log-on asked for while logged on: advertising goes off until Steam
	// logs the server on again.
	set.LogOnWithToken("tok")
	assert.Equal(t, []string{`LogOn("tok")`, "Apply(Advertise)"}, r.calls())
	assert.False(t, r.conn.settings.Advertise)
	r.conn.queue = append(r.conn.queue, steamgs.ServerConnected{})
	assert.Equal(t, []string{"Apply(Advertise)"}, r.calls())
	assert.True(t, r.conn.settings.Advertise)
}

func TestMarkAllDirty(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	set := r.sys.Settings()
	set.SetProduct("480")
	set.SetServerName("s")
	set.SetKeyValue("k", "v")
	r.calls()
	set.MarkAllDirty()
	assert.Equal(t, []string{"Apply(Product)", "Apply(ServerName|KeyValues)"}, r.calls())
	assert.Equal(t, map[string]string{"k": "v"}, r.conn.settings.KeyValues)
}

func TestStatusFromCallbacks(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	r.conn.steamID = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 1, 77)
	var connected, failures, disconnects, restarts int
	ev := r.sys.Events()
	ev.ServerConnected.Subscribe(r.w, func(donburi.World, steamgs.ServerConnected) { connected++ })
	ev.ServerConnectFailure.Subscribe(r.w, func(donburi.World, steamgs.ServerConnectFailure) { failures++ })
	ev.ServerDisconnected.Subscribe(r.w, func(donburi.World, steamgs.ServerDisconnected) { disconnects++ })
	ev.Restart.Subscribe(r.w, func(_ donburi.World, e systems.RestartRequested) { restarts = e.Count })

	r.conn.queue = []steamgs.Callback{steamgs.ServerConnected{}, steamgs.PolicyResponse{Secure: true}}
	r.tick(1)
	st := r.sys.Status()
	assert.Equal(t, components.Connected, st.State)
	assert.True(t, st.LoggedOn)
	assert.True(t, st.Secure)
	assert.Equal(t, r.conn.steamID, st.SteamID)
	assert.Equal(t, netip.MustParseAddr("203.0.113.7"), st.PublicIP)

	r.conn.queue = []steamgs.Callback{steamgs.ServerDisconnected{Result: steamgs.ResultNoConnection},
		steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection, Retrying: true}}
	r.tick(1)
	assert.Equal(t, components.Failed, st.State)
	assert.False(t, st.LoggedOn)
	assert.Equal(t, steamgs.ResultNoConnection, st.LastDisconnect)
	assert.Equal(t, steamgs.ResultNoConnection, st.LastFailure)
	assert.True(t, st.Retrying)

	r.conn.queue = []steamgs.Callback{steamgs.ServerConnected{}}
	r.conn.restarts++
	r.tick(3)
	assert.Equal(t, components.Connected, st.State)
	assert.True(t, st.RestartRequested)
	assert.Equal(t, 1, st.Restarts)
	assert.Equal(t, []int{2, 1, 1, 1}, []int{connected, failures, disconnects, restarts})
	assert.Equal(t, []int{2, 1, 1}, []int{st.Connects, st.Failures, st.Disconnects})
}

func TestRawCallbacksPublished(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	var got []string
	ev := r.sys.Events()
	ev.ClientGroupStatus.Subscribe(r.w, func(_ donburi.World, c steamgs.ClientGroupStatus) { got = append(got, "group") })
	ev.GameplayStats.Subscribe(r.w, func(donburi.World, steamgs.GameplayStats) { got = append(got, "stats") })
	ev.AssociateClan.Subscribe(r.w, func(donburi.World, steamgs.AssociateClan) { got = append(got, "clan") })
	ev.PlayerCompat.Subscribe(r.w, func(donburi.World, steamgs.PlayerCompat) { got = append(got, "compat") })
	ev.ServerReputation.Subscribe(r.w, func(donburi.World, steamgs.ServerReputation) { got = append(got, "rep") })
	ev.GetAuthSessionTicketResponse.Subscribe(r.w, func(donburi.World, steamgs.GetAuthSessionTicketResponse) { got = append(got, "ticket") })
	ev.ClientApproved.Subscribe(r.w, func(donburi.World, steamgs.ClientApproved) { got = append(got, "approved") })
	ev.ClientDenied.Subscribe(r.w, func(donburi.World, steamgs.ClientDenied) { got = append(got, "denied") })
	ev.ValidateAuthTicketResponse.Subscribe(r.w, func(donburi.World, steamgs.ValidateAuthTicketResponse) { got = append(got, "validate") })
	ev.PolicyResponse.Subscribe(r.w, func(donburi.World, steamgs.PolicyResponse) { got = append(got, "policy") })
	r.conn.queue = []steamgs.Callback{steamgs.ClientGroupStatus{}, steamgs.GameplayStats{}, steamgs.AssociateClan{},
		steamgs.PlayerCompat{}, steamgs.ServerReputation{}, steamgs.GetAuthSessionTicketResponse{},
		steamgs.ClientApproved{SteamID: alice}, steamgs.ClientDenied{SteamID: alice}, steamgs.ValidateAuthTicketResponse{SteamID: bob},
		steamgs.PolicyResponse{}}
	r.tick(1)
	// Processed by event type, in the order of Events' fields.
	assert.Equal(t, sorted([]string{"group", "stats", "clan", "compat", "rep", "ticket", "approved", "denied", "validate", "policy"}), sorted(got), "got")
}

func TestClientFlow(t *testing.T) {
	r := newRig(t, systems.KeepRejected)
	e := r.sys.Join(alice, "alice", []byte("t"), t0)
	f := r.sys.Join(bob, "bob", []byte("t"), t0)
	r.calls()
	r.conn.queue = []steamgs.Callback{steamgs.ClientApproved{SteamID: alice},
		steamgs.ClientDenied{SteamID: bob, Reason: steamgs.DenyNoLicense, Message: "no game"}}
	calls := r.calls()
	assert.Equal(t, sorted([]string{"EndAuthSession(" + bob.String() + ")", "UpdateUserData(" + alice.String() + ",alice,0)"}), sorted(calls), "calls")
	assert.True(t, r.player(e).Active())
	rb := r.player(f).Reason()
	assert.Equal(t, components.Reason{Source: components.FromClient, Deny: steamgs.DenyNoLicense, Message: "no game"}, rb)
	assert.Equal(t, "NoLicense: no game", rb.String())
}

func TestPackets(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	from := netip.MustParseAddrPort("127.0.0.1:5000")
	for i := range 5 {
		ok := r.inbox.Offer([]byte(fmt.Sprintf("\xff\xff\xff\xff%c", 'a'+i)), from)
		assert.Equal(t, i < 4, ok, "packet %d", i) // 4 packets of room
	}
	assert.Equal(t, uint64(1), r.inbox.Dropped())
	to := netip.MustParseAddrPort("127.0.0.1:6000")
	r.conn.out = []outPacket{{[]byte("\xff\xff\xff\xffx"), to}, {[]byte("\xff\xff\xff\xffy"), to}}
	r.tick(1)
	assert.Equal(t, []string{"\xff\xff\xff\xffa", "\xff\xff\xff\xffb", "\xff\xff\xff\xffc", "\xff\xff\xff\xffd"}, r.conn.in)
	assert.Equal(t, []string{"\xff\xff\xff\xffx>127.0.0.1:6000", "\xff\xff\xff\xffy>127.0.0.1:6000"}, r.sent)
	assert.Zero(t, r.inbox.Len())
	assert.True(t, r.inbox.Offer([]byte("\xff\xff\xff\xffe"), from))
}

func TestQuietTickAllocatesNothing(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	r.conn.record = false
	for i := range 32 {
		r.sys.Join(steamgs.IndividualID(uint32(2000+i)), "p", []byte("t"), t0)
	}
	r.tick(1)
	for i := range 32 {
		r.conn.queue = append(r.conn.queue, steamgs.ValidateAuthTicketResponse{SteamID: steamgs.IndividualID(uint32(2000 + i))})
	}
	r.tick(2)
	assert.Zero(t, testing.AllocsPerRun(100, func() { r.tick(1) }))
	e := r.sys.Join(alice, "alice", []byte("t"), t0)
	r.conn.queue = append(r.conn.queue, steamgs.ValidateAuthTicketResponse{SteamID: alice})
	r.tick(2)
	p := r.player(e)
	score := uint32(0)
	assert.Zero(t, testing.AllocsPerRun(100, func() { score++; p.SetScore(score); r.tick(1) }))
}

func TestWaitsForInit(t *testing.T) {
	w := donburi.NewWorld()
	b := &fakeBackend{}
	srv := steamgs.NewServer(b)
	sys, err := systems.New(w, systems.Config{Server: srv, Send: func([]byte, netip.AddrPort) {}})
	require.NoError(t, err)
	sys.Settings().SetServerName("x")
	sys.Join(alice, "a", []byte("t"), t0)
	run := func() {
		for _, s := range sys.All() {
			s(nil)
		}
	}
	run()
	assert.Equal(t, 0, sys.Status().Errors, "errors before Init")
	assert.Equal(t, components.FieldServerName, sys.Settings().Dirty(), "the change waits")
	require.NoError(t, srv.Init(steamgs.Config{Mode: steamgs.ModeAuthentication, Version: "1"}))
	b.conn.record = true
	run()
	assert.Equal(t, []string{"BeginAuthSession(t," + alice.String() + ")", "Apply(ServerName)"}, b.conn.take(), "calls after Init")
}

func TestSingletonsComeBack(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	r.w.Remove(r.sys.SettingsEntity())
	r.w.Remove(r.sys.StatusEntity())
	r.sys.Settings().SetMapName("m")
	r.conn.queue = []steamgs.Callback{steamgs.ServerConnected{}}
	assert.Equal(t, []string{"Apply(MapName)"}, r.calls(), "calls")
	assert.Equal(t, components.Connected, r.sys.Status().State, "state")
	assert.True(t, r.w.Valid(r.sys.SettingsEntity()) && r.w.Valid(r.sys.StatusEntity()), "entities")
}

func TestErrorsMatchSentinels(t *testing.T) {
	_, err := systems.New(donburi.NewWorld(), systems.Config{})
	assert.ErrorIs(t, err, systems.ErrNoServer)
	assert.ErrorContains(t, err, "Config.Server")
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestHandlePacket answers Steam's datagrams as they arrive: the replies go
// out through Send before HandlePacket returns, with no tick, and with the
// Steam lock released while they are sent.
func TestHandlePacket(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	from := netip.MustParseAddrPort("127.0.0.1:5000")
	r.conn.reply = func(pkt string) []outPacket {
		return []outPacket{{[]byte(pkt + "-1"), from}, {[]byte(pkt + "-2"), from}}
	}
	var sent []string
	lockFree := 0
	sys, err := systems.New(donburi.NewWorld(), systems.Config{Server: r.srv, Send: func(pkt []byte, to netip.AddrPort) {
		sent = append(sent, fmt.Sprintf("%s>%s", pkt, to))
		// The lock is free while the game sends: another goroutine takes it.
		got := make(chan struct{})
		go func() { r.sys.LockSteam(); r.sys.UnlockSteam(); close(got) }()
		select {
		case <-got:
			lockFree++
		case <-time.After(5 * time.Second):
		}
	}})
	require.NoError(t, err)
	r.sys = sys
	q := []byte("\xff\xff\xff\xffTquery")
	assert.True(t, sys.HandlePacket(q, from), "Steam's datagram taken")
	assert.Equal(t, []string{string(q)}, r.conn.in, "handed to HandleIncomingPacket")
	assert.Equal(t, []string{string(q) + "-1>127.0.0.1:5000", string(q) + "-2>127.0.0.1:5000"}, sent, "replies sent at once")
	assert.Equal(t, 2, lockFree, "sends made with the Steam lock free")
	assert.False(t, sys.HandlePacket([]byte("G\x01\x06game"), from), "a game datagram is not Steam's")
	assert.Len(t, r.conn.in, 1, "a game datagram reached Steam")
	assert.Len(t, sent, 2, "sent for a game datagram")

	// Without Send, the replies wait in Steam's queue.
	quiet, err := systems.New(donburi.NewWorld(), systems.Config{Server: r.srv})
	require.NoError(t, err)
	assert.True(t, quiet.HandlePacket(q, from))
	assert.Len(t, sent, 2, "sent without Send")
}

// TestHandlePacketWhileTicking calls HandlePacket on a socket goroutine
// while the tick runs with players joining, scoring and leaving and
// settings changing: no two Steam calls overlap (and, under -race, no data
// is shared unguarded), and every reply is sent.
func TestHandlePacketWhileTicking(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	r.conn.record = false
	from := netip.MustParseAddrPort("127.0.0.1:5000")
	r.conn.reply = func(pkt string) []outPacket { return []outPacket{{[]byte(pkt), from}} }
	var replies atomic.Int64
	var sends sync.Mutex
	sys, err := systems.New(donburi.NewWorld(), systems.Config{Server: r.srv,
		Send: func([]byte, netip.AddrPort) { sends.Lock(); replies.Add(1); sends.Unlock() }})
	require.NoError(t, err)
	const packets = 2000
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range packets {
			sys.HandlePacket([]byte(fmt.Sprintf("\xff\xff\xff\xff%d", i)), from)
		}
	}()
	ticks := sys.All()
	score := uint32(0)
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		e := sys.Join(steamgs.IndividualID(uint32(3000+score)), "p", []byte("t"), t0)
		sys.Settings().SetMapName(fmt.Sprint("m", score))
		for _, s := range ticks {
			s(nil)
		}
		score++
		if p := sys.Player(e); p != nil {
			p.SetScore(score)
		}
		sys.LockSteam()
		_ = r.srv.LoggedOn() // a call of the game's own
		sys.UnlockSteam()
		if score%3 == 0 {
			sys.Remove(e)
		}
	}
	assert.Zero(t, r.conn.overlaps.Load(), "Steam calls that overlapped")
	assert.Equal(t, int64(packets), replies.Load(), "replies sent")
}
