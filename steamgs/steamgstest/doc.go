// Package steamgstest is the conformance suite of steamgs back ends: every
// implementation of [steamgs.Backend] runs it from a test of its own and
// must pass it, as file systems run testing/fstest and handlers
// log/slog/slogtest.
//
//	func TestConformance(t *testing.T) {
//		steamgstest.Run(t, steamgstest.Harness{New: newBackEnd})
//	}
//
// The suite drives a back end through [steamgs.Server] only, as a game does,
// and checks what every back end must do the same way: the rules of Server
// over a real back end, the lifecycle, the shape of every callback, log-on,
// and the answers of the auth session table.
//
// # What a back end supplies
//
// [Harness.New] opens a fresh back end for each case. A back end whose
// Capabilities report SteamConnection also returns a [Steam]: the powers the
// suite needs to build situations on the Steam behind it (users with and
// without licences, banned users, groups, log-on tokens, tickets made for
// any app and identity and cancelled at will) and a clock the suite
// advances. The suite never sleeps: it waits for a callback by running
// RunCallbacks for at most Harness.Rounds rounds, advancing Steam's clock by
// Harness.Step between rounds, so Rounds×Step must exceed every delay the
// back end adds (its latency).
//
// # Cases by capability
//
// Run creates a subtest "Group/Case" for each case that applies to the back
// end's [steamgs.Capabilities]; cases that do not apply are not created (no
// case is skipped). [Cases] lists them.
//
// Every back end runs:
//   - Rules: each argument rule of Server, through the back end: usable byte
//     limits (server name 63, map 31, mod dir 31, description 63, tags 127,
//     game data 2047, spectator name 31, and the others), with errors that
//     match steamgs's sentinels and name the value and the limit; empty
//     values and NUL bytes; settings fixed at log-on (ErrAfterLogOn) and
//     required before it (ErrRequired); counts, modes, account types of
//     Steam IDs, IPv4 addresses (mapped ones unmapped, IPv6 refused), ticket
//     and packet buffer sizes, identities and the key/value budget of one
//     A2S_RULES reply. A refused value never changes a setting.
//   - Lifecycle: every method before Init and after Shutdown answers
//     ErrNotInitialized or its zero value; a second Init is refused with
//     ErrAlreadyInitialized; Init works again after Shutdown; a server that
//     never logged on is not logged on, not secure and has no Steam ID;
//     QueryPortShared is reported as such.
//   - Callbacks: callbacks arrive only inside RunCallbacks, on its caller's
//     goroutine, as steamgs's callback values (never pointers or types of the
//     back end's own) whose fields are well formed; RunCallbacks(nil) is
//     safe; a server that is shut down delivers nothing.
//
// A back end without SteamConnection also runs LogOn/NoConnection: after
// LogOnAnonymous or LogOn, in Harness.Rounds rounds of RunCallbacks no
// ServerConnected arrives (a ServerConnectFailure may, with a result other
// than OK), LoggedOn stays false and Shutdown succeeds. A back end with
// SteamConnection runs instead, with its Steam:
//   - LogOn: ServerConnected and PolicyResponse answer a log-on on a later
//     RunCallbacks; the Steam ID is a valid anonymous game server [A:1:N:I]
//     (LogOnAnonymous) or the token's persistent game server [G:1:N], the
//     same for every log-on with the token; an unknown token gets a
//     ServerConnectFailure; PolicyResponse and Secure say secure exactly in
//     ModeAuthenticationAndSecure; LogOff is answered by ServerDisconnected.
//   - Auth: BeginAuthSession answers and ValidateAuthTicketResponse
//     verdicts: OK; tampered, garbage or another user's ticket → InvalidTicket
//     (or InvalidVersion, or OK then AuthTicketInvalid); a second session of
//     a user → DuplicateRequest; another app → GameMismatch; expired →
//     ExpiredTicket; cancelled → AuthTicketCanceled, before or during the
//     session; a ticket presented again → AuthTicketInvalidAlreadyUsed;
//     VAC-banned → AuthVACBanned on secure servers only (at the start or
//     when banned during a session); no licence → AuthNoLicenseOrExpired;
//     publisher ban → AuthPublisherIssuedBan; made for another identity than
//     the server's Steam ID or its public IP and game port →
//     AuthTicketNetworkIdentityFailure. UserHasLicenseForApp answers NoAuth
//     outside a session; UpdateUserData is false for users who are not
//     active players; a session ended before its verdict gets none; the
//     server's own tickets are answered by GetAuthSessionTicketResponse; the
//     deprecated SendUserConnectAndAuthenticate approves and denies.
//   - Calls: ClientGroupStatus, AssociateClan and PlayerCompat answer their
//     calls, the call results carrying the APICall the call returned.
//   - Lifecycle/ShutdownDropsCallbacks and Callbacks/Reentrant,
//     Callbacks/ShutdownInCallback: pending callbacks are dropped by
//     Shutdown, and the function RunCallbacks calls may call the server,
//     even Shutdown.
//
// A back end that runs one server at a time (no MultipleServers) must refuse
// a second with an error matching ErrInUse; one with MultipleServers runs
// servers side by side, independently. A back end with Queries answers
// A2S_INFO, A2S_PLAYER and A2S_RULES from the server's settings, on its own
// query port (bound on 127.0.0.1) and in GameSocketShare mode, and only
// while the server advertises itself.
package steamgstest
