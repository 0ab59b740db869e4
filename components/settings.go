package components

import (
	"maps"
	"slices"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/yohamta/donburi"
)

// Settings is the component type of the server's settings; the systems keep
// one entity with it per world.
var Settings = donburi.NewComponentType[SettingsData]()

// Field names one server setting; Fields combine as a bit mask. It is
// steamgs's type, so that a mask of changed fields is what
// Server.ApplySettings takes.
type Field = steamgs.Field

// The settings, in the order a push applies them: what the SDK fixes at
// log-on first (pushed before a requested log-on), then the rest, and
// advertising last. They are steamgs's fields; FieldPassword and
// FieldSpectatorName are this package's shorter names for two of them.
const (
	FieldProduct         = steamgs.FieldProduct
	FieldGameDescription = steamgs.FieldGameDescription
	FieldModDir          = steamgs.FieldModDir
	FieldDedicated       = steamgs.FieldDedicated
	FieldServerName      = steamgs.FieldServerName
	FieldMapName         = steamgs.FieldMapName
	FieldMaxPlayers      = steamgs.FieldMaxPlayers
	FieldBots            = steamgs.FieldBots
	// FieldPassword is steamgs.FieldPasswordProtected.
	FieldPassword      = steamgs.FieldPasswordProtected
	FieldSpectatorPort = steamgs.FieldSpectatorPort
	// FieldSpectatorName is steamgs.FieldSpectatorServerName.
	FieldSpectatorName = steamgs.FieldSpectatorServerName
	FieldGameTags      = steamgs.FieldGameTags
	FieldGameData      = steamgs.FieldGameData
	FieldRegion        = steamgs.FieldRegion
	FieldKeyValues     = steamgs.FieldKeyValues
	FieldAdvertise     = steamgs.FieldAdvertise

	// FieldsBeforeLogOn are the settings the SDK accepts only before log-on.
	FieldsBeforeLogOn = steamgs.FieldsBeforeLogOn
	// AllFields is every setting.
	AllFields = steamgs.AllFields
)

// LogOn is how the settings system logs the server on to Steam: with a game
// server log-on token, or anonymously when Token is empty.
type LogOn struct {
	Token string
}

// SettingsData is what a game wants Steam to know about its server: a
// steamgs.Settings, the arguments of every setter of ISteamGameServer, and
// how to log on. Change it through its setters; the settings system pushes
// the fields that changed, in one Server.ApplySettings (two around a
// requested log-on), on the next tick, and nothing on a tick where nothing
// changed. The zero value holds nothing and has nothing to push.
//
// Product, game description, mod dir and the dedicated flag are pushed before
// the log-on that [SettingsData.LogOnAnonymous] or
// [SettingsData.LogOnWithToken] asks for; set them first. After log-on the SDK
// refuses them, and the settings system reports the error in [StatusData].
type SettingsData struct {
	st         steamgs.Settings
	logOn      LogOn
	dirty      Field
	logOnAsked bool // a log-on is asked for and not yet made
	version    uint64
}

// mark records a change of f.
func (s *SettingsData) mark(f Field) {
	s.dirty |= f
	s.version++
}

func setField[T comparable](s *SettingsData, f Field, field *T, v T) {
	if *field != v {
		*field = v
		s.mark(f)
	}
}

// Settings returns the settings as a steamgs.Settings, for
// Server.ApplySettings. Its KeyValues map is the component's own: read it,
// do not change it (ApplySettings copies it).
func (s *SettingsData) Settings() steamgs.Settings { return s.st }

// Product returns the product set by SetProduct.
func (s *SettingsData) Product() string { return s.st.Product }

// SetProduct sets the game's product identifier (ISteamGameServer's
// SetProduct); Valve recommends the app ID as a string. Only before log-on.
func (s *SettingsData) SetProduct(product string) {
	setField(s, FieldProduct, &s.st.Product, product)
}

// GameDescription returns the description set by SetGameDescription.
func (s *SettingsData) GameDescription() string { return s.st.GameDescription }

// SetGameDescription sets the description of the game, usually its full
// name. Only before log-on.
func (s *SettingsData) SetGameDescription(description string) {
	setField(s, FieldGameDescription, &s.st.GameDescription, description)
}

// ModDir returns the directory set by SetModDir.
func (s *SettingsData) ModDir() string { return s.st.ModDir }

// SetModDir sets the game directory, such as "spacewar". Only before log-on.
func (s *SettingsData) SetModDir(dir string) { setField(s, FieldModDir, &s.st.ModDir, dir) }

// Dedicated reports the value set by SetDedicatedServer.
func (s *SettingsData) Dedicated() bool { return s.st.Dedicated }

// SetDedicatedServer says whether this is a dedicated server (true) or a
// listen server (false, the default). Only before log-on.
func (s *SettingsData) SetDedicatedServer(dedicated bool) {
	setField(s, FieldDedicated, &s.st.Dedicated, dedicated)
}

// LogOnAnonymous asks the settings system to log the server on to a fresh
// anonymous game server account on the next tick, after pushing the settings
// that must precede log-on. Asking again logs on again.
func (s *SettingsData) LogOnAnonymous() { s.requestLogOn(LogOn{}) }

// LogOnWithToken asks the settings system to log the server on with a game
// server log-on token on the next tick; an empty token logs on anonymously.
// The token is kept in the component until the next request.
func (s *SettingsData) LogOnWithToken(token string) { s.requestLogOn(LogOn{Token: token}) }

func (s *SettingsData) requestLogOn(l LogOn) {
	s.logOn, s.logOnAsked = l, true
	s.version++
}

// LogOnRequest returns how the last log-on request wants to log on.
func (s *SettingsData) LogOnRequest() LogOn { return s.logOn }

// LogOnRequested reports whether a log-on is asked for and not yet made:
// the next push makes it.
func (s *SettingsData) LogOnRequested() bool { return s.logOnAsked }

// ServerName returns the name set by SetServerName.
func (s *SettingsData) ServerName() string { return s.st.ServerName }

// SetServerName sets the name the server browser shows (at most 63 bytes).
func (s *SettingsData) SetServerName(name string) {
	setField(s, FieldServerName, &s.st.ServerName, name)
}

// MapName returns the map set by SetMapName.
func (s *SettingsData) MapName() string { return s.st.MapName }

// SetMapName sets the map name the server browser shows (at most 31 bytes).
func (s *SettingsData) SetMapName(name string) { setField(s, FieldMapName, &s.st.MapName, name) }

// MaxPlayers returns the count set by SetMaxPlayerCount.
func (s *SettingsData) MaxPlayers() int { return s.st.MaxPlayers }

// SetMaxPlayerCount sets the maximum number of players the server browser
// shows, 0 to 65535.
func (s *SettingsData) SetMaxPlayerCount(n int) { setField(s, FieldMaxPlayers, &s.st.MaxPlayers, n) }

// Bots returns the count set by SetBotPlayerCount.
func (s *SettingsData) Bots() int { return s.st.Bots }

// SetBotPlayerCount sets the number of bot players, 0 to 65535.
func (s *SettingsData) SetBotPlayerCount(n int) { setField(s, FieldBots, &s.st.Bots, n) }

// PasswordProtected reports the value set by SetPasswordProtected.
func (s *SettingsData) PasswordProtected() bool { return s.st.PasswordProtected }

// SetPasswordProtected says whether joining needs a password.
func (s *SettingsData) SetPasswordProtected(protected bool) {
	setField(s, FieldPassword, &s.st.PasswordProtected, protected)
}

// SpectatorPort returns the port set by SetSpectatorPort.
func (s *SettingsData) SpectatorPort() uint16 { return s.st.SpectatorPort }

// SetSpectatorPort sets the spectator port to advertise; 0 means none.
func (s *SettingsData) SetSpectatorPort(port uint16) {
	setField(s, FieldSpectatorPort, &s.st.SpectatorPort, port)
}

// SpectatorServerName returns the name set by SetSpectatorServerName.
func (s *SettingsData) SpectatorServerName() string { return s.st.SpectatorServerName }

// SetSpectatorServerName sets the spectator server's name (at most 31 bytes).
func (s *SettingsData) SetSpectatorServerName(name string) {
	setField(s, FieldSpectatorName, &s.st.SpectatorServerName, name)
}

// GameTags returns the tags set by SetGameTags.
func (s *SettingsData) GameTags() string { return s.st.GameTags }

// SetGameTags sets the comma or semicolon separated game tags (at most 127
// bytes).
func (s *SettingsData) SetGameTags(tags string) { setField(s, FieldGameTags, &s.st.GameTags, tags) }

// GameData returns the data set by SetGameData.
func (s *SettingsData) GameData() string { return s.st.GameData }

// SetGameData sets the game data that matchmaking filters on (at most 2047
// bytes).
func (s *SettingsData) SetGameData(data string) { setField(s, FieldGameData, &s.st.GameData, data) }

// Region returns the region set by SetRegion.
func (s *SettingsData) Region() string { return s.st.Region }

// SetRegion sets the region identifier; empty means the world.
func (s *SettingsData) SetRegion(region string) { setField(s, FieldRegion, &s.st.Region, region) }

// Advertise reports the value set by SetAdvertiseServerActive.
func (s *SettingsData) Advertise() bool { return s.st.Advertise }

// SetAdvertiseServerActive says whether the master server lists the server.
// The settings system pushes it with, or after, every other setting of the
// same tick.
func (s *SettingsData) SetAdvertiseServerActive(active bool) {
	setField(s, FieldAdvertise, &s.st.Advertise, active)
}

// KeyValue returns the value of a rule key/value and whether it is set.
func (s *SettingsData) KeyValue(key string) (string, bool) {
	v, ok := s.st.KeyValues[key]
	return v, ok
}

// KeyValueCount returns the number of rule key/values.
func (s *SettingsData) KeyValueCount() int { return len(s.st.KeyValues) }

// KeyValueKeys returns the keys of the rule key/values, sorted.
func (s *SettingsData) KeyValueKeys() []string {
	return slices.Sorted(maps.Keys(s.st.KeyValues))
}

// SetKeyValue adds or replaces a rule key/value that A2S_RULES reports. A
// change marks FieldKeyValues: the next push hands Steam the whole set.
func (s *SettingsData) SetKeyValue(key, value string) {
	if old, ok := s.st.KeyValues[key]; ok && old == value {
		return
	}
	if s.st.KeyValues == nil {
		s.st.KeyValues = make(map[string]string)
	}
	s.st.KeyValues[key] = value
	s.mark(FieldKeyValues)
}

// DeleteKeyValue removes a rule key/value.
func (s *SettingsData) DeleteKeyValue(key string) {
	if _, ok := s.st.KeyValues[key]; !ok {
		return
	}
	delete(s.st.KeyValues, key)
	s.mark(FieldKeyValues)
}

// ClearKeyValues removes every rule key/value.
func (s *SettingsData) ClearKeyValues() {
	if len(s.st.KeyValues) == 0 {
		return
	}
	clear(s.st.KeyValues)
	s.mark(FieldKeyValues)
}

// Version counts the changes made through the setters and the log-on
// requests; it never goes back.
func (s *SettingsData) Version() uint64 { return s.version }

// Dirty returns the settings changed since the last push; zero when there is
// no setting to push (a log-on request is reported by LogOnRequested).
func (s *SettingsData) Dirty() Field { return s.dirty }

// MarkAllDirty marks every setting that has been set as changed, and the
// key/values, so that the next push sends everything: for a server that was
// shut down and initialized again. It does not ask for a log-on.
func (s *SettingsData) MarkAllDirty() {
	st := &s.st
	f := FieldKeyValues
	for _, p := range [...]struct {
		set bool
		f   Field
	}{
		{st.Product != "", FieldProduct}, {st.GameDescription != "", FieldGameDescription},
		{st.ModDir != "", FieldModDir}, {st.Dedicated, FieldDedicated},
		{st.ServerName != "", FieldServerName}, {st.MapName != "", FieldMapName},
		{st.MaxPlayers != 0, FieldMaxPlayers}, {st.Bots != 0, FieldBots},
		{st.PasswordProtected, FieldPassword}, {st.SpectatorPort != 0, FieldSpectatorPort},
		{st.SpectatorServerName != "", FieldSpectatorName}, {st.GameTags != "", FieldGameTags},
		{st.GameData != "", FieldGameData}, {st.Region != "", FieldRegion},
		{st.Advertise, FieldAdvertise},
	} {
		if p.set {
			f |= p.f
		}
	}
	s.mark(f)
}

// ClearDirty forgets the recorded changes and the log-on request once they
// are pushed. For the systems.
func (s *SettingsData) ClearDirty() {
	s.dirty = 0
	s.logOnAsked = false
}
