package steamgs

import "net/netip"

// AppID is a Steam application ID.
type AppID uint32

// QueryPortShared is the query port that tells Steam to share the game's
// socket (the SDK's STEAMGAMESERVER_QUERY_PORT_SHARED, GameSocketShare mode):
// the game passes Steam's packets to HandleIncomingPacket and sends what
// GetNextOutgoingPacket returns.
const QueryPortShared uint16 = 0xFFFF

// Config is what [Server.Init] takes: the arguments of the SDK's
// SteamGameServer_Init and, optionally, the settings every server sets
// before log-on, so that a game that fills them in here never meets an
// ErrRequired.
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

	// Product, GameDescription, ModDir and Dedicated, when set, are applied
	// by Init as SetProduct, SetGameDescription, SetModDir and
	// SetDedicatedServer would, with the same rules.
	Product, GameDescription, ModDir string
	Dedicated                        bool
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
// conformance suite in steamgs/steamgstest) know what to expect of it. The
// first four are declared by the [Backend]; the others are found from the
// optional interfaces its [Conn] implements.
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
	// ThreadMemory: the back end keeps memory for each OS thread that calls
	// it, as libsteam_api does. A goroutine besides the game's that calls
	// the server, such as a socket goroutine answering Steam's datagrams,
	// then stays on one OS thread (runtime.LockOSThread) and calls
	// ReleaseThreadMemory before it ends. Without it, such a goroutine need
	// not lock its thread, which would only slow its wake-ups.
	ThreadMemory bool

	// SharedSocket: the Conn implements [PacketConn].
	SharedSocket bool
	// UserConnect: the Conn implements [UserConnectConn].
	UserConnect bool
}

// Backend opens game servers. steamgs/local and steamgs/steamworks implement
// it; games use it only through [NewServer].
type Backend interface {
	// Open initializes one game server. It returns an error matching
	// ErrInUse when the back end can run only one, and an *InitError when
	// Steam refused to initialize. cfg has been checked.
	Open(cfg Config) (Conn, error)
	// Capabilities reports what servers of this back end can do that no
	// type assertion on a Conn can show: SteamConnection, MultipleServers,
	// Queries and ThreadMemory.
	Capabilities() Capabilities
}

// Conn is one initialized game server of a [Backend], in the shape of
// database/sql/driver: the few calls every back end implements, with the
// optional powers ([PacketConn], [UserConnectConn], [CallbackDropCounter])
// as separate interfaces found by type assertion. [Server] calls a Conn only
// after checking every argument: strings within the SDK's limits and
// without NUL bytes, Steam IDs of the right account type, IPv4 addresses
// and counts in range, settings fixed at log-on applied only before it. A
// Conn is used from one goroutine at a time and never calls into the game on
// a goroutine of its own: callbacks are handed over in RunCallbacks.
// [steamgstest.NopConn] is an embeddable Conn that does nothing.
type Conn interface {
	// Close ends the server (SteamGameServer_Shutdown); the Conn is not
	// used afterwards.
	Close() error
	// RunCallbacks calls emit, on the caller's goroutine, for each callback
	// that is due, in order (SteamGameServer_RunCallbacks).
	RunCallbacks(emit func(Callback))
	// ReleaseThreadMemory frees per-thread memory of the calling thread
	// (SteamAPI_ReleaseCurrentThreadMemory).
	ReleaseThreadMemory()
	// Apply hands the back end the server's settings; changed says which
	// fields may differ from what it was last given (the zero Settings
	// before the first Apply). s is read-only and valid only during the
	// call. A change of FieldKeyValues means the whole set is s.KeyValues.
	Apply(s *Settings, changed Field)
	// LogOn begins logging on with a game server log-on token, or
	// anonymously when token is empty (ISteamGameServer::LogOn,
	// LogOnAnonymous).
	LogOn(token string)
	// LogOff begins logging off (ISteamGameServer::LogOff).
	LogOff()
	// Status reports the server's state as Steam sees it now.
	Status() Status
	// GetAuthSessionTicket writes a ticket into buf and returns its handle
	// and length; handle 0 means failure.
	GetAuthSessionTicket(buf []byte, forID Identity) (AuthTicket, int)
	// CancelAuthTicket cancels a ticket GetAuthSessionTicket made.
	CancelAuthTicket(ticket AuthTicket)
	// BeginAuthSession starts checking the ticket user sent.
	BeginAuthSession(ticket []byte, user SteamID) BeginAuthSessionResult
	// EndAuthSession ends the session (or unauthenticated connection) of user.
	EndAuthSession(user SteamID)
	// UserHasLicenseForApp reports whether user, with a session, owns app.
	UserHasLicenseForApp(user SteamID, app AppID) LicenseResult
	// UpdateUserData sets the name and score shown for an active player.
	UpdateUserData(user SteamID, name string, score uint32) bool
	// CreateUnauthenticatedUserConnection registers a player Steam does not
	// check, such as a bot, and returns its Steam ID.
	CreateUnauthenticatedUserConnection() SteamID
	// Request asks Steam something that it answers with a callback: the
	// APICall the answer will carry for call results, and false when the
	// request could not be made.
	Request(r Request) (APICall, bool)
}

// Status is what [Conn.Status] reports.
type Status struct {
	LoggedOn bool       // ISteamGameServer::BLoggedOn
	Secure   bool       // ISteamGameServer::BSecure
	SteamID  SteamID    // ISteamGameServer::GetSteamID; zero before log-on
	PublicIP netip.Addr // ISteamGameServer::GetPublicIP; zero when unknown
	// QueryPort is the bound query port, or QueryPortShared.
	QueryPort uint16
	// Restarts counts the restart requests Steam made since the Conn was
	// opened (ISteamGameServer::WasRestartRequested): it never goes down,
	// so a request is neither lost nor reported twice whoever reads Status.
	Restarts uint64
}

// RequestKind names what a [Request] asks.
type RequestKind uint8

// Request kinds. The first three answer with a call result that carries the
// returned APICall; the last two give no call handle and answer with their
// callbacks.
const (
	// RequestAssociateWithClan: ISteamGameServer::AssociateWithClan(Group);
	// the answer is an AssociateClan.
	RequestAssociateWithClan RequestKind = iota + 1
	// RequestPlayerCompatibility:
	// ISteamGameServer::ComputeNewPlayerCompatibility(User); the answer is a
	// PlayerCompat.
	RequestPlayerCompatibility
	// RequestServerReputation: ISteamGameServer::GetServerReputation; the
	// answer is a ServerReputation.
	RequestServerReputation
	// RequestUserGroupStatus: ISteamGameServer::RequestUserGroupStatus(User,
	// Group); false when the server cannot ask; the answer is a
	// ClientGroupStatus.
	RequestUserGroupStatus
	// RequestGameplayStats: ISteamGameServer::GetGameplayStats; the answer
	// is a GameplayStats.
	RequestGameplayStats
)

// Request is one question of [Conn.Request].
type Request struct {
	Kind  RequestKind
	User  SteamID // the user of RequestPlayerCompatibility and RequestUserGroupStatus
	Group SteamID // the clan of RequestAssociateWithClan and RequestUserGroupStatus
}

// PacketConn is the optional interface of a Conn that takes Steam's packets
// from a game socket it shares (GameSocketShare mode).
type PacketConn interface {
	// HandleIncomingPacket takes one datagram that starts FF FF FF FF, from
	// an IPv4 address.
	HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool
	// GetNextOutgoingPacket copies the next queued datagram into buf and
	// returns its length and destination; 0 when none is queued.
	GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort)
}

// UserConnectConn is the optional interface of a Conn that keeps the SDK's
// deprecated user-connect flow (SendUserConnectAndAuthenticate_DEPRECATED,
// SendUserDisconnect_DEPRECATED).
type UserConnectConn interface {
	SendUserConnectAndAuthenticate(clientIP netip.Addr, ticket []byte) (SteamID, bool)
	SendUserDisconnect(user SteamID)
}
