package steamgs

import (
	"maps"
	"math"
	"net/netip"
)

// Server is a Steam game server: the SDK's ISteamGameServer together with
// its init, shutdown and callback pump. Create one with [NewServer], start it
// with [Server.Init] and end it with [Server.Shutdown]; it may be initialized
// again after a shutdown.
//
// Every method checks its arguments before the back end sees them. Before
// Init and after Shutdown, methods that return an error return one matching
// [ErrNotInitialized] and the others return their zero value.
//
// A Server is not safe for concurrent use: call it from the game's goroutine,
// as the SDK expects. Callbacks are delivered on that goroutine by
// [Server.RunCallbacks].
type Server struct {
	backend Backend
	conn    Conn
	cfg     Config

	// logOnCalled is set by LogOn and LogOnAnonymous and cleared by LogOff:
	// the settings the SDK fixes at log-on are refused while it is set.
	logOnCalled bool
	settings    Settings
	// kvBytes is the size the key/values take in an A2S_RULES reply.
	kvBytes int
}

// Settings are the values a server was last given through its setters.
type Settings struct {
	Product, GameDescription, ModDir string
	Dedicated                        bool
	ServerName, MapName              string
	MaxPlayers, Bots                 int
	PasswordProtected                bool
	SpectatorPort                    uint16
	SpectatorServerName              string
	GameTags, GameData, Region       string
	Advertise                        bool
	KeyValues                        map[string]string
}

// NewServer returns a server over the back end b, not yet initialized.
func NewServer(b Backend) *Server {
	return &Server{backend: b}
}

// Init initializes the server (GodotSteam's serverInit and serverInitEx, the
// SDK's SteamGameServer_InitEx): it checks cfg, opens a server on the back
// end and binds the query port. A failure of the back end is an *InitError
// carrying the SDK's result and Steam's message. Init on a running server
// returns an error matching ErrAlreadyInitialized.
func (s *Server) Init(cfg Config) error {
	if s.conn != nil {
		return newError(ErrAlreadyInitialized, "Init called on a running server; call Shutdown first")
	}
	if s.backend == nil {
		return newError(ErrNotInitialized, "server has no back end; create it with NewServer")
	}
	if cfg.IP.IsValid() {
		ip, err := ipv4("IP", cfg.IP)
		if err != nil {
			return err
		}
		cfg.IP = ip
	}
	if cfg.Mode < ModeNoAuthentication || cfg.Mode > ModeAuthenticationAndSecure {
		return newError(ErrOutOfRange, "server mode is %d, want %d to %d", int32(cfg.Mode),
			int32(ModeNoAuthentication), int32(ModeAuthenticationAndSecure))
	}
	if err := checkString("version", cfg.Version, math.MaxInt, false); err != nil {
		return err
	}
	conn, err := s.backend.Open(cfg)
	if err != nil {
		return err
	}
	s.conn, s.cfg = conn, cfg
	s.logOnCalled, s.kvBytes = false, 0
	s.settings = Settings{}
	return nil
}

// Shutdown ends the server (the SDK's SteamGameServer_Shutdown); pending
// callbacks are dropped. Shutdown of a server that is not running returns an
// error matching ErrNotInitialized.
func (s *Server) Shutdown() error {
	if s.conn == nil {
		return s.notInit("Shutdown")
	}
	err := s.conn.Shutdown()
	s.conn = nil
	s.logOnCalled = false
	return err
}

// Running reports whether the server is initialized and not shut down.
func (s *Server) Running() bool { return s.conn != nil }

// Config returns the configuration the server was initialized with, IP
// unmapped, or the zero Config when it is not running.
func (s *Server) Config() Config {
	if s.conn == nil {
		return Config{}
	}
	return s.cfg
}

// Capabilities reports what the server's back end can do.
func (s *Server) Capabilities() Capabilities {
	if s.backend == nil {
		return Capabilities{}
	}
	return s.backend.Capabilities()
}

// QueryPort returns the query port the server bound (the one chosen when
// Config.QueryPort was 0), QueryPortShared in GameSocketShare mode, or 0 when
// the server is not running.
func (s *Server) QueryPort() uint16 {
	if s.conn == nil {
		return 0
	}
	return s.conn.QueryPort()
}

// Settings returns a copy of the values the server was last given through
// its setters.
func (s *Server) Settings() Settings {
	st := s.settings
	st.KeyValues = maps.Clone(s.settings.KeyValues)
	return st
}

// RunCallbacks delivers every callback that is due, in order, by calling fn
// on the caller's goroutine (GodotSteam's run_callbacks, the SDK's
// SteamGameServer_RunCallbacks). Call it once per tick. fn may call the
// server's methods. Before Init it does nothing.
func (s *Server) RunCallbacks(fn func(Callback)) {
	if s.conn == nil {
		return
	}
	if fn == nil {
		fn = func(Callback) {}
	}
	s.conn.RunCallbacks(fn)
}

// ReleaseThreadMemory frees the per-thread memory that Steam keeps for the
// calling thread (the SDK's SteamAPI_ReleaseCurrentThreadMemory). Only
// threads other than the main one need it.
func (s *Server) ReleaseThreadMemory() {
	if s.conn != nil {
		s.conn.ReleaseThreadMemory()
	}
}

// notInit returns the error of a call on a server that is not running.
func (s *Server) notInit(method string) error {
	return newError(ErrNotInitialized, "%s called on a server that is not running; call Init first", method)
}

// LoggedOn reports whether the server is logged on to Steam (ISteamGameServer::BLoggedOn,
// GodotSteam's loggedOn).
func (s *Server) LoggedOn() bool { return s.conn != nil && s.conn.LoggedOn() }

// Secure reports whether the server is in secure (VAC) mode (ISteamGameServer::BSecure,
// GodotSteam's secure).
func (s *Server) Secure() bool { return s.conn != nil && s.conn.Secure() }

// SteamID returns the server's Steam ID (ISteamGameServer::GetSteamID,
// GodotSteam's getSteamID), zero until
// the server is logged on.
func (s *Server) SteamID() SteamID {
	if s.conn == nil {
		return 0
	}
	return s.conn.SteamID()
}

// WasRestartRequested reports whether Steam asked the server to restart
// because it is out of date (ISteamGameServer::WasRestartRequested,
// GodotSteam's wasRestartRequested). It returns true
// once per request.
func (s *Server) WasRestartRequested() bool {
	return s.conn != nil && s.conn.WasRestartRequested()
}

// PublicIP returns the server's public IP address as Steam sees it (ISteamGameServer::GetPublicIP,
// GodotSteam's getPublicIP), or the zero Addr when Steam does not know it.
func (s *Server) PublicIP() netip.Addr {
	if s.conn == nil {
		return netip.Addr{}
	}
	return s.conn.PublicIP()
}

// Conn returns the back end's connection of a running server, or nil, for
// features of one back end, such as query statistics of steamgs/local:
//
//	if ls, ok := srv.Conn().(*local.Server); ok { stats := ls.QueryStats() }
//
// Calls made through it bypass Server's checks and bookkeeping.
func (s *Server) Conn() Conn { return s.conn }
