// Package steamworks is the steamgs back end for the real Steam: it loads
// Valve's redistributable libsteam_api at run time and calls its flat C API
// through github.com/ebitengine/purego, so games and dedicated servers build
// with CGO_ENABLED=0 and need no C toolchain.
//
//	lib, err := steamworks.Open("") // search the usual places
//	srv := steamgs.NewServer(lib)
//	err = srv.Init(steamgs.Config{GamePort: 27015, QueryPort: 27016,
//		Mode: steamgs.ModeAuthentication, Version: "1.0.0.0", AppID: 480})
//
// [Open] loads the library and resolves every function a game server calls
// before it returns: a library that lacks one (one older than Steamworks SDK
// 1.61) is refused with an error naming the file and the symbol, never a
// crash later. Init goes through SteamInternal_GameServer_Init_V2 with the
// interface versions of the SDK the library comes from; a refusal is a
// *steamgs.InitError carrying Steam's result and message. Callbacks and call
// results are pumped by manual dispatch on the game server's own pipe and
// decoded field by field from the SDK's struct layouts (packed 4 on Linux
// and macOS, 8 on Windows), so RunCallbacks delivers every steamgs callback,
// including ValidateAuthTicketResponse, ClientAchievementStatus and the
// results of AssociateWithClan, ComputeNewPlayerCompatibility and
// GetServerReputation.
//
// # The Conn
//
// The steamgs.Conn that a Library opens calls one flat C function per
// steamgs call, with its strings and out parameters in buffers it reuses,
// so a call allocates nothing beyond purego's own. Apply calls the setter
// of each changed setting in the order of the steamgs.Field constants, and
// sends key/values as the difference from what it last sent: SetKeyValue
// for new or changed pairs, or, when a key was removed, ClearAllKeyValues
// and every pair left. Status calls BLoggedOn, BSecure, GetSteamID,
// GetPublicIP and WasRestartRequested, counting restart requests so that
// none is lost whichever caller polls. The Conn also implements
// steamgs.PacketConn (GameSocketShare mode) and steamgs.UserConnectConn
// (the SDK's deprecated user-connect flow); steamgs.Server.Raw reaches it.
//
// # Callbacks that are not delivered
//
// The real Steam also sends the game server's pipe callbacks of interfaces
// this package does not bind; those, and any callback or call result whose
// payload does not decode, are never lost without a trace: the
// steamgs.Conn that a Library opens implements steamgs.CallbackDropCounter,
// counting them by ID (at most [MaxDropIDs] IDs one by one, the rest
// together under [steamgs.CallbackDropOther]), and the first drop of each ID and kind
// is logged at level WARN on Options.Logger (slog.Default() when nil).
// Counting allocates nothing.
//
// # One server per process
//
// libsteam_api keeps its game server in process-wide state. This package
// mirrors that with its one piece of package-level state, a process-wide
// guard: while a server of any [Library] runs, another Init fails with an
// error matching steamgs.ErrInUse. After Shutdown the process may start
// another. A Library is never unloaded.
//
// # Where the library is found
//
// [Locate], which Open("") uses, honours the environment variable
// STEAM_API_LIB (the file, or a directory holding it) and otherwise looks
// next to the executable and then in the working directory, for
// libsteam_api.so or libsteam_api64.so on Linux, libsteam_api.dylib on macOS
// and steam_api64.dll on Windows. Only 64-bit libraries are supported.
//
// # Shipping on Steam
//
// Copy the library of the Steamworks SDK's redistributable_bin folder for
// each platform (linux64/libsteam_api.so, osx/libsteam_api.dylib,
// win64/steam_api64.dll) next to the game's executable in its depot; it is
// Valve's to redistribute with the game, never part of this module.
//
// The app ID reaches libsteam_api through the environment variables
// SteamAppId and SteamGameId, which Init sets from Config.AppID when it is
// not zero, or through a steam_appid.txt file in the working directory
// holding the ID. A game started by the Steam client needs neither; a
// dedicated server started on its own does.
//
// libsteam_api talks to Steam through steamclient, which comes with the
// Steam client or, for dedicated servers, with the "Steamworks SDK Redist"
// (installed with SteamCMD). On Linux it is loaded from
// ~/.steam/sdk64/steamclient.so; without it Init fails with FailedGeneric
// and "Failed to load module '.../steamclient.so'".
//
// A persistent game server logs on with a game server log-on token (GSLT)
// created for the game's app ID on Steam's game server account management
// page (https://steamcommunity.com/dev/managegameservers) and passed to
// Server.LogOn; one token per running server. LogOnAnonymous needs none but
// gets a fresh Steam ID at every log-on.
//
// # Testing without Steam
//
// A stand-in for libsteam_api (a test double with the same symbols) is
// loaded with [OpenWith] and Options.Offline, which declares that its
// servers never reach Steam; steamgs/local is the embedded Steam for
// everything else.
package steamworks
