package steamgs

import "net/netip"

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
	if s.legacy == nil {
		return 0, false, newError(ErrUnsupported, "SendUserConnectAndAuthenticate: the back end has no deprecated user-connect flow")
	}
	id, ok := s.legacy.SendUserConnectAndAuthenticate(ip, ticket)
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
	if s.legacy == nil {
		return newError(ErrUnsupported, "SendUserDisconnect: the back end has no deprecated user-connect flow")
	}
	s.legacy.SendUserDisconnect(user)
	return nil
}
