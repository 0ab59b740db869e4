package ecstest

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/steamgs/steamgs/steamgs"
)

// Call is one call of a [steamgs.Conn] method, as a [Recorder] saw it: the
// method's name and its arguments. Byte slices are copied; a buffer the
// method fills (GetNextOutgoingPacket, GetAuthSessionTicket) is recorded by
// its length; the emit function of RunCallbacks is not recorded.
type Call struct {
	Method string
	Args   []any
}

// String returns the call as "Method(arg, arg)", byte slices in %q form.
func (c Call) String() string {
	var b strings.Builder
	b.WriteString(c.Method)
	b.WriteByte('(')
	for i, a := range c.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		switch a := a.(type) {
		case []byte:
			fmt.Fprintf(&b, "%q", a)
		case string:
			fmt.Fprintf(&b, "%q", a)
		default:
			fmt.Fprint(&b, a)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// Poll reports whether the call is one of the polls a tick makes even when
// nothing happens: RunCallbacks, WasRestartRequested and
// GetNextOutgoingPacket.
func (c Call) Poll() bool {
	switch c.Method {
	case "RunCallbacks", "WasRestartRequested", "GetNextOutgoingPacket":
		return true
	}
	return false
}

// Recorder is a [steamgs.Backend] that wraps another and records every call
// of the servers it opens (and Open itself), by name and arguments, in the
// order made. Its methods are safe for concurrent use. Make it with
// NewRecorder.
type Recorder struct {
	inner steamgs.Backend

	mu     sync.Mutex
	calls  []Call
	counts map[string]int
	last   steamgs.Conn
	off    bool
}

// NewRecorder returns a recorder around b.
func NewRecorder(b steamgs.Backend) *Recorder {
	return &Recorder{inner: b, counts: make(map[string]int)}
}

// Open opens a server of the wrapped back end and returns it wrapped.
func (r *Recorder) Open(cfg steamgs.Config) (steamgs.Conn, error) {
	r.record("Open", cfg)
	c, err := r.inner.Open(cfg)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.last = c
	r.mu.Unlock()
	return &recConn{r: r, c: c}, nil
}

// Capabilities returns the wrapped back end's.
func (r *Recorder) Capabilities() steamgs.Capabilities { return r.inner.Capabilities() }

// Conn returns the wrapped back end's connection of the last server opened,
// for what only that back end offers (a *local.Server's QueryStats).
func (r *Recorder) Conn() steamgs.Conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// SetRecording turns recording on (the default) or off; calls made while it
// is off are neither listed nor counted.
func (r *Recorder) SetRecording(on bool) {
	r.mu.Lock()
	r.off = !on
	r.mu.Unlock()
}

func (r *Recorder) record(method string, args ...any) {
	r.mu.Lock()
	if !r.off {
		r.calls = append(r.calls, Call{Method: method, Args: args})
		r.counts[method]++
	}
	r.mu.Unlock()
}

// Calls returns the calls recorded since the last Reset, in order.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

// SteamCalls returns the calls recorded since the last Reset that are not
// polls (see Call.Poll), in order.
func (r *Recorder) SteamCalls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Call
	for _, c := range r.calls {
		if !c.Poll() {
			out = append(out, c)
		}
	}
	return out
}

// Count returns how many times method was called since the last Reset.
func (r *Recorder) Count(method string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[method]
}

// Reset forgets the calls recorded so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.calls = nil
	clear(r.counts)
	r.mu.Unlock()
}

var (
	_ steamgs.Backend = (*Recorder)(nil)
	_ steamgs.Conn    = (*recConn)(nil)
)

// recConn records the calls of one server and passes them on.
type recConn struct {
	r *Recorder
	c steamgs.Conn
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func (k *recConn) Shutdown() error { k.r.record("Shutdown"); return k.c.Shutdown() }
func (k *recConn) RunCallbacks(emit func(steamgs.Callback)) {
	k.r.record("RunCallbacks")
	k.c.RunCallbacks(emit)
}
func (k *recConn) ReleaseThreadMemory() { k.r.record("ReleaseThreadMemory"); k.c.ReleaseThreadMemory() }
func (k *recConn) QueryPort() uint16    { k.r.record("QueryPort"); return k.c.QueryPort() }
func (k *recConn) SetProduct(v string)  { k.r.record("SetProduct", v); k.c.SetProduct(v) }
func (k *recConn) SetGameDescription(v string) {
	k.r.record("SetGameDescription", v)
	k.c.SetGameDescription(v)
}
func (k *recConn) SetModDir(v string) { k.r.record("SetModDir", v); k.c.SetModDir(v) }
func (k *recConn) SetDedicatedServer(v bool) {
	k.r.record("SetDedicatedServer", v)
	k.c.SetDedicatedServer(v)
}
func (k *recConn) LogOn(token string)       { k.r.record("LogOn", token); k.c.LogOn(token) }
func (k *recConn) LogOnAnonymous()          { k.r.record("LogOnAnonymous"); k.c.LogOnAnonymous() }
func (k *recConn) LogOff()                  { k.r.record("LogOff"); k.c.LogOff() }
func (k *recConn) LoggedOn() bool           { k.r.record("LoggedOn"); return k.c.LoggedOn() }
func (k *recConn) Secure() bool             { k.r.record("Secure"); return k.c.Secure() }
func (k *recConn) SteamID() steamgs.SteamID { k.r.record("SteamID"); return k.c.SteamID() }
func (k *recConn) SetMaxPlayerCount(n int) {
	k.r.record("SetMaxPlayerCount", n)
	k.c.SetMaxPlayerCount(n)
}
func (k *recConn) SetBotPlayerCount(n int) {
	k.r.record("SetBotPlayerCount", n)
	k.c.SetBotPlayerCount(n)
}
func (k *recConn) SetServerName(v string) { k.r.record("SetServerName", v); k.c.SetServerName(v) }
func (k *recConn) SetMapName(v string)    { k.r.record("SetMapName", v); k.c.SetMapName(v) }
func (k *recConn) ClearAllKeyValues()     { k.r.record("ClearAllKeyValues"); k.c.ClearAllKeyValues() }
func (k *recConn) SetKeyValue(key, v string) {
	k.r.record("SetKeyValue", key, v)
	k.c.SetKeyValue(key, v)
}
func (k *recConn) SetGameTags(v string) { k.r.record("SetGameTags", v); k.c.SetGameTags(v) }
func (k *recConn) SetGameData(v string) { k.r.record("SetGameData", v); k.c.SetGameData(v) }
func (k *recConn) SetRegion(v string)   { k.r.record("SetRegion", v); k.c.SetRegion(v) }
func (k *recConn) PublicIP() netip.Addr { k.r.record("PublicIP"); return k.c.PublicIP() }
func (k *recConn) GetGameplayStats()    { k.r.record("GetGameplayStats"); k.c.GetGameplayStats() }
func (k *recConn) WasRestartRequested() bool {
	k.r.record("WasRestartRequested")
	return k.c.WasRestartRequested()
}
func (k *recConn) SetPasswordProtected(v bool) {
	k.r.record("SetPasswordProtected", v)
	k.c.SetPasswordProtected(v)
}
func (k *recConn) SetSpectatorPort(p uint16) {
	k.r.record("SetSpectatorPort", p)
	k.c.SetSpectatorPort(p)
}
func (k *recConn) SetSpectatorServerName(v string) {
	k.r.record("SetSpectatorServerName", v)
	k.c.SetSpectatorServerName(v)
}
func (k *recConn) SetAdvertiseServerActive(v bool) {
	k.r.record("SetAdvertiseServerActive", v)
	k.c.SetAdvertiseServerActive(v)
}
func (k *recConn) GetAuthSessionTicket(buf []byte, forID steamgs.Identity) (steamgs.AuthTicket, int) {
	k.r.record("GetAuthSessionTicket", len(buf), forID)
	return k.c.GetAuthSessionTicket(buf, forID)
}
func (k *recConn) BeginAuthSession(ticket []byte, user steamgs.SteamID) steamgs.BeginAuthSessionResult {
	k.r.record("BeginAuthSession", clone(ticket), user)
	return k.c.BeginAuthSession(ticket, user)
}
func (k *recConn) EndAuthSession(user steamgs.SteamID) {
	k.r.record("EndAuthSession", user)
	k.c.EndAuthSession(user)
}
func (k *recConn) CancelAuthTicket(t steamgs.AuthTicket) {
	k.r.record("CancelAuthTicket", t)
	k.c.CancelAuthTicket(t)
}
func (k *recConn) UserHasLicenseForApp(user steamgs.SteamID, app steamgs.AppID) steamgs.LicenseResult {
	k.r.record("UserHasLicenseForApp", user, app)
	return k.c.UserHasLicenseForApp(user, app)
}
func (k *recConn) RequestUserGroupStatus(user, group steamgs.SteamID) bool {
	k.r.record("RequestUserGroupStatus", user, group)
	return k.c.RequestUserGroupStatus(user, group)
}
func (k *recConn) GetServerReputation() steamgs.APICall {
	k.r.record("GetServerReputation")
	return k.c.GetServerReputation()
}
func (k *recConn) AssociateWithClan(clan steamgs.SteamID) steamgs.APICall {
	k.r.record("AssociateWithClan", clan)
	return k.c.AssociateWithClan(clan)
}
func (k *recConn) ComputeNewPlayerCompatibility(user steamgs.SteamID) steamgs.APICall {
	k.r.record("ComputeNewPlayerCompatibility", user)
	return k.c.ComputeNewPlayerCompatibility(user)
}
func (k *recConn) HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool {
	k.r.record("HandleIncomingPacket", clone(pkt), from)
	return k.c.HandleIncomingPacket(pkt, from)
}
func (k *recConn) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort) {
	k.r.record("GetNextOutgoingPacket", len(buf))
	return k.c.GetNextOutgoingPacket(buf)
}
func (k *recConn) SendUserConnectAndAuthenticate(ip netip.Addr, ticket []byte) (steamgs.SteamID, bool) {
	k.r.record("SendUserConnectAndAuthenticate", ip, clone(ticket))
	return k.c.SendUserConnectAndAuthenticate(ip, ticket)
}
func (k *recConn) CreateUnauthenticatedUserConnection() steamgs.SteamID {
	k.r.record("CreateUnauthenticatedUserConnection")
	return k.c.CreateUnauthenticatedUserConnection()
}
func (k *recConn) SendUserDisconnect(user steamgs.SteamID) {
	k.r.record("SendUserDisconnect", user)
	k.c.SendUserDisconnect(user)
}
func (k *recConn) UpdateUserData(user steamgs.SteamID, name string, score uint32) bool {
	k.r.record("UpdateUserData", user, name, score)
	return k.c.UpdateUserData(user, name, score)
}
