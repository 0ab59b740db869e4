package systems

import (
	"github.com/steamgs/steamgs/components"
	decs "github.com/yohamta/donburi/ecs"
)

// PushSettings is the settings system (the sixth of a tick): it pushes the
// settings that changed since the last push, each once, in the order of the
// Field constants (the settings the SDK fixes at log-on, then a requested
// log-on, then the others, advertising last), and nothing when nothing
// changed. A setting Steam's rules refuse is reported (StatusData.LastError
// and a CallFailed event) and not retried; change it again to retry. While
// the server is not running (before Init, after Shutdown) changes wait.
func (s *Systems) PushSettings(_ *decs.ECS) {
	set := s.Settings()
	dirty := set.Dirty()
	if dirty == 0 || !s.srv.Running() {
		return
	}
	srv := s.srv
	for f := components.Field(1); f <= components.FieldAdvertise; f <<= 1 {
		if dirty&f == 0 {
			continue
		}
		var err error
		var call string
		switch f {
		case components.FieldProduct:
			call, err = "SetProduct", srv.SetProduct(set.Product())
		case components.FieldGameDescription:
			call, err = "SetGameDescription", srv.SetGameDescription(set.GameDescription())
		case components.FieldModDir:
			call, err = "SetModDir", srv.SetModDir(set.ModDir())
		case components.FieldDedicated:
			call, err = "SetDedicatedServer", srv.SetDedicatedServer(set.Dedicated())
		case components.FieldLogOn:
			call, err = s.logOn(set.LogOnRequest())
		case components.FieldServerName:
			call, err = "SetServerName", srv.SetServerName(set.ServerName())
		case components.FieldMapName:
			call, err = "SetMapName", srv.SetMapName(set.MapName())
		case components.FieldMaxPlayers:
			call, err = "SetMaxPlayerCount", srv.SetMaxPlayerCount(set.MaxPlayers())
		case components.FieldBots:
			call, err = "SetBotPlayerCount", srv.SetBotPlayerCount(set.Bots())
		case components.FieldPassword:
			call, err = "SetPasswordProtected", srv.SetPasswordProtected(set.PasswordProtected())
		case components.FieldSpectatorPort:
			call, err = "SetSpectatorPort", srv.SetSpectatorPort(set.SpectatorPort())
		case components.FieldSpectatorName:
			call, err = "SetSpectatorServerName", srv.SetSpectatorServerName(set.SpectatorServerName())
		case components.FieldGameTags:
			call, err = "SetGameTags", srv.SetGameTags(set.GameTags())
		case components.FieldGameData:
			call, err = "SetGameData", srv.SetGameData(set.GameData())
		case components.FieldRegion:
			call, err = "SetRegion", srv.SetRegion(set.Region())
		case components.FieldKeyValues:
			s.pushKeyValues(set)
		case components.FieldAdvertise:
			call, err = "SetAdvertiseServerActive", srv.SetAdvertiseServerActive(set.Advertise())
		}
		if err != nil {
			s.fail(call, 0, err)
		}
	}
	set.ClearDirty()
	if s.ev.pending != 0 {
		s.finish()
	}
}

// logOn logs the server on as asked.
func (s *Systems) logOn(req components.LogOn) (string, error) {
	var err error
	call := "LogOnAnonymous"
	if req.Token != "" {
		call, err = "LogOn", s.srv.LogOn(req.Token)
	} else {
		err = s.srv.LogOnAnonymous()
	}
	if err == nil {
		st := s.Status()
		st.State, st.LoggedOn = components.LoggingOn, false
	}
	return call, err
}

// pushKeyValues pushes the key/values that changed, or all of them after a
// deletion.
func (s *Systems) pushKeyValues(set *components.SettingsData) {
	reset, keys := set.KeyValueChanges()
	if reset {
		if err := s.srv.ClearAllKeyValues(); err != nil {
			s.fail("ClearAllKeyValues", 0, err)
			return
		}
		keys = set.KeyValueKeys()
	}
	for _, k := range keys {
		v, ok := set.KeyValue(k)
		if !ok {
			continue
		}
		if err := s.srv.SetKeyValue(k, v); err != nil {
			s.fail("SetKeyValue", 0, err)
		}
	}
}
