package steamgstest

//lint:file-ignore SA1019 the suite checks the deprecated methods too: back ends must keep them working

import (
	"errors"
	"net/netip"
	"reflect"
	"testing"

	"github.com/steamgs/steamgs/steamgs"
)

func lifecycleCases() []testCase {
	return []testCase{
		{"BeforeInit", anyBackEnd, lifeBeforeInit},
		{"AfterShutdown", anyBackEnd, lifeAfterShutdown},
		{"InitTwice", anyBackEnd, lifeInitTwice},
		{"ReInit", anyBackEnd, lifeReInit},
		{"NotLoggedOn", anyBackEnd, lifeNotLoggedOn},
		{"QueryPortShared", anyBackEnd, lifeQueryPortShared},
		{"QueryPortBound", queries, lifeQueryPortBound},
		{"ShutdownDropsCallbacks", connected, lifeShutdownDropsCallbacks},
		{"OneServerAtATime", single, lifeOneServer},
		{"ServersAreIndependent", multiple, lifeServersIndependent},
	}
}

// notRunning calls every method of s with valid arguments and fails for any
// that does not answer as a server that is not running: an error matching
// ErrNotInitialized from methods that return errors, and zero values (or
// NoAuth, InvalidTicket: the values that grant nothing) otherwise.
func notRunning(t *testing.T, s *steamgs.Server) {
	t.Helper()
	user, clan := someUser, someClan
	from := netip.AddrPortFrom(loopback, 27005)
	errs := map[string]error{}
	zero := map[string]bool{}
	errs["Shutdown"] = s.Shutdown()
	zero["Running"] = !s.Running()
	zero["Config"] = s.Config() == steamgs.Config{}
	zero["QueryPort"] = s.QueryPort() == 0
	called := false
	s.RunCallbacks(func(steamgs.Callback) { called = true })
	s.RunCallbacks(nil)
	zero["RunCallbacks"] = !called
	s.ReleaseThreadMemory()
	zero["LoggedOn"] = !s.LoggedOn()
	zero["Secure"] = !s.Secure()
	zero["SteamID"] = s.SteamID() == 0
	zero["WasRestartRequested"] = !s.WasRestartRequested()
	zero["PublicIP"] = !s.PublicIP().IsValid()
	rawCalled := false
	errs["Raw"] = s.Raw(func(any) error { rawCalled = true; return nil })
	zero["Raw"] = !rawCalled
	errs["ApplySettings"] = s.ApplySettings(steamgs.Settings{ServerName: "n"}, steamgs.FieldServerName)
	errs["SetProduct"] = s.SetProduct("480")
	errs["SetGameDescription"] = s.SetGameDescription("d")
	errs["SetModDir"] = s.SetModDir("m")
	errs["SetDedicatedServer"] = s.SetDedicatedServer(true)
	errs["LogOn"] = s.LogOn("token")
	errs["LogOnAnonymous"] = s.LogOnAnonymous()
	errs["LogOff"] = s.LogOff()
	errs["SetMaxPlayerCount"] = s.SetMaxPlayerCount(1)
	errs["SetBotPlayerCount"] = s.SetBotPlayerCount(1)
	errs["SetServerName"] = s.SetServerName("n")
	errs["SetMapName"] = s.SetMapName("m")
	errs["SetPasswordProtected"] = s.SetPasswordProtected(true)
	errs["SetSpectatorPort"] = s.SetSpectatorPort(1)
	errs["SetSpectatorServerName"] = s.SetSpectatorServerName("s")
	errs["ClearAllKeyValues"] = s.ClearAllKeyValues()
	errs["SetKeyValue"] = s.SetKeyValue("k", "v")
	errs["SetGameTags"] = s.SetGameTags("t")
	errs["SetGameData"] = s.SetGameData("d")
	errs["SetRegion"] = s.SetRegion("r")
	errs["SetAdvertiseServerActive"] = s.SetAdvertiseServerActive(true)
	var h steamgs.AuthTicket
	var tk []byte
	h, tk, errs["GetAuthSessionTicket"] = s.GetAuthSessionTicket(steamgs.Identity{})
	zero["GetAuthSessionTicket"] = h == 0 && tk == nil
	var br steamgs.BeginAuthSessionResult
	br, errs["BeginAuthSession"] = s.BeginAuthSession([]byte{1}, user)
	zero["BeginAuthSession"] = br == steamgs.BeginAuthInvalidTicket
	errs["EndAuthSession"] = s.EndAuthSession(user)
	errs["CancelAuthTicket"] = s.CancelAuthTicket(1)
	var lr steamgs.LicenseResult
	lr, errs["UserHasLicenseForApp"] = s.UserHasLicenseForApp(user, 480)
	zero["UserHasLicenseForApp"] = lr == steamgs.NoAuth
	var ok bool
	ok, errs["RequestUserGroupStatus"] = s.RequestUserGroupStatus(user, clan)
	zero["RequestUserGroupStatus"] = !ok
	var call steamgs.APICall
	call, errs["AssociateWithClan"] = s.AssociateWithClan(clan)
	zero["AssociateWithClan"] = call == 0
	call, errs["ComputeNewPlayerCompatibility"] = s.ComputeNewPlayerCompatibility(user)
	zero["ComputeNewPlayerCompatibility"] = call == 0
	errs["GetGameplayStats"] = s.GetGameplayStats()
	call, errs["GetServerReputation"] = s.GetServerReputation()
	zero["GetServerReputation"] = call == 0
	var id steamgs.SteamID
	id, ok, errs["SendUserConnectAndAuthenticate"] = s.SendUserConnectAndAuthenticate(loopback, []byte{1})
	zero["SendUserConnectAndAuthenticate"] = id == 0 && !ok
	errs["SendUserDisconnect"] = s.SendUserDisconnect(user)
	id, errs["CreateUnauthenticatedUserConnection"] = s.CreateUnauthenticatedUserConnection()
	zero["CreateUnauthenticatedUserConnection"] = id == 0
	ok, errs["UpdateUserData"] = s.UpdateUserData(user, "n", 1)
	zero["UpdateUserData"] = !ok
	ok, errs["HandleIncomingPacket"] = s.HandleIncomingPacket([]byte("\xFF\xFF\xFF\xFFi"), from)
	zero["HandleIncomingPacket"] = !ok
	var n int
	var to netip.AddrPort
	n, to, errs["GetNextOutgoingPacket"] = s.GetNextOutgoingPacket(make([]byte, steamgs.MinOutgoingPacketBuffer))
	zero["GetNextOutgoingPacket"] = n == 0 && !to.IsValid()
	for name, err := range errs {
		if !errors.Is(err, steamgs.ErrNotInitialized) {
			t.Errorf("%s on a server that is not running: error %v, want one matching ErrNotInitialized", name, err)
		}
	}
	for name, z := range zero {
		if !z {
			t.Errorf("%s on a server that is not running returned a value other than its zero value", name)
		}
	}
	// Every method but Init and the read-only Settings, Capabilities and
	// Inits (checked by lifeReInit) was called above.
	typ := reflect.TypeFor[*steamgs.Server]()
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		_, e := errs[name]
		_, z := zero[name]
		if !e && !z && name != "Init" && name != "Settings" && name != "Capabilities" && name != "Inits" &&
			name != "ReleaseThreadMemory" {
			t.Errorf("steamgstest does not check %s on a server that is not running", name)
		}
	}
}

// lifeBeforeInit: every method of a server not yet initialized answers as a
// server that is not running, and the back end's capabilities are known.
func lifeBeforeInit(e *env) {
	s := e.newServer()
	if got := s.Capabilities(); got != e.caps {
		e.t.Errorf("Capabilities() = %+v, want the back end's %+v", got, e.caps)
	}
	notRunning(e.t, s.Server)
	if err := s.Init(e.config(steamgs.ModeAuthentication)); err != nil {
		e.t.Errorf("Init after calls on a server that was not running: %v", err)
	}
}

// lifeAfterShutdown: after Shutdown (of a server that had settings, a log-on
// under way and, with a connection, a session) every method answers as a
// server that is not running, and Shutdown again returns ErrNotInitialized.
func lifeAfterShutdown(e *env) {
	s := e.ready(steamgs.ModeAuthentication)
	if err := s.SetServerName("going away"); err != nil {
		e.t.Fatal(err)
	}
	if e.steam != nil {
		s.logOnAnonymous()
		if _, err := s.CreateUnauthenticatedUserConnection(); err != nil {
			e.t.Fatal(err)
		}
	} else if err := s.LogOnAnonymous(); err != nil {
		e.t.Fatal(err)
	}
	if err := s.Shutdown(); err != nil {
		e.t.Fatalf("Shutdown: %v", err)
	}
	if got := s.Settings().ServerName; got != "going away" {
		e.t.Errorf("Settings() after Shutdown: server name %q, want the last one given", got)
	}
	notRunning(e.t, s.Server)
}

// lifeInitTwice: Init on a running server is refused with
// ErrAlreadyInitialized and leaves it running as it was.
func lifeInitTwice(e *env) {
	t := e.t
	cfg := e.config(steamgs.ModeAuthentication)
	s := e.start(cfg)
	if err := s.SetServerName("first"); err != nil {
		t.Fatal(err)
	}
	expectErr(t, s.Init(e.config(steamgs.ModeNoAuthentication)), steamgs.ErrAlreadyInitialized, "Shutdown")
	if !s.Running() || s.Config() != cfg {
		t.Errorf("after a refused Init: Running() = %v, Config() = %+v; want the first server", s.Running(), s.Config())
	}
	if got := s.Settings().ServerName; got != "first" {
		t.Errorf("a refused Init changed the settings: server name %q", got)
	}
	if err := s.SetMapName("still running"); err != nil {
		t.Errorf("SetMapName after a refused Init: %v", err)
	}
}

// lifeReInit: a server initialized again after Shutdown starts afresh, three
// times over, and counts its Inits.
func lifeReInit(e *env) {
	t := e.t
	s := e.newServer()
	for cycle := range 3 {
		cfg := e.config(steamgs.ModeAuthentication)
		if err := s.Init(cfg); err != nil {
			t.Fatalf("Init (cycle %d): %v", cycle, err)
		}
		if !s.Running() || s.Config() != cfg {
			t.Errorf("cycle %d: Running() = %v, Config() = %+v, want %+v", cycle, s.Running(), s.Config(), cfg)
		}
		if got := s.Inits(); got != uint64(cycle+1) {
			t.Errorf("cycle %d: Inits() = %d, want %d", cycle, got, cycle+1)
		}
		if got := s.Settings(); !reflect.DeepEqual(got, steamgs.Settings{}) {
			t.Errorf("cycle %d: Settings() = %+v after Init, want none", cycle, got)
		}
		s.setRequired()
		if err := s.LogOnAnonymous(); err != nil {
			t.Fatalf("cycle %d: LogOnAnonymous: %v", cycle, err)
		}
		s.run()
		if err := s.Shutdown(); err != nil {
			t.Fatalf("cycle %d: Shutdown: %v", cycle, err)
		}
		if s.Running() {
			t.Errorf("cycle %d: running after Shutdown", cycle)
		}
	}
}

// lifeNotLoggedOn: a server that never logged on is not logged on, not
// secure, has no Steam ID and no restart request.
func lifeNotLoggedOn(e *env) {
	t := e.t
	s := e.ready(steamgs.ModeAuthenticationAndSecure)
	s.run()
	if s.LoggedOn() || s.Secure() || s.SteamID() != 0 || s.WasRestartRequested() {
		t.Errorf("before log-on: LoggedOn %v, Secure %v, SteamID %v, WasRestartRequested %v; want false, false, 0, false",
			s.LoggedOn(), s.Secure(), s.SteamID(), s.WasRestartRequested())
	}
}

// lifeQueryPortShared: a server initialized with QueryPortShared reports it.
func lifeQueryPortShared(e *env) {
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.QueryPort = steamgs.QueryPortShared
	s := e.start(cfg)
	if got := s.QueryPort(); got != steamgs.QueryPortShared {
		e.t.Errorf("QueryPort() = %d, want QueryPortShared", got)
	}
}

// lifeQueryPortBound: a server that answers queries binds an ephemeral port
// when Config.QueryPort is 0, and reports it.
func lifeQueryPortBound(e *env) {
	s := e.start(e.config(steamgs.ModeAuthentication))
	if p := s.QueryPort(); p == 0 || p == steamgs.QueryPortShared {
		e.t.Errorf("QueryPort() = %d, want the port bound", p)
	}
}

// lifeShutdownDropsCallbacks: callbacks pending at Shutdown are dropped: a
// server initialized again does not get the answer to a log-on made before.
func lifeShutdownDropsCallbacks(e *env) {
	t := e.t
	s := e.ready(steamgs.ModeAuthentication)
	if err := s.LogOnAnonymous(); err != nil {
		t.Fatal(err)
	}
	if err := s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if err := s.Init(e.config(steamgs.ModeAuthentication)); err != nil {
		t.Fatal(err)
	}
	s.quiet("the answer to a log-on made before Shutdown", isType[steamgs.ServerConnected])
	if s.LoggedOn() {
		t.Error("LoggedOn() after Init, without a log-on")
	}
}

// lifeOneServer: a back end that runs one server at a time refuses a second
// with ErrInUse, leaves the first running, and takes a new one once the
// first is shut down.
func lifeOneServer(e *env) {
	t := e.t
	first := e.start(e.config(steamgs.ModeAuthentication))
	second := e.newServer()
	err := second.Init(e.config(steamgs.ModeAuthentication))
	if !errors.Is(err, steamgs.ErrInUse) {
		t.Fatalf("Init of a second server: %v, want an error matching ErrInUse", err)
	}
	if second.Running() || !first.Running() {
		t.Fatalf("after a refused second server: first running %v, second %v", first.Running(), second.Running())
	}
	if err := first.SetServerName("first"); err != nil {
		t.Errorf("the first server after a refused second: %v", err)
	}
	if err := first.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if err := second.Init(e.config(steamgs.ModeAuthentication)); err != nil {
		t.Errorf("Init of a second server after the first shut down: %v", err)
	}
}

// lifeServersIndependent: servers of one back end run at once with their own
// settings and, with a connection, their own Steam IDs and callbacks; shutting
// one down leaves the other running.
func lifeServersIndependent(e *env) {
	t := e.t
	a := e.ready(steamgs.ModeAuthentication)
	b := e.ready(steamgs.ModeAuthenticationAndSecure)
	if err := errors.Join(a.SetServerName("a"), b.SetServerName("b")); err != nil {
		t.Fatal(err)
	}
	if a.Settings().ServerName != "a" || b.Settings().ServerName != "b" {
		t.Errorf("server names %q and %q, want a and b", a.Settings().ServerName, b.Settings().ServerName)
	}
	if e.steam != nil {
		a.logOnAnonymous()
		if b.LoggedOn() {
			t.Error("the second server is logged on after the first logged on")
		}
		b.logOnAnonymous()
		if a.SteamID() == b.SteamID() {
			t.Errorf("both servers have Steam ID %v", a.SteamID())
		}
		if a.Secure() || !b.Secure() {
			t.Errorf("Secure() = %v and %v, want false (Authentication) and true (AuthenticationAndSecure)", a.Secure(), b.Secure())
		}
	}
	if err := a.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if !b.Running() {
		t.Fatal("shutting one server down stopped the other")
	}
	if err := b.SetMapName("still running"); err != nil {
		t.Error(err)
	}
	if e.steam != nil && !b.LoggedOn() {
		t.Error("shutting one server down logged the other off")
	}
}
