package query

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"
)

// ErrNoReply is matched (errors.Is) by the error of a query the server did
// not answer: the context ended first (the error matches ctx.Err() too), the
// system reported the port unreachable, or the server answered only with
// challenges.
var ErrNoReply = errors.New("query: no reply")

// Resend is how often a Client sends a query again while it waits for the
// reply, in case a datagram was lost.
const Resend = 500 * time.Millisecond

// maxChallenges is the number of new challenges one query accepts before it
// gives up: a server that keeps changing its challenge never answers.
const maxChallenges = 4

// clientBufSize is the Client's read buffer: larger than any datagram an A2S
// server sends (MaxPacketSize; some send a little more). A longer datagram
// is cut to it and fails to parse.
const clientBufSize = 4096

// InfoReply is a server's answer to A2S_INFO.
type InfoReply struct {
	Info Info
	// Players is the player count the reply reports, bots included.
	Players int
	// RTT is the round-trip time: from the request that was answered to the
	// reply's arrival.
	RTT time.Duration
}

// PlayersReply is a server's answer to A2S_PLAYER.
type PlayersReply struct {
	Players []Player
	RTT     time.Duration // as InfoReply.RTT
}

// RulesReply is a server's answer to A2S_RULES.
type RulesReply struct {
	Rules []Rule
	RTT   time.Duration // as InfoReply.RTT
}

// Client asks one server its A2S queries from a UDP socket of its own,
// connected to the server's query port (or its game port, for a server in
// GameSocketShare mode). Make it with Dial and close it with Close; the zero
// value is not usable. Its methods are safe for concurrent use; queries take
// turns on the socket.
//
// Each query handles the challenge round trip (the challenge of one query is
// offered first by the next, as widely used clients do), joins split
// replies, sends the request again every Resend until the reply arrives,
// and gives up when its context ends: give it a deadline. A split reply
// with the compressed flag is refused, since servers never set it.
type Client struct {
	conn *net.UDPConn
	addr netip.AddrPort

	mu           sync.Mutex // held by the query in flight
	buf          []byte
	asm          assembler
	challenge    uint32
	hasChallenge bool
}

// Dial opens a Client for the server at addr ("host:port"; a host name is
// resolved within ctx). Nothing is sent until the first query.
func Dial(ctx context.Context, addr string) (*Client, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "udp", addr)
	if err != nil {
		return nil, fmt.Errorf("query: dial %s: %w", addr, err)
	}
	conn := c.(*net.UDPConn)
	remote := conn.RemoteAddr().(*net.UDPAddr).AddrPort()
	return &Client{conn: conn, addr: netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port()),
		buf: make([]byte, clientBufSize)}, nil
}

// Addr returns the server's address.
func (c *Client) Addr() netip.AddrPort { return c.addr }

// Close closes the socket; a query in flight fails. It returns the socket's
// error, which matches net.ErrClosed when called again.
func (c *Client) Close() error { return c.conn.Close() }

// Info asks for the server's A2S_INFO.
func (c *Client) Info(ctx context.Context) (InfoReply, error) {
	type info struct {
		Info
		players int
	}
	v, rtt, err := ask(c, ctx, KindInfo, func(b []byte) (info, error) {
		i, n, err := ParseInfo(b)
		return info{i, n}, err
	})
	return InfoReply{Info: v.Info, Players: v.players, RTT: rtt}, err
}

// Players asks for the server's A2S_PLAYER list.
func (c *Client) Players(ctx context.Context) (PlayersReply, error) {
	v, rtt, err := ask(c, ctx, KindPlayers, ParsePlayers)
	return PlayersReply{Players: v, RTT: rtt}, err
}

// Rules asks for the server's A2S_RULES.
func (c *Client) Rules(ctx context.Context) (RulesReply, error) {
	v, rtt, err := ask(c, ctx, KindRules, ParseRules)
	return RulesReply{Rules: v, RTT: rtt}, err
}

// ask runs the query of kind and decodes its reply with parse; on error
// the value and round trip are zero.
func ask[T any](c *Client, ctx context.Context, kind Kind, parse func([]byte) (T, error)) (T, time.Duration, error) {
	var zero T
	b, rtt, err := c.query(ctx, kind)
	if err != nil {
		return zero, 0, err
	}
	v, err := parse(b)
	if err != nil {
		return zero, 0, c.replyError(kind, err)
	}
	return v, rtt, nil
}

// replyError wraps the error of a reply that does not decode.
func (c *Client) replyError(kind Kind, err error) error {
	return fmt.Errorf("query: %s reply from %s: %w", kind, c.addr, err)
}

// replyType returns the type byte of the data reply to kind.
func replyType(kind Kind) byte {
	switch kind {
	case KindInfo:
		return replyInfo
	case KindPlayers:
		return replyPlayers
	}
	return replyRules
}

// query sends the request of kind until its data reply arrives, answering
// challenges, and returns the whole reply (a new buffer) and the round-trip
// time.
func (c *Client) query(ctx context.Context, kind Kind) ([]byte, time.Duration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Ending ctx ends a Read in progress. The deadline set below is set
	// before ctx.Err is checked, so a cancel is never overwritten unseen.
	stop := context.AfterFunc(ctx, func() { _ = c.conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	c.asm.reset()
	want := replyType(kind)
	challenges := 0
	var sent, next time.Time
	for {
		now := time.Now()
		if !now.Before(next) {
			req := Request{Kind: kind, Challenge: c.challenge, HasChallenge: c.hasChallenge}
			var b [32]byte
			if _, err := c.conn.Write(AppendRequest(b[:0], req)); err != nil {
				return nil, 0, c.noReply(kind, err)
			}
			sent, next = now, now.Add(Resend)
		}
		deadline := next
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		_ = c.conn.SetReadDeadline(deadline)
		if err := ctx.Err(); err != nil {
			return nil, 0, c.noReply(kind, err)
		}
		n, err := c.conn.Read(c.buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil, 0, c.noReply(kind, ctx.Err())
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue // time to send again
			}
			return nil, 0, c.noReply(kind, err) // unreachable, or closed
		}
		pkt := c.buf[:n]
		if ch, err := ParseChallenge(pkt); err == nil {
			if c.hasChallenge && ch == c.challenge {
				continue // the answer to an earlier copy of the request
			}
			if challenges++; challenges > maxChallenges {
				return nil, 0, fmt.Errorf("query: %s to %s: %w: %d challenges and no data", kind, c.addr, ErrNoReply, maxChallenges)
			}
			c.challenge, c.hasChallenge = ch, true
			c.asm.reset()
			next = time.Time{} // send again now, with the challenge
			continue
		}
		reply, err := c.asm.add(pkt)
		if err != nil {
			return nil, 0, c.replyError(kind, err)
		}
		if len(reply) > 4 && reply[4] == want {
			return reply, time.Since(sent), nil
		}
		// Anything else (a fragment, a late reply to another query, junk)
		// is not this query's answer.
	}
}

// noReply wraps the reason a query got no reply.
func (c *Client) noReply(kind Kind, err error) error {
	return fmt.Errorf("query: %s to %s: %w: %w", kind, c.addr, ErrNoReply, err)
}

// assembler joins the datagrams of one reply: a whole one (FF FF FF FF), or
// the Source-format fragments of a split one (FE FF FF FF), which may arrive
// in any order and repeated. A fragment of another reply ID starts over,
// dropping the fragments gathered. Its zero value is ready to use.
type assembler struct {
	id    uint32
	total int
	got   int
	frags [][]byte // copies, by fragment number; nil until the first fragment
}

// reset drops the fragments gathered.
func (a *assembler) reset() {
	clear(a.frags)
	a.frags, a.got, a.total = a.frags[:0], 0, 0
}

// add takes one datagram. It returns the whole reply, in a new buffer, when
// pkt is a whole reply or completes a split one; nil when more fragments are
// due or pkt is neither. A fragment with the compressed flag is an error,
// as is one whose total disagrees with the earlier fragments of its reply;
// both wrap ErrMalformed.
func (a *assembler) add(pkt []byte) ([]byte, error) {
	if len(pkt) < 4 {
		return nil, nil
	}
	switch le.Uint32(pkt) {
	case simpleHeader:
		return append([]byte(nil), pkt...), nil
	case splitHeader:
	default:
		return nil, nil
	}
	f, err := ParseFragment(pkt)
	if err != nil {
		return nil, nil // a broken fragment: the reply will not complete
	}
	if f.Compressed() {
		return nil, &formatError{what: "split reply",
			msg: fmt.Sprintf("ID %#08x has the compressed flag (bzip2) set, which servers never set; refused", f.ID), off: 4, n: len(pkt)}
	}
	if a.total == 0 || f.ID != a.id {
		a.reset()
		a.id, a.total = f.ID, int(f.Total)
		a.frags = append(a.frags, make([][]byte, a.total)...)
	}
	if int(f.Total) != a.total {
		return nil, &formatError{what: "split reply",
			msg: fmt.Sprintf("fragment %d of ID %#08x says %d fragments, earlier ones %d", f.Number, f.ID, f.Total, a.total), off: 8, n: len(pkt)}
	}
	if a.frags[f.Number] != nil {
		return nil, nil // a repeat
	}
	a.frags[f.Number] = append(make([]byte, 0, len(f.Payload)), f.Payload...) // not nil, even when empty
	if a.got++; a.got < a.total {
		return nil, nil
	}
	size := 0
	for _, p := range a.frags {
		size += len(p)
	}
	reply := make([]byte, 0, size)
	for _, p := range a.frags {
		reply = append(reply, p...)
	}
	a.reset()
	return reply, nil
}
