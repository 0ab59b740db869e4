// Package proto is the example game's UDP protocol between a client and the
// game server: the handshake (Hello, Challenge, Connect, Welcome, Deny), the
// client's Input, the server's Snapshot of the world and Disconnect.
//
// Every message is one datagram that starts with the protocol byte 'G', the
// version byte and a Type byte, so it never starts FF FF FF FF: on a game
// socket shared with Steam (GameSocketShare mode) the server tells game
// messages from Steam's server queries by their first byte. Numbers are
// little-endian; strings are a length byte and UTF-8 bytes without NUL.
//
// A connection goes:
//
//	client                                 server
//	Hello{Name}                  ─────────►
//	                             ◄───────── Challenge{Token, ServerID}
//	Connect{Token, SteamID, Name,
//	        Password, Ticket}    ─────────►
//	                             ◄───────── Welcome{PlayerID} or Deny{Reason}
//	Input{Seq, Buttons} ...      ─────────►
//	                             ◄───────── Snapshot ... (every tick)
//	Disconnect{Reason,
//	           CancelNotice}     ◄────────► Disconnect{Reason}
//
// The Challenge's token proves the client owns its source address before the
// server spends time on its auth ticket; the client makes the ticket for the
// server's Steam ID (ServerID). The password travels in clear text: it keeps
// strangers out of a LAN game, nothing more. A client that leaves cancels its
// ticket, and its Disconnect carries the embedded Steam's signed notice of
// the cancel, so that a server in another process learns of it as Steam's
// servers would.
//
// Encoders append to a caller's buffer and never fail for values within the
// documented limits (longer strings and lists are cut to the limit). Decoders
// never read past their input, never panic and return errors that wrap
// ErrMalformed; the Parse functions of the per-tick messages (Input,
// Snapshot) reuse the caller's memory and do not allocate once it has grown.
package proto
