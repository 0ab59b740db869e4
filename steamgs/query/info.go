package query

// Info is what A2S_INFO reports. Its zero value is a valid (empty) Info.
type Info struct {
	// Name, Map, Folder and Game are the server name, the map, the game's
	// folder (mod dir) and the game's description. Each is written up to its
	// first NUL byte and at most MaxStringLen bytes.
	Name, Map, Folder, Game string
	// AppID is the full app ID; the INFO u16 field is truncated, the EDF game
	// ID carries it in the low 24 bits.
	AppID uint64
	// MaxPlayers is clamped to 0..255 on the wire.
	MaxPlayers int
	// Bots is clamped to 0..255 on the wire.
	Bots int
	// Dedicated is written 'd' when true, 'l' (listen server) when false.
	Dedicated bool
	// Environment is 'l', 'w' or 'm'; zero means 'l'.
	Environment byte
	// Password sets the visibility byte; VAC the VAC (secure) byte.
	Password, VAC bool
	// Version is the game's version string.
	Version string
	// GamePort is written as EDF 0x80 when non-zero.
	GamePort uint16
	// SteamID is written as EDF 0x10 when non-zero.
	SteamID uint64
	// SpectatorPort is written, with SpectatorName, as EDF 0x40 when non-zero.
	SpectatorPort uint16
	// SpectatorName is the spectator (SourceTV) server's name.
	SpectatorName string
	// Keywords (game tags) are written as EDF 0x20 when non-empty.
	Keywords string
}

// Extra data flag (EDF) bits of an INFO reply, in the order their fields follow.
const (
	edfGamePort  = 0x80
	edfSteamID   = 0x10
	edfSpectator = 0x40
	edfKeywords  = 0x20
	edfGameID    = 0x01
)

// AppendInfo appends the A2S_INFO reply for info to b, reporting players
// players (clamped to 0..255), and returns the extended buffer. The reply is
// whole (FF FF FF FF 'I' ...); one longer than MaxPacketSize must be sent split.
// The extra data flag byte is written when any EDF field is set, with the
// fields in the protocol's order: game port, SteamID, spectator port and name,
// keywords, game ID (the app ID in the low 24 bits, when AppID is non-zero).
// An app ID whose low 16 bits are The Ship's (2400) gets that game's three
// extra bytes (zero), which clients read for it.
func AppendInfo(b []byte, info Info, players int) []byte {
	b = appendHeader(b, replyInfo)
	b = append(b, Protocol)
	b = appendString(b, info.Name, MaxStringLen)
	b = appendString(b, info.Map, MaxStringLen)
	b = appendString(b, info.Folder, MaxStringLen)
	b = appendString(b, info.Game, MaxStringLen)
	b = le.AppendUint16(b, uint16(info.AppID))
	serverType := byte('l')
	if info.Dedicated {
		serverType = 'd'
	}
	env := info.Environment
	if env == 0 {
		env = 'l'
	}
	b = append(b, clampU8(players), clampU8(info.MaxPlayers), clampU8(info.Bots),
		serverType, env, bool8(info.Password), bool8(info.VAC))
	if uint16(info.AppID) == theShipAppID {
		b = append(b, 0, 0, 0) // The Ship: mode, witnesses, duration
	}
	b = appendString(b, info.Version, MaxStringLen)

	var edf byte
	if info.GamePort != 0 {
		edf |= edfGamePort
	}
	if info.SteamID != 0 {
		edf |= edfSteamID
	}
	if info.SpectatorPort != 0 {
		edf |= edfSpectator
	}
	if wireString(info.Keywords, MaxStringLen) != "" {
		edf |= edfKeywords
	}
	gameID := info.AppID & 0xFFFFFF
	if gameID != 0 {
		edf |= edfGameID
	}
	if edf == 0 {
		return b
	}
	b = append(b, edf)
	if edf&edfGamePort != 0 {
		b = le.AppendUint16(b, info.GamePort)
	}
	if edf&edfSteamID != 0 {
		b = le.AppendUint64(b, info.SteamID)
	}
	if edf&edfSpectator != 0 {
		b = le.AppendUint16(b, info.SpectatorPort)
		b = appendString(b, info.SpectatorName, MaxStringLen)
	}
	if edf&edfKeywords != 0 {
		b = appendString(b, info.Keywords, MaxStringLen)
	}
	if edf&edfGameID != 0 {
		b = le.AppendUint64(b, gameID)
	}
	return b
}

// ParseInfo decodes a whole (reassembled) A2S_INFO reply and returns the
// Info and the player count it reports. AppID is the EDF game ID's low 24
// bits when present, else the u16 field. Dedicated is true only for server
// type 'd'; Password and VAC for any non-zero byte. The protocol byte and any
// bytes after the last EDF field are ignored. The error wraps ErrMalformed.
func ParseInfo(b []byte) (info Info, players int, err error) {
	r := reader{b: b}
	r.header(replyInfo)
	r.u8() // protocol
	info.Name = r.str()
	info.Map = r.str()
	info.Folder = r.str()
	info.Game = r.str()
	appID := r.u16()
	info.AppID = uint64(appID)
	players = int(r.u8())
	info.MaxPlayers = int(r.u8())
	info.Bots = int(r.u8())
	info.Dedicated = r.u8() == 'd'
	info.Environment = r.u8()
	info.Password = r.u8() != 0
	info.VAC = r.u8() != 0
	if appID == theShipAppID {
		r.u8()
		r.u8()
		r.u8()
	}
	info.Version = r.str()
	if !r.failed && r.left() > 0 {
		edf := r.u8()
		if edf&edfGamePort != 0 {
			info.GamePort = r.u16()
		}
		if edf&edfSteamID != 0 {
			info.SteamID = r.u64()
		}
		if edf&edfSpectator != 0 {
			info.SpectatorPort = r.u16()
			info.SpectatorName = r.str()
		}
		if edf&edfKeywords != 0 {
			info.Keywords = r.str()
		}
		if edf&edfGameID != 0 {
			info.AppID = r.u64() & 0xFFFFFF
		}
	}
	if err := r.err("INFO reply"); err != nil {
		return Info{}, 0, err
	}
	return info, players, nil
}
