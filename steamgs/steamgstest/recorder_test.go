package steamgstest_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallString(t *testing.T) {
	tests := []struct {
		c    steamgstest.Call
		want string
		poll bool
	}{
		{steamgstest.Call{Method: "LogOn", Args: []any{""}}, `LogOn("")`, false},
		{steamgstest.Call{Method: "Apply", Args: []any{steamgs.FieldServerName | steamgs.FieldAdvertise}},
			"Apply(ServerName|Advertise)", false},
		{steamgstest.Call{Method: "UpdateUserData", Args: []any{steamgs.IndividualID(5), "ann", uint32(3)}},
			`UpdateUserData([U:1:5], "ann", 3)`, false},
		{steamgstest.Call{Method: "BeginAuthSession", Args: []any{[]byte("t\x00"), steamgs.IndividualID(5)}},
			`BeginAuthSession("t\x00", [U:1:5])`, false},
		{steamgstest.Call{Method: "RunCallbacks"}, "RunCallbacks()", true},
		{steamgstest.Call{Method: "Status"}, "Status()", true},
		{steamgstest.Call{Method: "GetNextOutgoingPacket", Args: []any{1400}}, "GetNextOutgoingPacket(1400)", true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.c.String(), "String()")
		assert.Equal(t, tc.poll, tc.c.Poll(), "%s: Poll()", tc.want)
	}
}

// newRecorderUniverse returns a universe on a manual clock.
func newRecorderUniverse(t *testing.T) *local.Universe {
	t.Helper()
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase("recorder"),
		Clock: local.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))})
	require.NoError(t, err)
	return u
}

func TestRecorder(t *testing.T) {
	u := newRecorderUniverse(t)
	rec := steamgstest.NewRecorder(u)
	assert.Equal(t, u.Capabilities(), rec.Capabilities(), "capabilities")
	assert.Nil(t, rec.Conn(), "Conn() before Open")
	srv := steamgs.NewServer(rec)
	require.NoError(t, srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication, Version: "1"}))
	defer srv.Shutdown()
	assert.IsType(t, (*local.Server)(nil), rec.Conn(), "Conn()")
	caps := srv.Capabilities()
	assert.True(t, caps.SharedSocket && caps.UserConnect, "the recorded conn keeps the optional interfaces: %+v", caps)

	require.NoError(t, srv.ApplySettings(steamgs.Settings{ServerName: "a", MapName: "m"}, steamgs.FieldServerName|steamgs.FieldMapName))
	srv.RunCallbacks(nil)
	rec.SetRecording(false)
	require.NoError(t, srv.SetServerName("b"))
	rec.SetRecording(true)
	_, err := srv.HandleIncomingPacket([]byte("\xff\xff\xff\xffx"), netip.MustParseAddrPort("127.0.0.1:9"))
	require.NoError(t, err)
	var got []string
	for _, c := range rec.Calls() {
		got = append(got, c.String())
	}
	want := []string{"Apply(ServerName|MapName)", "RunCallbacks()", `HandleIncomingPacket("\xff\xff\xff\xffx", 127.0.0.1:9)`}
	require.NotEmpty(t, got, "calls")
	require.True(t, strings.HasPrefix(got[0], "Open("), "calls %q do not start with Open", got)
	assert.Equal(t, want, got[1:], "calls")
	assert.Equal(t, 1, rec.Count("Apply"), "Apply count")
	assert.Len(t, rec.SteamCalls(), 3, "calls that are not polls")
	rec.Reset()
	assert.Empty(t, rec.Calls(), "Reset kept calls")
	assert.Zero(t, rec.Count("Apply"), "Reset kept counts")
}

// recBareBackend opens servers with no optional interface.
type recBareBackend struct{}

func (recBareBackend) Open(steamgs.Config) (steamgs.Conn, error) { return steamgstest.NopConn{}, nil }
func (recBareBackend) Capabilities() steamgs.Capabilities        { return steamgs.Capabilities{} }

// recPacketsBackend opens servers that share the game socket only.
type recPacketsBackend struct{}

type recPacketsConn struct{ steamgstest.NopConn }

func (recPacketsConn) HandleIncomingPacket([]byte, netip.AddrPort) bool { return true }
func (recPacketsConn) GetNextOutgoingPacket([]byte) (int, netip.AddrPort) {
	return 0, netip.AddrPort{}
}

func (recPacketsBackend) Open(steamgs.Config) (steamgs.Conn, error) { return recPacketsConn{}, nil }
func (recPacketsBackend) Capabilities() steamgs.Capabilities        { return steamgs.Capabilities{} }

func TestRecorderKeepsOptionalInterfaces(t *testing.T) {
	tests := []struct {
		name             string
		b                steamgs.Backend
		packets, connect bool
	}{
		{"bare", recBareBackend{}, false, false},
		{"packets", recPacketsBackend{}, true, false},
		{"local", newRecorderUniverse(t), true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := steamgstest.NewRecorder(tc.b).Open(steamgs.Config{Mode: steamgs.ModeAuthentication, Version: "1"})
			require.NoError(t, err)
			defer c.Close()
			_, isPackets := c.(steamgs.PacketConn)
			_, isConnect := c.(steamgs.UserConnectConn)
			assert.Equal(t, tc.packets, isPackets, "PacketConn")
			assert.Equal(t, tc.connect, isConnect, "UserConnectConn")
		})
	}
}

// TestRecorderNamesEveryMethod calls each method of a server over the
// embedded Steam and checks the Conn call the recorder saw.
func TestRecorderNamesEveryMethod(t *testing.T) {
	u := newRecorderUniverse(t)
	rec := steamgstest.NewRecorder(u)
	srv := steamgs.NewServer(rec)
	require.NoError(t, srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication,
		Version: "1", AppID: 480}))
	user := u.AddUser(local.User{Name: "u", Apps: []steamgs.AppID{480}})
	group := u.AddGroup("g")
	_, tk, err := u.GetAuthSessionTicket(user, 480, steamgs.Identity{})
	require.NoError(t, err)
	ip := netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		want string // the call as the recorder writes it
		call func()
	}{
		{"Apply(Product)", func() { _ = srv.SetProduct("p") }},
		{"Apply(GameDescription)", func() { _ = srv.SetGameDescription("d") }},
		{"Apply(ModDir)", func() { _ = srv.SetModDir("m") }},
		{"Apply(Dedicated)", func() { _ = srv.SetDedicatedServer(true) }},
		{`LogOn("token")`, func() { _ = srv.LogOn("token") }},
		{"LogOff()", func() { _ = srv.LogOff() }},
		{`LogOn("")`, func() { _ = srv.LogOnAnonymous() }},
		{"Status()", func() { srv.LoggedOn() }},
		{"Status()", func() { srv.Secure() }},
		{"Status()", func() { srv.SteamID() }},
		{"Status()", func() { srv.WasRestartRequested() }},
		{"Status()", func() { srv.PublicIP() }},
		{"Status()", func() { srv.QueryPort() }},
		{"ReleaseThreadMemory()", func() { srv.ReleaseThreadMemory() }},
		{"RunCallbacks()", func() { srv.RunCallbacks(nil) }},
		{"Apply(MaxPlayers)", func() { _ = srv.SetMaxPlayerCount(4) }},
		{"Apply(Bots)", func() { _ = srv.SetBotPlayerCount(1) }},
		{"Apply(ServerName)", func() { _ = srv.SetServerName("n") }},
		{"Apply(MapName)", func() { _ = srv.SetMapName("m") }},
		{"Apply(PasswordProtected)", func() { _ = srv.SetPasswordProtected(true) }},
		{"Apply(SpectatorPort)", func() { _ = srv.SetSpectatorPort(1) }},
		{"Apply(SpectatorServerName)", func() { _ = srv.SetSpectatorServerName("s") }},
		{"Apply(KeyValues)", func() { _ = srv.ClearAllKeyValues() }},
		{"Apply(KeyValues)", func() { _ = srv.SetKeyValue("k", "v") }},
		{"Apply(GameTags)", func() { _ = srv.SetGameTags("t") }},
		{"Apply(GameData)", func() { _ = srv.SetGameData("d") }},
		{"Apply(Region)", func() { _ = srv.SetRegion("r") }},
		{"Apply(Advertise)", func() { _ = srv.SetAdvertiseServerActive(true) }},
		{"Apply(GameTags|Advertise)", func() {
			_ = srv.ApplySettings(steamgs.Settings{GameTags: "a"}, steamgs.FieldGameTags|steamgs.FieldAdvertise)
		}},
		{"GetAuthSessionTicket", func() { _, _, _ = srv.GetAuthSessionTicket(steamgs.Identity{}) }},
		{"BeginAuthSession", func() { _, _ = srv.BeginAuthSession(tk, user) }},
		{"UserHasLicenseForApp(" + user.String() + ", 480)", func() { _, _ = srv.UserHasLicenseForApp(user, 480) }},
		{"Request", func() { _, _ = srv.RequestUserGroupStatus(user, group) }},
		{"EndAuthSession(" + user.String() + ")", func() { _ = srv.EndAuthSession(user) }},
		{"CancelAuthTicket(1)", func() { _ = srv.CancelAuthTicket(1) }},
		//lint:ignore SA1019 the recorder records deprecated calls too
		{"Request", func() { _ = srv.GetGameplayStats() }},
		//lint:ignore SA1019 the recorder records deprecated calls too
		{"Request", func() { _, _ = srv.GetServerReputation() }},
		{"Request", func() { _, _ = srv.AssociateWithClan(group) }},
		{"Request", func() { _, _ = srv.ComputeNewPlayerCompatibility(user) }},
		{`HandleIncomingPacket("\xff\xff\xff\xffx", 127.0.0.1:9)`, func() {
			_, _ = srv.HandleIncomingPacket([]byte("\xff\xff\xff\xffx"), netip.AddrPortFrom(ip, 9))
		}},
		{"GetNextOutgoingPacket(16384)", func() {
			_, _, _ = srv.GetNextOutgoingPacket(make([]byte, steamgs.MinOutgoingPacketBuffer))
		}},
		//lint:ignore SA1019 the recorder records deprecated calls too
		{"SendUserConnectAndAuthenticate", func() { _, _, _ = srv.SendUserConnectAndAuthenticate(ip, tk) }},
		//lint:ignore SA1019 the recorder records deprecated calls too
		{"SendUserDisconnect(" + user.String() + ")", func() { _ = srv.SendUserDisconnect(user) }},
		{"CreateUnauthenticatedUserConnection()", func() { _, _ = srv.CreateUnauthenticatedUserConnection() }},
		{`UpdateUserData(` + user.String() + `, "u", 1)`, func() { _, _ = srv.UpdateUserData(user, "u", 1) }},
		{"Close()", func() { _ = srv.Shutdown() }},
	}
	for _, tc := range tests {
		rec.Reset()
		tc.call()
		calls := rec.Calls()
		if assert.Len(t, calls, 1, "%s recorded %v", tc.want, calls) {
			got := calls[0].String()
			if !strings.Contains(tc.want, "(") {
				got = calls[0].Method // arguments too long or variable to spell out
			}
			assert.Equal(t, tc.want, got, "recorded call")
		}
	}
}
