package steamgs

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
	if err := forID.Validate(); err != nil {
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

// Validate checks that at most one field of id is set, and set well: a
// Steam ID that passes IsValid, or a generic string of at most
// MaxGenericIdentityLen bytes without a NUL byte. Errors name the value and
// match ErrInvalidSteamID, ErrTooLong, ErrInvalidString or ErrOutOfRange.
func (id Identity) Validate() error {
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
