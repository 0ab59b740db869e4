package steamgs

import "net/netip"

// GetAuthSessionTicket makes an auth ticket that proves this server's
// identity to forID, who checks it with BeginAuthSession (ISteamGameServer::GetAuthSessionTicket,
// GodotSteam's getAuthSessionTicket). It returns the ticket's handle and bytes; a
// GetAuthSessionTicketResponse follows. Cancel the ticket with
// CancelAuthTicket when the session with forID ends. The zero Identity makes
// a ticket anyone may check.
func (s *Server) GetAuthSessionTicket(forID Identity) (AuthTicket, []byte, error) {
	if s.conn == nil {
		return 0, nil, s.notInit("GetAuthSessionTicket")
	}
	if err := checkIdentity(forID); err != nil {
		return 0, nil, err
	}
	buf := make([]byte, authTicketBuffer)
	h, n := s.conn.GetAuthSessionTicket(buf, forID)
	if h == 0 || n <= 0 || n > len(buf) {
		return 0, nil, newError(ErrUnsupported, "GetAuthSessionTicket: the back end made no ticket")
	}
	// A copy of the ticket's length, so a ticket kept for a session does not
	// hold the whole buffer.
	ticket := make([]byte, n)
	copy(ticket, buf)
	return h, ticket, nil
}

// checkIdentity checks that at most one field of id is set, and set well.
func checkIdentity(id Identity) error {
	set := 0
	if id.SteamID != 0 {
		set++
		if !id.SteamID.IsValid() {
			return newError(ErrInvalidSteamID, "identity Steam ID %s (%d) is not a valid Steam ID", id.SteamID, uint64(id.SteamID))
		}
	}
	if id.Addr.IsValid() {
		set++
	}
	if id.Generic != "" {
		set++
		if err := checkString("generic identity", id.Generic, MaxGenericIdentityLen, false); err != nil {
			return err
		}
	}
	if set > 1 {
		return newError(ErrOutOfRange, "identity sets %d of SteamID, Addr and Generic, want at most 1", set)
	}
	return nil
}

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

// CancelAuthTicket cancels a ticket made by GetAuthSessionTicket (ISteamGameServer::CancelAuthTicket,
// GodotSteam's cancelAuthTicket).
func (s *Server) CancelAuthTicket(ticket AuthTicket) error {
	if s.conn == nil {
		return s.notInit("CancelAuthTicket")
	}
	if ticket == 0 {
		return newError(ErrOutOfRange, "auth ticket handle is 0, which no ticket has")
	}
	s.conn.CancelAuthTicket(ticket)
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

// RequestUserGroupStatus asks whether user is a member (or officer) of group;
// the answer arrives as a ClientGroupStatus (ISteamGameServer::RequestUserGroupStatus,
// GodotSteam's requestUserGroupStatus). It returns false when the server is not connected
// to Steam and cannot ask.
func (s *Server) RequestUserGroupStatus(user, group SteamID) (bool, error) {
	if s.conn == nil {
		return false, s.notInit("RequestUserGroupStatus")
	}
	if err := checkID("user", user, AccountTypeIndividual, AccountTypeInvalid); err != nil {
		return false, err
	}
	if err := checkID("group", group, AccountTypeClan, AccountTypeInvalid); err != nil {
		return false, err
	}
	return s.conn.RequestUserGroupStatus(user, group), nil
}

// AssociateWithClan associates the server with a Steam group for computing
// player compatibility (ISteamGameServer::AssociateWithClan,
// GodotSteam's associateWithClan). The answer arrives as
// an AssociateClan carrying the returned APICall.
func (s *Server) AssociateWithClan(clan SteamID) (APICall, error) {
	if s.conn == nil {
		return 0, s.notInit("AssociateWithClan")
	}
	if err := checkID("clan", clan, AccountTypeClan, AccountTypeInvalid); err != nil {
		return 0, err
	}
	return s.conn.AssociateWithClan(clan), nil
}

// ComputeNewPlayerCompatibility asks whether the players on the server and
// the candidate user want to play together (ISteamGameServer::ComputeNewPlayerCompatibility,
// GodotSteam's computeNewPlayerCompatibility). The answer arrives as a PlayerCompat
// carrying the returned APICall. user is any Steam ID BeginAuthSession
// takes.
func (s *Server) ComputeNewPlayerCompatibility(user SteamID) (APICall, error) {
	if s.conn == nil {
		return 0, s.notInit("ComputeNewPlayerCompatibility")
	}
	if err := checkTicketSource("candidate", user); err != nil {
		return 0, err
	}
	return s.conn.ComputeNewPlayerCompatibility(user), nil
}

// GetGameplayStats asks for the server's gameplay statistics; the answer
// arrives as a GameplayStats (ISteamGameServer::GetGameplayStats).
// GodotSteam Server has no such function, only its gameplay_stats signal.
//
// Deprecated: the SDK marks GetGameplayStats deprecated; Steam no longer
// answers it.
func (s *Server) GetGameplayStats() error {
	if s.conn == nil {
		return s.notInit("GetGameplayStats")
	}
	s.conn.GetGameplayStats()
	return nil
}

// GetServerReputation asks for the server's reputation; the answer arrives as
// a ServerReputation carrying the returned APICall.
//
// Deprecated: the SDK marks GetServerReputation deprecated; Steam no longer
// answers it.
func (s *Server) GetServerReputation() (APICall, error) {
	if s.conn == nil {
		return 0, s.notInit("GetServerReputation")
	}
	return s.conn.GetServerReputation(), nil
}

// SendUserConnectAndAuthenticate tells Steam a user connected from clientIP
// with the given ticket, and returns the user's Steam ID when the ticket can
// be read. Steam answers with ClientApproved or ClientDenied, and may send
// ClientKick later.
//
// Deprecated: the SDK marks it deprecated; use BeginAuthSession. Do not mix
// the two for one user.
func (s *Server) SendUserConnectAndAuthenticate(clientIP netip.Addr, ticket []byte) (SteamID, bool, error) {
	if s.conn == nil {
		return 0, false, s.notInit("SendUserConnectAndAuthenticate")
	}
	ip, err := ipv4("client IP", clientIP)
	if err != nil {
		return 0, false, err
	}
	if len(ticket) == 0 {
		return 0, false, newError(ErrEmpty, "auth ticket from %s is empty", ip)
	}
	if len(ticket) > MaxAuthTicketLen {
		return 0, false, newError(ErrTooLong, "auth ticket from %s is %d bytes, limit %d", ip, len(ticket), MaxAuthTicketLen)
	}
	id, ok := s.conn.SendUserConnectAndAuthenticate(ip, ticket)
	return id, ok, nil
}

// SendUserDisconnect tells Steam a user of SendUserConnectAndAuthenticate
// left.
//
// Deprecated: the SDK marks it deprecated; use EndAuthSession.
func (s *Server) SendUserDisconnect(user SteamID) error {
	if s.conn == nil {
		return s.notInit("SendUserDisconnect")
	}
	if err := checkUser("user", user); err != nil {
		return err
	}
	s.conn.SendUserDisconnect(user)
	return nil
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
	for i := 0; i < len(name); i++ {
		if name[i] == 0 {
			return false, checkString("player name", name, MaxPlayerNameLen, true)
		}
	}
	return s.conn.UpdateUserData(user, name, score), nil
}

// HandleIncomingPacket hands Steam a datagram that arrived on the game socket
// and starts FF FF FF FF, in GameSocketShare mode (ISteamGameServer::HandleIncomingPacket,
// GodotSteam's handleIncomingPacket). It reports whether Steam took it; a packet that does
// not start FF FF FF FF is not Steam's and is not handed over (false). Call
// GetNextOutgoingPacket afterwards. from is an IPv4 address.
func (s *Server) HandleIncomingPacket(pkt []byte, from netip.AddrPort) (bool, error) {
	if s.conn == nil {
		return false, s.notInit("HandleIncomingPacket")
	}
	if len(pkt) == 0 {
		return false, newError(ErrEmpty, "packet from %s is empty", from)
	}
	ip := from.Addr().Unmap()
	if !ip.Is4() {
		_, err := ipv4("packet source", from.Addr())
		return false, err
	}
	if len(pkt) < 4 || pkt[0] != 0xFF || pkt[1] != 0xFF || pkt[2] != 0xFF || pkt[3] != 0xFF {
		return false, nil
	}
	return s.conn.HandleIncomingPacket(pkt, netip.AddrPortFrom(ip, from.Port())), nil
}

// GetNextOutgoingPacket copies the next datagram Steam wants sent from the
// game socket into buf and returns its length and destination; length 0
// means none is left (ISteamGameServer::GetNextOutgoingPacket,
// GodotSteam's getNextOutgoingPacket). In GameSocketShare
// mode call it every tick, after HandleIncomingPacket, until it returns 0.
// buf holds at least MinOutgoingPacketBuffer bytes: libsteam_api cannot say
// how large the packet it has queued is, and writes at most len(buf) bytes
// of it, so a smaller buffer could lose a packet; the check is made for
// every back end so that a game tested on one works on the other.
func (s *Server) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort, error) {
	if s.conn == nil {
		return 0, netip.AddrPort{}, s.notInit("GetNextOutgoingPacket")
	}
	if len(buf) < MinOutgoingPacketBuffer {
		return 0, netip.AddrPort{}, newError(ErrOutOfRange, "packet buffer is %d bytes, need at least %d", len(buf), MinOutgoingPacketBuffer)
	}
	n, to := s.conn.GetNextOutgoingPacket(buf)
	return n, to, nil
}
