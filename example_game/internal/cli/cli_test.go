package cli_test

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func parse(t *testing.T, dedicated bool, args ...string) cli.ServerFlags {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f cli.ServerFlags
	f.Register(fs, dedicated)
	require.NoError(t, fs.Parse(args))
	return f
}

func TestServerConfig(t *testing.T) {
	f := parse(t, true, "-ip", "127.0.0.1", "-port", "0", "-name", "N", "-map", "M", "-max-players", "8",
		"-bots", "2", "-password", "pw", "-tick-rate", "20", "-seed", "9", "-query-port", "0", "-token", "tok",
		"-universe", "cli test", "-advertise=false", "-client-timeout", "15s", "-silent-timeout", "2s",
		"-connect-limit", "-1", "-connect-by-port")
	b, u, err := f.OpenBackend()
	require.NoError(t, err)
	require.NotNil(t, u, "the local back end is not the universe")
	require.Same(t, u, b, "the local back end is not the universe")
	assert.True(t, u.TokenSteamID("tok").IsValid(), "the universe does not know the token: %v", u.TokenSteamID("tok"))
	cfg, err := f.Config(b, true, nil)
	require.NoError(t, err)
	want := server.Config{Name: "N", Map: "M", MaxPlayers: 8, Bots: 2, Password: "pw", Token: "tok",
		Dedicated: true, SeparateQueryPort: true, AppID: server.DefaultAppID}
	assert.Equal(t, want.Name, cfg.Name, "Name")
	assert.Equal(t, want.Map, cfg.Map, "Map")
	assert.Equal(t, want.MaxPlayers, cfg.MaxPlayers, "MaxPlayers")
	assert.Equal(t, want.Bots, cfg.Bots, "Bots")
	assert.Equal(t, want.Password, cfg.Password, "Password")
	assert.Equal(t, want.Token, cfg.Token, "Token")
	assert.True(t, cfg.Dedicated, "Dedicated")
	assert.True(t, cfg.SeparateQueryPort, "SeparateQueryPort")
	assert.Zero(t, cfg.QueryPort, "QueryPort")
	assert.False(t, cfg.Advertise, "Advertise")
	assert.Equal(t, want.AppID, cfg.AppID, "AppID")
	assert.Equal(t, "127.0.0.1:0", cfg.Addr.String(), "Addr")
	assert.Equal(t, 20, cfg.Rules.TickRate, "rules' tick rate")
	assert.Equal(t, uint64(9), cfg.Rules.Seed, "rules' seed")
	assert.Equal(t, 15*time.Second, cfg.ClientTimeout, "ClientTimeout")
	assert.Equal(t, 2*time.Second, cfg.SilentTimeout, "SilentTimeout")
	assert.Equal(t, -1, cfg.ConnectLimit, "ConnectLimit")
	assert.True(t, cfg.ConnectByPort, "ConnectByPort")
	assert.Equal(t, float32(game.DefaultWidth), cfg.Rules.Width, "rules' width")
	lf := parse(t, false)
	assert.Equal(t, 3, lf.Bots, "listen default bots")
	assert.Equal(t, -1, lf.QueryPort, "listen default query port")
	assert.True(t, lf.Advertise, "listen default advertise")
}

func TestServerConfigErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-ip", "example.com"}, `-ip "example.com" is not an IPv4 address`},
		{[]string{"-port", "65536"}, "-port is 65536, limit 65535"},
		{[]string{"-query-port", "65535"}, "-query-port is 65535, want -1 to 65534"},
		{[]string{"-app-id", "0"}, "-app-id is 0"},
		{[]string{"-tick-rate", "0"}, "tick rate is 0, want 1 to 240"},
		{[]string{"-max-players", "0"}, "-max-players is 0, want 1 to 32"},
		{[]string{"-max-players", "4", "-bots", "5"}, "bots are 5, want 0 to max players (4)"},
		{[]string{"-client-timeout", "0s"}, "-client-timeout is 0s, want more than 0"},
		{[]string{"-silent-timeout", "-1s"}, "-silent-timeout is -1s, want more than 0"},
		{[]string{"-connect-limit", "0"}, "-connect-limit is 0, want -1 (no limit) or more than 0"},
		{[]string{"-connect-limit", "-2"}, "-connect-limit is -2, want -1 (no limit) or more than 0"},
	}
	u, err := local.NewUniverse(local.Options{})
	require.NoError(t, err)
	for _, tt := range tests {
		f := parse(t, true, tt.args...)
		_, err := f.Config(u, true, nil)
		assert.ErrorContains(t, err, tt.want, "Config(%q)", tt.args)
	}
	f := parse(t, true, "-backend", "cloud")
	_, _, err = f.OpenBackend()
	assert.ErrorIs(t, err, cli.ErrUsage, "OpenBackend(cloud)")
	assert.ErrorContains(t, err, `-backend is "cloud"`, "OpenBackend(cloud)")
}

func TestSteamworksBackendWithoutLibrary(t *testing.T) {
	f := parse(t, true, "-backend", "steamworks", "-steam-lib", t.TempDir()+"/missing.so")
	_, _, err := f.OpenBackend()
	assert.ErrorContains(t, err, "missing.so", "OpenBackend(steamworks, missing library): want an error naming the file")
}

func TestClientFlags(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f cli.ClientFlags
	f.Register(fs, "me")
	require.NoError(t, fs.Parse([]string{"-server", "127.0.0.1:27999", "-universe", "cli test"}))
	addr, err := f.ServerAddr()
	assert.NoError(t, err, "ServerAddr")
	assert.Equal(t, uint16(27999), addr.Port(), "ServerAddr's port")
	u, err := f.OpenUniverse()
	require.NoError(t, err)
	u2, _ := f.OpenUniverse()
	a, b := f.Account(u, "me"), f.Account(u2, "me")
	assert.Equal(t, a, b, "the same name in two universes of one key: want one Steam ID")
	assert.True(t, a.IsValid(), "Steam ID %v", a)
	f.Server = "localhost"
	_, err = f.ServerAddr()
	assert.ErrorIs(t, err, cli.ErrUsage, "ServerAddr(localhost)")
}
