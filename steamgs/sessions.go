package steamgs

import "strings"

// BeginAuthSession starts checking the ticket that user sent (ISteamGameServer::BeginAuthSession,
// GodotSteam's beginAuthSession). The result says whether the ticket could be read; the
// verdict arrives as a ValidateAuthTicketResponse, and so does any later
// change (a ban, a log-in elsewhere, the ticket cancelled). End the session
// with EndAuthSession when the user leaves. The ticket is not empty and at
// most MaxAuthTicketLen bytes (the SDK takes its length as a C int). user is
// whoever made the ticket: an individual, a game server (persistent or
// anonymous, for server-to-server auth) or an anonymous user, valid by
// [SteamID.IsValid]; other account types own no ticket and are refused with
// ErrInvalidSteamID.
func (s *Server) BeginAuthSession(ticket []byte, user SteamID) (BeginAuthSessionResult, error) {
	if s.conn == nil {
		return BeginAuthInvalidTicket, s.notInit("BeginAuthSession")
	}
	if len(ticket) == 0 {
		return BeginAuthInvalidTicket, newError(ErrEmpty, "auth ticket of %s is empty", user)
	}
	if len(ticket) > MaxAuthTicketLen {
		return BeginAuthInvalidTicket, newError(ErrTooLong, "auth ticket of %s is %d bytes, limit %d", user, len(ticket), MaxAuthTicketLen)
	}
	if err := checkTicketSource("user", user); err != nil {
		return BeginAuthInvalidTicket, err
	}
	return s.conn.BeginAuthSession(ticket, user), nil
}

// EndAuthSession ends the session of user, begun by BeginAuthSession or
// CreateUnauthenticatedUserConnection (ISteamGameServer::EndAuthSession,
// GodotSteam's endAuthSession). Call it
// when the user leaves. user is any Steam ID BeginAuthSession takes.
func (s *Server) EndAuthSession(user SteamID) error {
	if s.conn == nil {
		return s.notInit("EndAuthSession")
	}
	if err := checkTicketSource("user", user); err != nil {
		return err
	}
	s.conn.EndAuthSession(user)
	return nil
}

// UserHasLicenseForApp reports whether user owns app, such as a DLC (ISteamGameServer::UserHasLicenseForApp,
// GodotSteam's userHasLicenseForApp). It answers NoAuth until BeginAuthSession was
// called for user. user is any Steam ID BeginAuthSession takes.
func (s *Server) UserHasLicenseForApp(user SteamID, app AppID) (LicenseResult, error) {
	if s.conn == nil {
		return NoAuth, s.notInit("UserHasLicenseForApp")
	}
	if err := checkTicketSource("user", user); err != nil {
		return NoAuth, err
	}
	return s.conn.UserHasLicenseForApp(user, app), nil
}

// CreateUnauthenticatedUserConnection registers a player that Steam does not
// check, such as a bot; it is listed on the server and counted as a player
// (ISteamGameServer::CreateUnauthenticatedUserConnection,
// GodotSteam's createUnauthenticatedUserConnection). End it with
// EndAuthSession. The Steam ID is an anonymous user's.
func (s *Server) CreateUnauthenticatedUserConnection() (SteamID, error) {
	if s.conn == nil {
		return 0, s.notInit("CreateUnauthenticatedUserConnection")
	}
	return s.conn.CreateUnauthenticatedUserConnection(), nil
}

// UpdateUserData sets the name and score the server browser shows for a
// player (ISteamGameServer::BUpdateUserData,
// GodotSteam's updateUserData). It returns false when user is not an
// active player. The name is at most 127 bytes.
func (s *Server) UpdateUserData(user SteamID, name string, score uint32) (bool, error) {
	if s.conn == nil {
		return false, s.notInit("UpdateUserData")
	}
	if t := user.Type(); t != AccountTypeIndividual && t != AccountTypeAnonUser || !user.IsValid() {
		return false, checkUser("user", user)
	}
	if len(name) > MaxPlayerNameLen {
		return false, checkString("player name", name, MaxPlayerNameLen, true)
	}
	if strings.IndexByte(name, 0) >= 0 {
		return false, checkString("player name", name, MaxPlayerNameLen, true)
	}
	return s.conn.UpdateUserData(user, name, score), nil
}
