package cli_test

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func parse(t *testing.T, dedicated bool, args ...string) cli.ServerFlags {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f cli.ServerFlags
	f.Register(fs, dedicated)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestServerConfig(t *testing.T) {
	f := parse(t, true, "-ip", "127.0.0.1", "-port", "0", "-name", "N", "-map", "M", "-max-players", "8",
		"-bots", "2", "-password", "pw", "-tick-rate", "20", "-seed", "9", "-query-port", "0", "-token", "tok",
		"-universe", "cli test", "-advertise=false")
	b, u, err := f.OpenBackend()
	if err != nil {
		t.Fatal(err)
	}
	if u == nil || b != steamgs.Backend(u) {
		t.Fatal("the local back end is not the universe")
	}
	if got := u.TokenSteamID("tok"); !got.IsValid() {
		t.Errorf("the universe does not know the token: %v", got)
	}
	cfg, err := f.Config(b, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := server.Config{Name: "N", Map: "M", MaxPlayers: 8, Bots: 2, Password: "pw", Token: "tok",
		Dedicated: true, SeparateQueryPort: true, AppID: server.DefaultAppID}
	if cfg.Name != want.Name || cfg.Map != want.Map || cfg.MaxPlayers != want.MaxPlayers || cfg.Bots != want.Bots ||
		cfg.Password != want.Password || cfg.Token != want.Token || !cfg.Dedicated || !cfg.SeparateQueryPort ||
		cfg.QueryPort != 0 || cfg.Advertise || cfg.AppID != want.AppID || cfg.Addr.String() != "127.0.0.1:0" {
		t.Errorf("config %+v", cfg)
	}
	if cfg.Rules.TickRate != 20 || cfg.Rules.Seed != 9 || cfg.Rules.Width != game.DefaultWidth {
		t.Errorf("rules %+v", cfg.Rules)
	}
	if lf := parse(t, false); lf.Bots != 3 || lf.QueryPort != -1 || !lf.Advertise {
		t.Errorf("listen defaults %+v", lf)
	}
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
	}
	u, err := local.NewUniverse(local.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		f := parse(t, true, tt.args...)
		_, err := f.Config(u, true, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Config(%q) = %v, want %q", tt.args, err, tt.want)
		}
	}
	f := parse(t, true, "-backend", "cloud")
	if _, _, err := f.OpenBackend(); !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), `-backend is "cloud"`) {
		t.Errorf("OpenBackend(cloud) = %v", err)
	}
}

func TestSteamworksBackendWithoutLibrary(t *testing.T) {
	f := parse(t, true, "-backend", "steamworks", "-steam-lib", t.TempDir()+"/missing.so")
	if _, _, err := f.OpenBackend(); err == nil || !strings.Contains(err.Error(), "missing.so") {
		t.Errorf("OpenBackend(steamworks, missing library) = %v, want an error naming the file", err)
	}
}

func TestClientFlags(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f cli.ClientFlags
	f.Register(fs, "me")
	if err := fs.Parse([]string{"-server", "127.0.0.1:27999", "-universe", "cli test"}); err != nil {
		t.Fatal(err)
	}
	addr, err := f.ServerAddr()
	if err != nil || addr.Port() != 27999 {
		t.Errorf("ServerAddr = %v, %v", addr, err)
	}
	u, err := f.OpenUniverse()
	if err != nil {
		t.Fatal(err)
	}
	u2, _ := f.OpenUniverse()
	if a, b := f.Account(u, "me"), f.Account(u2, "me"); a != b || !a.IsValid() {
		t.Errorf("the same name in two universes of one key: %v and %v, want one Steam ID", a, b)
	}
	f.Server = "localhost"
	if _, err := f.ServerAddr(); !errors.Is(err, cli.ErrUsage) {
		t.Errorf("ServerAddr(localhost) = %v, want ErrUsage", err)
	}
}
