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
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
)

// hugeTicket returns a ticket of math.MaxInt32+1 bytes without allocating
// them: Server checks only its length before refusing it, and nothing may
// read its bytes. The slice runs past its one-byte allocation on purpose, so
// the race detector's pointer checks (checkptr, on with -race) are off for
// this function alone.
//
//go:nocheckptr
func hugeTicket() []byte {
	var small [1]byte
	return unsafe.Slice(&small[0], math.MaxInt32+1)
}

// Steam IDs of each account type that the rules tell apart.
var (
	user      = gaben
	anonUser  = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, 77)
	clan      = steamgs.ClanID(103)
	chat      = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeChat, 0, 8)
	gameSrv   = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, 1234)
	anonSrv   = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 3, 1234)
	anonSrv0  = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 0, 0) // account 0: valid
	badUser   = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeIndividual, 5, 22202) // instance 5
	user0     = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeIndividual, 0, 22202) // instance 0
	user2     = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeIndividual, 2, 22202) // instance 2
	clan1     = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeClan, 1, 103)         // instance 1
	gameSrv0  = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, 0)     // account 0
	noAccount = steamgs.IndividualID(0)
)

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
	// Shutdown leaves the count of Inits: 0 before any, 1 after one.
	{"Inits", false, func(s *steamgs.Server) (error, bool) { return nil, s.Inits() <= 1 }},
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
	{"Raw", true, func(s *steamgs.Server) (error, bool) {
		called := false
		err := s.Raw(func(any) error { called = true; return nil })
		return err, !called
	}},
	{"ApplySettings", true, func(s *steamgs.Server) (error, bool) {
		return s.ApplySettings(steamgs.Settings{ServerName: "name", MaxPlayers: 8}, steamgs.FieldServerName|steamgs.FieldMaxPlayers), true
	}},
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
		name := typ.Method(i).Name
		assert.True(t, rows[name], "method %s has no row in notRunningCalls", name)
	}
	assert.Len(t, rows, typ.NumMethod(), "rows of notRunningCalls (with Init) against Server's methods")
}

func TestNotRunning(t *testing.T) {
	states := []struct {
		name string
		make func(t *testing.T) (*steamgs.Server, *steamgstest.Recorder)
	}{
		{"before Init", func(t *testing.T) (*steamgs.Server, *steamgstest.Recorder) {
			rec := steamgstest.NewRecorder(&fakeBackend{conn: &fakeConn{}})
			return steamgs.NewServer(rec), rec
		}},
		{"zero Server", func(t *testing.T) (*steamgs.Server, *steamgstest.Recorder) { return &steamgs.Server{}, nil }},
		{"nil back end", func(t *testing.T) (*steamgs.Server, *steamgstest.Recorder) { return steamgs.NewServer(nil), nil }},
		{"after failed Init", func(t *testing.T) (*steamgs.Server, *steamgstest.Recorder) {
			rec := steamgstest.NewRecorder(&fakeBackend{openErr: &steamgs.InitError{Result: steamgs.InitNoSteamClient}})
			s := steamgs.NewServer(rec)
			require.Error(t, s.Init(goodConfig), "Init over a failing back end")
			rec.Reset()
			return s, rec
		}},
		{"after Shutdown", func(t *testing.T) (*steamgs.Server, *steamgstest.Recorder) {
			s, f := ready(t)
			// A back end that answers everything with a value other than
			// the zero one of a server that is not running.
			*f.fakeConn = fakeConn{status: steamgs.Status{LoggedOn: true, Secure: true, SteamID: anonSrv, Restarts: 1,
				QueryPort: 27016, PublicIP: netip.MustParseAddr("10.0.0.1")}, apiCall: 9, requested: true,
				unauthID: anonUser, updated: true, ticketHandle: 4, ticket: []byte{1}, beginResult: steamgs.BeginAuthOK,
				license: steamgs.HasLicense, callbacks: []steamgs.Callback{steamgs.ServerConnected{}}}
			*f.packets = packets{handled: true, outgoing: []byte{1}, outgoingTo: netip.MustParseAddrPort("10.0.0.1:5")}
			*f.userConnect = userConnect{connectID: user, connectOK: true}
			require.NoError(t, s.LogOnAnonymous())
			require.NoError(t, s.Shutdown())
			f.rec.Reset()
			return s, f.rec
		}},
	}
	for _, st := range states {
		t.Run(st.name, func(t *testing.T) {
			for _, row := range notRunningCalls {
				t.Run(row.method, func(t *testing.T) {
					s, rec := st.make(t)
					err, zero := row.call(s)
					if row.errs {
						require.ErrorIs(t, err, steamgs.ErrNotInitialized)
						assert.Regexp(t, `^steamgs: `, err.Error())
						assert.ErrorContains(t, err, row.method)
						assert.ErrorContains(t, err, "not running")
					}
					assert.True(t, zero, "%s returned a value other than that of a server that is not running", row.method)
					if rec != nil {
						assert.Empty(t, rec.Calls(), "a call on a server that is not running reached the back end")
					}
				})
			}
		})
	}
}

func TestInitsCounted(t *testing.T) {
	s, _ := ready(t)
	assert.Equal(t, uint64(1), s.Inits())
	assert.ErrorIs(t, s.Init(goodConfig), steamgs.ErrAlreadyInitialized)
	assert.Equal(t, uint64(1), s.Inits(), "a refused Init is not counted")
	require.NoError(t, s.Shutdown())
	assert.Equal(t, uint64(1), s.Inits(), "Shutdown keeps the count")
	require.NoError(t, s.Init(goodConfig))
	assert.Equal(t, uint64(2), s.Inits())
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
		// The SDK sets no limit on the version string.
		{"version of 64 bytes", with(func(c *steamgs.Config) { c.Version = strings.Repeat("v", 64) }),
			with(func(c *steamgs.Config) { c.Version = strings.Repeat("v", 64) }), nil, nil},
		{"version of 64 KiB", with(func(c *steamgs.Config) { c.Version = strings.Repeat("v", 64<<10) }),
			with(func(c *steamgs.Config) { c.Version = strings.Repeat("v", 64<<10) }), nil, nil},
		{"version empty", with(func(c *steamgs.Config) { c.Version = "" }),
			steamgs.Config{}, steamgs.ErrEmpty, []string{"version"}},
		{"version with NUL", with(func(c *steamgs.Config) { c.Version = "1.0\x00" }),
			steamgs.Config{}, steamgs.ErrInvalidString, []string{"version", "NUL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &fakeConn{}
			b := &fakeBackend{conn: c}
			s := steamgs.NewServer(b)
			err := s.Init(tt.cfg)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Regexp(t, `^steamgs: `, err.Error())
				for _, m := range tt.mentions {
					assert.ErrorContains(t, err, m)
				}
				assert.Empty(t, b.opened, "a refused Init reached the back end")
				assert.False(t, s.Running(), "Running() after a refused Init")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, []steamgs.Config{tt.opened}, b.opened)
			assert.Equal(t, tt.opened, s.Config())
			assert.True(t, s.Running())
			var raw any
			require.NoError(t, s.Raw(func(conn any) error { raw = conn; return nil }))
			assert.Same(t, c, raw, "Raw must see the back end's Conn")
			assert.Zero(t, c.settings, "a Config without settings applied some")
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
			b := &fakeBackend{openErr: tt.openErr, conn: &fakeConn{}}
			s := steamgs.NewServer(b)
			err := s.Init(goodConfig)
			assert.Same(t, tt.openErr, err, "Init must return the back end's error")
			assert.ErrorIs(t, err, tt.is)
			assert.False(t, s.Running(), "server runs after a failed Init")
			assert.Equal(t, steamgs.Config{}, s.Config())
			b.openErr = nil
			assert.NoError(t, s.Init(goodConfig), "Init after a failed Init")
			assert.Equal(t, []steamgs.Config{goodConfig, goodConfig}, b.opened)
		})
	}
}

func TestInitTwice(t *testing.T) {
	s, f := running(t)
	other := goodConfig
	other.GamePort = 1
	err := s.Init(other)
	require.ErrorIs(t, err, steamgs.ErrAlreadyInitialized)
	assert.Regexp(t, `^steamgs: `, err.Error())
	assert.ErrorContains(t, err, "Init")
	assert.ErrorContains(t, err, "Shutdown")
	assert.Empty(t, f.rec.Calls())
	assert.Equal(t, goodConfig, s.Config(), "a refused second Init changed the server")
	assert.True(t, s.Running(), "a refused second Init stopped the server")
}

func TestInitNilBackEnd(t *testing.T) {
	for _, s := range []*steamgs.Server{steamgs.NewServer(nil), {}} {
		err := s.Init(goodConfig)
		require.ErrorIs(t, err, steamgs.ErrNotInitialized)
		assert.Regexp(t, `^steamgs: `, err.Error())
		assert.ErrorContains(t, err, "NewServer")
		assert.False(t, s.Running(), "a server without a back end runs")
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
			s, f := running(t)
			f.closeErr = tt.err
			assert.ErrorIs(t, s.Shutdown(), tt.err, "Shutdown must return the back end's error")
			assert.Equal(t, calls(op("Close")), f.rec.Calls())
			assert.False(t, s.Running(), "server runs after Shutdown")
			require.ErrorIs(t, s.Raw(func(any) error { return nil }), steamgs.ErrNotInitialized, "Raw after Shutdown")
			f.rec.Reset()
			err := s.Shutdown()
			require.ErrorIs(t, err, steamgs.ErrNotInitialized)
			assert.Regexp(t, `^steamgs: `, err.Error())
			assert.ErrorContains(t, err, "Shutdown")
			assert.Empty(t, f.rec.Calls())
		})
	}
}

// TestReInit checks that a server initialized again after Shutdown starts
// afresh: no settings, not logged on, key/value room empty.
func TestReInit(t *testing.T) {
	s, f := ready(t)
	full := strings.Repeat("x", steamgs.MaxKeyValueBytes-3)
	require.NoError(t, s.SetServerName("old"))
	require.NoError(t, s.SetKeyValue("k", full))
	require.NoError(t, s.LogOnAnonymous())
	require.NoError(t, s.Shutdown())
	got := s.Settings()
	assert.Equal(t, "old", got.ServerName, "Settings() after Shutdown keeps the last values given")
	assert.Equal(t, "480", got.Product, "Settings() after Shutdown keeps the last values given")
	for cycle := range 3 {
		cfg := goodConfig
		cfg.GamePort = uint16(1000 + cycle)
		require.NoError(t, s.Init(cfg), "Init after Shutdown (cycle %d)", cycle)
		assert.Equal(t, cfg, s.Config())
		assert.Equal(t, steamgs.Settings{}, s.Settings(), "Settings() after a new Init")
		f.rec.Reset()
		assert.NoError(t, s.SetProduct("480"), "SetProduct after a new Init")
		assert.NoError(t, s.SetKeyValue("z", full), "SetKeyValue of a full reply after a new Init")
		assert.Equal(t, calls(op("Apply", steamgs.FieldProduct), op("Apply", steamgs.FieldKeyValues)), f.rec.Calls())
		assert.Equal(t, steamgs.Settings{Product: "480", KeyValues: map[string]string{"z": full}}, f.settings,
			"what the back end was given after a new Init")
		require.NoError(t, s.Shutdown())
	}
}

// noLimit marks a string setting that neither the SDK nor A2S limits.
const noLimit = -1

// stringSetters are the setters of string settings with their limits.
var stringSetters = []struct {
	method     string
	field      steamgs.Field
	what       string // how error messages name the value
	limit      int    // bytes, or noLimit
	allowEmpty bool
	set        func(*steamgs.Server, string) error
	get        func(steamgs.Settings) string
}{
	{"SetProduct", steamgs.FieldProduct, "product", noLimit, false, (*steamgs.Server).SetProduct,
		func(s steamgs.Settings) string { return s.Product }},
	{"SetGameDescription", steamgs.FieldGameDescription, "game description", steamgs.MaxGameDescriptionLen, false, (*steamgs.Server).SetGameDescription,
		func(s steamgs.Settings) string { return s.GameDescription }},
	{"SetModDir", steamgs.FieldModDir, "mod dir", steamgs.MaxModDirLen, true, (*steamgs.Server).SetModDir,
		func(s steamgs.Settings) string { return s.ModDir }},
	{"SetServerName", steamgs.FieldServerName, "server name", steamgs.MaxServerNameLen, false, (*steamgs.Server).SetServerName,
		func(s steamgs.Settings) string { return s.ServerName }},
	{"SetMapName", steamgs.FieldMapName, "map name", steamgs.MaxMapNameLen, false, (*steamgs.Server).SetMapName,
		func(s steamgs.Settings) string { return s.MapName }},
	{"SetSpectatorServerName", steamgs.FieldSpectatorServerName, "spectator server name", steamgs.MaxSpectatorNameLen, false, (*steamgs.Server).SetSpectatorServerName,
		func(s steamgs.Settings) string { return s.SpectatorServerName }},
	{"SetGameTags", steamgs.FieldGameTags, "game tags", steamgs.MaxGameTagsLen, true, (*steamgs.Server).SetGameTags,
		func(s steamgs.Settings) string { return s.GameTags }},
	{"SetGameData", steamgs.FieldGameData, "game data", steamgs.MaxGameDataLen, true, (*steamgs.Server).SetGameData,
		func(s steamgs.Settings) string { return s.GameData }},
	{"SetRegion", steamgs.FieldRegion, "region", noLimit, true, (*steamgs.Server).SetRegion,
		func(s steamgs.Settings) string { return s.Region }},
}

// TestLimits pins the usable byte limits (the SDK's buffer sizes less the
// NUL) and the other bounds the SDK's types and A2S set.
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
		{"MaxAuthTicketLen", steamgs.MaxAuthTicketLen, math.MaxInt32},
		{"MaxPlayerCount", steamgs.MaxPlayerCount, math.MaxInt32},
		{"MaxKeyValueCount", steamgs.MaxKeyValueCount, 65535},
		{"MaxKeyValueBytes", steamgs.MaxKeyValueBytes, 255*1248 - 7},
		{"MinOutgoingPacketBuffer", steamgs.MinOutgoingPacketBuffer, 16384},
	} {
		assert.Equal(t, tt.want, tt.got, tt.name)
	}
}

func TestStringSetters(t *testing.T) {
	type row struct {
		name     string
		v        string
		err      error
		mentions []string
	}
	for _, st := range stringSetters {
		t.Run(st.method, func(t *testing.T) {
			var tests []row
			if st.limit == noLimit {
				// No limit: long values of every shape reach the back end.
				tests = []row{
					{"short", "x", nil, nil},
					{"64 KiB", strings.Repeat("a", 64<<10), nil, nil},
					{"64 KiB and a byte", strings.Repeat("b", 64<<10+1), nil, nil},
					{"64 KiB in multi-byte runes", strings.Repeat("é", 32<<10), nil, nil},
					{"100000 bytes", strings.Repeat("c", 100000), nil, nil},
				}
			} else {
				// A value at the limit of ASCII bytes, one over, and one over
				// in two-byte runes (fewer runes than the limit: limits are
				// bytes).
				overRunes := strings.Repeat("é", st.limit/2+1)
				tests = []row{
					{"short", "x", nil, nil},
					{"at limit", strings.Repeat("a", st.limit), nil, nil},
					{"one byte over", strings.Repeat("b", st.limit+1), steamgs.ErrTooLong,
						[]string{fmt.Sprintf("%s is %d bytes, limit %d", st.what, st.limit+1, st.limit)}},
					{"over in multi-byte runes", overRunes, steamgs.ErrTooLong,
						[]string{fmt.Sprintf("%s is %d bytes, limit %d", st.what, len(overRunes), st.limit)}},
					{"far over", strings.Repeat("c", 100000), steamgs.ErrTooLong,
						[]string{fmt.Sprintf("%s is 100000 bytes, limit %d", st.what, st.limit)}},
				}
			}
			emptyErr := steamgs.ErrEmpty
			if st.allowEmpty {
				emptyErr = nil
			}
			tests = append(tests,
				row{"empty", "", emptyErr, []string{st.what, "empty"}},
				row{"NUL byte", "ab\x00c", steamgs.ErrInvalidString, []string{st.what, "NUL", "at 2"}})
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					s, f := running(t)
					require.NoError(t, st.set(s, "before"))
					f.rec.Reset()
					err := st.set(s, tt.v)
					if tt.err != nil {
						require.ErrorIs(t, err, tt.err)
						assert.Regexp(t, `^steamgs: `, err.Error())
						for _, m := range tt.mentions {
							assert.ErrorContains(t, err, m)
						}
						assert.Empty(t, f.rec.Calls(), "a refused %s reached the back end", st.method)
						assert.Equal(t, "before", st.get(s.Settings()), "a refused %s changed the setting", st.method)
						return
					}
					require.NoError(t, err, "%s(%d bytes)", st.method, len(tt.v))
					assert.Equal(t, calls(op("Apply", st.field)), f.rec.Calls())
					assert.Equal(t, tt.v, st.get(f.settings), "what Apply received from %s", st.method)
					assert.Equal(t, tt.v, st.get(s.Settings()), "Settings after %s", st.method)
				})
			}
		})
	}
}

// TestClearableSettings checks that the settings the SDK lets a game clear
// with an empty string (game tags, game data, mod dir, region) pass the
// empty string on to the back end, and that the required and named ones do
// not.
func TestClearableSettings(t *testing.T) {
	tests := []struct {
		method string
		field  steamgs.Field
		set    func(*steamgs.Server, string) error
		get    func(steamgs.Settings) string
		err    error // for the empty string
	}{
		{"SetGameTags", steamgs.FieldGameTags, (*steamgs.Server).SetGameTags, func(s steamgs.Settings) string { return s.GameTags }, nil},
		{"SetGameData", steamgs.FieldGameData, (*steamgs.Server).SetGameData, func(s steamgs.Settings) string { return s.GameData }, nil},
		{"SetModDir", steamgs.FieldModDir, (*steamgs.Server).SetModDir, func(s steamgs.Settings) string { return s.ModDir }, nil},
		{"SetRegion", steamgs.FieldRegion, (*steamgs.Server).SetRegion, func(s steamgs.Settings) string { return s.Region }, nil},
		{"SetProduct", steamgs.FieldProduct, (*steamgs.Server).SetProduct, func(s steamgs.Settings) string { return s.Product }, steamgs.ErrEmpty},
		{"SetGameDescription", steamgs.FieldGameDescription, (*steamgs.Server).SetGameDescription,
			func(s steamgs.Settings) string { return s.GameDescription }, steamgs.ErrEmpty},
		{"SetServerName", steamgs.FieldServerName, (*steamgs.Server).SetServerName, func(s steamgs.Settings) string { return s.ServerName }, steamgs.ErrEmpty},
		{"SetMapName", steamgs.FieldMapName, (*steamgs.Server).SetMapName, func(s steamgs.Settings) string { return s.MapName }, steamgs.ErrEmpty},
		{"SetSpectatorServerName", steamgs.FieldSpectatorServerName, (*steamgs.Server).SetSpectatorServerName,
			func(s steamgs.Settings) string { return s.SpectatorServerName }, steamgs.ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			s, f := running(t)
			require.NoError(t, tt.set(s, "set"))
			err := tt.set(s, "")
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Equal(t, calls(op("Apply", tt.field)), f.rec.Calls(), "a refused empty value reached the back end")
				assert.Equal(t, "set", tt.get(f.settings))
				assert.Equal(t, "set", tt.get(s.Settings()))
				return
			}
			require.NoError(t, err, "%s(\"\") clears the setting", tt.method)
			assert.Equal(t, calls(op("Apply", tt.field), op("Apply", tt.field)), f.rec.Calls())
			assert.Empty(t, tt.get(f.settings), "what Apply received")
			assert.Empty(t, tt.get(s.Settings()))
		})
	}
}

// TestServerNameMessage pins the exact wording of a length error.
func TestServerNameMessage(t *testing.T) {
	s, _ := running(t)
	assert.EqualError(t, s.SetServerName(strings.Repeat("n", 80)), "steamgs: server name is 80 bytes, limit 63")
}

// beforeLogOnSetters are the settings the SDK fixes at log-on.
var beforeLogOnSetters = []struct {
	method string
	set    func(*steamgs.Server) error
	field  steamgs.Field              // what Apply receives
	get    func(steamgs.Settings) any // the value it receives, which is val
	val    any
}{
	{"SetProduct", func(s *steamgs.Server) error { return s.SetProduct("481") }, steamgs.FieldProduct,
		func(s steamgs.Settings) any { return s.Product }, "481"},
	{"SetGameDescription", func(s *steamgs.Server) error { return s.SetGameDescription("Other") }, steamgs.FieldGameDescription,
		func(s steamgs.Settings) any { return s.GameDescription }, "Other"},
	{"SetModDir", func(s *steamgs.Server) error { return s.SetModDir("other") }, steamgs.FieldModDir,
		func(s steamgs.Settings) any { return s.ModDir }, "other"},
	{"SetDedicatedServer", func(s *steamgs.Server) error { return s.SetDedicatedServer(true) }, steamgs.FieldDedicated,
		func(s steamgs.Settings) any { return s.Dedicated }, true},
}

// logOns are the two ways to log on, for tests that hold for both.
var logOns = []struct {
	name  string
	logOn func(*steamgs.Server) error
	want  steamgstest.Call // what the back end receives: LogOn with the token, or "" for anonymous
}{
	{"LogOn", func(s *steamgs.Server) error { return s.LogOn("token") }, op("LogOn", "token")},
	{"LogOnAnonymous", (*steamgs.Server).LogOnAnonymous, op("LogOn", "")},
}

func TestBeforeLogOn(t *testing.T) {
	for _, lo := range logOns {
		for _, st := range beforeLogOnSetters {
			t.Run(lo.name+"/"+st.method, func(t *testing.T) {
				s, f := ready(t)
				require.NoError(t, st.set(s), "%s before log-on", st.method)
				require.NoError(t, lo.logOn(s))
				before := s.Settings()
				f.rec.Reset()
				err := st.set(s)
				require.ErrorIs(t, err, steamgs.ErrAfterLogOn)
				assert.Regexp(t, `^steamgs: `, err.Error())
				assert.ErrorContains(t, err, st.method)
				assert.ErrorContains(t, err, "after log-on")
				assert.Empty(t, f.rec.Calls())
				assert.Equal(t, before, s.Settings(), "a refused %s changed the settings", st.method)
				// Other settings may change at any time.
				assert.NoError(t, s.SetServerName("still allowed"), "SetServerName after log-on")
				require.NoError(t, s.LogOff())
				f.rec.Reset()
				f.settings = steamgs.Settings{}
				assert.NoError(t, st.set(s), "%s after LogOff", st.method)
				assert.Equal(t, calls(op("Apply", st.field)), f.rec.Calls())
				assert.Equal(t, st.val, st.get(f.settings), "what Apply received from %s after LogOff", st.method)
			})
		}
	}
}

// TestRefusedLogOnKeepsSettingsOpen checks that a log-on refused by Server
// does not count as a log-on.
func TestRefusedLogOnKeepsSettingsOpen(t *testing.T) {
	s, f := running(t)
	err := s.LogOnAnonymous()
	require.ErrorIs(t, err, steamgs.ErrRequired)
	assert.Regexp(t, `^steamgs: `, err.Error())
	err = s.LogOn("")
	require.ErrorIs(t, err, steamgs.ErrEmpty)
	assert.Regexp(t, `^steamgs: `, err.Error())
	assert.Empty(t, f.rec.Calls())
	for _, st := range beforeLogOnSetters {
		assert.NoError(t, st.set(s), "%s after a refused log-on", st.method)
	}
}

// TestRequired checks that product and game description, and nothing else,
// must be set before log-on, and that one error names every one missing.
func TestRequired(t *testing.T) {
	const (
		product     = "product (SetProduct)"
		description = "game description (SetGameDescription)"
	)
	tests := []struct {
		name     string
		set      func(*steamgs.Server) error
		err      error
		mentions []string // what the message names
		absent   []string // what it must not name
	}{
		{"no product", func(s *steamgs.Server) error {
			return errors.Join(s.SetGameDescription("Spacewar"), s.SetModDir("spacewar"))
		}, steamgs.ErrRequired, []string{product}, []string{"description", "mod dir"}},
		{"no description", func(s *steamgs.Server) error {
			return errors.Join(s.SetProduct("480"), s.SetModDir("spacewar"))
		}, steamgs.ErrRequired, []string{description}, []string{"product", "mod dir"}},
		// The mod dir is optional: empty means the original game.
		{"no mod dir", func(s *steamgs.Server) error {
			return errors.Join(s.SetProduct("480"), s.SetGameDescription("Spacewar"))
		}, nil, nil, nil},
		{"nothing", func(s *steamgs.Server) error { return nil }, steamgs.ErrRequired,
			[]string{product + " and the " + description, "which every game server needs"}, []string{"mod dir"}},
		{"only a mod dir", func(s *steamgs.Server) error { return s.SetModDir("spacewar") }, steamgs.ErrRequired,
			[]string{product, description}, []string{"mod dir"}},
	}
	for _, lo := range logOns {
		for _, tt := range tests {
			t.Run(lo.name+"/"+tt.name, func(t *testing.T) {
				s, f := running(t)
				require.NoError(t, tt.set(s))
				f.rec.Reset()
				err := lo.logOn(s)
				if tt.err == nil {
					require.NoError(t, err)
					assert.Equal(t, calls(lo.want), f.rec.Calls())
					return
				}
				require.ErrorIs(t, err, tt.err)
				assert.Regexp(t, `^steamgs: `+lo.name+` before setting the `, err.Error())
				for _, m := range tt.mentions {
					assert.ErrorContains(t, err, m)
				}
				for _, m := range tt.absent {
					assert.NotContains(t, err.Error(), m)
				}
				assert.Empty(t, f.rec.Calls())
			})
		}
		t.Run(lo.name+"/all set", func(t *testing.T) {
			s, f := ready(t)
			require.NoError(t, lo.logOn(s))
			assert.Equal(t, calls(lo.want), f.rec.Calls())
		})
	}
}

// TestRequiredBothMissing pins the one error that names both missing
// settings.
func TestRequiredBothMissing(t *testing.T) {
	for _, lo := range logOns {
		t.Run(lo.name, func(t *testing.T) {
			s, f := running(t)
			err := lo.logOn(s)
			require.ErrorIs(t, err, steamgs.ErrRequired)
			assert.EqualError(t, err, "steamgs: "+lo.name+" before setting the product (SetProduct) and the "+
				"game description (SetGameDescription), which every game server needs")
			assert.Empty(t, f.rec.Calls())
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
		// The SDK sets no limit on the token.
		{"256 bytes", strings.Repeat("t", 256), nil, nil},
		{"64 KiB", strings.Repeat("t", 64<<10), nil, nil},
		{"empty", "", steamgs.ErrEmpty, []string{"token"}},
		{"NUL", "to\x00ken", steamgs.ErrInvalidString, []string{"token", "NUL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := ready(t)
			err := s.LogOn(tt.token)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Regexp(t, `^steamgs: `, err.Error())
				for _, m := range tt.mentions {
					assert.ErrorContains(t, err, m)
				}
				assert.Empty(t, f.rec.Calls())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, calls(op("LogOn", tt.token)), f.rec.Calls())
		})
	}
}

func TestCounts(t *testing.T) {
	setters := []struct {
		method string
		field  steamgs.Field
		what   string
		set    func(*steamgs.Server, int) error
		get    func(steamgs.Settings) int
	}{
		{"SetMaxPlayerCount", steamgs.FieldMaxPlayers, "max player count", (*steamgs.Server).SetMaxPlayerCount,
			func(s steamgs.Settings) int { return s.MaxPlayers }},
		{"SetBotPlayerCount", steamgs.FieldBots, "bot player count", (*steamgs.Server).SetBotPlayerCount,
			func(s steamgs.Settings) int { return s.Bots }},
	}
	values := []struct {
		n  int
		ok bool
	}{{0, true}, {1, true}, {255, true}, {256, true}, {65536, true}, {steamgs.MaxPlayerCount, true},
		{-1, false}, {steamgs.MaxPlayerCount + 1, false}, {math.MinInt, false}, {math.MaxInt, false}}
	for _, st := range setters {
		for _, v := range values {
			t.Run(st.method+"/"+strconv.Itoa(v.n), func(t *testing.T) {
				s, f := running(t)
				require.NoError(t, st.set(s, 7))
				f.rec.Reset()
				err := st.set(s, v.n)
				if !v.ok {
					require.ErrorIs(t, err, steamgs.ErrOutOfRange)
					assert.Regexp(t, `^steamgs: `, err.Error())
					assert.ErrorContains(t, err, fmt.Sprintf("%s is %d, want 0 to 2147483647", st.what, v.n))
					assert.Empty(t, f.rec.Calls())
					assert.Equal(t, 7, st.get(s.Settings()), "a refused %s changed the setting", st.method)
					assert.Equal(t, 7, st.get(f.settings), "a refused %s reached the back end", st.method)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, calls(op("Apply", st.field)), f.rec.Calls())
				assert.Equal(t, v.n, st.get(f.settings), "what Apply received")
				assert.Equal(t, v.n, st.get(s.Settings()))
			})
		}
	}
}

func TestPlainSetters(t *testing.T) {
	tests := []struct {
		name string
		set  func(*steamgs.Server) error
		want steamgs.Field // what Apply receives
		get  func(steamgs.Settings) any
		val  any
	}{
		{"SetDedicatedServer true", func(s *steamgs.Server) error { return s.SetDedicatedServer(true) },
			steamgs.FieldDedicated, func(s steamgs.Settings) any { return s.Dedicated }, true},
		{"SetPasswordProtected true", func(s *steamgs.Server) error { return s.SetPasswordProtected(true) },
			steamgs.FieldPasswordProtected, func(s steamgs.Settings) any { return s.PasswordProtected }, true},
		{"SetSpectatorPort 0", func(s *steamgs.Server) error { return s.SetSpectatorPort(0) },
			steamgs.FieldSpectatorPort, func(s steamgs.Settings) any { return s.SpectatorPort }, uint16(0)},
		{"SetSpectatorPort 65535", func(s *steamgs.Server) error { return s.SetSpectatorPort(65535) },
			steamgs.FieldSpectatorPort, func(s steamgs.Settings) any { return s.SpectatorPort }, uint16(65535)},
		{"SetAdvertiseServerActive true", func(s *steamgs.Server) error { return s.SetAdvertiseServerActive(true) },
			steamgs.FieldAdvertise, func(s steamgs.Settings) any { return s.Advertise }, true},
		{"SetAdvertiseServerActive false", func(s *steamgs.Server) error { return s.SetAdvertiseServerActive(false) },
			steamgs.FieldAdvertise, func(s steamgs.Settings) any { return s.Advertise }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := running(t)
			require.NoError(t, tt.set(s))
			assert.Equal(t, calls(op("Apply", tt.want)), f.rec.Calls())
			assert.Equal(t, tt.val, tt.get(f.settings), "what Apply received")
			assert.Equal(t, tt.val, tt.get(s.Settings()))
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
		s, f := running(t)
		v := fill(limit - 3) // key "k" + value + 2 NULs
		require.NoError(t, s.SetKeyValue("k", v), "SetKeyValue of exactly MaxKeyValueBytes")
		assert.Equal(t, calls(op("Apply", steamgs.FieldKeyValues)), f.rec.Calls())
		assert.Equal(t, map[string]string{"k": v}, f.settings.KeyValues, "what Apply received")
		f.rec.Reset()
		err := s.SetKeyValue("x", "")
		require.ErrorIs(t, err, steamgs.ErrTooLarge)
		assert.Regexp(t, `^steamgs: `, err.Error())
		assert.ErrorContains(t, err, fmt.Sprintf("%d bytes", limit+3))
		assert.ErrorContains(t, err, fmt.Sprintf("limit %d", limit))
		assert.Empty(t, f.rec.Calls())
		assert.Equal(t, map[string]string{"k": v}, s.Settings().KeyValues, "key/values after a refused one")
	})
	t.Run("one byte over", func(t *testing.T) {
		s, f := running(t)
		err := s.SetKeyValue("k", fill(limit-2))
		require.ErrorIs(t, err, steamgs.ErrTooLarge)
		assert.Regexp(t, `^steamgs: `, err.Error())
		assert.ErrorContains(t, err, fmt.Sprintf("%d bytes", limit+1))
		assert.ErrorContains(t, err, fmt.Sprintf("limit %d", limit))
		assert.Empty(t, f.rec.Calls())
		assert.Empty(t, s.Settings().KeyValues, "a refused key/value was kept")
	})
	t.Run("replacing frees the old bytes", func(t *testing.T) {
		s, f := running(t)
		require.NoError(t, s.SetKeyValue("k", fill(limit-3)))
		assert.NoError(t, s.SetKeyValue("k", fill(limit-3)), "replacing a key/value with one of the same size")
		require.NoError(t, s.SetKeyValue("k", "small"))
		// "k"+"small"+2 = 8 bytes used; the rest is free again.
		assert.NoError(t, s.SetKeyValue("j", fill(limit-8-3)), "SetKeyValue into the room a replaced value freed")
		f.rec.Reset()
		require.ErrorIs(t, s.SetKeyValue("i", ""), steamgs.ErrTooLarge)
		assert.Empty(t, f.rec.Calls())
		kv := s.Settings().KeyValues
		assert.Len(t, kv, 2)
		assert.Equal(t, "small", kv["k"])
	})
	t.Run("ClearAllKeyValues resets", func(t *testing.T) {
		s, f := running(t)
		require.NoError(t, s.SetKeyValue("k", fill(limit-3)))
		f.rec.Reset()
		require.NoError(t, s.ClearAllKeyValues())
		assert.Equal(t, calls(op("Apply", steamgs.FieldKeyValues)), f.rec.Calls())
		assert.Empty(t, f.settings.KeyValues, "what Apply received from ClearAllKeyValues")
		assert.Empty(t, s.Settings().KeyValues, "key/values after ClearAllKeyValues")
		assert.NoError(t, s.SetKeyValue("z", fill(limit-3)), "SetKeyValue of a full reply after ClearAllKeyValues")
	})
	t.Run("count limit", func(t *testing.T) {
		// A NopConn: a fakeConn would copy every key/value on each call.
		s, rec := runningOver(t, steamgstest.NopConn{})
		keys := kvKeys(steamgs.MaxKeyValueCount + 1)
		for _, k := range keys[:steamgs.MaxKeyValueCount] {
			require.NoError(t, s.SetKeyValue(k, ""), "SetKeyValue(%q)", k)
		}
		rec.Reset()
		err := s.SetKeyValue(keys[steamgs.MaxKeyValueCount], "")
		require.ErrorIs(t, err, steamgs.ErrTooLarge)
		assert.Regexp(t, `^steamgs: `, err.Error())
		assert.ErrorContains(t, err, "number 65536, limit 65535")
		assert.Empty(t, rec.Calls())
		assert.NoError(t, s.SetKeyValue(keys[0], "replaced"), "replacing a key/value at the count limit")
		assert.Len(t, s.Settings().KeyValues, steamgs.MaxKeyValueCount)
	})
	t.Run("empty key counts its two NULs", func(t *testing.T) {
		s, f := running(t)
		// "" + value + 2 NULs fills the reply exactly.
		require.NoError(t, s.SetKeyValue("", fill(limit-2)))
		assert.Equal(t, calls(op("Apply", steamgs.FieldKeyValues)), f.rec.Calls())
		assert.Equal(t, map[string]string{"": fill(limit - 2)}, f.settings.KeyValues, "what Apply received")
		f.rec.Reset()
		require.ErrorIs(t, s.SetKeyValue("k", ""), steamgs.ErrTooLarge)
		assert.Empty(t, f.rec.Calls())
		assert.Equal(t, map[string]string{"": fill(limit - 2)}, s.Settings().KeyValues)
	})
	tests := []struct {
		name       string
		key, value string
		err        error
		mentions   []string
	}{
		{"empty value", "k", "", nil, nil},
		// The SDK accepts an empty key, and A2S_RULES can carry one.
		{"empty key", "", "v", nil, nil},
		{"empty key and value", "", "", nil, nil},
		{"NUL in key", "k\x00", "v", steamgs.ErrInvalidString, []string{"key", "NUL"}},
		{"NUL in value", "k", "v\x00", steamgs.ErrInvalidString, []string{"value of key k", "NUL"}},
		{"key too long", fill(limit + 1), "", steamgs.ErrTooLong, []string{fmt.Sprintf("is %d bytes, limit %d", limit+1, limit)}},
		{"value too long", "k", fill(limit + 1), steamgs.ErrTooLong, []string{fmt.Sprintf("is %d bytes, limit %d", limit+1, limit)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := running(t)
			err := s.SetKeyValue(tt.key, tt.value)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Regexp(t, `^steamgs: `, err.Error())
				for _, m := range tt.mentions {
					assert.ErrorContains(t, err, m)
				}
				assert.Empty(t, f.rec.Calls())
				assert.Empty(t, s.Settings().KeyValues, "a refused key/value was kept")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, calls(op("Apply", steamgs.FieldKeyValues)), f.rec.Calls())
			assert.Equal(t, map[string]string{tt.key: tt.value}, f.settings.KeyValues, "what Apply received")
			assert.Equal(t, map[string]string{tt.key: tt.value}, s.Settings().KeyValues)
		})
	}
}

func TestSettingsIsACopy(t *testing.T) {
	s, _ := running(t)
	require.NoError(t, s.SetKeyValue("a", "1"))
	require.NoError(t, s.SetServerName("name"))
	st := s.Settings()
	st.KeyValues["a"] = "changed"
	st.KeyValues["b"] = "added"
	st.ServerName = "changed"
	got := s.Settings()
	assert.Equal(t, map[string]string{"a": "1"}, got.KeyValues, "changing a copy from Settings changed the server")
	assert.Equal(t, "name", got.ServerName, "changing a copy from Settings changed the server")
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
		{"anonymous game server account 0", steamgs.Identity{SteamID: anonSrv0}, nil, nil},
		{"address", steamgs.Identity{Addr: netip.MustParseAddrPort("10.0.0.1:27015")}, nil, nil},
		{"IPv6 address", steamgs.Identity{Addr: netip.MustParseAddrPort("[2001:db8::1]:27015")}, nil, nil},
		{"generic", steamgs.Identity{Generic: "lobby-7"}, nil, nil},
		{"generic at limit", steamgs.Identity{Generic: strings.Repeat("g", steamgs.MaxGenericIdentityLen)}, nil, nil},
		{"generic too long", steamgs.Identity{Generic: strings.Repeat("g", steamgs.MaxGenericIdentityLen+1)},
			steamgs.ErrTooLong, []string{"generic identity is 32 bytes, limit 31"}},
		{"generic with NUL", steamgs.Identity{Generic: "a\x00"}, steamgs.ErrInvalidString, []string{"generic identity", "NUL"}},
		{"invalid Steam ID", steamgs.Identity{SteamID: noAccount}, steamgs.ErrInvalidSteamID, []string{noAccount.String()}},
		{"individual instance 0", steamgs.Identity{SteamID: user0}, steamgs.ErrInvalidSteamID, []string{user0.String()}},
		{"Steam ID and address", steamgs.Identity{SteamID: user, Addr: netip.MustParseAddrPort("10.0.0.1:1")},
			steamgs.ErrOutOfRange, []string{"sets 2 of", "at most 1"}},
		{"all three", steamgs.Identity{SteamID: user, Addr: netip.MustParseAddrPort("10.0.0.1:1"), Generic: "g"},
			steamgs.ErrOutOfRange, []string{"sets 3 of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := running(t)
			f.ticketHandle, f.ticket = 42, []byte("ticket bytes")
			h, tk, err := s.GetAuthSessionTicket(tt.id)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Regexp(t, `^steamgs: `, err.Error())
				for _, m := range tt.mentions {
					assert.ErrorContains(t, err, m)
				}
				assert.Empty(t, f.rec.Calls())
				assert.Zero(t, h, "handle of a refused GetAuthSessionTicket")
				assert.Nil(t, tk, "ticket of a refused GetAuthSessionTicket")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, calls(op("GetAuthSessionTicket", ticketBuffer, tt.id)), f.rec.Calls())
			assert.Equal(t, steamgs.AuthTicket(42), h)
			assert.Equal(t, []byte("ticket bytes"), tk)
			assert.Equal(t, len(tk), cap(tk), "the ticket has no spare capacity")
		})
	}
}

// TestGetAuthSessionTicketFillsBuffer checks that a ticket as large as the
// buffer the back end is given comes back whole.
func TestGetAuthSessionTicketFillsBuffer(t *testing.T) {
	s, f := running(t)
	full := []byte(strings.Repeat("T", ticketBuffer))
	f.ticketHandle, f.ticket = 7, full
	h, tk, err := s.GetAuthSessionTicket(steamgs.Identity{})
	require.NoError(t, err)
	assert.Equal(t, steamgs.AuthTicket(7), h)
	assert.Equal(t, full, tk)
	assert.Equal(t, len(tk), cap(tk), "the ticket has no spare capacity")
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
		{"length past the buffer", 5, []byte("t"), ticketBuffer + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := running(t)
			f.ticketHandle, f.ticket, f.ticketLen = tt.handle, tt.ticket, tt.n
			h, tk, err := s.GetAuthSessionTicket(steamgs.Identity{})
			require.ErrorIs(t, err, steamgs.ErrUnsupported)
			assert.Regexp(t, `^steamgs: `, err.Error())
			assert.ErrorContains(t, err, "GetAuthSessionTicket")
			assert.Zero(t, h, "handle returned with the error")
			assert.Nil(t, tk, "ticket returned with the error")
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
		{"ticket of 4096 bytes", make([]byte, 4096), user, nil, nil},
		// The SDK takes the length as a C int: only more than MaxInt32 bytes
		// is too long.
		{"ticket of 4097 bytes", make([]byte, 4097), user, nil, nil},
		{"ticket of 64 KiB", make([]byte, 64<<10), user, nil, nil},
		{"empty ticket", nil, user, steamgs.ErrEmpty, []string{"ticket", user.String(), "empty"}},
		{"ticket too long", hugeTicket(), user, steamgs.ErrTooLong,
			[]string{user.String(), "2147483648 bytes, limit 2147483647"}},
		// Server-to-server auth: game servers and anonymous users own tickets.
		{"game server", ticket, gameSrv, nil, nil},
		{"anonymous game server", ticket, anonSrv, nil, nil},
		{"anonymous game server account 0", ticket, anonSrv0, nil, nil},
		{"anonymous user", ticket, anonUser, nil, nil},
		{"clan", ticket, clan, steamgs.ErrInvalidSteamID, []string{clan.String(), "Clan", "no auth ticket comes from one"}},
		{"chat", ticket, chat, steamgs.ErrInvalidSteamID, []string{chat.String(), "Chat", "no auth ticket comes from one"}},
		{"zero", ticket, 0, steamgs.ErrInvalidSteamID, []string{"not a valid Steam ID"}},
		{"bad instance", ticket, badUser, steamgs.ErrInvalidSteamID, []string{"not a valid Steam ID"}},
		{"individual instance 0", ticket, user0, steamgs.ErrInvalidSteamID, []string{user0.String(), "not a valid Steam ID"}},
		{"individual instance 2", ticket, user2, steamgs.ErrInvalidSteamID, []string{user2.String(), "not a valid Steam ID"}},
		{"game server account 0", ticket, gameSrv0, steamgs.ErrInvalidSteamID, []string{"not a valid Steam ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := running(t)
			f.beginResult = steamgs.BeginAuthDuplicateRequest
			r, err := s.BeginAuthSession(tt.ticket, tt.user)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Regexp(t, `^steamgs: `, err.Error())
				for _, m := range tt.mentions {
					assert.ErrorContains(t, err, m)
				}
				assert.Empty(t, f.rec.Calls())
				assert.Equal(t, steamgs.BeginAuthInvalidTicket, r, "answer of a refused BeginAuthSession")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, calls(op("BeginAuthSession", tt.ticket, tt.user)), f.rec.Calls())
			assert.Equal(t, steamgs.BeginAuthDuplicateRequest, r, "BeginAuthSession must answer the back end's result")
		})
	}
}

// idMethod is a method that takes a Steam ID: call calls it with id and
// returns the call the back end must receive.
type idMethod struct {
	name   string
	accept map[steamgs.SteamID]bool // for TestSteamIDRules: the IDs of its set that the method accepts
	call   func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error)
}

// ticketSourceMethods are the methods that take the Steam ID of whoever
// made an auth ticket.
var ticketSourceMethods = []idMethod{
	{name: "BeginAuthSession", call: func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
		r, err := s.BeginAuthSession([]byte("ticket"), id)
		if err != nil && r != steamgs.BeginAuthInvalidTicket {
			err = errors.Join(err, fmt.Errorf("and %v", r))
		}
		return op("BeginAuthSession", []byte("ticket"), id), err
	}},
	{name: "EndAuthSession", call: func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
		return op("EndAuthSession", id), s.EndAuthSession(id)
	}},
	{name: "UserHasLicenseForApp", call: func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
		r, err := s.UserHasLicenseForApp(id, 1234)
		if err != nil && r != steamgs.NoAuth {
			err = errors.Join(err, fmt.Errorf("and %v", r))
		}
		return op("UserHasLicenseForApp", id, steamgs.AppID(1234)), err
	}},
	{name: "ComputeNewPlayerCompatibility", call: func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
		h, err := s.ComputeNewPlayerCompatibility(id)
		if err != nil && h != 0 {
			err = errors.Join(err, fmt.Errorf("and call %d", h))
		}
		return op("Request", steamgs.Request{Kind: steamgs.RequestPlayerCompatibility, User: id}), err
	}},
}

// TestTicketSources checks the Steam IDs the auth methods take: every valid
// individual, game server (persistent or anonymous) and anonymous user, for
// server-to-server auth; valid IDs of the types that own no ticket are
// refused with a message that says so.
func TestTicketSources(t *testing.T) {
	pub := steamgs.UniversePublic
	accepted := []steamgs.SteamID{user, steamgs.IndividualID(1<<32 - 1), gameSrv,
		steamgs.NewSteamID(pub, steamgs.AccountTypeGameServer, 7, 1), anonSrv, anonSrv0, anonUser,
		steamgs.NewSteamID(pub, steamgs.AccountTypeAnonUser, 0, 0)}
	refused := []steamgs.SteamID{clan, chat,
		steamgs.NewSteamID(pub, steamgs.AccountTypeMultiseat, 0, 5),
		steamgs.NewSteamID(pub, steamgs.AccountTypePending, 0, 5),
		steamgs.NewSteamID(pub, steamgs.AccountTypeContentServer, 0, 5),
		steamgs.NewSteamID(pub, steamgs.AccountTypeConsoleUser, 0, 5)}
	for _, m := range ticketSourceMethods {
		for _, id := range accepted {
			t.Run(m.name+"/accepts/"+id.String(), func(t *testing.T) {
				s, f := running(t)
				f.license, f.apiCall, f.requested = steamgs.HasLicense, 5, true
				want, err := m.call(s, id)
				require.NoError(t, err)
				assert.Equal(t, calls(want), f.rec.Calls())
			})
		}
		for _, id := range refused {
			t.Run(m.name+"/refuses/"+id.String(), func(t *testing.T) {
				require.True(t, id.IsValid(), "%s must be valid, so that only its type is refused", id)
				s, f := running(t)
				f.license, f.apiCall, f.requested = steamgs.HasLicense, 5, true
				_, err := m.call(s, id)
				require.ErrorIs(t, err, steamgs.ErrInvalidSteamID)
				assert.Regexp(t, `^steamgs: `, err.Error())
				assert.ErrorContains(t, err, id.String())
				assert.ErrorContains(t, err, id.Type().String()+" account, and no auth ticket comes from one")
				assert.Empty(t, f.rec.Calls())
			})
		}
	}
}

// TestSteamIDRules checks the account types each method that takes a Steam
// ID accepts, and that every refused ID never reaches the back end.
func TestSteamIDRules(t *testing.T) {
	ticketSources := map[steamgs.SteamID]bool{user: true, anonUser: true, gameSrv: true, anonSrv: true, anonSrv0: true}
	players := map[steamgs.SteamID]bool{user: true, anonUser: true}
	methods := []idMethod{
		{"SendUserDisconnect", players,
			func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
				return op("SendUserDisconnect", id), s.SendUserDisconnect(id)
			}},
		{"UpdateUserData", players,
			func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
				ok, err := s.UpdateUserData(id, "name", 7)
				if err != nil && ok {
					err = errors.Join(err, errors.New("and true"))
				}
				return op("UpdateUserData", id, "name", uint32(7)), err
			}},
		{"RequestUserGroupStatus user", map[steamgs.SteamID]bool{user: true},
			func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
				ok, err := s.RequestUserGroupStatus(id, clan)
				if err != nil && ok {
					err = errors.Join(err, errors.New("and true"))
				}
				return op("Request", steamgs.Request{Kind: steamgs.RequestUserGroupStatus, User: id, Group: clan}), err
			}},
		{"RequestUserGroupStatus group", map[steamgs.SteamID]bool{clan: true},
			func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
				ok, err := s.RequestUserGroupStatus(user, id)
				if err != nil && ok {
					err = errors.Join(err, errors.New("and true"))
				}
				return op("Request", steamgs.Request{Kind: steamgs.RequestUserGroupStatus, User: user, Group: id}), err
			}},
		{"AssociateWithClan", map[steamgs.SteamID]bool{clan: true},
			func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
				h, err := s.AssociateWithClan(id)
				if err != nil && h != 0 {
					err = errors.Join(err, fmt.Errorf("and call %d", h))
				}
				return op("Request", steamgs.Request{Kind: steamgs.RequestAssociateWithClan, Group: id}), err
			}},
		{"Identity", map[steamgs.SteamID]bool{user: true, anonUser: true, clan: true, chat: true, gameSrv: true,
			anonSrv: true, anonSrv0: true},
			func(s *steamgs.Server, id steamgs.SteamID) (steamgstest.Call, error) {
				_, _, err := s.GetAuthSessionTicket(steamgs.Identity{SteamID: id})
				return op("GetAuthSessionTicket", ticketBuffer, steamgs.Identity{SteamID: id}), err
			}},
	}
	for _, m := range ticketSourceMethods {
		m.accept = ticketSources
		methods = append(methods, m)
	}
	ids := []steamgs.SteamID{user, anonUser, clan, chat, gameSrv, anonSrv, anonSrv0, badUser, user0, user2, clan1,
		gameSrv0, noAccount,
		steamgs.NewSteamID(steamgs.UniverseInvalid, steamgs.AccountTypeIndividual, 1, 5),
		steamgs.NewSteamID(5, steamgs.AccountTypeIndividual, 1, 5),
		steamgs.NewSteamID(steamgs.UniversePublic, 12, 0, 5)}
	for _, m := range methods {
		for _, id := range ids {
			t.Run(m.name+"/"+id.String(), func(t *testing.T) {
				s, f := running(t)
				*f.fakeConn = fakeConn{ticketHandle: 1, ticket: []byte{1}, updated: true, license: steamgs.HasLicense,
					apiCall: 5, requested: true}
				want, err := m.call(s, id)
				if m.accept[id] {
					require.NoError(t, err, "%s refused %s", m.name, id)
					assert.Equal(t, calls(want), f.rec.Calls())
					return
				}
				require.ErrorIs(t, err, steamgs.ErrInvalidSteamID)
				assert.Regexp(t, `^steamgs: `, err.Error())
				assert.ErrorContains(t, err, id.String())
				assert.Empty(t, f.rec.Calls())
			})
		}
	}
}

func TestPassThrough(t *testing.T) {
	s, f := running(t)
	pub := netip.MustParseAddr("203.0.113.9")
	*f.fakeConn = fakeConn{status: steamgs.Status{LoggedOn: true, Secure: true, SteamID: anonSrv, Restarts: 1,
		QueryPort: 40000, PublicIP: pub}, apiCall: 77, requested: true, unauthID: anonUser,
		license: steamgs.DoesNotHaveLicense, updated: true}
	request := func(r steamgs.Request) steamgstest.Call { return op("Request", r) }
	tests := []struct {
		name string
		do   func() (got, want any)
		call steamgstest.Call
	}{
		{"LoggedOn", func() (any, any) { return s.LoggedOn(), true }, op("Status")},
		{"Secure", func() (any, any) { return s.Secure(), true }, op("Status")},
		{"SteamID", func() (any, any) { return s.SteamID(), anonSrv }, op("Status")},
		{"WasRestartRequested", func() (any, any) { return s.WasRestartRequested(), true }, op("Status")},
		{"QueryPort", func() (any, any) { return s.QueryPort(), uint16(40000) }, op("Status")},
		{"PublicIP", func() (any, any) { return s.PublicIP(), pub }, op("Status")},
		{"ReleaseThreadMemory", func() (any, any) { s.ReleaseThreadMemory(); return nil, nil }, op("ReleaseThreadMemory")},
		{"LogOff", func() (any, any) { return s.LogOff(), nil }, op("LogOff")},
		{"GetGameplayStats", func() (any, any) {
			return s.GetGameplayStats(), nil
		}, request(steamgs.Request{Kind: steamgs.RequestGameplayStats})},
		{"GetServerReputation", func() (any, any) {
			h, err := s.GetServerReputation()
			return [2]any{h, err}, [2]any{steamgs.APICall(77), nil}
		}, request(steamgs.Request{Kind: steamgs.RequestServerReputation})},
		{"AssociateWithClan", func() (any, any) {
			h, err := s.AssociateWithClan(clan)
			return [2]any{h, err}, [2]any{steamgs.APICall(77), nil}
		}, request(steamgs.Request{Kind: steamgs.RequestAssociateWithClan, Group: clan})},
		{"ComputeNewPlayerCompatibility", func() (any, any) {
			h, err := s.ComputeNewPlayerCompatibility(user)
			return [2]any{h, err}, [2]any{steamgs.APICall(77), nil}
		}, request(steamgs.Request{Kind: steamgs.RequestPlayerCompatibility, User: user})},
		{"ComputeNewPlayerCompatibility game server", func() (any, any) {
			h, err := s.ComputeNewPlayerCompatibility(gameSrv)
			return [2]any{h, err}, [2]any{steamgs.APICall(77), nil}
		}, request(steamgs.Request{Kind: steamgs.RequestPlayerCompatibility, User: gameSrv})},
		{"UserHasLicenseForApp", func() (any, any) {
			r, err := s.UserHasLicenseForApp(user, 1_000_000)
			return [2]any{r, err}, [2]any{steamgs.DoesNotHaveLicense, nil}
		}, op("UserHasLicenseForApp", user, steamgs.AppID(1_000_000))},
		{"UserHasLicenseForApp anonymous game server", func() (any, any) {
			r, err := s.UserHasLicenseForApp(anonSrv, 480)
			return [2]any{r, err}, [2]any{steamgs.DoesNotHaveLicense, nil}
		}, op("UserHasLicenseForApp", anonSrv, steamgs.AppID(480))},
		{"EndAuthSession game server", func() (any, any) {
			return s.EndAuthSession(gameSrv), nil
		}, op("EndAuthSession", gameSrv)},
		{"RequestUserGroupStatus", func() (any, any) {
			ok, err := s.RequestUserGroupStatus(user, clan)
			return [2]any{ok, err}, [2]any{true, nil}
		}, request(steamgs.Request{Kind: steamgs.RequestUserGroupStatus, User: user, Group: clan})},
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
			f.rec.Reset()
			got, want := tt.do()
			assert.Equal(t, want, got)
			assert.Equal(t, calls(tt.call), f.rec.Calls())
		})
	}
}

func TestCapabilities(t *testing.T) {
	caps := steamgs.Capabilities{SteamConnection: true, Queries: true}
	s := steamgs.NewServer(&fakeBackend{caps: caps, conn: &fakeConn{}})
	assert.Equal(t, caps, s.Capabilities(), "Capabilities() before Init")
	require.NoError(t, s.Init(goodConfig))
	assert.Equal(t, caps, s.Capabilities(), "Capabilities() after Init")
}

func TestCancelAuthTicket(t *testing.T) {
	s, f := running(t)
	err := s.CancelAuthTicket(0)
	require.ErrorIs(t, err, steamgs.ErrOutOfRange)
	assert.Regexp(t, `^steamgs: `, err.Error())
	assert.ErrorContains(t, err, "handle is 0")
	assert.Empty(t, f.rec.Calls())
	require.NoError(t, s.CancelAuthTicket(1<<32-1))
	assert.Equal(t, calls(op("CancelAuthTicket", steamgs.AuthTicket(1<<32-1))), f.rec.Calls())
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
			s, f := running(t)
			f.updated = true
			ok, err := s.UpdateUserData(user, tt.player, 5)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Regexp(t, `^steamgs: `, err.Error())
				for _, m := range tt.mentions {
					assert.ErrorContains(t, err, m)
				}
				assert.Empty(t, f.rec.Calls())
				assert.False(t, ok, "a refused UpdateUserData returned true")
				return
			}
			require.NoError(t, err)
			assert.True(t, ok)
			assert.Equal(t, calls(op("UpdateUserData", user, tt.player, uint32(5))), f.rec.Calls())
		})
	}
}

func TestIsSteamPacket(t *testing.T) {
	tests := []struct {
		pkt  string
		want bool
	}{
		{"\xff\xff\xff\xffTSource Engine Query\x00", true},
		{"\xff\xff\xff\xff", true},
		{"\xff\xff\xff", false},
		{"\xfe\xff\xff\xff\x01", false},
		{"\xff\xff\xff\xfe", false},
		{"", false},
		{"G\x01\x06", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, steamgs.IsSteamPacket([]byte(tc.pkt)), "%q", tc.pkt)
	}
	assert.False(t, steamgs.IsSteamPacket(nil), "nil")
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
			s, f := running(t)
			f.handled = true
			ok, err := s.HandleIncomingPacket(tt.pkt, tt.from)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Regexp(t, `^steamgs: `, err.Error())
				for _, m := range tt.mentions {
					assert.ErrorContains(t, err, m)
				}
				assert.Empty(t, f.rec.Calls())
				assert.False(t, ok, "a refused packet was reported handled")
				return
			}
			if !tt.sent.IsValid() {
				require.NoError(t, err, "a packet that is not Steam's is no error")
				assert.False(t, ok, "a packet that is not Steam's was reported handled")
				assert.Empty(t, f.rec.Calls(), "a packet that is not Steam's reached the back end")
				return
			}
			require.NoError(t, err)
			assert.True(t, ok)
			assert.Equal(t, calls(op("HandleIncomingPacket", tt.pkt, tt.sent)), f.rec.Calls())
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
		{"1400 bytes", 1400, false},
		{"16383 bytes", 16383, false},
		{"one byte short", steamgs.MinOutgoingPacketBuffer - 1, false},
		{"16384 bytes", 16384, true},
		{"minimum", steamgs.MinOutgoingPacketBuffer, true},
		{"larger", 64 << 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := running(t)
			f.outgoing, f.outgoingTo = []byte("reply"), to
			var buf []byte
			if tt.size > 0 {
				buf = make([]byte, tt.size)
			}
			n, dst, err := s.GetNextOutgoingPacket(buf)
			if !tt.ok {
				require.ErrorIs(t, err, steamgs.ErrOutOfRange)
				assert.Regexp(t, `^steamgs: `, err.Error())
				assert.ErrorContains(t, err, fmt.Sprintf("%d bytes, need at least 16384", tt.size))
				assert.Empty(t, f.rec.Calls())
				assert.Zero(t, n, "length returned by a refused call")
				assert.False(t, dst.IsValid(), "destination returned by a refused call")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 5, n)
			assert.Equal(t, "reply", string(buf[:n]))
			assert.Equal(t, to, dst)
			assert.Equal(t, calls(op("GetNextOutgoingPacket", tt.size)), f.rec.Calls())
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
		{"ticket of 4097 bytes", netip.MustParseAddr("10.0.0.3"), make([]byte, 4097), netip.MustParseAddr("10.0.0.3"), nil, nil},
		{"IPv6 refused", netip.MustParseAddr("2001:db8::3"), ticket, netip.Addr{}, steamgs.ErrInvalidAddress,
			[]string{"client IP 2001:db8::3"}},
		{"no address", netip.Addr{}, ticket, netip.Addr{}, steamgs.ErrInvalidAddress, []string{"client IP"}},
		{"empty ticket", netip.MustParseAddr("10.0.0.3"), nil, netip.Addr{}, steamgs.ErrEmpty, []string{"10.0.0.3", "empty"}},
		{"ticket too long", netip.MustParseAddr("10.0.0.3"), hugeTicket(), netip.Addr{},
			steamgs.ErrTooLong, []string{"10.0.0.3", "2147483648 bytes, limit 2147483647"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := running(t)
			f.connectID, f.connectOK = user, true
			id, ok, err := s.SendUserConnectAndAuthenticate(tt.ip, tt.ticket)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Regexp(t, `^steamgs: `, err.Error())
				for _, m := range tt.mentions {
					assert.ErrorContains(t, err, m)
				}
				assert.Empty(t, f.rec.Calls())
				assert.Zero(t, id, "Steam ID returned by a refused call")
				assert.False(t, ok, "a refused call returned true")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, user, id)
			assert.True(t, ok)
			assert.Equal(t, calls(op("SendUserConnectAndAuthenticate", tt.sent, tt.ticket)), f.rec.Calls())
		})
	}
}

func TestRunCallbacks(t *testing.T) {
	s, f := running(t)
	want := []steamgs.Callback{
		steamgs.ServerConnected{},
		steamgs.PolicyResponse{Secure: true},
		steamgs.ValidateAuthTicketResponse{SteamID: user, Response: steamgs.AuthOK, Owner: user},
	}
	f.callbacks = want
	var got []steamgs.Callback
	s.RunCallbacks(func(cb steamgs.Callback) {
		got = append(got, cb)
		// fn may call the server's methods.
		assert.NoError(t, s.SetServerName("from a callback"), "SetServerName in a callback")
	})
	assert.Equal(t, want, got)
	f.rec.Reset()
	assert.NotPanics(t, func() { s.RunCallbacks(nil) })
	assert.Equal(t, calls(op("RunCallbacks")), f.rec.Calls())
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
		{steamgs.ClientAchievementStatus{}, 206},
		{steamgs.GameplayStats{}, 207},
		{steamgs.ClientGroupStatus{}, 208},
		{steamgs.ServerReputation{}, 209},
		{steamgs.AssociateClan{}, 210},
		{steamgs.PlayerCompat{}, 211},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.cb.CallbackID(), "%T.CallbackID()", tt.cb)
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
			assert.EqualError(t, tt.err, tt.want)
			wrapped := fmt.Errorf("starting: %w", tt.err)
			assert.ErrorIs(t, tt.err, steamgs.ErrInitFailed)
			assert.ErrorIs(t, wrapped, steamgs.ErrInitFailed)
			assert.NotErrorIs(t, tt.err, steamgs.ErrNotInitialized)
			assert.NotErrorIs(t, tt.err, steamgs.ErrInUse)
			var ie *steamgs.InitError
			require.ErrorAs(t, wrapped, &ie)
			assert.Same(t, tt.err, ie, "errors.As must find the InitError itself")
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
			if i != j {
				assert.NotErrorIs(t, a, b)
				assert.NotEqual(t, a.Error(), b.Error(), "sentinels %d and %d have one message", i, j)
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
		assert.Equal(t, tt.want, tt.id.IsZero(), "%+v.IsZero()", tt.id)
	}
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
	var err error
	b.ReportAllocs()
	for b.Loop() {
		_, err = s.UpdateUserData(user, "a player name", 42)
	}
	require.NoError(b, err)
}

func BenchmarkSetServerName(b *testing.B) {
	s := benchServer(b)
	var err error
	b.ReportAllocs()
	for b.Loop() {
		err = s.SetServerName("steamgs benchmark server")
	}
	require.NoError(b, err)
}

func BenchmarkSetKeyValueReplace(b *testing.B) {
	s := benchServer(b)
	require.NoError(b, s.SetKeyValue("round", "1"))
	var err error
	b.ReportAllocs()
	for b.Loop() {
		err = s.SetKeyValue("round", "2")
	}
	require.NoError(b, err)
}

func BenchmarkBeginAuthSession(b *testing.B) {
	s := benchServer(b)
	ticket := make([]byte, 200)
	var err error
	b.ReportAllocs()
	for b.Loop() {
		_, err = s.BeginAuthSession(ticket, user)
	}
	require.NoError(b, err)
}

func BenchmarkHandleIncomingPacket(b *testing.B) {
	s := benchServer(b)
	pkt := []byte("\xFF\xFF\xFF\xFFTSource Engine Query\x00")
	from := netip.MustParseAddrPort("10.0.0.1:27005")
	var err error
	b.ReportAllocs()
	for b.Loop() {
		_, err = s.HandleIncomingPacket(pkt, from)
	}
	require.NoError(b, err)
}

// A refused call costs its error.
func BenchmarkSetServerNameTooLong(b *testing.B) {
	s := benchServer(b)
	long := strings.Repeat("n", 80)
	var err error
	b.ReportAllocs()
	for b.Loop() {
		err = s.SetServerName(long)
	}
	require.ErrorIs(b, err, steamgs.ErrTooLong)
}
