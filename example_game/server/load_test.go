package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The load driver's settings: each case runs the example's server at its
// tick rate over loopback for loadTime after loadWarmUp, then stops.
const (
	loadWarmUp   = 300 * time.Millisecond
	loadTime     = 4 * time.Second
	loadPlayers  = 8
	probeTimeout = 500 * time.Millisecond
	// floodRate is the floods' rate in datagrams per second, all sources
	// together.
	floodRate = 150_000
)

// The probe's pauses between two queries: short when nothing floods, for
// enough samples of the tail (within the rate limit of 50 per 200 ms), and
// 20-50 ms, as a server browser's, under a flood.
var (
	quickProbe = [2]time.Duration{4 * time.Millisecond, 8 * time.Millisecond}
	slowProbe  = [2]time.Duration{20 * time.Millisecond, 50 * time.Millisecond}
)

// BenchmarkSharedSocket is the load driver of the shared game socket. Each
// case runs the example's dedicated server (server.New on a real UDP socket)
// at 30 ticks/s with loadPlayers remote players sending an Input every
// tick, while a well-behaved source, the probe, sends A2S_INFO queries with
// a valid challenge and times the replies. It reports:
//
//   - quiet: two servers side by side, one with its own query port and one
//     sharing its game socket, each probed by its own source every 4-8 ms
//     at the same time, so that both see the same machine: the latencies
//     on each (own-p50-ms, own-p99-ms; p50-ms, p99-ms on the shared
//     socket), the answered shares and the share of the players' inputs the
//     shared server received (inputs-%), the baseline of the floods';
//   - a2s-flood/sources=N: on the shared socket, N sources flood it with
//     A2S_INFO queries with valid challenges, floodRate datagrams per second
//     in all (as far as the machine lets the sender keep up), while the
//     probe asks every 20-50 ms: the probe's answered share (answered-%)
//     and latency, the players' inputs received (inputs-%) and the flood's
//     rate achieved (flood-kpps);
//   - junk-flood/sources=N: the same with N sources flooding the game port
//     with Inputs from addresses that never joined.
//
// The embedded Steam's rate limit is its default, counted per address and
// port, since every socket is on 127.0.0.1. Each case stops by itself
// after loadWarmUp+loadTime; ns/op is the length of one run.
func BenchmarkSharedSocket(b *testing.B) {
	b.Run("quiet", func(b *testing.B) {
		var own, shared loadResult
		for range b.N {
			o, s := runQuiet(b)
			own.add(o)
			shared.add(s)
		}
		shared.report(b, "")
		own.reportLatency(b, "own-")
	})
	for _, c := range []struct {
		name      string
		a2s, junk int // flood sources
	}{
		{"a2s-flood/sources=1", 1, 0},
		{"a2s-flood/sources=200", 200, 0},
		{"junk-flood/sources=1", 0, 1},
		{"junk-flood/sources=200", 0, 200},
	} {
		b.Run(c.name, func(b *testing.B) {
			var r loadResult
			for range b.N {
				r.add(runFlood(b, c.a2s, c.junk))
			}
			r.report(b, "")
		})
	}
}

// loadResult is what runs of a case measured on one server.
type loadResult struct {
	asked, answered int
	latency         []time.Duration // of the answered queries
	inputsSent      uint64
	inputsReceived  uint64
	flood           uint64 // datagrams the flood sent
	floodTime       time.Duration
}

func (r *loadResult) add(o loadResult) {
	r.asked += o.asked
	r.answered += o.answered
	r.latency = append(r.latency, o.latency...)
	r.inputsSent += o.inputsSent
	r.inputsReceived += o.inputsReceived
	r.flood += o.flood
	r.floodTime += o.floodTime
}

// report reports r's metrics, their units prefixed with prefix.
func (r *loadResult) report(b *testing.B, prefix string) {
	r.reportLatency(b, prefix)
	b.ReportMetric(100*float64(r.inputsReceived)/float64(max(r.inputsSent, 1)), prefix+"inputs-%")
	if r.floodTime > 0 {
		b.ReportMetric(float64(r.flood)/r.floodTime.Seconds()/1000, prefix+"flood-kpps")
	}
}

// reportLatency reports the probe's answered share and latency.
func (r *loadResult) reportLatency(b *testing.B, prefix string) {
	slices.Sort(r.latency)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(100*float64(r.answered)/float64(max(r.asked, 1)), prefix+"answered-%")
	b.ReportMetric(ms(percentile(r.latency, 50)), prefix+"p50-ms")
	b.ReportMetric(ms(percentile(r.latency, 99)), prefix+"p99-ms")
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

// runQuiet runs the quiet case once: an own-port server and a shared-socket
// server, probed at the same time.
func runQuiet(b *testing.B) (own, shared loadResult) {
	rigs := []*loadRig{startRig(b, false), startRig(b, true)}
	results := make([]loadResult, len(rigs))
	var wg sync.WaitGroup
	for i, r := range rigs {
		p := newProbe(b, r.target)
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(loadWarmUp)
			p.run(&results[i], quickProbe, loadTime)
		}()
	}
	wg.Wait()
	for i, r := range rigs {
		results[i].inputsSent, results[i].inputsReceived = r.stop(b)
	}
	return results[0], results[1]
}

// runFlood runs a flood case once on a shared-socket server: a2s sources
// flooding it with A2S_INFO queries, junk sources with game datagrams.
func runFlood(b *testing.B, a2s, junk int) loadResult {
	r := startRig(b, true)
	// The probe takes its challenge before the flood.
	p := newProbe(b, r.target)
	f := startFlood(b, r.target, a2s, junk)
	var res loadResult
	time.Sleep(loadWarmUp)
	p.run(&res, slowProbe, loadTime)
	res.flood, res.floodTime = f.stop(b)
	res.inputsSent, res.inputsReceived = r.stop(b)
	return res
}

// floodEnv, set in the environment of the test binary, makes it the load
// driver's flooding process (see floodChild) rather than run tests.
const floodEnv = "STEAMGS_LOAD_FLOOD"

// flood is a flooding process.
type flood struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Scanner
}

// startFlood starts a process that floods to with a2s sources of A2S_INFO
// queries with valid challenges and junk sources of Inputs from addresses
// that never joined, floodRate datagrams per second in all, until stop. It
// is this test binary again, at the lowest scheduling priority (nice 19)
// where the system has nice: a flood comes from the network, and the one
// here should take no more of the machine's two cores than the server
// leaves, or the run would measure the flooder's share of the CPU rather
// than the server. It returns once every source is flooding.
func startFlood(tb testing.TB, to netip.AddrPort, a2s, junk int) *flood {
	tb.Helper()
	exe, err := os.Executable()
	require.NoError(tb, err)
	args := []string{exe, "-test.run=^$"}
	if nice, err := exec.LookPath("nice"); err == nil {
		args = append([]string{nice, "-n", "19"}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s,%d,%d", floodEnv, to, a2s, junk))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(tb, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(tb, err)
	require.NoError(tb, cmd.Start())
	f := &flood{cmd: cmd, stdin: stdin, out: bufio.NewScanner(stdout)}
	tb.Cleanup(func() { _ = f.stdin.Close(); _ = f.cmd.Wait() })
	require.True(tb, f.out.Scan(), "flooding process: %v", f.out.Err())
	require.Equal(tb, "flooding", f.out.Text(), "flooding process")
	return f
}

// stop ends the flood and returns the datagrams it sent and for how long.
func (f *flood) stop(tb testing.TB) (uint64, time.Duration) {
	tb.Helper()
	require.NoError(tb, f.stdin.Close())
	require.True(tb, f.out.Scan(), "flooding process's count: %v", f.out.Err())
	var sent uint64
	var secs float64
	_, err := fmt.Sscanf(f.out.Text(), "sent %d in %gs", &sent, &secs)
	require.NoError(tb, err, "flooding process's count %q", f.out.Text())
	require.NoError(tb, f.cmd.Wait(), "flooding process")
	return sent, time.Duration(secs * float64(time.Second))
}

// floodChild is the flooding process: spec is "address,a2s,junk". It says
// "flooding" once every source has what it sends, floods until its
// standard input closes, then says how many datagrams it sent, and
// returns its exit code.
func floodChild(spec string) int {
	var to netip.AddrPort
	var a2s, junk int
	parts := strings.Split(spec, ",")
	if len(parts) != 3 {
		fmt.Fprintln(os.Stderr, "flood: bad spec", spec)
		return 2
	}
	var err error
	if to, err = netip.ParseAddrPort(parts[0]); err == nil {
		_, err = fmt.Sscanf(parts[1]+" "+parts[2], "%d %d", &a2s, &junk)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "flood: bad spec", spec, err)
		return 2
	}
	t := &childT{}
	var conns []*net.UDPConn
	var reqs [][]byte
	for range junk {
		conns = append(conns, dialLoad(t, to))
		reqs = append(reqs, proto.Input{Seq: 1, Buttons: 1}.AppendTo(nil))
	}
	if a2s > 0 {
		flooders := make([]*net.UDPConn, a2s)
		for i := range flooders {
			flooders[i] = dialLoad(t, to)
		}
		conns = append(conns, flooders...)
		reqs = append(reqs, challenged(t, flooders)...)
	}
	if t.failed {
		return 1
	}
	var stop atomic.Bool
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin) // until the driver closes it
		stop.Store(true)
	}()
	fmt.Println("flooding")
	start := time.Now()
	sent := 0
	// Paced at floodRate: bursts every half millisecond catch up with the
	// rate, as far as the machine lets the sender.
	for i := 0; !stop.Load(); time.Sleep(500 * time.Microsecond) {
		for due := int(time.Since(start).Seconds() * floodRate); i < due && !stop.Load(); i++ {
			k := i % len(conns)
			if _, err := conns[k].Write(reqs[k]); err == nil {
				sent++
			}
		}
	}
	fmt.Printf("sent %d in %gs\n", sent, time.Since(start).Seconds())
	t.cleanup()
	return 0
}

// childT is the testing.TB of the flooding process, for the helpers it
// shares with the driver: failures go to standard error (FailNow exits),
// cleanups run at its end.
type childT struct {
	testing.TB
	failed   bool
	cleanups []func()
}

func (t *childT) Helper() {}
func (t *childT) Errorf(format string, args ...any) {
	t.failed = true
	fmt.Fprintf(os.Stderr, "flood: "+format+"\n", args...)
}
func (t *childT) FailNow()         { os.Exit(1) }
func (t *childT) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }
func (t *childT) cleanup() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// loadRig is a running server with its players.
type loadRig struct {
	srv    *server.Server
	target netip.AddrPort // where the probe asks
	cancel context.CancelFunc
	ran    chan error
	stopP  atomic.Bool
	wg     sync.WaitGroup
	inputs atomic.Uint64 // Inputs the players sent
	done   bool
}

// startRig starts a server, shared or with its own query port, joins its
// players and has them send an Input every tick while the server runs.
func startRig(b *testing.B, shared bool) *loadRig {
	b.Helper()
	srv := newServer(b, func(cfg *server.Config) {
		cfg.Backend = loadUniverse(b)
		cfg.SeparateQueryPort = !shared
		cfg.MaxPlayers = loadPlayers
	})
	pump(b, srv, 1000, func() bool { return status(srv).LoggedOn })
	u := universe(b)
	players := make([]*net.UDPConn, loadPlayers)
	for i := range players {
		players[i] = rawJoin(b, srv, u, fmt.Sprintf("player %d", i))
	}
	pump(b, srv, 1000, func() bool { return srv.Plugin().Sessions() == loadPlayers })
	r := &loadRig{srv: srv, target: srv.Addr(), ran: make(chan error, 1)}
	if !shared {
		r.target = netip.AddrPortFrom(srv.Addr().Addr(), srv.QueryPort())
	}
	var ctx context.Context
	ctx, r.cancel = context.WithCancel(context.Background())
	go func() { r.ran <- srv.Run(ctx) }()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		t := time.NewTicker(time.Second / 30)
		defer t.Stop()
		var pkt []byte
		for seq := uint32(1000); !r.stopP.Load(); seq++ {
			<-t.C
			pkt = proto.Input{Seq: seq, Buttons: uint8(seq>>3) & 0xF}.AppendTo(pkt[:0])
			for _, p := range players {
				if _, err := p.Write(pkt); err == nil {
					r.inputs.Add(1)
				}
			}
		}
	}()
	b.Cleanup(func() { r.stop(b) })
	return r
}

// stop stops the players, lets their last Inputs reach a tick, stops the
// server's loop and returns the Inputs sent and received. Later calls
// return zeros.
func (r *loadRig) stop(b *testing.B) (sent, received uint64) {
	if r.done {
		return 0, 0
	}
	r.done = true
	r.stopP.Store(true)
	r.wg.Wait()
	time.Sleep(200 * time.Millisecond)
	r.cancel()
	assert.NoError(b, <-r.ran, "Run")
	return r.inputs.Load(), r.srv.Counters().Inputs
}

// loadUniverse returns the universe of the load driver's server.
func loadUniverse(tb testing.TB) *local.Universe {
	tb.Helper()
	// Every source is on 127.0.0.1: the rate limit (the default, 50 per
	// 200 ms) counts each address and port as a source, so that the probe
	// is not limited for the flood's sake.
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(passphrase), QueryRateLimitByPort: true})
	require.NoError(tb, err)
	return u
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
	for range 10 {
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
	require.Fail(tb, "no challenge for every source")
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

// run asks for d, pausing between queries for a time drawn from every, and
// adds what it measured to r.
func (p *probe) run(r *loadResult, every [2]time.Duration, d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); {
		r.asked++
		if lat, ok := p.ask(); ok {
			r.answered++
			r.latency = append(r.latency, lat)
		}
		time.Sleep(every[0] + rand.N(every[1]-every[0]+1))
	}
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
