package steamgs

import (
	"math"

	"github.com/steamgs/steamgs/steamgs/query"
)

// Usable lengths in bytes, each with the limit behind it. The SDK's
// k_cbMaxGameServer* sizes count the NUL terminator, so each of those limits
// is one less than the SDK's constant. Settings the SDK and the A2S wire
// format leave unbounded (product, region, version, log-on token) have no
// limit here either.
const (
	MaxServerNameLen      = 63   // k_cbMaxGameServerName 64
	MaxMapNameLen         = 31   // k_cbMaxGameServerMapName 32
	MaxModDirLen          = 31   // k_cbMaxGameServerGameDir 32
	MaxGameDescriptionLen = 63   // k_cbMaxGameServerGameDescription 64
	MaxGameTagsLen        = 127  // k_cbMaxGameServerTags 128
	MaxGameDataLen        = 2047 // k_cbMaxGameServerGameData 2048
	// MaxSpectatorNameLen is the map name's limit: the SDK's
	// SetSpectatorServerName refers to k_cbMaxGameServerMapName.
	MaxSpectatorNameLen = 31
	// MaxPlayerNameLen is k_cchPersonaNameMax (128) less the NUL: the
	// longest persona name Steam has, which BUpdateUserData shows.
	MaxPlayerNameLen = 127
	// MaxGenericIdentityLen is SteamNetworkingIdentity's generic string
	// buffer (32 bytes) less the NUL.
	MaxGenericIdentityLen = 31
	// MaxAuthTicketLen is the largest ticket BeginAuthSession and
	// SendUserConnectAndAuthenticate take: the SDK passes the length as a
	// C int.
	MaxAuthTicketLen = math.MaxInt32
	// MaxPlayerCount is the largest count SetMaxPlayerCount and
	// SetBotPlayerCount take: the SDK passes it as a C int. A2S_INFO
	// reports at most 255 (its fields are one byte); the master server
	// takes the whole count.
	MaxPlayerCount = math.MaxInt32
	// MaxKeyValueCount is the most key/values A2S_RULES can report: it
	// counts rules in a u16 (query.MaxRules).
	MaxKeyValueCount = query.MaxRules
	// MaxKeyValueBytes is the room for key/values in the largest A2S_RULES
	// reply (query.MaxRulesBytes): 255 split fragments (the split header
	// counts them in a byte) of 1248 bytes, less the 7-byte reply header.
	// Each key/value takes the length of key and value plus two NUL bytes.
	MaxKeyValueBytes = query.MaxRulesBytes
	// MinOutgoingPacketBuffer is the smallest buffer GetNextOutgoingPacket
	// takes: 16 KiB, as large as a packet Steam may queue, since
	// libsteam_api cannot report a packet's size before copying it.
	MinOutgoingPacketBuffer = 16 << 10
)

// authTicketBuffer is the buffer GetAuthSessionTicket hands the back end,
// four times the 1024 bytes Valve's documentation recommends.
const authTicketBuffer = 4096
