package steamgstest

//lint:file-ignore SA1019 the suite checks the deprecated methods too: back ends must keep them working

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"

	"github.com/steamgs/steamgs/steamgs"
)

// Steam IDs of each account type the rules tell apart. None of them needs to
// be an account of the back end: the rules refuse them before it sees them.
var (
	someUser  = steamgs.IndividualID(22202)
	someAnon  = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, 77)
	someClan  = steamgs.ClanID(103)
	someSrv   = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, 1234)
	noAccount = steamgs.IndividualID(0)
	// someAnonSrv is an anonymous game server; account 0 is valid for one.
	someAnonSrv = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, 7, 0)
	someChat    = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeChat, 0, 55)
	// otherInstance is an individual of an instance other than desktop,
	// which CSteamID::IsValid refuses.
	otherInstance = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeIndividual, 2, 22202)
)

// stringSetting is a string setting of Server with its limit.
type stringSetting struct {
	method     string
	what       string // how error messages name the value
	limit      int    // 0: no limit
	allowEmpty bool
	set        func(*steamgs.Server, string) error
	get        func(steamgs.Settings) string
}

// stringSettings are the string settings of Server.
var stringSettings = []stringSetting{
	{"SetProduct", "product", 0, false, (*steamgs.Server).SetProduct,
		func(s steamgs.Settings) string { return s.Product }},
	{"SetGameDescription", "game description", steamgs.MaxGameDescriptionLen, false, (*steamgs.Server).SetGameDescription,
		func(s steamgs.Settings) string { return s.GameDescription }},
	{"SetModDir", "mod dir", steamgs.MaxModDirLen, true, (*steamgs.Server).SetModDir,
		func(s steamgs.Settings) string { return s.ModDir }},
	{"SetServerName", "server name", steamgs.MaxServerNameLen, false, (*steamgs.Server).SetServerName,
		func(s steamgs.Settings) string { return s.ServerName }},
	{"SetMapName", "map name", steamgs.MaxMapNameLen, false, (*steamgs.Server).SetMapName,
		func(s steamgs.Settings) string { return s.MapName }},
	{"SetSpectatorServerName", "spectator server name", steamgs.MaxSpectatorNameLen, false,
		(*steamgs.Server).SetSpectatorServerName, func(s steamgs.Settings) string { return s.SpectatorServerName }},
	{"SetGameTags", "game tags", steamgs.MaxGameTagsLen, true, (*steamgs.Server).SetGameTags,
		func(s steamgs.Settings) string { return s.GameTags }},
	{"SetGameData", "game data", steamgs.MaxGameDataLen, true, (*steamgs.Server).SetGameData,
		func(s steamgs.Settings) string { return s.GameData }},
	{"SetRegion", "region", 0, true, (*steamgs.Server).SetRegion,
		func(s steamgs.Settings) string { return s.Region }},
}

// usableLimits are the usable byte limits the SDK's buffer sizes allow, as
// the suite expects them.
var usableLimits = map[string]int{
	"SetServerName": 63, "SetMapName": 31, "SetModDir": 31, "SetGameDescription": 63, "SetGameTags": 127,
	"SetGameData": 2047, "SetSpectatorServerName": 31,
}

func rulesCases() []testCase {
	return []testCase{
		{"StringLimits", anyBackEnd, ruleStringLimits},
		{"EmptyValues", anyBackEnd, ruleEmptyValues},
		{"NULBytes", anyBackEnd, ruleNULBytes},
		{"OtherLimits", anyBackEnd, ruleOtherLimits},
		{"BeforeLogOn", anyBackEnd, ruleBeforeLogOn},
		{"Required", anyBackEnd, ruleRequired},
		{"Counts", anyBackEnd, ruleCounts},
		{"Modes", anyBackEnd, ruleModes},
		{"SteamIDs", anyBackEnd, ruleSteamIDs},
		{"Addresses", anyBackEnd, ruleAddresses},
		{"Tickets", anyBackEnd, ruleTickets},
		{"Identities", anyBackEnd, ruleIdentities},
		{"PacketBuffer", anyBackEnd, rulePacketBuffer},
		{"KeyValues", anyBackEnd, ruleKeyValues},
		{"Settings", anyBackEnd, ruleSettings},
	}
}

// ruleStringLimits: every string setting with a limit takes exactly its
// usable byte limit and refuses one byte more, in ASCII or in multi-byte
// runes, with ErrTooLong and a message that names the length and the limit;
// a refused value leaves the setting as it was. Settings without a limit in
// the SDK or the A2S format (product, region) take 70,000 bytes.
func ruleStringLimits(e *env) {
	t := e.t
	for _, st := range stringSettings {
		if want, ok := usableLimits[st.method]; ok && st.limit != want {
			t.Errorf("%s: limit %d, want the SDK's usable %d bytes", st.method, st.limit, want)
		}
		s := e.start(e.config(steamgs.ModeAuthentication))
		if st.limit == 0 {
			long := strings.Repeat("l", 70000)
			if err := st.set(s.Server, long); err != nil {
				t.Errorf("%s(%d bytes), which has no limit: %v", st.method, len(long), err)
			} else if got := st.get(s.Settings()); got != long {
				t.Errorf("%s(%d bytes): Settings holds %d bytes", st.method, len(long), len(got))
			}
			if err := s.Shutdown(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := st.set(s.Server, "before"); err != nil {
			t.Fatalf("%s(%q): %v", st.method, "before", err)
		}
		atLimit := strings.Repeat("a", st.limit)
		if err := st.set(s.Server, atLimit); err != nil {
			t.Errorf("%s(%d bytes, the limit): %v", st.method, st.limit, err)
		} else if got := st.get(s.Settings()); got != atLimit {
			t.Errorf("%s(%d bytes): Settings holds %d bytes", st.method, st.limit, len(got))
		}
		if err := st.set(s.Server, "before"); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{strings.Repeat("b", st.limit+1), strings.Repeat("é", st.limit/2+1), strings.Repeat("c", 70000)} {
			err := st.set(s.Server, v)
			expectErr(t, err, steamgs.ErrTooLong, fmt.Sprintf("%s is %d bytes, limit %d", st.what, len(v), st.limit))
			if got := st.get(s.Settings()); got != "before" {
				t.Errorf("a refused %s(%d bytes) changed the setting to %d bytes", st.method, len(v), len(got))
			}
		}
		if err := s.Shutdown(); err != nil {
			t.Fatal(err)
		}
	}
	s := e.newServer()
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.Version = strings.Repeat("v", 70000)
	if err := s.Init(cfg); err != nil {
		t.Errorf("Init with a version of %d bytes, which has no limit: %v", len(cfg.Version), err)
	}
}

// ruleEmptyValues: the settings the SDK header or GodotSteam Server's
// reference says must not be empty (product, game description, server name,
// map name, spectator server name) refuse "" with ErrEmpty; the others (mod
// dir, game tags, game data, region), a key/value and a player's name may be
// empty, and so clear what was set.
func ruleEmptyValues(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	for _, st := range stringSettings {
		err := st.set(s.Server, "")
		if st.allowEmpty {
			if err != nil {
				t.Errorf("%s(\"\"): %v", st.method, err)
			}
			continue
		}
		expectErr(t, err, steamgs.ErrEmpty, st.what, "empty")
	}
	if err := s.SetKeyValue("", "v"); err != nil {
		t.Errorf("SetKeyValue with an empty key: %v", err)
	}
	if err := s.SetKeyValue("k", ""); err != nil {
		t.Errorf("SetKeyValue with an empty value: %v", err)
	}
	s.setRequired()
	expectErr(t, s.LogOn(""), steamgs.ErrEmpty, "token")
	bot := e.newServer()
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.Version = ""
	expectErr(t, bot.Init(cfg), steamgs.ErrEmpty, "version")
}

// ruleNULBytes: strings holding a NUL byte, which C strings cannot carry, are
// refused with ErrInvalidString.
func ruleNULBytes(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	for _, st := range stringSettings {
		expectErr(t, st.set(s.Server, "ab\x00c"), steamgs.ErrInvalidString, st.what, "NUL")
		if got := st.get(s.Settings()); got != "" {
			t.Errorf("a refused %s set %q", st.method, got)
		}
	}
	expectErr(t, s.SetKeyValue("k\x00", "v"), steamgs.ErrInvalidString, "key", "NUL")
	expectErr(t, s.SetKeyValue("k", "v\x00"), steamgs.ErrInvalidString, "value of key k", "NUL")
	_, err := s.UpdateUserData(someUser, "a\x00b", 1)
	expectErr(t, err, steamgs.ErrInvalidString, "player name", "NUL")
	_, _, err = s.GetAuthSessionTicket(steamgs.Identity{Generic: "g\x00"})
	expectErr(t, err, steamgs.ErrInvalidString, "generic identity", "NUL")
	s.setRequired()
	expectErr(t, s.LogOn("to\x00ken"), steamgs.ErrInvalidString, "token", "NUL")
	if got := len(s.Settings().KeyValues); got != 0 {
		t.Errorf("refused key/values were kept: %d", got)
	}
}

// ruleOtherLimits: a player's name and a generic identity have byte limits
// too (SDK buffers); the log-on token has none.
func ruleOtherLimits(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	ok, err := s.UpdateUserData(someUser, strings.Repeat("p", steamgs.MaxPlayerNameLen+1), 1)
	expectErr(t, err, steamgs.ErrTooLong, fmt.Sprintf("player name is %d bytes, limit %d", steamgs.MaxPlayerNameLen+1, steamgs.MaxPlayerNameLen))
	if ok {
		t.Error("a refused UpdateUserData returned true")
	}
	if _, err := s.UpdateUserData(someUser, strings.Repeat("p", steamgs.MaxPlayerNameLen), 1); err != nil {
		t.Errorf("UpdateUserData with a name of %d bytes: %v", steamgs.MaxPlayerNameLen, err)
	}
	_, _, err = s.GetAuthSessionTicket(steamgs.Identity{Generic: strings.Repeat("g", steamgs.MaxGenericIdentityLen+1)})
	expectErr(t, err, steamgs.ErrTooLong, fmt.Sprintf("generic identity is %d bytes, limit %d",
		steamgs.MaxGenericIdentityLen+1, steamgs.MaxGenericIdentityLen))
	s.setRequired()
	if err := s.LogOn(strings.Repeat("t", 70000)); err != nil {
		t.Errorf("LogOn with a token of 70000 bytes, which has no limit: %v", err)
	}
}

// ruleBeforeLogOn: product, description, mod dir and dedicated may change
// only before LogOn or LogOnAnonymous (ErrAfterLogOn), and again after
// LogOff; the other settings may change at any time.
func ruleBeforeLogOn(e *env) {
	t := e.t
	type fixed struct {
		method string
		set    func(*steamgs.Server) error
	}
	settings := []fixed{
		{"SetProduct", func(s *steamgs.Server) error { return s.SetProduct("other") }},
		{"SetGameDescription", func(s *steamgs.Server) error { return s.SetGameDescription("other") }},
		{"SetModDir", func(s *steamgs.Server) error { return s.SetModDir("other") }},
		{"SetDedicatedServer", func(s *steamgs.Server) error { return s.SetDedicatedServer(true) }},
	}
	s := e.ready(steamgs.ModeAuthentication)
	if err := s.LogOnAnonymous(); err != nil {
		t.Fatalf("LogOnAnonymous: %v", err)
	}
	before := s.Settings()
	for _, f := range settings {
		expectErr(t, f.set(s.Server), steamgs.ErrAfterLogOn, f.method, "after log-on")
	}
	if !reflect.DeepEqual(s.Settings(), before) {
		t.Errorf("refused settings changed Settings: %+v, was %+v", s.Settings(), before)
	}
	if err := s.SetServerName("any time"); err != nil {
		t.Errorf("SetServerName after log-on: %v", err)
	}
	if err := s.LogOff(); err != nil {
		t.Fatalf("LogOff: %v", err)
	}
	for _, f := range settings {
		if err := f.set(s.Server); err != nil {
			t.Errorf("%s after LogOff: %v", f.method, err)
		}
	}
	if err := s.LogOn("steamgstest-token"); err != nil {
		t.Fatalf("LogOn: %v", err)
	}
	for _, f := range settings {
		expectErr(t, f.set(s.Server), steamgs.ErrAfterLogOn, f.method)
	}
}

// ruleRequired: LogOn and LogOnAnonymous refuse to start before product and
// game description are set, the fields the SDK header calls required
// (ErrRequired naming every one missing), and no log-on begins; the mod dir
// is not required.
func ruleRequired(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	steps := []struct {
		missing []string
		set     func() error
	}{
		{[]string{"product (SetProduct)", "game description (SetGameDescription)"}, func() error { return s.SetProduct("480") }},
		{[]string{"game description (SetGameDescription)"}, func() error { return s.SetGameDescription("steamgstest") }},
	}
	for _, st := range steps {
		expectErr(t, s.LogOnAnonymous(), steamgs.ErrRequired, append([]string{"LogOnAnonymous"}, st.missing...)...)
		expectErr(t, s.LogOn("steamgstest-token"), steamgs.ErrRequired, append([]string{"LogOn"}, st.missing...)...)
		if err := st.set(); err != nil {
			t.Fatal(err)
		}
	}
	if s.Settings().ModDir != "" {
		t.Fatalf("mod dir %q, want it unset", s.Settings().ModDir)
	}
	s.quiet("a ServerConnected after refused log-ons", isType[steamgs.ServerConnected])
	if s.LoggedOn() {
		t.Error("LoggedOn() after refused log-ons")
	}
}

// ruleCounts: player and bot counts are 0 to MaxPlayerCount, the SDK's C int
// (ErrOutOfRange).
func ruleCounts(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	for _, c := range []struct {
		what string
		set  func(int) error
		get  func(steamgs.Settings) int
	}{
		{"max player count", s.SetMaxPlayerCount, func(st steamgs.Settings) int { return st.MaxPlayers }},
		{"bot player count", s.SetBotPlayerCount, func(st steamgs.Settings) int { return st.Bots }},
	} {
		for _, n := range []int{0, steamgs.MaxPlayerCount, 5} {
			if err := c.set(n); err != nil {
				t.Errorf("%s %d: %v", c.what, n, err)
			}
		}
		for _, n := range []int{-1, steamgs.MaxPlayerCount + 1, -1 << 40} {
			expectErr(t, c.set(n), steamgs.ErrOutOfRange, fmt.Sprintf("%s is %d, want 0 to %d", c.what, n, steamgs.MaxPlayerCount))
		}
		if got := c.get(s.Settings()); got != 5 {
			t.Errorf("%s = %d after refused values, want 5", c.what, got)
		}
	}
	for _, p := range []uint16{0, 65535, 27020} {
		if err := s.SetSpectatorPort(p); err != nil {
			t.Errorf("SetSpectatorPort(%d): %v", p, err)
		}
	}
}

// ruleModes: Init refuses ModeInvalid and values past the SDK's modes.
func ruleModes(e *env) {
	t := e.t
	s := e.newServer()
	for _, m := range []steamgs.ServerMode{steamgs.ModeInvalid, 4, -1} {
		cfg := e.config(m)
		expectErr(t, s.Init(cfg), steamgs.ErrOutOfRange, fmt.Sprintf("server mode is %d, want 1 to 3", int32(m)))
		if s.Running() {
			t.Fatalf("Init with mode %d started the server", m)
		}
	}
	for _, m := range []steamgs.ServerMode{steamgs.ModeNoAuthentication, steamgs.ModeAuthentication, steamgs.ModeAuthenticationAndSecure} {
		if err := s.Init(e.config(m)); err != nil {
			t.Fatalf("Init with mode %v: %v", m, err)
		}
		if got := s.Config().Mode; got != m {
			t.Errorf("Config().Mode = %v, want %v", got, m)
		}
		if err := s.Shutdown(); err != nil {
			t.Fatal(err)
		}
	}
}

// ruleSteamIDs: methods refuse Steam IDs that are invalid or of the wrong
// account type with ErrInvalidSteamID naming the ID.
func ruleSteamIDs(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	ticket := []byte("not a real ticket")
	type check struct {
		method string
		bad    []steamgs.SteamID
		call   func(id steamgs.SteamID) error
	}
	checks := []check{
		{"BeginAuthSession", []steamgs.SteamID{0, noAccount, otherInstance, someClan, someChat}, func(id steamgs.SteamID) error {
			r, err := s.BeginAuthSession(ticket, id)
			if err != nil && r == steamgs.BeginAuthOK {
				t.Errorf("a refused BeginAuthSession answered OK")
			}
			return err
		}},
		{"EndAuthSession", []steamgs.SteamID{0, noAccount, otherInstance, someClan, someChat}, s.EndAuthSession},
		{"UserHasLicenseForApp", []steamgs.SteamID{0, otherInstance, someClan, someChat}, func(id steamgs.SteamID) error {
			r, err := s.UserHasLicenseForApp(id, e.game())
			if err != nil && r != steamgs.NoAuth {
				t.Errorf("a refused UserHasLicenseForApp answered %v, want NoAuth", r)
			}
			return err
		}},
		{"RequestUserGroupStatus user", []steamgs.SteamID{0, someAnon, someClan}, func(id steamgs.SteamID) error {
			ok, err := s.RequestUserGroupStatus(id, someClan)
			if err != nil && ok {
				t.Error("a refused RequestUserGroupStatus returned true")
			}
			return err
		}},
		{"RequestUserGroupStatus group", []steamgs.SteamID{0, someUser, someSrv}, func(id steamgs.SteamID) error {
			_, err := s.RequestUserGroupStatus(someUser, id)
			return err
		}},
		{"AssociateWithClan", []steamgs.SteamID{0, someUser, someSrv}, func(id steamgs.SteamID) error {
			call, err := s.AssociateWithClan(id)
			if err != nil && call != 0 {
				t.Error("a refused AssociateWithClan returned an APICall")
			}
			return err
		}},
		{"ComputeNewPlayerCompatibility", []steamgs.SteamID{0, otherInstance, someClan, someChat}, func(id steamgs.SteamID) error {
			_, err := s.ComputeNewPlayerCompatibility(id)
			return err
		}},
		{"SendUserDisconnect", []steamgs.SteamID{0, someClan, someSrv}, s.SendUserDisconnect},
		{"UpdateUserData", []steamgs.SteamID{0, noAccount, someClan, someSrv}, func(id steamgs.SteamID) error {
			ok, err := s.UpdateUserData(id, "name", 1)
			if err != nil && ok {
				t.Error("a refused UpdateUserData returned true")
			}
			return err
		}},
		{"GetAuthSessionTicket", []steamgs.SteamID{noAccount, steamgs.NewSteamID(0, steamgs.AccountTypeIndividual, 1, 5)},
			func(id steamgs.SteamID) error {
				_, _, err := s.GetAuthSessionTicket(steamgs.Identity{SteamID: id})
				return err
			}},
	}
	for _, c := range checks {
		for _, id := range c.bad {
			err := c.call(id)
			if err == nil {
				t.Errorf("%s(%s) was accepted", c.method, id)
				continue
			}
			expectErr(t, err, steamgs.ErrInvalidSteamID, id.String())
		}
	}
	// Every ID an auth ticket can come from is taken: players, game
	// servers (server-to-server auth) and anonymous users.
	for _, id := range []steamgs.SteamID{someUser, someSrv, someAnonSrv, someAnon} {
		if err := s.EndAuthSession(id); err != nil {
			t.Errorf("EndAuthSession(%s): %v", id, err)
		}
		if _, err := s.UserHasLicenseForApp(id, e.game()); err != nil {
			t.Errorf("UserHasLicenseForApp(%s): %v", id, err)
		}
		if _, err := s.BeginAuthSession(ticket, id); err != nil {
			t.Errorf("BeginAuthSession(%s): %v", id, err)
		}
		if err := s.EndAuthSession(id); err != nil {
			t.Errorf("EndAuthSession(%s): %v", id, err)
		}
	}
	expectErr(t, errFirst(s.BeginAuthSession(ticket, someClan)), steamgs.ErrInvalidSteamID, "no auth ticket")
}

// errFirst returns the error of a call that returns a value and an error.
func errFirst[T any](_ T, err error) error { return err }

// ruleAddresses: IPv4-mapped IPv6 addresses are unmapped; other IPv6
// addresses are refused with ErrInvalidAddress, and a refused Init leaves
// the server ready for a good one.
func ruleAddresses(e *env) {
	t := e.t
	s := e.newServer()
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.IP = netip.MustParseAddr("::1")
	expectErr(t, s.Init(cfg), steamgs.ErrInvalidAddress, "::1")
	if s.Running() {
		t.Fatal("Init on an IPv6 address started the server")
	}
	cfg.IP = netip.AddrFrom16(loopback.As16()) // ::ffff:127.0.0.1
	if err := s.Init(cfg); err != nil {
		t.Fatalf("Init on ::ffff:127.0.0.1: %v", err)
	}
	if got := s.Config().IP; got != loopback {
		t.Errorf("Config().IP = %v, want the unmapped %v", got, loopback)
	}
	from := netip.MustParseAddrPort("[2001:db8::1]:27005")
	ok, err := s.HandleIncomingPacket([]byte("\xFF\xFF\xFF\xFFTSource Engine Query\x00"), from)
	expectErr(t, err, steamgs.ErrInvalidAddress, "2001:db8::1")
	if ok {
		t.Error("a refused packet was taken")
	}
	id, ok, err := s.SendUserConnectAndAuthenticate(from.Addr(), []byte("ticket"))
	expectErr(t, err, steamgs.ErrInvalidAddress, "2001:db8::1")
	if id != 0 || ok {
		t.Error("a refused SendUserConnectAndAuthenticate returned a user")
	}
}

// ruleTickets: auth tickets are not empty (the SDK's only bound is the C int
// of their length, tested on Server alone: a back end never sees such a
// ticket); handle 0 is no ticket.
func ruleTickets(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	r, err := s.BeginAuthSession(nil, someUser)
	expectErr(t, err, steamgs.ErrEmpty, someUser.String())
	if r == steamgs.BeginAuthOK {
		t.Error("a refused BeginAuthSession answered OK")
	}
	_, _, err = s.SendUserConnectAndAuthenticate(loopback, nil)
	expectErr(t, err, steamgs.ErrEmpty)
	expectErr(t, s.CancelAuthTicket(0), steamgs.ErrOutOfRange, "0")
	ok, err := s.HandleIncomingPacket(nil, netip.AddrPortFrom(loopback, 27005))
	expectErr(t, err, steamgs.ErrEmpty)
	if ok {
		t.Error("an empty packet was taken")
	}
}

// ruleIdentities: an identity sets at most one of its fields.
func ruleIdentities(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	addr := netip.AddrPortFrom(loopback, 27015)
	for _, id := range []steamgs.Identity{
		{SteamID: someUser, Addr: addr},
		{SteamID: someUser, Generic: "g"},
		{Addr: addr, Generic: "g"},
		{SteamID: someUser, Addr: addr, Generic: "g"},
	} {
		h, tk, err := s.GetAuthSessionTicket(id)
		expectErr(t, err, steamgs.ErrOutOfRange, "at most 1")
		if h != 0 || tk != nil {
			t.Errorf("a refused GetAuthSessionTicket returned ticket %d", h)
		}
	}
}

// rulePacketBuffer: GetNextOutgoingPacket needs a buffer of at least
// MinOutgoingPacketBuffer bytes.
func rulePacketBuffer(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	for _, n := range []int{0, 1, steamgs.MinOutgoingPacketBuffer - 1} {
		got, to, err := s.GetNextOutgoingPacket(make([]byte, n))
		expectErr(t, err, steamgs.ErrOutOfRange, fmt.Sprintf("%d bytes, need at least %d", n, steamgs.MinOutgoingPacketBuffer))
		if got != 0 || to.IsValid() {
			t.Errorf("a refused GetNextOutgoingPacket returned %d bytes for %v", got, to)
		}
	}
	if _, _, err := s.GetNextOutgoingPacket(make([]byte, steamgs.MinOutgoingPacketBuffer)); err != nil {
		t.Errorf("GetNextOutgoingPacket with %d bytes: %v", steamgs.MinOutgoingPacketBuffer, err)
	}
}

// ruleKeyValues: all key/values fit one A2S_RULES reply: exactly
// MaxKeyValueBytes are accepted and one more byte is refused (ErrTooLarge);
// replacing a key frees its old bytes; ClearAllKeyValues frees them all.
func ruleKeyValues(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	full := strings.Repeat("v", steamgs.MaxKeyValueBytes-3) // "k" + value + 2 NULs
	if err := s.SetKeyValue("k", full); err != nil {
		t.Fatalf("key/values of exactly MaxKeyValueBytes: %v", err)
	}
	expectErr(t, s.SetKeyValue("x", ""), steamgs.ErrTooLarge, fmt.Sprintf("limit %d", steamgs.MaxKeyValueBytes))
	if err := s.SetKeyValue("k", "small"); err != nil {
		t.Fatalf("replacing a key/value: %v", err)
	}
	if err := s.SetKeyValue("j", strings.Repeat("w", steamgs.MaxKeyValueBytes-8-3)); err != nil {
		t.Errorf("SetKeyValue into the room a replaced value freed: %v", err)
	}
	expectErr(t, s.SetKeyValue("i", ""), steamgs.ErrTooLarge)
	if err := s.ClearAllKeyValues(); err != nil {
		t.Fatal(err)
	}
	if kv := s.Settings().KeyValues; len(kv) != 0 {
		t.Errorf("%d key/values after ClearAllKeyValues", len(kv))
	}
	expectErr(t, s.SetKeyValue("k", full+"v"), steamgs.ErrTooLarge, fmt.Sprintf("%d bytes", steamgs.MaxKeyValueBytes+1))
	if err := s.SetKeyValue("k", full); err != nil {
		t.Errorf("key/values of exactly MaxKeyValueBytes after ClearAllKeyValues: %v", err)
	}
	if kv := s.Settings().KeyValues; len(kv) != 1 || kv["k"] != full {
		t.Errorf("Settings().KeyValues holds %d key/values, want the one set", len(kv))
	}
}

// ruleSettings: Settings reports exactly the values given and is a copy.
func ruleSettings(e *env) {
	t := e.t
	s := e.start(e.config(steamgs.ModeAuthentication))
	want := steamgs.Settings{
		Product: "480", GameDescription: "steamgstest game", ModDir: "steamgstest", Dedicated: true,
		ServerName: "steamgstest server", MapName: "de_test", MaxPlayers: 16, Bots: 2, PasswordProtected: true,
		SpectatorPort: 27020, SpectatorServerName: "steamgstest tv", GameTags: "a,b;c", GameData: "mode=ctf",
		Region: "eu", Advertise: true, KeyValues: map[string]string{"k1": "v1", "k2": ""},
	}
	for _, err := range []error{
		s.SetProduct(want.Product), s.SetGameDescription(want.GameDescription), s.SetModDir(want.ModDir),
		s.SetDedicatedServer(want.Dedicated), s.SetServerName(want.ServerName), s.SetMapName(want.MapName),
		s.SetMaxPlayerCount(want.MaxPlayers), s.SetBotPlayerCount(want.Bots),
		s.SetPasswordProtected(want.PasswordProtected), s.SetSpectatorPort(want.SpectatorPort),
		s.SetSpectatorServerName(want.SpectatorServerName), s.SetGameTags(want.GameTags),
		s.SetGameData(want.GameData), s.SetRegion(want.Region), s.SetAdvertiseServerActive(want.Advertise),
		s.SetKeyValue("k1", "v1"), s.SetKeyValue("k2", ""),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	got := s.Settings()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Settings() = %+v\nwant %+v", got, want)
	}
	got.KeyValues["k1"] = "changed"
	if s.Settings().KeyValues["k1"] != "v1" {
		t.Error("changing the map Settings returned changed the server's key/values")
	}
}
