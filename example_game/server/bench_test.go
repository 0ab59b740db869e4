package server_test

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/require"
)

// rawJoin joins srv through the protocol by hand from a fresh socket, and
// returns the socket. Nobody reads the snapshots it receives afterwards, so
// that a benchmark measures the server alone.
func rawJoin(tb testing.TB, srv *server.Server, u *local.Universe, name string) *net.UDPConn {
	tb.Helper()
	conn := dialLoad(tb, srv.Addr())
	id := u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{server.DefaultAppID}})
	buf := make([]byte, 2048)
	// await sends pkt, ticks the server and returns the first reply of type t.
	await := func(pkt []byte, t proto.Type) []byte {
		for range 100 {
			_, err := conn.Write(pkt)
			require.NoError(tb, err)
			srv.Tick()
			_ = conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
			for {
				n, err := conn.Read(buf)
				if err != nil {
					break
				}
				if got, _ := proto.Peek(buf[:n]); got == t {
					return buf[:n]
				}
			}
		}
		require.Fail(tb, fmt.Sprintf("%s: no %s", name, t))
		return nil
	}
	ch, err := proto.ParseChallenge(await(proto.Hello{Name: name}.AppendTo(nil), proto.TypeChallenge))
	require.NoError(tb, err)
	_, ticket, err := u.GetAuthSessionTicket(id, server.DefaultAppID, steamgs.Identity{SteamID: steamgs.SteamID(ch.ServerID)})
	require.NoError(tb, err)
	await(proto.Connect{Token: ch.Token, SteamID: uint64(id), Name: name, Ticket: ticket}.AppendTo(nil), proto.TypeWelcome)
	return conn
}

// benchServer returns a logged-on server with 32 approved remote players.
func benchServer(b *testing.B) (*server.Server, []*net.UDPConn) {
	srv := newServer(b, func(c *server.Config) {
		c.MaxPlayers = 32
		// The benchmark's clients send no input: keep them however long
		// the joins take.
		c.ClientTimeout, c.SilentTimeout = time.Hour, time.Hour
		c.ConnectByPort = true // every client is on 127.0.0.1
	})
	pump(b, srv, 1000, func() bool { return status(srv).LoggedOn })
	u := universe(b)
	conns := make([]*net.UDPConn, 32)
	for i := range conns {
		conns[i] = rawJoin(b, srv, u, fmt.Sprintf("player %02d", i))
	}
	pump(b, srv, 1000, func() bool { return srv.Plugin().Sessions() == 32 })
	for range 100 { // warm up: every buffer at its final size
		srv.Tick()
	}
	return srv, conns
}

// BenchmarkTick32Clients measures one server tick with 32 connected,
// approved clients: every system runs and 32 snapshots are encoded once and
// sent.
func BenchmarkTick32Clients(b *testing.B) {
	srv, _ := benchServer(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		srv.Tick()
	}
	b.ReportMetric(32, "clients")
}

// BenchmarkTick32ClientsWithInput is BenchmarkTick32Clients with every
// client sending an Input before each tick (the 32 sends are included).
func BenchmarkTick32ClientsWithInput(b *testing.B) {
	srv, conns := benchServer(b)
	pkts := make([][]byte, len(conns))
	seq := uint32(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		seq++
		for i, c := range conns {
			pkts[i] = proto.Input{Seq: seq, Buttons: uint8(seq>>4) & 0xF}.AppendTo(pkts[i][:0])
			_, _ = c.Write(pkts[i])
		}
		srv.Tick()
	}
	b.StopTimer()
	require.NotZero(b, srv.Counters().GameIn, "the server received no input")
}

// BenchmarkQueryRoundTrip is one A2S_INFO query with a valid challenge and
// its reply over loopback, one at a time, against the example's server
// sharing its game socket (the socket goroutine, the plugin's HandlePacket,
// the embedded Steam, the reply written) and, in the same run, against the
// embedded Steam's own query port. No tick runs. The allocations counted
// are the whole process's: the client's and the server's shared path.
func BenchmarkQueryRoundTrip(b *testing.B) {
	for _, shared := range []bool{true, false} {
		name := "shared"
		if !shared {
			name = "own-port"
		}
		b.Run(name, func(b *testing.B) {
			// A rate limit that counts every query but stops none.
			u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(passphrase), QueryRateLimit: 1 << 30})
			require.NoError(b, err)
			srv := newServer(b, func(c *server.Config) {
				c.Backend = u
				c.SeparateQueryPort = !shared
			})
			pump(b, srv, 1000, func() bool { return status(srv).LoggedOn })
			to := srv.Addr()
			if !shared {
				to = netip.AddrPortFrom(to.Addr(), srv.QueryPort())
			}
			p := newProbe(b, to)
			for range 100 { // warm up
				_, ok := p.ask()
				require.True(b, ok, "no reply")
			}
			require.NoError(b, p.conn.SetReadDeadline(time.Now().Add(time.Minute)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := p.conn.Write(p.req); err != nil {
					b.Fatal(err)
				}
				if _, err := p.conn.Read(p.buf); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
		})
	}
}
