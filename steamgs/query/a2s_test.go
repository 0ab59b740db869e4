package query_test

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	a2s "github.com/rumblefrog/go-a2s"

	"github.com/steamgs/steamgs/steamgs/query"
)

// serve runs r.Serve on a fresh 127.0.0.1 port and returns the address; the
// listener is closed, and Serve's nil return checked, when the test ends.
func serve(t *testing.T, r *query.Responder) string {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Serve(conn) }()
	t.Cleanup(func() {
		conn.Close()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve returned %v after close", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return after close")
		}
	})
	return conn.LocalAddr().String()
}

func client(t *testing.T, addr string) *a2s.Client {
	t.Helper()
	c, err := a2s.NewClient(addr, a2s.TimeoutOption(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("Protocol", info.Protocol, uint8(17))
	check("Name", info.Name, "Test Server ünïcode")
	check("Map", info.Map, "ctf_2fort")
	check("Folder", info.Folder, "ebitengame")
	check("Game", info.Game, "Ebiten Game")
	check("ID", info.ID, uint16(1_234_567&0xFFFF))
	check("Players", info.Players, uint8(3))
	check("MaxPlayers", info.MaxPlayers, uint8(24))
	check("Bots", info.Bots, uint8(2))
	check("ServerType", info.ServerType.String(), "Dedicated")
	check("ServerOS", info.ServerOS.String(), "Windows")
	check("Visibility", info.Visibility, true)
	check("VAC", info.VAC, true)
	check("Version", info.Version, "1.0.0.42")
	check("EDF", info.EDF, uint8(0x80|0x10|0x40|0x20|0x01))
	if info.ExtendedServerInfo == nil || info.SourceTV == nil {
		t.Fatalf("EDF fields missing: %+v", info)
	}
	check("Port", info.ExtendedServerInfo.Port, uint16(27015))
	check("SteamID", info.ExtendedServerInfo.SteamID, uint64(90_071_992_547_409_921))
	check("Keywords", info.ExtendedServerInfo.Keywords, "ctf,casual")
	check("GameID", info.ExtendedServerInfo.GameID, uint64(1_234_567))
	check("SourceTV.Port", info.SourceTV.Port, uint16(27020))
	check("SourceTV.Name", info.SourceTV.Name, "SourceTV")

	st := r.Stats()
	check("challenges sent", st.Challenges, uint64(1))
	check("INFO answered", st.Info, uint64(1))
}

// TestGoA2SInfoMinimal checks a listen server on Linux without EDF fields.
func TestGoA2SInfoMinimal(t *testing.T) {
	r := query.NewResponder(query.Config{})
	r.SetInfo(query.Info{Name: "listen", MaxPlayers: 4})
	r.SetAdvertise(true)
	info, err := client(t, serve(t, r)).QueryInfo()
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "listen" || info.ServerType.String() != "Non-Dedicated" || info.ServerOS.String() != "Linux" ||
		info.Visibility || info.VAC || info.MaxPlayers != 4 || info.Players != 0 {
		t.Errorf("got %+v", info)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	if info.Players != 255 {
		t.Errorf("INFO players = %d, want 255 (300 clamped)", info.Players)
	}
	pi, err := c.QueryPlayer()
	if err != nil {
		t.Fatal(err)
	}
	if pi.Count != 255 || len(pi.Players) != 255 {
		t.Fatalf("got %d players (count %d), want 255", len(pi.Players), pi.Count)
	}
	elapsed := float32(time.Since(now).Seconds())
	for i, p := range pi.Players {
		if want := fmt.Sprintf("Player-%03d %s", i, strings.Repeat("~", 20)); p.Name != want {
			t.Errorf("player %d name %q, want %q", i, p.Name, want)
		}
		if want := uint32(int32(i - 100)); p.Score != want {
			t.Errorf("player %d score %d, want %d", i, p.Score, want)
		}
		want := float32(i * 60)
		if p.Duration < want || p.Duration > want+elapsed+1 {
			t.Errorf("player %d duration %v, want about %v", i, p.Duration, want)
		}
	}
}

// TestGoA2SRules checks a RULES reply with hundreds of rules, split in many
// fragments, as go-a2s reassembles it.
func TestGoA2SRules(t *testing.T) {
	r := query.NewResponder(query.Config{})
	want := map[string]string{}
	for i := range 800 {
		k, v := fmt.Sprintf("sv_rule_%04d", i), fmt.Sprintf("value %d %s", i, strings.Repeat("x", i%50))
		if err := r.SetRule(k, v); err != nil {
			t.Fatal(err)
		}
		want[k] = v
	}
	r.SetAdvertise(true)
	ri, err := client(t, serve(t, r)).QueryRules()
	if err != nil {
		t.Fatal(err)
	}
	if int(ri.Count) != len(want) || len(ri.Rules) != len(want) {
		t.Fatalf("got %d rules (count %d), want %d", len(ri.Rules), ri.Count, len(want))
	}
	for k, v := range want {
		if ri.Rules[k] != v {
			t.Errorf("rule %s = %q, want %q", k, ri.Rules[k], v)
		}
	}
	if st := r.Stats(); st.Packets < 20 {
		t.Errorf("sent %d packets: RULES was not split", st.Packets)
	}
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
		if err != nil {
			t.Fatal(err)
		}
		c, err := net.DialUDP("udp", nil, raddr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	roundTrip := func(c *net.UDPConn, req []byte) []byte {
		t.Helper()
		if _, err := c.Write(req); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 2048)
		_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
		n, err := c.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		return buf[:n]
	}
	c1, c2 := dial(), dial()
	reply := roundTrip(c1, query.AppendRequest(nil, query.Request{Kind: query.KindInfo}))
	ch, err := query.ParseChallenge(reply)
	if err != nil {
		t.Fatal(err)
	}
	// Another port does not get data with c1's challenge: it gets its own.
	reply = roundTrip(c2, query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: ch, HasChallenge: true}))
	if ch2, err := query.ParseChallenge(reply); err != nil || ch2 == ch {
		t.Fatalf("other port: challenge %#x, %v (c1's %#x)", ch2, err, ch)
	}
	reply = roundTrip(c1, query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: ch, HasChallenge: true}))
	info, _, err := query.ParseInfo(reply)
	if err != nil || info.Name != "round trip" {
		t.Fatalf("got %+v, %v", info, err)
	}
	// The same challenge serves PLAYER and RULES; a ping needs none.
	reply = roundTrip(c1, query.AppendRequest(nil, query.Request{Kind: query.KindPlayers, Challenge: ch, HasChallenge: true}))
	if _, err := query.ParsePlayers(reply); err != nil {
		t.Fatal(err)
	}
	reply = roundTrip(c1, query.AppendRequest(nil, query.Request{Kind: query.KindPing}))
	if string(reply) != "\xFF\xFF\xFF\xFFj" {
		t.Fatalf("ping reply % x", reply)
	}
}

// TestServeStopsOnClose checks that Serve returns nil once its conn is closed,
// even when nothing arrived.
func TestServeStopsOnClose(t *testing.T) {
	r := query.NewResponder(query.Config{})
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Serve(conn) }()
	time.Sleep(10 * time.Millisecond)
	conn.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
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
		if _, err := c.QueryInfo(); err != nil {
			t.Fatalf("INFO %d: %v", i, err)
		}
		if _, err := c.QueryPlayer(); err != nil {
			t.Fatalf("PLAYER %d: %v", i, err)
		}
		if _, err := c.QueryRules(); err != nil {
			t.Fatalf("RULES %d: %v", i, err)
		}
	}
	close(stop)
	<-writerDone
}
