// Package local is the embedded Steam: a back end of steamgs that needs no
// Steam at all, for development, LAN play and deterministic tests. It is the
// default back end.
//
// # The universe
//
// A [Universe] is one emulated Steam. It holds accounts (users with
// licences for apps and DLC, VAC and publisher bans, group membership and
// officer rank, and whom they recommend against), Steam groups, game server
// log-on tokens (valid, expired or banned), the gameplay records and
// reputation of game server accounts, a signing key and a [Clock]. It
// implements [steamgs.Backend]: steamgs.NewServer(universe) makes a game
// server, and any number may run on one universe, each independent of the
// others. Nothing is kept at package level: two universes never share
// anything but, when they are given the same key, the ability to check each
// other's tickets.
//
// Servers behave as Steam game servers do. Log-on is asynchronous: LogOn and
// LogOnAnonymous are answered by ServerConnected and PolicyResponse, or by
// ServerConnectFailure, after the universe's latency. Every answer, verdict
// and call result is queued with the time it falls due (the clock's time
// plus the latency) and delivered, in order, only by RunCallbacks on the
// caller's goroutine; state that a callback reports (LoggedOn, SteamID,
// Secure, the A2S player list) changes as it is delivered. With a
// [ManualClock] a test steps through log-on, retries and ticket expiry
// without sleeping.
//
// # Tickets
//
// A client gets an auth ticket from [Universe.GetAuthSessionTicket], as a
// Steam client does with ISteamUser::GetAuthSessionTicket, and sends it to
// the server, which passes it to BeginAuthSession. A ticket carries the user,
// the app, its issue and expiry times, a handle, the identity of the server
// it was made for, and the universe's claims about the user (licences, VAC
// and publisher bans), all signed with the universe's ed25519 key; the
// binary format is documented at [TicketVersion] and read by [ParseTicket].
// BeginAuthSession verifies the signature once and answers synchronously for
// what the ticket itself shows (malformed or tampered, duplicate session,
// other app, expired); the rest of the verdict (identity, cancellation,
// reuse, bans, licence) comes as a ValidateAuthTicketResponse, and later
// changes to the session (a ban, a log-in elsewhere, the ticket cancelled)
// come as further ones.
//
// Because tickets carry signed claims, two processes that open a universe
// with the same key (see [KeyFromPassphrase]) accept each other's tickets: a
// universe takes a user it has no account for at the ticket's word. A
// token's game server Steam ID is derived from the key and the token, and a
// user's from the key and the name, so they agree across processes too.
// Reuse is tracked by each universe value for the tickets its own servers
// see. A cancel reaches every server of the universe value that made the
// ticket at once; a server in another process learns of it only when the
// client sends it the signed notice [Universe.CancelNotice] returns and the
// server's universe takes it ([Universe.ApplyCancelNotice]). A process that
// is never given the notice cannot know, and takes the ticket until it
// expires.
//
// A ticket made for an address (steamgs.Identity{Addr: ...}) is taken only by
// a server on that address and game port: see [Server.Addrs] for the
// addresses a server counts as its own, including when it is bound to every
// interface.
//
// A game server's own ticket (from its GetAuthSessionTicket) is taken by
// another logged-on server, for server-to-server auth: BeginAuthSession with
// the first server's Steam ID answers AuthOK, with no licence or ban to
// check. That is this back end's choice; what the real Steam answers for a
// game server's ticket is not documented.
//
// # Faults
//
// A universe injects the failures a real Steam has, universe-wide, from any
// goroutine: [Universe.DropConnection] (disconnect, retries, reconnect),
// [Universe.RefuseLogOn], [Universe.SetLatency], [Universe.RequestRestart],
// [Universe.BanUser] and [Universe.LogInElsewhere] (which end sessions
// mid-game), and [Universe.CancelAuthTicket] on the client's side.
//
// # Server queries
//
// Each server answers Valve's server queries (A2S_INFO, A2S_PLAYER,
// A2S_RULES) with a steamgs/query Responder kept up to date from its
// settings, log-on state and players, while advertising is on. It binds its
// own UDP query port, or in GameSocketShare mode (query port
// steamgs.QueryPortShared) takes packets through HandleIncomingPacket and
// hands replies out through GetNextOutgoingPacket.
package local
