package components

import (
	"slices"
	"strconv"
	"strings"

	"github.com/yohamta/donburi"
)

// Settings is the component type of the server's settings; the systems keep
// one entity with it per world.
var Settings = donburi.NewComponentType[SettingsData]()

// Field names one server setting; Fields combine as a bit mask.
type Field uint32

// The settings, in the order the settings system pushes them: what the SDK
// fixes at log-on first, then the log-on itself, then the rest, and
// advertising last (the SDK asks for every other setting to be in place
// before the server is advertised).
const (
	FieldProduct Field = 1 << iota
	FieldGameDescription
	FieldModDir
	FieldDedicated
	FieldLogOn
	FieldServerName
	FieldMapName
	FieldMaxPlayers
	FieldBots
	FieldPassword
	FieldSpectatorPort
	FieldSpectatorName
	FieldGameTags
	FieldGameData
	FieldRegion
	FieldKeyValues
	FieldAdvertise

	// FieldsBeforeLogOn are the settings the SDK accepts only before log-on.
	FieldsBeforeLogOn = FieldProduct | FieldGameDescription | FieldModDir | FieldDedicated
	// AllFields is every field a push can carry, the log-on excepted.
	AllFields = (FieldAdvertise<<1 - 1) &^ FieldLogOn
)

var fieldNames = [...]string{"Product", "GameDescription", "ModDir", "Dedicated", "LogOn", "ServerName",
	"MapName", "MaxPlayers", "Bots", "Password", "SpectatorPort", "SpectatorName", "GameTags", "GameData",
	"Region", "KeyValues", "Advertise"}

// String returns the names of the fields in f joined by "|", such as
// "ServerName|MapName", or "0" for none.
func (f Field) String() string {
	if f == 0 {
		return "0"
	}
	var b strings.Builder
	for i, n := range fieldNames {
		if f&(1<<i) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString(n)
	}
	if rest := f &^ (1<<len(fieldNames) - 1); rest != 0 {
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString("Field(0x")
		b.WriteString(strconv.FormatUint(uint64(rest), 16))
		b.WriteByte(')')
	}
	return b.String()
}

// LogOn is how the settings system logs the server on to Steam: with a game
// server log-on token, or anonymously when Token is empty.
type LogOn struct {
	Token string
}

// SettingsData is what a game wants Steam to know about its server: the
// arguments of every setter of ISteamGameServer, and how to log on. Change it
// through its setters; the settings system pushes the fields that changed,
// once, on the next tick, and none on a tick where nothing changed. The zero
// value holds nothing and has nothing to push.
//
// Product, game description, mod dir and the dedicated flag are pushed before
// the log-on that [SettingsData.LogOnAnonymous] or
// [SettingsData.LogOnWithToken] asks for; set them first. After log-on the SDK
// refuses them, and the settings system reports the error in [StatusData].
type SettingsData struct {
	product, description, modDir string
	dedicated                    bool
	logOn                        LogOn

	serverName, mapName    string
	maxPlayers, bots       int
	password               bool
	spectatorPort          uint16
	spectatorName          string
	tags, gameData, region string
	advertise              bool
	keyValues              map[string]string
	kvChanged              []string
	kvChangedSet           map[string]struct{}
	kvReset                bool
	dirty                  Field
	version                uint64
}

// mark records a change of f.
func (s *SettingsData) mark(f Field) {
	s.dirty |= f
	s.version++
}

func (s *SettingsData) setString(f Field, field *string, v string) {
	if *field != v {
		*field = v
		s.mark(f)
	}
}

func (s *SettingsData) setBool(f Field, field *bool, v bool) {
	if *field != v {
		*field = v
		s.mark(f)
	}
}

func (s *SettingsData) setInt(f Field, field *int, v int) {
	if *field != v {
		*field = v
		s.mark(f)
	}
}

// Product returns the product set by SetProduct.
func (s *SettingsData) Product() string { return s.product }

// SetProduct sets the game's product identifier (ISteamGameServer's
// SetProduct); Valve recommends the app ID as a string. Only before log-on.
func (s *SettingsData) SetProduct(product string) { s.setString(FieldProduct, &s.product, product) }

// GameDescription returns the description set by SetGameDescription.
func (s *SettingsData) GameDescription() string { return s.description }

// SetGameDescription sets the description of the game, usually its full
// name. Only before log-on.
func (s *SettingsData) SetGameDescription(description string) {
	s.setString(FieldGameDescription, &s.description, description)
}

// ModDir returns the directory set by SetModDir.
func (s *SettingsData) ModDir() string { return s.modDir }

// SetModDir sets the game directory, such as "spacewar". Only before log-on.
func (s *SettingsData) SetModDir(dir string) { s.setString(FieldModDir, &s.modDir, dir) }

// Dedicated reports the value set by SetDedicatedServer.
func (s *SettingsData) Dedicated() bool { return s.dedicated }

// SetDedicatedServer says whether this is a dedicated server (true) or a
// listen server (false, the default). Only before log-on.
func (s *SettingsData) SetDedicatedServer(dedicated bool) {
	s.setBool(FieldDedicated, &s.dedicated, dedicated)
}

// LogOnAnonymous asks the settings system to log the server on to a fresh
// anonymous game server account on the next tick, after pushing the settings
// that must precede log-on. Asking again logs on again.
func (s *SettingsData) LogOnAnonymous() {
	s.logOn = LogOn{}
	s.mark(FieldLogOn)
}

// LogOnWithToken asks the settings system to log the server on with a game
// server log-on token on the next tick; an empty token logs on anonymously.
// The token is kept in the component until the next request.
func (s *SettingsData) LogOnWithToken(token string) {
	s.logOn = LogOn{Token: token}
	s.mark(FieldLogOn)
}

// LogOnRequest returns how the last log-on request wants to log on.
func (s *SettingsData) LogOnRequest() LogOn { return s.logOn }

// ServerName returns the name set by SetServerName.
func (s *SettingsData) ServerName() string { return s.serverName }

// SetServerName sets the name the server browser shows (at most 63 bytes).
func (s *SettingsData) SetServerName(name string) { s.setString(FieldServerName, &s.serverName, name) }

// MapName returns the map set by SetMapName.
func (s *SettingsData) MapName() string { return s.mapName }

// SetMapName sets the map name the server browser shows (at most 31 bytes).
func (s *SettingsData) SetMapName(name string) { s.setString(FieldMapName, &s.mapName, name) }

// MaxPlayers returns the count set by SetMaxPlayerCount.
func (s *SettingsData) MaxPlayers() int { return s.maxPlayers }

// SetMaxPlayerCount sets the maximum number of players the server browser
// shows, 0 to 65535.
func (s *SettingsData) SetMaxPlayerCount(n int) { s.setInt(FieldMaxPlayers, &s.maxPlayers, n) }

// Bots returns the count set by SetBotPlayerCount.
func (s *SettingsData) Bots() int { return s.bots }

// SetBotPlayerCount sets the number of bot players, 0 to 65535.
func (s *SettingsData) SetBotPlayerCount(n int) { s.setInt(FieldBots, &s.bots, n) }

// PasswordProtected reports the value set by SetPasswordProtected.
func (s *SettingsData) PasswordProtected() bool { return s.password }

// SetPasswordProtected says whether joining needs a password.
func (s *SettingsData) SetPasswordProtected(protected bool) {
	s.setBool(FieldPassword, &s.password, protected)
}

// SpectatorPort returns the port set by SetSpectatorPort.
func (s *SettingsData) SpectatorPort() uint16 { return s.spectatorPort }

// SetSpectatorPort sets the spectator port to advertise; 0 means none.
func (s *SettingsData) SetSpectatorPort(port uint16) {
	if s.spectatorPort != port {
		s.spectatorPort = port
		s.mark(FieldSpectatorPort)
	}
}

// SpectatorServerName returns the name set by SetSpectatorServerName.
func (s *SettingsData) SpectatorServerName() string { return s.spectatorName }

// SetSpectatorServerName sets the spectator server's name (at most 31 bytes).
func (s *SettingsData) SetSpectatorServerName(name string) {
	s.setString(FieldSpectatorName, &s.spectatorName, name)
}

// GameTags returns the tags set by SetGameTags.
func (s *SettingsData) GameTags() string { return s.tags }

// SetGameTags sets the comma or semicolon separated game tags (at most 127
// bytes).
func (s *SettingsData) SetGameTags(tags string) { s.setString(FieldGameTags, &s.tags, tags) }

// GameData returns the data set by SetGameData.
func (s *SettingsData) GameData() string { return s.gameData }

// SetGameData sets the game data that matchmaking filters on (at most 2047
// bytes).
func (s *SettingsData) SetGameData(data string) { s.setString(FieldGameData, &s.gameData, data) }

// Region returns the region set by SetRegion.
func (s *SettingsData) Region() string { return s.region }

// SetRegion sets the region identifier; empty means the world.
func (s *SettingsData) SetRegion(region string) { s.setString(FieldRegion, &s.region, region) }

// Advertise reports the value set by SetAdvertiseServerActive.
func (s *SettingsData) Advertise() bool { return s.advertise }

// SetAdvertiseServerActive says whether the master server lists the server.
// The settings system pushes it after every other setting of the same tick.
func (s *SettingsData) SetAdvertiseServerActive(active bool) {
	s.setBool(FieldAdvertise, &s.advertise, active)
}

// KeyValue returns the value of a rule key/value and whether it is set.
func (s *SettingsData) KeyValue(key string) (string, bool) {
	v, ok := s.keyValues[key]
	return v, ok
}

// KeyValueCount returns the number of rule key/values.
func (s *SettingsData) KeyValueCount() int { return len(s.keyValues) }

// KeyValueKeys returns the keys of the rule key/values, sorted.
func (s *SettingsData) KeyValueKeys() []string {
	keys := make([]string, 0, len(s.keyValues))
	for k := range s.keyValues {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// SetKeyValue adds or replaces a rule key/value that A2S_RULES reports. Only
// the key/values that changed are pushed.
func (s *SettingsData) SetKeyValue(key, value string) {
	if old, ok := s.keyValues[key]; ok && old == value {
		return
	}
	if s.keyValues == nil {
		s.keyValues = make(map[string]string)
	}
	s.keyValues[key] = value
	s.mark(FieldKeyValues)
	if s.kvReset {
		return // every key/value goes out again
	}
	if s.kvChangedSet == nil {
		s.kvChangedSet = make(map[string]struct{})
	}
	if _, ok := s.kvChangedSet[key]; !ok {
		s.kvChangedSet[key] = struct{}{}
		s.kvChanged = append(s.kvChanged, key)
	}
}

// DeleteKeyValue removes a rule key/value. Steam can only clear all of them,
// so the push after a deletion clears and sets every remaining key/value.
func (s *SettingsData) DeleteKeyValue(key string) {
	if _, ok := s.keyValues[key]; !ok {
		return
	}
	delete(s.keyValues, key)
	s.resetKeyValues()
}

// ClearKeyValues removes every rule key/value.
func (s *SettingsData) ClearKeyValues() {
	if len(s.keyValues) == 0 {
		return
	}
	clear(s.keyValues)
	s.resetKeyValues()
}

func (s *SettingsData) resetKeyValues() {
	s.kvReset = true
	s.kvChanged = s.kvChanged[:0]
	clear(s.kvChangedSet)
	s.mark(FieldKeyValues)
}

// Version counts the changes made through the setters; it never goes back.
func (s *SettingsData) Version() uint64 { return s.version }

// Dirty returns the fields changed since the last push; zero when there is
// nothing to push.
func (s *SettingsData) Dirty() Field { return s.dirty }

// MarkAllDirty marks every setting that has been set as changed, and the
// key/values as to be cleared and set again, so that the next push sends
// everything: for a server that was shut down and initialized again. It does
// not ask for a log-on.
func (s *SettingsData) MarkAllDirty() {
	var f Field
	for _, p := range [...]struct {
		set bool
		f   Field
	}{
		{s.product != "", FieldProduct}, {s.description != "", FieldGameDescription},
		{s.modDir != "", FieldModDir}, {s.dedicated, FieldDedicated},
		{s.serverName != "", FieldServerName}, {s.mapName != "", FieldMapName},
		{s.maxPlayers != 0, FieldMaxPlayers}, {s.bots != 0, FieldBots},
		{s.password, FieldPassword}, {s.spectatorPort != 0, FieldSpectatorPort},
		{s.spectatorName != "", FieldSpectatorName}, {s.tags != "", FieldGameTags},
		{s.gameData != "", FieldGameData}, {s.region != "", FieldRegion},
		{s.advertise, FieldAdvertise},
	} {
		if p.set {
			f |= p.f
		}
	}
	if f != 0 {
		s.mark(f)
	}
	s.resetKeyValues()
}

// KeyValueChanges returns what the next push does with the key/values: when
// reset is true, clear Steam's and set every key/value (in the order of
// KeyValueKeys); otherwise set the keys listed, in the order they were first
// changed. The slice is the component's own, valid until the next setter or
// ClearDirty call. For the systems.
func (s *SettingsData) KeyValueChanges() (reset bool, keys []string) {
	return s.kvReset, s.kvChanged
}

// ClearDirty forgets the recorded changes once they are pushed. For the
// systems.
func (s *SettingsData) ClearDirty() {
	s.dirty = 0
	s.kvReset = false
	s.kvChanged = s.kvChanged[:0]
	clear(s.kvChangedSet)
}
