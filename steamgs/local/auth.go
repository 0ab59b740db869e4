package local

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"

	"github.com/steamgs/steamgs/steamgs"
)

// BeginAuthSession (ISteamGameServer::BeginAuthSession) checks the ticket
// user sent and, when it can be read, begins a session. The answer is
// synchronous for what the ticket itself shows: BeginAuthInvalidVersion for a
// ticket of an unknown format version, BeginAuthInvalidTicket for one that is
// malformed, forged or tampered with (bad signature) or owned by another
// user, BeginAuthDuplicateRequest when user already has a session (or
// connection) on this server, BeginAuthGameMismatch for a ticket of another
// app than the server's (a server opened with AppID 0 takes any app) and
// BeginAuthExpiredTicket for one past its expiry. Otherwise it returns
// BeginAuthOK and the verdict arrives after the latency as a
// ValidateAuthTicketResponse, checked in this order:
// AuthTicketNetworkIdentityFailure (the ticket was made for another identity:
// not this server's Steam ID, nor its IP and game port), AuthTicketCanceled
// (its owner cancelled it), AuthLoggedInElseWhere (made before the user
// logged in elsewhere), AuthTicketInvalidAlreadyUsed (a server of this
// universe took it before), AuthVACBanned (on a secure server),
// AuthPublisherIssuedBan, AuthNoLicenseOrExpired (the user does not own the
// server's app), else AuthOK; a ticket a game server made for itself has no
// bans or licences to check. Bans and licences come from the universe's
// records for its own accounts and from the ticket's signed claims for users
// it does not know. Later changes (BanUser, LogInElsewhere, the ticket
// cancelled) arrive as further ValidateAuthTicketResponses. A session lasts
// until EndAuthSession, whatever its verdict.
//
// It verifies one signature and allocates nothing for a user the universe
// knows.
func (s *Server) BeginAuthSession(ticket []byte, user steamgs.SteamID) steamgs.BeginAuthSessionResult {
	var t rawTicket
	switch parseTicket(ticket, &t) {
	case ticketOK:
	case ticketVersion:
		return steamgs.BeginAuthInvalidVersion
	default:
		return steamgs.BeginAuthInvalidTicket
	}
	if t.user != user || !ed25519.Verify(s.u.pub, t.signed, t.sig) {
		return steamgs.BeginAuthInvalidTicket
	}
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, dup := s.players[user]; dup {
		return steamgs.BeginAuthDuplicateRequest
	}
	if s.cfg.AppID != 0 && t.app != s.cfg.AppID {
		return steamgs.BeginAuthGameMismatch
	}
	if now >= t.expires {
		return steamgs.BeginAuthExpiredTicket
	}
	acct := u.users[user]
	resp := s.verdictLocked(&t, acct, now)
	p := player{kind: kindSession, joined: now, ticket: ticketKey{t.user, t.handle, t.issued}, ok: resp == steamgs.AuthOK}
	if acct == nil {
		p.claims = claimedLicenses(t.lic)
	}
	s.addPlayerLocked(user, &p)
	s.q.push(entry{kind: entVerdict, user: user, resp: int32(resp), gen: p.sid, due: s.answerDueLocked(now)})
	return steamgs.BeginAuthOK
}

// claimedLicenses decodes a ticket's licence list, nil when it is empty.
func claimedLicenses(lic []byte) []steamgs.AppID {
	if len(lic) == 0 {
		return nil
	}
	apps := make([]steamgs.AppID, len(lic)/4)
	for i := range apps {
		apps[i] = steamgs.AppID(binary.LittleEndian.Uint32(lic[4*i:]))
	}
	return apps
}

// addPlayerLocked registers p as user's session, counting a connect in the
// server account's gameplay records when it starts well.
func (s *Server) addPlayerLocked(user steamgs.SteamID, p *player) {
	s.nextSession++
	p.sid = s.nextSession
	s.players[user] = *p
	if p.ok && p.kind != kindAnon {
		if g := s.u.gameplayLocked(s.logOnID); g != nil {
			g.connects++
		}
	}
}

// verdictLocked decides the ValidateAuthTicketResponse of a well-formed,
// genuine, unexpired ticket of the server's app, and marks it used.
func (s *Server) verdictLocked(t *rawTicket, acct *account, now int64) steamgs.AuthSessionResponse {
	u := s.u
	if !s.identityMatchesLocked(t) {
		return steamgs.AuthTicketNetworkIdentityFailure
	}
	if rec, ok := u.issued[handleKey{t.user, t.handle}]; ok && rec.issued == t.issued {
		switch rec.state {
		case issuedCanceled:
			return steamgs.AuthTicketCanceled
		case issuedElsewhere:
			return steamgs.AuthLoggedInElseWhere
		}
	} else if at, ok := u.elsewhere[t.user]; ok && t.issued < at {
		return steamgs.AuthLoggedInElseWhere
	}
	if u.markUsedLocked(ticketKey{t.user, t.handle, t.issued}, t.expires, now) {
		return steamgs.AuthTicketInvalidAlreadyUsed
	}
	if t.user.Type() != steamgs.AccountTypeIndividual {
		return steamgs.AuthOK // a game server's own ticket: no licence or ban to check
	}
	if s.cfg.Mode == steamgs.ModeAuthenticationAndSecure && (t.flags&flagVACBanned != 0 || u.vacBannedLocked(t.user, acct)) {
		return steamgs.AuthVACBanned
	}
	if t.flags&flagPublisherBanned != 0 || acct != nil && acct.publisher {
		return steamgs.AuthPublisherIssuedBan
	}
	app := s.cfg.AppID
	if app == 0 {
		app = t.app
	}
	if acct != nil {
		if _, ok := slices.BinarySearch(acct.apps, app); !ok {
			return steamgs.AuthNoLicenseOrExpired
		}
	} else if !hasLicense(t.lic, app) {
		return steamgs.AuthNoLicenseOrExpired
	}
	return steamgs.AuthOK
}

// identityMatchesLocked reports whether the ticket was made for this server:
// for no identity, for its Steam ID, or for its game port at one of its
// addresses (see [Server.Addrs]).
func (s *Server) identityMatchesLocked(t *rawTicket) bool {
	switch t.idKind {
	case idNone:
		return true
	case idSteamID:
		id := steamgs.SteamID(binary.LittleEndian.Uint64(t.id))
		return s.steamID != 0 && id == s.steamID
	case idIPv4:
		if binary.LittleEndian.Uint16(t.id[4:]) != s.cfg.GamePort {
			return false
		}
		return s.isOwnAddr(netip.AddrFrom4([4]byte(t.id[:4])))
	}
	return false // IPv6 (the server has none) or a generic string
}

// EndAuthSession (ISteamGameServer::EndAuthSession) ends the session or
// unauthenticated connection of user; the player leaves the A2S list and the
// time played is added to the server account's gameplay records. Unknown
// users are ignored.
func (s *Server) EndAuthSession(user steamgs.SteamID) {
	now := s.u.now()
	s.u.mu.Lock()
	if p, ok := s.players[user]; ok {
		s.endLocked(user, p, now)
	}
	s.u.mu.Unlock()
}

// endLocked removes the player p of user.
func (s *Server) endLocked(user steamgs.SteamID, p player, now int64) {
	s.stopPlayingLocked(&p, now)
	if p.listed {
		s.unlistLocked(user)
	}
	delete(s.players, user)
}

// stopPlayingLocked adds the time p played, up to at, to the gameplay records
// when p was playing.
func (s *Server) stopPlayingLocked(p *player, at int64) {
	if !p.ok || p.rejected || p.kind == kindAnon || at <= p.joined {
		return
	}
	if g := s.u.gameplayLocked(s.logOnID); g != nil {
		g.played += durationNs(at - p.joined)
	}
}

// listLocked adds p to the A2S player list.
func (s *Server) listLocked(user steamgs.SteamID, p *player) {
	if p.listed {
		return
	}
	p.listed = true
	s.a2sAddPlayerLocked(user, p)
}

// rejectLocked marks p rejected at the time at: it is no longer an active
// player and leaves the A2S list.
func (s *Server) rejectLocked(user steamgs.SteamID, p *player, at int64) {
	if p.rejected {
		return
	}
	s.stopPlayingLocked(p, at)
	p.rejected = true
	if p.listed {
		p.listed = false
		s.unlistLocked(user)
	}
}

// ticketCanceledLocked tells the session that uses ticket k that it was
// cancelled.
func (s *Server) ticketCanceledLocked(k ticketKey, now int64) {
	p, ok := s.players[k.user]
	if !ok || p.ticket != k || p.kind != kindSession || p.rejected {
		return
	}
	s.q.push(entry{kind: entVerdict, user: k.user, resp: int32(steamgs.AuthTicketCanceled), gen: p.sid, due: s.answerDueLocked(now)})
}

// userRevokedLocked tells the session of user that it ended for resp, or
// kicks a player of the deprecated flow for reason.
func (s *Server) userRevokedLocked(user steamgs.SteamID, resp steamgs.AuthSessionResponse, reason steamgs.DenyReason, now int64) {
	p, ok := s.players[user]
	if !ok || p.rejected {
		return
	}
	switch p.kind {
	case kindSession:
		s.q.push(entry{kind: entVerdict, user: user, resp: int32(resp), gen: p.sid, due: s.answerDueLocked(now)})
	case kindLegacy:
		s.q.push(entry{kind: entKick, user: user, resp: int32(reason), gen: p.sid, due: s.answerDueLocked(now)})
	}
}

// UserHasLicenseForApp (ISteamGameServer::UserHasLicenseForApp) answers
// NoAuth when user has no session begun by BeginAuthSession (or
// SendUserConnectAndAuthenticate) on this server, and otherwise whether the
// user owns app: by the universe's records for its own accounts, by the
// ticket's claims for users it does not know.
func (s *Server) UserHasLicenseForApp(user steamgs.SteamID, app steamgs.AppID) steamgs.LicenseResult {
	s.u.mu.Lock()
	defer s.u.mu.Unlock()
	p, ok := s.players[user]
	if !ok || p.kind == kindAnon {
		return steamgs.NoAuth
	}
	apps := p.claims
	if acct := s.u.users[user]; acct != nil {
		apps = acct.apps
	}
	if _, ok := slices.BinarySearch(apps, app); ok {
		return steamgs.HasLicense
	}
	return steamgs.DoesNotHaveLicense
}

// GetAuthSessionTicket (ISteamGameServer::GetAuthSessionTicket) makes a
// ticket for the server's own Steam ID, signed with the universe's key,
// writes it to buf and returns its handle and length; a
// GetAuthSessionTicketResponse{ResultOK} follows after the latency. It
// returns handle 0 when the server has no Steam ID yet (before the first
// ServerConnected) or buf is too small.
func (s *Server) GetAuthSessionTicket(buf []byte, forID steamgs.Identity) (steamgs.AuthTicket, int) {
	if len(buf) < MaxTicketLen {
		return 0, 0
	}
	now := s.u.clock.Now()
	u := s.u
	u.mu.Lock()
	if s.steamID == 0 {
		u.mu.Unlock()
		return 0, 0
	}
	t := Ticket{
		User:    s.steamID,
		App:     s.cfg.AppID,
		Handle:  u.handleLocked(),
		Issued:  now,
		Expires: now.Add(u.lifetime),
		For:     forID,
	}
	u.recordIssuedLocked(&t, now.UnixNano())
	s.queueLocked(steamgs.GetAuthSessionTicketResponse{Ticket: t.Handle, Result: steamgs.ResultOK}, now.UnixNano())
	u.mu.Unlock()
	return t.Handle, copy(buf, signTicket(u.priv, &t))
}

// CancelAuthTicket (ISteamGameServer::CancelAuthTicket) cancels a ticket the
// server made with GetAuthSessionTicket; sessions that use it get
// AuthTicketCanceled. Handles the server did not make are ignored.
func (s *Server) CancelAuthTicket(ticket steamgs.AuthTicket) {
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, id := range [...]steamgs.SteamID{s.steamID, s.logOnID} {
		if id == 0 {
			continue
		}
		if _, ok := u.issued[handleKey{id, ticket}]; ok {
			u.cancelLocked(id, ticket, now)
			return
		}
	}
}

// SendUserConnectAndAuthenticate is the deprecated flow
// (ISteamGameServer::SendUserConnectAndAuthenticate_DEPRECATED): it reads the
// ticket and returns its user and true when the ticket is genuine and owned
// by an individual (false and no callback otherwise). After the latency the
// server gets ClientApproved, and the user becomes a player, or ClientDenied:
// DenyNoLicense, DenyCheater (VAC ban on a secure server, or publisher ban),
// DenyLoggedInElseWhere, or DenyGeneric with a message (another app, expired,
// cancelled, already used, made for another server, already connected). A
// player is kicked (ClientKick) on BanUser (DenyCheater, secure servers) and
// LogInElsewhere (DenyLoggedInElseWhere). SendUserDisconnect ends it.
func (s *Server) SendUserConnectAndAuthenticate(clientIP netip.Addr, ticket []byte) (steamgs.SteamID, bool) {
	var t rawTicket
	if parseTicket(ticket, &t) != ticketOK || t.user.Type() != steamgs.AccountTypeIndividual ||
		!ed25519.Verify(s.u.pub, t.signed, t.sig) {
		return 0, false
	}
	user := t.user
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	deny, msg := steamgs.DenyInvalid, ""
	switch _, dup := s.players[user]; {
	case dup:
		deny, msg = steamgs.DenyGeneric, "user is already connected to this server"
	case s.cfg.AppID != 0 && t.app != s.cfg.AppID:
		deny, msg = steamgs.DenyGeneric, fmt.Sprintf("ticket is for app %d; this server runs app %d", t.app, s.cfg.AppID)
	case now >= t.expires:
		deny, msg = steamgs.DenyGeneric, "ticket expired"
	default:
		deny, msg = denyFor(s.verdictLocked(&t, u.users[user], now))
	}
	if deny != steamgs.DenyInvalid {
		s.queueLocked(steamgs.ClientDenied{SteamID: user, Reason: deny, Message: msg}, now)
		return user, true
	}
	p := player{kind: kindLegacy, joined: now, ticket: ticketKey{t.user, t.handle, t.issued}, ok: true}
	if u.users[user] == nil {
		p.claims = claimedLicenses(t.lic)
	}
	s.addPlayerLocked(user, &p)
	s.q.push(entry{kind: entApprove, user: user, gen: p.sid, due: s.answerDueLocked(now)})
	return user, true
}

// denyFor maps an auth verdict to the deny reason and message of the
// deprecated flow; AuthOK maps to DenyInvalid (not denied).
func denyFor(r steamgs.AuthSessionResponse) (steamgs.DenyReason, string) {
	switch r {
	case steamgs.AuthOK:
		return steamgs.DenyInvalid, ""
	case steamgs.AuthNoLicenseOrExpired:
		return steamgs.DenyNoLicense, "user does not own the game"
	case steamgs.AuthVACBanned:
		return steamgs.DenyCheater, "user is VAC-banned"
	case steamgs.AuthPublisherIssuedBan:
		return steamgs.DenyCheater, "user is banned by the publisher"
	case steamgs.AuthLoggedInElseWhere:
		return steamgs.DenyLoggedInElseWhere, "user logged in elsewhere"
	case steamgs.AuthTicketCanceled:
		return steamgs.DenyGeneric, "ticket was cancelled"
	case steamgs.AuthTicketInvalidAlreadyUsed:
		return steamgs.DenyGeneric, "ticket was already used"
	case steamgs.AuthTicketNetworkIdentityFailure:
		return steamgs.DenyGeneric, "ticket was made for another server"
	}
	return steamgs.DenyGeneric, "ticket refused: " + r.String()
}

// SendUserDisconnect (ISteamGameServer::SendUserDisconnect_DEPRECATED) ends
// the player user of the deprecated flow (or any session of user), as
// EndAuthSession does.
func (s *Server) SendUserDisconnect(user steamgs.SteamID) {
	s.EndAuthSession(user)
}

// CreateUnauthenticatedUserConnection
// (ISteamGameServer::CreateUnauthenticatedUserConnection) registers a player
// Steam does not check, such as a bot, and returns its Steam ID: an anonymous
// user (account type 10, public universe) unique in the universe. It is an
// active player at once, listed by A2S, until EndAuthSession.
func (s *Server) CreateUnauthenticatedUserConnection() steamgs.SteamID {
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	u.nextAnonUser++
	if u.nextAnonUser == 0 {
		u.nextAnonUser = 1
	}
	id := steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeAnonUser, 0, u.nextAnonUser)
	p := player{kind: kindAnon, joined: now, ok: true}
	s.listLocked(id, &p)
	s.addPlayerLocked(id, &p)
	return id
}

// UpdateUserData (ISteamGameServer::BUpdateUserData) sets the name and score
// A2S_PLAYER shows for user and reports whether user is an active player: one
// with a session, a connection of the deprecated flow or an unauthenticated
// connection, that has not been refused, banned or kicked. It allocates
// nothing.
func (s *Server) UpdateUserData(user steamgs.SteamID, name string, score uint32) bool {
	s.u.mu.Lock()
	defer s.u.mu.Unlock()
	p, ok := s.players[user]
	if !ok || p.rejected {
		return false
	}
	p.name, p.score = name, score
	s.players[user] = p
	if p.listed {
		s.a2sUpdatePlayerLocked(user, name, score)
	}
	return true
}
