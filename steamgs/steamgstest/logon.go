package steamgstest

import (
	"github.com/steamgs/steamgs/steamgs"
)

func logOnCases() []testCase {
	return []testCase{
		{"NoConnection", notConnected, logOnNoConnection},
		{"Anonymous", connected, logOnAnonymous},
		{"Token", connected, logOnToken},
		{"UnknownToken", connected, logOnUnknownToken},
		{"Secure", connected, logOnSecure},
		{"LogOff", connected, logOnLogOff},
	}
}

// logOnNoConnection: without a Steam connection, a log-on neither hangs nor
// succeeds: in the harness's rounds of RunCallbacks no ServerConnected
// arrives (a ServerConnectFailure may, with a result other than OK),
// LoggedOn stays false, and the server shuts down.
func logOnNoConnection(e *env) {
	t := e.t
	for _, logOn := range []struct {
		name string
		do   func(*server) error
	}{
		{"LogOnAnonymous", func(s *server) error { return s.LogOnAnonymous() }},
		{"LogOn", func(s *server) error { return s.LogOn("steamgstest-token") }},
	} {
		s := e.ready(steamgs.ModeAuthentication)
		if err := logOn.do(s); err != nil {
			t.Fatalf("%s: %v", logOn.name, err)
		}
		s.quiet("ServerConnected without a Steam connection", isType[steamgs.ServerConnected])
		if s.LoggedOn() {
			t.Errorf("LoggedOn() after %s without a Steam connection", logOn.name)
		}
		if err := s.Shutdown(); err != nil {
			t.Errorf("Shutdown after %s: %v", logOn.name, err)
		}
	}
}

// logOnAnonymous: LogOnAnonymous is answered, on a later RunCallbacks, by
// ServerConnected and PolicyResponse; the server is then logged on with a
// valid anonymous game server Steam ID, no restart request and a public IPv4
// address. Nothing of it shows before RunCallbacks delivers it.
func logOnAnonymous(e *env) {
	t := e.t
	s := e.ready(steamgs.ModeAuthentication)
	if err := s.LogOnAnonymous(); err != nil {
		t.Fatal(err)
	}
	if s.LoggedOn() || s.SteamID() != 0 {
		t.Errorf("before RunCallbacks: LoggedOn() %v, SteamID() %v; want false, 0", s.LoggedOn(), s.SteamID())
	}
	s.await("ServerConnected", isType[steamgs.ServerConnected])
	if !s.LoggedOn() {
		t.Error("LoggedOn() is false after ServerConnected")
	}
	s.await("PolicyResponse", isType[steamgs.PolicyResponse])
	id := s.SteamID()
	if !id.IsValid() || id.Type() != steamgs.AccountTypeAnonGameServer || id.Universe() != steamgs.UniversePublic {
		t.Errorf("SteamID() = %v (%d) after LogOnAnonymous, want a valid anonymous game server of the public universe", id, uint64(id))
	}
	if s.WasRestartRequested() {
		t.Error("WasRestartRequested() without a request")
	}
	if ip := s.PublicIP(); !ip.Is4() {
		t.Errorf("PublicIP() = %v, want an IPv4 address", ip)
	}
	s.quiet("a second ServerConnected or a failure", func(cb steamgs.Callback) bool {
		return isType[steamgs.ServerConnected](cb) || isType[steamgs.ServerConnectFailure](cb) || isType[steamgs.ServerDisconnected](cb)
	})
}

// logOnToken: LogOn with a token Steam accepts logs on to a persistent game
// server account [G:1:N], the same account every time the token is used.
func logOnToken(e *env) {
	t := e.t
	token, err := e.steam.NewToken()
	if err != nil {
		t.Fatalf("Steam.NewToken: %v", err)
	}
	var first steamgs.SteamID
	for i := range 2 {
		s := e.ready(steamgs.ModeAuthentication)
		if err := s.LogOn(token); err != nil {
			t.Fatal(err)
		}
		s.awaitLogOn()
		id := s.SteamID()
		if !id.IsValid() || id.Type() != steamgs.AccountTypeGameServer || id.Universe() != steamgs.UniversePublic {
			t.Errorf("SteamID() = %v after LogOn, want a valid persistent game server of the public universe", id)
		}
		if i == 0 {
			first = id
		} else if id != first {
			t.Errorf("the token gave %v, then %v; want the same account", first, id)
		}
		if err := s.Shutdown(); err != nil {
			t.Fatal(err)
		}
	}
}

// logOnUnknownToken: LogOn with a token Steam does not know fails with a
// ServerConnectFailure (a result other than OK) and no ServerConnected.
func logOnUnknownToken(e *env) {
	t := e.t
	s := e.ready(steamgs.ModeAuthentication)
	if err := s.LogOn("steamgstest-unknown-token"); err != nil {
		t.Fatal(err)
	}
	s.await("ServerConnectFailure", isType[steamgs.ServerConnectFailure])
	s.quiet("ServerConnected with an unknown token", isType[steamgs.ServerConnected])
	if s.LoggedOn() {
		t.Error("LoggedOn() with an unknown token")
	}
}

// logOnSecure: the PolicyResponse, and Secure, say secure exactly for
// servers in ModeAuthenticationAndSecure.
func logOnSecure(e *env) {
	t := e.t
	for _, m := range []steamgs.ServerMode{steamgs.ModeNoAuthentication, steamgs.ModeAuthentication, steamgs.ModeAuthenticationAndSecure} {
		want := m == steamgs.ModeAuthenticationAndSecure
		s := e.ready(m)
		if err := s.LogOnAnonymous(); err != nil {
			t.Fatal(err)
		}
		s.await("ServerConnected", isType[steamgs.ServerConnected])
		p := s.await("PolicyResponse", isType[steamgs.PolicyResponse]).(steamgs.PolicyResponse)
		if p.Secure != want || s.Secure() != want {
			t.Errorf("mode %v: PolicyResponse.Secure %v, Secure() %v; want %v", m, p.Secure, s.Secure(), want)
		}
		if err := s.Shutdown(); err != nil {
			t.Fatal(err)
		}
	}
}

// logOnLogOff: LogOff is answered by ServerDisconnected, after which the
// server is logged off; it may log on again.
func logOnLogOff(e *env) {
	t := e.t
	s := e.loggedOn(steamgs.ModeAuthentication)
	if err := s.LogOff(); err != nil {
		t.Fatal(err)
	}
	s.await("ServerDisconnected", isType[steamgs.ServerDisconnected])
	if s.LoggedOn() {
		t.Error("LoggedOn() after ServerDisconnected")
	}
	s.quiet("ServerConnected after LogOff", isType[steamgs.ServerConnected])
	s.logOnAnonymous()
	if !s.SteamID().IsValid() {
		t.Errorf("SteamID() = %v after logging on again", s.SteamID())
	}
}
