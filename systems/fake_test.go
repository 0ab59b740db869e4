package systems_test

import (
	"fmt"
	"maps"
	"net/netip"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
)

// fakeBackend is a steamgs.Backend whose one server records the calls the
// systems make as "Method(args)" and answers from fields the test sets; the
// rest come from the embedded no-op Conn.
type fakeBackend struct{ conn *fakeConn }

func (b *fakeBackend) Open(cfg steamgs.Config) (steamgs.Conn, error) {
	b.conn = &fakeConn{begin: map[string]steamgs.BeginAuthSessionResult{}, queryPort: cfg.QueryPort}
	return b.conn, nil
}

func (b *fakeBackend) Capabilities() steamgs.Capabilities {
	return steamgs.Capabilities{SteamConnection: true, MultipleServers: true}
}

type outPacket struct {
	data []byte
	to   netip.AddrPort
}

type fakeConn struct {
	steamgstest.NopConn
	// inside counts the goroutines in a method of the Conn; overlaps
	// counts the calls that found another there.
	inside    atomic.Int32
	overlaps  atomic.Int32
	calls     []string
	record    bool
	queue     []steamgs.Callback
	restarts  uint64
	begin     map[string]steamgs.BeginAuthSessionResult // by ticket text; missing = OK
	out       []outPacket
	in        []string
	nextAnon  uint32
	queryPort uint16
	loggedOn  bool
	steamID   steamgs.SteamID
	settings  steamgs.Settings // as the last Apply gave them
	// reply, when set, makes the replies to the newest packet handed in,
	// queued when GetNextOutgoingPacket is first called after it.
	reply   func(pkt string) []outPacket
	replied int
}

var (
	_ steamgs.Conn       = (*fakeConn)(nil)
	_ steamgs.PacketConn = (*fakeConn)(nil)
)

// enter notes a goroutine in a method of the Conn until it calls leave,
// and gives others a chance to overlap it.
func (c *fakeConn) enter() {
	if c.inside.Add(1) > 1 {
		c.overlaps.Add(1)
	}
	runtime.Gosched()
}

func (c *fakeConn) leave() { c.inside.Add(-1) }

func (c *fakeConn) log(format string, args ...any) {
	if c.record {
		c.calls = append(c.calls, fmt.Sprintf(format, args...))
	}
}

// take returns the calls recorded since the last take, polls left out.
func (c *fakeConn) take() []string {
	var out []string
	for _, s := range c.calls {
		if s == "RunCallbacks" || s == "Status" || strings.HasPrefix(s, "GetNextOutgoingPacket") {
			continue
		}
		out = append(out, s)
	}
	c.calls = c.calls[:0]
	return out
}

func (c *fakeConn) Close() error { c.log("Close"); return nil }
func (c *fakeConn) RunCallbacks(emit func(steamgs.Callback)) {
	c.enter()
	defer c.leave()
	c.log("RunCallbacks")
	q := c.queue
	c.queue = nil
	for _, cb := range q {
		emit(cb)
	}
}
func (c *fakeConn) Apply(s *steamgs.Settings, changed steamgs.Field) {
	c.enter()
	defer c.leave()
	c.log("Apply(%s)", changed)
	c.settings = *s
	c.settings.KeyValues = maps.Clone(s.KeyValues)
}
func (c *fakeConn) LogOn(token string) { c.log("LogOn(%q)", token) }
func (c *fakeConn) LogOff()            { c.log("LogOff") }
func (c *fakeConn) Status() steamgs.Status {
	c.log("Status")
	return steamgs.Status{LoggedOn: c.loggedOn, SteamID: c.steamID, PublicIP: netip.MustParseAddr("203.0.113.7"),
		QueryPort: c.queryPort, Restarts: c.restarts}
}
func (c *fakeConn) BeginAuthSession(ticket []byte, u steamgs.SteamID) steamgs.BeginAuthSessionResult {
	c.enter()
	defer c.leave()
	c.log("BeginAuthSession(%s,%s)", ticket, u)
	return c.begin[string(ticket)]
}
func (c *fakeConn) EndAuthSession(u steamgs.SteamID) {
	c.enter()
	defer c.leave()
	c.log("EndAuthSession(%s)", u)
}
func (c *fakeConn) UpdateUserData(u steamgs.SteamID, name string, score uint32) bool {
	c.enter()
	defer c.leave()
	c.log("UpdateUserData(%s,%s,%d)", u, name, score)
	return true
}
func (c *fakeConn) CreateUnauthenticatedUserConnection() steamgs.SteamID {
	c.enter()
	defer c.leave()
	c.nextAnon++
	id := steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, c.nextAnon)
	c.log("CreateUnauthenticatedUserConnection=%s", id)
	return id
}
func (c *fakeConn) HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool {
	c.enter()
	defer c.leave()
	c.log("HandleIncomingPacket(%x,%s)", pkt, from)
	c.in = append(c.in, string(pkt))
	return true
}
func (c *fakeConn) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort) {
	c.enter()
	defer c.leave()
	c.log("GetNextOutgoingPacket")
	if c.reply != nil && len(c.out) == 0 && len(c.in) > c.replied {
		c.replied = len(c.in)
		c.out = append(c.out, c.reply(c.in[len(c.in)-1])...)
	}
	if len(c.out) == 0 {
		return 0, netip.AddrPort{}
	}
	p := c.out[0]
	c.out = c.out[1:]
	return copy(buf, p.data), p.to
}
