// Package cli holds what the example's commands share: the flags of a game
// server and of a client, and how they become a server.Config with its
// Steam back end, or a connected client. It imports no Ebiten.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/steamworks"
)

// DefaultUniverse is the passphrase of the embedded Steam universe that the
// example's programs share by default, so that a client's tickets are
// accepted by a server in another process.
const DefaultUniverse = "steamgs-example"

// Back end names of the -backend flag.
const (
	BackendLocal      = "local"
	BackendSteamworks = "steamworks"
)

// ErrUsage is wrapped by errors about flag values.
var ErrUsage = errors.New("bad flag value")

// ServerFlags are the flags of a game server.
type ServerFlags struct {
	IP         string
	Port       uint
	QueryPort  int
	Name, Map  string
	MaxPlayers int
	Bots       int
	Token      string
	TokenFile  string
	Anonymous  bool
	Password   string
	TickRate   int
	Seed       uint64
	Universe   string
	Advertise  bool
	Backend    string
	SteamLib   string
	AppID      uint
	// ClientTimeout and SilentTimeout are server.Config's; ConnectLimit
	// and ConnectByPort too.
	ClientTimeout, SilentTimeout time.Duration
	ConnectLimit                 int
	ConnectByPort                bool
	// PublicIP, when valid, is the public address the embedded Steam
	// reports for the server (local.Options.PublicIP), such as the node's
	// address under Agones. It has no flag.
	PublicIP netip.Addr
}

// Register defines the flags on fs, with defaults for a dedicated server or
// a listen server.
func (f *ServerFlags) Register(fs *flag.FlagSet, dedicated bool) {
	bots := 0
	if !dedicated {
		bots = 3
	}
	fs.StringVar(&f.IP, "ip", "0.0.0.0", "IPv4 address to bind the game socket to")
	fs.UintVar(&f.Port, "port", server.DefaultGamePort, "game port (UDP); 0 picks a free one")
	fs.IntVar(&f.QueryPort, "query-port", -1, "Steam query (A2S) port; -1 shares the game socket (GameSocketShare), 0 picks a free one")
	fs.StringVar(&f.Name, "name", server.DefaultName, "server name shown in server browsers")
	fs.StringVar(&f.Map, "map", server.DefaultMap, "map name shown in server browsers")
	fs.IntVar(&f.MaxPlayers, "max-players", server.DefaultMaxPlayers, "most players, bots included (1 to 32)")
	fs.IntVar(&f.Bots, "bots", bots, "server-side bots")
	fs.StringVar(&f.Token, "token", "", "game server log-on token; empty logs on anonymously (the embedded Steam accepts any token given here)")
	fs.StringVar(&f.TokenFile, "token-file", "", "read the log-on token from this file, so that it does not show in the process list")
	fs.BoolVar(&f.Anonymous, "anonymous", false, "log on anonymously on purpose, without a token (the real Steam gives the server a new Steam ID each time)")
	fs.StringVar(&f.Password, "password", "", "password clients must give; empty for none")
	fs.IntVar(&f.TickRate, "tick-rate", game.DefaultRules().TickRate, "ticks per second")
	fs.Uint64Var(&f.Seed, "seed", 1, "seed of the coins' and bots' random choices")
	fs.StringVar(&f.Universe, "universe", DefaultUniverse, "passphrase of the embedded Steam universe (clients must use the same)")
	fs.BoolVar(&f.Advertise, "advertise", true, "list the server and answer server queries")
	fs.StringVar(&f.Backend, "backend", BackendLocal, "Steam back end: local (embedded) or steamworks (libsteam_api)")
	fs.StringVar(&f.SteamLib, "steam-lib", "", "path of libsteam_api for -backend steamworks (default: $STEAM_API_LIB, then next to the binary, then the working directory)")
	fs.UintVar(&f.AppID, "app-id", uint(server.DefaultAppID), "Steam app ID")
	fs.DurationVar(&f.ClientTimeout, "client-timeout", server.DefaultClientTimeout, "drop a client that sent nothing for this long")
	fs.DurationVar(&f.SilentTimeout, "silent-timeout", server.DefaultSilentTimeout, "drop a client that sent no input since it joined for this long (half-open handshakes)")
	fs.IntVar(&f.ConnectLimit, "connect-limit", server.DefaultConnectLimit, "Connect messages a source may send per second, counted before its ticket is checked; -1 for no limit")
	fs.BoolVar(&f.ConnectByPort, "connect-by-port", false, "count each address and port as a source of its own for the connect limits, rather than each IP")
}

// LoadToken reads the log-on token from -token-file into Token, without
// the file's surrounding white space. It refuses -token with -token-file, a
// token with -anonymous, and an empty file; the errors wrap ErrUsage, except
// for a file that cannot be read.
func (f *ServerFlags) LoadToken() error {
	if f.TokenFile != "" {
		if f.Token != "" {
			return fmt.Errorf("cli: -token and -token-file are both given; give one: %w", ErrUsage)
		}
		b, err := os.ReadFile(f.TokenFile)
		if err != nil {
			return fmt.Errorf("cli: -token-file: %w", err)
		}
		f.Token = strings.TrimSpace(string(b))
		if f.Token == "" {
			return fmt.Errorf("cli: -token-file %s holds no token: %w", f.TokenFile, ErrUsage)
		}
	}
	if f.Anonymous && f.Token != "" {
		return fmt.Errorf("cli: -anonymous logs on without a token, and a token is given: %w", ErrUsage)
	}
	return nil
}

// OpenBackend opens the Steam back end the flags name. For the embedded one it
// also returns the universe (nil for steamworks), which knows the -token.
func (f *ServerFlags) OpenBackend() (steamgs.Backend, *local.Universe, error) {
	switch f.Backend {
	case BackendLocal:
		u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(f.Universe), PublicIP: f.PublicIP})
		if err != nil {
			return nil, nil, err
		}
		if f.Token != "" {
			u.AddToken(f.Token, local.TokenValid)
		}
		return u, u, nil
	case BackendSteamworks:
		lib, err := steamworks.Open(f.SteamLib)
		if err != nil {
			return nil, nil, err
		}
		return lib, nil, nil
	}
	return nil, nil, fmt.Errorf("cli: -backend is %q, want %q or %q: %w", f.Backend, BackendLocal, BackendSteamworks, ErrUsage)
}

// Config returns the server configuration of the flags over backend b.
func (f *ServerFlags) Config(b steamgs.Backend, dedicated bool, log *slog.Logger) (server.Config, error) {
	ip, err := netip.ParseAddr(f.IP)
	if err != nil || !ip.Unmap().Is4() {
		return server.Config{}, fmt.Errorf("cli: -ip %q is not an IPv4 address: %w", f.IP, ErrUsage)
	}
	if f.Port > 65535 {
		return server.Config{}, fmt.Errorf("cli: -port is %d, limit 65535: %w", f.Port, ErrUsage)
	}
	if f.QueryPort < -1 || f.QueryPort > 65534 {
		return server.Config{}, fmt.Errorf("cli: -query-port is %d, want -1 to 65534: %w", f.QueryPort, ErrUsage)
	}
	if f.AppID == 0 || f.AppID > 0xFFFFFFFF {
		return server.Config{}, fmt.Errorf("cli: -app-id is %d, want 1 to %d: %w", f.AppID, uint32(0xFFFFFFFF), ErrUsage)
	}
	rules := game.DefaultRules()
	rules.TickRate, rules.Seed = f.TickRate, f.Seed
	if err := rules.Check(); err != nil { // before Config's defaults replace a zero tick rate
		return server.Config{}, err
	}
	cfg := server.Config{
		Backend:           b,
		Addr:              netip.AddrPortFrom(ip.Unmap(), uint16(f.Port)),
		SeparateQueryPort: f.QueryPort >= 0,
		QueryPort:         uint16(max(f.QueryPort, 0)),
		Name:              f.Name,
		Map:               f.Map,
		MaxPlayers:        f.MaxPlayers,
		Bots:              f.Bots,
		Token:             f.Token,
		Password:          f.Password,
		Dedicated:         dedicated,
		Advertise:         f.Advertise,
		AppID:             steamgs.AppID(f.AppID),
		Rules:             rules,
		Logger:            log,
		ClientTimeout:     f.ClientTimeout,
		SilentTimeout:     f.SilentTimeout,
		ConnectLimit:      f.ConnectLimit,
		ConnectByPort:     f.ConnectByPort,
	}
	if f.ClientTimeout <= 0 {
		return server.Config{}, fmt.Errorf("cli: -client-timeout is %v, want more than 0: %w", f.ClientTimeout, ErrUsage)
	}
	if f.SilentTimeout <= 0 {
		return server.Config{}, fmt.Errorf("cli: -silent-timeout is %v, want more than 0: %w", f.SilentTimeout, ErrUsage)
	}
	if f.ConnectLimit == 0 || f.ConnectLimit < -1 {
		return server.Config{}, fmt.Errorf("cli: -connect-limit is %d, want -1 (no limit) or more than 0: %w", f.ConnectLimit, ErrUsage)
	}
	if f.MaxPlayers == 0 {
		return server.Config{}, fmt.Errorf("cli: -max-players is 0, want 1 to 32: %w", ErrUsage)
	}
	if err := cfg.Check(); err != nil {
		return server.Config{}, err
	}
	return cfg, nil
}

// ClientFlags are the flags of a client.
type ClientFlags struct {
	Server   string
	Name     string
	Password string
	Universe string
	AppID    uint
	Timeout  time.Duration
}

// Register defines the flags on fs; name is the default player name.
func (f *ClientFlags) Register(fs *flag.FlagSet, name string) {
	fs.StringVar(&f.Server, "server", fmt.Sprintf("127.0.0.1:%d", server.DefaultGamePort), "game server address (host:port)")
	fs.StringVar(&f.Name, "name", name, "player name (it also picks the Steam account of the embedded universe)")
	fs.StringVar(&f.Password, "password", "", "server password")
	fs.StringVar(&f.Universe, "universe", DefaultUniverse, "passphrase of the embedded Steam universe (the server's)")
	fs.UintVar(&f.AppID, "app-id", uint(server.DefaultAppID), "Steam app ID")
	fs.DurationVar(&f.Timeout, "timeout", client.DefaultTimeout, "give up when the server is silent this long")
}

// OpenUniverse opens the embedded Steam universe the flags name, as a Steam
// client of that universe.
func (f *ClientFlags) OpenUniverse() (*local.Universe, error) {
	return local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(f.Universe)})
}

// ServerAddr parses -server.
func (f *ClientFlags) ServerAddr() (netip.AddrPort, error) {
	a, err := netip.ParseAddrPort(f.Server)
	if err != nil || !a.Addr().Unmap().Is4() {
		return netip.AddrPort{}, fmt.Errorf("cli: -server %q is not an IPv4 host:port: %w", f.Server, ErrUsage)
	}
	return a, nil
}

// Account adds the account name, which owns the app, to universe u and
// returns its Steam ID. Processes that share a universe key give a name the
// same Steam ID.
func (f *ClientFlags) Account(u *local.Universe, name string) steamgs.SteamID {
	return u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{steamgs.AppID(f.AppID)}})
}

// Dial joins the server of -server as name, with a new account of universe
// u (see Account).
func (f *ClientFlags) Dial(ctx context.Context, u *local.Universe, name string) (*client.Client, error) {
	addr, err := f.ServerAddr()
	if err != nil {
		return nil, err
	}
	return f.DialAs(ctx, u, addr, name, f.Account(u, name))
}

// DialAs joins the server at addr as name, playing the account id of
// universe u.
func (f *ClientFlags) DialAs(ctx context.Context, u *local.Universe, addr netip.AddrPort, name string, id steamgs.SteamID) (*client.Client, error) {
	return client.Dial(ctx, client.Config{Server: addr, Name: name, Password: f.Password, SteamID: id,
		AppID: steamgs.AppID(f.AppID), Tickets: u, Timeout: f.Timeout})
}
