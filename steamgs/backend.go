package steamgs

import "net/netip"

// AppID is a Steam application ID.
type AppID uint32

// QueryPortShared is the query port that tells Steam to share the game's
// socket (the SDK's STEAMGAMESERVER_QUERY_PORT_SHARED, GameSocketShare mode):
// the game passes Steam's packets to HandleIncomingPacket and sends what
// GetNextOutgoingPacket returns.
const QueryPortShared uint16 = 0xFFFF

// Config is what [Server.Init] takes (the arguments of the SDK's
// SteamGameServer_Init).
type Config struct {
	// IP is the IPv4 address to bind; the zero value binds every interface.
	// IPv4-mapped IPv6 addresses are unmapped; other IPv6 addresses are refused.
	IP netip.Addr
	// GamePort is the port clients connect to; Steam advertises it.
	GamePort uint16
	// QueryPort is the UDP port for server queries (A2S). Zero binds an
	// ephemeral port that [Server.QueryPort] reports; QueryPortShared shares
	// the game socket.
	QueryPort uint16
	// Mode is the authentication mode; the zero value ModeInvalid is refused.
	Mode ServerMode
	// Version is the server's version string, usually "x.x.x.x"; the master
	// server uses it to tell when a server is out of date. Not empty.
	Version string
	// AppID is the game's Steam app ID. Zero leaves it to the back end's
	// environment (steam_appid.txt or SteamAppId for libsteam_api).
	AppID AppID
}

// Identity is the remote party an auth ticket is made for (the SDK's
// SteamNetworkingIdentity). At most one field is set; the zero value is "no
// identity", and a ticket made for no identity is accepted by anyone.
type Identity struct {
	SteamID SteamID        // a Steam account
	Addr    netip.AddrPort // an IP address and port
	Generic string         // an application-defined string, at most 31 bytes
}

// IsZero reports whether no field of id is set.
func (id Identity) IsZero() bool {
	return id.SteamID == 0 && !id.Addr.IsValid() && id.Generic == ""
}

// Capabilities describes what a back end can do, so that callers (and the
// conformance suite in steamgs/steamgstest) know what to expect of it.
type Capabilities struct {
	// SteamConnection: log-on, auth sessions and call results complete,
	// against an embedded or the real Steam. Without it, log-on fails with
	// ServerConnectFailure and BeginAuthSession answers no session.
	SteamConnection bool
	// MultipleServers: more than one server may run at once in one process.
	MultipleServers bool
	// Queries: the back end answers A2S server queries itself, on its query
	// port or through HandleIncomingPacket in GameSocketShare mode.
	Queries bool
}

// Backend opens game servers. steamgs/local and steamgs/steamworks implement
// it; games use it only through [NewServer]. Like a database/sql driver, a
// Backend is called by [Server] after every argument has been checked, so an
// implementation may assume valid input: non-empty strings within the SDK's
// limits and without NUL bytes, Steam IDs of the right account type, IPv4
// addresses and counts in range.
type Backend interface {
	// Open initializes one game server. It returns an error matching
	// ErrInUse when the back end can run only one, and an *InitError when
	// Steam refused to initialize.
	Open(cfg Config) (Conn, error)
	// Capabilities reports what servers of this back end can do.
	Capabilities() Capabilities
}

// Conn is one initialized game server of a [Backend]. Its methods mirror the
// SDK's ISteamGameServer; see the [Server] method of the same name. A Conn is
// used from one goroutine at a time and never calls into the game on a
// goroutine of its own: callbacks are handed over in RunCallbacks.
type Conn interface {
	// Shutdown ends the server; the Conn is not used afterwards.
	Shutdown() error
	// RunCallbacks calls emit, on the caller's goroutine, for each callback
	// that is due, in order.
	RunCallbacks(emit func(Callback))
	// ReleaseThreadMemory frees per-thread memory of the calling thread.
	ReleaseThreadMemory()
	// QueryPort returns the bound query port, or QueryPortShared.
	QueryPort() uint16

	SetProduct(product string)
	SetGameDescription(description string)
	SetModDir(dir string)
	SetDedicatedServer(dedicated bool)
	LogOn(token string)
	LogOnAnonymous()
	LogOff()
	LoggedOn() bool
	Secure() bool
	SteamID() SteamID
	WasRestartRequested() bool
	SetMaxPlayerCount(n int)
	SetBotPlayerCount(n int)
	SetServerName(name string)
	SetMapName(name string)
	SetPasswordProtected(protected bool)
	SetSpectatorPort(port uint16)
	SetSpectatorServerName(name string)
	ClearAllKeyValues()
	SetKeyValue(key, value string)
	SetGameTags(tags string)
	SetGameData(data string)
	SetRegion(region string)
	SetAdvertiseServerActive(active bool)

	// GetAuthSessionTicket writes a ticket into buf and returns its handle
	// and length; handle 0 means failure.
	GetAuthSessionTicket(buf []byte, forID Identity) (AuthTicket, int)
	BeginAuthSession(ticket []byte, user SteamID) BeginAuthSessionResult
	EndAuthSession(user SteamID)
	CancelAuthTicket(ticket AuthTicket)
	UserHasLicenseForApp(user SteamID, app AppID) LicenseResult
	RequestUserGroupStatus(user, group SteamID) bool
	GetGameplayStats()
	GetServerReputation() APICall
	AssociateWithClan(clan SteamID) APICall
	ComputeNewPlayerCompatibility(user SteamID) APICall
	PublicIP() netip.Addr

	// HandleIncomingPacket takes one datagram that starts FF FF FF FF, from
	// an IPv4 address.
	HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool
	// GetNextOutgoingPacket copies the next queued datagram into buf and
	// returns its length and destination; 0 when none is queued.
	GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort)

	SendUserConnectAndAuthenticate(clientIP netip.Addr, ticket []byte) (SteamID, bool)
	CreateUnauthenticatedUserConnection() SteamID
	SendUserDisconnect(user SteamID)
	UpdateUserData(user SteamID, name string, score uint32) bool
}
