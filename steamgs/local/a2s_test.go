package local_test

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	a2s "github.com/rumblefrog/go-a2s"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pump is what a game does in GameSocketShare mode: it owns the game socket,
// hands Steam the datagrams that start FF FF FF FF and sends Steam's replies.
// mu serializes its use of the server with the test's.
type pump struct {
	mu   *sync.Mutex
	conn *net.UDPConn
	done chan struct{}
}

// startPump binds a game socket on 127.0.0.1 and serves srv's queries on it.
func startPump(t *testing.T, srv *steamgs.Server, mu *sync.Mutex) *pump {
	t.Helper()
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 0)))
	require.NoError(t, err)
	p := &pump{mu: mu, conn: conn, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		in := make([]byte, 2048)
		out := make([]byte, steamgs.MinOutgoingPacketBuffer)
		for {
			n, from, err := conn.ReadFromUDPAddrPort(in)
			if err != nil {
				return // closed
			}
			if n < 4 || string(in[:4]) != "\xff\xff\xff\xff" {
				continue // the game's own traffic
			}
			mu.Lock()
			if _, err := srv.HandleIncomingPacket(in[:n], from); err != nil {
				t.Error(err)
			}
			for {
				n, to, err := srv.GetNextOutgoingPacket(out)
				if err != nil {
					t.Error(err)
				}
				if n == 0 {
					break
				}
				if _, err := conn.WriteToUDPAddrPort(out[:n], to); err != nil {
					t.Error(err)
				}
			}
			mu.Unlock()
		}
	}()
	t.Cleanup(p.stop)
	return p
}

// stop closes the socket and waits for the pump.
func (p *pump) stop() {
	p.conn.Close()
	<-p.done
}

// addr is the game socket's address.
func (p *pump) addr() string { return p.conn.LocalAddr().String() }

func TestA2S(t *testing.T) {
	for _, shared := range []bool{false, true} {
		name := "own query port"
		if shared {
			name = "GameSocketShare"
		}
		t.Run(name, func(t *testing.T) { testA2S(t, shared) })
	}
}

func testA2S(t *testing.T, shared bool) {
	h := newHarness(t, local.Options{QueryRateLimit: -1}, steamgs.ModeAuthenticationAndSecure)
	var mu sync.Mutex // guards srv against the pump
	srv, addr := h.srv, ""
	if shared {
		addr = startPump(t, srv, &mu).addr()
		assert.Equal(t, steamgs.QueryPortShared, srv.QueryPort())
	} else {
		srv = h.server(steamgs.ModeAuthenticationAndSecure, 0)
		require.NotZero(t, srv.QueryPort())
		assert.NotEqual(t, steamgs.QueryPortShared, srv.QueryPort())
		addr = netip.AddrPortFrom(loopback, srv.QueryPort()).String()
	}
	with := func(f func()) { mu.Lock(); defer mu.Unlock(); f() }

	h.u.AddToken("tok", local.TokenValid)
	alice, bob := h.user("alice"), h.user("bob")
	rules := map[string]string{"mp_timelimit": "30", "empty": ""}
	for i := range 60 { // more than one datagram: a split RULES reply
		rules[fmt.Sprintf("rule_%02d", i)] = strings.Repeat(string(rune('a'+i%26)), 20)
	}
	var bot steamgs.SteamID
	with(func() {
		require.NoError(t, srv.SetDedicatedServer(true))
		require.NoError(t, srv.LogOn("tok"))
		collect(srv)
		require.NoError(t, srv.SetServerName("Test server"))
		require.NoError(t, srv.SetMapName("de_test"))
		require.NoError(t, srv.SetMaxPlayerCount(16))
		require.NoError(t, srv.SetBotPlayerCount(1))
		require.NoError(t, srv.SetPasswordProtected(true))
		require.NoError(t, srv.SetSpectatorPort(27020))
		require.NoError(t, srv.SetSpectatorServerName("tv"))
		require.NoError(t, srv.SetGameTags("ctf,fast"))
		require.NoError(t, srv.SetGameData("hidden"))
		require.NoError(t, srv.SetRegion("eu"))
		for k, v := range rules {
			require.NoError(t, srv.SetKeyValue(k, v))
		}
		for _, u := range []steamgs.SteamID{alice, bob} {
			res, err := srv.BeginAuthSession(h.ticket(u, steamgs.Identity{}), u)
			require.NoError(t, err)
			require.Equal(t, steamgs.BeginAuthOK, res)
		}
		collect(srv)
		var err error
		bot, err = srv.CreateUnauthenticatedUserConnection()
		require.NoError(t, err)
		for _, p := range []struct {
			id    steamgs.SteamID
			name  string
			score uint32
		}{{alice, "Alice", 12}, {bob, "Bob", 7}, {bot, "Bot", 0}} {
			ok, err := srv.UpdateUserData(p.id, p.name, p.score)
			require.NoError(t, err)
			require.True(t, ok)
		}
		require.NoError(t, srv.SetAdvertiseServerActive(true))
	})
	h.clock.Advance(90 * time.Second)

	client, err := a2s.NewClient(addr, a2s.TimeoutOption(10*time.Second))
	require.NoError(t, err)
	defer client.Close()

	info, err := client.QueryInfo()
	require.NoError(t, err)
	wantOS := a2s.ServerOS_Linux
	switch runtime.GOOS {
	case "windows":
		wantOS = a2s.ServerOS_Windows
	case "darwin":
		wantOS = a2s.ServerOS_Mac
	}
	var steamID steamgs.SteamID
	with(func() { steamID = srv.SteamID() })
	require.Equal(t, h.u.TokenSteamID("tok"), steamID)
	assert.Equal(t, &a2s.ServerInfo{
		Protocol: 17, Name: "Test server", Map: "de_test", Folder: "spacewar", Game: "Spacewar", ID: uint16(app),
		Players: 3, MaxPlayers: 16, Bots: 1, ServerType: a2s.ServerType_Dedicated, ServerOS: wantOS,
		Visibility: true, VAC: true, Version: "1.2.3.4", EDF: 0x80 | 0x10 | 0x40 | 0x20 | 0x01,
		ExtendedServerInfo: &a2s.ExtendedServerInfo{Port: 27015, SteamID: uint64(steamID), Keywords: "ctf,fast", GameID: uint64(app)},
		SourceTV:           &a2s.SourceTVInfo{Port: 27020, Name: "tv"},
	}, info)

	players, err := client.QueryPlayer()
	require.NoError(t, err)
	assert.Equal(t, uint8(3), players.Count)
	require.Len(t, players.Players, 3)
	for i, want := range []struct {
		name  string
		score uint32
	}{{"Alice", 12}, {"Bob", 7}, {"Bot", 0}} {
		p := players.Players[i]
		assert.Equal(t, want.name, p.Name)
		assert.Equal(t, want.score, p.Score)
		assert.Equal(t, float32(90), p.Duration, "%s joined 90 s ago", want.name)
	}

	got, err := client.QueryRules()
	require.NoError(t, err)
	assert.Equal(t, uint16(len(rules)), got.Count)
	assert.Equal(t, rules, got.Rules)

	// Changes through steamgs.Server show in the next reply.
	with(func() {
		require.NoError(t, srv.SetMapName("de_next"))
		require.NoError(t, srv.EndAuthSession(bob))
		ok, err := srv.UpdateUserData(alice, "Alice", 13)
		require.NoError(t, err)
		require.True(t, ok)
		require.NoError(t, srv.ClearAllKeyValues())
		require.NoError(t, srv.SetKeyValue("only", "rule"))
	})
	info, err = client.QueryInfo()
	require.NoError(t, err)
	assert.Equal(t, "de_next", info.Map)
	assert.Equal(t, uint8(2), info.Players)
	players, err = client.QueryPlayer()
	require.NoError(t, err)
	require.Len(t, players.Players, 2)
	assert.Equal(t, "Alice", players.Players[0].Name)
	assert.Equal(t, uint32(13), players.Players[0].Score)
	assert.Equal(t, "Bot", players.Players[1].Name)
	got, err = client.QueryRules()
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"only": "rule"}, got.Rules)

	// A player who logs in elsewhere leaves the list; LogOff clears VAC and
	// the Steam ID.
	with(func() {
		h.u.LogInElsewhere(alice)
		collect(srv)
		require.NoError(t, srv.LogOff())
		collect(srv)
	})
	info, err = client.QueryInfo()
	require.NoError(t, err)
	assert.Equal(t, uint8(1), info.Players, "only the bot is left")
	assert.False(t, info.VAC)
	assert.Equal(t, byte(0x80|0x40|0x20|0x01), info.EDF, "no Steam ID while logged off")

	var stats struct{ info, players, rules, challenges uint64 }
	with(func() {
		st := queryStats(t, srv)
		stats.info, stats.players, stats.rules, stats.challenges = st.Info, st.Players, st.Rules, st.Challenges
	})
	assert.Equal(t, uint64(3), stats.info)
	assert.Equal(t, uint64(2), stats.players)
	assert.Equal(t, uint64(2), stats.rules)
	assert.Equal(t, uint64(7), stats.challenges, "every query made the challenge round trip")
}

// queryStats returns the A2S counters of srv's Responder.
func queryStats(t *testing.T, srv *steamgs.Server) query.Stats {
	t.Helper()
	var st query.Stats
	raw(t, srv, func(ls *local.Server) { st = ls.QueryStats() })
	return st
}

// request is an A2S request, as a client sends it.
func request(kind byte, challenge uint32) []byte {
	b := []byte{0xFF, 0xFF, 0xFF, 0xFF, kind}
	if kind == 'T' {
		b = append(b, "Source Engine Query\x00"...)
	}
	return append(b, byte(challenge), byte(challenge>>8), byte(challenge>>16), byte(challenge>>24))
}

// replies drains srv's outgoing packets.
func replies(t *testing.T, srv *steamgs.Server) [][]byte {
	t.Helper()
	var out [][]byte
	buf := make([]byte, steamgs.MinOutgoingPacketBuffer)
	for {
		n, _, err := srv.GetNextOutgoingPacket(buf)
		require.NoError(t, err)
		if n == 0 {
			return out
		}
		out = append(out, append([]byte(nil), buf[:n]...))
	}
}

func TestA2SSharedSocket(t *testing.T) {
	h := newHarness(t, local.Options{QueryRateLimit: 3}, steamgs.ModeAuthentication)
	from := netip.MustParseAddrPort("127.0.0.1:40000")
	handle := func(pkt []byte) bool {
		ok, err := h.srv.HandleIncomingPacket(pkt, from)
		require.NoError(t, err)
		return ok
	}

	// Advertising off: taken, never answered.
	assert.True(t, handle(request('T', 0xFFFFFFFF)))
	assert.Empty(t, replies(t, h.srv))

	require.NoError(t, h.srv.SetAdvertiseServerActive(true))
	assert.False(t, handle([]byte("\xff\xff\xff\xffnot a query")), "not an A2S request")
	assert.True(t, handle(request('T', 0xFFFFFFFF)))
	out := replies(t, h.srv)
	require.Len(t, out, 1)
	require.Len(t, out[0], 9)
	assert.Equal(t, byte('A'), out[0][4], "a challenge first")
	challenge := uint32(out[0][5]) | uint32(out[0][6])<<8 | uint32(out[0][7])<<16 | uint32(out[0][8])<<24
	assert.True(t, handle(request('T', challenge)))
	out = replies(t, h.srv)
	require.Len(t, out, 1)
	assert.Equal(t, byte('I'), out[0][4])

	// The rate limit (3 per 200 ms of the universe's clock) drops the fourth
	// request of the window.
	assert.True(t, handle(request('T', challenge)))
	assert.Len(t, replies(t, h.srv), 1)
	assert.True(t, handle(request('T', challenge)))
	assert.Empty(t, replies(t, h.srv))
	st := queryStats(t, h.srv)
	assert.Equal(t, uint64(1), st.DroppedRateLimit)
	assert.Equal(t, uint64(1), st.DroppedOff)
	h.clock.Advance(200 * time.Millisecond)
	assert.True(t, handle(request('T', challenge)))
	assert.Len(t, replies(t, h.srv), 1)

	// Advertising off again: nothing.
	require.NoError(t, h.srv.SetAdvertiseServerActive(false))
	assert.True(t, handle(request('T', challenge)))
	assert.Empty(t, replies(t, h.srv))
}

func TestA2SOwnPortAdvertisingOff(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	srv := h.server(steamgs.ModeAuthentication, 0)
	conn, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, srv.QueryPort())))
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write(request('T', 0xFFFFFFFF))
	require.NoError(t, err)
	for queryStats(t, srv).DroppedOff == 0 {
		runtime.Gosched() // the server reads the packet on its own goroutine
	}
	require.NoError(t, srv.SetAdvertiseServerActive(true))
	_, err = conn.Write([]byte("\xff\xff\xff\xffi"))
	require.NoError(t, err)
	buf := make([]byte, 64)
	n, err := conn.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, []byte("\xff\xff\xff\xffj"), buf[:n], "the first reply is the ping's: nothing answered the INFO")
}

func TestQueryPortInUse(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	first := h.server(steamgs.ModeAuthentication, 0)
	second := steamgs.NewServer(h.u)
	err := second.Init(steamgs.Config{IP: loopback, GamePort: 27016, QueryPort: first.QueryPort(),
		Mode: steamgs.ModeAuthentication, Version: "1", AppID: app})
	var ie *steamgs.InitError
	require.True(t, errors.As(err, &ie), "%v", err)
	assert.Equal(t, steamgs.InitFailedGeneric, ie.Result)
	assert.True(t, strings.Contains(ie.Message, fmt.Sprint(first.QueryPort())), ie.Message)
	assert.False(t, second.Running())
}

func TestA2SOutgoingQueueIsBounded(t *testing.T) {
	h := newHarness(t, local.Options{QueryRateLimit: -1}, steamgs.ModeAuthentication)
	require.NoError(t, h.srv.SetAdvertiseServerActive(true))
	const sent = local.MaxQueuedPackets + 100
	for port := range uint16(sent) {
		ok, err := h.srv.HandleIncomingPacket([]byte("\xff\xff\xff\xffi"), netip.AddrPortFrom(loopback, 1000+port))
		require.NoError(t, err)
		require.True(t, ok)
	}
	buf := make([]byte, steamgs.MinOutgoingPacketBuffer)
	for i := range local.MaxQueuedPackets {
		n, to, err := h.srv.GetNextOutgoingPacket(buf)
		require.NoError(t, err)
		require.Equal(t, "\xff\xff\xff\xffj", string(buf[:n]))
		require.Equal(t, netip.AddrPortFrom(loopback, uint16(1000+sent-local.MaxQueuedPackets+i)), to, "the oldest were dropped")
	}
	n, to, err := h.srv.GetNextOutgoingPacket(buf)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Zero(t, to)
}

// TestA2SRulesFillToLimit fills the key/values through steamgs.Server until it
// refuses one (ErrTooLarge, naming the limit), then reads RULES back: every
// key/value the server took is in the 255-fragment reply, none was dropped.
func TestA2SRulesFillToLimit(t *testing.T) {
	h := newHarness(t, local.Options{QueryRateLimit: -1}, steamgs.ModeAuthentication)
	value := strings.Repeat("v", 1000)
	want := map[string]string{}
	for i := 0; ; i++ {
		key := fmt.Sprintf("k%04d", i)
		err := h.srv.SetKeyValue(key, value)
		if err != nil {
			require.True(t, errors.Is(err, steamgs.ErrTooLarge), "key/value %d refused with %v", i, err)
			assert.True(t, strings.Contains(err.Error(), fmt.Sprint("limit ", steamgs.MaxKeyValueBytes)), "%v names no limit", err)
			break
		}
		want[key] = value
	}
	// Fill the last bytes exactly: the reply is then MaxReplySize long.
	used := 0
	for k, v := range want {
		used += len(k) + len(v) + 2
	}
	last := steamgs.MaxKeyValueBytes - used - len("last") - 2
	require.NoError(t, h.srv.SetKeyValue("last", strings.Repeat("x", last)))
	want["last"] = strings.Repeat("x", last)
	require.True(t, errors.Is(h.srv.SetKeyValue("z", ""), steamgs.ErrTooLarge), "a key/value past the limit was taken")

	require.NoError(t, h.srv.SetAdvertiseServerActive(true))
	from := netip.MustParseAddrPort("127.0.0.1:40000")
	_, err := h.srv.HandleIncomingPacket(request('V', 0xFFFFFFFF), from)
	require.NoError(t, err)
	out := replies(t, h.srv)
	require.Len(t, out, 1)
	challenge, err := query.ParseChallenge(out[0])
	require.NoError(t, err)
	_, err = h.srv.HandleIncomingPacket(request('V', challenge), from)
	require.NoError(t, err)
	out = replies(t, h.srv)
	require.Len(t, out, query.MaxFragments)
	reply, err := query.Reassemble(out)
	require.NoError(t, err)
	assert.Len(t, reply, query.MaxReplySize)
	rules, err := query.ParseRules(reply)
	require.NoError(t, err)
	got := map[string]string{}
	for _, r := range rules {
		got[r.Name] = r.Value
	}
	assert.Equal(t, want, got)
}

// ask sends an A2S request of kind to srv's shared socket, answers its
// challenge, and returns the whole reply.
func ask(t *testing.T, srv *steamgs.Server, kind byte) []byte {
	t.Helper()
	from := netip.MustParseAddrPort("127.0.0.1:40001")
	ok, err := srv.HandleIncomingPacket(request(kind, 0xFFFFFFFF), from)
	require.NoError(t, err)
	require.True(t, ok)
	out := replies(t, srv)
	require.Len(t, out, 1)
	challenge, err := query.ParseChallenge(out[0])
	require.NoError(t, err)
	ok, err = srv.HandleIncomingPacket(request(kind, challenge), from)
	require.NoError(t, err)
	require.True(t, ok)
	out = replies(t, srv)
	require.NotEmpty(t, out, "no reply")
	if len(out) == 1 {
		return out[0]
	}
	reply, err := query.Reassemble(out)
	require.NoError(t, err)
	return reply
}

// rulesOf returns the rules of srv's A2S_RULES reply, in wire order.
func rulesOf(t *testing.T, srv *steamgs.Server) []query.Rule {
	t.Helper()
	rules, err := query.ParseRules(ask(t, srv, 'V'))
	require.NoError(t, err)
	return rules
}

// TestA2SApplySettings sets everything A2S_INFO and A2S_RULES report in one
// ApplySettings and reads it back; the settings that go only to a master
// server change nothing.
func TestA2SApplySettings(t *testing.T) {
	h := newHarness(t, local.Options{QueryRateLimit: -1}, steamgs.ModeAuthentication)
	require.NoError(t, h.srv.ApplySettings(steamgs.Settings{
		Dedicated: true, ServerName: "One call", MapName: "de_apply", MaxPlayers: 300, Bots: 2,
		PasswordProtected: true, SpectatorPort: 27020, SpectatorServerName: "tv", GameTags: "a,b",
		GameData: "hidden", Region: "eu", KeyValues: map[string]string{"b": "2", "a": "1"}, Advertise: true,
	}, steamgs.FieldDedicated|steamgs.FieldServerName|steamgs.FieldMapName|steamgs.FieldMaxPlayers|
		steamgs.FieldBots|steamgs.FieldPasswordProtected|steamgs.FieldSpectatorPort|
		steamgs.FieldSpectatorServerName|steamgs.FieldGameTags|steamgs.FieldGameData|steamgs.FieldRegion|
		steamgs.FieldKeyValues|steamgs.FieldAdvertise))
	info, players, err := query.ParseInfo(ask(t, h.srv, 'T'))
	require.NoError(t, err)
	assert.Zero(t, players)
	assert.Equal(t, query.Info{
		Name: "One call", Map: "de_apply", Folder: "spacewar", Game: "Spacewar", AppID: uint64(app),
		MaxPlayers: 255, Bots: 2, Dedicated: true, Environment: info.Environment, Password: true,
		Version: "1.2.3.4", GamePort: 27015, SpectatorPort: 27020, SpectatorName: "tv", Keywords: "a,b",
	}, info, "MaxPlayers is 255 at most on the wire")
	assert.Equal(t, []query.Rule{{Name: "a", Value: "1"}, {Name: "b", Value: "2"}}, rulesOf(t, h.srv),
		"keys new in one call in key order")

	// Fields not named change nothing, even when st differs from them.
	raw(t, h.srv, func(ls *local.Server) {
		ls.Apply(&steamgs.Settings{ServerName: "ignored", MapName: "de_raw", Advertise: false}, steamgs.FieldMapName)
	})
	info, _, err = query.ParseInfo(ask(t, h.srv, 'T'))
	require.NoError(t, err)
	assert.Equal(t, "One call", info.Name)
	assert.Equal(t, "de_raw", info.Map)
}

// TestA2SRulesOrder checks the order of A2S_RULES rules as key/values change:
// a rule keeps its place while its key stays, whatever happens to the others,
// and a new key follows those already set.
func TestA2SRulesOrder(t *testing.T) {
	h := newHarness(t, local.Options{QueryRateLimit: -1}, steamgs.ModeAuthentication)
	require.NoError(t, h.srv.SetAdvertiseServerActive(true))
	for _, kv := range [][2]string{{"z", "1"}, {"m", "2"}, {"a", "3"}} {
		require.NoError(t, h.srv.SetKeyValue(kv[0], kv[1]))
	}
	rules := func(kvs ...string) []query.Rule {
		var out []query.Rule
		for i := 0; i < len(kvs); i += 2 {
			out = append(out, query.Rule{Name: kvs[i], Value: kvs[i+1]})
		}
		return out
	}
	assert.Equal(t, rules("z", "1", "m", "2", "a", "3"), rulesOf(t, h.srv), "in the order they were set")

	require.NoError(t, h.srv.SetKeyValue("m", "two"))
	assert.Equal(t, rules("z", "1", "m", "two", "a", "3"), rulesOf(t, h.srv), "a new value keeps its place")

	require.NoError(t, h.srv.ApplySettings(steamgs.Settings{KeyValues: map[string]string{
		"a": "3", "z": "one", "y": "4", "b": "5"}}, steamgs.FieldKeyValues))
	assert.Equal(t, rules("z", "one", "a", "3", "b", "5", "y", "4"), rulesOf(t, h.srv),
		"m gone, the others in place, new keys after them in key order")

	require.NoError(t, h.srv.ClearAllKeyValues())
	assert.Empty(t, rulesOf(t, h.srv))
	require.NoError(t, h.srv.SetKeyValue("m", "again"))
	assert.Equal(t, rules("m", "again"), rulesOf(t, h.srv))
}
