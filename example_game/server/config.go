package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"time"

	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/steamgs"
)

// Defaults of Config.
const (
	DefaultGamePort      = 27015
	DefaultAppID         = steamgs.AppID(480) // Valve's Spacewar, the app ID of Steamworks examples
	DefaultVersion       = "1.0.0.0"
	DefaultName          = "Coin Arena"
	DefaultMap           = "arena"
	DefaultMaxPlayers    = 16
	DefaultClientTimeout = 10 * time.Second
	DefaultSilentTimeout = 3 * time.Second
	// GameDescription, ModDir and Product are what the server tells Steam
	// about the game.
	GameDescription = "Coin Arena (steamgs example)"
	ModDir          = "coinarena"
	GameTags        = "coins,arena,example"
)

// ErrConfig is wrapped by the errors of Config.Check.
var ErrConfig = errors.New("invalid server config")

// Config is what New takes. Only Backend is required; the zero values of
// the others take the defaults documented on each field.
type Config struct {
	// Backend is the Steam back end: a *local.Universe, or the real Steam.
	// A universe is also given the cancel notices that leaving clients send
	// (ApplyCancelNotice), so that it refuses their tickets afterwards.
	Backend steamgs.Backend
	// Addr is the game socket's address. The zero value binds every
	// interface on DefaultGamePort; port 0 binds an ephemeral port (see
	// Server.Addr). IPv4 only, as Steam's game servers.
	Addr netip.AddrPort
	// QueryPort is Steam's query (A2S) port when SeparateQueryPort is set
	// (0 binds an ephemeral port, see Server.QueryPort). Without
	// SeparateQueryPort the game socket is shared with Steam
	// (steamgs.QueryPortShared).
	QueryPort         uint16
	SeparateQueryPort bool
	// GamePort is the game port the server tells Steam (and so server
	// browsers), when it differs from Addr's: the host port of a container
	// whose port is mapped, as under Agones with portPolicy Dynamic. 0
	// means the socket's own port.
	GamePort uint16
	// Name and Map are what server browsers show; DefaultName and
	// DefaultMap when empty.
	Name, Map string
	// MaxPlayers is the most players, bots included; 1 to proto.MaxPlayers,
	// DefaultMaxPlayers when 0.
	MaxPlayers int
	// Bots is the number of server-side bots, 0 to MaxPlayers.
	Bots int
	// Token is a game server log-on token; empty logs on anonymously.
	Token string
	// Password, when set, is asked of every client; at most
	// proto.MaxPasswordLen bytes.
	Password string
	// Dedicated says this is a dedicated server rather than a listen server.
	Dedicated bool
	// Advertise lists the server and answers server queries.
	Advertise bool
	// AppID is the game's Steam app ID; DefaultAppID when 0.
	AppID steamgs.AppID
	// Version is the server's version string; DefaultVersion when empty.
	Version string
	// Mode is Steam's authentication mode; steamgs.ModeAuthentication when
	// zero (ModeInvalid).
	Mode steamgs.ServerMode
	// Rules are the game's rules; game.DefaultRules() when the tick rate is
	// zero.
	Rules game.Rules
	// ClientTimeout removes a client that sent nothing for this long;
	// DefaultClientTimeout when 0. Time the server did not run (a tick more
	// than a second late: the process was stopped or starved) is not
	// counted.
	ClientTimeout time.Duration
	// IdleInterval, when more than 0, is how far apart Run ticks while the
	// server has no player (bots count as players) and no client: it
	// hibernates, as Source servers do when empty. The first game datagram
	// wakes it at once (Steam's datagrams are answered on arrival, asleep
	// or not). 0 ticks at Rules.TickRate always.
	IdleInterval time.Duration
	// SilentTimeout removes a client that has sent no Input since it was
	// approved (or, while Steam has not approved it, no Connect) for this
	// long, so that half-open handshakes do not hold slots for
	// ClientTimeout; DefaultSilentTimeout when 0, and never more than
	// ClientTimeout. A client sends its first Input as soon as it is
	// welcomed.
	SilentTimeout time.Duration
	// ConnectLimit is the most Connect messages a source may send per
	// second, counted before its ticket is checked (verifying one costs
	// about 50 µs); DefaultConnectLimit when 0, unlimited when < 0. Over
	// it a Connect is dropped unanswered and counted (RateLimited).
	ConnectLimit int
	// ConnectByPort counts each address and port as a source of its own
	// for ConnectLimit and MaxPendingPerSource, rather than each IP: for
	// players behind one NAT, or clients on 127.0.0.1 in tests.
	ConnectByPort bool
	// MaxPending bounds the clients whose ticket Steam has not approved
	// yet (the plugin's ecs.Options.MaxPending); they take no player slot
	// and are sent nothing until approved. DefaultMaxPending when 0.
	MaxPending int
	// MaxPendingPerSource bounds the pending clients of one source once
	// the pending table is half full (below that a source may take more,
	// so that players behind one NAT join together at once);
	// DefaultMaxPendingPerSource when 0.
	MaxPendingPerSource int
	// Logger receives the server's structured log; nil discards it.
	Logger *slog.Logger
	// Now reads the time, for ages and join times; nil means time.Now.
	Now func() time.Time
}

// Defaults of the Connect limits.
const (
	DefaultConnectLimit        = 8
	DefaultMaxPending          = 32
	DefaultMaxPendingPerSource = 4
)

// Product returns the product the server gives Steam (SetProduct): the app
// ID in decimal, as Valve recommends, DefaultAppID's when AppID is 0.
func (c Config) Product() string {
	return strconv.FormatUint(uint64(c.withDefaults().AppID), 10)
}

// withDefaults returns c with every zero value replaced by its default.
func (c Config) withDefaults() Config {
	if !c.Addr.IsValid() {
		c.Addr = netip.AddrPortFrom(netip.IPv4Unspecified(), DefaultGamePort)
	}
	if c.Name == "" {
		c.Name = DefaultName
	}
	if c.Map == "" {
		c.Map = DefaultMap
	}
	if c.MaxPlayers == 0 {
		c.MaxPlayers = DefaultMaxPlayers
	}
	if c.AppID == 0 {
		c.AppID = DefaultAppID
	}
	if c.Version == "" {
		c.Version = DefaultVersion
	}
	if c.Mode == steamgs.ModeInvalid {
		c.Mode = steamgs.ModeAuthentication
	}
	if c.Rules.TickRate == 0 {
		c.Rules = game.DefaultRules()
	}
	if c.ClientTimeout == 0 {
		c.ClientTimeout = DefaultClientTimeout
	}
	if c.SilentTimeout <= 0 {
		c.SilentTimeout = DefaultSilentTimeout
	}
	c.SilentTimeout = min(c.SilentTimeout, c.ClientTimeout)
	if c.ConnectLimit == 0 {
		c.ConnectLimit = DefaultConnectLimit
	}
	if c.MaxPending <= 0 {
		c.MaxPending = DefaultMaxPending
	}
	if c.MaxPendingPerSource <= 0 {
		c.MaxPendingPerSource = DefaultMaxPendingPerSource
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Check reports the first value of c (after defaults) out of its range; the
// error wraps ErrConfig, or game.ErrRules for the rules.
func (c Config) Check() error {
	c = c.withDefaults()
	if c.Backend == nil {
		return fmt.Errorf("server: Config.Backend is nil: %w", ErrConfig)
	}
	if !c.Addr.Addr().Unmap().Is4() {
		return fmt.Errorf("server: game address %s is not IPv4: %w", c.Addr, ErrConfig)
	}
	if c.MaxPlayers < 1 || c.MaxPlayers > proto.MaxPlayers {
		return fmt.Errorf("server: max players is %d, want 1 to %d: %w", c.MaxPlayers, proto.MaxPlayers, ErrConfig)
	}
	if c.Bots < 0 || c.Bots > c.MaxPlayers {
		return fmt.Errorf("server: bots are %d, want 0 to max players (%d): %w", c.Bots, c.MaxPlayers, ErrConfig)
	}
	if len(c.Password) > proto.MaxPasswordLen {
		return fmt.Errorf("server: password is %d bytes, limit %d: %w", len(c.Password), proto.MaxPasswordLen, ErrConfig)
	}
	if len(c.Name) > steamgs.MaxServerNameLen {
		return fmt.Errorf("server: name is %d bytes, limit %d: %w", len(c.Name), steamgs.MaxServerNameLen, ErrConfig)
	}
	if len(c.Map) > steamgs.MaxMapNameLen {
		return fmt.Errorf("server: map is %d bytes, limit %d: %w", len(c.Map), steamgs.MaxMapNameLen, ErrConfig)
	}
	if c.IdleInterval < 0 {
		return fmt.Errorf("server: idle interval is %v, want 0 (off) or more: %w", c.IdleInterval, ErrConfig)
	}
	if c.ClientTimeout < 0 {
		return fmt.Errorf("server: client timeout is %v, want more than 0: %w", c.ClientTimeout, ErrConfig)
	}
	return c.Rules.Check()
}
