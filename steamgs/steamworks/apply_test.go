package steamworks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everySetting is a Settings with every field set, and the C calls that
// applying all of it makes, in the order Apply makes them.
func everySetting() (steamgs.Settings, []string) {
	st := steamgs.Settings{
		Product: "480", GameDescription: "Spacewar", ModDir: "spacewar", Dedicated: true,
		ServerName: "My server", MapName: "de_dust", MaxPlayers: 16, Bots: 2, PasswordProtected: true,
		SpectatorPort: 27020, SpectatorServerName: "spec", GameTags: "a,b", GameData: "d", Region: "eu",
		KeyValues: map[string]string{"mode": "ctf", "b": "2", "a": "1"}, Advertise: true,
	}
	return st, []string{
		`SetProduct(self, "480")`,
		`SetGameDescription(self, "Spacewar")`,
		`SetModDir(self, "spacewar")`,
		`SetDedicatedServer(self, true)`,
		`SetServerName(self, "My server")`,
		`SetMapName(self, "de_dust")`,
		`SetMaxPlayerCount(self, 16)`,
		`SetBotPlayerCount(self, 2)`,
		`SetPasswordProtected(self, true)`,
		`SetSpectatorPort(self, 27020)`,
		`SetSpectatorServerName(self, "spec")`,
		`SetGameTags(self, "a,b")`,
		`SetGameData(self, "d")`,
		`SetRegion(self, "eu")`,
		`SetKeyValue(self, "a", "1")`,
		`SetKeyValue(self, "b", "2")`,
		`SetKeyValue(self, "mode", "ctf")`,
		`SetAdvertiseServerActive(self, true)`,
	}
}

// TestApply checks that Conn.Apply calls the setter of each changed field
// and no other, in the order of the Field constants (the settings fixed at
// log-on first, advertising last), through the Conn and through
// steamgs.Server.ApplySettings.
func TestApply(t *testing.T) {
	st, all := everySetting()
	t.Run("every field through the Conn", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.clearLog()
		fx.conn(t).Apply(&st, steamgs.AllFields)
		assert.Equal(t, all, fx.fake.calls())
	})
	t.Run("every field through Server.ApplySettings", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.clearLog()
		require.NoError(t, fx.srv.ApplySettings(st, steamgs.AllFields))
		assert.Equal(t, all, fx.fake.calls())
	})
	t.Run("one field each", func(t *testing.T) {
		fx := newFixture(t, Options{})
		c := fx.conn(t)
		var seen []string
		for f := steamgs.FieldProduct; f <= steamgs.FieldAdvertise; f <<= 1 {
			fx.fake.clearLog()
			c.Apply(&st, f)
			calls := fx.fake.calls()
			if f == steamgs.FieldKeyValues {
				require.Len(t, calls, 3, "the key/values, sent once")
			} else {
				require.Len(t, calls, 1, "field %s", f)
			}
			seen = append(seen, calls...)
		}
		assert.Equal(t, all, seen)
	})
	t.Run("some fields, in order whatever the mask", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.clearLog()
		fx.conn(t).Apply(&st, steamgs.FieldAdvertise|steamgs.FieldMapName|steamgs.FieldProduct)
		assert.Equal(t, []string{`SetProduct(self, "480")`, `SetMapName(self, "de_dust")`,
			`SetAdvertiseServerActive(self, true)`}, fx.fake.calls())
	})
	t.Run("no field, or bits that are no field", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.clearLog()
		c := fx.conn(t)
		c.Apply(&st, 0)
		c.Apply(&st, ^steamgs.AllFields)
		c.Apply(nil, steamgs.AllFields)
		assert.Equal(t, []string(nil), fx.fake.calls())
	})
	t.Run("Init applies the settings of Config", func(t *testing.T) {
		fx := newFixture(t, Options{})
		require.NoError(t, fx.srv.Shutdown())
		fx.fake.clearLog()
		cfg := baseConfig()
		cfg.Product, cfg.GameDescription, cfg.ModDir, cfg.Dedicated = "480", "Spacewar", "spacewar", true
		require.NoError(t, fx.srv.Init(cfg))
		calls := fx.fake.calls()
		require.Len(t, calls, 7, "init, the accessor, the pipe and four setters: %q", calls)
		assert.Equal(t, all[:4], calls[3:])
	})
}

// TestKeyValues checks that Conn.Apply sends libsteam_api the difference
// from the key/values it last sent: a SetKeyValue on steamgs.Server costs
// one C call however many pairs the server holds, an unchanged pair
// nothing, and a removal ClearAllKeyValues and every pair left.
func TestKeyValues(t *testing.T) {
	t.Run("through Server", func(t *testing.T) {
		fx := newFixture(t, Options{})
		step := func(what string, do func() error, want ...string) {
			t.Helper()
			fx.fake.clearLog()
			require.NoError(t, do(), what)
			if want == nil {
				want = []string(nil)
			}
			assert.Equal(t, want, fx.fake.calls(), what)
		}
		set := func(k, v string) func() error { return func() error { return fx.srv.SetKeyValue(k, v) } }

		for i := range 10 {
			k := fmt.Sprint("k", i)
			step("SetKeyValue "+k, set(k, "v"), `SetKeyValue(self, "`+k+`", "v")`)
		}
		step("a new value for a key of ten", set("k5", "new"), `SetKeyValue(self, "k5", "new")`)
		step("the same value again", set("k5", "new"))
		step("an empty value", set("k0", ""), `SetKeyValue(self, "k0", "")`)

		keep := map[string]string{"k1": "v", "k2": "changed", "z": "added"}
		step("ApplySettings that removes keys", func() error {
			return fx.srv.ApplySettings(steamgs.Settings{KeyValues: keep}, steamgs.FieldKeyValues)
		}, `ClearAllKeyValues(self)`, `SetKeyValue(self, "k1", "v")`, `SetKeyValue(self, "k2", "changed")`,
			`SetKeyValue(self, "z", "added")`)
		step("ApplySettings that changes and adds", func() error {
			return fx.srv.ApplySettings(steamgs.Settings{KeyValues: map[string]string{"k1": "v", "k2": "again", "z": "added",
				"a": "first"}}, steamgs.FieldKeyValues)
		}, `SetKeyValue(self, "a", "first")`, `SetKeyValue(self, "k2", "again")`)
		step("ClearAllKeyValues", fx.srv.ClearAllKeyValues, `ClearAllKeyValues(self)`)
		step("ClearAllKeyValues with none left", fx.srv.ClearAllKeyValues)
		step("SetKeyValue after the clear", set("k1", "v"), `SetKeyValue(self, "k1", "v")`)
		step("a key with quotes", set(`"q"`, strings.Repeat("x", 3)), `SetKeyValue(self, "\x22q\x22", "xxx")`)
	})
	t.Run("the Conn keeps its own copy of what it sent", func(t *testing.T) {
		fx := newFixture(t, Options{})
		c := fx.conn(t)
		st := steamgs.Settings{KeyValues: map[string]string{"a": "1", "b": "2"}}
		c.Apply(&st, steamgs.FieldKeyValues)
		delete(st.KeyValues, "b")
		st.KeyValues["a"] = "1"
		fx.fake.clearLog()
		c.Apply(&st, steamgs.FieldKeyValues)
		assert.Equal(t, []string{`ClearAllKeyValues(self)`, `SetKeyValue(self, "a", "1")`}, fx.fake.calls())
	})
	t.Run("a new server starts with none", func(t *testing.T) {
		fx := newFixture(t, Options{})
		require.NoError(t, fx.srv.SetKeyValue("a", "1"))
		require.NoError(t, fx.srv.Shutdown())
		require.NoError(t, fx.srv.Init(baseConfig()))
		fx.fake.clearLog()
		require.NoError(t, fx.srv.SetKeyValue("b", "2"))
		assert.Equal(t, []string{`SetKeyValue(self, "b", "2")`}, fx.fake.calls())
	})
	t.Run("a nil map after some pairs clears them", func(t *testing.T) {
		fx := newFixture(t, Options{})
		c := fx.conn(t)
		c.Apply(&steamgs.Settings{KeyValues: map[string]string{"a": "1"}}, steamgs.FieldKeyValues)
		fx.fake.clearLog()
		c.Apply(&steamgs.Settings{}, steamgs.FieldKeyValues)
		c.Apply(&steamgs.Settings{}, steamgs.FieldKeyValues)
		assert.Equal(t, []string{`ClearAllKeyValues(self)`}, fx.fake.calls())
	})
}
