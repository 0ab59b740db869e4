package client

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/steamgs/steamgs/steamgs/query"
)

// ServerEntry is one server found by Browse: what its A2S_INFO reply says,
// and how long the reply took.
type ServerEntry struct {
	Addr    netip.AddrPort // where the query was answered
	Info    query.Info
	Players int           // players on the server, bots included
	Ping    time.Duration // the query's round trip
}

// ErrNoReply is matched by the errors of QueryInfo and QueryPlayers when the
// server did not answer in time; it is query.ErrNoReply.
var ErrNoReply = query.ErrNoReply

// maxBrowsing bounds the queries Browse has in flight at once, each on a
// socket of its own.
const maxBrowsing = 64

// Browse asks every port from first to last on host for its A2S_INFO, as
// Steam's LAN browser does, and returns the servers that answered within
// timeout, ordered by port. It returns early when ctx ends.
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

// BrowseAddrs is Browse over a list of addresses: it asks each with a
// query.Client and returns the servers among addrs that answered A2S_INFO
// within timeout, ordered by address.
func BrowseAddrs(ctx context.Context, addrs []netip.AddrPort, timeout time.Duration) ([]ServerEntry, error) {
	qctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	found := make([]*ServerEntry, len(addrs))
	slots := make(chan struct{}, maxBrowsing)
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			if e, err := queryInfo(qctx, a); err == nil {
				found[i] = &e
			}
		})
	}
	wg.Wait()
	var out []ServerEntry
	for _, e := range found {
		if e != nil {
			out = append(out, *e)
		}
	}
	if err := ctx.Err(); err != nil && len(out) == 0 {
		return nil, err
	}
	slices.SortFunc(out, func(a, b ServerEntry) int { return a.Addr.Compare(b.Addr) })
	return out, nil
}

// QueryInfo asks one server for its A2S_INFO, waiting at most timeout.
func QueryInfo(ctx context.Context, addr netip.AddrPort, timeout time.Duration) (ServerEntry, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return queryInfo(ctx, addr)
}

// queryInfo asks addr for its A2S_INFO within ctx.
func queryInfo(ctx context.Context, addr netip.AddrPort) (ServerEntry, error) {
	c, err := query.Dial(ctx, addr.String())
	if err != nil {
		return ServerEntry{}, err
	}
	defer c.Close()
	r, err := c.Info(ctx)
	if err != nil {
		return ServerEntry{}, err
	}
	return ServerEntry{Addr: addr, Info: r.Info, Players: r.Players, Ping: r.RTT}, nil
}

// QueryPlayers asks one server for its A2S_PLAYER list, waiting at most
// timeout, and returns the players' names, scores and durations.
func QueryPlayers(ctx context.Context, addr netip.AddrPort, timeout time.Duration) ([]query.Player, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := query.Dial(ctx, addr.String())
	if err != nil {
		return nil, err
	}
	defer c.Close()
	r, err := c.Players(ctx)
	return r.Players, err
}
