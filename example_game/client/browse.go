package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/steamgs/steamgs/steamgs/query"
)

// ServerEntry is one server found by Browse: what its A2S_INFO reply says,
// and how long the reply took.
type ServerEntry struct {
	Addr    netip.AddrPort // where the query was answered
	Info    query.Info
	Players int           // players on the server, bots included
	Ping    time.Duration // from the last request to its reply
}

// ErrNoReply is returned by QueryInfo and QueryPlayers when the server did
// not answer in time.
var ErrNoReply = errors.New("client: no reply to the server query")

// maxQueryTries bounds the requests sent to one address: the first, and
// repeats carrying a new challenge.
const maxQueryTries = 3

// Browse asks every port from first to last on host for its A2S_INFO, as
// Steam's LAN browser does, and returns the servers that answered within
// timeout, ordered by port. A server that asks for a challenge gets the
// request again with it. Browse sends from one socket and returns early when
// ctx ends.
func Browse(ctx context.Context, host netip.Addr, first, last uint16, timeout time.Duration) ([]ServerEntry, error) {
	if last < first {
		return nil, fmt.Errorf("client: port range %d to %d is empty", first, last)
	}
	if n := int(last) - int(first) + 1; n > 1024 {
		return nil, fmt.Errorf("client: port range %d to %d holds %d ports, limit 1024", first, last, n)
	}
	var addrs []netip.AddrPort
	for p := int(first); p <= int(last); p++ {
		addrs = append(addrs, netip.AddrPortFrom(host, uint16(p)))
	}
	return BrowseAddrs(ctx, addrs, timeout)
}

// BrowseAddrs is Browse over a list of addresses: it returns the servers
// among addrs that answered A2S_INFO within timeout, ordered by address.
func BrowseAddrs(ctx context.Context, addrs []netip.AddrPort, timeout time.Duration) ([]ServerEntry, error) {
	found, err := queryInfos(ctx, addrs, timeout)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(found, func(a, b ServerEntry) int { return a.Addr.Compare(b.Addr) })
	return found, nil
}

// QueryInfo asks one server for its A2S_INFO.
func QueryInfo(ctx context.Context, addr netip.AddrPort, timeout time.Duration) (ServerEntry, error) {
	found, err := queryInfos(ctx, []netip.AddrPort{addr}, timeout)
	if err != nil {
		return ServerEntry{}, err
	}
	if len(found) == 0 {
		return ServerEntry{}, fmt.Errorf("%w: A2S_INFO to %s within %v", ErrNoReply, addr, timeout)
	}
	return found[0], nil
}

// listenFor opens a UDP socket on the loopback or unspecified address of the
// same family as to.
func listenFor(to netip.Addr) (*net.UDPConn, error) {
	local := netip.IPv4Unspecified()
	if to.IsLoopback() && to.Is4() {
		local = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	return net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(local, 0)))
}

// queryInfos sends A2S_INFO to each address and gathers the replies until
// every address answered, timeout passed or ctx ended.
func queryInfos(ctx context.Context, addrs []netip.AddrPort, timeout time.Duration) ([]ServerEntry, error) {
	if len(addrs) == 0 {
		return nil, nil
	}
	conn, err := listenFor(addrs[0].Addr())
	if err != nil {
		return nil, fmt.Errorf("client: server query socket: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetReadDeadline(time.Now()) })
	defer stop()

	type state struct {
		sent  time.Time
		tries int
		done  bool
	}
	states := make(map[netip.AddrPort]*state, len(addrs))
	send := func(a netip.AddrPort, req query.Request) {
		st := states[a]
		st.sent, st.tries = time.Now(), st.tries+1
		_, _ = conn.WriteToUDPAddrPort(query.AppendRequest(nil, req), a)
	}
	for _, a := range addrs {
		states[netip.AddrPortFrom(a.Addr().Unmap(), a.Port())] = &state{}
	}
	for a := range states {
		send(a, query.Request{Kind: query.KindInfo})
	}
	deadline := time.Now().Add(timeout)
	if err := conn.SetReadDeadline(deadline); err != nil {
		return nil, err
	}
	var found []ServerEntry
	buf := make([]byte, 2048)
	for len(found) < len(states) {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			break // the deadline, or ctx ended
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		st, ok := states[from]
		if !ok || st.done {
			continue
		}
		pkt := buf[:n]
		if c, err := query.ParseChallenge(pkt); err == nil {
			if st.tries < maxQueryTries {
				send(from, query.Request{Kind: query.KindInfo, Challenge: c, HasChallenge: true})
			}
			continue
		}
		info, players, err := query.ParseInfo(pkt)
		if err != nil {
			continue
		}
		st.done = true
		found = append(found, ServerEntry{Addr: from, Info: info, Players: players, Ping: time.Since(st.sent)})
	}
	if err := ctx.Err(); err != nil && len(found) == 0 {
		return nil, err
	}
	return found, nil
}

// QueryPlayers asks one server for its A2S_PLAYER list, with the challenge
// handshake, and returns the players' names, scores and durations.
func QueryPlayers(ctx context.Context, addr netip.AddrPort, timeout time.Duration) ([]query.Player, error) {
	conn, err := listenFor(addr.Addr())
	if err != nil {
		return nil, fmt.Errorf("client: server query socket: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetReadDeadline(time.Now()) })
	defer stop()
	if err := conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	req := query.Request{Kind: query.KindPlayers}
	buf := make([]byte, 2048)
	var frags [][]byte
	for tries := 0; tries < maxQueryTries; {
		if frags == nil {
			tries++
			if _, err := conn.WriteToUDPAddrPort(query.AppendRequest(nil, req), addr); err != nil {
				return nil, fmt.Errorf("client: A2S_PLAYER to %s: %w", addr, err)
			}
		}
		n, _, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("%w: A2S_PLAYER to %s within %v", ErrNoReply, addr, timeout)
		}
		pkt := buf[:n]
		if c, err := query.ParseChallenge(pkt); err == nil {
			req.Challenge, req.HasChallenge = c, true
			continue
		}
		if f, err := query.ParseFragment(pkt); err == nil {
			frags = append(frags, slices.Clone(pkt))
			if len(frags) < int(f.Total) {
				continue
			}
			whole, err := query.Reassemble(frags)
			if err != nil {
				return nil, fmt.Errorf("client: A2S_PLAYER reply from %s: %w", addr, err)
			}
			pkt = whole
		}
		return query.ParsePlayers(pkt)
	}
	return nil, fmt.Errorf("%w: A2S_PLAYER to %s answered only with challenges", ErrNoReply, addr)
}
