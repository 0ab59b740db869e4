package query

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchResponder is a Responder with full state: INFO with every EDF field,
// 64 players, 100 rules.
func benchResponder(cfg Config) *Responder {
	r := NewResponder(cfg)
	r.SetInfo(fullInfo())
	now := time.Now()
	for i := range 64 {
		r.AddPlayer(uint64(i), now)
		r.UpdatePlayer(uint64(i), fmt.Sprintf("player%d", i), uint32(i))
	}
	for i := range 100 {
		_ = r.SetRule(fmt.Sprintf("rule%d", i), "value")
	}
	r.SetAdvertise(true)
	return r
}

func benchHandle(b *testing.B, r *Responder, req []byte, from netip.AddrPort, wantKind byte) {
	b.Helper()
	n := 0
	var last byte
	var dst netip.AddrPort
	send := func(p []byte, to netip.AddrPort) { n += len(p); last = p[4]; dst = to }
	// Two warm-up requests: a split reply takes two buffers from the pool,
	// and the first request leaves the smaller one where the reply goes next.
	for range 2 {
		require.True(b, r.Handle(req, from, send), "request not consumed")
		require.Equal(b, from, dst, "destination")
	}
	if wantKind != 0 {
		require.Equal(b, wantKind, last, "reply type")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r.Handle(req, from, send)
	}
	b.ReportMetric(float64(n)/float64(b.N+2), "B/reply")
}

// BenchmarkHandleInfo is one INFO query with a valid challenge through Handle,
// no socket, with the rate limiter counting (its limit out of reach).
func BenchmarkHandleInfo(b *testing.B) {
	r := benchResponder(Config{RateLimit: 1 << 30})
	from := addr("192.0.2.1:27005")
	req := AppendRequest(nil, Request{Kind: KindInfo, Challenge: r.Challenge(from), HasChallenge: true})
	benchHandle(b, r, req, from, 'I')
}

// BenchmarkHandlePlayers is a PLAYER query (64 players, durations patched).
func BenchmarkHandlePlayers(b *testing.B) {
	r := benchResponder(Config{RateLimit: -1})
	from := addr("192.0.2.1:27005")
	req := AppendRequest(nil, Request{Kind: KindPlayers, Challenge: r.Challenge(from), HasChallenge: true})
	benchHandle(b, r, req, from, 'D')
}

// BenchmarkHandleRulesSplit is a RULES query whose reply is split (500 rules).
func BenchmarkHandleRulesSplit(b *testing.B) {
	r := benchResponder(Config{RateLimit: -1})
	for i := range 500 {
		_ = r.SetRule(fmt.Sprintf("long_rule_%d", i), strings.Repeat("v", 40))
	}
	from := addr("192.0.2.1:27005")
	req := AppendRequest(nil, Request{Kind: KindRules, Challenge: r.Challenge(from), HasChallenge: true})
	benchHandle(b, r, req, from, 0)
}

// BenchmarkHandleChallenge is an INFO query without a challenge.
func BenchmarkHandleChallenge(b *testing.B) {
	r := benchResponder(Config{RateLimit: -1})
	benchHandle(b, r, AppendRequest(nil, Request{Kind: KindInfo}), addr("192.0.2.1:27005"), 'A')
}

// BenchmarkHandleJunk is a datagram that is not A2S.
func BenchmarkHandleJunk(b *testing.B) {
	r := benchResponder(Config{})
	junk := []byte("\xFF\xFF\xFF\xFFconnect 12345")
	from := addr("192.0.2.1:27005")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r.Handle(junk, from, nil)
	}
}

// BenchmarkHandleSpoofedFlood is a challenge-less INFO query from a new
// source each time, through the rate limiter's full table.
func BenchmarkHandleSpoofedFlood(b *testing.B) {
	r := benchResponder(Config{})
	req := AppendRequest(nil, Request{Kind: KindInfo})
	send := func([]byte, netip.AddrPort) {}
	r.Handle(req, addr("192.0.2.1:27005"), send) // allocates the rate limit's table
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		ip := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		r.Handle(req, netip.AddrPortFrom(ip, uint16(i)), send)
	}
}

func BenchmarkParseRequest(b *testing.B) {
	req := AppendRequest(nil, Request{Kind: KindInfo, Challenge: 1234, HasChallenge: true})
	b.ReportAllocs()
	for range b.N {
		if _, err := ParseRequest(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendInfo(b *testing.B) {
	info := fullInfo()
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for range b.N {
		buf = AppendInfo(buf[:0], info, 10)
	}
}

func BenchmarkParseInfo(b *testing.B) {
	reply := AppendInfo(nil, fullInfo(), 10)
	b.ReportAllocs()
	for range b.N {
		if _, _, err := ParseInfo(reply); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoopback measures queries per second over loopback UDP: one client
// sends an INFO query with a valid challenge and waits for the reply, against
// the Responder's Serve (rate limit off) and against a raw UDP echo server
// (a goroutine that reads and writes back), in the same run.
func BenchmarkLoopback(b *testing.B) {
	listen := func(b *testing.B) *net.UDPConn {
		conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		require.NoError(b, err)
		return conn
	}
	// run drives one client against the server on srv until b.N replies came back.
	run := func(b *testing.B, srv *net.UDPConn, serve func() error, req func(client *net.UDPConn) []byte) {
		done := make(chan error, 1)
		go func() { done <- serve() }()
		defer func() {
			srv.Close()
			assert.NoError(b, <-done)
		}()
		client, err := net.DialUDP("udp", nil, srv.LocalAddr().(*net.UDPAddr))
		require.NoError(b, err)
		defer client.Close()
		q := req(client)
		buf := make([]byte, 2048)
		_ = client.SetReadDeadline(time.Now().Add(time.Minute))
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if _, err := client.Write(q); err != nil {
				b.Fatal(err)
			}
			if _, err := client.Read(buf); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
	}
	b.Run("responder", func(b *testing.B) {
		r := benchResponder(Config{RateLimit: -1})
		srv := listen(b)
		run(b, srv, func() error { return r.Serve(srv) }, func(client *net.UDPConn) []byte {
			from := client.LocalAddr().(*net.UDPAddr).AddrPort()
			req := AppendRequest(nil, Request{Kind: KindInfo, Challenge: r.Challenge(from), HasChallenge: true})
			// Check once that the challenge is accepted: the reply is INFO.
			buf := make([]byte, 2048)
			_, _ = client.Write(req)
			_ = client.SetReadDeadline(time.Now().Add(5 * time.Second))
			n, err := client.Read(buf)
			require.NoError(b, err)
			require.GreaterOrEqual(b, n, 5, "reply % x", buf[:n])
			require.Equal(b, byte('I'), buf[4], "reply % x", buf[:n])
			return req
		})
	})
	b.Run("echo", func(b *testing.B) {
		srv := listen(b)
		// The same INFO request; the echo server sends it back as is.
		echo := func() error {
			_ = srv.SetReadBuffer(SocketReadBuffer)
			buf := make([]byte, serveBufSize)
			for {
				n, from, err := srv.ReadFromUDPAddrPort(buf)
				if err != nil {
					if errors.Is(err, net.ErrClosed) {
						return nil
					}
					continue
				}
				_, _ = srv.WriteToUDPAddrPort(buf[:n], from)
			}
		}
		run(b, srv, echo, func(*net.UDPConn) []byte {
			return AppendRequest(nil, Request{Kind: KindInfo, Challenge: 1, HasChallenge: true})
		})
	})
}

// TestHandleAllocs checks that Handle allocates nothing per datagram once
// warm, for every reply kind, whole and split, through a send that takes the
// destination (what a game's shared-socket path relies on).
func TestHandleAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops buffers at random")
	}
	r := benchResponder(Config{Key: testKey, RateLimit: 1 << 30}) // the limiter counts
	rulesSplit := benchResponder(Config{Key: testKey, RateLimit: 1 << 30})
	for i := range 500 {
		require.NoError(t, rulesSplit.SetRule(fmt.Sprintf("long_rule_%d", i), strings.Repeat("v", 40)))
	}
	from := addr("192.0.2.1:27005")
	c := r.Challenge(from)
	withChallenge := func(k Kind) []byte {
		return AppendRequest(nil, Request{Kind: k, Challenge: c, HasChallenge: true})
	}
	tests := []struct {
		name  string
		r     *Responder
		req   []byte
		kind  byte // reply type of the first datagram
		split bool
	}{
		{"info", r, withChallenge(KindInfo), 'I', false},
		{"players", r, withChallenge(KindPlayers), 'D', false},
		{"rules whole", r, withChallenge(KindRules), 'E', false},
		{"rules split", rulesSplit, withChallenge(KindRules), 0, true},
		{"challenge", r, AppendRequest(nil, Request{Kind: KindInfo}), 'A', false},
		{"stale challenge", r, AppendRequest(nil, Request{Kind: KindPlayers, Challenge: c ^ 1, HasChallenge: true}), 'A', false},
		{"legacy getchallenge", r, hdr('W', 0, 0, 0, 0), 'A', false},
		{"ping", r, hdr('i'), 'j', false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls, pkts, bad int
			send := func(b []byte, to netip.AddrPort) {
				pkts++
				if to != from || len(b) < 5 || len(b) > MaxPacketSize {
					bad++
					return
				}
				if tt.split {
					if le.Uint32(b) != splitHeader {
						bad++
					}
				} else if le.Uint32(b) != simpleHeader || b[4] != tt.kind {
					bad++
				}
			}
			handle := func() {
				calls++
				if !tt.r.Handle(tt.req, from, send) {
					bad++
				}
			}
			// Warm up: encode the snapshot, allocate the limiter's table and
			// fill the buffer pool (a split reply takes two buffers).
			for range 3 {
				handle()
			}
			_ = testing.AllocsPerRun(3, handle)
			assert.Zero(t, testing.AllocsPerRun(200, handle), "allocations per datagram")
			// AllocsPerRun rounds down: check some datagrams one by one too.
			for i := range 10 {
				assert.Zero(t, testing.AllocsPerRun(1, handle), "allocations of datagram %d", i)
			}
			assert.Zero(t, bad, "bad replies")
			if tt.split {
				assert.Greater(t, pkts, calls, "split reply not split")
				assert.Zero(t, pkts%calls, "fragments per reply vary")
			} else {
				assert.Equal(t, calls, pkts, "one datagram per request")
			}
		})
	}
	assert.Zero(t, r.Stats().DroppedRateLimit, "rate limited")
}

// outQueue is a bounded queue of outgoing datagrams with their destinations,
// its buffers allocated once: what a game's shared socket sends from.
type outQueue struct {
	bufs  [][]byte
	to    []netip.AddrPort
	n     int // datagrams queued
	drops int
}

func newOutQueue(n int) *outQueue {
	q := &outQueue{bufs: make([][]byte, n), to: make([]netip.AddrPort, n)}
	for i := range q.bufs {
		q.bufs[i] = make([]byte, 0, MaxPacketSize)
	}
	return q
}

func (q *outQueue) push(b []byte, to netip.AddrPort) {
	if q.n == len(q.bufs) || len(b) > MaxPacketSize {
		q.drops++
		return
	}
	q.bufs[q.n] = append(q.bufs[q.n][:0], b...)
	q.to[q.n] = to
	q.n++
}

// BenchmarkHandleInfoToQueue is an INFO query with a valid challenge
// answered into a destination-aware send that queues the datagram and its
// address, drained each time, as a game answering on its shared socket does.
func BenchmarkHandleInfoToQueue(b *testing.B) {
	r := benchResponder(Config{RateLimit: 1 << 30})
	from := addr("192.0.2.1:27005")
	req := AppendRequest(nil, Request{Kind: KindInfo, Challenge: r.Challenge(from), HasChallenge: true})
	q := newOutQueue(16)
	send := q.push // one method value for the whole run
	require.True(b, r.Handle(req, from, send), "request not consumed")
	require.Equal(b, 1, q.n, "datagrams queued")
	require.Equal(b, from, q.to[0], "destination")
	require.Equal(b, byte('I'), q.bufs[0][4], "reply type")
	q.n = 0
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r.Handle(req, from, send)
		q.n = 0 // drained
	}
	b.StopTimer()
	require.Zero(b, q.drops, "datagrams dropped")
}
