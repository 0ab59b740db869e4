package steamgs

import (
	"math"
	"strings"
)

// checkRequired checks that the settings the SDK header calls required
// (product and game description) are set, and names every one missing.
func (s *Server) checkRequired(method string) error {
	var missing []string
	if s.settings.Product == "" {
		missing = append(missing, "product (SetProduct)")
	}
	if s.settings.GameDescription == "" {
		missing = append(missing, "game description (SetGameDescription)")
	}
	if len(missing) == 0 {
		return nil
	}
	return newError(ErrRequired, "%s before setting the %s, which every game server needs", method, strings.Join(missing, " and the "))
}

// LogOn begins logging on to a persistent game server account with a game
// server log-on token (ISteamGameServer::LogOn, GodotSteam's logOn). The
// answer arrives as a ServerConnected and PolicyResponse, or a
// ServerConnectFailure. Product and game description must be set first. The
// token is not empty (LogOnAnonymous logs on without one); the SDK sets no
// length limit.
func (s *Server) LogOn(token string) error {
	if s.conn == nil {
		return s.notInit("LogOn")
	}
	if err := checkString("log-on token", token, math.MaxInt, false); err != nil {
		return err
	}
	if err := s.checkRequired("LogOn"); err != nil {
		return err
	}
	s.logOnCalled = true
	s.conn.LogOn(token)
	return nil
}

// LogOnAnonymous begins logging on to a fresh anonymous game server account
// (ISteamGameServer::LogOnAnonymous, GodotSteam's logOnAnonymous). Answers
// arrive as for LogOn. Product and game description must be set first.
func (s *Server) LogOnAnonymous() error {
	if s.conn == nil {
		return s.notInit("LogOnAnonymous")
	}
	if err := s.checkRequired("LogOnAnonymous"); err != nil {
		return err
	}
	s.logOnCalled = true
	s.conn.LogOn("")
	return nil
}

// LogOff begins logging the server off Steam (ISteamGameServer::LogOff,
// GodotSteam's logOff); a ServerDisconnected follows.
func (s *Server) LogOff() error {
	if s.conn == nil {
		return s.notInit("LogOff")
	}
	s.logOnCalled = false
	s.conn.LogOff()
	return nil
}
