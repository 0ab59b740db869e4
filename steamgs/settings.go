package steamgs

import (
	"math"
	"strings"
)

// beforeLogOn checks the rule of the settings the SDK fixes at log-on.
func (s *Server) beforeLogOn(method string) error {
	if s.conn == nil {
		return s.notInit(method)
	}
	if s.logOnCalled {
		return newError(ErrAfterLogOn, "%s after log-on; call it before LogOn or LogOnAnonymous (or after LogOff)", method)
	}
	return nil
}

// setString checks a string setting and, when it is valid, stores it in
// *field and hands it to the back end with set.
func (s *Server) setString(method, what, v string, limit int, allowEmpty bool, field *string, set func(Conn, string)) error {
	if s.conn == nil {
		return s.notInit(method)
	}
	if err := checkString(what, v, limit, allowEmpty); err != nil {
		return err
	}
	*field = v
	set(s.conn, v)
	return nil
}

// SetProduct sets the game's product identifier, which the master server
// uses for version checks; Valve recommends the app ID as a string
// (ISteamGameServer::SetProduct, GodotSteam's setProduct). Required before
// log-on and not empty: the SDK header calls it a required field. Only
// before log-on. The SDK sets no length limit.
func (s *Server) SetProduct(product string) error {
	if err := s.beforeLogOn("SetProduct"); err != nil {
		return err
	}
	return s.setString("SetProduct", "product", product, math.MaxInt, false, &s.settings.Product, Conn.SetProduct)
}

// SetGameDescription sets the description of the game, usually its full
// name (ISteamGameServer::SetGameDescription, GodotSteam's
// setGameDescription). Required before log-on and not empty: the SDK header
// calls it a required field. At most 63 bytes; only before log-on.
func (s *Server) SetGameDescription(description string) error {
	if err := s.beforeLogOn("SetGameDescription"); err != nil {
		return err
	}
	return s.setString("SetGameDescription", "game description", description, MaxGameDescriptionLen, false,
		&s.settings.GameDescription, Conn.SetGameDescription)
}

// SetModDir sets the game directory of a mod, the folder name it installs
// into such as "spacewar" (ISteamGameServer::SetModDir, GodotSteam's
// setModDir). Empty, the default, means the original game and not a mod, as
// the SDK header says. At most 31 bytes; only before log-on.
func (s *Server) SetModDir(dir string) error {
	if err := s.beforeLogOn("SetModDir"); err != nil {
		return err
	}
	return s.setString("SetModDir", "mod dir", dir, MaxModDirLen, true, &s.settings.ModDir, Conn.SetModDir)
}

// SetDedicatedServer says whether this is a dedicated (true) or a listen
// server (false, the default) (ISteamGameServer::SetDedicatedServer,
// GodotSteam's setDedicatedServer). Only before log-on.
func (s *Server) SetDedicatedServer(dedicated bool) error {
	if err := s.beforeLogOn("SetDedicatedServer"); err != nil {
		return err
	}
	s.settings.Dedicated = dedicated
	s.conn.SetDedicatedServer(dedicated)
	return nil
}

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
	s.conn.LogOnAnonymous()
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

// SetMaxPlayerCount sets the maximum number of players the server browser
// shows (ISteamGameServer::SetMaxPlayerCount, GodotSteam's
// setMaxPlayerCount); 0 to MaxPlayerCount, at any time.
func (s *Server) SetMaxPlayerCount(n int) error {
	if s.conn == nil {
		return s.notInit("SetMaxPlayerCount")
	}
	if err := checkCount("max player count", n, MaxPlayerCount); err != nil {
		return err
	}
	s.settings.MaxPlayers = n
	s.conn.SetMaxPlayerCount(n)
	return nil
}

// SetBotPlayerCount sets the number of bot players on the server
// (ISteamGameServer::SetBotPlayerCount, GodotSteam's setBotPlayerCount); 0 to
// MaxPlayerCount, default 0.
func (s *Server) SetBotPlayerCount(n int) error {
	if s.conn == nil {
		return s.notInit("SetBotPlayerCount")
	}
	if err := checkCount("bot player count", n, MaxPlayerCount); err != nil {
		return err
	}
	s.settings.Bots = n
	s.conn.SetBotPlayerCount(n)
	return nil
}

// SetServerName sets the name the server browser shows
// (ISteamGameServer::SetServerName, GodotSteam's setServerName). Not empty,
// as GodotSteam Server's reference says; at most 63 bytes.
func (s *Server) SetServerName(name string) error {
	return s.setString("SetServerName", "server name", name, MaxServerNameLen, false,
		&s.settings.ServerName, Conn.SetServerName)
}

// SetMapName sets the map name the server browser shows
// (ISteamGameServer::SetMapName, GodotSteam's setMapName). Not empty, as
// GodotSteam Server's reference says; at most 31 bytes.
func (s *Server) SetMapName(name string) error {
	return s.setString("SetMapName", "map name", name, MaxMapNameLen, false, &s.settings.MapName, Conn.SetMapName)
}

// SetPasswordProtected says whether joining needs a password
// (ISteamGameServer::SetPasswordProtected, GodotSteam's setPasswordProtected).
func (s *Server) SetPasswordProtected(protected bool) error {
	if s.conn == nil {
		return s.notInit("SetPasswordProtected")
	}
	s.settings.PasswordProtected = protected
	s.conn.SetPasswordProtected(protected)
	return nil
}

// SetSpectatorPort sets the spectator port to advertise; 0, the default,
// means no spectators (ISteamGameServer::SetSpectatorPort, GodotSteam's
// setSpectatorPort). The server only
// advertises it; listening on it is the game's job.
func (s *Server) SetSpectatorPort(port uint16) error {
	if s.conn == nil {
		return s.notInit("SetSpectatorPort")
	}
	s.settings.SpectatorPort = port
	s.conn.SetSpectatorPort(port)
	return nil
}

// SetSpectatorServerName sets the spectator server's name, used only when
// the spectator port is non-zero (ISteamGameServer::SetSpectatorServerName,
// GodotSteam's setSpectatorServerName). Not empty, as GodotSteam Server's
// reference says; at most 31 bytes.
func (s *Server) SetSpectatorServerName(name string) error {
	return s.setString("SetSpectatorServerName", "spectator server name", name, MaxSpectatorNameLen, false,
		&s.settings.SpectatorServerName, Conn.SetSpectatorServerName)
}

// ClearAllKeyValues removes every rule key/value that A2S_RULES queries
// report (ISteamGameServer::ClearAllKeyValues, GodotSteam's
// clearAllKeyValues).
func (s *Server) ClearAllKeyValues() error {
	if s.conn == nil {
		return s.notInit("ClearAllKeyValues")
	}
	clear(s.settings.KeyValues)
	s.kvBytes = 0
	s.conn.ClearAllKeyValues()
	return nil
}

// SetKeyValue adds or replaces a rule key/value that A2S_RULES queries
// report (ISteamGameServer::SetKeyValue, GodotSteam's setKeyValue). Neither
// holds a NUL byte; either may be empty. All key/values together must fit one A2S_RULES reply: at most
// MaxKeyValueCount of them in MaxKeyValueBytes (each counts its key and value
// plus two bytes); a key/value past that is refused with ErrTooLarge.
func (s *Server) SetKeyValue(key, value string) error {
	if s.conn == nil {
		return s.notInit("SetKeyValue")
	}
	if err := checkString("key", key, MaxKeyValueBytes, true); err != nil {
		return err
	}
	if len(value) > MaxKeyValueBytes || strings.IndexByte(value, 0) >= 0 {
		// Named only on failure, so that a valid call allocates nothing.
		return checkString("value of key "+clip(key), value, MaxKeyValueBytes, true)
	}
	size := s.kvBytes + len(key) + len(value) + 2
	old, replace := s.settings.KeyValues[key]
	if replace {
		size -= len(key) + len(old) + 2
	} else if len(s.settings.KeyValues) >= MaxKeyValueCount {
		return newError(ErrTooLarge, "key/value %q would be number %d, limit %d", clip(key), len(s.settings.KeyValues)+1, MaxKeyValueCount)
	}
	if size > MaxKeyValueBytes {
		return newError(ErrTooLarge, "key/values would take %d bytes of an A2S_RULES reply, limit %d (255 fragments)", size, MaxKeyValueBytes)
	}
	if s.settings.KeyValues == nil {
		s.settings.KeyValues = make(map[string]string)
	}
	s.settings.KeyValues[key] = value
	s.kvBytes = size
	s.conn.SetKeyValue(key, value)
	return nil
}

// SetGameTags sets the game tags, a comma or semicolon separated list that
// server browsers filter on and A2S_INFO reports as keywords
// (ISteamGameServer::SetGameTags, GodotSteam's setGameTags). At most 127
// bytes. Empty clears the tags: the SDK header calls them optional, and
// A2S_INFO then carries no keywords.
func (s *Server) SetGameTags(tags string) error {
	return s.setString("SetGameTags", "game tags", tags, MaxGameTagsLen, true, &s.settings.GameTags, Conn.SetGameTags)
}

// SetGameData sets the game data, a list that matchmaking filters on and
// only the master server sees (ISteamGameServer::SetGameData, GodotSteam's
// setGameData). At most 2047 bytes. Empty clears the game data: the SDK
// header calls it optional.
func (s *Server) SetGameData(data string) error {
	return s.setString("SetGameData", "game data", data, MaxGameDataLen, true, &s.settings.GameData, Conn.SetGameData)
}

// SetRegion sets the region identifier; empty, the default, means the world
// (ISteamGameServer::SetRegion, GodotSteam's setRegion). The SDK sets no
// length limit.
func (s *Server) SetRegion(region string) error {
	return s.setString("SetRegion", "region", region, math.MaxInt, true, &s.settings.Region, Conn.SetRegion)
}

// SetAdvertiseServerActive says whether the server is listed by the master
// server and answers server browser and LAN queries
// (ISteamGameServer::SetAdvertiseServerActive, formerly EnableHeartbeats;
// GodotSteam's setAdvertiseServerActive). It starts off: set
// the other settings first, then turn it on.
func (s *Server) SetAdvertiseServerActive(active bool) error {
	if s.conn == nil {
		return s.notInit("SetAdvertiseServerActive")
	}
	s.settings.Advertise = active
	s.conn.SetAdvertiseServerActive(active)
	return nil
}
