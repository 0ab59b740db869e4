// Package systems holds the donburi systems that connect a world to a Steam
// game server (*steamgs.Server), one per concern, run once per tick in this
// order:
//
//  1. ReadPackets: datagrams starting FF FF FF FF that the game's socket
//     goroutine queued in an [Inbox], if it uses one, go to
//     HandleIncomingPacket (a game that answers them on arrival with
//     [Systems.HandlePacket] queues none);
//  2. RunCallbacks: Steam's callbacks update the status and player
//     components and are published as typed donburi events ([Events]);
//     WasRestartRequested is polled;
//  3. the game's own systems (which ask [Systems.CheckJoin] before they
//     admit a player);
//  4. Authenticate: arrived players get BeginAuthSession and wait in the
//     pending table, taking no player slot, until Steam's verdict (bots
//     get CreateUnauthenticatedUserConnection and are approved); removed,
//     rejected and too-long-pending ones get EndAuthSession;
//  5. SyncScores: UpdateUserData for the players whose name or score changed;
//  6. PushSettings: Server.ApplySettings with the settings that changed,
//     those fixed at log-on before a requested log-on, the others after;
//     advertising stays off while the server is not logged on;
//  7. SendPackets: GetNextOutgoingPacket until it is empty, sent through the
//     game's [SendFunc]: what Steam sends by itself, such as its master
//     server's traffic.
//
// In GameSocketShare mode the game's socket goroutine calls
// [Systems.HandlePacket] for each datagram starting FF FF FF FF as it reads
// it: Steam takes it and its replies are sent before the goroutine reads
// the next. The systems and HandlePacket serialize their Steam calls with
// one lock, the Steam lock, held for each call and never while a datagram
// is sent, so the two goroutines never call the Server at once; the game's
// own calls of the Server take it too ([Systems.LockSteam]).
//
// Every system does only what changed since the last tick, from change
// records kept by the components' setters (see package components): a quiet
// tick allocates nothing, visits no player and makes no Steam call but
// RunCallbacks, WasRestartRequested and (with a SendFunc)
// GetNextOutgoingPacket, which reach the back end's Conn as RunCallbacks,
// Status and GetNextOutgoingPacket. Package ecs installs the systems in a
// world in this order around the game's own.
//
// Players are entities with a components.Player component. The systems see
// a player arrive when its entity is created with the component (donburi's
// OnCreate) and leave when its entity is removed (OnRemove), which ends its
// auth session; [Systems.Join], [Systems.AddBot] and [Systems.Remove] do
// both for a game.
//
// Auth sessions live as long as the server: a server shut down and
// initialized again knows none of them, while the players in the world keep
// their auth state. A game that restarts its server therefore removes its
// players and lets them join again with fresh tickets (a ticket is good for
// one session).
package systems
