package local

// settings are the values a server was given through its setters.
type settings struct {
	product, description, modDir string
	dedicated                    bool
	maxPlayers, bots             int
	name, mapName                string
	password                     bool
	specPort                     uint16
	specName                     string
	tags, gameData, region       string
	advertise                    bool
	rules                        map[string]string
}

// set applies f to the settings and brings the A2S info up to date.
func (s *Server) set(f func(*settings)) {
	s.u.mu.Lock()
	f(&s.a2s.set)
	s.pushInfoLocked()
	s.u.mu.Unlock()
}

// SetProduct sets the product identifier (master server only).
func (s *Server) SetProduct(product string) { s.set(func(st *settings) { st.product = product }) }

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

// SetGameData sets the game data (master server only).
func (s *Server) SetGameData(data string) { s.set(func(st *settings) { st.gameData = data }) }

// SetRegion sets the region (master server only).
func (s *Server) SetRegion(region string) { s.set(func(st *settings) { st.region = region }) }

// SetAdvertiseServerActive turns answering A2S queries on or off; a server
// that does not advertise answers nothing.
func (s *Server) SetAdvertiseServerActive(active bool) {
	s.u.mu.Lock()
	s.a2s.set.advertise = active
	s.a2sAdvertiseLocked(active)
	s.u.mu.Unlock()
}

// ClearAllKeyValues removes every A2S_RULES rule.
func (s *Server) ClearAllKeyValues() {
	s.u.mu.Lock()
	clear(s.a2s.set.rules)
	s.a2sClearRulesLocked()
	s.u.mu.Unlock()
}

// SetKeyValue adds or replaces an A2S_RULES rule.
func (s *Server) SetKeyValue(key, value string) {
	s.u.mu.Lock()
	if s.a2s.set.rules == nil {
		s.a2s.set.rules = make(map[string]string)
	}
	s.a2s.set.rules[key] = value
	s.a2sSetRuleLocked(key, value)
	s.u.mu.Unlock()
}
