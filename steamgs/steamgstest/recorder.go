package steamgstest

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
// its length; Apply is recorded by the fields it changed, and the emit
// function of RunCallbacks is not recorded.
type Call struct {
	Method string
	Args   []any
}

// String returns the call as "Method(arg, arg)", byte slices and strings in
// %q form.
func (c Call) String() string {
	var b strings.Builder
	b.WriteString(c.Method)
	b.WriteByte('(')
	for i, a := range c.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		switch a := a.(type) {
		case []byte, string:
			fmt.Fprintf(&b, "%q", a)
		default:
			fmt.Fprint(&b, a)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// Poll reports whether the call is one of the polls a game makes every tick
// even when nothing happens: RunCallbacks, Status and GetNextOutgoingPacket.
func (c Call) Poll() bool {
	switch c.Method {
	case "RunCallbacks", "Status", "GetNextOutgoingPacket":
		return true
	}
	return false
}

// Recorder is a [steamgs.Backend] that wraps another and records every call
// of the servers it opens (and Open itself), by name and arguments, in the
// order made. The connections it opens have the optional interfaces
// (steamgs.PacketConn, steamgs.UserConnectConn) that the wrapped back end's
// have, and no others. Its methods are safe for concurrent use. Make it with
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
	k := &recConn{r: r, c: c}
	p, isPackets := c.(steamgs.PacketConn)
	l, isLegacy := c.(steamgs.UserConnectConn)
	switch {
	case isPackets && isLegacy:
		return struct {
			*recConn
			recPackets
			recLegacy
		}{k, recPackets{k, p}, recLegacy{k, l}}, nil
	case isPackets:
		return struct {
			*recConn
			recPackets
		}{k, recPackets{k, p}}, nil
	case isLegacy:
		return struct {
			*recConn
			recLegacy
		}{k, recLegacy{k, l}}, nil
	}
	return k, nil
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

// recConn records the core calls of one server and passes them on.
type recConn struct {
	r *Recorder
	c steamgs.Conn
}

var _ steamgs.Conn = (*recConn)(nil)

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func (k *recConn) Close() error { k.r.record("Close"); return k.c.Close() }
func (k *recConn) RunCallbacks(emit func(steamgs.Callback)) {
	k.r.record("RunCallbacks")
	k.c.RunCallbacks(emit)
}
func (k *recConn) ReleaseThreadMemory() { k.r.record("ReleaseThreadMemory"); k.c.ReleaseThreadMemory() }
func (k *recConn) Apply(s *steamgs.Settings, changed steamgs.Field) {
	k.r.record("Apply", changed)
	k.c.Apply(s, changed)
}
func (k *recConn) LogOn(token string)     { k.r.record("LogOn", token); k.c.LogOn(token) }
func (k *recConn) LogOff()                { k.r.record("LogOff"); k.c.LogOff() }
func (k *recConn) Status() steamgs.Status { k.r.record("Status"); return k.c.Status() }
func (k *recConn) GetAuthSessionTicket(buf []byte, forID steamgs.Identity) (steamgs.AuthTicket, int) {
	k.r.record("GetAuthSessionTicket", len(buf), forID)
	return k.c.GetAuthSessionTicket(buf, forID)
}
func (k *recConn) CancelAuthTicket(t steamgs.AuthTicket) {
	k.r.record("CancelAuthTicket", t)
	k.c.CancelAuthTicket(t)
}
func (k *recConn) BeginAuthSession(ticket []byte, user steamgs.SteamID) steamgs.BeginAuthSessionResult {
	k.r.record("BeginAuthSession", clone(ticket), user)
	return k.c.BeginAuthSession(ticket, user)
}
func (k *recConn) EndAuthSession(user steamgs.SteamID) {
	k.r.record("EndAuthSession", user)
	k.c.EndAuthSession(user)
}
func (k *recConn) UserHasLicenseForApp(user steamgs.SteamID, app steamgs.AppID) steamgs.LicenseResult {
	k.r.record("UserHasLicenseForApp", user, app)
	return k.c.UserHasLicenseForApp(user, app)
}
func (k *recConn) UpdateUserData(user steamgs.SteamID, name string, score uint32) bool {
	k.r.record("UpdateUserData", user, name, score)
	return k.c.UpdateUserData(user, name, score)
}
func (k *recConn) CreateUnauthenticatedUserConnection() steamgs.SteamID {
	k.r.record("CreateUnauthenticatedUserConnection")
	return k.c.CreateUnauthenticatedUserConnection()
}
func (k *recConn) Request(req steamgs.Request) (steamgs.APICall, bool) {
	k.r.record("Request", req)
	return k.c.Request(req)
}

// recPackets records the shared-socket calls of a server that has them.
type recPackets struct {
	k *recConn
	p steamgs.PacketConn
}

func (k recPackets) HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool {
	k.k.r.record("HandleIncomingPacket", clone(pkt), from)
	return k.p.HandleIncomingPacket(pkt, from)
}
func (k recPackets) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort) {
	k.k.r.record("GetNextOutgoingPacket", len(buf))
	return k.p.GetNextOutgoingPacket(buf)
}

// recLegacy records the deprecated user-connect calls of a server that has
// them.
type recLegacy struct {
	k *recConn
	l steamgs.UserConnectConn
}

func (k recLegacy) SendUserConnectAndAuthenticate(ip netip.Addr, ticket []byte) (steamgs.SteamID, bool) {
	k.k.r.record("SendUserConnectAndAuthenticate", ip, clone(ticket))
	return k.l.SendUserConnectAndAuthenticate(ip, ticket)
}
func (k recLegacy) SendUserDisconnect(user steamgs.SteamID) {
	k.k.r.record("SendUserDisconnect", user)
	k.l.SendUserDisconnect(user)
}
