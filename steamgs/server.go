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
// [Server.RunCallbacks]. In GameSocketShare mode a socket goroutine may call
// it too, to answer Steam's datagrams as they arrive ([Server.HandleIncomingPacket],
// then [Server.GetNextOutgoingPacket] until it returns 0), provided one lock
// serializes every call of both goroutines, held for the call only and not
// while the game sends or reads; package ecs's plugin holds such a lock. As
// libsteam_api keeps state per thread, a goroutine other than the game's
// that calls the server stays on one OS thread (runtime.LockOSThread) and
// calls [Server.ReleaseThreadMemory] before it ends.
type Server struct {
	backend Backend
	conn    Conn
	cfg     Config
	caps    Capabilities
	packets PacketConn      // nil when the back end has no shared socket
	legacy  UserConnectConn // nil when it has no user-connect flow

	// logOnCalled is set by LogOn and LogOnAnonymous and cleared by LogOff:
	// the settings the SDK fixes at log-on are refused while it is set.
	logOnCalled bool
	settings    Settings
	// kvBytes is the size the key/values take in an A2S_RULES reply.
	kvBytes int
	// restarts is the count of restart requests WasRestartRequested has
	// reported.
	restarts uint64
	// inits counts the Inits that succeeded.
	inits uint64
}

// NewServer returns a server over the back end b, not yet initialized.
func NewServer(b Backend) *Server {
	return &Server{backend: b}
}

// Init initializes the server (GodotSteam's serverInit and serverInitEx, the
// SDK's SteamGameServer_InitEx): it checks cfg, opens a server on the back
// end and binds the query port, then applies the settings cfg carries. A
// failure of the back end is an *InitError carrying the SDK's result and
// Steam's message. Init on a running server returns an error matching
// ErrAlreadyInitialized.
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
	initial, fields := cfg.settings()
	if _, err := checkSettings(&initial, fields); err != nil {
		return err
	}
	conn, err := s.backend.Open(cfg)
	if err != nil {
		return err
	}
	s.conn, s.cfg = conn, cfg
	s.inits++
	s.packets, _ = conn.(PacketConn)
	s.legacy, _ = conn.(UserConnectConn)
	s.caps = s.backend.Capabilities()
	s.caps.SharedSocket, s.caps.UserConnect = s.packets != nil, s.legacy != nil
	s.logOnCalled, s.kvBytes, s.restarts = false, 0, 0
	s.settings = Settings{}
	if fields != 0 {
		s.settings = initial
		conn.Apply(&s.settings, fields)
	}
	return nil
}

// settings returns the settings cfg carries and which fields they are.
func (cfg *Config) settings() (Settings, Field) {
	st := Settings{Product: cfg.Product, GameDescription: cfg.GameDescription, ModDir: cfg.ModDir, Dedicated: cfg.Dedicated}
	var f Field
	if cfg.Product != "" {
		f |= FieldProduct
	}
	if cfg.GameDescription != "" {
		f |= FieldGameDescription
	}
	if cfg.ModDir != "" {
		f |= FieldModDir
	}
	if cfg.Dedicated {
		f |= FieldDedicated
	}
	return st, f
}

// Shutdown ends the server (the SDK's SteamGameServer_Shutdown); pending
// callbacks are dropped. Shutdown of a server that is not running returns an
// error matching ErrNotInitialized.
func (s *Server) Shutdown() error {
	if s.conn == nil {
		return s.notInit("Shutdown")
	}
	err := s.conn.Close()
	s.conn, s.packets, s.legacy = nil, nil, nil
	s.logOnCalled = false
	return err
}

// Running reports whether the server is initialized and not shut down.
func (s *Server) Running() bool { return s.conn != nil }

// Inits returns how many times Init succeeded on s. It tells a watcher,
// such as the ECS systems, that the server was shut down and initialized
// again between two looks, when Running alone would not: each Init starts
// a server that knows no auth session and is not logged on.
func (s *Server) Inits() uint64 { return s.inits }

// Config returns the configuration the server was initialized with, IP
// unmapped, or the zero Config when it is not running.
func (s *Server) Config() Config {
	if s.conn == nil {
		return Config{}
	}
	return s.cfg
}

// Capabilities reports what the server's back end can do: what the Backend
// declares and, while the server runs, the optional interfaces its Conn
// implements.
func (s *Server) Capabilities() Capabilities {
	if s.conn != nil {
		return s.caps
	}
	if s.backend == nil {
		return Capabilities{}
	}
	c := s.backend.Capabilities()
	c.SharedSocket, c.UserConnect = false, false // known only once a Conn is open
	return c
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
// threads other than the one that runs callbacks need it: a socket goroutine
// locked to its thread calls it before it ends.
func (s *Server) ReleaseThreadMemory() {
	if s.conn != nil {
		s.conn.ReleaseThreadMemory()
	}
}

// Raw calls f with the back end's connection of the running server, as
// database/sql's Conn.Raw does, for what only one back end offers, such as
// the query statistics of steamgs/local:
//
//	err := srv.Raw(func(c any) error {
//		stats = c.(*local.Server).QueryStats()
//		return nil
//	})
//
// Calls made through it bypass Server's checks and bookkeeping; f must not
// keep the connection. Raw returns f's error, or one matching
// ErrNotInitialized when the server is not running.
func (s *Server) Raw(f func(conn any) error) error {
	if s.conn == nil {
		return s.notInit("Raw")
	}
	return f(s.conn)
}

// notInit returns the error of a call on a server that is not running.
func (s *Server) notInit(method string) error {
	return newError(ErrNotInitialized, "%s called on a server that is not running; call Init first", method)
}

// status returns the back end's status, or the zero Status when the server
// is not running.
func (s *Server) status() Status {
	if s.conn == nil {
		return Status{}
	}
	return s.conn.Status()
}

// QueryPort returns the query port the server bound (the one chosen when
// Config.QueryPort was 0), QueryPortShared in GameSocketShare mode, or 0 when
// the server is not running.
func (s *Server) QueryPort() uint16 { return s.status().QueryPort }

// LoggedOn reports whether the server is logged on to Steam
// (ISteamGameServer::BLoggedOn, GodotSteam's loggedOn).
func (s *Server) LoggedOn() bool { return s.status().LoggedOn }

// Secure reports whether the server is in secure (VAC) mode
// (ISteamGameServer::BSecure, GodotSteam's secure).
func (s *Server) Secure() bool { return s.status().Secure }

// SteamID returns the server's Steam ID (ISteamGameServer::GetSteamID,
// GodotSteam's getSteamID), zero until the server is logged on.
func (s *Server) SteamID() SteamID { return s.status().SteamID }

// PublicIP returns the server's public IP address as Steam sees it
// (ISteamGameServer::GetPublicIP, GodotSteam's getPublicIP), or the zero
// Addr when Steam does not know it.
func (s *Server) PublicIP() netip.Addr { return s.status().PublicIP }

// WasRestartRequested reports whether Steam asked the server to restart
// because it is out of date (ISteamGameServer::WasRestartRequested,
// GodotSteam's wasRestartRequested). It returns true once per request: two
// requests since the last call are reported by two calls.
func (s *Server) WasRestartRequested() bool {
	if s.conn == nil {
		return false
	}
	if n := s.conn.Status().Restarts; n > s.restarts {
		s.restarts++
		return true
	}
	return false
}
