package ecs_test

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yohamta/donburi"
)

// TestHandlePacketAnswersAtOnce hands the plugin A2S queries as a socket
// goroutine does: each reply is sent before HandlePacket returns, without a
// tick, and is the same as the tick's path gives.
func TestHandlePacketAnswersAtOnce(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	h.Step(1)
	h.Sent()
	from := netip.MustParseAddrPort("127.0.0.1:40000")
	steps := h.Steps()
	assert.True(t, h.Plugin.HandlePacket(query.AppendRequest(nil, query.Request{Kind: query.KindInfo}), from), "A2S_INFO taken")
	sent := h.Sent()
	require.Len(t, sent, 1, "replies sent at once")
	assert.Equal(t, from, sent[0].To, "reply's destination")
	c, err := query.ParseChallenge(sent[0].Data)
	require.NoError(t, err, "challenge reply %q", sent[0].Data)

	req := query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: c, HasChallenge: true})
	assert.True(t, h.Plugin.HandlePacket(req, from), "A2S_INFO with its challenge taken")
	sent = h.Sent()
	require.Len(t, sent, 1, "replies sent at once")
	info, _, err := query.ParseInfo(sent[0].Data)
	require.NoError(t, err, "INFO reply %q", sent[0].Data)
	assert.Equal(t, "ecstest", info.Name, "server name")
	assert.Equal(t, steps, h.Steps(), "ticks run")

	// The tick's path (an inbox drained by the packets-in system) answers
	// the same query with the same bytes.
	require.True(t, h.Offer(req, from), "offered")
	h.Step(1)
	tick := h.Sent()
	require.Len(t, tick, 1, "replies of the tick")
	assert.Equal(t, sent[0], tick[0], "the tick's reply differs")

	assert.False(t, h.Plugin.HandlePacket([]byte("game data"), from), "the game's own datagram is not Steam's")
	assert.Empty(t, h.Sent(), "sent for the game's datagram")
}

// sharedServer returns a plugin over the embedded Steam in GameSocketShare
// mode, logged on and advertising, whose Send writes to a UDP socket on
// 127.0.0.1, and the address of a client socket that the replies go to.
func sharedServer(tb testing.TB) (*ecs.Plugin, netip.AddrPort) {
	tb.Helper()
	clock := local.NewManualClock(ecstest.DefaultStart())
	u, err := local.NewUniverse(local.Options{Clock: clock, QueryRateLimit: -1})
	require.NoError(tb, err)
	srv := steamgs.NewServer(u)
	require.NoError(tb, srv.Init(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1.0.0.0", AppID: 480,
		Product: "480", GameDescription: "bench", ModDir: "bench"}))
	tb.Cleanup(func() { _ = srv.Shutdown() })
	game, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = game.Close() })
	client, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = client.Close() })
	send := func(pkt []byte, to netip.AddrPort) { _, _ = game.WriteToUDPAddrPort(pkt, to) }
	p, err := ecs.Install(donburi.NewWorld(), srv, ecs.Options{Send: send, Now: clock.Now})
	require.NoError(tb, err)
	set := p.Settings()
	set.SetServerName("bench")
	set.SetAdvertiseServerActive(true)
	set.LogOnAnonymous()
	for i := 0; !p.Status().LoggedOn; i++ {
		require.Less(tb, i, 100, "not logged on")
		clock.Advance(time.Second / 30)
		p.Tick()
	}
	return p, client.LocalAddr().(*net.UDPAddr).AddrPort()
}

// TestHandlePacketAllocs checks that the shared path, from HandlePacket to
// the reply written to a UDP socket, allocates nothing per datagram.
func TestHandlePacketAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops buffers at random")
	}
	p, from := sharedServer(t)
	for _, tt := range []struct {
		name string
		kind query.Kind
	}{{"info", query.KindInfo}, {"players", query.KindPlayers}, {"rules", query.KindRules}} {
		t.Run(tt.name, func(t *testing.T) {
			bare := query.AppendRequest(nil, query.Request{Kind: tt.kind})
			full := query.AppendRequest(nil, query.Request{Kind: tt.kind, Challenge: challengeOf(t, p, from), HasChallenge: true})
			for _, req := range [][]byte{bare, full} {
				require.True(t, p.HandlePacket(req, from), "taken")
			}
			assert.Zero(t, testing.AllocsPerRun(100, func() { p.HandlePacket(bare, from) }), "challenge replies")
			assert.Zero(t, testing.AllocsPerRun(100, func() { p.HandlePacket(full, from) }), "replies with data")
		})
	}
}

// BenchmarkHandlePacket is one of Steam's datagrams on the shared path, as
// the game's socket goroutine hands it over: Plugin.HandlePacket, the
// embedded Steam's HandleIncomingPacket, and its reply written to a UDP
// socket on 127.0.0.1 before HandlePacket returns. It allocates nothing.
func BenchmarkHandlePacket(b *testing.B) {
	p, from := sharedServer(b)
	bare := query.AppendRequest(nil, query.Request{Kind: query.KindInfo})
	for _, bc := range []struct {
		name string
		req  func(c uint32) []byte
	}{
		{"challenge", func(uint32) []byte { return bare }},
		{"info", func(c uint32) []byte {
			return query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: c, HasChallenge: true})
		}},
		{"players", func(c uint32) []byte {
			return query.AppendRequest(nil, query.Request{Kind: query.KindPlayers, Challenge: c, HasChallenge: true})
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			// The challenge is the server's for from: ask for it the way a
			// client does, through a reply read back from the client socket.
			c := challengeOf(b, p, from)
			req := bc.req(c)
			require.True(b, p.HandlePacket(req, from), "taken")
			b.ReportAllocs()
			for b.Loop() {
				p.HandlePacket(req, from)
			}
		})
	}
}

// challengeOf returns the challenge the server behind p gives from, taken
// from the server's own reply through a Send that records it.
func challengeOf(tb testing.TB, p *ecs.Plugin, from netip.AddrPort) uint32 {
	tb.Helper()
	var c uint32
	var err error
	p.LockSteam()
	_ = p.Server().Raw(func(conn any) error {
		// The embedded Steam answers through its queue; read it back here.
		ls := conn.(*local.Server)
		ls.HandleIncomingPacket(query.AppendRequest(nil, query.Request{Kind: query.KindInfo}), from)
		buf := make([]byte, steamgs.MinOutgoingPacketBuffer)
		n, _ := ls.GetNextOutgoingPacket(buf)
		c, err = query.ParseChallenge(buf[:n])
		return nil
	})
	p.UnlockSteam()
	require.NoError(tb, err, "challenge")
	return c
}
