package components_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/yohamta/donburi"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func eq[T any](t *testing.T, got, want T, what string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %#v\n want %#v", what, got, want)
	}
}

func TestSettersMarkWhatChanged(t *testing.T) {
	tests := []struct {
		name string
		set  func(s *components.SettingsData)
		want components.Field
	}{
		{"product", func(s *components.SettingsData) { s.SetProduct("480") }, components.FieldProduct},
		{"description", func(s *components.SettingsData) { s.SetGameDescription("d") }, components.FieldGameDescription},
		{"mod dir", func(s *components.SettingsData) { s.SetModDir("m") }, components.FieldModDir},
		{"dedicated", func(s *components.SettingsData) { s.SetDedicatedServer(true) }, components.FieldDedicated},
		{"log-on", func(s *components.SettingsData) { s.LogOnAnonymous() }, components.FieldLogOn},
		{"log-on token", func(s *components.SettingsData) { s.LogOnWithToken("t") }, components.FieldLogOn},
		{"name", func(s *components.SettingsData) { s.SetServerName("n") }, components.FieldServerName},
		{"map", func(s *components.SettingsData) { s.SetMapName("m") }, components.FieldMapName},
		{"max players", func(s *components.SettingsData) { s.SetMaxPlayerCount(8) }, components.FieldMaxPlayers},
		{"bots", func(s *components.SettingsData) { s.SetBotPlayerCount(2) }, components.FieldBots},
		{"password", func(s *components.SettingsData) { s.SetPasswordProtected(true) }, components.FieldPassword},
		{"spectator port", func(s *components.SettingsData) { s.SetSpectatorPort(1) }, components.FieldSpectatorPort},
		{"spectator name", func(s *components.SettingsData) { s.SetSpectatorServerName("s") }, components.FieldSpectatorName},
		{"tags", func(s *components.SettingsData) { s.SetGameTags("a,b") }, components.FieldGameTags},
		{"data", func(s *components.SettingsData) { s.SetGameData("x") }, components.FieldGameData},
		{"region", func(s *components.SettingsData) { s.SetRegion("eu") }, components.FieldRegion},
		{"key/value", func(s *components.SettingsData) { s.SetKeyValue("k", "v") }, components.FieldKeyValues},
		{"advertise", func(s *components.SettingsData) { s.SetAdvertiseServerActive(true) }, components.FieldAdvertise},
		{"unchanged values", func(s *components.SettingsData) {
			s.SetServerName("")
			s.SetMaxPlayerCount(0)
			s.SetPasswordProtected(false)
			s.SetSpectatorPort(0)
			s.DeleteKeyValue("missing")
			s.ClearKeyValues()
		}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s components.SettingsData
			tc.set(&s)
			eq(t, s.Dirty(), tc.want, "dirty")
			eq(t, s.Version() > 0, tc.want != 0, "version moved")
			s.ClearDirty()
			eq(t, s.Dirty(), components.Field(0), "dirty after ClearDirty")
			v := s.Version()
			tc.set(&s) // the same values again
			if tc.want != components.FieldLogOn {
				eq(t, s.Dirty(), components.Field(0), "dirty after setting the same values")
				eq(t, s.Version(), v, "version after setting the same values")
			} else {
				eq(t, s.Dirty(), components.FieldLogOn, "a log-on request always counts")
			}
		})
	}
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
	eq(t, got, want, "getters")
	eq(t, s.Dirty(), (components.AllFields|components.FieldLogOn)&^components.FieldKeyValues, "dirty")
}

func TestKeyValueChanges(t *testing.T) {
	var s components.SettingsData
	s.SetKeyValue("b", "1")
	s.SetKeyValue("a", "1")
	s.SetKeyValue("b", "2")
	reset, keys := s.KeyValueChanges()
	eq(t, reset, false, "reset")
	eq(t, keys, []string{"b", "a"}, "keys, in order of first change")
	v, ok := s.KeyValue("b")
	eq(t, []any{v, ok, s.KeyValueCount()}, []any{"2", true, 2}, "value of b, count")
	s.ClearDirty()

	s.SetKeyValue("c", "3")
	s.DeleteKeyValue("a")
	s.SetKeyValue("d", "4")
	reset, keys = s.KeyValueChanges()
	eq(t, reset, true, "reset after a deletion")
	eq(t, len(keys), 0, "no key list with a reset")
	eq(t, s.KeyValueKeys(), []string{"b", "c", "d"}, "sorted keys")
	s.ClearDirty()

	s.ClearKeyValues()
	reset, _ = s.KeyValueChanges()
	eq(t, reset, true, "reset after ClearKeyValues")
	eq(t, s.KeyValueCount(), 0, "count")
	_, ok = s.KeyValue("b")
	eq(t, ok, false, "b is gone")
}

func TestMarkAllDirty(t *testing.T) {
	var s components.SettingsData
	s.MarkAllDirty()
	eq(t, s.Dirty(), components.FieldKeyValues, "an empty component clears the key/values only")
	s.ClearDirty()
	s.SetServerName("n")
	s.SetBotPlayerCount(1)
	s.SetKeyValue("k", "v")
	s.LogOnAnonymous()
	s.ClearDirty()
	s.MarkAllDirty()
	eq(t, s.Dirty(), components.FieldServerName|components.FieldBots|components.FieldKeyValues, "dirty")
	reset, _ := s.KeyValueChanges()
	eq(t, reset, true, "key/values are cleared and set again")
}

func TestStrings(t *testing.T) {
	eq(t, components.Field(0).String(), "0", "no field")
	eq(t, (components.FieldServerName | components.FieldAdvertise).String(), "ServerName|Advertise", "fields")
	eq(t, components.Field(1<<30).String(), "Field(0x40000000)", "unknown field")
	eq(t, (components.FieldProduct | 1<<31).String(), "Product|Field(0x80000000)", "known and unknown")
	eq(t, components.AuthKicked.String(), "Kicked", "auth state")
	eq(t, components.AuthState(9).String(), "AuthState(9)", "unknown auth state")
	eq(t, components.Connected.String(), "Connected", "connection")
	eq(t, components.Connection(7).String(), "Connection(7)", "unknown connection")
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
		eq(t, tc.r.String(), tc.want, "reason")
	}
}

func TestPlayer(t *testing.T) {
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	ticket := []byte("ticket")
	p := components.NewPlayer(steamgs.IndividualID(7), "ann", ticket, at)
	ticket[0] = 'X'
	eq(t, string(p.Ticket()), "ticket", "the ticket is copied")
	eq(t, []any{p.SteamID(), p.Name(), p.Score(), p.Joined(), p.Bot(), p.Auth(), p.Active()},
		[]any{steamgs.IndividualID(7), "ann", uint32(0), at, false, components.AuthPending, false}, "fields")
	eq(t, p.NeedsUpdate(), true, "a new player needs its first update")
	b := components.NewBot("bot", at)
	eq(t, []any{b.Bot(), b.SteamID(), len(b.Ticket())}, []any{true, steamgs.SteamID(0), 0}, "bot")
	b.SetBotID(steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, 1))
	eq(t, b.SteamID().Type(), steamgs.AccountTypeAnonUser, "bot's Steam ID")
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
	eq(t, r.Len(), 0, "len before attach")
	eq(t, r.Attach(ea, a), true, "attach a")
	eq(t, r.Attach(ea, a), false, "attach a again")
	eq(t, r.Attach(eb, b), true, "attach b")
	eq(t, r.Attached(a), true, "a attached")
	eq(t, a.Entity(), ea, "a's entity")
	eq(t, r.Len(), 0, "pending players are not listed by Attach")

	b.SetScore(2)
	a.SetName("A")
	a.SetScore(3) // listed once
	b.SetAuth(components.AuthApproved, components.Reason{})
	eq(t, r.Len(), 2, "len")
	var seen []string
	r.Drain(func(p *components.PlayerData) {
		seen = append(seen, p.Name())
		if p.Name() == "b" {
			p.SetName("B") // listed again, visited in the same drain
		}
		p.MarkUpdated()
	})
	eq(t, seen, []string{"b", "A", "B"}, "drained")
	eq(t, r.Len(), 0, "len after drain")
	eq(t, b.NeedsUpdate(), false, "b updated")

	a.SetScore(4)
	r.Detach(a)
	eq(t, r.Attached(a), false, "a detached")
	seen = nil
	r.Drain(func(p *components.PlayerData) { seen = append(seen, p.Name()) })
	eq(t, len(seen), 0, "a detached player is skipped")
	a.SetScore(5)
	eq(t, r.Len(), 0, "a detached player is not listed")
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
	eq(t, allocs, 0.0, "allocations per change")
}
