package components_test

import (
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/yohamta/donburi"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestSettersMarkWhatChanged(t *testing.T) {
	tests := []struct {
		name  string
		set   func(s *components.SettingsData)
		want  components.Field
		logOn bool
	}{
		{"product", func(s *components.SettingsData) { s.SetProduct("480") }, components.FieldProduct, false},
		{"description", func(s *components.SettingsData) { s.SetGameDescription("d") }, components.FieldGameDescription, false},
		{"mod dir", func(s *components.SettingsData) { s.SetModDir("m") }, components.FieldModDir, false},
		{"dedicated", func(s *components.SettingsData) { s.SetDedicatedServer(true) }, components.FieldDedicated, false},
		{"log-on", func(s *components.SettingsData) { s.LogOnAnonymous() }, 0, true},
		{"log-on token", func(s *components.SettingsData) { s.LogOnWithToken("t") }, 0, true},
		{"name", func(s *components.SettingsData) { s.SetServerName("n") }, components.FieldServerName, false},
		{"map", func(s *components.SettingsData) { s.SetMapName("m") }, components.FieldMapName, false},
		{"max players", func(s *components.SettingsData) { s.SetMaxPlayerCount(8) }, components.FieldMaxPlayers, false},
		{"bots", func(s *components.SettingsData) { s.SetBotPlayerCount(2) }, components.FieldBots, false},
		{"password", func(s *components.SettingsData) { s.SetPasswordProtected(true) }, components.FieldPassword, false},
		{"spectator port", func(s *components.SettingsData) { s.SetSpectatorPort(1) }, components.FieldSpectatorPort, false},
		{"spectator name", func(s *components.SettingsData) { s.SetSpectatorServerName("s") }, components.FieldSpectatorName, false},
		{"tags", func(s *components.SettingsData) { s.SetGameTags("a,b") }, components.FieldGameTags, false},
		{"data", func(s *components.SettingsData) { s.SetGameData("x") }, components.FieldGameData, false},
		{"region", func(s *components.SettingsData) { s.SetRegion("eu") }, components.FieldRegion, false},
		{"key/value", func(s *components.SettingsData) { s.SetKeyValue("k", "v") }, components.FieldKeyValues, false},
		{"advertise", func(s *components.SettingsData) { s.SetAdvertiseServerActive(true) }, components.FieldAdvertise, false},
		{"unchanged values", func(s *components.SettingsData) {
			s.SetServerName("")
			s.SetMaxPlayerCount(0)
			s.SetPasswordProtected(false)
			s.SetSpectatorPort(0)
			s.DeleteKeyValue("missing")
			s.ClearKeyValues()
		}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s components.SettingsData
			tc.set(&s)
			assert.Equal(t, tc.want, s.Dirty(), "dirty")
			assert.Equal(t, tc.logOn, s.LogOnRequested(), "log-on requested")
			assert.Equal(t, tc.want != 0 || tc.logOn, s.Version() > 0, "version moved")
			s.ClearDirty()
			assert.Equal(t, components.Field(0), s.Dirty(), "dirty after ClearDirty")
			assert.False(t, s.LogOnRequested(), "log-on requested after ClearDirty")
			v := s.Version()
			tc.set(&s) // the same values again
			assert.Equal(t, components.Field(0), s.Dirty(), "dirty after setting the same values")
			if !tc.logOn {
				assert.Equal(t, v, s.Version(), "version after setting the same values")
			} else {
				assert.True(t, s.LogOnRequested(), "a log-on request always counts")
				assert.Greater(t, s.Version(), v, "version after a second log-on request")
			}
		})
	}
}

func TestFieldsAreSteamgsFields(t *testing.T) {
	assert.Equal(t, steamgs.FieldPasswordProtected, components.FieldPassword, "password")
	assert.Equal(t, steamgs.FieldSpectatorServerName, components.FieldSpectatorName, "spectator name")
	assert.Equal(t, steamgs.FieldsBeforeLogOn, components.FieldsBeforeLogOn, "before log-on")
	assert.Equal(t, steamgs.AllFields, components.AllFields, "all fields")
}

func TestSettingsGetters(t *testing.T) {
	var s components.SettingsData
	s.SetProduct("480")
	s.SetGameDescription("Spacewar")
	s.SetModDir("spacewar")
	s.SetDedicatedServer(true)
	s.LogOnWithToken("tok")
	s.SetServerName("name")
	s.SetMapName("map")
	s.SetMaxPlayerCount(16)
	s.SetBotPlayerCount(3)
	s.SetPasswordProtected(true)
	s.SetSpectatorPort(27020)
	s.SetSpectatorServerName("spec")
	s.SetGameTags("tags")
	s.SetGameData("data")
	s.SetRegion("eu")
	s.SetAdvertiseServerActive(true)
	got := []any{s.Product(), s.GameDescription(), s.ModDir(), s.Dedicated(), s.LogOnRequest(), s.ServerName(),
		s.MapName(), s.MaxPlayers(), s.Bots(), s.PasswordProtected(), s.SpectatorPort(), s.SpectatorServerName(),
		s.GameTags(), s.GameData(), s.Region(), s.Advertise()}
	want := []any{"480", "Spacewar", "spacewar", true, components.LogOn{Token: "tok"}, "name", "map", 16, 3, true,
		uint16(27020), "spec", "tags", "data", "eu", true}
	assert.Equal(t, want, got, "getters")
	assert.Equal(t, components.AllFields&^components.FieldKeyValues, s.Dirty(), "dirty")
	assert.True(t, s.LogOnRequested(), "log-on requested")
	assert.Equal(t, steamgs.Settings{Product: "480", GameDescription: "Spacewar", ModDir: "spacewar", Dedicated: true,
		ServerName: "name", MapName: "map", MaxPlayers: 16, Bots: 3, PasswordProtected: true, SpectatorPort: 27020,
		SpectatorServerName: "spec", GameTags: "tags", GameData: "data", Region: "eu", Advertise: true}, s.Settings(), "Settings()")
}

func TestKeyValues(t *testing.T) {
	var s components.SettingsData
	s.SetKeyValue("b", "1")
	s.SetKeyValue("a", "1")
	s.SetKeyValue("b", "2")
	assert.Equal(t, components.FieldKeyValues, s.Dirty(), "dirty")
	assert.Equal(t, map[string]string{"a": "1", "b": "2"}, s.Settings().KeyValues, "the set")
	v, ok := s.KeyValue("b")
	assert.Equal(t, []any{"2", true, 2}, []any{v, ok, s.KeyValueCount()}, "value of b, count")
	s.ClearDirty()

	s.SetKeyValue("a", "1") // unchanged
	assert.Zero(t, s.Dirty(), "dirty after an unchanged key/value")
	s.SetKeyValue("c", "3")
	s.DeleteKeyValue("a")
	s.SetKeyValue("d", "4")
	assert.Equal(t, components.FieldKeyValues, s.Dirty(), "dirty after a deletion")
	assert.Equal(t, []string{"b", "c", "d"}, s.KeyValueKeys(), "sorted keys")
	assert.Equal(t, map[string]string{"b": "2", "c": "3", "d": "4"}, s.Settings().KeyValues, "the set")
	s.ClearDirty()

	s.ClearKeyValues()
	assert.Equal(t, components.FieldKeyValues, s.Dirty(), "dirty after ClearKeyValues")
	assert.Equal(t, 0, s.KeyValueCount(), "count")
	_, ok = s.KeyValue("b")
	assert.False(t, ok, "b is gone")
	assert.Empty(t, s.KeyValueKeys(), "keys")
}

func TestMarkAllDirty(t *testing.T) {
	var s components.SettingsData
	s.MarkAllDirty()
	assert.Equal(t, components.FieldKeyValues, s.Dirty(), "an empty component clears the key/values only")
	s.ClearDirty()
	s.SetServerName("n")
	s.SetBotPlayerCount(1)
	s.SetKeyValue("k", "v")
	s.LogOnAnonymous()
	s.ClearDirty()
	s.MarkAllDirty()
	assert.Equal(t, components.FieldServerName|components.FieldBots|components.FieldKeyValues, s.Dirty(), "dirty")
	assert.False(t, s.LogOnRequested(), "MarkAllDirty asks for no log-on")
}

func TestStrings(t *testing.T) {
	assert.Equal(t, "0", components.Field(0).String(), "no field")
	assert.Equal(t, "ServerName|Advertise", (components.FieldServerName | components.FieldAdvertise).String(), "fields")
	assert.Equal(t, "Field(0x40000000)", components.Field(1<<30).String(), "unknown field")
	assert.Equal(t, "Product|Field(0x80000000)", (components.FieldProduct | 1<<31).String(), "known and unknown")
	assert.Equal(t, "Kicked", components.AuthKicked.String(), "auth state")
	assert.Equal(t, "AuthState(9)", components.AuthState(9).String(), "unknown auth state")
	assert.Equal(t, "Connected", components.Connected.String(), "connection")
	assert.Equal(t, "Connection(7)", components.Connection(7).String(), "unknown connection")
	reasons := []struct {
		r    components.Reason
		want string
	}{
		{components.Reason{}, "none"},
		{components.Reason{Source: components.FromBeginAuth, Begin: steamgs.BeginAuthExpiredTicket, Deny: steamgs.DenyGeneric},
			"BeginAuthSession: ExpiredTicket (Generic)"},
		{components.Reason{Source: components.FromValidate, Response: steamgs.AuthVACBanned, Deny: steamgs.DenyCheater},
			"VACBanned (Cheater)"},
		{components.Reason{Source: components.FromClient, Deny: steamgs.DenyNoLicense}, "NoLicense"},
		{components.Reason{Source: components.FromClient, Deny: steamgs.DenyGeneric, Message: "m"}, "Generic: m"},
		{components.Reason{Source: components.FromError, Message: "boom"}, "error: boom"},
	}
	for _, tc := range reasons {
		assert.Equal(t, tc.want, tc.r.String(), "reason")
	}
}

func TestPlayer(t *testing.T) {
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	ticket := []byte("ticket")
	p := components.NewPlayer(steamgs.IndividualID(7), "ann", ticket, at)
	ticket[0] = 'X'
	assert.Equal(t, "ticket", string(p.Ticket()), "the ticket is copied")
	assert.Equal(t, []any{steamgs.IndividualID(7), "ann", uint32(0), at, false, components.AuthPending, false}, []any{p.SteamID(), p.Name(), p.Score(), p.Joined(), p.Bot(), p.Auth(), p.Active()}, "fields")
	assert.True(t, p.NeedsUpdate(), "a new player needs its first update")
	b := components.NewBot("bot", at)
	assert.Equal(t, []any{true, steamgs.SteamID(0), 0}, []any{b.Bot(), b.SteamID(), len(b.Ticket())}, "bot")
	b.SetBotID(steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, 1))
	assert.Equal(t, steamgs.AccountTypeAnonUser, b.SteamID().Type(), "bot's Steam ID")
}

func TestRoster(t *testing.T) {
	w := donburi.NewWorld()
	r := components.NewRoster()
	mk := func(name string) (donburi.Entity, *components.PlayerData) {
		e := w.Create(components.Player)
		p := components.Player.Get(w.Entry(e))
		*p = components.NewPlayer(steamgs.IndividualID(1), name, []byte("t"), time.Time{})
		return e, p
	}
	ea, a := mk("a")
	eb, b := mk("b")
	a.SetScore(1) // not attached: not listed
	assert.Equal(t, 0, r.Len(), "len before attach")
	assert.True(t, r.Attach(ea, a), "attach a")
	assert.False(t, r.Attach(ea, a), "attach a again")
	assert.True(t, r.Attach(eb, b), "attach b")
	assert.True(t, r.Attached(a), "a attached")
	assert.Equal(t, ea, a.Entity(), "a's entity")
	assert.Equal(t, 0, r.Len(), "pending players are not listed by Attach")

	b.SetScore(2)
	a.SetName("A")
	a.SetScore(3) // listed once
	b.SetAuth(components.AuthApproved, components.Reason{})
	assert.Equal(t, 2, r.Len(), "len")
	var seen []string
	r.Drain(func(p *components.PlayerData) {
		seen = append(seen, p.Name())
		if p.Name() == "b" {
			p.SetName("B") // listed again, visited in the same drain
		}
		p.MarkUpdated()
	})
	assert.Equal(t, []string{"b", "A", "B"}, seen, "drained")
	assert.Equal(t, 0, r.Len(), "len after drain")
	assert.False(t, b.NeedsUpdate(), "b updated")

	a.SetScore(4)
	r.Detach(a)
	assert.False(t, r.Attached(a), "a detached")
	seen = nil
	r.Drain(func(p *components.PlayerData) { seen = append(seen, p.Name()) })
	assert.Empty(t, seen, "a detached player is skipped")
	a.SetScore(5)
	assert.Equal(t, 0, r.Len(), "a detached player is not listed")
}

func TestRosterAllocatesNothing(t *testing.T) {
	w := donburi.NewWorld()
	r := components.NewRoster()
	e := w.Create(components.Player)
	p := components.Player.Get(w.Entry(e))
	*p = components.NewPlayer(steamgs.IndividualID(1), "a", []byte("t"), time.Time{})
	r.Attach(e, p)
	fn := func(p *components.PlayerData) { p.MarkUpdated() }
	score := uint32(0)
	allocs := testing.AllocsPerRun(100, func() {
		score++
		p.SetScore(score)
		r.Drain(fn)
	})
	assert.Equal(t, 0.0, allocs, "allocations per change")
}
