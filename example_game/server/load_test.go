package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/stretchr/testify/require"
)

// The load driver's settings: each case runs the example's server at its
// tick rate over loopback for loadTime after loadWarmUp, then stops.
const (
	loadWarmUp   = 300 * time.Millisecond
	loadTime     = 3 * time.Second
	loadPlayers  = 8
	probeTimeout = 500 * time.Millisecond
)

// loadCase is one scenario of BenchmarkSharedSocket.
type loadCase struct {
	name string
	// shared: the probe asks on the game socket; else on the own query port.
	shared bool
	// every is the range the probe's pause between two queries is drawn from.
	every [2]time.Duration
	// a2sFlood is the number of sources that flood the probe's port with
	// A2S_INFO queries carrying a valid challenge.
	a2sFlood int
	// junkFlood is the number of sources that flood the game port with
	// game datagrams (Inputs) from addresses that never joined.
	junkFlood int
}

// loadResult is what one run of a case measured.
type loadResult struct {
	asked, answered int
	latency         []time.Duration // of the answered queries
	inputsSent      uint64
	inputsReceived  uint64
	flood           uint64 // datagrams the flood sent
	floodTime       time.Duration
}

// BenchmarkSharedSocket is the load driver of the shared game socket: the
// example's dedicated server runs at 30 ticks/s with loadPlayers remote
// players sending an Input every tick, while a well-behaved source (the
// probe) sends A2S_INFO queries with a valid challenge and times the
// replies. The cases: no flood on the own query port and on the shared
// socket (the probe asks every 4-8 ms, for enough samples of the tail);
// then, on the shared socket, one source and 200 sources flooding it with
// A2S_INFO queries, and one source and 200 sources flooding it with junk
// game datagrams (the probe asks every 20-50 ms). Each reports the probe's answered share
// (answered-%) and latency (p50-ms, p99-ms), the share of the players'
// inputs the server received (inputs-%) and the flood's rate (flood-kpps).
// Every socket is on 127.0.0.1; each case stops by itself after about
// loadTime.
func BenchmarkSharedSocket(b *testing.B) {
	quick := [2]time.Duration{4 * time.Millisecond, 8 * time.Millisecond}
	slow := [2]time.Duration{20 * time.Millisecond, 50 * time.Millisecond}
	cases := []loadCase{
		{name: "quiet/own-port", every: quick},
		{name: "quiet/shared", shared: true, every: quick},
		{name: "a2s-flood/sources=1", shared: true, every: slow, a2sFlood: 1},
		{name: "a2s-flood/sources=200", shared: true, every: slow, a2sFlood: 200},
		{name: "junk-flood/sources=1", shared: true, every: slow, junkFlood: 1},
		{name: "junk-flood/sources=200", shared: true, every: slow, junkFlood: 200},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var all loadResult
			for range b.N {
				r := runLoad(b, c)
				all.asked += r.asked
				all.answered += r.answered
				all.latency = append(all.latency, r.latency...)
				all.inputsSent += r.inputsSent
				all.inputsReceived += r.inputsReceived
				all.flood += r.flood
				all.floodTime += r.floodTime
			}
			all.report(b)
		})
	}
}

// report reports r's metrics.
func (r *loadResult) report(b *testing.B) {
	slices.Sort(r.latency)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(100*float64(r.answered)/float64(max(r.asked, 1)), "answered-%")
	b.ReportMetric(ms(percentile(r.latency, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(r.latency, 99)), "p99-ms")
	b.ReportMetric(100*float64(r.inputsReceived)/float64(max(r.inputsSent, 1)), "inputs-%")
	if r.floodTime > 0 {
		b.ReportMetric(float64(r.flood)/r.floodTime.Seconds()/1000, "flood-kpps")
	}
}

// percentile returns the p-th percentile of sorted (nearest rank), or 0
// when it is empty.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i, 1)-1]
}

// loadUniverse returns the universe of the load driver's server.
func loadUniverse(tb testing.TB) *local.Universe {
	tb.Helper()
	// Every source is on 127.0.0.1: the rate limit is off, so that the
	// probe is not limited for the flood's sake.
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(passphrase), QueryRateLimit: -1})
	require.NoError(tb, err)
	return u
}

// runLoad runs one case once.
func runLoad(b *testing.B, c loadCase) loadResult {
	b.Helper()
	srv := newServer(b, func(cfg *server.Config) {
		cfg.Backend = loadUniverse(b)
		cfg.SeparateQueryPort = !c.shared
		cfg.MaxPlayers = loadPlayers
	})
	pump(b, srv, 1000, func() bool { return status(srv).LoggedOn })
	u := universe(b)
	players := make([]*net.UDPConn, loadPlayers)
	for i := range players {
		players[i] = rawJoin(b, srv, u, fmt.Sprintf("player %d", i))
	}
	pump(b, srv, 1000, func() bool { return srv.Plugin().Sessions() == loadPlayers })
	target := srv.Addr()
	if !c.shared {
		target = netip.AddrPortFrom(srv.Addr().Addr(), srv.QueryPort())
	}

	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx) }()
	var wg sync.WaitGroup
	var stop atomic.Bool
	var runErr error
	stopped := false
	// end stops the load, then the server's loop.
	end := func() {
		if stopped {
			return
		}
		stopped = true
		stop.Store(true)
		wg.Wait()
		// Let the last inputs reach a tick.
		time.Sleep(200 * time.Millisecond)
		cancel()
		runErr = <-ran
	}
	defer end()

	var r loadResult
	// The players send an Input every tick.
	var inputs atomic.Uint64
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second / 30)
		defer t.Stop()
		var pkt []byte
		for seq := uint32(1000); !stop.Load(); seq++ {
			<-t.C
			pkt = proto.Input{Seq: seq, Buttons: uint8(seq>>3) & 0xF}.AppendTo(pkt[:0])
			for _, p := range players {
				if _, err := p.Write(pkt); err == nil {
					inputs.Add(1)
				}
			}
		}
	}()

	// The probe takes its challenge before any flood.
	p := newProbe(b, target)
	var flood atomic.Uint64
	var floodStart time.Time
	if c.a2sFlood > 0 || c.junkFlood > 0 {
		var conns []*net.UDPConn
		var reqs [][]byte
		if c.junkFlood > 0 {
			junk := proto.Input{Seq: 1, Buttons: 1}.AppendTo(nil)
			for range c.junkFlood {
				conns = append(conns, dialLoad(b, srv.Addr()))
				reqs = append(reqs, junk)
			}
		} else {
			conns = make([]*net.UDPConn, c.a2sFlood)
			for i := range conns {
				conns[i] = dialLoad(b, target)
			}
			reqs = challenged(b, conns)
		}
		floodStart = time.Now()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				k := i % len(conns)
				if _, err := conns[k].Write(reqs[k]); err == nil {
					flood.Add(1)
				}
			}
		}()
	}

	time.Sleep(loadWarmUp)
	deadline := time.Now().Add(loadTime)
	for time.Now().Before(deadline) {
		r.asked++
		if d, ok := p.ask(); ok {
			r.answered++
			r.latency = append(r.latency, d)
		}
		pause := c.every[0] + rand.N(c.every[1]-c.every[0]+1)
		time.Sleep(pause)
	}
	if !floodStart.IsZero() {
		r.floodTime = time.Since(floodStart)
	}
	end()
	require.NoError(b, runErr)
	r.flood = flood.Load()
	r.inputsSent = inputs.Load()
	r.inputsReceived = srv.Counters().Inputs
	return r
}

// dialLoad returns a socket on 127.0.0.1 connected to to, closed at the end
// of the benchmark.
func dialLoad(tb testing.TB, to netip.AddrPort) *net.UDPConn {
	tb.Helper()
	conn, err := net.DialUDP("udp4", net.UDPAddrFromAddrPort(loopback), net.UDPAddrFromAddrPort(to))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = conn.Close() })
	return conn
}

// challenged returns, for each socket, an A2S_INFO query carrying the
// challenge the server gave that socket.
func challenged(tb testing.TB, conns []*net.UDPConn) [][]byte {
	tb.Helper()
	bare := query.AppendRequest(nil, query.Request{Kind: query.KindInfo})
	reqs := make([][]byte, len(conns))
	buf := make([]byte, 2048)
	for try := 0; try < 10; try++ {
		missing := 0
		for i, c := range conns {
			if reqs[i] == nil {
				missing++
				_, _ = c.Write(bare)
			}
		}
		if missing == 0 {
			return reqs
		}
		for i, c := range conns {
			if reqs[i] != nil {
				continue
			}
			_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			for {
				n, err := c.Read(buf)
				if err != nil {
					break
				}
				if ch, err := query.ParseChallenge(buf[:n]); err == nil {
					reqs[i] = query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: ch, HasChallenge: true})
					break
				}
			}
		}
	}
	require.Fail(tb, "no challenge for every flood source")
	return nil
}

// probe is the well-behaved source: one query at a time, with a valid
// challenge.
type probe struct {
	conn *net.UDPConn
	req  []byte
	buf  []byte
}

func newProbe(tb testing.TB, to netip.AddrPort) *probe {
	tb.Helper()
	conn := dialLoad(tb, to)
	return &probe{conn: conn, req: challenged(tb, []*net.UDPConn{conn})[0], buf: make([]byte, 2048)}
}

// ask sends one query and returns the time its INFO reply took, or false
// when none came within probeTimeout. A challenge reply (the window turned)
// renews the challenge and asks again within the same time.
func (p *probe) ask() (time.Duration, bool) {
	// Drop a reply that came after an earlier query's time-out.
	_ = p.conn.SetReadDeadline(time.Now().Add(100 * time.Microsecond))
	for {
		if _, err := p.conn.Read(p.buf); err != nil {
			break
		}
	}
	start := time.Now()
	if _, err := p.conn.Write(p.req); err != nil {
		return 0, false
	}
	_ = p.conn.SetReadDeadline(start.Add(probeTimeout))
	for {
		n, err := p.conn.Read(p.buf)
		if err != nil {
			return 0, false
		}
		reply := p.buf[:n]
		if n > 4 && reply[4] == 'I' {
			return time.Since(start), true
		}
		if ch, err := query.ParseChallenge(reply); err == nil {
			p.req = query.AppendRequest(p.req[:0], query.Request{Kind: query.KindInfo, Challenge: ch, HasChallenge: true})
			_, _ = p.conn.Write(p.req)
		}
	}
}
