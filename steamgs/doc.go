// Package steamgs is the Steam game server API (Valve's ISteamGameServer) for Go.
//
// A game creates a [Server] over a [Backend], initializes it, logs it on to
// Steam, authenticates its players and keeps the server browser informed:
//
//	srv := steamgs.NewServer(universe) // any Backend: steamgs/local or steamgs/steamworks
//	err := srv.Init(steamgs.Config{GamePort: 27015, QueryPort: 27016,
//		Mode: steamgs.ModeAuthentication, Version: "1.0.0", AppID: 480})
//	defer srv.Shutdown()
//
// Every function of ISteamGameServer is a method of [Server] with the SDK's
// name in Go's form (SetServerName, BeginAuthSession, ...); each doc comment
// names the function it implements. Server checks every argument the same way
// for every back end: strings longer than the SDK's buffers, empty values the
// SDK forbids, settings that may only change before log-on, counts and ports
// out of range and Steam IDs of the wrong account type are refused with an
// error that names the value and the limit and matches one of the exported
// sentinels with [errors.Is].
//
// Steam answers asynchronously. Its answers are typed values that implement
// [Callback] ([ServerConnected], [ValidateAuthTicketResponse], [ClientKick],
// ...). They are delivered only by [Server.RunCallbacks], on the goroutine that
// calls it, which a game does once per tick.
//
// Back ends: steamgs/local is an embedded Steam that needs no Steam at all
// (accounts, signed tickets, licences, groups, faults and a steppable clock);
// steamgs/steamworks loads Valve's libsteam_api at run time. The relation
// between Server and Backend is that of database/sql and its drivers.
package steamgs
