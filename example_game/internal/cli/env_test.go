package cli_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnvName(t *testing.T) {
	for name, want := range map[string]string{
		"name": "STEAMGS_NAME", "max-players": "STEAMGS_MAX_PLAYERS", "token-file": "STEAMGS_TOKEN_FILE",
		"steam-lib": "STEAMGS_STEAM_LIB", "app-id": "STEAMGS_APP_ID",
	} {
		assert.Equal(t, want, cli.EnvName(name), "EnvName(%q)", name)
	}
}

// env is a fake environment.
func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

// TestSetFromEnv checks every kind of flag takes its variable, a flag on the
// command line wins over it, and an empty variable sets the empty value.
func TestSetFromEnv(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var sf cli.ServerFlags
	sf.Register(fs, true)
	every := fs.Duration("status-interval", 30*time.Second, "")
	require.NoError(t, fs.Parse([]string{"-name", "from flag", "-bots=0"}))
	require.NoError(t, cli.SetFromEnv(fs, env(map[string]string{
		"STEAMGS_NAME":            "from env",
		"STEAMGS_BOTS":            "7",
		"STEAMGS_MAX_PLAYERS":     "8",
		"STEAMGS_ADVERTISE":       "false",
		"STEAMGS_TOKEN":           "tok",
		"STEAMGS_SEED":            "99",
		"STEAMGS_QUERY_PORT":      "27016",
		"STEAMGS_STATUS_INTERVAL": "5s",
		"STEAMGS_MAP":             "",
		"STEAMGS_UNKNOWN":         "ignored",
		"NAME":                    "not ours",
	})))
	assert.Equal(t, "from flag", sf.Name, "-name on the command line wins")
	assert.Equal(t, 0, sf.Bots, "-bots on the command line wins, even at its default")
	assert.Equal(t, 8, sf.MaxPlayers)
	assert.False(t, sf.Advertise)
	assert.Equal(t, "tok", sf.Token)
	assert.Equal(t, uint64(99), sf.Seed)
	assert.Equal(t, 27016, sf.QueryPort)
	assert.Equal(t, 5*time.Second, *every)
	assert.Equal(t, "", sf.Map, "an empty variable sets the empty value")
	assert.Equal(t, "0.0.0.0", sf.IP, "a flag without a variable keeps its default")
}

func TestSetFromEnvError(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var sf cli.ServerFlags
	sf.Register(fs, true)
	require.NoError(t, fs.Parse(nil))
	err := cli.SetFromEnv(fs, env(map[string]string{"STEAMGS_MAX_PLAYERS": "many"}))
	require.ErrorIs(t, err, cli.ErrUsage)
	assert.ErrorContains(t, err, `STEAMGS_MAX_PLAYERS="many" for -max-players`)
}

// TestDescribeEnv checks -h lists each flag's variable.
func TestDescribeEnv(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	var sf cli.ServerFlags
	sf.Register(fs, true)
	cli.DescribeEnv(fs)
	assert.ErrorIs(t, fs.Parse([]string{"-h"}), flag.ErrHelp)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		assert.Contains(t, out.String(), "(env "+cli.EnvName(f.Name)+")", "-h for -%s", f.Name)
	})
	assert.Greater(t, n, 15, "flags")
}

func TestLoadToken(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(file, []byte("  secret-token\n"), 0o600))
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))

	f := parse(t, true, "-token-file", file)
	require.NoError(t, f.LoadToken())
	assert.Equal(t, "secret-token", f.Token, "the file's token, trimmed")

	f = parse(t, true, "-anonymous")
	require.NoError(t, f.LoadToken())
	assert.Empty(t, f.Token)

	tests := []struct {
		args  []string
		want  string
		usage bool
	}{
		{[]string{"-token", "a", "-token-file", file}, "-token and -token-file are both given", true},
		{[]string{"-token", "a", "-anonymous"}, "-anonymous logs on without a token", true},
		{[]string{"-token-file", file, "-anonymous"}, "-anonymous logs on without a token", true},
		{[]string{"-token-file", empty}, "holds no token", true},
		{[]string{"-token-file", filepath.Join(dir, "missing")}, "missing", false},
	}
	for _, tt := range tests {
		f := parse(t, true, tt.args...)
		err := f.LoadToken()
		assert.ErrorContains(t, err, tt.want, "LoadToken(%q)", tt.args)
		if tt.usage {
			assert.ErrorIs(t, err, cli.ErrUsage, "LoadToken(%q)", tt.args)
		} else {
			assert.NotErrorIs(t, err, cli.ErrUsage, "LoadToken(%q)", tt.args)
		}
	}
}
