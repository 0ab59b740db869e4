package steamgs

import (
	"strconv"
	"strings"
)

// Settings are a server's settings: the arguments of ISteamGameServer's
// setters. [Server.Settings] returns the values the server was last given;
// [Server.ApplySettings] takes several at once; back ends receive the whole
// value in [Conn.Apply]. The zero value is a server's state at Init.
type Settings struct {
	Product             string            // SetProduct
	GameDescription     string            // SetGameDescription
	ModDir              string            // SetModDir
	Dedicated           bool              // SetDedicatedServer
	ServerName          string            // SetServerName
	MapName             string            // SetMapName
	MaxPlayers          int               // SetMaxPlayerCount
	Bots                int               // SetBotPlayerCount
	PasswordProtected   bool              // SetPasswordProtected
	SpectatorPort       uint16            // SetSpectatorPort
	SpectatorServerName string            // SetSpectatorServerName
	GameTags            string            // SetGameTags
	GameData            string            // SetGameData
	Region              string            // SetRegion
	KeyValues           map[string]string // SetKeyValue and ClearAllKeyValues
	Advertise           bool              // SetAdvertiseServerActive
}

// Field names one field of [Settings]; Fields combine as a bit mask.
type Field uint32

// The fields, in the order a push of several applies them: those the SDK
// fixes at log-on first, advertising last (the SDK asks for every other
// setting to be in place before the server is advertised).
const (
	FieldProduct Field = 1 << iota
	FieldGameDescription
	FieldModDir
	FieldDedicated
	FieldServerName
	FieldMapName
	FieldMaxPlayers
	FieldBots
	FieldPasswordProtected
	FieldSpectatorPort
	FieldSpectatorServerName
	FieldGameTags
	FieldGameData
	FieldRegion
	FieldKeyValues
	FieldAdvertise

	// FieldsBeforeLogOn are the settings the SDK accepts only before log-on.
	FieldsBeforeLogOn = FieldProduct | FieldGameDescription | FieldModDir | FieldDedicated
	// AllFields is every field of Settings.
	AllFields = FieldAdvertise<<1 - 1
)

var fieldNames = [...]string{"Product", "GameDescription", "ModDir", "Dedicated", "ServerName", "MapName",
	"MaxPlayers", "Bots", "PasswordProtected", "SpectatorPort", "SpectatorServerName", "GameTags", "GameData",
	"Region", "KeyValues", "Advertise"}

// String returns the names of the fields in f joined by "|", such as
// "ServerName|MapName", or "0" for none. A bit mask has no stringer form, so
// it is written out here.
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
	if rest := f &^ AllFields; rest != 0 {
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString("Field(0x" + strconv.FormatUint(uint64(rest), 16) + ")")
	}
	return b.String()
}
