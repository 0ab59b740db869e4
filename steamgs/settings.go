package steamgs

import (
	"errors"
	"github.com/steamgs/steamgs/steamgs/internal/text"
	"maps"
	"math"
	"strings"
)

// stringField describes how a string setting is checked.
type stringField struct {
	field      Field
	what       string // how error messages name the value
	limit      int
	allowEmpty bool
	get        func(Settings) string // by value: a pointer would move every setter's copy to the heap
}

// stringFields are the string settings and their rules; see each setter for
// the source of its limit and of its "not empty".
var stringFields = [...]stringField{
	{FieldProduct, "product", math.MaxInt, false, func(s Settings) string { return s.Product }},
	{FieldGameDescription, "game description", MaxGameDescriptionLen, false, func(s Settings) string { return s.GameDescription }},
	{FieldModDir, "mod dir", MaxModDirLen, true, func(s Settings) string { return s.ModDir }},
	{FieldServerName, "server name", MaxServerNameLen, false, func(s Settings) string { return s.ServerName }},
	{FieldMapName, "map name", MaxMapNameLen, false, func(s Settings) string { return s.MapName }},
	{FieldSpectatorServerName, "spectator server name", MaxSpectatorNameLen, false, func(s Settings) string { return s.SpectatorServerName }},
	{FieldGameTags, "game tags", MaxGameTagsLen, true, func(s Settings) string { return s.GameTags }},
	{FieldGameData, "game data", MaxGameDataLen, true, func(s Settings) string { return s.GameData }},
	{FieldRegion, "region", math.MaxInt, true, func(s Settings) string { return s.Region }},
}

// fieldMethods names the setter of each field, for error messages.
var fieldMethods = [...]string{"SetProduct", "SetGameDescription", "SetModDir", "SetDedicatedServer",
	"SetServerName", "SetMapName", "SetMaxPlayerCount", "SetBotPlayerCount", "SetPasswordProtected",
	"SetSpectatorPort", "SetSpectatorServerName", "SetGameTags", "SetGameData", "SetRegion", "SetKeyValue",
	"SetAdvertiseServerActive"}

// method returns the setter of the lowest field in f.
func (f Field) method() string {
	for i, m := range fieldMethods {
		if f&(1<<i) != 0 {
			return m
		}
	}
	return "ApplySettings"
}

// checkSettings checks the fields of st in fields and returns the size its
// key/values take in an A2S_RULES reply (when FieldKeyValues is among
// them), or every error found, joined.
func checkSettings(st *Settings, fields Field) (int, error) {
	var errs []error
	for i := range stringFields {
		sf := &stringFields[i]
		if fields&sf.field != 0 {
			if err := checkString(sf.what, sf.get(*st), sf.limit, sf.allowEmpty); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if fields&FieldMaxPlayers != 0 {
		if err := checkCount("max player count", st.MaxPlayers, MaxPlayerCount); err != nil {
			errs = append(errs, err)
		}
	}
	if fields&FieldBots != 0 {
		if err := checkCount("bot player count", st.Bots, MaxPlayerCount); err != nil {
			errs = append(errs, err)
		}
	}
	size := 0
	if fields&FieldKeyValues != 0 {
		if len(st.KeyValues) > MaxKeyValueCount {
			errs = append(errs, newError(ErrTooLarge, "%d key/values, limit %d", len(st.KeyValues), MaxKeyValueCount))
		}
		for k, v := range st.KeyValues {
			if err := checkKeyValue(k, v); err != nil {
				errs = append(errs, err)
				break
			}
			size += len(k) + len(v) + 2
		}
		if size > MaxKeyValueBytes {
			errs = append(errs, newError(ErrTooLarge, "key/values take %d bytes of an A2S_RULES reply, limit %d (255 fragments)", size, MaxKeyValueBytes))
		}
	}
	if fields&^AllFields != 0 {
		errs = append(errs, newError(ErrOutOfRange, "fields %s are not settings", fields&^AllFields))
	}
	return size, errors.Join(errs...)
}

// checkKeyValue checks one key/value: neither holds a NUL byte nor is
// longer than all key/values may be together.
func checkKeyValue(key, value string) error {
	if err := checkString("key", key, MaxKeyValueBytes, true); err != nil {
		return err
	}
	if len(value) > MaxKeyValueBytes || strings.IndexByte(value, 0) >= 0 {
		// Named only on failure, so that a valid call allocates nothing.
		return checkString("value of key "+text.Clip(key), value, MaxKeyValueBytes, true)
	}
	return nil
}

// ApplySettings sets the fields of st named in fields at once, as the
// setter of each would, and hands them to the back end in one call: the
// embedded Steam rebuilds its A2S replies once. Nothing is set unless every
// field is valid; the error then names every bad one (errors.Is matches each
// sentinel). Fields fixed at log-on (FieldsBeforeLogOn) are refused after
// log-on with ErrAfterLogOn. Fields of st not named in fields are ignored:
// the server keeps its values of those. The server keeps its own copy of
// st.KeyValues.
func (s *Server) ApplySettings(st Settings, fields Field) error {
	if s.conn == nil {
		return s.notInit("ApplySettings")
	}
	if fields == 0 {
		return nil
	}
	merged := s.settings
	merged.Merge(&st, fields)
	return s.apply(fields.method(), &merged, fields)
}

// Merge copies the fields of src named in fields into st, the key/values as
// a copy of src's map; the other fields of st keep their values. A back end
// that keeps settings merges what [Conn.Apply] hands it this way.
func (st *Settings) Merge(src *Settings, fields Field) {
	copyIf := func(f Field, dst *string, v string) {
		if fields&f != 0 {
			*dst = v
		}
	}
	copyIf(FieldProduct, &st.Product, src.Product)
	copyIf(FieldGameDescription, &st.GameDescription, src.GameDescription)
	copyIf(FieldModDir, &st.ModDir, src.ModDir)
	copyIf(FieldServerName, &st.ServerName, src.ServerName)
	copyIf(FieldMapName, &st.MapName, src.MapName)
	copyIf(FieldSpectatorServerName, &st.SpectatorServerName, src.SpectatorServerName)
	copyIf(FieldGameTags, &st.GameTags, src.GameTags)
	copyIf(FieldGameData, &st.GameData, src.GameData)
	copyIf(FieldRegion, &st.Region, src.Region)
	if fields&FieldDedicated != 0 {
		st.Dedicated = src.Dedicated
	}
	if fields&FieldMaxPlayers != 0 {
		st.MaxPlayers = src.MaxPlayers
	}
	if fields&FieldBots != 0 {
		st.Bots = src.Bots
	}
	if fields&FieldPasswordProtected != 0 {
		st.PasswordProtected = src.PasswordProtected
	}
	if fields&FieldSpectatorPort != 0 {
		st.SpectatorPort = src.SpectatorPort
	}
	if fields&FieldKeyValues != 0 {
		st.KeyValues = maps.Clone(src.KeyValues)
	}
	if fields&FieldAdvertise != 0 {
		st.Advertise = src.Advertise
	}
}

// apply checks the fields of st named in fields and, when they are valid,
// makes st the server's settings and hands them to the back end. The
// caller holds no reference into st other than through the server.
func (s *Server) apply(method string, st *Settings, fields Field) error {
	if s.conn == nil {
		return s.notInit(method)
	}
	if fields&FieldsBeforeLogOn != 0 && s.logOnCalled {
		return newError(ErrAfterLogOn, "%s after log-on; call it before LogOn or LogOnAnonymous (or after LogOff)",
			(fields & FieldsBeforeLogOn).method())
	}
	size, err := checkSettings(st, fields)
	if err != nil {
		return err
	}
	if fields&FieldKeyValues != 0 {
		s.kvBytes = size
	}
	s.settings = *st
	s.conn.Apply(&s.settings, fields)
	return nil
}

// with returns a copy of the server's settings changed by f.
func (s *Server) with(f func(*Settings)) *Settings {
	st := s.settings
	f(&st)
	return &st
}

// SetProduct sets the game's product identifier, which the master server
// uses for version checks; Valve recommends the app ID as a string
// (ISteamGameServer::SetProduct, GodotSteam's setProduct). Required before
// log-on and not empty: the SDK header calls it a required field. Only
// before log-on. The SDK sets no length limit.
func (s *Server) SetProduct(product string) error {
	return s.apply("SetProduct", s.with(func(st *Settings) { st.Product = product }), FieldProduct)
}

// SetGameDescription sets the description of the game, usually its full
// name (ISteamGameServer::SetGameDescription, GodotSteam's
// setGameDescription). Required before log-on and not empty: the SDK header
// calls it a required field. At most 63 bytes; only before log-on.
func (s *Server) SetGameDescription(description string) error {
	return s.apply("SetGameDescription", s.with(func(st *Settings) { st.GameDescription = description }), FieldGameDescription)
}

// SetModDir sets the game directory of a mod, the folder name it installs
// into such as "spacewar" (ISteamGameServer::SetModDir, GodotSteam's
// setModDir). Empty, the default, means the original game and not a mod, as
// the SDK header says. At most 31 bytes; only before log-on.
func (s *Server) SetModDir(dir string) error {
	return s.apply("SetModDir", s.with(func(st *Settings) { st.ModDir = dir }), FieldModDir)
}

// SetDedicatedServer says whether this is a dedicated (true) or a listen
// server (false, the default) (ISteamGameServer::SetDedicatedServer,
// GodotSteam's setDedicatedServer). Only before log-on.
func (s *Server) SetDedicatedServer(dedicated bool) error {
	return s.apply("SetDedicatedServer", s.with(func(st *Settings) { st.Dedicated = dedicated }), FieldDedicated)
}

// SetMaxPlayerCount sets the maximum number of players the server browser
// shows (ISteamGameServer::SetMaxPlayerCount, GodotSteam's
// setMaxPlayerCount); 0 to MaxPlayerCount, at any time.
func (s *Server) SetMaxPlayerCount(n int) error {
	return s.apply("SetMaxPlayerCount", s.with(func(st *Settings) { st.MaxPlayers = n }), FieldMaxPlayers)
}

// SetBotPlayerCount sets the number of bot players on the server
// (ISteamGameServer::SetBotPlayerCount, GodotSteam's setBotPlayerCount); 0 to
// MaxPlayerCount, default 0.
func (s *Server) SetBotPlayerCount(n int) error {
	return s.apply("SetBotPlayerCount", s.with(func(st *Settings) { st.Bots = n }), FieldBots)
}

// SetServerName sets the name the server browser shows
// (ISteamGameServer::SetServerName, GodotSteam's setServerName). Not empty,
// as GodotSteam Server's reference says; at most 63 bytes.
func (s *Server) SetServerName(name string) error {
	return s.apply("SetServerName", s.with(func(st *Settings) { st.ServerName = name }), FieldServerName)
}

// SetMapName sets the map name the server browser shows
// (ISteamGameServer::SetMapName, GodotSteam's setMapName). Not empty, as
// GodotSteam Server's reference says; at most 31 bytes.
func (s *Server) SetMapName(name string) error {
	return s.apply("SetMapName", s.with(func(st *Settings) { st.MapName = name }), FieldMapName)
}

// SetPasswordProtected says whether joining needs a password
// (ISteamGameServer::SetPasswordProtected, GodotSteam's setPasswordProtected).
func (s *Server) SetPasswordProtected(protected bool) error {
	return s.apply("SetPasswordProtected", s.with(func(st *Settings) { st.PasswordProtected = protected }), FieldPasswordProtected)
}

// SetSpectatorPort sets the spectator port to advertise; 0, the default,
// means no spectators (ISteamGameServer::SetSpectatorPort, GodotSteam's
// setSpectatorPort). The server only advertises it; listening on it is the
// game's job.
func (s *Server) SetSpectatorPort(port uint16) error {
	return s.apply("SetSpectatorPort", s.with(func(st *Settings) { st.SpectatorPort = port }), FieldSpectatorPort)
}

// SetSpectatorServerName sets the spectator server's name, used only when
// the spectator port is non-zero (ISteamGameServer::SetSpectatorServerName,
// GodotSteam's setSpectatorServerName). Not empty, as GodotSteam Server's
// reference says; at most 31 bytes.
func (s *Server) SetSpectatorServerName(name string) error {
	return s.apply("SetSpectatorServerName", s.with(func(st *Settings) { st.SpectatorServerName = name }), FieldSpectatorServerName)
}

// SetGameTags sets the game tags, a comma or semicolon separated list that
// server browsers filter on and A2S_INFO reports as keywords
// (ISteamGameServer::SetGameTags, GodotSteam's setGameTags). At most 127
// bytes. Empty clears the tags: the SDK header calls them optional, and
// A2S_INFO then carries no keywords.
func (s *Server) SetGameTags(tags string) error {
	return s.apply("SetGameTags", s.with(func(st *Settings) { st.GameTags = tags }), FieldGameTags)
}

// SetGameData sets the game data, a list that matchmaking filters on and
// only the master server sees (ISteamGameServer::SetGameData, GodotSteam's
// setGameData). At most 2047 bytes. Empty clears the game data: the SDK
// header calls it optional.
func (s *Server) SetGameData(data string) error {
	return s.apply("SetGameData", s.with(func(st *Settings) { st.GameData = data }), FieldGameData)
}

// SetRegion sets the region identifier; empty, the default, means the world
// (ISteamGameServer::SetRegion, GodotSteam's setRegion). The SDK sets no
// length limit.
func (s *Server) SetRegion(region string) error {
	return s.apply("SetRegion", s.with(func(st *Settings) { st.Region = region }), FieldRegion)
}

// SetAdvertiseServerActive says whether the server is listed by the master
// server and answers server browser and LAN queries
// (ISteamGameServer::SetAdvertiseServerActive, formerly EnableHeartbeats;
// GodotSteam's setAdvertiseServerActive). It starts off: set the other
// settings first, then turn it on.
func (s *Server) SetAdvertiseServerActive(active bool) error {
	return s.apply("SetAdvertiseServerActive", s.with(func(st *Settings) { st.Advertise = active }), FieldAdvertise)
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
	s.conn.Apply(&s.settings, FieldKeyValues)
	return nil
}

// SetKeyValue adds or replaces a rule key/value that A2S_RULES queries
// report (ISteamGameServer::SetKeyValue, GodotSteam's setKeyValue). Neither
// holds a NUL byte; either may be empty. All key/values together must fit
// one A2S_RULES reply: at most MaxKeyValueCount of them in MaxKeyValueBytes
// (each counts its key and value plus two bytes); a key/value past that is
// refused with ErrTooLarge.
func (s *Server) SetKeyValue(key, value string) error {
	if s.conn == nil {
		return s.notInit("SetKeyValue")
	}
	if err := checkKeyValue(key, value); err != nil {
		return err
	}
	size := s.kvBytes + len(key) + len(value) + 2
	old, replace := s.settings.KeyValues[key]
	if replace {
		size -= len(key) + len(old) + 2
	} else if len(s.settings.KeyValues) >= MaxKeyValueCount {
		return newError(ErrTooLarge, "key/value %q would be number %d, limit %d", text.Clip(key), len(s.settings.KeyValues)+1, MaxKeyValueCount)
	}
	if size > MaxKeyValueBytes {
		return newError(ErrTooLarge, "key/values would take %d bytes of an A2S_RULES reply, limit %d (255 fragments)", size, MaxKeyValueBytes)
	}
	if s.settings.KeyValues == nil {
		s.settings.KeyValues = make(map[string]string)
	}
	s.settings.KeyValues[key] = value
	s.kvBytes = size
	s.conn.Apply(&s.settings, FieldKeyValues)
	return nil
}
