package steamgstest

//lint:file-ignore SA1019 the suite checks the deprecated methods too: back ends must keep them working

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

func authCases() []testCase {
	return []testCase{
		{"Verdicts", connected, authVerdicts},
		{"Tampered", connected, authTampered},
		{"Garbage", connected, authGarbage},
		{"OtherUsersTicket", connected, authOtherUsersTicket},
		{"Duplicate", connected, authDuplicate},
		{"CanceledDuringSession", connected, authCanceledDuringSession},
		{"AlreadyUsed", connected, authAlreadyUsed},
		{"AlreadyUsedElsewhere", func(c steamgs.Capabilities) bool { return c.SteamConnection && c.MultipleServers },
			authAlreadyUsedElsewhere},
		{"BanDuringSession", connected, authBanDuringSession},
		{"Licenses", connected, authLicenses},
		{"UpdateUserData", connected, authUpdateUserData},
		{"EndBeforeVerdict", connected, authEndBeforeVerdict},
		{"Sessions", connected, authSessions},
		{"ServerTicket", connected, authServerTicket},
		{"AddressBoundEverywhere", connected, authAddressBoundEverywhere},
		{"ServerToServer", func(c steamgs.Capabilities) bool { return c.SteamConnection && c.MultipleServers },
			authServerToServer},
		{"ConnectAndAuthenticate", connected, authConnectAndAuthenticate},
	}
}

// newUser creates a user, failing the case when Steam cannot.
func (e *env) newUser(u User) steamgs.SteamID {
	e.t.Helper()
	id, err := e.steam.NewUser(u)
	if err != nil {
		e.t.Fatalf("Steam.NewUser(%+v): %v", u, err)
	}
	if !id.IsValid() || id.Type() != steamgs.AccountTypeIndividual {
		e.t.Fatalf("Steam.NewUser returned %v, not a valid individual account", id)
	}
	return id
}

// player creates a user who owns the game and its DLC.
func (e *env) player() steamgs.SteamID {
	return e.newUser(User{Apps: []steamgs.AppID{e.game(), e.dlc()}})
}

// ticket makes a ticket of user for app and forID.
func (e *env) ticket(user steamgs.SteamID, app steamgs.AppID, forID steamgs.Identity) (steamgs.AuthTicket, []byte) {
	e.t.Helper()
	h, tk, err := e.steam.Ticket(user, app, forID)
	if err != nil {
		e.t.Fatalf("Steam.Ticket(%v, %d, %+v): %v", user, app, forID, err)
	}
	if h == 0 || len(tk) == 0 || len(tk) > steamgs.MaxAuthTicketLen {
		e.t.Fatalf("Steam.Ticket returned handle %d and %d bytes", h, len(tk))
	}
	return h, tk
}

// begin calls BeginAuthSession and fails unless it answers want.
func (s *server) begin(ticket []byte, user steamgs.SteamID, want steamgs.BeginAuthSessionResult) {
	s.e.t.Helper()
	r, err := s.BeginAuthSession(ticket, user)
	if err != nil {
		s.e.t.Fatalf("BeginAuthSession(%v): %v", user, err)
	}
	if r != want {
		s.e.t.Fatalf("BeginAuthSession(%v) = %v, want %v", user, r, want)
	}
}

// verdict waits for the next ValidateAuthTicketResponse about user.
func (s *server) verdict(user steamgs.SteamID) steamgs.ValidateAuthTicketResponse {
	s.e.t.Helper()
	cb := s.await(fmt.Sprintf("ValidateAuthTicketResponse for %v", user), func(cb steamgs.Callback) bool {
		v, ok := cb.(steamgs.ValidateAuthTicketResponse)
		return ok && v.SteamID == user
	})
	return cb.(steamgs.ValidateAuthTicketResponse)
}

// expectVerdict waits for the verdict about user and fails unless it is want
// (with Owner user when want is AuthOK).
func (s *server) expectVerdict(user steamgs.SteamID, want steamgs.AuthSessionResponse) {
	s.e.t.Helper()
	v := s.verdict(user)
	if v.Response != want {
		s.e.t.Errorf("ValidateAuthTicketResponse for %v: %v, want %v", user, v.Response, want)
	}
	if want == steamgs.AuthOK && v.Owner != user {
		s.e.t.Errorf("ValidateAuthTicketResponse for %v: Owner %v, want the user (no family sharing)", user, v.Owner)
	}
}

// session begins a session of a new player on s with a ticket for any
// server and waits for its AuthOK.
func (s *server) session() (steamgs.SteamID, steamgs.AuthTicket, []byte) {
	s.e.t.Helper()
	user := s.e.player()
	h, tk := s.e.ticket(user, s.e.game(), steamgs.Identity{})
	s.begin(tk, user, steamgs.BeginAuthOK)
	s.expectVerdict(user, steamgs.AuthOK)
	return user, h, tk
}

// isVerdictFor matches the ValidateAuthTicketResponses about user.
func isVerdictFor(user steamgs.SteamID) func(steamgs.Callback) bool {
	return func(cb steamgs.Callback) bool {
		v, ok := cb.(steamgs.ValidateAuthTicketResponse)
		return ok && v.SteamID == user
	}
}

// refused checks the answer to a ticket that is not a genuine ticket of
// user: BeginAuthSession answers InvalidTicket or InvalidVersion, or it
// answers OK and the verdict is AuthTicketInvalid. Any session is ended.
func (s *server) refused(what string, ticket []byte, user steamgs.SteamID) {
	s.e.t.Helper()
	r, err := s.BeginAuthSession(ticket, user)
	if err != nil {
		s.e.t.Fatalf("BeginAuthSession(%s): %v", what, err)
	}
	switch r {
	case steamgs.BeginAuthInvalidTicket, steamgs.BeginAuthInvalidVersion:
	case steamgs.BeginAuthOK:
		if v := s.verdict(user); v.Response != steamgs.AuthTicketInvalid {
			s.e.t.Errorf("%s: BeginAuthSession OK, then verdict %v; want InvalidTicket, or OK then AuthTicketInvalid", what, v.Response)
		}
		if err := s.EndAuthSession(user); err != nil {
			s.e.t.Fatal(err)
		}
	default:
		s.e.t.Errorf("%s: BeginAuthSession = %v, want InvalidTicket, or OK then AuthTicketInvalid", what, r)
	}
	if ok, err := s.UpdateUserData(user, "x", 0); err != nil || ok {
		s.e.t.Errorf("%s: UpdateUserData = %v, %v; a refused user is no player", what, ok, err)
	}
}

// authVerdicts: the answers to genuine tickets in every situation of the
// SDK's result tables. Sessions that begin OK get one
// ValidateAuthTicketResponse with the verdict.
//
// The server's own identity, for tickets made for one, is its Steam ID (once
// logged on) or its public IP address and game port.
func authVerdicts(e *env) {
	sec, auth := steamgs.ModeAuthenticationAndSecure, steamgs.ModeAuthentication
	owns := User{Apps: []steamgs.AppID{e.game(), e.dlc()}}
	lifetime := e.steam.TicketLifetime()
	advance := func(d time.Duration) func(steamgs.SteamID, steamgs.AuthTicket) {
		return func(steamgs.SteamID, steamgs.AuthTicket) { e.steam.Advance(d) }
	}
	cancel := func(user steamgs.SteamID, h steamgs.AuthTicket) {
		if err := e.steam.CancelTicket(user, h); err != nil {
			e.t.Fatal(err)
		}
	}
	ok, okBegin := steamgs.AuthOK, steamgs.BeginAuthOK
	rows := []verdictRow{
		{"OK", auth, owns, 0, nil, nil, okBegin, ok},
		{"OK secure", sec, owns, 0, nil, nil, okBegin, ok},
		{"OK game only", auth, User{Apps: []steamgs.AppID{e.game()}}, 0, nil, nil, okBegin, ok},
		{"no licence", auth, User{Apps: []steamgs.AppID{e.dlc()}}, 0, nil, nil, okBegin, steamgs.AuthNoLicenseOrExpired},
		{"no licences at all", auth, User{}, 0, nil, nil, okBegin, steamgs.AuthNoLicenseOrExpired},
		{"other app", auth, User{Apps: []steamgs.AppID{e.game(), e.otherApp()}}, e.otherApp(), nil, nil,
			steamgs.BeginAuthGameMismatch, 0},
		{"expired", auth, owns, 0, nil, advance(lifetime + time.Second), steamgs.BeginAuthExpiredTicket, 0},
		{"not yet expired", auth, owns, 0, nil, advance(lifetime - lifetime/10), okBegin, ok},
		{"canceled before", auth, owns, 0, nil, cancel, okBegin, steamgs.AuthTicketCanceled},
		{"VAC-banned, secure", sec, User{Apps: owns.Apps, VACBanned: true}, 0, nil, nil, okBegin, steamgs.AuthVACBanned},
		{"VAC-banned, not secure", auth, User{Apps: owns.Apps, VACBanned: true}, 0, nil, nil, okBegin, ok},
		{"publisher ban", auth, User{Apps: owns.Apps, PublisherBanned: true}, 0, nil, nil, okBegin,
			steamgs.AuthPublisherIssuedBan},
		{"publisher ban, secure", sec, User{Apps: owns.Apps, PublisherBanned: true}, 0, nil, nil, okBegin,
			steamgs.AuthPublisherIssuedBan},
		{"for the server's Steam ID", auth, owns, 0,
			func(s *server) steamgs.Identity { return steamgs.Identity{SteamID: s.SteamID()} }, nil, okBegin, ok},
		{"for the server's address", auth, owns, 0, func(s *server) steamgs.Identity {
			return steamgs.Identity{Addr: netip.AddrPortFrom(s.PublicIP(), s.Config().GamePort)}
		}, nil, okBegin, ok},
		{"for another user", auth, owns, 0, func(s *server) steamgs.Identity {
			return steamgs.Identity{SteamID: e.newUser(User{})}
		}, nil, okBegin, steamgs.AuthTicketNetworkIdentityFailure},
		{"for another server", auth, owns, 0, func(s *server) steamgs.Identity {
			return steamgs.Identity{SteamID: someSrv}
		}, nil, okBegin, steamgs.AuthTicketNetworkIdentityFailure},
		{"for another address", auth, owns, 0, func(s *server) steamgs.Identity {
			return steamgs.Identity{Addr: netip.AddrPortFrom(netip.MustParseAddr("192.0.2.1"), s.Config().GamePort)}
		}, nil, okBegin, steamgs.AuthTicketNetworkIdentityFailure},
		{"for another port", auth, owns, 0, func(s *server) steamgs.Identity {
			return steamgs.Identity{Addr: netip.AddrPortFrom(s.PublicIP(), s.Config().GamePort+1000)}
		}, nil, okBegin, steamgs.AuthTicketNetworkIdentityFailure},
		{"for a generic identity", auth, owns, 0, func(s *server) steamgs.Identity {
			return steamgs.Identity{Generic: "steamgstest"}
		}, nil, okBegin, steamgs.AuthTicketNetworkIdentityFailure},
	}
	// One server per mode, one after the other, so that back ends that run
	// one server at a time pass too.
	for _, mode := range []steamgs.ServerMode{auth, sec} {
		s := e.loggedOn(mode)
		for _, r := range rows {
			if r.mode == mode {
				r.run(e, s)
			}
		}
		s.quiet("a second verdict", isType[steamgs.ValidateAuthTicketResponse])
		if err := s.Shutdown(); err != nil {
			e.t.Fatal(err)
		}
	}
}

// verdictRow is one situation of authVerdicts.
type verdictRow struct {
	name    string
	mode    steamgs.ServerMode
	user    User
	app     steamgs.AppID                                    // 0: the game
	forID   func(s *server) steamgs.Identity                 // nil: no identity
	before  func(user steamgs.SteamID, h steamgs.AuthTicket) // after the ticket is made, before it is presented
	begin   steamgs.BeginAuthSessionResult
	verdict steamgs.AuthSessionResponse // when begin is OK
}

// run presents a ticket made as r says to s and checks the answers.
func (r verdictRow) run(e *env, s *server) {
	t := e.t
	user := e.newUser(r.user)
	app := r.app
	if app == 0 {
		app = e.game()
	}
	var forID steamgs.Identity
	if r.forID != nil {
		forID = r.forID(s)
	}
	h, tk := e.ticket(user, app, forID)
	if r.before != nil {
		r.before(user, h)
	}
	got, err := s.BeginAuthSession(tk, user)
	if err != nil {
		t.Fatalf("%s: BeginAuthSession: %v", r.name, err)
	}
	if got != r.begin {
		t.Errorf("%s: BeginAuthSession = %v, want %v", r.name, got, r.begin)
		return
	}
	if got != steamgs.BeginAuthOK {
		if lic, _ := s.UserHasLicenseForApp(user, e.game()); lic != steamgs.NoAuth {
			t.Errorf("%s: UserHasLicenseForApp = %v after BeginAuthSession answered %v, want NoAuth", r.name, lic, got)
		}
		return
	}
	v := s.verdict(user)
	if v.Response != r.verdict {
		t.Errorf("%s: ValidateAuthTicketResponse %v, want %v", r.name, v.Response, r.verdict)
	}
	if r.verdict == steamgs.AuthOK && v.Owner != user {
		t.Errorf("%s: Owner %v, want the user %v", r.name, v.Owner, user)
	}
	if err := s.EndAuthSession(user); err != nil {
		t.Fatal(err)
	}
}

// authTampered: a genuine ticket with any byte changed, cut short or
// lengthened is refused, and does not spoil the genuine ticket.
func authTampered(e *env) {
	s := e.loggedOn(steamgs.ModeAuthentication)
	user := e.player()
	_, tk := e.ticket(user, e.game(), steamgs.Identity{})
	positions := []int{0, 1, 2, 3, 4, 8, 12, 16, 20, 28, 36, len(tk) / 2, len(tk) - 64, len(tk) - 2, len(tk) - 1}
	for _, i := range positions {
		if i < 0 || i >= len(tk) {
			continue
		}
		bad := slices.Clone(tk)
		bad[i] ^= 0x41
		s.refused(fmt.Sprintf("byte %d of %d changed", i, len(tk)), bad, user)
	}
	s.refused("cut by one byte", tk[:len(tk)-1], user)
	s.refused("one byte added", append(slices.Clone(tk), 0), user)
	s.begin(tk, user, steamgs.BeginAuthOK)
	s.expectVerdict(user, steamgs.AuthOK)
}

// authGarbage: bytes that are no ticket at all are refused.
func authGarbage(e *env) {
	s := e.loggedOn(steamgs.ModeAuthentication)
	user := e.player()
	pattern := make([]byte, 300)
	for i := range pattern {
		pattern[i] = byte(i*7 + 3)
	}
	for _, g := range []struct {
		name string
		b    []byte
	}{
		{"one byte", []byte{1}},
		{"zeros", make([]byte, 100)},
		{"0xFF", slices.Repeat([]byte{0xFF}, 8192)}, // 8 KiB: a ticket buffer's size many times over
		{"pattern", pattern},
		{"text", []byte("steamgstest is not a ticket")},
	} {
		s.refused(g.name, g.b, user)
	}
}

// authOtherUsersTicket: a user cannot present someone else's ticket.
func authOtherUsersTicket(e *env) {
	s := e.loggedOn(steamgs.ModeAuthentication)
	owner, thief := e.player(), e.player()
	_, tk := e.ticket(owner, e.game(), steamgs.Identity{})
	s.refused("another user's ticket", tk, thief)
}

// authDuplicate: a user with a session cannot begin another (DuplicateRequest),
// with the same ticket or a new one; the first session goes on.
func authDuplicate(e *env) {
	s := e.loggedOn(steamgs.ModeAuthentication)
	user, _, tk := s.session()
	s.begin(tk, user, steamgs.BeginAuthDuplicateRequest)
	_, tk2 := e.ticket(user, e.game(), steamgs.Identity{})
	s.begin(tk2, user, steamgs.BeginAuthDuplicateRequest)
	if ok, err := s.UpdateUserData(user, "still here", 1); err != nil || !ok {
		e.t.Errorf("UpdateUserData after a duplicate request = %v, %v; the first session goes on", ok, err)
	}
	s.quiet("a verdict for a duplicate request", isVerdictFor(user))
}

// authCanceledDuringSession: when the client cancels the ticket of a session,
// the session gets ValidateAuthTicketResponse{AuthTicketCanceled}.
func authCanceledDuringSession(e *env) {
	s := e.loggedOn(steamgs.ModeAuthentication)
	user, h, _ := s.session()
	if err := e.steam.CancelTicket(user, h); err != nil {
		e.t.Fatal(err)
	}
	s.expectVerdict(user, steamgs.AuthTicketCanceled)
}

// authAlreadyUsed: a ticket whose session ended cannot begin another: OK,
// then ValidateAuthTicketResponse{AuthTicketInvalidAlreadyUsed}.
func authAlreadyUsed(e *env) {
	s := e.loggedOn(steamgs.ModeAuthentication)
	user, _, tk := s.session()
	if err := s.EndAuthSession(user); err != nil {
		e.t.Fatal(err)
	}
	s.begin(tk, user, steamgs.BeginAuthOK)
	s.expectVerdict(user, steamgs.AuthTicketInvalidAlreadyUsed)
	if err := s.EndAuthSession(user); err != nil {
		e.t.Fatal(err)
	}
	_, fresh := e.ticket(user, e.game(), steamgs.Identity{})
	s.begin(fresh, user, steamgs.BeginAuthOK)
	s.expectVerdict(user, steamgs.AuthOK)
}

// authAlreadyUsedElsewhere: a ticket one server took is already used for
// every other server of the same Steam.
func authAlreadyUsedElsewhere(e *env) {
	a := e.loggedOn(steamgs.ModeAuthentication)
	b := e.loggedOn(steamgs.ModeAuthentication)
	user, _, tk := a.session()
	b.begin(tk, user, steamgs.BeginAuthOK)
	b.expectVerdict(user, steamgs.AuthTicketInvalidAlreadyUsed)
	a.quiet("news on the first server's session", isVerdictFor(user))
}

// authBanDuringSession: a VAC ban during a session ends it on secure
// servers (ValidateAuthTicketResponse{AuthVACBanned}); servers that are not
// secure hear nothing of it.
func authBanDuringSession(e *env) {
	secure := e.loggedOn(steamgs.ModeAuthenticationAndSecure)
	user, _, _ := secure.session()
	if err := e.steam.Ban(user); err != nil {
		e.t.Fatal(err)
	}
	secure.expectVerdict(user, steamgs.AuthVACBanned)
	if err := secure.Shutdown(); err != nil {
		e.t.Fatal(err)
	}
	insecure := e.loggedOn(steamgs.ModeAuthentication)
	user, _, _ = insecure.session()
	if err := e.steam.Ban(user); err != nil {
		e.t.Fatal(err)
	}
	insecure.quiet("a verdict about a VAC ban on a server that is not secure", isVerdictFor(user))
	if ok, err := insecure.UpdateUserData(user, "banned elsewhere", 1); err != nil || !ok {
		e.t.Errorf("UpdateUserData of a VAC-banned player on a server that is not secure = %v, %v; want true", ok, err)
	}
}

// authLicenses: UserHasLicenseForApp answers NoAuth until BeginAuthSession
// for the user, then what the user owns, and NoAuth again after
// EndAuthSession.
func authLicenses(e *env) {
	t := e.t
	s := e.loggedOn(steamgs.ModeAuthentication)
	user := e.player()
	check := func(when string, want map[steamgs.AppID]steamgs.LicenseResult) {
		t.Helper()
		for app, w := range want {
			got, err := s.UserHasLicenseForApp(user, app)
			if err != nil || got != w {
				t.Errorf("%s: UserHasLicenseForApp(%d) = %v, %v; want %v", when, app, got, err, w)
			}
		}
	}
	none := map[steamgs.AppID]steamgs.LicenseResult{e.game(): steamgs.NoAuth, e.dlc(): steamgs.NoAuth, e.otherApp(): steamgs.NoAuth}
	check("before BeginAuthSession", none)
	_, tk := e.ticket(user, e.game(), steamgs.Identity{})
	s.begin(tk, user, steamgs.BeginAuthOK)
	s.expectVerdict(user, steamgs.AuthOK)
	check("in a session", map[steamgs.AppID]steamgs.LicenseResult{
		e.game(): steamgs.HasLicense, e.dlc(): steamgs.HasLicense, e.otherApp(): steamgs.DoesNotHaveLicense})
	if err := s.EndAuthSession(user); err != nil {
		t.Fatal(err)
	}
	check("after EndAuthSession", none)
}

// authUpdateUserData: UpdateUserData is true exactly for active players:
// users in a session that began well and unauthenticated connections, until
// EndAuthSession.
func authUpdateUserData(e *env) {
	t := e.t
	s := e.loggedOn(steamgs.ModeAuthentication)
	update := func(id steamgs.SteamID, want bool, when string) {
		t.Helper()
		ok, err := s.UpdateUserData(id, "steamgstest player", 42)
		if err != nil || ok != want {
			t.Errorf("UpdateUserData(%v) %s = %v, %v; want %v", id, when, ok, err, want)
		}
	}
	stranger := e.player()
	update(stranger, false, "for a user with no session")
	user, _, _ := s.session()
	update(user, true, "in a session")
	if err := s.EndAuthSession(user); err != nil {
		t.Fatal(err)
	}
	update(user, false, "after EndAuthSession")
	bot, err := s.CreateUnauthenticatedUserConnection()
	if err != nil {
		t.Fatal(err)
	}
	if !bot.IsValid() || bot.Type() != steamgs.AccountTypeAnonUser {
		t.Errorf("CreateUnauthenticatedUserConnection = %v, want a valid anonymous user", bot)
	}
	bot2, err := s.CreateUnauthenticatedUserConnection()
	if err != nil || bot2 == bot {
		t.Errorf("a second CreateUnauthenticatedUserConnection = %v, %v; want another ID than %v", bot2, err, bot)
	}
	update(bot, true, "for an unauthenticated connection")
	if err := s.EndAuthSession(bot); err != nil {
		t.Fatal(err)
	}
	update(bot, false, "after EndAuthSession of an unauthenticated connection")
	update(bot2, true, "for another unauthenticated connection")
	s.quiet("a verdict about an unauthenticated connection", func(cb steamgs.Callback) bool {
		v, ok := cb.(steamgs.ValidateAuthTicketResponse)
		return ok && (v.SteamID == bot || v.SteamID == bot2)
	})
}

// authEndBeforeVerdict: a session ended before its verdict arrived gets no
// verdict.
func authEndBeforeVerdict(e *env) {
	s := e.loggedOn(steamgs.ModeAuthentication)
	user := e.player()
	_, tk := e.ticket(user, e.game(), steamgs.Identity{})
	s.begin(tk, user, steamgs.BeginAuthOK)
	if err := s.EndAuthSession(user); err != nil {
		e.t.Fatal(err)
	}
	s.quiet("a verdict for a session that ended", isVerdictFor(user))
}

// authSessions: sessions of several users run side by side, each verdict
// naming its user.
func authSessions(e *env) {
	s := e.loggedOn(steamgs.ModeAuthentication)
	good, poor := e.player(), e.newUser(User{Apps: []steamgs.AppID{e.dlc()}})
	_, tg := e.ticket(good, e.game(), steamgs.Identity{})
	_, tp := e.ticket(poor, e.game(), steamgs.Identity{})
	s.begin(tp, poor, steamgs.BeginAuthOK)
	s.begin(tg, good, steamgs.BeginAuthOK)
	s.expectVerdict(good, steamgs.AuthOK)
	s.expectVerdict(poor, steamgs.AuthNoLicenseOrExpired)
}

// authServerTicket: a logged-on server makes tickets for itself;
// GetAuthSessionTicketResponse{Ticket, ResultOK} follows and the ticket may
// be cancelled.
func authServerTicket(e *env) {
	t := e.t
	s := e.loggedOn(steamgs.ModeAuthentication)
	h, tk, err := s.GetAuthSessionTicket(steamgs.Identity{})
	if err != nil {
		t.Fatalf("GetAuthSessionTicket: %v", err)
	}
	if h == 0 || len(tk) == 0 || len(tk) > steamgs.MaxAuthTicketLen {
		t.Fatalf("GetAuthSessionTicket = handle %d, %d bytes", h, len(tk))
	}
	h2, _, err := s.GetAuthSessionTicket(steamgs.Identity{SteamID: e.player()})
	if err != nil || h2 == 0 || h2 == h {
		t.Errorf("a second GetAuthSessionTicket = %d, %v; want another handle than %d", h2, err, h)
	}
	for _, want := range []steamgs.AuthTicket{h, h2} {
		cb := s.await("GetAuthSessionTicketResponse", func(cb steamgs.Callback) bool {
			r, ok := cb.(steamgs.GetAuthSessionTicketResponse)
			return ok && r.Ticket == want
		}).(steamgs.GetAuthSessionTicketResponse)
		if cb.Result != steamgs.ResultOK {
			t.Errorf("GetAuthSessionTicketResponse for %d: %v, want OK", want, cb.Result)
		}
	}
	if err := s.CancelAuthTicket(h); err != nil {
		t.Errorf("CancelAuthTicket: %v", err)
	}
}

// authAddressBoundEverywhere: a server bound to every interface (Config.IP
// zero, in GameSocketShare mode so that no socket is bound) takes a ticket
// made for its public address and game port, and answers
// AuthTicketNetworkIdentityFailure for one made for another address with the
// same port: a server the player gave the ticket to cannot replay it here.
func authAddressBoundEverywhere(e *env) {
	auth := steamgs.ModeAuthentication
	owns := User{Apps: []steamgs.AppID{e.game()}}
	cfg := e.config(auth)
	cfg.IP, cfg.QueryPort = netip.Addr{}, steamgs.QueryPortShared
	s := e.start(cfg)
	s.setRequired()
	s.logOnAnonymous()
	if !s.PublicIP().IsValid() {
		e.t.Fatal("a logged-on server reports no public IP")
	}
	for _, r := range []verdictRow{
		{"for the server's address", auth, owns, 0, func(s *server) steamgs.Identity {
			return steamgs.Identity{Addr: netip.AddrPortFrom(s.PublicIP(), s.Config().GamePort)}
		}, nil, steamgs.BeginAuthOK, steamgs.AuthOK},
		{"for another address", auth, owns, 0, func(s *server) steamgs.Identity {
			return steamgs.Identity{Addr: netip.AddrPortFrom(netip.MustParseAddr("192.0.2.1"), s.Config().GamePort)}
		}, nil, steamgs.BeginAuthOK, steamgs.AuthTicketNetworkIdentityFailure},
		{"for another public address", auth, owns, 0, func(s *server) steamgs.Identity {
			return steamgs.Identity{Addr: netip.AddrPortFrom(netip.MustParseAddr("203.0.113.9"), s.Config().GamePort)}
		}, nil, steamgs.BeginAuthOK, steamgs.AuthTicketNetworkIdentityFailure},
	} {
		r.run(e, s)
	}
}

// authServerToServer: a logged-on server authenticates another: server A
// makes a ticket for B's Steam ID, B begins a session for A's Steam ID and
// answers AuthOK with A as the owner; EndAuthSession ends it.
func authServerToServer(e *env) {
	t := e.t
	a := e.loggedOn(steamgs.ModeAuthentication)
	b := e.loggedOn(steamgs.ModeAuthentication)
	h, tk, err := a.GetAuthSessionTicket(steamgs.Identity{SteamID: b.SteamID()})
	if err != nil || h == 0 {
		t.Fatalf("GetAuthSessionTicket for server B = %d, %v", h, err)
	}
	b.begin(tk, a.SteamID(), steamgs.BeginAuthOK)
	v := b.verdict(a.SteamID())
	if v.Response != steamgs.AuthOK || v.Owner != a.SteamID() {
		t.Errorf("server B's verdict on server A's ticket: %v, owner %v; want OK, owner %v", v.Response, v.Owner, a.SteamID())
	}
	if err := b.EndAuthSession(a.SteamID()); err != nil {
		t.Errorf("EndAuthSession of server A: %v", err)
	}
	if err := a.CancelAuthTicket(h); err != nil {
		t.Errorf("CancelAuthTicket: %v", err)
	}
}

// authConnectAndAuthenticate: the deprecated flow approves a genuine user
// (ClientApproved), who is then an active player until SendUserDisconnect,
// and denies one without a licence (ClientDenied{DenyNoLicense}).
func authConnectAndAuthenticate(e *env) {
	t := e.t
	s := e.loggedOn(steamgs.ModeAuthentication)
	user := e.player()
	_, tk := e.ticket(user, e.game(), steamgs.Identity{})
	id, ok, err := s.SendUserConnectAndAuthenticate(loopback, tk)
	if err != nil || !ok || id != user {
		t.Fatalf("SendUserConnectAndAuthenticate = %v, %v, %v; want %v, true", id, ok, err, user)
	}
	a := s.await("ClientApproved", isType[steamgs.ClientApproved]).(steamgs.ClientApproved)
	if a.SteamID != user || a.Owner != user {
		t.Errorf("ClientApproved = %+v, want the user %v as SteamID and Owner", a, user)
	}
	if ok, err := s.UpdateUserData(user, "approved", 1); err != nil || !ok {
		t.Errorf("UpdateUserData of an approved user = %v, %v; want true", ok, err)
	}
	if err := s.SendUserDisconnect(user); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.UpdateUserData(user, "gone", 1); ok {
		t.Error("UpdateUserData after SendUserDisconnect = true")
	}
	poor := e.newUser(User{Apps: []steamgs.AppID{e.dlc()}})
	_, tp := e.ticket(poor, e.game(), steamgs.Identity{})
	id, ok, err = s.SendUserConnectAndAuthenticate(loopback, tp)
	if err != nil || !ok || id != poor {
		t.Fatalf("SendUserConnectAndAuthenticate = %v, %v, %v; want %v, true", id, ok, err, poor)
	}
	d := s.await("ClientDenied", isType[steamgs.ClientDenied]).(steamgs.ClientDenied)
	if d.SteamID != poor || d.Reason != steamgs.DenyNoLicense {
		t.Errorf("ClientDenied = %+v, want %v with DenyNoLicense", d, poor)
	}
}
