package steamgstest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/query"
)

// queryWait bounds how long the suite waits for a datagram from a server's
// query port. It is a safety net for a server that never answers, not a
// measure of speed: a server that answers at all answers at once.
const queryWait = 10 * time.Second

func queryCases() []testCase {
	return []testCase{
		{"Info", queries, queryInfo},
		{"InfoShared", queries, queryInfoShared},
		{"NotAdvertised", queries, queryNotAdvertised},
		{"Players", queries, queryPlayers},
		{"Rules", queries, queryRules},
		{"FullRules", queries, queryFullRules},
		{"ClearedSettings", queries, queryClearedSettings},
	}
}

// link carries A2S requests to a server and its replies back.
type link interface {
	// exchange sends req and returns the datagrams that answer it: one
	// whole reply, or every fragment of a split one.
	exchange(req []byte) ([][]byte, error)
}

// udpLink queries a server's own query port from a socket on the loopback
// address, running the server's callbacks while it waits.
type udpLink struct {
	s    *server
	conn *net.UDPConn
	to   netip.AddrPort
}

// newUDPLink opens a client socket for querying s on its query port.
func newUDPLink(s *server) *udpLink {
	t := s.e.t
	t.Helper()
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 0)))
	if err != nil {
		t.Fatalf("client socket: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return &udpLink{s: s, conn: conn, to: netip.AddrPortFrom(loopback, s.QueryPort())}
}

func (l *udpLink) exchange(req []byte) ([][]byte, error) {
	if _, err := l.conn.WriteToUDPAddrPort(req, l.to); err != nil {
		return nil, err
	}
	var got [][]byte
	for {
		pkt, err := l.read()
		if err != nil {
			return got, err
		}
		got = append(got, pkt)
		if done, err := complete(got); done || err != nil {
			return got, err
		}
	}
}

// read waits for one datagram from the server, running RunCallbacks on the
// test's goroutine meanwhile for back ends that answer only then.
func (l *udpLink) read() ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	if err := l.conn.SetReadDeadline(time.Now().Add(queryWait)); err != nil {
		return nil, err
	}
	go func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := l.conn.ReadFromUDPAddrPort(buf)
			if err == nil && from != l.to {
				continue // not the server's
			}
			done <- result{bytes.Clone(buf[:n]), err}
			return
		}
	}()
	for {
		select {
		case r := <-done:
			return r.b, r.err
		default:
			l.s.run()
			runtime.Gosched()
		}
	}
}

// sharedLink queries a server in GameSocketShare mode through
// HandleIncomingPacket and GetNextOutgoingPacket.
type sharedLink struct {
	s    *server
	from netip.AddrPort
}

func (l *sharedLink) exchange(req []byte) ([][]byte, error) {
	ok, err := l.s.HandleIncomingPacket(req, l.from)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errors.New("HandleIncomingPacket did not take an A2S request")
	}
	var got [][]byte
	buf := make([]byte, steamgs.MinOutgoingPacketBuffer)
	for {
		n, to, err := l.s.GetNextOutgoingPacket(buf)
		if err != nil {
			return got, err
		}
		if n == 0 {
			break
		}
		if to != l.from {
			return got, fmt.Errorf("GetNextOutgoingPacket addressed a reply to %v, want %v", to, l.from)
		}
		got = append(got, bytes.Clone(buf[:n]))
	}
	if len(got) == 0 {
		return nil, errors.New("no reply queued after HandleIncomingPacket")
	}
	if done, err := complete(got); !done || err != nil {
		return got, fmt.Errorf("incomplete reply of %d datagrams: %v", len(got), err)
	}
	return got, nil
}

// complete reports whether pkts hold one whole reply or every fragment of a
// split one.
func complete(pkts [][]byte) (bool, error) {
	first := pkts[0]
	if steamgs.IsSteamPacket(first) {
		if len(pkts) > 1 {
			return true, fmt.Errorf("%d datagrams where one whole reply was due", len(pkts))
		}
		return true, nil
	}
	f, err := query.ParseFragment(first)
	if err != nil {
		return true, err
	}
	return len(pkts) >= int(f.Total), nil
}

// ask sends a request of kind over l, answering the server's challenge, and
// returns the whole reply.
func ask(l link, kind query.Kind) ([]byte, error) {
	req := query.AppendRequest(nil, query.Request{Kind: kind})
	for range 2 {
		pkts, err := l.exchange(req)
		if err != nil {
			return nil, err
		}
		reply := pkts[0]
		if len(pkts) > 1 || !steamgs.IsSteamPacket(reply) {
			return query.Reassemble(pkts)
		}
		c, err := query.ParseChallenge(reply)
		if err != nil {
			return reply, nil // not a challenge: the answer
		}
		req = query.AppendRequest(nil, query.Request{Kind: kind, Challenge: c, HasChallenge: true})
	}
	return nil, fmt.Errorf("%v: challenged twice", kind)
}

// advertised sets the settings A2S_INFO reports and turns advertising on.
func advertised(s *server) {
	s.e.t.Helper()
	if err := errors.Join(s.SetDedicatedServer(true), s.SetServerName("steamgstest server"), s.SetMapName("de_test"),
		s.SetMaxPlayerCount(24), s.SetBotPlayerCount(3), s.SetPasswordProtected(true), s.SetGameTags("a,b"),
		s.SetSpectatorPort(27020), s.SetSpectatorServerName("steamgstest tv"), s.SetAdvertiseServerActive(true)); err != nil {
		s.e.t.Fatal(err)
	}
}

// checkInfo fails unless an A2S_INFO over l reports s's settings.
func checkInfo(s *server, l link) {
	t := s.e.t
	t.Helper()
	reply, err := ask(l, query.KindInfo)
	if err != nil {
		t.Fatalf("A2S_INFO: %v", err)
	}
	info, _, err := query.ParseInfo(reply)
	if err != nil {
		t.Fatalf("A2S_INFO reply: %v", err)
	}
	st, cfg := s.Settings(), s.Config()
	want := query.Info{
		Name: st.ServerName, Map: st.MapName, Folder: st.ModDir, Game: st.GameDescription,
		AppID: uint64(cfg.AppID), MaxPlayers: st.MaxPlayers, Bots: st.Bots, Dedicated: st.Dedicated,
		Environment: info.Environment, Password: st.PasswordProtected, VAC: s.Secure(), Version: cfg.Version,
		GamePort: cfg.GamePort, SteamID: uint64(s.SteamID()), SpectatorPort: st.SpectatorPort,
		SpectatorName: st.SpectatorServerName, Keywords: st.GameTags,
	}
	if info != want {
		t.Errorf("A2S_INFO reports\n %+v\nwant\n %+v", info, want)
	}
}

// queryInfo: a server answers A2S_INFO on its query port with its settings.
func queryInfo(e *env) {
	s := e.ready(steamgs.ModeAuthenticationAndSecure)
	advertised(s)
	if e.steam != nil {
		s.logOnAnonymous() // A2S_INFO then reports the Steam ID and VAC
	}
	l := newUDPLink(s)
	checkInfo(s, l)
	// A refused setting is not advertised; a new one is.
	if err := s.SetServerName(strings.Repeat("x", steamgs.MaxServerNameLen+1)); err == nil {
		e.t.Fatal("a server name over the limit was accepted")
	}
	if err := s.SetMapName("de_next"); err != nil {
		e.t.Fatal(err)
	}
	checkInfo(s, l)
}

// queryInfoShared: in GameSocketShare mode, A2S requests handed to
// HandleIncomingPacket are answered through GetNextOutgoingPacket, to the
// address they came from.
func queryInfoShared(e *env) {
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.QueryPort = steamgs.QueryPortShared
	s := e.start(cfg)
	s.setRequired()
	advertised(s)
	checkInfo(s, &sharedLink{s: s, from: netip.MustParseAddrPort("127.0.0.1:40001")})
	n, _, err := s.GetNextOutgoingPacket(make([]byte, steamgs.MinOutgoingPacketBuffer))
	if err != nil || n != 0 {
		e.t.Errorf("GetNextOutgoingPacket after the replies were drained = %d, %v; want 0", n, err)
	}
}

// queryClearedSettings: SetGameTags("") clears the keywords A2S_INFO
// reports, and SetGameData("") and SetModDir("") are taken.
func queryClearedSettings(e *env) {
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.QueryPort = steamgs.QueryPortShared
	s := e.start(cfg)
	s.setRequired()
	if err := errors.Join(s.SetGameTags("ctf,hardcore"), s.SetGameData("k:v")); err != nil {
		e.t.Fatal(err)
	}
	advertised(s)
	l := &sharedLink{s: s, from: netip.MustParseAddrPort("127.0.0.1:40002")}
	checkInfo(s, l)
	if err := errors.Join(s.SetGameTags(""), s.SetGameData(""), s.SetModDir("")); err != nil {
		e.t.Fatalf("clearing settings: %v", err)
	}
	if st := s.Settings(); st.GameTags != "" || st.GameData != "" || st.ModDir != "" {
		e.t.Errorf("cleared settings hold tags %q, data %q, mod dir %q", st.GameTags, st.GameData, st.ModDir)
	}
	checkInfo(s, l)
}

// queryNotAdvertised: a server that does not advertise itself sends no
// replies (checked in GameSocketShare mode, where "none" is immediate).
func queryNotAdvertised(e *env) {
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.QueryPort = steamgs.QueryPortShared
	s := e.start(cfg)
	s.setRequired()
	req := query.AppendRequest(nil, query.Request{Kind: query.KindInfo})
	from := netip.MustParseAddrPort("127.0.0.1:40002")
	if _, err := s.HandleIncomingPacket(req, from); err != nil {
		e.t.Fatal(err)
	}
	if n, to, _ := s.GetNextOutgoingPacket(make([]byte, steamgs.MinOutgoingPacketBuffer)); n != 0 {
		e.t.Errorf("a server that does not advertise replied with %d bytes to %v", n, to)
	}
}

// queryPlayers: A2S_PLAYER lists the active players with the names and
// scores UpdateUserData gave.
func queryPlayers(e *env) {
	t := e.t
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.QueryPort = steamgs.QueryPortShared
	s := e.start(cfg)
	s.setRequired()
	if err := s.SetAdvertiseServerActive(true); err != nil {
		t.Fatal(err)
	}
	l := &sharedLink{s: s, from: netip.MustParseAddrPort("127.0.0.1:40003")}
	bots := map[string]uint32{"Bot One": 7, "Bot Two": 0}
	var gone steamgs.SteamID
	for name, score := range bots {
		id, err := s.CreateUnauthenticatedUserConnection()
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := s.UpdateUserData(id, name, score); err != nil || !ok {
			t.Fatalf("UpdateUserData = %v, %v", ok, err)
		}
		gone = id
	}
	if err := s.EndAuthSession(gone); err != nil {
		t.Fatal(err)
	}
	reply, err := ask(l, query.KindPlayers)
	if err != nil {
		t.Fatalf("A2S_PLAYER: %v", err)
	}
	players, err := query.ParsePlayers(reply)
	if err != nil {
		t.Fatalf("A2S_PLAYER reply: %v", err)
	}
	if len(players) != 1 {
		t.Fatalf("A2S_PLAYER lists %d players, want 1: %+v", len(players), players)
	}
	if score, ok := bots[players[0].Name]; !ok || players[0].Score != score {
		t.Errorf("A2S_PLAYER lists %+v, want one of %v with its score", players[0], bots)
	}
}

// queryRules: A2S_RULES reports the key/values; ClearAllKeyValues removes
// them.
func queryRules(e *env) {
	t := e.t
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.QueryPort = steamgs.QueryPortShared
	s := e.start(cfg)
	s.setRequired()
	l := &sharedLink{s: s, from: netip.MustParseAddrPort("127.0.0.1:40004")}
	if err := errors.Join(s.SetAdvertiseServerActive(true), s.SetKeyValue("mode", "ctf"), s.SetKeyValue("round", "3"),
		s.SetKeyValue("mode", "dm"), s.SetKeyValue("empty", "")); err != nil {
		t.Fatal(err)
	}
	rules := askRules(s, l)
	want := map[string]string{"mode": "dm", "round": "3", "empty": ""}
	if len(rules) != len(want) {
		t.Errorf("A2S_RULES reports %d rules, want %d: %v", len(rules), len(want), rules)
	}
	for k, v := range want {
		if got, ok := rules[k]; !ok || got != v {
			t.Errorf("A2S_RULES: %q = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if err := s.ClearAllKeyValues(); err != nil {
		t.Fatal(err)
	}
	if rules := askRules(s, l); len(rules) != 0 {
		t.Errorf("A2S_RULES after ClearAllKeyValues reports %v", rules)
	}
}

// askRules asks for the rules over l.
func askRules(s *server, l link) map[string]string {
	t := s.e.t
	t.Helper()
	reply, err := ask(l, query.KindRules)
	if err != nil {
		t.Fatalf("A2S_RULES: %v", err)
	}
	rules, err := query.ParseRules(reply)
	if err != nil {
		t.Fatalf("A2S_RULES reply: %v", err)
	}
	m := make(map[string]string, len(rules))
	for _, r := range rules {
		m[r.Name] = r.Value
	}
	return m
}

// queryFullRules: key/values of exactly MaxKeyValueBytes, the most Server
// accepts, are all reported in one (split) A2S_RULES reply.
func queryFullRules(e *env) {
	t := e.t
	cfg := e.config(steamgs.ModeAuthentication)
	cfg.QueryPort = steamgs.QueryPortShared
	s := e.start(cfg)
	s.setRequired()
	l := &sharedLink{s: s, from: netip.MustParseAddrPort("127.0.0.1:40005")}
	big := strings.Repeat("r", steamgs.MaxKeyValueBytes-8) // "k"+big and "k2"+"v", with 2 NULs each
	if err := errors.Join(s.SetAdvertiseServerActive(true), s.SetKeyValue("k", big), s.SetKeyValue("k2", "v")); err != nil {
		t.Fatalf("key/values of exactly MaxKeyValueBytes: %v", err)
	}
	rules := askRules(s, l)
	if len(rules) != 2 || rules["k"] != big || rules["k2"] != "v" {
		t.Errorf("A2S_RULES reports %d rules (k: %d bytes), want both, whole", len(rules), len(rules["k"]))
	}
}
