package steamgs_test

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/steamgs"
)

// call is one call a fakeBackend or fakeConn received: the method's name and
// its arguments, copied.
type call struct {
	Method string
	Args   []any
}

// fakeBackend is a steamgs.Backend that records every call it and its
// connections receive and answers with canned values.
type fakeBackend struct {
	caps    steamgs.Capabilities
	openErr error
	calls   []call
	conn    *fakeConn // the last connection opened
	// answers are the values every connection returns.
	answers answers
}

// answers are the canned return values of a fakeConn.
type answers struct {
	shutdownErr  error
	queryPort    uint16
	loggedOn     bool
	secure       bool
	steamID      steamgs.SteamID
	restart      bool
	ticketHandle steamgs.AuthTicket
	ticket       []byte
	ticketLen    int // when non-zero, the length GetAuthSessionTicket reports instead of len(ticket)
	beginResult  steamgs.BeginAuthSessionResult
	license      steamgs.LicenseResult
	groupStatus  bool
	apiCall      steamgs.APICall
	publicIP     netip.Addr
	handled      bool
	outgoing     []byte
	outgoingTo   netip.AddrPort
	connectID    steamgs.SteamID
	connectOK    bool
	unauthID     steamgs.SteamID
	updated      bool
	callbacks    []steamgs.Callback
}

func (b *fakeBackend) record(method string, args ...any) {
	if args == nil {
		args = []any{}
	}
	for i, a := range args {
		if p, ok := a.([]byte); ok {
			args[i] = append([]byte(nil), p...)
		}
	}
	b.calls = append(b.calls, call{method, args})
}

// Open records cfg and returns a new fakeConn, or openErr.
func (b *fakeBackend) Open(cfg steamgs.Config) (steamgs.Conn, error) {
	b.record("Open", cfg)
	if b.openErr != nil {
		return nil, b.openErr
	}
	b.conn = &fakeConn{b: b}
	return b.conn, nil
}

// Capabilities returns caps; it is not recorded.
func (b *fakeBackend) Capabilities() steamgs.Capabilities { return b.caps }

// fakeConn is the connection of a fakeBackend.
type fakeConn struct{ b *fakeBackend }

func (c *fakeConn) rec(method string, args ...any) { c.b.record(method, args...) }
func (c *fakeConn) a() *answers                    { return &c.b.answers }

func (c *fakeConn) Shutdown() error { c.rec("Shutdown"); return c.a().shutdownErr }
func (c *fakeConn) RunCallbacks(emit func(steamgs.Callback)) {
	c.rec("RunCallbacks")
	for _, cb := range c.a().callbacks {
		emit(cb)
	}
}
func (c *fakeConn) ReleaseThreadMemory()                  { c.rec("ReleaseThreadMemory") }
func (c *fakeConn) QueryPort() uint16                     { c.rec("QueryPort"); return c.a().queryPort }
func (c *fakeConn) SetProduct(v string)                   { c.rec("SetProduct", v) }
func (c *fakeConn) SetGameDescription(v string)           { c.rec("SetGameDescription", v) }
func (c *fakeConn) SetModDir(v string)                    { c.rec("SetModDir", v) }
func (c *fakeConn) SetDedicatedServer(v bool)             { c.rec("SetDedicatedServer", v) }
func (c *fakeConn) LogOn(token string)                    { c.rec("LogOn", token) }
func (c *fakeConn) LogOnAnonymous()                       { c.rec("LogOnAnonymous") }
func (c *fakeConn) LogOff()                               { c.rec("LogOff") }
func (c *fakeConn) LoggedOn() bool                        { c.rec("LoggedOn"); return c.a().loggedOn }
func (c *fakeConn) Secure() bool                          { c.rec("Secure"); return c.a().secure }
func (c *fakeConn) SteamID() steamgs.SteamID              { c.rec("SteamID"); return c.a().steamID }
func (c *fakeConn) WasRestartRequested() bool             { c.rec("WasRestartRequested"); return c.a().restart }
func (c *fakeConn) SetMaxPlayerCount(n int)               { c.rec("SetMaxPlayerCount", n) }
func (c *fakeConn) SetBotPlayerCount(n int)               { c.rec("SetBotPlayerCount", n) }
func (c *fakeConn) SetServerName(v string)                { c.rec("SetServerName", v) }
func (c *fakeConn) SetMapName(v string)                   { c.rec("SetMapName", v) }
func (c *fakeConn) SetPasswordProtected(v bool)           { c.rec("SetPasswordProtected", v) }
func (c *fakeConn) SetSpectatorPort(p uint16)             { c.rec("SetSpectatorPort", p) }
func (c *fakeConn) SetSpectatorServerName(v string)       { c.rec("SetSpectatorServerName", v) }
func (c *fakeConn) ClearAllKeyValues()                    { c.rec("ClearAllKeyValues") }
func (c *fakeConn) SetKeyValue(k, v string)               { c.rec("SetKeyValue", k, v) }
func (c *fakeConn) SetGameTags(v string)                  { c.rec("SetGameTags", v) }
func (c *fakeConn) SetGameData(v string)                  { c.rec("SetGameData", v) }
func (c *fakeConn) SetRegion(v string)                    { c.rec("SetRegion", v) }
func (c *fakeConn) SetAdvertiseServerActive(v bool)       { c.rec("SetAdvertiseServerActive", v) }
func (c *fakeConn) EndAuthSession(u steamgs.SteamID)      { c.rec("EndAuthSession", u) }
func (c *fakeConn) CancelAuthTicket(h steamgs.AuthTicket) { c.rec("CancelAuthTicket", h) }
func (c *fakeConn) GetGameplayStats()                     { c.rec("GetGameplayStats") }
func (c *fakeConn) SendUserDisconnect(u steamgs.SteamID)  { c.rec("SendUserDisconnect", u) }
func (c *fakeConn) PublicIP() netip.Addr                  { c.rec("PublicIP"); return c.a().publicIP }

func (c *fakeConn) GetAuthSessionTicket(buf []byte, forID steamgs.Identity) (steamgs.AuthTicket, int) {
	c.rec("GetAuthSessionTicket", len(buf), forID)
	n := copy(buf, c.a().ticket)
	if c.a().ticketLen != 0 {
		n = c.a().ticketLen
	}
	return c.a().ticketHandle, n
}

func (c *fakeConn) BeginAuthSession(ticket []byte, user steamgs.SteamID) steamgs.BeginAuthSessionResult {
	c.rec("BeginAuthSession", ticket, user)
	return c.a().beginResult
}

func (c *fakeConn) UserHasLicenseForApp(user steamgs.SteamID, app steamgs.AppID) steamgs.LicenseResult {
	c.rec("UserHasLicenseForApp", user, app)
	return c.a().license
}

func (c *fakeConn) RequestUserGroupStatus(user, group steamgs.SteamID) bool {
	c.rec("RequestUserGroupStatus", user, group)
	return c.a().groupStatus
}

func (c *fakeConn) GetServerReputation() steamgs.APICall {
	c.rec("GetServerReputation")
	return c.a().apiCall
}

func (c *fakeConn) AssociateWithClan(clan steamgs.SteamID) steamgs.APICall {
	c.rec("AssociateWithClan", clan)
	return c.a().apiCall
}

func (c *fakeConn) ComputeNewPlayerCompatibility(user steamgs.SteamID) steamgs.APICall {
	c.rec("ComputeNewPlayerCompatibility", user)
	return c.a().apiCall
}

func (c *fakeConn) HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool {
	c.rec("HandleIncomingPacket", pkt, from)
	return c.a().handled
}

func (c *fakeConn) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort) {
	c.rec("GetNextOutgoingPacket", len(buf))
	return copy(buf, c.a().outgoing), c.a().outgoingTo
}

func (c *fakeConn) SendUserConnectAndAuthenticate(ip netip.Addr, ticket []byte) (steamgs.SteamID, bool) {
	c.rec("SendUserConnectAndAuthenticate", ip, ticket)
	return c.a().connectID, c.a().connectOK
}

func (c *fakeConn) CreateUnauthenticatedUserConnection() steamgs.SteamID {
	c.rec("CreateUnauthenticatedUserConnection")
	return c.a().unauthID
}

func (c *fakeConn) UpdateUserData(user steamgs.SteamID, name string, score uint32) bool {
	c.rec("UpdateUserData", user, name, score)
	return c.a().updated
}

// goodConfig is a Config that Init accepts.
var goodConfig = steamgs.Config{
	IP:        netip.MustParseAddr("127.0.0.1"),
	GamePort:  27015,
	QueryPort: 27016,
	Mode:      steamgs.ModeAuthentication,
	Version:   "1.0.0.0",
	AppID:     480,
}

// running returns an initialized server over a new fakeBackend whose call
// log is empty.
func running(t *testing.T) (*steamgs.Server, *fakeBackend) {
	t.Helper()
	b := &fakeBackend{}
	s := steamgs.NewServer(b)
	if err := s.Init(goodConfig); err != nil {
		t.Fatalf("Init: %v", err)
	}
	b.calls = nil
	return s, b
}

// ready returns a running server whose required settings are set, so that
// it may log on, with an empty call log.
func ready(t *testing.T) (*steamgs.Server, *fakeBackend) {
	t.Helper()
	s, b := running(t)
	for _, err := range []error{s.SetProduct("480"), s.SetGameDescription("Spacewar"), s.SetModDir("spacewar")} {
		if err != nil {
			t.Fatalf("required setting: %v", err)
		}
	}
	b.calls = nil
	return s, b
}

// expectCalls fails unless the back end received exactly want since its log
// was last emptied.
func expectCalls(t *testing.T, b *fakeBackend, want ...call) {
	t.Helper()
	got := b.calls
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("back end calls:\n got %s\nwant %s", fmtCalls(got), fmtCalls(want))
	}
}

// expectNoCalls fails when the back end received any call since its log was
// last emptied: a refused call must never reach it.
func expectNoCalls(t *testing.T, b *fakeBackend) {
	t.Helper()
	if len(b.calls) != 0 {
		t.Errorf("the back end was called: %s; a refused call must not reach it", fmtCalls(b.calls))
	}
}

// op builds a call.
func op(method string, args ...any) call {
	if args == nil {
		args = []any{}
	}
	return call{method, args}
}

func fmtCalls(cs []call) string {
	s := "["
	for i, c := range cs {
		if i > 0 {
			s += ", "
		}
		s += c.Method + "("
		for j, a := range c.Args {
			if j > 0 {
				s += ", "
			}
			if str, ok := a.(string); ok && len(str) > 40 {
				a = str[:40] + "..."
			}
			if st, ok := a.(fmt.Stringer); ok {
				s += fmt.Sprintf("%T(%s)", a, st)
			} else {
				s += fmt.Sprintf("%#v", a)
			}
		}
		s += ")"
	}
	return s + "]"
}

// Steam IDs of each account type that the rules tell apart.
var (
	user      = gaben
	anonUser  = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, 77)
	clan      = steamgs.ClanID(103)
	gameSrv   = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, 1234)
	anonSrv   = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 3, 1234)
	badUser   = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeIndividual, 5, 22202) // instance 5
	noAccount = steamgs.IndividualID(0)
)

// expectErr fails unless err matches sentinel and its message starts with
// "steamgs: " and holds every one of mentions.
func expectErr(t *testing.T, err, sentinel error, mentions ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one matching %v", sentinel)
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("error %q does not match %v", err, sentinel)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "steamgs: ") {
		t.Errorf("error %q does not start with \"steamgs: \"", msg)
	}
	for _, m := range mentions {
		if !strings.Contains(msg, m) {
			t.Errorf("error %q does not mention %q", msg, m)
		}
	}
}

// notRunningCalls calls every method of Server with valid arguments and
// reports, for each, the error (if the method returns one) and whether the
// other results are the documented values of a server that is not running.
var notRunningCalls = []struct {
	method string
	errs   bool // the method returns an error
	call   func(s *steamgs.Server) (err error, zero bool)
}{
	{"Shutdown", true, func(s *steamgs.Server) (error, bool) { return s.Shutdown(), true }},
	{"Running", false, func(s *steamgs.Server) (error, bool) { return nil, !s.Running() }},
	{"Config", false, func(s *steamgs.Server) (error, bool) { return nil, s.Config() == steamgs.Config{} }},
	{"Capabilities", false, func(s *steamgs.Server) (error, bool) { return nil, s.Capabilities() == steamgs.Capabilities{} }},
	{"QueryPort", false, func(s *steamgs.Server) (error, bool) { return nil, s.QueryPort() == 0 }},
	{"Settings", false, func(s *steamgs.Server) (error, bool) { s.Settings(); return nil, true }},
	{"RunCallbacks", false, func(s *steamgs.Server) (error, bool) {
		called := false
		s.RunCallbacks(func(steamgs.Callback) { called = true })
		s.RunCallbacks(nil)
		return nil, !called
	}},
	{"ReleaseThreadMemory", false, func(s *steamgs.Server) (error, bool) { s.ReleaseThreadMemory(); return nil, true }},
	{"LoggedOn", false, func(s *steamgs.Server) (error, bool) { return nil, !s.LoggedOn() }},
	{"Secure", false, func(s *steamgs.Server) (error, bool) { return nil, !s.Secure() }},
	{"SteamID", false, func(s *steamgs.Server) (error, bool) { return nil, s.SteamID() == 0 }},
	{"WasRestartRequested", false, func(s *steamgs.Server) (error, bool) { return nil, !s.WasRestartRequested() }},
	{"PublicIP", false, func(s *steamgs.Server) (error, bool) { return nil, !s.PublicIP().IsValid() }},
	{"Conn", false, func(s *steamgs.Server) (error, bool) { return nil, s.Conn() == nil }},
	{"SetProduct", true, func(s *steamgs.Server) (error, bool) { return s.SetProduct("480"), true }},
	{"SetGameDescription", true, func(s *steamgs.Server) (error, bool) { return s.SetGameDescription("Spacewar"), true }},
	{"SetModDir", true, func(s *steamgs.Server) (error, bool) { return s.SetModDir("spacewar"), true }},
	{"SetDedicatedServer", true, func(s *steamgs.Server) (error, bool) { return s.SetDedicatedServer(true), true }},
	{"LogOn", true, func(s *steamgs.Server) (error, bool) { return s.LogOn("token"), true }},
	{"LogOnAnonymous", true, func(s *steamgs.Server) (error, bool) { return s.LogOnAnonymous(), true }},
	{"LogOff", true, func(s *steamgs.Server) (error, bool) { return s.LogOff(), true }},
	{"SetMaxPlayerCount", true, func(s *steamgs.Server) (error, bool) { return s.SetMaxPlayerCount(8), true }},
	{"SetBotPlayerCount", true, func(s *steamgs.Server) (error, bool) { return s.SetBotPlayerCount(1), true }},
	{"SetServerName", true, func(s *steamgs.Server) (error, bool) { return s.SetServerName("name"), true }},
	{"SetMapName", true, func(s *steamgs.Server) (error, bool) { return s.SetMapName("map"), true }},
	{"SetPasswordProtected", true, func(s *steamgs.Server) (error, bool) { return s.SetPasswordProtected(true), true }},
	{"SetSpectatorPort", true, func(s *steamgs.Server) (error, bool) { return s.SetSpectatorPort(27020), true }},
	{"SetSpectatorServerName", true, func(s *steamgs.Server) (error, bool) { return s.SetSpectatorServerName("tv"), true }},
	{"ClearAllKeyValues", true, func(s *steamgs.Server) (error, bool) { return s.ClearAllKeyValues(), true }},
	{"SetKeyValue", true, func(s *steamgs.Server) (error, bool) { return s.SetKeyValue("k", "v"), true }},
	{"SetGameTags", true, func(s *steamgs.Server) (error, bool) { return s.SetGameTags("a,b"), true }},
	{"SetGameData", true, func(s *steamgs.Server) (error, bool) { return s.SetGameData("d"), true }},
	{"SetRegion", true, func(s *steamgs.Server) (error, bool) { return s.SetRegion("eu"), true }},
	{"SetAdvertiseServerActive", true, func(s *steamgs.Server) (error, bool) { return s.SetAdvertiseServerActive(true), true }},
	{"GetAuthSessionTicket", true, func(s *steamgs.Server) (error, bool) {
		h, tk, err := s.GetAuthSessionTicket(steamgs.Identity{})
		return err, h == 0 && tk == nil
	}},
	{"BeginAuthSession", true, func(s *steamgs.Server) (error, bool) {
		r, err := s.BeginAuthSession([]byte{1, 2, 3}, user)
		return err, r == steamgs.BeginAuthInvalidTicket
	}},
	{"EndAuthSession", true, func(s *steamgs.Server) (error, bool) { return s.EndAuthSession(user), true }},
	{"CancelAuthTicket", true, func(s *steamgs.Server) (error, bool) { return s.CancelAuthTicket(1), true }},
	{"UserHasLicenseForApp", true, func(s *steamgs.Server) (error, bool) {
		r, err := s.UserHasLicenseForApp(user, 480)
		return err, r == steamgs.NoAuth
	}},
	{"RequestUserGroupStatus", true, func(s *steamgs.Server) (error, bool) {
		ok, err := s.RequestUserGroupStatus(user, clan)
		return err, !ok
	}},
	{"AssociateWithClan", true, func(s *steamgs.Server) (error, bool) {
		h, err := s.AssociateWithClan(clan)
		return err, h == 0
	}},
	{"ComputeNewPlayerCompatibility", true, func(s *steamgs.Server) (error, bool) {
		h, err := s.ComputeNewPlayerCompatibility(user)
		return err, h == 0
	}},
	{"GetGameplayStats", true, func(s *steamgs.Server) (error, bool) {
		return s.GetGameplayStats(), true
	}},
	{"GetServerReputation", true, func(s *steamgs.Server) (error, bool) {
		h, err := s.GetServerReputation()
		return err, h == 0
	}},
	{"SendUserConnectAndAuthenticate", true, func(s *steamgs.Server) (error, bool) {
		id, ok, err := s.SendUserConnectAndAuthenticate(netip.MustParseAddr("10.0.0.1"), []byte{1})
		return err, id == 0 && !ok
	}},
	{"SendUserDisconnect", true, func(s *steamgs.Server) (error, bool) {
		return s.SendUserDisconnect(user), true
	}},
	{"CreateUnauthenticatedUserConnection", true, func(s *steamgs.Server) (error, bool) {
		id, err := s.CreateUnauthenticatedUserConnection()
		return err, id == 0
	}},
	{"UpdateUserData", true, func(s *steamgs.Server) (error, bool) {
		ok, err := s.UpdateUserData(user, "player", 3)
		return err, !ok
	}},
	{"HandleIncomingPacket", true, func(s *steamgs.Server) (error, bool) {
		ok, err := s.HandleIncomingPacket([]byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'}, netip.MustParseAddrPort("10.0.0.1:5"))
		return err, !ok
	}},
	{"GetNextOutgoingPacket", true, func(s *steamgs.Server) (error, bool) {
		n, to, err := s.GetNextOutgoingPacket(make([]byte, steamgs.MinOutgoingPacketBuffer))
		return err, n == 0 && to == netip.AddrPort{}
	}},
}

// TestNotRunningCoversEveryMethod keeps notRunningCalls complete: every
// exported method of Server but Init must have a row.
func TestNotRunningCoversEveryMethod(t *testing.T) {
	rows := map[string]bool{"Init": true}
	for _, r := range notRunningCalls {
		rows[r.method] = true
	}
	typ := reflect.TypeFor[*steamgs.Server]()
	for i := range typ.NumMethod() {
		if name := typ.Method(i).Name; !rows[name] {
			t.Errorf("method %s has no row in notRunningCalls", name)
		}
	}
	if len(rows) != typ.NumMethod() {
		t.Errorf("notRunningCalls has %d rows (with Init), Server has %d methods", len(rows), typ.NumMethod())
	}
}

func TestNotRunning(t *testing.T) {
	states := []struct {
		name string
		make func(t *testing.T) (*steamgs.Server, *fakeBackend)
	}{
		{"before Init", func(t *testing.T) (*steamgs.Server, *fakeBackend) {
			b := &fakeBackend{}
			return steamgs.NewServer(b), b
		}},
		{"zero Server", func(t *testing.T) (*steamgs.Server, *fakeBackend) { return &steamgs.Server{}, nil }},
		{"nil back end", func(t *testing.T) (*steamgs.Server, *fakeBackend) { return steamgs.NewServer(nil), nil }},
		{"after failed Init", func(t *testing.T) (*steamgs.Server, *fakeBackend) {
			b := &fakeBackend{openErr: &steamgs.InitError{Result: steamgs.InitNoSteamClient}}
			s := steamgs.NewServer(b)
			if err := s.Init(goodConfig); err == nil {
				t.Fatal("Init over a failing back end succeeded")
			}
			b.calls = nil
			return s, b
		}},
		{"after Shutdown", func(t *testing.T) (*steamgs.Server, *fakeBackend) {
			s, b := ready(t)
			b.answers = answers{loggedOn: true, secure: true, steamID: anonSrv, restart: true, queryPort: 27016,
				publicIP: netip.MustParseAddr("10.0.0.1"), apiCall: 9, unauthID: anonUser, updated: true,
				ticketHandle: 4, ticket: []byte{1}, groupStatus: true, handled: true, outgoing: []byte{1},
				connectID: user, connectOK: true, callbacks: []steamgs.Callback{steamgs.ServerConnected{}}}
			if err := s.LogOnAnonymous(); err != nil {
				t.Fatal(err)
			}
			if err := s.Shutdown(); err != nil {
				t.Fatal(err)
			}
			b.calls = nil
			return s, b
		}},
	}
	for _, st := range states {
		t.Run(st.name, func(t *testing.T) {
			for _, row := range notRunningCalls {
				t.Run(row.method, func(t *testing.T) {
					s, b := st.make(t)
					err, zero := row.call(s)
					if row.errs {
						expectErr(t, err, steamgs.ErrNotInitialized, row.method, "not running")
					}
					if !zero {
						t.Errorf("%s returned a value other than that of a server that is not running", row.method)
					}
					if b != nil {
						expectNoCalls(t, b)
					}
				})
			}
		})
	}
}

func TestInit(t *testing.T) {
	with := func(f func(*steamgs.Config)) steamgs.Config {
		cfg := goodConfig
		f(&cfg)
		return cfg
	}
	tests := []struct {
		name     string
		cfg      steamgs.Config
		opened   steamgs.Config // what the back end must receive, when err is nil
		err      error
		mentions []string
	}{
		{"good", goodConfig, goodConfig, nil, nil},
		{"zero IP binds every interface", with(func(c *steamgs.Config) { c.IP = netip.Addr{} }),
			with(func(c *steamgs.Config) { c.IP = netip.Addr{} }), nil, nil},
		{"IPv4-mapped IP is unmapped", with(func(c *steamgs.Config) { c.IP = netip.MustParseAddr("::ffff:10.1.2.3") }),
			with(func(c *steamgs.Config) { c.IP = netip.MustParseAddr("10.1.2.3") }), nil, nil},
		{"IPv6 refused", with(func(c *steamgs.Config) { c.IP = netip.MustParseAddr("::1") }),
			steamgs.Config{}, steamgs.ErrInvalidAddress, []string{"::1", "IPv4"}},
		{"IPv6 with zone refused", with(func(c *steamgs.Config) { c.IP = netip.MustParseAddr("fe80::1%eth0") }),
			steamgs.Config{}, steamgs.ErrInvalidAddress, []string{"fe80::1%eth0"}},
		{"query port shared", with(func(c *steamgs.Config) { c.QueryPort = steamgs.QueryPortShared }),
			with(func(c *steamgs.Config) { c.QueryPort = steamgs.QueryPortShared }), nil, nil},
		{"ports zero", with(func(c *steamgs.Config) { c.GamePort, c.QueryPort = 0, 0 }),
			with(func(c *steamgs.Config) { c.GamePort, c.QueryPort = 0, 0 }), nil, nil},
		{"app ID zero", with(func(c *steamgs.Config) { c.AppID = 0 }), with(func(c *steamgs.Config) { c.AppID = 0 }), nil, nil},
		{"mode NoAuthentication", with(func(c *steamgs.Config) { c.Mode = steamgs.ModeNoAuthentication }),
			with(func(c *steamgs.Config) { c.Mode = steamgs.ModeNoAuthentication }), nil, nil},
		{"mode AuthenticationAndSecure", with(func(c *steamgs.Config) { c.Mode = steamgs.ModeAuthenticationAndSecure }),
			with(func(c *steamgs.Config) { c.Mode = steamgs.ModeAuthenticationAndSecure }), nil, nil},
		{"mode Invalid", with(func(c *steamgs.Config) { c.Mode = steamgs.ModeInvalid }),
			steamgs.Config{}, steamgs.ErrOutOfRange, []string{"server mode is 0, want 1 to 3"}},
		{"mode 4", with(func(c *steamgs.Config) { c.Mode = 4 }),
			steamgs.Config{}, steamgs.ErrOutOfRange, []string{"server mode is 4, want 1 to 3"}},
		{"mode -1", with(func(c *steamgs.Config) { c.Mode = -1 }),
			steamgs.Config{}, steamgs.ErrOutOfRange, []string{"server mode is -1, want 1 to 3"}},
		{"version at limit", with(func(c *steamgs.Config) { c.Version = strings.Repeat("v", steamgs.MaxVersionLen) }),
			with(func(c *steamgs.Config) { c.Version = strings.Repeat("v", steamgs.MaxVersionLen) }), nil, nil},
		{"version too long", with(func(c *steamgs.Config) { c.Version = strings.Repeat("v", steamgs.MaxVersionLen+1) }),
			steamgs.Config{}, steamgs.ErrTooLong, []string{"version is 64 bytes, limit 63"}},
		{"version empty", with(func(c *steamgs.Config) { c.Version = "" }),
			steamgs.Config{}, steamgs.ErrEmpty, []string{"version"}},
		{"version with NUL", with(func(c *steamgs.Config) { c.Version = "1.0\x00" }),
			steamgs.Config{}, steamgs.ErrInvalidString, []string{"version", "NUL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{}
			s := steamgs.NewServer(b)
			err := s.Init(tt.cfg)
			if tt.err != nil {
				expectErr(t, err, tt.err, tt.mentions...)
				expectNoCalls(t, b)
				if s.Running() {
					t.Error("Running() after a refused Init")
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			expectCalls(t, b, op("Open", tt.opened))
			if got := s.Config(); got != tt.opened {
				t.Errorf("Config() = %+v, want %+v", got, tt.opened)
			}
			if !s.Running() || s.Conn() != steamgs.Conn(b.conn) {
				t.Errorf("Running() = %v, Conn() = %v after Init; want true and the back end's Conn", s.Running(), s.Conn())
			}
		})
	}
}

func TestInitBackEndErrors(t *testing.T) {
	tests := []struct {
		name    string
		openErr error
		is      error
	}{
		{"init error", &steamgs.InitError{Result: steamgs.InitNoSteamClient, Message: "no client"}, steamgs.ErrInitFailed},
		{"in use", fmt.Errorf("steamgs/fake: one server per process: %w", steamgs.ErrInUse), steamgs.ErrInUse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBackend{openErr: tt.openErr}
			s := steamgs.NewServer(b)
			err := s.Init(goodConfig)
			if err != tt.openErr || !errors.Is(err, tt.is) {
				t.Errorf("Init = %v, want the back end's error %v", err, tt.openErr)
			}
			if s.Running() || s.Config() != (steamgs.Config{}) {
				t.Error("server runs after a failed Init")
			}
			b.openErr = nil
			if err := s.Init(goodConfig); err != nil {
				t.Errorf("Init after a failed Init: %v", err)
			}
			if len(b.calls) != 2 {
				t.Errorf("back end calls %s, want two Opens", fmtCalls(b.calls))
			}
		})
	}
}

func TestInitTwice(t *testing.T) {
	s, b := running(t)
	other := goodConfig
	other.GamePort = 1
	expectErr(t, s.Init(other), steamgs.ErrAlreadyInitialized, "Init", "Shutdown")
	expectNoCalls(t, b)
	if s.Config() != goodConfig || !s.Running() {
		t.Errorf("a refused second Init changed the server: Config() = %+v, Running() = %v", s.Config(), s.Running())
	}
}

func TestInitNilBackEnd(t *testing.T) {
	for _, s := range []*steamgs.Server{steamgs.NewServer(nil), {}} {
		expectErr(t, s.Init(goodConfig), steamgs.ErrNotInitialized, "NewServer")
		if s.Running() {
			t.Error("a server without a back end runs")
		}
	}
}

func TestShutdown(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"clean", nil},
		{"back end error", errors.New("steamgs/fake: shutdown failed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			b.answers.shutdownErr = tt.err
			if err := s.Shutdown(); err != tt.err {
				t.Errorf("Shutdown = %v, want the back end's %v", err, tt.err)
			}
			expectCalls(t, b, op("Shutdown"))
			if s.Running() || s.Conn() != nil {
				t.Error("server runs after Shutdown")
			}
			b.calls = nil
			expectErr(t, s.Shutdown(), steamgs.ErrNotInitialized, "Shutdown")
			expectNoCalls(t, b)
		})
	}
}

// TestReInit checks that a server initialized again after Shutdown starts
// afresh: no settings, not logged on, key/value room empty.
func TestReInit(t *testing.T) {
	s, b := ready(t)
	full := strings.Repeat("x", steamgs.MaxKeyValueBytes-3)
	for _, err := range []error{s.SetServerName("old"), s.SetKeyValue("k", full), s.LogOnAnonymous(), s.Shutdown()} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Settings(); got.ServerName != "old" || got.Product != "480" {
		t.Errorf("Settings() after Shutdown = %+v, want the last values given", got)
	}
	for cycle := range 3 {
		cfg := goodConfig
		cfg.GamePort = uint16(1000 + cycle)
		if err := s.Init(cfg); err != nil {
			t.Fatalf("Init after Shutdown (cycle %d): %v", cycle, err)
		}
		if got := s.Config(); got != cfg {
			t.Errorf("Config() = %+v, want %+v", got, cfg)
		}
		if got := s.Settings(); !reflect.DeepEqual(got, steamgs.Settings{}) {
			t.Errorf("Settings() after a new Init = %+v, want none", got)
		}
		b.calls = nil
		if err := s.SetProduct("480"); err != nil {
			t.Errorf("SetProduct after a new Init: %v", err)
		}
		if err := s.SetKeyValue("z", full); err != nil {
			t.Errorf("SetKeyValue of a full reply after a new Init: %v", err)
		}
		expectCalls(t, b, op("SetProduct", "480"), op("SetKeyValue", "z", full))
		if err := s.Shutdown(); err != nil {
			t.Fatal(err)
		}
	}
}

// stringSetters are the setters of string settings with their limits.
var stringSetters = []struct {
	method     string
	what       string // how error messages name the value
	limit      int
	allowEmpty bool
	set        func(*steamgs.Server, string) error
	get        func(steamgs.Settings) string
}{
	{"SetProduct", "product", steamgs.MaxProductLen, false, (*steamgs.Server).SetProduct,
		func(s steamgs.Settings) string { return s.Product }},
	{"SetGameDescription", "game description", steamgs.MaxGameDescriptionLen, false, (*steamgs.Server).SetGameDescription,
		func(s steamgs.Settings) string { return s.GameDescription }},
	{"SetModDir", "mod dir", steamgs.MaxModDirLen, false, (*steamgs.Server).SetModDir,
		func(s steamgs.Settings) string { return s.ModDir }},
	{"SetServerName", "server name", steamgs.MaxServerNameLen, false, (*steamgs.Server).SetServerName,
		func(s steamgs.Settings) string { return s.ServerName }},
	{"SetMapName", "map name", steamgs.MaxMapNameLen, false, (*steamgs.Server).SetMapName,
		func(s steamgs.Settings) string { return s.MapName }},
	{"SetSpectatorServerName", "spectator server name", steamgs.MaxSpectatorNameLen, false, (*steamgs.Server).SetSpectatorServerName,
		func(s steamgs.Settings) string { return s.SpectatorServerName }},
	{"SetGameTags", "game tags", steamgs.MaxGameTagsLen, false, (*steamgs.Server).SetGameTags,
		func(s steamgs.Settings) string { return s.GameTags }},
	{"SetGameData", "game data", steamgs.MaxGameDataLen, false, (*steamgs.Server).SetGameData,
		func(s steamgs.Settings) string { return s.GameData }},
	{"SetRegion", "region", steamgs.MaxRegionLen, true, (*steamgs.Server).SetRegion,
		func(s steamgs.Settings) string { return s.Region }},
}

// TestLimits pins the usable byte limits: the SDK's buffer sizes less the NUL.
func TestLimits(t *testing.T) {
	for _, tt := range []struct {
		name      string
		got, want int
	}{
		{"MaxServerNameLen", steamgs.MaxServerNameLen, 63},
		{"MaxMapNameLen", steamgs.MaxMapNameLen, 31},
		{"MaxModDirLen", steamgs.MaxModDirLen, 31},
		{"MaxGameDescriptionLen", steamgs.MaxGameDescriptionLen, 63},
		{"MaxGameTagsLen", steamgs.MaxGameTagsLen, 127},
		{"MaxGameDataLen", steamgs.MaxGameDataLen, 2047},
		{"MaxSpectatorNameLen", steamgs.MaxSpectatorNameLen, 31},
		{"MaxPlayerNameLen", steamgs.MaxPlayerNameLen, 127},
		{"MaxGenericIdentityLen", steamgs.MaxGenericIdentityLen, 31},
		{"MaxKeyValueBytes", steamgs.MaxKeyValueBytes, 255*1248 - 7},
		{"MinOutgoingPacketBuffer", steamgs.MinOutgoingPacketBuffer, 1400},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

func TestStringSetters(t *testing.T) {
	for _, st := range stringSetters {
		t.Run(st.method, func(t *testing.T) {
			// A value at the limit of ASCII bytes, one over, and one over in
			// two-byte runes (fewer runes than the limit: limits are bytes).
			atLimit := strings.Repeat("a", st.limit)
			over := strings.Repeat("b", st.limit+1)
			overRunes := strings.Repeat("é", st.limit/2+1)
			emptyErr := steamgs.ErrEmpty
			if st.allowEmpty {
				emptyErr = nil
			}
			tests := []struct {
				name     string
				v        string
				err      error
				mentions []string
			}{
				{"short", "x", nil, nil},
				{"at limit", atLimit, nil, nil},
				{"one byte over", over, steamgs.ErrTooLong,
					[]string{fmt.Sprintf("%s is %d bytes, limit %d", st.what, st.limit+1, st.limit)}},
				{"over in multi-byte runes", overRunes, steamgs.ErrTooLong,
					[]string{fmt.Sprintf("%s is %d bytes, limit %d", st.what, len(overRunes), st.limit)}},
				{"far over", strings.Repeat("c", 100000), steamgs.ErrTooLong,
					[]string{fmt.Sprintf("%s is 100000 bytes, limit %d", st.what, st.limit)}},
				{"empty", "", emptyErr, []string{st.what, "empty"}},
				{"NUL byte", "ab\x00c", steamgs.ErrInvalidString, []string{st.what, "NUL", "at 2"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					s, b := running(t)
					if err := st.set(s, "before"); err != nil {
						t.Fatalf("%s(%q): %v", st.method, "before", err)
					}
					b.calls = nil
					err := st.set(s, tt.v)
					if tt.err != nil {
						expectErr(t, err, tt.err, tt.mentions...)
						expectNoCalls(t, b)
						if got := st.get(s.Settings()); got != "before" {
							t.Errorf("a refused %s changed the setting to %q", st.method, got)
						}
						return
					}
					if err != nil {
						t.Fatalf("%s(%d bytes): %v", st.method, len(tt.v), err)
					}
					expectCalls(t, b, op(st.method, tt.v))
					if got := st.get(s.Settings()); got != tt.v {
						t.Errorf("Settings after %s = %q, want %q", st.method, got, tt.v)
					}
				})
			}
		})
	}
}

// TestServerNameMessage pins the exact wording of a length error.
func TestServerNameMessage(t *testing.T) {
	s, _ := running(t)
	err := s.SetServerName(strings.Repeat("n", 80))
	if want := "steamgs: server name is 80 bytes, limit 63"; err == nil || err.Error() != want {
		t.Errorf("SetServerName(80 bytes) = %v, want %q", err, want)
	}
}

// beforeLogOnSetters are the settings the SDK fixes at log-on.
var beforeLogOnSetters = []struct {
	method string
	set    func(*steamgs.Server) error
	want   call
}{
	{"SetProduct", func(s *steamgs.Server) error { return s.SetProduct("481") }, op("SetProduct", "481")},
	{"SetGameDescription", func(s *steamgs.Server) error { return s.SetGameDescription("Other") },
		op("SetGameDescription", "Other")},
	{"SetModDir", func(s *steamgs.Server) error { return s.SetModDir("other") }, op("SetModDir", "other")},
	{"SetDedicatedServer", func(s *steamgs.Server) error { return s.SetDedicatedServer(true) },
		op("SetDedicatedServer", true)},
}

// logOns are the two ways to log on, for tests that hold for both.
var logOns = []struct {
	name  string
	logOn func(*steamgs.Server) error
}{
	{"LogOn", func(s *steamgs.Server) error { return s.LogOn("token") }},
	{"LogOnAnonymous", (*steamgs.Server).LogOnAnonymous},
}

func TestBeforeLogOn(t *testing.T) {
	for _, lo := range logOns {
		for _, st := range beforeLogOnSetters {
			t.Run(lo.name+"/"+st.method, func(t *testing.T) {
				s, b := ready(t)
				if err := st.set(s); err != nil {
					t.Fatalf("%s before log-on: %v", st.method, err)
				}
				if err := lo.logOn(s); err != nil {
					t.Fatalf("%s: %v", lo.name, err)
				}
				before := s.Settings()
				b.calls = nil
				expectErr(t, st.set(s), steamgs.ErrAfterLogOn, st.method, "after log-on")
				expectNoCalls(t, b)
				if !reflect.DeepEqual(s.Settings(), before) {
					t.Errorf("a refused %s changed the settings", st.method)
				}
				// Other settings may change at any time.
				if err := s.SetServerName("still allowed"); err != nil {
					t.Errorf("SetServerName after log-on: %v", err)
				}
				if err := s.LogOff(); err != nil {
					t.Fatal(err)
				}
				b.calls = nil
				if err := st.set(s); err != nil {
					t.Errorf("%s after LogOff: %v", st.method, err)
				}
				expectCalls(t, b, st.want)
			})
		}
	}
}

// TestRefusedLogOnKeepsSettingsOpen checks that a log-on refused by Server
// does not count as a log-on.
func TestRefusedLogOnKeepsSettingsOpen(t *testing.T) {
	s, b := running(t)
	expectErr(t, s.LogOnAnonymous(), steamgs.ErrRequired)
	expectErr(t, s.LogOn(""), steamgs.ErrEmpty)
	expectNoCalls(t, b)
	for _, st := range beforeLogOnSetters {
		if err := st.set(s); err != nil {
			t.Errorf("%s after a refused log-on: %v", st.method, err)
		}
	}
}

func TestRequired(t *testing.T) {
	tests := []struct {
		name    string
		missing string // what the message names
		set     func(*steamgs.Server) error
	}{
		{"no product", "product (SetProduct)", func(s *steamgs.Server) error {
			return errors.Join(s.SetGameDescription("Spacewar"), s.SetModDir("spacewar"))
		}},
		{"no description", "game description (SetGameDescription)", func(s *steamgs.Server) error {
			return errors.Join(s.SetProduct("480"), s.SetModDir("spacewar"))
		}},
		{"no mod dir", "mod dir (SetModDir)", func(s *steamgs.Server) error {
			return errors.Join(s.SetProduct("480"), s.SetGameDescription("Spacewar"))
		}},
		{"nothing", "product (SetProduct)", func(s *steamgs.Server) error { return nil }},
	}
	for _, lo := range logOns {
		for _, tt := range tests {
			t.Run(lo.name+"/"+tt.name, func(t *testing.T) {
				s, b := running(t)
				if err := tt.set(s); err != nil {
					t.Fatal(err)
				}
				b.calls = nil
				expectErr(t, lo.logOn(s), steamgs.ErrRequired, lo.name, tt.missing)
				expectNoCalls(t, b)
			})
		}
		t.Run(lo.name+"/all set", func(t *testing.T) {
			s, b := ready(t)
			if err := lo.logOn(s); err != nil {
				t.Fatalf("%s: %v", lo.name, err)
			}
			if len(b.calls) != 1 || b.calls[0].Method != lo.name {
				t.Errorf("back end calls %s, want one %s", fmtCalls(b.calls), lo.name)
			}
		})
	}
}

func TestLogOnToken(t *testing.T) {
	tests := []struct {
		name     string
		token    string
		err      error
		mentions []string
	}{
		{"token", "0123456789ABCDEF0123456789ABCDEF", nil, nil},
		{"at limit", strings.Repeat("t", steamgs.MaxTokenLen), nil, nil},
		{"too long", strings.Repeat("t", steamgs.MaxTokenLen+1), steamgs.ErrTooLong, []string{"token is 256 bytes, limit 255"}},
		{"empty", "", steamgs.ErrEmpty, []string{"token"}},
		{"NUL", "to\x00ken", steamgs.ErrInvalidString, []string{"token", "NUL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := ready(t)
			err := s.LogOn(tt.token)
			if tt.err != nil {
				expectErr(t, err, tt.err, tt.mentions...)
				expectNoCalls(t, b)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			expectCalls(t, b, op("LogOn", tt.token))
		})
	}
}

func TestCounts(t *testing.T) {
	setters := []struct {
		method string
		what   string
		set    func(*steamgs.Server, int) error
		get    func(steamgs.Settings) int
	}{
		{"SetMaxPlayerCount", "max player count", (*steamgs.Server).SetMaxPlayerCount,
			func(s steamgs.Settings) int { return s.MaxPlayers }},
		{"SetBotPlayerCount", "bot player count", (*steamgs.Server).SetBotPlayerCount,
			func(s steamgs.Settings) int { return s.Bots }},
	}
	values := []struct {
		n  int
		ok bool
	}{{0, true}, {1, true}, {steamgs.MaxPlayerCount, true}, {-1, false}, {steamgs.MaxPlayerCount + 1, false},
		{math.MinInt, false}, {math.MaxInt, false}}
	for _, st := range setters {
		for _, v := range values {
			t.Run(st.method+"/"+strconv.Itoa(v.n), func(t *testing.T) {
				s, b := running(t)
				if err := st.set(s, 7); err != nil {
					t.Fatal(err)
				}
				b.calls = nil
				err := st.set(s, v.n)
				if !v.ok {
					expectErr(t, err, steamgs.ErrOutOfRange, fmt.Sprintf("%s is %d, want 0 to 65535", st.what, v.n))
					expectNoCalls(t, b)
					if got := st.get(s.Settings()); got != 7 {
						t.Errorf("a refused %s changed the setting to %d", st.method, got)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				expectCalls(t, b, op(st.method, v.n))
				if got := st.get(s.Settings()); got != v.n {
					t.Errorf("setting = %d, want %d", got, v.n)
				}
			})
		}
	}
}

func TestPlainSetters(t *testing.T) {
	tests := []struct {
		name string
		set  func(*steamgs.Server) error
		want call
		get  func(steamgs.Settings) any
		val  any
	}{
		{"SetDedicatedServer true", func(s *steamgs.Server) error { return s.SetDedicatedServer(true) },
			op("SetDedicatedServer", true), func(s steamgs.Settings) any { return s.Dedicated }, true},
		{"SetPasswordProtected true", func(s *steamgs.Server) error { return s.SetPasswordProtected(true) },
			op("SetPasswordProtected", true), func(s steamgs.Settings) any { return s.PasswordProtected }, true},
		{"SetSpectatorPort 0", func(s *steamgs.Server) error { return s.SetSpectatorPort(0) },
			op("SetSpectatorPort", uint16(0)), func(s steamgs.Settings) any { return s.SpectatorPort }, uint16(0)},
		{"SetSpectatorPort 65535", func(s *steamgs.Server) error { return s.SetSpectatorPort(65535) },
			op("SetSpectatorPort", uint16(65535)), func(s steamgs.Settings) any { return s.SpectatorPort }, uint16(65535)},
		{"SetAdvertiseServerActive true", func(s *steamgs.Server) error { return s.SetAdvertiseServerActive(true) },
			op("SetAdvertiseServerActive", true), func(s steamgs.Settings) any { return s.Advertise }, true},
		{"SetAdvertiseServerActive false", func(s *steamgs.Server) error { return s.SetAdvertiseServerActive(false) },
			op("SetAdvertiseServerActive", false), func(s steamgs.Settings) any { return s.Advertise }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			if err := tt.set(s); err != nil {
				t.Fatal(err)
			}
			expectCalls(t, b, tt.want)
			if got := tt.get(s.Settings()); got != tt.val {
				t.Errorf("setting = %v, want %v", got, tt.val)
			}
		})
	}
}

// kvKeys returns n distinct keys without NUL bytes, shortest first, so that
// many key/values fit one A2S_RULES reply.
func kvKeys(n int) []string {
	keys := make([]string, 0, n)
	for l := 1; len(keys) < n; l++ {
		b := make([]byte, l)
		for i := range b {
			b[i] = 1
		}
		for len(keys) < n {
			keys = append(keys, string(b))
			// Count in base 255 over the bytes 1..255.
			i := l - 1
			for ; i >= 0 && b[i] == 255; i-- {
				b[i] = 1
			}
			if i < 0 {
				break
			}
			b[i]++
		}
	}
	return keys
}

func TestKeyValues(t *testing.T) {
	const limit = steamgs.MaxKeyValueBytes
	fill := func(n int) string { return strings.Repeat("v", n) }
	t.Run("exactly full", func(t *testing.T) {
		s, b := running(t)
		v := fill(limit - 3) // key "k" + value + 2 NULs
		if err := s.SetKeyValue("k", v); err != nil {
			t.Fatalf("SetKeyValue of exactly MaxKeyValueBytes: %v", err)
		}
		expectCalls(t, b, op("SetKeyValue", "k", v))
		b.calls = nil
		expectErr(t, s.SetKeyValue("x", ""), steamgs.ErrTooLarge,
			fmt.Sprintf("%d bytes", limit+3), fmt.Sprintf("limit %d", limit))
		expectNoCalls(t, b)
		if got := s.Settings().KeyValues; len(got) != 1 || got["k"] != v {
			t.Errorf("key/values after a refused one: %d of them", len(got))
		}
	})
	t.Run("one byte over", func(t *testing.T) {
		s, b := running(t)
		expectErr(t, s.SetKeyValue("k", fill(limit-2)), steamgs.ErrTooLarge,
			fmt.Sprintf("%d bytes", limit+1), fmt.Sprintf("limit %d", limit))
		expectNoCalls(t, b)
		if got := s.Settings().KeyValues; len(got) != 0 {
			t.Errorf("a refused key/value was kept: %v", got)
		}
	})
	t.Run("replacing frees the old bytes", func(t *testing.T) {
		s, b := running(t)
		if err := s.SetKeyValue("k", fill(limit-3)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetKeyValue("k", fill(limit-3)); err != nil {
			t.Errorf("replacing a key/value with one of the same size: %v", err)
		}
		if err := s.SetKeyValue("k", "small"); err != nil {
			t.Fatal(err)
		}
		// "k"+"small"+2 = 8 bytes used; the rest is free again.
		if err := s.SetKeyValue("j", fill(limit-8-3)); err != nil {
			t.Errorf("SetKeyValue into the room a replaced value freed: %v", err)
		}
		b.calls = nil
		expectErr(t, s.SetKeyValue("i", ""), steamgs.ErrTooLarge)
		expectNoCalls(t, b)
		if got := s.Settings().KeyValues; len(got) != 2 || got["k"] != "small" {
			t.Errorf("key/values = %d of them, k = %.10q", len(got), got["k"])
		}
	})
	t.Run("ClearAllKeyValues resets", func(t *testing.T) {
		s, b := running(t)
		if err := s.SetKeyValue("k", fill(limit-3)); err != nil {
			t.Fatal(err)
		}
		b.calls = nil
		if err := s.ClearAllKeyValues(); err != nil {
			t.Fatal(err)
		}
		expectCalls(t, b, op("ClearAllKeyValues"))
		if got := s.Settings().KeyValues; len(got) != 0 {
			t.Errorf("key/values after ClearAllKeyValues: %v", got)
		}
		if err := s.SetKeyValue("z", fill(limit-3)); err != nil {
			t.Errorf("SetKeyValue of a full reply after ClearAllKeyValues: %v", err)
		}
	})
	t.Run("count limit", func(t *testing.T) {
		s, b := running(t)
		keys := kvKeys(steamgs.MaxKeyValueCount + 1)
		for _, k := range keys[:steamgs.MaxKeyValueCount] {
			if err := s.SetKeyValue(k, ""); err != nil {
				t.Fatalf("SetKeyValue(%q): %v", k, err)
			}
		}
		b.calls = nil
		expectErr(t, s.SetKeyValue(keys[steamgs.MaxKeyValueCount], ""), steamgs.ErrTooLarge,
			"number 65536, limit 65535")
		expectNoCalls(t, b)
		if err := s.SetKeyValue(keys[0], "replaced"); err != nil {
			t.Errorf("replacing a key/value at the count limit: %v", err)
		}
		if got := len(s.Settings().KeyValues); got != steamgs.MaxKeyValueCount {
			t.Errorf("%d key/values, want %d", got, steamgs.MaxKeyValueCount)
		}
	})
	tests := []struct {
		name       string
		key, value string
		err        error
		mentions   []string
	}{
		{"empty value", "k", "", nil, nil},
		{"empty key", "", "v", steamgs.ErrEmpty, []string{"key"}},
		{"NUL in key", "k\x00", "v", steamgs.ErrInvalidString, []string{"key", "NUL"}},
		{"NUL in value", "k", "v\x00", steamgs.ErrInvalidString, []string{"value of key k", "NUL"}},
		{"key too long", fill(limit + 1), "", steamgs.ErrTooLong, []string{fmt.Sprintf("is %d bytes, limit %d", limit+1, limit)}},
		{"value too long", "k", fill(limit + 1), steamgs.ErrTooLong, []string{fmt.Sprintf("is %d bytes, limit %d", limit+1, limit)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			err := s.SetKeyValue(tt.key, tt.value)
			if tt.err != nil {
				expectErr(t, err, tt.err, tt.mentions...)
				expectNoCalls(t, b)
				if len(s.Settings().KeyValues) != 0 {
					t.Error("a refused key/value was kept")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			expectCalls(t, b, op("SetKeyValue", tt.key, tt.value))
		})
	}
}

func TestSettingsIsACopy(t *testing.T) {
	s, _ := running(t)
	if err := errors.Join(s.SetKeyValue("a", "1"), s.SetServerName("name")); err != nil {
		t.Fatal(err)
	}
	st := s.Settings()
	st.KeyValues["a"] = "changed"
	st.KeyValues["b"] = "added"
	st.ServerName = "changed"
	got := s.Settings()
	if !reflect.DeepEqual(got.KeyValues, map[string]string{"a": "1"}) || got.ServerName != "name" {
		t.Errorf("changing a copy from Settings changed the server: %+v", got)
	}
}

func TestGetAuthSessionTicket(t *testing.T) {
	tests := []struct {
		name     string
		id       steamgs.Identity
		err      error
		mentions []string
	}{
		{"no identity", steamgs.Identity{}, nil, nil},
		{"Steam ID", steamgs.Identity{SteamID: user}, nil, nil},
		{"game server Steam ID", steamgs.Identity{SteamID: gameSrv}, nil, nil},
		{"address", steamgs.Identity{Addr: netip.MustParseAddrPort("10.0.0.1:27015")}, nil, nil},
		{"IPv6 address", steamgs.Identity{Addr: netip.MustParseAddrPort("[2001:db8::1]:27015")}, nil, nil},
		{"generic", steamgs.Identity{Generic: "lobby-7"}, nil, nil},
		{"generic at limit", steamgs.Identity{Generic: strings.Repeat("g", steamgs.MaxGenericIdentityLen)}, nil, nil},
		{"generic too long", steamgs.Identity{Generic: strings.Repeat("g", steamgs.MaxGenericIdentityLen+1)},
			steamgs.ErrTooLong, []string{"generic identity is 32 bytes, limit 31"}},
		{"generic with NUL", steamgs.Identity{Generic: "a\x00"}, steamgs.ErrInvalidString, []string{"generic identity", "NUL"}},
		{"invalid Steam ID", steamgs.Identity{SteamID: noAccount}, steamgs.ErrInvalidSteamID, []string{noAccount.String()}},
		{"Steam ID and address", steamgs.Identity{SteamID: user, Addr: netip.MustParseAddrPort("10.0.0.1:1")},
			steamgs.ErrOutOfRange, []string{"sets 2 of", "at most 1"}},
		{"all three", steamgs.Identity{SteamID: user, Addr: netip.MustParseAddrPort("10.0.0.1:1"), Generic: "g"},
			steamgs.ErrOutOfRange, []string{"sets 3 of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			b.answers.ticketHandle, b.answers.ticket = 42, []byte("ticket bytes")
			h, tk, err := s.GetAuthSessionTicket(tt.id)
			if tt.err != nil {
				expectErr(t, err, tt.err, tt.mentions...)
				expectNoCalls(t, b)
				if h != 0 || tk != nil {
					t.Errorf("a refused GetAuthSessionTicket returned %d, %q", h, tk)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			expectCalls(t, b, op("GetAuthSessionTicket", steamgs.MaxAuthTicketLen, tt.id))
			if h != 42 || string(tk) != "ticket bytes" || cap(tk) != len(tk) {
				t.Errorf("GetAuthSessionTicket = %d, %q (cap %d); want 42, %q with no spare capacity", h, tk, cap(tk), "ticket bytes")
			}
		})
	}
}

func TestGetAuthSessionTicketBackEndFailure(t *testing.T) {
	tests := []struct {
		name   string
		handle steamgs.AuthTicket
		ticket []byte
		n      int
	}{
		{"handle 0", 0, []byte("t"), 0},
		{"no bytes", 5, nil, 0},
		{"negative length", 5, []byte("t"), -1},
		{"length past the buffer", 5, []byte("t"), steamgs.MaxAuthTicketLen + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			b.answers.ticketHandle, b.answers.ticket, b.answers.ticketLen = tt.handle, tt.ticket, tt.n
			h, tk, err := s.GetAuthSessionTicket(steamgs.Identity{})
			expectErr(t, err, steamgs.ErrUnsupported, "GetAuthSessionTicket")
			if h != 0 || tk != nil {
				t.Errorf("GetAuthSessionTicket = %d, %q with its error", h, tk)
			}
		})
	}
}

func TestBeginAuthSession(t *testing.T) {
	ticket := []byte("a ticket")
	tests := []struct {
		name     string
		ticket   []byte
		user     steamgs.SteamID
		err      error
		mentions []string
	}{
		{"valid", ticket, user, nil, nil},
		{"ticket at limit", make([]byte, steamgs.MaxAuthTicketLen), user, nil, nil},
		{"empty ticket", nil, user, steamgs.ErrEmpty, []string{"ticket", user.String(), "empty"}},
		{"ticket too long", make([]byte, steamgs.MaxAuthTicketLen+1), user, steamgs.ErrTooLong,
			[]string{"4097 bytes, limit 4096"}},
		{"clan", ticket, clan, steamgs.ErrInvalidSteamID, []string{clan.String(), "Clan", "Individual"}},
		{"game server", ticket, gameSrv, steamgs.ErrInvalidSteamID, []string{gameSrv.String(), "GameServer"}},
		{"anonymous user", ticket, anonUser, steamgs.ErrInvalidSteamID, []string{"AnonUser"}},
		{"zero", ticket, 0, steamgs.ErrInvalidSteamID, []string{"not a valid Steam ID"}},
		{"bad instance", ticket, badUser, steamgs.ErrInvalidSteamID, []string{"not a valid Steam ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			b.answers.beginResult = steamgs.BeginAuthDuplicateRequest
			r, err := s.BeginAuthSession(tt.ticket, tt.user)
			if tt.err != nil {
				expectErr(t, err, tt.err, tt.mentions...)
				expectNoCalls(t, b)
				if r != steamgs.BeginAuthInvalidTicket {
					t.Errorf("a refused BeginAuthSession answered %v, want InvalidTicket", r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			expectCalls(t, b, op("BeginAuthSession", tt.ticket, tt.user))
			if r != steamgs.BeginAuthDuplicateRequest {
				t.Errorf("BeginAuthSession = %v, want the back end's DuplicateRequest", r)
			}
		})
	}
}

// TestSteamIDRules checks the account types each method that takes a Steam
// ID accepts, and that every refused ID never reaches the back end.
func TestSteamIDRules(t *testing.T) {
	methods := []struct {
		name   string
		accept map[steamgs.SteamID]bool // the IDs of the set below that the method accepts
		call   func(s *steamgs.Server, id steamgs.SteamID) (call, error)
	}{
		{"EndAuthSession", map[steamgs.SteamID]bool{user: true, anonUser: true},
			func(s *steamgs.Server, id steamgs.SteamID) (call, error) {
				return op("EndAuthSession", id), s.EndAuthSession(id)
			}},
		{"SendUserDisconnect", map[steamgs.SteamID]bool{user: true, anonUser: true},
			func(s *steamgs.Server, id steamgs.SteamID) (call, error) {
				return op("SendUserDisconnect", id), s.SendUserDisconnect(id)
			}},
		{"UpdateUserData", map[steamgs.SteamID]bool{user: true, anonUser: true},
			func(s *steamgs.Server, id steamgs.SteamID) (call, error) {
				ok, err := s.UpdateUserData(id, "name", 7)
				if err != nil && ok {
					err = errors.Join(err, errors.New("and true"))
				}
				return op("UpdateUserData", id, "name", uint32(7)), err
			}},
		{"UserHasLicenseForApp", map[steamgs.SteamID]bool{user: true},
			func(s *steamgs.Server, id steamgs.SteamID) (call, error) {
				r, err := s.UserHasLicenseForApp(id, 1234)
				if err != nil && r != steamgs.NoAuth {
					err = errors.Join(err, fmt.Errorf("and %v", r))
				}
				return op("UserHasLicenseForApp", id, steamgs.AppID(1234)), err
			}},
		{"ComputeNewPlayerCompatibility", map[steamgs.SteamID]bool{user: true},
			func(s *steamgs.Server, id steamgs.SteamID) (call, error) {
				h, err := s.ComputeNewPlayerCompatibility(id)
				if err != nil && h != 0 {
					err = errors.Join(err, fmt.Errorf("and call %d", h))
				}
				return op("ComputeNewPlayerCompatibility", id), err
			}},
		{"RequestUserGroupStatus user", map[steamgs.SteamID]bool{user: true},
			func(s *steamgs.Server, id steamgs.SteamID) (call, error) {
				ok, err := s.RequestUserGroupStatus(id, clan)
				if err != nil && ok {
					err = errors.Join(err, errors.New("and true"))
				}
				return op("RequestUserGroupStatus", id, clan), err
			}},
		{"RequestUserGroupStatus group", map[steamgs.SteamID]bool{clan: true},
			func(s *steamgs.Server, id steamgs.SteamID) (call, error) {
				ok, err := s.RequestUserGroupStatus(user, id)
				if err != nil && ok {
					err = errors.Join(err, errors.New("and true"))
				}
				return op("RequestUserGroupStatus", user, id), err
			}},
		{"AssociateWithClan", map[steamgs.SteamID]bool{clan: true},
			func(s *steamgs.Server, id steamgs.SteamID) (call, error) {
				h, err := s.AssociateWithClan(id)
				if err != nil && h != 0 {
					err = errors.Join(err, fmt.Errorf("and call %d", h))
				}
				return op("AssociateWithClan", id), err
			}},
		{"Identity", map[steamgs.SteamID]bool{user: true, anonUser: true, clan: true, gameSrv: true, anonSrv: true},
			func(s *steamgs.Server, id steamgs.SteamID) (call, error) {
				_, _, err := s.GetAuthSessionTicket(steamgs.Identity{SteamID: id})
				return op("GetAuthSessionTicket", steamgs.MaxAuthTicketLen, steamgs.Identity{SteamID: id}), err
			}},
	}
	ids := []steamgs.SteamID{user, anonUser, clan, gameSrv, anonSrv, badUser, noAccount,
		steamgs.NewSteamID(steamgs.UniverseInvalid, steamgs.AccountTypeIndividual, 1, 5),
		steamgs.NewSteamID(steamgs.UniversePublic, 12, 0, 5)}
	for _, m := range methods {
		for _, id := range ids {
			t.Run(m.name+"/"+id.String(), func(t *testing.T) {
				s, b := running(t)
				b.answers = answers{ticketHandle: 1, ticket: []byte{1}, updated: true, license: steamgs.HasLicense,
					apiCall: 5, groupStatus: true}
				want, err := m.call(s, id)
				if m.accept[id] {
					if err != nil {
						t.Fatalf("%s refused %s: %v", m.name, id, err)
					}
					expectCalls(t, b, want)
					return
				}
				expectErr(t, err, steamgs.ErrInvalidSteamID, id.String())
				expectNoCalls(t, b)
			})
		}
	}
}

func TestPassThrough(t *testing.T) {
	s, b := running(t)
	pub := netip.MustParseAddr("203.0.113.9")
	b.answers = answers{loggedOn: true, secure: true, steamID: anonSrv, restart: true, queryPort: 40000,
		publicIP: pub, apiCall: 77, unauthID: anonUser, license: steamgs.DoesNotHaveLicense, groupStatus: true,
		updated: true}
	tests := []struct {
		name string
		do   func() (got, want any)
		call call
	}{
		{"LoggedOn", func() (any, any) { return s.LoggedOn(), true }, op("LoggedOn")},
		{"Secure", func() (any, any) { return s.Secure(), true }, op("Secure")},
		{"SteamID", func() (any, any) { return s.SteamID(), anonSrv }, op("SteamID")},
		{"WasRestartRequested", func() (any, any) { return s.WasRestartRequested(), true }, op("WasRestartRequested")},
		{"QueryPort", func() (any, any) { return s.QueryPort(), uint16(40000) }, op("QueryPort")},
		{"PublicIP", func() (any, any) { return s.PublicIP(), pub }, op("PublicIP")},
		{"ReleaseThreadMemory", func() (any, any) { s.ReleaseThreadMemory(); return nil, nil }, op("ReleaseThreadMemory")},
		{"LogOff", func() (any, any) { return s.LogOff(), nil }, op("LogOff")},
		{"GetGameplayStats", func() (any, any) {
			return s.GetGameplayStats(), nil
		}, op("GetGameplayStats")},
		{"GetServerReputation", func() (any, any) {
			h, err := s.GetServerReputation()
			return [2]any{h, err}, [2]any{steamgs.APICall(77), nil}
		}, op("GetServerReputation")},
		{"AssociateWithClan", func() (any, any) {
			h, err := s.AssociateWithClan(clan)
			return [2]any{h, err}, [2]any{steamgs.APICall(77), nil}
		}, op("AssociateWithClan", clan)},
		{"ComputeNewPlayerCompatibility", func() (any, any) {
			h, err := s.ComputeNewPlayerCompatibility(user)
			return [2]any{h, err}, [2]any{steamgs.APICall(77), nil}
		}, op("ComputeNewPlayerCompatibility", user)},
		{"UserHasLicenseForApp", func() (any, any) {
			r, err := s.UserHasLicenseForApp(user, 1_000_000)
			return [2]any{r, err}, [2]any{steamgs.DoesNotHaveLicense, nil}
		}, op("UserHasLicenseForApp", user, steamgs.AppID(1_000_000))},
		{"RequestUserGroupStatus", func() (any, any) {
			ok, err := s.RequestUserGroupStatus(user, clan)
			return [2]any{ok, err}, [2]any{true, nil}
		}, op("RequestUserGroupStatus", user, clan)},
		{"CreateUnauthenticatedUserConnection", func() (any, any) {
			id, err := s.CreateUnauthenticatedUserConnection()
			return [2]any{id, err}, [2]any{anonUser, nil}
		}, op("CreateUnauthenticatedUserConnection")},
		{"CancelAuthTicket", func() (any, any) { return s.CancelAuthTicket(9), nil }, op("CancelAuthTicket", steamgs.AuthTicket(9))},
		{"UpdateUserData", func() (any, any) {
			ok, err := s.UpdateUserData(user, "Gabe", 1<<32-1)
			return [2]any{ok, err}, [2]any{true, nil}
		}, op("UpdateUserData", user, "Gabe", uint32(1<<32-1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.calls = nil
			got, want := tt.do()
			if got != want {
				t.Errorf("got %v, want %v", got, want)
			}
			expectCalls(t, b, tt.call)
		})
	}
}

func TestCapabilities(t *testing.T) {
	caps := steamgs.Capabilities{SteamConnection: true, Queries: true}
	b := &fakeBackend{caps: caps}
	s := steamgs.NewServer(b)
	if got := s.Capabilities(); got != caps {
		t.Errorf("Capabilities() before Init = %+v, want the back end's %+v", got, caps)
	}
	if err := s.Init(goodConfig); err != nil {
		t.Fatal(err)
	}
	if got := s.Capabilities(); got != caps {
		t.Errorf("Capabilities() = %+v, want %+v", got, caps)
	}
}

func TestCancelAuthTicket(t *testing.T) {
	s, b := running(t)
	expectErr(t, s.CancelAuthTicket(0), steamgs.ErrOutOfRange, "handle is 0")
	expectNoCalls(t, b)
	if err := s.CancelAuthTicket(1<<32 - 1); err != nil {
		t.Fatal(err)
	}
	expectCalls(t, b, op("CancelAuthTicket", steamgs.AuthTicket(1<<32-1)))
}

func TestUpdateUserDataName(t *testing.T) {
	tests := []struct {
		name     string
		player   string
		err      error
		mentions []string
	}{
		{"empty", "", nil, nil},
		{"at limit", strings.Repeat("p", steamgs.MaxPlayerNameLen), nil, nil},
		{"too long", strings.Repeat("p", steamgs.MaxPlayerNameLen+1), steamgs.ErrTooLong,
			[]string{"player name is 128 bytes, limit 127"}},
		{"too long in runes", strings.Repeat("ü", 64), steamgs.ErrTooLong, []string{"128 bytes, limit 127"}},
		{"NUL", "pl\x00ayer", steamgs.ErrInvalidString, []string{"player name", "NUL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			b.answers.updated = true
			ok, err := s.UpdateUserData(user, tt.player, 5)
			if tt.err != nil {
				expectErr(t, err, tt.err, tt.mentions...)
				expectNoCalls(t, b)
				if ok {
					t.Error("a refused UpdateUserData returned true")
				}
				return
			}
			if err != nil || !ok {
				t.Fatalf("UpdateUserData = %v, %v", ok, err)
			}
			expectCalls(t, b, op("UpdateUserData", user, tt.player, uint32(5)))
		})
	}
}

func TestHandleIncomingPacket(t *testing.T) {
	pkt := []byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'}
	tests := []struct {
		name     string
		pkt      []byte
		from     netip.AddrPort
		sent     netip.AddrPort // what the back end must see, when err is nil
		err      error
		mentions []string
	}{
		{"IPv4", pkt, netip.MustParseAddrPort("10.0.0.1:5000"), netip.MustParseAddrPort("10.0.0.1:5000"), nil, nil},
		{"IPv4-mapped is unmapped", pkt, netip.MustParseAddrPort("[::ffff:10.0.0.1]:5000"),
			netip.MustParseAddrPort("10.0.0.1:5000"), nil, nil},
		{"IPv6 refused", pkt, netip.MustParseAddrPort("[2001:db8::1]:5000"), netip.AddrPort{},
			steamgs.ErrInvalidAddress, []string{"2001:db8::1", "IPv4"}},
		{"no address", pkt, netip.AddrPort{}, netip.AddrPort{}, steamgs.ErrInvalidAddress, []string{"IPv4"}},
		{"empty", nil, netip.MustParseAddrPort("10.0.0.1:5000"), netip.AddrPort{}, steamgs.ErrEmpty,
			[]string{"10.0.0.1:5000", "empty"}},
		// Packets that do not start FF FF FF FF are the game's, not Steam's.
		{"game packet", []byte{1, 2, 3, 4, 5}, netip.MustParseAddrPort("10.0.0.1:5000"), netip.AddrPort{}, nil, nil},
		{"split header", []byte{0xFE, 0xFF, 0xFF, 0xFF, 1}, netip.MustParseAddrPort("10.0.0.1:5000"), netip.AddrPort{}, nil, nil},
		{"three bytes", []byte{0xFF, 0xFF, 0xFF}, netip.MustParseAddrPort("10.0.0.1:5000"), netip.AddrPort{}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			b.answers.handled = true
			ok, err := s.HandleIncomingPacket(tt.pkt, tt.from)
			if tt.err != nil {
				expectErr(t, err, tt.err, tt.mentions...)
				expectNoCalls(t, b)
				if ok {
					t.Error("a refused packet was reported handled")
				}
				return
			}
			if !tt.sent.IsValid() {
				if ok || err != nil {
					t.Errorf("HandleIncomingPacket of a packet that is not Steam's = %v, %v; want false, nil", ok, err)
				}
				expectNoCalls(t, b)
				return
			}
			if err != nil || !ok {
				t.Fatalf("HandleIncomingPacket = %v, %v", ok, err)
			}
			expectCalls(t, b, op("HandleIncomingPacket", tt.pkt, tt.sent))
		})
	}
}

func TestGetNextOutgoingPacket(t *testing.T) {
	to := netip.MustParseAddrPort("10.0.0.2:27005")
	tests := []struct {
		name string
		size int
		ok   bool
	}{
		{"nil buffer", 0, false},
		{"one byte short", steamgs.MinOutgoingPacketBuffer - 1, false},
		{"minimum", steamgs.MinOutgoingPacketBuffer, true},
		{"larger", 64 << 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			b.answers.outgoing, b.answers.outgoingTo = []byte("reply"), to
			var buf []byte
			if tt.size > 0 {
				buf = make([]byte, tt.size)
			}
			n, dst, err := s.GetNextOutgoingPacket(buf)
			if !tt.ok {
				expectErr(t, err, steamgs.ErrOutOfRange,
					fmt.Sprintf("%d bytes, need at least %d", tt.size, steamgs.MinOutgoingPacketBuffer))
				expectNoCalls(t, b)
				if n != 0 || dst.IsValid() {
					t.Errorf("a refused call returned %d, %v", n, dst)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != 5 || string(buf[:n]) != "reply" || dst != to {
				t.Errorf("GetNextOutgoingPacket = %d %q, %v; want 5 \"reply\", %v", n, buf[:n], dst, to)
			}
			expectCalls(t, b, op("GetNextOutgoingPacket", tt.size))
		})
	}
}

func TestSendUserConnectAndAuthenticate(t *testing.T) {
	ticket := []byte("ticket")
	tests := []struct {
		name     string
		ip       netip.Addr
		ticket   []byte
		sent     netip.Addr
		err      error
		mentions []string
	}{
		{"IPv4", netip.MustParseAddr("10.0.0.3"), ticket, netip.MustParseAddr("10.0.0.3"), nil, nil},
		{"IPv4-mapped is unmapped", netip.MustParseAddr("::ffff:10.0.0.3"), ticket, netip.MustParseAddr("10.0.0.3"), nil, nil},
		{"IPv6 refused", netip.MustParseAddr("2001:db8::3"), ticket, netip.Addr{}, steamgs.ErrInvalidAddress,
			[]string{"client IP 2001:db8::3"}},
		{"no address", netip.Addr{}, ticket, netip.Addr{}, steamgs.ErrInvalidAddress, []string{"client IP"}},
		{"empty ticket", netip.MustParseAddr("10.0.0.3"), nil, netip.Addr{}, steamgs.ErrEmpty, []string{"10.0.0.3", "empty"}},
		{"ticket too long", netip.MustParseAddr("10.0.0.3"), make([]byte, steamgs.MaxAuthTicketLen+1), netip.Addr{},
			steamgs.ErrTooLong, []string{"4097 bytes, limit 4096"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := running(t)
			b.answers.connectID, b.answers.connectOK = user, true
			id, ok, err := s.SendUserConnectAndAuthenticate(tt.ip, tt.ticket)
			if tt.err != nil {
				expectErr(t, err, tt.err, tt.mentions...)
				expectNoCalls(t, b)
				if id != 0 || ok {
					t.Errorf("a refused call returned %s, %v", id, ok)
				}
				return
			}
			if err != nil || id != user || !ok {
				t.Fatalf("SendUserConnectAndAuthenticate = %s, %v, %v; want %s, true", id, ok, err, user)
			}
			expectCalls(t, b, op("SendUserConnectAndAuthenticate", tt.sent, tt.ticket))
		})
	}
}

func TestRunCallbacks(t *testing.T) {
	s, b := running(t)
	want := []steamgs.Callback{
		steamgs.ServerConnected{},
		steamgs.PolicyResponse{Secure: true},
		steamgs.ValidateAuthTicketResponse{SteamID: user, Response: steamgs.AuthOK, Owner: user},
	}
	b.answers.callbacks = want
	var got []steamgs.Callback
	s.RunCallbacks(func(cb steamgs.Callback) {
		got = append(got, cb)
		// fn may call the server's methods.
		if err := s.SetServerName("from a callback"); err != nil {
			t.Errorf("SetServerName in a callback: %v", err)
		}
	})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RunCallbacks delivered %v, want %v", got, want)
	}
	b.calls = nil
	s.RunCallbacks(nil) // must not panic
	if len(b.calls) != 1 || b.calls[0].Method != "RunCallbacks" {
		t.Errorf("RunCallbacks(nil): back end calls %s", fmtCalls(b.calls))
	}
}

func TestCallbackIDs(t *testing.T) {
	tests := []struct {
		cb   steamgs.Callback
		want int
	}{
		{steamgs.ServerConnected{}, 101},
		{steamgs.ServerConnectFailure{}, 102},
		{steamgs.ServerDisconnected{}, 103},
		{steamgs.PolicyResponse{}, 115},
		{steamgs.ValidateAuthTicketResponse{}, 143},
		{steamgs.GetAuthSessionTicketResponse{}, 163},
		{steamgs.ClientApproved{}, 201},
		{steamgs.ClientDenied{}, 202},
		{steamgs.ClientKick{}, 203},
		{steamgs.GameplayStats{}, 207},
		{steamgs.ClientGroupStatus{}, 208},
		{steamgs.ServerReputation{}, 209},
		{steamgs.AssociateClan{}, 210},
		{steamgs.PlayerCompat{}, 211},
	}
	for _, tt := range tests {
		if got := tt.cb.CallbackID(); got != tt.want {
			t.Errorf("%T.CallbackID() = %d, want %d", tt.cb, got, tt.want)
		}
	}
}

func TestInitError(t *testing.T) {
	tests := []struct {
		err  *steamgs.InitError
		want string
	}{
		{&steamgs.InitError{Result: steamgs.InitFailedGeneric}, "steamgs: init failed: FailedGeneric"},
		{&steamgs.InitError{Result: steamgs.InitNoSteamClient, Message: "Failed to load module 'steamclient.so'"},
			"steamgs: init failed: NoSteamClient: Failed to load module 'steamclient.so'"},
		{&steamgs.InitError{Result: 9, Message: "odd"}, "steamgs: init failed: InitResult(9): odd"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			wrapped := fmt.Errorf("starting: %w", tt.err)
			if !errors.Is(tt.err, steamgs.ErrInitFailed) || !errors.Is(wrapped, steamgs.ErrInitFailed) {
				t.Error("InitError does not match ErrInitFailed")
			}
			if errors.Is(tt.err, steamgs.ErrNotInitialized) || errors.Is(tt.err, steamgs.ErrInUse) {
				t.Error("InitError matches a sentinel other than ErrInitFailed")
			}
			var ie *steamgs.InitError
			if !errors.As(wrapped, &ie) || ie != tt.err {
				t.Error("errors.As does not find the InitError")
			}
		})
	}
}

func TestSentinelsAreDistinct(t *testing.T) {
	all := []error{steamgs.ErrNotInitialized, steamgs.ErrAlreadyInitialized, steamgs.ErrInUse, steamgs.ErrInitFailed,
		steamgs.ErrTooLong, steamgs.ErrTooLarge, steamgs.ErrEmpty, steamgs.ErrInvalidString, steamgs.ErrAfterLogOn,
		steamgs.ErrRequired, steamgs.ErrOutOfRange, steamgs.ErrInvalidSteamID, steamgs.ErrInvalidAddress,
		steamgs.ErrUnsupported}
	for i, a := range all {
		for j, b := range all {
			if i != j && (errors.Is(a, b) || a.Error() == b.Error()) {
				t.Errorf("sentinels %q and %q are not distinct", a, b)
			}
		}
	}
}

func TestIdentityIsZero(t *testing.T) {
	tests := []struct {
		id   steamgs.Identity
		want bool
	}{
		{steamgs.Identity{}, true},
		{steamgs.Identity{SteamID: user}, false},
		{steamgs.Identity{Addr: netip.MustParseAddrPort("10.0.0.1:0")}, false},
		{steamgs.Identity{Generic: "g"}, false},
	}
	for _, tt := range tests {
		if got := tt.id.IsZero(); got != tt.want {
			t.Errorf("%+v.IsZero() = %v, want %v", tt.id, got, tt.want)
		}
	}
}

// nopBackend opens nopConns: connections that do nothing and allocate
// nothing, so that a benchmark measures Server alone.
type nopBackend struct{}

func (nopBackend) Open(steamgs.Config) (steamgs.Conn, error) { return nopConn{}, nil }
func (nopBackend) Capabilities() steamgs.Capabilities        { return steamgs.Capabilities{} }

// nopConn implements the methods the benchmarks call; the embedded nil Conn
// stands for the others.
type nopConn struct{ steamgs.Conn }

func (nopConn) Shutdown() error                                     { return nil }
func (nopConn) RunCallbacks(func(steamgs.Callback))                 {}
func (nopConn) SetServerName(string)                                {}
func (nopConn) SetKeyValue(string, string)                          {}
func (nopConn) HandleIncomingPacket([]byte, netip.AddrPort) bool    { return true }
func (nopConn) UpdateUserData(steamgs.SteamID, string, uint32) bool { return true }
func (nopConn) BeginAuthSession([]byte, steamgs.SteamID) steamgs.BeginAuthSessionResult {
	return steamgs.BeginAuthOK
}

// benchServer returns a running server over a nopBackend.
func benchServer(b *testing.B) *steamgs.Server {
	b.Helper()
	s := steamgs.NewServer(nopBackend{})
	if err := s.Init(goodConfig); err != nil {
		b.Fatal(err)
	}
	return s
}

// The per-tick paths of Server allocate nothing.
func BenchmarkRunCallbacksIdle(b *testing.B) {
	s := benchServer(b)
	fn := func(steamgs.Callback) {}
	b.ReportAllocs()
	for b.Loop() {
		s.RunCallbacks(fn)
	}
}

func BenchmarkUpdateUserData(b *testing.B) {
	s := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.UpdateUserData(user, "a player name", 42); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetServerName(b *testing.B) {
	s := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SetServerName("steamgs benchmark server"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetKeyValueReplace(b *testing.B) {
	s := benchServer(b)
	if err := s.SetKeyValue("round", "1"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SetKeyValue("round", "2"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBeginAuthSession(b *testing.B) {
	s := benchServer(b)
	ticket := make([]byte, 200)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.BeginAuthSession(ticket, user); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHandleIncomingPacket(b *testing.B) {
	s := benchServer(b)
	pkt := []byte("\xFF\xFF\xFF\xFFTSource Engine Query\x00")
	from := netip.MustParseAddrPort("10.0.0.1:27005")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.HandleIncomingPacket(pkt, from); err != nil {
			b.Fatal(err)
		}
	}
}

// A refused call costs its error.
func BenchmarkSetServerNameTooLong(b *testing.B) {
	s := benchServer(b)
	long := strings.Repeat("n", 80)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SetServerName(long); err == nil {
			b.Fatal("accepted")
		}
	}
}
