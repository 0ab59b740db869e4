package ecstest_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCallString(t *testing.T) {
	tests := []struct {
		c    ecstest.Call
		want string
		poll bool
	}{
		{ecstest.Call{Method: "LogOnAnonymous"}, "LogOnAnonymous()", false},
		{ecstest.Call{Method: "SetKeyValue", Args: []any{"k", "v"}}, `SetKeyValue("k", "v")`, false},
		{ecstest.Call{Method: "UpdateUserData", Args: []any{steamgs.IndividualID(5), "ann", uint32(3)}},
			`UpdateUserData([U:1:5], "ann", 3)`, false},
		{ecstest.Call{Method: "BeginAuthSession", Args: []any{[]byte("t\x00"), steamgs.IndividualID(5)}},
			`BeginAuthSession("t\x00", [U:1:5])`, false},
		{ecstest.Call{Method: "RunCallbacks"}, "RunCallbacks()", true},
		{ecstest.Call{Method: "WasRestartRequested"}, "WasRestartRequested()", true},
		{ecstest.Call{Method: "GetNextOutgoingPacket", Args: []any{1400}}, "GetNextOutgoingPacket(1400)", true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.c.String(), "String()")
		assert.Equal(t, tc.poll, tc.c.Poll(), "%s: Poll()", tc.want)
	}
}

func TestRecorder(t *testing.T) {
	u, err := local.NewUniverse(local.Options{Clock: local.NewManualClock(ecstest.DefaultStart())})
	require.NoError(t, err)
	rec := ecstest.NewRecorder(u)
	assert.Equal(t, u.Capabilities(), rec.Capabilities(), "capabilities")
	srv := steamgs.NewServer(rec)
	require.NoError(t, srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication, Version: "1"}))
	defer srv.Shutdown()
	assert.IsType(t, (*local.Server)(nil), rec.Conn(), "Conn()")
	_ = srv.SetServerName("a")
	srv.RunCallbacks(nil)
	rec.SetRecording(false)
	_ = srv.SetServerName("b")
	rec.SetRecording(true)
	_, _ = srv.HandleIncomingPacket([]byte("\xff\xff\xff\xffx"), netip.MustParseAddrPort("127.0.0.1:9"))
	var got []string
	for _, c := range rec.Calls() {
		got = append(got, c.String())
	}
	want := []string{`SetServerName("a")`, "RunCallbacks()", `HandleIncomingPacket("\xff\xff\xff\xffx", 127.0.0.1:9)`}
	require.NotEmpty(t, got, "calls")
	require.True(t, strings.HasPrefix(got[0], "Open("), "calls %q do not start with Open", got)
	assert.Equal(t, want, got[1:], "calls")
	assert.Equal(t, 1, rec.Count("SetServerName"), "SetServerName count")
	assert.Len(t, rec.SteamCalls(), 3, "calls that are not polls")
	rec.Reset()
	assert.Empty(t, rec.Calls(), "Reset kept calls")
	assert.Zero(t, rec.Count("SetServerName"), "Reset kept calls")
}

func TestHarnessOptions(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true, Mode: steamgs.ModeAuthentication, AppID: 730,
		Tick: 100 * 1e6, Start: ecstest.DefaultStart().AddDate(1, 0, 0)})
	assert.False(t, h.Status().LoggedOn, "logged on")
	assert.Equal(t, steamgs.AppID(730), h.AppID(), "app")
	assert.Equal(t, "730", h.Settings().Product(), "product")
	before := h.Clock.Now()
	h.Step(3)
	assert.Equal(t, 300*time.Millisecond, h.Clock.Now().Sub(before), "clock advance of 3 steps")
	assert.Equal(t, uint64(3), h.Steps(), "Steps()")
	assert.Zero(t, h.Recorder.Count("LogOnAnonymous"), "logged on despite NoLogOn")
}

// TestRecorderNamesEveryMethod calls each method of the server and checks
// that the recorder names the Conn method it reached.
func TestRecorderNamesEveryMethod(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true})
	srv, u := h.Server, h.Universe
	user := h.AddUser("u")
	group := u.AddGroup("g")
	tk, err := h.Ticket(user)
	require.NoError(t, err)
	ip := netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		method string
		call   func()
	}{
		{"SetProduct", func() { _ = srv.SetProduct("p") }},
		{"SetGameDescription", func() { _ = srv.SetGameDescription("d") }},
		{"SetModDir", func() { _ = srv.SetModDir("m") }},
		{"SetDedicatedServer", func() { _ = srv.SetDedicatedServer(true) }},
		{"LogOn", func() { _ = srv.LogOn("token") }},
		{"LogOff", func() { _ = srv.LogOff() }},
		{"LogOnAnonymous", func() { _ = srv.LogOnAnonymous() }},
		{"LoggedOn", func() { srv.LoggedOn() }},
		{"Secure", func() { srv.Secure() }},
		{"SteamID", func() { srv.SteamID() }},
		{"WasRestartRequested", func() { srv.WasRestartRequested() }},
		{"PublicIP", func() { srv.PublicIP() }},
		{"QueryPort", func() { srv.QueryPort() }},
		{"ReleaseThreadMemory", func() { srv.ReleaseThreadMemory() }},
		{"RunCallbacks", func() { srv.RunCallbacks(nil) }},
		{"SetMaxPlayerCount", func() { _ = srv.SetMaxPlayerCount(4) }},
		{"SetBotPlayerCount", func() { _ = srv.SetBotPlayerCount(1) }},
		{"SetServerName", func() { _ = srv.SetServerName("n") }},
		{"SetMapName", func() { _ = srv.SetMapName("m") }},
		{"SetPasswordProtected", func() { _ = srv.SetPasswordProtected(true) }},
		{"SetSpectatorPort", func() { _ = srv.SetSpectatorPort(1) }},
		{"SetSpectatorServerName", func() { _ = srv.SetSpectatorServerName("s") }},
		{"ClearAllKeyValues", func() { _ = srv.ClearAllKeyValues() }},
		{"SetKeyValue", func() { _ = srv.SetKeyValue("k", "v") }},
		{"SetGameTags", func() { _ = srv.SetGameTags("t") }},
		{"SetGameData", func() { _ = srv.SetGameData("d") }},
		{"SetRegion", func() { _ = srv.SetRegion("r") }},
		{"SetAdvertiseServerActive", func() { _ = srv.SetAdvertiseServerActive(true) }},
		{"GetAuthSessionTicket", func() { _, _, _ = srv.GetAuthSessionTicket(steamgs.Identity{}) }},
		{"BeginAuthSession", func() { _, _ = srv.BeginAuthSession(tk, user) }},
		{"UserHasLicenseForApp", func() { _, _ = srv.UserHasLicenseForApp(user, h.AppID()) }},
		{"RequestUserGroupStatus", func() { _, _ = srv.RequestUserGroupStatus(user, group) }},
		{"EndAuthSession", func() { _ = srv.EndAuthSession(user) }},
		{"CancelAuthTicket", func() { _ = srv.CancelAuthTicket(1) }},
		//lint:ignore SA1019 the recorder records deprecated calls too
		{"GetGameplayStats", func() { _ = srv.GetGameplayStats() }},
		//lint:ignore SA1019 the recorder records deprecated calls too
		{"GetServerReputation", func() { _, _ = srv.GetServerReputation() }},
		{"AssociateWithClan", func() { _, _ = srv.AssociateWithClan(group) }},
		{"ComputeNewPlayerCompatibility", func() { _, _ = srv.ComputeNewPlayerCompatibility(user) }},
		{"HandleIncomingPacket", func() { _, _ = srv.HandleIncomingPacket([]byte("\xff\xff\xff\xffx"), netip.AddrPortFrom(ip, 9)) }},
		{"GetNextOutgoingPacket", func() { _, _, _ = srv.GetNextOutgoingPacket(make([]byte, steamgs.MinOutgoingPacketBuffer)) }},
		//lint:ignore SA1019 the recorder records deprecated calls too
		{"SendUserConnectAndAuthenticate", func() { _, _, _ = srv.SendUserConnectAndAuthenticate(ip, tk) }},
		//lint:ignore SA1019 the recorder records deprecated calls too
		{"SendUserDisconnect", func() { _ = srv.SendUserDisconnect(user) }},
		{"CreateUnauthenticatedUserConnection", func() { _, _ = srv.CreateUnauthenticatedUserConnection() }},
		{"UpdateUserData", func() { _, _ = srv.UpdateUserData(user, "u", 1) }},
		{"Shutdown", func() { _ = srv.Shutdown() }},
	}
	for _, tc := range tests {
		h.Recorder.Reset()
		tc.call()
		calls := h.Recorder.Calls()
		if assert.Len(t, calls, 1, "%s recorded %v", tc.method, calls) {
			assert.Equal(t, tc.method, calls[0].Method, "%s recorded %v", tc.method, calls)
		}
	}
}
