package steamgs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
)

// everySetting has a valid value, other than the zero one, in every field.
var everySetting = steamgs.Settings{
	Product: "480", GameDescription: "Spacewar", ModDir: "spacewar", Dedicated: true,
	ServerName: "Arena", MapName: "dust", MaxPlayers: 16, Bots: 2, PasswordProtected: true,
	SpectatorPort: 27020, SpectatorServerName: "tv", GameTags: "ctf,eu", GameData: "mode:ctf", Region: "eu",
	KeyValues: map[string]string{"round": "1"}, Advertise: true,
}

// errLines returns the lines of a joined error, each the message of one.
func errLines(err error) []string { return strings.Split(err.Error(), "\n") }

func TestApplySettingsInOneCall(t *testing.T) {
	t.Run("every field before log-on", func(t *testing.T) {
		s, f := running(t)
		require.NoError(t, s.ApplySettings(everySetting, steamgs.AllFields))
		assert.Equal(t, calls(op("Apply", steamgs.AllFields)), f.rec.Calls(), "one Apply with every field")
		assert.Equal(t, everySetting, f.settings, "what Apply received")
		assert.Equal(t, everySetting, s.Settings())
		assert.NoError(t, s.LogOnAnonymous(), "LogOnAnonymous after ApplySettings set the required settings")
	})
	t.Run("several fields after log-on", func(t *testing.T) {
		s, f := ready(t)
		require.NoError(t, s.LogOnAnonymous())
		f.rec.Reset()
		fields := steamgs.AllFields &^ steamgs.FieldsBeforeLogOn
		require.NoError(t, s.ApplySettings(everySetting, fields))
		assert.Equal(t, calls(op("Apply", fields)), f.rec.Calls(), "one Apply with the fields named")
		want := everySetting
		want.ModDir, want.Dedicated = "", false // not named, and never set
		assert.Equal(t, want, f.settings, "what Apply received")
		assert.Equal(t, want, s.Settings())
	})
	t.Run("no fields", func(t *testing.T) {
		s, f := running(t)
		assert.NoError(t, s.ApplySettings(steamgs.Settings{ServerName: strings.Repeat("x", 100)}, 0))
		assert.Empty(t, f.rec.Calls(), "ApplySettings of no fields reached the back end")
		assert.Equal(t, steamgs.Settings{}, s.Settings())
	})
}

// TestApplySettingsKeepsOtherFields checks that the fields of the Settings
// not named in the mask are ignored, not copied.
func TestApplySettingsKeepsOtherFields(t *testing.T) {
	s, f := ready(t)
	require.NoError(t, s.SetServerName("old"))
	require.NoError(t, s.SetKeyValue("k", "v"))
	f.rec.Reset()
	require.NoError(t, s.ApplySettings(steamgs.Settings{MapName: "dust", ServerName: "ignored",
		KeyValues: map[string]string{"ignored": ""}}, steamgs.FieldMapName))
	want := steamgs.Settings{Product: "480", GameDescription: "Spacewar", ServerName: "old", MapName: "dust",
		KeyValues: map[string]string{"k": "v"}}
	assert.Equal(t, calls(op("Apply", steamgs.FieldMapName)), f.rec.Calls())
	assert.Equal(t, want, f.settings, "what Apply received")
	assert.Equal(t, want, s.Settings())
	assert.NoError(t, s.LogOnAnonymous(), "the required settings survive an ApplySettings that does not name them")
}

// TestApplySettingsChecksEveryField checks that ApplySettings refuses each
// bad value with the error its setter gives.
func TestApplySettingsChecksEveryField(t *testing.T) {
	puts := map[steamgs.Field]func(*steamgs.Settings, string){
		steamgs.FieldProduct:             func(s *steamgs.Settings, v string) { s.Product = v },
		steamgs.FieldGameDescription:     func(s *steamgs.Settings, v string) { s.GameDescription = v },
		steamgs.FieldModDir:              func(s *steamgs.Settings, v string) { s.ModDir = v },
		steamgs.FieldServerName:          func(s *steamgs.Settings, v string) { s.ServerName = v },
		steamgs.FieldMapName:             func(s *steamgs.Settings, v string) { s.MapName = v },
		steamgs.FieldSpectatorServerName: func(s *steamgs.Settings, v string) { s.SpectatorServerName = v },
		steamgs.FieldGameTags:            func(s *steamgs.Settings, v string) { s.GameTags = v },
		steamgs.FieldGameData:            func(s *steamgs.Settings, v string) { s.GameData = v },
		steamgs.FieldRegion:              func(s *steamgs.Settings, v string) { s.Region = v },
	}
	require.Len(t, puts, len(stringSetters))
	for _, st := range stringSetters {
		values := []string{"", "ab\x00c"}
		if st.limit != noLimit {
			values = append(values, strings.Repeat("b", st.limit+1))
		}
		for _, v := range values {
			t.Run(fmt.Sprintf("%s/%d bytes", st.method, len(v)), func(t *testing.T) {
				other, _ := running(t)
				setterErr := st.set(other, v)
				s, f := running(t)
				var in steamgs.Settings
				puts[st.field](&in, v)
				err := s.ApplySettings(in, st.field)
				if setterErr == nil {
					require.NoError(t, err, "ApplySettings of what %s takes", st.method)
					assert.Equal(t, v, st.get(f.settings))
					return
				}
				assert.EqualError(t, err, setterErr.Error(), "ApplySettings and %s refuse alike", st.method)
				assert.Empty(t, f.rec.Calls(), "a refused ApplySettings reached the back end")
			})
		}
	}
	for _, n := range []int{-1, steamgs.MaxPlayerCount + 1} {
		t.Run(fmt.Sprintf("counts/%d", n), func(t *testing.T) {
			s, f := running(t)
			err := s.ApplySettings(steamgs.Settings{MaxPlayers: n, Bots: n}, steamgs.FieldMaxPlayers|steamgs.FieldBots)
			require.ErrorIs(t, err, steamgs.ErrOutOfRange)
			assert.Equal(t, []string{s.SetMaxPlayerCount(n).Error(), s.SetBotPlayerCount(n).Error()}, errLines(err))
			assert.Empty(t, f.rec.Calls())
		})
	}
}

// TestApplySettingsNamesEveryBadField checks that one error names every bad
// field, matches each one's sentinel, and that nothing is applied.
func TestApplySettingsNamesEveryBadField(t *testing.T) {
	s, f := ready(t)
	before := s.Settings()
	bad := steamgs.Settings{
		ServerName: strings.Repeat("n", 64),                                               // too long
		MapName:    "",                                                                    // empty
		MaxPlayers: -1,                                                                    // out of range
		GameTags:   "a\x00b",                                                              // NUL
		KeyValues:  map[string]string{"k": strings.Repeat("v", steamgs.MaxKeyValueBytes)}, // too large
		Region:     "eu",                                                                  // good
	}
	fields := steamgs.FieldServerName | steamgs.FieldMapName | steamgs.FieldMaxPlayers | steamgs.FieldGameTags |
		steamgs.FieldKeyValues | steamgs.FieldRegion
	err := s.ApplySettings(bad, fields)
	for _, sentinel := range []error{steamgs.ErrTooLong, steamgs.ErrEmpty, steamgs.ErrOutOfRange,
		steamgs.ErrInvalidString, steamgs.ErrTooLarge} {
		assert.ErrorIs(t, err, sentinel)
	}
	assert.NotErrorIs(t, err, steamgs.ErrAfterLogOn)
	lines := errLines(err)
	assert.Len(t, lines, 5, "one line for each bad field: %q", lines)
	for _, l := range lines {
		assert.Regexp(t, `^steamgs: `, l)
	}
	for _, m := range []string{"server name is 64 bytes, limit 63", "map name is empty", "max player count is -1",
		"game tags", fmt.Sprintf("key/values take %d bytes", steamgs.MaxKeyValueBytes+3)} {
		assert.ErrorContains(t, err, m)
	}
	assert.NotContains(t, err.Error(), "region")
	assert.Empty(t, f.rec.Calls(), "a refused ApplySettings reached the back end")
	assert.Equal(t, before, s.Settings(), "a refused ApplySettings changed the settings")
}

func TestApplySettingsUnknownFields(t *testing.T) {
	s, f := running(t)
	err := s.ApplySettings(steamgs.Settings{ServerName: "name"}, steamgs.FieldServerName|1<<20)
	require.ErrorIs(t, err, steamgs.ErrOutOfRange)
	assert.EqualError(t, err, "steamgs: fields Field(0x100000) are not settings")
	assert.Empty(t, f.rec.Calls())
	assert.Empty(t, s.Settings().ServerName)
}

func TestApplySettingsBeforeLogOn(t *testing.T) {
	for _, lo := range logOns {
		for _, field := range []steamgs.Field{steamgs.FieldProduct, steamgs.FieldGameDescription, steamgs.FieldModDir,
			steamgs.FieldDedicated, steamgs.FieldsBeforeLogOn} {
			t.Run(lo.name+"/"+field.String(), func(t *testing.T) {
				s, f := ready(t)
				require.NoError(t, lo.logOn(s))
				before := s.Settings()
				f.rec.Reset()
				err := s.ApplySettings(everySetting, field|steamgs.FieldServerName)
				require.ErrorIs(t, err, steamgs.ErrAfterLogOn)
				assert.Regexp(t, `^steamgs: Set\w+ after log-on`, err.Error())
				assert.Empty(t, f.rec.Calls())
				assert.Equal(t, before, s.Settings(), "a refused ApplySettings changed the settings")
				// The other fields may change at any time.
				require.NoError(t, s.ApplySettings(everySetting, steamgs.FieldServerName))
				require.NoError(t, s.LogOff())
				f.rec.Reset()
				require.NoError(t, s.ApplySettings(everySetting, field), "ApplySettings(%s) after LogOff", field)
				assert.Equal(t, calls(op("Apply", field)), f.rec.Calls())
			})
		}
	}
}

// TestApplySettingsKeyValues checks that FieldKeyValues replaces the whole
// set with a copy of the caller's map, and recounts the room they take.
func TestApplySettingsKeyValues(t *testing.T) {
	const limit = steamgs.MaxKeyValueBytes
	fill := func(n int) string { return strings.Repeat("v", n) }
	t.Run("the map is copied", func(t *testing.T) {
		s, f := running(t)
		kv := map[string]string{"a": "1"}
		require.NoError(t, s.ApplySettings(steamgs.Settings{KeyValues: kv}, steamgs.FieldKeyValues))
		kv["a"], kv["b"] = "changed", "added"
		assert.Equal(t, map[string]string{"a": "1"}, s.Settings().KeyValues, "the caller's map is the server's")
		require.NoError(t, s.SetKeyValue("c", "3"))
		assert.Equal(t, map[string]string{"a": "1", "c": "3"}, f.settings.KeyValues, "what Apply received")
		assert.Equal(t, map[string]string{"a": "changed", "b": "added"}, kv, "the server changed the caller's map")
	})
	t.Run("replaces the set and its room", func(t *testing.T) {
		s, f := running(t)
		require.NoError(t, s.SetKeyValue("k", fill(limit-3)))
		f.rec.Reset()
		require.NoError(t, s.ApplySettings(steamgs.Settings{KeyValues: map[string]string{"a": "1"}}, steamgs.FieldKeyValues))
		assert.Equal(t, calls(op("Apply", steamgs.FieldKeyValues)), f.rec.Calls())
		assert.Equal(t, map[string]string{"a": "1"}, f.settings.KeyValues, "what Apply received")
		// "a"+"1"+2 = 4 bytes are used; "z" and limit-7 bytes fill the rest.
		require.NoError(t, s.SetKeyValue("z", fill(limit-7)), "SetKeyValue into the room ApplySettings freed")
		require.ErrorIs(t, s.SetKeyValue("y", ""), steamgs.ErrTooLarge)
	})
	t.Run("nil clears", func(t *testing.T) {
		s, f := running(t)
		require.NoError(t, s.SetKeyValue("k", fill(limit-3)))
		require.NoError(t, s.ApplySettings(steamgs.Settings{}, steamgs.FieldKeyValues))
		assert.Empty(t, f.settings.KeyValues, "what Apply received")
		assert.Empty(t, s.Settings().KeyValues)
		assert.NoError(t, s.SetKeyValue("z", fill(limit-3)), "SetKeyValue of a full reply after clearing")
	})
	tests := []struct {
		name     string
		kv       map[string]string
		err      error
		mentions []string
	}{
		{"exactly full", map[string]string{"k": fill(limit - 3)}, nil, nil},
		{"one byte over", map[string]string{"k": fill(limit - 2)}, steamgs.ErrTooLarge,
			[]string{fmt.Sprintf("key/values take %d bytes of an A2S_RULES reply, limit %d", limit+1, limit)}},
		{"NUL in key", map[string]string{"k\x00": "v"}, steamgs.ErrInvalidString, []string{"key", "NUL"}},
		{"NUL in value", map[string]string{"k": "v\x00"}, steamgs.ErrInvalidString, []string{"value of key k", "NUL"}},
		{"value too long", map[string]string{"k": fill(limit + 1)}, steamgs.ErrTooLong,
			[]string{fmt.Sprintf("is %d bytes, limit %d", limit+1, limit)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := running(t)
			err := s.ApplySettings(steamgs.Settings{KeyValues: tt.kv}, steamgs.FieldKeyValues)
			if tt.err == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.kv, f.settings.KeyValues, "what Apply received")
				require.ErrorIs(t, s.SetKeyValue("x", ""), steamgs.ErrTooLarge, "SetKeyValue into a full reply")
				return
			}
			require.ErrorIs(t, err, tt.err)
			for _, m := range tt.mentions {
				assert.ErrorContains(t, err, m)
			}
			assert.Empty(t, f.rec.Calls())
			assert.Empty(t, s.Settings().KeyValues)
		})
	}
	t.Run("count limit", func(t *testing.T) {
		s, rec := runningOver(t, steamgstest.NopConn{})
		keys := kvKeys(steamgs.MaxKeyValueCount + 1)
		kv := make(map[string]string, len(keys))
		for _, k := range keys {
			kv[k] = ""
		}
		err := s.ApplySettings(steamgs.Settings{KeyValues: kv}, steamgs.FieldKeyValues)
		require.ErrorIs(t, err, steamgs.ErrTooLarge)
		assert.ErrorContains(t, err, "65536 key/values, limit 65535")
		assert.Empty(t, rec.Calls())
		delete(kv, keys[0])
		require.NoError(t, s.ApplySettings(steamgs.Settings{KeyValues: kv}, steamgs.FieldKeyValues))
		assert.Len(t, s.Settings().KeyValues, steamgs.MaxKeyValueCount)
		require.ErrorIs(t, s.SetKeyValue(keys[0], ""), steamgs.ErrTooLarge, "SetKeyValue past the count limit")
	})
}

// TestInitAppliesConfigSettings checks that the settings a Config carries
// reach the back end in one Apply, right after Open, so that a server may
// log on without calling a setter.
func TestInitAppliesConfigSettings(t *testing.T) {
	tests := []struct {
		name   string
		set    func(*steamgs.Config)
		fields steamgs.Field
		want   steamgs.Settings
	}{
		{"none", func(*steamgs.Config) {}, 0, steamgs.Settings{}},
		{"product and description", func(c *steamgs.Config) { c.Product, c.GameDescription = "480", "Spacewar" },
			steamgs.FieldProduct | steamgs.FieldGameDescription, steamgs.Settings{Product: "480", GameDescription: "Spacewar"}},
		{"all four", func(c *steamgs.Config) {
			c.Product, c.GameDescription, c.ModDir, c.Dedicated = "480", "Spacewar", "spacewar", true
		}, steamgs.FieldsBeforeLogOn,
			steamgs.Settings{Product: "480", GameDescription: "Spacewar", ModDir: "spacewar", Dedicated: true}},
		{"dedicated only", func(c *steamgs.Config) { c.Dedicated = true }, steamgs.FieldDedicated,
			steamgs.Settings{Dedicated: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := goodConfig
			tt.set(&cfg)
			c := &fakeConn{}
			rec := steamgstest.NewRecorder(&fakeBackend{conn: c})
			s := steamgs.NewServer(rec)
			require.NoError(t, s.Init(cfg))
			want := calls(op("Open", cfg))
			if tt.fields != 0 {
				want = append(want, op("Apply", tt.fields))
			}
			assert.Equal(t, want, rec.Calls(), "Init opens, then applies the Config's settings in one call")
			assert.Equal(t, tt.want, c.settings, "what Apply received")
			assert.Equal(t, tt.want, s.Settings())
			assert.Equal(t, cfg, s.Config())
		})
	}
	for _, lo := range logOns {
		t.Run(lo.name+" without setters", func(t *testing.T) {
			cfg := goodConfig
			cfg.Product, cfg.GameDescription = "480", "Spacewar"
			rec := steamgstest.NewRecorder(&fakeBackend{conn: &fakeConn{}})
			s := steamgs.NewServer(rec)
			require.NoError(t, s.Init(cfg))
			rec.Reset()
			require.NoError(t, lo.logOn(s))
			assert.Equal(t, calls(lo.want), rec.Calls())
			require.ErrorIs(t, s.SetProduct("481"), steamgs.ErrAfterLogOn, "the Config's product is fixed at log-on")
		})
	}
	t.Run("a new Init starts from the Config", func(t *testing.T) {
		s, f := ready(t)
		require.NoError(t, s.SetServerName("old"))
		require.NoError(t, s.Shutdown())
		cfg := goodConfig
		cfg.ModDir = "spacewar"
		require.NoError(t, s.Init(cfg))
		assert.Equal(t, steamgs.Settings{ModDir: "spacewar"}, s.Settings())
		assert.Equal(t, steamgs.Settings{ModDir: "spacewar"}, f.settings, "what Apply received")
	})
}

// TestInitRefusesBadConfigSettings checks that Init checks the Config's
// settings as their setters would, names every bad one, and opens nothing.
func TestInitRefusesBadConfigSettings(t *testing.T) {
	tests := []struct {
		name     string
		set      func(*steamgs.Config)
		errs     []error
		mentions []string
		bad      int // how many settings are bad
	}{
		{"product with NUL", func(c *steamgs.Config) { c.Product = "4\x0080" },
			[]error{steamgs.ErrInvalidString}, []string{"product", "NUL"}, 1},
		{"description too long", func(c *steamgs.Config) { c.GameDescription = strings.Repeat("d", 64) },
			[]error{steamgs.ErrTooLong}, []string{"game description is 64 bytes, limit 63"}, 1},
		{"mod dir too long", func(c *steamgs.Config) { c.ModDir = strings.Repeat("m", 32) },
			[]error{steamgs.ErrTooLong}, []string{"mod dir is 32 bytes, limit 31"}, 1},
		{"all three", func(c *steamgs.Config) {
			c.Product, c.GameDescription, c.ModDir, c.Dedicated = "4\x0080", strings.Repeat("d", 64), "m\x00", true
		}, []error{steamgs.ErrInvalidString, steamgs.ErrTooLong},
			[]string{"product", "game description is 64 bytes, limit 63", "mod dir"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := goodConfig
			tt.set(&cfg)
			b := &fakeBackend{conn: &fakeConn{}}
			s := steamgs.NewServer(b)
			err := s.Init(cfg)
			for _, sentinel := range tt.errs {
				require.ErrorIs(t, err, sentinel)
			}
			for _, m := range tt.mentions {
				assert.ErrorContains(t, err, m)
			}
			lines := errLines(err)
			assert.Len(t, lines, tt.bad, "one line for each bad setting: %q", lines)
			for _, l := range lines {
				assert.Regexp(t, `^steamgs: `, l)
			}
			assert.Empty(t, b.opened, "Init opened the back end despite bad settings")
			assert.False(t, s.Running())
		})
	}
}

func TestFieldString(t *testing.T) {
	tests := []struct {
		f    steamgs.Field
		want string
	}{
		{0, "0"},
		{steamgs.FieldProduct, "Product"},
		{steamgs.FieldAdvertise, "Advertise"},
		{steamgs.FieldServerName | steamgs.FieldMapName, "ServerName|MapName"},
		{steamgs.FieldMapName | steamgs.FieldServerName, "ServerName|MapName"},
		{steamgs.FieldsBeforeLogOn, "Product|GameDescription|ModDir|Dedicated"},
		{steamgs.AllFields, "Product|GameDescription|ModDir|Dedicated|ServerName|MapName|MaxPlayers|Bots|" +
			"PasswordProtected|SpectatorPort|SpectatorServerName|GameTags|GameData|Region|KeyValues|Advertise"},
		{1 << 16, "Field(0x10000)"},
		{steamgs.FieldKeyValues | 1<<20 | 1<<31, "KeyValues|Field(0x80100000)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.f.String(), "Field(%#x).String()", uint32(tt.f))
	}
	assert.Equal(t, "ServerName", fmt.Sprint(steamgs.FieldServerName), "fmt uses String")
	// Every field of AllFields has a name of its own.
	seen := map[string]bool{}
	for f := steamgs.Field(1); f&steamgs.AllFields != 0; f <<= 1 {
		name := f.String()
		assert.NotContains(t, name, "|")
		assert.NotContains(t, name, "Field(")
		assert.False(t, seen[name], "two fields are named %s", name)
		seen[name] = true
	}
	assert.Len(t, seen, 16, "fields in AllFields")
}
