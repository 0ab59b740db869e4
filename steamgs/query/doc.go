// Package query implements Valve's server query protocol (A2S) for a Steam game
// server: the wire codec, stateless challenges, split replies, a per-source rate
// limit, a Responder that answers queries from a snapshot of server state, and
// a Client that asks a server its queries.
//
// It is the wire protocol alone and imports no back end. A back end owns one
// *Responder per game server, fills it in with SetInfo, AddPlayer, UpdatePlayer,
// RemovePlayer, SetRule and SetAdvertise, and either hands it every datagram that
// starts with FF FF FF FF (Handle, the GameSocketShare path) or lets it own a
// query port (Serve).
//
// # Wire format
//
// Everything is little-endian and strings are UTF-8 ending in a NUL byte. Requests
// begin FF FF FF FF and a type byte: A2S_INFO 'T', A2S_PLAYER 'U', A2S_RULES 'V',
// the legacy A2S_SERVERQUERY_GETCHALLENGE 'W' and A2A_PING 'i' (see Kind). Replies
// up to MaxPacketSize bytes go out whole; larger ones are split in the Source
// format (FE FF FF FF, ID, total, number, size 1248) into at most MaxFragments
// fragments, so no reply exceeds MaxReplySize bytes once reassembled.
//
// Encoders append to a caller's buffer (AppendInfo, AppendPlayers, AppendRules,
// AppendChallenge, AppendRequest, AppendFragment) and never fail; decoders
// (ParseRequest, ParseInfo, ParsePlayers, ParseRules, ParseChallenge,
// ParseFragment, Reassemble) never read past their input and never panic: bad
// input gets an error that wraps ErrMalformed.
//
// # Safety
//
// A Responder answers only while advertising is on (it starts off). INFO, PLAYER
// and RULES all require a challenge: a keyed SipHash of the source address (IP and
// port) and a time window, so nothing is stored per client and the current and the
// previous window are accepted. A reply to a request without a valid challenge is
// never larger than the request (no amplification): a 5-byte legacy GETCHALLENGE
// is dropped, a PING is answered with the 5 bytes FF FF FF FF 'j'. Each source IP
// may send at most Config.RateLimit packets per 200 ms; the table that counts them
// has a fixed size (Config.MaxSources), so a flood from many spoofed sources
// cannot grow memory and a flood from one source does not stop others from being
// answered. All sources together get Config.TotalRateLimit answers per 200 ms
// (50 sources' worth by default) before each is held to its fair share of them,
// so that a flood from many sources costs the server about that much and a
// source that asks less than its share, such as a server browser, is answered.
//
// Replies are encoded once per change of state into snapshots that queries copy
// without taking the state's lock, so that setting state never waits for a
// query being answered; the copy of a PLAYER reply has its durations patched
// when it is sent.
//
// # Client
//
// [Dial] opens a [Client] for one server; [Client.Info], [Client.Players]
// and [Client.Rules] send a query and wait for its reply, within the
// context's deadline:
//
//	c, err := query.Dial(ctx, "192.0.2.7:27015")
//	info, err := c.Info(ctx) // info.Info.Name, info.Players, info.RTT
//	defer c.Close()
//
// A Client answers challenges (offering each query the challenge of the
// last), joins split replies whose fragments arrive in any order, sends a
// query again every [Resend] while no reply comes, and refuses a split reply
// with the compressed flag, which servers never set. A query without a
// reply fails with an error matching [ErrNoReply] and the context's error.
package query
