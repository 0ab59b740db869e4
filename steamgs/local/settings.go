package local

// settings are the values of a server's setters that A2S_INFO reports. The
// key/values live in the Responder alone; product, game data and region go
// only to a master server, which the embedded Steam does not have.
type settings struct {
	description, modDir string
	dedicated           bool
	maxPlayers, bots    int
	name, mapName       string
	password            bool
	specPort            uint16
	specName            string
	tags                string
}

// set applies f to the settings and brings the A2S info up to date.
func (s *Server) set(f func(*settings)) {
	s.u.mu.Lock()
	f(&s.a2s.set)
	s.pushInfoLocked()
	s.u.mu.Unlock()
}

// SetProduct does nothing: the product identifier goes only to a master
// server, which the embedded Steam does not have.
func (s *Server) SetProduct(string) {}

// SetGameDescription sets the description, A2S_INFO's game field.
func (s *Server) SetGameDescription(description string) {
	s.set(func(st *settings) { st.description = description })
}

// SetModDir sets the game directory, A2S_INFO's folder field.
func (s *Server) SetModDir(dir string) { s.set(func(st *settings) { st.modDir = dir }) }

// SetDedicatedServer sets A2S_INFO's server type: 'd' dedicated, 'l' listen.
func (s *Server) SetDedicatedServer(dedicated bool) {
	s.set(func(st *settings) { st.dedicated = dedicated })
}

// SetMaxPlayerCount sets A2S_INFO's max players (255 at most on the wire).
func (s *Server) SetMaxPlayerCount(n int) { s.set(func(st *settings) { st.maxPlayers = n }) }

// SetBotPlayerCount sets A2S_INFO's bots (255 at most on the wire).
func (s *Server) SetBotPlayerCount(n int) { s.set(func(st *settings) { st.bots = n }) }

// SetServerName sets A2S_INFO's name.
func (s *Server) SetServerName(name string) { s.set(func(st *settings) { st.name = name }) }

// SetMapName sets A2S_INFO's map.
func (s *Server) SetMapName(name string) { s.set(func(st *settings) { st.mapName = name }) }

// SetPasswordProtected sets A2S_INFO's visibility.
func (s *Server) SetPasswordProtected(protected bool) {
	s.set(func(st *settings) { st.password = protected })
}

// SetSpectatorPort sets A2S_INFO's spectator port (0: none).
func (s *Server) SetSpectatorPort(port uint16) { s.set(func(st *settings) { st.specPort = port }) }

// SetSpectatorServerName sets A2S_INFO's spectator name.
func (s *Server) SetSpectatorServerName(name string) {
	s.set(func(st *settings) { st.specName = name })
}

// SetGameTags sets the game tags, A2S_INFO's keywords.
func (s *Server) SetGameTags(tags string) { s.set(func(st *settings) { st.tags = tags }) }

// SetGameData does nothing: game data goes only to a master server.
func (s *Server) SetGameData(string) {}

// SetRegion does nothing: the region goes only to a master server.
func (s *Server) SetRegion(string) {}

// SetAdvertiseServerActive turns answering A2S queries on or off; a server
// that does not advertise answers nothing.
func (s *Server) SetAdvertiseServerActive(active bool) {
	s.a2s.r.SetAdvertise(active)
}

// ClearAllKeyValues removes every A2S_RULES rule.
func (s *Server) ClearAllKeyValues() {
	s.a2s.r.ClearRules()
}

// SetKeyValue adds or replaces an A2S_RULES rule. steamgs.Server has
// checked that every rule fits one RULES reply, so the Responder takes it;
// a call made through steamgs.Server.Conn that bypasses the check and
// would not fit is ignored.
func (s *Server) SetKeyValue(key, value string) {
	_ = s.a2s.r.SetRule(key, value)
}
