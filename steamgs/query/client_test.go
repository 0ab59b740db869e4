package query_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steamgs/steamgs/steamgs/query"
)

// dial opens a Client for addr, closed when the test ends.
func dial(t *testing.T, addr string) *query.Client {
	t.Helper()
	c, err := query.Dial(context.Background(), addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// serveAndDial serves r on loopback and returns a Client for it and a
// context that ends in 5 s.
func serveAndDial(t *testing.T, r *query.Responder) (*query.Client, context.Context) {
	t.Helper()
	return dial(t, serve(t, r)), timeout(t, 5*time.Second)
}

// timeout returns a context that ends after d, cancelled when the test ends.
func timeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// fakeServer answers every datagram sent to a fresh 127.0.0.1 port with what
// answer returns (nothing when it returns nil), until the test ends. It
// counts the datagrams it received.
func fakeServer(t *testing.T, answer func(req []byte) [][]byte) (string, *atomic.Int64) {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	var n atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for {
			k, from, err := conn.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			n.Add(1)
			for _, pkt := range answer(append([]byte(nil), buf[:k]...)) {
				_, _ = conn.WriteToUDPAddrPort(pkt, from)
			}
		}
	}()
	t.Cleanup(func() {
		conn.Close()
		<-done
	})
	return conn.LocalAddr().String(), &n
}

// fragments splits reply into Source-format fragments of ID id.
func fragments(t *testing.T, id uint32, reply []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for i := range query.SplitCount(len(reply)) {
		f, err := query.AppendFragment(nil, id, reply, i)
		require.NoError(t, err)
		out = append(out, f)
	}
	return out
}

// TestClientResponder asks a Responder over loopback for its INFO, PLAYER
// and RULES: every field arrives, the challenge of the first query serves the
// others, and each reply reports its round trip.
func TestClientResponder(t *testing.T) {
	r := query.NewResponder(query.Config{})
	info := query.Info{Name: "Arena ünïcode", Map: "arena", Folder: "coinarena", Game: "Coin Arena",
		AppID: 1_234_567, MaxPlayers: 16, Bots: 1, Dedicated: true, Environment: 'l', VAC: true, Version: "1.0.0.0",
		GamePort: 27015, SteamID: 90_071_992_547_409_921, Keywords: "coins,arena"}
	r.SetInfo(info)
	joined := time.Now().Add(-3 * time.Second)
	r.AddPlayer(1, joined)
	r.UpdatePlayer(1, "alice", 42)
	r.AddPlayer(2, joined)
	r.UpdatePlayer(2, "bot 1", 0xFFFFFFFF)
	require.NoError(t, r.SetRule("tickrate", "30"))
	require.NoError(t, r.SetRule("coins", "12"))
	r.SetAdvertise(true)
	c, ctx := serveAndDial(t, r)

	got, err := c.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, info, got.Info)
	assert.Equal(t, 2, got.Players, "players counted")
	assert.Positive(t, got.RTT, "round trip")
	assert.Less(t, got.RTT, time.Second, "round trip over loopback")

	players, err := c.Players(ctx)
	require.NoError(t, err)
	require.Len(t, players.Players, 2)
	assert.Equal(t, "alice", players.Players[0].Name)
	assert.Equal(t, uint32(42), players.Players[0].Score)
	assert.InDelta(t, 3, players.Players[0].Duration, 1, "alice's time connected")
	assert.Equal(t, uint32(0xFFFFFFFF), players.Players[1].Score, "the score's 32 bits")
	assert.Positive(t, players.RTT)

	rules, err := c.Rules(ctx)
	require.NoError(t, err)
	assert.Equal(t, []query.Rule{{Name: "tickrate", Value: "30"}, {Name: "coins", Value: "12"}}, rules.Rules)
	assert.Positive(t, rules.RTT)

	st := r.Stats()
	assert.Equal(t, uint64(1), st.Challenges, "challenges sent: INFO's serves PLAYER and RULES")
	assert.Equal(t, [3]uint64{1, 1, 1}, [3]uint64{st.Info, st.Players, st.Rules}, "queries answered")
	assert.Equal(t, netip.MustParseAddrPort(c.Addr().String()), c.Addr())
}

// TestClientSplitReply reads RULES and PLAYER replies split into fragments.
func TestClientSplitReply(t *testing.T) {
	r := query.NewResponder(query.Config{})
	want := make([]query.Rule, 300)
	for i := range want {
		want[i] = query.Rule{Name: fmt.Sprintf("rule%03d", i), Value: "a fairly long value to fill the fragments"}
		require.NoError(t, r.SetRule(want[i].Name, want[i].Value))
	}
	for i := range 255 {
		r.AddPlayer(uint64(i+1), time.Now())
		r.UpdatePlayer(uint64(i+1), fmt.Sprintf("player with a long name %03d", i), uint32(i))
	}
	r.SetAdvertise(true)
	c, ctx := serveAndDial(t, r)
	rules, err := c.Rules(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, rules.Rules)
	players, err := c.Players(ctx)
	require.NoError(t, err)
	require.Len(t, players.Players, 255)
	assert.Equal(t, "player with a long name 254", players.Players[254].Name)
	assert.Greater(t, r.Stats().Packets, uint64(4), "the replies were split")
}

// TestClientFragmentsOutOfOrder checks fragments that arrive reversed,
// repeated and after a stale fragment of another reply.
func TestClientFragmentsOutOfOrder(t *testing.T) {
	rules := make([]query.Rule, 200)
	for i := range rules {
		rules[i] = query.Rule{Name: fmt.Sprintf("k%d", i), Value: "value value value"}
	}
	reply := query.AppendRules(nil, rules)
	frags := fragments(t, 9, reply)
	require.Greater(t, len(frags), 2)
	stale := fragments(t, 8, reply)[0]
	addr, _ := fakeServer(t, func([]byte) [][]byte {
		out := [][]byte{frags[len(frags)-1], stale}
		for i := len(frags) - 1; i >= 0; i-- {
			out = append(out, frags[i])
		}
		return out
	})
	got, err := dial(t, addr).Rules(timeout(t, 5*time.Second))
	require.NoError(t, err)
	assert.Equal(t, rules, got.Rules)
}

// TestClientCompressed checks a split reply with the compressed flag is
// refused with an error that says so.
func TestClientCompressed(t *testing.T) {
	reply := query.AppendRules(nil, []query.Rule{{Name: "a", Value: "b"}})
	frag, err := query.AppendFragment(nil, 5, reply, 0)
	require.NoError(t, err)
	binary.LittleEndian.PutUint32(frag[4:], 0x80000005) // the bzip2 flag
	addr, _ := fakeServer(t, func([]byte) [][]byte { return [][]byte{frag} })
	_, err = dial(t, addr).Rules(timeout(t, 5*time.Second))
	require.ErrorIs(t, err, query.ErrMalformed)
	assert.ErrorContains(t, err, "compressed flag")
	assert.ErrorContains(t, err, "0x80000005")
}

// TestClientTimeout checks a silent server: the query is sent again every
// Resend and fails when the context ends, with an error matching both
// ErrNoReply and the context's.
func TestClientTimeout(t *testing.T) {
	addr, received := fakeServer(t, func([]byte) [][]byte { return nil })
	start := time.Now()
	_, err := dial(t, addr).Info(timeout(t, 3*query.Resend/2))
	elapsed := time.Since(start)
	require.ErrorIs(t, err, query.ErrNoReply)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "A2S_INFO to "+addr)
	assert.Less(t, elapsed, 3*query.Resend, "the query outlived its context")
	assert.Eventually(t, func() bool { return received.Load() == 2 }, time.Second, 10*time.Millisecond,
		"requests sent: the first and one repeat, got %d", received.Load())
}

// TestClientCancel checks that cancelling the context ends a query at once.
func TestClientCancel(t *testing.T) {
	addr, _ := fakeServer(t, func([]byte) [][]byte { return nil })
	c := dial(t, addr)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Players(ctx)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, query.ErrNoReply)
	assert.Less(t, time.Since(start), query.Resend, "the cancel waited for a resend")
}

// TestClientUnreachable checks a port nobody listens on: the system's
// refusal ends the query before its context.
func TestClientUnreachable(t *testing.T) {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	addr := conn.LocalAddr().String()
	require.NoError(t, conn.Close())
	start := time.Now()
	_, err = dial(t, addr).Info(timeout(t, 10*time.Second))
	require.ErrorIs(t, err, query.ErrNoReply)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
}

// TestClientChallengeLoop checks a server that answers every request with a
// new challenge: the query gives up with an error that says so.
func TestClientChallengeLoop(t *testing.T) {
	var next atomic.Uint32
	addr, received := fakeServer(t, func([]byte) [][]byte {
		return [][]byte{query.AppendChallenge(nil, next.Add(1))}
	})
	_, err := dial(t, addr).Info(timeout(t, 5*time.Second))
	require.ErrorIs(t, err, query.ErrNoReply)
	assert.ErrorContains(t, err, "challenges and no data")
	assert.LessOrEqual(t, received.Load(), int64(6), "requests sent")
}

// TestClientStaleChallenge checks that a repeated challenge (the answer to
// an earlier copy of a request) does not start the round trip again.
func TestClientStaleChallenge(t *testing.T) {
	const challenge = 77
	info := query.AppendInfo(nil, query.Info{Name: "x"}, 0)
	addr, received := fakeServer(t, func(req []byte) [][]byte {
		r, err := query.ParseRequest(req)
		if err != nil || !r.HasChallenge {
			return [][]byte{query.AppendChallenge(nil, challenge)}
		}
		// The old challenge again, then the data.
		return [][]byte{query.AppendChallenge(nil, challenge), info}
	})
	got, err := dial(t, addr).Info(timeout(t, 5*time.Second))
	require.NoError(t, err)
	assert.Equal(t, "x", got.Info.Name)
	assert.Equal(t, int64(2), received.Load(), "requests sent")
}

// TestClientIgnoresOtherReplies checks that a reply of another type (a late
// answer to an earlier query) and junk do not end a query.
func TestClientIgnoresOtherReplies(t *testing.T) {
	players := query.AppendPlayers(nil, []query.Player{{Name: "p", Score: 1}})
	addr, _ := fakeServer(t, func([]byte) [][]byte {
		return [][]byte{query.AppendInfo(nil, query.Info{}, 0), []byte("junk"), {0xFF}, players}
	})
	got, err := dial(t, addr).Players(timeout(t, 5*time.Second))
	require.NoError(t, err)
	assert.Equal(t, []query.Player{{Name: "p", Score: 1}}, got.Players)
}

// TestClientMalformedReply checks that a data reply that does not decode is
// an error naming the query.
func TestClientMalformedReply(t *testing.T) {
	addr, _ := fakeServer(t, func([]byte) [][]byte { return [][]byte{{0xFF, 0xFF, 0xFF, 0xFF, 'D', 3, 0}} })
	_, err := dial(t, addr).Players(timeout(t, 5*time.Second))
	require.ErrorIs(t, err, query.ErrMalformed)
	assert.ErrorContains(t, err, "A2S_PLAYER reply from")
}

// TestClientClose checks that Close ends a query in flight and that a
// closed client's queries fail.
func TestClientClose(t *testing.T) {
	addr, _ := fakeServer(t, func([]byte) [][]byte { return nil })
	c, err := query.Dial(context.Background(), addr)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := c.Rules(context.Background())
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, c.Close())
	select {
	case err := <-done:
		assert.ErrorIs(t, err, net.ErrClosed)
	case <-time.After(5 * time.Second):
		require.Fail(t, "Close did not end the query")
	}
	_, err = c.Info(context.Background())
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.ErrorIs(t, c.Close(), net.ErrClosed, "a second Close")
}

// TestClientDialError checks an address that does not parse.
func TestClientDialError(t *testing.T) {
	_, err := query.Dial(context.Background(), "127.0.0.1")
	assert.ErrorContains(t, err, "query: dial 127.0.0.1")
}

// TestClientAgreesWithGoA2S asks one Responder with this client and with the
// independent go-a2s client: both read the same INFO, players and rules.
func TestClientAgreesWithGoA2S(t *testing.T) {
	r := query.NewResponder(query.Config{})
	r.SetInfo(query.Info{Name: "both", Map: "m", Folder: "f", Game: "g", AppID: 480, MaxPlayers: 8,
		Dedicated: true, Version: "2", GamePort: 27015, Keywords: "a,b"})
	for i := range 40 {
		r.AddPlayer(uint64(i+1), time.Now())
		r.UpdatePlayer(uint64(i+1), fmt.Sprintf("p%d", i), uint32(i*3))
	}
	for i := range 150 {
		require.NoError(t, r.SetRule(fmt.Sprintf("rule%d", i), fmt.Sprint(i)))
	}
	r.SetAdvertise(true)
	addr := serve(t, r)
	ours := dial(t, addr)
	theirs := client(t, addr)
	ctx := timeout(t, 5*time.Second)

	info, err := ours.Info(ctx)
	require.NoError(t, err)
	ti, err := theirs.QueryInfo()
	require.NoError(t, err)
	assert.Equal(t, ti.Name, info.Info.Name)
	assert.Equal(t, ti.Map, info.Info.Map)
	assert.Equal(t, int(ti.Players), info.Players)
	assert.Equal(t, int(ti.MaxPlayers), info.Info.MaxPlayers)
	assert.Equal(t, ti.ExtendedServerInfo.GameID, info.Info.AppID)
	assert.Equal(t, ti.ExtendedServerInfo.Keywords, info.Info.Keywords)

	players, err := ours.Players(ctx)
	require.NoError(t, err)
	tp, err := theirs.QueryPlayer()
	require.NoError(t, err)
	require.Len(t, players.Players, len(tp.Players))
	for i, p := range tp.Players {
		assert.Equal(t, p.Name, players.Players[i].Name, "player %d", i)
		assert.Equal(t, p.Score, players.Players[i].Score, "player %d", i)
	}

	rules, err := ours.Rules(ctx)
	require.NoError(t, err)
	tr, err := theirs.QueryRules()
	require.NoError(t, err)
	require.Len(t, rules.Rules, len(tr.Rules))
	for _, rule := range rules.Rules {
		assert.Equal(t, tr.Rules[rule.Name], rule.Value, "rule %s", rule.Name)
	}
}

// A client asks a server's INFO, then its players; each query takes its
// deadline from the context.
func ExampleClient() {
	r := query.NewResponder(query.Config{})
	r.SetInfo(query.Info{Name: "My Server", Map: "arena", MaxPlayers: 8})
	r.AddPlayer(1, time.Now())
	r.UpdatePlayer(1, "alice", 7)
	r.SetAdvertise(true)
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		fmt.Println(err)
		return
	}
	go r.Serve(conn)
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c, err := query.Dial(ctx, conn.LocalAddr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	info, err := c.Info(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s on %s: %d/%d players\n", info.Info.Name, info.Info.Map, info.Players, info.Info.MaxPlayers)
	players, err := c.Players(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range players.Players {
		fmt.Println(p.Name, p.Score)
	}
	_, err = c.Rules(ctx)
	fmt.Println(errors.Is(err, query.ErrNoReply), err == nil)
	// Output:
	// My Server on arena: 1/8 players
	// alice 7
	// false true
}
