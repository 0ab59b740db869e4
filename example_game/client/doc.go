// Package client is the example game's client logic without a window: it
// joins a game server over UDP (the handshake of package proto, with an auth
// ticket from a Steam client's ticket source), sends the player's buttons
// and keeps the newest snapshot of the world. A windowed client draws those
// snapshots; a bot client ([RunBot]) plays from them.
//
// It also holds a LAN server browser ([Browse], [QueryInfo], [QueryPlayers])
// built on steamgs/query's Client, which lists servers on a host as Steam's
// LAN browser does.
//
// Nothing here imports Ebiten, so the bot client builds with CGO_ENABLED=0.
package client
