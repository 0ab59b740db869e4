// Package server is the example game's server: a donburi world running the
// rules of package game and the Steam systems of package ecs, a UDP game
// socket that it shares with Steam (GameSocketShare mode) or not, and the
// protocol of package proto towards its clients.
//
// One tick ([Server.Tick]) runs, in order: Steam's packets in, Steam's
// callbacks, the game's systems (client packets, time-outs, bots, movement,
// coins, snapshots), auth sessions, scores, settings and Steam's packets out.
// A listen server calls Tick from its window's Update; a dedicated server
// calls [Server.Run], a fixed-rate loop. The socket is read on a goroutine of
// the server, which queues datagrams for the next tick: those starting FF FF
// FF FF for Steam's HandleIncomingPacket, the others for the game.
//
// The package imports no Ebiten and no particular Steam back end: it runs on
// any steamgs.Backend. With the embedded one (steamgs/local) the server also
// reports its A2S query counters ([Status].Queries).
package server
