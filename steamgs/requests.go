package steamgs

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
	_, ok := s.conn.Request(Request{Kind: RequestUserGroupStatus, User: user, Group: group})
	return ok, nil
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
	call, _ := s.conn.Request(Request{Kind: RequestAssociateWithClan, Group: clan})
	return call, nil
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
	call, _ := s.conn.Request(Request{Kind: RequestPlayerCompatibility, User: user})
	return call, nil
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
	s.conn.Request(Request{Kind: RequestGameplayStats})
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
	call, _ := s.conn.Request(Request{Kind: RequestServerReputation})
	return call, nil
}
