package local

import (
	"net"
	"net/netip"
	"slices"

	"github.com/steamgs/steamgs/steamgs"
)

// phase is where a server's log-on stands, as the universe sees it.
type phase uint8

const (
	// phaseOff: not logged on and not trying to.
	phaseOff phase = iota
	// phaseConnecting: a log-on attempt or retry is queued.
	phaseConnecting
	// phaseConnected: the last attempt succeeded.
	phaseConnected
)

// playerKind is how a player came to the server.
type playerKind uint8

const (
	// kindSession: BeginAuthSession.
	kindSession playerKind = iota
	// kindLegacy: SendUserConnectAndAuthenticate.
	kindLegacy
	// kindAnon: CreateUnauthenticatedUserConnection.
	kindAnon
)

// player is a user with a session (or connection) on a server.
type player struct {
	sid    uint64 // distinguishes this session from earlier ones of the user
	joined int64  // Unix ns
	ticket ticketKey
	// claims are the licences the ticket claimed, kept for users the
	// universe did not know when the session began.
	claims []steamgs.AppID
	name   string
	score  uint32
	kind   playerKind
	// ok: the verdict at the start was AuthOK (or the user was approved).
	ok bool
	// rejected: a negative verdict or a kick was delivered.
	rejected bool
	// listed: the player is in the A2S player list.
	listed bool
}

// Server is one game server of a [Universe]. It implements [steamgs.Conn],
// [steamgs.PacketConn] and [steamgs.UserConnectConn]; games use it through
// *steamgs.Server (steamgs.NewServer(universe)), and reach it with
// steamgs.Server.Raw for what only this back end offers (QueryStats, Addrs).
// Like every Conn, it is used from one goroutine at a time and delivers
// callbacks only in RunCallbacks; the universe's faults may reach it from
// other goroutines at any time. Close it (steamgs.Server.Shutdown does) to
// release its query port.
type Server struct {
	u        *Universe
	cfg      steamgs.Config
	publicIP netip.Addr
	// addrs are the addresses whose IP-bound tickets the server takes;
	// anyLoopback adds every loopback address. Both are fixed at Open.
	addrs       []netip.Addr
	anyLoopback bool

	// Guarded by u.mu:
	q           queue
	lastDue     int64  // due time of the last answer queued
	gen         uint64 // log-on generation; attempts of older ones are dropped
	phase       phase
	up          bool // the last connection news queued was "connected"
	anon        bool
	token       string
	logOnID     steamgs.SteamID // the account of the current log-on
	loggedOn    bool            // ServerConnected delivered, no ServerDisconnected since
	steamID     steamgs.SteamID
	secure      bool
	restarts    uint64 // the count of Universe.RequestRestart calls
	players     map[steamgs.SteamID]player
	nextSession uint64
	clan        steamgs.SteamID
	closed      bool

	a2s a2sState
}

// Server is a back end's connection with both optional powers.
var (
	_ steamgs.Conn            = (*Server)(nil)
	_ steamgs.PacketConn      = (*Server)(nil)
	_ steamgs.UserConnectConn = (*Server)(nil)
)

// newServer makes the server of cfg on u, with its query port.
func newServer(u *Universe, cfg steamgs.Config) (*Server, error) {
	s := &Server{u: u, cfg: cfg, players: make(map[steamgs.SteamID]player)}
	switch {
	case u.publicIP.IsValid():
		s.publicIP = u.publicIP
	case cfg.IP.IsValid() && !cfg.IP.IsUnspecified():
		s.publicIP = cfg.IP
	default:
		s.publicIP = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	s.addrs, s.anyLoopback = ownAddrs(u.publicIP, cfg.IP, interfaceAddrs)
	if err := s.openQuery(); err != nil {
		return nil, err
	}
	return s, nil
}

// ownAddrs returns the addresses a server bound to ip, with the public IP
// public (either may be the zero Addr), accepts IP-bound tickets for, and
// whether it also accepts every loopback address. A server bound to one
// address is reached at that address or, behind NAT, at its public IP. A
// server bound to every interface is reached at any address of the host
// (host lists them) and at its public IP; a ticket bound to any other
// address was made for another server, which could otherwise replay a
// player's ticket here.
func ownAddrs(public, ip netip.Addr, host func() []netip.Addr) ([]netip.Addr, bool) {
	var addrs []netip.Addr
	if public.IsValid() {
		addrs = append(addrs, public)
	}
	if ip.IsValid() && !ip.IsUnspecified() {
		return append(addrs, ip), false
	}
	for _, a := range host() {
		if a.Is4() && !a.IsLoopback() && !slices.Contains(addrs, a) {
			addrs = append(addrs, a)
		}
	}
	return addrs, true
}

// interfaceAddrs lists the IPv4 addresses of the host's network interfaces,
// or none when the host does not say.
func interfaceAddrs() []netip.Addr {
	ifAddrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var addrs []netip.Addr
	for _, a := range ifAddrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil && p.Addr().Unmap().Is4() {
			addrs = append(addrs, p.Addr().Unmap())
		}
	}
	return addrs
}

// isOwnAddr reports whether ip is one of the server's addresses.
func (s *Server) isOwnAddr(ip netip.Addr) bool {
	return slices.Contains(s.addrs, ip) || s.anyLoopback && ip.IsLoopback()
}

// Addrs returns the IPv4 addresses at which the server takes tickets bound
// to an address (made for steamgs.Identity{Addr: ...} with its game port),
// fixed when it was opened: its public IP (Options.PublicIP) when the
// universe has one, and the address it was bound to (Config.IP); or, for a
// server bound to every interface, the addresses of the host's interfaces
// and every loopback address (127.0.0.0/8, which Addrs does not list). A
// ticket bound to another address gets AuthTicketNetworkIdentityFailure,
// so that a server a player joined cannot pass the player's ticket on to
// another server on the same port. The caller owns the slice.
func (s *Server) Addrs() []netip.Addr { return slices.Clone(s.addrs) }

// answerDueLocked returns when an answer queued now falls due: after the
// latency, and never before an answer queued earlier.
func (s *Server) answerDueLocked(now int64) int64 {
	due := now + s.u.latency.Nanoseconds()
	if due < s.lastDue {
		due = s.lastDue
	}
	s.lastDue = due
	return due
}

// queueLocked queues cb as an answer to a call made now.
func (s *Server) queueLocked(cb steamgs.Callback, now int64) {
	s.q.push(entry{kind: entCallback, cb: cb, due: s.answerDueLocked(now)})
}

// Close ends the server (SteamGameServer_Shutdown): it leaves the universe,
// its sessions end, pending callbacks are dropped and its query port is
// closed (the serving goroutine has returned when Close does). Closing it
// again does nothing.
func (s *Server) Close() error {
	now := s.u.now()
	s.u.mu.Lock()
	if s.closed {
		s.u.mu.Unlock()
		return nil
	}
	s.closed = true
	s.u.removeServerLocked(s)
	for id, p := range s.players {
		s.endLocked(id, p, now)
	}
	s.q.reset()
	s.gen++
	s.phase, s.up, s.loggedOn = phaseOff, false, false
	s.u.mu.Unlock()
	return s.closeQuery()
}

// RunCallbacks (SteamGameServer_RunCallbacks) calls emit for each callback
// that is due by the universe's clock, in order, on the caller's goroutine;
// the universe's lock is not held while emit runs, so emit may call the
// server. Callbacks queued while it runs wait for the next call; when emit
// shuts the server down, no further callback is delivered. Log-on state
// (Status: LoggedOn, SteamID, Secure) and the A2S player list change as the
// callbacks that report them are delivered. It allocates nothing when nothing
// is due.
func (s *Server) RunCallbacks(emit func(steamgs.Callback)) {
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	limit := s.q.next
	for !s.closed && s.q.due(now, limit) {
		e := s.q.pop()
		var buf [2]steamgs.Callback
		for _, cb := range s.deliverLocked(&e, buf[:0]) {
			if s.closed {
				break // emit shut the server down
			}
			u.mu.Unlock()
			emit(cb)
			u.mu.Lock()
		}
	}
	u.mu.Unlock()
}

// deliverLocked applies the effect of e and appends the callbacks it
// delivers to out.
func (s *Server) deliverLocked(e *entry, out []steamgs.Callback) []steamgs.Callback {
	switch e.kind {
	case entCallback:
		return append(out, e.cb)
	case entAttempt:
		return s.attemptLocked(e, out)
	case entDisconnect:
		s.loggedOn = false
		if steamgs.Result(e.resp) == steamgs.ResultOK {
			s.steamID, s.secure = 0, false
		}
		s.pushInfoLocked()
		return append(out, steamgs.ServerDisconnected{Result: steamgs.Result(e.resp)})
	}
	p, ok := s.players[e.user]
	if !ok || p.sid != e.gen {
		return out // the session ended before its news arrived
	}
	switch e.kind {
	case entVerdict:
		resp := steamgs.AuthSessionResponse(e.resp)
		if resp == steamgs.AuthOK {
			if !p.rejected {
				s.listLocked(e.user, &p)
			}
		} else {
			s.rejectLocked(e.user, &p, e.due)
		}
		s.players[e.user] = p
		return append(out, steamgs.ValidateAuthTicketResponse{SteamID: e.user, Response: resp, Owner: e.user})
	case entApprove:
		s.listLocked(e.user, &p)
		s.players[e.user] = p
		return append(out, steamgs.ClientApproved{SteamID: e.user, Owner: e.user})
	case entKick:
		s.rejectLocked(e.user, &p, e.due)
		s.players[e.user] = p
		return append(out, steamgs.ClientKick{SteamID: e.user, Reason: steamgs.DenyReason(e.resp)})
	}
	return out
}

// attemptLocked makes the log-on attempt e.
func (s *Server) attemptLocked(e *entry, out []steamgs.Callback) []steamgs.Callback {
	u := s.u
	if e.gen != s.gen {
		return out // LogOff, or a newer log-on
	}
	if e.due >= u.outageStart && e.due < u.outageEnd {
		// The connection is down: retry at the next interval, or the moment
		// the outage ends if that is sooner. The retry keeps e's sequence
		// number, so a RunCallbacks that finds it due delivers it too.
		next := min(e.due+u.retry.Nanoseconds(), u.outageEnd)
		s.q.pushSeq(entry{kind: entAttempt, gen: e.gen, due: next, seq: e.seq})
		return append(out, steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection, Retrying: true})
	}
	if r := s.logOnResultLocked(); r != steamgs.ResultOK {
		s.phase = phaseOff
		return append(out, steamgs.ServerConnectFailure{Result: r})
	}
	s.phase, s.up, s.loggedOn = phaseConnected, true, true
	s.steamID = s.logOnID
	s.secure = s.cfg.Mode == steamgs.ModeAuthenticationAndSecure
	s.pushInfoLocked()
	if u.outageStart > e.due && u.outageEnd > e.due {
		// The connection dropped after this attempt succeeded but before it
		// was delivered: the disconnection follows, in the same RunCallbacks
		// when it is due.
		s.dropLocked(u.outageStart, &e.seq)
	}
	return append(out, steamgs.ServerConnected{}, steamgs.PolicyResponse{Secure: s.secure})
}

// logOnResultLocked returns the outcome of a log-on attempt when the
// connection is up.
func (s *Server) logOnResultLocked() steamgs.Result {
	if s.u.refuse != steamgs.ResultOK {
		return s.u.refuse
	}
	if s.anon {
		return steamgs.ResultOK
	}
	state, ok := s.u.tokens[s.token]
	switch {
	case !ok:
		return steamgs.ResultInvalidParam
	case state == TokenExpired:
		return steamgs.ResultGSLTExpired
	case state == TokenBanned:
		return steamgs.ResultGSLTDenied
	case state == TokenValid:
		return steamgs.ResultOK
	}
	return steamgs.ResultInvalidParam
}

// ReleaseThreadMemory (SteamAPI_ReleaseCurrentThreadMemory) does nothing: the
// embedded Steam keeps no memory per thread.
func (s *Server) ReleaseThreadMemory() {}

// LogOn begins logging on with a game server log-on token
// (ISteamGameServer::LogOn), or, when token is empty, to a fresh anonymous
// game server account [A:1:N:I] (ISteamGameServer::LogOnAnonymous), whose
// answers arrive as for a token but cannot fail for one. After the latency
// the server gets ServerConnected and PolicyResponse{Secure: mode is
// AuthenticationAndSecure} and the Steam ID of the token (see
// Universe.TokenSteamID), or ServerConnectFailure{Retrying: false} with
// ResultInvalidParam for a token the universe does not know,
// ResultGSLTExpired for an expired one, ResultGSLTDenied for a banned one or
// the result RefuseLogOn set. During an outage (DropConnection) it retries
// as a dropped server does. A log-on in progress is abandoned; a server that
// is logged on is logged off first (ServerDisconnected{ResultOK}).
func (s *Server) LogOn(token string) {
	s.beginLogOn(token == "", token)
}

// beginLogOn queues a log-on attempt.
func (s *Server) beginLogOn(anon bool, token string) {
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	s.gen++
	if s.up {
		// Logged on already: log off first.
		s.up = false
		s.q.push(entry{kind: entDisconnect, resp: int32(steamgs.ResultOK), due: s.answerDueLocked(now)})
	}
	s.phase, s.anon, s.token = phaseConnecting, anon, token
	if anon {
		u.nextAnonServer++
		if u.nextAnonServer == 0 {
			u.nextAnonServer = 1
		}
		s.logOnID = steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonGameServer, u.anonInstance, u.nextAnonServer)
	} else {
		s.logOnID = u.TokenSteamID(token)
	}
	s.q.push(entry{kind: entAttempt, gen: s.gen, due: s.answerDueLocked(now)})
}

// LogOff begins logging off (ISteamGameServer::LogOff): a log-on in progress and any retry are
// abandoned, and a server that was logged on or trying to gets
// ServerDisconnected{ResultOK} after the latency, when Status's LoggedOn
// turns false and its SteamID zero. Sessions stay until EndAuthSession.
func (s *Server) LogOff() {
	now := s.u.now()
	s.u.mu.Lock()
	defer s.u.mu.Unlock()
	s.gen++
	if s.phase == phaseOff && !s.loggedOn {
		return
	}
	s.phase, s.up = phaseOff, false
	s.q.push(entry{kind: entDisconnect, resp: int32(steamgs.ResultOK), due: s.answerDueLocked(now)})
}

// dropLocked cuts a logged-on server off at the time now, as DropConnection
// does. The entries it queues get fresh sequence numbers, or *seq when seq
// is not nil.
func (s *Server) dropLocked(now int64, seq *uint64) {
	if s.phase != phaseConnected {
		return // off, or already trying: its next attempt sees the outage
	}
	s.phase, s.up = phaseConnecting, false
	due := s.answerDueLocked(now)
	next := max(min(due+s.u.retry.Nanoseconds(), s.u.outageEnd), due)
	disconnect := entry{kind: entDisconnect, resp: int32(steamgs.ResultNoConnection), due: due}
	retry := entry{kind: entAttempt, gen: s.gen, due: next}
	if seq == nil {
		s.q.push(disconnect)
		s.q.push(retry)
		return
	}
	disconnect.seq, retry.seq, retry.sub = *seq, *seq, 1
	s.q.pushSeq(disconnect)
	s.q.pushSeq(retry)
}

// Status reports the server's state (ISteamGameServer::BLoggedOn, BSecure,
// GetSteamID, GetPublicIP and WasRestartRequested):
//
//   - LoggedOn: true from the delivery of ServerConnected to that of
//     ServerDisconnected;
//   - Secure: what the last PolicyResponse said (true when the server's
//     mode is AuthenticationAndSecure); it stays through an outage and turns
//     false when the ServerDisconnected of LogOff is delivered;
//   - SteamID: zero until the first ServerConnected is delivered, kept
//     through an outage, zero again once the ServerDisconnected of LogOff is
//     delivered;
//   - PublicIP: Options.PublicIP, or the address the server was opened on,
//     or 127.0.0.1 for a server opened on every interface;
//   - QueryPort: the bound query port, or steamgs.QueryPortShared in
//     GameSocketShare mode;
//   - Restarts: the number of Universe.RequestRestart calls made while the
//     server was open.
func (s *Server) Status() steamgs.Status {
	s.u.mu.Lock()
	defer s.u.mu.Unlock()
	return steamgs.Status{
		LoggedOn:  s.loggedOn,
		Secure:    s.secure,
		SteamID:   s.steamID,
		PublicIP:  s.publicIP,
		QueryPort: s.a2s.port,
		Restarts:  s.restarts,
	}
}
