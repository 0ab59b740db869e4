package systems_test

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/steamgs/steamgs/steamgs"
)

// fakeBackend is a steamgs.Backend whose one server records every call as
// "Method(args)" and answers from fields the test sets.
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
	calls     []string
	record    bool
	queue     []steamgs.Callback
	restart   bool
	begin     map[string]steamgs.BeginAuthSessionResult // by ticket text; missing = OK
	out       []outPacket
	in        []string
	nextAnon  uint32
	queryPort uint16
	loggedOn  bool
	steamID   steamgs.SteamID
}

func (c *fakeConn) log(format string, args ...any) {
	if c.record {
		c.calls = append(c.calls, fmt.Sprintf(format, args...))
	}
}

// take returns the calls recorded since the last take, polls left out.
func (c *fakeConn) take() []string {
	var out []string
	for _, s := range c.calls {
		if s == "RunCallbacks" || s == "WasRestartRequested" || strings.HasPrefix(s, "GetNextOutgoingPacket") {
			continue
		}
		out = append(out, s)
	}
	c.calls = c.calls[:0]
	return out
}

func (c *fakeConn) Shutdown() error { c.log("Shutdown"); return nil }
func (c *fakeConn) RunCallbacks(emit func(steamgs.Callback)) {
	c.log("RunCallbacks")
	q := c.queue
	c.queue = nil
	for _, cb := range q {
		emit(cb)
	}
}
func (c *fakeConn) ReleaseThreadMemory()                 {}
func (c *fakeConn) QueryPort() uint16                    { return c.queryPort }
func (c *fakeConn) SetProduct(v string)                  { c.log("SetProduct(%s)", v) }
func (c *fakeConn) SetGameDescription(v string)          { c.log("SetGameDescription(%s)", v) }
func (c *fakeConn) SetModDir(v string)                   { c.log("SetModDir(%s)", v) }
func (c *fakeConn) SetDedicatedServer(v bool)            { c.log("SetDedicatedServer(%v)", v) }
func (c *fakeConn) LogOn(token string)                   { c.log("LogOn(%s)", token) }
func (c *fakeConn) LogOnAnonymous()                      { c.log("LogOnAnonymous") }
func (c *fakeConn) LogOff()                              { c.log("LogOff") }
func (c *fakeConn) LoggedOn() bool                       { return c.loggedOn }
func (c *fakeConn) Secure() bool                         { return false }
func (c *fakeConn) SteamID() steamgs.SteamID             { return c.steamID }
func (c *fakeConn) SetMaxPlayerCount(n int)              { c.log("SetMaxPlayerCount(%d)", n) }
func (c *fakeConn) SetBotPlayerCount(n int)              { c.log("SetBotPlayerCount(%d)", n) }
func (c *fakeConn) SetServerName(v string)               { c.log("SetServerName(%s)", v) }
func (c *fakeConn) SetMapName(v string)                  { c.log("SetMapName(%s)", v) }
func (c *fakeConn) SetPasswordProtected(v bool)          { c.log("SetPasswordProtected(%v)", v) }
func (c *fakeConn) SetSpectatorPort(p uint16)            { c.log("SetSpectatorPort(%d)", p) }
func (c *fakeConn) SetSpectatorServerName(v string)      { c.log("SetSpectatorServerName(%s)", v) }
func (c *fakeConn) ClearAllKeyValues()                   { c.log("ClearAllKeyValues") }
func (c *fakeConn) SetKeyValue(k, v string)              { c.log("SetKeyValue(%s,%s)", k, v) }
func (c *fakeConn) SetGameTags(v string)                 { c.log("SetGameTags(%s)", v) }
func (c *fakeConn) SetGameData(v string)                 { c.log("SetGameData(%s)", v) }
func (c *fakeConn) SetRegion(v string)                   { c.log("SetRegion(%s)", v) }
func (c *fakeConn) SetAdvertiseServerActive(v bool)      { c.log("SetAdvertiseServerActive(%v)", v) }
func (c *fakeConn) CancelAuthTicket(steamgs.AuthTicket)  {}
func (c *fakeConn) GetGameplayStats()                    {}
func (c *fakeConn) GetServerReputation() steamgs.APICall { return 0 }
func (c *fakeConn) PublicIP() netip.Addr                 { return netip.MustParseAddr("203.0.113.7") }
func (c *fakeConn) SendUserDisconnect(u steamgs.SteamID) { c.log("SendUserDisconnect(%s)", u) }
func (c *fakeConn) EndAuthSession(u steamgs.SteamID)     { c.log("EndAuthSession(%s)", u) }
func (c *fakeConn) AssociateWithClan(steamgs.SteamID) steamgs.APICall {
	return 0
}
func (c *fakeConn) ComputeNewPlayerCompatibility(steamgs.SteamID) steamgs.APICall { return 0 }
func (c *fakeConn) RequestUserGroupStatus(u, g steamgs.SteamID) bool              { return false }
func (c *fakeConn) UserHasLicenseForApp(steamgs.SteamID, steamgs.AppID) steamgs.LicenseResult {
	return steamgs.NoAuth
}
func (c *fakeConn) WasRestartRequested() bool {
	c.log("WasRestartRequested")
	r := c.restart
	c.restart = false
	return r
}
func (c *fakeConn) GetAuthSessionTicket(buf []byte, _ steamgs.Identity) (steamgs.AuthTicket, int) {
	return 0, 0
}
func (c *fakeConn) BeginAuthSession(ticket []byte, u steamgs.SteamID) steamgs.BeginAuthSessionResult {
	c.log("BeginAuthSession(%s,%s)", ticket, u)
	return c.begin[string(ticket)]
}
func (c *fakeConn) HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool {
	c.log("HandleIncomingPacket(%x,%s)", pkt, from)
	c.in = append(c.in, string(pkt))
	return true
}
func (c *fakeConn) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort) {
	c.log("GetNextOutgoingPacket")
	if len(c.out) == 0 {
		return 0, netip.AddrPort{}
	}
	p := c.out[0]
	c.out = c.out[1:]
	return copy(buf, p.data), p.to
}
func (c *fakeConn) SendUserConnectAndAuthenticate(netip.Addr, []byte) (steamgs.SteamID, bool) {
	return 0, false
}
func (c *fakeConn) CreateUnauthenticatedUserConnection() steamgs.SteamID {
	c.nextAnon++
	id := steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, c.nextAnon)
	c.log("CreateUnauthenticatedUserConnection=%s", id)
	return id
}
func (c *fakeConn) UpdateUserData(u steamgs.SteamID, name string, score uint32) bool {
	c.log("UpdateUserData(%s,%s,%d)", u, name, score)
	return true
}
