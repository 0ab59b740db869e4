// Package server is the example game's server: a donburi world running the
// rules of package game and the Steam systems of package ecs, a UDP game
// socket that it shares with Steam (GameSocketShare mode) or not, and the
// protocol of package proto towards its clients.
//
// One tick ([Server.Tick]) runs, in order: Steam's callbacks, the game's
// systems (client packets, time-outs, bots, movement, coins, snapshots), auth
// sessions, scores, settings and Steam's packets out (what Steam sends by
// itself). A listen server calls Tick from its window's Update; a dedicated
// server calls [Server.Run], a fixed-rate loop. The socket is read on a
// goroutine of the server, which never waits for a tick: it answers the
// datagrams starting FF FF FF FF at once, through the plugin's
// HandlePacket (Steam's HandleIncomingPacket, and its replies written
// before the next datagram is read), and queues the others for the game's
// next tick in an inbox its sources share fairly.
//
// Joining is guarded against hostile clients: Connect messages are limited
// per source before a ticket is checked ([Config].ConnectLimit); a client
// whose ticket Steam has not approved yet is a pending player of the
// plugin (ecs.Plugin.CheckJoin): it takes no player slot, sits in a
// bounded table ([Config].MaxPending) with a per-source share
// ([Config].MaxPendingPerSource, applied once the table is half full),
// appears in no snapshot and is sent nothing, its Welcome included, until
// Steam approves it. Two time-outs remove clients: [Config].SilentTimeout
// (3 s by default) one that has sent no Input since it was approved (or,
// while it waits, no Connect), such as a half-open handshake, and
// [Config].ClientTimeout (10 s) one that has sent nothing at all for that
// long.
//
// The package imports no Ebiten and no particular Steam back end: it runs on
// any steamgs.Backend. With the embedded one (steamgs/local) the server also
// reports its A2S query counters ([Status].Queries).
package server
