package query_test

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	a2s "github.com/rumblefrog/go-a2s"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steamgs/steamgs/steamgs/query"
)

// serve runs r.Serve on a fresh 127.0.0.1 port and returns the address; the
// listener is closed, and Serve's nil return checked, when the test ends.
func serve(t *testing.T, r *query.Responder) string {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- r.Serve(conn) }()
	t.Cleanup(func() {
		conn.Close()
		select {
		case err := <-done:
			assert.NoError(t, err, "Serve's return after close")
		case <-time.After(5 * time.Second):
			assert.Fail(t, "Serve did not return after close")
		}
	})
	return conn.LocalAddr().String()
}

func client(t *testing.T, addr string) *a2s.Client {
	t.Helper()
	c, err := a2s.NewClient(addr, a2s.TimeoutOption(3*time.Second))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// TestGoA2SInfo checks every INFO field, EDF included, as the independent
// go-a2s client reads it over real UDP (after the challenge round trip).
func TestGoA2SInfo(t *testing.T) {
	r := query.NewResponder(query.Config{})
	r.SetInfo(query.Info{
		Name: "Test Server ünïcode", Map: "ctf_2fort", Folder: "ebitengame", Game: "Ebiten Game",
		AppID: 1_234_567, MaxPlayers: 24, Bots: 2, Dedicated: true, Environment: 'w',
		Password: true, VAC: true, Version: "1.0.0.42",
		GamePort: 27015, SteamID: 90_071_992_547_409_921, SpectatorPort: 27020, SpectatorName: "SourceTV",
		Keywords: "ctf,casual",
	})
	now := time.Now()
	r.AddPlayer(1, now)
	r.AddPlayer(2, now)
	r.AddPlayer(3, now)
	r.SetAdvertise(true)
	info, err := client(t, serve(t, r)).QueryInfo()
	require.NoError(t, err)
	assert.Equal(t, uint8(17), info.Protocol, "Protocol")
	assert.Equal(t, "Test Server ünïcode", info.Name, "Name")
	assert.Equal(t, "ctf_2fort", info.Map, "Map")
	assert.Equal(t, "ebitengame", info.Folder, "Folder")
	assert.Equal(t, "Ebiten Game", info.Game, "Game")
	assert.Equal(t, uint16(1_234_567&0xFFFF), info.ID, "ID")
	assert.Equal(t, uint8(3), info.Players, "Players")
	assert.Equal(t, uint8(24), info.MaxPlayers, "MaxPlayers")
	assert.Equal(t, uint8(2), info.Bots, "Bots")
	assert.Equal(t, "Dedicated", info.ServerType.String(), "ServerType")
	assert.Equal(t, "Windows", info.ServerOS.String(), "ServerOS")
	assert.True(t, info.Visibility, "Visibility")
	assert.True(t, info.VAC, "VAC")
	assert.Equal(t, "1.0.0.42", info.Version, "Version")
	assert.Equal(t, uint8(0x80|0x10|0x40|0x20|0x01), info.EDF, "EDF")
	require.NotNil(t, info.ExtendedServerInfo, "EDF fields missing: %+v", info)
	require.NotNil(t, info.SourceTV, "EDF fields missing: %+v", info)
	assert.Equal(t, uint16(27015), info.ExtendedServerInfo.Port, "Port")
	assert.Equal(t, uint64(90_071_992_547_409_921), info.ExtendedServerInfo.SteamID, "SteamID")
	assert.Equal(t, "ctf,casual", info.ExtendedServerInfo.Keywords, "Keywords")
	assert.Equal(t, uint64(1_234_567), info.ExtendedServerInfo.GameID, "GameID")
	assert.Equal(t, uint16(27020), info.SourceTV.Port, "SourceTV.Port")
	assert.Equal(t, "SourceTV", info.SourceTV.Name, "SourceTV.Name")

	st := r.Stats()
	assert.Equal(t, uint64(1), st.Challenges, "challenges sent")
	assert.Equal(t, uint64(1), st.Info, "INFO answered")
}

// TestGoA2SInfoMinimal checks a listen server on Linux without EDF fields.
func TestGoA2SInfoMinimal(t *testing.T) {
	r := query.NewResponder(query.Config{})
	r.SetInfo(query.Info{Name: "listen", MaxPlayers: 4})
	r.SetAdvertise(true)
	info, err := client(t, serve(t, r)).QueryInfo()
	require.NoError(t, err)
	assert.Equal(t, "listen", info.Name, "Name")
	assert.Equal(t, "Non-Dedicated", info.ServerType.String(), "ServerType")
	assert.Equal(t, "Linux", info.ServerOS.String(), "ServerOS")
	assert.False(t, info.Visibility, "Visibility")
	assert.False(t, info.VAC, "VAC")
	assert.Equal(t, uint8(4), info.MaxPlayers, "MaxPlayers")
	assert.Zero(t, info.Players, "Players")
}

// TestGoA2SPlayers checks names, scores and durations of 255 players: a
// split reply that go-a2s reassembles.
func TestGoA2SPlayers(t *testing.T) {
	r := query.NewResponder(query.Config{})
	r.SetInfo(query.Info{Name: "s", MaxPlayers: 255})
	now := time.Now()
	for i := range 300 {
		id := uint64(76561198000000000 + i)
		r.AddPlayer(id, now.Add(-time.Duration(i)*time.Minute))
		r.UpdatePlayer(id, fmt.Sprintf("Player-%03d %s", i, strings.Repeat("~", 20)), uint32(int32(i-100)))
	}
	r.SetAdvertise(true)
	c := client(t, serve(t, r))
	info, err := c.QueryInfo()
	require.NoError(t, err)
	assert.Equal(t, uint8(255), info.Players, "INFO players (300 clamped)")
	pi, err := c.QueryPlayer()
	require.NoError(t, err)
	require.Equal(t, uint8(255), pi.Count, "player count")
	require.Len(t, pi.Players, 255)
	elapsed := float32(time.Since(now).Seconds())
	for i, p := range pi.Players {
		assert.Equal(t, fmt.Sprintf("Player-%03d %s", i, strings.Repeat("~", 20)), p.Name, "player %d name", i)
		assert.Equal(t, uint32(int32(i-100)), p.Score, "player %d score", i)
		want := float32(i * 60)
		assert.GreaterOrEqual(t, p.Duration, want, "player %d duration", i)
		assert.LessOrEqual(t, p.Duration, want+elapsed+1, "player %d duration", i)
	}
}

// TestGoA2SRules checks a RULES reply with hundreds of rules, split in many
// fragments, as go-a2s reassembles it.
func TestGoA2SRules(t *testing.T) {
	r := query.NewResponder(query.Config{})
	want := map[string]string{}
	for i := range 800 {
		k, v := fmt.Sprintf("sv_rule_%04d", i), fmt.Sprintf("value %d %s", i, strings.Repeat("x", i%50))
		require.NoError(t, r.SetRule(k, v))
		want[k] = v
	}
	r.SetAdvertise(true)
	ri, err := client(t, serve(t, r)).QueryRules()
	require.NoError(t, err)
	require.Equal(t, len(want), int(ri.Count), "rule count")
	require.Len(t, ri.Rules, len(want))
	for k, v := range want {
		assert.Equal(t, v, ri.Rules[k], "rule %s", k)
	}
	assert.GreaterOrEqual(t, r.Stats().Packets, uint64(20), "packets sent: RULES was not split")
}

// TestServeChallengeRoundTrip does the challenge round trip by hand over UDP
// and checks that a challenge from another source port is refused.
func TestServeChallengeRoundTrip(t *testing.T) {
	r := query.NewResponder(query.Config{})
	r.SetInfo(query.Info{Name: "round trip"})
	r.SetAdvertise(true)
	addr := serve(t, r)
	dial := func() *net.UDPConn {
		raddr, err := net.ResolveUDPAddr("udp", addr)
		require.NoError(t, err)
		c, err := net.DialUDP("udp", nil, raddr)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		return c
	}
	roundTrip := func(c *net.UDPConn, req []byte) []byte {
		t.Helper()
		_, err := c.Write(req)
		require.NoError(t, err)
		buf := make([]byte, 2048)
		_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
		n, err := c.Read(buf)
		require.NoError(t, err)
		return buf[:n]
	}
	c1, c2 := dial(), dial()
	reply := roundTrip(c1, query.AppendRequest(nil, query.Request{Kind: query.KindInfo}))
	ch, err := query.ParseChallenge(reply)
	require.NoError(t, err)
	// Another port does not get data with c1's challenge: it gets its own.
	reply = roundTrip(c2, query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: ch, HasChallenge: true}))
	ch2, err := query.ParseChallenge(reply)
	require.NoError(t, err, "other port's reply")
	require.NotEqual(t, ch, ch2, "other port's challenge")
	reply = roundTrip(c1, query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: ch, HasChallenge: true}))
	info, _, err := query.ParseInfo(reply)
	require.NoError(t, err)
	require.Equal(t, "round trip", info.Name)
	// The same challenge serves PLAYER and RULES; a ping needs none.
	reply = roundTrip(c1, query.AppendRequest(nil, query.Request{Kind: query.KindPlayers, Challenge: ch, HasChallenge: true}))
	_, err = query.ParsePlayers(reply)
	require.NoError(t, err)
	reply = roundTrip(c1, query.AppendRequest(nil, query.Request{Kind: query.KindPing}))
	require.Equal(t, "\xFF\xFF\xFF\xFFj", string(reply), "ping reply")
}

// TestServeStopsOnClose checks that Serve returns nil once its conn is closed,
// even when nothing arrived.
func TestServeStopsOnClose(t *testing.T) {
	r := query.NewResponder(query.Config{})
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- r.Serve(conn) }()
	time.Sleep(10 * time.Millisecond)
	conn.Close()
	select {
	case err := <-done:
		require.NoError(t, err, "Serve's return")
	case <-time.After(5 * time.Second):
		require.Fail(t, "Serve did not return")
	}
}

// TestServeConcurrentState queries with go-a2s over UDP while the game
// goroutine changes every part of the state; run with -race.
func TestServeConcurrentState(t *testing.T) {
	r := query.NewResponder(query.Config{RateLimit: -1})
	r.SetAdvertise(true)
	c := client(t, serve(t, r))
	stop := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			r.SetInfo(query.Info{Name: fmt.Sprint("server ", i), MaxPlayers: 64})
			r.AddPlayer(uint64(i%40), time.Now())
			r.UpdatePlayer(uint64(i%40), fmt.Sprint("p", i), uint32(i))
			if i%5 == 0 {
				r.RemovePlayer(uint64(i % 40))
			}
			_ = r.SetRule(fmt.Sprint("rule", i%300), strings.Repeat("v", i%30))
			if i%1000 == 999 {
				r.ClearRules()
			}
			time.Sleep(10 * time.Microsecond)
		}
	}()
	for i := range 30 {
		_, err := c.QueryInfo()
		require.NoError(t, err, "INFO %d", i)
		_, err = c.QueryPlayer()
		require.NoError(t, err, "PLAYER %d", i)
		_, err = c.QueryRules()
		require.NoError(t, err, "RULES %d", i)
	}
	close(stop)
	<-writerDone
}
