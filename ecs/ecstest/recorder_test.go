package ecstest_test

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
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
		if got := tc.c.String(); got != tc.want {
			t.Errorf("String() = %s, want %s", got, tc.want)
		}
		if tc.c.Poll() != tc.poll {
			t.Errorf("%s: Poll() = %v", tc.want, !tc.poll)
		}
	}
}

func TestRecorder(t *testing.T) {
	u, err := local.NewUniverse(local.Options{Clock: local.NewManualClock(ecstest.DefaultStart())})
	if err != nil {
		t.Fatal(err)
	}
	rec := ecstest.NewRecorder(u)
	if rec.Capabilities() != u.Capabilities() {
		t.Error("capabilities differ")
	}
	srv := steamgs.NewServer(rec)
	if err := srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication, Version: "1"}); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	if _, ok := rec.Conn().(*local.Server); !ok {
		t.Errorf("Conn() is %T, want *local.Server", rec.Conn())
	}
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
	if len(got) == 0 || !strings.HasPrefix(got[0], "Open(") {
		t.Fatalf("calls %q do not start with Open", got)
	}
	if got = got[1:]; !reflect.DeepEqual(got, want) {
		t.Errorf("calls:\n got  %q\n want %q", got, want)
	}
	if n := rec.Count("SetServerName"); n != 1 {
		t.Errorf("SetServerName counted %d times, want 1", n)
	}
	if n := len(rec.SteamCalls()); n != 3 {
		t.Errorf("%d calls that are not polls, want 3", n)
	}
	rec.Reset()
	if len(rec.Calls()) != 0 || rec.Count("SetServerName") != 0 {
		t.Error("Reset kept calls")
	}
}

func TestHarnessOptions(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true, Mode: steamgs.ModeAuthentication, AppID: 730,
		Tick: 100 * 1e6, Start: ecstest.DefaultStart().AddDate(1, 0, 0)})
	if h.Status().LoggedOn || h.AppID() != 730 || h.Settings().Product() != "730" {
		t.Errorf("logged on %v, app %d, product %q", h.Status().LoggedOn, h.AppID(), h.Settings().Product())
	}
	before := h.Clock.Now()
	h.Step(3)
	if d := h.Clock.Now().Sub(before); d != 300*1e6 {
		t.Errorf("3 steps advanced the clock by %v, want 300ms", d)
	}
	if h.Steps() != 3 {
		t.Errorf("Steps() = %d", h.Steps())
	}
	if h.Recorder.Count("LogOnAnonymous") != 0 {
		t.Error("logged on despite NoLogOn")
	}
}

// TestRecorderNamesEveryMethod calls each method of the server and checks
// that the recorder names the Conn method it reached.
func TestRecorderNamesEveryMethod(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoLogOn: true})
	srv, u := h.Server, h.Universe
	user := h.AddUser("u")
	group := u.AddGroup("g")
	tk, err := h.Ticket(user)
	if err != nil {
		t.Fatal(err)
	}
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
		if len(calls) != 1 || calls[0].Method != tc.method {
			t.Errorf("%s recorded %v", tc.method, calls)
		}
	}
}
