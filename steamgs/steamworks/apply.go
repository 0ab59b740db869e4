package steamworks

import (
	"slices"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/steamgs"
)

// Apply implements steamgs.Conn: it calls the C setter of each field in
// changed with its value in s, one call a field, in the order of the Field
// constants (the settings fixed at log-on first, SetAdvertiseServerActive
// last). Bits that name no field are ignored. Key/values go as the
// difference from what was last sent (see applyKeyValues). After Close it
// makes no C call.
func (c *conn) Apply(s *steamgs.Settings, changed steamgs.Field) {
	if c.self == 0 || s == nil {
		return
	}
	for rest := changed & steamgs.AllFields; rest != 0; rest &= rest - 1 {
		c.applyField(s, rest&-rest)
	}
}

// applyField calls the setter of the one field f with its value in s,
// marshalled as the SDK declares it: strings as C strings, bools as C
// bools, counts as int, the spectator port as uint16.
func (c *conn) applyField(s *steamgs.Settings, f steamgs.Field) {
	switch f {
	case steamgs.FieldProduct:
		c.setString(c.sym.setProduct, s.Product)
	case steamgs.FieldGameDescription:
		c.setString(c.sym.setGameDescription, s.GameDescription)
	case steamgs.FieldModDir:
		c.setString(c.sym.setModDir, s.ModDir)
	case steamgs.FieldDedicated:
		c.call1(c.sym.setDedicatedServer, cbool(s.Dedicated))
	case steamgs.FieldServerName:
		c.setString(c.sym.setServerName, s.ServerName)
	case steamgs.FieldMapName:
		c.setString(c.sym.setMapName, s.MapName)
	case steamgs.FieldMaxPlayers:
		c.call1(c.sym.setMaxPlayerCount, uintptr(int32(s.MaxPlayers)))
	case steamgs.FieldBots:
		c.call1(c.sym.setBotPlayerCount, uintptr(int32(s.Bots)))
	case steamgs.FieldPasswordProtected:
		c.call1(c.sym.setPasswordProtected, cbool(s.PasswordProtected))
	case steamgs.FieldSpectatorPort:
		c.call1(c.sym.setSpectatorPort, uintptr(s.SpectatorPort))
	case steamgs.FieldSpectatorServerName:
		c.setString(c.sym.setSpectatorServerName, s.SpectatorServerName)
	case steamgs.FieldGameTags:
		c.setString(c.sym.setGameTags, s.GameTags)
	case steamgs.FieldGameData:
		c.setString(c.sym.setGameData, s.GameData)
	case steamgs.FieldRegion:
		c.setString(c.sym.setRegion, s.Region)
	case steamgs.FieldKeyValues:
		c.applyKeyValues(s.KeyValues)
	case steamgs.FieldAdvertise:
		c.call1(c.sym.setAdvertiseServerActive, cbool(s.Advertise))
	}
}

// applyKeyValues brings libsteam_api's key/values to kv, the whole set,
// with the fewest C calls: the SDK can add or replace one pair
// (SetKeyValue) but remove them only all at once (ClearAllKeyValues). So
// when a key of what was last sent is missing from kv it clears them and
// sends every pair of kv; otherwise it sends only the pairs that are new or
// whose value changed, and nothing when none did. Pairs go in key order.
// c.kv, what was last sent, starts empty, as a server's key/values are at
// init.
func (c *conn) applyKeyValues(kv map[string]string) {
	kept := 0 // keys of c.kv that kv still has
	for k, v := range kv {
		old, ok := c.kv[k]
		if ok {
			kept++
		}
		if !ok || old != v {
			c.keys = append(c.keys, k)
		}
	}
	if kept < len(c.kv) {
		c.call0(c.sym.clearAllKeyValues)
		clear(c.kv)
		c.keys = c.keys[:0]
		for k := range kv {
			c.keys = append(c.keys, k)
		}
	}
	if len(c.keys) == 0 {
		return
	}
	if c.kv == nil {
		c.kv = make(map[string]string, len(kv))
	}
	slices.Sort(c.keys)
	for _, k := range c.keys {
		v := kv[k]
		c.setKeyValue(k, v)
		c.kv[k] = v
	}
	clear(c.keys) // keep no strings alive through the scratch slice
	c.keys = c.keys[:0]
}

// setKeyValue calls SetKeyValue with key and value in two buffers.
func (c *conn) setKeyValue(key, value string) {
	if c.self == 0 {
		return
	}
	k, v := c.cstr(0, key), c.cstr(1, value)
	purego.SyscallN(c.sym.setKeyValue, c.self, uintptr(unsafe.Pointer(k)), uintptr(unsafe.Pointer(v)))
}
